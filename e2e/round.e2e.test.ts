import assert from "node:assert/strict";
import { after, before, describe } from "node:test";
import { buildCouncil, buildMeasure, buildMonitoringYear } from "../test/helpers/builders.ts";
import { buildPerson, TEST_PASSWORD } from "../test/helpers/people.ts";
import { startSmtpServer, type TestSmtpServer } from "../test/helpers/smtp.ts";
import { assertAccessible, journeyTest, setUpJourney } from "./harness.ts";

/**
 * A whole update round on a made-up council, each step by the person whose role it is, signed in
 * with a local account: an administrator opens the period, the owner records and submits, a
 * performance officer returns it with a comment, the owner resubmits, it is approved, an approver
 * signs the period off, the owner's next edit is refused, and an administrator unlocks it with a
 * reason. Every page passes axe. A real SMTP server in the test receives the reminder and the
 * return email.
 */
describe("the update round from opening to sign-off and unlocking", () => {
  let smtp: TestSmtpServer;
  before(async () => {
    smtp = await startSmtpServer();
  });
  after(async () => {
    await smtp?.close();
  });
  const journey = setUpJourney({
    demo: false,
    env: () => ({
      BASEPLAN_SMTP_URL: smtp.url,
      BASEPLAN_MAIL_FROM: "performance@culture.example",
      BASEPLAN_BASE_URL: "https://baseplan.culture.example",
    }),
  });

  journeyTest(
    "open, submit, return, resubmit, approve, sign off, refuse an edit, unlock",
    journey,
    async () => {
      const db = journey.database.db;
      const built = await buildCouncil(db, { departmentName: "Culture" });
      await buildMonitoringYear(db, 2037);
      const measure = await buildMeasure(db, {
        title: "Museum visits",
        unit: "count",
        frequency: "quarterly",
        owner: "Tam Owner",
      });
      const person = (roles: Parameters<typeof buildPerson>[1]["roles"], name: string) =>
        buildPerson(db, { councilId: built.councilId, roles, name });
      const owner = await person(["owner"], "Tam Owner");
      const reviewer = await person(["performance-officer"], "Rae Reviewer");
      const approver = await person(["approver"], "Dee Director");
      const admin = await person(["administrator"], "Ash Admin");
      const page = journey.page;
      const label = "Quarter 2 2037/38";

      async function signInAs(email: string) {
        await page.context().clearCookies();
        await page.goto("/sign-in");
        await page.getByLabel("Email address").fill(email);
        await page.getByLabel("Password", { exact: true }).fill(TEST_PASSWORD);
        await page.getByRole("button", { name: "Sign in" }).click();
        await page.waitForURL((url) => url.pathname === "/");
      }
      const banner = async () =>
        ((await page.locator(".govuk-notification-banner").first().textContent()) ?? "").trim();

      // The administrator opens the quarter for entry: its round is due a fortnight after it ends.
      await signInAs(admin.email);
      await page.goto("/periods");
      await page.getByRole("button", { name: `Open for entry ${label}` }).click();
      await page.waitForURL(/\/periods\/2037-38\/q2\?done=opened/);
      await page.goto("/periods/2037-38/q2/round");
      assert.match(
        (await page.getByTestId("round-due").textContent()) ?? "",
        /Updates are due on 14 October 2037/,
      );
      await assertAccessible(page);

      // The administrator reminds everyone outstanding: the owner's reminder arrives.
      await page.getByRole("button", { name: /^Remind all outstanding/ }).click();
      await page.waitForURL(/\/round$/);
      assert.match(await banner(), /Sent 1 reminder email\./);
      const [reminder] = await smtp.waitFor(1);
      assert.equal(reminder?.subject, 'Culture: your update on "Museum visits" is waiting for you');
      assert.match(reminder?.text ?? "", /https:\/\/baseplan\.culture\.example\/my-updates/);
      assert.match(
        (await page.getByTestId("reminders-sent").textContent()) ?? "",
        /Museum visits \(outstanding\)/,
      );
      await assertAccessible(page);

      // The owner records the value and submits it from My updates.
      await signInAs(owner.email);
      await page.goto("/my-updates");
      await assertAccessible(page);
      await page.getByRole("link", { name: "Record the update for Museum visits" }).click();
      await page.getByLabel(`Value for ${label}`).fill("1200");
      await page.getByRole("button", { name: "Save the value" }).click();
      await page.waitForURL(new RegExp(`/measures/${measure.id}$`));
      await page.goto("/my-updates");
      await page.getByRole("button", { name: /^Submit for review\s?: Museum visits$/ }).click();
      await page.waitForURL(/\/my-updates$/);
      assert.match(await banner(), /submitted for review/);
      assert.match((await page.getByTestId(`state-measure-${measure.id}`).textContent()) ?? "", /Submitted/);

      // The reviewer returns it with a comment.
      await signInAs(reviewer.email);
      await page.goto("/periods/2037-38/q2/round");
      await page.getByLabel("Comment for the owner").fill("Include the touring exhibition.");
      await page.getByRole("button", { name: /^Return with comment\s?: Museum visits$/ }).click();
      await page.waitForURL(/\/round$/);
      assert.match((await page.getByTestId(`state-measure-${measure.id}`).textContent()) ?? "", /Returned/);
      assert.match(await banner(), /Its owner was emailed the comment\./);
      const returnEmail = (await smtp.waitFor(2))[1];
      assert.equal(returnEmail?.subject, 'Culture: your update on "Museum visits" was returned to you');
      assert.match(returnEmail?.text ?? "", /"Include the touring exhibition\."/);
      await assertAccessible(page);

      // The owner sees the comment, restates the value and submits again.
      await signInAs(owner.email);
      await page.goto("/my-updates");
      assert.match(
        (await page.getByTestId(`state-measure-${measure.id}`).textContent()) ?? "",
        /Include the touring exhibition\./,
      );
      await page.getByRole("link", { name: "Record the update for Museum visits" }).click();
      await page.getByLabel(`Value for ${label}`).fill("1450");
      await page.getByRole("button", { name: "Save the value" }).click();
      await page.waitForURL(new RegExp(`/measures/${measure.id}$`));
      await page.goto("/my-updates");
      await page.getByRole("button", { name: /^Submit for review\s?: Museum visits$/ }).click();
      await page.waitForURL(/\/my-updates$/);

      // The reviewer approves it.
      await signInAs(reviewer.email);
      await page.goto("/periods/2037-38/q2/round");
      await page.getByRole("button", { name: /^Approve\s?: Museum visits$/ }).click();
      await page.waitForURL(/\/round$/);
      assert.match((await page.getByTestId(`state-measure-${measure.id}`).textContent()) ?? "", /Approved/);
      assert.match(
        (await page.getByTestId("round-progress-people").textContent()) ?? "",
        /Tam Owner\s+1\s+1\s+0\s+0\s+0/,
      );

      // The approver signs the period off, which locks it.
      await signInAs(approver.email);
      await page.goto("/periods/2037-38/q2");
      await assertAccessible(page);
      await page.getByRole("button", { name: `Sign off ${label}` }).click();
      await page.waitForURL(/\/periods\/2037-38\/q2$/);
      assert.match((await page.getByTestId("period-locked").textContent()) ?? "", /Signed off and locked\./);
      await assertAccessible(page);

      // The owner's next edit is refused, with who can unlock it.
      await signInAs(owner.email);
      await page.goto(`/measures/${measure.id}/values/new?period=2037-38-q2`);
      await page.getByLabel(`Value for ${label}`).fill("1500");
      const refused = page.waitForResponse((response) => response.request().method() === "POST");
      await page.getByRole("button", { name: "Save the value" }).click();
      assert.equal((await refused).status(), 403);
      await page.getByTestId("who-can-unlock").waitFor();
      assert.match(
        (await page.getByTestId("who-can-unlock").textContent()) ?? "",
        /administrator can unlock it, giving a reason: Ash Admin/,
      );
      await assertAccessible(page);

      // The administrator unlocks it: a reason is required, and kept in the history.
      await signInAs(admin.email);
      await page.goto("/periods/2037-38/q2");
      await page.getByRole("button", { name: `Unlock ${label}` }).click();
      assert.match(
        (await page.locator(".govuk-error-summary").textContent()) ?? "",
        /Enter why the period is being unlocked/,
      );
      await assertAccessible(page);
      await page.getByLabel("Why it is being unlocked").fill("The touring exhibition's count was revised.");
      await page.getByRole("button", { name: `Unlock ${label}` }).click();
      await page.waitForURL(/\/periods\/2037-38\/q2$/);
      assert.match(await banner(), /The period was unlocked/);
      assert.equal(await page.getByTestId("period-locked").count(), 0);
      await page.goto("/audit");
      assert.match(
        await page.content(),
        /The touring exhibition&#39;s count was revised\.|The touring exhibition's count was revised\./,
      );
    },
  );
});
