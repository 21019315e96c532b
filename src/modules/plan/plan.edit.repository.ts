import { and, asc, eq, isNotNull, isNull, ne, sql } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import {
  councilOutcomes,
  deliverableMeasureLinks,
  deliverables,
  departments,
  planPriorities,
  plans,
  risks,
  strategicObjectives,
  supportingActivities,
} from "../../db/schema/index.ts";
import { versionedUpdate } from "../../db/versioning.ts";
import type {
  CouncilOutcome,
  Deliverable,
  Plan,
  PlanPriority,
  Risk,
  StrategicObjective,
  SupportingActivity,
} from "./plan.repository.ts";

/**
 * The SQL of the plan's editing pages: finding records whether archived or not, the live
 * siblings a record moves among, the checks for duplicates and the versioned writes.
 */

export const updatePlanIfVersion = versionedUpdate(plans);
export const updateOutcomeIfVersion = versionedUpdate(councilOutcomes);
export const updatePriorityIfVersion = versionedUpdate(planPriorities);
export const updateObjectiveIfVersion = versionedUpdate(strategicObjectives);

export async function findDepartmentById(db: Database, id: number) {
  const [row] = await db.select().from(departments).where(eq(departments.id, id));
  return row;
}

export async function findOutcome(db: Database, id: number): Promise<CouncilOutcome | undefined> {
  const [row] = await db.select().from(councilOutcomes).where(eq(councilOutcomes.id, id));
  return row;
}

export async function findPriority(db: Database, id: number): Promise<PlanPriority | undefined> {
  const [row] = await db.select().from(planPriorities).where(eq(planPriorities.id, id));
  return row;
}

export async function insertPlanRow(db: Database, values: typeof plans.$inferInsert): Promise<Plan> {
  const [row] = await db.insert(plans).values(values).returning();
  if (!row) throw new Error("plan insert returned nothing");
  return row;
}

export async function insertOutcomeRow(
  db: Database,
  values: typeof councilOutcomes.$inferInsert,
): Promise<CouncilOutcome> {
  const [row] = await db.insert(councilOutcomes).values(values).returning();
  if (!row) throw new Error("outcome insert returned nothing");
  return row;
}

export async function insertPriorityRow(
  db: Database,
  values: typeof planPriorities.$inferInsert,
): Promise<PlanPriority> {
  const [row] = await db.insert(planPriorities).values(values).returning();
  if (!row) throw new Error("priority insert returned nothing");
  return row;
}

/** Plans with the same reference (slug), other than `exceptId`. */
export async function planWithSlug(db: Database, slug: string, exceptId: number | null) {
  const [row] = await db
    .select()
    .from(plans)
    .where(exceptId === null ? eq(plans.slug, slug) : and(eq(plans.slug, slug), ne(plans.id, exceptId)));
  return row;
}

export async function outcomeWithNumber(
  db: Database,
  councilId: number,
  number: number,
  exceptId: number | null,
) {
  const [row] = await db
    .select()
    .from(councilOutcomes)
    .where(
      and(
        eq(councilOutcomes.councilId, councilId),
        eq(councilOutcomes.number, number),
        exceptId === null ? undefined : ne(councilOutcomes.id, exceptId),
      ),
    );
  return row;
}

export async function priorityWithTitle(
  db: Database,
  planId: number,
  title: string,
  exceptId: number | null,
) {
  const [row] = await db
    .select()
    .from(planPriorities)
    .where(
      and(
        eq(planPriorities.planId, planId),
        sql`lower(${planPriorities.title}) = lower(${title})`,
        exceptId === null ? undefined : ne(planPriorities.id, exceptId),
      ),
    );
  return row;
}

export async function objectiveWithNumber(
  db: Database,
  planId: number,
  number: number,
  exceptId: number | null,
) {
  const [row] = await db
    .select()
    .from(strategicObjectives)
    .where(
      and(
        eq(strategicObjectives.planId, planId),
        eq(strategicObjectives.number, number),
        exceptId === null ? undefined : ne(strategicObjectives.id, exceptId),
      ),
    );
  return row;
}

export async function deliverableWithSlug(db: Database, slug: string, exceptId: number | null) {
  const [row] = await db
    .select()
    .from(deliverables)
    .where(and(eq(deliverables.slug, slug), exceptId === null ? undefined : ne(deliverables.id, exceptId)));
  return row;
}

export async function riskWithSlug(db: Database, slug: string, exceptId: number | null) {
  const [row] = await db
    .select()
    .from(risks)
    .where(and(eq(risks.slug, slug), exceptId === null ? undefined : ne(risks.id, exceptId)));
  return row;
}

// Live siblings, in order: what a record moves among and what positions are numbered over.

