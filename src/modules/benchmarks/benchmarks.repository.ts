import { sql } from "drizzle-orm";
import { canCopyCsv, copyCsv, type Database, queryRows } from "../../db/client.ts";

/**
 * All SQL of the benchmarks module. Bulk writes go through unnest() of typed arrays, a few
 * statements per ten thousand rows; on a PostgreSQL server the figures themselves (641,070 rows in
 * the whole LAIT file) are added with COPY instead.
 */

const BATCH = 10_000;

function textArray(values: readonly (string | null)[]) {
  return sql`${sql.param(values as (string | null)[])}::text[]`;
}

function intArray(values: readonly (number | null)[]) {
  return sql`${sql.param(values as (number | null)[])}::int[]`;
}

async function inBatches<T>(
  rows: readonly T[],
  write: (batch: readonly T[]) => Promise<unknown>,
): Promise<void> {
  for (let start = 0; start < rows.length; start += BATCH) await write(rows.slice(start, start + BATCH));
}

export interface AreaRecord {
  code: string;
  name: string;
  region: string | null;
  areaType: string | null;
  kind: "council" | "region" | "england";
}

export async function listAreas(db: Database): Promise<AreaRecord[]> {
  return queryRows<AreaRecord>(
    db,
    sql`select code, name, region, area_type as "areaType", kind from benchmark_areas order by name`,
  );
}

export async function upsertAreas(db: Database, areas: readonly AreaRecord[]): Promise<void> {
  await inBatches(areas, (batch) =>
    db.execute(sql`
      insert into benchmark_areas (code, name, region, area_type, kind)
      select * from unnest(${textArray(batch.map((a) => a.code))}, ${textArray(batch.map((a) => a.name))},
        ${textArray(batch.map((a) => a.region))}, ${textArray(batch.map((a) => a.areaType))},
        ${textArray(batch.map((a) => a.kind))})
      on conflict (code) do update set name = excluded.name, region = excluded.region,
        area_type = excluded.area_type, kind = excluded.kind, version = benchmark_areas.version + 1
      where (benchmark_areas.name, benchmark_areas.region, benchmark_areas.area_type, benchmark_areas.kind)
        is distinct from (excluded.name, excluded.region, excluded.area_type, excluded.kind)`),
  );
}

export interface MeasureRecord {
  code: string;
  title: string;
  chartTitle: string | null;
  topic: string | null;
  polarity: string;
  yearType: string;
  decimals: number | null;
  noQuartile: boolean;
  unitWords: string | null;
  status: string | null;
  lastUpdate: string | null;
  nextUpdate: string | null;
  nextUpdateWords: string | null;
  source: string | null;
}

export async function listMeasures(db: Database): Promise<MeasureRecord[]> {
  return queryRows<MeasureRecord>(
    db,
    sql`select code, title, chart_title as "chartTitle", topic, polarity, year_type as "yearType", decimals,
      no_quartile as "noQuartile", unit_words as "unitWords", status, last_update::text as "lastUpdate",
      next_update::text as "nextUpdate", next_update_words as "nextUpdateWords", source
      from benchmark_measures order by title, code`,
  );
}

