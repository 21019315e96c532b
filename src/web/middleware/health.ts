import { sql } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import type { Database } from "../../db/client.ts";

/** For load balancers and monitoring: 200 when the database answers, 503 when it does not. */
export async function setUpHealthChecks(app: FastifyInstance, db: Database): Promise<void> {
  app.get("/health", async (_request, reply) => {
    try {
      await db.execute(sql`select 1`);
      return reply.send({ status: "ok", database: "ok" });
    } catch (error) {
      app.log.error({ err: error }, "health check: database did not answer");
      return reply.code(503).send({ status: "unavailable", database: "unavailable" });
    }
  });
}
