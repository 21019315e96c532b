import { z } from "zod";
import type { Database } from "../../db/client.ts";
import { neighbourMean, plainDecimal, showToDecimals } from "../../domain/benchmark-data.ts";
import type { PublishedBenchmark, PublishedPeriodFigures } from "../../domain/benchmark-targets.ts";
import { differenceExact } from "../../domain/benchmarks.ts";
import { monthAndYear } from "../../domain/calendar.ts";
import { NotFound, ValidationFailed } from "../../errors.ts";
import { recordAuditEvent } from "../audit/audit.service.ts";
import * as settings from "../settings/settings.service.ts";
import { STATISTICS_SOURCE } from "./benchmarks.import.ts";
import * as repository from "./benchmarks.repository.ts";

export { DIRECTIONS_SOURCE, importBenchmarks, REPORTING_YEARS } from "./benchmarks.import.ts";

/** Settings the council chooses (kept in the settings table). */
export const COUNCIL_DFE_CODE = "council.dfe_code";
export const NEIGHBOUR_MODEL = "benchmarks.neighbour_model";
export const IN_LINE_TOLERANCE = "benchmarks.in_line_tolerance";

/** Where the figures come from, as explanations cite it. */
const SOURCE_WORDS = "DfE, LAIT";

/** How a measure's figures are cited: the LAIT's, or a statistics file's. */
export function sourceWords(measure: Pick<repository.MeasureRecord, "source">): string {
  return measure.source === STATISTICS_SOURCE ? STATISTICS_SOURCE : SOURCE_WORDS;
}

export const POLARITY_WORDS: Readonly<Record<string, string>> = {
  "higher-is-better": "higher is better",
  "lower-is-better": "lower is better",
  monitor: "no better or worse direction",
};

export interface BenchmarkMeasureSummary {
  code: string;
  title: string;
  topic: string | null;
  polarityWords: string;
}

/** Benchmark measures whose code, title or topic contains every word searched for. */
export async function findMeasures(db: Database, search: string): Promise<BenchmarkMeasureSummary[]> {
  const words = search.toLowerCase().split(/\s+/).filter(Boolean);
  const measures = await repository.listMeasures(db);
  return measures
    .filter((m) => {
      const haystack = `${m.code} ${m.title} ${m.topic ?? ""} ${m.chartTitle ?? ""}`.toLowerCase();
      return words.every((w) => haystack.includes(w));
    })
    .map((m) => ({
      code: m.code,
      title: m.title,
      topic: m.topic,
      polarityWords: POLARITY_WORDS[m.polarity] ?? m.polarity,
    }));
}

export async function findMeasure(db: Database, code: string): Promise<repository.MeasureRecord> {
  const measure = (await repository.listMeasures(db)).find((m) => m.code === code);
  if (measure === undefined) throw new NotFound(`The benchmark measure ${code}`);
  return measure;
}

export interface OurCouncil {
  /** The council's DfE code from its settings, or null when none is set. */
  code: string | null;
  area: repository.AreaRecord | null;
  regionArea: repository.AreaRecord | null;
  neighbourModel: string | null;
  neighbours: repository.AreaRecord[];
}

/** "Inner London" in the code list is the area "London (Inner)"; names otherwise match without case. */
function sameRegion(councilRegion: string, areaName: string): boolean {
  const norm = (s: string) =>
    s
      .toLowerCase()
      .replace(/^(inner|outer) london$/, "london ($1)")
      .trim();
  return norm(councilRegion) === norm(areaName);
}

const TEXT_SETTING = z.string().nullable();

/** A benchmark setting kept as text (a DfE code, a tolerance, a model's name); null where none. */
async function textSetting(db: Database, key: string): Promise<string | null> {
  return settings.readSetting(db, key, TEXT_SETTING);
}

