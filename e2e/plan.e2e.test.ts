import assert from "node:assert/strict";
import { describe } from "node:test";
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
    await page.getByLabel("Quarter").selectOption("2021-22-q1");
    await page.getByRole("button", { name: "Save progress" }).click();
    assert.match(await page.title(), /^Error: /);
    assert.match((await page.locator(".govuk-error-summary").textContent()) ?? "", /Select a rating/);
    assert.match(
      (await page.locator(".govuk-error-summary").textContent()) ?? "",
      /Enter the progress narrative/,
    );
    // The error page passes axe too.
    await journey.page.goto(address);
    await journey.page.getByLabel("Quarter").selectOption("2021-22-q1");
    await journey.page.getByRole("button", { name: "Save progress" }).click();
    await journey.page.locator(".govuk-error-summary").waitFor();
    const { assertAccessible } = await import("./harness.ts");
    await assertAccessible(journey.page);
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
});
