import assert from "node:assert/strict";
import { describe } from "node:test";
import { monitoringPeriod } from "../src/domain/periods.ts";
import { closePeriod, findPeriod } from "../src/modules/periods/periods.service.ts";
import { findPlanBySlug } from "../src/modules/plan/plan.repository.ts";
import { assertAccessibleAndFits, missingBySection, submitForStatus } from "./cycle-steps.ts";
import { assertAccessible, journeyTest, setUpJourney, visit } from "./harness.ts";

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

  journeyTest(
    "a closed period's page offers reopening, and refusing a reason-less reopen passes axe",
    journey,
    async () => {
      const { page, database } = journey;
      // Quarter 2 of the demo year is open for entry: closed here as an officer would close it.
      const period = monitoringPeriod(2020, "quarter", 2);
      const state = await findPeriod(database.db, period);
      assert.equal(state?.status, "open");
      await closePeriod(database.db, "e2e.closer@demo-council.example", {
        period,
        version: state.version,
        confirmMissing: true,
      });
      await visit(page, "/periods/2020-21/q2");
      const form = page.getByTestId("reopen-form");
      await form.getByRole("button", { name: /^Reopen/ }).click();
      await page.locator(".govuk-error-summary").waitFor();
      assert.match((await page.locator(".govuk-error-summary").textContent()) ?? "", /Enter why/);
      await assertAccessible(page);
      // On a phone the page is no wider than the screen.
      const viewport = page.viewportSize();
      await page.setViewportSize({ width: 390, height: 844 });
      assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= 390);
      if (viewport) await page.setViewportSize(viewport);
      await page.getByLabel("Why it is being reopened for entry").fill("A late correction to a forecast");
      await page
        .getByTestId("reopen-form")
        .getByRole("button", { name: /^Reopen/ })
        .click();
      await page.getByTestId("period-reopened").waitFor();
      await assertAccessible(page);
      assert.equal((await findPeriod(database.db, period))?.status, "open");
    },
  );

  journeyTest(
    "a service plan approved in Baseplan: its report page says when and by whom, and passes axe",
    journey,
    async () => {
      const { page, database } = journey;
      await visit(page, "/reports");
      const link = page.getByTestId("service-plan-reports").getByRole("link").first();
      const slug = new URL((await link.getAttribute("href")) ?? "", journey.baseUrl).pathname
        .split("/")
        .at(-1);
      const plan = await findPlanBySlug(database.db, slug ?? "");
      assert.ok(plan, `no plan ${slug}`);
      // Set back to draft, then approved again, twice, through the plan's own form: the first
      // approval's copy is then an earlier one.
      for (const status of ["Draft", "Approved", "Draft", "Approved"]) {
        await visit(page, `/plan/edit/plan/${plan.id}`);
        await page.getByRole("radio", { name: status, exact: true }).check();
        await page.getByRole("button", { name: "Save changes" }).click();
        await page.locator(".govuk-notification-banner--success, .govuk-error-summary").first().waitFor();
        assert.equal(await page.locator(".govuk-error-summary").count(), 0, `the ${status} save was refused`);
      }
      await visit(page, `/reports/service-plan/${slug}`);
      assert.match(
        (await page.getByTestId("approved-document").textContent()) ?? "",
        /The plan as approved on .* by e2e\.officer@demo-council\.example/,
      );
      await assertAccessibleAndFits(page);
      // An earlier approved copy: its own page, linking back to the plan's current document.
      const earlier = page.getByTestId("approvals").getByRole("link");
      assert.ok((await earlier.count()) >= 1, "the earlier approved copies are listed");
      const copy = (await earlier.last().getAttribute("href")) ?? "";
      assert.match(copy, new RegExp(`^/reports/service-plan/${slug}/approvals/\\d+$`));
      await visit(page, copy);
      await assertAccessibleAndFits(page);
      assert.ok((await page.getByTestId("report-section").count()) > 0);
      assert.match(
        (await page.locator("main").textContent()) ?? "",
        /An earlier approved copy: the plan as approved on/,
      );
      await page.getByRole("link", { name: "The plan's current document" }).waitFor();
    },
  );

  journeyTest(
    "a budget line's forecast refused empty, then unreadable, passes axe and fits a phone",
    journey,
    async () => {
      const { page } = journey;
      // A line with no forecast yet for the demo's open quarter 4, from the period page.
      const [href] = (await missingBySection(page, "2020-21/q4")).get("budget-lines") ?? [];
      assert.ok(href, "the period page links a budget line's quarter 4 forecast");
      await visit(page, href);
      const form = page.locator("form[data-testid^=forecast]");
      const testId = (await form.first().getAttribute("data-testid")) ?? "";
      await page.getByLabel("Full year forecast").fill("");
      assert.equal(await submitForStatus(page, testId, "Save forecast"), 400);
      await page.locator(".govuk-error-summary").waitFor();
      assert.match(await page.title(), /^Error: /);
      await assertAccessibleAndFits(page);
      await page.getByLabel("Full year forecast").fill("about five million");
      assert.equal(await submitForStatus(page, testId, "Save forecast"), 400);
      await page.locator(".govuk-error-summary").waitFor();
      assert.match((await page.locator(".govuk-error-summary").textContent()) ?? "", /forecast/i);
      await assertAccessibleAndFits(page);
    },
  );
});
