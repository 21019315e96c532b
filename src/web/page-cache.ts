import { sql } from "drizzle-orm";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { type Database, queryRows } from "../db/client.ts";
import { hasBanner } from "./banner.ts";

/**
 * Rendered pages are kept in memory and served again until any data changes. Every write
 * records an audit event, and a trigger bumps `data_version` with it (migration 0009), so one
 * tiny query tells whether a kept page is still true; it works across several processes on one
 * PostgreSQL server because the version lives in the database, not in a process.
 *
 * The script nonce and the CSRF token are per response: a kept page holds placeholders for them
 * and each response gets its own. Nothing user-specific is rendered into pages (there is one
 * acting user until sign-in exists); when sign-in arrives the key must include the user.
 */

const NONCE_PLACEHOLDER = "\u0000bp-nonce\u0000";
const CSRF_PLACEHOLDER = "\u0000bp-csrf\u0000";
const MAX_PAGES = 500;
const NOT_PAGES = /^\/(static|govuk|moj|assets|health|status)(\/|$)/;

/** A GET for a page, not a file or a machine endpoint: only these need data for templates. */
export function isPageRequest(request: FastifyRequest): boolean {
  return request.method === "GET" && !NOT_PAGES.test(request.url);
}

interface KeptPage {
  version: number;
  body: string;
  contentType: string;
}

declare module "fastify" {
  interface FastifyRequest {
    dataVersion?: number;
  }
}

export async function currentDataVersion(db: Database): Promise<number> {
  const [row] = await queryRows<{ version: string | number }>(
    db,
    sql`select version from data_version where id = 1`,
  );
  return Number(row?.version ?? 0);
}

export function setUpPageCache(app: FastifyInstance, db: Database): void {
  const pages = new Map<string, KeptPage>();

  app.addHook("preHandler", async (request, reply) => {
    if (!isPageRequest(request) || hasBanner(reply)) return;
    const version = await currentDataVersion(db);
    request.dataVersion = version;
    const kept = pages.get(request.url);
    if (!kept || kept.version !== version) return;
    const token = String(reply.locals?.csrfToken ?? "");
    return reply
      .type(kept.contentType)
      .header("x-baseplan-cache", "hit")
      .send(kept.body.replaceAll(NONCE_PLACEHOLDER, reply.scriptNonce).replaceAll(CSRF_PLACEHOLDER, token));
  });

  app.addHook("onSend", async (request, reply, payload) => {
    const contentType = String(reply.getHeader("content-type") ?? "");
    if (
      request.method !== "GET" ||
      request.dataVersion === undefined ||
      reply.statusCode !== 200 ||
      typeof payload !== "string" ||
      !contentType.startsWith("text/html") ||
      reply.getHeader("x-baseplan-cache") === "hit"
    ) {
      return payload;
    }
    const token = String(reply.locals?.csrfToken ?? "");
    let body = payload.replaceAll(reply.scriptNonce, NONCE_PLACEHOLDER);
    if (token) body = body.replaceAll(token, CSRF_PLACEHOLDER);
    if (pages.size >= MAX_PAGES) pages.delete(pages.keys().next().value as string);
    pages.set(request.url, { version: request.dataVersion, body, contentType });
    return payload;
  });
}
