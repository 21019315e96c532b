import assert from "node:assert/strict";
import { describe } from "node:test";
import { assertAccessibleAndFits, missingBySection, save, submitForStatus } from "./cycle-steps.ts";
import { assertAccessible, journeyTest, setUpJourney, visit } from "./harness.ts";

describe("measures journeys", () => {
  const journey = setUpJourney();

  journeyTest("a filter naming no rating says so beside the field, passing axe", journey, async () => {
    await visit(journey.page, "/measures?rating=bogus", 400);
    assert.match(
      (await journey.page.locator(".govuk-error-summary").textContent()) ?? "",
      /There is no rating called "bogus"/,
    );
  });

  journeyTest(
    "the measures list shows groups and ratings in words, and filters without JavaScript",
    journey,
    async () => {
      await visit(journey.page, "/measures");
      assert.ok((await journey.page.getByTestId("measure-group").count()) >= 10);
      const page = journey.pageWithoutJavaScript;
      await page.goto("/measures");
      await page.getByLabel(/^Action \(\d+\)$/).check();
      await page.getByLabel(/^Review \(\d+\)$/).check();
      await page.getByRole("button", { name: "Show measures" }).click();
      await page.waitForURL(/rating=review&rating=action/);
      const rows = page.getByTestId("measure-row");
      await rows.first().waitFor();
      assert.match((await rows.first().textContent()) ?? "", /Action/);
    },
  );

  journeyTest("a measure page has its chart, values and verdicts", journey, async () => {
    await visit(journey.page, "/measures");
    await journey.page.getByRole("link", { name: /^Number of missing episodes/ }).click();
    await assertAccessible(journey.page);
    assert.equal(await journey.page.getByTestId("trend-chart").count(), 1);
    assert.match(
      (await journey.page.getByTestId("targets-table").textContent()) ?? "",
      /909 is not less than 810/,
    );
  });

  journeyTest("an edit with an error shows the error summary, then saves", journey, async () => {
    const page = journey.page;
    await visit(page, "/measures");
    await page.getByRole("link", { name: /^Number of missing episodes/ }).click();
    await page
      .getByRole("link", { name: /Change.*Latest 2020\/21 value/ })
      .first()
      .click();
    await page.getByLabel("Value as written").fill("");
    await page.getByRole("button", { name: "Save" }).click();
    await page.locator(".govuk-error-summary").waitFor();
    assert.match(await page.title(), /^Error: /);
    await assertAccessible(page);
    await page.getByLabel("Value as written").fill("910 (Dec 20)");
    await page.getByRole("button", { name: "Save" }).click();
    assert.match((await page.getByTestId("values-table").textContent()) ?? "", /910 \(Dec 20\)/);
    assert.match((await page.getByTestId("value-history").textContent()) ?? "", /909 \(Dec 20\)/);
  });

  journeyTest("the paste import previews every row before saving", journey, async () => {
    const page = journey.page;
    await visit(page, "/measures/import");
    await page.getByLabel("Document").fill("pasted-document");
    await page.getByLabel("Priority", { exact: true }).check();
    await page.getByLabel("Its title").fill("Keep Children Safe");
    await page
      .getByLabel("Table")
      .fill(
        "Key Performance Measure\tActual\tLatest\tTarget\n\t2019/20\t2020/21\t2020/21\nNumber of missing episodes (overall total, rolling 12 months)\t828\t909 (Dec 20)\tLess than 810\n---\t---\t---\t---\n",
      );
    await page.getByRole("button", { name: "Preview" }).click();
    await assertAccessible(page);
    assert.equal(await page.getByTestId("preview-row").count(), 1);
    assert.match((await page.getByTestId("preview-row").textContent()) ?? "", /matches a measure/);
  });
  journeyTest(
    "a measure's details edit with an error shows the summary, then saves; the page shows benchmarks and evidences",
    journey,
    async () => {
      const page = journey.page;
      await visit(page, "/measures");
      await page
        .getByRole("link", { name: /social worker vacancies/ })
        .first()
        .click();
      await assertAccessible(page);
      assert.match((await page.getByTestId("benchmarks-table").textContent()) ?? "", /16\.4/);
      // The deliverables that name the measure, each a link to its page.
      assert.ok((await page.getByTestId("evidences").getByRole("link").count()) > 0);
      await page.getByTestId("edit-details").click();
      await assertAccessible(page);
      await page.getByLabel("Title").fill("");
      await page.getByLabel("Decimal places (optional)").fill("two");
      await page.getByRole("button", { name: "Save details" }).click();
      await page.locator(".govuk-error-summary").waitFor();
      assert.match(await page.title(), /^Error: /);
      await assertAccessible(page);
      assert.match(
        (await page.locator(".govuk-error-summary").textContent()) ?? "",
        /Enter the measure's title[\s\S]*Decimal places must be a whole number/,
      );
      await page.getByLabel("Title").fill("- % of social worker vacancies (including agency)");
      await page.getByLabel("Decimal places (optional)").fill("1");
      await page.getByLabel("Owner (optional)").fill("Head of workforce");
      await page.getByRole("button", { name: "Save details" }).click();
      assert.match(page.url(), /\/measures\/\d+$/);
      assert.match((await page.locator("main").textContent()) ?? "", /Head of workforce/);
    },
  );

  journeyTest("a measure that evidences a deliverable links to it", journey, async () => {
    const page = journey.page;
    await visit(page, "/measures");
    await page
      .getByRole("link", { name: /^Percentage achieving a standard pass/ })
      .first()
      .click();
    await assertAccessible(page);
    const deliverables = page.getByTestId("evidenced-deliverables").getByRole("link");
    assert.ok((await deliverables.count()) > 0);
    await deliverables.first().click();
    assert.match(page.url(), /\/plan\/deliverables\/\d+$/);
  });

  journeyTest(
    "a quarter's value refused empty, then restated, passes axe and fits a phone at every step",
    journey,
    async () => {
      const page = journey.page;
      // A measure due in the demo's open quarter 4, from the period page's list of what is missing.
      const [href] = (await missingBySection(page, "2020-21/q4")).get("measures") ?? [];
      assert.ok(href, "the period page links a measure's quarter 4 value");
      await visit(page, href);
      assert.match((await page.locator("h1").textContent()) ?? "", /Add the Quarter 4 2020\/21 value/);
      // Submitted empty: the form again, with the error on the field, JavaScript on.
      assert.equal(await submitForStatus(page, "period-value-form", "Save the value"), 400);
      assert.match(await page.title(), /^Error: /);
      await page.locator(".govuk-error-summary").waitFor();
      await assertAccessibleAndFits(page);
      await page.locator("#value").fill("41.5%");
      await save(page, "Save the value");
      await assertAccessibleAndFits(page);
      // The same quarter again is a correction: the form says it restates the value recorded.
      await visit(page, href);
      assert.match((await page.locator("h1").textContent()) ?? "", /Restate the Quarter 4 2020\/21 value/);
      assert.match((await page.getByTestId("current-value").textContent()) ?? "", /"41\.5%"/);
      await assertAccessibleAndFits(page);
      await page.locator("#value").fill("");
      assert.equal(await submitForStatus(page, "period-value-form", "Save the value"), 400);
      await page.locator(".govuk-error-summary").waitFor();
      await assertAccessibleAndFits(page);
      await page.locator("#value").fill("42.5%");
      await save(page, "Save the value");
      assert.match((await page.locator("main").textContent()) ?? "", /42\.5%/);
    },
  );
});
