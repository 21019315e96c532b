import assert from "node:assert/strict";
import { test } from "node:test";
import { buildOpenRound, idOf } from "../../../test/helpers/builders.ts";
import { describeOnBothDatabases } from "../../../test/helpers/database.ts";
import type { Database } from "../../db/client.ts";
import { monitoringPeriod } from "../../domain/periods.ts";
import { Conflict, NotTheOwner, RoleRequired, ValidationFailed } from "../../errors.ts";
import { listAuditEvents } from "../audit/audit.service.ts";
import { recordPeriodValue } from "../measures/measures.service.ts";
import { requireOpenPeriod } from "../periods/periods.service.ts";
import { recordProgress } from "../plan/plan.service.ts";
import { actOnItem, myUpdates, periodRound } from "./round.service.ts";

const Q3 = monitoringPeriod(2031, "quarter", 3);

/** A made-up council with quarter 3 of 2031/32 open: Ellis Varga leads one deliverable and owns one measure. */
async function setUp(db: Database) {
  const built = await buildOpenRound(db, {
    departmentName: "Housing",
    startYear: 2031,
    quarter: 3,
    deliverables: [
      { title: "Retrofit council homes", leadOfficers: [{ name: "Ellis Varga", qualifier: null }] },
      { title: "Build a new depot", leadAsWritten: "Director of Housing" },
    ],
    measure: { title: "Homes retrofitted", owner: "Ellis Varga" },
    people: {
      owner: { roles: ["owner"], name: "Ellis Varga" },
      reviewer: { roles: ["performance-officer"], name: "Rue Reviewer" },
      approver: { roles: ["approver"], name: "Dana Director" },
    },
  });
  const { owner, reviewer, approver } = built.people;
  return {
    ...built,
    owner,
    reviewer,
    approver,
    own: idOf(built.deliverableIds, "Retrofit council homes"),
    other: idOf(built.deliverableIds, "Build a new depot"),
  };
}

async function stateOf(db: Database, kind: string, id: number) {
  const item = (await periodRound(db, Q3)).items.find(
    (candidate) => candidate.kind === kind && candidate.id === id,
  );
  assert.ok(item, `${kind} ${id} is in the round`);
  return item;
}

describeOnBothDatabases("the update round", (fresh) => {
  test("an owner's items go from not started to draft, submitted, returned, resubmitted and approved, each audited", async () => {
    const { db } = await fresh();
    const set = await setUp(db);
    const mine = await myUpdates(db, set.owner.email);
    assert.equal(mine.person?.displayName, "Ellis Varga");
    assert.deepEqual(
      mine.periods.map((round) => [
        round.state.label,
        round.items.map((item) => [item.title, item.stateWords]),
      ]),
      [
        [
          "Quarter 3 2031/32",
          [
            ["Retrofit council homes", "Not started"],
            ["Homes retrofitted", "Not started"],
          ],
        ],
      ],
    );
    const submit = (version: number) =>
      actOnItem(db, set.owner.email, "submit", { period: Q3, kind: "deliverable", id: set.own, version });
    await assert.rejects(
      submit(0),
      (error: unknown) =>
        error instanceof ValidationFailed && /nothing has been recorded/.test(error.errors[0]?.message ?? ""),
    );

    await recordProgress(db, set.owner.email, {
      deliverableId: set.own,
      version: 1,
      progress: {
        quarter: { financialYear: "2031/32", quarter: 3 },
        rating: "good",
        narrative: "Forty homes done.",
      },
    });
    assert.equal((await stateOf(db, "deliverable", set.own)).stateWords, "Draft");
    await submit(0);
    assert.equal((await stateOf(db, "deliverable", set.own)).stateWords, "Submitted");
    await assert.rejects(submit(0), Conflict, "a stale version is refused");

    const review = (who: string, action: "return" | "approve", version: number, comment?: string) =>
      actOnItem(db, who, action, {
        period: Q3,
        kind: "deliverable",
        id: set.own,
        version,
        ...(comment !== undefined ? { comment } : {}),
      });
    await assert.rejects(review(set.owner.email, "approve", 1), RoleRequired, "an owner cannot approve");
    await assert.rejects(
      review(set.reviewer.email, "return", 1, "  "),
      (error: unknown) => error instanceof ValidationFailed && error.errors[0]?.field === "comment",
    );
    assert.equal((await stateOf(db, "deliverable", set.own)).stateWords, "Submitted", "nothing changed");
    await review(set.reviewer.email, "return", 1, "Say how many are still to do.");
    const returned = await stateOf(db, "deliverable", set.own);
    assert.deepEqual([returned.stateWords, returned.comment], ["Returned", "Say how many are still to do."]);
    assert.equal(
      (await myUpdates(db, set.owner.email)).periods[0]?.items[0]?.comment,
      "Say how many are still to do.",
    );

    await submit(2);
    await assert.rejects(review(set.approver.email, "approve", 2), Conflict);
    await review(set.approver.email, "approve", 3);
    assert.equal((await stateOf(db, "deliverable", set.own)).stateWords, "Approved");
    await assert.rejects(submit(4), ValidationFailed, "an approved item is not submitted again");

    const events = (await listAuditEvents(db, "deliverable", set.own)).filter((event) =>
      /update round/.test(event.summary),
    );
    assert.deepEqual(events.map((event) => [event.actor, event.summary]).reverse(), [
      [set.owner.email, 'Submitted "Retrofit council homes" in the Quarter 3 2031/32 update round'],
      [
        set.reviewer.email,
        'Returned "Retrofit council homes" in the Quarter 3 2031/32 update round: Say how many are still to do.',
      ],
      [set.owner.email, 'Submitted "Retrofit council homes" in the Quarter 3 2031/32 update round'],
      [set.approver.email, 'Approved "Retrofit council homes" in the Quarter 3 2031/32 update round'],
    ]);
  });

  test("an owner cannot submit what they do not own, nor act on a period not open", async () => {
    const { db } = await fresh();
    const set = await setUp(db);
    await recordProgress(db, set.reviewer.email, {
      deliverableId: set.other,
      version: 1,
      progress: {
        quarter: { financialYear: "2031/32", quarter: 3 },
        rating: "good",
        narrative: "Site found.",
      },
    });
    await assert.rejects(
      actOnItem(db, set.owner.email, "submit", {
        period: Q3,
        kind: "deliverable",
        id: set.other,
        version: 0,
      }),
      NotTheOwner,
    );
    assert.equal((await stateOf(db, "deliverable", set.other)).stateWords, "Draft");
    await recordPeriodValue(
      db,
      set.owner.email,
      { measureId: set.measure.id, period: Q3, text: "40", status: "final", notes: null, replacing: null },
      requireOpenPeriod,
    );
    await assert.rejects(
      actOnItem(db, set.owner.email, "submit", {
        period: monitoringPeriod(2031, "quarter", 4),
        kind: "measure",
        id: set.measure.id,
        version: 0,
      }),
      /not been opened for entry/,
    );
    await actOnItem(db, set.owner.email, "submit", {
      period: Q3,
      kind: "measure",
      id: set.measure.id,
      version: 0,
    });
    assert.equal((await stateOf(db, "measure", set.measure.id)).stateWords, "Submitted");
  });
});
