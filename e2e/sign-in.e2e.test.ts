import assert from "node:assert/strict";
import { describe } from "node:test";
import { assertAccessible, journeyTest, setUpJourney, visit } from "./harness.ts";

/**
 * A person is invited, sets a password from the link, signs out and signs in with their local
 * account in Chromium, with JavaScript off (the forms need none); every page passes axe.
 */
describe("signing in with a local account", () => {
  const journey = setUpJourney();

  journeyTest(
    "invite, set a password from the link, sign out, sign in, and be refused a page the role does not open",
    journey,
    async () => {
      const form = journey.pageWithoutJavaScript;
      const page = journey.page;

      // The demo user (no session, every role) invites a viewer.
      await visit(page, "/people");
      await visit(page, "/people/invite");
      await form.goto("/people/invite");
      await form.getByLabel("Name").fill("Robin Ash");
      await form.getByLabel("Email address").fill("robin.ash@council.example");
      await form.getByLabel("Viewer").check();
      await form.getByRole("button", { name: "Invite" }).click();
      const link = ((await form.getByTestId("invitation-link").textContent()) ?? "").trim();
      assert.match(link, /\/invitation\/[A-Za-z0-9_-]{40,}$/);
      const path = new URL(link).pathname;

      // The link: axe on the form and on its error, then the password is set and Robin is signed in.
      await visit(page, path);
      await form.goto(path);
      await form.getByLabel("Password", { exact: true }).fill("password1234");
      await form.getByLabel("Enter the password again").fill("password1234");
      await form.getByRole("button", { name: "Set password and sign in" }).click();
      assert.match((await form.locator(".govuk-error-summary").textContent()) ?? "", /most commonly used/);
      await page.goto(path);
      await page.getByLabel("Password", { exact: true }).fill("short");
      await page.getByLabel("Enter the password again").fill("short");
      await page.getByRole("button", { name: "Set password and sign in" }).click();
      await assertAccessible(page);
      await form.getByLabel("Password", { exact: true }).fill("willow lantern orbit 31");
      await form.getByLabel("Enter the password again").fill("willow lantern orbit 31");
      await form.getByRole("button", { name: "Set password and sign in" }).click();
      await form.waitForURL(/\/account\?done=password-set$/);
      assert.match((await form.getByTestId("signed-in").textContent()) ?? "", /Signed in as\s+Robin Ash/);

      // Used once: the link now says so.
      await visit(page, path, 410);
      assert.match((await page.getByTestId("error-title").textContent()) ?? "", /already been used/);

      // Sign out, then sign in: a wrong password first.
      await form.getByRole("button", { name: "Sign out", exact: true }).click();
      await form.waitForURL(/\/sign-in\?done=signed-out$/);
      assert.match(await form.content(), /You have signed out/);
      await visit(page, "/sign-in");
      await page.getByLabel("Email address").fill("robin.ash@council.example");
      await page.getByLabel("Password", { exact: true }).fill("not the right one at all");
      await page.getByRole("button", { name: "Sign in" }).click();
      assert.match((await page.locator(".govuk-error-summary").textContent()) ?? "", /do not match/);
      await assertAccessible(page);
      await form.getByLabel("Email address").fill("Robin.Ash@council.example");
      await form.getByLabel("Password", { exact: true }).fill("willow lantern orbit 31");
      await form.getByRole("button", { name: "Sign in" }).click();
      await form.waitForURL((url) => url.pathname === "/");
      assert.match((await form.getByTestId("signed-in").textContent()) ?? "", /Robin Ash/);

      // A viewer is not shown the People page, and is refused it with a page naming the role.
      assert.equal(await form.getByRole("link", { name: "People" }).count(), 0);
      const refused = await form.goto("/people");
      assert.equal(refused?.status(), 403);
      assert.match(
        (await form.getByTestId("roles-needed").textContent()) ?? "",
        /you need the role Administrator/,
      );

      // Axe on the signed-in pages: sign Robin in on the axe page too.
      await page.goto("/sign-in");
      await page.getByLabel("Email address").fill("robin.ash@council.example");
      await page.getByLabel("Password", { exact: true }).fill("willow lantern orbit 31");
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForURL((url) => url.pathname === "/");
      await visit(page, "/account");
      await visit(page, "/people", 403);
      await page.goto("/account");
      await page.getByRole("button", { name: "Sign out", exact: true }).click();
      await page.waitForURL(/\/sign-in/);

      // The demo user's page for Robin: roles, a new role, deactivation.
      await visit(page, "/people");
      await page.getByRole("link", { name: "Robin Ash" }).click();
      await assertAccessible(page);
      assert.match((await page.getByTestId("roles").textContent()) ?? "", /Viewer\s+Whole council/);

      // An API token for Robin's roles: refused without a name, then issued and shown once,
      // listed on the page, and revoked.
      await page.getByLabel("What the token is for").fill("");
      await page.getByRole("button", { name: "Issue a token" }).click();
      assert.match(
        (await page.locator(".govuk-error-summary").textContent()) ?? "",
        /Enter what the token is for/,
      );
      await assertAccessible(page);
      await page.getByLabel("What the token is for").fill("Made-up data warehouse");
      await page.getByRole("button", { name: "Issue a token" }).click();
      assert.match((await page.getByTestId("api-token").textContent()) ?? "", /^bpt_[A-Za-z0-9_-]{40,}$/);
      await assertAccessible(page);
      await page.getByRole("link", { name: "Go to Robin Ash's page" }).click();
      assert.match(
        (await page.getByTestId("api-tokens").textContent()) ?? "",
        /Made-up data warehouse\s+Works until/,
      );
      await assertAccessible(page);
      await page.getByRole("button", { name: "Revoke the token Made-up data warehouse" }).click();
      assert.match((await page.getByTestId("api-tokens").textContent()) ?? "", /Revoked by/);
      await assertAccessible(page);
    },
  );
});
