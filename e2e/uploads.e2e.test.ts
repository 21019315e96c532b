import assert from "node:assert/strict";
import { describe } from "node:test";
import { assertAccessible, journeyTest, setUpJourney, visit } from "./harness.ts";

/** A made-up council's KPI table as a CSV file, headed as many councils head theirs. */
const CSV = [
  "Indicator,Description,Directorate,Last quarter,This quarter,Target,Status,Trend",
  "ZQ1,Percentage of example permits issued within 5 days,Place,81.0%,83.5%,85%,Amber,Getting better",
  "ZQ2,Average days to close an example case,Place,41,38,35,Red,No change",
].join("\r\n");

describe("uploading a measure table", () => {
  const journey = setUpJourney();

  journeyTest("upload, a file error, the dry run with a period error, then save", journey, async () => {
    const page = journey.page;
    await visit(page, "/measures/upload");
    await page.getByLabel("Document").fill("Example council performance report");
    await page.getByLabel("Report section").check();
    await page.getByLabel("Its title").fill("Place indicators");

    // A file that is not what its name says: the error beside the field, nothing saved.
    await page.getByLabel("File").setInputFiles({
      name: "kpis.xlsx",
      mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      buffer: Buffer.from(CSV),
    });
    await page.getByRole("button", { name: "Check the file" }).click();
    await assertAccessible(page);
    assert.match((await page.locator(".govuk-error-summary").textContent()) ?? "", /not an Excel workbook/);

    // The dry run with no reporting period: "This quarter" cannot be placed, so it cannot be saved.
    await page
      .getByLabel("File")
      .setInputFiles({ name: "kpis.csv", mimeType: "text/csv", buffer: Buffer.from(CSV) });
    await page.getByRole("button", { name: "Check the file" }).click();
    await assertAccessible(page);
    assert.match((await page.locator(".govuk-error-summary").textContent()) ?? "", /names a period relative/);
    assert.equal(await page.getByRole("button", { name: "Save all rows" }).count(), 0);

    // With the reporting period the dry run is clean; saving goes through the paste's save.
    await page.getByLabel("Reporting period (optional)").fill("Quarter 3, 2024 to 2025");
    await page.getByRole("button", { name: "Preview" }).click();
    await assertAccessible(page);
    assert.equal(await page.getByTestId("preview-row").count(), 2);
    const first = (await page.getByTestId("preview-row").first().textContent()) ?? "";
    assert.match(first, /ZQ1 Percentage of example permits/);
    assert.match(first, /Q3 2024\/25/);
    assert.match(first, /Trend printed by the document: better/);
    await page.getByRole("button", { name: "Save all rows" }).click();
    await assertAccessible(page);
    assert.match(new URL(page.url()).pathname, /^\/measures$/);
    assert.match(
      (await page.locator(".govuk-notification-banner--success").textContent()) ?? "",
      /The measure table was imported/,
    );
    await page
      .getByRole("link", { name: /Average days to close an example case/ })
      .first()
      .click();
    await assertAccessible(page);
    assert.match((await page.locator("main").textContent()) ?? "", /Q3 2024\/25/);
  });
});

describe("uploading budget monitoring", () => {
  const journey = setUpJourney();

  journeyTest("the dry run with a row in error, the row left out, then save", journey, async () => {
    const page = journey.page;
    const csv = [
      "Service,Controllable budget £000,Forecast outturn £000,Variance £000",
      'Home to School Transport,"1,000.00","1,012.50",12.50',
      "Home to Scool Transport,10,11,1",
    ].join("\r\n");
    await visit(page, "/budget/2020-21/q4/upload");
    await page
      .getByLabel("File")
      .setInputFiles({ name: "q4.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    await page.getByRole("button", { name: "Check the file" }).click();
    await assertAccessible(page);
    assert.match(
      (await page.locator(".govuk-error-summary").textContent()) ?? "",
      /Row 3, column A "Service": "Home to Scool Transport" matches no budget line of this year\. Close names: "Home to School Transport"/,
    );
    assert.match((await page.getByTestId("upload-rows").textContent()) ?? "", /£1,012,500\.00/);
    await page.getByLabel("Leave out row 3").check();
    await page.getByRole("button", { name: "Check again" }).click();
    await assertAccessible(page);
    assert.equal(await page.locator(".govuk-error-summary").count(), 0);
    await page.getByRole("button", { name: "Save all rows" }).click();
    await assertAccessible(page);
    assert.match(new URL(page.url()).pathname, /^\/budget\/2020-21\/q4$/);
    assert.match(
      (await page.locator(".govuk-notification-banner--success").textContent()) ?? "",
      /Saved 1 forecast from "q4\.csv"/,
    );
  });
});
