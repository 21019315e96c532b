import type { FastifyInstance } from "fastify";

/**
 * Opens a form page as a browser would and returns its CSRF token and cookie, so a test can
 * post the form the way a person submitting it would.
 */
export async function formSession(app: FastifyInstance, path: string) {
  const page = await app.inject({ method: "GET", url: path });
  const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
  const cookie = page.cookies.map((c) => `${c.name}=${c.value}`).join("; ");
  return { token, cookie, page };
}
