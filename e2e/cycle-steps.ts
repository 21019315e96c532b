import assert from "node:assert/strict";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import type { Page } from "playwright-core";
import { readPdf } from "../test/helpers/pdf.ts";

/**
 * The steps the monitoring-cycle journeys share (e2e/cycle.e2e.test.ts, a quarter;
 * e2e/monthly-cycle.e2e.test.ts, a year's first months): following a period page's lists of
 * what is missing, saving a form, and reading a report's files.
 */

/** Where each of a section's "enter it" links on a period page goes, in the page's order. */
export async function missingLinks(page: Page, periodPath: string, section: string): Promise<string[]> {
  await page.goto(`/periods/${periodPath}`);
  const list = page.getByTestId(`missing-${section}`);
  if ((await list.count()) === 0) return [];
  const hrefs = await list
    .getByRole("link")
    .evaluateAll((links) => links.map((link) => link.getAttribute("href") ?? ""));
  assert.ok(hrefs.length > 0, `${section}: the missing items are links while the period is open`);
  return [...new Set(hrefs)];
}

/**
 * Every section's "enter it" links on a period page, read from one load of it: section key to the
 * links' addresses (each once, in the page's order); a section with nothing missing is absent.
 */
export async function missingBySection(page: Page, periodPath: string): Promise<Map<string, string[]>> {
  await page.goto(`/periods/${periodPath}`);
  const lists = await page.locator('[data-testid^="missing-"]').evaluateAll((elements) =>
    elements.map((list) => ({
      section: (list.getAttribute("data-testid") ?? "").replace(/^missing-/, ""),
      hrefs: [...list.querySelectorAll("a")].map((link) => link.getAttribute("href") ?? ""),
    })),
  );
  return new Map(lists.map(({ section, hrefs }) => [section, [...new Set(hrefs)]]));
}

/** Presses a form's button and waits for the saved banner; a refusal fails with the page's own message. */
export async function save(page: Page, button: string): Promise<void> {
  await page.getByRole("button", { name: button, exact: true }).click();
  await page.waitForLoadState();
  if ((await page.getByTestId("saved-banner").count()) === 0) {
    const summary = await page.locator(".govuk-error-summary, main").first().textContent();
    throw new Error(
      `${button} at ${page.url()} was not saved: ${(summary ?? "").replace(/\s+/g, " ").slice(0, 400)}`,
    );
  }
}

/** Fills every empty amount of a balances form (rows named amount-N) with `amount`, leaving entered ones. */
export async function fillEmptyAmounts(page: Page, amount: string): Promise<void> {
  const inputs = page.locator('input[name^="amount-"]');
  for (let index = 0; index < (await inputs.count()); index += 1) {
    const input = inputs.nth(index);
    if ((await input.inputValue()).trim() === "") await input.fill(amount);
  }
}

/** A download's file saved where the test can read it. */
export async function download(page: Page, linkName: RegExp): Promise<{ name: string; path: string }> {
  const [file] = await Promise.all([
    page.waitForEvent("download"),
    page.getByTestId("downloads").getByRole("link", { name: linkName }).click(),
  ]);
  const path = join(await mkdtemp(join(tmpdir(), "baseplan-cycle-")), file.suggestedFilename());
  await file.saveAs(path);
  return { name: file.suggestedFilename(), path };
}

/** Every value of every cell of a workbook (a formula's result), as text, sheet by sheet. */
export async function workbookText(path: string): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load((await readFile(path)) as unknown as ArrayBuffer);
  const values: string[] = [];
  for (const sheet of workbook.worksheets) {
    sheet.eachRow((row) =>
      row.eachCell((cell) => {
        const value = cell.value;
        if (value !== null && typeof value === "object" && "result" in value)
          values.push(String(value.result));
        else if (value !== null && typeof value === "object" && "richText" in value)
          values.push(value.richText.map((run) => run.text).join(""));
        else values.push(String(value));
      }),
    );
  }
  return values.join("\n");
}

/** Text with every run of white space made one space. */
export const flat = (text: string) => text.replace(/\s+/g, " ");

/** A PDF file's text, white space made single. */
export async function pdfFileText(path: string): Promise<string> {
  return flat((await readPdf(await readFile(path))).text);
}
