import type { FastifyPluginAsync, FastifyReply } from "fastify";
import type { FieldError } from "../../errors.ts";
import { parseForm } from "../../web/forms.ts";
import type { RoutesOptions } from "../../web/modules.ts";
import * as accounts from "./accounts.service.ts";
import { MINIMUM_PASSWORD_LENGTH } from "./passwords.ts";
import { setPasswordForm, signInForm } from "./people.schemas.ts";
import * as people from "./people.service.ts";

type Body = Record<string, string | string[] | undefined>;

/** Where to go after signing in: a path on this site only, never another site. */
function safeNext(next: unknown): string {
  return typeof next === "string" && /^\/(?![/\\])/.test(next) ? next : "/";
}

const REFUSED_LINKS: Record<
  Exclude<accounts.InvitationState, { ok: true }>["reason"],
  { title: string; message: string }
> = {
  unknown: {
    title: "This link is not recognised",
    message:
      "Check that you copied the whole link from your invitation. If it still does not work, ask an administrator for a new one.",
  },
  used: {
    title: "This link has already been used",
    message:
      "Each invitation link sets a password once. If you have set your password, sign in. If you need to set it again, ask an administrator for a new link.",
  },
  expired: {
    title: "This link has expired",
    message: "Invitation links work for a limited time. Ask an administrator for a new link.",
  },
  deactivated: {
    title: "This link no longer works",
    message: "The account it was for has been deactivated. Ask an administrator if you think this is wrong.",
  },
};

export const accountRoutes: FastifyPluginAsync<RoutesOptions> = async (app, { services }) => {
  const { db, config } = services;
  const times = { idleMinutes: config.sessionIdleMinutes, absoluteHours: config.sessionHours };

  function renderSignIn(reply: FastifyReply, values: Body, errors: FieldError[] = [], status = 200) {
    return reply.code(status).view("people/views/sign-in.njk", {
      pageTitle: "Sign in",
      values: { email: values.email ?? "" },
      next: safeNext(values.next),
      signedOut: values.done === "signed-out",
      errors,
    });
  }

  app.get("/sign-in", async (request, reply) => {
    const query = request.query as Record<string, string | undefined>;
    return renderSignIn(reply, { next: query.next, done: query.done });
  });

  app.post("/sign-in", async (request, reply) => {
    const body = (request.body ?? {}) as Body;
    const form = parseForm(signInForm, body);
    if (!form.ok) return renderSignIn(reply, body, form.errors, 400);
    const result = await accounts.signIn(
      db,
      { email: form.value.email, password: form.value.password, address: request.ip },
      times,
    );
    if (!result.ok) {
      const message =
        result.reason === "wrong"
          ? "Enter the email address and password of an active account: the ones given do not match one"
          : `There have been too many failed attempts to sign in ${result.reason === "account-locked" ? "to this account" : "from your network"}. Try again in ${result.retryAfterMinutes} minutes, or ask an administrator.`;
      if (result.retryAfterMinutes) reply.header("retry-after", String(result.retryAfterMinutes * 60));
      return renderSignIn(reply, body, [{ field: "email", message }], result.reason === "wrong" ? 401 : 429);
    }
    app.sessionCookies.set(reply, result.sessionId);
    return reply.redirect(safeNext(body.next), 303);
  });

  app.post("/sign-out", async (request, reply) => {
    const body = (request.body ?? {}) as Body;
    if (request.acting.kind === "session") {
      if (body.everywhere === "yes") await accounts.signOutEverywhere(db, request.acting.person.id);
      else await accounts.signOut(db, request.acting.sessionId);
    }
    app.sessionCookies.clear(reply);
    return reply.redirect("/sign-in?done=signed-out", 303);
  });

  app.get("/account", async (request, reply) => {
    const acting = request.acting;
    const person = acting.kind === "session" ? await people.findPerson(db, acting.person.id) : undefined;
    return reply.view("people/views/account.njk", {
      pageTitle: "Your account",
      person,
      passwordSet: (request.query as Record<string, string | undefined>).done === "password-set",
      configured: acting.kind === "configured" ? acting.actor : undefined,
      sessions: acting.kind === "session" ? await accounts.liveSessionCount(db, acting.person.id) : 0,
    });
  });

  async function renderInvitation(
    reply: FastifyReply,
    token: string,
    errors: FieldError[] = [],
    status = 200,
  ) {
    const state = await accounts.invitationState(db, token);
    if (!state.ok) {
      return reply.code(410).view("people/views/link-refused.njk", {
        pageTitle: REFUSED_LINKS[state.reason].title,
        ...REFUSED_LINKS[state.reason],
      });
    }
    return reply.code(status).view("people/views/set-password.njk", {
      pageTitle: "Set your password",
      person: state,
      minimumLength: MINIMUM_PASSWORD_LENGTH,
      errors,
    });
  }

  app.get("/invitation/:token", async (request, reply) =>
    renderInvitation(reply, (request.params as { token: string }).token),
  );

  app.post("/invitation/:token", async (request, reply) => {
    const token = (request.params as { token: string }).token;
    const form = parseForm(setPasswordForm, request.body);
    if (!form.ok) return renderInvitation(reply, token, form.errors, 400);
    try {
      const result = await accounts.acceptInvitation(db, token, form.value.password);
      if (!result.ok) return renderInvitation(reply, token);
      const sessionId = await accounts.startSession(db, result.personId, request.ip, times);
      app.sessionCookies.set(reply, sessionId);
      return reply.redirect("/account?done=password-set", 303);
    } catch (error) {
      if (!(error instanceof accounts.PasswordRefused)) throw error;
      return renderInvitation(reply, token, [{ field: "password", message: error.message }], 400);
    }
  });
};
