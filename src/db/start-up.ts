import { sql } from "drizzle-orm";
import type { DatabaseConnection } from "./client.ts";

/** Any number shared by every Baseplan process; not the migration runner's own lock. */
const START_UP_LOCK_KEY = 720_430_194;

/**
 * Runs the start-up work (migrations, then any first load) while no other Baseplan process on
 * the same PostgreSQL database is doing its own: several processes started together behind a
 * load balancer take turns, and the later ones find the work done. The lock is held by a
 * transaction on one connection of the pool while the work uses the others, and is let go when
 * that transaction ends, also when the process dies. An embedded PGlite database belongs to one
 * process, so there is nothing to wait for.
 */
export async function duringStartUp<T>(connection: DatabaseConnection, work: () => Promise<T>): Promise<T> {
  if (connection.engine === "pglite") return work();
  return connection.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${START_UP_LOCK_KEY})`);
    return work();
  });
}

/**
 * What to tell the person starting Baseplan when the database refuses: PostgreSQL's own reason
 * (with its detail and hint), not the query the driver wraps it in.
 */
export function databaseErrorMessage(error: unknown): string {
  for (let cause = error, depth = 0; cause instanceof Error && depth < 5; depth += 1) {
    const reason = cause as Error & { code?: unknown; severity?: unknown; detail?: unknown; hint?: unknown };
    if (typeof reason.code === "string" && /^[0-9A-Z]{5}$/.test(reason.code)) {
      const parts = [`The database refused: ${reason.message} (PostgreSQL error ${reason.code}).`];
      if (typeof reason.detail === "string" && reason.detail) parts.push(reason.detail);
      if (typeof reason.hint === "string" && reason.hint) parts.push(`Hint: ${reason.hint}`);
      return parts.join("\n");
    }
    cause = cause.cause;
  }
  if (error instanceof Error && /^Failed query:/.test(error.message) && error.cause instanceof Error) {
    return error.cause.message;
  }
  return error instanceof Error ? error.message : String(error);
}
