import { z } from "zod";
import { type FieldError, ValidationFailed } from "../errors.ts";

export type FormResult<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

/**
 * The most characters any one form field may hold, unless the form says a field may hold more
 * (a pasted table). Schemas set lower limits where a field is a title or sits in an index.
 */
export const MAX_FIELD_LENGTH = 10_000;

export interface FormOptions {
  /** Fields that may hold more than MAX_FIELD_LENGTH characters, with their own limit. */
  readonly longFields?: Readonly<Record<string, number>>;
}

/** "groupTitle" is "group title", "estimatedStartDate-day" is "estimated start date day". */
function fieldWords(field: string): string {
  return field
    .replace(/[-_]+/g, " ")
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .trim();
}

function textProblem(field: string, text: string, options: FormOptions): string | null {
  const words = fieldWords(field);
  if (text.includes("\u0000")) {
    return `The ${words} contains a null character, which cannot be stored (it usually comes from copying out of another program): remove it and send the form again`;
  }
  // Bytes that are not UTF-8 text (raw, or percent-encoded) are read as U+FFFD.
  if (text.includes("\ufffd")) {
    return `The ${words} contains characters that could not be read as text: type them again or copy them from another program`;
  }
  const limit = options.longFields?.[field] ?? MAX_FIELD_LENGTH;
  if (text.length > limit) {
    return `The ${words} must be ${limit.toLocaleString("en-GB")} characters or fewer; it has ${text.length.toLocaleString("en-GB")}`;
  }
  return null;
}

/**
 * What every posted text must pass before any schema reads it: no null characters, no bytes that
 * are not text, and not longer than the field may be. One place for every form, so a NUL byte or
 * a 600,000-character field is a field error, never a database error and never cut short.
 */
export function formTextErrors(body: unknown, options: FormOptions = {}): FieldError[] {
  if (typeof body !== "object" || body === null) return [];
  const errors: FieldError[] = [];
  for (const [field, value] of Object.entries(body)) {
    const texts = Array.isArray(value) ? value : [value];
    for (const text of texts) {
      const message = typeof text === "string" ? textProblem(field, text, options) : null;
      if (message !== null) {
        errors.push({ field, message });
        break;
      }
    }
  }
  return errors;
}

/**
 * Validates a posted form with its Zod schema and turns each problem into a GOV.UK field error
 * (field id + message), so the route can re-render the form with a 400 and an error summary.
 * Schemas carry the plain-English messages; the first problem per field is shown. Text that no
 * field may hold (formTextErrors) is refused first, with the schema's errors for other fields.
 */
export function parseForm<T>(schema: z.ZodType<T>, body: unknown, options: FormOptions = {}): FormResult<T> {
  const textErrors = formTextErrors(body, options);
  const result = schema.safeParse(body ?? {});
  if (result.success && textErrors.length === 0) return { ok: true, value: result.data };
  const errors: FieldError[] = [...textErrors];
  for (const issue of result.success ? [] : result.error.issues) {
    const field = issue.path.map(String).join("-") || "form";
    if (!errors.some((error) => error.field === field || field.startsWith(`${error.field}-`)))
      errors.push({ field, message: issue.message });
  }
  return { ok: false, errors };
}

/**
 * Reads an `application/x-www-form-urlencoded` body as browsers send it (the WHATWG rules, as
 * URLSearchParams applies them): bytes that are not UTF-8, raw or percent-encoded, become U+FFFD,
 * which formTextErrors then refuses, rather than being kept as "%FF" escape text. A field sent
 * more than once gives an array, as the default parser did.
 */
export function parseFormBody(text: string): Record<string, string | string[]> {
  const fields: Record<string, string | string[]> = Object.create(null);
  for (const [name, value] of new URLSearchParams(text)) {
    const before = fields[name];
    fields[name] =
      before === undefined ? value : Array.isArray(before) ? [...before, value] : [before, value];
  }
  return fields;
}

/**
 * A posted form's typed values, or ValidationFailed with every problem: what a route hands to a
 * service. The route catches ValidationFailed and re-renders the form with the errors.
 */
export function validForm<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = parseForm(schema, body);
  if (!parsed.ok) throw new ValidationFailed(parsed.errors);
  return parsed.value;
}

/** The row version a form was opened at, sent back in a hidden field to detect stale edits. */
export function versionOf(body: unknown): number | null {
  const raw = (body as Record<string, unknown> | undefined)?.version;
  const version = typeof raw === "string" ? Number(raw) : Number.NaN;
  return Number.isSafeInteger(version) && version > 0 ? version : null;
}

/** What a person is told when a form comes back without the version it was opened at. */
export const MISSING_VERSION_MESSAGE = "The form was missing its version. Reload the page and try again.";

/**
 * A form's hidden version as a schema field: a whole number, at least `least` (1 unless a form's
 * record may not exist yet, 0), refused with the one missing-version message.
 */
export function versionField(least = 1) {
  return z.coerce
    .number({ error: MISSING_VERSION_MESSAGE })
    .int({ error: MISSING_VERSION_MESSAGE })
    .min(least, { error: MISSING_VERSION_MESSAGE });
}

/** The one error for a form posted without its version, shown against `field`. */
export function missingVersion(field = "form"): FieldError {
  return { field, message: MISSING_VERSION_MESSAGE };
}

/** The version a form was opened at, or ValidationFailed with the one missing-version error. */
export function requiredVersion(body: unknown, field = "form"): number {
  const version = versionOf(body);
  if (version === null) throw new ValidationFailed([missingVersion(field)]);
  return version;
}
