import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import type { FastifyInstance } from "fastify";
import { testApp } from "../../../test/helpers/app.ts";
import { freshDatabase, type TestDatabase } from "../../../test/helpers/database.ts";
import { formSession } from "../../../test/helpers/forms.ts";
import { DEMO_DIRECTORY } from "../../demo/load-demo.ts";
import { listAuditEvents } from "../audit/audit.service.ts";
import { councilSummary } from "./setup.service.ts";

function text(html: string): string {
  return html
    .replace(/<[^>]+>/g, " ")
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");
}

/** Posts a form as a browser would, with the token of a page holding a form (`from`). */
async function post(app: FastifyInstance, path: string, fields: Record<string, string>, from = path) {
  const { token, cookie } = await formSession(app, from);
  return app.inject({
    method: "POST",
    url: path,
    payload: new URLSearchParams({ _csrf: token ?? "", ...fields }).toString(),
    headers: { "content-type": "application/x-www-form-urlencoded", cookie },
  });
}

/** A made-up council, its area typed as one not in the list. */
const MADE_UP = {
  councilName: "Borough of Anytown Council",
  area: "not-listed",
  areaName: "Anytown",
  gssCode: "",
  laNumber: "",
  departmentName: "Place",
  departmentShortName: "PL",
  frequency: "quarterly",
};

/**
 * Every GET address the app answers, read from the app itself, with each parameter filled in with
 * a value no record has: on a database with a council and nothing else.
 */
