import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { buildCouncil, buildOpenRound, idOf } from "../../../test/helpers/builders.ts";
import { describeOnBothDatabases } from "../../../test/helpers/database.ts";
import { buildPerson } from "../../../test/helpers/people.ts";
import { startSmtpServer, type TestSmtpServer } from "../../../test/helpers/smtp.ts";
import type { Database } from "../../db/client.ts";
import { monitoringPeriod } from "../../domain/periods.ts";
import { addDays } from "../../domain/round-dates.ts";
import { listAuditEvents } from "../audit/audit.service.ts";
import { findPeriod } from "../periods/periods.service.ts";
import { recordProgress } from "../plan/plan.service.ts";
import { smtpMailer } from "./mailer.ts";
import { chooseDigest, periodReminders, sendReminders } from "./reminders.service.ts";
import { actOnItem, myUpdates } from "./round.service.ts";

const Q3 = monitoringPeriod(2031, "quarter", 3);
/** Quarter 3 2031/32 ends on 31 December 2031; its round is due a fortnight later. */
const DUE = "2032-01-14";

let smtp: TestSmtpServer;
before(async () => {
  smtp = await startSmtpServer();
});
after(async () => {
  await smtp.close();
});

/** A made-up council with quarter 3 of 2031/32 open: Ellis Varga leads one deliverable and owns one measure. */
async function setUp(db: Database) {
  smtp.received.length = 0;
  smtp.refuse.clear();
  const built = await buildOpenRound(db, {
    councilName: "Borough of Riverside",
    departmentName: "Housing",
    startYear: 2031,
    quarter: 3,
    deliverables: [
      { title: "Retrofit council homes", leadOfficers: [{ name: "Ellis Varga", qualifier: null }] },
      { title: "Build a new depot", leadAsWritten: "Director of Housing" },
    ],
    measure: { title: "Homes retrofitted", owner: "Ellis Varga" },
    people: {
      owner: { roles: ["owner"], name: "Ellis Varga", email: "ellis.varga@riverside.example" },
      reviewer: { roles: ["performance-officer"], name: "Rue Reviewer" },
    },
  });
  const { owner, reviewer } = built.people;
  const state = await findPeriod(db, Q3);
  assert.equal(state?.roundDueOn, DUE, "the made-up period's round is due a fortnight after it ends");
  const mailer = smtpMailer({
    smtpUrl: smtp.url,
    from: "performance@riverside.example",
    baseUrl: "https://baseplan.riverside.example",
  });
  return {
    ...built,
    owner,
    reviewer,
    mailer,
    own: idOf(built.deliverableIds, "Retrofit council homes"),
  };
}

const daily = (today: string) => ({ actor: "cron", run: "daily" as const, daysBefore: 3, today });

