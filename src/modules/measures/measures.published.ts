import type { Database } from "../../db/client.ts";
import {
  type BenchmarkUsed,
  benchmarkUsed,
  type PublishedBenchmark,
  publishedContext,
  publishedOwnFigure,
  type Span,
} from "../../domain/benchmark-targets.ts";
import { decimalPlaces } from "../../domain/benchmarks.ts";
import { parsePeriod } from "../../domain/periods.ts";
import type { MeasureRatingInput } from "../../domain/ratings.ts";
import type { BenchmarkData, TargetContext } from "../../domain/targets.ts";
import { publishedBenchmarks } from "../benchmarks/benchmarks.service.ts";
import type { ListedValue } from "./measures.repository.ts";

export type { BenchmarkUsed, PublishedBenchmark };

/**
 * The Department's published figures for the council's measures that are linked to a benchmark
 * measure, asked of the benchmarks service (never its repository). Measures with no link are absent.
 */
export function publishedFiguresFor(
  db: Database,
  measureIds: readonly number[],
): Promise<Map<number, PublishedBenchmark>> {
  return publishedBenchmarks(db, measureIds);
}

/**
 * The dates a value is for: its own period as stored when it was saved (the period written in its
 * cell, "2019 calendar year", else its column's), else the period assessed.
 */
function spanOf(value: ListedValue | null, period: string): Span | null {
  const chosen = parsePeriod(value?.ownPeriod ?? value?.periodLabel ?? period);
  return chosen?.start && chosen.end ? { start: chosen.start, end: chosen.end } : null;
}

type BenchmarkParts = Pick<TargetContext, "benchmarks" | "allAuthorityValues" | "previousRank">;

/**
 * What a target evaluation takes about benchmarks: the published figures for the value's period
 * where the publisher has them; else the figures the council's own table gave beside its values
 * ("14.9% (national 16.4%)"); else, for a period the publisher has not reached, word that it is
 * not published yet. The council's tolerance for "in line with" goes with any of them.
 */
export function benchmarkPartsFor(
  published: PublishedBenchmark | undefined,
  value: ListedValue | null,
  period: string,
  inline: BenchmarkData | undefined,
): BenchmarkParts {
  if (published === undefined) return inline ? { benchmarks: inline } : {};
  const found = publishedContext(published, spanOf(value, period));
  const tolerance = published.tolerance === null ? {} : { tolerance: published.tolerance };
  if (found?.benchmarks?.source) return found;
  if (inline) return { benchmarks: { ...inline, ...tolerance } };
  return found ?? { benchmarks: tolerance };
}

/**
 * A target for a period the council's own tables give no value for, assessed from the council's
 * figure as the Department published it, with a note saying so. Only for a measure's own page:
 * the tables and documents rate what the council printed.
 */
export function withPublishedValue(
  input: MeasureRatingInput,
  published: PublishedBenchmark | undefined,
  value: ListedValue | null,
  period: string,
): MeasureRatingInput {
  if (published === undefined || input.value !== null) return input;
  const own = publishedOwnFigure(published, spanOf(value, period));
  if (own === null) return input;
  const { valueFlag: _unused, ...rest } = input;
  return { ...rest, value: own.value, decimals: decimalPlaces(own.value), valueNote: own.note };
}

/** The published period a target for `period` is judged against, for saying so beside the verdict. */
export function publishedPeriodUsed(
  published: PublishedBenchmark,
  value: ListedValue | null,
  period: string,
): BenchmarkUsed {
  return benchmarkUsed(published, spanOf(value, period));
}
