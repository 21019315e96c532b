import cookie from "@fastify/cookie";
import type { Config } from "../../src/config.ts";
import type { Database } from "../../src/db/client.ts";
import type { Role } from "../../src/domain/roles.ts";
import { acceptInvitation, startSession } from "../../src/modules/people/accounts.service.ts";
import { addRole, invitePerson } from "../../src/modules/people/people.service.ts";
import { SESSION_COOKIE } from "../../src/web/acting-person.ts";
import { unique } from "./builders.ts";
import { TEST_ACTOR } from "./database.ts";

export const TEST_PASSWORD = "correct horse battery staple 42";

/**
 * Settings (as environment variables give them) for an app in which people sign in, as in
 * production: for route tests that act as built people (buildPerson, sessionCookieFor).
 */
export const SIGN_IN_SETTINGS = {
  NODE_ENV: "production",
  BASEPLAN_COOKIE_SECRET: "a-cookie-secret-for-signed-in-route-tests",
  BASEPLAN_SESSION_SECRET: "a-session-secret-for-signed-in-route-tests",
};

export interface BuiltPerson {
  id: number;
  email: string;
  version: number;
}

/**
 * An active person of a council with the roles given (for the whole council unless a department
 * is given), who has set TEST_PASSWORD from their invitation link, all through the services.
 */
export async function buildPerson(
  db: Database,
  spec: { councilId: number; roles: Role[]; departmentId?: number | null; email?: string; name?: string },
): Promise<BuiltPerson> {
  if (spec.roles.length === 0) throw new Error("buildPerson needs at least one role");
  const email = spec.email ?? `${unique("person")}@anytown.example`;
  const [first = "viewer", ...rest] = spec.roles;
  const invited = await invitePerson(
    db,
    TEST_ACTOR,
    {
      councilId: spec.councilId,
      email,
      displayName: spec.name ?? "Pat Example",
      role: first,
      departmentId: spec.departmentId ?? null,
    },
    { invitationDays: 7 },
  );
  let version = invited.person.version;
  for (const role of rest) {
    version = (
      await addRole(db, TEST_ACTOR, {
        personId: invited.person.id,
        version,
        role,
        departmentId: spec.departmentId ?? null,
      })
    ).version;
  }
  await acceptInvitation(db, invited.token, TEST_PASSWORD);
  return { id: invited.person.id, email, version: version + 1 };
}

/** A Cookie header signing a request in with a new session for the person. */
export async function sessionCookieFor(db: Database, config: Config, personId: number): Promise<string> {
  const sessionId = await startSession(db, personId, "127.0.0.1", {
    idleMinutes: config.sessionIdleMinutes,
    absoluteHours: config.sessionHours,
  });
  return `${SESSION_COOKIE}=${new cookie.Signer(config.sessionSecret).sign(sessionId)}`;
}