export function livePriorities(
  db: Database,
  planId: number,
  kind: "council" | "departmental",
): Promise<PlanPriority[]> {
  return db
    .select()
    .from(planPriorities)
    .where(
      and(
        eq(planPriorities.planId, planId),
        eq(planPriorities.kind, kind),
        isNull(planPriorities.archivedAt),
      ),
    )
    .orderBy(asc(planPriorities.position), asc(planPriorities.id));
}

export function liveActivities(
  db: Database,
  objectiveId: number,
  parentId: number | null,
): Promise<SupportingActivity[]> {
  return db
    .select()
    .from(supportingActivities)
    .where(
      and(
        eq(supportingActivities.objectiveId, objectiveId),
        parentId === null
          ? isNull(supportingActivities.parentId)
          : eq(supportingActivities.parentId, parentId),
        isNull(supportingActivities.archivedAt),
      ),
    )
    .orderBy(asc(supportingActivities.position), asc(supportingActivities.id));
}

export function liveDeliverables(db: Database, planId: number): Promise<Deliverable[]> {
  return db
    .select()
    .from(deliverables)
    .where(and(eq(deliverables.planId, planId), isNull(deliverables.archivedAt)))
    .orderBy(asc(deliverables.position), asc(deliverables.id));
}

export function liveRisks(db: Database, planId: number): Promise<Risk[]> {
  return db
    .select()
    .from(risks)
    .where(and(eq(risks.planId, planId), isNull(risks.archivedAt)))
    .orderBy(asc(risks.position), asc(risks.id));
}

/** Sets each row's position to its place in `ids` (1, 2, 3, ...): positions stay contiguous. */
export async function renumber(
  db: Database,
  kind: "priority" | "activity" | "deliverable" | "risk",
  ids: readonly number[],
): Promise<void> {
  const table = {
    priority: planPriorities,
    activity: supportingActivities,
    deliverable: deliverables,
    risk: risks,
  }[kind];
  for (const [index, id] of ids.entries()) {
    await db
      .update(table)
      .set({ position: index + 1 })
      .where(and(eq(table.id, id), ne(table.position, index + 1)));
  }
}

// Archived records, for the Archived page.

export function archivedPlans(db: Database): Promise<Plan[]> {
  return db.select().from(plans).where(isNotNull(plans.archivedAt)).orderBy(asc(plans.title));
}

export function archivedOutcomes(db: Database): Promise<CouncilOutcome[]> {
  return db
    .select()
    .from(councilOutcomes)
    .where(isNotNull(councilOutcomes.archivedAt))
    .orderBy(asc(councilOutcomes.number));
}

export function archivedPriorities(db: Database): Promise<PlanPriority[]> {
  return db
    .select()
    .from(planPriorities)
    .where(isNotNull(planPriorities.archivedAt))
    .orderBy(asc(planPriorities.planId), asc(planPriorities.title));
}

export function archivedObjectives(db: Database): Promise<StrategicObjective[]> {
  return db
    .select()
    .from(strategicObjectives)
    .where(isNotNull(strategicObjectives.archivedAt))
    .orderBy(asc(strategicObjectives.planId), asc(strategicObjectives.number));
}

export function archivedActivities(db: Database): Promise<SupportingActivity[]> {
  return db
    .select()
    .from(supportingActivities)
    .where(isNotNull(supportingActivities.archivedAt))
    .orderBy(asc(supportingActivities.objectiveId), asc(supportingActivities.position));
}

export function archivedDeliverables(db: Database): Promise<Deliverable[]> {
  return db
    .select()
    .from(deliverables)
    .where(isNotNull(deliverables.archivedAt))
    .orderBy(asc(deliverables.planId), asc(deliverables.title));
}

export function archivedRisks(db: Database): Promise<Risk[]> {
  return db
    .select()
    .from(risks)
    .where(isNotNull(risks.archivedAt))
    .orderBy(asc(risks.planId), asc(risks.description));
}

// A deliverable's linked measures.

export function measureLinksOf(db: Database, deliverableId: number) {
  return db
    .select()
    .from(deliverableMeasureLinks)
    .where(eq(deliverableMeasureLinks.deliverableId, deliverableId))
    .orderBy(asc(deliverableMeasureLinks.position));
}

/** Replaces a deliverable's links with these, in this order. */
export async function replaceMeasureLinks(
  db: Database,
  deliverableId: number,
  links: readonly { measureTitle: string; measureId: number | null }[],
): Promise<void> {
  await db.delete(deliverableMeasureLinks).where(eq(deliverableMeasureLinks.deliverableId, deliverableId));
  for (const [position, link] of links.entries()) {
    await db.insert(deliverableMeasureLinks).values({ deliverableId, position, ...link });
  }
}
