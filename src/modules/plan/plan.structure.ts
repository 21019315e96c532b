import type { Database } from "../../db/client.ts";
import { Conflict, NotFound, ValidationFailed } from "../../errors.ts";
import {
  type ArchiveRules,
  archiveRecordWith,
  capitalise,
  moveRecordWith,
  restoreRecordWith,
} from "../audit/audit.archive.ts";
import { recordAuditEvent } from "../audit/audit.service.ts";
import { findMeasures } from "../measures/measures.service.ts";
import * as edits from "./plan.edit.repository.ts";
import type {
  ActivityForm,
  DeliverableForm,
  ObjectiveForm,
  OutcomeForm,
  PlanForm,
  PriorityForm,
  RiskEditForm,
} from "./plan.edit.schemas.ts";
import type {
  CouncilOutcome,
  Deliverable,
  Plan,
  PlanPriority,
  Risk,
  StrategicObjective,
  SupportingActivity,
} from "./plan.repository.ts";
import * as repository from "./plan.repository.ts";

/**
 * The rules of editing the plan's structure: plans, council outcomes, priorities, strategic
 * objectives and their supporting activities, deliverables and key risks. Each is created,
 * edited, moved up or down among its siblings (positions stay 1, 2, 3, ...), archived and
 * restored, in one transaction with an audit event, by the person the caller names. A form opened
 * before someone else saved is a conflict; a duplicate reference, an archived parent or a parent
 * of another plan or council is refused with the field and the reason, and nothing changes.
 * Nothing is deleted: archived records leave current pages and new documents (the plan
 * repository's lists leave them out) and stay in documents already published.
 */

export type StructureKind =
  | "plan"
  | "outcome"
  | "priority"
  | "objective"
  | "activity"
  | "deliverable"
  | "risk";

export const STRUCTURE_KINDS: readonly StructureKind[] = [
  "plan",
  "outcome",
  "priority",
  "objective",
  "activity",
  "deliverable",
  "risk",
];

/** How each kind is named in pages and in the audit trail. */
export const KIND_NAMES: Record<StructureKind, { noun: string; plural: string; entityType: string }> = {
  plan: { noun: "plan", plural: "Plans", entityType: "plan" },
  outcome: { noun: "council outcome", plural: "Council outcomes", entityType: "council-outcome" },
  priority: { noun: "priority", plural: "Priorities", entityType: "plan-priority" },
  objective: {
    noun: "strategic objective",
    plural: "Strategic objectives",
    entityType: "strategic-objective",
  },
  activity: {
    noun: "supporting activity",
    plural: "Supporting activities",
    entityType: "supporting-activity",
  },
  deliverable: { noun: "deliverable", plural: "Deliverables", entityType: "deliverable" },
  risk: { noun: "key risk", plural: "Key risks", entityType: "risk" },
};

type Row = { id: number; version: number; archivedAt: Date | null };

function refuse(field: string, message: string): never {
  throw new ValidationFailed([{ field, message }]);
}

function stale(
  what: string,
  fields: { label: string; saved: string; submitted: string }[],
  returnUrl: string,
) {
  return new Conflict(what, fields, returnUrl);
}

async function audit(
  tx: Database,
  actor: string,
  kind: StructureKind,
  action: "create" | "update" | "archive" | "restore" | "move",
  entityId: number,
  summary: string,
  before: unknown,
  after: unknown,
) {
  await recordAuditEvent(tx, {
    actor,
    action,
    entityType: KIND_NAMES[kind].entityType,
    entityId,
    summary,
    before,
    after,
  });
}

// ---------------------------------------------------------------------------------------------
// Parents: found, not archived, and of the same council.

async function livePlan(db: Database, planId: number, field = "plan"): Promise<Plan> {
  const plan = await repository.findPlan(db, planId);
  if (!plan) throw new NotFound(`Plan ${planId}`);
  if (plan.archivedAt !== null) {
    refuse(
      field,
      `The plan "${plan.title}" is archived: restore it before adding to it or changing what is in it`,
    );
  }
  return plan;
}

async function liveObjective(db: Database, objectiveId: number): Promise<StrategicObjective> {
  const objective = await repository.findObjective(db, objectiveId);
  if (!objective) throw new NotFound(`Strategic objective ${objectiveId}`);
  if (objective.archivedAt !== null) {
    refuse("objective", `Objective ${objective.number} is archived: restore it before adding to it`);
  }
  await livePlan(db, objective.planId);
  return objective;
}

async function councilOfPlan(db: Database, plan: Plan): Promise<number> {
  const department = await edits.findDepartmentById(db, plan.departmentId);
  if (!department) throw new NotFound(`Department ${plan.departmentId}`);
  return department.councilId;
}

// ---------------------------------------------------------------------------------------------
// Plans

function periodOf(form: PlanForm): string {
  return form.fromYear === form.toYear ? String(form.fromYear) : `${form.fromYear}-${form.toYear}`;
}

function slugFrom(text: string): string {
  return (
    text
      .toLowerCase()
      .normalize("NFKD")
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 60)
      .replace(/-+$/g, "") || "item"
  );
}

