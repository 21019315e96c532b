import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import { type Database, queryRows } from "./client.ts";

const MIGRATIONS_DIRECTORY = fileURLToPath(new URL("./migrations/", import.meta.url));

/** Statements in a migration file are separated by this line, as drizzle-kit writes them. */
const STATEMENT_BREAK = /^\s*-->\s*statement-breakpoint\s*$/m;

/** Any number shared by every Baseplan process, so two processes never migrate at once. */
const MIGRATION_LOCK_KEY = 720_430_193;

export interface Migration {
  name: string;
  statements: string[];
  checksum: string;
}

export async function readMigrations(directory = MIGRATIONS_DIRECTORY): Promise<Migration[]> {
  const files = (await readdir(directory)).filter((file) => /^\d{4}_[a-z0-9_]+\.sql$/.test(file)).sort();
  return Promise.all(
    files.map(async (file) => {
      const text = await readFile(join(directory, file), "utf8");
      return {
        name: file.replace(/\.sql$/, ""),
        statements: text
          .split(STATEMENT_BREAK)
          .map((statement) => statement.trim())
          .filter((statement) => statement.length > 0),
        checksum: createHash("sha256").update(text).digest("hex"),
      };
    }),
  );
}

/**
 * The one migration runner, used at start-up, by the command line and by tests. Forward only:
 * each file runs once, in name order, in one transaction with its record, and a file that has
 * changed since it was applied stops the run rather than leaving two databases that differ.
 */
export async function migrate(db: Database, migrations?: Migration[]): Promise<string[]> {
  const toApply = migrations ?? (await readMigrations());
  await db.execute(
    sql.raw(`create table if not exists baseplan_migrations (
      name text primary key,
      checksum text not null,
      applied_at timestamptz not null default now()
    )`),
  );
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`);
    const applied = await queryRows<{ name: string; checksum: string }>(
      tx,
      sql.raw("select name, checksum from baseplan_migrations"),
    );
    const appliedByName = new Map(applied.map((row) => [row.name, row.checksum]));
    const ran: string[] = [];
    for (const migration of toApply) {
      const checksum = appliedByName.get(migration.name);
      if (checksum !== undefined) {
        if (checksum !== migration.checksum) {
          throw new Error(
            `Migration ${migration.name} has changed since it was applied. Migrations are forward only: add a new one instead.`,
          );
        }
        continue;
      }
      for (const statement of migration.statements) await tx.execute(sql.raw(statement));
      await tx.execute(
        sql`insert into baseplan_migrations (name, checksum) values (${migration.name}, ${migration.checksum})`,
      );
      ran.push(migration.name);
    }
    return ran;
  });
}

/** A short fingerprint of the migrations, so cached test templates are rebuilt when they change. */
export function migrationsFingerprint(migrations: Migration[]): string {
  const hash = createHash("sha256");
  for (const migration of migrations) hash.update(`${migration.name}:${migration.checksum}\n`);
  return hash.digest("hex").slice(0, 16);
}
