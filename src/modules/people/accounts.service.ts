import type { Database } from "../../db/client.ts";
import { isRole, type Role } from "../../domain/roles.ts";
import { recordAuditEvent } from "../audit/audit.service.ts";
import { decoyHash, hashPassword, passwordProblem, verifyPassword } from "./passwords.ts";
import {
  countLiveSessions,
  endSession,
  endSessionsOf,
  findInvitationByHash,
  findLiveSession,
  findPeopleByEmail,
  findPersonRow,
  insertSession,
  insertSignInAttempt,
  markInvitationUsed,
  membershipsOf,
  recentFailures,
  touchSession,
  updatePersonIfVersion,
} from "./people.repository.ts";
import { newToken, normaliseEmail, tokenHash } from "./people.service.ts";

/**
 * Local accounts: setting a password from an invitation link, signing in and out, sessions and
 * lock-out. Sessions and attempts live in the database, so they survive a restart and are shared
 * by several processes.
 */

export interface SessionTimes {
  /** Minutes without a request after which a session ends. */
  idleMinutes: number;
  /** Hours after signing in at which a session ends whatever happens. */
  absoluteHours: number;
}

/** Lock-out: failures in a window, per account (the email given) and per address. */
export const LOCK_OUT = {
  windowMinutes: 15,
  perAccount: 5,
  perAddress: 20,
} as const;

/** A session's lastSeenAt is written at most this often, not on every request. */
const TOUCH_EVERY_MS = 60 * 1000;

export type InvitationState =
  | { ok: true; personId: number; email: string; displayName: string }
  | { ok: false; reason: "unknown" | "used" | "expired" | "deactivated" };

/** What an invitation link's token opens, or why it does not. */
export async function invitationState(
  db: Database,
  token: string,
  now = new Date(),
): Promise<InvitationState> {
  const invitation = await findInvitationByHash(db, tokenHash(token));
  if (!invitation) return { ok: false, reason: "unknown" };
  const person = await findPersonRow(db, invitation.personId);
  if (!person) return { ok: false, reason: "unknown" };
  if (person.status === "deactivated") return { ok: false, reason: "deactivated" };
  if (invitation.usedAt !== null) return { ok: false, reason: "used" };
  if (invitation.expiresAt.getTime() <= now.getTime()) return { ok: false, reason: "expired" };
  return { ok: true, personId: person.id, email: person.email, displayName: person.displayName };
}

export class PasswordRefused extends Error {}

/**
 * Sets a person's password from their invitation link and makes them active. The link works
 * once: a second use, even at the same moment, is refused. Returns the refusal, or null when set.
 */
export async function acceptInvitation(
  db: Database,
  token: string,
  password: string,
  now = new Date(),
): Promise<Exclude<InvitationState, { ok: true }> | { ok: true; personId: number }> {
  const state = await invitationState(db, token, now);
  if (!state.ok) return state;
  const problem = passwordProblem(password, state);
  if (problem) throw new PasswordRefused(problem);
  const hash = await hashPassword(password);
  return db.transaction(async (tx) => {
    const invitation = await findInvitationByHash(tx, tokenHash(token));
    if (!invitation || !(await markInvitationUsed(tx, invitation.id, now))) {
      return { ok: false as const, reason: "used" as const };
    }
    const person = await findPersonRow(tx, invitation.personId);
    if (!person || person.status === "deactivated")
      return { ok: false as const, reason: "deactivated" as const };
    await updatePersonIfVersion(tx, person.id, person.version, {
      passwordHash: hash,
      passwordSetAt: now,
      status: "active",
      updatedAt: now,
    });
    // A password set from a link ends any session signed in with the one before.
    await endSessionsOf(tx, person.id, now);
    await recordAuditEvent(tx, {
      actor: person.email,
      action: "update",
      entityType: "person",
      entityId: person.id,
      summary: `${person.displayName} set their password from an invitation link`,
      before: { status: person.status },
      after: { status: "active" },
    });
    return { ok: true as const, personId: person.id };
  });
}

export type SignInResult =
  | { ok: true; sessionId: string; personId: number }
  | { ok: false; reason: "wrong" | "account-locked" | "address-locked"; retryAfterMinutes?: number };

function lockedFor(latest: Date | null, now: Date): number {
  const until = (latest?.getTime() ?? now.getTime()) + LOCK_OUT.windowMinutes * 60 * 1000;
  return Math.max(1, Math.ceil((until - now.getTime()) / 60000));
}

/**
 * Signs a person in with their email and password. Every attempt is recorded. After
 * LOCK_OUT.perAccount failures for an email (or perAddress from one address) within the window,
 * further attempts are refused, even with the right password, until the window has passed since
 * the last failure. The answer never says whether the email belongs to anyone.
 */