export async function upsertMeasures(db: Database, measures: readonly MeasureRecord[]): Promise<void> {
  await inBatches(measures, (batch) =>
    db.execute(sql`
      insert into benchmark_measures (code, title, chart_title, topic, polarity, year_type, decimals, no_quartile,
        unit_words, status, last_update, next_update, next_update_words, source)
      select code, title, chart_title, topic, polarity, year_type, decimals, no_quartile::boolean, unit_words,
        status, last_update::date, next_update::date, next_update_words, source
      from unnest(${textArray(batch.map((m) => m.code))}, ${textArray(batch.map((m) => m.title))},
        ${textArray(batch.map((m) => m.chartTitle))}, ${textArray(batch.map((m) => m.topic))},
        ${textArray(batch.map((m) => m.polarity))}, ${textArray(batch.map((m) => m.yearType))},
        ${intArray(batch.map((m) => m.decimals))}, ${textArray(batch.map((m) => String(m.noQuartile)))},
        ${textArray(batch.map((m) => m.unitWords))}, ${textArray(batch.map((m) => m.status))},
        ${textArray(batch.map((m) => m.lastUpdate))}, ${textArray(batch.map((m) => m.nextUpdate))},
        ${textArray(batch.map((m) => m.nextUpdateWords))}, ${textArray(batch.map((m) => m.source))})
        as t(code, title, chart_title, topic, polarity, year_type, decimals, no_quartile, unit_words, status,
          last_update, next_update, next_update_words, source)
      on conflict (code) do update set title = excluded.title, chart_title = excluded.chart_title,
        topic = excluded.topic, polarity = excluded.polarity, year_type = excluded.year_type,
        decimals = excluded.decimals, no_quartile = excluded.no_quartile, unit_words = excluded.unit_words,
        status = excluded.status, last_update = excluded.last_update, next_update = excluded.next_update,
        next_update_words = excluded.next_update_words, source = excluded.source,
        version = benchmark_measures.version + 1
      where (benchmark_measures.title, benchmark_measures.chart_title, benchmark_measures.topic,
        benchmark_measures.polarity, benchmark_measures.year_type, benchmark_measures.decimals,
        benchmark_measures.no_quartile, benchmark_measures.unit_words, benchmark_measures.status,
        benchmark_measures.last_update, benchmark_measures.next_update, benchmark_measures.next_update_words,
        benchmark_measures.source)
        is distinct from (excluded.title, excluded.chart_title, excluded.topic, excluded.polarity,
        excluded.year_type, excluded.decimals, excluded.no_quartile, excluded.unit_words, excluded.status,
        excluded.last_update, excluded.next_update, excluded.next_update_words, excluded.source)`),
  );
}

export interface NeighbourRecord {
  model: string;
  areaCode: string;
  position: number;
  neighbourCode: string;
  closeness: string | null;
}

export async function listNeighbours(db: Database): Promise<NeighbourRecord[]> {
  return queryRows<NeighbourRecord>(
    db,
    sql`select model, area_code as "areaCode", position, neighbour_code as "neighbourCode", closeness
      from benchmark_neighbours order by model, area_code, position`,
  );
}

/** Replaces a model's groupings with those given (a model is published whole). */
export async function replaceNeighbours(
  db: Database,
  model: string,
  rows: readonly NeighbourRecord[],
): Promise<void> {
  await db.execute(sql`delete from benchmark_neighbours where model = ${model}`);
  await inBatches(rows, (batch) =>
    db.execute(sql`
      insert into benchmark_neighbours (model, area_code, position, neighbour_code, closeness)
      select * from unnest(${textArray(batch.map((r) => r.model))}, ${textArray(batch.map((r) => r.areaCode))},
        ${intArray(batch.map((r) => r.position))}, ${textArray(batch.map((r) => r.neighbourCode))},
        ${textArray(batch.map((r) => r.closeness))})`),
  );
}

/** A current figure as stored: the amount as exact decimal text, or the suppression code. */
export interface StoredValue {
  measureCode: string;
  periodLabel: string;
  areaCode: string;
  amount: string | null;
  code: string | null;
  rank: number | null;
  rankOf: number | null;
  band: string | null;
}

/**
 * The current figures of the given measures. Read as one packed text per measure and period
 * rather than a row per figure: an embedded database hands back 600,000 rows slowly, 4,000 fast.
 */
export async function currentValuesFor(
  db: Database,
  measureCodes: readonly string[],
): Promise<StoredValue[]> {
  if (measureCodes.length === 0) return [];
  const packed = await queryRows<{ measureCode: string; periodLabel: string; figures: string }>(
    db,
    sql`select measure_code as "measureCode", period_label as "periodLabel",
      string_agg(concat_ws(chr(31), area_code, coalesce(amount::text, ''), coalesce(code, ''),
        coalesce(rank::text, ''), coalesce(rank_of::text, ''), coalesce(band, '')), chr(30)) as figures
      from benchmark_values where current and measure_code = any(${textArray(measureCodes)})
      group by measure_code, period_label`,
  );
  const values: StoredValue[] = [];
  for (const { measureCode, periodLabel, figures } of packed) {
    for (const figure of figures.split("\u001e")) {
      const [areaCode = "", amount = "", code = "", rank = "", rankOf = "", band = ""] =
        figure.split("\u001f");
      values.push({
        measureCode,
        periodLabel,
        areaCode,
        amount: amount === "" ? null : amount,
        code: code === "" ? null : code,
        rank: rank === "" ? null : Number(rank),
        rankOf: rankOf === "" ? null : Number(rankOf),
        band: band === "" ? null : band,
      });
    }
  }
  return values;
}