/** The council whose figures are "ours": its DfE code from settings, its region and its neighbours. */
export async function ourCouncil(db: Database): Promise<OurCouncil> {
  const code = await textSetting(db, COUNCIL_DFE_CODE);
  const areas = await repository.listAreas(db);
  const area = code === null ? null : (areas.find((a) => a.code === code) ?? null);
  const regionArea =
    area?.region == null
      ? null
      : (areas.find((a) => a.kind === "region" && sameRegion(area.region ?? "", a.name)) ?? null);
  const allNeighbours = await repository.listNeighbours(db);
  const models = [...new Set(allNeighbours.map((n) => n.model))].sort();
  const chosen = await textSetting(db, NEIGHBOUR_MODEL);
  // The newest model unless the council has chosen one ("2025" sorts after "April 2021" by year).
  const byYear = (m: string) => Number(/\d{4}/.exec(m)?.[0] ?? 0);
  const neighbourModel = chosen ?? models.sort((a, b) => byYear(a) - byYear(b)).at(-1) ?? null;
  const byCode = new Map(areas.map((a) => [a.code, a]));
  const neighbours =
    area === null
      ? []
      : allNeighbours
          .filter((n) => n.model === neighbourModel && n.areaCode === area.code)
          .map((n) => byCode.get(n.neighbourCode))
          .filter((a): a is repository.AreaRecord => a !== undefined);
  return { code, area, regionArea, neighbourModel, neighbours };
}

export interface TableEntry {
  areaCode: string;
  areaName: string;
  region: string | null;
  kind: "council" | "region" | "england";
  /** The figure as published (exact), or null. */
  value: string | null;
  /** The figure shown to the measure's published decimals, or the suppression code. */
  shown: string;
  rank: number | null;
  rankOf: number | null;
  band: string | null;
  isOurs: boolean;
  isOurRegion: boolean;
  isNeighbour: boolean;
}

export interface PeriodTable {
  measure: repository.MeasureRecord;
  period: repository.PeriodRecord;
  entries: TableEntry[];
  /** England, the region and the statistical-neighbour mean, where there are figures. */
  england: TableEntry | null;
  region: TableEntry | null;
  neighbourAverage: { shown: string; counted: number; of: number } | null;
  ours: OurCouncil;
}

export type SortKey = "name" | "value" | "rank" | "region";

export async function periodTableFor(
  db: Database,
  measureCode: string,
  periodLabel: string,
  sort: { key: SortKey; descending: boolean } = { key: "rank", descending: false },
): Promise<PeriodTable> {
  const measure = await findMeasure(db, measureCode);
  const period = (await repository.listPeriods(db, measureCode)).find((p) => p.label === periodLabel);
  if (period === undefined) throw new NotFound(`The period ${periodLabel} of ${measure.title}`);
  const ours = await ourCouncil(db);
  const neighbourCodes = new Set(ours.neighbours.map((n) => n.code));
  const rows = await repository.periodTable(db, measureCode, periodLabel);
  const entries = rows.map(
    (r): TableEntry => ({
      areaCode: r.areaCode,
      areaName: r.areaName,
      region: r.region,
      kind: r.kind,
      value: r.amount,
      shown: r.amount === null ? (r.code ?? "") : showToDecimals(r.amount, measure.decimals),
      rank: r.rank,
      rankOf: r.rankOf,
      band: r.band,
      isOurs: r.areaCode === ours.code,
      isOurRegion: r.areaCode === ours.regionArea?.code,
      isNeighbour: neighbourCodes.has(r.areaCode),
    }),
  );
  const councils = entries.filter((e) => e.kind === "council");
  const england = entries.find((e) => e.kind === "england" && e.value !== null) ?? null;
  const region = entries.find((e) => e.isOurRegion) ?? null;
  const neighbourFigures = councils
    .filter((e) => e.isNeighbour)
    .map((e) => (e.value === null ? null : Number(e.value)));
  const mean = neighbourMean(neighbourFigures);
  const neighbourAverage =
    mean === null
      ? null
      : {
          shown: showToDecimals(plainDecimal(Number(mean.mean.toFixed(6))), measure.decimals),
          counted: mean.counted,
          of: neighbourFigures.length,
        };
  return {
    measure,
    period,
    entries: sortEntries(councils, sort),
    england,
    region,
    neighbourAverage,
    ours,
  };
}

