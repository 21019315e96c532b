/**
 * A value cell as officers write it in a measures table: more than a number.
 *
 *   "72.2% (p) (2019/20 academic year) Not comparable with previous years"
 *    figure, provisional, its own period, a free note
 *   "95.6%* ^C (Autumn Term 2019)"   footnote markers tied to the table's footnotes
 *   "14.9% (national 16.4%)"         a benchmark given inline
 *   "N/Av (COVID-19)", "AD", "-"     data status, with a reason where given
 *   "(gradings suspended due to COVID-19)"   a suspension, written only as its reason
 *
 * The parts are kept as written (decimals, thousands separators, unit symbol, spelling of
 * the period), so `formatValueCell` rebuilds the cell from its parts and prints it back the
 * same way. What cannot be read for certain is kept verbatim with no value and an
 * "unrecognised" warning: a figure is never guessed. Data-quality problems a performance
 * officer should see (a percentage written without "%", a value for a period outside the
 * column it sits in) are warnings, not silent corrections.
 */

import { MEASURE_UNIT_PHRASES, type MeasureUnit } from "./measure-types.ts";
import {
  academicYear,
  calendarYear,
  formatPeriod,
  type Period,
  type PeriodContext,
  parsePeriod,
  periodWithin,
} from "./periods.ts";

/** A number with its unit, as written: "£406,291", "14.9%", "4.70", "61 per 10K pop". */
export interface WrittenFigure {
  /** For display and arithmetic elsewhere; `decimalText` is the exact figure. */
  readonly value: number;
  /** The number exactly, with sign and decimals as written but no thousands separators: "406291", "4.70", "-0.657". */
  readonly decimalText: string;
  /** Decimal places as written: 2 for "4.70". */
  readonly decimals: number;
  /** Written with thousands separators ("406,291"). */
  readonly grouped: boolean;
  /** The unit symbol as written: "%", "£", "per 10K pop", "days", "pp"; null for a bare number. */
  readonly unitSymbol: string | null;
  /** What the symbol says the figure is in; null for a bare number. */
  readonly unit: MeasureUnit | null;
  /** The space, if any, between the number and a symbol written after it ("61 per 10K pop"). */
  readonly unitSpacing: "" | " ";
}

export type DataStatusCode =
  | "awaiting-data"
  | "not-available"
  | "not-applicable"
  | "to-be-confirmed"
  | "new-measure"
  | "baseline-year"
  | "no-value"
  | "blank"
  | "suspended";

/** The council's key, in its words ("Key: AD Awaiting Data; N/Av Not Available; ..."). */
export const DATA_STATUS_MEANINGS: Readonly<Record<DataStatusCode, string>> = {
  "awaiting-data": "Awaiting data",
  "not-available": "Not available",
  "not-applicable": "Not applicable",
  "to-be-confirmed": "To be confirmed",
  "new-measure": "New measure",
  "baseline-year": "Baseline year",
  "no-value": "No value",
  blank: "Left blank",
  suspended: "Suspended",
};

export interface DataStatus {
  readonly code: DataStatusCode;
  /** The status as written, without its reason: "N/Av", "n/a", "-"; "" for a blank cell or a suspension. */
  readonly written: string;
  /** The reason in brackets: "COVID-19", "annual only", "Routine audits suspended due to COVID-19". */
  readonly reason: string | null;
}

export type BenchmarkGroup = "national" | "regional" | "statistical-neighbours";

/** A comparator written in the cell: "(national 16.4%)". */
export interface InlineBenchmark {
  readonly group: BenchmarkGroup;
  /** As written: "national", "England average". */
  readonly label: string;
  readonly figure: WrittenFigure;
}

/** A footnote marker after the figure: "*", "^C", "²". */
export interface FootnoteMarker {
  readonly marker: string;
  /** Written straight after what precedes it ("95.6%*"), not after a space ("95.6%* ^C"). */
  readonly attached: boolean;
}

/** What follows the figure, in the order written. */
export type ValueAnnotation =
  | { readonly kind: "provisional"; readonly marker: "p" | "P" }
  | { readonly kind: "period"; readonly text: string; readonly period: Period }
  | { readonly kind: "benchmark"; readonly benchmark: InlineBenchmark }
  | { readonly kind: "note"; readonly text: string; readonly bracketed: boolean };

