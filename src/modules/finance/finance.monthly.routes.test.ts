import assert from "node:assert/strict";
import { test } from "node:test";
import {
  buildBudgetMonitoring,
  buildCouncil,
  buildForecastEntry,
  buildMonitoringYear,
} from "../../../test/helpers/builders.ts";
import { describeOnBothDatabases, TEST_ACTOR } from "../../../test/helpers/database.ts";
import { loadConfig } from "../../config.ts";
import { monitoringPeriod } from "../../domain/periods.ts";
import { createServices } from "../../services.ts";
import { createApp } from "../../web/app.ts";
import { openPeriod } from "../periods/periods.service.ts";

const YEAR = 2043;
const CODE = "2043-44";

/** The text of a page's list by its test id, tags removed, one entry a line. */
function listText(body: string, testId: string): string[] {
  const list = new RegExp(`data-testid="${testId}">([\\s\\S]*?)</ul>`).exec(body)?.[1] ?? "";
  return [...list.matchAll(/<li>([\s\S]*?)<\/li>/g)].map((item) =>
    (item[1] ?? "")
      .replace(/<[^>]+>/g, "")
      .replace(/\s+/g, " ")
      .trim(),
  );
}

/**
 * `/budget` and its period links for a department monitored monthly, on a council made up for the
 * test whose year starts in January: the latest month with a forecast opens, and the months are
 * offered instead of quarters; the quarterly year before it keeps its quarters.
 */
describeOnBothDatabases("the budget pages of a year monitored monthly", (fresh) => {
  test("/budget opens the latest month with a forecast and offers the months by name", async () => {
    const { db } = await fresh();
    await buildCouncil(db, {
      frequency: "monthly",
      yearStartMonth: 1,
      plan: { fromYear: YEAR - 1, toYear: YEAR + 2 },
    });
    // The year before was monitored quarterly (its quarter 2 and 4 reported).
    for (const quarter of [2, 4]) {
      await buildBudgetMonitoring(db, {
        startYear: YEAR - 1,
        quarter,
        lines: [{ name: "Museums", budget: 50_000_00, forecast: 51_000_00 }],
      });
    }
    await buildMonitoringYear(db, YEAR, {
      carryForward: { approvedBudget: false, lines: true, savingsInitiatives: false },
    });
    const app = await createApp(createServices(db, loadConfig({ NODE_ENV: "test" })));
    try {
      // Nothing forecast in the monthly year yet: the quarterly year's latest quarter.
      let page = await app.inject("/budget");
      assert.match(page.body, /Forecast outturn, quarter 4/);
      for (const month of [1, 2, 3, 4, 5])
        await openPeriod(db, TEST_ACTOR, monitoringPeriod(YEAR, "month", month));
      for (const month of [1, 2, 4]) {
        await buildForecastEntry(db, {
          startYear: YEAR,
          quarter: Math.ceil(month / 3),
          month,
          line: "Museums",
          budget: 60_000_00,
          forecast: 60_000_00 + month * 1_000_00,
        });
      }
      page = await app.inject("/budget");
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /data-testid="outturn-title">Forecast outturn, month 4</);
      assert.match(page.body, /Showing 2043\/44 month 4, the latest month with a forecast\./);
      assert.match(page.body, /0\.064/);
      assert.deepEqual(listText(page.body, "month-links"), [
        "Month 1 (January 2043) (open for entry)",
        "Month 2 (February 2043) (open for entry)",
        "Month 3 (March 2043) (open for entry)",
        "Month 5 (May 2043) (open for entry)",
      ]);
      assert.match(page.body, /href="\/budget\/2043-44\/m2"/);
      assert.doesNotMatch(page.body, /Other quarters/);
      // The quarterly year's quarters stay reachable, under other years.
      assert.deepEqual(listText(page.body, "quarter-links"), ["2042/43 quarter 2", "2042/43 quarter 4"]);

      // A month's own page lists the others, itself left out.
      const month2 = await app.inject(`/budget/${CODE}/m2`);
      assert.match(month2.body, /Forecast outturn, month 2/);
      assert.match(month2.body, /0\.062/);
      assert.ok(listText(month2.body, "month-links").includes("Month 4 (April 2043) (open for entry)"));
      assert.ok(!listText(month2.body, "month-links").some((entry) => entry.startsWith("Month 2 ")));

      // The quarterly year is unchanged: its other quarters, no months.
      const quarterly = await app.inject("/budget/2042-43/q2");
      assert.match(quarterly.body, /Other quarters/);
      assert.doesNotMatch(quarterly.body, /data-testid="month-links"/);
      assert.ok(listText(quarterly.body, "quarter-links").includes("2042/43 quarter 4"));
    } finally {
      await app.close();
    }
  });
});
