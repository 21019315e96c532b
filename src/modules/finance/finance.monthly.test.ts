import assert from "node:assert/strict";
import { test } from "node:test";
import {
  buildBudgetMonitoring,
  buildCouncil,
  buildForecastEntry,
  buildMonitoringYear,
} from "../../../test/helpers/builders.ts";
import { describeOnBothDatabases, TEST_ACTOR } from "../../../test/helpers/database.ts";
import type { Database } from "../../db/client.ts";
import { monitoringPeriod } from "../../domain/periods.ts";
import { Conflict, NotFound } from "../../errors.ts";
import { listAuditEvents } from "../audit/audit.service.ts";
import { openPeriod, periodSections } from "../periods/periods.service.ts";
import * as finance from "./finance.service.ts";
import { forecastPeriod } from "./finance.shared.ts";

const YEAR = 2041;
const CODE = "2041-42";
const LINES = ["Libraries", "Parks"];

/**
 * A department monitored monthly: its lines made in the year before (quarterly), carried forward
 * into a year opened monthly, with months 1 to 3 open for entry.
 */
async function aMonthlyYear(db: Database) {
  await buildCouncil(db, { frequency: "monthly", plan: { fromYear: YEAR - 1, toYear: YEAR + 2 } });
  await buildBudgetMonitoring(db, {
    startYear: YEAR - 1,
    quarter: 4,
    lines: LINES.map((name) => ({ name, budget: 100_000_00, forecast: 100_000_00 })),
  });
  await buildMonitoringYear(db, YEAR, {
    carryForward: { approvedBudget: false, lines: true, savingsInitiatives: false },
  });
  for (const month of [1, 2, 3]) await openPeriod(db, TEST_ACTOR, monitoringPeriod(YEAR, "month", month));
}

/** Libraries forecast at months 1 to 3: budget £4.2m each month, forecast rising by £0.1m a month. */
async function librariesMonths1To3(db: Database) {
  for (const month of [1, 2, 3]) {
    await buildForecastEntry(db, {
      startYear: YEAR,
      quarter: 1,
      month,
      line: "Libraries",
      budget: 4_200_000_00,
      forecast: 4_200_000_00 + month * 100_000_00,
    });
  }
}

describeOnBothDatabases("budget forecasts month by month", (fresh) => {
  test("each month keeps its own forecast; the quarter's own stays empty", async () => {
    const { db } = await fresh();
    await aMonthlyYear(db);
    await librariesMonths1To3(db);

    const month3 = await finance.forecastOutturnReport(db, CODE, 1, 3);
    assert.deepEqual(
      month3.report ? month3.lines.map((line) => [line.name, line.forecastOutturn.pence]) : null,
      [["Libraries", 4_500_000_00]],
    );
    const month1 = await finance.forecastOutturnReport(db, CODE, 1, 1);
    assert.equal(month1.report ? month1.lines[0]?.forecastOutturn.pence : null, 4_300_000_00);
    const quarterOwn = await finance.forecastOutturnReport(db, CODE, 1);
    assert.deepEqual(quarterOwn.report ? quarterOwn.lines : null, []);

    const libraries = month3.report ? month3.lines[0]?.lineId : undefined;
    assert.ok(libraries);
    const detail = await finance.budgetLineDetail(db, libraries);
    assert.deepEqual(
      detail.months.map((entry) => entry.forecast?.forecastOutturn.pence ?? null),
      [4_300_000_00, 4_400_000_00, 4_500_000_00, null, null, null, null, null, null, null, null, null],
    );
    assert.ok(detail.quarters.every((entry) => entry.forecast === null));

    // Audited with the month as the period.
    const { forecast } = await finance.forecastForEdit(db, libraries, 1, 3);
    const [event] = await listAuditEvents(db, "monitoring-forecast", forecast.id);
    assert.equal(event?.summary, "Entered the 2041/42 month 3 forecast for Libraries");
    assert.equal(event?.period, "2041-42-m3");

    // A month must be in its quarter.
    assert.throws(() => forecastPeriod(1, 4), NotFound);
  });

  test("a second entry for the same month, or a change from a stale form, is refused and nothing changes", async () => {
    const { db } = await fresh();
    await aMonthlyYear(db);
    await librariesMonths1To3(db);
    const again = buildForecastEntry(db, {
      startYear: YEAR,
      quarter: 1,
      month: 2,
      line: "Libraries",
      budget: 1_00,
      forecast: 2_00,
    });
    await assert.rejects(again, (error) => {
      assert.ok(error instanceof Conflict);
      assert.equal(error.entity, "The month 2 forecast for Libraries");
      assert.equal(error.returnUrl.endsWith("/forecasts/m2/edit"), true);
      return true;
    });
    const month2 = await finance.forecastOutturnReport(db, CODE, 1, 2);
    const lineId = month2.report ? month2.lines[0]?.lineId : undefined;
    assert.ok(lineId);
    const { forecast } = await finance.forecastForEdit(db, lineId, 1, 2);
    assert.equal(forecast.forecastOutturnPence, 4_400_000_00);

    const edit = {
      version: forecast.version,
      controllableBudget: 4_200_000_00,
      forecastOutturn: 4_000_000_00,
    };
    await finance.updateForecast(db, TEST_ACTOR, { lineId, quarter: 1, month: 2, edit });
    await assert.rejects(
      finance.updateForecast(db, TEST_ACTOR, { lineId, quarter: 1, month: 2, edit }),
      Conflict,
    );
    assert.equal(
      (await finance.forecastForEdit(db, lineId, 1, 2)).forecast.forecastOutturnPence,
      4_000_000_00,
    );
    // The other months are untouched.
    assert.equal(
      (await finance.forecastForEdit(db, lineId, 1, 3)).forecast.forecastOutturnPence,
      4_500_000_00,
    );
  });

  test("the period page counts a month's budget lines by that month's forecasts and links the month's form", async () => {
    const { db } = await fresh();
    await aMonthlyYear(db);
    await buildForecastEntry(db, {
      startYear: YEAR,
      quarter: 1,
      month: 2,
      line: "Parks",
      budget: 1_000_00,
      forecast: 1_000_00,
    });
    const lines = (sections: Awaited<ReturnType<typeof periodSections>>) =>
      sections.find((section) => section.key === "budget-lines");
    const month2 = lines(await periodSections(db, monitoringPeriod(YEAR, "month", 2)));
    assert.equal(month2?.done, 1);
    assert.equal(month2?.total, 2);
    assert.match(month2?.missing[0]?.href ?? "", /^\/budget\/lines\/\d+\/forecasts\/m2\/new$/);
    assert.match(month2?.items.find((item) => item.done)?.href ?? "", /\/forecasts\/m2\/edit$/);
    const month1 = lines(await periodSections(db, monitoringPeriod(YEAR, "month", 1)));
    assert.equal(month1?.done, 0);
  });
});
