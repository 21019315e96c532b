import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  text,
  timestamp,
  unique,
} from "drizzle-orm/pg-core";
import type { MeasureUnit, Polarity } from "../../domain/measure-types.ts";

export const measures = pgTable("measures", {
  id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
  slug: text("slug").notNull().unique(),
  title: text("title").notNull(),
  otherTitles: jsonb("other_titles").$type<string[]>().notNull().default([]),
  code: text("code"),
  definition: text("definition"),
  unit: text("unit").$type<MeasureUnit>(),
  decimals: integer("decimals"),
  polarity: text("polarity").$type<Polarity>(),
  frequency: text("frequency"),
  basis: text("basis"),
  source: text("source"),
  owner: text("owner"),
  footnoteMarkers: jsonb("footnote_markers").$type<string[]>().notNull().default([]),
  note: text("note"),
  version: integer("version").notNull().default(1),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  archivedAt: timestamp("archived_at", { withTimezone: true }),
  archivedBy: text("archived_by"),
  /** The measure this one was merged into (it is archived then); its values and targets moved there. */
  mergedInto: bigint("merged_into", { mode: "number" }).references((): AnyPgColumn => measures.id),
  /** Shown on the public pages, with its published periods' figures (0031_public_measures.sql). */
  isPublic: boolean("public").notNull().default(false),
});

export interface StoredFootnote {
  marker: string;
  text: string;
}

export interface StoredColumn {
  heading: string;
  role: "value" | "latest" | "target" | "rating" | "trend" | "owner" | "comment";
  period: string | null;
}

export const measureGroups = pgTable(
  "measure_groups",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    document: text("document").notNull(),
    kind: text("kind").notNull(),
    title: text("title").notNull(),
    keyLine: text("key_line"),
    footnotes: jsonb("footnotes").$type<StoredFootnote[]>().notNull().default([]),
    columns: jsonb("columns").$type<StoredColumn[]>().notNull().default([]),
    position: integer("position").notNull().default(0),
    archivedAt: timestamp("archived_at", { withTimezone: true }),
    archivedBy: text("archived_by"),
    version: integer("version").notNull().default(1),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [unique().on(table.document, table.title)],
);

export const measureRows = pgTable(
  "measure_rows",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    groupId: bigint("group_id", { mode: "number" })
      .notNull()
      .references(() => measureGroups.id),
    measureId: bigint("measure_id", { mode: "number" }).references(() => measures.id),
    position: integer("position").notNull(),
    kind: text("kind").notNull().default("measure"),
    titleAsWritten: text("title_as_written").notNull(),
    printedRating: text("printed_rating"),
  },
  (table) => [index("measure_rows_group").on(table.groupId, table.position)],
);

export const measureValues = pgTable(
  "measure_values",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    measureId: bigint("measure_id", { mode: "number" })
      .notNull()
      .references(() => measures.id),
    groupId: bigint("group_id", { mode: "number" }).references(() => measureGroups.id),
    document: text("document").notNull(),
    columnHeading: text("column_heading").notNull(),
    columnRole: text("column_role").notNull(),
    periodLabel: text("period_label").notNull(),
    periodKey: text("period_key").notNull(),
    cellText: text("cell_text").notNull(),
    amount: numeric("amount"),
    decimals: integer("decimals"),
    status: text("status"),
    /** The period the value is for, as written (its own where the cell gives one, else the column's). */
    ownPeriod: text("own_period"),
    /** That period's kind and span (`periodSpan`), to compare values like for like. */
    ownPeriodSpan: text("own_period_span"),
    /** An officer's notes on a value entered for a period. */
    notes: text("notes"),
    annotations: jsonb("annotations").$type<string[]>().notNull().default([]),
    warnings: jsonb("warnings").$type<string[]>().notNull().default([]),
    current: boolean("current").notNull().default(true),
    supersededBy: bigint("superseded_by", { mode: "number" }),
    recordedBy: text("recorded_by").notNull(),
    recordedAt: timestamp("recorded_at", { withTimezone: true }).notNull().defaultNow(),
    version: integer("version").notNull().default(1),
  },
  (table) => [
    index("measure_values_measure").on(table.measureId, table.current),
    // What the measures list reads (migration 0037): a period's value, and the one recorded before.
    index("measure_values_listed")
      .on(table.measureId, table.document, table.columnRole, table.periodKey, table.id)
      .where(sql`current`),
    index("measure_values_listed_order")
      .on(table.measureId, table.document, table.id)
      .where(sql`current and column_role = 'value'`),
    index("measure_values_current_period").on(table.periodKey, table.measureId).where(sql`current`),
  ],
);

