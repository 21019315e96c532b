import assert from "node:assert/strict";
import { test } from "node:test";
import { sql } from "drizzle-orm";
import { loadConfig } from "../src/config.ts";
import { queryRows } from "../src/db/client.ts";
import { recordAuditEvent } from "../src/modules/audit/audit.service.ts";
import { createServices } from "../src/services.ts";
import { createApp } from "../src/web/app.ts";
import { describeOnBothDatabases } from "./helpers/database.ts";

describeOnBothDatabases("kept pages", (fresh) => {
  async function appWithCache() {
    const database = await fresh();
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
    assert.match(second.body, /events 0/);
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
    assert.match(third.body, /events 1/);
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

  test("error pages are never kept", async () => {
    const { app } = await appWithCache();
    await app.inject("/no-such-page");
    const again = await app.inject("/no-such-page");
    assert.equal(again.statusCode, 404);
    assert.equal(again.headers["x-baseplan-cache"], undefined);
    await app.close();
  });
});
