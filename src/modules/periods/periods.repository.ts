import { and, asc, eq } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import {
  councils,
  departments,
  type MonitoringStatus,
  monitoringPeriods,
  monitoringYears,
  publishedDocuments,
  reportNarratives,
} from "../../db/schema/index.ts";
import { updateIfVersion, versionedUpdate } from "../../db/versioning.ts";

export type MonitoringYearRow = typeof monitoringYears.$inferSelect;
export type MonitoringPeriodRow = typeof monitoringPeriods.$inferSelect;
export type MonitoringFrequencySetting = typeof departments.$inferSelect.monitoringFrequency;
export type ReportNarrativeRow = typeof reportNarratives.$inferSelect;

/** The department being monitored, with its frequency and its council's year start month. */
export async function findMonitoredDepartment(db: Database) {
  const [row] = await db
    .select({
      id: departments.id,
      name: departments.name,
      councilId: councils.id,
      councilName: councils.name,
      frequency: departments.monitoringFrequency,
      version: departments.version,
      yearStartMonth: councils.yearStartMonth,
    })
    .from(departments)
    .innerJoin(councils, eq(councils.id, departments.councilId))
    .orderBy(asc(departments.id))
    .limit(1);
  return row;
}

export async function listYears(db: Database, departmentId: number): Promise<MonitoringYearRow[]> {
  return db
    .select()
    .from(monitoringYears)
    .where(eq(monitoringYears.departmentId, departmentId))
    .orderBy(asc(monitoringYears.startYear));
}

export async function findYear(db: Database, departmentId: number, startYear: number) {
  const [row] = await db
    .select()
    .from(monitoringYears)
    .where(and(eq(monitoringYears.departmentId, departmentId), eq(monitoringYears.startYear, startYear)));
  return row;
}

export async function insertYear(db: Database, values: typeof monitoringYears.$inferInsert) {
  const [row] = await db.insert(monitoringYears).values(values).returning();
  if (!row) throw new Error("The monitoring year was not written");
  return row;
}

/** Every period of the department's opened years, with its year's start and frequency. */
export async function listPeriods(db: Database, departmentId: number) {
  return db
    .select({
      id: monitoringPeriods.id,
      yearId: monitoringPeriods.yearId,
      period: monitoringPeriods.period,
      status: monitoringPeriods.status,
      missingWhenClosed: monitoringPeriods.missingWhenClosed,
      missingWhenPublished: monitoringPeriods.missingWhenPublished,
      publishedBy: monitoringPeriods.publishedBy,
      publishedAt: monitoringPeriods.publishedAt,
      signedOffBy: monitoringPeriods.signedOffBy,
      signedOffAt: monitoringPeriods.signedOffAt,
      roundDueOn: monitoringPeriods.roundDueOn,
      version: monitoringPeriods.version,
      updatedAt: monitoringPeriods.updatedAt,
      startYear: monitoringYears.startYear,
      frequency: monitoringYears.frequency,
    })
    .from(monitoringPeriods)
    .innerJoin(monitoringYears, eq(monitoringYears.id, monitoringPeriods.yearId))
    .where(eq(monitoringYears.departmentId, departmentId));
}

export async function insertPeriod(db: Database, values: typeof monitoringPeriods.$inferInsert) {
  const [row] = await db.insert(monitoringPeriods).values(values).returning();
  if (!row) throw new Error("The monitoring period was not written");
  return row;
}

export async function updatePeriodIfVersion(
  db: Database,
  id: number,
  version: number,
  values: {
    status?: MonitoringStatus;
    signedOffBy?: string | null;
    signedOffAt?: Date | null;
    roundDueOn?: string;
    missingWhenClosed?: MonitoringPeriodRow["missingWhenClosed"];
    missingWhenPublished?: MonitoringPeriodRow["missingWhenPublished"];
    publishedBy?: string | null;
    publishedAt?: Date | null;
  },
) {
  return updateIfVersion(db, monitoringPeriods, id, version, { ...values, updatedAt: new Date() });
}

export async function findPublishedDocument(
  db: Database,
  periodId: number,
  document: string,
  format: string,
) {
  const [row] = await db
    .select()
    .from(publishedDocuments)
    .where(
      and(
        eq(publishedDocuments.periodId, periodId),
        eq(publishedDocuments.document, document),
        eq(publishedDocuments.format, format as "model"),
      ),
    );
  return row;
}

/** Drops a period's frozen copies of a document, every format: what publishing it again replaces. */
export async function deletePublishedDocuments(db: Database, periodId: number, document: string) {
  await db
    .delete(publishedDocuments)
    .where(and(eq(publishedDocuments.periodId, periodId), eq(publishedDocuments.document, document)));
}

/** Stores a frozen document once; a second writer's copy is dropped and the first is kept. */
export async function insertPublishedDocument(db: Database, values: typeof publishedDocuments.$inferInsert) {
  await db.insert(publishedDocuments).values(values).onConflictDoNothing();
}

export async function findNarrative(db: Database, periodId: number): Promise<ReportNarrativeRow | undefined> {
  const [row] = await db.select().from(reportNarratives).where(eq(reportNarratives.periodId, periodId));
  return row;
}

/** The period's first narrative, or undefined when one was saved meanwhile (the unique period decides). */
export async function insertNarrativeIfAbsent(db: Database, values: typeof reportNarratives.$inferInsert) {
  const [row] = await db.insert(reportNarratives).values(values).onConflictDoNothing().returning();
  return row;
}

export const updateNarrativeIfVersion = versionedUpdate(reportNarratives);

/** Changes how the department is monitored, only at the version the person saw (null if not). */
export async function updateDepartmentFrequencyIfVersion(
  db: Database,
  id: number,
  version: number,
  frequency: MonitoringFrequencySetting,
) {
  return updateIfVersion(db, departments, id, version, {
    monitoringFrequency: frequency,
    updatedAt: new Date(),
  });
}