export type ValueWarningCode = "missing-unit" | "unit-mismatch" | "period-outside-column" | "unrecognised";

export interface ValueWarning {
  readonly code: ValueWarningCode;
  /** Plain English, for the officer who entered the value. */
  readonly message: string;
}

/** The value's own period, where it differs from the column: "(Dec 20)". */
export interface ValuePeriod {
  /** As written inside the brackets. */
  readonly text: string;
  readonly period: Period;
}

export interface ValueCell {
  /** Exactly as given. */
  readonly raw: string;
  /** The figure's value, or null where the cell has no figure (a status, or unrecognised). */
  readonly value: number | null;
  readonly figure: WrittenFigure | null;
  readonly status: DataStatus | null;
  readonly provisional: boolean;
  readonly period: ValuePeriod | null;
  readonly benchmark: InlineBenchmark | null;
  readonly footnotes: readonly FootnoteMarker[];
  /** Free notes: "Not comparable with previous years", "stage 1". */
  readonly notes: readonly string[];
  /** Everything after the figure or status and its markers, in the order written. */
  readonly annotations: readonly ValueAnnotation[];
  /** The tidied text of a cell that could not be read, kept verbatim; null otherwise. */
  readonly unrecognisedText: string | null;
  readonly warnings: readonly ValueWarning[];
}

export interface ValueCellOptions {
  /** The measure's unit, to catch a percentage written without "%". */
  readonly unit?: MeasureUnit;
  /** The period of the column the cell sits in, to catch a value for another period. */
  readonly columnPeriod?: Period;
}

/**
 * Folds line breaks, tabs and runs of spaces (including non-breaking spaces) to single
 * spaces and trims the ends. Cells copied out of documents carry stray breaks:
 * "0.05 (Dec 20 - cumulative\nover academic year)".
 */
export function normaliseCellText(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

// ---------------------------------------------------------------------------
// Figures.

/** Symbols written after the number, longest first so "per 10K pop" is not read as "per 10K". */
const SUFFIX_UNITS: readonly { readonly pattern: string; readonly unit: MeasureUnit }[] = [
  { pattern: "%", unit: "percent" },
  { pattern: "per 10,000 population", unit: "rate-per-10k" },
  { pattern: "per 10,000 pop", unit: "rate-per-10k" },
  { pattern: "per 10,000", unit: "rate-per-10k" },
  { pattern: "per 10k population", unit: "rate-per-10k" },
  { pattern: "per 10k pop", unit: "rate-per-10k" },
  { pattern: "per 10k", unit: "rate-per-10k" },
  { pattern: "percentage points", unit: "percentage-points" },
  { pattern: "ppts", unit: "percentage-points" },
  { pattern: "ppt", unit: "percentage-points" },
  { pattern: "pp", unit: "percentage-points" },
  { pattern: "days", unit: "days" },
];

const FOOTNOTE_MARKER = /^( ?)(\*+|\^[A-Za-z0-9]+|[¹²³⁴⁵⁶⁷⁸⁹⁰]+|[†‡])/;

/** What may follow a figure, status or marker: the end, a space, or a footnote marker. */
function endsToken(text: string, position: number): boolean {
  const next = text.charAt(position);
  return next === "" || next === " " || /^[*^¹²³⁴⁵⁶⁷⁸⁹⁰†‡]/.test(next);
}

/** Reads a figure at the start of `text`; returns it and how many characters it took. */
function readFigure(text: string): { figure: WrittenFigure; length: number } | null {
  const number = /^(-?)(£?)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?/.exec(text);
  if (!number) return null;
  const [matched, sign = "", pound = "", integerPart = "", fraction = ""] = number;
  let length = matched.length;
  let unitSymbol: string | null = pound === "" ? null : pound;
  let unit: MeasureUnit | null = pound === "" ? null : "money";
  let unitSpacing: "" | " " = "";
  if (pound === "") {
    const rest = text.slice(length);
    for (const suffix of SUFFIX_UNITS) {
      for (const spacing of ["", " "] as const) {
        const candidate = rest.slice(spacing.length, spacing.length + suffix.pattern.length);
        if (rest.startsWith(spacing) && candidate.toLowerCase() === suffix.pattern) {
          if (endsToken(rest, spacing.length + suffix.pattern.length)) {
            unitSymbol = candidate;
            unit = suffix.unit;
            unitSpacing = spacing;
          }
        }
      }
      if (unitSymbol !== null) break;
    }
    if (unitSymbol !== null) length += unitSpacing.length + unitSymbol.length;
  }
  if (!endsToken(text, length)) return null;
  const decimalText = `${sign}${integerPart.replaceAll(",", "")}${fraction}`;
  return {
    figure: {
      value: Number(decimalText),
      decimalText,
      decimals: fraction === "" ? 0 : fraction.length - 1,
      grouped: integerPart.includes(","),
      unitSymbol,
      unit,
      unitSpacing,
    },
    length,
  };
}

/** Reads text that is a figure and nothing else ("£155,000", "16.4%"), or null. */
export function parseFigure(text: string): WrittenFigure | null {
  const read = readFigure(text);
  return read !== null && read.length === text.length ? read.figure : null;
}

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+$)/g, ",");
}

