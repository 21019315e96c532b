import type { FastifyReply } from "fastify";
import { formatPounds } from "../../domain/money.ts";
import type { FieldError } from "../../errors.ts";
import { ValidationFailed } from "../../errors.ts";

// What the procurement route files share.

/** Where the procurement templates are. */
export const VIEWS = "procurement/views";

/** Sends a CSV file as a download with the given name. */
export function sendCsv(reply: FastifyReply, filename: string, body: string) {
  return reply
    .type("text/csv; charset=utf-8")
    .header("content-disposition", `attachment; filename="${filename}"`)
    .send(body);
}

/** An amount for a form box with a "£" prefix: "50,000", or "50,000.50" with pence; exact. */
export function amountText(pence: number): string {
  return formatPounds(pence, { pence: pence % 100 !== 0, symbol: false });
}

/** The field errors of a refused form, or null when the error is something else. */
export function formErrors(error: unknown): FieldError[] | null {
  return error instanceof ValidationFailed ? error.errors : null;
}
