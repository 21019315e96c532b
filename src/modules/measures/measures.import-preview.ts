import type { Database } from "../../db/client.ts";
import type { StoredColumn, StoredFootnote } from "../../db/schema/index.ts";
import {
  matchMeasure as identifyMeasure,
  normaliseTitle,
  readTrendWords,
  type TrendDirection,
} from "../../domain/measure-identity.ts";
import { type Period, parsePeriod } from "../../domain/periods.ts";
import { parseTarget } from "../../domain/targets.ts";
import type { FieldError } from "../../errors.ts";
import { type UnderstoodCell, understandCell } from "./measures.cells.ts";
import { parsePastedTable, ratingSymbolIn, ratingSymbolsOf } from "./measures.paste.ts";
import type { PlanLinks } from "./measures.plan-links.ts";
import type { Measure } from "./measures.repository.ts";
import * as repository from "./measures.repository.ts";
import { periodKey } from "./measures.shared.ts";

/**
 * A council's pasted table read before it is saved: each cell understood, the periods it names
 * checked against closed periods, and what the import would change shown as a preview.
 */

// ---------------------------------------------------------------------------------------------
// Paste import

export interface ImportInput {
  text: string;
  document: string;
  groupKind: string;
  groupTitle: string;
  /** From the demo's metadata; a paste takes the key line pasted with the table. */
  key?: string | null;
  footnotes?: StoredFootnote[];
  position?: number;
  /**
   * The period the table reports on ("Q3 2024/25"), so that "This quarter" and "Last period"
   * columns name real periods.
   */
  reportingPeriod?: string | null;
  /**
   * The monitoring periods and their states (the periods module's `listPeriods`, handed in by
   * the routes): a cell for a period that is closed for entry, published or signed off is
   * refused unless it repeats what is already saved. Every page import gives it.
   */
  periodStates?: (db: Database) => Promise<readonly ImportPeriodState[]>;
  /**
   * The plan's links (handed in by the routes): links waiting for a new measure's title take its
   * id. Every page import gives it.
   */
  planLinks?: PlanLinks;
}

/** What an import needs to know of a monitoring period: its label and whether it takes entries. */
export interface ImportPeriodState {
  label: string;
  status: "open" | "closed" | "published";
  locked: boolean;
}

/** Why a period takes no imported figures, or null when it does (open and not signed off). */
function closedWords(state: ImportPeriodState): string | null {
  if (state.status === "published") return "published";
  if (state.locked) return "signed off and locked";
  if (state.status === "closed") return "closed for entry";
  return null;
}

/**
 * The problems of cells that would write a value or target for a period not open for entry (or
 * signed off), naming the row, column, value and the period's state. A cell that repeats what is
 * already saved for it writes nothing, so a table carrying last quarter's published column beside
 * this quarter's open one can still be pasted.
 */
