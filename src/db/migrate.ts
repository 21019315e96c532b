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
  /** The checksum of the file without its whole-line comments: what a comment's rewording leaves alone. */
  statementsChecksum: string;
}

/**
 * Migrations whose comments were reworded after they were applied, their statements unchanged:
 * a database that recorded the checksum from before the rewording (`before`) is accepted while the
 * file's statements still hash to `statements`. Any change to a statement is still refused. Only
 * comments may be reworded this way, and each rewording is listed here with both checksums.
 */
export const REWORDED_MIGRATIONS: Readonly<Record<string, { before: string; statements: string }>> = {
  // Comments that pointed to a document outside the repository now point to docs/domain.md.
  "0005_procurement": {
    before: "7e1477eebb830af5cde142f6593ca755d8c4e844a3b8ddfe75e060fa951aa07e",
    statements: "d8db57894f197a1d2dfc1e837c81b16411bc9a1573457caa690fc5193ef2de71",
  },
  "0008_finance_settings": {
    before: "34f5888059a2ae1a53f1b4957cf6f887045b56f00c09691a9b2515ec73baad02",
    statements: "788535b62313bff17586f3263e12fbde23eee35990429c24667e0b9bf0d55cd4",
  },
};

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** A migration's text without its whole-line comments (the statement breaks are kept). */
function withoutComments(text: string): string {
  return text
    .split("\n")
    .filter((line) => !/^\s*--/.test(line) || STATEMENT_BREAK.test(line))
    .join("\n");
}

/** Whether a database that recorded `recorded` for this migration has what the file now says. */
function matchesRecorded(migration: Migration, recorded: string): boolean {
  if (recorded === migration.checksum) return true;
  const reworded = REWORDED_MIGRATIONS[migration.name];
  return reworded?.before === recorded && reworded.statements === migration.statementsChecksum;
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
        checksum: sha256(text),
        statementsChecksum: sha256(withoutComments(text)),
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
        if (!matchesRecorded(migration, checksum)) {
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
