import type { FastifyReply } from "fastify";
import type { Database } from "../../db/client.ts";
import { type FieldError, ValidationFailed } from "../../errors.ts";
import { archivedMeasureItems } from "./measures.edit.ts";

/** What the measures' editing pages share: their addresses, form errors, the archived list. */

export const GROUPS_HREF = "/measures/groups";
export const ARCHIVED_HREF = "/measures/archived";

export function failed(error: unknown): FieldError[] {
  if (error instanceof ValidationFailed) return [...error.errors];
  throw error;
}

/** The archived measures and groups, with what refused a restore or an archive. */
export async function renderArchived(reply: FastifyReply, db: Database, errors: FieldError[] = []) {
  return reply.code(errors.length > 0 ? 400 : 200).view("measures/views/archived.njk", {
    pageTitle: `${errors.length > 0 ? "Error: " : ""}Archived measures`,
    ...(await archivedMeasureItems(db)),
    errors,
  });
}
