import assert from "node:assert/strict";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe } from "node:test";
import { sql } from "drizzle-orm";
import type { Page } from "playwright-core";
import { formatPounds, parseMoney } from "../src/domain/money.ts";
import { libreOffice } from "../test/helpers/libreoffice.ts";
import { readPdf } from "../test/helpers/pdf.ts";
import { skipWithout } from "../test/helpers/programs.ts";
import {
  assertAccessibleAndFits,
  download,
  fillEmptyAmounts,
  flat,
  hasRow,
  missingBySection,
  save,
  submitForStatus,
  wordTableRows,
  wordText,
  workbookRows,
} from "./cycle-steps.ts";
import { journeyTest, setUpJourney, visit } from "./harness.ts";

/**
 * The monitoring cycle run forward through the pages only. Quarter 4 2020/21, after the published
 * quarter 3, is opened from the periods page and entered whole by following its period page's lists of what is missing (every
 * deliverable's progress, a value for every measure due, every budget line's forecast with its
 * variance explained, savings, growth, reserves, debt, a financial risk and the report narrative)
 * until the page says it is complete; it is published, the dashboard, /budget and /reports move to
 * it, and its report in Word, Excel and PDF holds what was entered (each measure's value in its
 * row, each line's explanation), the Word file opening in LibreOffice; quarter 3's files are the
 * same before and after. Forms are filled on the page without JavaScript; axe runs once on each
 * kind of page, and on the refusals met on the way (closing or publishing with items missing and
 * unconfirmed, a value for a period no longer or not yet open), which must also fit a phone.
 * A year monitored monthly is run in e2e/monthly-cycle.e2e.test.ts.
 */

/** A quarter's report as served: the page's main content, the Word and Excel bytes, the PDF's text. */
async function reportFiles(page: Page, path: string) {
  const get = async (suffix: string) => {
    const response = await page.request.get(`${path}${suffix}`);
    assert.equal(response.status(), 200, `${path}${suffix}`);
    return response.body();
  };
  const html = (await get("")).toString("utf8");
  const main = /<main[\s\S]*<\/main>/.exec(html)?.[0] ?? "";
  assert.ok(main.length > 0, "the report page has its main content");
  return {
    html: main,
    docx: await get(".docx"),
    xlsx: await get(".xlsx"),
    pdfText: (await readPdf(await get(".pdf"))).text,
  };
}

const Q4 = "2020-21/q4";
/** Words and figures entered for quarter 4, looked for in its report's files. */
const ENTERED = {
  progress: "Quarter four progress recorded through the pages.",
  line: {
    budget: "£2,345,678.91",
    forecast: "£2,456,789.12",
    shown: ["2.346", "2.457"],
    /** How 2.4 Key Variances heads the first line's explanation: its variance, £111,110.21 over. */
    heading: "overspend £0.111m",
  },
  savings: { amount: "£123,456", shown: "0.123" },
  reserve: { amount: "£1,234,567", shown: "1.235" },
  writeOff: { amount: "£45,678", shown: "0.046" },
  risk: "Fuel prices rise faster than the quarter four forecast allows",
  narrative: "Quarter four narrative written through the pages.",
};

/**
 * A PDF's text as compared: without the page footers, and without white space, as lines break where
 * the page did (a long heading wraps after "Care/", or runs on to the next page).
 */
const squeezed = (text: string) => text.replace(/Page \d+ of \d+\s*\f/g, "").replace(/\s+/g, "");

/** For a failure's message: the text before where `expected`'s last characters are, if anywhere. */
function near(text: string, expected: string): string {
  const at = text.indexOf(expected.slice(-7));
  return at < 0 ? "(not found)" : text.slice(Math.max(0, at - expected.length - 200), at + 100);
}

/** LibreOffice opens the Word file where it is installed; elsewhere that step says why it is skipped. */
const WITHOUT_LIBREOFFICE = skipWithout("libreoffice");

