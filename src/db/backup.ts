import { createReadStream, createWriteStream } from "node:fs";
import { rename, unlink } from "node:fs/promises";
import { createInterface } from "node:readline";
import { finished } from "node:stream/promises";
import { createGunzip, createGzip } from "node:zlib";
import { type SQL, sql } from "drizzle-orm";
import { type Database, queryRows } from "./client.ts";
import { type Migration, migrate, readMigrations } from "./migrate.ts";

/**
 * Backup and restore in one logical format for both databases (decision 0011): gzip-compressed
 * JSON lines. The first line names the format and the migrations the data was written under;
 * then each table's name and columns, followed by one line per row holding every value in
 * PostgreSQL's own text form (so numbers, dates, JSON and bytes come back exactly); the last line
 * counts the rows of every table, so a file cut short is refused rather than half restored.
 */

export const BACKUP_FORMAT = "baseplan-backup";
export const BACKUP_FORMAT_VERSION = 1;

/** Rows per INSERT on restore: well inside PostgreSQL's 65,535 parameters for any table here. */
const MAX_PARAMETERS = 30_000;

interface Header {
  format: typeof BACKUP_FORMAT;
  formatVersion: number;
  createdAt: string;
  migrations: { name: string; checksum: string }[];
}

interface TableLine {
  table: string;
  columns: string[];
}

interface EndLine {
  end: true;
  rows: Record<string, number>;
}

/** A backup Baseplan will not restore, with the reason to tell the person. */
export class BackupRefused extends Error {}

interface TableInfo {
  name: string;
  columns: string[];
  /** Columns that point at this same table (a plan's parent plan): parents are written first. */
  selfReferences: { column: string; referenced: string }[];
  /**
   * The bytea columns (frozen documents). They are written as text in PostgreSQL's hex form
   * (`\x7b22...`) and read back through an explicit cast from text, which both databases take:
   * PGlite refuses a text parameter for a bytea column.
   */
  binary: Set<string>;
}

/** The data tables, each after every table it refers to; the migration records are in the header. */
async function dataTables(db: Database): Promise<TableInfo[]> {
  const tables = await queryRows<{ name: string }>(
    db,
    sql`select table_name as name from information_schema.tables
        where table_schema = current_schema() and table_type = 'BASE TABLE'
          and table_name <> 'baseplan_migrations'
        order by table_name`,
  );
  const columns = await queryRows<{ table: string; column: string; type: string }>(
    db,
    sql`select table_name as "table", column_name as "column", data_type as type from information_schema.columns
        where table_schema = current_schema() and is_generated = 'NEVER'
        order by table_name, ordinal_position`,
  );
  const references = await queryRows<{ table: string; referenced: string; column: string; target: string }>(
    db,
    sql`select c.conrelid::regclass::text as "table", c.confrelid::regclass::text as referenced,
               a.attname as "column", t.attname as target
        from pg_constraint c
        join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
        join pg_attribute t on t.attrelid = c.confrelid and t.attnum = c.confkey[1]
        where c.contype = 'f' and c.connamespace = current_schema()::regnamespace`,
  );
  const byName = new Map<string, TableInfo>(
    tables.map(({ name }) => [name, { name, columns: [], selfReferences: [], binary: new Set<string>() }]),
  );
  for (const row of columns) {
    const table = byName.get(row.table);
    table?.columns.push(row.column);
    if (row.type === "bytea") table?.binary.add(row.column);
  }
  const dependsOn = new Map<string, Set<string>>(tables.map(({ name }) => [name, new Set()]));
  for (const reference of references) {
    if (reference.table === reference.referenced) {
      byName
        .get(reference.table)
        ?.selfReferences.push({ column: reference.column, referenced: reference.target });
    } else {
      dependsOn.get(reference.table)?.add(reference.referenced);
    }
  }
  const ordered: TableInfo[] = [];
  const placed = new Set<string>();
  const place = (name: string, path: Set<string>) => {
    if (placed.has(name) || path.has(name)) return;
    path.add(name);
    for (const dependency of dependsOn.get(name) ?? []) place(dependency, path);
    placed.add(name);
    const table = byName.get(name);
    if (table) ordered.push(table);
  };
  for (const { name } of tables) place(name, new Set());
  // The audit trigger moves data_version on as audit events are inserted: restore it after them.
  const version = ordered.findIndex((table) => table.name === "data_version");
  if (version >= 0) ordered.push(...ordered.splice(version, 1));
  return ordered;
}

