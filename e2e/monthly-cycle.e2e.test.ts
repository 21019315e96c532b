import assert from "node:assert/strict";
import { describe } from "node:test";
import type { Page } from "playwright-core";
import { zipEntryText } from "../test/helpers/zip.ts";
import {
  download,
  fillEmptyAmounts,
  flat,
  missingBySection,
  pdfFileText,
  save,
  workbookText,
} from "./cycle-steps.ts";
import { journeyTest, setUpJourney, visit } from "./harness.ts";

/**
 * A year monitored monthly run through the pages only: the department's setting changed to
 * monthly, 2021/22 opened with the budget lines carried forward from 2020/21, months 1, 2 and 3
 * opened and each entered from its period page's lists of what is missing (every budget line's
 * forecast each month; month 1's financial risks entered, month 2's copied from month 1's; at
 * month 3, the quarter's last, everything else the page lists; months 1 and 2 seen on the
 * dashboard with their own totals), then the quarter 1 report made
 * from month 3 as a page, Word, Excel and PDF. Each month's figures differ, so the report is seen
 * to take month 3's while months 1 and 2 keep theirs on their own budget pages. Forms are filled
 * without JavaScript; axe runs on each kind of page the journey visits, the pages each saved form
 * lands on among them.
 */

const YEAR = "2021-22";
/** The first budget line's figures each month, and how the £m tables show them. */
const MONTHS = [
  { month: 1, budget: "£3,456,789.01", forecast: "£3,111,222.33", shown: ["3.457", "3.111"] },
  { month: 2, budget: "£3,456,789.01", forecast: "£3,222,333.44", shown: ["3.457", "3.222"] },
  { month: 3, budget: "£3,456,789.01", forecast: "£3,333,444.55", shown: ["3.457", "3.333"] },
];
/** Words and figures entered for month 3, looked for in the quarter 1 report. */
const MONTH_3 = {
  writeOff: { amount: "£56,789", shown: "0.057" },
  risk: "Ferry fuel contract ends in month three and may cost more",
  narrative: "Quarter one narrative written from the months.",
};
/** The first budget line's variance explanation as written in a month. */
const explanationOf = (month: number) => `Month ${month} forecast explained: ferry fuel costs moved again.`;
const MONTH_1_RISK = "Harbour storm damage repairs may exceed the insurance excess";

/** The names of the budget lines in a budget page's forecast outturn table. */
async function outturnLineNames(page: Page, path: string): Promise<string[]> {
  await page.goto(path);
  return (await page.getByTestId("outturn-line").locator("th").allTextContents()).map((name) =>
    flat(name).trim(),
  );
}

/** The names of a period page's missing items in one section, without the hidden "enter it". */
async function missingNames(page: Page, periodPath: string, section: string): Promise<string[]> {
  await page.goto(`/periods/${periodPath}`);
  return (await page.getByTestId(`missing-${section}`).getByRole("link").allTextContents()).map((name) =>
    flat(name)
      .replace(/: enter it$/, "")
      .trim(),
  );
}

