import { and, asc, eq, inArray, isNotNull, isNull, sql } from "drizzle-orm";
import { type Database, queryRows } from "../../db/client.ts";
import {
  measureBenchmarks,
  measureGroups,
  measurePrintedRatings,
  measureRows,
  measures,
  measureTargets,
  measureValues,
} from "../../db/schema/index.ts";
import { versionedUpdate } from "../../db/versioning.ts";

export type Measure = typeof measures.$inferSelect;
export type MeasureGroup = typeof measureGroups.$inferSelect;
export type MeasureRow = typeof measureRows.$inferSelect;
export type MeasureValue = typeof measureValues.$inferSelect;
export type MeasureTarget = typeof measureTargets.$inferSelect;
export type MeasureBenchmark = typeof measureBenchmarks.$inferSelect;

/** The columns a listing rates and shows; a whole value, target or benchmark has these too. */
export type ListedValue = Pick<
  MeasureValue,
  | "id"
  | "measureId"
  | "document"
  | "columnRole"
  | "columnHeading"
  | "periodLabel"
  | "periodKey"
  | "cellText"
  | "amount"
  | "decimals"
  | "ownPeriod"
  | "ownPeriodSpan"
  | "warnings"
  | "current"
  | "version"
>;
export type ListedTarget = Pick<
  MeasureTarget,
  "id" | "measureId" | "document" | "periodLabel" | "periodKey" | "targetText" | "current" | "version"
>;
export type ListedBenchmark = Pick<
  MeasureBenchmark,
  "measureId" | "periodKey" | "periodLabel" | "benchmarkGroup" | "amount"
>;

type ListedRow = Pick<MeasureRow, "groupId" | "measureId" | "titleAsWritten" | "printedRating">;

/** The tables a listing shows, their rows and the current measures, without any of their figures. */
export interface ListingFrame {
  groups: MeasureGroup[];
  rows: ListedRow[];
  measures: Measure[];
}

/**
 * The tables a listing shows, their rows and the current measures, in one round trip, only the
 * columns the list uses, each set as one JSON array (on PGlite most of a query's cost is decoding
 * rows field by field, which one JSON value per set avoids). Timestamps are turned back into dates
 * as Drizzle would give them. The figures are read afterwards for the periods the tables show
 * only (listedFigures and the functions after it), so the list's cost does not grow with history.
 */
export async function listingFrame(db: Database): Promise<ListingFrame> {
  const [row] = await queryRows<{ listing: ListingFrame | string }>(
    db,
    sql`select json_build_object(
      'groups', (select coalesce(json_agg(json_build_object(
          'id', g.id, 'document', g.document, 'kind', g.kind, 'title', g.title, 'keyLine', g.key_line,
          'footnotes', g.footnotes, 'columns', g.columns, 'position', g.position,
          'archivedAt', g.archived_at, 'archivedBy', g.archived_by, 'version', g.version,
          'updatedAt', g.updated_at
        ) order by g.position, g.id), '[]'::json) from measure_groups g where g.archived_at is null),
      'rows', (select coalesce(json_agg(json_build_object(
          'groupId', r.group_id, 'measureId', r.measure_id, 'titleAsWritten', r.title_as_written,
          'printedRating', r.printed_rating
        ) order by r.group_id, r.position), '[]'::json) from measure_rows r),
      'measures', (select coalesce(json_agg(json_build_object(
          'id', m.id, 'slug', m.slug, 'title', m.title, 'otherTitles', m.other_titles, 'code', m.code,
          'definition', m.definition, 'unit', m.unit, 'decimals', m.decimals, 'polarity', m.polarity,
          'frequency', m.frequency, 'basis', m.basis, 'source', m.source, 'owner', m.owner,
          'footnoteMarkers', m.footnote_markers, 'note', m.note, 'version', m.version,
          'updatedAt', m.updated_at, 'archivedAt', m.archived_at, 'archivedBy', m.archived_by,
          'mergedInto', m.merged_into
        ) order by m.id), '[]'::json) from measures m where m.archived_at is null)
    ) as listing`,
  );
  const raw = row?.listing;
  const frame = (typeof raw === "string" ? JSON.parse(raw) : raw) as ListingFrame;
  for (const measure of frame.measures) measure.updatedAt = new Date(measure.updatedAt);
  for (const group of frame.groups) group.updatedAt = new Date(group.updatedAt);
  return frame;
}

/** A value as a listing reads it (the columns of ListedValue), for a query aliasing measure_values as v. */
const LISTED_VALUE = sql`json_build_object(
  'id', v.id, 'measureId', v.measure_id, 'document', v.document, 'columnRole', v.column_role,
  'columnHeading', v.column_heading, 'periodLabel', v.period_label, 'periodKey', v.period_key,
  'cellText', v.cell_text, 'amount', v.amount::text, 'decimals', v.decimals,
  'ownPeriod', v.own_period, 'ownPeriodSpan', v.own_period_span, 'warnings', v.warnings,
  'current', v.current, 'version', v.version)`;

/** One JSON value from a query's single row and column, as PGlite or node-postgres gives it. */
function parsedJson<T>(raw: T | string | undefined, empty: T): T {
  if (raw === undefined || raw === null) return empty;
  return typeof raw === "string" ? (JSON.parse(raw) as T) : raw;
}

/** What a listed row shows of a measure: its figures in one document, for the period its table shows. */
export interface FigureRequest {
  measureId: number;
  document: string;
  /** The key of the period shown, and the role of the column showing it ("latest" or "value"). */
  periodKey: string;
  columnRole: string;
  /** The key of the period whose target the row shows. */
  targetKey: string;
}