export async function insertImport(
  db: Database,
  input: { files: string[]; added: number; restated: number; actor: string },
): Promise<number> {
  const [row] = await queryRows<{ id: number }>(
    db,
    sql`insert into benchmark_imports (files, added, restated, recorded_by)
      values (${JSON.stringify(input.files)}::jsonb, ${input.added}, ${input.restated}, ${input.actor}) returning id`,
  );
  return Number(row?.id);
}

export interface ValueKey {
  measureCode: string;
  periodLabel: string;
  areaCode: string;
}

/** Marks the current rows of the given keys as replaced by an import (kept for history). */
export async function retireValues(db: Database, keys: readonly ValueKey[], importId: number): Promise<void> {
  await inBatches(keys, (batch) =>
    db.execute(sql`
      update benchmark_values v set current = false, replaced_by_import = ${importId}
      from unnest(${textArray(batch.map((k) => k.measureCode))}, ${textArray(batch.map((k) => k.periodLabel))},
        ${textArray(batch.map((k) => k.areaCode))}) as k(measure_code, period_label, area_code)
      where v.current and v.measure_code = k.measure_code and v.period_label = k.period_label
        and v.area_code = k.area_code`),
  );
}

/** A CSV field as COPY reads it: text always quoted (so "" is empty text), null left empty. */
function csvField(value: string | number | null): string {
  if (value === null) return "";
  if (typeof value === "number") return String(value);
  return value.includes('"') ? `"${value.replaceAll('"', '""')}"` : `"${value}"`;
}

/** Below this many rows a load keeps the indexes: dropping and building them costs more than it saves. */
const REBUILD_FROM = 50_000;

/**
 * Before a load that at least doubles the figures stored (the first import of a whole LAIT file),
 * drops benchmark_values' primary key and indexes, and gives the statements that build them again:
 * PostgreSQL builds an index over 641,070 rows in one sort in about a third of the time it takes
 * to add them to it one by one. The definitions are read from the catalogue, so they stay those
 * of the migrations; dropped and built inside the import's transaction, so a failed import (or a
 * duplicate the unique index finds) leaves them as they were. Other sessions' reads of the
 * figures wait for the import to finish meanwhile. Nothing is dropped for a smaller load.
 */
async function dropIndexesForLoad(db: Database, adding: number): Promise<string[]> {
  if (adding < REBUILD_FROM) return [];
  const [count] = await queryRows<{ stored: number }>(
    db,
    sql`select count(*)::int as stored from benchmark_values`,
  );
  if ((count?.stored ?? 0) > adding) return [];
  const constraints = await queryRows<{ name: string; definition: string }>(
    db,
    sql`select conname as name, pg_get_constraintdef(oid) as definition from pg_constraint
      where conrelid = 'benchmark_values'::regclass and contype in ('p', 'u') order by conname`,
  );
  const indexes = await queryRows<{ name: string; definition: string }>(
    db,
    sql`select i.relname as name, pg_get_indexdef(i.oid) as definition
      from pg_index x join pg_class i on i.oid = x.indexrelid
      where x.indrelid = 'benchmark_values'::regclass
        and not exists (select 1 from pg_constraint c where c.conindid = x.indexrelid)
      order by i.relname`,
  );
  const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;
  for (const c of constraints) {
    await db.execute(sql.raw(`alter table benchmark_values drop constraint ${quoted(c.name)}`));
  }
  for (const i of indexes) await db.execute(sql.raw(`drop index ${quoted(i.name)}`));
  // One sort in memory for each index rather than a merge through temporary files.
  await db.execute(sql`set local maintenance_work_mem = '256MB'`);
  return [
    ...constraints.map(
      (c) => `alter table benchmark_values add constraint ${quoted(c.name)} ${c.definition}`,
    ),
    ...indexes.map((i) => i.definition),
  ];
}

