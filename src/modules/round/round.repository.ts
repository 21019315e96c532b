import { and, eq } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import { updateRoundDueDates, updateRoundItems } from "../../db/schema/index.ts";
import { versionedUpdate } from "../../db/versioning.ts";

/** Every read and write of the update round's items. */

export type RoundItemRow = typeof updateRoundItems.$inferSelect;

export async function listRoundItems(db: Database, periodId: number): Promise<RoundItemRow[]> {
  return db.select().from(updateRoundItems).where(eq(updateRoundItems.periodId, periodId));
}

export async function findRoundItem(
  db: Database,
  periodId: number,
  itemKind: RoundItemRow["itemKind"],
  itemId: number,
): Promise<RoundItemRow | undefined> {
  const [row] = await db
    .select()
    .from(updateRoundItems)
    .where(
      and(
        eq(updateRoundItems.periodId, periodId),
        eq(updateRoundItems.itemKind, itemKind),
        eq(updateRoundItems.itemId, itemId),
      ),
    );
  return row;
}

/** The first submission of an item; null when someone else's got there first. */
export async function insertRoundItemIfAbsent(
  db: Database,
  values: typeof updateRoundItems.$inferInsert,
): Promise<RoundItemRow | null> {
  const [row] = await db.insert(updateRoundItems).values(values).onConflictDoNothing().returning();
  return row ?? null;
}

export const updateRoundItemIfVersion = versionedUpdate(updateRoundItems);

export type RoundDueDateRow = typeof updateRoundDueDates.$inferSelect;

/** The items of a period whose due date was changed from the period's. */
export async function listRoundDueDates(db: Database, periodId: number): Promise<RoundDueDateRow[]> {
  return db.select().from(updateRoundDueDates).where(eq(updateRoundDueDates.periodId, periodId));
}

/** An item's first own due date; null when someone else's got there first. */
export async function insertRoundDueDateIfAbsent(
  db: Database,
  values: typeof updateRoundDueDates.$inferInsert,
): Promise<RoundDueDateRow | null> {
  const [row] = await db.insert(updateRoundDueDates).values(values).onConflictDoNothing().returning();
  return row ?? null;
}

export const updateRoundDueDateIfVersion = versionedUpdate(updateRoundDueDates);
