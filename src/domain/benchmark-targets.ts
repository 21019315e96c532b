/**
 * Published benchmark figures (the Department's LAIT data: every council, the regions and
 * England, period by period) turned into what a target evaluation needs for one of the council's
 * periods: the England, regional and statistical-neighbour figures for that period and the one
 * before, every council's figure for quartiles and ranks, the source to cite, the council's
 * tolerance for "in line with", or word that the period has not been published yet.
 *
 * Which published period answers a council's period: the one-year period that overlaps the
 * council's period the most, sharing at least half of the shorter of the two (a figure at a date
 * counts when the date falls in it), the later on a tie. So the council's "2020/21" (April 2020 to March 2021) is answered by academic year 2020/21
 * (seven months of overlap, against five for 2019/20), calendar year 2020 and the position at
 * 31 March 2021; a quarter by the year that contains it. Rolling three-year figures never answer.
 */

import type { BenchmarkData, BenchmarkFigures, BenchmarkSource, Target, TargetContext } from "./targets.ts";

/** Targets judged against other councils' figures: a benchmark, a quartile, a rank or a gap. */
const BENCHMARK_KINDS: ReadonlySet<Target["kind"]> = new Set([
  "benchmark",
  "quartile",
  "rank",
  "top-rank",
  "gap",
]);

/** Whether a target is judged against published figures for other councils, England or a region. */
export function namesBenchmark(target: Target): boolean {
  return BENCHMARK_KINDS.has(target.kind);
}

/** ISO dates, first and last day covered. */
export interface Span {
  readonly start: string;
  readonly end: string;
}

export interface PublishedPeriodFigures {
  /** The publisher's label ("2019 (Rev)"). */
  readonly label: string;
  /** What it means in words ("academic year 2018/19"), for explanations. */
  readonly description: string;
  readonly starts: string;
  readonly ends: string;
  /** The council's own published figure, England's, its region's and its statistical neighbours' mean. */
  readonly ours: number | null;
  readonly england: number | null;
  readonly region: number | null;
  readonly neighbourAverage: number | null;
  /** Every council's figure for the period, where read (quartile and rank targets need them). */
  readonly councils?: readonly (number | null)[];
  /** The council's published national rank. */
  readonly rank: number | null;
}

export interface PublishedBenchmark {
  /** The benchmark measure's title. */
  readonly title: string;
  /** How explanations cite it: "DfE, LAIT". */
  readonly source: string;
  readonly regionName: string | null;
  /** When the publisher expects its next figures, in words, or null. */
  readonly expected: string | null;
  /** The council's tolerance for "in line with", in the measure's unit. */
  readonly tolerance: number | null;
  readonly periods: readonly PublishedPeriodFigures[];
}

const DAY_MS = 86_400_000;

function dayNumber(iso: string): number {
  const [y, m, d] = iso.split("-").map(Number);
  return Date.UTC(y ?? 0, (m ?? 1) - 1, d ?? 1) / DAY_MS;
}

function isOneYearOrLess(period: Span): boolean {
  return dayNumber(period.end) - dayNumber(period.start) <= 366;
}

function spanOf(period: PublishedPeriodFigures): Span {
  return { start: period.starts, end: period.ends };
}

/** Days two spans share, counting both ends; a single day inside the other counts as one. */
function overlapDays(a: Span, b: Span): number {
  const start = Math.max(dayNumber(a.start), dayNumber(b.start));
  const end = Math.min(dayNumber(a.end), dayNumber(b.end));
  return end < start ? 0 : end - start + 1;
}

function lengthDays(span: Span): number {
  return dayNumber(span.end) - dayNumber(span.start) + 1;
}

/**
 * Whether a published period can answer the council's: a position at a date inside it, or a span
 * sharing at least half of the shorter of the two (so academic year 2030/31 answers financial
 * year 2030/31, seven months shared, but not 2031/32, five months shared).
 */
function answers(span: Span, period: Span, days: number): boolean {
  if (period.start === period.end) return days === 1;
  return 2 * days >= Math.min(lengthDays(span), lengthDays(period));
}

/** The published one-year period that answers the council's period, or null when none does. */
export function matchPublishedPeriod(
  span: Span,
  periods: readonly PublishedPeriodFigures[],
): PublishedPeriodFigures | null {
  let best: PublishedPeriodFigures | null = null;
  let bestDays = 0;
  for (const period of periods) {
    if (!isOneYearOrLess(spanOf(period))) continue;
    const days = overlapDays(span, spanOf(period));
    if (days === 0 || !answers(span, spanOf(period), days)) continue;
    if (days > bestDays || (days === bestDays && best !== null && period.ends >= best.ends)) {
      best = period;
      bestDays = days;
    }
  }
  return best;
}