function getAddresses(app: FastifyInstance): string[] {
  const tree = app.printRoutes({ commonPrefix: false, method: "GET" });
  const stack: string[] = [];
  const addresses: string[] = [];
  for (const line of tree.split("\n")) {
    const match = /^((?:[│ ] {3}|[├└]── )*)(\S+) \(/.exec(line.replace(/[├└]── /g, "    "));
    if (!match) continue;
    const depth = (match[1] ?? "").length / 4;
    const label = match[2] ?? "";
    const parent = stack[depth - 1] ?? "";
    const path = depth === 0 ? label : parent === "/" ? `/${label}` : `${parent}${label}`;
    stack[depth] = path;
    stack.length = depth + 1;
    if (!path.includes("*")) addresses.push(path);
  }
  const fill: Record<string, string> = { year: "2030-31", quarter: "q1", period: "q1", file: "none.docx" };
  return addresses.map((path) => path.replace(/:(\w+)/g, (_whole, name: string) => fill[name] ?? "987654"));
}

describe("first start without the demo", () => {
  let database: TestDatabase;
  let app: FastifyInstance;

  before(async () => {
    database = await freshDatabase("pglite");
    app = await testApp(database.db, { BASEPLAN_LOAD_DEMO: "false" });
  });
  after(async () => {
    await app.close();
    await database.close();
  });

  test("every page leads to /setup while no council exists, except the checks and files", async () => {
    for (const path of ["/", "/measures", "/plan", "/budget", "/periods", "/departments", "/reports?x=1"]) {
      const response = await app.inject(path);
      assert.equal(response.statusCode, 303, path);
      assert.equal(response.headers.location, "/setup", path);
    }
    assert.equal((await app.inject({ method: "POST", url: "/departments" })).headers.location, "/setup");
    for (const path of ["/health", "/health/live", "/status", "/static/stylesheets/application.css"]) {
      assert.equal((await app.inject(path)).statusCode, 200, path);
    }
    assert.equal((await app.inject("/no-such-page")).statusCode, 404);
  });

  test("/setup asks for the council, its area from the list of English councils, and its first department", async () => {
    const response = await app.inject("/setup");
    assert.equal(response.statusCode, 200);
    assert.match(response.body, /<title>Set up Baseplan for your council – Baseplan<\/title>/);
    for (const field of [
      "councilName",
      "area",
      "areaName",
      "gssCode",
      "laNumber",
      "departmentName",
      "departmentShortName",
    ]) {
      assert.match(response.body, new RegExp(`name="${field}"`), field);
    }
    assert.match(response.body, /name="frequency" type="radio" value="quarterly" checked/);
    assert.match(
      response.body,
      /<option value="E06000001">Hartlepool \(unitary authority, DfE 805\)<\/option>/,
    );
    assert.match(response.body, /<option value="E07000223">Adur \(district council\)<\/option>/);
    assert.match(response.body, /<option value="not-listed">The area is not in the list<\/option>/);
    assert.equal((response.body.match(/<option /g) ?? []).length, 317 + 2);
  });

  test("a form with problems names each field, keeps what was typed and saves nothing", async () => {
    const response = await post(app, "/setup", { ...MADE_UP, councilName: "", gssCode: "E1", frequency: "" });
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /<title>Error: Set up Baseplan for your council – Baseplan<\/title>/);
    assert.match(response.body, /href="#councilName">Enter the council&#39;s name</);
    assert.match(response.body, /href="#gssCode">&quot;E1&quot; is not an ONS GSS code/);
    assert.match(
      response.body,
      /href="#frequency">Select whether the department is monitored quarterly or monthly</,
    );
    assert.match(response.body, /name="departmentName" type="text" spellcheck="false" value="Place"/);
    const listed = await post(app, "/setup", { ...MADE_UP, gssCode: "E06000001" });
    assert.equal(listed.statusCode, 400);
    assert.match(
      text(listed.body),
      /E06000001 is Hartlepool's GSS code: select Hartlepool from the list instead/,
    );
    const withoutToken = await app.inject({
      method: "POST",
      url: "/setup",
      payload: new URLSearchParams(MADE_UP).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    assert.equal(withoutToken.statusCode, 403);
    assert.equal(await councilSummary(database.db), null);
  });

  test("setting up lands on the dashboard, which says what to set up next, in order", async () => {
    const response = await post(app, "/setup", MADE_UP);
    assert.equal(response.statusCode, 303);
    assert.equal(response.headers.location, "/");
    const cookie = response.cookies.map((c) => `${c.name}=${c.value}`).join("; ");
    const home = await app.inject({ url: "/", headers: { cookie } });
    assert.equal(home.statusCode, 200);
    const body = text(home.body);
    assert.match(body, /Borough of Anytown Council is set up, with its first department, Place\./);
    assert.match(body, /Borough of Anytown Council Place dashboard/);
    const steps = [
      ...home.body.matchAll(/<a class="govuk-link govuk-task-list__link" href="([^"]+)"[^>]*>\s*([^<]+)</g),
    ].map((match) => [match[1], match[2]?.trim()]);
    assert.deepEqual(steps, [
      ["/periods", "1. Open a financial year for monitoring"],
      ["/plan", "2. Add the department&#39;s plan"],
      ["/measures/import", "3. Add the key performance measures"],
      ["/budget", "4. Set up the budget"],
    ]);
    const summary = await councilSummary(database.db);
    assert.equal(summary?.council.areaName, "Anytown");
    const [event] = await listAuditEvents(database.db, "council", summary?.council.id ?? 0);
    assert.equal(event?.actor, "performance.officer@demo-council.example");
  });

  test("once set up, /setup shows the council, and a second set-up is refused with a clear message", async () => {
    const page = await app.inject("/setup");
    assert.equal(page.statusCode, 200);
    assert.match(text(page.body), /Borough of Anytown Council is set up Baseplan serves one council/);
    assert.doesNotMatch(page.body, /name="councilName"/);
    // A set-up form left open in another tab, sent after the council was set up.
    const again = await post(
      app,
      "/setup",
      { ...MADE_UP, councilName: "Another Made-up Council" },
      "/departments",
    );
    assert.equal(again.statusCode, 409);
    assert.match(
      text(again.body),
      /Borough of Anytown Council is already set up here\. Baseplan serves one council: add a department to it/,
    );
    assert.deepEqual(
      (await councilSummary(database.db))?.departments.map((d) => d.name),
      ["Place"],
    );
  });

  test("/departments lists the council's departments and adds another, refusing a name in use", async () => {
    const page = await app.inject("/departments");
    assert.equal(page.statusCode, 200);
    assert.match(text(page.body), /Borough of Anytown Council Departments/);
    assert.match(text(page.body), /Place PL Quarterly/);
    const added = await post(app, "/departments", {
      departmentName: "Adult Care",
      departmentShortName: "AC",
      frequency: "monthly",
    });
    assert.equal(added.statusCode, 303);
    assert.equal(added.headers.location, "/departments");
    assert.match(text((await app.inject("/departments")).body), /Adult Care AC Monthly/);
    const clash = await post(app, "/departments", {
      departmentName: "place",
      departmentShortName: "X",
      frequency: "quarterly",
    });
    assert.equal(clash.statusCode, 400);
    assert.match(
      clash.body,
      /href="#departmentName">Borough of Anytown Council already has a department called Place/,
    );
    assert.equal((await councilSummary(database.db))?.departments.length, 2);
  });

  test("every page of a new council answers, without a server error and without a word of the demo council", async () => {
    const demo = (path: string) => JSON.parse(readFileSync(`${DEMO_DIRECTORY}${path}`, "utf8"));
    const demoWords: string[] = [
      demo("plan/council.json").name,
      demo("plan/department.json").name,
      "Derbyshire",
      ...demo("documents.json").documents.map((document: { title: string }) => document.title),
    ];
    assert.ok(demoWords.includes("Children's Services"));
    const addresses = getAddresses(app);
    assert.ok(addresses.length > 50, `${addresses.length} addresses`);
    for (const expected of ["/", "/setup", "/departments", "/measures/:id", "/budget/:year/:quarter/debt"]) {
      const filled = expected.replace(":id", "987654").replace(":year", "2030-31").replace(":quarter", "q1");
      assert.ok(addresses.includes(filled), `${filled} is among the addresses`);
    }
    const problems: string[] = [];
    for (const address of addresses) {
      const response = await app.inject(address);
      if (response.statusCode >= 500) problems.push(`${address} answered ${response.statusCode}`);
      const body = text(response.body);
      for (const word of demoWords) if (body.includes(word)) problems.push(`${address} shows "${word}"`);
      // Sign-in through an identity provider exists only where it is configured (it is not here).
      const expected = address.startsWith("/sign-in/oidc") ? 404 : 200;
      if (!/\d/.test(address) && response.statusCode !== expected && !address.includes("none.docx")) {
        problems.push(`${address} answered ${response.statusCode}`);
      }
    }
    assert.deepEqual(problems, []);
  });
});
