import { eq, sql } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import { settings } from "../../db/schema/index.ts";

export type SettingRow = typeof settings.$inferSelect;

/**
 * The key-value settings table: the council's own words and choices kept as data (the quarterly
 * report's paragraphs, each plan's document settings, where demo rows came from, the demo marker).
 * Every read and write of the table is here; modules reach it through settings.service.ts.
 */
export async function findSetting(db: Database, key: string): Promise<SettingRow | undefined> {
  const [row] = await db.select().from(settings).where(eq(settings.key, key));
  return row;
}

/** Writes a setting's value, creating it at version 1 or bumping its version; returns the row. */
export async function upsertSetting(db: Database, key: string, value: unknown): Promise<SettingRow> {
  const [row] = await db
    .insert(settings)
    .values({ key, value })
    .onConflictDoUpdate({
      target: settings.key,
      set: { value, version: sql`${settings.version} + 1`, updatedAt: new Date() },
    })
    .returning();
  if (!row) throw new Error(`The setting ${key} could not be saved.`);
  return row;
}