async function freeSlug(taken: (slug: string) => Promise<unknown>, base: string): Promise<string> {
  for (let n = 1; ; n += 1) {
    const candidate = n === 1 ? base : `${base}-${n}`;
    if (!(await taken(candidate))) return candidate;
  }
}

/**
 * What happens when a plan becomes approved, inside the transaction that approves it: the reports
 * module freezes the plan's document (handed in by the routes through the services, as the plan
 * module does not build reports).
 */
export type PlanApproved = (tx: Database, actor: string, plan: Plan) => Promise<void>;

export async function createPlan(
  db: Database,
  actor: string,
  input: { departmentId: number; form: PlanForm },
  whenApproved?: PlanApproved,
): Promise<Plan> {
  const { form } = input;
  return db.transaction(async (tx) => {
    if (!(await edits.findDepartmentById(tx, input.departmentId))) {
      throw new NotFound(`Department ${input.departmentId}`);
    }
    if (form.slug !== null && (await edits.planWithSlug(tx, form.slug, null))) {
      refuse("slug", `The reference "${form.slug}" is already used by another plan: choose another`);
    }
    const slug =
      form.slug ??
      (await freeSlug((s) => edits.planWithSlug(tx, s, null), slugFrom(`${form.title} ${periodOf(form)}`)));
    const plan = await edits.insertPlanRow(tx, {
      departmentId: input.departmentId,
      slug,
      title: form.title,
      planVersion: form.planVersion,
      periodAsWritten: periodOf(form),
      fromYear: form.fromYear,
      toYear: form.toYear,
      status: form.status,
      foreword: form.foreword.length > 0 ? form.foreword : null,
    });
    await audit(tx, actor, "plan", "create", plan.id, `Created the plan "${plan.title}"`, null, plan);
    if (plan.status === "approved") await whenApproved?.(tx, actor, plan);
    return plan;
  });
}

export async function editPlan(
  db: Database,
  actor: string,
  input: { id: number; version: number; form: PlanForm },
  whenApproved?: PlanApproved,
): Promise<Plan> {
  const { form } = input;
  return db.transaction(async (tx) => {
    const before = await livePlan(tx, input.id, "form");
    const slug = form.slug ?? before.slug;
    if (await edits.planWithSlug(tx, slug, before.id)) {
      refuse("slug", `The reference "${slug}" is already used by another plan: choose another`);
    }
    const yearsChanged = form.fromYear !== before.fromYear || form.toYear !== before.toYear;
    const updated = await edits.updatePlanIfVersion(tx, before.id, input.version, {
      slug,
      title: form.title,
      planVersion: form.planVersion,
      fromYear: form.fromYear,
      toYear: form.toYear,
      periodAsWritten: yearsChanged ? periodOf(form) : before.periodAsWritten,
      status: form.status,
      foreword: form.foreword.length > 0 ? form.foreword : null,
      updatedAt: new Date(),
    });
    if (!updated) {
      const saved = await repository.findPlan(tx, before.id);
      throw stale(
        `The plan "${before.title}"`,
        [
          { label: "Title", saved: saved?.title ?? "", submitted: form.title },
          {
            label: "Years",
            saved: saved ? `${saved.fromYear} to ${saved.toYear}` : "",
            submitted: `${form.fromYear} to ${form.toYear}`,
          },
        ],
        `/plan/edit/plan/${before.id}`,
      );
    }
    await audit(
      tx,
      actor,
      "plan",
      "update",
      before.id,
      `Changed the plan "${updated.title}"`,
      before,
      updated,
    );
    // Approved now and not before: its document is frozen as it stands (approved again after a
    // spell as a draft, frozen anew).
    if (updated.status === "approved" && before.status !== "approved") {
      await whenApproved?.(tx, actor, updated);
    }
    return updated;
  });
}

// ---------------------------------------------------------------------------------------------
// Council outcomes: a number and a wording. The wording is kept with the plans that use it; a new
// outcome's wording is used by every current plan, and an edit changes the newest wording.

export async function createOutcome(
  db: Database,
  actor: string,
  input: { councilId: number; form: OutcomeForm },
): Promise<CouncilOutcome> {
  const { form } = input;
  return db.transaction(async (tx) => {
    if (await edits.outcomeWithNumber(tx, input.councilId, form.number, null)) {
      refuse("number", `The council already has an outcome ${form.number}: choose another number`);
    }
    const planSlugs = (await repository.listPlans(tx)).map((plan) => plan.slug);
    const outcome = await edits.insertOutcomeRow(tx, {
      councilId: input.councilId,
      number: form.number,
      wordings: [{ text: form.wording, plans: planSlugs }],
    });
    await audit(
      tx,
      actor,
      "outcome",
      "create",
      outcome.id,
      `Created council outcome ${form.number}`,
      null,
      outcome,
    );
    return outcome;
  });
}

/** The wording pages show for an outcome: the newest. */
export function outcomeWording(outcome: Pick<CouncilOutcome, "wordings">): string {
  return outcome.wordings.at(-1)?.text ?? "";
}

