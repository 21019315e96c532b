import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { PGlite } from "@electric-sql/pglite";
import type { SQL } from "drizzle-orm";
import { drizzle as drizzlePostgres } from "drizzle-orm/node-postgres";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import * as schema from "./schema/index.ts";

export type Schema = typeof schema;

/**
 * The query builder every repository is handed. PGlite and node-postgres builders differ only
 * in their result type, which repositories never look at, so both are used through this type.
 */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;

/** Runs raw SQL and gives its rows; both drivers answer with `{ rows }`. */
export async function queryRows<T>(db: Database, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

/** The connection Drizzle's session holds: inside a transaction, the transaction's own client. */
function sessionClient(db: Database): unknown {
  return (db as unknown as { session?: { client?: unknown } }).session?.client;
}

/**
 * Whether copyCsv can load rows on this connection: a PostgreSQL server inside a transaction.
 * (PGlite's own COPY of a file handed to it is slower than statements of unnest() arrays there
 * once the table has an index, so callers write rows that way on PGlite.)
 */
export function canCopyCsv(db: Database): boolean {
  return sessionClient(db) instanceof pg.Client;
}

/**
 * Loads rows written as CSV (PostgreSQL's `format csv`: an unquoted empty field is null) into a
 * table with COPY FROM STDIN (pg-copy-streams), the fastest way a PostgreSQL server takes many
 * rows. `target` is the table and its columns, for example `benchmark_values (a, b)`. The CSV is
 * one text or a sequence of pieces, written one after another as the server takes them, so a
 * caller can produce many rows a few thousand at a time rather than as one text held whole. COPY
 * needs the very connection the transaction holds, which Drizzle keeps as its session's client;
 * so this runs only inside a transaction on a server (see canCopyCsv), and says so otherwise.
 */
export async function copyCsv(db: Database, target: string, csv: string | Iterable<string>): Promise<void> {
  const client = sessionClient(db);
  if (!(client instanceof pg.Client)) {
    throw new Error("copyCsv runs only inside a transaction on a PostgreSQL server");
  }
  const stream = client.query(copyFrom(`copy ${target} from stdin with (format csv)`));
  await pipeline(Readable.from(typeof csv === "string" ? [csv] : csv), stream);
}

export type Engine = "pglite" | "postgresql";

export interface DatabaseConnection {
  db: Database;
  engine: Engine;
  /** Runs a script of several statements (used for restoring dumps and test set-up). */
  close(): Promise<void>;
  /** The embedded database, when there is one (for dumps in tests). */
  pglite?: PGlite;
}

export interface ConnectOptions {
  /** A PostgreSQL connection string; when absent the embedded PGlite database is used. */
  databaseUrl?: string | undefined;
  /** Folder for the embedded database's files; in memory when absent. */
  dataDirectory?: string | undefined;
  /** A dump of an embedded database to start from (tests copy a migrated template). */
  loadDataDir?: Blob | File | undefined;
  /** Connections in the pool for a PostgreSQL server. */
  poolSize?: number;
  /**
   * Settings for the embedded database, as `name=value` (tests start hundreds of small databases
   * and give each smaller shared buffers, which it starts in half the time).
   */
  pgliteSettings?: string[];
}

/**
 * A connection that runs one query at a time of its own accord. A transaction holds one client,
 * and code inside it may ask for several reads at once (`Promise.all` over repository calls);
 * node-postgres queues them itself today but warns that pg@9 will not ("Calling client.query()
 * when the client is already executing a query is deprecated"). Queueing here keeps every such
 * call correct now and after that upgrade, wherever it is written. Outside a transaction each
 * query takes its own client from the pool, so reads still run side by side.
 */
class OneQueryAtATimeClient extends pg.Client {
  constructor(config?: string | pg.ClientConfig) {
    super(config);
    const query = this.query.bind(this) as (...args: unknown[]) => unknown;
    let previous: Promise<unknown> = Promise.resolve();
    const queued = (...args: unknown[]): unknown => {
      // The callback and streaming forms are the pool's own one-off queries: passed straight on.
      const first = args[0] as { submit?: unknown } | undefined;
      if (typeof args.at(-1) === "function" || typeof first?.submit === "function") return query(...args);
      const result = previous.then(() => query(...args));
      previous = result.catch(() => undefined);
      return result;
    };
    this.query = queued as typeof this.query;
  }
}

export async function connect(options: ConnectOptions): Promise<DatabaseConnection> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 10,
      Client: OneQueryAtATimeClient,
    });
    // Fail at start-up, not on the first request, when the server cannot be reached.
    const client = await pool.connect();
    client.release();
    const db = drizzlePostgres({ client: pool, schema }) as unknown as Database;
    return { db, engine: "postgresql", close: () => pool.end() };
  }
  let dataDir: string | undefined;
  if (options.dataDirectory) {
    dataDir = join(options.dataDirectory, "pglite");
    await mkdir(dataDir, { recursive: true });
  }
  const pglite = await PGlite.create({
    ...(dataDir ? { dataDir } : {}),
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    ...(options.pgliteSettings
      ? {
          startParams: [
            ...PGlite.defaultStartParams,
            ...options.pgliteSettings.flatMap((setting) => ["-c", setting]),
          ],
        }
      : {}),
  });
  const db = drizzlePglite({ client: pglite, schema }) as unknown as Database;
  return { db, engine: "pglite", pglite, close: () => pglite.close() };
}