export interface ListedFigures {
  /** The current value for the period and column shown (the earliest recorded, where several are). */
  latest: ListedValue | null;
  /** The current target for the target's period (the earliest recorded, where several are). */
  target: ListedTarget | null;
  /** The value in a "value" column of another period recorded last: the one a rating compares with. */
  previous: ListedValue | null;
}

/**
 * For each request, in order, the figures a listed row shows and rates, each found through the
 * listing's indexes (migration 0037): three rows a request, however many periods a measure has.
 */
export async function listedFigures(
  db: Database,
  requests: readonly FigureRequest[],
): Promise<ListedFigures[]> {
  if (requests.length === 0) return [];
  const wanted = JSON.stringify(
    requests.map((request, index) => ({
      i: index,
      m: request.measureId,
      d: request.document,
      k: request.periodKey,
      r: request.columnRole,
      t: request.targetKey,
    })),
  );
  const [row] = await queryRows<{ figures: ListedFigures[] | string }>(
    db,
    sql`select coalesce(json_agg(json_build_object(
        'latest', latest.value, 'target', target.value, 'previous', previous.value
      ) order by w.i), '[]'::json) as figures
      from json_to_recordset(${wanted}::json) as w(i int, m bigint, d text, k text, r text, t text)
      left join lateral (
        select ${LISTED_VALUE} as value from measure_values v
        where v.measure_id = w.m and v.current and v.document = w.d and v.column_role = w.r
          and v.period_key = w.k
        -- By period too (one period here), so the index that has it is the one used.
        order by v.period_key, v.id limit 1
      ) latest on true
      left join lateral (
        select json_build_object(
          'id', t.id, 'measureId', t.measure_id, 'document', t.document, 'periodLabel', t.period_label,
          'periodKey', t.period_key, 'targetText', t.target_text, 'current', t.current, 'version', t.version
        ) as value from measure_targets t
        where t.measure_id = w.m and t.current and t.document = w.d and t.period_key = w.t
        order by t.id limit 1
      ) target on true
      left join lateral (
        select ${LISTED_VALUE} as value from measure_values v
        where v.measure_id = w.m and v.current and v.document = w.d and v.column_role = 'value'
          and v.period_key <> w.k
        order by v.id desc limit 1
      ) previous on true`,
  );
  return parsedJson(row?.figures, []);
}

/** A measure's value for one period in one document, asked for by a rating ("improve on 2019/20"). */
export interface EarlierRequest {
  measureId: number;
  document: string;
  /** The role of the columns compared: "value". */
  columnRole: string;
  periodKey: string;
}

/**
 * For each request, in order, the current value in a column of that role for that period (the
 * earliest recorded, where several are), or null. The role is a parameter, not written in the
 * query, so the query is planned on measure_values_listed (PGlite keeps no statistics to choose by).
 */
export async function earlierValues(
  db: Database,
  requests: readonly EarlierRequest[],
): Promise<(ListedValue | null)[]> {
  if (requests.length === 0) return [];
  const wanted = JSON.stringify(
    requests.map((request, index) => ({
      i: index,
      m: request.measureId,
      d: request.document,
      r: request.columnRole,
      k: request.periodKey,
    })),
  );
  const [row] = await queryRows<{ values: (ListedValue | null)[] | string }>(
    db,
    sql`select coalesce(json_agg(found.value order by w.i), '[]'::json) as values
      from json_to_recordset(${wanted}::json) as w(i int, m bigint, d text, r text, k text)
      left join lateral (
        select ${LISTED_VALUE} as value from measure_values v
        where v.measure_id = w.m and v.current and v.document = w.d and v.column_role = w.r
          and v.period_key = w.k
        order by v.period_key, v.id limit 1
      ) found on true`,
  );
  return parsedJson(row?.values, []);
}

/**
 * The current benchmarks of the given measures for the given periods only, by period and then in
 * the order recorded (the order a rating takes them in).
 */
export async function listedBenchmarks(
  db: Database,
  requests: readonly { measureId: number; periodKey: string }[],
): Promise<ListedBenchmark[]> {
  if (requests.length === 0) return [];
  const wanted = JSON.stringify(requests.map((request) => ({ m: request.measureId, k: request.periodKey })));
  const [row] = await queryRows<{ benchmarks: ListedBenchmark[] | string }>(
    db,
    sql`select coalesce(json_agg(json_build_object(
        'measureId', b.measure_id, 'periodKey', b.period_key, 'periodLabel', b.period_label,
        'benchmarkGroup', b.benchmark_group, 'amount', b.amount::text
      ) order by b.period_key, b.id), '[]'::json) as benchmarks
      from (select distinct m, k from json_to_recordset(${wanted}::json) as w(m bigint, k text)) w
      join lateral (
        select * from measure_benchmarks b
        where b.measure_id = w.m and b.current and b.period_key = w.k
      ) b on true`,
  );
  return parsedJson(row?.benchmarks, []);
}

/** Adds a measure (the plan's links waiting for its title are the plan module's: `PlanLinks`). */
export async function insertMeasure(db: Database, values: typeof measures.$inferInsert): Promise<Measure> {
  const [row] = await db.insert(measures).values(values).returning();
  if (!row) throw new Error("measure insert returned nothing");
  return row;
}

/** The measure a plan's wording names: its title or one of its former titles (the earliest such measure). */
export async function measureIdTitled(db: Database, title: string): Promise<number | null> {
  const [row] = await queryRows<{ id: string | number }>(
    db,
    sql`select id from measures
        where title = ${title} or other_titles @> jsonb_build_array(${title}::text)
        order by id limit 1`,
  );
  return row ? Number(row.id) : null;
}

