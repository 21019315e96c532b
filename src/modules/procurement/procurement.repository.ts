import { asc, eq } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import {
  plannedProcurements,
  procurementExpectedPayments,
  procurementSettings,
  procurementThresholds,
} from "../../db/schema/index.ts";
import { updateIfVersion } from "../../db/versioning.ts";

export type PlannedProcurementRow = typeof plannedProcurements.$inferSelect;
export type PlannedProcurementInsert = typeof plannedProcurements.$inferInsert;
export type ThresholdRecord = typeof procurementThresholds.$inferSelect;
export type ProcurementSettingsRow = typeof procurementSettings.$inferSelect;
export type ThresholdInsert = typeof procurementThresholds.$inferInsert;

export async function listProcurements(db: Database): Promise<PlannedProcurementRow[]> {
  return db
    .select()
    .from(plannedProcurements)
    .orderBy(
      asc(plannedProcurements.sourceTable),
      asc(plannedProcurements.sourceRow),
      asc(plannedProcurements.createdAt),
      asc(plannedProcurements.id),
    );
}

export async function findProcurement(db: Database, id: string): Promise<PlannedProcurementRow | undefined> {
  const [row] = await db.select().from(plannedProcurements).where(eq(plannedProcurements.id, id));
  return row;
}

export async function insertProcurement(
  db: Database,
  values: PlannedProcurementInsert,
): Promise<PlannedProcurementRow> {
  const [row] = await db.insert(plannedProcurements).values(values).returning();
  if (!row) throw new Error("The planned procurement was not inserted");
  return row;
}

export async function updateProcurementIfVersion(
  db: Database,
  id: string,
  expectedVersion: number,
  values: Partial<PlannedProcurementInsert>,
): Promise<PlannedProcurementRow | null> {
  return updateIfVersion(db, plannedProcurements, id, expectedVersion, { ...values, updatedAt: new Date() });
}

export async function listThresholds(db: Database): Promise<ThresholdRecord[]> {
  return db.select().from(procurementThresholds).orderBy(asc(procurementThresholds.inForceFrom));
}

export async function insertThreshold(db: Database, values: ThresholdInsert): Promise<ThresholdRecord> {
  const [row] = await db.insert(procurementThresholds).values(values).returning();
  if (!row) throw new Error("The threshold row was not inserted");
  return row;
}

export async function findSettings(db: Database) {
  const [row] = await db.select().from(procurementSettings).where(eq(procurementSettings.id, 1));
  return row;
}

/** The one settings row is created by migration 0005; only its values change. */
export async function updateSettingsIfVersion(
  db: Database,
  expectedVersion: number,
  values: Partial<Pick<ProcurementSettingsRow, "reportingFloorPence" | "buyerId" | "buyerName">>,
) {
  return updateIfVersion(db, procurementSettings, 1, expectedVersion, { ...values, updatedAt: new Date() });
}

export async function findExpectedPayments(db: Database, financialYearStart: number) {
  const [row] = await db
    .select()
    .from(procurementExpectedPayments)
    .where(eq(procurementExpectedPayments.id, financialYearStart));
  return row;
}

export async function insertExpectedPayments(
  db: Database,
  financialYearStart: number,
  expectedPaymentsPence: number,
) {
  // Two first entries for a year at once: the second inserts nothing (undefined) and is refused.
  const [row] = await db
    .insert(procurementExpectedPayments)
    .values({ id: financialYearStart, expectedPaymentsPence })
    .onConflictDoNothing({ target: procurementExpectedPayments.id })
    .returning();
  return row;
}

export async function updateExpectedPaymentsIfVersion(
  db: Database,
  financialYearStart: number,
  expectedVersion: number,
  expectedPaymentsPence: number,
) {
  return updateIfVersion(db, procurementExpectedPayments, financialYearStart, expectedVersion, {
    expectedPaymentsPence,
    updatedAt: new Date(),
  });
}
