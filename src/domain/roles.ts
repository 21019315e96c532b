/**
 * Who may do what: the roles a person holds in a council (for the whole council or for one
 * department) and the one rule that says which roles each request needs. The web layer applies
 * the rule to every request before any route runs (src/web/access.ts), so a new route is covered
 * by it without being listed anywhere.
 */

import type { OwnedKind } from "./ownership.ts";

export const ROLES = [
  "administrator",
  "performance-officer",
  "finance-officer",
  "owner",
  "approver",
  "viewer",
] as const;

export type Role = (typeof ROLES)[number];

export const ROLE_WORDS: Readonly<Record<Role, { name: string; description: string }>> = {
  administrator: {
    name: "Administrator",
    description: "Invites people, changes their roles, changes settings, and can do everything else",
  },
  "performance-officer": {
    name: "Performance officer",
    description: "Enters and imports measures, plan progress and risks, and runs the monitoring periods",
  },
  "finance-officer": {
    name: "Finance officer",
    description: "Enters budgets, forecasts, savings and the procurement pipeline",
  },
  owner: {
    name: "Owner",
    description: "Leads a deliverable, owns a measure, holds a budget or owns a risk",
  },
  approver: { name: "Approver", description: "A director or cabinet member who signs off a period" },
  viewer: { name: "Viewer", description: "Reads every page and document" },
};

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** A role list in words, "Finance officer or Administrator". */
export function rolesInWords(roles: readonly Role[]): string {
  const names = roles.map((role) => ROLE_WORDS[role].name);
  if (names.length <= 1) return names[0] ?? "";
  return `${names.slice(0, -1).join(", ")} or ${names.at(-1)}`;
}

/**
 * What a request needs:
 * - "public": anyone, signed in or not (signing in, setting a password, health, static files,
 *   the JSON API's description: it describes the shape of the data, and holds none; and reading
 *   the public pages under /public, which show only what the council has published);
 * - "signed-in": any signed-in person, whatever their roles (their own account, signing out);
 * - a list of roles: a person holding at least one of them.
 */
export type Requirement = "public" | "signed-in" | readonly Role[];

const PUBLIC_PATHS =
  /^\/(sign-in|sign-in\/oidc|sign-in\/oidc\/callback|invitation\/[^/]+|health|health\/[^/]+|status|api\/docs|api\/v1\/openapi\.json)$/;
