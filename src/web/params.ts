import { NotFound } from "../errors.ts";

/** The largest id a PostgreSQL `integer` (serial) column holds. */
export const LARGEST_ID = 2_147_483_647;

/**
 * The one reading of a numeric id in a route (`/measures/:id`): digits only, 1 to 2^31 - 1.
 * Anything else (letters, a sign, a decimal point, a number too large for the column) is a page
 * that does not exist, so a 404 naming what was asked for, never a database error.
 */
export function idParam(raw: string | undefined, what: string): number {
  const text = raw ?? "";
  if (!/^[0-9]{1,10}$/.test(text)) throw new NotFound(what);
  const id = Number(text);
  if (id < 1 || id > LARGEST_ID) throw new NotFound(what);
  return id;
}