/** Writes a figure back as it was written. */
export function formatFigure(figure: WrittenFigure): string {
  const negative = figure.decimalText.startsWith("-");
  const unsigned = negative ? figure.decimalText.slice(1) : figure.decimalText;
  const point = unsigned.indexOf(".");
  const integerPart = point === -1 ? unsigned : unsigned.slice(0, point);
  const fraction = point === -1 ? "" : unsigned.slice(point);
  const number = `${figure.grouped ? groupThousands(integerPart) : integerPart}${fraction}`;
  const sign = negative ? "-" : "";
  if (figure.unitSymbol === "£") return `${sign}£${number}`;
  const suffix = figure.unitSymbol === null ? "" : `${figure.unitSpacing}${figure.unitSymbol}`;
  return `${sign}${number}${suffix}`;
}

// ---------------------------------------------------------------------------
// Status, brackets and annotations.

/** Longest first, so "N/Av" is not read as "N/A" followed by "v". */
const STATUS_WORDS: readonly { readonly written: string; readonly code: DataStatusCode }[] = [
  { written: "new measure", code: "new-measure" },
  { written: "baseline year", code: "baseline-year" },
  { written: "n/av", code: "not-available" },
  { written: "n/a", code: "not-applicable" },
  { written: "tbc", code: "to-be-confirmed" },
  { written: "ad", code: "awaiting-data" },
  { written: "-", code: "no-value" },
  { written: "–", code: "no-value" },
];

function readStatusWord(text: string): { code: DataStatusCode; written: string } | null {
  for (const status of STATUS_WORDS) {
    const candidate = text.slice(0, status.written.length);
    if (candidate.toLowerCase() === status.written && endsToken(text, candidate.length)) {
      return { code: status.code, written: candidate };
    }
  }
  return null;
}

/** The bracketed group starting at `position` (which must be "("), allowing nested brackets. */
function readBracketed(text: string, position: number): { content: string; end: number } | null {
  if (text.charAt(position) !== "(") return null;
  let depth = 0;
  for (let i = position; i < text.length; i++) {
    if (text[i] === "(") depth++;
    if (text[i] === ")") depth--;
    if (depth === 0) return { content: text.slice(position + 1, i), end: i + 1 };
  }
  return null;
}

const BENCHMARK =
  /^(national|england|regional|region|statistical neighbours?|stat neighbours?|sn)( average)? (.+)$/i;

function readBenchmark(content: string): InlineBenchmark | null {
  const match = BENCHMARK.exec(content);
  if (!match) return null;
  const figure = parseFigure(match[3] ?? "");
  if (figure === null) return null;
  const name = (match[1] ?? "").toLowerCase();
  const group: BenchmarkGroup =
    name === "national" || name === "england"
      ? "national"
      : name === "regional" || name === "region"
        ? "regional"
        : "statistical-neighbours";
  return { group, label: `${match[1] ?? ""}${match[2] ?? ""}`, figure };
}

