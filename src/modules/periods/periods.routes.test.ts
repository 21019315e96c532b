import assert from "node:assert/strict";
import { test } from "node:test";
import type { FastifyInstance } from "fastify";
import { testApp } from "../../../test/helpers/app.ts";
import { describeOnBothDatabases } from "../../../test/helpers/database.ts";
import { formSession } from "../../../test/helpers/forms.ts";
import type { Database } from "../../db/client.ts";
import { councils, departments, financialYears, monitoringLines } from "../../db/schema/index.ts";
import { listAuditEvents } from "../audit/audit.service.ts";
import { listPeriods, monitoringSetting } from "./periods.service.ts";

async function aDepartmentWithOneLine(db: Database) {
  const [council] = await db.insert(councils).values({ name: "Anytown Borough Council" }).returning();
  if (!council) throw new Error("no council");
  await db.insert(departments).values({ councilId: council.id, name: "Place" });
  const [year] = await db.insert(financialYears).values({ code: "2040-41", label: "2040/41" }).returning();
  if (!year) throw new Error("no year");
  await db
    .insert(monitoringLines)
    .values({ financialYearId: year.id, portfolio: "Place", name: "Libraries", position: 1 });
}

async function post(
  app: FastifyInstance,
  page: string,
  url: string,
  fields: Record<string, string | string[]>,
) {
  const { token, cookie } = await formSession(app, page);
  const payload = new URLSearchParams({ _csrf: token ?? "" });
  for (const [name, value] of Object.entries(fields)) {
    for (const one of Array.isArray(value) ? value : [value]) payload.append(name, one);
  }
  return app.inject({
    method: "POST",
    url,
    payload: payload.toString(),
    headers: { "content-type": "application/x-www-form-urlencoded", cookie },
  });
}

/** Sets the department to monthly monitoring through its settings page. */
async function monthlyMonitoring(app: FastifyInstance) {
  const page = await app.inject("/periods/settings");
  const version = /name="version" value="(\d+)"/.exec(page.body)?.[1] ?? "";
  const saved = await post(app, "/periods/settings", "/periods/settings", { version, frequency: "monthly" });
  assert.equal(saved.statusCode, 303);
}

describeOnBothDatabases("monitoring period pages", (fresh) => {
  test("a year and a period are opened, the period page lists what is missing, closing needs confirming", async () => {
    const { db } = await fresh();
    await aDepartmentWithOneLine(db);
    const app = await testApp(db);

    await monthlyMonitoring(app);
    const bad = await post(app, "/periods", "/periods/years", { year: "2041/43" });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /&quot;2041\/43&quot; is not a financial year: enter it like 2021\/22/);
    assert.deepEqual(await listPeriods(db), []);

    const opened = await post(app, "/periods", "/periods/years", {
      year: "2041/42",
      carry: ["lines"],
    });
    assert.equal(opened.statusCode, 303);
    assert.match((await app.inject("/periods?done=year-opened")).body, /The year was opened for monitoring/);
    const twice = await post(app, "/periods", "/periods/years", { year: "2041-42" });
    assert.equal(twice.statusCode, 400);
    assert.match(twice.body, /2041\/42 is already open for monitoring/);

    const month = await post(app, "/periods", "/periods/2041-42/m1/open", {});
    assert.equal(month.headers.location, "/periods/2041-42/m1?done=opened");
    const page = await app.inject("/periods/2041-42/m1");
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Month 1 2041\/42/);
    assert.match(page.body, /Budget lines and their forecasts<\/a><\/th>\s*<td[^>]*>0 of 1/);
    assert.match(page.body, /href="\/budget\/lines\/\d+\/forecasts\/m1\/new">Libraries/);

    const version = /name="version" value="(\d+)"/.exec(page.body)?.[1] ?? "";
    const unconfirmed = await post(app, "/periods/2041-42/m1", "/periods/2041-42/m1/close", { version });
    assert.equal(unconfirmed.statusCode, 400);
    assert.match(unconfirmed.body, /Confirm that you want to close Month 1 2041\/42 with \d+ items missing/);
    assert.equal((await listPeriods(db))[0]?.status, "open");

    const noVersion = await post(app, "/periods/2041-42/m1", "/periods/2041-42/m1/close", { confirm: "yes" });
    assert.equal(noVersion.statusCode, 400);

    const closed = await post(app, "/periods/2041-42/m1", "/periods/2041-42/m1/close", {
      version,
      confirm: "yes",
    });
    assert.equal(closed.statusCode, 303);
    assert.match(
      (await app.inject("/periods/2041-42/m1?done=closed")).body,
      /Status: <strong>Closed for entry/,
    );

    assert.equal((await app.inject("/periods/2041-42/q5")).statusCode, 404);
    assert.equal((await app.inject("/periods/2041-43/m1")).statusCode, 404);
    await app.close();
  });

  test("the monitoring setting: saved, audited, refused when blank or stale, and used by the next year opened", async () => {
    const { db } = await fresh();
    await aDepartmentWithOneLine(db);
    const app = await testApp(db);

    const page = await app.inject("/periods/settings");
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Place is monitored <strong>quarterly<\/strong>/);
    assert.match(page.body, /name="frequency" type="radio" value="quarterly" checked/);
    const version = /name="version" value="(\d+)"/.exec(page.body)?.[1] ?? "";

    const blank = await post(app, "/periods/settings", "/periods/settings", { version });
    assert.equal(blank.statusCode, 400);
    assert.match(
      blank.body,
      /href="#frequency">Select whether the department is monitored quarterly or monthly</,
    );
    assert.equal((await monitoringSetting(db))?.frequency, "quarterly");

    const saved = await post(app, "/periods/settings", "/periods/settings", {
      version,
      frequency: "monthly",
    });
    assert.equal(saved.statusCode, 303);
    assert.equal(saved.headers.location, "/periods/settings");
    const banner = saved.cookies.find((cookie) => cookie.name === "baseplan-saved");
    assert.ok(banner, "the save leaves its sentence for the next page");
    const after = await app.inject({ url: "/periods/settings", cookies: { [banner.name]: banner.value } });
    assert.match(after.body, /govuk-notification-banner--success[\s\S]*The monitoring setting was saved\./);
    assert.equal((await monitoringSetting(db))?.frequency, "monthly");
    const [event] = await listAuditEvents(db, "department", (await monitoringSetting(db))?.id ?? 0);
    assert.equal(event?.summary, "Place is monitored monthly from the next year opened");
    assert.equal(event?.action, "update");
    assert.deepEqual(
      [event?.before, event?.after].map(
        (side) => (side as { monitoringFrequency?: string })?.monitoringFrequency,
      ),
      ["quarterly", "monthly"],
    );

    // A second form opened at the old version: the conflict page, and the saved setting stays.
    const stale = await post(app, "/periods/settings", "/periods/settings", {
      version,
      frequency: "quarterly",
    });
    assert.equal(stale.statusCode, 409);
    assert.match(stale.body, /Monthly/);
    assert.equal((await monitoringSetting(db))?.frequency, "monthly");

    // The index page says which the next year will be, and the year opens months.
    assert.match(
      (await app.inject("/periods")).body,
      /The year is monitored monthly, as the department’s setting says/,
    );
    await post(app, "/periods", "/periods/years", { year: "2042/43" });
    const index = await app.inject("/periods");
    assert.match(index.body, /Month 12 2042\/43/);
    assert.doesNotMatch(index.body, /Quarter 1 2042\/43/);
    await app.close();
  });
});
