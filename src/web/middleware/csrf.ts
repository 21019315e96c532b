import cookie from "@fastify/cookie";
import csrf from "@fastify/csrf-protection";
import type { FastifyInstance } from "fastify";

/**
 * Every form carries a token tied to a signed cookie; a POST without a matching token is refused
 * (403) before any route runs. Checked after the body is parsed, because the token is a form field.
 * With `secureCookies` (production) every cookie this application sets, the CSRF cookie and any
 * other, carries `Secure`, so a browser sends it over HTTPS only.
 */
export async function setUpCsrf(
  app: FastifyInstance,
  cookieSecret: string,
  secureCookies: boolean,
): Promise<void> {
  await app.register(cookie, { secret: cookieSecret });
  await app.register(csrf, {
    cookieOpts: { signed: true, httpOnly: true, sameSite: "strict", path: "/", secure: secureCookies },
  });
  if (secureCookies) {
    app.addHook("onSend", async (_request, reply, payload) => {
      const cookies = reply.getHeader("set-cookie");
      if (cookies === undefined) return payload;
      const list = Array.isArray(cookies) ? cookies : [String(cookies)];
      // Fastify adds to a Set-Cookie header rather than replacing it: remove it first, or each
      // cookie is sent twice.
      reply.removeHeader("set-cookie");
      reply.header(
        "set-cookie",
        list.map((line) => (/;\s*secure\s*(;|$)/i.test(line) ? line : `${line}; Secure`)),
      );
      return payload;
    });
  }
  app.addHook("preHandler", (request, reply, done) => {
    // A request with an API token is not a browser's form: a page cannot make a browser send
    // the Authorization header, so there is nothing to forge.
    const safe = request.method === "GET" || request.method === "HEAD" || request.method === "OPTIONS";
    if (safe || request.acting?.kind === "token") {
      done();
      return;
    }
    app.csrfProtection(request, reply, done);
  });
}
