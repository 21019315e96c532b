import { randomBytes } from "node:crypto";
import helmet from "@fastify/helmet";
import type { FastifyInstance } from "fastify";

/**
 * Security headers, with a content security policy that allows scripts only from this site or
 * with the nonce made for this response. Helmet sets the other headers; the policy is ours so
 * the nonce can be shared with the templates. Responses say `Cache-Control: no-store` unless
 * they set their own (the static files do), so no browser or proxy keeps a council's figures.
 */
export async function setUpWebSecurity(app: FastifyInstance): Promise<void> {
  await app.register(helmet, { contentSecurityPolicy: false, crossOriginEmbedderPolicy: false });
  app.decorateReply("scriptNonce", "");
  app.addHook("onRequest", async (_request, reply) => {
    const nonce = randomBytes(16).toString("base64");
    reply.scriptNonce = nonce;
    reply.header(
      "Content-Security-Policy",
      [
        "default-src 'self'",
        `script-src 'self' 'nonce-${nonce}'`,
        // Charts are inline SVG whose presentation uses style attributes.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
      ].join("; "),
    );
  });
  app.addHook("onSend", async (_request, reply, payload) => {
    if (!reply.hasHeader("cache-control")) reply.header("cache-control", "no-store");
    return payload;
  });
}

declare module "fastify" {
  interface FastifyReply {
    scriptNonce: string;
  }
}
