import assert from "node:assert/strict";
import { test } from "node:test";
import { testApp } from "../../../test/helpers/app.ts";
import {
  buildCouncil,
  buildMeasure,
  buildMonitoringYear,
  buildOpenQuarter,
  buildOpenRound,
  idOf,
} from "../../../test/helpers/builders.ts";
import { describeOnBothDatabases, TEST_ACTOR } from "../../../test/helpers/database.ts";
import { formSession } from "../../../test/helpers/forms.ts";
import { monitoringPeriod } from "../../domain/periods.ts";
import { Conflict, PeriodLockedError, RoleRequired } from "../../errors.ts";
import { listAuditEvents } from "../audit/audit.service.ts";
import { changeRoundDueDate, findPeriod, signOffPeriod } from "../periods/periods.service.ts";
import { recordProgress } from "../plan/plan.service.ts";
import { actOnItem, changeItemDueDate, myUpdates, periodRound, roundProgress } from "./round.service.ts";

const Q1 = monitoringPeriod(2036, "quarter", 1);

describeOnBothDatabases("the update round's due dates", (fresh) => {
  test("items are due a fortnight after the period unless changed; overdue while with their owner", async () => {
    const { db } = await fresh();
    const built = await buildOpenRound(db, {
      departmentName: "Libraries",
      startYear: 2036,
      quarter: 1,
      deliverables: [
        { title: "Open a mobile library", leadOfficers: [{ name: "Nia Reade", qualifier: null }] },
        { title: "Digitise the archive", leadOfficers: [{ name: "Nia Reade", qualifier: null }] },
      ],
      measure: { title: "Books lent", owner: "Nia Reade" },
      people: {
        owner: { roles: ["owner"], name: "Nia Reade" },
        officer: { roles: ["performance-officer"] },
      },
    });
    const { owner, officer } = built.people;
    const mobile = idOf(built.deliverableIds, "Open a mobile library");
    const archive = idOf(built.deliverableIds, "Digitise the archive");

    // Quarter 1 of 2036/37 ends on 30 June 2036: due 14 July.
    assert.equal((await findPeriod(db, Q1))?.roundDueOn, "2036-07-14");
    const before = await periodRound(db, Q1, "2036-07-14");
    assert.ok(before.items.every((item) => item.dueOn === "2036-07-14" && !item.overdue));
    const after = await periodRound(db, Q1, "2036-07-15");
    assert.ok(
      after.items.every((item) => item.overdue),
      "nothing recorded after the due date is overdue",
    );

    await recordProgress(db, owner.email, {
      deliverableId: mobile,
      version: 1,
      progress: {
        quarter: { financialYear: "2036/37", quarter: 1 },
        rating: "good",
        narrative: "Van bought.",
      },
    });
    await actOnItem(db, owner.email, "submit", { period: Q1, kind: "deliverable", id: mobile, version: 0 });
    const mine = await myUpdates(db, owner.email, "2036-07-20");
    const overdue = mine.periods[0]?.items.filter((item) => item.overdue).map((item) => item.title);
    assert.deepEqual(
      overdue?.sort(),
      ["Books lent", "Digitise the archive"],
      "a submitted item is not overdue",
    );

    // A performance officer changes one item's date, and the period's; an owner may not.
    await assert.rejects(
      changeItemDueDate(db, owner.email, {
        period: Q1,
        kind: "deliverable",
        id: archive,
        version: 0,
        dueOn: "2036-08-31",
      }),
      RoleRequired,
    );
    await changeItemDueDate(db, officer.email, {
      period: Q1,
      kind: "deliverable",
      id: archive,
      version: 0,
      dueOn: "2036-08-31",
    });
    await assert.rejects(
      changeItemDueDate(db, officer.email, {
        period: Q1,
        kind: "deliverable",
        id: archive,
        version: 0,
        dueOn: "2036-09-30",
      }),
      Conflict,
    );
    const period = await findPeriod(db, Q1);
    await changeRoundDueDate(db, officer.email, {
      period: Q1,
      version: period?.version ?? 0,
      dueOn: "2036-07-21",
    });
    const changed = await periodRound(db, Q1, "2036-07-25");
    const by = (title: string) => changed.items.find((item) => item.title === title);
    assert.equal(by("Digitise the archive")?.dueOn, "2036-08-31");
    assert.equal(by("Digitise the archive")?.overdue, false);
    assert.equal(by("Books lent")?.dueOn, "2036-07-21");
    assert.equal(by("Books lent")?.overdue, true);
    assert.deepEqual(roundProgress(changed.items), {
      bySection: [
        { name: "Deliverables", total: 2, approved: 0, submitted: 1, withOwner: 1, overdue: 0 },
        { name: "Measures", total: 1, approved: 0, submitted: 0, withOwner: 1, overdue: 1 },
      ],
      // The builder's deliverables also name a lead as written, which counts as an owner.
      byPerson: [
        { name: "Head of Highways", total: 2, approved: 0, submitted: 1, withOwner: 1, overdue: 0 },
        { name: "Nia Reade", total: 3, approved: 0, submitted: 1, withOwner: 2, overdue: 1 },
      ],
    });
    const history = await listAuditEvents(db, "deliverable", archive);
    assert.ok(history.some((event) => /is due on 2036-08-31/.test(event.summary)));

    // A signed-off period's dates are locked like the rest of its round.
    await signOffPeriod(db, TEST_ACTOR, { period: Q1, version: (await findPeriod(db, Q1))?.version ?? 0 });
    await assert.rejects(
      changeItemDueDate(db, officer.email, {
        period: Q1,
        kind: "deliverable",
        id: archive,
        version: 1,
        dueOn: "2036-09-30",
      }),
      PeriodLockedError,
    );
  });

  test("the round and My updates pages show the due date and say overdue in words; a bad date is refused", async () => {
    const { db } = await fresh();
    await buildCouncil(db, { departmentName: "Libraries" });
    await buildMonitoringYear(db, 2024);
    await buildOpenQuarter(db, 2024, 2);
    const measure = await buildMeasure(db, {
      title: "Library visits",
      unit: "count",
      frequency: "quarterly",
    });
    const app = await testApp(db);
    const page = await app.inject({ url: "/periods/2024-25/q2/round" });
    assert.equal(page.statusCode, 200);
    // Quarter 2 of 2024/25 ended long ago: its items are overdue.
    assert.match(
      page.body,
      /data-testid="round-progress-people"[\s\S]*No owner named<\/th>\s*<td[^>]*>1<\/td>/,
    );
    assert.match(page.body, /Updates are due on <strong>14 October 2024<\/strong>/);
    assert.match(
      page.body,
      new RegExp(
        `data-testid="due-measure-${measure.id}">14 October 2024 <strong class="govuk-tag govuk-tag--red">Overdue</strong>`,
      ),
    );

    const session = await formSession(app, "/periods/2024-25/q2/round");
    const action = `/periods/2024-25/q2/round/measure/${measure.id}/due-date`;
    const bad = await app.inject({
      method: "POST",
      url: action,
      headers: { cookie: session.cookie, "content-type": "application/x-www-form-urlencoded" },
      payload: new URLSearchParams({
        _csrf: session.token ?? "",
        version: "0",
        [`due-measure-${measure.id}-day`]: "31",
        [`due-measure-${measure.id}-month`]: "2",
        [`due-measure-${measure.id}-year`]: "2025",
      }).toString(),
    });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /The due date must be a real date/);
    assert.match(bad.body, new RegExp(`href="#due-measure-${measure.id}"`));
    const good = await app.inject({
      method: "POST",
      url: action,
      headers: { cookie: session.cookie, "content-type": "application/x-www-form-urlencoded" },
      payload: new URLSearchParams({
        _csrf: session.token ?? "",
        version: "0",
        [`due-measure-${measure.id}-day`]: "1",
        [`due-measure-${measure.id}-month`]: "3",
        [`due-measure-${measure.id}-year`]: "2099",
      }).toString(),
    });
    assert.equal(good.statusCode, 303, good.body);
    const again = await app.inject({ url: "/periods/2024-25/q2/round" });
    assert.match(again.body, new RegExp(`data-testid="due-measure-${measure.id}">1 March 2099\\s*<`));
    await app.close();
  });
});
