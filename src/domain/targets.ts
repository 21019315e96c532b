/**
 * Targets as councils write them ("Less than 810", "95% or above", "4-8%", "Maintain 2019/20
 * performance", "To be better than the national average", "Achieve top-quartile performance",
 * "Monitor (no target to be set)"): stored word for word, parsed into a structured target, and
 * evaluated against a value with a one-sentence explanation ("909 is not less than 810.").
 *
 * Rules a council relies on:
 * - The words are never changed or dropped. Phrases that are not understood become "unparsed"
 *   targets carrying a plain-English reason, and evaluate to "cannot assess".
 * - Without the data a target needs (an earlier value, a national figure, all councils' values)
 *   the verdict is "cannot assess" and says what is missing; it never guesses.
 * - Figures are compared exactly at the decimals they were written with (see benchmarks.ts).
 *
 * Interpretations worth knowing:
 * - "to maintain performance above 70%" is a threshold (above 70%), not a baseline: the figure
 *   decides the verdict; "maintain" only records that the council is already there.
 * - A bare value ("75%", "480") means "at least" for higher-is-better measures and "at most" for
 *   lower-is-better ones; with no direction it cannot be assessed.
 * - A quartile target ("To remain in upper-middle national quartile") is met by that band or a
 *   better one: a council that rises into the top quartile has not missed it.
 * - "Gap to be smaller than the national gap" and "to narrow the national gap compared to the
 *   previous year" compare the measure's own value (a gap in percentage points, signed, positive
 *   meaning the group is behind) with the national figure and with its previous-year value.
 * - "to exceed the rate of improvement nationally" takes the measure's values as levels and
 *   compares the council's change since the previous period with the national change, both in
 *   the measure's unit (percentage points for percentages), improvement read by polarity.
 * - "significantly better than the national average" needs a significance result; without one a
 *   figure that is better is "cannot assess" (one that is not better has plainly missed).
 * - A strict threshold missed exactly ("380" against "Less than 380") is missed by 0.
 */

import {
  bandOrder,
  compareExact,
  decimalPlaces,
  differenceExact,
  hasDirection,
  type QuartileBand,
  quartileBandMeta,
  quartilePlacement,
  rankAmong,
} from "./benchmarks.ts";
import { MEASURE_UNIT_PHRASES, type MeasureUnit, type Polarity } from "./measure-types.ts";

// ---------------------------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------------------------

export type TargetKind =
  | "threshold"
  | "value"
  | "range"
  | "baseline"
  | "benchmark"
  | "quartile"
  | "rank"
  | "top-rank"
  | "gap"
  | "none"
  | "unparsed";

/** A figure as written in a target: "£155,000", "66.7%", "7.0". */
export interface TargetFigure {
  readonly value: number;
  /** Decimals as written: "7.0" has 1, "100.0%" has 1, "95%" has 0. */
  readonly decimals: number;
  /** The symbol written with it, which must agree with the measure's unit. */
  readonly symbol: "percent" | "pounds" | "none";
  /** The figure's own words, e.g. "£155,000". */
  readonly text: string;
}

/** Strict ("below", "above") or inclusive ("at-most", "at-least"). */
export type ThresholdComparison = "below" | "above" | "at-least" | "at-most";

export type BaselineDirection = "maintain" | "increase" | "reduce" | "improve";

export type BenchmarkComparator = "national" | "regional" | "statistical-neighbours";

/**
 * "better" takes its direction from the measure's polarity; "above" and "below" are literal;
 * "in-line" is within the council's tolerance either side.
 */
export type BenchmarkRelation = "above" | "below" | "better" | "significantly-better" | "in-line";

export type GapTest =
  | "smaller-than-national-gap"
  | "narrower-than-previous-year"
  | "improvement-exceeds-national"
  | "close-by-points";

export type NoTargetReason =
  | "monitor"
  | "baseline-year"
  | "baseline-to-be-established"
  | "not-set"
  | "to-be-confirmed"
  | "not-applicable"
  | "programme-too-new"
  | "dash"
  | "blank";

/** What every target keeps, whatever its kind. */
export interface TargetWords {
  /** The words exactly as given, for display and round trip. */
  readonly text: string;
  /** The phrase that was interpreted: inside "(target for 2024-25 ...)" the words after the year, else the text trimmed. */
  readonly phrase: string;
  /** The year named by "(target for 2024-25 ...)", else null. */
  readonly forPeriod: string | null;
  /** Written with a question mark ("98% or above?"): still parsed, but flagged as not confirmed. */
  readonly uncertain: boolean;
  /** Plain-English flags for the performance officer; empty when the words were clear. */
  readonly warnings: readonly string[];
}

export interface ThresholdTarget extends TargetWords {
  readonly kind: "threshold";
  readonly comparison: ThresholdComparison;
  readonly figure: TargetFigure;
  /** Written as "Maintain ..."; informational, the verdict depends on the figure alone. */
  readonly sustain: boolean;
}

export interface ValueTarget extends TargetWords {
  readonly kind: "value";
  readonly figure: TargetFigure;
}

export interface RangeTarget extends TargetWords {
  readonly kind: "range";
  /** Both ends inclusive. */
  readonly lower: TargetFigure;
  readonly upper: TargetFigure;
}

export interface BaselineTarget extends TargetWords {
  readonly kind: "baseline";
  readonly direction: BaselineDirection;
  /** The period named ("2019/20", "2023-24"), or null for "the previous like period". */
  readonly period: string | null;
}

export interface BenchmarkTarget extends TargetWords {
  readonly kind: "benchmark";
  readonly comparator: BenchmarkComparator;
  readonly relation: BenchmarkRelation;
  /** Written as "remain" or "maintain"; informational. */
  readonly sustain: boolean;
}

export interface QuartileTarget extends TargetWords {
  readonly kind: "quartile";
  /** The band named; the target is met by this band or a better one. Quartiles are national. */
  readonly band: QuartileBand;
}

export interface RankTarget extends TargetWords {
  readonly kind: "rank";
  /** Places to climb in the national ranking since the previous period. */
  readonly places: number;
}

export interface TopRankTarget extends TargetWords {
  readonly kind: "top-rank";
  /** The national rank to be at or better than: "ranked in the top 50 nationally" is 50. */
  readonly within: number;
}

export interface GapTarget extends TargetWords {
  readonly kind: "gap";
  readonly test: GapTest;
  /** For "close-by-points": the benchmark the gap is to and the points (in the measure's unit) to close it by. */
  readonly comparator?: BenchmarkComparator;
  readonly points?: TargetFigure;
}

export interface NoTarget extends TargetWords {
  readonly kind: "none";
  readonly reason: NoTargetReason;
}

export interface UnparsedTarget extends TargetWords {
  readonly kind: "unparsed";
  /** Why the words could not be read, in plain English. */
  readonly reason: string;
}

export type Target =
  | ThresholdTarget
  | ValueTarget
  | RangeTarget
  | BaselineTarget
  | BenchmarkTarget
  | QuartileTarget
  | RankTarget
  | TopRankTarget
  | GapTarget
  | NoTarget
  | UnparsedTarget;

/** An amount in a measure's unit (differences of percentages are in percentage points), or in ranking places. */
export type QuantityUnit = MeasureUnit | "places";

export interface Quantity {
  readonly amount: number;
  /** Decimals to show: at least as many as the figures it came from were written with. */
  readonly decimals: number;
  readonly unit: QuantityUnit;
}

/** Benchmark figures for the measure: the figure for the period being assessed and for the previous like period. */
export interface BenchmarkFigures {
  readonly current?: number | null;
  readonly previous?: number | null;
}

