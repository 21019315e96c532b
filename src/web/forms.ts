import type { z } from "zod";
import { type FieldError, ValidationFailed } from "../errors.ts";

export type FormResult<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

/**
 * Validates a posted form with its Zod schema and turns each problem into a GOV.UK field error
 * (field id + message), so the route can re-render the form with a 400 and an error summary.
 * Schemas carry the plain-English messages; the first problem per field is shown.
 */
export function parseForm<T>(schema: z.ZodType<T>, body: unknown): FormResult<T> {
  const result = schema.safeParse(body ?? {});
  if (result.success) return { ok: true, value: result.data };
  const errors: FieldError[] = [];
  for (const issue of result.error.issues) {
    const field = issue.path.map(String).join("-") || "form";
    if (!errors.some((error) => error.field === field)) errors.push({ field, message: issue.message });
  }
  return { ok: false, errors };
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
