import assert from "node:assert/strict";
import { test } from "node:test";
import { buildCouncil, buildMeasure, idOf } from "../../../test/helpers/builders.ts";
import { describeOnBothDatabases, TEST_ACTOR } from "../../../test/helpers/database.ts";
import type { Database } from "../../db/client.ts";
import { Conflict, ValidationFailed } from "../../errors.ts";
import { validForm } from "../../web/forms.ts";
import { listAuditEvents } from "../audit/audit.service.ts";
import * as edits from "./plan.edit.repository.ts";
import {
  activityForm,
  deliverableForm,
  objectiveForm,
  outcomeForm,
  planForm,
  priorityForm,
  riskEditForm,
} from "./plan.edit.schemas.ts";
import * as repository from "./plan.repository.ts";
import { goldenThread } from "./plan.service.ts";
import {
  archiveRecord,
  createActivity,
  createDeliverable,
  createObjective,
  createOutcome,
  createPlan,
  createPriority,
  createRisk,
  editActivity,
  editDeliverable,
  editObjective,
  editOutcome,
  editPlan,
  editPriority,
  editRisk,
  KIND_NAMES,
  moveRecord,
  restoreRecord,
  type StructureKind,
} from "./plan.structure.ts";

function deliverableFields(overrides: Record<string, string | string[]> = {}) {
  return validForm(deliverableForm, {
    title: "Resurface the high street",
    section: "1",
    sectionTitle: "Streets and spaces",
    groupKind: "priority",
    groupTitle: "Clean streets",
    leads: "Head of Highways",
    startFinish: "2030-2031",
    successMeasures: "Fewer potholes\nFewer complaints",
    inCouncilPlan: "yes",
    councilPlanPriority: "Thriving places",
    ...overrides,
  });
}

async function refusal(promise: Promise<unknown>): Promise<{ field: string; message: string }> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  assert.ok(error instanceof ValidationFailed, `expected a refusal, got ${String(error)}`);
  const [first] = error.errors;
  assert.ok(first);
  return first;
}

async function auditActions(db: Database, entityType: string, id: number): Promise<string[]> {
  return (await listAuditEvents(db, entityType, id)).map((event) => event.action).reverse();
}

