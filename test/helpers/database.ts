import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe } from "node:test";
import { gunzipSync, gzipSync } from "node:zlib";
import { sql } from "drizzle-orm";
import pg from "pg";
import {
  connect,
  type Database,
  type DatabaseConnection,
  type Engine,
  queryRows,
} from "../../src/db/client.ts";
import { migrate, migrationsFingerprint, readMigrations } from "../../src/db/migrate.ts";
import { loadDemo } from "../../src/demo/load-demo.ts";
import { DEMO_LOADERS } from "../../src/demo/loaders.ts";
import { isHidden } from "./programs.ts";

/**
 * Fresh, migrated databases for tests, quickly, on both engines.
 *
 * PGlite: one database is migrated (and, for demo tests, loaded with the demo council), dumped to
 * a tarball cached by the migrations' and demo files' fingerprint, and each test loads a copy.
 * PostgreSQL: the same template is built once as a database, and each test gets
 * CREATE DATABASE ... TEMPLATE, which is a file copy on the server.
 */

export const TEST_ACTOR = "test.officer@demo-council.example";

/** The PostgreSQL server for the second half of the suite; CI always sets it. */
export const POSTGRES_URL = process.env.BASEPLAN_TEST_DATABASE_URL;

export function postgresSkipReason(): string | false {
  if (isHidden("postgresql")) return "PostgreSQL tests skipped: postgresql hidden by BASEPLAN_TEST_HIDE.";
  if (POSTGRES_URL) return false;
  if (process.env.CI) {
    throw new Error("CI must run the PostgreSQL tests: set BASEPLAN_TEST_DATABASE_URL (see .ci/run).");
  }
  return "PostgreSQL tests skipped: no server here. Set BASEPLAN_TEST_DATABASE_URL to a PostgreSQL 15 server to run them (.ci/run does).";
}

export interface TestDatabase {
  db: Database;
  engine: Engine;
  connection: DatabaseConnection;
  close(): Promise<void>;
}

export interface FreshOptions {
  /** Load the demo council as `npm start` does. */
  demo?: boolean;
  /**
   * The test only reads: within a suite of describeOnBothDatabases, such tests share one database
   * (per `demo`), opened by the first of them, instead of each starting its own.
   */
  readOnly?: boolean;
}

async function fingerprint(demo: boolean): Promise<string> {
  const hash = createHash("sha256").update(migrationsFingerprint(await readMigrations()));
  if (demo) {
    hash.update(DEMO_LOADERS.map((loader) => loader.name).join(","));
    hash.update(await demoFilesFingerprint());
  }
  return hash.digest("hex").slice(0, 16);
}

async function demoFilesFingerprint(): Promise<string> {
  const { readdir, stat } = await import("node:fs/promises");
  const { DEMO_DIRECTORY } = await import("../../src/demo/load-demo.ts");
  const sourceRoot = new URL("../../src/", import.meta.url).pathname;
  const hash = createHash("sha256");
  // The demo depends on its files and on the loader code that reads them.
  for (const root of [DEMO_DIRECTORY, sourceRoot]) {
    const entries = await readdir(root, { recursive: true });
    for (const entry of entries.sort()) {
      const path = join(root, entry);
      const info = await stat(path);
      if (info.isFile() && !entry.endsWith(".test.ts")) hash.update(`${entry}:${info.size}:${info.mtimeMs}`);
    }
  }
  return hash.digest("hex");
}

const pgliteTemplates = new Map<boolean, Promise<Blob>>();

/**
 * A template tar PGlite reads with `arrayBuffer()`, answered from the bytes in memory. Node 20's
 * Blob reads itself back through a stream in small chunks and joins them, which for a
 * demo-sized tar was a third of what starting a test's database cost; a copy of the bytes (each
 * database owns its own) is a single memcpy.
 */
class TemplateTar extends Blob {
  readonly #bytes: Uint8Array<ArrayBuffer>;
  constructor(bytes: Uint8Array<ArrayBuffer>) {
    super([bytes]);
    this.#bytes = bytes;
  }
  override async arrayBuffer(): Promise<ArrayBuffer> {
    return this.#bytes.slice().buffer;
  }
}

/**
 * Each test's PGlite database starts from the template as a plain tar (kept in memory, so it is
 * unzipped once per process, not once per test) and with small shared buffers: a test's
 * database is a few megabytes, and zeroing PostgreSQL's default 128 MB of buffers, plus the
 * unzipping, was half of what starting one cost.
 */
const PGLITE_SETTINGS = ["shared_buffers=16MB"];

/**
 * A PGlite data directory's tar without the files under `base/<oid>/` for the databases given:
 * tests open only the database the template was built in, and PGlite writes every file of the
 * tar into its in-memory file system as it starts, so the two empty template databases initdb
 * makes (template0 and template1, two thirds of the tar's files) cost each test's start a fifth
 * of its time for nothing. Their rows stay in pg_database; only CREATE DATABASE would read their
 * files, and no test does that on PGlite.
 */