/** Rows of CSV in each piece written to COPY: short-lived texts, cheap for the garbage collector. */
const COPY_PIECE = 2_000;

/** The figures as CSV for COPY, a few thousand rows to a piece. */
function* valuesCsv(rows: readonly StoredValue[], importId: number): Generator<string> {
  let piece = "";
  let count = 0;
  for (const r of rows) {
    piece += `${csvField(r.measureCode)},${csvField(r.periodLabel)},${csvField(r.areaCode)},${csvField(r.amount)},${csvField(r.code)},${csvField(r.rank)},${csvField(r.rankOf)},${csvField(r.band)},${importId}\n`;
    count += 1;
    if (count === COPY_PIECE) {
      yield piece;
      piece = "";
      count = 0;
    }
  }
  if (piece !== "") yield piece;
}

/**
 * Adds figures, inside the import's transaction. On a PostgreSQL server with COPY (see copyCsv):
 * the whole LAIT file is 641,070 rows, which COPY loads several times faster than statements,
 * written as CSV a piece at a time. On PGlite as statements of unnest() arrays, which it runs
 * faster than its own COPY into an indexed table.
 */
export async function insertValues(
  db: Database,
  rows: readonly StoredValue[],
  importId: number,
): Promise<void> {
  if (canCopyCsv(db)) {
    const rebuilt = await dropIndexesForLoad(db, rows.length);
    await copyCsv(
      db,
      "benchmark_values (measure_code, period_label, area_code, amount, code, rank, rank_of, band, import_id)",
      valuesCsv(rows, importId),
    );
    for (const statement of rebuilt) await db.execute(sql.raw(statement));
    return;
  }
  await inBatches(rows, (batch) =>
    db.execute(sql`
      insert into benchmark_values (measure_code, period_label, area_code, amount, code, rank, rank_of, band, import_id)
      select measure_code, period_label, area_code, amount::numeric, code, rank, rank_of, band, ${importId}
      from unnest(${textArray(batch.map((r) => r.measureCode))}, ${textArray(batch.map((r) => r.periodLabel))},
        ${textArray(batch.map((r) => r.areaCode))}, ${textArray(batch.map((r) => r.amount))},
        ${textArray(batch.map((r) => r.code))}, ${intArray(batch.map((r) => r.rank))},
        ${intArray(batch.map((r) => r.rankOf))}, ${textArray(batch.map((r) => r.band))})
        as t(measure_code, period_label, area_code, amount, code, rank, rank_of, band)`),
  );
}

/** Sets the rank and band of current rows whose placing changed because others in their period did. */
export async function updatePlacings(db: Database, rows: readonly StoredValue[]): Promise<void> {
  await inBatches(rows, (batch) =>
    db.execute(sql`
      update benchmark_values v set rank = t.rank, rank_of = t.rank_of, band = t.band
      from unnest(${textArray(batch.map((r) => r.measureCode))}, ${textArray(batch.map((r) => r.periodLabel))},
        ${textArray(batch.map((r) => r.areaCode))}, ${intArray(batch.map((r) => r.rank))},
        ${intArray(batch.map((r) => r.rankOf))}, ${textArray(batch.map((r) => r.band))})
        as t(measure_code, period_label, area_code, rank, rank_of, band)
      where v.current and v.measure_code = t.measure_code and v.period_label = t.period_label
        and v.area_code = t.area_code`),
  );
}

export interface PeriodRecord {
  measureCode: string;
  label: string;
  description: string;
  starts: string;
  ends: string;
  status: string | null;
  q25: string | null;
  q50: string | null;
  q75: string | null;
  councilsWithValue: number;
}