/** Where published benchmark figures come from, for explanations that name them. */
export interface BenchmarkSource {
  /** The publisher and product, as cited: "DfE, LAIT". */
  readonly name: string;
  /** The benchmark's own period label for the figures used: "2018/19". */
  readonly period: string;
  /** The benchmark's label for the previous like period, where figures for it are given. */
  readonly previousPeriod?: string;
  /** The region's name ("East Midlands"), for "the East Midlands figure". */
  readonly regionName?: string;
}

/** A benchmark that has not been published for the period assessed. */
export interface UnpublishedBenchmark {
  /** What is not published: "Care leavers in education, employment or training (DfE, LAIT)". */
  readonly what: string;
  /** When the publisher expects its next figures, in words ("June 2026"), or null when it does not say. */
  readonly expected: string | null;
  /** The latest period it has published, or null when none. */
  readonly latest: string | null;
}

export interface BenchmarkData {
  /** Where the figures come from; without it explanations speak of "the national figure". */
  readonly source?: BenchmarkSource;
  /** Set when the benchmark has no figures for the period yet: targets against it say so. */
  readonly unpublished?: UnpublishedBenchmark;
  /** How far from a benchmark still counts as "in line with" it, in the measure's unit (percentage points for percentages). */
  readonly tolerance?: number;
  /** England's published figure (not a mean of councils). */
  readonly national?: BenchmarkFigures;
  /** The region's published figure. */
  readonly regional?: BenchmarkFigures;
  /** The statistical-neighbour average (see statisticalNeighbourAverage). */
  readonly statisticalNeighbours?: BenchmarkFigures;
  /** A significance test of the council's figure against the national one, where published. */
  readonly nationalSignificance?:
    | "significantly-better"
    | "not-significantly-different"
    | "significantly-worse";
}

/** What evaluating a target needs; everything past the period is optional and only used by the targets that refer to it. */
export interface TargetContext {
  /** The measure's value for the period, or null where there is none. */
  readonly value: number | null;
  readonly unit: MeasureUnit;
  /** Decimals the value is written with (96.3 -> 1). */
  readonly decimals: number;
  readonly polarity: Polarity;
  /** The period the value is for, as labelled: "2020/21", "Q3 2020/21". */
  readonly period: string;
  /** The previous like period's label, for "Reduce...", gap narrowing and rates of improvement. */
  readonly previousPeriod?: string;
  /**
   * The measure's own value for another period, looked up by the label as written in the target
   * ("2019/20") or as given in previousPeriod. Label forms (2019/20 vs 2019-20) are the caller's
   * to reconcile. undefined or null: no value.
   */
  readonly ownValueFor?: (period: string) => number | null | undefined;
  readonly benchmarks?: BenchmarkData;
  /** Every council's value for the period, including this council's; nulls are skipped. */
  readonly allAuthorityValues?: readonly (number | null)[];
  /** This council's national rank for the previous like period. */
  readonly previousRank?: number | null;
  /**
   * Why the value cannot be compared as it stands, where it was flagged when read: a percentage
   * written without its % sign, a figure for a period outside its column. The verdict is then
   * "cannot assess" with that reason; the figure is never taken as if it were clean.
   */
  readonly valueFlag?: string;
  /** Where the value came from when it is not the council's own table's: shown beside the verdict. */
  readonly valueNote?: string;
}

export type VerdictOutcome = "met" | "not-met" | "cannot-assess" | "not-set";

/** What a "cannot assess" verdict was missing. */
export type MissingData =
  | "value"
  | "target"
  | "polarity"
  | "unit"
  | "earlier-period"
  | "own-earlier-value"
  | "national"
  | "regional"
  | "statistical-neighbours"
  | "all-authority-values"
  | "previous-rank"
  | "significance"
  | "tolerance"
  | "benchmark-unpublished";

export interface Verdict {
  readonly outcome: VerdictOutcome;
  /** One sentence in plain English: "909 is not less than 810." */
  readonly explanation: string;
  /** Where missed, by how much (0 when exactly on a strict threshold). */
  readonly missedBy: Quantity | null;
  /** The figure the value was held against: the threshold, the range end, the earlier value, the national figure, the quartile cut point, the places sought. */
  readonly comparedWith: Quantity | null;
  /** For "cannot assess", what was missing. */
  readonly missing: MissingData | null;
  /** Flags the reader should see beside the verdict (an unconfirmed target, a target for another year). */
  readonly caveats: readonly string[];
}

// ---------------------------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------------------------

/** Financial, academic or calendar year labels as written in targets: 2019/20, 2023-24, 2019/2020, 2019. */
const PERIOD = String.raw`(\d{4}[/-]\d{2}(?:\d{2})?|\d{4})`;
/** A figure as written, checked strictly by parseFigure. */
const FIGURE = String.raw`(£\s?\d[\d,]*(?:\.\d+)?|\d[\d,]*(?:\.\d+)?\s?%?)`;

function normaliseWords(text: string): string {
  return text
    .replace(/[\u00a0\u2007\u202f]/g, " ")
    .replace(/[\u2010-\u2015\u2212]/g, "-")
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/\s+/g, " ")
    .trim();
}

function parseFigure(written: string): TargetFigure | null {
  const m = /^(£)?\s?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?\s?(%)?$/.exec(written.trim());
  if (m === null) return null;
  const [, pounds, whole = "", fraction, percent] = m;
  if (pounds !== undefined && percent !== undefined) return null;
  const value = Number(`${whole.replace(/,/g, "")}${fraction === undefined ? "" : `.${fraction}`}`);
  return {
    value,
    decimals: fraction?.length ?? 0,
    symbol: percent !== undefined ? "percent" : pounds !== undefined ? "pounds" : "none",
    text: written.trim(),
  };
}

/** The words of a target with the parsed structure attached, less the base fields. */
type TargetDetail =
  | Omit<ThresholdTarget, keyof TargetWords>
  | Omit<ValueTarget, keyof TargetWords>
  | Omit<RangeTarget, keyof TargetWords>
  | Omit<BaselineTarget, keyof TargetWords>
  | Omit<BenchmarkTarget, keyof TargetWords>
  | Omit<QuartileTarget, keyof TargetWords>
  | Omit<RankTarget, keyof TargetWords>
  | Omit<TopRankTarget, keyof TargetWords>
  | Omit<GapTarget, keyof TargetWords>
  | Omit<NoTarget, keyof TargetWords>
  | Omit<UnparsedTarget, keyof TargetWords>;

interface Reading {
  readonly detail: TargetDetail;
  readonly warnings?: readonly string[];
}

function unparsed(reason: string): Reading {
  return { detail: { kind: "unparsed", reason } };
}

const NONE_PHRASES: readonly [RegExp, NoTargetReason][] = [
  [/^-$/, "dash"],
  [/^monitor\b/i, "monitor"],
  [/^baseline year$/i, "baseline-year"],
  [/^(?:a )?baseline (?:to be|will be|being) (?:established|set)\b/i, "baseline-to-be-established"],
  [/^(?:not set|no target(?: (?:to be )?set)?|target not set)$/i, "not-set"],
  [/^(?:tbc|tbd|to be confirmed|to be determined)$/i, "to-be-confirmed"],
  [/^(?:n\/a|not applicable)$/i, "not-applicable"],
  [/^\(?programme (?:is )?less than .+ old\)?$/i, "programme-too-new"],
];

