/**
 * Reading a council's budget monitoring table (rows of cell text from a spreadsheet) into each
 * line's controllable budget and forecast outturn for a quarter, exactly, in pence.
 *
 * - Headings are read by meaning: the budget line (service, service area, cost centre, division,
 *   line or name), a code (shown, not used to match), the budget (controllable, current or
 *   revised budget), the forecast (forecast, outturn, projected) and, optionally, the variance
 *   (variance, under / over spend). The header row is the first of the top rows that has the
 *   line, the budget and the forecast.
 * - Units: a column is in the unit its heading states ("Budget £000", "Forecast (£m)"), else the
 *   unit chosen for the upload. Brackets and a leading minus are negatives; in the variance
 *   column brackets mean what the council's conventions say (an underspend or an overspend).
 *   "-" and a blank cell are "not reported": the line is left as it is.
 * - Every figure is scaled exactly; one that would need a fraction of a penny, or text in an
 *   amount, is an error naming its row, column and value.
 * - A line is matched to the year's budget lines by its name, after normalising quotes, dashes,
 *   spaces, case and "&"; a name that matches none is an error offering the closest names.
 * - A stated variance is checked against the forecast less the budget, to one unit of the last
 *   digit printed in any of the three figures; a disagreement is a warning, and the forecast and
 *   budget are what is saved.
 * - A row named as a total is shown and not saved: Baseplan works totals out from the lines.
 */

import { normaliseTitle, titleLikeness } from "./measure-identity.ts";
import type { Pence } from "./money.ts";
import { formatPounds } from "./money.ts";
import {
  type BracketsMean,
  MONEY_UNIT_LABELS,
  type MoneyUnit,
  moneyUnitFromHeading,
  readAmountCell,
  varianceFromPrinted,
} from "./money-conventions.ts";

export interface BudgetLineRef {
  readonly id: number;
  readonly name: string;
}

export type BudgetColumnKind = "line" | "code" | "budget" | "forecast" | "variance";

export interface BudgetColumn {
  readonly kind: BudgetColumnKind;
  /** 0-based position in the row. */
  readonly index: number;
  /** The column's letter in the spreadsheet: A, B, ... */
  readonly letter: string;
  readonly heading: string;
  /** For a money column: its unit, and whether the heading said it or the upload chose it. */
  readonly unit: MoneyUnit | null;
  readonly unitFrom: "heading" | "chosen" | null;
}

/** An error or warning about one cell: its row and column in the file, and the value written. */
export interface CellProblem {
  readonly rowNumber: number;
  readonly column: string;
  readonly value: string;
  readonly message: string;
}

export type BudgetRowStatus = "read" | "not-reported" | "left-out" | "total" | "error";

export interface BudgetImportRow {
  readonly rowNumber: number;
  /** Every cell of the row as written. */
  readonly written: readonly string[];
  readonly name: string;
  readonly line: BudgetLineRef | null;
  readonly budget: Pence | null;
  readonly forecast: Pence | null;
  /** The stated variance as Baseplan keeps it (forecast less budget, an overspend positive). */
  readonly statedVariance: Pence | null;
  readonly status: BudgetRowStatus;
  readonly errors: readonly CellProblem[];
  readonly warnings: readonly CellProblem[];
}

export type BudgetTableReading =
  | { readonly ok: false; readonly message: string }
  | {
      readonly ok: true;
      readonly headerRowNumber: number;
      readonly headings: readonly string[];
      readonly columns: readonly BudgetColumn[];
      readonly rows: readonly BudgetImportRow[];
      readonly errors: readonly CellProblem[];
      readonly warnings: readonly CellProblem[];
    };

export interface BudgetTableOptions {
  /** The unit of a money column whose heading states none. */
  readonly unit: MoneyUnit;
  /** What brackets (or a minus) in the variance column mean. */
  readonly bracketsMean: BracketsMean;
  /** The budget lines of the year the table is for. */
  readonly lines: readonly BudgetLineRef[];
  /** The row number in the file of each row (blank rows left out); 1, 2, 3 ... when not given. */
  readonly rowNumbers?: readonly number[];
  /** Row numbers the officer chose to leave out. */
  readonly leaveOut?: ReadonlySet<number>;
}

/** How far down the header row may be (titles and notes above it are passed over). */
const HEADER_SEARCH_ROWS = 20;

const TOTAL_ROW = /^(?:grand |net |sub-?)?totals?\b|\btotals?$/i;