export async function upsertPeriods(db: Database, periods: readonly PeriodRecord[]): Promise<void> {
  await inBatches(periods, (batch) =>
    db.execute(sql`
      insert into benchmark_periods (measure_code, label, description, starts, ends, status, q25, q50, q75,
        councils_with_value)
      select measure_code, label, description, starts::date, ends::date, status, q25::numeric, q50::numeric,
        q75::numeric, councils
      from unnest(${textArray(batch.map((p) => p.measureCode))}, ${textArray(batch.map((p) => p.label))},
        ${textArray(batch.map((p) => p.description))}, ${textArray(batch.map((p) => p.starts))},
        ${textArray(batch.map((p) => p.ends))}, ${textArray(batch.map((p) => p.status))},
        ${textArray(batch.map((p) => p.q25))}, ${textArray(batch.map((p) => p.q50))},
        ${textArray(batch.map((p) => p.q75))}, ${intArray(batch.map((p) => p.councilsWithValue))})
        as t(measure_code, label, description, starts, ends, status, q25, q50, q75, councils)
      on conflict (measure_code, label) do update set description = excluded.description,
        starts = excluded.starts, ends = excluded.ends, status = excluded.status, q25 = excluded.q25,
        q50 = excluded.q50, q75 = excluded.q75, councils_with_value = excluded.councils_with_value`),
  );
}

export async function listPeriods(db: Database, measureCode: string): Promise<PeriodRecord[]> {
  return queryRows<PeriodRecord>(
    db,
    sql`select measure_code as "measureCode", label, description, starts::text as starts, ends::text as ends,
      status, q25::text as q25, q50::text as q50, q75::text as q75, councils_with_value as "councilsWithValue"
      from benchmark_periods where measure_code = ${measureCode} order by ends, label`,
  );
}

/** One row of a measure and period's table: every area (councils, regions, England) with its figure. */
export interface TableRow {
  areaCode: string;
  areaName: string;
  region: string | null;
  kind: "council" | "region" | "england";
  amount: string | null;
  code: string | null;
  rank: number | null;
  rankOf: number | null;
  band: string | null;
}

export async function periodTable(
  db: Database,
  measureCode: string,
  periodLabel: string,
): Promise<TableRow[]> {
  return queryRows<TableRow>(
    db,
    sql`select v.area_code as "areaCode", a.name as "areaName", a.region, a.kind, v.amount::text as amount, v.code,
      v.rank, v.rank_of as "rankOf", v.band
      from benchmark_values v join benchmark_areas a on a.code = v.area_code
      where v.current and v.measure_code = ${measureCode} and v.period_label = ${periodLabel}
      order by a.name`,
  );
}

/** Every current figure of one measure for the given areas, all periods. */
export async function seriesFor(
  db: Database,
  measureCode: string,
  areaCodes: readonly string[],
): Promise<StoredValue[]> {
  return queryRows<StoredValue>(
    db,
    sql`select measure_code as "measureCode", period_label as "periodLabel", area_code as "areaCode",
      amount::text as amount, code, rank, rank_of as "rankOf", band
      from benchmark_values where current and measure_code = ${measureCode}
        and area_code = any(${textArray(areaCodes)})`,
  );
}

export async function valueHistory(
  db: Database,
  key: ValueKey,
): Promise<{ amount: string | null; code: string | null; current: boolean; importId: number }[]> {
  return queryRows(
    db,
    sql`select amount::text as amount, code, current, import_id as "importId" from benchmark_values
      where measure_code = ${key.measureCode} and period_label = ${key.periodLabel} and area_code = ${key.areaCode}
      order by id`,
  );
}

export async function countValues(db: Database): Promise<{ all: number; current: number }> {
  const [row] = await queryRows<{ all: string; current: string }>(
    db,
    sql`select count(*)::text as "all", count(*) filter (where current)::text as current from benchmark_values`,
  );
  return { all: Number(row?.all ?? 0), current: Number(row?.current ?? 0) };
}

/** How many imports of the Department's files have been recorded. */
export async function countImports(db: Database): Promise<number> {
  const [row] = await queryRows<{ n: string }>(db, sql`select count(*)::text as n from benchmark_imports`);
  return Number(row?.n ?? 0);
}

/** Links the council's measures (by slug) to benchmark measures (by LAIT code); returns how many were linked. */
export async function linkMeasuresBySlug(
  db: Database,
  links: Readonly<Record<string, string>>,
): Promise<number> {
  const entries = Object.entries(links);
  if (entries.length === 0) return 0;
  const rows = await queryRows<{ measure_id: number }>(
    db,
    sql`insert into measure_benchmark_links (measure_id, benchmark_code)
      select m.id, t.code from unnest(${textArray(entries.map(([slug]) => slug))},
        ${textArray(entries.map(([, code]) => code))}) as t(slug, code)
      join measures m on m.slug = t.slug join benchmark_measures b on b.code = t.code
      on conflict (measure_id) do update set benchmark_code = excluded.benchmark_code,
        version = measure_benchmark_links.version + 1
      returning measure_id`,
  );
  return rows.length;
}