const QUARTILE_WORDS: readonly [RegExp, QuartileBand][] = [
  [/\bupper[- ]middle\b|\bsecond\b/i, "B"],
  [/\blower[- ]middle\b|\bthird\b/i, "C"],
  [/\btop\b|\bfirst\b|\bupper quartile\b/i, "A"],
  [/\bbottom\b|\blowest\b|\bfourth\b/i, "D"],
];

function readQuartile(phrase: string): Reading {
  if (/\b(?:not|avoid|out of|leave|move from)\b/i.test(phrase)) {
    return unparsed(
      "It names a quartile in a way that is not a single band to reach, so set the band by hand.",
    );
  }
  const bands = QUARTILE_WORDS.filter(([pattern]) => pattern.test(phrase)).map(([, band]) => band);
  const [band, ...others] = bands;
  if (band === undefined)
    return unparsed("It mentions a quartile but not which one (top, upper-middle, lower-middle).");
  if (others.length > 0) return unparsed("It names more than one quartile, so the band to reach is unclear.");
  return { detail: { kind: "quartile", band } };
}

function readRank(phrase: string): Reading {
  const top =
    /^(?:to )?(?:(?:be|remain|stay|achieve|maintain|keep) )?(?:being )?(?:ranked )?(?:in|within|among) the top (\d+)(?: (?:councils|authorities|local authorities|las))?(?: (?:nationally|in england|national ranking))?$/i.exec(
      phrase,
    ) ??
    /^(?:to )?(?:(?:be|remain|stay) )?ranked (\d+)(?:st|nd|rd|th)? (?:nationally )?or (?:better|higher|above)(?: nationally)?$/i.exec(
      phrase,
    );
  if (top !== null) {
    const within = Number(top[1]);
    if (within === 0) return unparsed("It asks for a rank within the top 0.");
    return { detail: { kind: "top-rank", within } };
  }
  const m =
    /^(?:to )?(?:increase|improve|raise|move up|climb)(?: (?:our|the))?(?: national)? (?:ranking|rank|position)(?: nationally)? by (\d+) places?$/i.exec(
      phrase,
    );
  if (m === null) return unparsed("It mentions a ranking, but not as a number of places to climb.");
  const places = Number(m[1]);
  if (places === 0) return unparsed("It asks to climb 0 places in the ranking.");
  return { detail: { kind: "rank", places } };
}

function comparatorOf(words: string): BenchmarkComparator {
  const c = words.toLowerCase();
  return c.startsWith("statistical")
    ? "statistical-neighbours"
    : c.startsWith("region")
      ? "regional"
      : "national";
}

function readGap(phrase: string): Reading | null {
  const byPoints = new RegExp(
    `^(?:to )?(?:close|narrow|reduce) the gap (?:to|with|between us and) (?:the )?(national|england|regional|region|statistical neighbours?)(?: (?:averages?|figures?|performance|rates?|levels?))? by (?:at least )?${FIGURE}(?: (?:percentage )?points?)?$`,
    "i",
  ).exec(phrase);
  if (byPoints !== null) {
    const points = parseFigure(byPoints[2] ?? "");
    if (points === null) return unparsed(`The figure "${byPoints[2] ?? ""}" is not a number as written.`);
    return {
      detail: { kind: "gap", test: "close-by-points", comparator: comparatorOf(byPoints[1] ?? ""), points },
    };
  }
  if (
    /^(?:the )?gap (?:to be|should be|is) (?:smaller|narrower|less|lower) than (?:the )?national(?: gap)?$/i.test(
      phrase,
    )
  ) {
    return { detail: { kind: "gap", test: "smaller-than-national-gap" } };
  }
  if (
    /^(?:to )?(?:narrow|reduce|close) the (?:national )?gap(?: (?:compared (?:to|with)|on|from) (?:the )?(?:previous|last) year)?$/i.test(
      phrase,
    )
  ) {
    return { detail: { kind: "gap", test: "narrower-than-previous-year" } };
  }
  if (
    /^(?:to )?(?:exceed|beat|be (?:above|better than)) the (?:national )?rate of improvement(?: nationally)?$/i.test(
      phrase,
    )
  ) {
    return { detail: { kind: "gap", test: "improvement-exceeds-national" } };
  }
  return null;
}

const BENCHMARK = new RegExp(
  `^(?:to )?(?:(be|remain|maintain|stay|keep|achieve|continue to be) )?` +
    `(?:(?:an?|the) (?:outcome|performance|result|figure|level|rate) (?:that is )?)?` +
    `(significantly better than|better than|above|higher than|greater than|more than|over|exceed|exceeding|in excess of|below|lower than|less than|under)` +
    ` (?:that of )?(?:the )?(national|england|regional|region|statistical neighbours?|statistical neighbour)` +
    `(?: (?:averages?|figures?|performance|rates?|levels?|mean|outcomes?|results?))?$`,
  "i",
);

const IN_LINE = new RegExp(
  `^(?:to )?(?:(be|remain|maintain|stay|keep|achieve|continue to be) )?(?:performance )?(?:broadly )?in line with (?:that of )?(?:the )?(national|england|regional|region|statistical neighbours?|statistical neighbour)` +
    `(?: (?:averages?|figures?|performance|rates?|levels?|mean|outcomes?|results?))?$`,
  "i",
);

function readBenchmark(phrase: string): Reading | null {
  const inLine = IN_LINE.exec(phrase);
  if (inLine !== null) {
    const sustain = inLine[1] !== undefined && /^(?:remain|maintain|stay|keep|continue)/i.test(inLine[1]);
    return {
      detail: { kind: "benchmark", comparator: comparatorOf(inLine[2] ?? ""), relation: "in-line", sustain },
    };
  }
  const m = BENCHMARK.exec(phrase);
  if (m === null) return null;
  const [, verb, relationWords = "", comparatorWords = ""] = m;
  const r = relationWords.toLowerCase();
  const relation: BenchmarkRelation = r.startsWith("significantly")
    ? "significantly-better"
    : r === "better than"
      ? "better"
      : /^(?:below|lower|less|under)/.test(r)
        ? "below"
        : "above";
  const comparator = comparatorOf(comparatorWords);
  const sustain = verb !== undefined && /^(?:remain|maintain|stay|keep|continue)/i.test(verb);
  return { detail: { kind: "benchmark", comparator, relation, sustain } };
}

const CHANGE_WORD: Record<string, BaselineDirection> = {
  maintain: "maintain",
  increase: "increase",
  raise: "increase",
  improve: "improve",
  reduce: "reduce",
  decrease: "reduce",
  lower: "reduce",
};

function direction(word: string): BaselineDirection {
  return CHANGE_WORD[word.toLowerCase()] ?? "maintain";
}

function readBaseline(phrase: string): Reading | null {
  let m = new RegExp(
    `^(?:to )?maintain (?:the )?${PERIOD} (?:performance|level|levels|position|figure|rate|outturn)$`,
    "i",
  ).exec(phrase);
  if (m !== null) return { detail: { kind: "baseline", direction: "maintain", period: m[1] ?? null } };
  m = new RegExp(
    `^(?:to )?(maintain|increase|raise|improve|reduce|decrease|lower)(?: performance| the figure| the number| the rate)? (?:on|from|compared (?:to|with)|against|since) (?:the )?${PERIOD}(?: (?:performance|level|levels|position|figure|rate|outturn))?$`,
    "i",
  ).exec(phrase);
  if (m !== null)
    return { detail: { kind: "baseline", direction: direction(m[1] ?? ""), period: m[2] ?? null } };
  m =
    /^(?:to )?(maintain|increase|raise|improve|reduce|decrease|lower)(?: performance| the figure| the number| the rate| the level)?(?: (?:on|from|compared (?:to|with)|against) (?:the )?(?:previous|last|prior) (?:year|period|quarter))?$/i.exec(
      phrase,
    );
  if (m !== null) return { detail: { kind: "baseline", direction: direction(m[1] ?? ""), period: null } };
  return null;
}