export function withoutDatabases(tar: Uint8Array, oids: readonly string[]): Uint8Array<ArrayBuffer> {
  const dropped = oids.map((oid) => new RegExp(`^/?base/${oid}(/|$)`));
  const kept: Uint8Array[] = [];
  const text = new TextDecoder();
  const field = (header: Uint8Array, start: number, end: number) =>
    text.decode(header.subarray(start, end)).replace(/\0[\s\S]*$/, "");
  let offset = 0;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    // Two zero blocks end the archive: kept, with anything after them, as it was.
    if (header.every((byte) => byte === 0)) {
      kept.push(tar.subarray(offset));
      break;
    }
    // ustar: the name's prefix (345-500) and name (0-100); the size in octal (124-136).
    const name = field(header, 345, 500) + field(header, 0, 100);
    const size = Number.parseInt(field(header, 124, 136).trim() || "0", 8);
    const length = 512 + Math.ceil(size / 512) * 512;
    if (!dropped.some((pattern) => pattern.test(name))) kept.push(tar.subarray(offset, offset + length));
    offset += length;
  }
  return new Uint8Array(Buffer.concat(kept));
}

async function pgliteTemplate(demo: boolean): Promise<Blob> {
  const cached = pgliteTemplates.get(demo);
  if (cached) return cached;
  const promise = (async () => {
    const directory = join(tmpdir(), "baseplan-test-templates");
    const file = join(directory, `pglite-${demo ? "demo" : "empty"}-one-${await fingerprint(demo)}.tar.gz`);
    if (existsSync(file)) return new TemplateTar(gunzipSync(await readFile(file)));
    const connection = await connect({ pgliteSettings: PGLITE_SETTINGS });
    await migrate(connection.db);
    if (demo) await loadDemo(connection.db, TEST_ACTOR);
    const others = await queryRows<{ oid: string }>(
      connection.db,
      sql`select oid::text as oid from pg_database where datname <> current_database()`,
    );
    const dump = await connection.pglite?.dumpDataDir("none");
    await connection.close();
    if (!dump) throw new Error("PGlite could not dump its data directory");
    const tar = withoutDatabases(
      new Uint8Array(await dump.arrayBuffer()),
      others.map((row) => row.oid),
    );
    await mkdir(directory, { recursive: true });
    const partial = `${file}.${process.pid}.partial`;
    await writeFile(partial, gzipSync(tar, { level: 1 }));
    await rename(partial, file);
    return new TemplateTar(tar);
  })();
  pgliteTemplates.set(demo, promise);
  return promise;
}

function databaseUrl(name: string): string {
  const url = new URL(POSTGRES_URL ?? "");
  url.pathname = `/${name}`;
  return url.toString();
}

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl("postgres") });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

const postgresTemplates = new Map<boolean, Promise<string>>();

async function postgresTemplate(demo: boolean): Promise<string> {
  const cached = postgresTemplates.get(demo);
  if (cached) return cached;
  const promise = (async () => {
    const name = `baseplan_template_${demo ? "demo" : "empty"}_${await fingerprint(demo)}`;
    const client = new pg.Client({ connectionString: databaseUrl("postgres") });
    await client.connect();
    try {
      const exists = await client.query("select 1 from pg_database where datname = $1", [name]);
      if (exists.rowCount) return name;
      const building = `${name}_${process.pid}`;
      await client.query(`create database ${building}`);
      const connection = await connect({ databaseUrl: databaseUrl(building), poolSize: 2 });
      await migrate(connection.db);
      if (demo) await loadDemo(connection.db, TEST_ACTOR);
      await connection.close();
      // Renaming makes the finished template appear at once to other test processes; if another
      // process finished first, its template is used and this copy dropped.
      try {
        await client.query(`alter database ${building} rename to ${name}`);
      } catch {
        await client.query(`drop database if exists ${building}`);
      }
      return name;
    } finally {
      await client.end();
    }
  })();
  postgresTemplates.set(demo, promise);
  return promise;
}

let databaseCounter = 0;

export async function freshDatabase(engine: Engine, options: FreshOptions = {}): Promise<TestDatabase> {
  const demo = options.demo ?? false;
  if (engine === "pglite") {
    const connection = await connect({
      loadDataDir: await pgliteTemplate(demo),
      pgliteSettings: PGLITE_SETTINGS,
    });
    return { db: connection.db, engine, connection, close: () => connection.close() };
  }
  const template = await postgresTemplate(demo);
  databaseCounter += 1;
  const name = `baseplan_test_${process.pid}_${databaseCounter}`;
  await adminQuery(`create database ${name} template ${template}`);
  const connection = await connect({ databaseUrl: databaseUrl(name), poolSize: 4 });
  return {
    db: connection.db,
    engine,
    connection,
    async close() {
      await connection.close();
      await adminQuery(`drop database if exists ${name}`);
    },
  };
}

/**
 * Runs the same tests on embedded PGlite and on a PostgreSQL server. The PostgreSQL half reports
 * itself skipped, with the reason, where there is no server (never in CI).
 */
export function describeOnBothDatabases(
  title: string,
  body: (fresh: (options?: FreshOptions) => Promise<TestDatabase>) => void,
): void {
  for (const engine of ["pglite", "postgresql"] as const) {
    const skip = engine === "postgresql" ? postgresSkipReason() : false;
    describe(`${title} [${engine}]`, { skip }, () => {
      const opened: TestDatabase[] = [];
      const shared = new Map<boolean, Promise<TestDatabase>>();
      after(async () => {
        await Promise.all(opened.map((database) => database.close()));
      });
      const open = async (options?: FreshOptions): Promise<TestDatabase> => {
        const database = await freshDatabase(engine, options);
        opened.push(database);
        return database;
      };
      body(async (options) => {
        if (!options?.readOnly) return open(options);
        const demo = options.demo ?? false;
        const database = shared.get(demo) ?? open(options);
        shared.set(demo, database);
        return database;
      });
    });
  }
}
