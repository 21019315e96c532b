import { inArray } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import type { Database } from "../../db/client.ts";
import {
  councilOutcomes,
  deliverableMeasureLinks,
  deliverableProgress,
  deliverables,
  financialRisks,
  financialYears,
  measureGroups,
  measureRows,
  measures,
  measureTargets,
  measureValues,
  monitoringForecasts,
  monitoringLines,
  monitoringReports,
  planPriorities,
  plans,
  risks,
  savingsInitiativeForecasts,
  savingsInitiatives,
  savingsTargets,
  strategicObjectives,
} from "../../db/schema/index.ts";

/**
 * Bulk inserts for the generated council: many rows per statement, so a council with ten years
 * of monthly monitoring is written in minutes on PGlite as on PostgreSQL. Each statement stays
 * well under PostgreSQL's 65,535 parameters.
 */

const ROWS_PER_STATEMENT = 1_000;

/** Inserts the rows in statements of up to ROWS_PER_STATEMENT; returns nothing. */
async function insertAll<T extends PgTable>(
  db: Database,
  table: T,
  rows: T["$inferInsert"][],
): Promise<void> {
  for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
    await db.insert(table).values(rows.slice(start, start + ROWS_PER_STATEMENT));
  }
}

/** Inserts the rows in statements of up to ROWS_PER_STATEMENT; returns their ids in order. */
async function insertReturningIds<T extends PgTable & { id: unknown }>(
  db: Database,
  table: T,
  rows: T["$inferInsert"][],
): Promise<number[]> {
  const ids: number[] = [];
  for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
    // Ids are given in the order of the VALUES list: PostgreSQL assigns identity values row by row.
    const returned = (await db
      .insert(table)
      .values(rows.slice(start, start + ROWS_PER_STATEMENT))
      .returning({ id: (table as unknown as { id: typeof measures.id }).id })) as { id: number }[];
    ids.push(...returned.map((row) => row.id).sort((a, b) => a - b));
  }
  return ids;
}

export const insertOutcomes = (db: Database, rows: (typeof councilOutcomes.$inferInsert)[]) =>
  insertAll(db, councilOutcomes, rows);
export const insertPlans = (db: Database, rows: (typeof plans.$inferInsert)[]) =>
  insertReturningIds(db, plans, rows);
export const insertPriorities = (db: Database, rows: (typeof planPriorities.$inferInsert)[]) =>
  insertAll(db, planPriorities, rows);
export const insertObjectives = (db: Database, rows: (typeof strategicObjectives.$inferInsert)[]) =>
  insertAll(db, strategicObjectives, rows);
export const insertDeliverables = (db: Database, rows: (typeof deliverables.$inferInsert)[]) =>
  insertReturningIds(db, deliverables, rows);
export const insertMeasureLinks = (db: Database, rows: (typeof deliverableMeasureLinks.$inferInsert)[]) =>
  insertAll(db, deliverableMeasureLinks, rows);
export const insertProgress = (db: Database, rows: (typeof deliverableProgress.$inferInsert)[]) =>
  insertAll(db, deliverableProgress, rows);
export const insertRisks = (db: Database, rows: (typeof risks.$inferInsert)[]) => insertAll(db, risks, rows);
export const insertMeasures = (db: Database, rows: (typeof measures.$inferInsert)[]) =>
  insertReturningIds(db, measures, rows);
export const insertGroups = (db: Database, rows: (typeof measureGroups.$inferInsert)[]) =>
  insertReturningIds(db, measureGroups, rows);
export const insertRows = (db: Database, rows: (typeof measureRows.$inferInsert)[]) =>
  insertAll(db, measureRows, rows);
export const insertValues = (db: Database, rows: (typeof measureValues.$inferInsert)[]) =>
  insertAll(db, measureValues, rows);
export const insertTargets = (db: Database, rows: (typeof measureTargets.$inferInsert)[]) =>
  insertAll(db, measureTargets, rows);
export const insertLines = (db: Database, rows: (typeof monitoringLines.$inferInsert)[]) =>
  insertReturningIds(db, monitoringLines, rows);
export const insertForecasts = (db: Database, rows: (typeof monitoringForecasts.$inferInsert)[]) =>
  insertAll(db, monitoringForecasts, rows);
export const insertReports = (db: Database, rows: (typeof monitoringReports.$inferInsert)[]) =>
  insertAll(db, monitoringReports, rows);
export const insertSavingsTargets = (db: Database, rows: (typeof savingsTargets.$inferInsert)[]) =>
  insertReturningIds(db, savingsTargets, rows);
export const insertInitiatives = (db: Database, rows: (typeof savingsInitiatives.$inferInsert)[]) =>
  insertReturningIds(db, savingsInitiatives, rows);
export const insertInitiativeForecasts = (
  db: Database,
  rows: (typeof savingsInitiativeForecasts.$inferInsert)[],
) => insertAll(db, savingsInitiativeForecasts, rows);
export const insertFinancialRisks = (db: Database, rows: (typeof financialRisks.$inferInsert)[]) =>
  insertAll(db, financialRisks, rows);

/** The ids of the financial years with these codes ("2030-31"), by code. */
export async function financialYearIds(db: Database, codes: string[]): Promise<Map<string, number>> {
  const rows = await db
    .select({ id: financialYears.id, code: financialYears.code })
    .from(financialYears)
    .where(inArray(financialYears.code, codes));
  return new Map(rows.map((row) => [row.code, row.id]));
}
