/**
 * Benchmarking a council against all English councils, as the Department for Education's
 * Local Authority Interactive Tool (LAIT) does it: quartile cut points by linear interpolation
 * (R's default quantile, type 7), quartile bands A to D by polarity, competition ranks
 * ("rank r of N", ties share the better rank), statistical-neighbour averages and gaps in
 * percentage points.
 *
 * Values are the figures councils publish, written with a few decimals. A verdict must never
 * turn on binary floating point (0.1 + 0.2 is not 0.3), so comparisons scale each figure to a
 * whole number at the larger number of decimals involved and compare those. The exact helpers
 * that do this live here because targets and ratings share them.
 */

import type { Polarity } from "./measure-types.ts";

// ---------------------------------------------------------------------------------------------
// Exact comparison of written decimals
// ---------------------------------------------------------------------------------------------

/**
 * No council writes a figure with more than this many decimals; digits beyond it are binary
 * floating-point noise (0.1 + 0.2 = 0.30000000000000004) and are rounded away before comparing.
 */
export const MAX_WRITTEN_DECIMALS = 6;

const POWERS_OF_TEN = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13];

/**
 * How many decimals a number was written with: the fewest (up to MAX_WRITTEN_DECIMALS) that
 * give the number back (96.3 -> 1, 155000 -> 0, 0.05 -> 2, 0.1 + 0.2 -> 6). Trailing zeros are
 * not recoverable (7.0 -> 0) and do not matter for comparison; callers that display a figure
 * keep the decimals it was written with.
 */
export function decimalPlaces(n: number): number {
  if (Number.isInteger(n) || !Number.isFinite(n)) return 0;
  for (let d = 1; d < MAX_WRITTEN_DECIMALS; d++) {
    const s = POWERS_OF_TEN[d] as number;
    if (Math.round(n * s) / s === n) return d;
  }
  return MAX_WRITTEN_DECIMALS;
}

function scale(decimals: number): number {
  return POWERS_OF_TEN[decimals] ?? 10 ** decimals;
}

function commonDecimals(a: number, b: number): number {
  return Math.max(decimalPlaces(a), decimalPlaces(b));
}

/**
 * Compare two written decimals exactly: -1 if a < b, 0 if equal, 1 if a > b. Both are scaled to
 * whole numbers at the larger number of decimals, so 0.1 + 0.2 compares equal to 0.3.
 */
export function compareExact(a: number, b: number): -1 | 0 | 1 {
  if (Number.isInteger(a) && Number.isInteger(b)) return a < b ? -1 : a > b ? 1 : 0;
  const s = scale(commonDecimals(a, b));
  const x = Math.round(a * s);
  const y = Math.round(b * s);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** a - b, computed on the scaled whole numbers so that 9.0 - 8 is exactly 1 and 0.3 - 0.1 is 0.2. */
export function differenceExact(a: number, b: number): number {
  const s = scale(commonDecimals(a, b));
  return (Math.round(a * s) - Math.round(b * s)) / s;
}

/** a x b exactly (to the nearest double of the exact decimal product): 810 x 0.05 is 40.5. */
export function productExact(a: number, b: number): number {
  const da = decimalPlaces(a);
  const db = decimalPlaces(b);
  return (Math.round(a * scale(da)) * Math.round(b * scale(db))) / scale(da + db);
}

/** The larger of two written decimals, compared exactly. */
export function maxExact(a: number, b: number): number {
  return compareExact(a, b) >= 0 ? a : b;
}

function isFigure(v: number | null | undefined): v is number {
  return typeof v === "number" && Number.isFinite(v);
}

/** The figures of a list that are real numbers (councils with no value are skipped, never counted as 0). */
export function presentValues(values: readonly (number | null | undefined)[]): number[] {
  return values.filter(isFigure);
}

// ---------------------------------------------------------------------------------------------
// Quantiles and quartile bands
// ---------------------------------------------------------------------------------------------

/** Sorted values as whole numbers at a shared number of decimals, so interpolation is exact. */
interface ScaledValues {
  readonly sorted: readonly number[];
  readonly factor: number;
}

function scaleValues(values: readonly number[], extra: readonly number[] = []): ScaledValues {
  let d = 0;
  for (const v of values) d = Math.max(d, decimalPlaces(v));
  for (const v of extra) d = Math.max(d, decimalPlaces(v));
  const factor = scale(d);
  const sorted = values.map((v) => Math.round(v * factor)).sort((a, b) => a - b);
  return { sorted, factor };
}

/**
 * Sample quantile by linear interpolation between order statistics, R's default (type 7), which
 * is what LAIT uses for its quartile cut points: h = (n - 1)p, Q = x[floor h] + (h - floor h)
 * (x[floor h + 1] - x[floor h]) over the values sorted ascending. Councils with no value are
 * skipped. Throws RangeError when no council has a value or p is outside 0..1.
 */
export function quantile(values: readonly (number | null | undefined)[], p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`Quantile probability must be between 0 and 1, got ${p}.`);
  const present = presentValues(values);
  if (present.length === 0) throw new RangeError("Cannot take a quantile of no values.");
  const { sorted, factor } = scaleValues(present);
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const low = sorted[lo] as number;
  const high = sorted[Math.min(lo + 1, sorted.length - 1)] as number;
  return (low + (h - lo) * (high - low)) / factor;
}

