import { and, desc, eq } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import { auditEvents } from "../../db/schema/index.ts";

export interface AuditEventInput {
  actor: string;
  action:
    | "create"
    | "update"
    | "delete"
    | "import"
    | "load-demo"
    | "restate"
    | "archive"
    | "restore"
    | "move";
  entityType: string;
  entityId: string | number;
  summary: string;
  before?: unknown;
  after?: unknown;
}

export type AuditEvent = typeof auditEvents.$inferSelect;

/** Called inside the transaction of the write it describes, so both land or neither does. */
export async function recordAuditEvent(tx: Database, event: AuditEventInput): Promise<void> {
  await tx.insert(auditEvents).values({
    actor: event.actor,
    action: event.action,
    entityType: event.entityType,
    entityId: String(event.entityId),
    summary: event.summary,
    before: event.before ?? null,
    after: event.after ?? null,
  });
}

export async function listAuditEvents(db: Database, entityType: string, entityId: string | number) {
  return db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.entityType, entityType), eq(auditEvents.entityId, String(entityId))))
    .orderBy(desc(auditEvents.occurredAt), desc(auditEvents.id));
}

export async function latestAuditEvent(db: Database, entityType: string, entityId: string | number) {
  const [event] = await listAuditEvents(db, entityType, entityId);
  return event;
}
