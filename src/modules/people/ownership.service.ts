import type { Database } from "../../db/client.ts";
import { nameKey, OWNED_KIND_WORDS, type OwnedKind, ownsByName } from "../../domain/ownership.ts";
import { ENTRY_WRITERS, isRole, type Role, rolesInWords } from "../../domain/roles.ts";
import { NotTheOwner } from "../../errors.ts";

export { NotTheOwner };

import { listOwnerNames, ownerNamesOf } from "./ownership.repository.ts";
import { findPeopleByEmail, membershipsOf } from "./people.repository.ts";

/**
 * Owners limited to what they own. Every service that records progress, a measure's value, a
 * forecast or a risk's assessment calls `requireOwnerOf` inside its transaction, so the rule holds
 * however the service is reached, not only through the routes.
 */

/** An owner updating their risk may not hand it to someone else: who owns what is an officer's choice. */
export function refuseOwnerChange(kind: OwnedKind, before: string | null, after: string | null): void {
  if (nameKey(before ?? "") === nameKey(after ?? "")) return;
  throw new NotTheOwner(
    `Only a ${rolesInWords(ENTRY_WRITERS[kind])} may change who owns this ${OWNED_KIND_WORDS[kind].record}. Nothing was saved.`,
  );
}

/** The active person an actor (a signed-in person's email) is, with their roles; undefined for anyone else. */
export async function actingPerson(
  db: Database,
  actor: string,
): Promise<{ id: number; councilId: number; displayName: string; roles: Role[] } | undefined> {
  const person = (await findPeopleByEmail(db, actor)).find((row) => row.status === "active");
  if (!person) return undefined;
  const roles = (await membershipsOf(db, [person.id])).map((membership) => membership.role).filter(isRole);
  return {
    id: person.id,
    councilId: person.councilId,
    displayName: person.displayName,
    roles: [...new Set(roles)],
  };
}

/**
 * Refuses a write to a record unless the acting person may make it: they hold a role that writes
 * that kind of record (a performance or finance officer, an administrator), or they are its owner
 * by name. An actor who is not a person of Baseplan (the configured demo user, the command line)
 * is not limited here: the routes' role rule covers them.
 */
export async function requireOwnerOf(
  db: Database,
  actor: string,
  kind: OwnedKind,
  id: number,
): Promise<"not-a-person" | "writer" | "owner"> {
  const person = await actingPerson(db, actor);
  if (!person) return "not-a-person";
  const writers = ENTRY_WRITERS[kind];
  if (person.roles.some((role) => writers.includes(role))) return "writer";
  const words = OWNED_KIND_WORDS[kind];
  const owned = await ownerNamesOf(db, kind, id);
  if (person.roles.includes("owner") && owned && ownsByName(person.displayName, owned.names)) return "owner";
  const reason = !person.roles.includes("owner")
    ? `You do not hold a role that may ${words.entry}.`
    : kind === "budget-line"
      ? "Budget lines do not record a budget holder, so no owner may enter their forecasts."
      : `You are not ${words.owner} of this ${words.record}${owned && owned.names.length > 0 ? ` (it names ${[...new Set(owned.names.filter((name) => name.trim() !== ""))].join(", ")})` : ""}.`;
  throw new NotTheOwner(
    `${reason} Only its owner, or a ${rolesInWords(writers)}, may ${words.entry}. Nothing was saved.`,
  );
}

/** Every deliverable's or measure's owner names by id, for the update round's lists. */
export async function ownerNamesByRecord(db: Database, kind: "deliverable" | "measure") {
  return listOwnerNames(db, kind);
}
