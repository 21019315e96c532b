import assert from "node:assert/strict";
import { test } from "node:test";
import { sql } from "drizzle-orm";
import { loadConfig } from "../src/config.ts";
import { queryRows } from "../src/db/client.ts";
import { recordAuditEvent } from "../src/modules/audit/audit.service.ts";
import { createServices } from "../src/services.ts";
import { createApp } from "../src/web/app.ts";
import { KeptPages } from "../src/web/page-cache.ts";
import { buildSetUpCouncil } from "./helpers/builders.ts";
import { describeOnBothDatabases } from "./helpers/database.ts";

test("kept pages stay within their bytes, the least recently used going first", () => {
  const pages = new KeptPages(1000);
  const page = (n: number) => ({ version: 1, body: `${n}`.padEnd(300, "x"), contentType: "text/html" });
  pages.set("a", page(1));
  pages.set("b", page(2));
  pages.set("c", page(3));
  assert.equal(pages.size, 3);
  pages.get("a");
  pages.set("d", page(4));
  assert.equal(pages.get("b"), undefined, "the least recently used went first");
  assert.ok(pages.get("a") && pages.get("c") && pages.get("d"));
  assert.ok(pages.bytes <= 1000);
  for (let n = 0; n < 500; n += 1) pages.set(`variant-${n}`, page(n));
  assert.ok(pages.bytes <= 1000 && pages.size === 3, `${pages.bytes} bytes in ${pages.size} pages`);
  pages.set("too-big", { version: 1, body: "x".repeat(2000), contentType: "text/html" });
  assert.equal(pages.get("too-big"), undefined);
  pages.set("variant-499", page(5));
  assert.ok(pages.bytes <= 1000 && pages.size === 3);
});

describeOnBothDatabases("kept pages", (fresh) => {
  async function appWithCache() {
    const database = await fresh();
    // A council set up (two audit events: the council and its department), so pages answer.
    await buildSetUpCouncil(database.db);
    const app = await createApp(
      createServices(database.db, loadConfig({ NODE_ENV: "test", BASEPLAN_PAGE_CACHE: "true" })),
    );
    // A page that shows live data, a nonce and a form token, as real pages do.
    app.get("/test/events", async (_request, reply) => {
      const [row] = await queryRows<{ n: string }>(database.db, sql`select count(*) as n from audit_events`);
      return reply
        .type("text/html; charset=utf-8")
        .send(
          `<script nonce="${reply.scriptNonce}"></script><p>events ${row?.n}</p><input name="_csrf" value="${String(reply.locals.csrfToken)}">`,
        );
    });
    app.post("/test/events", async () => ({ ok: true }));
    return { app, db: database.db };
  }

  test("a page is kept until any data changes, then rendered afresh", async () => {
    const { app, db } = await appWithCache();
    const first = await app.inject("/test/events");
    const second = await app.inject("/test/events");
    assert.equal(first.headers["x-baseplan-cache"], undefined);
    assert.equal(second.headers["x-baseplan-cache"], "hit");
    assert.match(second.body, /events 2/);
    await db.transaction(async (tx) =>
      recordAuditEvent(tx, {
        actor: "t",
        action: "update",
        entityType: "x",
        entityId: 1,
        summary: "changed",
      }),
    );
    const third = await app.inject("/test/events");
    assert.equal(third.headers["x-baseplan-cache"], undefined);
    assert.match(third.body, /events 3/);
    await app.close();
  });

  test("each kept response has its own nonce and a CSRF token that works", async () => {
    const { app } = await appWithCache();
    await app.inject("/test/events");
    const kept = await app.inject("/test/events");
    assert.equal(kept.headers["x-baseplan-cache"], "hit");
    const nonce = /nonce="([^"]+)"/.exec(kept.body)?.[1];
    assert.ok(nonce && String(kept.headers["content-security-policy"]).includes(`'nonce-${nonce}'`));
    const token = /name="_csrf" value="([^"]+)"/.exec(kept.body)?.[1];
    assert.ok(token && !token.includes("bp-csrf"));
    const cookie = kept.cookies.map((c) => `${c.name}=${c.value}`).join("; ");
    const post = await app.inject({
      method: "POST",
      url: "/test/events",
      payload: `_csrf=${encodeURIComponent(token)}`,
      headers: { "content-type": "application/x-www-form-urlencoded", cookie },
    });
    assert.equal(post.statusCode, 200);
    await app.close();
  });

  test("pages are kept by route and known parameters; unknown parameters are served afresh and not kept", async () => {
    const { app } = await appWithCache();
    await app.inject("/test/events?year=2022&quarter=3");
    const reordered = await app.inject("/test/events?quarter=3&year=2022");
    assert.equal(reordered.headers["x-baseplan-cache"], "hit");
    assert.equal((await app.inject("/test/events?year=2023")).headers["x-baseplan-cache"], undefined);
    for (const url of ["/test/events?utm_source=mail", "/test/events?year=2022&quarter=3&x=1"]) {
      const first = await app.inject(url);
      const second = await app.inject(url);
      assert.equal(first.statusCode, 200);
      assert.equal(second.headers["x-baseplan-cache"], undefined, url);
    }
    await app.close();
  });

  test("error pages are never kept", async () => {
    const { app } = await appWithCache();
    await app.inject("/no-such-page");
    const again = await app.inject("/no-such-page");
    assert.equal(again.statusCode, 404);
    assert.equal(again.headers["x-baseplan-cache"], undefined);
    await app.close();
  });
});
