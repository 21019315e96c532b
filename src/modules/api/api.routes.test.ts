import assert from "node:assert/strict";
import { test } from "node:test";
import { Validator } from "@seriousme/openapi-schema-validator";
import type { FastifyInstance } from "fastify";
import { testApp } from "../../../test/helpers/app.ts";
import { buildCouncil, buildRecordedQuarter } from "../../../test/helpers/builders.ts";
import { describeOnBothDatabases, TEST_ACTOR } from "../../../test/helpers/database.ts";
import { buildPerson, sessionCookieFor } from "../../../test/helpers/people.ts";
import { loadConfig } from "../../config.ts";
import type { Database } from "../../db/client.ts";
import { createServices } from "../../services.ts";
import { createApp } from "../../web/app.ts";
import { issueApiToken, listApiTokens } from "../people/api-tokens.service.ts";
import { findPerson, removeRole, rolePlaces } from "../people/people.service.ts";

const PRODUCTION = {
  NODE_ENV: "production",
  BASEPLAN_COOKIE_SECRET: "a-cookie-secret-for-the-api-route-tests",
  BASEPLAN_SESSION_SECRET: "a-session-secret-for-the-api-route-tests",
};

function bearer(token: string) {
  return { authorization: `Bearer ${token}` };
}

async function tokenFor(db: Database, personId: number): Promise<string> {
  return (await issueApiToken(db, TEST_ACTOR, { personId, name: "Made-up reporting system", days: 30 }))
    .token;
}

/** A problem-details answer: the status, the JSON type, and no stack trace or file name. */
function assertProblem(
  response: { statusCode: number; headers: Record<string, unknown>; body: string },
  status: number,
) {
  assert.equal(response.statusCode, status, response.body);
  assert.match(String(response.headers["content-type"]), /^application\/problem\+json/);
  assert.doesNotMatch(response.body, /\.ts:\d|\bat [A-Za-z.]+ \(|node_modules/);
  const body = JSON.parse(response.body);
  assert.equal(body.status, status);
  assert.equal(typeof body.title, "string");
  assert.equal(typeof body.detail, "string");
  return body;
}

/** GETs a form page with the cookies given and posts it back with its CSRF token and cookies. */
async function post(
  app: FastifyInstance,
  page: string,
  url: string,
  fields: Record<string, string>,
  cookie: string,
) {
  const opened = await app.inject({ url: page, headers: { cookie } });
  const token = /name="_csrf" value="([^"]+)"/.exec(opened.body)?.[1] ?? "";
  const cookies = [cookie, ...opened.cookies.map((c) => `${c.name}=${c.value}`)].join("; ");
  return app.inject({
    method: "POST",
    url,
    payload: new URLSearchParams({ _csrf: token, ...fields }).toString(),
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookies },
  });
}

