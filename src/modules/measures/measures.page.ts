import type { Database } from "../../db/client.ts";
import { namesBenchmark } from "../../domain/benchmark-targets.ts";
import { comparePeriodLabels } from "../../domain/periods.ts";
import { agreementInScheme, type RatingScheme } from "../../domain/rating-schemes.ts";
import type { MeasureRating } from "../../domain/ratings.ts";
import { evaluateTarget, parseTarget, type Verdict } from "../../domain/targets.ts";
import { NotFound } from "../../errors.ts";
import { printedFor, printedParts } from "./measures.listing.ts";

import {
  type BenchmarkUsed,
  type PublishedBenchmark,
  publishedFiguresFor,
  publishedPeriodUsed,
} from "./measures.published.ts";
import {
  amountOf,
  benchmarkContext,
  type RatedRow,
  rateFromStored,
  rowRating,
  type TargetReader,
  targetReader,
} from "./measures.ratings.ts";
import type {
  Measure,
  MeasureBenchmark,
  MeasureGroup,
  MeasureRow,
  MeasureTarget,
  MeasureValue,
  PrintedRating,
} from "./measures.repository.ts";
import * as repository from "./measures.repository.ts";
import { ratingScheme } from "./measures.scheme.ts";
import { currentInDateOrder, groupedBy } from "./measures.shared.ts";

/**
 * A measure's own page and the figures the documents print: its values, targets and verdicts,
 * benchmark judgements, and a document's figures.
 */

export interface TargetVerdict {
  target: MeasureTarget;
  value: MeasureValue | null;
  rating: MeasureRating;
}

/** A benchmark target assessed for a period where the benchmark figure is known. */
export interface BenchmarkComparison {
  benchmark: MeasureBenchmark;
  target: MeasureTarget;
  value: MeasureValue;
  verdict: Verdict;
}

export interface MeasurePage {
  measure: Measure;
  benchmarks: MeasureBenchmark[];
  comparisons: BenchmarkComparison[];
  groups: MeasureGroup[];
  values: MeasureValue[];
  history: MeasureValue[];
  targets: TargetVerdict[];
  /** Baseplan's judgements of the targets that name a benchmark, where the measure is linked to a published one. */
  benchmarkJudgements: BenchmarkJudgement[];
  targetHistory: MeasureTarget[];
  rows: RatedRow[];
  /** Each period's rating as the council's tables printed it, beside Baseplan's, in date order. */
  printedRatings: PrintedBeside[];
  /** How many of those Baseplan's rating disagrees with (on the same key). */
  printedDisagreements: number;
  /** How many were printed on the council's own key, shown and not compared. */
  printedOnOtherKey: number;
}

/** A rating a table printed for a period, beside the one Baseplan works out from the same table's figures. */
export interface PrintedBeside {
  printed: PrintedRating;
  /** The table that printed it. */
  groupTitle: string | null;
  /** Baseplan's rating for the period, from the value and target the same document gives. */
  rating: MeasureRating;
  /** "other key" where the council rated on a key of its own, which is shown and not compared. */
  agreement: "agrees" | "differs" | "other key";
  /** What the same table printed for the period before, oldest first. */
  earlier: PrintedRating[];
}

/**
 * Baseplan's rating of a measure for a period a document printed a rating for: the value and
 * target that document gives for the period, against its values for earlier periods.
 */
function ratingForPrinted(
  measure: Measure,
  printed: PrintedRating,
  values: readonly MeasureValue[],
  targets: readonly MeasureTarget[],
  benchmarks: MeasureBenchmark[],
  published: PublishedBenchmark | undefined,
  scheme: RatingScheme,
): MeasureRating {
  const own = currentInDateOrder(values).filter((value) => value.document === printed.document);
  const forPeriod = own.filter((value) => value.periodKey === printed.periodKey);
  const value =
    forPeriod.find((candidate) => candidate.columnRole === "latest") ??
    forPeriod.find((candidate) => candidate.columnRole === "value") ??
    null;
  const target =
    targets.find(
      (candidate) =>
        candidate.current &&
        candidate.document === printed.document &&
        candidate.periodKey === printed.periodKey,
    ) ?? null;
  const earlier = own.filter(
    (candidate) =>
      candidate.columnRole === "value" && comparePeriodLabels(candidate.periodKey, printed.periodKey) < 0,
  );
  return rateFromStored(
    measure,
    value,
    target,
    printed.periodLabel,
    earlier,
    benchmarks,
    published,
    false,
    parseTarget,
    scheme,
  );
}

