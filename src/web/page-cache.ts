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
 * and each response gets its own. A page shows who is signed in and only the links their roles
 * open, so it is kept per acting person: the key includes the signed-in person's id (or the
 * configured demo user), and a change to anyone's roles is an audited write, which bumps the
 * version like any other.
 *
 * Bounded: a page is kept under its route, its path parameters and the query parameters pages
 * read (KNOWN_QUERY_PARAMETERS), so made-up addresses cannot fill memory. A request carrying any
 * other query parameter is served afresh and not kept, so a page that reads a parameter not
 * listed here is never served for the wrong one. Kept pages are counted in bytes and the least
 * recently used go first once BASEPLAN_PAGE_CACHE_BYTES would be passed.
 */

const NONCE_PLACEHOLDER = "\u0000bp-nonce\u0000";
const CSRF_PLACEHOLDER = "\u0000bp-csrf\u0000";

/** The query parameters pages read; add a new one here for its pages to be kept. */
export const KNOWN_QUERY_PARAMETERS: ReadonlySet<string> = new Set([
  "band",
  "department",
  "done",
  "group",
  "order",
  "period",
  "plan",
  "q",
  "quarter",
  "rating",
  "sort",
  "status",
  "year",
]);
const NOT_PAGES = /^\/(static|govuk|moj|assets|health|status|api)(\/|$)/;

/** A GET for a page, not a file or a machine endpoint: only these need data for templates. */
export function isPageRequest(request: FastifyRequest): boolean {
  return request.method === "GET" && !NOT_PAGES.test(request.url);
}

interface KeptPage {
  version: number;
  body: string;
  contentType: string;
  bytes: number;
}

/**
 * The key a page is kept under: its route, path parameters and known query parameters in a
 * fixed order; null when the request carries a query parameter no page reads.
 */
export function pageKey(request: FastifyRequest): string | null {
  const route = request.routeOptions.url;
  if (route === undefined) return null;
  const search = new URLSearchParams(request.url.split("?").slice(1).join("?"));
  const query: [string, string][] = [];
  for (const [name, value] of search) {
    if (!KNOWN_QUERY_PARAMETERS.has(name)) return null;
    query.push([name, value]);
  }
  query.sort(([a, x], [b, y]) => (a === b ? (x < y ? -1 : x > y ? 1 : 0) : a < b ? -1 : 1));
  const params = Object.entries((request.params ?? {}) as Record<string, string>).sort(([a], [b]) =>
    a < b ? -1 : 1,
  );
  return JSON.stringify([route, params, query, actingKey(request)]);
}

/** Whose page it is: the signed-in person, the configured demo user, or nobody. */
function actingKey(request: FastifyRequest): string {
  const acting = request.acting as FastifyRequest["acting"] | undefined;
  if (acting?.kind === "session") return `person:${acting.person.id}`;
  return acting?.kind ?? "nobody";
}

/** Pages kept in memory up to a number of bytes, the least recently used dropped first. */
export class KeptPages {
  readonly #pages = new Map<string, KeptPage>();
  #bytes = 0;

  constructor(readonly maxBytes: number) {}

  get bytes(): number {
    return this.#bytes;
  }

  get size(): number {
    return this.#pages.size;
  }

  get(key: string): KeptPage | undefined {
    const page = this.#pages.get(key);
    if (page) {
      this.#pages.delete(key);
      this.#pages.set(key, page);
    }
    return page;
  }

  set(key: string, page: Omit<KeptPage, "bytes">): void {
    this.delete(key);
    const bytes = Buffer.byteLength(page.body) + key.length;
    if (bytes > this.maxBytes) return;
    while (this.#bytes + bytes > this.maxBytes) {
      const oldest = this.#pages.keys().next().value as string;
      this.delete(oldest);
    }
    this.#pages.set(key, { ...page, bytes });
    this.#bytes += bytes;
  }

  delete(key: string): void {
    const page = this.#pages.get(key);
    if (!page) return;
    this.#pages.delete(key);
    this.#bytes -= page.bytes;
  }
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

declare module "fastify" {
  interface FastifyRequest {
    pageKey?: string;
  }
}

export function setUpPageCache(app: FastifyInstance, db: Database, maxBytes: number): KeptPages {
  const pages = new KeptPages(maxBytes);

  app.addHook("preHandler", async (request, reply) => {
    if (!isPageRequest(request) || hasBanner(reply)) return;
    const key = pageKey(request);
    if (key === null) return;
    const version = await currentDataVersion(db);
    request.dataVersion = version;
    request.pageKey = key;
    const kept = pages.get(key);
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
      request.pageKey === undefined ||
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
    pages.set(request.pageKey, { version: request.dataVersion, body, contentType });
    return payload;
  });
  return pages;
}
