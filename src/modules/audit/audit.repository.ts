import { and, count, desc, eq, gte, isNotNull, lt, type SQL, sql } from "drizzle-orm";
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
    | "move"
    | "remind";
  entityType: string;
  entityId: string | number;
  summary: string;
  before?: unknown;
  after?: unknown;
  /**
   * The record whose page shows this event, when it is not the entity itself: a measure for a
   * change to one of its values, a budget line for one of its forecasts.
   */
  record?: { kind: string; id: string | number };
  /** The monitoring period the event belongs to ("2020-21-q3"), where it has one. */
  period?: string | null;
}

export type AuditEvent = typeof auditEvents.$inferSelect;

/** Called inside the transaction of the write it describes, so both land or neither does. */
export async function recordAuditEvent(tx: Database, event: AuditEventInput): Promise<void> {
  await tx.insert(auditEvents).values(auditEventRow(event));
}

function auditEventRow(event: AuditEventInput): typeof auditEvents.$inferInsert {
  return {
    actor: event.actor,
    action: event.action,
    entityType: event.entityType,
    entityId: String(event.entityId),
    summary: event.summary,
    before: event.before ?? null,
    after: event.after ?? null,
    recordKind: event.record?.kind ?? event.entityType,
    recordId: String(event.record?.id ?? event.entityId),
    period: event.period ?? null,
  };
}

/** Events recorded in one statement a thousand (a large import's), in the order given. */
const AUDIT_EVENTS_A_STATEMENT = 1_000;

/**
 * Records several events at once, in the order given, inside the transaction of the writes they
 * describe: one statement of unnest() arrays a thousand events (Drizzle's multi-row VALUES takes
 * longer to build than to run), each event stored exactly as recordAuditEvent stores it.
 */
export async function recordAuditEvents(tx: Database, events: readonly AuditEventInput[]): Promise<void> {
  for (let start = 0; start < events.length; start += AUDIT_EVENTS_A_STATEMENT) {
    const rows = events.slice(start, start + AUDIT_EVENTS_A_STATEMENT).map(auditEventRow);
    const text = (values: (string | null | undefined)[]) =>
      sql`${sql.param(values.map((v) => v ?? null))}::text[]`;
    const json = (values: unknown[]) =>
      text(values.map((value) => (value === null || value === undefined ? null : JSON.stringify(value))));
    await tx.execute(
      sql`insert into audit_events
            (actor, action, entity_type, entity_id, summary, before, after, record_kind, record_id, period)
          select actor, action, entity_type, entity_id, summary, before::jsonb, after::jsonb, record_kind,
            record_id, period
          from unnest(${text(rows.map((row) => row.actor))}, ${text(rows.map((row) => row.action))},
            ${text(rows.map((row) => row.entityType))}, ${text(rows.map((row) => row.entityId))},
            ${text(rows.map((row) => row.summary))}, ${json(rows.map((row) => row.before))},
            ${json(rows.map((row) => row.after))}, ${text(rows.map((row) => row.recordKind))},
            ${text(rows.map((row) => row.recordId))}, ${text(rows.map((row) => row.period))})
            as w(actor, action, entity_type, entity_id, summary, before, after, record_kind, record_id, period)`,
    );
  }
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

/** What the audit trail's list is narrowed to; dates are days in the council's time zone. */
export interface AuditFilter {
  actor?: string;
  recordKind?: string;
  /** One record of that kind. */
  recordId?: string;
  period?: string;
  /** First day included, "2021-01-31". */
  from?: string;
  /** Last day included, "2021-01-31". */
  to?: string;
}

/** The time zone the council's days are counted in, as the pages write dates. */
const COUNCIL_TIME_ZONE = "Europe/London";

function conditions(filter: AuditFilter): SQL | undefined {
  const parts: SQL[] = [];
  if (filter.actor) parts.push(eq(auditEvents.actor, filter.actor));
  if (filter.recordKind) parts.push(eq(auditEvents.recordKind, filter.recordKind));
  if (filter.recordId) parts.push(eq(auditEvents.recordId, filter.recordId));
  if (filter.period) parts.push(eq(auditEvents.period, filter.period));
  if (filter.from) {
    parts.push(
      gte(auditEvents.occurredAt, sql`(${filter.from}::date::timestamp at time zone ${COUNCIL_TIME_ZONE})`),
    );
  }
  if (filter.to) {
    parts.push(
      lt(
        auditEvents.occurredAt,
        sql`((${filter.to}::date + 1)::timestamp at time zone ${COUNCIL_TIME_ZONE})`,
      ),
    );
  }
  return parts.length > 0 ? and(...parts) : undefined;
}

/** One page of events matching the filter, newest first, and how many match in all. */
export async function findAuditEvents(
  db: Database,
  filter: AuditFilter,
  page: { limit: number; offset: number },
): Promise<{ events: AuditEvent[]; total: number }> {
  const where = conditions(filter);
  const [counted] = await db.select({ n: count() }).from(auditEvents).where(where);
  const events = await db
    .select()
    .from(auditEvents)
    .where(where)
    .orderBy(desc(auditEvents.occurredAt), desc(auditEvents.id))
    .limit(page.limit)
    .offset(page.offset);
  return { events, total: Number(counted?.n ?? 0) };
}

/** The people, record kinds and periods the trail holds: the filter form's choices. */
export async function auditFilterChoices(db: Database) {
  const actors = await db
    .selectDistinct({ value: auditEvents.actor })
    .from(auditEvents)
    .orderBy(auditEvents.actor);
  const kinds = await db
    .selectDistinct({ value: auditEvents.recordKind })
    .from(auditEvents)
    .where(isNotNull(auditEvents.recordKind))
    .orderBy(auditEvents.recordKind);
  const periods = await db
    .selectDistinct({ value: auditEvents.period })
    .from(auditEvents)
    .where(isNotNull(auditEvents.period))
    .orderBy(desc(auditEvents.period));
  return {
    actors: actors.map((row) => row.value),
    kinds: kinds.map((row) => row.value ?? ""),
    periods: periods.map((row) => row.value ?? ""),
  };
}

/** Every event a record's page shows, newest first, at most `limit`. */
export async function listRecordEvents(db: Database, kind: string, id: string | number, limit: number) {
  return db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.recordKind, kind), eq(auditEvents.recordId, String(id))))
    .orderBy(desc(auditEvents.occurredAt), desc(auditEvents.id))
    .limit(limit);
}

/** How many events a record has in all. */
export async function countRecordEvents(db: Database, kind: string, id: string | number): Promise<number> {
  const [counted] = await db
    .select({ n: count() })
    .from(auditEvents)
    .where(and(eq(auditEvents.recordKind, kind), eq(auditEvents.recordId, String(id))));
  return Number(counted?.n ?? 0);
}
