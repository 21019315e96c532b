// Service plan documents frozen at approval (src/db/migrations/0046_approved_plan_documents.sql).
import { bigint, customType, pgTable, text, timestamp, unique } from "drizzle-orm/pg-core";
import { plans } from "./plan.ts";

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => "bytea",
  fromDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value)),
});

/** One approval of a service plan: who approved it and when. */
export const planApprovals = pgTable("plan_approvals", {
  id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
  planId: bigint("plan_id", { mode: "number" })
    .notNull()
    .references(() => plans.id),
  approvedBy: text("approved_by").notNull(),
  approvedAt: timestamp("approved_at", { withTimezone: true }).notNull().defaultNow(),
});

/** An approval's document: the report model stored at approval, each file at its first download. */
export const approvedPlanDocuments = pgTable(
  "approved_plan_documents",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    approvalId: bigint("approval_id", { mode: "number" })
      .notNull()
      .references(() => planApprovals.id),
    format: text("format").$type<"model" | "docx" | "xlsx" | "pdf">().notNull(),
    content: bytea("content").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [unique().on(table.approvalId, table.format)],
);