export async function editOutcome(
  db: Database,
  actor: string,
  input: { id: number; version: number; form: OutcomeForm },
): Promise<CouncilOutcome> {
  const { form } = input;
  return db.transaction(async (tx) => {
    const before = await edits.findOutcome(tx, input.id);
    if (!before) throw new NotFound(`Council outcome ${input.id}`);
    if (await edits.outcomeWithNumber(tx, before.councilId, form.number, before.id)) {
      refuse("number", `The council already has an outcome ${form.number}: choose another number`);
    }
    const wordings =
      before.wordings.length === 0
        ? [{ text: form.wording, plans: (await repository.listPlans(tx)).map((plan) => plan.slug) }]
        : before.wordings.map((wording, index) =>
            index === before.wordings.length - 1 ? { ...wording, text: form.wording } : wording,
          );
    const updated = await edits.updateOutcomeIfVersion(tx, before.id, input.version, {
      number: form.number,
      wordings,
      updatedAt: new Date(),
    });
    if (!updated) {
      const saved = await edits.findOutcome(tx, before.id);
      throw stale(
        `Council outcome ${before.number}`,
        [{ label: "Wording", saved: saved ? outcomeWording(saved) : "", submitted: form.wording }],
        `/plan/edit/outcome/${before.id}`,
      );
    }
    await audit(
      tx,
      actor,
      "outcome",
      "update",
      before.id,
      `Changed council outcome ${form.number}`,
      before,
      updated,
    );
    return updated;
  });
}

// ---------------------------------------------------------------------------------------------
// Priorities

async function priorityClash(tx: Database, planId: number, title: string, exceptId: number | null) {
  const clash = await edits.priorityWithTitle(tx, planId, title, exceptId);
  if (clash) {
    refuse(
      "title",
      `The plan already has the priority "${clash.title}"${clash.archivedAt ? " (archived: restore it instead)" : ""}`,
    );
  }
}

export async function createPriority(
  db: Database,
  actor: string,
  input: { planId: number; form: PriorityForm },
): Promise<PlanPriority> {
  const { form } = input;
  return db.transaction(async (tx) => {
    const plan = await livePlan(tx, input.planId);
    await priorityClash(tx, plan.id, form.title, null);
    const siblings = await edits.livePriorities(tx, plan.id, form.kind);
    const priority = await edits.insertPriorityRow(tx, {
      planId: plan.id,
      kind: form.kind,
      title: form.title,
      position: siblings.length + 1,
    });
    await edits.renumber(tx, "priority", [...siblings.map((row) => row.id), priority.id]);
    await audit(
      tx,
      actor,
      "priority",
      "create",
      priority.id,
      `Added the priority "${form.title}" to ${plan.title}`,
      null,
      priority,
    );
    return priority;
  });
}

export async function editPriority(
  db: Database,
  actor: string,
  input: { id: number; version: number; form: PriorityForm },
): Promise<PlanPriority> {
  const { form } = input;
  return db.transaction(async (tx) => {
    const before = await edits.findPriority(tx, input.id);
    if (!before) throw new NotFound(`Priority ${input.id}`);
    await livePlan(tx, before.planId, "form");
    await priorityClash(tx, before.planId, form.title, before.id);
    const kindChanged = form.kind !== before.kind;
    const updated = await edits.updatePriorityIfVersion(tx, before.id, input.version, {
      title: form.title,
      kind: form.kind,
      ...(kindChanged
        ? { position: (await edits.livePriorities(tx, before.planId, form.kind)).length + 1 }
        : {}),
      updatedAt: new Date(),
    });
    if (!updated) {
      const saved = await edits.findPriority(tx, before.id);
      throw stale(
        `The priority "${before.title}"`,
        [{ label: "Priority", saved: saved?.title ?? "", submitted: form.title }],
        `/plan/edit/priority/${before.id}`,
      );
    }
    if (kindChanged) {
      await edits.renumber(
        tx,
        "priority",
        (await edits.livePriorities(tx, before.planId, before.kind)).map((r) => r.id),
      );
    }
    await audit(
      tx,
      actor,
      "priority",
      "update",
      before.id,
      `Changed the priority "${before.title}" to "${form.title}"`,
      before,
      updated,
    );
    return updated;
  });
}

// ---------------------------------------------------------------------------------------------
// Strategic objectives: numbered across the council, so ordered by number (no moving).

async function checkObjective(tx: Database, plan: Plan, form: ObjectiveForm, exceptId: number | null) {
  const clash = await edits.objectiveWithNumber(tx, plan.id, form.number, exceptId);
  if (clash) {
    refuse(
      "number",
      `The plan already has objective ${form.number} ("${clash.title}")${clash.archivedAt ? ", archived: restore it instead" : ""}`,
    );
  }
  if (form.outcomeNumber !== null) {
    const outcomes = await repository.listOutcomes(tx, await councilOfPlan(tx, plan));
    if (!outcomes.some((outcome) => outcome.number === form.outcomeNumber)) {
      refuse(
        "outcomeNumber",
        `Outcome ${form.outcomeNumber} is not one of this council's current outcomes: choose one from the list`,
      );
    }
  }
}

