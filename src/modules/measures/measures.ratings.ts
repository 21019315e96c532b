import { DEFAULT_SCHEME, type RatingScheme, rateInScheme } from "../../domain/rating-schemes.ts";
import type { MeasureRating, MeasureRatingInput } from "../../domain/ratings.ts";
import { type BenchmarkData, parseTarget, type Target } from "../../domain/targets.ts";
import { benchmarkPartsFor, type PublishedBenchmark, withPublishedValue } from "./measures.published.ts";
import type {
  ListedBenchmark,
  ListedTarget,
  ListedValue,
  Measure,
  MeasureGroup,
} from "./measures.repository.ts";
import { periodKey } from "./measures.shared.ts";

/**
 * Baseplan's rating of a row: a value against its target (or against the previous like period or
 * the benchmarks), read from the stored value, in the council's rating scheme.
 */

// ---------------------------------------------------------------------------------------------
// Ratings and pages

export interface RatedRow {
  measure: Measure;
  titleAsWritten: string;
  latest: ListedValue | null;
  target: ListedTarget | null;
  rating: MeasureRating;
  /**
   * The rating the council's table printed for the period this row's figures are for (the row's
   * own, for a table without a period), or null where it printed none for that period.
   */
  printedRating: string | null;
  /** The period the printed rating is for, or null for a table without a period. */
  printedPeriod?: string | null;
  /** Whether the table prints the council's rating at all (a rating column). */
  printsRatings?: boolean;
  /** The document and table that print this row (only on a measure's own page). */
  document?: string;
  groupTitle?: string;
  /** How the printed rating compares with Baseplan's (see printedRatingAgreement). */
  printedAgreement?: "agrees" | "differs" | "other key" | null;
}

export interface GroupListing {
  group: MeasureGroup;
  rows: (RatedRow | { subHeading: string })[];
}

export function amountOf(value: ListedValue | null | undefined): number | null {
  return value?.amount === null || value?.amount === undefined ? null : Number(value.amount);
}

/** Reads a target's wording. */
export type TargetReader = (text: string) => Target;

/**
 * A reader for one listing: each wording is read once however many rows share it (a parsed
 * target is immutable). It lives as long as the listing, so nothing is kept between requests.
 */
export function targetReader(): TargetReader {
  const read = new Map<string, Target>();
  return (text) => {
    let parsed = read.get(text);
    if (!parsed) {
      parsed = parseTarget(text);
      read.set(text, parsed);
    }
    return parsed;
  };
}

const BENCHMARK_KEYS = {
  national: "national",
  regional: "regional",
  "statistical-neighbours": "statisticalNeighbours",
} as const;

/** The benchmark figures for a period (and the previous one) in the form target evaluation takes. */
export function benchmarkContext(
  benchmarks: ListedBenchmark[],
  period: string,
  previousPeriod?: string,
): BenchmarkData | undefined {
  const key = periodKey(period);
  const previousKey = previousPeriod === undefined ? null : periodKey(previousPeriod);
  const data: Record<string, { current?: number; previous?: number }> = {};
  for (const benchmark of benchmarks) {
    const name = BENCHMARK_KEYS[benchmark.benchmarkGroup as keyof typeof BENCHMARK_KEYS];
    if (!name) continue;
    const entry = data[name] ?? {};
    if (benchmark.periodKey === key) entry.current = Number(benchmark.amount);
    else if (benchmark.periodKey === previousKey) entry.previous = Number(benchmark.amount);
    else continue;
    data[name] = entry;
  }
  return Object.keys(data).length > 0 ? (data as BenchmarkData) : undefined;
}

/** Rates a measure from the value a document gave for a period and the target it set for that period. */
export function rateFromStored(
  measure: Measure,
  value: ListedValue | null,
  target: ListedTarget | null,
  period: string,
  earlier: ListedValue[],
  benchmarks: ListedBenchmark[] = [],
  published?: PublishedBenchmark,
  fillFromPublished = false,
  readTarget: TargetReader = parseTarget,
  scheme: RatingScheme = DEFAULT_SCHEME,
): MeasureRating {
  return rateAgainstEarlier(
    measure,
    value,
    target,
    period,
    {
      previous: earlier.at(-1),
      ownValue: (key) => earlier.find((candidate) => candidate.periodKey === key),
    },
    benchmarks,
    published,
    fillFromPublished,
    readTarget,
    scheme,
  );
}

