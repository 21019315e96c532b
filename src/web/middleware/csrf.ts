import cookie from "@fastify/cookie";
import csrf from "@fastify/csrf-protection";
import type { FastifyInstance } from "fastify";

/**
 * Every form carries a token tied to a signed cookie; a POST without a matching token is refused
 * (403) before any route runs. Checked after the body is parsed, because the token is a form field.
 */
export async function setUpCsrf(app: FastifyInstance, cookieSecret: string): Promise<void> {
  await app.register(cookie, { secret: cookieSecret });
  await app.register(csrf, {
    cookieOpts: { signed: true, httpOnly: true, sameSite: "strict", path: "/" },
  });
  app.addHook("preHandler", (request, reply, done) => {
    if (request.method === "GET" || request.method === "HEAD" || request.method === "OPTIONS") {
      done();
      return;
    }
    app.csrfProtection(request, reply, done);
  });
}
