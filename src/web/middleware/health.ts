import { sql } from "drizzle-orm";
import type { FastifyInstance, FastifyReply } from "fastify";
import type { Database } from "../../db/client.ts";

/**
 * For load balancers and monitoring:
 * - `/health/live`: 200 while the process answers at all (restart it when this fails);
 * - `/health/ready`: 200 when the database answers too, 503 when it does not (send it no
 *   requests until it is ready again); the process listens only once migrations and any first
 *   load are done, so a listening process is ready when its database is;
 * - `/health`: the readiness check, kept for existing monitors.
 * For people, `/status`: the same check as a page (the footer's "Service status").
 */
export async function setUpHealthChecks(app: FastifyInstance, db: Database): Promise<void> {
  const databaseAnswers = async (): Promise<boolean> => {
    try {
      await db.execute(sql`select 1`);
      return true;
    } catch (error) {
      app.log.error({ err: error }, "health check: database did not answer");
      return false;
    }
  };
  const ready = async (_request: unknown, reply: FastifyReply) => {
    if (await databaseAnswers()) return reply.send({ status: "ok", database: "ok" });
    return reply.code(503).send({ status: "unavailable", database: "unavailable" });
  };
  app.get("/health", ready);
  app.get("/health/ready", ready);
  app.get("/health/live", async (_request, reply) => reply.send({ status: "ok" }));
  app.get("/status", async (_request, reply) => {
    const databaseOk = await databaseAnswers();
    return reply.code(databaseOk ? 200 : 503).view("status.njk", { pageTitle: "Service status", databaseOk });
  });
}