/** "Reduce..." and other change words with no figure, period or benchmark: read against the previous period and flagged. */
function readLooseChange(phrase: string): Reading | null {
  const m = /^(?:to )?(increase|raise|improve|reduce|decrease|lower)\b(.*)$/i.exec(phrase);
  if (m === null) return null;
  const rest = m[2] ?? "";
  if (/\d|national|regional|neighbour|quartile|rank/i.test(rest)) return null;
  return {
    detail: { kind: "baseline", direction: direction(m[1] ?? ""), period: null },
    warnings: [`Read as a change on the previous like period, as no period is named in "${phrase}".`],
  };
}

const THRESHOLD_PREFIX = `^(?:to )?(?:(maintain|keep|remain|stay|be|achieve) )?(?:(?:performance|a rate|a figure|the rate|levels?) )?`;

const THRESHOLD_FORMS: readonly [RegExp, ThresholdComparison][] = [
  [new RegExp(`${THRESHOLD_PREFIX}(?:less than|fewer than|under|below|lower than) ${FIGURE}$`, "i"), "below"],
  [
    new RegExp(
      `${THRESHOLD_PREFIX}(?:above|over|more than|greater than|higher than|in excess of|exceeding|exceed) ${FIGURE}$`,
      "i",
    ),
    "above",
  ],
  [
    new RegExp(
      `${THRESHOLD_PREFIX}(?:at least|no less than|not less than|a minimum of|minimum of|minimum) ${FIGURE}$`,
      "i",
    ),
    "at-least",
  ],
  [
    new RegExp(
      `${THRESHOLD_PREFIX}(?:at most|no more than|not more than|a maximum of|maximum of|maximum|up to) ${FIGURE}$`,
      "i",
    ),
    "at-most",
  ],
  [
    new RegExp(`${THRESHOLD_PREFIX}${FIGURE} (?:or|and) (?:above|more|over|higher|greater)$`, "i"),
    "at-least",
  ],
  [new RegExp(`${THRESHOLD_PREFIX}${FIGURE} (?:or|and) (?:less|below|under|lower|fewer)$`, "i"), "at-most"],
  [
    new RegExp(
      `^(?:to )?(?:increase|raise|improve)(?: (?:performance|the rate|the figure))? to (?:at least )?${FIGURE}$`,
      "i",
    ),
    "at-least",
  ],
  [
    new RegExp(
      `^(?:to )?(?:reduce|decrease|lower)(?: (?:the rate|the figure|the number))? to (?:no more than )?${FIGURE}$`,
      "i",
    ),
    "at-most",
  ],
];

function readThreshold(phrase: string): Reading | null {
  for (const [pattern, comparison] of THRESHOLD_FORMS) {
    const m = pattern.exec(phrase);
    if (m === null) continue;
    const figureText = m[m.length - 1] ?? "";
    const figure = parseFigure(figureText);
    if (figure === null)
      return unparsed(`The figure "${figureText}" is not a number as written (check the commas).`);
    const verb = m.length > 2 ? m[1] : undefined;
    const sustain = verb !== undefined && /^(?:maintain|keep|remain|stay)$/i.test(verb);
    return { detail: { kind: "threshold", comparison, figure, sustain } };
  }
  return null;
}

function readRange(phrase: string): Reading | null {
  const m =
    new RegExp(`^(?:between |within )?${FIGURE} ?(?:-|to) ?${FIGURE}$`, "i").exec(phrase) ??
    new RegExp(`^between ${FIGURE} and ${FIGURE}$`, "i").exec(phrase);
  if (m === null) return null;
  const first = parseFigure(m[1] ?? "");
  const second = parseFigure(m[2] ?? "");
  if (first === null || second === null) return unparsed("A figure in the range is not a number as written.");
  // "4-8%": a symbol written once applies to both ends.
  const symbols = new Set([first.symbol, second.symbol].filter((s) => s !== "none"));
  if (symbols.size > 1) return unparsed("The two ends of the range are in different units.");
  const symbol: TargetFigure["symbol"] = [...symbols][0] ?? "none";
  const lower: TargetFigure = { ...first, symbol };
  const upper: TargetFigure = { ...second, symbol };
  if (compareExact(lower.value, upper.value) > 0) {
    return unparsed(
      "The range's first figure is larger than its second, so it reads as a year or a typing slip.",
    );
  }
  return { detail: { kind: "range", lower, upper } };
}

function readValue(phrase: string): Reading | null {
  const m = new RegExp(`^(?:(?:maintain|achieve|reach) )?${FIGURE}$`, "i").exec(phrase);
  if (m === null) return null;
  const figure = parseFigure(m[1] ?? "");
  if (figure === null)
    return unparsed(`The figure "${m[1] ?? ""}" is not a number as written (check the commas).`);
  return { detail: { kind: "value", figure } };
}

function readPhrase(phrase: string): Reading {
  if (phrase === "") return { detail: { kind: "none", reason: "blank" } };
  for (const [pattern, reason] of NONE_PHRASES) {
    if (pattern.test(phrase)) return { detail: { kind: "none", reason } };
  }
  const bracketed = /^\((.+)\)$/.exec(phrase);
  if (bracketed !== null) {
    // "(baseline to be established during 2024-25)": a reason for no target, in brackets.
    const inner = readPhrase(bracketed[1]?.trim() ?? "");
    if (inner.detail.kind === "none") return inner;
  }
  if (new RegExp(`^${PERIOD}$`).test(phrase)) {
    return unparsed("It is a year on its own, not a target; say what should happen relative to it.");
  }
  if (/quartile/i.test(phrase)) return readQuartile(phrase);
  if (/\brank(?:ing|ed)?\b|\bplaces\b|\btop \d+\b/i.test(phrase)) return readRank(phrase);
  const reading =
    readGap(phrase) ??
    readBenchmark(phrase) ??
    readBaseline(phrase) ??
    readThreshold(phrase) ??
    readRange(phrase) ??
    readValue(phrase) ??
    readLooseChange(phrase);
  if (reading !== null) return reading;
  if (/\bgap\b/i.test(phrase))
    return unparsed("It mentions a gap, but not one of the recognised gap comparisons.");
  if (/national|england|regional|neighbour/i.test(phrase)) {
    return unparsed(
      "It mentions a benchmark, but the comparison (above, below, better than) was not recognised.",
    );
  }
  return unparsed(
    "The words do not match any known kind of target (a figure, a range, an earlier period, a benchmark, a quartile, a rank or a gap).",
  );
}

const TARGET_FOR = new RegExp(String.raw`^\(\s*target for ${PERIOD}:? (.*?)\s*\)$`, "i");

/**
 * Parse a target as written. The words are kept exactly (formatTarget gives them back); the
 * refresh's "(target for 2024-25 increase from 2023-24)" form is read by its inner phrase and
 * records the year. Never throws: unknown words come back as an "unparsed" target with a reason.
 */