export async function signIn(
  db: Database,
  input: { email: string; password: string; address: string },
  times: SessionTimes,
  now = new Date(),
): Promise<SignInResult> {
  const email = normaliseEmail(input.email).slice(0, 320);
  const since = new Date(now.getTime() - LOCK_OUT.windowMinutes * 60 * 1000);
  const [byAccount, byAddress] = await Promise.all([
    recentFailures(db, "email", email, since),
    recentFailures(db, "address", input.address, since),
  ]);
  const record = (succeeded: boolean, reason: string) =>
    insertSignInAttempt(db, { email, address: input.address, succeeded, reason, occurredAt: now });
  if (byAddress.failures >= LOCK_OUT.perAddress) {
    await record(false, "address locked");
    return { ok: false, reason: "address-locked", retryAfterMinutes: lockedFor(byAddress.latest, now) };
  }
  if (byAccount.failures >= LOCK_OUT.perAccount) {
    await record(false, "account locked");
    return { ok: false, reason: "account-locked", retryAfterMinutes: lockedFor(byAccount.latest, now) };
  }
  const candidates = (await findPeopleByEmail(db, email)).filter(
    (person) => person.status === "active" && person.passwordHash !== null,
  );
  let matched: number | null = null;
  if (candidates.length === 0) await verifyPassword(input.password, await decoyHash());
  for (const person of candidates) {
    if (matched === null && (await verifyPassword(input.password, person.passwordHash ?? "")))
      matched = person.id;
  }
  if (matched === null) {
    await record(false, candidates.length === 0 ? "no active account" : "wrong password");
    return { ok: false, reason: "wrong" };
  }
  await record(true, "signed in");
  const sessionId = await startSession(db, matched, input.address, times, now);
  return { ok: true, sessionId, personId: matched };
}

/** Starts a session for a person and returns its id (for the cookie; only its hash is stored). */
export async function startSession(
  db: Database,
  personId: number,
  address: string,
  times: SessionTimes,
  now = new Date(),
): Promise<string> {
  const sessionId = newToken();
  await insertSession(db, {
    idHash: tokenHash(sessionId),
    personId,
    createdAt: now,
    lastSeenAt: now,
    expiresAt: new Date(now.getTime() + times.absoluteHours * 60 * 60 * 1000),
    address,
  });
  return sessionId;
}

export interface SignedInPerson {
  id: number;
  councilId: number;
  email: string;
  displayName: string;
  roles: Role[];
  /** Each role with the department it is for (null: the whole council). */
  memberships: { role: Role; departmentId: number | null }[];
}

/**
 * The person a session id signs in, or null: unknown, signed out, idle too long, past its
 * absolute end, or its person deactivated. An idle or expired session is ended here.
 */
export async function sessionPerson(
  db: Database,
  sessionId: string,
  times: SessionTimes,
  now = new Date(),
): Promise<SignedInPerson | null> {
  const idHash = tokenHash(sessionId);
  const found = await findLiveSession(db, idHash);
  if (!found) return null;
  const { session, person } = found;
  const idleSince = now.getTime() - session.lastSeenAt.getTime();
  if (session.expiresAt.getTime() <= now.getTime() || idleSince > times.idleMinutes * 60 * 1000) {
    await endSession(db, idHash, now);
    return null;
  }
  if (person.status !== "active") return null;
  if (idleSince >= TOUCH_EVERY_MS) await touchSession(db, idHash, now);
  return withRoles(db, person);
}

/** A person as a request acts for them: who they are and the roles they hold, and where. */
export async function withRoles(
  db: Database,
  person: { id: number; councilId: number; email: string; displayName: string },
): Promise<SignedInPerson> {
  const memberships = (await membershipsOf(db, [person.id]))
    .filter((membership) => isRole(membership.role))
    .map((membership) => ({ role: membership.role as Role, departmentId: membership.departmentId }));
  return {
    id: person.id,
    councilId: person.councilId,
    email: person.email,
    displayName: person.displayName,
    roles: [...new Set(memberships.map((membership) => membership.role))],
    memberships,
  };
}

export async function signOut(db: Database, sessionId: string, now = new Date()): Promise<void> {
  await endSession(db, tokenHash(sessionId), now);
}

/** Ends every session of a person, on every device; returns how many were ended. */
export async function signOutEverywhere(db: Database, personId: number, now = new Date()): Promise<number> {
  return endSessionsOf(db, personId, now);
}

export async function liveSessionCount(db: Database, personId: number, now = new Date()): Promise<number> {
  return countLiveSessions(db, personId, now);
}