const FILES = /^\/(static|govuk|moj|assets)\//;
/** The public pages (src/modules/public): read by anyone; nothing there takes a form. */
const PUBLIC_PAGES = /^\/public(\/[^?#]*)?$/;
const READ_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Any role reads: viewer and up. */
const READERS: readonly Role[] = ROLES;
const ADMINISTRATORS: readonly Role[] = ["administrator"];
const FINANCE: readonly Role[] = ["finance-officer", "administrator"];
const PERFORMANCE: readonly Role[] = ["performance-officer", "administrator"];

/** Pages that change how Baseplan itself works, not a figure: administrators only. */
const SETTINGS_SEGMENTS = new Set(["settings", "thresholds", "reporting-floor"]);

/**
 * Writes by the first segment of the address. Anything not listed (a new kind of page) needs
 * an administrator until someone decides otherwise: safe by default.
 */
const WRITERS_BY_AREA: Readonly<Record<string, readonly Role[]>> = {
  people: ADMINISTRATORS,
  budget: FINANCE,
  procurement: FINANCE,
  measures: PERFORMANCE,
  plan: PERFORMANCE,
  periods: PERFORMANCE,
  risks: PERFORMANCE,
  benchmarks: PERFORMANCE,
};

/**
 * The entry forms an owner may also send: a deliverable's progress, a measure's value, a budget
 * line's forecast and a risk's assessment, by the kind of record each writes. The route lets an
 * owner through; the service then refuses them unless they own that record (src/modules/people/
 * ownership.service.ts), so an owner can write only what they own.
 */
const OWNER_ENTRY: readonly [RegExp, OwnedKind][] = [
  [/^\/plan\/deliverables\/[^/]+\/progress$/, "deliverable"],
  [/^\/measures\/[^/]+\/values\/new$/, "measure"],
  [/^\/budget\/lines\/[^/]+\/forecasts\/[^/]+\/(new|edit)$/, "budget-line"],
  [/^\/risks\/[^/]+$/, "risk"],
];

/**
 * The update round (src/modules/round): an owner submits what they own (the service checks they
 * own it); a performance officer, an approver or an administrator returns or approves it.
 */
const ROUND_ACTION = /^\/periods\/[^/]+\/[^/]+\/round\/[^/]+\/[^/]+\/(submit|return|approve)$/;
export const REVIEWING_ROLES: readonly Role[] = ["performance-officer", "approver", "administrator"];
const REVIEWERS = REVIEWING_ROLES;

/**
 * Signing off a period, which locks it: an approver (or an administrator); unlocking it again, with
 * a reason: an administrator only (src/modules/periods/periods.service.ts checks the same).
 */
const SIGN_OFF = /^\/periods\/[^/]+\/[^/]+\/sign-off$/;
const UNLOCK = /^\/periods\/[^/]+\/[^/]+\/unlock$/;
/** Reopening a closed period for entry, with a reason: an administrator only (decision 0039). */
const REOPEN = /^\/periods\/[^/]+\/[^/]+\/reopen$/;
export const REOPENING_ROLES: readonly Role[] = ADMINISTRATORS;
export const SIGNING_OFF_ROLES: readonly Role[] = ["approver", "administrator"];
export const UNLOCKING_ROLES: readonly Role[] = ADMINISTRATORS;

/** Who may write each kind of owned record whether or not they own it. */
export const ENTRY_WRITERS: Readonly<Record<OwnedKind, readonly Role[]>> = {
  deliverable: PERFORMANCE,
  measure: PERFORMANCE,
  risk: PERFORMANCE,
  "budget-line": FINANCE,
};

/** Where a person chooses one reminder email per item or one daily digest (src/modules/round). */
const MY_REMINDERS = "/my-updates/reminders";

/** The roles a request needs, from its method and path (no query string). */
export function requirementFor(method: string, path: string): Requirement {
  if (FILES.test(path) || PUBLIC_PATHS.test(path)) return "public";
  if (PUBLIC_PAGES.test(path) && READ_METHODS.has(method.toUpperCase())) return "public";
  // A person's own choices: signing out, their account, how the round's reminders reach them.
  if (path === "/sign-out" || path === "/account" || path === MY_REMINDERS) return "signed-in";
  const segments = path.split("/").filter((segment) => segment !== "");
  // Who has which role is for administrators only, to read as well as to change.
  if (segments[0] === "people") return ADMINISTRATORS;
  if (READ_METHODS.has(method.toUpperCase())) return READERS;
  if (segments.some((segment) => SETTINGS_SEGMENTS.has(segment))) return ADMINISTRATORS;
  if (SIGN_OFF.test(path)) return SIGNING_OFF_ROLES;
  if (UNLOCK.test(path)) return UNLOCKING_ROLES;
  if (REOPEN.test(path)) return REOPENING_ROLES;
  if (ROUND_ACTION.test(path)) return path.endsWith("/submit") ? [...PERFORMANCE, "owner"] : REVIEWERS;
  const entry = OWNER_ENTRY.find(([pattern]) => pattern.test(path));
  if (entry) return [...ENTRY_WRITERS[entry[1]], "owner"];
  return WRITERS_BY_AREA[segments[0] ?? ""] ?? ADMINISTRATORS;
}

/** Whether someone holding `held` meets `requirement` (signed in: the caller has checked that). */
export function meets(requirement: Requirement, held: readonly Role[]): boolean {
  if (requirement === "public" || requirement === "signed-in") return true;
  return requirement.some((role) => held.includes(role));
}
