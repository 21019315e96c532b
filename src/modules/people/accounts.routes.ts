import type { FastifyPluginAsync, FastifyReply } from "fastify";
import { OIDC_CALLBACK_PATH } from "../../config.ts";
import type { FieldError } from "../../errors.ts";
import { parseForm } from "../../web/forms.ts";
import type { RoutesOptions } from "../../web/modules.ts";
import * as accounts from "./accounts.service.ts";
import { type OidcRefusal, ProviderUnreachable, safeNext } from "./oidc.service.ts";
import { MINIMUM_PASSWORD_LENGTH } from "./passwords.ts";
import { setPasswordForm, signInForm } from "./people.schemas.ts";
import * as people from "./people.service.ts";

type Body = Record<string, string | string[] | undefined>;

/** The browser's half of a sign-in begun with the identity provider: its state, signed. */
const OIDC_STATE_COOKIE = "baseplan_oidc_state";
const OIDC_COOKIE_PATH = "/sign-in/oidc";

/** What the page refusing a sign-in through the identity provider says, and its status. */
function oidcRefusalPage(
  reason: OidcRefusal,
  provider: string,
  detail = "",
  email = "",
): { status: number; title: string; message: string } {
  const again = `Go back to sign in and choose "Sign in with ${provider}" again.`;
  switch (reason) {
    case "missing-state":
      return {
        status: 400,
        title: "This sign-in could not be checked",
        message: `The answer from ${provider} did not match a sign-in begun in this browser (it may have been opened in another browser, or cookies are blocked). Nothing has changed. ${again}`,
      };
    case "forged-state":
      return {
        status: 400,
        title: "This sign-in was not begun here",
        message: `The answer from ${provider} was for a sign-in this browser did not begin, so it has been refused and recorded. Nothing has changed. ${again}`,
      };
    case "expired":
      return {
        status: 400,
        title: "This sign-in took too long",
        message: `Signing in with ${provider} must be finished within a few minutes. Nothing has changed. ${again}`,
      };
    case "replayed":
      return {
        status: 400,
        title: "This sign-in has already been used",
        message: `Each answer from ${provider} signs in once, and this one was used before, so it has been refused and recorded. ${again}`,
      };
    case "provider-error":
      return {
        status: 400,
        title: `${provider} did not sign you in`,
        message: `${provider} answered with an error${detail ? ` (${detail})` : ""}. Nothing has changed. ${again} If it happens again, ask your IT service desk.`,
      };
    case "wrong-nonce":
    case "wrong-audience":
    case "wrong-issuer":
    case "token-refused":
      return {
        status: 400,
        title: "The sign-in from your identity provider was refused",
        message: `The proof of identity from ${provider} did not pass Baseplan's checks (${
          reason === "wrong-nonce"
            ? "it was not issued for this sign-in"
            : reason === "wrong-audience"
              ? "it was issued for another application"
              : reason === "wrong-issuer"
                ? "it was issued by another identity provider"
                : detail || "it was not accepted"
        }), so it has been refused and recorded. Nothing has changed. ${again}`,
      };
    case "no-email":
      return {
        status: 403,
        title: "Your account did not give an email address",
        message: `${provider} did not say which email address your account has, so Baseplan cannot tell who you are. Ask your IT service desk to release the email (or preferred_username) claim to Baseplan.`,
      };
    case "unknown-person":
      return {
        status: 403,
        title: "You have not been added to Baseplan",
        message: `${provider} signed you in as ${email}, but nobody with that email address has been added to Baseplan. Ask an administrator of your council's Baseplan to add you with that email address and the role you need, then sign in again.`,
      };
    case "deactivated":
      return {
        status: 403,
        title: "Your account has been deactivated",
        message: `The Baseplan account for ${email} has been deactivated, so it cannot sign in. Ask an administrator of your council's Baseplan if you think this is wrong.`,
      };
    case "unreachable":
      return {
        status: 503,
        title: `Sign-in with ${provider} is not available right now`,
        message: `Baseplan could not reach ${provider}. Nothing has changed. Try again in a few minutes; if it keeps happening, tell your IT service desk.`,
      };
  }
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

  const oidc = services.oidc;

  function renderSignIn(reply: FastifyReply, values: Body, errors: FieldError[] = [], status = 200) {
    return reply.code(status).view("people/views/sign-in.njk", {
      pageTitle: "Sign in",
      localAccounts: config.localAccounts,
      provider: oidc?.providerName,
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
    if (!config.localAccounts) {
      const message = `This site does not use passwords: sign in with ${oidc?.providerName ?? "your organisation's account"}`;
      return renderSignIn(reply, body, [{ field: "email", message }], 403);
    }
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

  function renderOidcRefusal(reply: FastifyReply, reason: OidcRefusal, detail?: string, email?: string) {
    const page = oidcRefusalPage(reason, oidc?.providerName ?? "your identity provider", detail, email);
    return reply.code(page.status).view("people/views/link-refused.njk", {
      pageTitle: page.title,
      title: page.title,
      message: page.message,
    });
  }

  // Sign-in with the identity provider: stores the sign-in begun and sends the browser to the
  // provider with its state, nonce and PKCE challenge. A link, not a form: the pages' policy lets
  // a form lead only to this site, and a browser holds a form's redirect elsewhere to it too.
  app.get("/sign-in/oidc", async (request, reply) => {
    if (!oidc) return reply.callNotFound();
    try {
      const query = request.query as Record<string, string | undefined>;
      const begun = await oidc.begin(db, { next: query.next, address: request.ip });
      reply.setCookie(OIDC_STATE_COOKIE, begun.state, {
        path: OIDC_COOKIE_PATH,
        httpOnly: true,
        // Lax: the provider's redirect back is a top-level navigation from another site.
        sameSite: "lax",
        secure: config.secureCookies,
        signed: true,
        maxAge: 10 * 60,
      });
      return reply.redirect(begun.url, 303);
    } catch (error) {
      if (!(error instanceof ProviderUnreachable)) throw error;
      return renderOidcRefusal(reply, "unreachable");
    }
  });

  app.get(OIDC_CALLBACK_PATH, async (request, reply) => {
    if (!oidc) return reply.callNotFound();
    const raw = request.cookies?.[OIDC_STATE_COOKIE];
    const unsigned = raw ? request.unsignCookie(raw) : undefined;
    reply.clearCookie(OIDC_STATE_COOKIE, { path: OIDC_COOKIE_PATH });
    const query = request.url.includes("?") ? request.url.slice(request.url.indexOf("?")) : "";
    const result = await oidc.complete(
      db,
      {
        query,
        browserState: unsigned?.valid && unsigned.value ? unsigned.value : undefined,
        address: request.ip,
      },
      times,
    );
    if (!result.ok) return renderOidcRefusal(reply, result.reason, result.detail, result.email);
    app.sessionCookies.set(reply, result.sessionId);
    return reply.redirect(result.next, 303);
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
