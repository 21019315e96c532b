import assert from "node:assert/strict";
import { describe } from "node:test";
import { assertAccessible, journeyTest, setUpJourney, visit } from "./harness.ts";

describe("budget monitoring journeys", () => {
  const journey = setUpJourney();

  journeyTest(
    "the quarter 3 forecast outturn passes axe and shows the report's totals and chart",
    journey,
    async () => {
      const { page } = journey;
      await visit(page, "/budget/2020-21/q3");
      const total = await page.getByTestId("outturn-total").textContent();
      assert.match(total ?? "", /120\.833[\s\S]*134\.676[\s\S]*13\.843[\s\S]*11\.5%[\s\S]*Red/);
      const afterFunding = await page.getByTestId("outturn-after-funding").textContent();
      assert.match(afterFunding ?? "", /130\.432[\s\S]*4\.244[\s\S]*3\.3%/);
      assert.equal(
        await page.getByRole("img", { name: /Forecast under \(-\) \/ over spend by budget line/ }).count(),
        1,
      );
      await page.getByRole("link", { name: "Budget", exact: true }).first().waitFor();
    },
  );

  journeyTest(
    "a forecast edit with an error, then corrected, works without JavaScript",
    journey,
    async () => {
      const { pageWithoutJavaScript: page } = journey;
      // Quarter 3 is published, so the change is made to quarter 4, open for entry: first entered.
      await visit(journey.page, "/budget/2020-21/q3");
      await journey.page.getByRole("link", { name: "Support for Children with Disabilities" }).click();
      await journey.page.getByRole("link", { name: "Enter the quarter 4 forecast" }).click();
      await journey.page.getByLabel("Controllable budget").fill("£5,716,000");
      await journey.page.getByLabel("Full year forecast").fill("£5.8m");
      await journey.page.getByRole("button", { name: "Save forecast" }).click();
      await journey.page.getByRole("link", { name: /Change the quarter 4 forecast/ }).click();
      const editPath = new URL(journey.page.url()).pathname;
      await visit(journey.page, editPath);

      await page.goto(editPath);
      await page.getByLabel("Full year forecast").fill("12.5.3");
      await page.getByRole("button", { name: "Save forecast" }).click();
      await page.locator(".govuk-error-summary").waitFor();
      assert.match(await page.title(), /^Error: /);
      assert.match(
        (await page.locator(".govuk-error-summary").textContent()) ?? "",
        /more than one decimal point/,
      );

      // The error page itself must pass axe too: reproduce it in the JavaScript page.
      await journey.page.goto(editPath);
      await journey.page.getByLabel("Full year forecast").fill("12.5.3");
      await journey.page.getByRole("button", { name: "Save forecast" }).click();
      await journey.page.locator(".govuk-error-summary").waitFor();
      await assertAccessible(journey.page);

      await page.getByLabel("Full year forecast").fill("£5.9m");
      await page.getByRole("button", { name: "Save forecast" }).click();
      assert.match(page.url(), /\/budget\/2020-21\/q4#line-/);
      await page.goto(editPath.replace(/\/forecasts\/4\/edit$/, ""));
      const row = page.getByTestId("line-quarters").locator("tr", { hasText: "Quarter 4" });
      assert.match((await row.textContent()) ?? "", /£5,900,000\.00/);
    },
  );

  journeyTest("a forecast for a published quarter is refused with a page saying why", journey, async () => {
    await visit(journey.page, "/budget/2020-21/q3");
    await journey.page.getByRole("link", { name: "Support for Children with Disabilities" }).click();
    const lineId = /\/budget\/lines\/(\d+)/.exec(journey.page.url())?.[1];
    await visit(journey.page, `/budget/lines/${lineId}/forecasts/3/edit`, 409);
    assert.equal(
      await journey.page.getByTestId("error-title").textContent(),
      "Quarter 3 2020/21 is not open for entry",
    );
  });

  journeyTest(
    "a financial risk is added with an error, then correctly, without JavaScript",
    journey,
    async () => {
      const { pageWithoutJavaScript: page } = journey;
      await page.goto("/budget/2020-21/q4/risks");
      await page.getByTestId("add-risk").click();
      await page.getByLabel("Service", { exact: true }).fill("Home to School Transport");
      await page.getByLabel("Risk", { exact: true }).fill("Fuel prices rise again");
      await page.getByLabel("Sensitivity").fill("£1.2.3");
      await page.getByRole("button", { name: "Add the risk" }).click();
      await page.locator(".govuk-error-summary").waitFor();
      assert.match(await page.title(), /^Error: /);
      await page.getByLabel("Sensitivity").fill("£0.2m");
      await page.getByLabel("4", { exact: true }).check();
      await page.getByRole("button", { name: "Add the risk" }).click();
      assert.match(page.url(), /\/budget\/2020-21\/q4\/risks$/);
      assert.match(
        (await page.getByTestId("saved-banner").textContent()) ?? "",
        /The financial risk was added/,
      );
      assert.match(
        (await page.getByTestId("risks-table").textContent()) ?? "",
        /Fuel prices rise again[\s\S]*0\.200/,
      );
      // Changed, then removed after confirming; both pages pass axe.
      await page.getByRole("link", { name: "Change the Home to School Transport risk" }).click();
      await page.getByTestId("risk-edit-form").waitFor();
      await visit(journey.page, new URL(page.url()).pathname);
      await page.getByLabel("Sensitivity").fill("£0.35m");
      await page.getByRole("button", { name: "Save the risk" }).click();
      await page.getByTestId("saved-banner").waitFor();
      assert.match(
        (await page.getByTestId("saved-banner").textContent()) ?? "",
        /The financial risk was changed/,
      );
      assert.match(
        (await page.getByTestId("risks-table").textContent()) ?? "",
        /Fuel prices rise again[\s\S]*0\.350/,
      );
      await page.getByRole("link", { name: "Remove the Home to School Transport risk" }).click();
      await page.getByTestId("risk-remove-form").waitFor();
      await visit(journey.page, new URL(page.url()).pathname);
      await page.getByRole("button", { name: "Remove the risk" }).click();
      await page.getByTestId("saved-banner").waitFor();
      assert.match(
        (await page.getByTestId("saved-banner").textContent()) ?? "",
        /The financial risk was removed/,
      );
      assert.doesNotMatch((await page.locator("main").textContent()) ?? "", /Fuel prices rise again/);
    },
  );

  journeyTest("the other budget pages pass axe", journey, async () => {
    for (const path of [
      "/budget/2020-21/q3/savings",
      "/budget/2020-21/growth",
      "/budget/2024-25/growth",
      "/budget/2020-21/q3/reserves",
      "/budget/2020-21/q3/debt",
      "/budget/2020-21/q3/risks",
      "/budget/2020-21/q4/risks/new",
      "/budget/2020-21/approved",
      "/budget/2020-21/q1",
      "/budget/settings",
      "/budget/2020-21/q4/upload",
    ]) {
      await visit(journey.page, path);
    }
  });

  journeyTest(
    "a first forecast for an empty quarter, with an error then saved, without JavaScript",
    journey,
    async () => {
      const { pageWithoutJavaScript: page } = journey;
      await visit(journey.page, "/budget/2020-21/q3");
      await journey.page.screenshot({ path: "/tmp/budget-q3.png", fullPage: true });
      await journey.page.getByRole("link", { name: "Home to School Transport" }).click();
      await journey.page.getByRole("link", { name: "Enter the quarter 2 forecast" }).click();
      const newPath = new URL(journey.page.url()).pathname;
      await visit(journey.page, newPath);

      await page.goto(newPath);
      await page.getByLabel("Controllable budget").fill("£1,000,000");
      await page.getByLabel("Full year forecast").fill("(0.657)x");
      await page.getByRole("button", { name: "Save forecast" }).click();
      await page.locator(".govuk-error-summary").waitFor();
      assert.match(await page.title(), /^Error: /);
      await page.getByLabel("Full year forecast").fill("£1.1m");
      await page.getByRole("button", { name: "Save forecast" }).click();
      assert.match(page.url(), /\/budget\/lines\/\d+\?quarter=2$/);
      const row = page.getByTestId("line-quarters").locator("tr", { hasText: "Quarter 2" });
      assert.match((await row.textContent()) ?? "", /£1,100,000\.00/);
      await page.getByRole("link", { name: "Back to the forecast outturn, quarter 2" }).click();
      assert.match(page.url(), /\/budget\/2020-21\/q2$/);
    },
  );
});
