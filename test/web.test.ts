import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { FastifyInstance } from "fastify";
import { loadConfig } from "../src/config.ts";
import { Conflict, NotFound } from "../src/errors.ts";
import { createServices } from "../src/services.ts";
import { createApp } from "../src/web/app.ts";
import { buildSetUpCouncil } from "./helpers/builders.ts";
import { freshDatabase, type TestDatabase } from "./helpers/database.ts";
import { formSession } from "./helpers/forms.ts";

describe("the web foundation", () => {
  let database: TestDatabase;
  let app: FastifyInstance;

  before(async () => {
    database = await freshDatabase("pglite");
    await buildSetUpCouncil(database.db);
    app = await createApp(
      createServices(
        database.db,
        loadConfig({ NODE_ENV: "test", BASEPLAN_ACTING_USER: "made.up.officer@example.test" }),
      ),
    );
    app.get("/test/actor", async (request) => ({ actor: request.actor }));
    app.get("/test/boom", async () => {
      throw new Error("secret internal detail at /srv/app.ts:12");
    });
    app.get("/test/missing", async () => {
      throw new NotFound("Measure 999");
    });
    app.get("/test/conflict", async () => {
      throw new Conflict(
        "Measure 'Number of missing episodes'",
        [{ label: "Title", saved: "A", submitted: "B" }],
        "/measures/1",
      );
    });
    app.get("/test/form", async (_request, reply) =>
      reply
        .type("text/html")
        .send(
          `<form method="post"><input type="hidden" name="_csrf" value="${reply.generateCsrf()}"></form>`,
        ),
    );
    app.post("/test/form", async () => ({ saved: true }));
  });
  after(async () => {
    await app.close();
    await database.close();
  });

  test("/health reports the database", async () => {
    const response = await app.inject("/health");
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), { status: "ok", database: "ok" });
  });

  test("the footer is the council's tool's, not GOV.UK's: no crown, Crown copyright or OGL", async () => {
    const page = (await app.inject("/")).body;
    const footer = /<footer[\s\S]*<\/footer>/.exec(page)?.[0] ?? "";
    assert.ok(footer, "the page has a footer");
    assert.doesNotMatch(
      footer,
      /Crown copyright|Open Government Licence|govuk-footer__crown|copyright-logo|<svg/i,
    );
    assert.doesNotMatch(page, /rel="(icon|apple-touch-icon|mask-icon)"/, "no GOV.UK crown icons");
    assert.match(footer, /href="\/status"[^>]*>Service status</);
    const status = await app.inject("/status");
    assert.equal(status.statusCode, 200);
    assert.match(String(status.headers["content-type"]), /^text\/html/);
    assert.match(status.body, /<h1[^>]*>Service status<\/h1>[\s\S]*its database answered/);
  });

  test("pages carry security headers and a fresh script nonce", async () => {
    const first = await app.inject("/");
    const second = await app.inject("/");
    const policy = String(first.headers["content-security-policy"]);
    const nonce = /'nonce-([^']+)'/.exec(policy)?.[1];
    assert.ok(nonce, "the policy allows scripts by nonce");
    assert.match(first.body, new RegExp(`<script nonce="${nonce?.replace(/[+/=]/g, "\\$&")}">`));
    assert.notEqual(policy, String(second.headers["content-security-policy"]));
    assert.equal(first.headers["x-content-type-options"], "nosniff");
    assert.match(policy, /frame-ancestors 'none'/);
  });

  test("an unexpected error is a GOV.UK 500 page with no stack trace or detail", async () => {
    const response = await app.inject("/test/boom");
    assert.equal(response.statusCode, 500);
    assert.match(response.body, /Sorry, there is a problem with the service/);
    assert.doesNotMatch(response.body, /secret internal detail|app\.ts|at \//);
  });

  test("a service's NotFound is a 404 page naming what was missing", async () => {
    const response = await app.inject("/test/missing");
    assert.equal(response.statusCode, 404);
    assert.match(response.body, /Measure 999 could not be found/);
  });

  test("a conflict is a 409 page showing the saved version beside the submitted one", async () => {
    const response = await app.inject("/test/conflict");
    assert.equal(response.statusCode, 409);
    assert.match(response.body, /Saved version/);
    assert.match(
      response.body,
      /<td class="govuk-table__cell">A<\/td>\s*<td class="govuk-table__cell">B<\/td>/,
    );
  });

  test("a form post without its CSRF token is refused with 403", async () => {
    const response = await app.inject({
      method: "POST",
      url: "/test/form",
      payload: "a=1",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    assert.equal(response.statusCode, 403);
    assert.match(response.body, /security token/);
  });

  test("a form post with its CSRF token goes through", async () => {
    const { token, cookie } = await formSession(app, "/test/form");
    const response = await app.inject({
      method: "POST",
      url: "/test/form",
      payload: `_csrf=${encodeURIComponent(token ?? "")}`,
      headers: { "content-type": "application/x-www-form-urlencoded", cookie },
    });
    assert.equal(response.statusCode, 200);
  });

  test("an oversized body is refused with 413 and a plain message", async () => {
    const response = await app.inject({
      method: "POST",
      url: "/test/form",
      payload: `a=${"x".repeat(3 * 1024 * 1024)}`,
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    assert.equal(response.statusCode, 413);
    assert.match(response.body, /too large/);
  });

  test("every request acts for the person set once by the acting-person hook", async () => {
    const response = await app.inject("/test/actor");
    assert.deepEqual(response.json(), { actor: "made.up.officer@example.test" });
  });

  test("an id too large for the database, or not a number, is a 404 page on every module", async () => {
    for (const url of [
      "/measures/2147483648",
      "/measures/1/values/2147483648/edit",
      "/plan/deliverables/2147483648",
      "/plan/deliverables/1.5/leads",
      "/plan/base-plan/activities/2147483648/edit",
      "/risks/-1/edit",
      "/budget/lines/2147483648",
      "/budget/lines/abc",
    ]) {
      const response = await app.inject(url);
      assert.equal(response.statusCode, 404, url);
      assert.doesNotMatch(response.body, /out of range|stack|Error:/i, url);
    }
  });

  test("an unknown page is a GOV.UK 404 page", async () => {
    const response = await app.inject("/nowhere");
    assert.equal(response.statusCode, 404);
    assert.match(response.body, /Page not found/);
  });
});
