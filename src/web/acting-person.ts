import type { FastifyInstance } from "fastify";

declare module "fastify" {
  interface FastifyRequest {
    /**
     * The person this request acts for: every write a route makes is recorded against it. Set
     * once per request by `setUpActingPerson`; routes read it from here, never from configuration.
     */
    actor: string;
  }
}

/**
 * Sets `request.actor` before any route runs. Until sign-in exists every request acts for the one
 * named user in configuration (BASEPLAN_ACTING_USER); sign-in will fill it from the session here,
 * and no route or service changes.
 */
export function setUpActingPerson(app: FastifyInstance, actingUser: () => string): void {
  app.decorateRequest("actor", "");
  app.addHook("onRequest", async (request) => {
    request.actor = actingUser();
  });
}
