import cookie from "@fastify/cookie";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Role } from "../domain/roles.ts";

/** The person a signed-in session belongs to, as the web layer needs them. */
export interface SessionPerson {
  id: number;
  councilId: number;
  email: string;
  displayName: string;
  roles: Role[];
}

/**
 * Who a request acts for:
 * - "session": a person signed in with a valid session;
 * - "token": a request to the JSON API (/api/...) with a valid API token in its Authorization
 *   header (`Bearer <token>`): the person the token was issued for, with their roles;
 * - "configured": nobody signed in, and BASEPLAN_ACTING_USER is set (the demo and tests, never
 *   production): that named user, with every role;
 * - "nobody": neither; only the sign-in pages, health and static files answer.
 */
export type Acting =
  | { kind: "session"; person: SessionPerson; sessionId: string }
  | { kind: "token"; person: SessionPerson; tokenId: number }
  | { kind: "configured"; actor: string }
  | { kind: "nobody" };

declare module "fastify" {
  interface FastifyRequest {
    /**
     * The person this request acts for: every write a route makes is recorded against it. Set
     * once per request by `setUpActingPerson`; routes read it from here, never from configuration.
     */
    actor: string;
    /** Who the request acts for and how they were known. */
    acting: Acting;
  }
  interface FastifyInstance {
    /** Sets and clears the session cookie, for the sign-in and sign-out routes. */
    sessionCookies: SessionCookies;
  }
}

export const SESSION_COOKIE = "baseplan_session";

export interface ActingOptions {
  /** BASEPLAN_ACTING_USER, or undefined (always in production). */
  actingUser: string | undefined;
  /** Signs the session cookie's value (BASEPLAN_SESSION_SECRET). */
  sessionSecret: string;
  /** The person a session id signs in, or null (unknown, ended, idle, expired, deactivated). */
  findSession: (sessionId: string) => Promise<SessionPerson | null>;
  /** The person an API token acts for, or null (unknown, revoked, expired, deactivated). */
  findApiToken: (token: string) => Promise<(SessionPerson & { tokenId: number }) | null>;
  secureCookies: boolean;
  /** How long the cookie is kept by the browser: the session's absolute end. */
  sessionHours: number;
}

/** Static files and machine endpoints: no session is looked up for them. */
const NO_SESSION_NEEDED = /^\/(static|govuk|moj|assets|health)(\/|$)/;

/** The JSON API: its requests act only by an API token, never by a cookie or the demo user. */
export const API_PATHS = /^\/api(\/|$)/;

/** `Authorization: Bearer <token>`; the token only ever from this header, never a cookie or query. */
const BEARER = /^Bearer +([A-Za-z0-9._~+/=-]+) *$/i;

/**
 * Sets `request.actor` and `request.acting` before any route runs: for the JSON API, the person
 * a valid bearer token was issued for, or nobody; otherwise the signed-in person when the
 * request carries a valid session cookie; otherwise, outside production, the configured
 * BASEPLAN_ACTING_USER (so the demo and tests work without signing in); otherwise nobody.
 * Routes and services never look further than `request.actor`.
 */
export function setUpActingPerson(app: FastifyInstance, options: ActingOptions): void {
  const signer = new cookie.Signer(options.sessionSecret);
  app.decorateRequest("actor", "");
  app.decorateRequest("acting", null as never);
  app.addHook("onRequest", async (request) => {
    const path = request.url.split("?")[0] ?? "/";
    if (API_PATHS.test(path)) {
      const token = BEARER.exec(request.headers.authorization ?? "")?.[1];
      const found = token ? await options.findApiToken(token) : null;
      if (found) {
        const { tokenId, ...person } = found;
        request.acting = { kind: "token", person, tokenId };
        request.actor = person.email;
      } else {
        request.acting = { kind: "nobody" };
        request.actor = "";
      }
      return;
    }
    const sessionId = NO_SESSION_NEEDED.test(path) ? null : sessionIdOf(request, signer);
    const person = sessionId ? await options.findSession(sessionId) : null;
    if (person && sessionId) {
      request.acting = { kind: "session", person, sessionId };
      request.actor = person.email;
    } else if (options.actingUser !== undefined) {
      request.acting = { kind: "configured", actor: options.actingUser };
      request.actor = options.actingUser;
    } else {
      request.acting = { kind: "nobody" };
      request.actor = "";
    }
  });
  const cookies: SessionCookies = {
    set(reply, sessionId) {
      reply.setCookie(SESSION_COOKIE, signer.sign(sessionId), {
        path: "/",
        httpOnly: true,
        sameSite: "lax",
        secure: options.secureCookies,
        maxAge: options.sessionHours * 60 * 60,
      });
    },
    clear(reply) {
      reply.clearCookie(SESSION_COOKIE, {
        path: "/",
        httpOnly: true,
        sameSite: "lax",
        secure: options.secureCookies,
      });
    },
  };
  app.decorate("sessionCookies", cookies);
}

/** Sets and clears the session cookie, for the sign-in and sign-out routes. */
export interface SessionCookies {
  set(reply: FastifyReply, sessionId: string): void;
  clear(reply: FastifyReply): void;
}

/** The session id in a request's cookie, when its signature is good; a tampered cookie gives null. */
function sessionIdOf(request: FastifyRequest, signer: InstanceType<typeof cookie.Signer>): string | null {
  const raw = request.cookies?.[SESSION_COOKIE];
  if (!raw) return null;
  const result = signer.unsign(raw);
  return result.valid && result.value ? result.value : null;
}
