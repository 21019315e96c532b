import { and, asc, count, desc, eq, gt, gte, inArray, isNull, ne, sql } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import {
  apiTokens,
  councils,
  departments,
  invitations,
  oidcSignIns,
  people,
  roleMemberships,
  sessions,
  signInAttempts,
} from "../../db/schema/index.ts";
import { versionedUpdate } from "../../db/versioning.ts";

/**
 * Every read and write of people, their roles, invitations, sessions and sign-in attempts.
 * Services reach these tables only through this file.
 */

export type PersonRow = typeof people.$inferSelect;
export type MembershipRow = typeof roleMemberships.$inferSelect;

export interface MembershipWithPlace extends MembershipRow {
  departmentName: string | null;
}

export async function listCouncilChoices(db: Database) {
  return db.select({ id: councils.id, name: councils.name }).from(councils).orderBy(asc(councils.id));
}

export async function listDepartmentChoices(db: Database) {
  return db
    .select({ id: departments.id, councilId: departments.councilId, name: departments.name })
    .from(departments)
    .orderBy(asc(departments.councilId), asc(departments.name));
}

export async function listPeopleRows(db: Database, councilId?: number): Promise<PersonRow[]> {
  const query = db.select().from(people);
  return (councilId === undefined ? query : query.where(eq(people.councilId, councilId))).orderBy(
    asc(people.displayName),
    asc(people.id),
  );
}

export async function findPersonRow(db: Database, id: number): Promise<PersonRow | undefined> {
  const [row] = await db.select().from(people).where(eq(people.id, id));
  return row;
}

export async function findPeopleByEmail(db: Database, email: string): Promise<PersonRow[]> {
  return db.select().from(people).where(eq(people.email, email)).orderBy(asc(people.id));
}

export async function insertPerson(db: Database, values: typeof people.$inferInsert): Promise<PersonRow> {
  const [row] = await db.insert(people).values(values).returning();
  if (!row) throw new Error("person insert returned nothing");
  return row;
}

export const updatePersonIfVersion = versionedUpdate(people);

export async function membershipsOf(db: Database, personIds: number[]): Promise<MembershipWithPlace[]> {
  if (personIds.length === 0) return [];
  const rows = await db
    .select({ membership: roleMemberships, departmentName: departments.name })
    .from(roleMemberships)
    .leftJoin(departments, eq(departments.id, roleMemberships.departmentId))
    .where(inArray(roleMemberships.personId, personIds))
    .orderBy(asc(roleMemberships.id));
  return rows.map((row) => ({ ...row.membership, departmentName: row.departmentName }));
}

export async function insertMembership(
  db: Database,
  values: typeof roleMemberships.$inferInsert,
): Promise<MembershipRow | undefined> {
  const [row] = await db.insert(roleMemberships).values(values).onConflictDoNothing().returning();
  return row;
}

export async function deleteMembership(db: Database, personId: number, membershipId: number) {
  const [row] = await db
    .delete(roleMemberships)
    .where(and(eq(roleMemberships.id, membershipId), eq(roleMemberships.personId, personId)))
    .returning();
  return row;
}

/** Active people holding the administrator role in a council, other than `exceptPersonId`. */
export async function countOtherActiveAdministrators(
  db: Database,
  councilId: number,
  exceptPersonId: number,
  exceptMembershipId?: number,
): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(roleMemberships)
    .innerJoin(people, eq(people.id, roleMemberships.personId))
    .where(
      and(
        eq(roleMemberships.councilId, councilId),
        eq(roleMemberships.role, "administrator"),
        eq(people.status, "active"),
        exceptMembershipId === undefined
          ? ne(people.id, exceptPersonId)
          : ne(roleMemberships.id, exceptMembershipId),
      ),
    );
  return Number(row?.n ?? 0);
}

export async function insertInvitation(db: Database, values: typeof invitations.$inferInsert) {
  const [row] = await db.insert(invitations).values(values).returning();
  if (!row) throw new Error("invitation insert returned nothing");
  return row;
}

export async function findInvitationByHash(db: Database, tokenHash: string) {
  const [row] = await db.select().from(invitations).where(eq(invitations.tokenHash, tokenHash));
  return row;
}

/** Marks an invitation used, only if it was not used already: false when another request was first. */
export async function markInvitationUsed(db: Database, id: number, at: Date): Promise<boolean> {
  const rows = await db
    .update(invitations)
    .set({ usedAt: at })
    .where(and(eq(invitations.id, id), isNull(invitations.usedAt)))
    .returning({ id: invitations.id });
  return rows.length === 1;
}

/** Ends the unused invitations of a person (a new one replaces them; deactivation ends them). */
export async function endInvitationsOf(db: Database, personId: number, at: Date): Promise<void> {
  await db
    .update(invitations)
    .set({ usedAt: at })
    .where(and(eq(invitations.personId, personId), isNull(invitations.usedAt)));
}

export async function insertSession(db: Database, values: typeof sessions.$inferInsert): Promise<void> {
  await db.insert(sessions).values(values);
}

/** A session not ended, joined to its person. */
export async function findLiveSession(db: Database, idHash: string) {
  const [row] = await db
    .select({ session: sessions, person: people })
    .from(sessions)
    .innerJoin(people, eq(people.id, sessions.personId))
    .where(and(eq(sessions.idHash, idHash), isNull(sessions.endedAt)));
  return row;
}

export async function touchSession(db: Database, idHash: string, at: Date): Promise<void> {
  await db.update(sessions).set({ lastSeenAt: at }).where(eq(sessions.idHash, idHash));
}

