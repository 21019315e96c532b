import assert from "node:assert/strict";
import { describe } from "node:test";
import { journeyTest, setUpJourney, visit } from "./harness.ts";

describe("the department dashboard", () => {
  const journey = setUpJourney();

  journeyTest(
    "the dashboard passes axe, leads with what needs attention, and its links open their pages",
    journey,
    async () => {
      const page = journey.page;
      await visit(page, "/");
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.screenshot({ path: "/tmp/home-dashboard.png", fullPage: true });
      assert.equal(await page.getByTestId("council-name").textContent(), "Derbyshire County Council");
      assert.match((await page.getByTestId("quarter-shown").textContent()) ?? "", /Quarter 3 2020\/21/);
      assert.equal(
        await page.locator("h2").first().textContent(),
        (await page.locator("#needs-attention").textContent()) ?? "",
        "needs attention is the first section",
      );

      // A red budget line from "needs attention" opens its budget line page.
      const line = page.getByTestId("attention-budget-lines").getByRole("link").first();
      const lineName = ((await line.textContent()) ?? "").trim();
      await line.click();
      await page.waitForURL(/\/budget\/lines\/\d+\?quarter=3$/);
      assert.equal(((await page.locator("h1").textContent()) ?? "").trim(), lineName);
      await visit(page, new URL(page.url()).pathname + new URL(page.url()).search);

      // A deliverable rated Review opens the deliverable's page.
      await visit(page, "/");
      const deliverable = page.getByTestId("attention-deliverables").getByRole("link").first();
      const title = ((await deliverable.textContent()) ?? "").trim();
      await deliverable.click();
      await page.waitForURL(/\/plan\/deliverables\/\d+$/);
      assert.equal(((await page.locator("h1").textContent()) ?? "").trim(), title);

      // A count opens the measures filtered to its rating.
      await visit(page, "/");
      await page
        .getByTestId("measure-counts")
        .getByRole("link", { name: /measures rated Action/ })
        .click();
      await page.waitForURL(/\/measures\?rating=action$/);
    },
  );

  journeyTest(
    "the service navigation is one line on a laptop (1280 px), and a menu within 390 px",
    journey,
    async () => {
      const page = journey.page;
      const rowsOfItems = () =>
        page.evaluate(() => {
          const tops = [...document.querySelectorAll(".govuk-service-navigation__item")].map((item) =>
            Math.round(item.getBoundingClientRect().top),
          );
          return {
            items: tops.length,
            rows: new Set(tops).size,
            width: document.documentElement.scrollWidth,
          };
        });
      await page.setViewportSize({ width: 1280, height: 900 });
      await visit(page, "/measures");
      const laptop = await rowsOfItems();
      assert.ok(laptop.items >= 13, `every section is listed (${laptop.items})`);
      assert.deepEqual({ rows: laptop.rows, width: laptop.width }, { rows: 1, width: 1280 });
      await page.setViewportSize({ width: 390, height: 844 });
      await visit(page, "/measures");
      assert.equal((await rowsOfItems()).width, 390);
      await page.getByRole("button", { name: /Menu/ }).click();
      await page.getByRole("link", { name: "People", exact: true }).waitFor();
      assert.equal((await rowsOfItems()).width, 390, "the open menu fits too");
    },
  );

  journeyTest("another quarter is chosen without JavaScript", journey, async () => {
    const page = journey.pageWithoutJavaScript;
    await page.goto("/?quarter=2018-19-q1");
    assert.equal(await page.getByTestId("unknown-quarter").count(), 1);
    await page.getByLabel("Show another quarter").selectOption("2020-21-q3");
    await page.getByRole("button", { name: "Show" }).click();
    await page.waitForURL(/\?quarter=2020-21-q3$/);
    assert.equal(await page.getByTestId("unknown-quarter").count(), 0);
  });
});
