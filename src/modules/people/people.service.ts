import { createHash, randomBytes } from "node:crypto";
import type { Database } from "../../db/client.ts";
import { isRole, ROLE_WORDS, type Role } from "../../domain/roles.ts";
import { Conflict, NotFound, ValidationFailed } from "../../errors.ts";
import { recordAuditEvent } from "../audit/audit.service.ts";
import {
  countOtherActiveAdministrators,
  deleteMembership,
  endInvitationsOf,
  endSessionsOf,
  findPeopleByEmail,
  findPersonRow,
  insertInvitation,
  insertMembership,
  insertPerson,
  listCouncilChoices,
  listDepartmentChoices,
  listPeopleRows,
  type MembershipWithPlace,
  membershipsOf,
  type PersonRow,
  updatePersonIfVersion,
} from "./people.repository.ts";

/**
 * People and their roles: administrators invite people, give and take away roles and deactivate
 * people. Nobody is deleted: the audit trail names them. Every change checks the version the
 * administrator saw and is recorded in the audit trail in the same transaction.
 */

export interface Person {
  id: number;
  councilId: number;
  email: string;
  displayName: string;
  status: PersonRow["status"];
  passwordSet: boolean;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  memberships: Membership[];
}

export interface Membership {
  id: number;
  role: Role;
  roleName: string;
  departmentId: number | null;
  /** "Whole council" or the department's name. */
  place: string;
}

const STATUS_WORDS: Readonly<Record<PersonRow["status"], string>> = {
  invited: "Invited",
  active: "Active",
  deactivated: "Deactivated",
};

export function statusWords(status: PersonRow["status"]): string {
  return STATUS_WORDS[status];
}

function toMembership(row: MembershipWithPlace): Membership {
  const role = isRole(row.role) ? row.role : "viewer";
  return {
    id: row.id,
    role,
    roleName: ROLE_WORDS[role].name,
    departmentId: row.departmentId,
    place: row.departmentName ?? "Whole council",
  };
}

function toPerson(row: PersonRow, memberships: MembershipWithPlace[]): Person {
  return {
    id: row.id,
    councilId: row.councilId,
    email: row.email,
    displayName: row.displayName,
    status: row.status,
    passwordSet: row.passwordHash !== null,
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    memberships: memberships.filter((membership) => membership.personId === row.id).map(toMembership),
  };
}

export async function listPeople(db: Database, councilId?: number): Promise<Person[]> {
  const rows = await listPeopleRows(db, councilId);
  const memberships = await membershipsOf(
    db,
    rows.map((row) => row.id),
  );
  return rows.map((row) => toPerson(row, memberships));
}

export async function findPerson(db: Database, id: number): Promise<Person | undefined> {
  const row = await findPersonRow(db, id);
  return row ? toPerson(row, await membershipsOf(db, [row.id])) : undefined;
}

/**
 * The name a person is shown by, for the email address Baseplan records their actions under; the
 * address itself where no person has it (a configured user, or someone since removed).
 */
export async function displayNameOf(db: Database, email: string): Promise<string> {
  const [person] = await findPeopleByEmail(db, email);
  return person?.displayName || email;
}

