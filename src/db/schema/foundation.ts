import { bigint, date, index, integer, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";

export const auditEvents = pgTable(
  "audit_events",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    occurredAt: timestamp("occurred_at", { withTimezone: true }).notNull().defaultNow(),
    actor: text("actor").notNull(),
    action: text("action").notNull(),
    entityType: text("entity_type").notNull(),
    entityId: text("entity_id").notNull(),
    summary: text("summary").notNull(),
    before: jsonb("before"),
    after: jsonb("after"),
    /** The record whose page shows this event: a measure for a change to one of its values. */
    recordKind: text("record_kind"),
    recordId: text("record_id"),
    /** The monitoring period the event belongs to ("2020-21-q3"), where it has one. */
    period: text("period"),
  },
  (table) => [
    index("audit_events_entity").on(table.entityType, table.entityId, table.occurredAt),
    index("audit_events_record").on(table.recordKind, table.recordId, table.occurredAt),
    index("audit_events_occurred").on(table.occurredAt, table.id),
  ],
);

export const settings = pgTable("settings", {
  key: text("key").primaryKey(),
  value: jsonb("value").notNull(),
  version: integer("version").notNull().default(1),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/** Bumped by a trigger on every audit event: the version of all the data, for the page cache. */
export const dataVersion = pgTable("data_version", {
  id: integer("id").primaryKey(),
  version: bigint("version", { mode: "number" }).notNull(),
});

/** The documents the data comes from, by the slug other records carry. */
export const sourceDocuments = pgTable("source_documents", {
  slug: text("slug").primaryKey(),
  title: text("title").notNull(),
  kind: text("kind").notNull(),
  publishedOn: date("published_on"),
  version: integer("version").notNull().default(1),
});
