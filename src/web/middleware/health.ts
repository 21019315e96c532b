import { sql } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import type { Database } from "../../db/client.ts";

/**
 * For load balancers and monitoring, `/health`: 200 when the database answers, 503 when it does
 * not. For people, `/status`: the same check as a page (the footer's "Service status").
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
  app.get("/health", async (_request, reply) => {
    if (await databaseAnswers()) return reply.send({ status: "ok", database: "ok" });
    return reply.code(503).send({ status: "unavailable", database: "unavailable" });
  });
  app.get("/status", async (_request, reply) => {
    const databaseOk = await databaseAnswers();
    return reply.code(databaseOk ? 200 : 503).view("status.njk", { pageTitle: "Service status", databaseOk });
  });
}