/** Parents before children within a table that refers to itself. */
function parentsFirst(rows: (string | null)[][], columns: string[], table: TableInfo): (string | null)[][] {
  if (table.selfReferences.length === 0) return rows;
  const links = table.selfReferences.map((link) => ({
    from: columns.indexOf(link.column),
    to: columns.indexOf(link.referenced),
  }));
  const written = new Set<string>();
  const ordered: (string | null)[][] = [];
  let waiting = rows;
  while (waiting.length > 0) {
    const next: (string | null)[][] = [];
    for (const row of waiting) {
      const ready = links.every(({ from, to }) => {
        const parent = row[from];
        return parent === null || parent === undefined || written.has(`${to}:${parent}`);
      });
      if (!ready) {
        next.push(row);
        continue;
      }
      ordered.push(row);
      for (const { to } of links) written.add(`${to}:${row[to]}`);
    }
    // A cycle would never finish: write the rest as they are and let the database say so.
    if (next.length === waiting.length) return [...ordered, ...next];
    waiting = next;
  }
  return ordered;
}

const list = (items: string[]): SQL =>
  sql.join(
    items.map((item) => sql.identifier(item)),
    sql`, `,
  );

/** Rows fetched at a time from a table's cursor: memory stays bounded whatever a table holds. */
const BACKUP_BATCH_ROWS = 5_000;

/**
 * Writes every table to FILE (gzip JSON lines); written beside it first, then renamed into place.
 * Each table is read through a cursor a batch at a time, so a table of any size is never held
 * whole in memory; only a table that refers to itself (plans within plans, a few rows) is
 * gathered to put parents before children.
 */
export async function writeBackup(
  db: Database,
  file: string,
  { batchRows = BACKUP_BATCH_ROWS }: { batchRows?: number } = {},
): Promise<Record<string, number>> {
  const migrations = await queryRows<{ name: string; checksum: string }>(
    db,
    sql`select name, checksum from baseplan_migrations order by name`,
  );
  const partial = `${file}.partial`;
  const gzip = createGzip();
  const output = createWriteStream(partial);
  gzip.pipe(output);
  const write = async (value: unknown) => {
    if (!gzip.write(`${JSON.stringify(value)}\n`))
      await new Promise((resolve) => gzip.once("drain", resolve));
  };
  const counts: Record<string, number> = {};
  try {
    // One snapshot: every table as it stood at one moment, even while others write.
    await db.transaction(
      async (tx) => {
        const header: Header = {
          format: BACKUP_FORMAT,
          formatVersion: BACKUP_FORMAT_VERSION,
          createdAt: new Date().toISOString(),
          migrations,
        };
        await write(header);
        // Rows in their first column's order (the id): restored in that order they lie as they
        // did, so anything read without an order of its own comes back the same.
        for (const table of await dataTables(tx)) {
          const { name, columns } = table;
          const selected = sql.join(
            columns.map(
              (column, index) => sql`${sql.identifier(column)}::text as ${sql.identifier(`c${index}`)}`,
            ),
            sql`, `,
          );
          await write({ table: name, columns } satisfies TableLine);
          await tx.execute(
            sql`declare backup_rows no scroll cursor for select ${selected} from ${sql.identifier(name)} order by ${sql.identifier(columns[0] ?? "")}`,
          );
          const gathered: (string | null)[][] = [];
          let count = 0;
          for (;;) {
            const result = (await tx.execute(
              sql`fetch forward ${sql.raw(String(Math.max(1, Math.trunc(batchRows))))} from backup_rows`,
            )) as unknown as { rows: Record<string, string | null>[] };
            if (result.rows.length === 0) break;
            count += result.rows.length;
            for (const row of result.rows) {
              const values = Object.values(row);
              if (table.selfReferences.length > 0) gathered.push(values);
              else await write(values);
            }
          }
          await tx.execute(sql`close backup_rows`);
          for (const row of parentsFirst(gathered, columns, table)) await write(row);
          counts[name] = count;
        }
        await write({ end: true, rows: counts } satisfies EndLine);
      },
      { isolationLevel: "repeatable read", accessMode: "read only" },
    );
    gzip.end();
    await finished(output);
    await rename(partial, file);
    return counts;
  } catch (error) {
    gzip.destroy();
    output.destroy();
    await unlink(partial).catch(() => undefined);
    throw error;
  }
}