describeOnBothDatabases("the JSON API", (fresh) => {
  test("an administrator issues a token on the person's page, shown once; it reads the API; revoked, it does not", async () => {
    const { db } = await fresh();
    const { councilId } = await buildCouncil(db);
    const config = loadConfig(PRODUCTION);
    const admin = await buildPerson(db, { councilId, roles: ["administrator"], name: "Ada Admin" });
    const system = await buildPerson(db, { councilId, roles: ["viewer"], name: "Reporting system" });
    const cookie = await sessionCookieFor(db, config, admin.id);
    const app = await testApp(db, PRODUCTION);
    try {
      const page = `/people/${system.id}`;
      const refused = await post(
        app,
        page,
        `${page}/api-tokens`,
        { tokenName: "", tokenDays: "400" },
        cookie,
      );
      assert.equal(refused.statusCode, 400);
      assert.match(refused.body, /Enter what the token is for/);
      assert.match(refused.body, /Days until it expires must be a whole number from 1 to 366/);
      assert.deepEqual(await listApiTokens(db, system.id), []);

      const issued = await post(
        app,
        page,
        `${page}/api-tokens`,
        { tokenName: "Warehouse", tokenDays: "30" },
        cookie,
      );
      assert.equal(issued.statusCode, 200, issued.body);
      const token = /data-testid="api-token"><code>(bpt_[A-Za-z0-9_-]+)<\/code>/.exec(issued.body)?.[1];
      assert.ok(token, "the page shows the token once");
      const shown = await app.inject({ url: page, headers: { cookie } });
      assert.match(shown.body, /Warehouse/);
      assert.doesNotMatch(shown.body, new RegExp(token), "the person's page never shows it again");

      const read = await app.inject({ url: "/api/v1/periods", headers: bearer(token) });
      assert.equal(read.statusCode, 200, read.body);
      assert.match(String(read.headers["content-type"]), /^application\/json/);

      // The token is for the API only: a page with it (and no session) is nobody.
      const html = await app.inject({ url: "/plan", headers: bearer(token) });
      assert.equal(html.statusCode, 303);

      const [listed] = await listApiTokens(db, system.id);
      assert.ok(listed);
      const revoked = await post(app, page, `${page}/api-tokens/${listed.id}/revoke`, {}, cookie);
      assert.equal(revoked.statusCode, 303);
      assertProblem(await app.inject({ url: "/api/v1/periods", headers: bearer(token) }), 401);
    } finally {
      await app.close();
    }
  });

  test("no valid token is 401; a token only counts in the Authorization header; a person without a role is 403", async () => {
    const { db } = await fresh();
    const { councilId } = await buildCouncil(db);
    const config = loadConfig(PRODUCTION);
    const viewer = await buildPerson(db, { councilId, roles: ["viewer"] });
    const token = await tokenFor(db, viewer.id);
    const app = await testApp(db, PRODUCTION);
    const demo = await testApp(db);
    try {
      const missing = assertProblem(await app.inject({ url: "/api/v1/periods" }), 401);
      assert.match(missing.detail, /Authorization: Bearer/);
      assert.match(
        String((await app.inject({ url: "/api/v1/periods" })).headers["www-authenticate"]),
        /^Bearer/,
      );
      assertProblem(await app.inject({ url: "/api/v1/periods", headers: bearer("bpt_madeup") }), 401);
      assertProblem(
        await app.inject({ url: "/api/v1/periods", headers: { authorization: `Basic ${token}` } }),
        401,
      );
      assertProblem(await app.inject({ url: `/api/v1/periods?access_token=${token}` }), 401);
      assertProblem(await app.inject({ url: `/api/v1/periods?token=${token}` }), 401);
      assertProblem(
        await app.inject({
          url: "/api/v1/periods",
          headers: { cookie: `baseplan_session=${token}; token=${token}` },
        }),
        401,
      );
      // A signed-in session is for pages, not the API.
      const session = await sessionCookieFor(db, config, viewer.id);
      assertProblem(await app.inject({ url: "/api/v1/periods", headers: { cookie: session } }), 401);
      // Nor does the demo's configured user reach the API.
      assertProblem(await demo.inject({ url: "/api/v1/periods" }), 401);
      assert.equal((await demo.inject({ url: "/api/v1/periods", headers: bearer(token) })).statusCode, 200);

      // A token whose person holds no role: 403, naming the roles that may.
      const current = await findPerson(db, viewer.id);
      const membership = current?.memberships[0];
      assert.ok(current && membership);
      await removeRole(db, TEST_ACTOR, {
        personId: viewer.id,
        version: current.version,
        membershipId: membership.id,
      });
      const forbidden = assertProblem(
        await app.inject({ url: "/api/v1/periods", headers: bearer(token) }),
        403,
      );
      assert.ok(forbidden.rolesNeeded.includes("viewer"));
      assert.match(forbidden.detail, /Viewer/);

      // Writing is not offered: 405, still JSON, not a form's CSRF refusal.
      const write = await app.inject({ method: "POST", url: "/api/v1/periods", headers: bearer(token) });
      assertProblem(write, 405);
    } finally {
      await app.close();
      await demo.close();
    }
  });

  test("a quarter's periods, measures with values and ratings, deliverables with progress, and budget in pence", async () => {
    const { db } = await fresh();
    const recorded = await buildRecordedQuarter(db, { startYear: 2033, quarter: 2 });
    const councilId = (await rolePlaces(db)).councils[0]?.id;
    assert.ok(councilId);
    const token = await tokenFor(db, (await buildPerson(db, { councilId, roles: ["viewer"] })).id);
    const app = await testApp(db, PRODUCTION);
    try {
      const get = async (url: string) => {
        const response = await app.inject({ url, headers: bearer(token) });
        assert.equal(response.statusCode, 200, `${url}: ${response.body}`);
        return JSON.parse(response.body);
      };
      const { periods } = await get("/api/v1/periods");
      const period = periods.find((candidate: { key: string }) => candidate.key === "2033-34-q2");
      assert.ok(period, JSON.stringify(periods));
      assert.equal(period.kind, "quarter");
      assert.equal(period.number, 2);
      assert.equal(period.financialYear, "2033/34");
      assert.equal(period.status, "open");

      const measures = await get("/api/v1/periods/2033-34-q2/measures");
      const measure = measures.measures.find((m: { title: string }) => m.title === recorded.measure);
      assert.ok(measure, JSON.stringify(measures));
      assert.equal(measure.value.text, recorded.value);
      assert.equal(measure.value.amount, "87.5");
      assert.equal(typeof measure.rating.key, "string");
      assert.ok(measure.rating.label.length > 0, "the rating carries its key's words");

      const plan = await get("/api/v1/periods/2033-34-q2/plan");
      const deliverable = plan.groups
        .flatMap((group: { deliverables: unknown[] }) => group.deliverables)
        .find((d: { title: string }) => d.title === recorded.deliverable);
      assert.ok(deliverable, JSON.stringify(plan));
      assert.equal(deliverable.rating.key, "good");
      assert.ok(deliverable.rating.label.length > 0);
      assert.equal(deliverable.progress, recorded.narrative);

      const budget = await get("/api/v1/periods/2033-34-q2/budget");
      assert.equal(budget.reported, true);
      const line = budget.lines.find((l: { name: string }) => l.name === recorded.line);
      assert.ok(line, JSON.stringify(budget));
      assert.deepEqual(line.position.controllableBudget, { pence: 420_000_000, currency: "GBP" });
      assert.deepEqual(line.position.forecastOutturn, { pence: 476_500_000, currency: "GBP" });
      assert.deepEqual(line.position.variance, { pence: 56_500_000, currency: "GBP" });
      assert.deepEqual(budget.total.variance, { pence: 56_500_000, currency: "GBP" });
      assert.equal(typeof line.position.rating.label, "string");

      const none = await get("/api/v1/periods/2033-34-q4/budget");
      assert.deepEqual(none.lines, []);
      assert.equal(none.reported, false);
    } finally {
      await app.close();
    }
  });

  test("bad input is a problem naming the field and the value; nothing at an address is 404 in JSON", async () => {
    const { db } = await fresh();
    const { councilId } = await buildCouncil(db);
    const token = await tokenFor(db, (await buildPerson(db, { councilId, roles: ["viewer"] })).id);
    const app = await testApp(db, PRODUCTION);
    try {
      const nonsense = assertProblem(
        await app.inject({ url: "/api/v1/periods/next-quarter/measures", headers: bearer(token) }),
        400,
      );
      assert.deepEqual(
        nonsense.errors.map((fault: { field: string; value: unknown }) => [fault.field, fault.value]),
        [["period", "next-quarter"]],
      );
      const ninth = assertProblem(
        await app.inject({ url: "/api/v1/periods/2031-32-q9/measures", headers: bearer(token) }),
        400,
      );
      assert.equal(ninth.errors[0].field, "period");
      assert.match(ninth.errors[0].message, /2031-32-q9/);
      const month = assertProblem(
        await app.inject({ url: "/api/v1/periods/2031-32-m4/budget", headers: bearer(token) }),
        400,
      );
      assert.match(month.errors[0].message, /2031-32-q1.*2031-32-m4/);
      const noYear = assertProblem(
        await app.inject({ url: "/api/v1/periods/2099-00-q1/budget", headers: bearer(token) }),
        404,
      );
      assert.match(noYear.detail, /2099-00/);
      assertProblem(await app.inject({ url: "/api/v1/nothing-here", headers: bearer(token) }), 404);
    } finally {
      await app.close();
    }
  });

  test("the OpenAPI document needs no token, is valid OpenAPI 3, and lists every /api route", async () => {
    const { db } = await fresh();
    await buildCouncil(db);
    const routes: { method: string; url: string }[] = [];
    const app = await createApp(createServices(db, loadConfig(PRODUCTION)), {
      onRoute: (route) => routes.push(route),
    });
    try {
      const response = await app.inject({ url: "/api/v1/openapi.json" });
      assert.equal(response.statusCode, 200);
      const document = JSON.parse(response.body);
      assert.match(document.openapi, /^3\./);
      const validated = await new Validator().validate(structuredClone(document));
      assert.deepEqual(validated.errors ?? [], []);
      assert.equal(validated.valid, true);

      const apiRoutes = routes.filter((route) => route.url.startsWith("/api") && route.method !== "HEAD");
      assert.ok(apiRoutes.length >= 5);
      for (const route of apiRoutes) {
        const path = route.url.replace(/:([A-Za-z]+)/g, "{$1}");
        assert.ok(document.paths[path]?.[route.method.toLowerCase()], `${route.method} ${path} is described`);
      }
      const described = Object.keys(document.paths).length;
      assert.equal(described, new Set(apiRoutes.map((route) => route.url)).size, "and nothing else");
      assert.deepEqual(document.components.securitySchemes.apiToken, {
        type: "http",
        scheme: "bearer",
        description: document.components.securitySchemes.apiToken.description,
      });
      const docs = await app.inject({ url: "/api/docs" });
      assert.equal(docs.statusCode, 200);
      assert.deepEqual(JSON.parse(docs.body), document);
    } finally {
      await app.close();
    }
  });
});
