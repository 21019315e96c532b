import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { eq, sql } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { testApp } from "../../../test/helpers/app.ts";
import { freshDatabase, type TestDatabase } from "../../../test/helpers/database.ts";
import { formSession } from "../../../test/helpers/forms.ts";
import { loadConfig } from "../../config.ts";
import { savingsInitiativeForecasts } from "../../db/schema/index.ts";
import { listAuditEvents } from "../audit/audit.service.ts";
import * as finance from "./finance.service.ts";

describe("budget pages", () => {
  let database: TestDatabase;
  let app: FastifyInstance;

  before(async () => {
    database = await freshDatabase("pglite", { demo: true });
    app = await testApp(database.db);
  });
  after(async () => {
    await app.close();
    await database.close();
  });

  async function placementsLine() {
    const report = await finance.forecastOutturnReport(database.db, "2020-21", 3);
    const line = report.report ? report.lines[0] : undefined;
    assert.ok(line);
    return line;
  }

  test("the forecast outturn for a quarter, by query or by path, with totals, ratings and the chart", async () => {
    for (const url of ["/budget?year=2020-21&quarter=3", "/budget/2020-21/q3", "/budget"]) {
      const response = await app.inject(url);
      assert.equal(response.statusCode, 200, url);
      const body = response.body;
      for (const figure of [
        "120.833",
        "134.676",
        "13.843",
        "11.5%",
        "130.432",
        "4.244",
        "3.3%",
        "9.599",
        "-0.657",
        "26.6%",
      ]) {
        assert.ok(body.includes(figure), `${url} shows ${figure}`);
      }
      assert.match(body, /<strong class="bp-rating bp-rating--action">Red<\/strong>/);
      assert.match(body, /<svg[^>]*role="img"/);
      assert.match(body, /<title id="budget-chart-title">/);
      assert.match(body, /<desc id="budget-chart-desc">/);
      // The chart shows each line's variance in words and figures, not budget and forecast twice.
      assert.match(body, /Underspend 0\.657/);
      assert.match(body, /Overspend 1\.339/);
      assert.doesNotMatch(body, /Budget 37\.875/);
      assert.match(body, /Children&#39;s Safeguarding services|Children&#39;s Safeguarding services/);
    }
  });

  test("a quarter with no report is empty, and a bad year or quarter is not found", async () => {
    const empty = await app.inject("/budget/2020-21/q1");
    assert.equal(empty.statusCode, 200);
    assert.match(empty.body, /No forecast has been reported/);
    assert.equal((await app.inject("/budget/2020-21/q5")).statusCode, 404);
    assert.equal((await app.inject("/budget/1999-00/q1")).statusCode, 404);
  });

  test("the other budget pages show the documents' figures", async () => {
    const pages: [string, string[]][] = [
      ["/budget/2020-21/q3/savings", ["3.179", "2.350", "1.207", "-1.143", "0.829", "Shortfall"]],
      ["/budget/2020-21/q3/debt", ["0.482", "18.1%", "18.0%", "add to 99.9%", "£0.035m"]],
      ["/budget/2020-21/q3/reserves", ["7.101", "Troubled Families", "(as reported)"]],
      ["/budget/2020-21/q3/risks", ["Data security breach resulting in fine.", "1.300"]],
      ["/budget/2020-21/approved", ["160,865,341", "121,341,986", "do not add up"]],
      ["/budget/2024-25/growth", ["£12,528,000", "Payroll Vacancy Factor", "£10.000m"]],
      ["/budget/2020-21/growth", ["Social Worker recruitment", "11.000"]],
    ];
    for (const [url, figures] of pages) {
      const response = await app.inject(url);
      assert.equal(response.statusCode, 200, url);
      for (const figure of figures) assert.ok(response.body.includes(figure), `${url} shows ${figure}`);
    }
    // The approved budget matrix: a row per division with its cells, then the total row.
    const approved = (await app.inject("/budget/2020-21/approved")).body;
    const rows = [...approved.matchAll(/<tr class="govuk-table__row"[^>]*>([\s\S]*?)<\/tr>/g)].map((match) =>
      (match[1] ?? "")
        .replace(/<[^>]+>/g, " ")
        .replace(/\s+/g, " ")
        .trim(),
    );
    const division = rows.find((row) => row.startsWith("Early Help and Safeguarding"));
    assert.ok(division, "the Early Help and Safeguarding row");
    assert.match(division, /45,645,148 .* 90,362,848 .* 87,442,157/);
    const total = /data-testid="approved-total">([\s\S]*?)<\/tr>/.exec(approved)?.[1] ?? "";
    assert.match(
      total.replace(/<[^>]+>/g, " "),
      /Total controllable budget[\s\S]*160,865,341[\s\S]*121,341,986/,
    );
    // A cell is marked exactly where a listed check failed: as many marks as listed checks, and
    // a printed net that is its printed gross plus income and grants is not marked.
    const listed = (/data-testid="disagreements">[\s\S]*?<\/ul>/.exec(approved)?.[0].match(/<li>/g) ?? [])
      .length;
    assert.ok(listed > 0, "the page lists failed checks");
    assert.equal((approved.match(/\(does not add up\)/g) ?? []).length, listed);
    const line = await placementsLine();
    const detail = await app.inject(`/budget/lines/${line.lineId}`);
    assert.equal(detail.statusCode, 200);
    assert.match(detail.body, /£37,875,000\.00/);
    assert.equal((detail.body.match(/Not reported/g) ?? []).length, 3);
    assert.match(detail.body, /greater number of placements/);
  });

  /**
   * The placements line's quarter 1 forecast, entered if there is none: quarter 3 is published
   * (its forecasts are no longer open to change), quarter 1 is open for entry.
   */
  async function openQuarterForecast() {
    const line = await placementsLine();
    const found = await finance.lineForNewForecast(database.db, line.lineId, 1);
    if (!found.existing) {
      await finance.createForecast(database.db, "test.officer@example.gov.uk", {
        lineId: line.lineId,
        quarter: 1,
        entry: { controllableBudget: 3_787_500_000, forecastOutturn: 4_793_700_000 },
      });
    }
    return (await finance.forecastForEdit(database.db, line.lineId, 1)).forecast;
  }

  test("a forecast edit with a bad amount is a 400 with the error summary and nothing changes", async () => {
    const forecast = await openQuarterForecast();
    const path = `/budget/lines/${forecast.lineId}/forecasts/1/edit`;
    const { token, cookie } = await formSession(app, path);
    const response = await app.inject({
      method: "POST",
      url: path,
      payload: new URLSearchParams({
        _csrf: token ?? "",
        version: String(forecast.version),
        controllableBudget: "£37,875,000",
        forecastOutturn: "£1,234.567",
      }).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded", cookie },
    });
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /<title>Error: /);
    assert.match(response.body, /govuk-error-summary/);
    assert.match(response.body, /href="#forecastOutturn"/);
    assert.match(response.body, /fraction of a penny/);
    assert.match(response.body, /value="£1,234.567"/);
    assert.equal((await openQuarterForecast()).forecastOutturnPence, forecast.forecastOutturnPence);
  });

  test("a forecast edit saves with 303, and a stale one is a 409 conflict page", async () => {
    const forecast = await openQuarterForecast();
    const path = `/budget/lines/${forecast.lineId}/forecasts/1/edit`;
    const post = async (forecastOutturn: string) => {
      const { token, cookie } = await formSession(app, path);
      return app.inject({
        method: "POST",
        url: path,
        payload: new URLSearchParams({
          _csrf: token ?? "",
          version: String(forecast.version),
          controllableBudget: "£37,875,000",
          forecastOutturn,
        }).toString(),
        headers: { "content-type": "application/x-www-form-urlencoded", cookie },
      });
    };
    const saved = await post("£48.1m");
    assert.equal(saved.statusCode, 303);
    assert.equal(saved.headers.location, `/budget/2020-21/q1#line-${forecast.lineId}`);
    assert.equal((await openQuarterForecast()).forecastOutturnPence, 4_810_000_000);
    const stale = await post("£49m");
    assert.equal(stale.statusCode, 409);
    assert.match(stale.body, /£48,100,000.00/);
    assert.match(stale.body, /£49,000,000.00/);
    assert.equal((await openQuarterForecast()).forecastOutturnPence, 4_810_000_000);
    const events = await listAuditEvents(database.db, "monitoring-forecast", forecast.id);
    assert.equal(events[0]?.actor, loadConfig({ NODE_ENV: "test" }).actingUser);
  });

  test("a forecast for a quarter that is published is refused with a page saying why, nothing saved", async () => {
    const line = await placementsLine();
    for (const path of [
      `/budget/lines/${line.lineId}/forecasts/3/edit`,
      `/budget/lines/${line.lineId}/forecasts/3/new`,
    ]) {
      const form = await app.inject(path);
      if (path.endsWith("/new")) {
        // A quarter with a forecast sends the new form to the edit form, which refuses.
        assert.equal(form.statusCode, 303);
        continue;
      }
      assert.equal(form.statusCode, 409);
      assert.match(form.body, /Quarter 3 2020\/21 is not open for entry/);
      assert.match(form.body, /is published, not open for entry\. Nothing was saved\./);
    }
    const path = `/budget/lines/${line.lineId}/forecasts/3/edit`;
    // A session from a form that is open for entry, to post to the published quarter with it.
    await openQuarterForecast();
    const { token, cookie } = await formSession(app, `/budget/lines/${line.lineId}/forecasts/1/edit`);
    const refused = await app.inject({
      method: "POST",
      url: path,
      payload: new URLSearchParams({
        _csrf: token ?? "",
        version: String(line.version),
        controllableBudget: "£37,875,000",
        forecastOutturn: "£1m",
      }).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded", cookie },
    });
    assert.equal(refused.statusCode, 409);
    assert.match(refused.body, /<a class="govuk-link" href="\/periods">See which periods are open<\/a>/);
    assert.equal((await placementsLine()).forecastOutturn.table, "47.937");
  });

  test("a savings figure is entered through its form", async () => {
    const savings = await finance.savingsReport(database.db, "2020-21", 3);
    const initiative = savings.initiatives?.find((entry) => entry.name === "Donut Centre");
    assert.ok(initiative);
    await finance.createInitiativeForecast(database.db, "test.officer@example.gov.uk", {
      initiativeId: initiative.id,
      quarter: 1,
      entry: { forecastAchieved: 3_000_000 },
    });
    const path = `/budget/savings/initiatives/${initiative.id}/forecasts/1/edit`;
    const { token, cookie } = await formSession(app, path);
    const refused = await app.inject({
      method: "POST",
      url: path,
      payload: new URLSearchParams({
        _csrf: token ?? "",
        version: "1",
        forecastAchieved: "1,23,4",
      }).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded", cookie },
    });
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /misplaced thousands separators/);
    const saved = await app.inject({
      method: "POST",
      url: path,
      payload: new URLSearchParams({
        _csrf: token ?? "",
        version: "1",
        forecastAchieved: "£40,000",
      }).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded", cookie },
    });
    assert.equal(saved.statusCode, 303);
    const after = await finance.initiativeForecastForEdit(database.db, initiative.id, 1);
    assert.equal(after.forecast.forecastAchievedPence, 4_000_000);
    const published = await app.inject(`/budget/savings/initiatives/${initiative.id}/forecasts/3/edit`);
    assert.equal(published.statusCode, 409);
  });
  async function post(
    path: string,
    fields: Record<string, string>,
    session?: { token: string | undefined; cookie: string },
  ) {
    const { token, cookie } = session ?? (await formSession(app, path));
    return app.inject({
      method: "POST",
      url: path,
      payload: new URLSearchParams({ _csrf: token ?? "", ...fields }).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded", cookie },
    });
  }

  test("a first forecast for a quarter with none: 400 on a bad amount, 303 and audited, then a conflict for a second", async () => {
    const line = await placementsLine();
    const path = `/budget/lines/${line.lineId}/forecasts/2/new`;
    const form = await app.inject(path);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /Enter the quarter 2 forecast/);
    assert.doesNotMatch(form.body, /name="version"/);
    const openedBeforeSaving = await formSession(app, path);

    const refused = await post(path, { controllableBudget: "£37,875,000", forecastOutturn: "12.5.3" });
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /<title>Error: /);
    assert.match(refused.body, /href="#forecastOutturn"/);
    assert.match(refused.body, /value="12.5.3"/);
    assert.equal((await finance.budgetLineDetail(database.db, line.lineId)).quarters[1]?.forecast, null);

    const saved = await post(path, { controllableBudget: "£37,875,000", forecastOutturn: "£45.5m" });
    assert.equal(saved.statusCode, 303);
    assert.equal(saved.headers.location, `/budget/lines/${line.lineId}?quarter=2`);
    const detail = await finance.budgetLineDetail(database.db, line.lineId);
    assert.equal(detail.quarters[1]?.forecast?.forecastOutturn.exact, "£45,500,000.00");
    const created = await finance.forecastForEdit(database.db, line.lineId, 2);
    const events = await listAuditEvents(database.db, "monitoring-forecast", created.forecast.id);
    assert.equal(events[0]?.action, "create");

    // Someone who opened the same empty quarter before it was entered: refused, nothing overwritten.
    const second = await post(
      path,
      { controllableBudget: "£37,875,000", forecastOutturn: "£46m" },
      openedBeforeSaving,
    );
    assert.equal(second.statusCode, 409);
    assert.match(second.body, /£45,500,000.00/);
    assert.match(second.body, /£46,000,000.00/);
    assert.equal(
      (await finance.forecastForEdit(database.db, line.lineId, 2)).forecast.forecastOutturnPence,
      4_550_000_000,
    );
    // Opening the form again now goes to the change form.
    const again = await app.inject(path);
    assert.equal(again.statusCode, 303);
    assert.equal(again.headers.location, `/budget/lines/${line.lineId}/forecasts/2/edit`);
  });

  test("a first savings forecast for a quarter with none: the links, 400 on a bad amount, 303 and audited, then a conflict", async () => {
    const empty = await app.inject("/budget/2020-21/q4/savings");
    assert.match(empty.body, /No savings forecast has been reported/);
    const link = /href="(\/budget\/savings\/initiatives\/(\d+)\/forecasts\/4\/new)">([^<]+)</.exec(
      empty.body,
    );
    assert.ok(link, "each initiative links to its first quarter 4 forecast");
    const [, path = "", id = "", name = ""] = link;
    const form = await app.inject(path);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, new RegExp(`Enter the quarter 4 savings forecast for ${name}`));
    assert.doesNotMatch(form.body, /name="version"/);
    const openedBeforeSaving = await formSession(app, path);

    const refused = await post(path, { forecastAchieved: "12.5.3" });
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /<title>Error: /);
    assert.match(refused.body, /href="#forecastAchieved"/);
    assert.equal((await finance.initiativeForNewForecast(database.db, Number(id), 4)).existing, null);

    const saved = await post(path, { forecastAchieved: "£0.151m" });
    assert.equal(saved.statusCode, 303);
    assert.equal(saved.headers.location, "/budget/2020-21/q4/savings");
    const created = await finance.initiativeForecastForEdit(database.db, Number(id), 4);
    assert.equal(created.forecast.forecastAchievedPence, 15_100_000);
    const events = await listAuditEvents(database.db, "savings-initiative-forecast", created.forecast.id);
    assert.equal(events[0]?.action, "create");
    // The quarter now has a report: the other initiatives are listed to be entered.
    const page = await app.inject("/budget/2020-21/q4/savings");
    assert.match(page.body, /0\.151/);
    assert.match(page.body, /forecasts\/4\/new">Enter/);

    const second = await post(path, { forecastAchieved: "£0.2m" }, openedBeforeSaving);
    assert.equal(second.statusCode, 409);
    assert.match(second.body, /£151,000.00/);
    assert.equal((await finance.initiativeForecastForEdit(database.db, Number(id), 4)).forecast.version, 1);
    const again = await app.inject(path);
    assert.equal(again.statusCode, 303);
    assert.equal(again.headers.location, `/budget/savings/initiatives/${id}/forecasts/4/edit`);
  });

  test("the budget line links back to the quarter it was opened from, else the latest with a report", async () => {
    const line = await placementsLine();
    const fromQuarter1 = await app.inject(`/budget/lines/${line.lineId}?quarter=1`);
    assert.match(fromQuarter1.body, /href="\/budget\/2020-21\/q1" data-testid="back-to-outturn"/);
    const direct = await app.inject(`/budget/lines/${line.lineId}`);
    assert.match(direct.body, /href="\/budget\/2020-21\/q3" data-testid="back-to-outturn"/);
    const outturn = await app.inject("/budget/2020-21/q3");
    assert.ok(outturn.body.includes(`href="/budget/lines/${line.lineId}?quarter=3"`));
  });

  test("a year with no report links its quarter pages to the latest reported quarter, saying which", async () => {
    for (const url of ["/budget/2024-25/growth", "/budget/2024-25/approved"]) {
      const body = (await app.inject(url)).body;
      assert.doesNotMatch(body, /\/q4/, url);
      assert.match(body, /href="\/budget\/2020-21\/q3">Forecast outturn \(2020\/21 quarter 3\)/, url);
    }
    const growth = (await app.inject("/budget/2020-21/growth")).body;
    assert.match(growth, /href="\/budget\/2020-21\/q3">Forecast outturn</);
  });

  test("a tick or cross printed in the report that differs from the computed one is shown", async () => {
    const savings = await finance.savingsReport(database.db, "2020-21", 3);
    const achieved = savings.initiatives?.find((entry) => entry.onTrack && entry.version !== null);
    assert.ok(achieved);
    const before = await app.inject("/budget/2020-21/q3/savings");
    assert.doesNotMatch(before.body, /data-testid="stated-mark-differs"/);
    await database.db
      .update(savingsInitiativeForecasts)
      .set({ statedMark: "✗" })
      .where(eq(savingsInitiativeForecasts.initiativeId, achieved.id));
    // Written behind the services' back: move the data version on as an audited write does, so
    // the page kept before is rendered afresh.
    await database.db.execute(sql`update data_version set version = version + 1`);
    const after = await app.inject("/budget/2020-21/q3/savings");
    assert.match(
      after.body,
      /data-testid="stated-mark-differs">The report printed <span aria-hidden="true">✗<\/span> Shortfall; Baseplan works out achieved/,
    );
  });
  test("the rating thresholds form: 400 with the error summary, 303, the pages follow, 409 when stale", async () => {
    const form = await app.inject("/budget/settings");
    assert.equal(form.statusCode, 200);
    const version = /name="version" value="(\d+)"/.exec(form.body)?.[1] ?? "";
    assert.match(form.body, /value="5%"/);
    const fields = {
      serviceAreaPercentage: "100%",
      serviceAreaAmount: "£1,000,000,000",
      fundPercentage: "0.5%",
      fundAmount: "£1,000,000",
      version,
    };
    const refused = await post("/budget/settings", { ...fields, fundPercentage: "half" });
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /<title>Error: /);
    assert.match(refused.body, /href="#fundPercentage"/);
    assert.match(refused.body, /value="half"/);
    const saved = await post("/budget/settings", fields);
    assert.equal(saved.statusCode, 303);
    assert.equal(saved.headers.location, "/budget/settings");
    // The next page says it was saved, in a GOV.UK success banner, once.
    const banner = saved.cookies.find((cookie) => cookie.name === "baseplan-saved");
    assert.ok(banner, "the save leaves its sentence for the next page");
    const after = await app.inject({ url: "/budget/settings", cookies: { [banner.name]: banner.value } });
    assert.match(after.body, /govuk-notification-banner--success[\s\S]*The rating thresholds were saved\./);
    assert.ok(after.cookies.some((cookie) => cookie.name === "baseplan-saved" && cookie.value === ""));
    assert.doesNotMatch((await app.inject("/budget/settings")).body, /govuk-notification-banner/);
    const forged = await app.inject({
      url: "/budget/settings",
      cookies: { "baseplan-saved": "Forged words" },
    });
    assert.doesNotMatch(forged.body, /Forged words/);
    const outturn = await app.inject("/budget/2020-21/q3");
    assert.match(outturn.body, /Red at an overspend of 100% or £1,000,000,000, whichever is lower/);
    assert.match(outturn.body, /bp-rating--review">Amber/);
    const stale = await post("/budget/settings", { ...fields, serviceAreaPercentage: "5%" });
    assert.equal(stale.statusCode, 409);
    const restored = await post("/budget/settings", {
      ...fields,
      serviceAreaPercentage: "5%",
      serviceAreaAmount: "£100,000",
      version: String(Number(version) + 1),
    });
    assert.equal(restored.statusCode, 303);
  });
});