export function parseTarget(text: string): Target {
  let phrase = normaliseWords(text);
  let forPeriod: string | null = null;
  const wrapped = TARGET_FOR.exec(phrase);
  if (wrapped !== null) {
    forPeriod = wrapped[1] ?? null;
    phrase = wrapped[2] ?? "";
  }
  const warnings: string[] = [];
  let reading = phrase;
  const uncertain = /\?$/.test(reading);
  if (uncertain) {
    reading = reading.replace(/\s*\?+$/, "");
    warnings.push(`The target "${phrase}" ends with a question mark, so it may not be confirmed.`);
  }
  // A closing full stop adds nothing; an ellipsis ("Reduce...") may mean words were cut off.
  if (/(?:\.\.+|…)$/.test(reading)) {
    warnings.push(
      `The target "${phrase}" ends with "...", so words may be missing; check it reads as intended.`,
    );
  }
  reading = reading.replace(/\s*(?:\.+|…)$/, "").trim();
  const { detail, warnings: more = [] } = readPhrase(reading);
  warnings.push(...more);
  if (detail.kind === "unparsed") warnings.push(detail.reason);
  return { ...detail, text, phrase, forPeriod, uncertain, warnings } as Target;
}

/** The target's words exactly as written. */
export function formatTarget(target: Target): string {
  return target.text;
}

export interface MeasureWithTarget {
  /** The measure's title, without a leading bullet. */
  readonly title: string;
  /** The year from "(target for 2024-25 ...)", or null when the line has no target. */
  readonly targetPeriod: string | null;
  /** The target phrase inside the brackets ("increase from 2023-24"), or null. */
  readonly targetPhrase: string | null;
  /** The bracketed words exactly as written, for parseTarget, or null. */
  readonly targetText: string | null;
}

const MEASURE_WITH_TARGET = new RegExp(
  String.raw`^(.*?)\s*(\(\s*target for ${PERIOD}:? (.*?)\s*\))\s*$`,
  "i",
);
/** The refresh also writes "(baseline to be established during 2024-25)" in place of a target. */
const MEASURE_WITH_BASELINE = /^(.*?)\s*(\(\s*(baseline to be established\b[^()]*?)\s*\))\s*$/i;

/**
 * Split a line of the refresh's "Key Performance Measures" list, e.g. "- The number of children
 * returning home from care (target for 2024-25 increase from 2023-24)", into the title, the
 * target's year and the target phrase. A line with no "(target for ...)" is all title.
 */
export function splitMeasureWithTarget(line: string): MeasureWithTarget {
  const text = line.replace(/^\s*(?:[-•*\u2013]\s+)/, "").trim();
  const m = MEASURE_WITH_TARGET.exec(text);
  if (m === null) {
    const baseline = MEASURE_WITH_BASELINE.exec(text);
    if (baseline === null) return { title: text, targetPeriod: null, targetPhrase: null, targetText: null };
    return {
      title: baseline[1] ?? "",
      targetText: baseline[2] ?? null,
      targetPeriod: null,
      targetPhrase: baseline[3] ?? null,
    };
  }
  return {
    title: m[1] ?? "",
    targetText: m[2] ?? null,
    targetPeriod: m[3] ?? null,
    targetPhrase: m[4] ?? null,
  };
}

// ---------------------------------------------------------------------------------------------
// Formatting figures for explanations
// ---------------------------------------------------------------------------------------------

/** Digits with thousands separators and a fixed number of decimals: 155000 -> "155,000", 9 at 1 -> "9.0". */
function grouped(amount: number, decimals: number): string {
  const magnitude = Math.abs(amount);
  const places = Math.min(Math.max(decimals, 0), 20);
  // Evaluations are run a million at a time: skip toFixed and the grouping for small whole numbers.
  const fixed = places === 0 && Number.isInteger(magnitude) ? String(magnitude) : magnitude.toFixed(places);
  if (magnitude < 1000) return fixed;
  const dot = fixed.indexOf(".");
  const whole = dot < 0 ? fixed : fixed.slice(0, dot);
  let withCommas = "";
  for (let i = 0; i < whole.length; i++) {
    if (i > 0 && (whole.length - i) % 3 === 0) withCommas += ",";
    withCommas += whole[i];
  }
  return dot < 0 ? withCommas : withCommas + fixed.slice(dot);
}

/** Show an amount in its unit: "96.3%", "£155,000", "909", "423 days", "1.0 percentage point", "58 per 10,000", "3 places". */
export function formatQuantity(quantity: Quantity): string {
  const { amount, decimals, unit } = quantity;
  const sign = amount < 0 && compareExact(amount, 0) !== 0 ? "-" : "";
  const digits = grouped(amount, decimals);
  const one = compareExact(Math.abs(amount), 1) === 0;
  switch (unit) {
    case "percent":
      return `${sign}${digits}%`;
    case "percentage-points":
      return `${sign}${digits} percentage point${one ? "" : "s"}`;
    case "money":
      return `${sign}£${digits}`;
    case "days":
      return `${sign}${digits} day${one ? "" : "s"}`;
    case "rate-per-10k":
      return `${sign}${digits} per 10,000`;
    case "places":
      return `${sign}${digits} place${one ? "" : "s"}`;
    case "count":
    case "decimal-rate":
      return `${sign}${digits}`;
  }
}

/** Differences of percentages are percentage points, never percentages. */
function differenceUnit(unit: MeasureUnit): MeasureUnit {
  return unit === "percent" ? "percentage-points" : unit;
}

const UNIT_WORDS = MEASURE_UNIT_PHRASES;

// ---------------------------------------------------------------------------------------------
// Evaluation
// ---------------------------------------------------------------------------------------------

const NONE_EXPLANATIONS: Record<NoTargetReason, string> = {
  monitor: "No target: the measure is monitored only.",
  "baseline-year": "No target: this is the baseline year.",
  "baseline-to-be-established": "No target yet: a baseline is to be established first.",
  "not-set": "No target has been set.",
  "to-be-confirmed": "No target yet: it is to be confirmed.",
  "not-applicable": "No target: not applicable.",
  "programme-too-new": "No target yet: the programme is too new to measure.",
  dash: "No target has been set.",
  blank: "No target has been set.",
};

function isNumber(v: number | null | undefined): v is number {
  return typeof v === "number" && Number.isFinite(v);
}

/** Label forms differ (2024-25, 2024/25); compare them loosely only to raise a caveat. */
function samePeriodLabel(a: string, b: string): boolean {
  const key = (s: string): string =>
    s
      .toLowerCase()
      .replace(/[/\u2013-]/g, "-")
      .replace(/\s+/g, " ")
      .trim();
  return key(a) === key(b) || key(b).includes(key(a));
}

/** One evaluation: the target, the data, and the caveats gathered on the way. */
class Evaluation {
  readonly target: Target;
  readonly context: TargetContext;
  readonly caveats: string[] = [];

  constructor(target: Target, context: TargetContext) {
    this.target = target;
    this.context = context;
    if (target.uncertain) {
      this.caveats.push(`The target "${target.phrase}" has a question mark, so it may not be confirmed.`);
    }
    if (target.forPeriod !== null && !samePeriodLabel(target.forPeriod, context.period)) {
      this.caveats.push(`The target is for ${target.forPeriod} but the value is for ${context.period}.`);
    }
    if (context.valueNote) this.caveats.push(context.valueNote);
  }

  /** A figure in the measure's unit, with at least the given decimals and never hiding a deciding digit. */
  quantity(amount: number, decimals: number, unit: QuantityUnit = this.context.unit): Quantity {
    return { amount, decimals: Math.max(decimals, decimalPlaces(amount)), unit };
  }

  difference(a: number, b: number, decimals: number): Quantity {
    const amount = Math.abs(differenceExact(a, b));
    return this.quantity(amount, decimals, differenceUnit(this.context.unit));
  }

