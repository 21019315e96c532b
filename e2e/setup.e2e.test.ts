import assert from "node:assert/strict";
import { describe } from "node:test";
import { assertAccessible, journeyTest, setUpJourney, visit } from "./harness.ts";

/**
 * A first start without the demo, through the pages only: the set-up form (with its errors), the
 * dashboard's next steps, the departments page. axe on every page visited; the forms are sent
 * with JavaScript off, as they must work without it.
 */
describe("setting up a council on an empty database", () => {
  const journey = setUpJourney({ demo: false });

  journeyTest(
    "/setup, then the dashboard says what to set up next, then a second department",
    journey,
    async () => {
      const page = journey.pageWithoutJavaScript;
      const checked = journey.page;

      // Any page leads to the set-up while there is no council.
      await page.goto("/measures");
      assert.equal(new URL(page.url()).pathname, "/setup");
      await visit(checked, "/setup");

      // Sent empty: each problem named in the summary and beside its field.
      await page.getByRole("button", { name: "Set up the council" }).click();
      const summary = page.locator(".govuk-error-summary");
      assert.match((await summary.textContent()) ?? "", /Enter the council's name/);
      assert.match((await summary.textContent()) ?? "", /Select the area the council serves/);
      await checked.goto("/setup");
      await checked.getByRole("button", { name: "Set up the council" }).click();
      await checked.locator(".govuk-error-summary").waitFor();
      await assertAccessible(checked);

      // A made-up council whose area is not in the list, and its first department.
      await page.getByLabel("Council name").fill("Borough of Anytown Council");
      await page.getByLabel("Area the council serves").selectOption("not-listed");
      await page.getByLabel("Name of the area").fill("Anytown");
      await page.getByLabel("ONS GSS code (optional)").fill("E06999999");
      await page.getByLabel("Department name").fill("Place");
      await page.getByLabel("Short name").fill("PL");
      await page.getByLabel("Monthly").check();
      await page.getByRole("button", { name: "Set up the council" }).click();
      await page.waitForURL((url) => url.pathname === "/");
      assert.match(
        (await page.getByTestId("saved-banner").textContent()) ?? "",
        /Borough of Anytown Council is set up, with its first department, Place\./,
      );
      assert.equal(
        ((await page.getByTestId("dashboard-title").textContent()) ?? "").trim(),
        "Place dashboard",
      );
      const steps = page.getByTestId("next-steps").getByRole("link");
      assert.deepEqual(
        (await steps.allTextContents()).map((step) => step.trim()),
        [
          "1. Open a financial year for monitoring",
          "2. Add the department's plan",
          "3. Add the key performance measures",
          "4. Set up the budget",
        ],
      );
      await visit(checked, "/");
      // The first step opens the page to open a financial year.
      await checked.getByRole("link", { name: "1. Open a financial year for monitoring" }).click();
      await checked.waitForURL((url) => url.pathname === "/periods");
      await assertAccessible(checked);

      // /setup now shows the council; a second department is added from the departments page.
      await visit(checked, "/setup");
      assert.match(
        (await checked.getByTestId("already-set-up").textContent()) ?? "",
        /Baseplan serves one council/,
      );
      await page.goto("/departments");
      await page.getByLabel("Department name").fill("Adult Care");
      await page.getByLabel("Short name").fill("pl");
      await page.getByRole("button", { name: "Add the department" }).click();
      assert.match(
        (await page.locator(".govuk-error-summary").textContent()) ?? "",
        /The short name PL is already used by Place/,
      );
      await page.getByLabel("Short name").fill("AC");
      await page.getByRole("button", { name: "Add the department" }).click();
      await page.waitForURL((url) => url.pathname === "/departments");
      assert.deepEqual(
        (await page.getByTestId("department-row").locator("th").allTextContents()).map((name) => name.trim()),
        ["Place", "Adult Care"],
      );
      await visit(checked, "/departments");
    },
  );
});