export function listMeasures(db: Database): Promise<Measure[]> {
  return db.select().from(measures).orderBy(asc(measures.id));
}

/** The measures not archived: what current pages list. */
export function listCurrentMeasures(db: Database): Promise<Measure[]> {
  return db.select().from(measures).where(isNull(measures.archivedAt)).orderBy(asc(measures.id));
}

/** The current (not archived) measures the council marks public, by title. */
export function listPublicMeasures(db: Database): Promise<Measure[]> {
  return db
    .select()
    .from(measures)
    .where(and(isNull(measures.archivedAt), eq(measures.isPublic, true)))
    .orderBy(asc(measures.title), asc(measures.id));
}

export async function findMeasure(db: Database, id: number): Promise<Measure | undefined> {
  const [row] = await db.select().from(measures).where(eq(measures.id, id));
  return row;
}

/** The measures with these ids, in no particular order; ids not found are left out. */
export function findMeasures(db: Database, ids: readonly number[]): Promise<Measure[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .select()
    .from(measures)
    .where(inArray(measures.id, [...ids]));
}

export async function upsertGroup(
  db: Database,
  values: typeof measureGroups.$inferInsert,
): Promise<MeasureGroup> {
  const [existing] = await db
    .select()
    .from(measureGroups)
    .where(and(eq(measureGroups.document, values.document), eq(measureGroups.title, values.title)));
  if (existing) {
    const [updated] = await db
      .update(measureGroups)
      .set(values)
      .where(eq(measureGroups.id, existing.id))
      .returning();
    await db.delete(measureRows).where(eq(measureRows.groupId, existing.id));
    return updated ?? existing;
  }
  const [row] = await db.insert(measureGroups).values(values).returning();
  if (!row) throw new Error("group insert returned nothing");
  return row;
}

/** The groups not archived, in order: what documents made from now on print. */
export function listGroups(db: Database): Promise<MeasureGroup[]> {
  return db
    .select()
    .from(measureGroups)
    .where(isNull(measureGroups.archivedAt))
    .orderBy(asc(measureGroups.position), asc(measureGroups.id));
}

/** Adds a table's rows, IMPORT_CHUNK a statement (a table of 10,000 rows in one VALUES is more parameters than a statement takes). */
export async function insertRows(db: Database, rows: (typeof measureRows.$inferInsert)[]): Promise<void> {
  await insertByUnnest<typeof measureRows.$inferInsert>(
    db,
    "measure_rows",
    [
      { column: "group_id", type: "bigint", of: (row) => row.groupId },
      { column: "measure_id", type: "bigint", of: (row) => row.measureId },
      { column: "position", type: "int", of: (row) => row.position },
      { column: "kind", type: "text", of: (row) => row.kind ?? "measure" },
      { column: "title_as_written", type: "text", of: (row) => row.titleAsWritten },
      { column: "printed_rating", type: "text", of: (row) => row.printedRating },
    ],
    rows,
  );
}

export function listRows(db: Database): Promise<MeasureRow[]> {
  return db.select().from(measureRows).orderBy(asc(measureRows.groupId), asc(measureRows.position));
}

export function rowsOfMeasure(db: Database, measureId: number): Promise<MeasureRow[]> {
  return db.select().from(measureRows).where(eq(measureRows.measureId, measureId));
}

/** The rows printing any of these measures, in the order rowsOfMeasure gives each measure's rows. */
export function rowsOfMeasures(db: Database, measureIds: readonly number[]): Promise<MeasureRow[]> {
  if (measureIds.length === 0) return Promise.resolve([]);
  return db
    .select()
    .from(measureRows)
    .where(inArray(measureRows.measureId, [...measureIds]));
}

/** Values stored before their own period was kept (migration 0014), with what reading them needs. */
export function valuesWithoutPeriod(db: Database) {
  return db
    .select({
      id: measureValues.id,
      cellText: measureValues.cellText,
      periodLabel: measureValues.periodLabel,
    })
    .from(measureValues)
    .where(isNull(measureValues.ownPeriodSpan))
    .orderBy(asc(measureValues.id));
}

export async function setValuePeriod(db: Database, id: number, ownPeriod: string, ownPeriodSpan: string) {
  await db.update(measureValues).set({ ownPeriod, ownPeriodSpan }).where(eq(measureValues.id, id));
}

export async function insertValue(
  db: Database,
  values: typeof measureValues.$inferInsert,
): Promise<MeasureValue> {
  const [row] = await db.insert(measureValues).values(values).returning();
  if (!row) throw new Error("value insert returned nothing");
  return row;
}

export async function insertTarget(
  db: Database,
  values: typeof measureTargets.$inferInsert,
): Promise<MeasureTarget> {
  const [row] = await db.insert(measureTargets).values(values).returning();
  if (!row) throw new Error("target insert returned nothing");
  return row;
}

/** Every value ever recorded for the measures given, current and superseded. */
export function valuesOf(db: Database, measureIds: number[]): Promise<MeasureValue[]> {
  if (measureIds.length === 0) return Promise.resolve([]);
  return db
    .select()
    .from(measureValues)
    .where(inArray(measureValues.measureId, measureIds))
    .orderBy(asc(measureValues.id));
}

/** A list as one array parameter: one value to send and plan however many it holds. */
function textArray(values: readonly string[]) {
  return sql`${sql.param([...values])}::text[]`;
}

function idArray(values: readonly number[]) {
  return sql`${sql.param([...values])}::bigint[]`;
}