describe("a year monitored monthly, entered month by month and reported at its quarter end", () => {
  const journey = setUpJourney();

  journeyTest(
    "2021/22 monthly through the pages: the setting, the lines carried forward, months 1 to 3, the quarter 1 report",
    journey,
    async () => {
      const { page: withJavaScript, pageWithoutJavaScript: page } = journey;
      // Axe runs once on each kind of page (its address with ids as N): those opened to fill in,
      // and, before the report, every page a saved form landed on that was not checked already.
      const kindOf = (address: string) =>
        new URL(address, journey.baseUrl).pathname.replace(/\/\d+(?=\/|$)/g, "/N");
      const checked = new Set<string>();
      const landed = new Map<string, string>();
      const check = async (address: string) => {
        checked.add(kindOf(address));
        await visit(withJavaScript, address);
      };
      const saved = async (button: string) => {
        await save(page, button);
        const { pathname, search } = new URL(page.url());
        landed.set(kindOf(pathname), `${pathname}${search}`);
      };

      // The department's setting, then the year opened with last year's budget lines.
      await check("/periods/settings");
      await page.goto("/periods/settings");
      await page.getByLabel("Monthly").check();
      await saved("Save the monitoring setting");
      const lastYearsLines = await outturnLineNames(page, "/budget/2020-21/q3");
      assert.ok(lastYearsLines.length > 1, "2020/21 has budget lines to carry forward");

      await check("/periods");
      await page.goto("/periods");
      await page.getByLabel("Financial year").fill("2021/22");
      await page.getByLabel("The budget lines").check();
      await page.getByRole("button", { name: "Open the year" }).click();
      await page.waitForURL(/\/periods\?done=year-opened$/);
      assert.match((await page.locator("#periods").textContent()) ?? "", /2021\/22\s*Monitored monthly/);
      for (const { month } of MONTHS) {
        await page.goto("/periods");
        await page.getByRole("button", { name: `Open for entry Month ${month} 2021/22` }).click();
        await page.waitForURL(new RegExp(`/periods/${YEAR}/m${month}\\?done=opened$`));
      }

      // The lines that came across are last year's, each waiting for month 1's forecast.
      await check(`/periods/${YEAR}/m1`);
      assert.deepEqual(
        [...(await missingNames(page, `${YEAR}/m1`, "budget-lines"))].sort(),
        [...lastYearsLines].sort(),
      );

      let monthlyMeasures: string[] = [];
      for (const figures of MONTHS) {
        const { month } = figures;
        const period = `${YEAR}/m${month}`;

        const missing = await missingBySection(page, period);
        const linksFor = (section: string) => missing.get(section) ?? [];

        // Every budget line's forecast; the first with the month's own figures.
        const lines = linksFor("budget-lines");
        assert.equal(lines.length, lastYearsLines.length, `month ${month}: every line is to forecast`);
        if (month < 3) await check(lines[0] ?? "");
        for (const [index, href] of lines.entries()) {
          await page.goto(href);
          const budget = page.getByLabel("Controllable budget");
          if (index === 0) await budget.fill(figures.budget);
          else if ((await budget.inputValue()).trim() === "") await budget.fill("£100,000");
          await page
            .getByLabel("Full year forecast")
            .fill(index === 0 ? figures.forecast : await budget.inputValue());
          // The first line's variance explained each month, in that month's own words.
          if (index === 0) await page.getByLabel("Explanation of the variance").fill(explanationOf(month));
          await saved("Save forecast");
          if (index === 0) assert.match(page.url(), new RegExp(`/budget/${YEAR}/m${month}#line-\\d+$`));
        }

        // The dashboard at this month (chosen: the demo's published quarter stays the default):
        // the month's own position, as its budget page totals it, not its quarter's.
        if (month < 3) {
          await page.goto(`/budget/${YEAR}/m${month}`);
          const afterFunding = page.getByTestId("outturn-after-funding");
          const totalRow =
            (await afterFunding.count()) > 0 ? afterFunding : page.getByTestId("outturn-total");
          const [budgetTotal, forecastTotal] = (await totalRow.locator("td").allTextContents()).map((cell) =>
            flat(cell).trim(),
          );
          await page.goto("/");
          await page.getByLabel("Show another period").selectOption(`${YEAR}-m${month}`);
          await page.getByRole("button", { name: "Show", exact: true }).click();
          await page.waitForURL(new RegExp(`/\\?quarter=${YEAR}-m${month}$`));
          assert.match(
            flat((await page.getByTestId("quarter-shown").textContent()) ?? ""),
            new RegExp(`Month ${month} 2021/22, the month you chose`),
          );
          assert.equal(flat((await page.getByTestId("budget").textContent()) ?? "").trim(), budgetTotal);
          assert.equal(flat((await page.getByTestId("forecast").textContent()) ?? "").trim(), forecastTotal);
          assert.ok(
            (await page.locator(`a[href="/budget/${YEAR}/m${month}"]`).count()) > 0,
            `the dashboard links month ${month}'s budget page`,
          );
          if (month === 1) await check(`/?quarter=${YEAR}-m1`);
        }

        // The measures reported monthly: a value each month (at month 3 the quarterly ones are due
        // too; their entry is the quarter's, proved by e2e/cycle.e2e.test.ts).
        const measures = linksFor("measures");
        if (month === 1) {
          monthlyMeasures = measures.map((href) => href.replace(/\?.*$/, ""));
          assert.ok(monthlyMeasures.length > 0, "the demo reports some measures monthly");
          await check(measures[0] ?? "");
        }
        for (const href of measures.filter((link) => monthlyMeasures.includes(link.replace(/\?.*$/, "")))) {
          await page.goto(href);
          assert.match((await page.locator("h1").textContent()) ?? "", new RegExp(`Month ${month} 2021/22`));
          await page.locator("#value").fill(String(40 + month));
          await page.locator("#status").check();
          await saved("Save the value");
        }

        // Financial risks: entered in month 1, copied from the month before in months 2 and 3.
        const risks = linksFor("financial-risks");
        assert.equal(risks.length, 1, `month ${month}: the risks are missing`);
        if (month === 1) {
          await page.goto(risks[0] ?? "");
          await check(risks[0] ?? "");
          await page.locator("#service").fill("Harbour");
          await page.locator("#risk").fill(MONTH_1_RISK);
          await page.locator("#sensitivity").fill("£400,000");
          await page.locator('input[name="likelihood"]').nth(1).check();
          await saved("Add the risk");
        } else {
          const list = `/budget/${YEAR}/m${month}/risks`;
          if (month === 2) await check(list);
          await page.goto(list);
          await saved("Copy last month's risks");
          assert.match((await page.getByTestId("risks-table").textContent()) ?? "", new RegExp(MONTH_1_RISK));
          // The list as copied, with each risk's change and remove links, checked once.
          if (month === 2) await check(list);
        }
        if (month < 3) continue;

        // The quarter's last month: its own risk beside those copied, and the rest of the finance.
        await page.goto(`/budget/${YEAR}/m3/risks/new`);
        await page.locator("#service").fill("Ferries");
        await page.locator("#risk").fill(MONTH_3.risk);
        await page.locator("#sensitivity").fill("£150,000");
        await page.locator('input[name="likelihood"]').nth(3).check();
        await saved("Add the risk");
        for (const href of linksFor("savings")) {
          await page.goto(href);
          const initiatives = await page
            .locator('main a[href*="/forecasts/"]')
            .evaluateAll((links) => links.map((link) => link.getAttribute("href") ?? ""));
          for (const initiative of initiatives) {
            await check(initiative);
            await page.goto(initiative);
            await page.getByLabel("Forecast to be achieved by the year end").fill("£50,000");
            await saved("Save savings forecast");
          }
        }
        for (const href of linksFor("growth")) {
          await check(href);
          await page.goto(href);
          await fillEmptyAmounts(page, "£10,000");
          await saved("Save growth item spend");
        }
        for (const href of linksFor("reserves")) {
          await check(href);
          await page.goto(href);
          await fillEmptyAmounts(page, "£250,000");
          await saved("Save reserve balances");
        }
        for (const href of linksFor("debt")) {
          await check(href);
          await page.goto(href);
          await fillEmptyAmounts(page, "£75,000");
          await page.getByLabel("Debt written off in the year").fill(MONTH_3.writeOff.amount);
          await saved("Save debt figures");
        }
        for (const href of linksFor("narrative")) {
          await check(href);
          await page.goto(href);
          // Every written part; the reason for waiving call-in only goes with a yes, left unanswered here.
          const parts = page.getByTestId("narrative-form").locator('textarea:not([name="callInReason"])');
          for (let index = 0; index < (await parts.count()); index += 1) {
            await parts.nth(index).fill(`${MONTH_3.narrative} Part ${index + 1}.`);
          }
          await saved("Save the narrative");
        }
        // What is left is the quarter's deliverable progress and quarterly measures, nothing of the finance.
        await page.goto(`/periods/${period}`);
        for (const section of [
          "budget-lines",
          "financial-risks",
          "savings",
          "growth",
          "reserves",
          "debt",
          "narrative",
        ])
          assert.equal(
            await page.getByTestId(`missing-${section}`).count(),
            0,
            `month 3: ${section} recorded`,
          );
      }

      // Each month's budget page keeps its own figures.
      for (const { month, shown } of MONTHS) {
        const path = `/budget/${YEAR}/m${month}`;
        await check(path);
        assert.match(
          flat((await withJavaScript.getByTestId("outturn-table").textContent()) ?? ""),
          new RegExp(`${shown[0]}[\\s\\S]*${shown[1]}`),
          `month ${month}'s budget page`,
        );
      }

      for (const [kind, address] of landed) if (!checked.has(kind)) await check(address);

      // The quarter 1 report, made from month 3: the page, Word, Excel and PDF.
      await check(`/reports/quarterly/${YEAR}/q1`);
      const report = flat((await withJavaScript.locator("main").textContent()) ?? "");
      assert.match(report, /Forecasts as at Month 3, the last month of quarter 1/);
      const [month3] = MONTHS.slice(-1);
      const figures = [...(month3?.shown ?? []), MONTH_3.writeOff.shown];
      const words = [MONTH_1_RISK, MONTH_3.risk, `${MONTH_3.narrative} Part 1.`, explanationOf(3)];
      const earlier = [
        ...MONTHS.slice(0, 2).map((month) => month.shown[1] ?? ""),
        explanationOf(1),
        explanationOf(2),
      ];
      for (const expected of [...figures, ...words])
        assert.ok(report.includes(expected), `page: ${expected}`);
      for (const notShown of earlier) assert.ok(!report.includes(notShown), `page: not ${notShown}`);

      const word = await download(withJavaScript, /^Word/);
      assert.equal(word.name, "quarterly-report-2021-22-q1.docx");
      const xml = flat((await zipEntryText(word.path, "word/document.xml")).replace(/<[^>]+>/g, ""));
      for (const expected of [...figures, ...words]) assert.ok(xml.includes(expected), `Word: ${expected}`);
      for (const notShown of earlier) assert.ok(!xml.includes(notShown), `Word: not ${notShown}`);

      const excel = await download(withJavaScript, /^Excel/);
      assert.equal(excel.name, "quarterly-report-2021-22-q1.xlsx");
      const cells = await workbookText(excel.path);
      for (const expected of [MONTH_1_RISK, MONTH_3.risk])
        assert.ok(cells.includes(expected), `Excel: ${expected}`);
      // Amounts are cells in pounds: the first line's month 3 forecast, not month 1's or 2's.
      assert.match(cells, /^3333444\.55$|^3333000$|^3333445$/m);
      assert.doesNotMatch(cells, /^3111222\.33$|^3222333\.44$/m);

      const pdf = await download(withJavaScript, /^PDF/);
      assert.equal(pdf.name, "quarterly-report-2021-22-q1.pdf");
      const pdfText = await pdfFileText(pdf.path);
      for (const expected of [...figures, MONTH_3.risk.slice(0, 30)])
        assert.ok(pdfText.includes(expected), `PDF: ${expected}`);
    },
  );
});
