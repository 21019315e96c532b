import { bigint, date, index, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/** Regulated thresholds for councils by the date they came into force (migration 0005). */
export const procurementThresholds = pgTable("procurement_thresholds", {
  id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
  inForceFrom: date("in_force_from", { mode: "string" }).notNull().unique(),
  inForceUntil: date("in_force_until", { mode: "string" }),
  goodsAndServicesPence: bigint("goods_and_services_pence", { mode: "number" }).notNull(),
  worksPence: bigint("works_pence", { mode: "number" }).notNull(),
  lightTouchServicesPence: bigint("light_touch_services_pence", { mode: "number" }).notNull(),
  note: text("note"),
  version: integer("version").notNull().default(1),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

/** One row (id 1): the council's reporting floor for the forward plan. */
export const procurementSettings = pgTable("procurement_settings", {
  id: integer("id").primaryKey(),
  reportingFloorPence: bigint("reporting_floor_pence", { mode: "number" }).notNull(),
  /** The council as an OCDS buyer. */
  buyerId: text("buyer_id"),
  buyerName: text("buyer_name"),
  version: integer("version").notNull().default(1),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/** Expected payments under contracts, by the financial year's first calendar year (id). */
export const procurementExpectedPayments = pgTable("procurement_expected_payments", {
  id: integer("id").primaryKey(),
  expectedPaymentsPence: bigint("expected_payments_pence", { mode: "number" }).notNull(),
  version: integer("version").notNull().default(1),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export const plannedProcurements = pgTable(
  "planned_procurements",
  {
    id: text("id").primaryKey(),
    title: text("title").notNull(),
    description: text("description"),
    estimatedValuePence: bigint("estimated_value_pence", { mode: "number" }).notNull(),
    /** The value as written ("Approx. Lifetime costs 150,000.00"). */
    estimatedValueText: text("estimated_value_text").notNull(),
    /** Words before the figure, e.g. "Approx. Lifetime costs": the basis of the estimate. */
    valueBasis: text("value_basis"),
    /** The duration as written ("(up to 4 years)"). */
    durationText: text("duration_text"),
    durationMonths: integer("duration_months"),
    estimatedStartDate: date("estimated_start_date", { mode: "string" }).notNull(),
    expectedCommencementDate: date("expected_commencement_date", { mode: "string" }),
    category: text("category").notNull(),
    department: text("department").notNull(),
    division: text("division"),
    status: text("status").notNull(),
    notes: text("notes"),
    /** The band the published plan listed the row in, for demo rows (see the service). */
    sourceBand: text("source_band"),
    sourceTable: text("source_table"),
    sourceRow: integer("source_row"),
    version: integer("version").notNull().default(1),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index("planned_procurements_start").on(table.estimatedStartDate)],
);