describe("the next quarter entered and reported", () => {
  const journey = setUpJourney();

  journeyTest(
    "quarter 4 2020/21 through the pages: every section entered from the period page, published, reported",
    journey,
    async () => {
      const { page: withJavaScript, pageWithoutJavaScript: page } = journey;
      const quarter3Before = await reportFiles(withJavaScript, "/reports/quarterly/2020-21/q3");

      // The demo opens quarter 4 with the rest of its year. Set back to not opened (nothing is
      // recorded for it yet), it is opened here from the periods page, as at a quarter's start.
      await journey.database.db.execute(sql`delete from monitoring_periods where period = '2020-21-q4'`);
      await visit(withJavaScript, "/periods");
      await page.goto("/periods");
      const notOpened = page.getByTestId("period-row").filter({ hasText: "Quarter 4 2020/21" });
      assert.match((await notOpened.textContent()) ?? "", /Not opened/);
      await page.getByRole("button", { name: "Open for entry Quarter 4 2020/21", exact: true }).click();
      await page.waitForLoadState();
      assert.equal(new URL(page.url()).pathname, `/periods/${Q4}`);
      assert.match((await page.locator("main").textContent()) ?? "", /The period was opened for entry\./);

      await visit(withJavaScript, `/periods/${Q4}`);
      assert.match((await withJavaScript.getByTestId("period-status").textContent()) ?? "", /Open for entry/);

      // Closing or publishing it with everything missing and unconfirmed is refused, the period page
      // naming the confirmation; it stays open.
      for (const [action, button] of [
        ["close", "Close for entry"],
        ["publish", "Publish"],
      ] as const) {
        assert.equal(await submitForStatus(withJavaScript, `${action}-form`, button), 400, action);
        const summary = withJavaScript.locator(".govuk-error-summary");
        assert.match((await summary.textContent()) ?? "", new RegExp(`${action} Quarter 4 2020/21`, "i"));
        assert.equal(await summary.locator(`a[href="#${action}-confirm"]`).count(), 1, action);
        assert.match(
          (await withJavaScript.getByTestId("period-status").textContent()) ?? "",
          /Open for entry/,
        );
        await assertAccessibleAndFits(withJavaScript);
      }

      // What is missing, section by section, read from one load of the period page: each section's
      // links lead to its items whatever is entered in the others.
      const missing = await missingBySection(page, Q4);
      const linksFor = (section: string) => missing.get(section) ?? [];

      // Progress for every Council Plan deliverable, each form starting at quarter 4.
      const deliverables = linksFor("deliverables");
      assert.ok(deliverables.length > 1);
      await visit(withJavaScript, deliverables[0] ?? "");
      for (const href of deliverables) {
        await page.goto(href);
        const form = page.getByTestId("progress-form");
        assert.equal(await form.getByLabel("Quarter").inputValue(), "2020-21-q4", href);
        await form.locator('input[name="rating"]').first().check();
        await form.getByLabel("Narrative").fill(ENTERED.progress);
        await save(page, "Save progress");
      }

      // A value for every measure due in the quarter, each its own, looked for in its row of the report.
      const measures = linksFor("measures");
      assert.ok(measures.length > 1);
      await visit(withJavaScript, measures[0] ?? "");
      const values: { title: string; value: string }[] = [];
      for (const [index, href] of measures.entries()) {
        await page.goto(href);
        assert.match((await page.locator("h1").textContent()) ?? "", /Add the Quarter 4 2020\/21 value/);
        const title = ((await page.locator(".govuk-caption-l").textContent()) ?? "").trim();
        const value = `${index + 11}.37`;
        values.push({ title, value });
        await page.locator("#value").fill(value);
        await page.locator("#status").check();
        await save(page, "Save the value");
      }

      // Every budget line's forecast, off its budget (over and under by turns) and the variance
      // explained; the first with figures looked for in the report.
      const lines = linksFor("budget-lines");
      assert.ok(lines.length > 1);
      await visit(withJavaScript, lines[0] ?? "");
      const explained: { line: string; text: string }[] = [];
      for (const [index, href] of lines.entries()) {
        await page.goto(href);
        // The caption is the line's name and the year.
        const line = ((await page.locator(".govuk-caption-l").textContent()) ?? "")
          .trim()
          .replace(/, [^,]*$/, "");
        const budget = page.getByLabel("Controllable budget");
        if (index === 0) await budget.fill(ENTERED.line.budget);
        else if ((await budget.inputValue()).trim() === "") await budget.fill("£100,000");
        const budgetPence = parseMoney(await budget.inputValue());
        assert.ok(budgetPence.ok, `${href}: the budget reads as an amount`);
        const off = (index % 2 === 0 ? 1 : -1) * index * 100_000; // £1,000 more each line
        await page
          .getByLabel("Full year forecast")
          .fill(index === 0 ? ENTERED.line.forecast : formatPounds(budgetPence.pence + off, { pence: true }));
        const text = `Variance ${index + 1} explained on the forecast form.`;
        await page.getByLabel("Explanation of the variance").fill(text);
        explained.push({ line, text });
        await save(page, "Save forecast");
      }

      // Savings: every initiative's forecast, from the savings page the period page links to.
      for (const href of linksFor("savings")) {
        await page.goto(href);
        const initiatives = await page
          .locator('main a[href*="/forecasts/"]')
          .evaluateAll((links) => links.map((link) => link.getAttribute("href") ?? ""));
        assert.ok(initiatives.length > 0, "the savings page links each initiative's forecast");
        await visit(withJavaScript, initiatives[0] ?? "");
        for (const initiative of initiatives) {
          await page.goto(initiative);
          await page.getByLabel("Forecast to be achieved by the year end").fill(ENTERED.savings.amount);
          await save(page, "Save savings forecast");
        }
      }

      // Growth spend, reserve balances and debt: one form each, every row.
      for (const href of linksFor("growth")) {
        await visit(withJavaScript, href);
        await page.goto(href);
        await fillEmptyAmounts(page, "£10,000");
        await save(page, "Save growth item spend");
      }
      for (const href of linksFor("reserves")) {
        await visit(withJavaScript, href);
        await page.goto(href);
        await page.locator('input[name="amount-0"]').fill(ENTERED.reserve.amount);
        await fillEmptyAmounts(page, "£250,000");
        await save(page, "Save reserve balances");
      }
      for (const href of linksFor("debt")) {
        await visit(withJavaScript, href);
        await page.goto(href);
        await fillEmptyAmounts(page, "£75,000");
        await page.getByLabel("Debt written off in the year").fill(ENTERED.writeOff.amount);
        await save(page, "Save debt figures");
      }

      // A financial risk.
      for (const href of linksFor("financial-risks")) {
        await visit(withJavaScript, href);
        await page.goto(href);
        await page.locator("#service").fill("Transport");
        await page.locator("#risk").fill(ENTERED.risk);
        await page.locator("#sensitivity").fill("£250,000");
        await page.locator('input[name="likelihood"]').nth(2).check();
        await page.locator("form").getByRole("button").last().click();
        await page.getByTestId("saved-banner").waitFor();
      }

      // The report's narrative: every part of it.
      for (const href of linksFor("narrative")) {
        await visit(withJavaScript, href);
        await page.goto(href);
        const parts = page.getByTestId("narrative-form").locator("textarea");
        for (let index = 0; index < (await parts.count()); index += 1) {
          await parts.nth(index).fill(`${ENTERED.narrative} Part ${index + 1}.`);
        }
        await save(page, "Save the narrative");
      }

      // The period page says everything is recorded, and the quarter is published.
      await visit(withJavaScript, `/periods/${Q4}`);
      assert.match(
        (await withJavaScript.getByTestId("period-summary").textContent()) ?? "",
        /Everything the monitoring report needs is recorded/,
      );
      // A second officer has the first measure's form open while the quarter is published.
      await withJavaScript.goto(measures[0] ?? "");
      await page.goto(`/periods/${Q4}`);
      await page.getByTestId("publish-form").getByRole("button", { name: "Publish" }).click();
      await page.waitForLoadState();
      assert.match((await page.getByTestId("period-status").textContent()) ?? "", /Published/);

      // Their value is refused with a page saying the quarter is published and where periods are
      // opened; nothing is saved (the report below prints the value entered before). A period
      // never opened is refused the same way.
      await withJavaScript.locator("#value").fill("99.99");
      assert.equal(await submitForStatus(withJavaScript, "period-value-form", "Save the value"), 400);
      assert.match(
        flat((await withJavaScript.getByTestId("period-closed").textContent()) ?? ""),
        /Quarter 4 2020\/21 is published\. Nothing was saved\./,
      );
      await assertAccessibleAndFits(withJavaScript);
      await visit(withJavaScript, (measures[0] ?? "").replace(/period=[^&]+/, "period=2031-32-q2"), 400);
      assert.match(
        flat((await withJavaScript.getByTestId("period-closed").textContent()) ?? ""),
        /has not been opened\. Nothing was saved\./,
      );
      await assertAccessibleAndFits(withJavaScript);

      // The dashboard, the budget and the reports now show quarter 4.
      await visit(withJavaScript, "/");
      assert.match(
        flat((await withJavaScript.getByTestId("quarter-shown").textContent()) ?? ""),
        /stands in Quarter 4 2020\/21, the latest published quarter\./,
      );
      await visit(withJavaScript, "/budget");
      const budget = (await withJavaScript.locator("main").textContent()) ?? "";
      assert.match(budget, /2020\/21 quarter 4, the latest published quarter/);
      assert.match(
        budget.replace(/\s+/g, " "),
        new RegExp(`${ENTERED.line.shown[0]}[\\s\\S]*${ENTERED.line.shown[1]}`),
      );
      await visit(withJavaScript, "/reports");
      assert.match(
        (await withJavaScript.locator("main").textContent())?.replace(/\s+/g, " ") ?? "",
        /quarter 4 2020\/21 Published/,
      );

      // The quarter 4 report as a page, Word, Excel and PDF, each with what was entered.
      await visit(withJavaScript, "/reports/quarterly/2020-21/q4");
      const figures = [
        ...ENTERED.line.shown,
        ENTERED.savings.shown,
        ENTERED.reserve.shown,
        ENTERED.writeOff.shown,
      ];
      // The explanations under 2.4 Key Variances, the first headed with its line and variance.
      const explanations = [
        `${explained[0]?.line}, ${ENTERED.line.heading}`,
        ...explained.map((entry) => entry.text),
      ];
      const words = [ENTERED.progress, ENTERED.risk, `${ENTERED.narrative} Part 1.`, ...explanations];
      const measureValues = values.map((entry) => entry.value);
      const page4 = flat((await withJavaScript.locator("main").textContent()) ?? "");
      assert.match(page4, /as at Quarter 4/);
      for (const expected of [...figures, ...words, ...measureValues])
        assert.ok(page4.includes(expected), `page: ${expected}`);

      // Word: the words and figures in its text, each measure's value in the measure's row.
      const word = await download(withJavaScript, /^Word/);
      assert.equal(word.name, "quarterly-report-2020-21-q4.docx");
      const wordWords = await wordText(word.path);
      for (const expected of [...figures, ...words])
        assert.ok(wordWords.includes(expected), `Word: ${expected}`);
      const wordRows = await wordTableRows(word.path);
      for (const { title, value } of values)
        assert.ok(hasRow(wordRows, [title, value]), `Word: ${title} is ${value}`);

      // Excel: tables only (no prose), so the risk, the amounts and each measure's value in its row.
      const excel = await download(withJavaScript, /^Excel/);
      assert.equal(excel.name, "quarterly-report-2020-21-q4.xlsx");
      const excelRows = await workbookRows(excel.path);
      const cells = excelRows.flat().join("\n");
      assert.ok(cells.includes(ENTERED.risk), "Excel: the risk");
      // Amounts are cells in pounds: the line's forecast and the debt written off.
      assert.match(cells, /^2456789\.12$|^2457000$|^2456789$/m);
      for (const { title, value } of values)
        assert.ok(hasRow(excelRows, [title, value]), `Excel: ${title} is ${value}`);

      const pdf = await download(withJavaScript, /^PDF/);
      assert.equal(pdf.name, "quarterly-report-2020-21-q4.pdf");
      const pdfText = squeezed((await readPdf(await readFile(pdf.path))).text);
      for (const expected of [...figures, ENTERED.risk.slice(0, 30), ...explanations, ...measureValues])
        assert.ok(
          pdfText.includes(squeezed(expected)),
          `PDF: ${expected}, near: ${near(pdfText, squeezed(expected))}`,
        );

      // The Word file opens in LibreOffice, whose conversion holds the quarter 4 figures.
      if (WITHOUT_LIBREOFFICE) {
        console.log(`# ${WITHOUT_LIBREOFFICE}`);
      } else {
        const converted = squeezed(
          (
            await readPdf(
              await readFile(
                libreOffice(word.path, "pdf", await mkdtemp(join(tmpdir(), "baseplan-cycle-lo-"))),
              ),
            )
          ).text,
        );
        for (const expected of [...figures, ...explanations, ...measureValues])
          assert.ok(
            converted.includes(squeezed(expected)),
            `LibreOffice: ${expected}, near: ${near(converted, squeezed(expected))}`,
          );
      }

      // Quarter 3, published before, is exactly as it was: its page, Word and Excel byte for byte, its PDF's text.
      const quarter3After = await reportFiles(withJavaScript, "/reports/quarterly/2020-21/q3");
      assert.equal(quarter3After.html, quarter3Before.html);
      assert.ok(quarter3After.docx.equals(quarter3Before.docx), "quarter 3 Word unchanged");
      assert.ok(quarter3After.xlsx.equals(quarter3Before.xlsx), "quarter 3 Excel unchanged");
      assert.equal(quarter3After.pdfText, quarter3Before.pdfText);
      assert.doesNotMatch(quarter3After.html, new RegExp(ENTERED.narrative));
      assert.ok(
        !quarter3After.html.includes(explained[0]?.text ?? ""),
        "no quarter 4 explanation in quarter 3",
      );
    },
  );
});