export async function createObjective(
  db: Database,
  actor: string,
  input: { planId: number; form: ObjectiveForm },
): Promise<StrategicObjective> {
  const { form } = input;
  return db.transaction(async (tx) => {
    const plan = await livePlan(tx, input.planId);
    await checkObjective(tx, plan, form, null);
    const objective = await repository.insertObjective(tx, { planId: plan.id, ...form });
    await audit(
      tx,
      actor,
      "objective",
      "create",
      objective.id,
      `Added objective ${form.number} to ${plan.title}`,
      null,
      objective,
    );
    return objective;
  });
}

export async function editObjective(
  db: Database,
  actor: string,
  input: { id: number; version: number; form: ObjectiveForm },
): Promise<StrategicObjective> {
  const { form } = input;
  return db.transaction(async (tx) => {
    const before = await repository.findObjective(tx, input.id);
    if (!before) throw new NotFound(`Strategic objective ${input.id}`);
    const plan = await livePlan(tx, before.planId, "form");
    await checkObjective(tx, plan, form, before.id);
    const updated = await edits.updateObjectiveIfVersion(tx, before.id, input.version, {
      ...form,
      updatedAt: new Date(),
    });
    if (!updated) {
      const saved = await repository.findObjective(tx, before.id);
      throw stale(
        `Objective ${before.number}`,
        [{ label: "Title", saved: saved?.title ?? "", submitted: form.title }],
        `/plan/edit/objective/${before.id}`,
      );
    }
    await audit(
      tx,
      actor,
      "objective",
      "update",
      before.id,
      `Changed objective ${form.number}`,
      before,
      updated,
    );
    return updated;
  });
}

// ---------------------------------------------------------------------------------------------
// Supporting activities: under an objective, optionally under another activity of the same one.

async function checkActivityParent(
  tx: Database,
  objective: StrategicObjective,
  parentId: number | null,
  selfId: number | null,
) {
  if (parentId === null) return;
  const parent = await repository.findActivity(tx, parentId);
  if (!parent || parent.objectiveId !== objective.id) {
    refuse(
      "parentId",
      `The activity to sit under must be one of objective ${objective.number}'s own: choose one from the list`,
    );
  }
  if (parent.archivedAt !== null) {
    refuse("parentId", `"${parent.text}" is archived: choose another activity or restore it first`);
  }
  if (parent.parentId !== null || parent.id === selfId) {
    refuse("parentId", "An activity may sit under a top-level activity only, and not under itself");
  }
}

export async function createActivity(
  db: Database,
  actor: string,
  input: { objectiveId: number; form: ActivityForm },
): Promise<SupportingActivity> {
  const { form } = input;
  return db.transaction(async (tx) => {
    const objective = await liveObjective(tx, input.objectiveId);
    await checkActivityParent(tx, objective, form.parentId, null);
    const siblings = await edits.liveActivities(tx, objective.id, form.parentId);
    const activity = await repository.insertActivity(tx, {
      objectiveId: objective.id,
      parentId: form.parentId,
      position: siblings.length + 1,
      text: form.text,
    });
    await edits.renumber(tx, "activity", [...siblings.map((row) => row.id), activity.id]);
    await audit(
      tx,
      actor,
      "activity",
      "create",
      activity.id,
      `Added an activity to objective ${objective.number}: "${form.text}"`,
      null,
      activity,
    );
    return activity;
  });
}

export async function editActivity(
  db: Database,
  actor: string,
  input: { id: number; version: number; form: ActivityForm },
): Promise<SupportingActivity> {
  const { form } = input;
  return db.transaction(async (tx) => {
    const before = await repository.findActivity(tx, input.id);
    if (!before) throw new NotFound(`Supporting activity ${input.id}`);
    const objective = await liveObjective(tx, before.objectiveId);
    await checkActivityParent(tx, objective, form.parentId, before.id);
    if (form.parentId !== null && (await edits.liveActivities(tx, objective.id, before.id)).length > 0) {
      refuse("parentId", "This activity has activities under it, so it cannot sit under another");
    }
    const moved = form.parentId !== before.parentId;
    const updated = await repository.updateActivityIfVersion(tx, before.id, input.version, {
      text: form.text,
      parentId: form.parentId,
      ...(moved
        ? { position: (await edits.liveActivities(tx, objective.id, form.parentId)).length + 1 }
        : {}),
      updatedAt: new Date(),
    });
    if (!updated) {
      const saved = await repository.findActivity(tx, before.id);
      throw stale(
        `The activity "${before.text}"`,
        [{ label: "Activity", saved: saved?.text ?? "", submitted: form.text }],
        `/plan/edit/activity/${before.id}`,
      );
    }
    if (moved) {
      await edits.renumber(
        tx,
        "activity",
        (await edits.liveActivities(tx, objective.id, before.parentId)).map((r) => r.id),
      );
    }
    await audit(
      tx,
      actor,
      "activity",
      "update",
      before.id,
      `Changed the activity "${form.text}"`,
      before,
      updated,
    );
    return updated;
  });
}

