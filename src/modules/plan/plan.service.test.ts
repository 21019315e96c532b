import assert from "node:assert/strict";
import { test } from "node:test";
import { sql } from "drizzle-orm";
import { buildCouncil, buildSetting, idOf } from "../../../test/helpers/builders.ts";
import {
  describeOnBothDatabases,
  type FreshOptions,
  TEST_ACTOR,
  type TestDatabase,
} from "../../../test/helpers/database.ts";
import { queryRows } from "../../db/client.ts";
import { Conflict, ValidationFailed } from "../../errors.ts";
import { validForm } from "../../web/forms.ts";
import { listAuditEvents } from "../audit/audit.service.ts";
import * as repository from "./plan.repository.ts";
import { deliverableKeyForm, progressForm } from "./plan.schemas.ts";
import {
  basePlan,
  changeDeliverableRatingKey,
  changeLeadOfficers,
  DELIVERABLE_KEY_SETTING,
  deliverableDetail,
  deliverableRatingKey,
  deliverableRatingKeySetting,
  goldenThread,
  quarterProgress,
  recordProgress,
} from "./plan.service.ts";

const Q3_2020_21 = { financialYear: "2020/21", quarter: 3 };

describeOnBothDatabases("the plan demo", (fresh) => {
  test("the demo has all 31 deliverables of the 2021-2025 plan, in document order", async () => {
    const { db } = await fresh({ demo: true, readOnly: true });
    const deliverables = await repository.listDeliverables(db);
    assert.equal(deliverables.length, 31);
    assert.equal(deliverables.filter((d) => d.section === "one").length, 22);
    assert.equal(deliverables.filter((d) => d.inCouncilPlan === true).length, 13);
    assert.ok(deliverables.every((d) => d.successMeasures.length > 0));
    // Blank start-finish cells are kept blank, never filled in.
    assert.equal(deliverables.filter((d) => d.startFinish === "").length, 2);
  });

  test("the demo has the 7 key risks with their mitigations, none yet assessed", async () => {
    const { db } = await fresh({ demo: true, readOnly: true });
    const risks = await repository.listRisks(db);
    assert.equal(risks.length, 7);
    assert.deepEqual(
      risks.map((risk) => risk.mitigations.length),
      [1, 1, 0, 1, 1, 1, 2],
    );
    assert.ok(risks.every((risk) => risk.residualLikelihood === null && risk.inherentLikelihood === null));
  });

  test("the demo has strategic objectives 10, 11, 12, 20, 21, 26, 27 with all 27 supporting activities and 3 nested ones", async () => {
    const { db } = await fresh({ demo: true, readOnly: true });
    const plan = await basePlan(db);
    assert.ok(plan);
    assert.equal(plan.plan.slug, "service-plan-2024-25");
    assert.deepEqual(
      plan.objectives.map((objective) => objective.number),
      [10, 11, 12, 20, 21, 26, 27],
    );
    assert.equal(
      plan.objectives.reduce((sum, objective) => sum + objective.activities.length, 0),
      27,
    );
    assert.equal(
      plan.objectives.reduce((sum, objective) => sum + objective.activityCount, 0),
      30,
    );
    const objective21 = plan.objectives.find((objective) => objective.number === 21);
    assert.deepEqual(
      objective21?.activities.map((activity) => activity.children.length),
      [0, 0, 3, 0],
    );
  });

  test("the demo has the 7 quarter 3 2020/21 updates: 4 Good, 3 flagged for Review", async () => {
    const { db } = await fresh({ demo: true, readOnly: true });
    const updates = await repository.listProgressInQuarter(db, "2020/21", 3);
    assert.equal(updates.length, 7);
    assert.deepEqual(
      updates.map((update) => update.rating),
      ["review", "good", "good", "good", "review", "review", "good"],
    );
    assert.equal(updates.filter((update) => update.flaggedRequiringReview).length, 3);
    assert.equal(updates.filter((update) => update.deliverableId === null).length, 1);
    const thread = await goldenThread(db, Q3_2020_21);
    assert.deepEqual(
      thread?.quarterCounts.map((count) => [count.key, count.count]),
      [
        ["strong", 0],
        ["good", 4],
        ["review", 3],
        ["action", 0],
        ["not-available", 0],
      ],
    );
  });

  test("the 4 Good ratings of quarter 3 2020/21 are kept as inferred, with how they were inferred", async () => {
    const { db } = await fresh({ demo: true, readOnly: true });
    const updates = await repository.listProgressInQuarter(db, "2020/21", 3);
    const inferred = updates.filter((update) => update.ratingSource === "inferred");
    assert.equal(inferred.length, 4);
    assert.ok(inferred.every((update) => update.rating === "good"));
    assert.ok(
      inferred.every((update) => /section 2\.1 says progress is "good"/.test(update.ratingBasis ?? "")),
    );
    const thread = await goldenThread(db, Q3_2020_21);
    assert.equal(thread?.inferredCount, 4);
    assert.deepEqual(
      thread?.quarterCounts.filter((count) => count.count > 0).map((count) => [count.key, count.inferred]),
      [
        ["good", 4],
        ["review", 0],
      ],
    );
    const deliverable = await repository.findDeliverableBySlug(db, "sp2021-d14");
    assert.ok(deliverable);
    const [update] = (await deliverableDetail(db, deliverable.id)).progress;
    assert.equal(update?.ratingSource, "inferred");
    assert.match(update?.inferredFrom ?? "", /^section 2\.1 says progress is "good"/);
  });

  test("the 2024-25 refresh's own priorities are loaded as its sentence words them", async () => {
    const { db } = await fresh({ demo: true, readOnly: true });
    const thread = await goldenThread(db, null);
    const original = thread?.plans.find((plan) => plan.slug === "service-plan-2021-2025");
    const refresh = thread?.plans.find((plan) => plan.slug === "service-plan-2024-25");
    assert.equal(original?.priorities.length, 4);
    assert.deepEqual(original?.departmentalPriorities, []);
    assert.deepEqual(refresh?.priorities, []);
    assert.deepEqual(
      refresh?.departmentalPriorities.map((priority) => priority.title),
      [
        "deliver our financial strategy to address rising demand",
        "strengthen our strategic partnerships",
        "develop and implement a placement strategy to ensure sufficiency of accommodation and educational provision",
        "develop and reform our fostering service",
        "implement our \u2018Stronger Families\u2019 team",
        "develop our new operating model",
        "drive improvements for children with special educational needs and disabilities (SEND)",
      ],
    );
    assert.match(
      refresh?.departmentalPrioritiesAsWritten ?? "",
      /^Children\u2019s Services leads on the delivery/,
    );
  });

  test("loading the demo writes audit events for what it created", async () => {
    const { db } = await fresh({ demo: true, readOnly: true });
    const rows = await queryRows<{ entity_type: string; count: number }>(
      db,
      sql`select entity_type, count(*)::int as count from audit_events
          where action = 'load-demo' and entity_type in ('deliverable', 'risk', 'strategic-objective', 'deliverable-progress')
          group by entity_type order by entity_type`,
    );
    assert.deepEqual(
      rows.map((row) => [row.entity_type, Number(row.count)]),
      [
        ["deliverable", 31],
        ["deliverable-progress", 7],
        ["risk", 7],
        ["strategic-objective", 7],
      ],
    );
  });
});

