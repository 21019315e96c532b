// Monitoring years and periods, and published documents (src/db/migrations/0012_monitoring_periods.sql).
import {
  bigint,
  customType,
  date,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  unique,
} from "drizzle-orm/pg-core";
import { departments } from "./plan.ts";

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => "bytea",
  fromDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value)),
});

export type MonitoringStatus = "open" | "closed" | "published";

/** One missing item named when a period was closed or published with it missing. */
export interface ConfirmedMissing {
  section: string;
  item: string;
}

export const monitoringYears = pgTable(
  "monitoring_years",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    departmentId: bigint("department_id", { mode: "number" })
      .notNull()
      .references(() => departments.id),
    startYear: integer("start_year").notNull(),
    frequency: text("frequency").$type<"quarterly" | "monthly">().notNull(),
    openedBy: text("opened_by").notNull(),
    openedAt: timestamp("opened_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [unique().on(table.departmentId, table.startYear)],
);

export const monitoringPeriods = pgTable(
  "monitoring_periods",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    yearId: bigint("year_id", { mode: "number" })
      .notNull()
      .references(() => monitoringYears.id),
    period: text("period").notNull(),
    status: text("status").$type<MonitoringStatus>().notNull(),
    missingWhenClosed: jsonb("missing_when_closed").$type<ConfirmedMissing[]>(),
    missingWhenPublished: jsonb("missing_when_published").$type<ConfirmedMissing[]>(),
    publishedBy: text("published_by"),
    publishedAt: timestamp("published_at", { withTimezone: true }),
    /** Set while the period is signed off and locked (0028_sign_off_and_due_dates.sql). */
    signedOffBy: text("signed_off_by"),
    signedOffAt: timestamp("signed_off_at", { withTimezone: true }),
    /** When the period's round items are due, unless an item has its own date. */
    roundDueOn: date("round_due_on"),
    /** The latest reopening of a closed period, by whom, when and why (migration 0047). */
    reopenedBy: text("reopened_by"),
    reopenedAt: timestamp("reopened_at", { withTimezone: true }),
    reopenReason: text("reopen_reason"),
    version: integer("version").notNull().default(1),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [unique().on(table.yearId, table.period)],
);

export const publishedDocuments = pgTable(
  "published_documents",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    periodId: bigint("period_id", { mode: "number" })
      .notNull()
      .references(() => monitoringPeriods.id),
    document: text("document").notNull(),
    format: text("format").$type<"model" | "docx" | "xlsx" | "pdf">().notNull(),
    content: bytea("content").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [unique().on(table.periodId, table.document, table.format)],
);

/** A period's report narrative (src/db/migrations/0019_report_narratives.sql). */
export const reportNarratives = pgTable(
  "report_narratives",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    periodId: bigint("period_id", { mode: "number" })
      .notNull()
      .references(() => monitoringPeriods.id),
    purpose: text("purpose").notNull().default(""),
    overview: text("overview").notNull().default(""),
    progressSummary: text("progress_summary").notNull().default(""),
    keySuccess: text("key_success").notNull().default(""),
    keyConsideration: text("key_consideration").notNull().default(""),
    keyNote: text("key_note").notNull().default(""),
    varianceExplanations: text("variance_explanations").notNull().default(""),
    recommendations: text("recommendations").notNull().default(""),
    // The committee report's other parts (migration 0045).
    keyDecision: text("key_decision").notNull().default(""),
    keyDecisionReference: text("key_decision_reference").notNull().default(""),
    callInWaived: text("call_in_waived").notNull().default(""),
    callInReason: text("call_in_reason").notNull().default(""),
    backgroundPapers: text("background_papers").notNull().default(""),
    authorName: text("author_name").notNull().default(""),
    authorJobTitle: text("author_job_title").notNull().default(""),
    authorContact: text("author_contact").notNull().default(""),
    reportDate: date("report_date", { mode: "string" }),
    version: integer("version").notNull().default(1),
    updatedBy: text("updated_by").notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [unique().on(table.periodId)],
);

export type RoundItemStatus = "submitted" | "returned" | "approved";

/** An owned item's place in a period's update round (src/db/migrations/0021_update_round.sql). */
export const updateRoundItems = pgTable(
  "update_round_items",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    periodId: bigint("period_id", { mode: "number" })
      .notNull()
      .references(() => monitoringPeriods.id),
    itemKind: text("item_kind").$type<"deliverable" | "measure">().notNull(),
    itemId: bigint("item_id", { mode: "number" }).notNull(),
    status: text("status").$type<RoundItemStatus>().notNull(),
    comment: text("comment"),
    version: integer("version").notNull().default(1),
    updatedBy: text("updated_by").notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [unique().on(table.periodId, table.itemKind, table.itemId)],
);

/** An update round item's own due date, where it was changed from its period's (0028). */
export const updateRoundDueDates = pgTable(
  "update_round_due_dates",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    periodId: bigint("period_id", { mode: "number" })
      .notNull()
      .references(() => monitoringPeriods.id),
    itemKind: text("item_kind").$type<"deliverable" | "measure">().notNull(),
    itemId: bigint("item_id", { mode: "number" }).notNull(),
    dueOn: date("due_on").notNull(),
    version: integer("version").notNull().default(1),
    updatedBy: text("updated_by").notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [unique().on(table.periodId, table.itemKind, table.itemId)],
);