export const measureTargets = pgTable(
  "measure_targets",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    measureId: bigint("measure_id", { mode: "number" })
      .notNull()
      .references(() => measures.id),
    groupId: bigint("group_id", { mode: "number" }).references(() => measureGroups.id),
    document: text("document").notNull(),
    periodLabel: text("period_label").notNull(),
    periodKey: text("period_key").notNull(),
    targetText: text("target_text").notNull(),
    kind: text("kind").notNull(),
    warnings: jsonb("warnings").$type<string[]>().notNull().default([]),
    changedFrom: text("changed_from"),
    current: boolean("current").notNull().default(true),
    supersededBy: bigint("superseded_by", { mode: "number" }),
    recordedBy: text("recorded_by").notNull(),
    recordedAt: timestamp("recorded_at", { withTimezone: true }).notNull().defaultNow(),
    version: integer("version").notNull().default(1),
  },
  (table) => [
    index("measure_targets_measure").on(table.measureId, table.current),
    index("measure_targets_listed")
      .on(table.measureId, table.document, table.periodKey, table.id)
      .where(sql`current`),
  ],
);

/** A benchmark figure for a measure and period ("national 16.4%"), with where it was read from. */
export const measureBenchmarks = pgTable(
  "measure_benchmarks",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    measureId: bigint("measure_id", { mode: "number" })
      .notNull()
      .references(() => measures.id),
    valueId: bigint("value_id", { mode: "number" }).references(() => measureValues.id),
    document: text("document").notNull(),
    periodLabel: text("period_label").notNull(),
    periodKey: text("period_key").notNull(),
    benchmarkGroup: text("benchmark_group").notNull(),
    label: text("label").notNull(),
    amount: numeric("amount").notNull(),
    decimals: integer("decimals").notNull(),
    source: text("source").notNull().default("inline"),
    current: boolean("current").notNull().default(true),
    recordedBy: text("recorded_by").notNull(),
    recordedAt: timestamp("recorded_at", { withTimezone: true }).notNull().defaultNow(),
    version: integer("version").notNull().default(1),
  },
  (table) => [
    index("measure_benchmarks_measure").on(table.measureId, table.current),
    index("measure_benchmarks_value").on(table.valueId),
  ],
);

/**
 * The rating a table printed for a measure and period, as read and as written
 * (0035_printed_ratings.sql). One current rating per measure, table and period; a later edition
 * printing another supersedes it and the old one is kept.
 */
export const measurePrintedRatings = pgTable(
  "measure_printed_ratings",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    measureId: bigint("measure_id", { mode: "number" })
      .notNull()
      .references(() => measures.id),
    groupId: bigint("group_id", { mode: "number" }).references(() => measureGroups.id),
    document: text("document").notNull(),
    periodLabel: text("period_label").notNull(),
    periodKey: text("period_key").notNull(),
    /** The rating as read: the word written, or the key's word for a coloured symbol. */
    ratingText: text("rating_text").notNull(),
    /** The cell exactly as written, where it is known (ratings kept before 0035 have none). */
    cellText: text("cell_text"),
    current: boolean("current").notNull().default(true),
    supersededBy: bigint("superseded_by", { mode: "number" }),
    recordedBy: text("recorded_by").notNull(),
    recordedAt: timestamp("recorded_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index("measure_printed_ratings_measure").on(table.measureId, table.current)],
);
