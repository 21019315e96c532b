import { and, eq, sql } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import type { Database } from "./client.ts";

type VersionedTable = PgTable & { id: PgColumn; version: PgColumn };

/**
 * Updates one row only if it is still at the version the person saw, and bumps the version.
 * Returns the updated row, or null when someone else saved first (the caller raises Conflict).
 */
export async function updateIfVersion<TTable extends VersionedTable>(
  tx: Database,
  table: TTable,
  id: number | string,
  expectedVersion: number,
  values: Partial<TTable["$inferInsert"]>,
): Promise<TTable["$inferSelect"] | null> {
  // Drizzle's generic update types cannot follow a table passed as a type parameter.
  const update = tx.update(table as PgTable) as unknown as {
    set(values: Record<string, unknown>): {
      where(condition: unknown): { returning(): Promise<TTable["$inferSelect"][]> };
    };
  };
  const rows = await update
    .set({ ...values, version: sql`${table.version} + 1` })
    .where(and(eq(table.id, id), eq(table.version, expectedVersion)))
    .returning();
  return rows[0] ?? null;
}

/**
 * One table's versioned update, for its repository to export under its own name
 * (`export const updateRiskIfVersion = versionedUpdate(risks)`), so services never hold a table.
 */
export function versionedUpdate<TTable extends VersionedTable>(table: TTable) {
  return (
    tx: Database,
    id: number | string,
    expectedVersion: number,
    values: Partial<TTable["$inferInsert"]>,
  ) => updateIfVersion(tx, table, id, expectedVersion, values);
}