// ---------------------------------------------------------------------------------------------
// Deliverables

async function measureLinksFor(tx: Database, before: Deliverable | null, measureIds: readonly number[]) {
  const found = await findMeasures(tx, measureIds);
  const missing = measureIds.filter((id) => !found.some((measure) => measure.id === id));
  if (missing.length > 0) {
    refuse(
      "measureIds",
      `No measure has the id ${missing.join(", ")}: choose the linked measures from the list`,
    );
  }
  const current = before ? await edits.measureLinksOf(tx, before.id) : [];
  // Links kept keep their wording (and the plan's unlinked titles stay); new ones take the measure's title.
  const kept = current.filter((link) => link.measureId === null || measureIds.includes(link.measureId));
  const added = measureIds
    .filter((id) => !current.some((link) => link.measureId === id))
    .map((id) => ({ measureId: id, measureTitle: found.find((measure) => measure.id === id)?.title ?? "" }));
  const links = [
    ...kept.map((link) => ({ measureId: link.measureId, measureTitle: link.measureTitle })),
    ...added,
  ];
  const changed = kept.length !== current.length || added.length > 0;
  return { links, changed };
}

function deliverableValues(form: DeliverableForm) {
  const { leads, measureIds: _ids, slug: _slug, ...rest } = form;
  return {
    ...rest,
    leadOfficers: leads.map((name) => ({ name, qualifier: null })),
    leadAsWritten: leads.join(" and "),
    councilPlanAsWritten: form.inCouncilPlan === null ? null : form.inCouncilPlan ? "Y" : "N",
  };
}

async function deliverableSlugClash(tx: Database, slug: string, exceptId: number | null) {
  if (await edits.deliverableWithSlug(tx, slug, exceptId)) {
    refuse("slug", `The reference "${slug}" is already used by another deliverable: choose another`);
  }
}

export async function createDeliverable(
  db: Database,
  actor: string,
  input: { planId: number; form: DeliverableForm },
): Promise<Deliverable> {
  const { form } = input;
  return db.transaction(async (tx) => {
    const plan = await livePlan(tx, input.planId);
    if (form.slug !== null) await deliverableSlugClash(tx, form.slug, null);
    const { links } = await measureLinksFor(tx, null, form.measureIds);
    const slug =
      form.slug ??
      (await freeSlug(
        (s) => edits.deliverableWithSlug(tx, s, null),
        `${plan.slug}-${slugFrom(form.title).slice(0, 40)}`,
      ));
    const siblings = await edits.liveDeliverables(tx, plan.id);
    const deliverable = await repository.insertDeliverable(tx, {
      planId: plan.id,
      slug,
      position: siblings.length + 1,
      ...deliverableValues(form),
    });
    await edits.replaceMeasureLinks(tx, deliverable.id, links);
    await edits.renumber(tx, "deliverable", [...siblings.map((row) => row.id), deliverable.id]);
    await audit(
      tx,
      actor,
      "deliverable",
      "create",
      deliverable.id,
      `Added the deliverable "${form.title}" to ${plan.title}`,
      null,
      {
        deliverable,
        links,
      },
    );
    return deliverable;
  });
}

export async function editDeliverable(
  db: Database,
  actor: string,
  input: { id: number; version: number; form: DeliverableForm },
): Promise<Deliverable> {
  const { form } = input;
  return db.transaction(async (tx) => {
    const before = await repository.findDeliverable(tx, input.id);
    if (!before) throw new NotFound(`Deliverable ${input.id}`);
    await livePlan(tx, before.planId, "form");
    const slug = form.slug ?? before.slug;
    await deliverableSlugClash(tx, slug, before.id);
    const { links, changed } = await measureLinksFor(tx, before, form.measureIds);
    const values = deliverableValues(form);
    // Leads unchanged keep the plan's wording and qualifiers, such as "(PH)".
    const sameLeads = before.leadOfficers.map((lead) => lead.name).join("\n") === form.leads.join("\n");
    const updated = await repository.updateDeliverableIfVersion(tx, before.id, input.version, {
      ...values,
      slug,
      ...(sameLeads ? { leadOfficers: before.leadOfficers, leadAsWritten: before.leadAsWritten } : {}),
      councilPlanAsWritten:
        form.inCouncilPlan === before.inCouncilPlan
          ? before.councilPlanAsWritten
          : values.councilPlanAsWritten,
      updatedAt: new Date(),
    });
    if (!updated) {
      const saved = await repository.findDeliverable(tx, before.id);
      throw stale(
        `The deliverable "${before.title}"`,
        [
          { label: "Title", saved: saved?.title ?? "", submitted: form.title },
          { label: "Lead officers", saved: saved?.leadAsWritten ?? "", submitted: form.leads.join(" and ") },
          { label: "Start and finish", saved: saved?.startFinish ?? "", submitted: form.startFinish },
        ],
        `/plan/edit/deliverable/${before.id}`,
      );
    }
    if (changed) await edits.replaceMeasureLinks(tx, before.id, links);
    await audit(
      tx,
      actor,
      "deliverable",
      "update",
      before.id,
      `Changed the deliverable "${form.title}"`,
      before,
      {
        deliverable: updated,
        links,
      },
    );
    return updated;
  });
}

