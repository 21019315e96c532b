/**
 * Who owns what, for the update round: a deliverable's lead officers, a measure's owner and a
 * risk's owner are names the council typed. A person owns a record when their display name is
 * one of those names (ignoring case and spacing), so an administrator makes someone the owner by
 * typing their name where the plan or the measure names its owner (decision 0013).
 */

export const OWNED_KINDS = ["deliverable", "measure", "risk", "budget-line"] as const;

export type OwnedKind = (typeof OWNED_KINDS)[number];

export const OWNED_KIND_WORDS: Readonly<Record<OwnedKind, { record: string; owner: string; entry: string }>> =
  {
    deliverable: { record: "deliverable", owner: "a lead officer", entry: "record its progress" },
    measure: { record: "measure", owner: "its owner", entry: "record its values" },
    risk: { record: "risk", owner: "its owner", entry: "update it" },
    "budget-line": { record: "budget line", owner: "its budget holder", entry: "enter its forecasts" },
  };

/** A name as it is compared: lower case, spaces collapsed, trimmed. */
export function nameKey(name: string): string {
  return name.normalize("NFKC").replace(/\s+/g, " ").trim().toLowerCase();
}

/** Whether `displayName` is one of `ownerNames` (none of them blank). */
export function ownsByName(displayName: string, ownerNames: readonly (string | null)[]): boolean {
  const key = nameKey(displayName);
  if (key === "") return false;
  return ownerNames.some((name) => name !== null && nameKey(name) === key);
}
