import assert from "node:assert/strict";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import type { Page } from "playwright-core";
import { readPdf } from "../test/helpers/pdf.ts";
import { zipEntryText } from "../test/helpers/zip.ts";
import { assertAccessible } from "./harness.ts";

/**
 * The steps the monitoring-cycle journeys share (e2e/cycle.e2e.test.ts, a quarter;
 * e2e/monthly-cycle.e2e.test.ts, a year's first months): following a period page's lists of
 * what is missing, saving a form, and reading a report's files.
 */

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

/**
 * Every row of every sheet of a workbook, each the values of its cells that hold one (a formula's
 * result), as text, sheet by sheet.
 */
export async function workbookRows(path: string): Promise<string[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load((await readFile(path)) as unknown as ArrayBuffer);
  const rows: string[][] = [];
  for (const sheet of workbook.worksheets) {
    sheet.eachRow((row) => {
      const values: string[] = [];
      row.eachCell((cell) => {
        const value = cell.value;
        if (value !== null && typeof value === "object" && "result" in value)
          values.push(String(value.result));
        else if (value !== null && typeof value === "object" && "richText" in value)
          values.push(value.richText.map((run) => run.text).join(""));
        else values.push(String(value));
      });
      rows.push(values);
    });
  }
  return rows;
}

/** Every value of every cell of a workbook (a formula's result), as text, one a line, sheet by sheet. */
export async function workbookText(path: string): Promise<string> {
  return (await workbookRows(path)).flat().join("\n");
}

/** XML text with its five entities read back as the characters they stand for. */
const unescapeXml = (text: string) =>
  text
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&");

/** A Word file's document text: paragraphs a space apart, white space made single. */
export async function wordText(path: string): Promise<string> {
  const xml = await zipEntryText(path, "word/document.xml");
  return flat(unescapeXml(xml.replace(/<\/w:p>/g, " ").replace(/<[^>]+>/g, "")));
}

/** Every row of every table in a Word file, as its cells' text (paragraphs a space apart). */
export async function wordTableRows(path: string): Promise<string[][]> {
  const xml = await zipEntryText(path, "word/document.xml");
  return xml
    .split("</w:tr>")
    .slice(0, -1)
    .map((row) =>
      row
        .split("</w:tc>")
        .slice(0, -1)
        .map((cell) => flat(unescapeXml(cell.replace(/<\/w:p>/g, " ").replace(/<[^>]+>/g, ""))).trim()),
    );
}

/** Whether some row starts with these cells, in order (a measure's title, then its value). */
export function hasRow(rows: readonly (readonly string[])[], cells: readonly string[]): boolean {
  return rows.some((row) => cells.every((cell, index) => row[index]?.trim() === cell));
}

/**
 * Axe on the page as it stands, then the page laid out on a phone (390 px): nothing wider than the
 * screen. The page is left at the width it had.
 */
export async function assertAccessibleAndFits(page: Page): Promise<void> {
  await assertAccessible(page);
  const size = page.viewportSize() ?? { width: 1280, height: 720 };
  await page.setViewportSize({ width: 390, height: size.height });
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  await page.setViewportSize(size);
  assert.ok(width <= 390, `${page.url()} is ${width} px wide on a 390 px screen`);
}

/**
 * Presses a form's button (JavaScript on, so axe can run on the answer) and returns the answer's
 * status once its page has loaded: for a refusal, the page that says why.
 */
export async function submitForStatus(page: Page, form: string, button: string): Promise<number> {
  const [response] = await Promise.all([
    page.waitForResponse((answer) => answer.request().method() === "POST"),
    page.getByTestId(form).getByRole("button", { name: button, exact: true }).click(),
  ]);
  await page.waitForLoadState();
  return response.status();
}

/** Text with every run of white space made one space. */
export const flat = (text: string) => text.replace(/\s+/g, " ");

/** A PDF file's text, white space made single. */
export async function pdfFileText(path: string): Promise<string> {
  return flat((await readPdf(await readFile(path))).text);
}