// ---------------------------------------------------------------------------------------------
// Key risks: what the risk is; its assessment has its own form (assessRisk).

async function riskSlugClash(tx: Database, slug: string, exceptId: number | null) {
  if (await edits.riskWithSlug(tx, slug, exceptId)) {
    refuse("slug", `The reference "${slug}" is already used by another risk: choose another`);
  }
}

export async function createRisk(
  db: Database,
  actor: string,
  input: { planId: number; form: RiskEditForm },
): Promise<Risk> {
  const { form } = input;
  return db.transaction(async (tx) => {
    const plan = await livePlan(tx, input.planId);
    if (form.slug !== null) await riskSlugClash(tx, form.slug, null);
    const siblings = await edits.liveRisks(tx, plan.id);
    const slug =
      form.slug ??
      (await freeSlug((s) => edits.riskWithSlug(tx, s, null), `${plan.slug}-risk-${siblings.length + 1}`));
    const { slug: _slug, ...values } = form;
    const risk = await repository.insertRisk(tx, {
      planId: plan.id,
      slug,
      position: siblings.length + 1,
      priorityAsWritten: form.priority,
      ...values,
    });
    await edits.renumber(tx, "risk", [...siblings.map((row) => row.id), risk.id]);
    await audit(
      tx,
      actor,
      "risk",
      "create",
      risk.id,
      `Added the key risk "${form.description}" to ${plan.title}`,
      null,
      risk,
    );
    return risk;
  });
}

export async function editRisk(
  db: Database,
  actor: string,
  input: { id: number; version: number; form: RiskEditForm },
): Promise<Risk> {
  const { form } = input;
  return db.transaction(async (tx) => {
    const before = await repository.findRisk(tx, input.id);
    if (!before) throw new NotFound(`Risk ${input.id}`);
    await livePlan(tx, before.planId, "form");
    const slug = form.slug ?? before.slug;
    await riskSlugClash(tx, slug, before.id);
    const { slug: _slug, ...values } = form;
    const updated = await repository.updateRiskIfVersion(tx, before.id, input.version, {
      ...values,
      slug,
      priorityAsWritten: form.priority === before.priority ? before.priorityAsWritten : form.priority,
      updatedAt: new Date(),
    });
    if (!updated) {
      const saved = await repository.findRisk(tx, before.id);
      throw stale(
        `The risk "${before.description}"`,
        [{ label: "Description", saved: saved?.description ?? "", submitted: form.description }],
        `/plan/edit/risk/${before.id}`,
      );
    }
    await audit(
      tx,
      actor,
      "risk",
      "update",
      before.id,
      `Changed the key risk "${form.description}"`,
      before,
      updated,
    );
    return updated;
  });
}

// ---------------------------------------------------------------------------------------------
// Moving, archiving and restoring, the same for every kind.

interface KindRules {
  find(db: Database, id: number): Promise<(Row & Record<string, unknown>) | undefined>;
  update(db: Database, id: number, version: number, values: Record<string, unknown>): Promise<Row | null>;
  name(row: Record<string, unknown>): string;
  /** The parent that must not be archived for this record to be restored. */
  parentArchived(db: Database, row: Record<string, unknown>): Promise<string | null>;
  /** The live siblings whose positions are numbered together, in order; none for kinds ordered by number. */
  siblings?(db: Database, row: Record<string, unknown>): Promise<{ id: number }[]>;
  /** Moves happen among siblings of the same group (a deliverable's group in the plan). */
  sameGroup?(a: Record<string, unknown>, b: Record<string, unknown>): boolean;
  renumberKind?: "priority" | "activity" | "deliverable" | "risk";
}

async function planArchived(db: Database, planId: unknown): Promise<string | null> {
  const plan = await repository.findPlan(db, Number(planId));
  return plan && plan.archivedAt !== null ? `the plan "${plan.title}"` : null;
}