async function closedPeriodProblems(
  db: Database,
  input: ImportInput,
  rows: readonly PreviewRow[],
): Promise<FieldError[]> {
  if (!input.periodStates) return [];
  const closed = new Map<string, { label: string; words: string }>();
  for (const state of await input.periodStates(db)) {
    const words = closedWords(state);
    if (words !== null) closed.set(periodKey(state.label), { label: state.label, words });
  }
  if (closed.size === 0) return [];
  // The table imported before under this document and title, whose printed ratings a rating
  // cell may repeat.
  const group = (await repository.listGroups(db)).find(
    (existing) => existing.document === input.document && existing.title === input.groupTitle,
  );
  // What is saved for the measures matched, read once for every row (decision 0044).
  let saved: SavedTexts | null = null;
  const savedTexts = async (): Promise<SavedTexts> => {
    if (saved !== null) return saved;
    const ids = [...new Set(rows.flatMap((row) => (row.measure === null ? [] : [row.measure.id])))];
    saved = savedTextsOf(
      await repository.currentRecordsForImport(db, ids, input.document, group?.id ?? null),
      input.document,
    );
    return saved;
  };
  const problems: FieldError[] = [];
  for (const row of rows) {
    if (row.kind !== "measure") continue;
    for (const cell of row.cells) {
      const role = cell.column.role;
      if (role !== "target" && role !== "value" && role !== "latest" && role !== "rating") continue;
      if (role === "rating" && cell.period === null) continue;
      if (cell.text.trim() === "" || (role !== "target" && cell.understood?.status === "blank")) continue;
      const key = periodKey(cell.period ?? cell.column.period ?? cell.column.heading);
      const period = closed.get(key);
      if (!period) continue;
      if (row.measure !== null) {
        const held = await savedTexts();
        const measureId = row.measure.id;
        if (role === "rating") {
          const printed = cell.rating ?? cell.text.trim();
          const kept = held.ratings.get(textsKey(measureId, key, "")) ?? [];
          if (kept.length === 1 && kept[0] === printed) continue;
        }
        const texts =
          role === "rating"
            ? []
            : role === "target"
              ? (held.targets.get(textsKey(measureId, key, "")) ?? [])
              : (held.values.get(textsKey(measureId, key, role)) ?? []);
        if (texts.length === 1 && texts[0] === cell.text) continue;
      }
      problems.push({
        field: "table",
        message: `Row ${row.line} ("${row.title}"), column "${cell.column.heading}", "${cell.text.trim()}": ${period.label} is ${period.words}, so nothing can be imported for it: take the value out of the table. Nothing was saved.`,
      });
    }
  }
  return problems;
}

/** The texts saved for the measures an import matched, by measure, period key and role. */
interface SavedTexts {
  /** The import's document's current values. */
  values: Map<string, string[]>;
  /** The import's document's current targets. */
  targets: Map<string, string[]>;
  /** The table's current printed ratings. */
  ratings: Map<string, string[]>;
}

function textsKey(measureId: number, key: string, role: string): string {
  return `${measureId}\u0000${key}\u0000${role}`;
}

function savedTextsOf(records: repository.ImportedRecords, document: string): SavedTexts {
  const add = (map: Map<string, string[]>, key: string, text: string) => {
    const list = map.get(key);
    if (list) list.push(text);
    else map.set(key, [text]);
  };
  const texts: SavedTexts = { values: new Map(), targets: new Map(), ratings: new Map() };
  for (const value of records.values) {
    add(texts.values, textsKey(value.measureId, value.periodKey, value.columnRole), value.cellText);
  }
  for (const target of records.targets) {
    if (target.document === document) {
      add(texts.targets, textsKey(target.measureId, target.periodKey, ""), target.targetText);
    }
  }
  for (const rating of records.printedRatings) {
    add(texts.ratings, textsKey(rating.measureId, rating.periodKey, ""), rating.ratingText);
  }
  return texts;
}

export interface PreviewCell {
  column: StoredColumn;
  text: string;
  /**
   * The period the cell is saved for, exactly as saving stores it: the column's, or for a value
   * whose own period lies outside the column ("1,234 (Dec 24)" under last quarter), its own.
   * Null for a cell that is shown and not saved (trend, owner, comment).
   */
  period: string | null;
  understood: UnderstoodCell | null;
  /** For target cells. */
  targetKind: string | null;
  /**
   * For rating cells: the rating word, as written or as the key gives it for a coloured symbol
   * ("🔴" with "🔴 Action" in the key is "Action"); null when blank or not understood.
   */
  rating: string | null;
  /** For trend cells: the printed words read as better, the same or worse; null if not read. */
  trend: TrendDirection | null;
  warnings: string[];
}

export interface PreviewRow {
  line: number;
  kind: "measure" | "sub-heading";
  title: string;
  /** The code the table gives the measure, where it has a code column. */
  code: string | null;
  measure: Measure | null;
  /** How the row was matched to a measure; "none" for a new measure. */
  matchedBy: "code" | "title" | "none";
  /** Where nothing matched: measures whose titles are close, to check before a new one is added. */
  closeMatches: Measure[];
  cells: PreviewCell[];
  warnings: string[];
}

export interface ImportPreview {
  columns: StoredColumn[];
  rows: PreviewRow[];
  key: string | null;
  footnotes: StoredFootnote[];
  /** Problems that stop the table being saved, naming row, column and value. */
  problems: FieldError[];
  warningCount: number;
}