/** The benchmark measures the given council measures are linked to. */
export async function linksOf(
  db: Database,
  measureIds: readonly number[],
): Promise<{ measureId: number; code: string }[]> {
  if (measureIds.length === 0) return [];
  return queryRows(
    db,
    sql`select measure_id::int as "measureId", benchmark_code as code from measure_benchmark_links
      where measure_id = any(${intArray(measureIds)}) and benchmark_code is not null`,
  );
}

/** A council measure with its link: the benchmark code (null when none) and the link's version (0 when never linked). */
export interface MeasureLink {
  measureId: number;
  title: string;
  code: string | null;
  version: number;
}

export async function measureLink(db: Database, measureId: number): Promise<MeasureLink | null> {
  const [row] = await queryRows<MeasureLink>(
    db,
    sql`select m.id::int as "measureId", m.title, l.benchmark_code as code, coalesce(l.version, 0)::int as version
      from measures m left join measure_benchmark_links l on l.measure_id = m.id
      where m.id = ${measureId}`,
  );
  return row ?? null;
}

/**
 * Sets (or, with null, removes) a measure's link if it is still at the version the form was
 * opened at; false when someone changed it since.
 */
export async function writeLink(
  db: Database,
  measureId: number,
  code: string | null,
  openedAt: number,
): Promise<boolean> {
  const rows =
    openedAt === 0
      ? await queryRows(
          db,
          sql`insert into measure_benchmark_links (measure_id, benchmark_code) values (${measureId}, ${code})
            on conflict (measure_id) do nothing returning measure_id`,
        )
      : await queryRows(
          db,
          sql`update measure_benchmark_links set benchmark_code = ${code}, version = version + 1
            where measure_id = ${measureId} and version = ${openedAt} returning measure_id`,
        );
  return rows.length === 1;
}

/** The periods of several benchmark measures, in date order. */
export async function periodsOfMeasures(db: Database, codes: readonly string[]): Promise<PeriodRecord[]> {
  if (codes.length === 0) return [];
  return queryRows<PeriodRecord>(
    db,
    sql`select measure_code as "measureCode", label, description, starts::text as starts, ends::text as ends,
      status, q25::text as q25, q50::text as q50, q75::text as q75, councils_with_value as "councilsWithValue"
      from benchmark_periods where measure_code = any(${textArray(codes)}) order by measure_code, ends, label`,
  );
}

/** Every current figure of several measures for the given areas, all periods. */
export async function seriesOfMeasures(
  db: Database,
  codes: readonly string[],
  areaCodes: readonly string[],
): Promise<StoredValue[]> {
  if (codes.length === 0 || areaCodes.length === 0) return [];
  return queryRows<StoredValue>(
    db,
    sql`select measure_code as "measureCode", period_label as "periodLabel", area_code as "areaCode",
      amount::text as amount, code, rank, rank_of as "rankOf", band
      from benchmark_values where current and measure_code = any(${textArray(codes)})
        and area_code = any(${textArray(areaCodes)})`,
  );
}

/**
 * Every council's current figure of several measures, packed as comma-separated text per measure
 * and period (councils without a figure are left out).
 */
export async function councilFiguresOfMeasures(
  db: Database,
  codes: readonly string[],
): Promise<{ measureCode: string; periodLabel: string; amounts: string }[]> {
  if (codes.length === 0) return [];
  return queryRows(
    db,
    sql`select v.measure_code as "measureCode", v.period_label as "periodLabel",
      string_agg(v.amount::text, ',' order by v.area_code) as amounts
      from benchmark_values v join benchmark_areas a on a.code = v.area_code
      where v.current and a.kind = 'council' and v.amount is not null
        and v.measure_code = any(${textArray(codes)})
      group by v.measure_code, v.period_label`,
  );
}