/** The current printed ratings of a measure, each beside Baseplan's, in date order. */
function printedBeside(
  measure: Measure,
  printed: readonly PrintedRating[],
  groups: readonly MeasureGroup[],
  values: readonly MeasureValue[],
  targets: readonly MeasureTarget[],
  benchmarks: MeasureBenchmark[],
  published: PublishedBenchmark | undefined,
  scheme: RatingScheme,
): PrintedBeside[] {
  return printed
    .filter((one) => one.current)
    .sort(
      (a, b) =>
        comparePeriodLabels(a.periodKey, b.periodKey) || a.document.localeCompare(b.document) || a.id - b.id,
    )
    .map((one) => {
      const rating = ratingForPrinted(measure, one, values, targets, benchmarks, published, scheme);
      return {
        printed: one,
        groupTitle: groups.find((group) => group.id === one.groupId)?.title ?? null,
        rating,
        agreement: agreementInScheme(scheme, one.ratingText, rating.meta.label) ?? "other key",
        earlier: printed.filter(
          (old) => !old.current && old.groupId === one.groupId && old.periodKey === one.periodKey,
        ),
      };
    });
}

export async function measurePage(db: Database, id: number): Promise<MeasurePage> {
  const measure = await repository.findMeasure(db, id);
  if (!measure) throw new NotFound(`Measure ${id}`);
  const [allValues, allTargets, rows, groups, benchmarks, printed] = await Promise.all([
    repository.valuesOf(db, [id]),
    repository.targetsOf(db, [id]),
    repository.rowsOfMeasure(db, id),
    repository.listGroups(db),
    repository.benchmarksOf(db, [id]),
    repository.printedRatingsOf(db, [id]),
  ]);
  const published = (await publishedFiguresFor(db, [id])).get(id);
  const scheme = await ratingScheme(db);
  const values = currentInDateOrder(allValues);
  const current = allTargets.filter((target) => target.current);
  const targets = judgeTargets(measure, values, current, benchmarks, published, scheme);
  const comparisons = compareWithBenchmarks(measure, values, current, benchmarks);
  const benchmarkJudgements = judgedOnBenchmarks(targets, published);
  const { groups: measureGroups, rated } = rateRows(
    measure,
    rows,
    groups,
    allValues,
    allTargets,
    benchmarks,
    parseTarget,
    printed,
    published,
    scheme,
  );
  const printedRatings = printedBeside(
    measure,
    printed,
    groups,
    allValues,
    allTargets,
    benchmarks,
    published,
    scheme,
  );
  return {
    measure,
    benchmarks,
    comparisons,
    groups: measureGroups,
    values,
    history: allValues.filter((value) => !value.current),
    targets,
    benchmarkJudgements,
    targetHistory: allTargets.filter((target) => !target.current),
    rows: rated,
    printedRatings,
    printedDisagreements: printedRatings.filter((one) => one.agreement === "differs").length,
    printedOnOtherKey: printedRatings.filter((one) => one.agreement === "other key").length,
  };
}

/**
 * Each current target judged as the measure's page judges it: against the value for its period
 * from the same document where there is one, and, where the measure is linked to a published
 * benchmark with the council's figure for a period its tables give none for, that figure.
 */
function judgeTargets(
  measure: Measure,
  values: MeasureValue[],
  current: MeasureTarget[],
  benchmarks: MeasureBenchmark[],
  published: PublishedBenchmark | undefined,
  scheme: RatingScheme,
): TargetVerdict[] {
  return current.map((target) => {
    const forPeriod = values.filter((value) => value.periodKey === target.periodKey);
    const value =
      forPeriod.find((candidate) => candidate.document === target.document && candidate.amount !== null) ??
      forPeriod.find((candidate) => candidate.amount !== null) ??
      forPeriod[0] ??
      null;
    const earlier = values.filter(
      (candidate) =>
        candidate.document === target.document &&
        comparePeriodLabels(candidate.periodKey, target.periodKey) < 0 &&
        candidate.columnRole === "value",
    );
    return {
      target,
      value,
      rating: rateFromStored(
        measure,
        value,
        target,
        target.periodLabel,
        earlier,
        benchmarks,
        published,
        true,
        parseTarget,
        scheme,
      ),
    };
  });
}