/**
 * The current values of the measures given for the period keys given, in the order they were
 * recorded: a document reads the periods it shows, not every value ever recorded. `comparable`:
 * only figures a later period can be compared with (a value column's, with an amount).
 */
export function currentValuesForPeriods(
  db: Database,
  measureIds: readonly number[],
  periodKeys: readonly string[],
  options: { comparable?: boolean } = {},
): Promise<MeasureValue[]> {
  if (measureIds.length === 0 || periodKeys.length === 0) return Promise.resolve([]);
  return db
    .select()
    .from(measureValues)
    .where(
      and(
        eq(measureValues.current, true),
        sql`${measureValues.periodKey} = any(${textArray(periodKeys)})`,
        sql`${measureValues.measureId} = any(${idArray(measureIds)})`,
        ...(options.comparable
          ? [eq(measureValues.columnRole, "value"), isNotNull(measureValues.amount)]
          : []),
      ),
    )
    .orderBy(asc(measureValues.id));
}

/**
 * Every period key any current value is recorded for, each once. Read by skipping along the
 * index of current values' period keys (migration 0038), one step a key: the cost grows with the
 * number of periods, not with the number of values.
 */
export async function currentValuePeriodKeys(db: Database): Promise<string[]> {
  const rows = await queryRows<{ key: string | null }>(
    db,
    sql`with recursive keys(key) as (
      (select period_key from measure_values where current order by period_key limit 1)
      union all
      select (
        select v.period_key from measure_values v
        where v.current and v.period_key > keys.key order by v.period_key limit 1
      ) from keys where keys.key is not null
    ) select key from keys where key is not null`,
  );
  return rows.flatMap((row) => (row.key === null ? [] : [row.key]));
}

/**
 * The current values and targets one document gave the measures given, each in the order they
 * were recorded: what that document's own tables print, without the other documents' records.
 */
export async function currentRecordsOfDocument(
  db: Database,
  measureIds: readonly number[],
  document: string,
): Promise<{ values: MeasureValue[]; targets: MeasureTarget[] }> {
  if (measureIds.length === 0) return { values: [], targets: [] };
  const values = await db
    .select()
    .from(measureValues)
    .where(
      and(
        eq(measureValues.current, true),
        eq(measureValues.document, document),
        sql`${measureValues.measureId} = any(${idArray(measureIds)})`,
      ),
    )
    .orderBy(asc(measureValues.id));
  const targets = await db
    .select()
    .from(measureTargets)
    .where(
      and(
        eq(measureTargets.current, true),
        eq(measureTargets.document, document),
        sql`${measureTargets.measureId} = any(${idArray(measureIds)})`,
      ),
    )
    .orderBy(asc(measureTargets.id));
  return { values, targets };
}

/** The current targets of the measures given for the period keys given, in the order they were set. */
export function currentTargetsForPeriods(
  db: Database,
  measureIds: readonly number[],
  periodKeys: readonly string[],
): Promise<MeasureTarget[]> {
  if (measureIds.length === 0 || periodKeys.length === 0) return Promise.resolve([]);
  return db
    .select()
    .from(measureTargets)
    .where(
      and(
        eq(measureTargets.current, true),
        sql`${measureTargets.periodKey} = any(${textArray(periodKeys)})`,
        sql`${measureTargets.measureId} = any(${idArray(measureIds)})`,
      ),
    )
    .orderBy(asc(measureTargets.id));
}

export function targetsOf(db: Database, measureIds: number[]): Promise<MeasureTarget[]> {
  if (measureIds.length === 0) return Promise.resolve([]);
  return db
    .select()
    .from(measureTargets)
    .where(inArray(measureTargets.measureId, measureIds))
    .orderBy(asc(measureTargets.id));
}

export async function findValue(db: Database, id: number): Promise<MeasureValue | undefined> {
  const [row] = await db.select().from(measureValues).where(eq(measureValues.id, id));
  return row;
}

export async function findTarget(db: Database, id: number): Promise<MeasureTarget | undefined> {
  const [row] = await db.select().from(measureTargets).where(eq(measureTargets.id, id));
  return row;
}

export async function markValueSuperseded(db: Database, id: number, by: number): Promise<void> {
  await db.update(measureValues).set({ supersededBy: by }).where(eq(measureValues.id, id));
}

export async function markTargetSuperseded(db: Database, id: number, by: number): Promise<void> {
  await db.update(measureTargets).set({ supersededBy: by }).where(eq(measureTargets.id, id));
}

/** The current values a document recorded for a measure and period, which a new import of that document restates. */
export function currentValuesFor(
  db: Database,
  measureId: number,
  document: string,
  periodKey: string,
  role: string,
) {
  return db
    .select()
    .from(measureValues)
    .where(
      and(
        eq(measureValues.measureId, measureId),
        eq(measureValues.document, document),
        eq(measureValues.periodKey, periodKey),
        eq(measureValues.columnRole, role),
        eq(measureValues.current, true),
      ),
    );
}

// ---------------------------------------------------------------------------------------------
// Benchmark figures

export async function insertBenchmark(
  db: Database,
  values: typeof measureBenchmarks.$inferInsert,
): Promise<MeasureBenchmark> {
  const [row] = await db.insert(measureBenchmarks).values(values).returning();
  if (!row) throw new Error("benchmark insert returned nothing");
  return row;
}

/** Benchmarks read from value cells that have been replaced are no longer current (the ids as one array parameter). */
export async function retireBenchmarksOfValues(db: Database, valueIds: number[]): Promise<void> {
  if (valueIds.length === 0) return;
  await db
    .update(measureBenchmarks)
    .set({ current: false })
    .where(
      and(sql`${measureBenchmarks.valueId} = any(${idArray(valueIds)})`, eq(measureBenchmarks.current, true)),
    );
}