  show(amount: number, decimals = 0): string {
    return formatQuantity(this.quantity(amount, decimals));
  }

  verdict(
    outcome: VerdictOutcome,
    explanation: string,
    extra: { missedBy?: Quantity | null; comparedWith?: Quantity | null; missing?: MissingData | null } = {},
  ): Verdict {
    return {
      outcome,
      explanation,
      missedBy: extra.missedBy ?? null,
      comparedWith: extra.comparedWith ?? null,
      missing: extra.missing ?? null,
      caveats: this.caveats,
    };
  }

  cannot(missing: MissingData, why: string): Verdict {
    return this.verdict("cannot-assess", `Cannot assess: ${why}.`, { missing });
  }

  /** Met or missed against a single figure, with the sentence built from the words for each case. */
  against(value: number, figure: number, figureDecimals: number, met: boolean, sentence: string): Verdict {
    const decimals = Math.max(this.context.decimals, figureDecimals);
    const comparedWith = this.quantity(figure, figureDecimals);
    if (met) return this.verdict("met", sentence, { comparedWith });
    return this.verdict("not-met", sentence, {
      comparedWith,
      missedBy: this.difference(value, figure, decimals),
    });
  }

  valueText(value: number): string {
    return this.show(value, this.context.decimals);
  }

  directionWord(): string {
    return this.context.polarity === "lower-is-better" ? "lower is better" : "higher is better";
  }

  noDirection(what: string): Verdict {
    const why =
      this.context.polarity === "monitor"
        ? `the measure is monitored only, with no better or worse direction, so ${what}`
        : `the measure is judged by a range, with no better or worse direction, so ${what}`;
    return this.cannot("polarity", why);
  }

  ownValue(period: string): number | null {
    const found = this.context.ownValueFor?.(period);
    return isNumber(found) ? found : null;
  }

  figureFits(figure: TargetFigure): Verdict | null {
    const { unit } = this.context;
    if (figure.symbol === "percent" && unit !== "percent" && unit !== "percentage-points") {
      return this.cannot(
        "unit",
        `the target is written as a percentage but the measure is ${UNIT_WORDS[unit]}`,
      );
    }
    if (figure.symbol === "pounds" && unit !== "money") {
      return this.cannot("unit", `the target is written in pounds but the measure is ${UNIT_WORDS[unit]}`);
    }
    return null;
  }

  threshold(value: number, comparison: ThresholdComparison, figure: TargetFigure): Verdict {
    const misfit = this.figureFits(figure);
    if (misfit !== null) return misfit;
    const c = compareExact(value, figure.value);
    const words: Record<ThresholdComparison, [boolean, string, string]> = {
      below: [c < 0, "is less than", "is not less than"],
      above: [c > 0, "is above", "is not above"],
      "at-least": [c >= 0, "is at least", "is below"],
      "at-most": [c <= 0, "is at most", "is above"],
    };
    const [met, yes, no] = words[comparison];
    const sentence = `${this.valueText(value)} ${met ? yes : no} ${this.show(figure.value, figure.decimals)}.`;
    return this.against(value, figure.value, figure.decimals, met, sentence);
  }

  range(value: number, lower: TargetFigure, upper: TargetFigure): Verdict {
    const misfit = this.figureFits(lower) ?? this.figureFits(upper);
    if (misfit !== null) return misfit;
    const written = this.target.phrase.replace(/\.$/, "");
    const shown = this.valueText(value);
    if (compareExact(value, lower.value) < 0) {
      return this.against(
        value,
        lower.value,
        lower.decimals,
        false,
        `${shown} is below the range ${written}.`,
      );
    }
    if (compareExact(value, upper.value) > 0) {
      return this.against(
        value,
        upper.value,
        upper.decimals,
        false,
        `${shown} is above the range ${written}.`,
      );
    }
    return this.verdict("met", `${shown} is within the range ${written}.`);
  }

  baseline(value: number, target: BaselineTarget): Verdict {
    const period = target.period ?? this.context.previousPeriod ?? null;
    if (period === null) return this.cannot("earlier-period", "no earlier period is named to compare with");
    const earlier = this.ownValue(period);
    if (earlier === null) return this.cannot("own-earlier-value", `no figure for ${period} to compare with`);
    const { polarity } = this.context;
    let wanted: "higher" | "lower" | "no-worse-higher" | "no-worse-lower";
    if (target.direction === "increase") wanted = "higher";
    else if (target.direction === "reduce") wanted = "lower";
    else if (!hasDirection(polarity)) {
      return this.noDirection(`"${target.direction}" cannot be judged`);
    } else if (target.direction === "improve") wanted = polarity === "higher-is-better" ? "higher" : "lower";
    else wanted = polarity === "higher-is-better" ? "no-worse-higher" : "no-worse-lower";
    const c = compareExact(value, earlier);
    const words: Record<typeof wanted, [boolean, string, string]> = {
      higher: [c > 0, "is more than", "is not more than"],
      lower: [c < 0, "is less than", "is not less than"],
      "no-worse-higher": [c >= 0, "is at least", "is below"],
      "no-worse-lower": [c <= 0, "is at most", "is above"],
    };
    const [met, yes, no] = words[wanted];
    const earlierDecimals = decimalPlaces(earlier);
    const sentence = `${this.valueText(value)} ${met ? yes : no} the ${period} figure of ${this.show(earlier, earlierDecimals)}.`;
    return this.against(value, earlier, earlierDecimals, met, sentence);
  }

  /** The benchmark's name in explanations: "the England figure" where the source is known, else "the national figure". */
  benchmarkName(comparator: BenchmarkComparator): [string, MissingData] {
    const source = this.context.benchmarks?.source;
    const names: Record<BenchmarkComparator, [string, MissingData]> = {
      national: [source ? "England figure" : "national figure", "national"],
      regional: [source?.regionName ? `${source.regionName} figure` : "regional figure", "regional"],
      "statistical-neighbours": ["statistical-neighbour average", "statistical-neighbours"],
    };
    return names[comparator];
  }

  benchmarkFigures(comparator: BenchmarkComparator): BenchmarkFigures | undefined {
    const data = this.context.benchmarks;
    return comparator === "national"
      ? data?.national
      : comparator === "regional"
        ? data?.regional
        : data?.statisticalNeighbours;
  }

  /** " for 2018/19 (DfE, LAIT)" where the figures' source is known, else "". */
  cited(period: "current" | "previous" = "current"): string {
    const source = this.context.benchmarks?.source;
    if (!source) return "";
    const label = period === "current" ? source.period : (source.previousPeriod ?? source.period);
    return ` for ${label} (${source.name})`;
  }

  /** The period named in quartile and rank explanations: the benchmark's own where it is cited. */
  benchmarkPeriod(): string {
    return this.context.benchmarks?.source?.period ?? this.context.period;
  }

  sourceNote(): string {
    const source = this.context.benchmarks?.source;
    return source ? ` (${source.name})` : "";
  }

  /** Targets that need a published benchmark, when it has not been published for the period. */
  unpublished(): Verdict | null {
    const gone = this.context.benchmarks?.unpublished;
    if (!gone) return null;
    const latest = gone.latest === null ? "" : ` (the latest published is ${gone.latest})`;
    const expected =
      gone.expected === null
        ? "its data dictionary gives no date for the next figures"
        : `its data dictionary expects the next figures in ${gone.expected}`;
    return this.cannot(
      "benchmark-unpublished",
      `${gone.what} has not been published for ${this.context.period} yet${latest}; ${expected}`,
    );
  }

