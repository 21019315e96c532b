import assert from "node:assert/strict";
import { test } from "node:test";
import ExcelJS from "exceljs";
import { testApp } from "../../../test/helpers/app.ts";
import { buildMonthlyCouncil } from "../../../test/helpers/builders.ts";
import { describeOnBothDatabases } from "../../../test/helpers/database.ts";
import { postForm } from "../../../test/helpers/forms.ts";

// Made-up figures: one budget line with a £4.2m budget, forecast at £4.3m, £4.4m and £4.5m in
// months 1, 2 and 3 of a year monitored monthly. Its quarter 1 report shows month 3's.
const YEAR = 2043;

describeOnBothDatabases("a department monitored monthly, through the pages", (fresh) => {
  test("months 1 to 3 entered on the month forms; the quarter 1 report shows month 3's figures in HTML and Excel", async () => {
    const { db } = await fresh();
    await buildMonthlyCouncil(db, {
      startYear: YEAR,
      linesBefore: [{ name: "Community hubs", budget: 1_000_00, forecast: 1_000_00 }],
    });
    const app = await testApp(db);
    try {
      for (const month of [1, 2, 3]) {
        const opened = await postForm(app, "/periods", `/periods/2043-44/m${month}/open`, {});
        assert.equal(opened.statusCode, 303);
      }
      // Each month's period page links that month's forecast form.
      const formOf = async (month: number) => {
        const page = await app.inject(`/periods/2043-44/m${month}`);
        const href = new RegExp(`href="(/budget/lines/\\d+/forecasts/m${month}/new)"`).exec(page.body)?.[1];
        assert.ok(href, `month ${month}'s page links its forecast form`);
        return href;
      };
      const month1 = await formOf(1);
      const bad = await postForm(app, month1, month1, {
        controllableBudget: "£4,200,000",
        forecastOutturn: "lots",
      });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /Enter the month 1 forecast|Full year forecast/);
      assert.match(bad.body, /href="#forecastOutturn"/);
      for (const [month, forecast] of [
        [1, "£4.3m"],
        [2, "£4,400,000"],
        [3, "£4.5m"],
      ] as const) {
        const href = await formOf(month);
        const saved = await postForm(app, href, href, {
          controllableBudget: "£4,200,000",
          forecastOutturn: forecast,
        });
        assert.equal(saved.statusCode, 303, `month ${month} saved`);
      }
      // Month 4 is not open: refused, with the page that says how to open it.
      const lineId = /\/budget\/lines\/(\d+)\//.exec(month1)?.[1];
      const notOpen = await app.inject(`/budget/lines/${lineId}/forecasts/m4/new`);
      assert.equal(notOpen.statusCode, 409);
      assert.match(notOpen.body, /Month 4 2043\/44 has not been opened for entry/);

      // The line page lists months, each with its own forecast.
      const line = await app.inject(`/budget/lines/${lineId}`);
      assert.match(line.body, /Month 2<\/th>\s*<td[^>]*>£4,200,000\.00<\/td>\s*<td[^>]*>£4,400,000\.00/);
      assert.match(line.body, /href="\/budget\/lines\/\d+\/forecasts\/m3\/edit"/);

      // The month pages, and the quarter page showing month 3's figures and saying so.
      const month2Page = await app.inject("/budget/2043-44/m2");
      assert.equal(month2Page.statusCode, 200);
      assert.match(month2Page.body, /Forecast outturn, month 2/);
      assert.match(month2Page.body, /4\.400/);
      const quarterPage = await app.inject("/budget/2043-44/q1");
      assert.match(quarterPage.body, /the quarter 1 figures are those forecast at month 3/);
      assert.match(quarterPage.body, /4\.500/);
      assert.doesNotMatch(quarterPage.body, /4\.300|4\.400/);
      assert.equal((await app.inject("/budget/2043-44/m13")).statusCode, 404);

      // A quarter's own forecast form is refused in a year monitored month by month, saving nothing.
      const quarterForm = `/budget/lines/${lineId}/forecasts/1/new`;
      const quarterOwn = await app.inject(quarterForm);
      assert.equal(quarterOwn.statusCode, 400);
      assert.match(quarterOwn.body, /2043\/44 is monitored month by month/);
      const sentAnyway = await postForm(app, "/periods", quarterForm, {
        controllableBudget: "£4,200,000",
        forecastOutturn: "£9m",
      });
      assert.equal(sentAnyway.statusCode, 400);
      assert.doesNotMatch((await app.inject(`/budget/lines/${lineId}`)).body, /9,000,000/);

      // The dashboard at quarter 1 stands at month 3's forecasts, as the report does.
      const dashboard = await app.inject("/?quarter=2043-44-q1");
      assert.equal(dashboard.statusCode, 200);
      assert.match(dashboard.body, /Community hubs/);
      assert.match(dashboard.body, /over spend £0\.300m/);

      // The quarter 1 report, as a page: month 3's figures, labelled, and not month 1's or 2's.
      const report = await app.inject("/reports/quarterly/2043-44/q1");
      assert.equal(report.statusCode, 200);
      for (const expected of ["Community hubs", "4.500", "0.300", "Forecasts as at Month 3"]) {
        assert.ok(report.body.includes(expected), expected);
      }
      assert.doesNotMatch(report.body, /4\.300|4\.400/);

      // And downloaded as Excel: month 3's figures as numbers.
      const xlsx = await app.inject("/reports/quarterly/2043-44/q1.xlsx");
      assert.equal(xlsx.statusCode, 200);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
      const cells: unknown[] = [];
      workbook.eachSheet((sheet) => sheet.eachRow((row) => row.eachCell((cell) => cells.push(cell.value))));
      assert.ok(cells.includes("Community hubs"));
      assert.ok(cells.includes(4_500_000), "month 3's forecast in pounds");
      assert.ok(cells.includes(300_000), "month 3's overspend in pounds");
      assert.ok(!cells.includes(4_300_000) && !cells.includes(4_400_000), "not month 1's or 2's");
    } finally {
      await app.close();
    }
  });
  test("/reports shows a quarter in progress at its latest opened month, and says its report is made at month 3", async () => {
    const { db } = await fresh();
    await buildMonthlyCouncil(db, {
      startYear: YEAR,
      linesBefore: [{ name: "Community hubs", budget: 1_000_000_00, forecast: 1_000_000_00 }],
      openMonths: [1],
    });
    const app = await testApp(db);
    try {
      /** The quarter 1 2043/44 entry of the /reports list, as text. */
      const quarterOne = async () => {
        const page = await app.inject("/reports");
        assert.equal(page.statusCode, 200);
        const item = page.body
          .split(/<li class="govuk-!-margin-bottom-6"/)
          .find((part) => part.includes("quarter 1 2043/44"));
        assert.ok(item, "quarter 1 2043/44 is listed");
        return item;
      };
      // Only month 1 opened, nothing entered: the quarter is listed, in progress at month 1.
      let item = await quarterOne();
      assert.match(item, /In progress: Month 1 2043\/44 is open for entry, with \d+ items still to record/);
      assert.match(item, /href="\/periods\/2043-44\/m1"/);
      assert.match(item, /made at Month 3 2043\/44, which is not opened yet/);
      assert.doesNotMatch(item, /data-testid="report-period-status"/);

      // Month 2 opened and month 1's forecast entered: in progress at month 2, its own count.
      assert.equal((await postForm(app, "/periods", "/periods/2043-44/m2/open", {})).statusCode, 303);
      const periodPage = await app.inject("/periods/2043-44/m2");
      const form = /href="(\/budget\/lines\/\d+\/forecasts\/m2\/new)"/.exec(periodPage.body)?.[1];
      assert.ok(form, "month 2's page links its forecast form");
      const missingBefore = Number(
        /In progress: Month 2 2043\/44 is open for entry, with (\d+) items/.exec(await quarterOne())?.[1],
      );
      assert.ok(missingBefore > 0);
      const saved = await postForm(app, form, form, { controllableBudget: "£1m", forecastOutturn: "£1.2m" });
      assert.equal(saved.statusCode, 303);
      item = await quarterOne();
      assert.match(
        item,
        new RegExp(`Month 2 2043/44 is open for entry, with ${missingBefore - 1} items still to record`),
      );
      assert.match(item, /href="\/periods\/2043-44\/m2"/);
      assert.doesNotMatch(item, /Month 1 2043\/44 is open/);

      // Month 3 opened: the quarter's report period is there, so its state is month 3's, final wording.
      assert.equal((await postForm(app, "/periods", "/periods/2043-44/m3/open", {})).statusCode, 303);
      item = await quarterOne();
      assert.match(item, /data-testid="report-period-status">Open for entry: \d+ items still to record/);
      assert.match(item, /href="\/periods\/2043-44\/m3"/);
      assert.doesNotMatch(item, /In progress|not opened yet/);
    } finally {
      await app.close();
    }
  });
});