export function benchmarksOf(db: Database, measureIds: number[]): Promise<MeasureBenchmark[]> {
  if (measureIds.length === 0) return Promise.resolve([]);
  return db
    .select()
    .from(measureBenchmarks)
    .where(and(inArray(measureBenchmarks.measureId, measureIds), eq(measureBenchmarks.current, true)))
    .orderBy(asc(measureBenchmarks.periodKey), asc(measureBenchmarks.id));
}

// ---------------------------------------------------------------------------------------------
// Editing a measure's details

export type MeasureDetails = Pick<
  Measure,
  | "title"
  | "code"
  | "definition"
  | "unit"
  | "decimals"
  | "polarity"
  | "frequency"
  | "basis"
  | "source"
  | "owner"
>;

export function measureDetailsUpdate(details: MeasureDetails) {
  return { ...details, updatedAt: new Date() };
}

/** Updates a measure if it is still at `version`, bumping it; null when someone else saved first. */
export const updateMeasureIfVersion = versionedUpdate(measures);

/** Marks a value no longer current if it is still at `version`; null when someone else saved first. */
export const retireValueIfVersion = (db: Database, id: number, version: number) =>
  versionedUpdate(measureValues)(db, id, version, { current: false });

/** Marks a target no longer current if it is still at `version`; null when someone else saved first. */
export const retireTargetIfVersion = (db: Database, id: number, version: number) =>
  versionedUpdate(measureTargets)(db, id, version, { current: false });

/** Marks a value no longer current: a later reading of the same cell replaces it. */
export async function retireValue(db: Database, id: number): Promise<void> {
  await db.update(measureValues).set({ current: false }).where(eq(measureValues.id, id));
}

/** Marks a target no longer current: the same document restated it. */
export async function retireTarget(db: Database, id: number): Promise<void> {
  await db.update(measureTargets).set({ current: false }).where(eq(measureTargets.id, id));
}

// ---------------------------------------------------------------------------------------------
// Editing measures and groups through pages

/** Updates a group if it is still at `version`, bumping it; null when someone else saved first. */
export const updateGroupIfVersion = versionedUpdate(measureGroups);

export async function findGroup(db: Database, id: number): Promise<MeasureGroup | undefined> {
  const [row] = await db.select().from(measureGroups).where(eq(measureGroups.id, id));
  return row;
}

/** The groups not archived, in the order the measures list shows them. */
export const liveGroups = listGroups;

export function archivedGroups(db: Database): Promise<MeasureGroup[]> {
  return db
    .select()
    .from(measureGroups)
    .where(sql`${measureGroups.archivedAt} is not null`)
    .orderBy(asc(measureGroups.archivedAt));
}

export function archivedMeasures(db: Database): Promise<Measure[]> {
  return db
    .select()
    .from(measures)
    .where(sql`${measures.archivedAt} is not null`)
    .orderBy(asc(measures.archivedAt));
}

/** A group of the same document with this title (letter case ignored), other than `exceptId`. */
export async function groupTitled(
  db: Database,
  document: string,
  title: string,
  exceptId: number | null,
): Promise<MeasureGroup | undefined> {
  const [row] = await db
    .select()
    .from(measureGroups)
    .where(
      and(
        eq(measureGroups.document, document),
        sql`lower(${measureGroups.title}) = lower(${title})`,
        exceptId === null ? undefined : sql`${measureGroups.id} <> ${exceptId}`,
      ),
    );
  return row;
}

export async function insertGroup(
  db: Database,
  values: typeof measureGroups.$inferInsert,
): Promise<MeasureGroup> {
  const [row] = await db.insert(measureGroups).values(values).returning();
  if (!row) throw new Error("group insert returned nothing");
  return row;
}

/** A measure, archived or not, with this code (letter case and spaces around ignored), other than `exceptId`. */
export async function measureWithCode(
  db: Database,
  code: string,
  exceptId: number | null,
): Promise<Measure | undefined> {
  const [row] = await db
    .select()
    .from(measures)
    .where(
      and(
        sql`lower(btrim(${measures.code})) = lower(btrim(${code}))`,
        exceptId === null ? undefined : sql`${measures.id} <> ${exceptId}`,
      ),
    );
  return row;
}

export async function measureSlugTaken(db: Database, slug: string): Promise<boolean> {
  const [row] = await db.select({ id: measures.id }).from(measures).where(eq(measures.slug, slug));
  return row !== undefined;
}

/** Adds a measure's row at the end of a group's table. */
export async function appendRow(
  db: Database,
  groupId: number,
  measureId: number,
  title: string,
): Promise<void> {
  await db.execute(
    sql`insert into measure_rows (group_id, measure_id, position, kind, title_as_written)
        select ${groupId}, ${measureId}, coalesce(max(position), 0) + 1, 'measure', ${title}
        from measure_rows where group_id = ${groupId}`,
  );
}

/** Numbers these groups' positions 1, 2, 3, ... in the order given. */
export async function renumberGroups(db: Database, ids: readonly number[]): Promise<void> {
  for (const [index, id] of ids.entries()) {
    await db
      .update(measureGroups)
      .set({ position: index + 1 })
      .where(eq(measureGroups.id, id));
  }
}

/**
 * Moves everything recorded against one measure to another: values, targets, benchmark figures
 * and the table rows that print it (the plan's links to it move through `PlanLinks`). A benchmark link moves only when the
 * kept measure has none (a measure links to one benchmark).
 */