/** What a bracketed group says: provisional, a period, a benchmark, or else a free note. */
function classifyBracketed(content: string, context: PeriodContext): ValueAnnotation {
  if (content === "p" || content === "P") return { kind: "provisional", marker: content };
  const benchmark = readBenchmark(content);
  if (benchmark !== null) return { kind: "benchmark", benchmark };
  const period = parsePeriod(content, context);
  if (period !== null) return { kind: "period", text: content, period };
  return { kind: "note", text: content, bracketed: true };
}

function formatAnnotation(annotation: ValueAnnotation): string {
  switch (annotation.kind) {
    case "provisional":
      return `(${annotation.marker})`;
    case "period":
      return `(${formatPeriod(annotation.period)})`;
    case "benchmark":
      return `(${annotation.benchmark.label} ${formatFigure(annotation.benchmark.figure)})`;
    case "note":
      return annotation.bracketed ? `(${annotation.text})` : annotation.text;
  }
}

/** Years with no year in the label ("30th Sept") take the column's year. */
function contextFromColumn(column: Period | undefined): PeriodContext {
  if (column === undefined) return {};
  if (column.kind === "financial-year") return { financialYearStart: column.startYear };
  if ((column.kind === "financial-quarter" || column.kind === "budget-month") && column.startYear !== null) {
    return { financialYearStart: column.startYear };
  }
  if (column.kind === "calendar-year") return { year: column.year };
  return {};
}

/**
 * Whether a value's own period belongs in the column it is shown in. A column headed with a
 * financial year ("2018/19") is the council's reporting year: measures counted by academic
 * or calendar year report the year starting in 2018 there (the seed plan shows
 * "34.0% (2018 calendar year)" and "79.1% (31/08/19)" under 2018/19), so those fit too.
 */
export function periodFitsColumn(valuePeriod: Period, column: Period): boolean {
  if (periodWithin(valuePeriod, column)) return true;
  if (column.kind !== "financial-year") return false;
  return (
    periodWithin(valuePeriod, academicYear(column.startYear)) ||
    periodWithin(valuePeriod, calendarYear(column.startYear))
  );
}

const UNIT_WORDS = MEASURE_UNIT_PHRASES;

function unrecognisedCell(raw: string, text: string): ValueCell {
  return {
    raw,
    value: null,
    figure: null,
    status: null,
    provisional: false,
    period: null,
    benchmark: null,
    footnotes: [],
    notes: [],
    annotations: [],
    unrecognisedText: text,
    warnings: [
      {
        code: "unrecognised",
        message: `"${text}" is not a value Baseplan can read for certain, so it has been kept exactly as written and not counted as a figure.`,
      },
    ],
  };
}

/**
 * Reads a value cell. Never throws; anything it cannot read for certain comes back with
 * value null, the text verbatim and an "unrecognised" warning.
 */
