import assert from "node:assert/strict";
import { describe } from "node:test";
import { journeyTest, setUpJourney, visit } from "./harness.ts";

describe("report journeys", () => {
  const journey = setUpJourney();

  journeyTest(
    "the reports list passes axe and links to the quarter 3 report and its files",
    journey,
    async () => {
      const { page } = journey;
      await visit(page, "/reports");
      await page.getByRole("link", { name: "Reports", exact: true }).first().waitFor();
      const quarterly = page.getByTestId("quarterly-reports");
      await quarterly.getByRole("link", { name: /quarter 3 2020\/21$/ }).waitFor();
      // Every opened quarter has its report; quarter 3's files are listed once each.
      for (const label of ["Word", "Excel", "PDF"]) {
        assert.equal(
          await quarterly.getByRole("link", { name: new RegExp(`quarter 3 2020/21 as ${label}`) }).count(),
          1,
          label,
        );
        assert.equal(
          await quarterly.getByRole("link", { name: new RegExp(`quarter 4 2020/21 as ${label}`) }).count(),
          1,
          label,
        );
      }
    },
  );

  journeyTest(
    "the quarter 3 report page passes axe, has every section and prints without the service chrome",
    journey,
    async () => {
      const { page } = journey;
      await visit(page, "/reports");
      await page.getByRole("link", { name: /quarter 3 2020\/21$/ }).click();
      await visit(page, new URL(page.url()).pathname);
      assert.equal(
        await page.getByRole("heading", { level: 1 }).textContent(),
        "Performance and Budget Monitoring/Forecast Outturn 2020/2021 as at Quarter 3",
      );
      assert.equal(await page.getByTestId("report-section").count(), 17);
      const budget = await page.locator("#budget-items").textContent();
      assert.match(budget ?? "", /Total\s*120\.833\s*134\.676\s*13\.843\s*11\.5%/);
      assert.ok((await page.getByRole("img", { name: /Deliverable Progress/ }).count()) >= 1);
      // Printed, the header, navigation and download links are hidden; the report is not.
      await page.emulateMedia({ media: "print" });
      assert.equal(await page.locator(".govuk-header").isVisible(), false);
      assert.equal(await page.getByTestId("downloads").first().isVisible(), false);
      assert.equal(await page.locator("#budget-items").isVisible(), true);
      await page.emulateMedia({ media: "screen" });
    },
  );

  journeyTest("a service plan's report page passes axe", journey, async () => {
    const { page } = journey;
    await visit(page, "/reports");
    const plans = page.getByTestId("service-plan-reports");
    await plans.getByRole("link").first().click();
    await visit(page, new URL(page.url()).pathname);
    assert.ok((await page.getByTestId("report-section").count()) > 0);
  });

  journeyTest("the Word download arrives with its file name", journey, async () => {
    const { page } = journey;
    await visit(page, "/reports/quarterly/2020-21/q3");
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByTestId("downloads").getByRole("link", { name: /^Word/ }).click(),
    ]);
    assert.equal(download.suggestedFilename(), "quarterly-report-2020-21-q3.docx");
  });
});
