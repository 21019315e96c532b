import { and, asc, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import {
  councilOutcomes,
  councils,
  deliverableMeasureLinks,
  deliverableProgress,
  deliverables,
  departmentDivisions,
  departments,
  outcomeMeasureLinks,
  planPriorities,
  plans,
  risks,
  strategicObjectives,
  supportingActivities,
} from "../../db/schema/index.ts";
import { versionedUpdate } from "../../db/versioning.ts";

export type Council = typeof councils.$inferSelect;
export type CouncilOutcome = typeof councilOutcomes.$inferSelect;
export type Department = typeof departments.$inferSelect;
export type DepartmentDivision = typeof departmentDivisions.$inferSelect;
export type Plan = typeof plans.$inferSelect;
export type PlanPriority = typeof planPriorities.$inferSelect;
export type StrategicObjective = typeof strategicObjectives.$inferSelect;
export type SupportingActivity = typeof supportingActivities.$inferSelect;
export type Deliverable = typeof deliverables.$inferSelect;
export type DeliverableProgress = typeof deliverableProgress.$inferSelect;
export type Risk = typeof risks.$inferSelect;

export async function insertCouncil(db: Database, values: typeof councils.$inferInsert): Promise<Council> {
  const [row] = await db.insert(councils).values(values).returning();
  if (!row) throw new Error("council insert returned nothing");
  return row;
}

export async function insertCouncilOutcome(db: Database, values: typeof councilOutcomes.$inferInsert) {
  await db.insert(councilOutcomes).values(values);
}

export async function insertDepartment(
  db: Database,
  values: typeof departments.$inferInsert,
): Promise<Department> {
  const [row] = await db.insert(departments).values(values).returning();
  if (!row) throw new Error("department insert returned nothing");
  return row;
}

export async function insertDivision(db: Database, values: typeof departmentDivisions.$inferInsert) {
  await db.insert(departmentDivisions).values(values);
}

export async function insertPlan(db: Database, values: typeof plans.$inferInsert): Promise<Plan> {
  const [row] = await db.insert(plans).values(values).returning();
  if (!row) throw new Error("plan insert returned nothing");
  return row;
}

export async function insertPriority(db: Database, values: typeof planPriorities.$inferInsert) {
  await db.insert(planPriorities).values(values);
}

export async function insertObjective(
  db: Database,
  values: typeof strategicObjectives.$inferInsert,
): Promise<StrategicObjective> {
  const [row] = await db.insert(strategicObjectives).values(values).returning();
  if (!row) throw new Error("objective insert returned nothing");
  return row;
}

export async function insertActivity(
  db: Database,
  values: typeof supportingActivities.$inferInsert,
): Promise<SupportingActivity> {
  const [row] = await db.insert(supportingActivities).values(values).returning();
  if (!row) throw new Error("activity insert returned nothing");
  return row;
}

export async function insertDeliverable(
  db: Database,
  values: typeof deliverables.$inferInsert,
): Promise<Deliverable> {
  const [row] = await db.insert(deliverables).values(values).returning();
  if (!row) throw new Error("deliverable insert returned nothing");
  return row;
}

export async function insertMeasureLink(db: Database, values: typeof deliverableMeasureLinks.$inferInsert) {
  await db.insert(deliverableMeasureLinks).values(values).onConflictDoNothing();
}

export async function insertProgress(
  db: Database,
  values: typeof deliverableProgress.$inferInsert,
): Promise<DeliverableProgress> {
  const [row] = await db.insert(deliverableProgress).values(values).returning();
  if (!row) throw new Error("progress insert returned nothing");
  return row;
}

export async function insertRisk(db: Database, values: typeof risks.$inferInsert): Promise<Risk> {
  const [row] = await db.insert(risks).values(values).returning();
  if (!row) throw new Error("risk insert returned nothing");
  return row;
}

/** The ids of plans not archived: what the lists below keep records of. */
function livePlanIds(db: Database) {
  return db.select({ id: plans.id }).from(plans).where(isNull(plans.archivedAt));
}

/** The ids of strategic objectives kept (not archived, of a plan not archived). */
function liveObjectiveIds(db: Database) {
  return db
    .select({ id: strategicObjectives.id })
    .from(strategicObjectives)
    .where(and(isNull(strategicObjectives.archivedAt), inArray(strategicObjectives.planId, livePlanIds(db))));
}

export async function findCouncil(db: Database): Promise<Council | undefined> {
  const [row] = await db.select().from(councils).orderBy(asc(councils.id)).limit(1);
  return row;
}

export async function listOutcomes(db: Database, councilId: number): Promise<CouncilOutcome[]> {
  return db
    .select()
    .from(councilOutcomes)
    .where(and(eq(councilOutcomes.councilId, councilId), isNull(councilOutcomes.archivedAt)))
    .orderBy(asc(councilOutcomes.number));
}

export async function findDepartment(db: Database): Promise<Department | undefined> {
  const [row] = await db.select().from(departments).orderBy(asc(departments.id)).limit(1);
  return row;
}

export async function listDivisions(db: Database, departmentId: number): Promise<DepartmentDivision[]> {
  return db
    .select()
    .from(departmentDivisions)
    .where(eq(departmentDivisions.departmentId, departmentId))
    .orderBy(asc(departmentDivisions.position));
}

export async function listPlans(db: Database): Promise<Plan[]> {
  return db.select().from(plans).where(isNull(plans.archivedAt)).orderBy(asc(plans.fromYear), asc(plans.id));
}

export async function findPlanBySlug(db: Database, slug: string): Promise<Plan | undefined> {
  const [row] = await db.select().from(plans).where(eq(plans.slug, slug));
  return row;
}

export async function listPriorities(db: Database): Promise<PlanPriority[]> {
  return db
    .select()
    .from(planPriorities)
    .where(and(isNull(planPriorities.archivedAt), inArray(planPriorities.planId, livePlanIds(db))))
    .orderBy(asc(planPriorities.planId), asc(planPriorities.position), asc(planPriorities.id));
}

export async function listObjectives(db: Database, planId?: number): Promise<StrategicObjective[]> {
  const live = and(
    isNull(strategicObjectives.archivedAt),
    inArray(strategicObjectives.planId, livePlanIds(db)),
  );
  return db
    .select()
    .from(strategicObjectives)
    .where(planId === undefined ? live : and(live, eq(strategicObjectives.planId, planId)))
    .orderBy(asc(strategicObjectives.number));
}

export async function listActivities(db: Database): Promise<SupportingActivity[]> {
  return db
    .select()
    .from(supportingActivities)
    .where(
      and(
        isNull(supportingActivities.archivedAt),
        inArray(supportingActivities.objectiveId, liveObjectiveIds(db)),
      ),
    )
    .orderBy(
      asc(supportingActivities.objectiveId),
      asc(supportingActivities.position),
      asc(supportingActivities.id),
    );
}

export async function listDeliverables(db: Database): Promise<Deliverable[]> {
  return db
    .select()
    .from(deliverables)
    .where(and(isNull(deliverables.archivedAt), inArray(deliverables.planId, livePlanIds(db))))
    .orderBy(asc(deliverables.planId), asc(deliverables.position), asc(deliverables.id));
}

export async function findDeliverable(db: Database, id: number): Promise<Deliverable | undefined> {
  const [row] = await db.select().from(deliverables).where(eq(deliverables.id, id));
  return row;
}

export async function findDeliverableBySlug(db: Database, slug: string): Promise<Deliverable | undefined> {
  const [row] = await db.select().from(deliverables).where(eq(deliverables.slug, slug));
  return row;
}

/** Newest first: the history a deliverable page shows. */
export async function listProgressFor(db: Database, deliverableId: number): Promise<DeliverableProgress[]> {
  return db
    .select()
    .from(deliverableProgress)
    .where(eq(deliverableProgress.deliverableId, deliverableId))
    .orderBy(
      desc(deliverableProgress.financialYear),
      desc(deliverableProgress.quarter),
      desc(deliverableProgress.recordedAt),
      desc(deliverableProgress.id),
    );
}

/** Every update recorded for a quarter, oldest first (so the latest per deliverable wins when folded). */
export async function listProgressInQuarter(
  db: Database,
  financialYear: string,
  quarter: number,
): Promise<DeliverableProgress[]> {
  return db
    .select()
    .from(deliverableProgress)
    .where(
      and(eq(deliverableProgress.financialYear, financialYear), eq(deliverableProgress.quarter, quarter)),
    )
    .orderBy(asc(deliverableProgress.recordedAt), asc(deliverableProgress.id));
}

export async function listReportedQuarters(
  db: Database,
): Promise<{ financialYear: string; quarter: number }[]> {
  return db
    .selectDistinct({
      financialYear: deliverableProgress.financialYear,
      quarter: deliverableProgress.quarter,
    })
    .from(deliverableProgress)
    .orderBy(desc(deliverableProgress.financialYear), desc(deliverableProgress.quarter));
}

export interface LinkedMeasure {
  position: number;
  measureTitle: string;
  measureId: number | null;
}

/** The measures a deliverable names, in the plan's order, with the id of each one linked. */
export async function listLinkedMeasures(db: Database, deliverableId: number): Promise<LinkedMeasure[]> {
  return db
    .select({
      position: deliverableMeasureLinks.position,
      measureTitle: deliverableMeasureLinks.measureTitle,
      measureId: deliverableMeasureLinks.measureId,
    })
    .from(deliverableMeasureLinks)
    .where(eq(deliverableMeasureLinks.deliverableId, deliverableId))
    .orderBy(asc(deliverableMeasureLinks.position));
}

export async function listRisks(db: Database): Promise<Risk[]> {
  return db
    .select()
    .from(risks)
    .where(and(isNull(risks.archivedAt), inArray(risks.planId, livePlanIds(db))))
    .orderBy(asc(risks.planId), asc(risks.position), asc(risks.id));
}

export async function insertOutcomeMeasureLink(
  db: Database,
  values: typeof outcomeMeasureLinks.$inferInsert,
) {
  await db.insert(outcomeMeasureLinks).values(values).onConflictDoNothing();
}

export interface ResolvedOutcomeMeasure extends LinkedMeasure {
  planId: number;
  outcomeNumber: number;
  targetAsWritten: string | null;
  afterBlankLine: boolean;
}

/** Measures plans list under council outcomes, with the id of each one linked. */
export async function listOutcomeMeasureLinks(db: Database): Promise<ResolvedOutcomeMeasure[]> {
  return db
    .select({
      planId: outcomeMeasureLinks.planId,
      outcomeNumber: outcomeMeasureLinks.outcomeNumber,
      position: outcomeMeasureLinks.position,
      measureTitle: outcomeMeasureLinks.measureTitle,
      targetAsWritten: outcomeMeasureLinks.targetAsWritten,
      afterBlankLine: outcomeMeasureLinks.afterBlankLine,
      measureId: outcomeMeasureLinks.measureId,
    })
    .from(outcomeMeasureLinks)
    .orderBy(
      asc(outcomeMeasureLinks.planId),
      asc(outcomeMeasureLinks.outcomeNumber),
      asc(outcomeMeasureLinks.position),
    );
}

export async function countOutcomeMeasureLinks(db: Database): Promise<number> {
  const [row] = await db.select({ count: sql<number>`count(*)::int` }).from(outcomeMeasureLinks);
  return row?.count ?? 0;
}

export async function findActivity(db: Database, id: number): Promise<SupportingActivity | undefined> {
  const [row] = await db.select().from(supportingActivities).where(eq(supportingActivities.id, id));
  return row;
}

export async function findObjective(db: Database, id: number): Promise<StrategicObjective | undefined> {
  const [row] = await db.select().from(strategicObjectives).where(eq(strategicObjectives.id, id));
  return row;
}

export async function findPlan(db: Database, id: number): Promise<Plan | undefined> {
  const [row] = await db.select().from(plans).where(eq(plans.id, id));
  return row;
}

export async function findRisk(db: Database, id: number): Promise<Risk | undefined> {
  const [row] = await db.select().from(risks).where(eq(risks.id, id));
  return row;
}

export async function findRiskBySlug(db: Database, slug: string): Promise<Risk | undefined> {
  const [row] = await db.select().from(risks).where(eq(risks.slug, slug));
  return row;
}

// Every list above leaves out archived rows: archived records are hidden from current pages and
// new documents. plan.edit.repository.ts reads and writes them for the editing pages.

/** Updates a deliverable if it is still at `version`, bumping it; null when someone else saved first. */
export const updateDeliverableIfVersion = versionedUpdate(deliverables);

/** Updates a key risk if it is still at `version`, bumping it; null when someone else saved first. */
export const updateRiskIfVersion = versionedUpdate(risks);

/** Updates a supporting activity if it is still at `version`, bumping it; null when someone else saved first. */
export const updateActivityIfVersion = versionedUpdate(supportingActivities);