export function parseValueCell(text: string, options: ValueCellOptions = {}): ValueCell {
  const raw = typeof text === "string" ? text : "";
  const tidy = normaliseCellText(raw);
  const context = contextFromColumn(options.columnPeriod);

  let figure: WrittenFigure | null = null;
  let status: DataStatus | null = null;
  let position = 0;

  // The head: a figure, a status word (with its reason), a suspension, or nothing at all.
  const read = readFigure(tidy);
  const statusWord = read === null ? readStatusWord(tidy) : null;
  if (tidy === "") {
    status = { code: "blank", written: "", reason: null };
  } else if (read !== null) {
    figure = read.figure;
    position = read.length;
  } else if (statusWord !== null) {
    position = statusWord.written.length;
    let reason: string | null = null;
    const bracketed = tidy.charAt(position) === " " ? readBracketed(tidy, position + 1) : null;
    if (bracketed !== null && classifyBracketed(bracketed.content, context).kind === "note") {
      reason = bracketed.content;
      position = bracketed.end;
    }
    status = { code: statusWord.code, written: statusWord.written, reason };
  } else {
    const bracketed = readBracketed(tidy, 0);
    if (bracketed === null || !/suspended/i.test(bracketed.content)) return unrecognisedCell(raw, tidy);
    status = { code: "suspended", written: "", reason: bracketed.content };
    position = bracketed.end;
  }

  const footnotes: FootnoteMarker[] = [];
  for (let marker = FOOTNOTE_MARKER.exec(tidy.slice(position)); marker; ) {
    footnotes.push({ marker: marker[2] ?? "", attached: marker[1] === "" });
    position += marker[0].length;
    marker = FOOTNOTE_MARKER.exec(tidy.slice(position));
  }

  const annotations: ValueAnnotation[] = [];
  while (position < tidy.length) {
    if (tidy.charAt(position) !== " ") return unrecognisedCell(raw, tidy);
    position += 1;
    if (tidy.charAt(position) === "(") {
      const bracketed = readBracketed(tidy, position);
      if (bracketed === null || bracketed.content.trim() === "") return unrecognisedCell(raw, tidy);
      annotations.push(classifyBracketed(bracketed.content, context));
      position = bracketed.end;
    } else {
      // Unbracketed words only after a bracketed annotation, so "12 to 15" or "40 approx"
      // are not half-read as a figure with a note.
      if (!annotations.some((annotation) => annotation.kind !== "note" || annotation.bracketed)) {
        return unrecognisedCell(raw, tidy);
      }
      const nextBracket = tidy.indexOf(" (", position);
      const end = nextBracket === -1 ? tidy.length : nextBracket;
      annotations.push({ kind: "note", text: tidy.slice(position, end), bracketed: false });
      position = end;
    }
  }

  const periodAnnotation = annotations.find((annotation) => annotation.kind === "period");
  const benchmarkAnnotation = annotations.find((annotation) => annotation.kind === "benchmark");
  const cell: ValueCell = {
    raw,
    value: figure?.value ?? null,
    figure,
    status,
    provisional: annotations.some((annotation) => annotation.kind === "provisional"),
    period: periodAnnotation ? { text: periodAnnotation.text, period: periodAnnotation.period } : null,
    benchmark: benchmarkAnnotation ? benchmarkAnnotation.benchmark : null,
    footnotes,
    notes: annotations.flatMap((annotation) => (annotation.kind === "note" ? [annotation.text] : [])),
    annotations,
    unrecognisedText: null,
    warnings: [],
  };
  // Only a cell that prints back exactly as written counts as read.
  if (formatValueCell(cell) !== tidy) return unrecognisedCell(raw, tidy);
  return { ...cell, warnings: warningsFor(cell, options) };
}

function warningsFor(cell: ValueCell, options: ValueCellOptions): ValueWarning[] {
  const warnings: ValueWarning[] = [];
  const figure = cell.figure;
  if (figure !== null && options.unit !== undefined) {
    const written = formatFigure(figure);
    if (options.unit === "percent" && figure.unit === null) {
      warnings.push({
        code: "missing-unit",
        message: `${written} has no % sign but this measure is a percentage; it has not been assumed to be ${written}%.`,
      });
    } else if (figure.unit !== null && figure.unit !== options.unit) {
      warnings.push({
        code: "unit-mismatch",
        message: `${written} is written as ${UNIT_WORDS[figure.unit]} but this measure is ${UNIT_WORDS[options.unit]}.`,
      });
    }
  }
  const column = options.columnPeriod;
  const own = cell.period?.period;
  if (column !== undefined && own !== undefined && own.start !== null && own.end !== null) {
    if (!periodFitsColumn(own, column)) {
      warnings.push({
        code: "period-outside-column",
        message: `This value is for ${formatPeriod(own)}, which is outside the ${formatPeriod(column)} column it is shown in; it should not be compared as a ${formatPeriod(column)} figure.`,
      });
    }
  }
  return warnings;
}

function formatHead(cell: ValueCell): string {
  if (cell.figure !== null) return formatFigure(cell.figure);
  const status = cell.status;
  if (status === null) return "";
  if (status.code === "suspended") return `(${status.reason ?? ""})`;
  return status.reason === null ? status.written : `${status.written} (${status.reason})`;
}

/** Rebuilds the cell's text from its parts: the tidied text as written (see `normaliseCellText`). */
export function formatValueCell(cell: ValueCell): string {
  if (cell.unrecognisedText !== null) return cell.unrecognisedText;
  const markers = cell.footnotes
    .map((footnote) => `${footnote.attached ? "" : " "}${footnote.marker}`)
    .join("");
  const annotations = cell.annotations.map((annotation) => ` ${formatAnnotation(annotation)}`).join("");
  return `${formatHead(cell)}${markers}${annotations}`;
}
