import assert from "node:assert/strict";
import { before, describe } from "node:test";
import { sql } from "drizzle-orm";
import { queryRows } from "../src/db/client.ts";
import { loadDemoBenchmarks } from "../src/modules/benchmarks/benchmarks.demo.ts";
import { TEST_ACTOR } from "../test/helpers/database.ts";
import { assertAccessible, journeyTest, setUpJourney, visit } from "./harness.ts";

// The demo's benchmarking load with the Department's 12-measure headline extract in place of the
// whole LAIT file (see docs/decisions/0006).
const FILES = [
  "dfe_lait_data_dictionary.csv",
  "dfe_lait_la_code_list.csv",
  "dfe_statistical_neighbours_2025_model_wide.csv",
  "dfe_lait_bds_long_headline_measures_all_areas.csv",
];

describe("benchmarks", () => {
  const journey = setUpJourney();
  before(async () => {
    await loadDemoBenchmarks(journey.database.db, TEST_ACTOR, FILES);
  });

  journeyTest(
    "find a measure, read every council's table with ours marked, sort it; axe-clean",
    journey,
    async () => {
      const { page } = journey;
      await visit(page, "/benchmarks");
      await assertAccessible(page);
      await page.getByLabel("Find a measure").fill("care leavers education");
      await page.getByRole("button", { name: "Search" }).click();
      await page.getByRole("link", { name: /Care Leavers - Education, Employment & Training/ }).click();
      assert.equal(
        await page.getByTestId("page-title").textContent(),
        "Care Leavers - Education, Employment & Training (EET) (%)",
      );
      assert.ok((await page.getByTestId("comparison-table").locator("tbody tr").count()) >= 1);
      assert.equal(await page.locator("[data-testid='comparison-chart'] svg[role='img']").count(), 1);
      await assertAccessible(page);
      await page.getByTestId("periods").getByRole("link", { name: "2025" }).click();
      assert.match((await page.getByTestId("our-row").textContent()) ?? "", /Derbyshire/);
      assert.ok((await page.getByTestId("benchmark-table").locator("tbody tr").count()) > 140);
      await assertAccessible(page);
      await page.getByRole("link", { name: "Value" }).click();
      assert.match(page.url(), /sort=value&order=asc/);
      await page.setViewportSize({ width: 390, height: 800 });
      await assertAccessible(page);
    },
  );

  journeyTest(
    "a council measure's page: beside England, region and neighbours, with its chart; axe-clean",
    journey,
    async () => {
      const { page } = journey;
      const [measure] = await queryRows<{ id: number }>(
        journey.database.db,
        sql`select id::int as id from measures where slug = 'care-leavers-eet'`,
      );
      assert.ok(measure);
      await visit(page, `/measures/${measure.id}`);
      const latest = (await page.getByTestId("latest-comparison").textContent()) ?? "";
      assert.match(latest, /Derbyshire/);
      assert.match(latest, /England/);
      assert.match(latest, /East Midlands/);
      assert.match(latest, /gap [+-]?\d/);
      assert.equal(await page.locator("[data-testid='comparison-chart'] svg[role='img']").count(), 1);
      assert.ok((await page.getByTestId("comparison-table").locator("tbody tr").count()) >= 1);
      await assertAccessible(page);
      await page.setViewportSize({ width: 390, height: 800 });
      await assertAccessible(page);
    },
  );

  journeyTest("the settings and import pages work without JavaScript and pass axe", journey, async () => {
    const { page } = journey;
    await visit(page, "/benchmarks/settings");
    await assertAccessible(page);
    await visit(page, "/benchmarks/import");
    await assertAccessible(page);
    const noScript = journey.pageWithoutJavaScript;
    await noScript.goto("/benchmarks/settings");
    await noScript.getByLabel("The council's DfE code").fill("12");
    await noScript.getByRole("button", { name: "Save settings" }).click();
    await noScript.locator(".govuk-error-summary").waitFor();
    assert.match(await noScript.title(), /^Error: /);
  });

  journeyTest(
    "a measure is unlinked and linked again from its own page without JavaScript; axe-clean",
    journey,
    async () => {
      const [measure] = await queryRows<{ id: number }>(
        journey.database.db,
        sql`select id::int as id from measures where slug = 'care-leavers-eet'`,
      );
      assert.ok(measure);
      const { page } = journey;
      await visit(page, `/measures/${measure.id}/benchmark`);
      assert.match((await page.getByTestId("linked-now").textContent()) ?? "", /Care Leavers/);
      await assertAccessible(page);
      await page.setViewportSize({ width: 390, height: 800 });
      await assertAccessible(page);

      const noScript = journey.pageWithoutJavaScript;
      await noScript.goto(`/measures/${measure.id}/benchmark`);
      await noScript.getByRole("button", { name: "Remove the link" }).click();
      await noScript.getByTestId("no-benchmark-link").waitFor();
      await noScript.getByRole("link", { name: /Link it to a Department measure/ }).click();
      await noScript.getByLabel("Find the Department's measure").fill("care leavers education");
      await noScript.getByRole("button", { name: "Search" }).click();
      await noScript.getByRole("button", { name: "Link this measure" }).click();
      await noScript.locator(".govuk-error-summary").waitFor();
      assert.match(await noScript.title(), /^Error: /);
      await noScript
        .getByLabel(/Care Leavers - Education, Employment & Training/)
        .first()
        .check();
      await noScript.getByRole("button", { name: "Link this measure" }).click();
      await noScript.getByTestId("latest-comparison").waitFor();
    },
  );
});