/** LAIT's quartile cut points: Q25, Q50 (the median) and Q75. */
export interface QuartileCutPoints {
  readonly q25: number;
  readonly q50: number;
  readonly q75: number;
  /** How many councils had a value. */
  readonly councils: number;
}

/** The quartile cut points of all councils' values for a year, or null when no council has a value. */
export function quartileCutPoints(values: readonly (number | null | undefined)[]): QuartileCutPoints | null {
  const present = presentValues(values);
  if (present.length === 0) return null;
  return {
    q25: quantile(present, 0.25),
    q50: quantile(present, 0.5),
    q75: quantile(present, 0.75),
    councils: present.length,
  };
}

/** LAIT's quartile bands: A is the best quarter given the polarity, D the worst. */
export type QuartileBand = "A" | "B" | "C" | "D";

export interface QuartileBandMeta {
  readonly band: QuartileBand;
  /** The name targets use: "top", "upper-middle", "lower-middle", "bottom". */
  readonly name: "top" | "upper-middle" | "lower-middle" | "bottom";
  readonly label: string;
}

export const QUARTILE_BANDS: readonly QuartileBandMeta[] = [
  { band: "A", name: "top", label: "top quartile" },
  { band: "B", name: "upper-middle", label: "upper-middle quartile" },
  { band: "C", name: "lower-middle", label: "lower-middle quartile" },
  { band: "D", name: "bottom", label: "bottom quartile" },
];

export function quartileBandMeta(band: QuartileBand): QuartileBandMeta {
  const meta = QUARTILE_BANDS.find((b) => b.band === band);
  if (meta === undefined) throw new RangeError(`Unknown quartile band ${band}.`);
  return meta;
}

/** 1 for A (best) to 4 for D, so "this band or better" is a comparison. */
export function bandOrder(band: QuartileBand): number {
  return "ABCD".indexOf(band) + 1;
}

/** Whether a polarity allows benchmarking: monitor and within-range measures get no rank or quartile. */
export function hasDirection(polarity: Polarity): polarity is "higher-is-better" | "lower-is-better" {
  return polarity === "higher-is-better" || polarity === "lower-is-better";
}

/** A council's quartile band and the cut points it was placed by. */
export interface QuartilePlacement {
  readonly band: QuartileBand;
  readonly cutPoints: QuartileCutPoints;
  /**
   * For each band, how far the value is from getting into it, in the measure's unit (0 when
   * already in it or better): for higher-is-better A needs the value above Q75, so the distance
   * to A is Q75 - value when value <= Q75. Exact, since quartile cut points are quarter steps.
   */
  readonly shortOf: Readonly<Record<QuartileBand, number>>;
  /** The cut point a value must pass to be in each band (above it for higher-is-better, at or below it for lower); D has none. */
  readonly entryPoint: Readonly<Record<QuartileBand, number | null>>;
}

/**
 * The quartile band of a council's value among all councils' values for the year (which should
 * include the council's own value, as LAIT's do). Higher is better: A if above Q75, B above Q50,
 * C above Q25, else D. Lower is better: A if at or below Q25, B at or below Q50, C at or below
 * Q75, else D. Null for monitor or within-range measures, or when no council has a value.
 */
export function quartilePlacement(
  value: number,
  allValues: readonly (number | null | undefined)[],
  polarity: Polarity,
): QuartilePlacement | null {
  if (!hasDirection(polarity) || !isFigure(value)) return null;
  const present = presentValues(allValues);
  const cutPoints = quartileCutPoints(present);
  if (cutPoints === null) return null;
  const { sorted, factor } = scaleValues(present, [value]);
  const n = sorted.length;
  // Four times each cut point, as a whole number: exact because (n - 1)k/4 has a remainder in quarters.
  const cut4 = (k: 1 | 2 | 3): number => {
    const position = (n - 1) * k;
    const j = Math.floor(position / 4);
    const r = position - 4 * j;
    const low = sorted[j] as number;
    const high = sorted[Math.min(j + 1, n - 1)] as number;
    return 4 * low + r * (high - low);
  };
  const cuts = [cut4(1), cut4(2), cut4(3)] as const;
  const v4 = 4 * Math.round(value * factor);
  const toUnit = (quarterUnits: number): number => Math.max(0, quarterUnits) / (4 * factor);
  // Distances are clamped at 0: a value already in a band (or better) is short of it by nothing.
  let band: QuartileBand;
  let shortOf: Record<QuartileBand, number>;
  if (polarity === "higher-is-better") {
    // Strictly above a cut point: being exactly on Q75 is not enough for A.
    band = v4 > cuts[2] ? "A" : v4 > cuts[1] ? "B" : v4 > cuts[0] ? "C" : "D";
    shortOf = { A: toUnit(cuts[2] - v4), B: toUnit(cuts[1] - v4), C: toUnit(cuts[0] - v4), D: 0 };
  } else {
    band = v4 <= cuts[0] ? "A" : v4 <= cuts[1] ? "B" : v4 <= cuts[2] ? "C" : "D";
    shortOf = { A: toUnit(v4 - cuts[0]), B: toUnit(v4 - cuts[1]), C: toUnit(v4 - cuts[2]), D: 0 };
  }
  const { q25, q50, q75 } = cutPoints;
  const entryPoint =
    polarity === "higher-is-better"
      ? { A: q75, B: q50, C: q25, D: null }
      : { A: q25, B: q50, C: q75, D: null };
  return { band, cutPoints, shortOf, entryPoint };
}

