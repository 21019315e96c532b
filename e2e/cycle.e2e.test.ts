import assert from "node:assert/strict";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe } from "node:test";
import type { Page } from "playwright-core";
import { libreOffice } from "../test/helpers/libreoffice.ts";
import { readPdf } from "../test/helpers/pdf.ts";
import { skipWithout } from "../test/helpers/programs.ts";
import { zipEntryText } from "../test/helpers/zip.ts";
import { download, fillEmptyAmounts, missingLinks, save, workbookText } from "./cycle-steps.ts";
import { journeyTest, setUpJourney, visit } from "./harness.ts";

/**
 * The monitoring cycle run forward through the pages only. Quarter 4 2020/21, after the published
 * quarter 3, is entered whole by following its period page's lists of what is missing (every
 * deliverable's progress, every measure due, every budget line's forecast, savings, growth,
 * reserves, debt, a financial risk and the report narrative) until the page says it is complete;
 * it is published, the dashboard, /budget and /reports move to it, and its report in Word, Excel
 * and PDF holds what was entered, the Word file opening in LibreOffice; quarter 3's files are the
 * same before and after. Forms are filled on the page without JavaScript; axe runs once on each
 * kind of page. A year monitored monthly is run in e2e/monthly-cycle.e2e.test.ts.
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
  line: { budget: "£2,345,678.91", forecast: "£2,456,789.12", shown: ["2.346", "2.457"] },
  savings: { amount: "£123,456", shown: "0.123" },
  reserve: { amount: "£1,234,567", shown: "1.235" },
  writeOff: { amount: "£45,678", shown: "0.046" },
  risk: "Fuel prices rise faster than the quarter four forecast allows",
  narrative: "Quarter four narrative written through the pages.",
};

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

      await visit(withJavaScript, `/periods/${Q4}`);
      assert.match((await withJavaScript.getByTestId("period-status").textContent()) ?? "", /Open for entry/);

      // Progress for every Council Plan deliverable, each form starting at quarter 4.
      const deliverables = await missingLinks(page, Q4, "deliverables");
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

      // A value for every measure due in the quarter.
      const measures = await missingLinks(page, Q4, "measures");
      assert.ok(measures.length > 1);
      await visit(withJavaScript, measures[0] ?? "");
      for (const href of measures) {
        await page.goto(href);
        assert.match((await page.locator("h1").textContent()) ?? "", /Add the Quarter 4 2020\/21 value/);
        await page.locator("#value").fill("42");
        await page.locator("#status").check();
        await save(page, "Save the value");
      }

      // Every budget line's forecast; the first with figures looked for in the report.
      const lines = await missingLinks(page, Q4, "budget-lines");
      assert.ok(lines.length > 1);
      await visit(withJavaScript, lines[0] ?? "");
      for (const [index, href] of lines.entries()) {
        await page.goto(href);
        const budget = page.getByLabel("Controllable budget");
        if (index === 0) await budget.fill(ENTERED.line.budget);
        else if ((await budget.inputValue()).trim() === "") await budget.fill("£100,000");
        await page
          .getByLabel("Full year forecast")
          .fill(index === 0 ? ENTERED.line.forecast : await budget.inputValue());
        await save(page, "Save forecast");
      }

      // Savings: every initiative's forecast, from the savings page the period page links to.
      for (const href of await missingLinks(page, Q4, "savings")) {
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
      for (const href of await missingLinks(page, Q4, "growth")) {
        await visit(withJavaScript, href);
        await page.goto(href);
        await fillEmptyAmounts(page, "£10,000");
        await save(page, "Save growth item spend");
      }
      for (const href of await missingLinks(page, Q4, "reserves")) {
        await visit(withJavaScript, href);
        await page.goto(href);
        await page.locator('input[name="amount-0"]').fill(ENTERED.reserve.amount);
        await fillEmptyAmounts(page, "£250,000");
        await save(page, "Save reserve balances");
      }
      for (const href of await missingLinks(page, Q4, "debt")) {
        await visit(withJavaScript, href);
        await page.goto(href);
        await fillEmptyAmounts(page, "£75,000");
        await page.getByLabel("Debt written off in the year").fill(ENTERED.writeOff.amount);
        await save(page, "Save debt figures");
      }

      // A financial risk.
      for (const href of await missingLinks(page, Q4, "financial-risks")) {
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
      for (const href of await missingLinks(page, Q4, "narrative")) {
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
      await page.goto(`/periods/${Q4}`);
      await page.getByTestId("publish-form").getByRole("button", { name: "Publish" }).click();
      await page.waitForLoadState();
      assert.match((await page.getByTestId("period-status").textContent()) ?? "", /Published/);

      // The dashboard, the budget and the reports now show quarter 4.
      await visit(withJavaScript, "/");
      assert.match((await withJavaScript.locator("main").textContent()) ?? "", /Quarter 4 2020\/21/);
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
      const words = [ENTERED.progress, ENTERED.risk, `${ENTERED.narrative} Part 1.`];
      const flat = (text: string) => text.replace(/\s+/g, " ");
      const page4 = flat((await withJavaScript.locator("main").textContent()) ?? "");
      assert.match(page4, /as at Quarter 4/);
      for (const expected of [...figures, ...words]) assert.ok(page4.includes(expected), `page: ${expected}`);

      const word = await download(withJavaScript, /^Word/);
      assert.equal(word.name, "quarterly-report-2020-21-q4.docx");
      const xml = flat((await zipEntryText(word.path, "word/document.xml")).replace(/<[^>]+>/g, ""));
      for (const expected of [...figures, ...words]) assert.ok(xml.includes(expected), `Word: ${expected}`);

      const excel = await download(withJavaScript, /^Excel/);
      assert.equal(excel.name, "quarterly-report-2020-21-q4.xlsx");
      const cells = await workbookText(excel.path);
      assert.ok(cells.includes(ENTERED.risk), "Excel: the risk");
      // Amounts are cells in pounds: the line's forecast and the debt written off.
      assert.match(cells, /^2456789\.12$|^2457000$|^2456789$/m);

      const pdf = await download(withJavaScript, /^PDF/);
      assert.equal(pdf.name, "quarterly-report-2020-21-q4.pdf");
      const pdfText = flat((await readPdf(await readFile(pdf.path))).text);
      for (const expected of [...figures, ENTERED.risk.slice(0, 30)])
        assert.ok(pdfText.includes(expected), `PDF: ${expected}`);

      // The Word file opens in LibreOffice, whose conversion holds the quarter 4 figures.
      if (WITHOUT_LIBREOFFICE) {
        console.log(`# ${WITHOUT_LIBREOFFICE}`);
      } else {
        const converted = flat(
          (
            await readPdf(
              await readFile(
                libreOffice(word.path, "pdf", await mkdtemp(join(tmpdir(), "baseplan-cycle-lo-"))),
              ),
            )
          ).text,
        );
        for (const expected of figures) assert.ok(converted.includes(expected), `LibreOffice: ${expected}`);
      }

      // Quarter 3, published before, is exactly as it was: its page, Word and Excel byte for byte, its PDF's text.
      const quarter3After = await reportFiles(withJavaScript, "/reports/quarterly/2020-21/q3");
      assert.equal(quarter3After.html, quarter3Before.html);
      assert.ok(quarter3After.docx.equals(quarter3Before.docx), "quarter 3 Word unchanged");
      assert.ok(quarter3After.xlsx.equals(quarter3Before.xlsx), "quarter 3 Excel unchanged");
      assert.equal(quarter3After.pdfText, quarter3Before.pdfText);
      assert.doesNotMatch(quarter3After.html, new RegExp(ENTERED.narrative));
    },
  );
});