export async function moveMeasureRecords(db: Database, fromId: number, toId: number): Promise<void> {
  for (const table of [
    "measure_values",
    "measure_targets",
    "measure_benchmarks",
    "measure_rows",
    "measure_printed_ratings",
  ]) {
    await db.execute(
      sql`update ${sql.identifier(table)} set measure_id = ${toId} where measure_id = ${fromId}`,
    );
  }
  await db.execute(
    sql`update measure_benchmark_links set measure_id = ${toId}
        where measure_id = ${fromId}
          and not exists (select 1 from measure_benchmark_links kept where kept.measure_id = ${toId})`,
  );
}

// ---------------------------------------------------------------------------------------------
// Printed ratings: the rating a table printed for a measure and period (0035_printed_ratings.sql)

export type PrintedRating = typeof measurePrintedRatings.$inferSelect;

/** Every printed rating of these measures, current and superseded, oldest first. */
export function printedRatingsOf(db: Database, measureIds: readonly number[]): Promise<PrintedRating[]> {
  if (measureIds.length === 0) return Promise.resolve([]);
  return db
    .select()
    .from(measurePrintedRatings)
    .where(inArray(measurePrintedRatings.measureId, [...measureIds]))
    .orderBy(asc(measurePrintedRatings.id));
}

/** The current printed ratings one table gives a measure for a period (one, unless a table repeats a measure). */
export function currentPrintedRatings(
  db: Database,
  measureId: number,
  groupId: number,
  periodKey: string,
): Promise<PrintedRating[]> {
  return db
    .select()
    .from(measurePrintedRatings)
    .where(
      and(
        eq(measurePrintedRatings.measureId, measureId),
        eq(measurePrintedRatings.groupId, groupId),
        eq(measurePrintedRatings.periodKey, periodKey),
        eq(measurePrintedRatings.current, true),
      ),
    )
    .orderBy(asc(measurePrintedRatings.id));
}

export async function insertPrintedRating(
  db: Database,
  values: typeof measurePrintedRatings.$inferInsert,
): Promise<PrintedRating> {
  const [row] = await db.insert(measurePrintedRatings).values(values).returning();
  if (!row) throw new Error("printed rating insert returned nothing");
  return row;
}

/** Marks printed ratings superseded by a later edition's, keeping them. */
export async function supersedePrintedRatings(
  db: Database,
  ids: readonly number[],
  by: number,
): Promise<void> {
  if (ids.length === 0) return;
  await db
    .update(measurePrintedRatings)
    .set({ current: false, supersededBy: by })
    .where(inArray(measurePrintedRatings.id, [...ids]));
}

/** A listed row's printed rating asked for: the measure, the table that prints it, the period it shows. */
export interface PrintedRequest {
  measureId: number;
  groupId: number;
  periodKey: string;
}

/**
 * For each request, in order, the rating the table printed for the measure and period (the
 * latest recorded, where a table repeats a measure), or null where it printed none for that
 * period: one indexed read for the whole list, whatever the number of periods behind it.
 */
export async function listedPrintedRatings(
  db: Database,
  requests: readonly PrintedRequest[],
): Promise<(string | null)[]> {
  if (requests.length === 0) return [];
  const wanted = JSON.stringify(
    requests.map((request, index) => ({
      i: index,
      m: request.measureId,
      g: request.groupId,
      k: request.periodKey,
    })),
  );
  const [row] = await queryRows<{ ratings: (string | null)[] | string }>(
    db,
    sql`select coalesce(json_agg(found.rating_text order by w.i), '[]'::json) as ratings
      from json_to_recordset(${wanted}::json) as w(i int, m bigint, g bigint, k text)
      left join lateral (
        select p.rating_text from measure_printed_ratings p
        where p.measure_id = w.m and p.current and p.group_id = w.g and p.period_key = w.k
        order by p.id desc limit 1
      ) found on true`,
  );
  return parsedJson(row?.ratings, []);
}

// ---------------------------------------------------------------------------------------------
// An import's writes, many rows a statement (measures.import.ts): a few statements for a whole
// table, however many rows it has, each statement at most IMPORT_CHUNK rows so its parameters
// stay well under PostgreSQL's 65,535 (a value row has 16).

const IMPORT_CHUNK = 1_000;

function chunksOf<T>(rows: readonly T[]): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < rows.length; start += IMPORT_CHUNK) {
    chunks.push(rows.slice(start, start + IMPORT_CHUNK));
  }
  return chunks;
}

/** A column an import writes: its name, its type, and its value in a row. */
interface Written<T> {
  column: string;
  type: "text" | "bigint" | "int" | "numeric" | "jsonb";
  of: (row: T) => unknown;
}

/**
 * Inserts rows with one statement of unnest() arrays each IMPORT_CHUNK rows, a parameter a
 * column (Drizzle's multi-row VALUES took longer to build, 0.8 s for a thousand rows of three
 * columns, than PGlite took to run it), and gives the new ids in the order the rows were given:
 * within one statement the identity is drawn row after row in unnest's order, so the ids
 * returned, ascending, are the rows' in order. A JSON column travels as text and is cast.
 */
