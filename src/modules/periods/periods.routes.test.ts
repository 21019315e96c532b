import assert from "node:assert/strict";
import { test } from "node:test";
import type { FastifyInstance } from "fastify";
import { testApp } from "../../../test/helpers/app.ts";
import { describeOnBothDatabases } from "../../../test/helpers/database.ts";
import { formSession } from "../../../test/helpers/forms.ts";
import type { Database } from "../../db/client.ts";
import { councils, departments, financialYears, monitoringLines } from "../../db/schema/index.ts";
import { listPeriods } from "./periods.service.ts";

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

describeOnBothDatabases("monitoring period pages", (fresh) => {
  test("a year and a period are opened, the period page lists what is missing, closing needs confirming", async () => {
    const { db } = await fresh();
    await aDepartmentWithOneLine(db);
    const app = await testApp(db);

    const bad = await post(app, "/periods", "/periods/years", { year: "2041/43", frequency: "monthly" });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /&quot;2041\/43&quot; is not a financial year: enter it like 2021\/22/);
    assert.deepEqual(await listPeriods(db), []);

    const opened = await post(app, "/periods", "/periods/years", {
      year: "2041/42",
      frequency: "monthly",
      carry: ["lines"],
    });
    assert.equal(opened.statusCode, 303);
    assert.match((await app.inject("/periods?done=year-opened")).body, /The year was opened for monitoring/);
    const twice = await post(app, "/periods", "/periods/years", { year: "2041-42", frequency: "monthly" });
    assert.equal(twice.statusCode, 400);
    assert.match(twice.body, /2041\/42 is already open for monitoring/);

    const month = await post(app, "/periods", "/periods/2041-42/m1/open", {});
    assert.equal(month.headers.location, "/periods/2041-42/m1?done=opened");
    const page = await app.inject("/periods/2041-42/m1");
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Month 1 2041\/42/);
    assert.match(page.body, /Budget lines and their forecasts<\/a><\/th>\s*<td[^>]*>0 of 1/);
    assert.match(page.body, /href="\/budget\/lines\/\d+\/forecasts\/1\/new">Libraries/);

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
});
