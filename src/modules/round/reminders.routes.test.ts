import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { FastifyInstance } from "fastify";
import { testApp } from "../../../test/helpers/app.ts";
import { buildCouncil, buildMonitoringYear, buildOpenQuarter, idOf } from "../../../test/helpers/builders.ts";
import { describeOnBothDatabases } from "../../../test/helpers/database.ts";
import { buildPerson, sessionCookieFor } from "../../../test/helpers/people.ts";
import { startSmtpServer, type TestSmtpServer } from "../../../test/helpers/smtp.ts";
import { loadConfig } from "../../config.ts";
import type { Database } from "../../db/client.ts";
import { monitoringPeriod } from "../../domain/periods.ts";
import { listAuditEvents } from "../audit/audit.service.ts";
import { recordProgress } from "../plan/plan.service.ts";
import { digestPreference } from "./reminders.service.ts";
import { actOnItem } from "./round.service.ts";

const PRODUCTION = {
  NODE_ENV: "production",
  BASEPLAN_COOKIE_SECRET: "a-cookie-secret-for-the-reminder-route-tests",
  BASEPLAN_SESSION_SECRET: "a-session-secret-for-the-reminder-route-tests",
};
const PAGE = "/periods/2032-33/q1/round";

let smtp: TestSmtpServer;
before(async () => {
  smtp = await startSmtpServer();
});
after(async () => {
  await smtp.close();
});

const withMail = () => ({
  ...PRODUCTION,
  BASEPLAN_SMTP_URL: smtp.url,
  BASEPLAN_MAIL_FROM: "performance@lakeside.example",
  BASEPLAN_BASE_URL: "https://plans.lakeside.example",
});

/** Opens `page` as the person and posts one of its forms (found by its action) with the fields given. */
async function postForm(
  app: FastifyInstance,
  cookie: string,
  page: string,
  action: string,
  fields: Record<string, string> = {},
) {
  const opened = await app.inject({ url: page, headers: { cookie } });
  assert.equal(opened.statusCode, 200, opened.body);
  const form =
    new RegExp(`<form method="post" action="${action}"[\\s\\S]*?</form>`).exec(opened.body)?.[0] ?? "";
  assert.ok(form, `${page} has a form to ${action}`);
  const token = /name="_csrf" value="([^"]+)"/.exec(form)?.[1] ?? "";
  const version = /name="version" value="(\d+)"/.exec(form)?.[1];
  const cookies = [cookie, ...opened.cookies.map((c) => `${c.name}=${c.value}`)].join("; ");
  const response = await app.inject({
    method: "POST",
    url: action,
    payload: new URLSearchParams({
      _csrf: token,
      ...(version !== undefined ? { version } : {}),
      ...fields,
    }).toString(),
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookies },
  });
  return { response, cookies };
}

/** The page a form's redirect goes to, with the banner it carries. */
async function follow(app: FastifyInstance, posted: Awaited<ReturnType<typeof postForm>>) {
  assert.equal(posted.response.statusCode, 303, posted.response.body);
  const banner = posted.response.cookies.map((c) => `${c.name}=${c.value}`);
  return app.inject({
    url: String(posted.response.headers.location),
    headers: { cookie: [posted.cookies, ...banner].join("; ") },
  });
}

/** A made-up council, quarter 1 of 2032/33 open: Noor Adeyemi leads one deliverable. */
async function setUp(db: Database) {
  smtp.received.length = 0;
  smtp.refuse.clear();
  const built = await buildCouncil(db, {
    councilName: "Lakeside District Council",
    departmentName: "Leisure",
    plan: { fromYear: 2032, toYear: 2034 },
    deliverables: [{ title: "Reopen the lido", leadOfficers: [{ name: "Noor Adeyemi", qualifier: null }] }],
  });
  await buildMonitoringYear(db, 2032);
  await buildOpenQuarter(db, 2032, 1);
  const owner = await buildPerson(db, {
    councilId: built.councilId,
    roles: ["owner"],
    name: "Noor Adeyemi",
    email: "noor.adeyemi@lakeside.example",
  });
  const officer = await buildPerson(db, { councilId: built.councilId, roles: ["performance-officer"] });
  const viewer = await buildPerson(db, { councilId: built.councilId, roles: ["viewer"] });
  return { ...built, owner, officer, viewer, id: idOf(built.deliverableIds, "Reopen the lido") };
}