/**
 * What a rating compares a value with: the value recorded before it (its previous period), and the
 * measure's own value for any period a target names ("improve on 2019/20"), by period key.
 */
interface EarlierFigures {
  previous: ListedValue | undefined;
  ownValue: (key: string) => ListedValue | null | undefined;
}

/** rateFromStored, given only the earlier figures a rating asks for rather than all of them. */
export function rateAgainstEarlier(
  measure: Measure,
  value: ListedValue | null,
  target: ListedTarget | null,
  period: string,
  earlier: EarlierFigures,
  benchmarks: ListedBenchmark[],
  published: PublishedBenchmark | undefined,
  fillFromPublished: boolean,
  readTarget: TargetReader,
  scheme: RatingScheme,
): MeasureRating {
  const unit = measure.unit ?? "count";
  const polarity = measure.polarity ?? "monitor";
  const previous = earlier.previous;
  const benchmarkData = benchmarkContext(benchmarks, period, previous?.periodLabel);
  const unlike = value && previous ? unlikePeriods(value, previous) : undefined;
  const input: MeasureRatingInput = {
    target: readTarget(target?.targetText ?? ""),
    value: amountOf(value),
    unit,
    decimals: value?.decimals ?? measure.decimals ?? 0,
    polarity,
    period,
    ...(previous ? { previousPeriod: previous.periodLabel, previousValue: amountOf(previous) } : {}),
    ownValueFor: (label) => amountOf(earlier.ownValue(periodKey(label))),
    ...benchmarkPartsFor(published, value, period, benchmarkData),
    // A value flagged when it was read is not rated as if it were clean.
    ...(value?.warnings[0] ? { valueFlag: value.warnings[0] } : {}),
    ...(unlike ? { previousUnlike: unlike } : {}),
  };
  return rateInScheme(
    fillFromPublished ? withPublishedValue(input, published, value, period) : input,
    scheme,
  );
}

/**
 * Why a value's previous figure is not for a like period, or undefined where it is (or where
 * either period cannot be read): "96.3% (Dec 20)" against "96%" for 2019/20 compares a month
 * with a whole year, so improving on it is not improving on the previous like period (docs/domain.md section 7).
 */
function unlikePeriods(value: ListedValue, previous: ListedValue): string | undefined {
  // Each value's period and span were stored when it was written (the cell's own, else its column's).
  if (value.ownPeriod === null || value.ownPeriodSpan === null || previous.ownPeriodSpan === null)
    return undefined;
  if (value.ownPeriodSpan === previous.ownPeriodSpan) return undefined;
  return `the ${previous.cellText} for ${previous.periodLabel} covers a different span from ${value.ownPeriod}`;
}

/**
 * What a table shows of each measure: the period of its latest column (else its last value
 * column, else its target column), that column's role, and the period of the target beside it.
 */
export function shownColumns(group: MeasureGroup): {
  period: string;
  key: string;
  columnRole: string;
  targetKey: string;
} {
  const latestColumn =
    group.columns.find((column) => column.role === "latest") ??
    group.columns.filter((column) => column.role === "value").at(-1);
  const targetColumn =
    group.columns.find((column) => column.role === "target" && column.period === latestColumn?.period) ??
    group.columns.find((column) => column.role === "target");
  const period = latestColumn?.period ?? targetColumn?.period ?? "";
  return {
    period,
    key: periodKey(period),
    columnRole: latestColumn?.role ?? "",
    targetKey: periodKey(targetColumn?.period ?? ""),
  };
}

export function rowRating(
  measure: Measure,
  group: MeasureGroup,
  values: ListedValue[],
  targets: ListedTarget[],
  benchmarks: ListedBenchmark[],
  readTarget: TargetReader,
  published: PublishedBenchmark | undefined,
  scheme: RatingScheme,
) {
  const own = values.filter((value) => value.current && value.document === group.document);
  const { period, key, columnRole, targetKey } = shownColumns(group);
  const latest = own.find((value) => value.periodKey === key && value.columnRole === columnRole) ?? null;
  const target =
    targets.find(
      (candidate) =>
        candidate.current && candidate.document === group.document && candidate.periodKey === targetKey,
    ) ?? null;
  const earlier = own.filter((value) => value.columnRole === "value" && value.periodKey !== key);
  return {
    latest,
    target,
    rating: rateFromStored(
      measure,
      latest,
      target,
      period,
      earlier,
      benchmarks,
      published,
      false,
      readTarget,
      scheme,
    ),
  };
}