/** Reads a rating cell: a word as written, or a coloured symbol through the key pasted with it. */
function readRating(text: string, key: string | null): { rating: string | null; warning: string | null } {
  const written = text.trim();
  if (written === "") return { rating: null, warning: null };
  const symbol = ratingSymbolIn(written);
  if (symbol === null) return { rating: written, warning: null };
  const meanings = ratingSymbolsOf(key).get(symbol) ?? [];
  if (meanings.length === 1) return { rating: meanings[0] ?? null, warning: null };
  if (meanings.length > 1) {
    return {
      rating: null,
      warning: `the key gives ${symbol} for more than one rating ("${meanings.join('" and "')}"), so it is kept as written and not read as either. Check the document for which it means.`,
    };
  }
  return {
    rating: null,
    warning: `${symbol} is not in the key${key === null ? " (no key line was pasted with the table)" : ""}, so it is kept as written and not read as a rating. Paste the key line ("Key 🟦 Strong ...") with the table.`,
  };
}

/** The reporting period an import is made for, read from the form; a problem if it cannot be read. */
function readReportingPeriod(text: string | null | undefined): {
  period: Period | null;
  problem: FieldError | null;
} {
  const written = (text ?? "").trim().replace(/\s+/g, " ");
  if (written === "") return { period: null, problem: null };
  const period = parsePeriod(written);
  if (
    period === null ||
    !["financial-quarter", "month", "budget-month"].includes(period.kind) ||
    period.start === null
  ) {
    return {
      period: null,
      problem: {
        field: "reportingPeriod",
        message: `"${written}" is not a quarter or month Baseplan can read: enter the reporting period like Q3 2024/25, Quarter 3, 2024 to 2025 or Sep 2024`,
      },
    };
  }
  return { period, problem: null };
}

