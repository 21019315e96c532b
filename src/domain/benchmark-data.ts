/**
 * The Department for Education's published benchmarking data, read as the Department means it:
 * figures kept exactly as published (binary floating-point noise removed, never rounded further),
 * suppression codes kept as codes (never zero), period labels given their meaning by the
 * measure's year type, and every council's rank and quartile band for a measure and period
 * computed as the Local Authority Interactive Tool (LAIT) computes them.
 *
 * Pure: no I/O. The import reads files into plain rows and hands them here.
 */

import { MAX_WRITTEN_DECIMALS } from "./benchmarks.ts";
import type { Polarity } from "./measure-types.ts";

// ---------------------------------------------------------------------------------------------
// Published values
// ---------------------------------------------------------------------------------------------

/**
 * Codes the Department writes in place of a figure: x not available, c confidential (suppressed),
 * u low reliability, z not applicable, low a figure too small to show, - nothing published,
 * : not available (older tables), k fewer than 0.5, NA not available.
 */
export const SUPPRESSION_CODES: Readonly<Record<string, string>> = {
  x: "not available",
  c: "confidential (suppressed)",
  u: "low reliability",
  z: "not applicable",
  low: "fewer than 0.5",
  "-": "not published",
  ":": "not available",
  k: "fewer than 0.5",
  NA: "not available",
};

export type PublishedValue =
  | { readonly kind: "figure"; readonly text: string; readonly amount: number }
  | { readonly kind: "code"; readonly code: string; readonly meaning: string };

/**
 * A number written as plain decimal digits, without exponent, with the fewest digits that give
 * the same double back: 18.899999999999999 -> "18.9", 4.7980000000000002E-2 -> "0.04798".
 */
export function plainDecimal(n: number): string {
  const shortest = String(n);
  const m = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(shortest);
  if (m === null) return shortest === "-0" ? "0" : shortest;
  const [, sign = "", whole = "", fraction = "", exponentText = "0"] = m;
  const exponent = Number(exponentText);
  const digits = `${whole}${fraction}`;
  const point = whole.length + exponent;
  let text: string;
  if (point <= 0) text = `0.${"0".repeat(-point)}${digits}`;
  else if (point >= digits.length) text = `${digits}${"0".repeat(point - digits.length)}`;
  else text = `${digits.slice(0, point)}.${digits.slice(point)}`;
  return `${sign}${text}`;
}

/**
 * Read one published cell: a figure (float noise removed) or a suppression code. Returns null
 * when it is neither, for the import to report with its row and column.
 */
export function readPublishedValue(raw: string): PublishedValue | null {
  const written = raw.trim();
  const meaning = SUPPRESSION_CODES[written] ?? SUPPRESSION_CODES[written.toLowerCase()];
  if (meaning !== undefined) return { kind: "code", code: written, meaning };
  if (!/^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/.test(written)) return null;
  const read = Number(written);
  if (!Number.isFinite(read) || Math.abs(read) >= 1e15) return null;
  // The Department's file carries binary noise in the last place ("13.600000000000001" beside
  // "13.6" for the same published figure); no figure is published to more than six decimals, so
  // rounding there (on the exact decimal expansion) removes the noise and keeps every real digit.
  const amount = Number(read.toFixed(MAX_WRITTEN_DECIMALS));
  const text = plainDecimal(amount);
  return { kind: "figure", text, amount: Number(text) };
}

/**
 * A published figure shown to the measure's published decimals (half away from zero, on the
 * decimal digits, never through floating point). Without published decimals, as published.
 */
export function showToDecimals(text: string, decimals: number | null): string {
  if (decimals === null) return text;
  const negative = text.startsWith("-");
  const unsigned = negative ? text.slice(1) : text;
  const [whole = "0", fraction = ""] = unsigned.split(".");
  if (fraction.length <= decimals) {
    const padded = decimals === 0 ? whole : `${whole}.${fraction.padEnd(decimals, "0")}`;
    return negative ? `-${padded}` : padded;
  }
  const kept = `${whole}${fraction.slice(0, decimals)}`;
  const roundUp = (fraction.charCodeAt(decimals) ?? 48) >= 53;
  let digits = kept;
  if (roundUp) {
    const chars = digits.split("");
    let i = chars.length - 1;
    while (i >= 0) {
      if (chars[i] === "9") {
        chars[i] = "0";
        i -= 1;
      } else {
        chars[i] = String(Number(chars[i]) + 1);
        break;
      }
    }
    digits = i < 0 ? `1${chars.join("")}` : chars.join("");
  }
  const wholeLength = digits.length - decimals;
  const shown =
    decimals === 0 ? digits : `${digits.slice(0, wholeLength) || "0"}.${digits.slice(wholeLength)}`;
  const isZero = /^[0.]*$/.test(shown);
  return negative && !isZero ? `-${shown}` : shown;
}