/** Baseplan's judgement of a target that names a benchmark, with the published period it used. */
export interface BenchmarkJudgement {
  judged: TargetVerdict;
  used: BenchmarkUsed;
}

/** The judged targets that name a benchmark, where the measure is linked to a published one. */
function judgedOnBenchmarks(
  targets: readonly TargetVerdict[],
  published: PublishedBenchmark | undefined,
): BenchmarkJudgement[] {
  if (published === undefined) return [];
  return targets
    .filter((judged) => namesBenchmark(parseTarget(judged.target.targetText)))
    .map((judged) => ({
      judged,
      used: publishedPeriodUsed(published, judged.value, judged.target.periodLabel),
    }));
}

/**
 * Baseplan's judgements of the benchmark targets of the given measures that are linked to a
 * published benchmark, by measure (measures with no link, or no such target, are absent): for
 * documents that show them beside the council's own tables. A few reads whatever the number.
 */
export async function benchmarkJudgementsFor(
  db: Database,
  ids: readonly number[],
): Promise<Map<number, BenchmarkJudgement[]>> {
  const judgements = new Map<number, BenchmarkJudgement[]>();
  const published = await publishedFiguresFor(db, [...new Set(ids)]);
  const linked = [...published.keys()];
  if (linked.length === 0) return judgements;
  const [found, allValues, allTargets, benchmarks] = await Promise.all([
    repository.findMeasures(db, linked),
    repository.valuesOf(db, linked),
    repository.targetsOf(db, linked),
    repository.benchmarksOf(db, linked),
  ]);
  const valuesOf = groupedBy(allValues, (value) => value.measureId);
  const targetsOf = groupedBy(allTargets, (target) => target.measureId);
  const benchmarksOf = groupedBy(benchmarks, (benchmark) => benchmark.measureId);
  const scheme = await ratingScheme(db);
  for (const measure of found) {
    const figures = published.get(measure.id);
    const current = (targetsOf.get(measure.id) ?? []).filter((target) => target.current);
    const values = currentInDateOrder(valuesOf.get(measure.id) ?? []);
    const targets = judgeTargets(
      measure,
      values,
      current,
      benchmarksOf.get(measure.id) ?? [],
      figures,
      scheme,
    );
    const judged = judgedOnBenchmarks(targets, figures);
    if (judged.length > 0) judgements.set(measure.id, judged);
  }
  return judgements;
}

/** A measure's rows in the tables that print it, each rated as the measure's page rates it. */
function rateRows(
  measure: Measure,
  rows: readonly MeasureRow[],
  groups: readonly MeasureGroup[],
  allValues: MeasureValue[],
  allTargets: MeasureTarget[],
  benchmarks: MeasureBenchmark[],
  readTarget: TargetReader,
  printed: readonly PrintedRating[],
  published: PublishedBenchmark | undefined,
  scheme: RatingScheme,
): { groups: MeasureGroup[]; rated: RatedRow[] } {
  const measureGroups = groups.filter((group) => rows.some((row) => row.groupId === group.id));
  const rated: RatedRow[] = rows.flatMap((row) => {
    const group = measureGroups.find((candidate) => candidate.id === row.groupId);
    if (!group) return [];
    const rated = rowRating(measure, group, allValues, allTargets, benchmarks, readTarget, published, scheme);
    return [
      {
        measure,
        titleAsWritten: row.titleAsWritten,
        document: group.document,
        groupTitle: group.title,
        ...rated,
        ...printedParts(
          group,
          printedFor(group, row.printedRating, printed),
          rated.rating.meta.label,
          scheme,
        ),
      },
    ];
  });
  return { groups: measureGroups, rated };
}

/** What a summary of a measure shows, the same figures and ratings as its page. */
export interface MeasureFigures {
  measure: Measure;
  /** Current values, as MeasurePage.values. */
  values: MeasureValue[];
  /** Current targets, as the targets in MeasurePage.targets. */
  targets: MeasureTarget[];
  /** Rated rows, as MeasurePage.rows. */
  rows: RatedRow[];
}

/**
 * Many measures' figures and ratings in six reads in all, not eight reads per measure: for
 * summaries (the golden thread, a deliverable's linked measures, the quarterly report's tables).
 * Ids with no measure are absent from the map.
 */