/** The quartile band alone; see {@link quartilePlacement}. */
export function quartileBand(
  value: number,
  allValues: readonly (number | null | undefined)[],
  polarity: Polarity,
): QuartileBand | null {
  return quartilePlacement(value, allValues, polarity)?.band ?? null;
}

// ---------------------------------------------------------------------------------------------
// Ranks
// ---------------------------------------------------------------------------------------------

/** A national rank, stored and shown as "rank r of N". */
export interface NationalRank {
  readonly rank: number;
  /** How many councils had a value for the year. */
  readonly of: number;
  readonly text: string;
}

function rankText(rank: number, of: number): string {
  return `rank ${rank} of ${of}`;
}

/** -1 when a is better than b given the polarity, 1 when worse, 0 when tied. */
function better(a: number, b: number, polarity: "higher-is-better" | "lower-is-better"): -1 | 0 | 1 {
  const c = compareExact(a, b);
  if (polarity === "lower-is-better" || c === 0) return c;
  return c < 0 ? 1 : -1;
}

/**
 * The rank of a value among all councils' values for the year (including the council's own):
 * 1 + the number of councils strictly better, so ties share the better rank (1, 2, 2, 4).
 * N is the number of councils with a value. Null for monitor or within-range measures, or when
 * no council has a value.
 */
export function rankAmong(
  value: number,
  allValues: readonly (number | null | undefined)[],
  polarity: Polarity,
): NationalRank | null {
  if (!hasDirection(polarity) || !isFigure(value)) return null;
  const present = presentValues(allValues);
  if (present.length === 0) return null;
  let ahead = 0;
  for (const other of present) if (better(other, value, polarity) < 0) ahead += 1;
  const rank = ahead + 1;
  return { rank, of: present.length, text: rankText(rank, present.length) };
}

export interface AuthorityValue {
  /** The council's identifier, e.g. the DfE code "830". */
  readonly authority: string;
  readonly value: number | null;
}

export interface AuthorityRank extends NationalRank {
  readonly authority: string;
  readonly value: number;
}

/**
 * Rank every council with a value, best first; councils with no value are left out (not ranked
 * last). Ties share the better rank and are listed in the order given. Empty for monitor or
 * within-range measures.
 */
export function rankAuthorities(entries: readonly AuthorityValue[], polarity: Polarity): AuthorityRank[] {
  if (!hasDirection(polarity)) return [];
  const present = entries
    .map((e, order) => ({ authority: e.authority, value: e.value, order }))
    .filter((e): e is { authority: string; value: number; order: number } => isFigure(e.value));
  present.sort((a, b) => better(a.value, b.value, polarity) || a.order - b.order);
  const of = present.length;
  const ranked: AuthorityRank[] = [];
  present.forEach((entry, index) => {
    const previous = ranked[index - 1];
    const rank =
      previous !== undefined && compareExact(previous.value, entry.value) === 0 ? previous.rank : index + 1;
    ranked.push({ authority: entry.authority, value: entry.value, rank, of, text: rankText(rank, of) });
  });
  return ranked;
}

// ---------------------------------------------------------------------------------------------
// Averages and gaps
// ---------------------------------------------------------------------------------------------

export interface StatisticalNeighbourAverage {
  readonly average: number;
  readonly neighboursWithValue: number;
  readonly neighboursWithout: number;
}

/**
 * The statistical-neighbour average as LAIT gives it: the simple mean of the council's
 * neighbours (usually 10) that have a value, skipping the rest. Null when none has a value.
 * The sum is exact; the mean is the nearest double to the exact quotient.
 */
export function statisticalNeighbourAverage(
  neighbourValues: readonly (number | null | undefined)[],
): StatisticalNeighbourAverage | null {
  const present = presentValues(neighbourValues);
  if (present.length === 0) return null;
  const { sorted, factor } = scaleValues(present);
  const total = sorted.reduce((sum, v) => sum + v, 0);
  return {
    average: total / (present.length * factor),
    neighboursWithValue: present.length,
    neighboursWithout: neighbourValues.length - present.length,
  };
}

/**
 * The gap between two percentages, in percentage points (a - b), never a percentage change:
 * 72.2% against 65.1% is a gap of 7.1 percentage points.
 */
export function percentagePointGap(a: number, b: number): number {
  return differenceExact(a, b);
}