async function* backupLines(file: string): AsyncGenerator<unknown> {
  const bytes = createReadStream(file);
  const input = createGunzip();
  // A file that cannot be read fails the reading of its lines, not the process.
  bytes.on("error", (error) => input.destroy(error));
  bytes.pipe(input);
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let number = 0;
  try {
    for await (const line of lines) {
      number += 1;
      try {
        yield JSON.parse(line);
      } catch {
        throw new BackupRefused(`${file} is damaged: line ${number} is not readable.`);
      }
    }
  } catch (error) {
    if (error instanceof BackupRefused) throw error;
    const code = (error as { code?: string }).code;
    if (code === "ENOENT") throw new BackupRefused(`There is no file ${file}.`);
    if (code?.startsWith("Z_") || /incorrect header|unexpected end|invalid/i.test(String(error))) {
      throw new BackupRefused(
        `${file} is not a Baseplan backup, or it is damaged (${(error as Error).message}). Nothing was restored.`,
      );
    }
    throw error;
  }
}

function checkHeader(file: string, header: unknown, known: Migration[]): Header {
  const candidate = header as Partial<Header> | null;
  if (!candidate || candidate.format !== BACKUP_FORMAT || !Array.isArray(candidate.migrations)) {
    throw new BackupRefused(`${file} is not a Baseplan backup. Nothing was restored.`);
  }
  if (candidate.formatVersion !== BACKUP_FORMAT_VERSION) {
    throw new BackupRefused(
      `${file} is written in backup format ${candidate.formatVersion}, which this version of Baseplan does not read (it reads format ${BACKUP_FORMAT_VERSION}). Nothing was restored.`,
    );
  }
  const knownByName = new Map(known.map((migration) => [migration.name, migration.checksum]));
  const newer = candidate.migrations.filter((migration) => !knownByName.has(migration.name));
  if (newer.length > 0) {
    throw new BackupRefused(
      `${file} comes from a newer version of Baseplan: its database has ${newer.map((m) => m.name).join(", ")}, which this version does not know. Upgrade Baseplan, then restore. Nothing was restored.`,
    );
  }
  const changed = candidate.migrations.filter(
    (migration) => knownByName.get(migration.name) !== migration.checksum,
  );
  if (changed.length > 0) {
    throw new BackupRefused(
      `${file} was written under different migrations (${changed.map((m) => m.name).join(", ")}) from this version of Baseplan's. Nothing was restored.`,
    );
  }
  return candidate as Header;
}

/**
 * Restores FILE into an empty database: migrates it to the file's schema, loads every table in
 * one transaction (all or nothing), then applies any newer migrations. Refuses a file from a
 * newer schema, a damaged or cut-short file, and a database that already holds data.
 */
