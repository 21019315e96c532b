import { and, asc, eq, inArray } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import {
  measureGroups,
  measureRows,
  measures,
  measureTargets,
  measureValues,
} from "../../db/schema/index.ts";

export type Measure = typeof measures.$inferSelect;
export type MeasureGroup = typeof measureGroups.$inferSelect;
export type MeasureRow = typeof measureRows.$inferSelect;
export type MeasureValue = typeof measureValues.$inferSelect;
export type MeasureTarget = typeof measureTargets.$inferSelect;

export async function insertMeasure(db: Database, values: typeof measures.$inferInsert): Promise<Measure> {
  const [row] = await db.insert(measures).values(values).returning();
  if (!row) throw new Error("measure insert returned nothing");
  return row;
}

export function listMeasures(db: Database): Promise<Measure[]> {
  return db.select().from(measures).orderBy(asc(measures.id));
}

export async function findMeasure(db: Database, id: number): Promise<Measure | undefined> {
  const [row] = await db.select().from(measures).where(eq(measures.id, id));
  return row;
}

export async function upsertGroup(
  db: Database,
  values: typeof measureGroups.$inferInsert,
): Promise<MeasureGroup> {
  const [existing] = await db
    .select()
    .from(measureGroups)
    .where(and(eq(measureGroups.document, values.document), eq(measureGroups.title, values.title)));
  if (existing) {
    const [updated] = await db
      .update(measureGroups)
      .set(values)
      .where(eq(measureGroups.id, existing.id))
      .returning();
    await db.delete(measureRows).where(eq(measureRows.groupId, existing.id));
    return updated ?? existing;
  }
  const [row] = await db.insert(measureGroups).values(values).returning();
  if (!row) throw new Error("group insert returned nothing");
  return row;
}

export function listGroups(db: Database): Promise<MeasureGroup[]> {
  return db.select().from(measureGroups).orderBy(asc(measureGroups.position), asc(measureGroups.id));
}

export async function insertRows(db: Database, rows: (typeof measureRows.$inferInsert)[]): Promise<void> {
  if (rows.length > 0) await db.insert(measureRows).values(rows);
}

export function listRows(db: Database): Promise<MeasureRow[]> {
  return db.select().from(measureRows).orderBy(asc(measureRows.groupId), asc(measureRows.position));
}

export function rowsOfMeasure(db: Database, measureId: number): Promise<MeasureRow[]> {
  return db.select().from(measureRows).where(eq(measureRows.measureId, measureId));
}

export async function insertValue(
  db: Database,
  values: typeof measureValues.$inferInsert,
): Promise<MeasureValue> {
  const [row] = await db.insert(measureValues).values(values).returning();
  if (!row) throw new Error("value insert returned nothing");
  return row;
}

export async function insertTarget(
  db: Database,
  values: typeof measureTargets.$inferInsert,
): Promise<MeasureTarget> {
  const [row] = await db.insert(measureTargets).values(values).returning();
  if (!row) throw new Error("target insert returned nothing");
  return row;
}

/** Every value ever recorded for the measures given, current and superseded. */
export function valuesOf(db: Database, measureIds: number[]): Promise<MeasureValue[]> {
  if (measureIds.length === 0) return Promise.resolve([]);
  return db
    .select()
    .from(measureValues)
    .where(inArray(measureValues.measureId, measureIds))
    .orderBy(asc(measureValues.id));
}

export function targetsOf(db: Database, measureIds: number[]): Promise<MeasureTarget[]> {
  if (measureIds.length === 0) return Promise.resolve([]);
  return db
    .select()
    .from(measureTargets)
    .where(inArray(measureTargets.measureId, measureIds))
    .orderBy(asc(measureTargets.id));
}

export async function findValue(db: Database, id: number): Promise<MeasureValue | undefined> {
  const [row] = await db.select().from(measureValues).where(eq(measureValues.id, id));
  return row;
}

export async function findTarget(db: Database, id: number): Promise<MeasureTarget | undefined> {
  const [row] = await db.select().from(measureTargets).where(eq(measureTargets.id, id));
  return row;
}

export async function markValueSuperseded(db: Database, id: number, by: number): Promise<void> {
  await db.update(measureValues).set({ supersededBy: by }).where(eq(measureValues.id, id));
}

export async function markTargetSuperseded(db: Database, id: number, by: number): Promise<void> {
  await db.update(measureTargets).set({ supersededBy: by }).where(eq(measureTargets.id, id));
}

/** The current values a document recorded for a measure and period, which a new import of that document restates. */
export function currentValuesFor(
  db: Database,
  measureId: number,
  document: string,
  periodKey: string,
  role: string,
) {
  return db
    .select()
    .from(measureValues)
    .where(
      and(
        eq(measureValues.measureId, measureId),
        eq(measureValues.document, document),
        eq(measureValues.periodKey, periodKey),
        eq(measureValues.columnRole, role),
        eq(measureValues.current, true),
      ),
    );
}
