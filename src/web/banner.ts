import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

/**
 * The one way a page says a change was saved: after a successful POST the route calls
 * `redirectWithBanner`, which remembers the sentence in a short-lived signed cookie and
 * redirects; the next page shows it in a GOV.UK success notification banner (layout.njk) and
 * forgets it. Works without JavaScript; a page carrying a banner is never kept by the page cache.
 */

const COOKIE = "baseplan-saved";

export function redirectWithBanner(reply: FastifyReply, location: string, message: string): FastifyReply {
  reply.setCookie(COOKIE, message, { signed: true, httpOnly: true, sameSite: "lax", path: "/", maxAge: 60 });
  return reply.redirect(location, 303);
}

/** The sentence waiting for this request's page, if any (set on `reply.locals.savedBanner`). */
export function setUpBanners(app: FastifyInstance): void {
  app.addHook("preHandler", async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.method !== "GET") return;
    const raw = request.cookies[COOKIE];
    if (!raw) return;
    reply.clearCookie(COOKIE, { path: "/" });
    const unsigned = request.unsignCookie(raw);
    if (!unsigned.valid || !unsigned.value) return;
    reply.locals = { ...reply.locals, savedBanner: unsigned.value };
  });
}

/** A page with a banner is for this one view only. */
export function hasBanner(reply: FastifyReply): boolean {
  return Boolean(reply.locals?.savedBanner);
}