// The rules hold rows of different tables; each kind's functions read the fields its table has.
const RULES: Record<StructureKind, KindRules> = {
  plan: {
    find: (db, id) => repository.findPlan(db, id),
    update: (db, id, version, values) => edits.updatePlanIfVersion(db, id, version, values),
    name: (row) => `the plan "${row.title}"`,
    parentArchived: async () => null,
  },
  outcome: {
    find: (db, id) => edits.findOutcome(db, id),
    update: (db, id, version, values) => edits.updateOutcomeIfVersion(db, id, version, values),
    name: (row) => `council outcome ${row.number}`,
    parentArchived: async () => null,
  },
  priority: {
    find: (db, id) => edits.findPriority(db, id),
    update: (db, id, version, values) => edits.updatePriorityIfVersion(db, id, version, values),
    name: (row) => `the priority "${row.title}"`,
    parentArchived: (db, row) => planArchived(db, row.planId),
    siblings: (db, row) => edits.livePriorities(db, Number(row.planId), row.kind as PlanPriority["kind"]),
    renumberKind: "priority",
  },
  objective: {
    find: (db, id) => repository.findObjective(db, id),
    update: (db, id, version, values) => edits.updateObjectiveIfVersion(db, id, version, values),
    name: (row) => `objective ${row.number}`,
    parentArchived: (db, row) => planArchived(db, row.planId),
  },
  activity: {
    find: (db, id) => repository.findActivity(db, id),
    update: (db, id, version, values) => repository.updateActivityIfVersion(db, id, version, values),
    name: (row) => `the activity "${row.text}"`,
    parentArchived: async (db, row) => {
      const objective = await repository.findObjective(db, Number(row.objectiveId));
      if (objective && objective.archivedAt !== null) return `objective ${objective.number}`;
      if (row.parentId !== null) {
        const parent = await repository.findActivity(db, Number(row.parentId));
        if (parent && parent.archivedAt !== null) return `the activity "${parent.text}"`;
      }
      return objective ? planArchived(db, objective.planId) : null;
    },
    siblings: (db, row) =>
      edits.liveActivities(db, Number(row.objectiveId), row.parentId === null ? null : Number(row.parentId)),
    renumberKind: "activity",
  },
  deliverable: {
    find: (db, id) => repository.findDeliverable(db, id),
    update: (db, id, version, values) => repository.updateDeliverableIfVersion(db, id, version, values),
    name: (row) => `the deliverable "${row.title}"`,
    parentArchived: (db, row) => planArchived(db, row.planId),
    siblings: (db, row) => edits.liveDeliverables(db, Number(row.planId)),
    sameGroup: (a, b) =>
      a.groupTitle === b.groupTitle && a.groupKind === b.groupKind && a.section === b.section,
    renumberKind: "deliverable",
  },
  risk: {
    find: (db, id) => repository.findRisk(db, id),
    update: (db, id, version, values) => repository.updateRiskIfVersion(db, id, version, values),
    name: (row) => `the risk "${row.description}"`,
    parentArchived: (db, row) => planArchived(db, row.planId),
    siblings: (db, row) => edits.liveRisks(db, Number(row.planId)),
    renumberKind: "risk",
  },
};

type KindRow = Row & Record<string, unknown>;

/** A kind's rules in the audit module's shape, so archive, restore and version checks are its. */
function archiveRules(kind: StructureKind): ArchiveRules<KindRow> {
  const rules = RULES[kind];
  const { siblings, renumberKind } = rules;
  return {
    entityType: KIND_NAMES[kind].entityType,
    noun: KIND_NAMES[kind].noun,
    find: rules.find,
    update: async (db, id, version, values) =>
      (await rules.update(db, id, version, values)) as KindRow | null,
    name: rules.name,
    returnUrl: "/plan/edit",
    parentArchived: rules.parentArchived,
    ...(siblings
      ? {
          restoreValues: async (db: Database, row: KindRow) => ({
            position: (await siblings(db, row)).length + 1,
          }),
        }
      : {}),
    ...(siblings && renumberKind
      ? {
          after: async (db: Database, row: KindRow) =>
            edits.renumber(
              db,
              renumberKind,
              (await siblings(db, row)).map((other) => other.id),
            ),
        }
      : {}),
  };
}

export async function moveRecord(
  db: Database,
  actor: string,
  kind: StructureKind,
  input: { id: number; version: number; direction: "up" | "down" },
): Promise<void> {
  const rules = RULES[kind];
  if (!rules.siblings || !rules.renumberKind) {
    refuse("direction", `A ${KIND_NAMES[kind].noun} is ordered by its number: change the number to move it`);
  }
  const { siblings, sameGroup, renumberKind } = rules;
  await moveRecordWith<KindRow>(
    db,
    actor,
    archiveRules(kind),
    {
      list: async (tx, row) => (await siblings(tx, row)) as KindRow[],
      ...(sameGroup ? { sameGroup } : {}),
      renumber: (tx, order) => edits.renumber(tx, renumberKind, order),
    },
    input,
  );
}

export async function archiveRecord(
  db: Database,
  actor: string,
  kind: StructureKind,
  input: { id: number; version: number },
): Promise<void> {
  await archiveRecordWith(db, actor, archiveRules(kind), input);
}

export async function restoreRecord(
  db: Database,
  actor: string,
  kind: StructureKind,
  input: { id: number; version: number },
): Promise<void> {
  await restoreRecordWith(db, actor, archiveRules(kind), { ...input, field: `restore-${kind}-${input.id}` });
}

// ---------------------------------------------------------------------------------------------
// What the editing pages read.

/** A record of a kind, archived or not; NotFound when there is none. */
export async function findRecord(db: Database, kind: StructureKind, id: number) {
  const row = await RULES[kind].find(db, id);
  if (!row) throw new NotFound(`${capitalise(KIND_NAMES[kind].noun)} ${id}`);
  return row;
}

/** How a record is named in a sentence: 'the deliverable "Sweep the square"'. */
export function recordName(kind: StructureKind, row: Record<string, unknown>): string {
  return RULES[kind].name(row);
}

