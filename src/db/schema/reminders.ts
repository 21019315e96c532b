// The update round's email reminders: preferences and what was sent (src/db/migrations/0030_reminder_emails.sql).
import { sql } from "drizzle-orm";
import { bigint, boolean, date, index, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { people } from "./people.ts";
import { monitoringPeriods } from "./periods.ts";

export const reminderPreferences = pgTable("reminder_preferences", {
  personId: bigint("person_id", { mode: "number" })
    .primaryKey()
    .references(() => people.id),
  dailyDigest: boolean("daily_digest").notNull().default(false),
  updatedBy: text("updated_by").notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export type ReminderReason = "due-soon" | "overdue" | "returned" | "outstanding";
export type ReminderOutcome = "sending" | "sent" | "failed";

export const reminderEmails = pgTable(
  "reminder_emails",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    messageId: text("message_id").notNull(),
    periodId: bigint("period_id", { mode: "number" })
      .notNull()
      .references(() => monitoringPeriods.id),
    personId: bigint("person_id", { mode: "number" })
      .notNull()
      .references(() => people.id),
    recipient: text("recipient").notNull(),
    itemKind: text("item_kind").$type<"deliverable" | "measure">().notNull(),
    itemId: bigint("item_id", { mode: "number" }).notNull(),
    itemTitle: text("item_title").notNull(),
    reason: text("reason").$type<ReminderReason>().notNull(),
    occasion: text("occasion").notNull(),
    digest: boolean("digest").notNull().default(false),
    sentOn: date("sent_on").notNull(),
    outcome: text("outcome").$type<ReminderOutcome>().notNull().default("sending"),
    detail: text("detail"),
    createdBy: text("created_by").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex("reminder_emails_once")
      .on(table.personId, table.periodId, table.itemKind, table.itemId, table.reason, table.occasion)
      .where(sql`outcome <> 'failed'`),
    index("reminder_emails_period").on(table.periodId, table.createdAt),
  ],
);
