import assert from "node:assert/strict";
import { test } from "node:test";
import { sql } from "drizzle-orm";
import { loadConfig } from "../src/config.ts";
import { type Database, queryRows } from "../src/db/client.ts";
import { meets, ROLES, type Role, requirementFor } from "../src/domain/roles.ts";
import { issueApiToken } from "../src/modules/people/api-tokens.service.ts";
import { createServices } from "../src/services.ts";
import { createApp } from "../src/web/app.ts";
import { buildCouncil } from "./helpers/builders.ts";
import { describeOnBothDatabases, TEST_ACTOR } from "./helpers/database.ts";
import { buildPerson, sessionCookieFor } from "./helpers/people.ts";

/**
 * Every route, listed from the app's own route table as routes are added (so a new route cannot
 * be missed), called as each role and as nobody, in production mode (no configured demo user).
 * What each call should get is computed from the one rule (src/domain/roles.ts; its own table
 * test is src/domain/roles.test.ts): any unexpected allow or refusal fails the test.
 */

const PRODUCTION = {
  NODE_ENV: "production",
  BASEPLAN_COOKIE_SECRET: "a-cookie-secret-for-the-role-by-route-test",
  BASEPLAN_SESSION_SECRET: "a-session-secret-for-the-role-by-route-test",
};

async function auditCount(db: Database): Promise<number> {
  const [row] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from audit_events`);
  return row?.n ?? 0;
}

type Outcome = "allowed" | "refused: sign in" | "refused: role";

/** A concrete address for a route pattern: each parameter "1", a wildcard "x". */
function concrete(url: string): string {
  return url.replace(/:[A-Za-z]+/g, "1").replace(/\*/g, "x");
}

function outcomeOf(
  method: string,
  response: {
    statusCode: number;
    headers: Record<string, unknown>;
    body: string;
  },
): Outcome {
  if (response.statusCode === 401) return "refused: sign in";
  const location = String(response.headers.location ?? "");
  if (response.statusCode === 303 && location.startsWith("/sign-in")) return "refused: sign in";
  // A HEAD answer has no body to tell the role page from another 403: its GET's page is checked.
  if (
    response.statusCode === 403 &&
    (method === "HEAD" || /You do not have permission to do this/.test(response.body))
  ) {
    return "refused: role";
  }
  return "allowed";
}

describeOnBothDatabases("every route as every role and as nobody", (fresh) => {
  test("each route allows and refuses exactly as the rule says; a refusal changes nothing", async () => {
    const { db } = await fresh();
    const { councilId } = await buildCouncil(db);
    const config = loadConfig(PRODUCTION);
    const routes: { method: string; url: string }[] = [];
    const app = await createApp(createServices(db, config), { onRoute: (route) => routes.push(route) });
    await app.ready();

    // Pages by a session cookie; the JSON API (/api) by an API token for the same person.
    const cookies = new Map<Role | "nobody", string>([["nobody", ""]]);
    const tokens = new Map<Role | "nobody", string>([["nobody", ""]]);
    for (const role of ROLES) {
      const person = await buildPerson(db, { councilId, roles: [role] });
      cookies.set(role, await sessionCookieFor(db, config, person.id));
      const issued = await issueApiToken(db, TEST_ACTOR, { personId: person.id, name: "Role test", days: 1 });
      tokens.set(role, issued.token);
    }
    const auditBefore = await auditCount(db);

    const called = routes.filter((route) => route.method !== "OPTIONS");
    assert.ok(called.length > 80, `the route table lists ${called.length} routes`);
    for (const known of ["GET /people/:id", "POST /sign-in", "POST /budget/settings", "GET /measures"]) {
      assert.ok(
        called.some((route) => `${route.method} ${route.url}` === known),
        `${known} is in the route table`,
      );
    }

    const unexpected: string[] = [];
    let refusals = 0;
    for (const route of called) {
      const url = concrete(route.url);
      const requirement = requirementFor(route.method, url);
      for (const [who, cookie] of cookies) {
        const expected: Outcome =
          requirement === "public"
            ? "allowed"
            : who === "nobody"
              ? "refused: sign in"
              : meets(requirement, [who])
                ? "allowed"
                : "refused: role";
        const api = url.startsWith("/api/");
        const token = tokens.get(who) ?? "";
        const headers = api ? (token ? { authorization: `Bearer ${token}` } : {}) : cookie ? { cookie } : {};
        const response = await app.inject({
          method: route.method as "GET",
          url,
          headers,
          ...(route.method === "POST" ? { payload: {} } : {}),
        });
        const actual = outcomeOf(route.method, response);
        if (actual !== "allowed") refusals += 1;
        if (actual !== expected) {
          unexpected.push(
            `${route.method} ${route.url} as ${who}: expected ${expected}, got ${actual} (${response.statusCode})`,
          );
        }
        if (actual === "refused: role" && route.method !== "HEAD" && api) {
          assert.ok(JSON.parse(response.body).rolesNeeded.length > 0, `${route.url} names the roles needed`);
        } else if (actual === "refused: role" && route.method !== "HEAD") {
          assert.match(response.body, /data-testid="roles-needed">To do this you need the role [A-Z]/);
        }
      }
    }
    assert.deepEqual(unexpected, []);
    assert.ok(refusals > called.length, "refusals were made and counted");
    // Nothing was written: no form carried a token, and the refusals came before any route.
    assert.equal(await auditCount(db), auditBefore);
    await app.close();
  });
});
