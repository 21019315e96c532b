import type { Role } from "./domain/roles.ts";

/**
 * Errors a service raises for a person to act on. Each has a code; the web layer maps them to
 * GOV.UK error pages and statuses in one place (src/web/error-handler.ts).
 */
export abstract class BaseplanError extends Error {
  abstract readonly code:
    | "not-found"
    | "forbidden"
    | "conflict"
    | "validation-failed"
    | "bad-request"
    | "unavailable";
}

export class NotFound extends BaseplanError {
  readonly code = "not-found";
  constructor(what: string) {
    super(`${what} could not be found.`);
  }
}

/** Signed in, but without any of the roles an action needs: 403, a page naming them. */
export class RoleRequired extends BaseplanError {
  readonly code = "forbidden";
  constructor(
    readonly roles: readonly Role[],
    readonly hasNoRole: boolean,
  ) {
    super("You do not have a role that may do this.");
  }
}

/**
 * Signed in with a role that may write this kind of record, but not this record: an owner writing
 * to what they do not own (src/modules/people/ownership.service.ts). 403, a page saying why.
 */
export class NotTheOwner extends BaseplanError {
  readonly code = "forbidden";
}

/** A form sent by nobody signed in (where sign-in is required): 401, a page linking to sign in. */
export class SignInRequired extends BaseplanError {
  readonly code = "forbidden";
  constructor() {
    super("Sign in to do this. Nothing was saved.");
  }
}

export class BadRequest extends BaseplanError {
  readonly code = "bad-request";
}

/**
 * Entry for a period that is not open for entry: nothing is saved, and the page names the period,
 * says why, and links to where it can be opened (a period not yet opened) or to the periods that
 * are open (a period closed for entry or published, which stays as it is).
 */
export class NotOpenForEntry extends BaseplanError {
  readonly code = "bad-request";
  constructor(
    message: string,
    readonly periodLabel: string,
    readonly periodHref: string,
    readonly opened: boolean,
  ) {
    super(message);
  }
}

/**
 * Entry for a period an approver has signed off, which locks it: 403, nothing saved, and the page
 * says who signed it off and who can unlock it (an administrator, with a reason).
 */
export class PeriodLockedError extends BaseplanError {
  readonly code = "forbidden";
  constructor(
    readonly periodLabel: string,
    readonly periodHref: string,
    readonly signedOffBy: string,
    readonly signedOffAt: Date,
    /** The administrators' names, who can unlock it; empty when none is recorded. */
    readonly unlockers: readonly string[],
  ) {
    super(`${periodLabel} is signed off and locked: nothing for it can be changed until it is unlocked.`);
  }
}

/** Something this server cannot do now or at all (503); with a retry time where waiting helps. */
export class ServiceUnavailable extends BaseplanError {
  readonly code = "unavailable";
  constructor(
    readonly title: string,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

export interface FieldError {
  /** The form field (or import cell) the problem is in; the error summary links to `#${field}`. */
  field: string;
  message: string;
}

export class ValidationFailed extends BaseplanError {
  readonly code = "validation-failed";
  constructor(
    readonly errors: FieldError[],
    message = "The information given has problems.",
  ) {
    super(message);
  }
}

/** One field of a record as a person sees it, for the side-by-side conflict page. */
export interface ComparedField {
  label: string;
  saved: string;
  submitted: string;
}

/**
 * Someone else saved the record after this person opened it. Nothing is written; the conflict
 * page shows the saved version beside the submitted one so the person can decide.
 */
export class Conflict extends BaseplanError {
  readonly code = "conflict";
  constructor(
    readonly entity: string,
    readonly fields: ComparedField[],
    readonly returnUrl: string,
    readonly savedBy?: { actor: string; at: Date },
  ) {
    super(`${entity} was changed by someone else after you opened it.`);
  }
}