describeOnBothDatabases("editing the plan's structure", (fresh) => {
  test("a deliverable is created with measures linked by id, edited, moved, archived and restored, each audited", async () => {
    const { db } = await fresh();
    const built = await buildCouncil(db, {
      deliverables: [
        { title: "Sweep the market square", groupTitle: "Clean streets" },
        { title: "Plant street trees", groupTitle: "Clean streets" },
      ],
    });
    const measure = await buildMeasure(db, { title: "Potholes repaired within 48 hours" });
    const created = await createDeliverable(db, TEST_ACTOR, {
      planId: built.planId,
      form: deliverableFields({ measureIds: String(measure.id), slug: "high-street" }),
    });
    assert.equal(created.position, 3);
    assert.equal(created.inCouncilPlan, true);
    assert.deepEqual(created.successMeasures, ["Fewer potholes", "Fewer complaints"]);
    assert.deepEqual(
      (await repository.listLinkedMeasures(db, created.id)).map((link) => [
        link.measureId,
        link.measureTitle,
      ]),
      [[measure.id, "Potholes repaired within 48 hours"]],
    );

    const edited = await editDeliverable(db, TEST_ACTOR, {
      id: created.id,
      version: created.version,
      form: deliverableFields({
        title: "Resurface the whole high street",
        leads: "Head of Highways\nStreet Scene Manager",
      }),
    });
    assert.equal(edited.title, "Resurface the whole high street");
    assert.equal(edited.leadAsWritten, "Head of Highways and Street Scene Manager");
    assert.deepEqual(await repository.listLinkedMeasures(db, created.id), [], "links not chosen are removed");

    await moveRecord(db, TEST_ACTOR, "deliverable", {
      id: created.id,
      version: edited.version,
      direction: "up",
    });
    const order = async () =>
      (await edits.liveDeliverables(db, built.planId)).map((row) => [row.title, row.position]);
    assert.deepEqual(await order(), [
      ["Sweep the market square", 1],
      ["Resurface the whole high street", 2],
      ["Plant street trees", 3],
    ]);

    const moved = await repository.findDeliverable(db, created.id);
    assert.ok(moved);
    await archiveRecord(db, TEST_ACTOR, "deliverable", { id: created.id, version: moved.version });
    assert.deepEqual(await order(), [
      ["Sweep the market square", 1],
      ["Plant street trees", 2],
    ]);
    const thread = await goldenThread(db, null);
    assert.ok(thread?.groups.every((group) => group.deliverables.every((d) => d.id !== created.id)));
    assert.equal((await edits.archivedDeliverables(db)).length, 1);

    const archived = await repository.findDeliverable(db, created.id);
    assert.ok(archived?.archivedAt);
    assert.equal(archived.archivedBy, TEST_ACTOR);
    await restoreRecord(db, TEST_ACTOR, "deliverable", { id: created.id, version: archived.version });
    assert.deepEqual(await order(), [
      ["Sweep the market square", 1],
      ["Plant street trees", 2],
      ["Resurface the whole high street", 3],
    ]);
    assert.deepEqual(await auditActions(db, "deliverable", created.id), [
      "create",
      "update",
      "move",
      "archive",
      "restore",
    ]);
  });

  test("a deliverable is refused, with nothing changed, for a duplicate reference, an unknown measure or an archived plan", async () => {
    const { db } = await fresh();
    const built = await buildCouncil(db, {
      deliverables: [{ title: "Sweep the market square", slug: "sweep" }],
    });
    const before = (await repository.listDeliverables(db)).length;
    const duplicate = await refusal(
      createDeliverable(db, TEST_ACTOR, { planId: built.planId, form: deliverableFields({ slug: "sweep" }) }),
    );
    assert.equal(duplicate.field, "slug");
    assert.match(duplicate.message, /"sweep" is already used by another deliverable/);
    const unknown = await refusal(
      createDeliverable(db, TEST_ACTOR, {
        planId: built.planId,
        form: deliverableFields({ measureIds: "987654" }),
      }),
    );
    assert.equal(unknown.field, "measureIds");
    assert.match(unknown.message, /No measure has the id 987654/);
    assert.equal((await repository.listDeliverables(db)).length, before);

    const plan = await repository.findPlan(db, built.planId);
    assert.ok(plan);
    await archiveRecord(db, TEST_ACTOR, "plan", { id: plan.id, version: plan.version });
    const archivedParent = await refusal(
      createDeliverable(db, TEST_ACTOR, { planId: built.planId, form: deliverableFields() }),
    );
    assert.equal(archivedParent.field, "plan");
    assert.match(archivedParent.message, /is archived: restore it/);
    assert.deepEqual(await repository.listDeliverables(db), [], "an archived plan's deliverables are hidden");
    const sweep = idOf(built.deliverableIds, "Sweep the market square");
    const row = await repository.findDeliverable(db, sweep);
    assert.ok(row);
    await archiveRecord(db, TEST_ACTOR, "deliverable", { id: sweep, version: row.version });
    const archivedRow = await repository.findDeliverable(db, sweep);
    assert.ok(archivedRow);
    const restoreFirst = await refusal(
      restoreRecord(db, TEST_ACTOR, "deliverable", { id: sweep, version: archivedRow.version }),
    );
    assert.match(
      restoreFirst.message,
      /belongs to the plan "Place Plan", which is archived: restore that first/,
    );
  });

  test("a priority is created, refused when duplicated, edited, moved, archived and restored", async () => {
    const { db } = await fresh();
    const built = await buildCouncil(db, { plan: { priorities: ["Clean streets", "Safe homes"] } });
    const created = await createPriority(db, TEST_ACTOR, {
      planId: built.planId,
      form: validForm(priorityForm, { title: "Good jobs", kind: "council" }),
    });
    const titles = async () =>
      (await edits.livePriorities(db, built.planId, "council")).map((row) => [row.title, row.position]);
    assert.deepEqual(await titles(), [
      ["Clean streets", 1],
      ["Safe homes", 2],
      ["Good jobs", 3],
    ]);
    const duplicate = await refusal(
      createPriority(db, TEST_ACTOR, {
        planId: built.planId,
        form: validForm(priorityForm, { title: "clean streets", kind: "council" }),
      }),
    );
    assert.equal(duplicate.field, "title");
    assert.match(duplicate.message, /already has the priority "Clean streets"/);
    const edited = await editPriority(db, TEST_ACTOR, {
      id: created.id,
      version: created.version,
      form: validForm(priorityForm, { title: "Good local jobs", kind: "council" }),
    });
    await moveRecord(db, TEST_ACTOR, "priority", {
      id: created.id,
      version: edited.version,
      direction: "up",
    });
    assert.deepEqual(await titles(), [
      ["Clean streets", 1],
      ["Good local jobs", 2],
      ["Safe homes", 3],
    ]);
    const last = await refusal(
      moveRecord(db, TEST_ACTOR, "priority", {
        id: created.id,
        version: edited.version + 1,
        direction: "up",
      }).then(() =>
        moveRecord(db, TEST_ACTOR, "priority", {
          id: created.id,
          version: edited.version + 2,
          direction: "up",
        }),
      ),
    );
    assert.match(last.message, /is already first/);
    const current = await edits.findPriority(db, created.id);
    assert.ok(current);
    await archiveRecord(db, TEST_ACTOR, "priority", { id: created.id, version: current.version });
    assert.deepEqual(await titles(), [
      ["Clean streets", 1],
      ["Safe homes", 2],
    ]);
    await restoreRecord(db, TEST_ACTOR, "priority", { id: created.id, version: current.version + 1 });
    assert.deepEqual(await auditActions(db, "plan-priority", created.id), [
      "create",
      "update",
      "move",
      "move",
      "archive",
      "restore",
    ]);
  });

  test("a key risk is created, edited, moved, archived and restored, and a duplicate reference refused", async () => {
    const { db } = await fresh();
    const built = await buildCouncil(db, { risks: [{ description: "Flooding", slug: "flood" }] });
    const created = await createRisk(db, TEST_ACTOR, {
      planId: built.planId,
      form: validForm(riskEditForm, {
        description: "Winter gritting contract fails",
        priority: "Safe roads",
        mitigations: "Second supplier on standby",
        owner: "Head of Highways",
      }),
    });
    assert.equal(created.position, 2);
    assert.deepEqual(created.mitigations, ["Second supplier on standby"]);
    const duplicate = await refusal(
      editRisk(db, TEST_ACTOR, {
        id: created.id,
        version: created.version,
        form: validForm(riskEditForm, { description: "Winter gritting contract fails", slug: "flood" }),
      }),
    );
    assert.equal(duplicate.field, "slug");
    const edited = await editRisk(db, TEST_ACTOR, {
      id: created.id,
      version: created.version,
      form: validForm(riskEditForm, {
        description: "Gritting contract fails",
        owner: "Street Scene Manager",
      }),
    });
    assert.equal(edited.owner, "Street Scene Manager");
    await moveRecord(db, TEST_ACTOR, "risk", { id: created.id, version: edited.version, direction: "up" });
    assert.deepEqual(
      (await repository.listRisks(db)).map((risk) => risk.description),
      ["Gritting contract fails", "Flooding"],
    );
    await archiveRecord(db, TEST_ACTOR, "risk", { id: created.id, version: edited.version + 1 });
    assert.deepEqual(
      (await repository.listRisks(db)).map((risk) => [risk.description, risk.position]),
      [["Flooding", 1]],
    );
    await restoreRecord(db, TEST_ACTOR, "risk", { id: created.id, version: edited.version + 2 });
    assert.deepEqual(await auditActions(db, "risk", created.id), [
      "create",
      "update",
      "move",
      "archive",
      "restore",
    ]);
  });

  test("an objective links to an outcome of its own council only, and its activities nest under it", async () => {
    const { db } = await fresh();
    const built = await buildCouncil(db, { outcomes: ["Thriving places", "Healthy people"] });
    const other = await buildCouncil(db, { outcomes: ["One", "Two", "Three"] });
    assert.notEqual(other.councilId, built.councilId);
    const objective = await createObjective(db, TEST_ACTOR, {
      planId: built.planId,
      form: validForm(objectiveForm, {
        number: "7",
        title: "Greener streets",
        outcomeNumber: "1",
        leadDepartment: "Place",
      }),
    });
    const foreign = await refusal(
      createObjective(db, TEST_ACTOR, {
        planId: built.planId,
        form: validForm(objectiveForm, {
          number: "8",
          title: "Elsewhere",
          outcomeNumber: "3",
          leadDepartment: "Place",
        }),
      }),
    );
    assert.equal(foreign.field, "outcomeNumber");
    assert.match(foreign.message, /Outcome 3 is not one of this council's current outcomes/);
    const duplicate = await refusal(
      createObjective(db, TEST_ACTOR, {
        planId: built.planId,
        form: validForm(objectiveForm, { number: "7", title: "Again", leadDepartment: "Place" }),
      }),
    );
    assert.equal(duplicate.field, "number");

    const first = await createActivity(db, TEST_ACTOR, {
      objectiveId: objective.id,
      form: validForm(activityForm, { text: "Plant 500 trees" }),
    });
    const second = await createActivity(db, TEST_ACTOR, {
      objectiveId: objective.id,
      form: validForm(activityForm, { text: "Green roofs on bus shelters" }),
    });
    const child = await createActivity(db, TEST_ACTOR, {
      objectiveId: objective.id,
      form: validForm(activityForm, { text: "Survey shelters", parentId: String(second.id) }),
    });
    assert.equal(child.parentId, second.id);
    const otherObjective = await createObjective(db, TEST_ACTOR, {
      planId: other.planId,
      form: validForm(objectiveForm, { number: "1", title: "Theirs", leadDepartment: "Place" }),
    });
    const wrongParent = await refusal(
      createActivity(db, TEST_ACTOR, {
        objectiveId: otherObjective.id,
        form: validForm(activityForm, { text: "Borrowed", parentId: String(second.id) }),
      }),
    );
    assert.equal(wrongParent.field, "parentId");
    assert.match(wrongParent.message, /must be one of objective 1's own/);

    await moveRecord(db, TEST_ACTOR, "activity", { id: second.id, version: second.version, direction: "up" });
    assert.deepEqual(
      (await edits.liveActivities(db, objective.id, null)).map((row) => [row.text, row.position]),
      [
        ["Green roofs on bus shelters", 1],
        ["Plant 500 trees", 2],
      ],
    );
    const editedActivity = await editActivity(db, TEST_ACTOR, {
      id: first.id,
      version: first.version,
      form: validForm(activityForm, { text: "Plant 600 trees" }),
    });
    assert.equal(editedActivity.position, 2);

    const editedObjective = await editObjective(db, TEST_ACTOR, {
      id: objective.id,
      version: objective.version,
      form: validForm(objectiveForm, {
        number: "7",
        title: "Greener streets and parks",
        outcomeNumber: "2",
        leadDepartment: "Place",
      }),
    });
    await archiveRecord(db, TEST_ACTOR, "objective", { id: objective.id, version: editedObjective.version });
    const live = (await repository.listActivities(db)).map((row) => row.text);
    assert.ok(!live.includes("Plant 600 trees"), "an archived objective's activities are hidden");
    const addToArchived = await refusal(
      createActivity(db, TEST_ACTOR, {
        objectiveId: objective.id,
        form: validForm(activityForm, { text: "More" }),
      }),
    );
    assert.equal(addToArchived.field, "objective");
    await restoreRecord(db, TEST_ACTOR, "objective", {
      id: objective.id,
      version: editedObjective.version + 1,
    });
    assert.ok((await repository.listActivities(db)).some((row) => row.text === "Plant 600 trees"));
    assert.deepEqual(await auditActions(db, "strategic-objective", objective.id), [
      "create",
      "update",
      "archive",
      "restore",
    ]);
    assert.deepEqual(await auditActions(db, "supporting-activity", first.id), ["create", "update"]);
    assert.deepEqual(await auditActions(db, "supporting-activity", second.id), ["create", "move"]);
  });

  test("a plan and a council outcome are created, edited, archived and restored; duplicates refused", async () => {
    const { db } = await fresh();
    const built = await buildCouncil(db, {
      plan: { slug: "place-plan-2030" },
      outcomes: ["Thriving places"],
    });
    const plan = await createPlan(db, TEST_ACTOR, {
      departmentId: built.departmentId,
      form: validForm(planForm, {
        title: "Place Plan refresh",
        fromYear: "2032",
        toYear: "2033",
        planVersion: "refresh",
        status: "draft",
        foreword: "First paragraph.\n\nSecond paragraph.",
      }),
    });
    assert.equal(plan.periodAsWritten, "2032-2033");
    assert.deepEqual(plan.foreword, ["First paragraph.", "Second paragraph."]);
    const duplicate = await refusal(
      editPlan(db, TEST_ACTOR, {
        id: plan.id,
        version: plan.version,
        form: validForm(planForm, {
          title: "Place Plan refresh",
          slug: "place-plan-2030",
          fromYear: "2032",
          toYear: "2033",
          planVersion: "refresh",
          status: "none",
        }),
      }),
    );
    assert.equal(duplicate.field, "slug");
    const approved = await editPlan(db, TEST_ACTOR, {
      id: plan.id,
      version: plan.version,
      form: validForm(planForm, {
        title: "Place Plan refresh",
        fromYear: "2032",
        toYear: "2034",
        planVersion: "refresh",
        status: "approved",
      }),
    });
    assert.equal(approved.status, "approved");
    assert.equal(approved.periodAsWritten, "2032-2034");
    await archiveRecord(db, TEST_ACTOR, "plan", { id: plan.id, version: approved.version });
    assert.ok(!(await repository.listPlans(db)).some((row) => row.id === plan.id));
    await restoreRecord(db, TEST_ACTOR, "plan", { id: plan.id, version: approved.version + 1 });
    assert.deepEqual(await auditActions(db, "plan", plan.id), ["create", "update", "archive", "restore"]);

    const outcome = await createOutcome(db, TEST_ACTOR, {
      councilId: built.councilId,
      form: validForm(outcomeForm, { number: "2", wording: "Healthy people" }),
    });
    const taken = await refusal(
      createOutcome(db, TEST_ACTOR, {
        councilId: built.councilId,
        form: validForm(outcomeForm, { number: "1", wording: "Again" }),
      }),
    );
    assert.equal(taken.field, "number");
    const edited = await editOutcome(db, TEST_ACTOR, {
      id: outcome.id,
      version: outcome.version,
      form: validForm(outcomeForm, { number: "2", wording: "Healthy, active people" }),
    });
    assert.equal(edited.wordings.at(-1)?.text, "Healthy, active people");
    await archiveRecord(db, TEST_ACTOR, "outcome", { id: outcome.id, version: edited.version });
    assert.deepEqual(
      (await repository.listOutcomes(db, built.councilId)).map((row) => row.number),
      [1],
    );
    await restoreRecord(db, TEST_ACTOR, "outcome", { id: outcome.id, version: edited.version + 1 });
    assert.deepEqual(await auditActions(db, "council-outcome", outcome.id), [
      "create",
      "update",
      "archive",
      "restore",
    ]);
  });

  test("every kind refuses a stale version for edit, move, archive and restore, and changes nothing", async () => {
    const { db } = await fresh();
    const built = await buildCouncil(db, {
      outcomes: ["Thriving places"],
      plan: { priorities: ["Clean streets", "Safe homes"] },
      objectives: [{ title: "Greener streets", activities: ["Plant trees", "Green roofs"] }],
      deliverables: [{ title: "Sweep the square" }, { title: "Plant trees" }],
      risks: [{ description: "Flooding" }, { description: "Snow" }],
    });
    const [priority] = await edits.livePriorities(db, built.planId, "council");
    const [objective] = await repository.listObjectives(db, built.planId);
    assert.ok(priority && objective);
    const [activity] = await edits.liveActivities(db, objective.id, null);
    const [outcome] = await repository.listOutcomes(db, built.councilId);
    assert.ok(activity && outcome);
    const records: [StructureKind, number][] = [
      ["plan", built.planId],
      ["outcome", outcome.id],
      ["priority", priority.id],
      ["objective", objective.id],
      ["activity", activity.id],
      ["deliverable", idOf(built.deliverableIds, "Sweep the square")],
      ["risk", idOf(built.riskIds, "Flooding")],
    ];
    const staleEdits: Record<StructureKind, (id: number) => Promise<unknown>> = {
      plan: (id) =>
        editPlan(db, TEST_ACTOR, {
          id,
          version: 99,
          form: validForm(planForm, {
            title: "Other",
            fromYear: "2030",
            toYear: "2033",
            planVersion: "original",
            status: "none",
          }),
        }),
      outcome: (id) =>
        editOutcome(db, TEST_ACTOR, {
          id,
          version: 99,
          form: validForm(outcomeForm, { number: "1", wording: "Other" }),
        }),
      priority: (id) =>
        editPriority(db, TEST_ACTOR, {
          id,
          version: 99,
          form: validForm(priorityForm, { title: "Other", kind: "council" }),
        }),
      objective: (id) =>
        editObjective(db, TEST_ACTOR, {
          id,
          version: 99,
          form: validForm(objectiveForm, { number: "1", title: "Other", leadDepartment: "Place" }),
        }),
      activity: (id) =>
        editActivity(db, TEST_ACTOR, { id, version: 99, form: validForm(activityForm, { text: "Other" }) }),
      deliverable: (id) =>
        editDeliverable(db, TEST_ACTOR, { id, version: 99, form: deliverableFields({ title: "Other" }) }),
      risk: (id) =>
        editRisk(db, TEST_ACTOR, {
          id,
          version: 99,
          form: validForm(riskEditForm, { description: "Other" }),
        }),
    };
    for (const [kind, id] of records) {
      const before = (await listAuditEvents(db, KIND_NAMES[kind].entityType, id)).length;
      // One attempt at a time: each is started only when the one before has been refused.
      const attempts = [
        () => staleEdits[kind](id),
        () => archiveRecord(db, TEST_ACTOR, kind, { id, version: 99 }),
        ...(kind === "plan" || kind === "outcome" || kind === "objective"
          ? []
          : [() => moveRecord(db, TEST_ACTOR, kind, { id, version: 99, direction: "down" })]),
      ];
      for (const attempt of attempts) {
        await assert.rejects(attempt(), (error: unknown) => {
          assert.ok(error instanceof Conflict, `${kind}: expected a conflict, got ${String(error)}`);
          assert.match(error.message, /changed by someone else after you opened it/);
          return true;
        });
      }
      assert.equal((await listAuditEvents(db, KIND_NAMES[kind].entityType, id)).length, before);
    }
    // Nothing was changed or archived.
    assert.equal((await repository.listDeliverables(db)).length, 2);
    assert.equal((await repository.listRisks(db))[0]?.description, "Flooding");
    assert.equal((await edits.livePriorities(db, built.planId, "council"))[0]?.title, "Clean streets");

    // Restoring with a stale version is refused too.
    const risk = idOf(built.riskIds, "Snow");
    const row = await repository.findRisk(db, risk);
    assert.ok(row);
    await archiveRecord(db, TEST_ACTOR, "risk", { id: risk, version: row.version });
    await assert.rejects(restoreRecord(db, TEST_ACTOR, "risk", { id: risk, version: row.version }), Conflict);
    assert.equal((await edits.archivedRisks(db)).length, 1);
  });
});