describeOnBothDatabases("the update round's reminder pages", (fresh) => {
  test("a performance officer reminds all outstanding: the owner is emailed, the banner counts it, the page lists it", async () => {
    const { db } = await fresh();
    const set = await setUp(db);
    const env = withMail();
    const app = await testApp(db, env);
    const config = loadConfig(env);
    const asOfficer = await sessionCookieFor(db, config, set.officer.id);
    const asViewer = await sessionCookieFor(db, config, set.viewer.id);
    const empty = await app.inject({ url: PAGE, headers: { cookie: asOfficer } });
    assert.match(empty.body, /No reminders have been sent about Quarter 1 2032\/33\./);

    const viewerTries = await app.inject({
      method: "POST",
      url: `${PAGE}/remind`,
      headers: { cookie: asViewer, "content-type": "application/x-www-form-urlencoded" },
      payload: "",
    });
    assert.equal(viewerTries.statusCode, 403);
    const forged = await app.inject({
      method: "POST",
      url: `${PAGE}/remind`,
      headers: { cookie: asOfficer, "content-type": "application/x-www-form-urlencoded" },
      payload: "",
    });
    assert.equal(forged.statusCode, 403, "no CSRF token");
    assert.equal(smtp.received.length, 0);

    const page = await follow(app, await postForm(app, asOfficer, PAGE, `${PAGE}/remind`));
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Sent 1 reminder email\./);
    const [mail] = await smtp.waitFor(1);
    assert.equal(mail?.subject, 'Leisure: your update on "Reopen the lido" is waiting for you');
    assert.match(mail?.text ?? "", /Leisure, Lakeside District Council, is waiting for your update/);
    assert.match(mail?.text ?? "", /https:\/\/plans\.lakeside\.example\/my-updates/);
    const table = /<table class="govuk-table" data-testid="reminders-sent"[\s\S]*?<\/table>/.exec(
      page.body,
    )?.[0];
    assert.match(table ?? "", /noor\.adeyemi@lakeside\.example/);
    assert.match(table ?? "", /Reopen the lido \(outstanding\)/);
    assert.match(table ?? "", /<strong>Sent<\/strong>/);

    const again = await follow(app, await postForm(app, asOfficer, PAGE, `${PAGE}/remind`));
    assert.match(
      again.body,
      /No reminders were sent: everyone with outstanding updates has already been reminded today/,
    );
    assert.equal(smtp.received.length, 1);
    const events = await listAuditEvents(db, "monitoring-period", "2032-33-q1");
    assert.equal(
      events.filter((event) => /Reminded everyone with outstanding updates/.test(event.summary)).length,
      2,
    );
    await app.close();
  });

  test("an SMTP refusal is shown on the round page as not sent, with the server's answer, not an error", async () => {
    const { db } = await fresh();
    const set = await setUp(db);
    smtp.refuse.add("noor.adeyemi@lakeside.example");
    const env = withMail();
    const app = await testApp(db, env);
    const asOfficer = await sessionCookieFor(db, loadConfig(env), set.officer.id);
    const page = await follow(app, await postForm(app, asOfficer, PAGE, `${PAGE}/remind`));
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Sent 0 reminder emails\. 1 could not be sent: the reminders sent below say why/);
    assert.match(page.body, /<strong>Not sent<\/strong>: [^<]*550/);
    await app.close();
  });

  test("a reviewer's return emails the owner the comment from the round page", async () => {
    const { db } = await fresh();
    const set = await setUp(db);
    const env = withMail();
    const app = await testApp(db, env);
    await recordProgress(db, set.owner.email, {
      deliverableId: set.id,
      version: 1,
      progress: {
        quarter: { financialYear: "2032/33", quarter: 1 },
        rating: "good",
        narrative: "Pool refilled.",
      },
    });
    await actOnItem(db, set.owner.email, "submit", {
      period: monitoringPeriod(2032, "quarter", 1),
      kind: "deliverable",
      id: set.id,
      version: 0,
    });
    const asOfficer = await sessionCookieFor(db, loadConfig(env), set.officer.id);
    const action = `${PAGE}/deliverable/${set.id}/return`;
    const page = await follow(
      app,
      await postForm(app, asOfficer, PAGE, action, { comment: "Add the opening date." }),
    );
    assert.match(page.body, /returned to its owner with your comment\. Its owner was emailed the comment\./);
    const [mail] = await smtp.waitFor(1);
    assert.equal(mail?.subject, 'Leisure: your update on "Reopen the lido" was returned to you');
    assert.match(mail?.text ?? "", /A reviewer returned it with this comment: "Add the opening date\."/);
    await app.close();
  });

  test("with no SMTP server configured the pages say so and reminding sends nothing, without an error", async () => {
    const { db } = await fresh();
    const set = await setUp(db);
    const app = await testApp(db, PRODUCTION);
    const asOfficer = await sessionCookieFor(db, loadConfig(PRODUCTION), set.officer.id);
    const round = await app.inject({ url: PAGE, headers: { cookie: asOfficer } });
    assert.match(round.body, /Email is not set up on this Baseplan, so owners are not reminded by email\./);
    assert.doesNotMatch(round.body, /Remind all outstanding/);
    const opened = await app.inject({ url: "/my-updates", headers: { cookie: asOfficer } });
    const token = /name="_csrf" value="([^"]+)"/.exec(opened.body)?.[1] ?? "";
    const cookies = [asOfficer, ...opened.cookies.map((c) => `${c.name}=${c.value}`)].join("; ");
    const posted = await app.inject({
      method: "POST",
      url: `${PAGE}/remind`,
      headers: { cookie: cookies, "content-type": "application/x-www-form-urlencoded" },
      payload: `_csrf=${encodeURIComponent(token)}`,
    });
    const page = await follow(app, { response: posted, cookies });
    assert.match(page.body, /Email is not set up on this Baseplan, so no reminders were sent\./);
    assert.equal(smtp.received.length, 0);
    await app.close();
  });

  test("a person chooses the daily digest on My updates; a choice that is not offered changes nothing", async () => {
    const { db } = await fresh();
    const set = await setUp(db);
    const app = await testApp(db, PRODUCTION);
    const asOwner = await sessionCookieFor(db, loadConfig(PRODUCTION), set.owner.id);
    const mine = await app.inject({ url: "/my-updates", headers: { cookie: asOwner } });
    assert.match(mine.body, /Email is not set up on this Baseplan, so no reminders are sent yet/);
    const bad = await postForm(app, asOwner, "/my-updates", "/my-updates/reminders", { digest: "weekly" });
    assert.equal(bad.response.statusCode, 400);
    assert.match(bad.response.body, /Choose how you would like to be reminded/);
    assert.match(bad.response.body, /href="#digest"/);
    assert.equal(await digestPreference(db, set.owner.email), false);
    const chosen = await follow(
      app,
      await postForm(app, asOwner, "/my-updates", "/my-updates/reminders", { digest: "daily" }),
    );
    assert.match(chosen.body, /You will get one email a day listing all your outstanding updates\./);
    assert.match(chosen.body, /value="daily" checked/);
    assert.equal(await digestPreference(db, set.owner.email), true);
    const events = await listAuditEvents(db, "person", set.owner.id);
    assert.ok(events.some((event) => /chose one email a day/.test(event.summary)));
    await app.close();
  });
});