/** What a heading means, by its words; null when it is none of the budget table's columns. */
export function budgetColumnKind(heading: string): BudgetColumnKind | null {
  const words = normaliseTitle(heading)
    .replace(/£\s*(?:'?000s?|k|m|mn|millions?|thousands?)?/g, " ")
    .replace(/[()[\]]/g, " ");
  if (
    /variance|under\s*(?:-\s*)?\/?\s*(?:\(-\)\s*)?\/?\s*over|over\s*\/\s*under|underspend|overspend/.test(
      words,
    )
  )
    return "variance";
  if (/^\s*(?:budget )?lines?\s*$/.test(words)) return "line";
  if (/forecast|outturn|projected|projection/.test(words)) return "forecast";
  if (/budget|allocation/.test(words)) return "budget";
  if (/\bcode\b|\bref(?:erence)?\b/.test(words)) return "code";
  if (/\bline\b|service|cost cent(?:re|er)|division|\barea\b|description|\bname\b|heading/.test(words))
    return "line";
  return null;
}

/** Column letters for a 0-based index: 0 is A, 27 is AB. */
function letterOf(index: number): string {
  let letters = "";
  let rest = index + 1;
  while (rest > 0) {
    const at = (rest - 1) % 26;
    letters = String.fromCharCode(65 + at) + letters;
    rest = Math.floor((rest - 1) / 26);
  }
  return letters;
}

/** A budget line's name as matching sees it: "Children’s  Services & Schools" is "children's services and schools". */
export function normaliseLineName(name: string): string {
  return normaliseTitle(name).replace(/\s*&\s*/g, " and ");
}

/** The edit distance between two short texts (insertions, deletions and substitutions). */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current.push(
        Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost),
      );
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/**
 * Up to three budget lines whose names are close to a name that matched none, closest first:
 * names a few letters apart (a typing slip) or sharing a third of their words.
 */
export function closeLineNames(name: string, lines: readonly BudgetLineRef[]): string[] {
  const wanted = normaliseLineName(name);
  return lines
    .map((line) => {
      const candidate = normaliseLineName(line.name);
      const letters = 1 - editDistance(wanted, candidate) / Math.max(wanted.length, candidate.length, 1);
      const words = titleLikeness(name, line.name);
      return { name: line.name, score: Math.max(letters, words), close: letters >= 0.6 || words >= 1 / 3 };
    })
    .filter((entry) => entry.close)
    .sort((a, b) => b.score - a.score || a.name.localeCompare(b.name))
    .slice(0, 3)
    .map((entry) => entry.name);
}

function findHeader(rows: readonly (readonly string[])[]) {
  for (let at = 0; at < Math.min(rows.length, HEADER_SEARCH_ROWS); at += 1) {
    const row = rows[at] ?? [];
    const kinds = new Map<BudgetColumnKind, number>();
    row.forEach((cell, index) => {
      const kind = budgetColumnKind(cell);
      if (kind !== null && !kinds.has(kind)) kinds.set(kind, index);
    });
    if (kinds.has("line") && kinds.has("budget") && kinds.has("forecast")) return { at, kinds };
  }
  return null;
}

function describeVariance(pence: Pence): string {
  if (pence === 0) return "on budget";
  const amount = formatPounds(Math.abs(pence), { pence: Math.abs(pence) % 100 !== 0 });
  return pence > 0 ? `an overspend of ${amount}` : `an underspend of ${amount}`;
}

/** Reads a budget monitoring table; see the top of this file for the rules. */
export function readBudgetTable(
  rows: readonly (readonly string[])[],
  options: BudgetTableOptions,
): BudgetTableReading {
  const header = findHeader(rows);
  if (header === null) {
    const first = (rows[0] ?? []).filter((cell) => cell.trim() !== "").join(" | ");
    return {
      ok: false,
      message: `No header row with a budget line, a budget and a forecast column was found in the first ${HEADER_SEARCH_ROWS} rows${first ? ` (the first row reads "${first}")` : ""}. Head the columns like "Service", "Controllable budget £000" and "Forecast outturn £000", or download the template.`,
    };
  }
  const numberOf = (index: number) => options.rowNumbers?.[index] ?? index + 1;
  const headings = (rows[header.at] ?? []).map((cell) => cell.trim());
  const columns: BudgetColumn[] = [...header.kinds].map(([kind, index]) => {
    const heading = headings[index] ?? "";
    const money = kind === "budget" || kind === "forecast" || kind === "variance";
    const stated = money ? moneyUnitFromHeading(heading) : null;
    return {
      kind,
      index,
      letter: letterOf(index),
      heading,
      unit: money ? (stated ?? options.unit) : null,
      unitFrom: money ? (stated ? "heading" : "chosen") : null,
    };
  });
  const columnOf = (kind: BudgetColumnKind) => columns.find((column) => column.kind === kind);
  const lineColumn = columnOf("line") as BudgetColumn;
  const byName = new Map<string, BudgetLineRef[]>();
  for (const line of options.lines) {
    const key = normaliseLineName(line.name);
    byName.set(key, [...(byName.get(key) ?? []), line]);
  }
  const seen = new Map<number, number>();
  const read: BudgetImportRow[] = [];

  for (let at = header.at + 1; at < rows.length; at += 1) {
    const written = (rows[at] ?? []).map((cell) => cell);
    if (written.every((cell) => cell.trim() === "")) continue;
    const rowNumber = numberOf(at);
    const errors: CellProblem[] = [];
    const warnings: CellProblem[] = [];
    const cellOf = (column: BudgetColumn) => written[column.index] ?? "";
    const where = (column: BudgetColumn) => `column ${column.letter} "${column.heading}"`;
    const problem = (column: BudgetColumn, message: string): CellProblem => ({
      rowNumber,
      column: `${column.letter} (${column.heading})`,
      value: cellOf(column),
      message: `Row ${rowNumber}, ${where(column)}: ${message}`,
    });
    const name = cellOf(lineColumn).trim();
    const base = { rowNumber, written, name, budget: null, forecast: null, statedVariance: null };
    if (options.leaveOut?.has(rowNumber)) {
      read.push({ ...base, line: null, status: "left-out", errors, warnings });
      continue;
    }
    if (TOTAL_ROW.test(name)) {
      read.push({ ...base, line: null, status: "total", errors, warnings });
      continue;
    }

    const amounts = new Map<BudgetColumnKind, { pence: Pence; resolution: number } | null>();
    for (const kind of ["budget", "forecast", "variance"] as const) {
      const column = columnOf(kind);
      if (!column) continue;
      const cell = readAmountCell(cellOf(column), {
        unit: column.unit ?? options.unit,
        field: `Row ${rowNumber}, ${where(column)}`,
      });
      if (cell.kind === "refused") {
        errors.push({ ...problem(column, ""), message: cell.reason });
        amounts.set(kind, null);
      } else if (cell.kind === "amount") {
        amounts.set(kind, { pence: cell.pence, resolution: cell.parsed.resolutionPence });
      } else amounts.set(kind, null);
    }

    let line: BudgetLineRef | null = null;
    if (name === "") {
      errors.push(problem(lineColumn, "the budget line is blank: give its name, or leave the row out."));
    } else {
      const matches = byName.get(normaliseLineName(name)) ?? [];
      if (matches.length === 1) line = matches[0] ?? null;
      else if (matches.length > 1) {
        errors.push(
          problem(
            lineColumn,
            `"${name}" is the name of ${matches.length} budget lines of this year, so which is meant cannot be told.`,
          ),
        );
      } else {
        const close = closeLineNames(name, options.lines);
        errors.push(
          problem(
            lineColumn,
            `"${name}" matches no budget line of this year.${close.length > 0 ? ` Close names: ${close.map((entry) => `"${entry}"`).join(", ")}.` : ""} Correct the name in the file, or leave the row out.`,
          ),
        );
      }
    }
    if (line !== null) {
      const earlier = seen.get(line.id);
      if (earlier !== undefined) {
        errors.push(
          problem(lineColumn, `"${line.name}" is also on row ${earlier}; give each budget line once.`),
        );
      } else seen.set(line.id, rowNumber);
    }

    const budget = amounts.get("budget") ?? null;
    const forecast = amounts.get("forecast") ?? null;
    const stated = amounts.get("variance") ?? null;
    const statedVariance = stated ? varianceFromPrinted(stated.pence, options) : null;
    const varianceColumn = columnOf("variance");
    if (budget && forecast && stated && varianceColumn) {
      const worked = forecast.pence - budget.pence;
      const allowed = Math.max(budget.resolution, forecast.resolution, stated.resolution);
      if (statedVariance !== null && Math.abs(worked - statedVariance) > allowed) {
        warnings.push(
          problem(
            varianceColumn,
            `"${cellOf(varianceColumn).trim()}" is ${describeVariance(statedVariance)} (brackets mean ${options.bracketsMean === "underspend" ? "an underspend" : "an overspend"}), but the forecast less the budget is ${describeVariance(worked)}. The budget and forecast are what is saved; check the row.`,
          ),
        );
      }
    }
    const notReported = errors.length === 0 && (budget === null || forecast === null);
    read.push({
      ...base,
      line,
      budget: budget?.pence ?? null,
      forecast: forecast?.pence ?? null,
      statedVariance,
      status: errors.length > 0 ? "error" : notReported ? "not-reported" : "read",
      errors,
      warnings,
    });
  }
  return {
    ok: true,
    headerRowNumber: numberOf(header.at),
    headings,
    columns,
    rows: read,
    errors: read.flatMap((row) => row.errors),
    warnings: read.flatMap((row) => row.warnings),
  };
}

/** A unit in words for the page: "£000 (from the heading)". */
export function unitWords(column: BudgetColumn): string {
  if (column.unit === null) return "";
  return `${MONEY_UNIT_LABELS[column.unit]} (${column.unitFrom === "heading" ? "from the heading" : "as chosen"})`;
}