export async function endSession(db: Database, idHash: string, at: Date): Promise<void> {
  await db
    .update(sessions)
    .set({ endedAt: at })
    .where(and(eq(sessions.idHash, idHash), isNull(sessions.endedAt)));
}

export async function endSessionsOf(db: Database, personId: number, at: Date): Promise<number> {
  const rows = await db
    .update(sessions)
    .set({ endedAt: at })
    .where(and(eq(sessions.personId, personId), isNull(sessions.endedAt)))
    .returning({ idHash: sessions.idHash });
  return rows.length;
}

export async function countLiveSessions(db: Database, personId: number, now: Date): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(sessions)
    .where(and(eq(sessions.personId, personId), isNull(sessions.endedAt), gt(sessions.expiresAt, now)));
  return Number(row?.n ?? 0);
}

export async function insertSignInAttempt(db: Database, values: typeof signInAttempts.$inferInsert) {
  await db.insert(signInAttempts).values(values);
}

/** Failed attempts since `since` for an email or from an address, with the latest: what lock-out reads. */
export async function recentFailures(
  db: Database,
  by: "email" | "address",
  value: string,
  since: Date,
): Promise<{ failures: number; latest: Date | null }> {
  const column = by === "email" ? signInAttempts.email : signInAttempts.address;
  const lastSuccess = db
    .select({ at: sql`coalesce(max(${signInAttempts.occurredAt}), '-infinity'::timestamptz)` })
    .from(signInAttempts)
    .where(and(eq(column, value), eq(signInAttempts.succeeded, true), eq(signInAttempts.method, "password")));
  const [row] = await db
    .select({ failures: count(), latest: sql<string | Date | null>`max(${signInAttempts.occurredAt})` })
    .from(signInAttempts)
    .where(
      and(
        eq(column, value),
        eq(signInAttempts.succeeded, false),
        // Only password attempts lock out: the identity provider limits its own.
        eq(signInAttempts.method, "password"),
        gte(signInAttempts.occurredAt, since),
        // An account's count starts again after a success; an address's does not (a success with
        // one account must not clear the failures against others).
        by === "email" ? sql`${signInAttempts.occurredAt} > (${lastSuccess})` : undefined,
      ),
    );
  const latest = row?.latest ? new Date(row.latest) : null;
  return { failures: Number(row?.failures ?? 0), latest };
}

export type OidcSignInRow = typeof oidcSignIns.$inferSelect;

export async function insertOidcSignIn(db: Database, values: typeof oidcSignIns.$inferInsert): Promise<void> {
  await db.insert(oidcSignIns).values(values);
}

export async function findOidcSignIn(db: Database, stateHash: string): Promise<OidcSignInRow | undefined> {
  const [row] = await db.select().from(oidcSignIns).where(eq(oidcSignIns.stateHash, stateHash));
  return row;
}

/** Marks a sign-in begun as used, only if it was not already: false when another request was first. */
export async function markOidcSignInUsed(db: Database, stateHash: string, at: Date): Promise<boolean> {
  const rows = await db
    .update(oidcSignIns)
    .set({ usedAt: at })
    .where(and(eq(oidcSignIns.stateHash, stateHash), isNull(oidcSignIns.usedAt)))
    .returning({ stateHash: oidcSignIns.stateHash });
  return rows.length === 1;
}

/** Every attempt, newest last: what the OpenID Connect tests read back. */
export async function listSignInAttemptsFrom(db: Database, method: "password" | "oidc") {
  return db
    .select()
    .from(signInAttempts)
    .where(eq(signInAttempts.method, method))
    .orderBy(asc(signInAttempts.id));
}

export async function listSignInAttempts(db: Database, email: string) {
  return db
    .select()
    .from(signInAttempts)
    .where(eq(signInAttempts.email, email))
    .orderBy(asc(signInAttempts.id));
}

export type ApiTokenRow = typeof apiTokens.$inferSelect;

export async function insertApiToken(
  db: Database,
  values: typeof apiTokens.$inferInsert,
): Promise<ApiTokenRow> {
  const [row] = await db.insert(apiTokens).values(values).returning();
  if (!row) throw new Error("The API token was not inserted");
  return row;
}

/** A person's API tokens, newest first. */
export async function listApiTokensOf(db: Database, personId: number): Promise<ApiTokenRow[]> {
  return db.select().from(apiTokens).where(eq(apiTokens.personId, personId)).orderBy(desc(apiTokens.id));
}

export async function findApiTokenRow(db: Database, id: number): Promise<ApiTokenRow | undefined> {
  const [row] = await db.select().from(apiTokens).where(eq(apiTokens.id, id));
  return row;
}

/** A token by its hash, joined to its person (whatever the token's or person's state). */
export async function findApiTokenByHash(db: Database, tokenHash: string) {
  const [row] = await db
    .select({ token: apiTokens, person: people })
    .from(apiTokens)
    .innerJoin(people, eq(people.id, apiTokens.personId))
    .where(eq(apiTokens.tokenHash, tokenHash));
  return row;
}

/** Revokes a token not yet revoked; false when it already was (two revocations at once: one wins). */
export async function markApiTokenRevoked(db: Database, id: number, by: string, at: Date): Promise<boolean> {
  const rows = await db
    .update(apiTokens)
    .set({ revokedAt: at, revokedBy: by })
    .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)))
    .returning({ id: apiTokens.id });
  return rows.length === 1;
}

export async function touchApiToken(db: Database, id: number, at: Date): Promise<void> {
  await db.update(apiTokens).set({ lastUsedAt: at }).where(eq(apiTokens.id, id));
}