export async function restoreBackup(db: Database, file: string): Promise<Record<string, number>> {
  const known = await readMigrations();
  const lines = backupLines(file);
  const first = await lines.next();
  const header = checkHeader(file, first.done ? null : first.value, known);
  const inFile = new Set(header.migrations.map((migration) => migration.name));
  await migrate(
    db,
    known.filter((migration) => inFile.has(migration.name)),
  );
  const applied = await queryRows<{ name: string }>(db, sql`select name from baseplan_migrations`);
  if (applied.some((row) => !inFile.has(row.name))) {
    throw new BackupRefused(
      `The database has been set up by a newer version of Baseplan than ${file} was written under: restore into an empty database (a new BASEPLAN_DATA_DIR folder, or a new database for DATABASE_URL) and Baseplan brings it up to date. Nothing was restored.`,
    );
  }
  const [written] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from audit_events`);
  if ((written?.n ?? 0) > 0) {
    throw new BackupRefused(
      "The database already holds data: restore into an empty one (a new BASEPLAN_DATA_DIR folder, or a new database for DATABASE_URL). Nothing was restored.",
    );
  }
  const counts: Record<string, number> = {};
  await db.transaction(async (tx) => {
    const tables = await dataTables(tx);
    const names = new Set(tables.map((table) => table.name));
    const binaryOf = new Map(tables.map((table) => [table.name, table.binary]));
    await tx.execute(sql`truncate ${list([...names])}`);
    let current: TableLine | null = null;
    let batch: (string | null)[][] = [];
    let ended: EndLine | null = null;
    const flush = async () => {
      if (!current || batch.length === 0) return;
      const binary = binaryOf.get(current.table) ?? new Set<string>();
      const isBinary = current.columns.map((column) => binary.has(column));
      const rows = sql.join(
        batch.map(
          (row) =>
            sql`(${sql.join(
              row.map((value, index) => (isBinary[index] ? sql`${value}::text::bytea` : sql`${value}`)),
              sql`, `,
            )})`,
        ),
        sql`, `,
      );
      await tx.execute(
        sql`insert into ${sql.identifier(current.table)} (${list(current.columns)}) overriding system value values ${rows}`,
      );
      counts[current.table] = (counts[current.table] ?? 0) + batch.length;
      batch = [];
    };
    for await (const line of lines) {
      if (ended) throw new BackupRefused(`${file} is damaged: it goes on after its last line.`);
      if (Array.isArray(line)) {
        if (!current || line.length !== current.columns.length) {
          throw new BackupRefused(`${file} is damaged: a row does not fit its table.`);
        }
        batch.push(line as (string | null)[]);
        if (batch.length * current.columns.length >= MAX_PARAMETERS) await flush();
        continue;
      }
      await flush();
      const entry = line as Partial<TableLine & EndLine>;
      if (entry.end === true && entry.rows) {
        ended = entry as EndLine;
        current = null;
      } else if (typeof entry.table === "string" && Array.isArray(entry.columns) && names.has(entry.table)) {
        current = { table: entry.table, columns: entry.columns };
        counts[current.table] = counts[current.table] ?? 0;
      } else {
        throw new BackupRefused(`${file} is damaged: it names a table this database does not have.`);
      }
    }
    if (!ended) throw new BackupRefused(`${file} is cut short: it has no last line. Nothing was restored.`);
    for (const [table, expected] of Object.entries(ended.rows)) {
      if ((counts[table] ?? 0) !== expected) {
        throw new BackupRefused(
          `${file} is damaged: it says ${table} has ${expected} rows but holds ${counts[table] ?? 0}. Nothing was restored.`,
        );
      }
    }
    // Identity columns carry on after the highest id restored.
    const identities = await queryRows<{ table: string; column: string }>(
      tx,
      sql`select table_name as "table", column_name as "column" from information_schema.columns
          where table_schema = current_schema() and is_identity = 'YES'`,
    );
    for (const { table, column } of identities) {
      await tx.execute(
        sql`select setval(pg_get_serial_sequence(${table}, ${column}), coalesce(max(${sql.identifier(column)}), 0) + 1, false) from ${sql.identifier(table)}`,
      );
    }
    // Any process still holding pages from before the restore renders them afresh.
    await tx.execute(sql`update data_version set version = version + 1`);
  });
  await migrate(db, known);
  return counts;
}
