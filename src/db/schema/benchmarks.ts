import {
  bigint,
  boolean,
  date,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from "drizzle-orm/pg-core";
import { measures } from "./measures.ts";

/** A council, a region or England, by its 3-digit DfE code, as the code list gives it. */
export const benchmarkAreas = pgTable("benchmark_areas", {
  code: text("code").primaryKey(),
  name: text("name").notNull(),
  region: text("region"),
  areaType: text("area_type"),
  kind: text("kind").notNull(),
  version: integer("version").notNull().default(1),
});

/** A measure of the data dictionary. */
export const benchmarkMeasures = pgTable("benchmark_measures", {
  code: text("code").primaryKey(),
  title: text("title").notNull(),
  chartTitle: text("chart_title"),
  topic: text("topic"),
  polarity: text("polarity").notNull(),
  yearType: text("year_type").notNull(),
  decimals: integer("decimals"),
  noQuartile: boolean("no_quartile").notNull().default(false),
  unitWords: text("unit_words"),
  status: text("status"),
  lastUpdate: date("last_update"),
  nextUpdate: date("next_update"),
  nextUpdateWords: text("next_update_words"),
  source: text("source"),
  version: integer("version").notNull().default(1),
});

export const benchmarkNeighbours = pgTable(
  "benchmark_neighbours",
  {
    model: text("model").notNull(),
    areaCode: text("area_code").notNull(),
    position: integer("position").notNull(),
    neighbourCode: text("neighbour_code").notNull(),
    closeness: text("closeness"),
  },
  (table) => [primaryKey({ columns: [table.model, table.areaCode, table.position] })],
);

export const benchmarkImports = pgTable("benchmark_imports", {
  id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
  files: jsonb("files").$type<string[]>().notNull(),
  added: integer("added").notNull(),
  restated: integer("restated").notNull(),
  recordedBy: text("recorded_by").notNull(),
  recordedAt: timestamp("recorded_at", { withTimezone: true }).notNull().defaultNow(),
});

export const benchmarkPeriods = pgTable(
  "benchmark_periods",
  {
    measureCode: text("measure_code")
      .notNull()
      .references(() => benchmarkMeasures.code),
    label: text("label").notNull(),
    description: text("description").notNull(),
    starts: date("starts").notNull(),
    ends: date("ends").notNull(),
    status: text("status"),
    q25: numeric("q25"),
    q50: numeric("q50"),
    q75: numeric("q75"),
    councilsWithValue: integer("councils_with_value").notNull().default(0),
  },
  (table) => [primaryKey({ columns: [table.measureCode, table.label] })],
);

export const benchmarkValues = pgTable("benchmark_values", {
  id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
  measureCode: text("measure_code").notNull(),
  periodLabel: text("period_label").notNull(),
  areaCode: text("area_code").notNull(),
  amount: numeric("amount"),
  code: text("code"),
  rank: integer("rank"),
  rankOf: integer("rank_of"),
  band: text("band"),
  current: boolean("current").notNull().default(true),
  importId: bigint("import_id", { mode: "number" }).notNull(),
  replacedByImport: bigint("replaced_by_import", { mode: "number" }),
});

/** A council's own measure and the Department's measure it is compared with. */
export const measureBenchmarkLinks = pgTable("measure_benchmark_links", {
  measureId: bigint("measure_id", { mode: "number" })
    .primaryKey()
    .references(() => measures.id),
  /** Null once the link is removed (the row stays, so its version keeps counting). */
  benchmarkCode: text("benchmark_code").references(() => benchmarkMeasures.code),
  version: integer("version").notNull().default(1),
});