  benchmark(value: number, target: BenchmarkTarget): Verdict {
    const { comparator, relation } = target;
    const [name, missing] = this.benchmarkName(comparator);
    const benchmark = this.benchmarkFigures(comparator)?.current;
    if (!isNumber(benchmark)) return this.cannot(missing, `no ${name} for ${this.context.period}`);
    const { polarity } = this.context;
    if ((relation === "better" || relation === "significantly-better") && !hasDirection(polarity)) {
      return this.noDirection(`"better than" has no meaning`);
    }
    const c = compareExact(value, benchmark);
    const bDecimals = decimalPlaces(benchmark);
    const shown = this.valueText(value);
    const against = `the ${name} of ${this.show(benchmark, bDecimals)}${this.cited()}`;
    if (relation === "in-line") return this.inLine(value, benchmark, bDecimals, against);
    if (relation === "above") {
      return this.against(
        value,
        benchmark,
        bDecimals,
        c > 0,
        `${shown} is ${c > 0 ? "" : "not "}above ${against}.`,
      );
    }
    if (relation === "below") {
      return this.against(
        value,
        benchmark,
        bDecimals,
        c < 0,
        `${shown} is ${c < 0 ? "" : "not "}below ${against}.`,
      );
    }
    const isBetter = polarity === "higher-is-better" ? c > 0 : c < 0;
    if (relation === "better") {
      const sentence = `${shown} is ${isBetter ? "" : "not "}better than ${against}; ${this.directionWord()}.`;
      return this.against(value, benchmark, bDecimals, isBetter, sentence);
    }
    if (!isBetter) {
      const sentence = `${shown} is not better than ${against}, so not significantly better; ${this.directionWord()}.`;
      return this.against(value, benchmark, bDecimals, false, sentence);
    }
    const significance =
      comparator === "national" ? this.context.benchmarks?.nationalSignificance : undefined;
    if (significance === undefined) {
      return this.cannot(
        "significance",
        `${shown} is better than ${against}, but there is no significance test to say whether it is significantly better`,
      );
    }
    const comparedWith = this.quantity(benchmark, bDecimals);
    if (significance === "significantly-better") {
      return this.verdict("met", `${shown} is significantly better than ${against}.`, { comparedWith });
    }
    return this.verdict("not-met", `${shown} is better than ${against}, but not significantly so.`, {
      comparedWith,
      missedBy: this.quantity(0, 0, differenceUnit(this.context.unit)),
    });
  }

  inLine(value: number, benchmark: number, bDecimals: number, against: string): Verdict {
    const tolerance = this.context.benchmarks?.tolerance;
    if (!isNumber(tolerance)) {
      return this.cannot(
        "tolerance",
        `no tolerance is set for how close counts as "in line with" ${against}`,
      );
    }
    const unit = differenceUnit(this.context.unit);
    const decimals = Math.max(this.context.decimals, bDecimals, decimalPlaces(tolerance));
    const apart = Math.abs(differenceExact(value, benchmark));
    const within = formatQuantity(this.quantity(tolerance, decimals, unit));
    const gap = formatQuantity(this.quantity(apart, decimals, unit));
    const comparedWith = this.quantity(benchmark, bDecimals);
    const shown = this.valueText(value);
    if (compareExact(apart, tolerance) <= 0) {
      return this.verdict("met", `${shown} is in line with ${against}: ${gap} apart, within ${within}.`, {
        comparedWith,
      });
    }
    return this.verdict(
      "not-met",
      `${shown} is not in line with ${against}: ${gap} apart, more than ${within}.`,
      { comparedWith, missedBy: this.quantity(differenceExact(apart, tolerance), decimals, unit) },
    );
  }

  quartile(value: number, target: QuartileTarget): Verdict {
    const { polarity } = this.context;
    const period = this.benchmarkPeriod();
    if (!hasDirection(polarity)) return this.noDirection("it has no quartile");
    const all = this.context.allAuthorityValues ?? [];
    const placement = all.some(isNumber) ? quartilePlacement(value, all, polarity) : null;
    if (placement === null) {
      return this.cannot(
        "all-authority-values",
        `no all-authority values for ${period} to find the quartile`,
      );
    }
    const got = quartileBandMeta(placement.band);
    const sought = quartileBandMeta(target.band);
    const met = bandOrder(placement.band) <= bandOrder(target.band);
    const where = `${this.valueText(value)} is in the ${got.label} (band ${got.band}) of ${placement.cutPoints.councils} councils for ${period}${this.sourceNote()}`;
    const entry = placement.entryPoint[target.band];
    const comparedWith = entry === null ? null : this.quantity(entry, this.context.decimals);
    if (met) {
      const reach = target.band === placement.band ? "" : `, better than the ${sought.label} sought`;
      return this.verdict("met", `${where}${reach}.`, { comparedWith });
    }
    return this.verdict("not-met", `${where}, short of the ${sought.label}.`, {
      comparedWith,
      missedBy: this.quantity(
        placement.shortOf[target.band],
        this.context.decimals,
        differenceUnit(this.context.unit),
      ),
    });
  }

  topRank(value: number, target: TopRankTarget): Verdict {
    const { polarity } = this.context;
    const period = this.benchmarkPeriod();
    if (!hasDirection(polarity)) return this.noDirection("it has no rank");
    const all = this.context.allAuthorityValues ?? [];
    const current = all.some(isNumber) ? rankAmong(value, all, polarity) : null;
    if (current === null) {
      return this.cannot("all-authority-values", `no all-authority values for ${period} to find the rank`);
    }
    const start = `${this.valueText(value)} ranks ${current.rank} of ${current.of} councils for ${period}${this.sourceNote()}`;
    const comparedWith: Quantity = { amount: target.within, decimals: 0, unit: "places" };
    if (current.rank <= target.within) {
      return this.verdict("met", `${start}, within the top ${target.within}.`, { comparedWith });
    }
    return this.verdict("not-met", `${start}, outside the top ${target.within}.`, {
      comparedWith,
      missedBy: { amount: current.rank - target.within, decimals: 0, unit: "places" },
    });
  }

  rank(value: number, target: RankTarget): Verdict {
    const { polarity } = this.context;
    const period = this.benchmarkPeriod();
    if (!hasDirection(polarity)) return this.noDirection("it has no rank");
    const all = this.context.allAuthorityValues ?? [];
    const current = all.some(isNumber) ? rankAmong(value, all, polarity) : null;
    if (current === null) {
      return this.cannot("all-authority-values", `no all-authority values for ${period} to find the rank`);
    }
    const previous = this.context.previousRank;
    if (!isNumber(previous)) {
      const when = this.context.previousPeriod ?? "the previous period";
      return this.cannot("previous-rank", `no national rank for ${when} to compare with`);
    }
    const climbed = previous - current.rank;
    const movement =
      climbed > 0
        ? `${climbed} place${climbed === 1 ? "" : "s"} up on`
        : climbed < 0
          ? `${-climbed} place${climbed === -1 ? "" : "s"} down on`
          : "unchanged from";
    const start = `Rank ${current.rank} of ${current.of} for ${period}${this.sourceNote()} is ${movement} rank ${previous}`;
    const comparedWith: Quantity = { amount: target.places, decimals: 0, unit: "places" };
    if (climbed >= target.places) {
      return this.verdict("met", `${start}, meeting the ${target.places} places sought.`, { comparedWith });
    }
    const short = target.places - climbed;
    return this.verdict("not-met", `${start}, short of the ${target.places} places sought.`, {
      comparedWith,
      missedBy: { amount: short, decimals: 0, unit: "places" },
    });
  }