/** The published one-year period before the given one (the latest that ends before it starts). */
export function previousPublished(
  period: PublishedPeriodFigures,
  periods: readonly PublishedPeriodFigures[],
): PublishedPeriodFigures | null {
  let best: PublishedPeriodFigures | null = null;
  for (const candidate of periods) {
    if (!isOneYearOrLess(spanOf(candidate)) || candidate.ends >= period.starts) continue;
    if (best === null || candidate.ends >= best.ends) best = candidate;
  }
  return best;
}

function latestPublished(periods: readonly PublishedPeriodFigures[]): PublishedPeriodFigures | null {
  let latest: PublishedPeriodFigures | null = null;
  for (const period of periods) if (latest === null || period.ends >= latest.ends) latest = period;
  return latest;
}

function figures(now: number | null, before: number | null | undefined): BenchmarkFigures {
  return { current: now, ...(before === undefined ? {} : { previous: before }) };
}

/** What a target evaluation takes from published figures. */
export type PublishedContext = Pick<TargetContext, "benchmarks" | "allAuthorityValues" | "previousRank">;

/**
 * The published figures for the council's period (span), or word that they are not published
 * yet (the period ends after the latest published one), or null when the publisher has nothing
 * for it (an earlier period than it covers, or one no published period overlaps).
 */
export function publishedContext(published: PublishedBenchmark, span: Span | null): PublishedContext | null {
  const tolerance = published.tolerance === null ? {} : { tolerance: published.tolerance };
  const latest = latestPublished(published.periods);
  const matched = span === null ? null : matchPublishedPeriod(span, published.periods);
  if (matched === null) {
    if (span === null || (latest !== null && span.end <= latest.ends)) return null;
    const benchmarks: BenchmarkData = {
      unpublished: {
        what: `${published.title} (${published.source})`,
        expected: published.expected,
        latest: latest?.description ?? null,
      },
      ...tolerance,
    };
    return { benchmarks };
  }
  const previous = previousPublished(matched, published.periods);
  const source: BenchmarkSource = {
    name: published.source,
    period: matched.description,
    ...(previous ? { previousPeriod: previous.description } : {}),
    ...(published.regionName ? { regionName: published.regionName } : {}),
  };
  const benchmarks: BenchmarkData = {
    source,
    national: figures(matched.england, previous?.england),
    regional: figures(matched.region, previous?.region),
    statisticalNeighbours: figures(matched.neighbourAverage, previous?.neighbourAverage),
    ...tolerance,
  };
  return {
    benchmarks,
    ...(matched.councils ? { allAuthorityValues: matched.councils } : {}),
    ...(previous?.rank == null ? {} : { previousRank: previous.rank }),
  };
}

/**
 * The council's own figure as the publisher gave it for the council's period, with the period it
 * is for, or null where the publisher has none: for assessing a target for a period the council's
 * own tables give no value for.
 */
export function publishedOwnFigure(
  published: PublishedBenchmark,
  span: Span | null,
): { value: number; note: string } | null {
  const matched = span === null ? null : matchPublishedPeriod(span, published.periods);
  if (matched?.ours == null) return null;
  return {
    value: matched.ours,
    note: `The value is the council's figure for ${matched.description} as published (${published.source}); its own tables give none for the period.`,
  };
}

/** The published figures a target for the council's period was judged against, in words. */
export type BenchmarkUsed =
  | { readonly kind: "published"; readonly source: string; readonly period: string }
  | {
      readonly kind: "unpublished";
      readonly source: string;
      readonly expected: string | null;
      readonly latest: string | null;
    }
  | { readonly kind: "none"; readonly source: string };

/** Which published period (if any) answers the council's period, as a reader is told it. */
export function benchmarkUsed(published: PublishedBenchmark, span: Span | null): BenchmarkUsed {
  const source = `${published.title} (${published.source})`;
  const found = publishedContext(published, span)?.benchmarks;
  if (found?.source) return { kind: "published", source, period: found.source.period };
  if (found?.unpublished)
    return {
      kind: "unpublished",
      source,
      expected: found.unpublished.expected,
      latest: found.unpublished.latest,
    };
  return { kind: "none", source };
}