// ---------------------------------------------------------------------------------------------
// The data dictionary
// ---------------------------------------------------------------------------------------------

/** LAIT's polarity words: High (higher is better), Low (lower is better), '-' or NA (none). */
export function polarityFromDictionary(word: string): Polarity | null {
  const w = word.trim();
  if (/^high$/i.test(w)) return "higher-is-better";
  if (/^low$/i.test(w)) return "lower-is-better";
  if (w === "-" || w === "" || /^na$/i.test(w) || /^n\/a$/i.test(w)) return "monitor";
  return null;
}

/** An Excel serial day number (the dictionary's update dates: 45809 is 2025-06-01) as an ISO date, or null for words. */
export function excelSerialDate(text: string): string | null {
  if (!/^\d{5}$/.test(text.trim())) return null;
  const days = Number(text.trim());
  // Excel counts from 1900-01-01 as day 1 and wrongly keeps 29 February 1900, so day 0 is 1899-12-30.
  const date = new Date(Date.UTC(1899, 11, 30) + days * 86_400_000);
  return date.toISOString().slice(0, 10);
}

// ---------------------------------------------------------------------------------------------
// Period labels
// ---------------------------------------------------------------------------------------------

/** The dictionary's Year_Type: what a bare year label means for a measure. */
export type YearType =
  | "financial"
  | "academic"
  | "calendar"
  | "as-at-31-march"
  | "as-at-30-september"
  | "as-at-january";

export function yearTypeFromDictionary(words: string): YearType | null {
  const w = words.trim().toLowerCase();
  if (w === "financial year") return "financial";
  if (w === "academic year") return "academic";
  if (w === "calendar year") return "calendar";
  if (w === "annual") return "as-at-31-march";
  if (w === "annual (end of sept)") return "as-at-30-september";
  if (w === "annual - january") return "as-at-january";
  return null;
}

export type PeriodStatus = "provisional" | "revised" | "final" | "outturn" | null;

/** What a period label means for a measure: the span it covers, in words and dates. */
export interface BenchmarkPeriod {
  readonly label: string;
  /** "financial year 2024-25", "academic year 2018/19", "30 September 2025", "three calendar years 2014 to 2016". */
  readonly description: string;
  /** First and last day covered (the same day for a position at a date), ISO dates. */
  readonly starts: string;
  readonly ends: string;
  readonly status: PeriodStatus;
  /** How many years the figure spans (3 for a rolling three-year figure). */
  readonly years: number;
}

const STATUS_WORDS: Readonly<Record<string, Exclude<PeriodStatus, null>>> = {
  prov: "provisional",
  p: "provisional",
  rev: "revised",
  r: "revised",
  final: "final",
  ot: "outturn",
};

const STATUS_TEXT: Readonly<Record<Exclude<PeriodStatus, null>, string>> = {
  provisional: "provisional",
  revised: "revised",
  final: "final",
  outturn: "outturn",
};

function shortYear(year: number): string {
  return String(year % 100).padStart(2, "0");
}

/** The financial or academic year ending in the given calendar year, as the council writes it ("2024-25", "2018/19"). */
function spanWords(kind: "financial" | "academic", endYear: number): string {
  return kind === "financial"
    ? `financial year ${endYear - 1}-${shortYear(endYear)}`
    : `academic year ${endYear - 1}/${shortYear(endYear)}`;
}

function yearSpan(yearType: YearType, endYear: number): { starts: string; ends: string; words: string } {
  switch (yearType) {
    case "financial":
      return {
        starts: `${endYear - 1}-04-01`,
        ends: `${endYear}-03-31`,
        words: spanWords("financial", endYear),
      };
    case "academic":
      return {
        starts: `${endYear - 1}-09-01`,
        ends: `${endYear}-08-31`,
        words: spanWords("academic", endYear),
      };
    case "calendar":
      return { starts: `${endYear}-01-01`, ends: `${endYear}-12-31`, words: `calendar year ${endYear}` };
    case "as-at-31-march":
      return { starts: `${endYear}-03-31`, ends: `${endYear}-03-31`, words: `31 March ${endYear}` };
    case "as-at-30-september":
      return { starts: `${endYear}-09-30`, ends: `${endYear}-09-30`, words: `30 September ${endYear}` };
    case "as-at-january":
      return { starts: `${endYear}-01-01`, ends: `${endYear}-01-31`, words: `January ${endYear}` };
  }
}