export async function previewImport(db: Database, input: ImportInput): Promise<ImportPreview> {
  const reporting = readReportingPeriod(input.reportingPeriod);
  const table = parsePastedTable(input.text, { reportingPeriod: reporting.period });
  const key = input.key ?? table.key;
  const known = await repository.listMeasures(db);
  const problems: FieldError[] = reporting.problem ? [reporting.problem] : [];
  for (const column of table.columns) {
    if (
      column.period === null &&
      /\b(?:this|current|last|previous|prior)\s+(?:quarter|qtr|period|month)\b|\byear to date\b|\bytd\b/i.test(
        column.heading,
      )
    ) {
      problems.push({
        field: "reportingPeriod",
        message: `The column "${column.heading}" names a period relative to the report: enter the reporting period the table is for, like Q3 2024/25`,
      });
    }
  }
  if (table.columns.length === 0) {
    problems.push({
      field: "table",
      message:
        "The table has no header rows. Copy the whole table from the document, including the header rows with the years.",
    });
  }
  if (table.rows.length === 0) {
    problems.push({ field: "table", message: "The table has no rows of measures. Paste the table again." });
  }
  const rows: PreviewRow[] = table.rows.map((row) => {
    const match = row.kind === "measure" ? identifyMeasure(known, row) : null;
    const measure = match !== null && match.by !== "none" ? match.measure : null;
    const closeMatches = match !== null && match.by === "none" ? [...match.closest] : [];
    const warnings: string[] = [...(row.notes ?? [])];
    if (row.kind === "measure" && measure === null) {
      const close =
        closeMatches.length > 0
          ? ` Close to: ${closeMatches.map((candidate) => `"${candidate.title}"`).join(", ")}; if it is one of these, change the row's title to that one before saving.`
          : "";
      warnings.push(
        `"${row.title}" is not a measure Baseplan has yet; saving adds it as a new measure with no unit. Set its unit and which direction is good afterwards with "Change the measure's details" on its page.${close}`,
      );
    }
    if (
      row.kind === "measure" &&
      measure !== null &&
      match?.by === "code" &&
      normaliseTitle(measure.title) !== normaliseTitle(row.title)
    ) {
      warnings.push(
        `Code ${row.code}: the title is now "${row.title}" (it was "${measure.title}"); saving keeps the former title with the measure.`,
      );
    }
    if (row.kind === "measure" && measure !== null && measure.unit === null) {
      warnings.push(`"${row.title}" has no unit recorded.`);
    }
    for (const join of row.joins) {
      const heading = table.columns[join.column]?.heading ?? `column ${join.column + 2}`;
      warnings.push(
        `Row ${row.line}, column "${heading}": the copy split "${join.parts.join(" / ")}" over two lines; joined as "${row.cells[join.column]}".`,
      );
    }
    for (const lineBreak of row.lineBreaks) {
      const heading =
        lineBreak.column === null
          ? "title"
          : (table.columns[lineBreak.column]?.heading ?? `column ${lineBreak.column + 2}`);
      const joined = lineBreak.column === null ? row.title : row.cells[lineBreak.column];
      warnings.push(
        `Row ${row.line}, column "${heading}": the copied cell held a line break, "${lineBreak.parts.join(" / ")}"; joined as "${joined}".`,
      );
    }
    if (row.kind === "measure" && row.cells.length > table.columns.length) {
      problems.push({
        field: "table",
        message: `Row ${row.line} ("${row.title}") has ${row.cells.length} cells but the table has ${table.columns.length} columns: "${row.cells.slice(table.columns.length).join('", "')}" has no column. Check the row was copied whole.`,
      });
    }
    if (row.kind === "measure" && row.title.trim() === "") {
      problems.push({ field: "table", message: `Row ${row.line} has no measure title.` });
    }
    const cells: PreviewCell[] = table.columns.map((column, index) => {
      const text = row.cells[index] ?? "";
      if (column.role === "target") {
        const target = text.trim() === "" ? null : parseTarget(text);
        const targetWarnings = (target?.warnings ?? []).map(
          (warning) => `Row ${row.line}, column "${column.heading}", "${text}": ${warning}`,
        );
        return {
          column,
          text,
          period: column.period ?? column.heading,
          understood: null,
          targetKind: target?.kind ?? null,
          rating: null,
          trend: null,
          warnings: targetWarnings,
        };
      }
      if (column.role === "rating") {
        const reading = readRating(text, key);
        return {
          column,
          text,
          // A rating is kept by period only where the table gives its column one.
          period: column.period,
          understood: null,
          targetKind: null,
          rating: reading.rating,
          trend: null,
          warnings: reading.warning
            ? [`Row ${row.line}, column "${column.heading}", "${text.trim()}": ${reading.warning}`]
            : [],
        };
      }
      if (column.role === "trend" || column.role === "owner" || column.role === "comment") {
        const trend = column.role === "trend" ? readTrendWords(text) : null;
        const unread = column.role === "trend" && text.trim() !== "" && trend === null;
        return {
          column,
          text,
          period: null,
          understood: null,
          targetKind: null,
          rating: null,
          trend,
          warnings: unread
            ? [
                `Row ${row.line}, column "${column.heading}", "${text.trim()}": not read as better, the same or worse; shown as written.`,
              ]
            : [],
        };
      }
      const understood = understandCell(text, {
        unit: measure?.unit ?? null,
        columnPeriod: column.period,
        columnHeading: column.heading,
        savedForOwnPeriod: true,
      });
      return {
        column,
        text,
        period: understood.ownPeriodSaved ?? column.period ?? column.heading,
        understood,
        targetKind: null,
        rating: null,
        trend: null,
        warnings: understood.warnings.map(
          (warning) => `Row ${row.line}, column "${column.heading}": ${warning}`,
        ),
      };
    });
    return {
      line: row.line,
      kind: row.kind,
      title: row.title,
      code: row.code ?? null,
      measure,
      matchedBy: match?.by ?? "none",
      closeMatches,
      cells,
      warnings,
    };
  });
  problems.push(...(await closedPeriodProblems(db, input, rows)));
  const warningCount = rows.reduce(
    (count, row) =>
      count + row.warnings.length + row.cells.reduce((sum, cell) => sum + cell.warnings.length, 0),
    0,
  );
  return {
    columns: table.columns,
    rows,
    key,
    footnotes: input.footnotes ?? table.footnotes,
    problems,
    warningCount,
  };
}
