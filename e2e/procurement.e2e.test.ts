import assert from "node:assert/strict";
import { describe } from "node:test";
import { assertAccessible, journeyTest, setUpJourney, visit } from "./harness.ts";

describe("procurement forward plan", () => {
  const journey = setUpJourney();

  journeyTest("the forward plan shows both bands with their totals and passes axe", journey, async () => {
    const { page } = journey;
    await visit(page, "/procurement");
    assert.equal(await page.getByTestId("total-floor-to-threshold").textContent(), "£1,542,000");
    assert.equal(await page.getByTestId("total-above-threshold").textContent(), "£73,240,000");
    assert.equal(await page.getByTestId("band-above-threshold").locator("tbody tr").count(), 18);
    await visit(page, "/procurement?band=above-threshold&year=2022&sort=value&order=desc");
    assert.equal(await page.getByTestId("band-above-threshold").locator("tbody tr").count(), 5);
  });

  journeyTest(
    "an edit with a bad amount shows the error summary, then saves without JavaScript",
    journey,
    async () => {
      const page = journey.pageWithoutJavaScript;
      await visit(journey.page, "/procurement/cs-fp-2021-t1-03/edit");
      await page.goto("/procurement/cs-fp-2021-t1-03/edit");
      await page.getByLabel("Estimated value").fill("lots");
      await page.getByTestId("save").click();
      await page.locator(".govuk-error-summary").waitFor();
      assert.match(await page.title(), /^Error: /);
      assert.match(
        (await page.locator(".govuk-error-summary").textContent()) ?? "",
        /estimated value must be an amount/,
      );
      await page.getByLabel("Estimated value").fill("£61,000");
      await page.getByTestId("save").click();
      assert.equal(new URL(page.url()).pathname, "/procurement/cs-fp-2021-t1-03");
      assert.match((await page.getByTestId("band-explanation").textContent()) ?? "", /£61,000 is below/);
    },
  );

  journeyTest(
    "a date that is not a real date: GOV.UK's message, the day box highlighted, axe-clean",
    journey,
    async () => {
      const { page } = journey;
      await visit(page, "/procurement/cs-fp-2021-t1-04/edit");
      const start = page.getByRole("group", { name: "Estimated start date" });
      await start.getByLabel("Day").fill("31");
      await start.getByLabel("Month").fill("2");
      await start.getByLabel("Year").fill("2022");
      await page.getByTestId("save").click();
      await page.waitForSelector(".govuk-error-summary");
      assert.match(
        (await page.locator(".govuk-error-summary").textContent()) ?? "",
        /Estimated start date must be a real date/,
      );
      await page.locator(".govuk-error-summary a").first().click();
      assert.equal(await page.evaluate(() => document.activeElement?.id), "estimatedStartDate-day");
      await page.screenshot({ path: "/tmp/procurement-date-error.png", fullPage: true });
      await assertAccessible(page);
      await start.getByLabel("Day").fill("28");
      await page.getByTestId("save").click();
      assert.equal(new URL(page.url()).pathname, "/procurement/cs-fp-2021-t1-04");
    },
  );

  journeyTest("a procurement's page and the pipeline notice pass axe", journey, async () => {
    await visit(journey.page, "/procurement/cs-fp-2021-t2-18");
    await visit(journey.page, "/procurement/pipeline?year=2022");
    await visit(journey.page, "/procurement/thresholds");
    await visit(journey.page, "/procurement/new");
  });
});
