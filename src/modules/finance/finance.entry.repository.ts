import { and, asc, eq, isNull } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import {
  councils,
  debtProfile,
  debtWriteOffs,
  earmarkedReserveBalances,
  earmarkedReserves,
  growthItemSpend,
  growthItems,
} from "../../db/schema/index.ts";
import { versionedUpdate } from "../../db/versioning.ts";
import { monthIs } from "./finance.repository.ts";

// The SQL of the period entry forms for reserves, debt and growth spend (finance.entry.ts). Each
// insert that two people could make at once does nothing on the unique key and returns nothing,
// so the service can raise a conflict instead of overwriting.

export type ReserveBalance = typeof earmarkedReserveBalances.$inferSelect;
export type DebtBand = typeof debtProfile.$inferSelect;
export type DebtWriteOff = typeof debtWriteOffs.$inferSelect;
export type GrowthSpend = typeof growthItemSpend.$inferSelect;

export async function listReserves(db: Database, financialYearId: number) {
  return (
    db
      .select()
      .from(earmarkedReserves)
      // Archived reserves (the budget's set-up page) are left out of current pages and entry.
      .where(
        and(eq(earmarkedReserves.financialYearId, financialYearId), isNull(earmarkedReserves.archivedAt)),
      )
      .orderBy(asc(earmarkedReserves.position), asc(earmarkedReserves.id))
  );
}

export async function findReserveBalance(
  db: Database,
  reserveId: number,
  quarter: number,
  month: number | null = null,
) {
  const [row] = await db
    .select()
    .from(earmarkedReserveBalances)
    .where(
      and(
        eq(earmarkedReserveBalances.reserveId, reserveId),
        eq(earmarkedReserveBalances.quarter, quarter),
        monthIs(earmarkedReserveBalances.month, month),
      ),
    );
  return row;
}

export async function insertReserveBalanceIfAbsent(
  db: Database,
  values: typeof earmarkedReserveBalances.$inferInsert,
) {
  const [created] = await db
    .insert(earmarkedReserveBalances)
    .values(values)
    // Unique on reserve, quarter and month, nulls not distinct (migration 0033).
    .onConflictDoNothing()
    .returning();
  return created;
}

export const updateReserveBalanceIfVersion = versionedUpdate(earmarkedReserveBalances);

export async function listDebtBands(db: Database, financialYearId: number) {
  return db
    .select()
    .from(debtProfile)
    .where(eq(debtProfile.financialYearId, financialYearId))
    .orderBy(asc(debtProfile.quarter), asc(debtProfile.month), asc(debtProfile.position));
}

export async function insertDebtBandIfAbsent(db: Database, values: typeof debtProfile.$inferInsert) {
  const [created] = await db
    .insert(debtProfile)
    .values(values)
    // Unique on year, quarter, month and band, nulls not distinct (migration 0033).
    .onConflictDoNothing()
    .returning();
  return created;
}

export const updateDebtBandIfVersion = versionedUpdate(debtProfile);

export async function findWriteOff(
  db: Database,
  financialYearId: number,
  quarter: number,
  month: number | null = null,
) {
  const [row] = await db
    .select()
    .from(debtWriteOffs)
    .where(
      and(
        eq(debtWriteOffs.financialYearId, financialYearId),
        eq(debtWriteOffs.quarter, quarter),
        monthIs(debtWriteOffs.month, month),
      ),
    );
  return row;
}

export async function insertWriteOffIfAbsent(db: Database, values: typeof debtWriteOffs.$inferInsert) {
  const [created] = await db
    .insert(debtWriteOffs)
    .values(values)
    // Unique on year, quarter and month, nulls not distinct (migration 0033).
    .onConflictDoNothing()
    .returning();
  return created;
}

export const updateWriteOffIfVersion = versionedUpdate(debtWriteOffs);

/** A year's growth items with their spend at one quarter (its own) or one month of it, if entered. */
export async function listGrowthWithSpend(
  db: Database,
  financialYearId: number,
  quarter: number,
  month: number | null = null,
) {
  return (
    db
      .select({ item: growthItems, spend: growthItemSpend })
      .from(growthItems)
      .leftJoin(
        growthItemSpend,
        and(
          eq(growthItemSpend.growthItemId, growthItems.id),
          eq(growthItemSpend.quarter, quarter),
          monthIs(growthItemSpend.month, month),
        ),
      )
      // Archived growth items (the budget's set-up page) take no spend and leave the period's list.
      .where(and(eq(growthItems.financialYearId, financialYearId), isNull(growthItems.archivedAt)))
      .orderBy(asc(growthItems.position), asc(growthItems.id))
  );
}

export async function insertGrowthSpendIfAbsent(db: Database, values: typeof growthItemSpend.$inferInsert) {
  const [created] = await db
    .insert(growthItemSpend)
    .values(values)
    // Unique on item, quarter and month, nulls not distinct (migration 0034).
    .onConflictDoNothing()
    .returning();
  return created;
}

export const updateGrowthSpendIfVersion = versionedUpdate(growthItemSpend);

/** The month the council's financial year starts in (April unless it says otherwise). */
export async function findYearStartMonth(db: Database): Promise<number | undefined> {
  const [row] = await db
    .select({ month: councils.yearStartMonth })
    .from(councils)
    .orderBy(asc(councils.id))
    .limit(1);
  return row?.month;
}