export async function measureFigures(
  db: Database,
  ids: readonly number[],
): Promise<Map<number, MeasureFigures>> {
  const wanted = [...new Set(ids)];
  const figures = new Map<number, MeasureFigures>();
  if (wanted.length === 0) return figures;
  const [found, allValues, allTargets, rows, groups, benchmarks, printed] = await Promise.all([
    repository.findMeasures(db, wanted),
    repository.valuesOf(db, wanted),
    repository.targetsOf(db, wanted),
    repository.rowsOfMeasures(db, wanted),
    repository.listGroups(db),
    repository.benchmarksOf(db, wanted),
    repository.printedRatingsOf(db, wanted),
  ]);
  const published = await publishedFiguresFor(db, wanted);
  const valuesOf = groupedBy(allValues, (value) => value.measureId);
  const targetsOf = groupedBy(allTargets, (target) => target.measureId);
  const rowsOf = groupedBy(rows, (row) => row.measureId);
  const benchmarksOf = groupedBy(benchmarks, (benchmark) => benchmark.measureId);
  const printedOf = groupedBy(printed, (one) => one.measureId);
  const readTarget = targetReader();
  const scheme = await ratingScheme(db);
  for (const measure of found) {
    const values = valuesOf.get(measure.id) ?? [];
    const targets = targetsOf.get(measure.id) ?? [];
    const { rated } = rateRows(
      measure,
      rowsOf.get(measure.id) ?? [],
      groups,
      values,
      targets,
      benchmarksOf.get(measure.id) ?? [],
      readTarget,
      printedOf.get(measure.id) ?? [],
      published.get(measure.id),
      scheme,
    );
    figures.set(measure.id, {
      measure,
      values: currentInDateOrder(values),
      targets: targets.filter((target) => target.current),
      rows: rated,
    });
  }
  return figures;
}

/** What one document's tables print of a measure: its current values and targets from that document. */
export interface DocumentFigures {
  measure: Measure;
  /** The document's current values, in date order (as MeasureFigures.values). */
  values: MeasureValue[];
  /** The document's current targets, in the order they were set. */
  targets: MeasureTarget[];
}

/**
 * The measures' figures as one document prints them, for a report that reprints that document's
 * tables: the same values and targets as `measureFigures` gives for the document, without reading
 * every other document's and period's. Ids with no measure are absent from the map.
 */
export async function documentFigures(
  db: Database,
  ids: readonly number[],
  document: string,
): Promise<Map<number, DocumentFigures>> {
  const wanted = [...new Set(ids)];
  const figures = new Map<number, DocumentFigures>();
  if (wanted.length === 0) return figures;
  const found = await repository.findMeasures(db, wanted);
  const { values, targets } = await repository.currentRecordsOfDocument(db, wanted, document);
  const valuesOf = groupedBy(values, (value) => value.measureId);
  const targetsOf = groupedBy(targets, (target) => target.measureId);
  for (const measure of found) {
    figures.set(measure.id, {
      measure,
      values: currentInDateOrder(valuesOf.get(measure.id) ?? []),
      targets: targetsOf.get(measure.id) ?? [],
    });
  }
  return figures;
}

/**
 * Targets that compare with a benchmark ("To remain lower than national average") are assessed
 * for every period where the document gave both the measure's figure and that benchmark's, so
 * the page shows how the measure stood against the benchmark when it was last known.
 */
function compareWithBenchmarks(
  measure: Measure,
  values: MeasureValue[],
  targets: MeasureTarget[],
  benchmarks: MeasureBenchmark[],
): BenchmarkComparison[] {
  const comparisons: BenchmarkComparison[] = [];
  for (const target of targets) {
    const parsed = parseTarget(target.targetText);
    if (parsed.kind !== "benchmark") continue;
    const wanted = parsed.comparator;
    for (const benchmark of benchmarks) {
      if (benchmark.benchmarkGroup !== wanted) continue;
      const value =
        values.find((candidate) => candidate.id === benchmark.valueId && candidate.amount !== null) ??
        values.find((candidate) => candidate.periodKey === benchmark.periodKey && candidate.amount !== null);
      if (!value) continue;
      const verdict = evaluateTarget(parsed, {
        value: amountOf(value),
        unit: measure.unit ?? "count",
        decimals: value.decimals ?? measure.decimals ?? 0,
        polarity: measure.polarity ?? "monitor",
        period: benchmark.periodLabel,
        benchmarks: benchmarkContext(benchmarks, benchmark.periodLabel) ?? {},
      });
      comparisons.push({ benchmark, target, value, verdict });
    }
  }
  return comparisons;
}