describeOnBothDatabases("progress updates and lead officers", (fresh) => {
  test("a rating recorded through the form is the officer's own: stated, with no inferred basis", async () => {
    const { db, deliverable } = await aPlanWithADeliverable(fresh);
    assert.ok(deliverable);
    const recorded = await recordProgress(db, TEST_ACTOR, {
      deliverableId: deliverable.id,
      version: deliverable.version,
      progress: validForm(progressForm, {
        quarter: "2031-32-q1",
        rating: "good",
        narrative: "Sweeping started.",
      }),
    });
    assert.equal(recorded.ratingSource, "stated");
    assert.equal(recorded.ratingBasis, null);
    assert.equal((await deliverableDetail(db, deliverable.id)).progress[0]?.inferredFrom, null);
  });

  test("progress for a quarter outside the plan's period is refused on the quarter and nothing changes", async () => {
    const { db, deliverable } = await aPlanWithADeliverable(fresh);
    assert.ok(deliverable);
    const before = await snapshot(db, deliverable.id);
    for (const quarter of ["1999-00-q1", "2028-29-q4", "2034-35-q1"]) {
      await assert.rejects(
        async () =>
          recordProgress(db, TEST_ACTOR, {
            deliverableId: deliverable.id,
            version: deliverable.version,
            progress: validForm(progressForm, { quarter, rating: "good", narrative: "Out of period." }),
          }),
        (error) =>
          error instanceof ValidationFailed &&
          error.errors[0]?.field === "quarter" &&
          /outside the .*2029\/30 to 2033\/34/.test(error.errors[0]?.message ?? ""),
        quarter,
      );
    }
    assert.deepEqual(await snapshot(db, deliverable.id), before);
    await recordProgress(db, TEST_ACTOR, {
      deliverableId: deliverable.id,
      version: deliverable.version,
      progress: validForm(progressForm, {
        quarter: "2033-34-q4",
        rating: "good",
        narrative: "The last quarter the plan's years reach.",
      }),
    });
  });

  test("a progress update is recorded, audited and bumps the deliverable's version", async () => {
    const { db, deliverable } = await aPlanWithADeliverable(fresh);
    assert.ok(deliverable);
    await recordProgress(db, TEST_ACTOR, {
      deliverableId: deliverable.id,
      version: deliverable.version,
      progress: validForm(progressForm, {
        quarter: "2031-32-q1",
        rating: "good",
        narrative: "Two streets swept.",
      }),
    });
    const detail = await deliverableDetail(db, deliverable.id);
    assert.equal(detail.deliverable.version, deliverable.version + 1);
    assert.equal(detail.progress[0]?.rating, "good");
    assert.equal(detail.progress[0]?.author, TEST_ACTOR);
    const [event] = await listAuditEvents(db, "deliverable-progress", deliverable.id);
    assert.equal(event?.actor, TEST_ACTOR);
    assert.equal(event?.action, "create");
    assert.match(event?.summary ?? "", /Quarter 1 2031\/32.*Good/);
  });

  test("a stale progress update is refused with a conflict and nothing changes", async () => {
    const { db, deliverable } = await aPlanWithADeliverable(fresh);
    assert.ok(deliverable);
    await recordProgress(db, TEST_ACTOR, {
      deliverableId: deliverable.id,
      version: deliverable.version,
      progress: validForm(progressForm, { quarter: "2031-32-q4", rating: "good", narrative: "First." }),
    });
    const before = await snapshot(db, deliverable.id);
    await assert.rejects(
      async () =>
        recordProgress(db, "someone.else@anytown.example", {
          deliverableId: deliverable.id,
          version: deliverable.version,
          progress: validForm(progressForm, {
            quarter: "2031-32-q4",
            rating: "action",
            narrative: "Second, from a stale form.",
          }),
        }),
      (error) => error instanceof Conflict && error.fields.some((field) => field.submitted === "Action"),
    );
    assert.deepEqual(await snapshot(db, deliverable.id), before);
  });

  test("a rating outside the key or an empty narrative is refused and nothing changes", async () => {
    const { db, deliverable } = await aPlanWithADeliverable(fresh);
    assert.ok(deliverable);
    const before = await snapshot(db, deliverable.id);
    await assert.rejects(
      async () =>
        recordProgress(db, TEST_ACTOR, {
          deliverableId: deliverable.id,
          version: deliverable.version,
          progress: validForm(progressForm, {
            quarter: "2031-32-q4",
            rating: "excellent",
            narrative: "Fine.",
          }),
        }),
      (error) => error instanceof ValidationFailed && error.errors[0]?.field === "rating",
    );
    await assert.rejects(
      async () =>
        recordProgress(db, TEST_ACTOR, {
          deliverableId: deliverable.id,
          version: deliverable.version,
          progress: validForm(progressForm, { quarter: "2031-32-q4", rating: "good", narrative: "   " }),
        }),
      (error) => error instanceof ValidationFailed && error.errors[0]?.field === "narrative",
    );
    assert.deepEqual(await snapshot(db, deliverable.id), before);
  });

  test("a second save for the same quarter corrects it: the quarter's current entry, the first kept in history", async () => {
    const { db, deliverable } = await aPlanWithADeliverable(fresh);
    assert.ok(deliverable);
    const save = (version: number, rating: string, narrative: string, quarter = "2032-33-q2") =>
      recordProgress(db, TEST_ACTOR, {
        deliverableId: deliverable.id,
        version,
        progress: validForm(progressForm, { quarter, rating, narrative }),
      });
    await save(deliverable.version, "good", "Bins ordered.");
    await save(deliverable.version + 1, "good", "Another quarter's entry.", "2032-33-q1");
    const corrected = await save(deliverable.version + 2, "review", "Bins ordered, delivery late.");
    const detail = await deliverableDetail(db, deliverable.id);
    const quarter = detail.progress.filter(
      (update) => update.financialYear === "2032/33" && update.quarter === 2,
    );
    assert.deepEqual(
      quarter.map((update) => [update.narrative, update.current]),
      [
        ["Bins ordered, delivery late.", true],
        ["Bins ordered.", false],
      ],
    );
    assert.equal(detail.progress.find((update) => update.quarter === 1)?.current, true);
    const current = (await quarterProgress(db, { financialYear: "2032/33", quarter: 2 })).get(deliverable.id);
    assert.equal(current?.id, corrected.id);
    assert.equal(current?.rating, "review");
    const [event] = await listAuditEvents(db, "deliverable-progress", deliverable.id);
    assert.match(event?.summary ?? "", /^Corrected Quarter 2 2032\/33 progress .*: Review$/);
    assert.equal((event?.before as { narrative?: string } | null)?.narrative, "Bins ordered.");
  });

  test("the council's key decides the ratings offered: one it does not use is refused naming its words", async () => {
    const { db, deliverable } = await aPlanWithADeliverable(fresh);
    assert.ok(deliverable);
    await buildSetting(db, DELIVERABLE_KEY_SETTING, {
      levels: [
        { rating: "strong", words: "Zooming", meaning: "Well ahead" },
        { rating: "not-available", words: "Fog", meaning: "Nothing to say yet" },
      ],
    });
    const key = await deliverableRatingKey(db);
    assert.deepEqual(
      key.levels.map((level) => [level.words, level.meaning]),
      [
        ["Zooming", "Well ahead"],
        ["Fog", "Nothing to say yet"],
      ],
    );
    const before = await snapshot(db, deliverable.id);
    await assert.rejects(
      async () =>
        recordProgress(db, TEST_ACTOR, {
          deliverableId: deliverable.id,
          version: deliverable.version,
          progress: validForm(progressForm, { quarter: "2031-32-q4", rating: "good", narrative: "Fine." }),
        }),
      (error) =>
        error instanceof ValidationFailed &&
        error.errors[0]?.field === "rating" &&
        error.errors[0]?.message === "Select a rating from the council's key: Zooming or Fog",
    );
    assert.deepEqual(await snapshot(db, deliverable.id), before);
    await recordProgress(db, TEST_ACTOR, {
      deliverableId: deliverable.id,
      version: deliverable.version,
      progress: validForm(progressForm, { quarter: "2031-32-q4", rating: "strong", narrative: "Fast." }),
    });
    const [update] = (await deliverableDetail(db, deliverable.id)).progress;
    assert.equal(update?.ratingMeta.label, "Zooming");
    assert.equal(update?.ratingMeta.colour, "blue");
  });

  test("a key that cannot be used (one level, or two with the same words) leaves the five levels", async () => {
    const { db } = await fresh();
    for (const levels of [
      [{ rating: "good", words: "Fine", meaning: "" }],
      [
        { rating: "good", words: "Fine", meaning: "" },
        { rating: "action", words: "fine ", meaning: "" },
      ],
    ]) {
      await buildSetting(db, DELIVERABLE_KEY_SETTING, { levels });
      const key = await deliverableRatingKey(db);
      assert.equal(key.councils, false);
      assert.equal(key.levels.length, 5);
    }
  });

  test("the key is changed version-checked and audited; a stale or unusable one changes nothing", async () => {
    const { db } = await fresh();
    const form = (fields: Record<string, string>) => validForm(deliverableKeyForm, fields);
    await changeDeliverableRatingKey(
      db,
      TEST_ACTOR,
      form({ version: "0", "review-words": "Wobbly", "review-meaning": "Late", "action-words": "Stuck" }),
    );
    const saved = await deliverableRatingKeySetting(db);
    assert.equal(saved.version, 1);
    assert.deepEqual(saved.key.levels, [
      { rating: "review", words: "Wobbly", meaning: "Late" },
      { rating: "action", words: "Stuck", meaning: "" },
    ]);
    await assert.rejects(
      async () =>
        changeDeliverableRatingKey(
          db,
          TEST_ACTOR,
          form({ version: "0", "good-words": "A", "action-words": "B" }),
        ),
      (error) => error instanceof Conflict && /Wobbly \(Late\); Stuck/.test(error.fields[0]?.saved ?? ""),
    );
    assert.throws(
      () => form({ version: "1", "good-words": "Only one" }),
      (error) => error instanceof ValidationFailed && error.errors[0]?.field === "strong-words",
    );
    assert.deepEqual((await deliverableRatingKeySetting(db)).version, 1);
    const events = await listAuditEvents(db, "setting", DELIVERABLE_KEY_SETTING);
    assert.equal(events.length, 1);
    assert.match(
      events[0]?.summary ?? "",
      /Changed the key for deliverable progress: Wobbly \(Late\); Stuck$/,
    );
  });

  test("an unknown lead officer is refused with the known names and nothing changes", async () => {
    const { db, deliverable } = await aPlanWithADeliverable(fresh);
    assert.ok(deliverable);
    const before = await snapshot(db, deliverable.id);
    await assert.rejects(
      changeLeadOfficers(db, TEST_ACTOR, {
        deliverableId: deliverable.id,
        version: deliverable.version,
        leads: ["Nobody Known"],
      }),
      (error) =>
        error instanceof ValidationFailed &&
        /Nobody Known is not an officer the plan knows/.test(error.errors[0]?.message ?? ""),
    );
    assert.deepEqual(await snapshot(db, deliverable.id), before);
    assert.equal(
      (await repository.findDeliverable(db, deliverable.id))?.leadAsWritten,
      deliverable.leadAsWritten,
    );
    const changed = await changeLeadOfficers(db, TEST_ACTOR, {
      deliverableId: deliverable.id,
      version: deliverable.version,
      leads: ["Sam Okafor"],
    });
    assert.equal(changed.leadAsWritten, "Sam Okafor");
    assert.equal((await listAuditEvents(db, "deliverable", deliverable.id))[0]?.action, "update");
  });
});

/** A made-up plan (2030 to 2033: 2029/30 to 2033/34) with one deliverable, led by one of two officers it names. */
async function aPlanWithADeliverable(fresh: (options?: FreshOptions) => Promise<TestDatabase>) {
  const { db } = await fresh();
  const built = await buildCouncil(db, {
    plan: { fromYear: 2030, toYear: 2033 },
    deliverables: [
      { title: "Sweep the market square", leadOfficers: [{ name: "Pat Jones", qualifier: null }] },
      { title: "Mend the benches", leadOfficers: [{ name: "Sam Okafor", qualifier: null }] },
    ],
  });
  const deliverable = await repository.findDeliverable(
    db,
    idOf(built.deliverableIds, "Sweep the market square"),
  );
  return { db, deliverable };
}

async function snapshot(db: Parameters<typeof repository.listProgressFor>[0], deliverableId: number) {
  const deliverable = await repository.findDeliverable(db, deliverableId);
  const progress = await repository.listProgressFor(db, deliverableId);
  const audit = await listAuditEvents(db, "deliverable-progress", deliverableId);
  return { version: deliverable?.version, progress: progress.length, audit: audit.length };
}
