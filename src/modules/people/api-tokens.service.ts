import type { Database } from "../../db/client.ts";
import { NotFound, ValidationFailed } from "../../errors.ts";
import { recordAuditEvent } from "../audit/audit.service.ts";
import { type SignedInPerson, withRoles } from "./accounts.service.ts";
import {
  type ApiTokenRow,
  findApiTokenByHash,
  findApiTokenRow,
  findPersonRow,
  insertApiToken,
  listApiTokensOf,
  markApiTokenRevoked,
  touchApiToken,
} from "./people.repository.ts";
import { newToken, tokenHash } from "./people.service.ts";

/**
 * API tokens (docs/api.md): an administrator issues one per system that reads the JSON API, for
 * a person (usually one invited for that system) whose roles the token then acts with. The token
 * is shown once; only its SHA-256 is kept. It ends at its expiry, when revoked, or when its person
 * is deactivated. Issuing and revoking are recorded in the audit trail.
 */

/** Every token starts with this, so a leaked one is recognisable in logs and by secret scanners. */
export const API_TOKEN_PREFIX = "bpt_";
/** The longest a token may be issued for. */
export const API_TOKEN_MAX_DAYS = 366;
export const API_TOKEN_NAME_MAX = 120;
/** How often a token's "last used" time is written, at most: not on every request. */
const TOUCH_EVERY_MS = 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

export type ApiTokenState = "active" | "expired" | "revoked";

export interface ApiToken {
  id: number;
  personId: number;
  name: string;
  createdBy: string;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  revokedBy: string | null;
  lastUsedAt: Date | null;
  state: ApiTokenState;
}

function toApiToken(row: ApiTokenRow, now: Date): ApiToken {
  const state: ApiTokenState =
    row.revokedAt !== null ? "revoked" : row.expiresAt.getTime() <= now.getTime() ? "expired" : "active";
  return {
    id: row.id,
    personId: row.personId,
    name: row.name,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    revokedAt: row.revokedAt,
    revokedBy: row.revokedBy,
    lastUsedAt: row.lastUsedAt,
    state,
  };
}

export async function listApiTokens(db: Database, personId: number, now = new Date()): Promise<ApiToken[]> {
  return (await listApiTokensOf(db, personId)).map((row) => toApiToken(row, now));
}

export interface IssueApiTokenInput {
  personId: number;
  /** What the token is for: the system that will use it. */
  name: string;
  /** Days until it expires, 1 to API_TOKEN_MAX_DAYS. */
  days: number;
}

export interface IssuedApiToken {
  token: string;
  apiToken: ApiToken;
}

/** Issues a token for a person who is not deactivated; the token itself is returned once. */
export async function issueApiToken(
  db: Database,
  actor: string,
  input: IssueApiTokenInput,
  now = new Date(),
): Promise<IssuedApiToken> {
  const name = input.name.trim();
  const errors = [];
  if (name === "")
    errors.push({
      field: "tokenName",
      message: "Enter what the token is for, such as the system that will use it",
    });
  else if (name.length > API_TOKEN_NAME_MAX) {
    errors.push({
      field: "tokenName",
      message: `The name must be ${API_TOKEN_NAME_MAX} characters or fewer`,
    });
  }
  if (!Number.isInteger(input.days) || input.days < 1 || input.days > API_TOKEN_MAX_DAYS) {
    errors.push({
      field: "tokenDays",
      message: `Days until it expires must be a whole number from 1 to ${API_TOKEN_MAX_DAYS}`,
    });
  }
  if (errors.length > 0) throw new ValidationFailed(errors);
  return db.transaction(async (tx) => {
    const person = await findPersonRow(tx, input.personId);
    if (!person) throw new NotFound("That person");
    if (person.status === "deactivated") {
      throw new ValidationFailed([
        {
          field: "tokenName",
          message: `${person.displayName} is deactivated: a token cannot be issued for them`,
        },
      ]);
    }
    const token = `${API_TOKEN_PREFIX}${newToken()}`;
    const row = await insertApiToken(tx, {
      personId: person.id,
      name,
      tokenHash: tokenHash(token),
      createdBy: actor,
      createdAt: now,
      expiresAt: new Date(now.getTime() + input.days * DAY_MS),
    });
    await recordAuditEvent(tx, {
      actor,
      action: "create",
      entityType: "api-token",
      entityId: row.id,
      summary: `Issued the API token "${name}" for ${person.displayName} (${person.email}), to expire ${row.expiresAt.toISOString().slice(0, 10)}`,
      after: { name, person: person.email, expiresAt: row.expiresAt.toISOString() },
      record: { kind: "person", id: person.id },
    });
    return { token, apiToken: toApiToken(row, now) };
  });
}

/** Revokes one of a person's tokens; a token already revoked is left as it is (false). */
export async function revokeApiToken(
  db: Database,
  actor: string,
  input: { personId: number; tokenId: number },
  now = new Date(),
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const row = await findApiTokenRow(tx, input.tokenId);
    if (!row || row.personId !== input.personId) throw new NotFound("That API token");
    if (!(await markApiTokenRevoked(tx, row.id, actor, now))) return false;
    const person = await findPersonRow(tx, row.personId);
    await recordAuditEvent(tx, {
      actor,
      action: "update",
      entityType: "api-token",
      entityId: row.id,
      summary: `Revoked the API token "${row.name}" of ${person?.displayName ?? "a person"}`,
      before: { revoked: false },
      after: { revoked: true },
      record: { kind: "person", id: row.personId },
    });
    return true;
  });
}

/**
 * The person a bearer token acts for, with their roles, or null: not a Baseplan token, unknown,
 * revoked, expired, or its person deactivated.
 */
export async function apiTokenPerson(
  db: Database,
  token: string,
  now = new Date(),
): Promise<(SignedInPerson & { tokenId: number }) | null> {
  if (!token.startsWith(API_TOKEN_PREFIX)) return null;
  const found = await findApiTokenByHash(db, tokenHash(token));
  if (!found) return null;
  const { token: row, person } = found;
  if (row.revokedAt !== null || row.expiresAt.getTime() <= now.getTime()) return null;
  if (person.status === "deactivated") return null;
  if (row.lastUsedAt === null || now.getTime() - row.lastUsedAt.getTime() >= TOUCH_EVERY_MS) {
    await touchApiToken(db, row.id, now);
  }
  return { ...(await withRoles(db, person)), tokenId: row.id };
}
