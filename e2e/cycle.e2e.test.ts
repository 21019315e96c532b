import assert from "node:assert/strict";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe } from "node:test";
import type { Page } from "playwright-core";
import { zipEntryText } from "../test/helpers/zip.ts";
import { journeyTest, setUpJourney, visit } from "./harness.ts";

/**
 * The monitoring cycle run forward through the pages only: a period after the published one is
 * entered and its quarterly report produced from what was entered; and a year monitored monthly
 * is opened, a month's forecast entered, and the quarter-end report made from it.
 */

/** Follows the first "enter it" link of a period page's missing list for one section. */
async function enterFirstMissing(page: Page, periodPath: string, section: string): Promise<void> {
  await page.goto(`/periods/${periodPath}`);
  await page.getByTestId(`missing-${section}`).getByRole("link").first().click();
  await page.waitForLoadState();
}

/** A download's file saved where the test can read it. */
async function download(page: Page, linkName: RegExp): Promise<{ name: string; path: string }> {
  const [file] = await Promise.all([
    page.waitForEvent("download"),
    page.getByTestId("downloads").getByRole("link", { name: linkName }).click(),
  ]);
  const path = join(await mkdtemp(join(tmpdir(), "baseplan-cycle-")), file.suggestedFilename());
  await file.saveAs(path);
  return { name: file.suggestedFilename(), path };
}

describe("the next quarter entered and reported", () => {
  const journey = setUpJourney();

  journeyTest(
    "quarter 4: a deliverable update, a measure value and a forecast, then its report in HTML and Word",
    journey,
    async () => {
      const { pageWithoutJavaScript: page } = journey;
      await visit(journey.page, "/periods/2020-21/q4");

      // A deliverable's progress, from the period page's list of what is missing.
      await enterFirstMissing(page, "2020-21/q4", "deliverables");
      const deliverable = new URL(page.url()).pathname;
      await page.getByTestId("progress-form").getByLabel("Quarter").selectOption("2020-21-q4");
      await page.getByTestId("progress-form").getByLabel("Good", { exact: true }).check();
      await page.getByLabel("Narrative").fill("Quarter four narrative entered through the pages.");
      await page.getByRole("button", { name: "Save progress" }).click();
      await page.waitForURL(/#progress-history$/);
      assert.equal(new URL(page.url()).pathname, deliverable);

      // A measure's value for the quarter.
      await enterFirstMissing(page, "2020-21/q4", "measures");
      await visit(journey.page, `${new URL(page.url()).pathname}${new URL(page.url()).search}`);
      assert.match((await page.locator("h1").textContent()) ?? "", /Add the Quarter 4 2020\/21 value/);
      await page.locator("#value").fill("417");
      await page.locator("#status").check();
      await page.getByRole("button", { name: "Save the value" }).click();
      await page.getByTestId("saved-banner").waitFor();

      // A budget line's quarter 4 forecast.
      await page.goto("/budget/2020-21/q3");
      await page.getByRole("link", { name: "Home to School Transport" }).click();
      await page.getByRole("link", { name: /(Enter|Change) the quarter 4 forecast/ }).click();
      await page.getByLabel("Controllable budget").fill("£2,345,678.91");
      await page.getByLabel("Full year forecast").fill("£2,456,789.12");
      await page.getByRole("button", { name: "Save forecast" }).click();
      await page.getByTestId("saved-banner").waitFor();

      // The quarter 4 report, as a page and as Word, shows what was entered.
      await visit(journey.page, "/reports/quarterly/2020-21/q4");
      const report = (await journey.page.locator("main").textContent()) ?? "";
      assert.match(report, /as at Quarter 4/);
      assert.match(report, /Quarter four narrative entered through the pages\./);
      assert.match(report, /Home to School Transport[\s\S]*2\.346[\s\S]*2\.457/);
      const word = await download(journey.page, /^Word/);
      assert.equal(word.name, "quarterly-report-2020-21-q4.docx");
      const xml = await zipEntryText(word.path, "word/document.xml");
      assert.match(xml, /Quarter four narrative entered through the pages\./);
      assert.match(xml, /Home to School Transport/);
      assert.match(xml, /2\.457/);
    },
  );
});

describe("a year monitored monthly, entered and reported at its quarter end", () => {
  const journey = setUpJourney();

  journeyTest(
    "monthly: the setting, the year opened with its lines, a month 3 forecast, the quarter 1 report",
    journey,
    async () => {
      const { pageWithoutJavaScript: page } = journey;
      await visit(journey.page, "/periods/settings");
      await page.goto("/periods/settings");
      await page.getByLabel("Monthly").check();
      await page.getByRole("button", { name: "Save the monitoring setting" }).click();
      await page.getByTestId("saved-banner").waitFor();

      await page.goto("/periods");
      await page.getByLabel("Financial year").fill("2021/22");
      await page.getByLabel("The budget lines").check();
      await page.getByRole("button", { name: "Open the year" }).click();
      await page.waitForURL(/\/periods\?done=year-opened$/);
      for (const month of [1, 2, 3]) {
        await page.goto("/periods");
        await page.getByRole("button", { name: `Open Month ${month} 2021/22 for entry` }).click();
        await page.waitForURL(new RegExp(`/periods/2021-22/m${month}\\?done=opened$`));
      }

      await enterFirstMissing(page, "2021-22/m3", "budget-lines");
      await visit(journey.page, new URL(page.url()).pathname);
      await page.getByLabel("Controllable budget").fill("£3,210,987.65");
      await page.getByLabel("Full year forecast").fill("£3,321,098.76");
      await page.getByRole("button", { name: "Save forecast" }).click();
      await page.getByTestId("saved-banner").waitFor();
      assert.match(page.url(), /\/budget\/2021-22\/m3#line-\d+$/);
      await visit(journey.page, "/budget/2021-22/m3");
      assert.match(
        (await journey.page.getByTestId("outturn-table").textContent()) ?? "",
        /3\.211[\s\S]*3\.321/,
      );

      await visit(journey.page, "/reports/quarterly/2021-22/q1");
      const report = (await journey.page.locator("main").textContent()) ?? "";
      assert.match(report, /Forecasts as at Month 3, the last month of quarter 1/);
      assert.match(report, /3\.211[\s\S]*3\.321/);
    },
  );
});
