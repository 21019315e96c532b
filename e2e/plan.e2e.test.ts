import assert from "node:assert/strict";
import { describe } from "node:test";
import { assertAccessibleAndFits, missingBySection, save, submitForStatus } from "./cycle-steps.ts";
import { journeyTest, setUpJourney, visit } from "./harness.ts";

describe("plan journeys", () => {
  const journey = setUpJourney();

  journeyTest(
    "the Plan page shows the golden thread and counts for the chosen quarter",
    journey,
    async () => {
      const page = journey.page;
      await visit(page, "/plan");
      assert.equal(await page.getByTestId("plan-title").textContent(), "Plan");
      assert.match(
        (await page.getByTestId("rating-counts").textContent()) ?? "",
        /Quarter 3 2020\/21 \(7 updates\)/,
      );
      await page.getByLabel("Show progress for").selectOption("2020-21-q3");
      await page.getByRole("button", { name: "Show" }).click();
      await page.waitForURL(/quarter=2020-21-q3/);
      assert.equal(await page.locator("[data-testid=group-deliverables] a").count(), 31);
    },
  );

  journeyTest(
    "a deliverable shows its dates as written, the reading and its progress history",
    journey,
    async () => {
      const page = journey.page;
      await visit(page, "/plan");
      await page
        .getByRole("link", { name: /Work with schools to ensure/ })
        .first()
        .click();
      await visit(page, page.url());
      assert.equal(await page.getByTestId("dates-as-written").textContent(), "Started Mar 2025");
      assert.match((await page.getByTestId("progress-history").textContent()) ?? "", /Quarter 3 2020\/21/);
    },
  );

  journeyTest("an inferred rating says so in words, on the plan and the deliverable", journey, async () => {
    const page = journey.page;
    await visit(page, "/plan?quarter=2020-21-q3");
    assert.match(
      (await page.getByTestId("inferred-ratings-note").textContent()) ?? "",
      /4 of the 7 ratings in Quarter 3 2020\/21 are inferred, not stated/,
    );
    await page.getByRole("link", { name: /Pause/ }).first().click();
    await visit(page, page.url());
    assert.match(
      (await page.getByTestId("progress-rating").first().textContent()) ?? "",
      /Good \(inferred: section 2\.1 says progress is "good"/,
    );
  });

  journeyTest("the Base Plan reads without colour and states that no months are given", journey, async () => {
    const page = journey.page;
    await visit(page, "/plan/base-plan");
    assert.equal(await page.locator("svg[role=img] title").count(), 1);
    assert.match((await page.getByTestId("months-caveat").textContent()) ?? "", /no start or end months/);
    assert.equal(await page.locator("[data-testid=base-plan-table] tbody tr").count(), 30);
  });

  journeyTest("the risk register and grid pass axe", journey, async () => {
    await visit(journey.page, "/risks");
    assert.equal(await journey.page.locator("[data-testid=risks-not-assessed] li").count(), 7);
  });

  journeyTest("recording progress with an error, then correctly, without JavaScript", journey, async () => {
    const page = journey.pageWithoutJavaScript;
    await page.goto("/plan");
    await page.getByRole("link", { name: /Pause/ }).first().click();
    const address = page.url();
    await page.getByTestId("progress-form").getByLabel("Quarter").selectOption("2020-21-q4");
    await page.getByRole("button", { name: "Save progress" }).click();
    await page.locator(".govuk-error-summary").waitFor();
    assert.match(await page.title(), /^Error: /);
    assert.match((await page.locator(".govuk-error-summary").textContent()) ?? "", /Select a rating/);
    assert.match(
      (await page.locator(".govuk-error-summary").textContent()) ?? "",
      /Enter the progress narrative/,
    );
    // The error page passes axe too.
    await journey.page.goto(address);
    await journey.page.getByTestId("progress-form").getByLabel("Quarter").selectOption("2020-21-q4");
    await journey.page.getByRole("button", { name: "Save progress" }).click();
    await journey.page.locator(".govuk-error-summary").waitFor();
    await assertAccessibleAndFits(journey.page);
    // Now correctly, without JavaScript.
    await page.getByLabel("Good", { exact: true }).check();
    await page.getByLabel("Narrative").fill("Two more families supported this quarter.");
    await page.getByRole("button", { name: "Save progress" }).click();
    await page.waitForURL(/#progress-history$/);
    assert.match(
      (await page.getByTestId("progress-history").textContent()) ?? "",
      /Two more families supported/,
    );
  });

  journeyTest("assessing a risk with an error, then correctly, updates the grid", journey, async () => {
    const page = journey.page;
    await visit(page, "/risks");
    await page.getByRole("link", { name: "Assess risk R3" }).click();
    await visit(page, page.url());
    await page.getByLabel("Residual likelihood").selectOption("4");
    await page.getByRole("group", { name: "Review date" }).getByLabel("Day").fill("30");
    await page.getByRole("group", { name: "Review date" }).getByLabel("Month").fill("2");
    await page.getByRole("group", { name: "Review date" }).getByLabel("Year").fill("2025");
    await page.getByRole("button", { name: "Save assessment" }).click();
    await page.locator(".govuk-error-summary").waitFor();
    await page.locator(".govuk-error-summary").waitFor();
    assert.match(await page.title(), /^Error: /);
    const summary = (await page.locator(".govuk-error-summary").textContent()) ?? "";
    assert.match(summary, /Select the residual impact too/);
    assert.match(summary, /The review date must be a real date/);
    const { assertAccessible } = await import("./harness.ts");
    await assertAccessible(page);
    await page.getByLabel("Residual impact").selectOption("5");
    await page.getByRole("group", { name: "Review date" }).getByLabel("Day").fill("28");
    await page.getByLabel("Risk owner").fill("Service Director, Children's Social Care");
    await page.getByRole("button", { name: "Save assessment" }).click();
    await page.waitForURL(/\/risks#risk-sp2021-r3$/);
    await assertAccessible(page);
    const row = (await page.locator("#risk-sp2021-r3").textContent()) ?? "";
    assert.match(row, /Residual: likelihood 4 × impact 5 = 20 \(High\)/);
    assert.match(row, /Review by 28 February 2025/);
    assert.match((await page.getByTestId("risk-grid").textContent()) ?? "", /R3/);
    assert.equal(await page.locator("[data-testid=risks-not-assessed] li").count(), 6);
  });

  journeyTest("setting an activity's months puts it on the Base Plan timeline", journey, async () => {
    const page = journey.pageWithoutJavaScript;
    await page.goto("/plan/base-plan");
    await page.getByTestId("set-months").first().click();
    await visit(journey.page, new URL(page.url()).pathname);
    await page.getByLabel("Start month").selectOption("2024-07");
    await page.getByLabel("End month").selectOption("2024-12");
    await page.getByRole("button", { name: "Save months" }).click();
    await page.waitForURL(/base-plan\?plan=service-plan-2024-25#activity-\d+$/);
    await visit(journey.page, "/plan/base-plan");
    assert.match(
      (await journey.page.getByTestId("base-plan-text").textContent()) ?? "",
      /July 2024 to December 2024/,
    );
    assert.match((await journey.page.getByTestId("months-caveat").textContent()) ?? "", /29 of its 30/);
  });

  journeyTest(
    "a deliverable's linked measures show their ratings; an unknown lead is refused",
    journey,
    async () => {
      const page = journey.page;
      await visit(page, "/plan");
      assert.ok((await page.getByTestId("outcome-measure").count()) > 0);
      await page.getByRole("link", { name: /Pause/ }).first().click();
      await visit(page, page.url());
      const measures = page.getByTestId("linked-measure");
      assert.ok((await measures.count()) > 0);
      assert.ok((await page.locator("[data-testid=linked-measures] .bp-rating").count()) > 0);
      await page.getByRole("link", { name: "Change lead officers" }).click();
      await visit(page, page.url());
      await page.getByLabel("Lead officers").fill("Nobody Known");
      await page.getByRole("button", { name: "Save lead officers" }).click();
      await page.locator(".govuk-error-summary").waitFor();
      assert.match(
        (await page.locator(".govuk-error-summary").textContent()) ?? "",
        /not an officer the plan knows/,
      );
      const { assertAccessible } = await import("./harness.ts");
      await assertAccessible(page);
    },
  );

  journeyTest(
    "a second entry for the same quarter corrects the first; each form and refusal passes axe and fits a phone",
    journey,
    async () => {
      const page = journey.page;
      // A deliverable with no progress yet for the demo's open quarter 4, from its period page.
      const [href] = (await missingBySection(page, "2020-21/q4")).get("deliverables") ?? [];
      assert.ok(href, "the period page links a deliverable's quarter 4 progress");
      await visit(page, href);
      const form = page.getByTestId("progress-form");
      // The form opens at the demo's open quarter 4, with nothing yet recorded for it.
      assert.equal(await form.getByLabel("Quarter").inputValue(), "2020-21-q4");
      assert.equal(await page.getByTestId("current-entry").count(), 0);
      await assertAccessibleAndFits(page);
      await form.locator('input[name="rating"]').first().check();
      await form.getByLabel("Narrative").fill("Six schools joined the programme this quarter.");
      await save(page, "Save progress");
      // Opened again, the form holds the quarter's entry: saving corrects it.
      await visit(page, href);
      assert.match(
        (await page.getByTestId("current-entry").textContent()) ?? "",
        /Progress for Quarter 4 2020\/21 was recorded/,
      );
      await assertAccessibleAndFits(page);
      // The correction refused without its narrative: the error page, JavaScript on.
      await page.getByTestId("progress-form").getByLabel("Narrative").fill("");
      assert.equal(await submitForStatus(page, "progress-form", "Save progress"), 400);
      await page.locator(".govuk-error-summary").waitFor();
      assert.match((await page.locator(".govuk-error-summary").textContent()) ?? "", /narrative/i);
      await assertAccessibleAndFits(page);
      await page
        .getByTestId("progress-form")
        .getByLabel("Narrative")
        .fill("Seven schools joined the programme this quarter.");
      await save(page, "Save progress");
      await assertAccessibleAndFits(page);
      const history = (await page.getByTestId("progress-history").textContent()) ?? "";
      assert.match(history, /Seven schools joined/);
      assert.match(history, /Six schools joined/);
      assert.equal(await page.getByTestId("progress-replaced").count(), 1);
    },
  );
});
