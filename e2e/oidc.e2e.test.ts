import assert from "node:assert/strict";
import { createServer } from "node:net";
import { after, before, describe } from "node:test";
import { startTestProvider, type TestProvider } from "../test/helpers/oidc-provider.ts";
import { assertAccessible, journeyTest, setUpJourney, visit } from "./harness.ts";

/** A port free on this computer now, so the provider can be told Baseplan's address first. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === "string") throw new Error("no port");
  return address.port;
}

const port = await freePort();
const REDIRECT = `http://127.0.0.1:${port}/sign-in/oidc/callback`;

/**
 * Signing in with the council's identity provider: a real OpenID Connect provider
 * (`oidc-provider`) runs in this process, and Chromium goes from Baseplan's sign-in page to the
 * provider's sign-in form and back, with JavaScript off. Someone not added is refused with a page
 * saying what to ask for; the same callback twice is refused. Every Baseplan page passes axe.
 */
describe("signing in with the council's identity provider (OpenID Connect)", () => {
  let provider: TestProvider;
  before(async () => {
    provider = await startTestProvider({ redirectUrl: REDIRECT, providerName: "Anytown account" });
  });
  after(() => provider?.close());
  const journey = setUpJourney({ env: () => provider.env, port });

  journeyTest(
    "an added person signs in through the provider; a stranger is refused; a replayed callback is refused",
    journey,
    async () => {
      const form = journey.pageWithoutJavaScript;
      const page = journey.page;

      // The demo user (no session, every role) adds Jordan as a viewer.
      await form.goto("/people/invite");
      await form.getByLabel("Name").fill("Jordan Reeve");
      await form.getByLabel("Email address").fill("jordan.reeve@anytown.example");
      await form.getByLabel("Viewer").check();
      await form.getByRole("button", { name: "Invite" }).click();
      await form.getByTestId("invitation-link").waitFor();

      // The sign-in page offers the provider by name, beside the local account form.
      await visit(page, "/sign-in");
      assert.equal(await page.getByRole("button", { name: "Sign in with Anytown account" }).count(), 1);
      assert.equal(await page.getByLabel("Password", { exact: true }).count(), 1);

      // Jordan signs in at the provider (as their email, in other capitals) and comes back signed in.
      const callbacks: string[] = [];
      form.on("request", (request) => {
        if (request.url().startsWith(REDIRECT)) callbacks.push(request.url());
      });
      await form.goto("/sign-in?next=%2Fmeasures");
      await form.getByRole("button", { name: "Sign in with Anytown account" }).click();
      await form.waitForURL((url) => url.origin === provider.issuer);
      await form.locator('input[name="login"]').fill("Jordan.Reeve@Anytown.example");
      await form.locator('input[name="password"]').fill("anything");
      await form.getByRole("button", { name: "Sign-in" }).click();
      await form.waitForURL((url) => url.port === String(port) && url.pathname === "/measures");
      assert.match((await form.getByTestId("signed-in").textContent()) ?? "", /Signed in as\s+Jordan Reeve/);
      assert.equal(callbacks.length, 1);

      // The same callback again: refused with a page, nobody else signed in.
      const replayed = await form.goto(callbacks[0] ?? "");
      assert.equal(replayed?.status(), 400);
      // The browser spent its state cookie on the first use, so the copy cannot be checked.
      assert.match((await form.getByTestId("error-title").textContent()) ?? "", /could not be checked/);
      await page.goto(callbacks[0] ?? "");
      await assertAccessible(page);

      // Someone the provider knows but nobody added to Baseplan: refused, told what to ask for.
      await page.goto("/sign-in");
      await page.getByRole("button", { name: "Sign in with Anytown account" }).click();
      await page.waitForURL((url) => url.origin === provider.issuer);
      await page.locator('input[name="login"]').fill("casey.stranger@anytown.example");
      await page.locator('input[name="password"]').fill("anything");
      await page.getByRole("button", { name: "Sign-in" }).click();
      await page.waitForURL((url) => url.port === String(port) && url.pathname === "/sign-in/oidc/callback");
      await page.getByTestId("error-title").waitFor();
      assert.match((await page.getByTestId("error-title").textContent()) ?? "", /not been added to Baseplan/);
      assert.match(
        (await page.locator("main").textContent()) ?? "",
        /Ask an administrator of your council's Baseplan to add you/,
      );
      await assertAccessible(page);
    },
  );
});