async function insertByUnnest<T>(
  db: Database,
  table: string,
  columns: readonly Written<T>[],
  rows: readonly T[],
): Promise<number[]> {
  const ids: number[] = [];
  for (const chunk of chunksOf(rows)) {
    const arrays = columns.map((column) => {
      const values = chunk.map((row) => {
        const value = column.of(row) ?? null;
        return column.type === "jsonb" && value !== null ? JSON.stringify(value) : value;
      });
      return sql`${sql.param(values)}::${sql.raw(column.type === "jsonb" ? "text" : column.type)}[]`;
    });
    const names = sql.raw(columns.map((column) => column.column).join(", "));
    const read = sql.raw(
      columns.map((column, index) => (column.type === "jsonb" ? `c${index}::jsonb` : `c${index}`)).join(", "),
    );
    const aliases = sql.raw(columns.map((_, index) => `c${index}`).join(", "));
    const returned = await queryRows<{ id: string | number }>(
      db,
      sql`insert into ${sql.identifier(table)} (${names})
          select ${read} from unnest(${sql.join(arrays, sql`, `)}) as w(${aliases}) returning id`,
    );
    if (returned.length !== chunk.length) throw new Error(`an insert into ${table} returned too few rows`);
    ids.push(...returned.map((row) => Number(row.id)).sort((x, y) => x - y));
  }
  return ids;
}

/** Adds measures, in the order given, and gives them back in that order. */
export async function insertMeasures(
  db: Database,
  rows: readonly Pick<typeof measures.$inferInsert, "slug" | "title" | "code">[],
): Promise<Measure[]> {
  const ids = await insertByUnnest(
    db,
    "measures",
    [
      { column: "slug", type: "text", of: (row) => row.slug },
      { column: "title", type: "text", of: (row) => row.title },
      { column: "code", type: "text", of: (row) => row.code },
    ],
    rows,
  );
  const added = new Map<number, Measure>();
  for (const chunk of chunksOf(ids)) {
    const found = await db
      .select()
      .from(measures)
      .where(sql`${measures.id} = any(${idArray(chunk)})`);
    for (const measure of found) added.set(measure.id, measure);
  }
  return ids.map((id) => added.get(id) as Measure);
}

/** A measure's new title from an import, to be saved only if the measure is still at `version`. */
export interface MeasureRetitle {
  id: number;
  version: number;
  title: string;
  otherTitles: string[];
  /** How many times the import retitled it (a table repeating the code), each a new version. */
  steps: number;
}

/**
 * Saves the titles an import gave measures, each only where the measure is still at the version
 * the import read; gives the ids saved (an id missing: someone else changed that measure first).
 */
export async function retitleMeasuresIfVersion(
  db: Database,
  retitles: readonly MeasureRetitle[],
  updatedAt: Date,
): Promise<Set<number>> {
  const saved = new Set<number>();
  for (const chunk of chunksOf(retitles)) {
    const rows = await queryRows<{ id: string | number }>(
      db,
      sql`update measures m set title = w.title, other_titles = w.other_titles::jsonb,
            updated_at = ${updatedAt.toISOString()}::timestamptz, version = m.version + w.steps
          from unnest(${idArray(chunk.map((r) => r.id))}, ${intArray(chunk.map((r) => r.version))},
            ${textArray(chunk.map((r) => r.title))},
            ${textArray(chunk.map((r) => JSON.stringify(r.otherTitles)))},
            ${intArray(chunk.map((r) => r.steps))}) as w(id, version, title, other_titles, steps)
          where m.id = w.id and m.version = w.version
          returning m.id`,
    );
    for (const row of rows) saved.add(Number(row.id));
  }
  return saved;
}

function intArray(values: readonly number[]) {
  return sql`${sql.param([...values])}::int[]`;
}

/** What an import restates: the current records of the measures it matched, each in the order recorded. */
export interface ImportedRecords {
  /** Current targets of the measures, from every document (a target notes another document's). */
  targets: MeasureTarget[];
  /** Current values of the measures from the import's document. */
  values: MeasureValue[];
  /** Current printed ratings of the measures in the import's table. */
  printedRatings: PrintedRating[];
}

/** The current records an import of `document` into the table `groupId` may restate, read once for all its rows. */
export async function currentRecordsForImport(
  db: Database,
  measureIds: readonly number[],
  document: string,
  groupId: number | null,
): Promise<ImportedRecords> {
  if (measureIds.length === 0) return { targets: [], values: [], printedRatings: [] };
  const ids = idArray(measureIds);
  const targets = await db
    .select()
    .from(measureTargets)
    .where(and(eq(measureTargets.current, true), sql`${measureTargets.measureId} = any(${ids})`))
    .orderBy(asc(measureTargets.id));
  const values = await db
    .select()
    .from(measureValues)
    .where(
      and(
        eq(measureValues.current, true),
        eq(measureValues.document, document),
        sql`${measureValues.measureId} = any(${ids})`,
      ),
    )
    .orderBy(asc(measureValues.id));
  const printedRatings =
    groupId === null
      ? []
      : await db
          .select()
          .from(measurePrintedRatings)
          .where(
            and(
              eq(measurePrintedRatings.current, true),
              eq(measurePrintedRatings.groupId, groupId),
              sql`${measurePrintedRatings.measureId} = any(${ids})`,
            ),
          )
          .orderBy(asc(measurePrintedRatings.id));
  return { targets, values, printedRatings };
}

type ValueRecord = typeof measureValues.$inferInsert;
type TargetRecord = typeof measureTargets.$inferInsert;
type PrintedRatingRecord = typeof measurePrintedRatings.$inferInsert;
type BenchmarkRecord = typeof measureBenchmarks.$inferInsert;

