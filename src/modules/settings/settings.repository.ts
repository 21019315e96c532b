import { sql } from "drizzle-orm";
import { type Database, queryRows } from "../../db/client.ts";
import type { settings } from "../../db/schema/index.ts";

export type SettingRow = typeof settings.$inferSelect;

/*
 * The key-value settings table: the council's own words and choices kept as data (the quarterly
 * report's paragraphs, each plan's document settings, the rating scheme, the demo marker). Every
 * read and write of the table is here; modules reach it through settings.service.ts.
 *
 * Plain SQL, not the query builder: the builder's jsonb column parses a value the driver has
 * already parsed, so a text setting that looks like a number ("101", a DfE code) or a word JSON
 * knows ("true") came back as a number or a boolean.
 */
const COLUMNS = sql`key, value, version, updated_at as "updatedAt"`;

export async function findSetting(db: Database, key: string): Promise<SettingRow | undefined> {
  const [row] = await queryRows<SettingRow>(db, sql`select ${COLUMNS} from settings where key = ${key}`);
  return row;
}

/** Writes a setting's value, creating it at version 1 or bumping its version; returns the row. */
export async function upsertSetting(db: Database, key: string, value: unknown): Promise<SettingRow> {
  const [row] = await queryRows<SettingRow>(
    db,
    sql`insert into settings (key, value) values (${key}, ${JSON.stringify(value)}::jsonb)
      on conflict (key) do update
        set value = excluded.value, version = settings.version + 1, updated_at = now()
      returning ${COLUMNS}`,
  );
  if (!row) throw new Error(`The setting ${key} could not be saved.`);
  return row;
}
