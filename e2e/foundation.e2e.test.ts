import assert from "node:assert/strict";
import { describe } from "node:test";
import { journeyTest, setUpJourney, visit } from "./harness.ts";

describe("foundation pages", () => {
  const journey = setUpJourney();

  journeyTest("the home page passes axe and has the service navigation", journey, async () => {
    await visit(journey.page, "/");
    assert.equal(
      (await journey.page.getByRole("navigation", { name: /menu|navigation/i }).count()) > 0,
      true,
    );
  });

  journeyTest("an unknown page is a GOV.UK 404 page that passes axe", journey, async () => {
    await visit(journey.page, "/no-such-page", 404);
    assert.equal(await journey.page.getByTestId("error-title").textContent(), "Page not found");
  });
});