function sortEntries(entries: TableEntry[], sort: { key: SortKey; descending: boolean }): TableEntry[] {
  const direction = sort.descending ? -1 : 1;
  const nullsLast = (a: number | null, b: number | null): number =>
    a === null ? (b === null ? 0 : 1) : b === null ? -1 : direction * (a - b);
  const compare: Record<SortKey, (a: TableEntry, b: TableEntry) => number> = {
    name: (a, b) => direction * a.areaName.localeCompare(b.areaName),
    region: (a, b) =>
      direction * (a.region ?? "").localeCompare(b.region ?? "") || a.areaName.localeCompare(b.areaName),
    value: (a, b) =>
      nullsLast(a.value === null ? null : Number(a.value), b.value === null ? null : Number(b.value)) ||
      a.areaName.localeCompare(b.areaName),
    rank: (a, b) => nullsLast(a.rank, b.rank) || a.areaName.localeCompare(b.areaName),
  };
  return [...entries].sort(compare[sort.key]);
}

/** The table as CSV: exactly la_code,la_name,region,value,rank,rank_of,quartile_band, one row per council. */
export function periodTableCsv(table: PeriodTable): string {
  const cell = (v: string | number | null): string => {
    const text = v === null ? "" : String(v);
    return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const lines = ["la_code,la_name,region,value,rank,rank_of,quartile_band"];
  const byCode = [...table.entries].sort((a, b) => a.areaName.localeCompare(b.areaName));
  for (const e of byCode) {
    lines.push(
      [e.areaCode, e.areaName, e.region, e.value ?? (e.shown || null), e.rank, e.rankOf, e.band]
        .map(cell)
        .join(","),
    );
  }
  return `${lines.join("\r\n")}\r\n`;
}

/** One period of a council's comparison: its figure beside England, its region and its neighbours. */
export interface ComparisonRow {
  period: repository.PeriodRecord;
  ours: string | null;
  oursShown: string;
  england: string | null;
  region: string | null;
  neighbourAverage: string | null;
  neighboursCounted: number;
  /** Ours minus England, in the measure's unit (percentage points for percentages). */
  gapToEngland: string | null;
  rank: number | null;
  rankOf: number | null;
  band: string | null;
}

export interface CouncilComparison {
  measure: repository.MeasureRecord;
  ours: OurCouncil;
  rows: ComparisonRow[];
  /** Every council's figure by period, for quartile and rank targets. */
  councilFigures: Map<string, (number | null)[]>;
}

/** A council's figures for one benchmark measure over every period, beside England, region and neighbours. */
export async function councilComparison(
  db: Database,
  measureCode: string,
): Promise<CouncilComparison | null> {
  const measure = (await repository.listMeasures(db)).find((m) => m.code === measureCode);
  if (measure === undefined) return null;
  const ours = await ourCouncil(db);
  const periods = await repository.listPeriods(db, measureCode);
  const areaCodes = [
    ...(ours.area ? [ours.area.code] : []),
    ...(ours.regionArea ? [ours.regionArea.code] : []),
    ...ours.neighbours.map((n) => n.code),
  ];
  const englandCodes = (await repository.listAreas(db))
    .filter((a) => a.kind === "england")
    .map((a) => a.code);
  const series = await repository.seriesFor(db, measureCode, [...areaCodes, ...englandCodes]);
  const at = new Map(series.map((s) => [`${s.periodLabel}\u0000${s.areaCode}`, s]));
  const neighbourCodes = ours.neighbours.map((n) => n.code);
  const rows: ComparisonRow[] = periods.map((period) => {
    const get = (code: string | undefined) =>
      code === undefined ? undefined : at.get(`${period.label}\u0000${code}`);
    const mine = get(ours.area?.code);
    const england = englandCodes.map((c) => get(c)?.amount).find((a) => a != null) ?? null;
    const region = get(ours.regionArea?.code)?.amount ?? null;
    const neighbourFigures = neighbourCodes.map((c) => {
      const a = get(c)?.amount;
      return a == null ? null : Number(a);
    });
    const mean = neighbourMean(neighbourFigures);
    const ourAmount = mine?.amount ?? null;
    return {
      period,
      ours: ourAmount,
      oursShown: ourAmount === null ? (mine?.code ?? "") : showToDecimals(ourAmount, measure.decimals),
      england,
      region,
      neighbourAverage: mean === null ? null : plainDecimal(Number(mean.mean.toFixed(6))),
      neighboursCounted: mean?.counted ?? 0,
      gapToEngland:
        ourAmount === null || england === null
          ? null
          : plainDecimal(differenceExact(Number(ourAmount), Number(england))),
      rank: mine?.rank ?? null,
      rankOf: mine?.rankOf ?? null,
      band: mine?.band ?? null,
    };
  });
  return { measure, ours, rows, councilFigures: new Map() };
}

export function show(value: string | null, decimals: number | null): string {
  return value === null ? "" : showToDecimals(value, decimals);
}

export async function periodsOf(db: Database, measureCode: string): Promise<repository.PeriodRecord[]> {
  return repository.listPeriods(db, measureCode);
}

export interface BenchmarkSettings {
  dfeCode: string | null;
  /** How far from a benchmark still counts as "in line with" it, in the measure's unit (percentage points for percentages). */
  tolerance: string;
  version: number;
}

/** One percentage point (or one unit) unless the council sets otherwise. */
export const DEFAULT_TOLERANCE = "1";

export async function benchmarkSettings(db: Database): Promise<BenchmarkSettings> {
  // One after another: this also runs inside a transaction, whose one client takes one query at a time.
  const dfeCode = await textSetting(db, COUNCIL_DFE_CODE);
  const tolerance = await textSetting(db, IN_LINE_TOLERANCE);
  const version = (await settings.readSettingAndVersion(db, COUNCIL_DFE_CODE)).version;
  return { dfeCode, tolerance: tolerance ?? DEFAULT_TOLERANCE, version };
}

export async function saveBenchmarkSettings(
  db: Database,
  actor: string,
  form: { dfeCode: string; tolerance: string; version?: string | undefined },
): Promise<void> {
  await db.transaction(async (tx) => {
    const before = await benchmarkSettings(tx);
    if (form.version !== undefined && Number(form.version) !== before.version) {
      throw new ValidationFailed([
        {
          field: "dfeCode",
          message: "Someone else changed these settings after you opened them. Check them and save again.",
        },
      ]);
    }
    if (form.dfeCode !== "") {
      const known = (await repository.listAreas(tx)).some(
        (a) => a.code === form.dfeCode && a.kind === "council",
      );
      if (!known) {
        throw new ValidationFailed([
          {
            field: "dfeCode",
            message: `There is no council with DfE code ${form.dfeCode} in the imported code list`,
          },
        ]);
      }
    }
    await settings.recordSetting(tx, COUNCIL_DFE_CODE, form.dfeCode === "" ? null : form.dfeCode);
    await settings.recordSetting(tx, IN_LINE_TOLERANCE, form.tolerance);
    await recordAuditEvent(tx, {
      actor,
      action: "update",
      entityType: "benchmark-settings",
      entityId: "council",
      summary: `Benchmarking settings: DfE code ${form.dfeCode || "none"}, tolerance ${form.tolerance}.`,
      before: { dfeCode: before.dfeCode, tolerance: before.tolerance },
      after: { dfeCode: form.dfeCode || null, tolerance: form.tolerance },
    });
  });
}

function figure(amount: string | null | undefined): number | null {
  return amount == null ? null : Number(amount);
}

/**
 * The published figures behind the council's measures that are linked to a benchmark measure:
 * for each linked measure, every period with the council's own figure and rank, England's, its
 * region's, its statistical neighbours' mean and every council's figure, for assessing targets
 * that name a benchmark. A handful of reads whatever the number of measures. Measures with no
 * link are absent. With no DfE code set, England's figures and every council's are still there;
 * the council's own, its region's and its neighbours' are not.
 */
export async function publishedBenchmarks(
  db: Database,
  measureIds: readonly number[],
): Promise<Map<number, PublishedBenchmark>> {
  const found = new Map<number, PublishedBenchmark>();
  const links = await repository.linksOf(db, [...new Set(measureIds)]);
  if (links.length === 0) return found;
  const codes = [...new Set(links.map((l) => l.code))];
  const [measures, ours, areas, periods, councilFigures, tolerance] = await Promise.all([
    repository.listMeasures(db),
    ourCouncil(db),
    repository.listAreas(db),
    repository.periodsOfMeasures(db, codes),
    repository.councilFiguresOfMeasures(db, codes),
    textSetting(db, IN_LINE_TOLERANCE),
  ]);
  const englandCodes = areas.filter((a) => a.kind === "england").map((a) => a.code);
  const neighbourCodes = ours.neighbours.map((n) => n.code);
  const areaCodes = [
    ...(ours.area ? [ours.area.code] : []),
    ...(ours.regionArea ? [ours.regionArea.code] : []),
    ...neighbourCodes,
    ...englandCodes,
  ];
  const series = await repository.seriesOfMeasures(db, codes, areaCodes);
  const at = new Map(series.map((v) => [`${v.measureCode}\u0000${v.periodLabel}\u0000${v.areaCode}`, v]));
  const councils = new Map(
    councilFigures.map((c) => [
      `${c.measureCode}\u0000${c.periodLabel}`,
      c.amounts === "" ? [] : c.amounts.split(",").map(Number),
    ]),
  );
  const byCode = new Map<string, PublishedBenchmark>();
  for (const code of codes) {
    const measure = measures.find((m) => m.code === code);
    if (measure === undefined) continue;
    const get = (label: string, area: string | undefined) =>
      area === undefined ? undefined : at.get(`${code}\u0000${label}\u0000${area}`);
    const figures = periods
      .filter((p) => p.measureCode === code)
      .map((period): PublishedPeriodFigures => {
        const mine = get(period.label, ours.area?.code);
        const mean = neighbourMean(neighbourCodes.map((c) => figure(get(period.label, c)?.amount)));
        return {
          label: period.label,
          description: period.description,
          starts: period.starts,
          ends: period.ends,
          ours: figure(mine?.amount),
          england:
            englandCodes.map((c) => figure(get(period.label, c)?.amount)).find((a) => a !== null) ?? null,
          region: figure(get(period.label, ours.regionArea?.code)?.amount),
          neighbourAverage: mean === null ? null : Number(mean.mean.toFixed(6)),
          councils: councils.get(`${code}\u0000${period.label}`) ?? [],
          rank: mine?.rank ?? null,
        };
      });
    byCode.set(code, {
      title: measure.title,
      source: sourceWords(measure),
      regionName: ours.regionArea?.name ?? null,
      expected: monthAndYear(measure.nextUpdate),
      tolerance: Number(tolerance ?? DEFAULT_TOLERANCE),
      periods: figures,
    });
  }
  for (const link of links) {
    const published = byCode.get(link.code);
    if (published) found.set(link.measureId, published);
  }
  return found;
}

/** The latest period with the council's own figure, beside England, its region and its neighbours, with the gaps. */
export interface LatestComparison {
  row: ComparisonRow;
  /** The council's figure minus each benchmark, in the measure's unit (percentage points for percentages). */
  gapToEngland: string | null;
  gapToRegion: string | null;
  gapToNeighbours: string | null;
}

export interface MeasureComparison {
  /** The LAIT measure the council's measure is linked to. */
  code: string;
  comparison: CouncilComparison;
  latest: LatestComparison | null;
}

function gap(ours: string | null, other: string | null): string | null {
  return ours === null || other === null ? null : plainDecimal(differenceExact(Number(ours), Number(other)));
}

/**
 * The comparison for a council's own measure, where it is linked to a benchmark measure: every
 * period beside England, its region and its statistical neighbours, and the latest period with
 * the council's figure. Null for a measure with no link.
 */
export async function comparisonForMeasure(
  db: Database,
  measureId: number,
): Promise<MeasureComparison | null> {
  const [link] = await repository.linksOf(db, [measureId]);
  if (link === undefined) return null;
  const comparison = await councilComparison(db, link.code);
  if (comparison === null) return null;
  const row = comparison.rows.filter((r) => r.ours !== null).at(-1);
  const latest =
    row === undefined
      ? null
      : {
          row,
          gapToEngland: gap(row.ours, row.england),
          gapToRegion: gap(row.ours, row.region),
          gapToNeighbours: gap(row.ours, row.neighbourAverage),
        };
  return { code: link.code, comparison, latest };
}

/** At most this many matching measures are offered to choose from at once; a search narrows them. */
export const LINK_CHOICES_SHOWN = 30;

export interface LinkPage {
  measureId: number;
  title: string;
  /** The Department's measure the council's measure is linked to, or null. */
  linked: BenchmarkMeasureSummary | null;
  /** The link's version, sent back by the forms (0 when the measure has never been linked). */
  version: number;
  ours: OurCouncil;
  /** Measures matching the search, at most LINK_CHOICES_SHOWN of them, and how many matched in all. */
  choices: BenchmarkMeasureSummary[];
  matched: number;
}

/** What the page for linking a council's measure to one of the Department's measures shows. */
export async function linkPage(db: Database, measureId: number, search: string): Promise<LinkPage> {
  const link = await repository.measureLink(db, measureId);
  if (link === null) throw new NotFound(`Measure ${measureId}`);
  const [matches, ours] = await Promise.all([findMeasures(db, search), ourCouncil(db)]);
  const linked =
    link.code === null ? null : ((await findMeasures(db, "")).find((m) => m.code === link.code) ?? null);
  return {
    measureId,
    title: link.title,
    linked,
    version: link.version,
    ours,
    choices: matches.slice(0, LINK_CHOICES_SHOWN),
    matched: matches.length,
  };
}

const STALE_LINK =
  "Someone else changed this measure's benchmark after you opened the page. Check it and choose again.";

/**
 * Links a council's measure to a Department measure (or, with code null, removes its link), if
 * the link is still as it was when the form was opened; audited on the measure's history.
 */
export async function setMeasureLink(
  db: Database,
  actor: string,
  measureId: number,
  change: { code: string | null; version: number },
): Promise<void> {
  await db.transaction(async (tx) => {
    const before = await repository.measureLink(tx, measureId);
    if (before === null) throw new NotFound(`Measure ${measureId}`);
    const field = change.code === null ? "form" : "code";
    if (before.version !== change.version) throw new ValidationFailed([{ field, message: STALE_LINK }]);
    if (change.code === null && before.code === null) {
      throw new ValidationFailed([{ field, message: "This measure is not linked to a Department measure" }]);
    }
    const measure =
      change.code === null ? null : (await repository.listMeasures(tx)).find((m) => m.code === change.code);
    if (measure === undefined) {
      throw new ValidationFailed([
        {
          field,
          message: `There is no Department measure with LAIT code ${change.code}: choose one from the list`,
        },
      ]);
    }
    if (!(await repository.writeLink(tx, measureId, change.code, change.version))) {
      throw new ValidationFailed([{ field, message: STALE_LINK }]);
    }
    await recordAuditEvent(tx, {
      actor,
      action: "update",
      entityType: "measure-benchmark-link",
      entityId: measureId,
      record: { kind: "measure", id: measureId },
      summary:
        measure === null
          ? `Removed the link from "${before.title}" to the Department's measure ${before.code ?? ""}`
          : `Linked "${before.title}" to the Department's measure ${measure.code}: ${measure.title}`,
      before: { benchmarkCode: before.code },
      after: { benchmarkCode: change.code },
    });
  });
}