/** "2018-19" or "2018/19" or "2018/2019": the end year, when the two years follow on. */
function endOfTwoYearLabel(first: string, second: string): number | null {
  const start = Number(first);
  const end = second.length === 2 ? Math.floor(start / 100) * 100 + Number(second) : Number(second);
  const fixed = second.length === 2 && end < start ? end + 100 : end;
  return fixed === start + 1 ? fixed : null;
}

/**
 * What a LAIT period label means for a measure of the given year type. Most labels are a bare end
 * year ("2025"), whose meaning is the year type's: financial year 2024-25 for a financial
 * measure, academic year 2024/25 for an academic one, 30 September 2025 for the workforce. Other
 * forms: "2024-25" and "2024/25" (one year of the measure's kind), "2014-16" (three calendar
 * years), "2013/14-15/16" (three financial or academic years), with "(prov)", "(Rev)", "(Final)"
 * or "(OT)" after it. Returns null for a label that cannot be read ("0").
 */
export function readPeriodLabel(label: string, yearType: YearType): BenchmarkPeriod | null {
  const m = /^(.*?)\s*(?:\((prov|p|rev|r|final|ot)\))?$/i.exec(label.trim());
  const body = m?.[1] ?? "";
  const statusWord = m?.[2]?.toLowerCase();
  const status: PeriodStatus = statusWord === undefined ? null : (STATUS_WORDS[statusWord] ?? null);
  const suffix = status === null ? "" : ` (${STATUS_TEXT[status]})`;
  const yearKind: "financial" | "academic" = yearType === "academic" ? "academic" : "financial";
  const valid = (y: number): boolean => y >= 1900 && y <= 2200;

  let single = /^(\d{4})$/.exec(body);
  if (single !== null) {
    const end = Number(single[1]);
    if (!valid(end)) return null;
    const span = yearSpan(yearType, end);
    return {
      label,
      description: `${span.words}${suffix}`,
      starts: span.starts,
      ends: span.ends,
      status,
      years: 1,
    };
  }
  single = /^(\d{4})[-/](\d{2}|\d{4})$/.exec(body);
  if (single !== null) {
    const first = Number(single[1]);
    const end = endOfTwoYearLabel(single[1] ?? "", single[2] ?? "");
    if (end !== null && valid(first)) {
      // A two-year label names one financial or academic year; a calendar measure has none.
      if (yearType === "calendar") return null;
      const kind = yearType === "academic" ? "academic" : "financial";
      const span = yearSpan(kind, end);
      return {
        label,
        description: `${span.words}${suffix}`,
        starts: span.starts,
        ends: span.ends,
        status,
        years: 1,
      };
    }
    // "2014-16": a run of calendar years (three-year rolling figures).
    const last =
      (single[2] ?? "").length === 2 ? Math.floor(first / 100) * 100 + Number(single[2]) : Number(single[2]);
    if (!valid(first) || last <= first || last - first > 9) return null;
    const years = last - first + 1;
    if (yearType === "calendar") {
      return {
        label,
        description: `${years} calendar years ${first} to ${last}${suffix}`,
        starts: `${first}-01-01`,
        ends: `${last}-12-31`,
        status,
        years,
      };
    }
    return null;
  }
  const run = /^(\d{4})[/-](\d{2})-(\d{2})[/-](\d{2})$/.exec(body);
  if (run !== null) {
    const firstEnd = endOfTwoYearLabel(run[1] ?? "", run[2] ?? "");
    const firstStart = Number(run[1]);
    if (firstEnd === null || !valid(firstStart)) return null;
    const lastStart = Math.floor(firstStart / 100) * 100 + Number(run[3]);
    const lastStartFixed = lastStart < firstStart ? lastStart + 100 : lastStart;
    const lastEnd = endOfTwoYearLabel(String(lastStartFixed), run[4] ?? "");
    if (lastEnd === null || lastEnd <= firstEnd) return null;
    const years = lastEnd - firstEnd + 1;
    const first = yearSpan(yearKind, firstEnd);
    const last = yearSpan(yearKind, lastEnd);
    const plural = yearKind === "financial" ? "financial years" : "academic years";
    return {
      label,
      description: `${years} ${plural} ${firstStart}-${shortYear(firstEnd)} to ${lastStartFixed}-${shortYear(lastEnd)}${suffix}`,
      starts: first.starts,
      ends: last.ends,
      status,
      years,
    };
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Ranks and quartile bands for a whole measure and period
// ---------------------------------------------------------------------------------------------

export interface CouncilFigure {
  readonly area: string;
  /** The published figure, or null where the council has none (a suppression code). */
  readonly amount: number | null;
}

export interface CouncilPlacing {
  readonly area: string;
  readonly rank: number | null;
  readonly rankOf: number | null;
  readonly band: "A" | "B" | "C" | "D" | null;
}

export interface PeriodPlacings {
  /** Quartile cut points Q25, Q50, Q75 (type 7), or null without polarity, with no councils, or flagged no-quartile. */
  readonly cutPoints: { q25: number; q50: number; q75: number } | null;
  readonly councilsWithValue: number;
  readonly placings: readonly CouncilPlacing[];
}

/**
 * R's type-7 quantile over values sorted ascending, with R's own arithmetic ((1 - h) x[lo] +
 * h x[hi], and x[lo] itself where the two are equal), so a value on a cut point falls in the
 * band the Department's tool puts it in.
 */
function type7(sorted: readonly number[], p: number): number {
  const position = (sorted.length - 1) * p;
  const lo = Math.floor(position);
  const low = sorted[lo] as number;
  const high = sorted[Math.min(lo + 1, sorted.length - 1)] as number;
  if (high === low) return low;
  const h = position - lo;
  return (1 - h) * low + h * high;
}

/**
 * Every council's rank and quartile band for one measure and period, as LAIT computes them:
 * only councils with a value are ranked; rank 1 is the best for the polarity; ties share the
 * better rank (1, 2, 2, 4); "of" is the number of councils with a value. Quartile cut points by
 * type-7 linear interpolation over those councils' values; higher is better: A above Q75, B above
 * Q50, C above Q25, else D; lower is better: A at or below Q25, B at or below Q50, C at or below
 * Q75, else D. No rank and no band without polarity; no band where the dictionary flags the
 * measure as having no quartiles. Regions and England are not councils: pass councils only.
 */
export function placeCouncils(
  figures: readonly CouncilFigure[],
  polarity: Polarity,
  quartiles: boolean,
): PeriodPlacings {
  const withValue = figures.filter((f): f is { area: string; amount: number } => f.amount !== null);
  const directed = polarity === "higher-is-better" || polarity === "lower-is-better";
  if (!directed || withValue.length === 0) {
    return {
      cutPoints: null,
      councilsWithValue: withValue.length,
      placings: figures.map((f) => ({ area: f.area, rank: null, rankOf: null, band: null })),
    };
  }
  // Figures are the published figures read at import (noise removed), so equal text is equal
  // value and a plain comparison of the numbers is exact.
  const ascending = withValue.map((f) => f.amount).sort((a, b) => a - b);
  const n = ascending.length;
  const cutPoints = quartiles
    ? { q25: type7(ascending, 0.25), q50: type7(ascending, 0.5), q75: type7(ascending, 0.75) }
    : null;
  // Rank = 1 + the number of councils strictly better: found by binary search in the sorted list.
  const strictlyBelow = (v: number): number => {
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((ascending[mid] as number) < v) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const strictlyAbove = (v: number): number => {
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((ascending[mid] as number) <= v) lo = mid + 1;
      else hi = mid;
    }
    return n - lo;
  };
  const placings = figures.map((f): CouncilPlacing => {
    if (f.amount === null) return { area: f.area, rank: null, rankOf: null, band: null };
    const v = f.amount;
    const rank = 1 + (polarity === "higher-is-better" ? strictlyAbove(v) : strictlyBelow(v));
    let band: CouncilPlacing["band"] = null;
    if (cutPoints !== null) {
      const { q25, q50, q75 } = cutPoints;
      if (polarity === "higher-is-better") band = v > q75 ? "A" : v > q50 ? "B" : v > q25 ? "C" : "D";
      else band = v <= q25 ? "A" : v <= q50 ? "B" : v <= q75 ? "C" : "D";
    }
    return { area: f.area, rank, rankOf: n, band };
  });
  return { cutPoints, councilsWithValue: n, placings };
}

/** The mean of the neighbours that have a value, skipping the rest; null when none has one. */
export function neighbourMean(amounts: readonly (number | null)[]): { mean: number; counted: number } | null {
  const present = amounts.filter((a): a is number => a !== null);
  if (present.length === 0) return null;
  let total = 0;
  for (const a of present) total += a;
  return { mean: total / present.length, counted: present.length };
}