/** Adds values, IMPORT_CHUNK a statement; their ids in the order given. */
export function insertValues(db: Database, rows: readonly ValueRecord[]): Promise<number[]> {
  return insertByUnnest<ValueRecord>(
    db,
    "measure_values",
    [
      { column: "measure_id", type: "bigint", of: (row) => row.measureId },
      { column: "group_id", type: "bigint", of: (row) => row.groupId },
      { column: "document", type: "text", of: (row) => row.document },
      { column: "column_heading", type: "text", of: (row) => row.columnHeading },
      { column: "column_role", type: "text", of: (row) => row.columnRole },
      { column: "period_label", type: "text", of: (row) => row.periodLabel },
      { column: "period_key", type: "text", of: (row) => row.periodKey },
      { column: "cell_text", type: "text", of: (row) => row.cellText },
      { column: "amount", type: "numeric", of: (row) => row.amount },
      { column: "decimals", type: "int", of: (row) => row.decimals },
      { column: "status", type: "text", of: (row) => row.status },
      { column: "own_period", type: "text", of: (row) => row.ownPeriod },
      { column: "own_period_span", type: "text", of: (row) => row.ownPeriodSpan },
      { column: "notes", type: "text", of: (row) => row.notes },
      { column: "annotations", type: "jsonb", of: (row) => row.annotations ?? [] },
      { column: "warnings", type: "jsonb", of: (row) => row.warnings ?? [] },
      { column: "recorded_by", type: "text", of: (row) => row.recordedBy },
    ],
    rows,
  );
}

/** Adds targets, IMPORT_CHUNK a statement; their ids in the order given. */
export function insertTargets(db: Database, rows: readonly TargetRecord[]): Promise<number[]> {
  return insertByUnnest<TargetRecord>(
    db,
    "measure_targets",
    [
      { column: "measure_id", type: "bigint", of: (row) => row.measureId },
      { column: "group_id", type: "bigint", of: (row) => row.groupId },
      { column: "document", type: "text", of: (row) => row.document },
      { column: "period_label", type: "text", of: (row) => row.periodLabel },
      { column: "period_key", type: "text", of: (row) => row.periodKey },
      { column: "target_text", type: "text", of: (row) => row.targetText },
      { column: "kind", type: "text", of: (row) => row.kind },
      { column: "warnings", type: "jsonb", of: (row) => row.warnings ?? [] },
      { column: "changed_from", type: "text", of: (row) => row.changedFrom },
      { column: "recorded_by", type: "text", of: (row) => row.recordedBy },
    ],
    rows,
  );
}

/** Adds printed ratings, IMPORT_CHUNK a statement; their ids in the order given. */
export function insertPrintedRatings(db: Database, rows: readonly PrintedRatingRecord[]): Promise<number[]> {
  return insertByUnnest<PrintedRatingRecord>(
    db,
    "measure_printed_ratings",
    [
      { column: "measure_id", type: "bigint", of: (row) => row.measureId },
      { column: "group_id", type: "bigint", of: (row) => row.groupId },
      { column: "document", type: "text", of: (row) => row.document },
      { column: "period_label", type: "text", of: (row) => row.periodLabel },
      { column: "period_key", type: "text", of: (row) => row.periodKey },
      { column: "rating_text", type: "text", of: (row) => row.ratingText },
      { column: "cell_text", type: "text", of: (row) => row.cellText },
      { column: "recorded_by", type: "text", of: (row) => row.recordedBy },
    ],
    rows,
  );
}

/** Adds benchmark figures, IMPORT_CHUNK a statement. */
export async function insertBenchmarks(db: Database, rows: readonly BenchmarkRecord[]): Promise<void> {
  await insertByUnnest<BenchmarkRecord>(
    db,
    "measure_benchmarks",
    [
      { column: "measure_id", type: "bigint", of: (row) => row.measureId },
      { column: "value_id", type: "bigint", of: (row) => row.valueId },
      { column: "document", type: "text", of: (row) => row.document },
      { column: "period_label", type: "text", of: (row) => row.periodLabel },
      { column: "period_key", type: "text", of: (row) => row.periodKey },
      { column: "benchmark_group", type: "text", of: (row) => row.benchmarkGroup },
      { column: "label", type: "text", of: (row) => row.label },
      { column: "amount", type: "numeric", of: (row) => row.amount },
      { column: "decimals", type: "int", of: (row) => row.decimals },
      { column: "source", type: "text", of: (row) => row.source ?? "inline" },
      { column: "recorded_by", type: "text", of: (row) => row.recordedBy },
    ],
    rows,
  );
}

/** A record restated: no longer current, and which record replaced it. */
export interface Supersession {
  id: number;
  by: number;
}

async function supersede(
  db: Database,
  table: "measure_values" | "measure_targets" | "measure_printed_ratings",
  pairs: readonly Supersession[],
): Promise<void> {
  for (const chunk of chunksOf(pairs)) {
    await db.execute(
      sql`update ${sql.identifier(table)} t set current = false, superseded_by = w.by
          from unnest(${idArray(chunk.map((pair) => pair.id))}, ${idArray(chunk.map((pair) => pair.by))})
            as w(id, by)
          where t.id = w.id`,
    );
  }
}

/** Values restated by an import: no longer current, each pointing to the value that replaced it. */
export const supersedeValues = (db: Database, pairs: readonly Supersession[]) =>
  supersede(db, "measure_values", pairs);

/** Targets restated by an import: no longer current, each pointing to the target that replaced it. */
export const supersedeTargets = (db: Database, pairs: readonly Supersession[]) =>
  supersede(db, "measure_targets", pairs);

/** Printed ratings superseded by an import's, kept, each pointing to the one that replaced it. */
export const supersedePrintedRatingPairs = (db: Database, pairs: readonly Supersession[]) =>
  supersede(db, "measure_printed_ratings", pairs);
