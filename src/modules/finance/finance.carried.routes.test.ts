import assert from "node:assert/strict";
import { test } from "node:test";
import { testApp } from "../../../test/helpers/app.ts";
import {
  buildBudgetMonitoring,
  buildCouncil,
  buildForecastEntry,
  buildMonitoringYear,
  buildMonthlyCouncil,
  buildOpenQuarter,
} from "../../../test/helpers/builders.ts";
import { describeOnBothDatabases } from "../../../test/helpers/database.ts";
import { formSession } from "../../../test/helpers/forms.ts";
import type { Database } from "../../db/client.ts";
import * as finance from "./finance.service.ts";
import { forecastPeriod } from "./finance.shared.ts";

const YEAR = 2046;
const CODE = "2046-47";

/** The value of a form's input by its name, as the page sends it. */
function inputValue(body: string, name: string): string | undefined {
  return new RegExp(`name="${name}"[^>]*value="([^"]*)"`).exec(body)?.[1];
}

/** The id of a year's budget line by its name. */
async function lineIdOf(db: Database, name: string, month: number | null = null): Promise<number> {
  const report = await finance.forecastOutturnReport(db, CODE, 1, month);
  const line = (report.lines ?? []).find((candidate) => candidate.name === name);
  if (!line) throw new Error(`No line ${name}`);
  return line.lineId;
}

/**
 * A new period's forecast form starts from the line's controllable budget at the latest period
 * before it, and says which; the officer can change it. Made-up councils: one monitored monthly
 * whose year starts in July, one monitored quarterly.
 */
describeOnBothDatabases("the controllable budget carried into a new period's form", (fresh) => {
  test("a month's form starts from the latest earlier month's budget, and says so", async () => {
    const { db } = await fresh();
    await buildMonthlyCouncil(db, {
      startYear: YEAR,
      yearStartMonth: 7,
      linesBefore: [{ name: "Harbour", budget: 700_000_00, forecast: 700_000_00 }],
      openMonths: [1, 2, 3, 4],
    });
    await buildForecastEntry(db, {
      startYear: YEAR,
      quarter: 1,
      month: 1,
      line: "Harbour",
      budget: 812_345_67,
      forecast: 820_000_00,
    });
    const lineId = await lineIdOf(db, "Harbour", 1);
    const app = await testApp(db);
    try {
      const month1Again = await app.inject(`/budget/lines/${lineId}/forecasts/m1/new`);
      assert.equal(month1Again.statusCode, 303, "month 1 has its forecast: the form corrects it");

      // Month 3: month 2 has none, so month 1's budget is carried.
      let page = await app.inject(`/budget/lines/${lineId}/forecasts/m3/new`);
      assert.equal(page.statusCode, 200);
      assert.equal(inputValue(page.body, "controllableBudget"), "£812,345.67");
      assert.equal(inputValue(page.body, "forecastOutturn"), "");
      assert.match(page.body, /The controllable budget was carried from month 1\./);

      await buildForecastEntry(db, {
        startYear: YEAR,
        quarter: 1,
        month: 2,
        line: "Harbour",
        budget: 815_000_00,
        forecast: 820_000_00,
      });
      page = await app.inject(`/budget/lines/${lineId}/forecasts/m4/new`);
      assert.equal(inputValue(page.body, "controllableBudget"), "£815,000.00");
      assert.match(page.body, /carried from month 2\./);

      // The officer changes it: what is saved is what was typed.
      const path = `/budget/lines/${lineId}/forecasts/m3/new`;
      const { token, cookie } = await formSession(app, path);
      const saved = await app.inject({
        method: "POST",
        url: path,
        headers: { "content-type": "application/x-www-form-urlencoded", cookie },
        payload: new URLSearchParams({
          _csrf: token ?? "",
          controllableBudget: "£900,000",
          forecastOutturn: "£910,000",
        }).toString(),
      });
      assert.equal(saved.statusCode, 303, saved.body);
      const month3 = await finance.forecastOutturnReport(db, CODE, 1, 3);
      assert.equal(
        (month3.lines ?? []).find((line) => line.name === "Harbour")?.controllableBudget.pence,
        900_000_00,
      );
    } finally {
      await app.close();
    }
  });

  test("a quarter's form starts from the latest earlier quarter's; nothing before, nothing carried", async () => {
    const { db } = await fresh();
    await buildCouncil(db, { plan: { fromYear: YEAR - 1, toYear: YEAR + 2 } });
    await buildMonitoringYear(db, YEAR);
    for (const quarter of [1, 2, 3]) await buildOpenQuarter(db, YEAR, quarter);
    await buildBudgetMonitoring(db, {
      startYear: YEAR,
      quarter: 1,
      lines: [
        { name: "Ferries", budget: 123_456_78, forecast: 130_000_00 },
        { name: "Bridges", budget: 50_000_00, forecast: 50_000_00 },
      ],
    });
    await buildForecastEntry(db, {
      startYear: YEAR,
      quarter: 2,
      line: "Ferries",
      budget: 125_000_00,
      forecast: 1,
    });
    const app = await testApp(db);
    try {
      const ferries = await app.inject(`/budget/lines/${await lineIdOf(db, "Ferries")}/forecasts/3/new`);
      assert.equal(ferries.statusCode, 200);
      assert.equal(inputValue(ferries.body, "controllableBudget"), "£125,000.00");
      assert.match(ferries.body, /carried from quarter 2\./);
      const bridges = await app.inject(`/budget/lines/${await lineIdOf(db, "Bridges")}/forecasts/3/new`);
      assert.equal(inputValue(bridges.body, "controllableBudget"), "£50,000.00");
      assert.match(bridges.body, /carried from quarter 1\./);
    } finally {
      await app.close();
    }
    // A line with nothing before the period carries nothing; a month never carries a quarter's own.
    assert.equal(finance.carriedBudget([], forecastPeriod(1)), null);
    const quarterOwn = { quarter: 1, month: null, controllableBudgetPence: 5 };
    assert.equal(finance.carriedBudget([quarterOwn], forecastPeriod(2, 4)), null);
    assert.deepEqual(finance.carriedBudget([quarterOwn], forecastPeriod(2)), {
      controllableBudgetPence: 5,
      from: "quarter 1",
    });
  });
});