/** The councils and departments a role may be given for, for the forms. */
export async function rolePlaces(db: Database) {
  const [councils, departments] = await Promise.all([listCouncilChoices(db), listDepartmentChoices(db)]);
  return { councils, departments };
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** The SHA-256 of a link's or session's random token: all the database keeps of it. */
export function tokenHash(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export function newToken(): string {
  return randomBytes(32).toString("base64url");
}

export interface InviteInput {
  councilId: number;
  email: string;
  displayName: string;
  role: Role;
  departmentId: number | null;
}

export interface Invited {
  person: Person;
  /** The invitation link's token: shown once to the administrator, never stored. */
  token: string;
  expiresAt: Date;
}

async function checkPlace(db: Database, councilId: number, departmentId: number | null): Promise<void> {
  const { councils, departments } = await rolePlaces(db);
  if (!councils.some((council) => council.id === councilId)) {
    throw new ValidationFailed([{ field: "councilId", message: "Select the council the person works for" }]);
  }
  if (
    departmentId !== null &&
    !departments.some((department) => department.id === departmentId && department.councilId === councilId)
  ) {
    throw new ValidationFailed([
      { field: "departmentId", message: "Select a department of the person's council, or the whole council" },
    ]);
  }
}

/** Invites a person: they are listed as invited, with one role, until they set a password. */
export async function invitePerson(
  db: Database,
  actor: string,
  input: InviteInput,
  options: { invitationDays: number; now?: Date },
): Promise<Invited> {
  const now = options.now ?? new Date();
  const email = normaliseEmail(input.email);
  await checkPlace(db, input.councilId, input.departmentId);
  return db.transaction(async (tx) => {
    const existing = (await findPeopleByEmail(tx, email)).find((row) => row.councilId === input.councilId);
    if (existing) {
      throw new ValidationFailed([
        {
          field: "email",
          message: `${email} is already on the list of people (${STATUS_WORDS[existing.status].toLowerCase()}): change their roles on their page instead`,
        },
      ]);
    }
    const row = await insertPerson(tx, {
      councilId: input.councilId,
      email,
      displayName: input.displayName.trim(),
      status: "invited",
      createdBy: actor,
      createdAt: now,
      updatedAt: now,
    });
    await insertMembership(tx, {
      personId: row.id,
      councilId: input.councilId,
      departmentId: input.departmentId,
      role: input.role,
      createdBy: actor,
      createdAt: now,
    });
    const { token, expiresAt } = await issueInvitation(tx, actor, row.id, now, options.invitationDays);
    const person = toPerson(row, await membershipsOf(tx, [row.id]));
    await recordAuditEvent(tx, {
      actor,
      action: "create",
      entityType: "person",
      entityId: row.id,
      summary: `Invited ${person.displayName} (${email}) as ${ROLE_WORDS[input.role].name}`,
      after: describe(person),
    });
    return { person, token, expiresAt };
  });
}

async function issueInvitation(tx: Database, actor: string, personId: number, now: Date, days: number) {
  await endInvitationsOf(tx, personId, now);
  const token = newToken();
  const expiresAt = new Date(now.getTime() + days * 24 * 60 * 60 * 1000);
  await insertInvitation(tx, {
    personId,
    tokenHash: tokenHash(token),
    createdBy: actor,
    createdAt: now,
    expiresAt,
  });
  return { token, expiresAt };
}

/** What the audit trail keeps of a person: no password hash. */
function describe(person: Person) {
  return {
    email: person.email,
    displayName: person.displayName,
    status: person.status,
    roles: person.memberships.map((membership) => `${membership.roleName} (${membership.place})`),
  };
}

/** Loads a person for a change and checks the version the administrator saw. */
async function forChange(tx: Database, personId: number, version: number, returnUrl: string) {
  const row = await findPersonRow(tx, personId);
  if (!row) throw new NotFound("That person");
  const person = toPerson(row, await membershipsOf(tx, [row.id]));
  if (person.version !== version) {
    throw new Conflict(
      person.displayName,
      [
        { label: "Status", saved: STATUS_WORDS[person.status], submitted: "" },
        {
          label: "Roles",
          saved: person.memberships.map((m) => `${m.roleName} (${m.place})`).join(", ") || "None",
          submitted: "",
        },
      ],
      returnUrl,
    );
  }
  return person;
}

async function bumpVersion(tx: Database, person: Person, values: Partial<PersonRow>, now: Date) {
  const updated = await updatePersonIfVersion(tx, person.id, person.version, { ...values, updatedAt: now });
  if (!updated) throw new Conflict(person.displayName, [], `/people/${person.id}`);
  return updated;
}

export async function addRole(
  db: Database,
  actor: string,
  input: { personId: number; version: number; role: Role; departmentId: number | null },
  now = new Date(),
): Promise<Person> {
  return db.transaction(async (tx) => {
    const before = await forChange(tx, input.personId, input.version, `/people/${input.personId}`);
    await checkPlace(tx, before.councilId, input.departmentId);
    if (before.status === "deactivated") {
      throw new ValidationFailed([
        { field: "role", message: `${before.displayName} is deactivated: roles cannot be given to them` },
      ]);
    }
    const added = await insertMembership(tx, {
      personId: before.id,
      councilId: before.councilId,
      departmentId: input.departmentId,
      role: input.role,
      createdBy: actor,
      createdAt: now,
    });
    if (!added) {
      throw new ValidationFailed([
        { field: "role", message: `${before.displayName} already has that role there` },
      ]);
    }
    await bumpVersion(tx, before, {}, now);
    const after = (await findPerson(tx, before.id)) as Person;
    const place = after.memberships.find((membership) => membership.id === added.id)?.place;
    await recordAuditEvent(tx, {
      actor,
      action: "update",
      entityType: "person",
      entityId: before.id,
      summary: `Gave ${before.displayName} the role ${ROLE_WORDS[input.role].name} (${place})`,
      before: describe(before),
      after: describe(after),
    });
    return after;
  });
}

/** The last active administrator of a council cannot lose the role or be deactivated. */
async function keepOneAdministrator(
  tx: Database,
  person: Person,
  what: string,
  membershipId?: number,
): Promise<void> {
  const isAdministrator = person.memberships.some(
    (membership) =>
      membership.role === "administrator" && (membershipId === undefined || membership.id === membershipId),
  );
  if (!isAdministrator || person.status !== "active") return;
  const others = await countOtherActiveAdministrators(tx, person.councilId, person.id, membershipId);
  if (others === 0) {
    throw new ValidationFailed([
      {
        field: "form",
        message: `${person.displayName} is the council's only active administrator: give someone else the Administrator role before you ${what}`,
      },
    ]);
  }
}

export async function removeRole(
  db: Database,
  actor: string,
  input: { personId: number; version: number; membershipId: number },
  now = new Date(),
): Promise<Person> {
  return db.transaction(async (tx) => {
    const before = await forChange(tx, input.personId, input.version, `/people/${input.personId}`);
    const membership = before.memberships.find((m) => m.id === input.membershipId);
    if (!membership) throw new NotFound("That role");
    await keepOneAdministrator(tx, before, "take it away", membership.id);
    await deleteMembership(tx, before.id, membership.id);
    await bumpVersion(tx, before, {}, now);
    const after = (await findPerson(tx, before.id)) as Person;
    await recordAuditEvent(tx, {
      actor,
      action: "update",
      entityType: "person",
      entityId: before.id,
      summary: `Took away ${before.displayName}'s role ${membership.roleName} (${membership.place})`,
      before: describe(before),
      after: describe(after),
    });
    return after;
  });
}

/** Deactivates a person: they cannot sign in, their sessions and links end; their history stays. */
export async function deactivatePerson(
  db: Database,
  actor: string,
  input: { personId: number; version: number },
  now = new Date(),
): Promise<Person> {
  return db.transaction(async (tx) => {
    const before = await forChange(tx, input.personId, input.version, `/people/${input.personId}`);
    if (before.status === "deactivated") return before;
    await keepOneAdministrator(tx, before, "deactivate them");
    await bumpVersion(tx, before, { status: "deactivated" }, now);
    await endSessionsOf(tx, before.id, now);
    await endInvitationsOf(tx, before.id, now);
    const after = (await findPerson(tx, before.id)) as Person;
    await recordAuditEvent(tx, {
      actor,
      action: "update",
      entityType: "person",
      entityId: before.id,
      summary: `Deactivated ${before.displayName}`,
      before: describe(before),
      after: describe(after),
    });
    return after;
  });
}

/** A new invitation link for a person who has not yet set a password (the old link stops working). */
export async function reinvitePerson(
  db: Database,
  actor: string,
  input: { personId: number; version: number },
  options: { invitationDays: number; now?: Date },
): Promise<Invited> {
  const now = options.now ?? new Date();
  return db.transaction(async (tx) => {
    const before = await forChange(tx, input.personId, input.version, `/people/${input.personId}`);
    if (before.status !== "invited") {
      throw new ValidationFailed([
        {
          field: "form",
          message: `${before.displayName} is ${STATUS_WORDS[before.status].toLowerCase()}: only an invited person is sent a new link`,
        },
      ]);
    }
    const { token, expiresAt } = await issueInvitation(tx, actor, before.id, now, options.invitationDays);
    await bumpVersion(tx, before, {}, now);
    const after = (await findPerson(tx, before.id)) as Person;
    await recordAuditEvent(tx, {
      actor,
      action: "update",
      entityType: "person",
      entityId: before.id,
      summary: `Made a new invitation link for ${before.displayName}; the earlier one no longer works`,
      before: describe(before),
      after: describe(after),
    });
    return { person: after, token, expiresAt };
  });
}
