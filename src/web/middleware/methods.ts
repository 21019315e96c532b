import type { FastifyInstance, HTTPMethods } from "fastify";

const METHODS: HTTPMethods[] = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"];

/**
 * An address that exists but not for this method (a POST to a page that only shows, a GET to
 * an address that only saves) is answered 405 with `Allow` naming the methods it takes, before
 * the CSRF check could call it a form that could not be sent. Addresses that do not exist stay 404.
 */
export function setUpMethodNotAllowed(app: FastifyInstance): void {
  app.addHook("onRequest", async (request, reply) => {
    if (request.routeOptions.url !== undefined) return;
    const path = request.url.split("?")[0] ?? "/";
    const allowed = METHODS.filter((method) => app.findRoute({ method, url: path }) !== null);
    if (allowed.length === 0 || allowed.includes(request.method as HTTPMethods)) return;
    reply.header("allow", allowed.join(", "));
    const error = new Error(`This address does not take ${request.method} requests`) as Error & {
      statusCode: number;
      code: string;
    };
    error.statusCode = 405;
    error.code = "BASEPLAN_METHOD_NOT_ALLOWED";
    throw error;
  });
}