/** The plan a record belongs to (itself for a plan; none for an outcome). */
export async function planOfRecord(
  db: Database,
  kind: StructureKind,
  row: Record<string, unknown>,
): Promise<Plan | null> {
  if (kind === "outcome") return null;
  if (kind === "plan") return (await repository.findPlan(db, Number(row.id))) ?? null;
  if (kind === "activity") {
    const objective = await repository.findObjective(db, Number(row.objectiveId));
    return objective ? ((await repository.findPlan(db, objective.planId)) ?? null) : null;
  }
  return (await repository.findPlan(db, Number(row.planId))) ?? null;
}

/** The current council, plans and outcomes, and one plan's priorities, objectives, deliverables and risks. */
export async function structureOf(db: Database, planSlug: string | undefined) {
  const council = await repository.findCouncil(db);
  const plans = await repository.listPlans(db);
  const outcomes = council ? await repository.listOutcomes(db, council.id) : [];
  const plan = plans.find((candidate) => candidate.slug === planSlug) ?? plans.at(-1) ?? null;
  if (!plan) {
    return {
      council,
      plans,
      outcomes: outcomes.map((o) => ({ ...o, wording: outcomeWording(o) })),
      plan: null,
    };
  }
  const priorities = (await repository.listPriorities(db)).filter((row) => row.planId === plan.id);
  const objectives = await repository.listObjectives(db, plan.id);
  const activities = await repository.listActivities(db);
  const deliverables = (await repository.listDeliverables(db)).filter((row) => row.planId === plan.id);
  const groups: { title: string; key: string; deliverables: Deliverable[] }[] = [];
  for (const deliverable of deliverables) {
    const key = `${deliverable.section}|${deliverable.groupKind}|${deliverable.groupTitle}`;
    const group = groups.find((candidate) => candidate.key === key);
    if (group) group.deliverables.push(deliverable);
    else groups.push({ title: deliverable.groupTitle, key, deliverables: [deliverable] });
  }
  return {
    council,
    plans,
    outcomes: outcomes.map((outcome) => ({ ...outcome, wording: outcomeWording(outcome) })),
    plan,
    priorities: [
      {
        kind: "council",
        heading: "Council priorities",
        items: priorities.filter((row) => row.kind === "council"),
      },
      {
        kind: "departmental",
        heading: "The plan's own priorities",
        items: priorities.filter((row) => row.kind === "departmental"),
      },
    ],
    objectives: objectives.map((objective) => {
      const own = activities.filter((activity) => activity.objectiveId === objective.id);
      return {
        ...objective,
        activities: own
          .filter((activity) => activity.parentId === null)
          .map((activity) => ({
            ...activity,
            children: own.filter((child) => child.parentId === activity.id),
          })),
      };
    }),
    deliverableGroups: groups,
    risks: (await repository.listRisks(db)).filter((row) => row.planId === plan.id),
  };
}

/** Every archived record, by kind, with the plan it belongs to: the Archived items page. */
export async function archivedRecords(db: Database) {
  const plans = new Map<number, string>();
  const planTitle = async (planId: number) => {
    if (!plans.has(planId)) plans.set(planId, (await repository.findPlan(db, planId))?.title ?? "");
    return plans.get(planId) ?? "";
  };
  const lists: Record<StructureKind, Record<string, unknown>[]> = {
    plan: await edits.archivedPlans(db),
    outcome: await edits.archivedOutcomes(db),
    priority: await edits.archivedPriorities(db),
    objective: await edits.archivedObjectives(db),
    activity: await edits.archivedActivities(db),
    deliverable: await edits.archivedDeliverables(db),
    risk: await edits.archivedRisks(db),
  };
  const sections = [];
  for (const kind of STRUCTURE_KINDS) {
    const items = [];
    for (const row of lists[kind]) {
      const plan = await planOfRecord(db, kind, row);
      items.push({
        id: Number(row.id),
        version: Number(row.version),
        name: capitalise(RULES[kind].name(row)),
        context: plan && kind !== "plan" ? `In ${await planTitle(plan.id)}` : null,
        archivedAt: row.archivedAt as Date,
        archivedBy: String(row.archivedBy ?? ""),
      });
    }
    if (items.length > 0) sections.push({ kind, heading: KIND_NAMES[kind].plural, items });
  }
  return sections;
}

/** An objective's current activities, in order: what an activity can sit under. */
export async function activitiesOf(db: Database, objectiveId: number): Promise<SupportingActivity[]> {
  return (await repository.listActivities(db)).filter((activity) => activity.objectiveId === objectiveId);
}

/** The last current deliverable of a plan: where a new one starts (its section and group). */
export async function lastDeliverableOf(db: Database, planId: number): Promise<Deliverable | undefined> {
  return (await edits.liveDeliverables(db, planId)).at(-1);
}

/** The ids of the measures a deliverable links to, as strings for a form. */
export async function linkedMeasureIds(db: Database, deliverableId: number): Promise<string[]> {
  return (await edits.measureLinksOf(db, deliverableId)).flatMap((link) =>
    link.measureId === null ? [] : [String(link.measureId)],
  );
}