describeOnBothDatabases("the update round's email reminders", (fresh) => {
  test("before the due date each owner gets one email per item, in the council's words, once", async () => {
    const { db } = await fresh();
    const set = await setUp(db);
    const early = await sendReminders(db, set.mailer, daily(addDays(DUE, -4)));
    assert.deepEqual(early, { configured: true, sent: 0, failed: 0, nobodyToEmail: [] }, "too early");

    const result = await sendReminders(db, set.mailer, daily(addDays(DUE, -3)));
    assert.equal(result.configured && result.sent, 2);
    assert.deepEqual(result.configured && result.nobodyToEmail, ["Build a new depot"]);
    const mail = await smtp.waitFor(2);
    assert.deepEqual(mail.map((message) => message.subject).sort(), [
      'Housing: your update on "Homes retrofitted" is due on 14 January 2032',
      'Housing: your update on "Retrofit council homes" is due on 14 January 2032',
    ]);
    const [first] = mail;
    assert.equal(first?.from?.value[0]?.address, "performance@riverside.example");
    assert.equal(first?.from?.value[0]?.name, "Borough of Riverside");
    assert.equal(
      (Array.isArray(first?.to) ? first.to[0] : first?.to)?.value[0]?.address,
      "ellis.varga@riverside.example",
    );
    assert.match(first?.text ?? "", /^Dear Ellis Varga,/);
    assert.match(first?.text ?? "", /Housing, Borough of Riverside, is waiting for your update/);
    assert.match(first?.text ?? "", /Quarter 3 2031\/32/);
    assert.match(first?.text ?? "", /Where it stands: Not started\./);
    assert.match(first?.text ?? "", /https:\/\/baseplan\.riverside\.example\/my-updates/);
    assert.match(String(first?.html), /<a href="https:\/\/baseplan\.riverside\.example\/my-updates">/);

    const again = await sendReminders(db, set.mailer, daily(addDays(DUE, -2)));
    assert.equal(again.configured && again.sent, 0, "the same reminder is not sent twice");
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(smtp.received.length, 2);

    const state = await findPeriod(db, Q3);
    assert.ok(state);
    const record = await periodReminders(db, state);
    assert.deepEqual(
      record.map((email) => [email.recipient, email.outcomeWords, email.items.map((item) => item.reason)]),
      [
        ["ellis.varga@riverside.example", "Sent", ["due soon"]],
        ["ellis.varga@riverside.example", "Sent", ["due soon"]],
      ],
    );
    const audit = await listAuditEvents(db, "monitoring-period", state.key);
    assert.ok(
      audit.some((event) =>
        /Sent 2 reminder emails about the Quarter 3 2031\/32 update round/.test(event.summary),
      ),
    );
  });

  test("after the due date an outstanding item is overdue, once; a submitted one is not reminded", async () => {
    const { db } = await fresh();
    const set = await setUp(db);
    await recordProgress(db, set.owner.email, {
      deliverableId: set.own,
      version: 1,
      progress: {
        quarter: { financialYear: "2031/32", quarter: 3 },
        rating: "good",
        narrative: "Forty homes done.",
      },
    });
    await actOnItem(db, set.owner.email, "submit", {
      period: Q3,
      kind: "deliverable",
      id: set.own,
      version: 0,
    });
    const result = await sendReminders(db, set.mailer, daily(addDays(DUE, 1)));
    assert.equal(result.configured && result.sent, 1);
    const [mail] = await smtp.waitFor(1);
    assert.equal(mail?.subject, 'Housing: your update on "Homes retrofitted" is overdue');
    assert.match(mail?.text ?? "", /It was due on 14 January 2032 and is overdue\./);
    const again = await sendReminders(db, set.mailer, daily(addDays(DUE, 2)));
    assert.equal(again.configured && again.sent, 0);
  });

  test("a returned item's owner is emailed the reviewer's comment, once per return", async () => {
    const { db } = await fresh();
    const set = await setUp(db);
    await recordProgress(db, set.owner.email, {
      deliverableId: set.own,
      version: 1,
      progress: {
        quarter: { financialYear: "2031/32", quarter: 3 },
        rating: "good",
        narrative: "Forty homes done.",
      },
    });
    const item = { period: Q3, kind: "deliverable" as const, id: set.own };
    await actOnItem(db, set.owner.email, "submit", { ...item, version: 0 });
    await actOnItem(db, set.reviewer.email, "return", {
      ...item,
      version: 1,
      comment: "Say how many are left.",
    });
    const today = addDays(DUE, -20);
    const sent = await sendReminders(db, set.mailer, {
      ...daily(today),
      item: { kind: "deliverable", id: set.own },
    });
    assert.equal(sent.configured && sent.sent, 1, "only the returned item, not yet due");
    const [mail] = await smtp.waitFor(1);
    assert.equal(mail?.subject, 'Housing: your update on "Retrofit council homes" was returned to you');
    assert.match(mail?.text ?? "", /A reviewer returned it with this comment: "Say how many are left\."/);
    assert.match(mail?.text ?? "", /Where it stands: Returned\./);
    assert.equal((await sendReminders(db, set.mailer, daily(today))).configured && smtp.received.length, 1);

    // Submitted again and returned again: a new return, a new email.
    await actOnItem(db, set.owner.email, "submit", { ...item, version: 2 });
    await actOnItem(db, set.reviewer.email, "return", { ...item, version: 3, comment: "And the cost." });
    await sendReminders(db, set.mailer, daily(today));
    const both = await smtp.waitFor(2);
    assert.match(both[1]?.text ?? "", /"And the cost\."/);
  });

  test("a person who chose the daily digest gets one email listing all their outstanding items", async () => {
    const { db } = await fresh();
    const set = await setUp(db);
    await chooseDigest(db, set.owner.email, true);
    const result = await sendReminders(db, set.mailer, daily(addDays(DUE, 1)));
    assert.equal(result.configured && result.sent, 1);
    const [mail] = await smtp.waitFor(1);
    assert.equal(mail?.subject, "Housing: 2 updates waiting for you");
    assert.match(mail?.text ?? "", /deliverable: Retrofit council homes[\s\S]*measure: Homes retrofitted/);
    assert.match(mail?.text ?? "", /You get one email a day listing your updates/);
    const state = await findPeriod(db, Q3);
    assert.ok(state);
    const [email] = await periodReminders(db, state);
    assert.equal(email?.digest, true);
    assert.deepEqual(email?.items.map((item) => item.title).sort(), [
      "Homes retrofitted",
      "Retrofit council homes",
    ]);
    assert.equal(
      (await sendReminders(db, set.mailer, daily(addDays(DUE, 1)))).configured && smtp.received.length,
      1,
    );
  });

  test("a person of another council with the owner's name is neither reminded nor given the items", async () => {
    const { db } = await fresh();
    const set = await setUp(db);
    const elsewhere = await buildCouncil(db, {
      councilName: "Borough of Elsewhere",
      departmentName: "Housing",
    });
    const namesake = await buildPerson(db, {
      councilId: elsewhere.councilId,
      roles: ["owner"],
      name: "Ellis Varga",
      email: "ellis.varga@elsewhere.example",
    });

    const result = await sendReminders(db, set.mailer, daily(addDays(DUE, -3)));
    assert.equal(result.configured && result.sent, 2);
    await smtp.waitFor(2);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const recipients = smtp.received.map(
      (message) => (Array.isArray(message.to) ? message.to[0] : message.to)?.text,
    );
    assert.deepEqual([...new Set(recipients)], ["ellis.varga@riverside.example"]);
    assert.deepEqual((await myUpdates(db, namesake.email)).periods, []);
    const own = await myUpdates(db, set.owner.email);
    assert.deepEqual(own.periods.flatMap((period) => period.items.map((item) => item.title)).sort(), [
      "Homes retrofitted",
      "Retrofit council homes",
    ]);
  });

  test("with no SMTP server configured nothing is sent or recorded", async () => {
    const { db } = await fresh();
    await setUp(db);
    assert.deepEqual(await sendReminders(db, undefined, daily(addDays(DUE, 1))), { configured: false });
    const state = await findPeriod(db, Q3);
    assert.ok(state);
    assert.deepEqual(await periodReminders(db, state), []);
  });

  test("an SMTP server's refusal is recorded as not sent, with its answer, and tried again next time", async () => {
    const { db } = await fresh();
    const set = await setUp(db);
    smtp.refuse.add("ellis.varga@riverside.example");
    const result = await sendReminders(db, set.mailer, daily(addDays(DUE, 1)));
    assert.deepEqual(result, { configured: true, sent: 0, failed: 2, nobodyToEmail: ["Build a new depot"] });
    const state = await findPeriod(db, Q3);
    assert.ok(state);
    const record = await periodReminders(db, state);
    assert.deepEqual(
      record.map((email) => email.outcomeWords),
      ["Not sent", "Not sent"],
    );
    assert.match(record[0]?.detail ?? "", /550/);
    smtp.refuse.clear();
    const retried = await sendReminders(db, set.mailer, daily(addDays(DUE, 1)));
    assert.equal(retried.configured && retried.sent, 2);
  });

  test("an unreachable SMTP server is recorded as not sent, not thrown", async () => {
    const { db } = await fresh();
    await setUp(db);
    const closed = await startSmtpServer();
    await closed.close();
    const unreachable = smtpMailer({
      smtpUrl: closed.url,
      from: "performance@riverside.example",
      baseUrl: "http://127.0.0.1",
    });
    const result = await sendReminders(db, unreachable, daily(addDays(DUE, 1)));
    assert.equal(result.configured && result.failed, 2);
  });

  test("reminding all outstanding sends every item still with its owner, at most once a day", async () => {
    const { db } = await fresh();
    const set = await setUp(db);
    const run = (today: string) =>
      sendReminders(db, set.mailer, {
        actor: set.reviewer.email,
        run: "all-outstanding",
        daysBefore: 3,
        period: Q3,
        today,
      });
    const first = await run(addDays(DUE, -30));
    assert.equal(first.configured && first.sent, 2);
    const mail = await smtp.waitFor(2);
    assert.ok(mail.every((message) => /is waiting for you$/.test(message.subject ?? "")));
    assert.equal(
      (await run(addDays(DUE, -30))).configured && smtp.received.length,
      2,
      "not twice the same day",
    );
    const next = await run(addDays(DUE, -29));
    assert.equal(next.configured && next.sent, 2, "again the next day");
  });
});