  /**
   * "Close the gap to the national average by 2 percentage points": the gap is how far the value
   * is behind the benchmark (by polarity; 0 when level or ahead is not special, a lead is a
   * negative gap), for the period and the previous like period; met when it shrank by the points.
   */
  closeGap(value: number, target: GapTarget): Verdict {
    const comparator = target.comparator ?? "national";
    const points = target.points;
    if (points === undefined) return this.cannot("target", "the target names no points to close the gap by");
    const { polarity, period } = this.context;
    if (!hasDirection(polarity)) return this.noDirection("a gap has no direction");
    const [name, missing] = this.benchmarkName(comparator);
    const figures = this.benchmarkFigures(comparator);
    const now = figures?.current;
    const before = figures?.previous;
    const previousPeriod = this.context.previousPeriod;
    if (!isNumber(now)) return this.cannot(missing, `no ${name} for ${period}`);
    if (previousPeriod === undefined) {
      return this.cannot("earlier-period", "no previous period is named to compare with");
    }
    if (!isNumber(before)) return this.cannot(missing, `no ${name} for ${previousPeriod}`);
    const earlier = this.ownValue(previousPeriod);
    if (earlier === null)
      return this.cannot("own-earlier-value", `no figure for ${previousPeriod} to compare with`);
    const sign = polarity === "higher-is-better" ? 1 : -1;
    const gapNow = sign * differenceExact(now, value);
    const gapBefore = sign * differenceExact(before, earlier);
    const closed = differenceExact(gapBefore, gapNow);
    const unit = differenceUnit(this.context.unit);
    const d = Math.max(
      this.context.decimals,
      decimalPlaces(earlier),
      decimalPlaces(now),
      decimalPlaces(before),
      points.decimals,
    );
    const q = (amount: number) => formatQuantity(this.quantity(amount, d, unit));
    const sentence =
      `The gap to the ${name} went from ${q(gapBefore)}${this.cited("previous")} to ${q(gapNow)}${this.cited()}, ` +
      `${compareExact(closed, 0) >= 0 ? `closing it by ${q(closed)}` : `widening it by ${q(-closed)}`}`;
    const comparedWith = this.quantity(points.value, points.decimals, unit);
    if (compareExact(closed, points.value) >= 0) {
      return this.verdict("met", `${sentence}, at least the ${q(points.value)} sought.`, { comparedWith });
    }
    return this.verdict("not-met", `${sentence}, short of the ${q(points.value)} sought.`, {
      comparedWith,
      missedBy: this.quantity(differenceExact(points.value, closed), d, unit),
    });
  }

  gap(value: number, target: GapTarget): Verdict {
    if (target.test === "close-by-points") return this.closeGap(value, target);
    const { period } = this.context;
    const shown = this.valueText(value);
    if (target.test === "smaller-than-national-gap") {
      const national = this.context.benchmarks?.national?.current;
      if (!isNumber(national)) return this.cannot("national", `no national gap for ${period}`);
      const met = compareExact(value, national) < 0;
      const d = decimalPlaces(national);
      const sentence = `The gap of ${shown} is ${met ? "" : "not "}smaller than the national gap of ${this.show(national, d)}.`;
      return this.against(value, national, d, met, sentence);
    }
    const previousPeriod = this.context.previousPeriod;
    if (previousPeriod === undefined) {
      return this.cannot("earlier-period", "no previous period is named to compare with");
    }
    const earlier = this.ownValue(previousPeriod);
    if (earlier === null)
      return this.cannot("own-earlier-value", `no figure for ${previousPeriod} to compare with`);
    const earlierDecimals = decimalPlaces(earlier);
    if (target.test === "narrower-than-previous-year") {
      const met = compareExact(value, earlier) < 0;
      const sentence = `The gap of ${shown} is ${met ? "" : "not "}narrower than ${this.show(earlier, earlierDecimals)} for ${previousPeriod}.`;
      return this.against(value, earlier, earlierDecimals, met, sentence);
    }
    const { polarity } = this.context;
    if (!hasDirection(polarity)) return this.noDirection("improvement has no direction");
    const nationalNow = this.context.benchmarks?.national?.current;
    const nationalBefore = this.context.benchmarks?.national?.previous;
    if (!isNumber(nationalNow)) return this.cannot("national", `no national figure for ${period}`);
    if (!isNumber(nationalBefore)) return this.cannot("national", `no national figure for ${previousPeriod}`);
    const sign = polarity === "higher-is-better" ? 1 : -1;
    const ours = sign * differenceExact(value, earlier);
    const theirs = sign * differenceExact(nationalNow, nationalBefore);
    const d = Math.max(
      this.context.decimals,
      earlierDecimals,
      decimalPlaces(nationalNow),
      decimalPlaces(nationalBefore),
    );
    const unit = differenceUnit(this.context.unit);
    const met = compareExact(ours, theirs) > 0;
    const oursText = formatQuantity(this.quantity(ours, d, unit));
    const theirsText = formatQuantity(this.quantity(theirs, d, unit));
    const sentence = `Improvement since ${previousPeriod} of ${oursText} ${met ? "exceeds" : "does not exceed"} the national improvement of ${theirsText}.`;
    const comparedWith = this.quantity(theirs, d, unit);
    if (met) return this.verdict("met", sentence, { comparedWith });
    return this.verdict("not-met", sentence, {
      comparedWith,
      missedBy: this.quantity(Math.abs(differenceExact(theirs, ours)), d, unit),
    });
  }

  run(): Verdict {
    const { target, context } = this;
    if (target.kind === "none") return this.verdict("not-set", NONE_EXPLANATIONS[target.reason]);
    if (target.kind === "unparsed") {
      return this.cannot("target", `the target "${target.phrase}" was not understood`);
    }
    const { value } = context;
    if (!isNumber(value)) return this.cannot("value", `no value for ${context.period}`);
    if (context.valueFlag) return this.cannot("value", context.valueFlag.replace(/\.$/, ""));
    const needsPublished =
      target.kind === "benchmark" ||
      target.kind === "quartile" ||
      target.kind === "rank" ||
      target.kind === "top-rank" ||
      (target.kind === "gap" && target.test !== "narrower-than-previous-year");
    const unpublished = needsPublished ? this.unpublished() : null;
    if (unpublished !== null) return unpublished;
    switch (target.kind) {
      case "threshold":
        return this.threshold(value, target.comparison, target.figure);
      case "value":
        if (!hasDirection(context.polarity)) {
          return this.noDirection(`${target.figure.text} could mean at least or at most`);
        }
        return this.threshold(
          value,
          context.polarity === "higher-is-better" ? "at-least" : "at-most",
          target.figure,
        );
      case "range":
        return this.range(value, target.lower, target.upper);
      case "baseline":
        return this.baseline(value, target);
      case "benchmark":
        return this.benchmark(value, target);
      case "quartile":
        return this.quartile(value, target);
      case "rank":
        return this.rank(value, target);
      case "top-rank":
        return this.topRank(value, target);
      case "gap":
        return this.gap(value, target);
    }
  }
}

/**
 * Evaluate a target against a measure's value for a period. Returns met, not-met (with the amount
 * missed by), cannot-assess (naming what is missing) or not-set, each with one plain-English
 * sentence. Accepts the target's words or a parsed target.
 */
export function evaluateTarget(target: Target | string, context: TargetContext): Verdict {
  const parsed = typeof target === "string" ? parseTarget(target) : target;
  return new Evaluation(parsed, context).run();
}
