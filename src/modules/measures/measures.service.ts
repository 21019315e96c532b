import type { Database } from "../../db/client.ts";
import type { measureValues, StoredColumn, StoredFootnote } from "../../db/schema/index.ts";
import { namesBenchmark } from "../../domain/benchmark-targets.ts";
import {
  answersSearch,
  matchMeasure as identifyMeasure,
  normaliseTitle,
  readTrendWords,
  type TrendDirection,
} from "../../domain/measure-identity.ts";
import type { MeasureUnit, Polarity, ValueStatus } from "../../domain/measure-types.ts";
import {
  comparePeriodLabels,
  financialYearLabel,
  isQuarterEnd,
  type MonitoringPeriod,
  monitoringPeriodKey,
  monitoringPeriodLabel,
  type Period,
  parsePeriod,
} from "../../domain/periods.ts";
import {
  agreementInScheme,
  DEFAULT_SCHEME,
  type RatingScheme,
  rateInScheme,
} from "../../domain/rating-schemes.ts";
import {
  isOffTarget,
  type MeasureRating,
  type MeasureRatingInput,
  RATINGS,
  ratingMeta,
} from "../../domain/ratings.ts";
import {
  type BenchmarkData,
  evaluateTarget,
  parseTarget,
  type Target,
  type Verdict,
} from "../../domain/targets.ts";
import { Conflict, type FieldError, NotFound, ValidationFailed } from "../../errors.ts";
import { recordAuditEvent } from "../audit/audit.service.ts";
import { requireOwnerOf } from "../people/ownership.service.ts";
import { type UnderstoodCell, understandCell, valuePeriod } from "./measures.cells.ts";
import { parsePastedTable, ratingSymbolIn, ratingSymbolsOf } from "./measures.paste.ts";
import { ratingScheme } from "./measures.scheme.ts";

export { ratingScheme };

import {
  type BenchmarkUsed,
  benchmarkPartsFor,
  type PublishedBenchmark,
  publishedFiguresFor,
  publishedPeriodUsed,
  withPublishedValue,
} from "./measures.published.ts";
import type {
  EvidencedDeliverable,
  EvidencedOutcome,
  ListedBenchmark,
  ListedTarget,
  ListedValue,
  Measure,
  MeasureBenchmark,
  MeasureDetails,
  MeasureGroup,
  MeasureRow,
  MeasureTarget,
  MeasureValue,
  PrintedRating,
} from "./measures.repository.ts";
import * as repository from "./measures.repository.ts";

export type {
  Measure,
  MeasureBenchmark,
  MeasureDetails,
  MeasureGroup,
  MeasureTarget,
  MeasureValue,
  PrintedRating,
};

/** Baseplan's own spelling of a period label, so "2020/2021" and "2020/21" are the same year. */
export function periodKey(label: string): string {
  return parsePeriod(label.trim())?.canonicalLabel ?? label.trim();
}

// ---------------------------------------------------------------------------------------------
// Measures

export interface NewMeasure {
  slug: string;
  title: string;
  otherTitles?: string[];
  code?: string | null;
  unit?: MeasureUnit | null;
  decimals?: number | null;
  polarity?: Polarity | null;
  frequency?: string | null;
  basis?: string | null;
  footnoteMarkers?: string[];
  note?: string | null;
  /** Who owns the measure, by name (an owner may record its values: src/domain/ownership.ts). */
  owner?: string | null;
}

export async function createMeasure(db: Database, actor: string, input: NewMeasure): Promise<Measure> {
  return db.transaction(async (tx) => {
    const measure = await repository.insertMeasure(tx, input);
    await recordAuditEvent(tx, {
      actor,
      action: "create",
      entityType: "measure",
      entityId: measure.id,
      summary: `Added the measure "${measure.title}"`,
      after: measure,
    });
    return measure;
  });
}

/** The id of the measure a plan names by this title (or a former title), or null when none has it. */
export function measureIdTitled(db: Database, title: string): Promise<number | null> {
  return repository.measureIdTitled(db, title);
}

/** The own-period columns of a value row. */
function storedPeriod(text: string, periodLabel: string) {
  const period = valuePeriod(text, periodLabel);
  return { ownPeriod: period?.label ?? null, ownPeriodSpan: period?.span ?? null };
}

/**
 * Stores the own period of values written before it was kept (migration 0014), reading each
 * cell once as the import does. Values whose period cannot be read stay without one. Returns
 * how many were filled; run at start-up after the migrations, so it does nothing once done.
 */
export async function fillValuePeriods(db: Database): Promise<number> {
  return db.transaction(async (tx) => {
    let filled = 0;
    for (const value of await repository.valuesWithoutPeriod(tx)) {
      const period = valuePeriod(value.cellText, value.periodLabel);
      if (period === null) continue;
      await repository.setValuePeriod(tx, value.id, period.label, period.span);
      filled += 1;
    }
    return filled;
  });
}

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
        const measureId = row.measure.id;
        if (role === "rating") {
          const printed = cell.rating ?? cell.text.trim();
          const kept =
            group === undefined ? [] : await repository.currentPrintedRatings(db, measureId, group.id, key);
          if (kept.length === 1 && kept[0]?.ratingText === printed) continue;
        }
        const saved =
          role === "rating"
            ? []
            : role === "target"
              ? (await repository.targetsOf(db, [measureId]))
                  .filter(
                    (target) =>
                      target.current && target.periodKey === key && target.document === input.document,
                  )
                  .map((target) => target.targetText)
              : (await repository.currentValuesFor(db, measureId, input.document, key, role)).map(
                  (value) => value.cellText,
                );
        if (saved.length === 1 && saved[0] === cell.text) continue;
      }
      problems.push({
        field: "table",
        message: `Row ${row.line} ("${row.title}"), column "${cell.column.heading}", "${cell.text.trim()}": ${period.label} is ${period.words}, so nothing can be imported for it: take the value out of the table. Nothing was saved.`,
      });
    }
  }
  return problems;
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

function slugOf(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 80);
}

/** A table pasted again keeps its place in /measures; a new one goes after the others. */
async function importedGroupPosition(tx: Database, input: ImportInput): Promise<number> {
  const groups = await repository.listGroups(tx);
  const existing = groups.find(
    (group) => group.document === input.document && group.title === input.groupTitle,
  );
  return existing?.position ?? Math.max(-1, ...groups.map((group) => group.position)) + 1;
}

/**
 * Saves a pasted table, all or nothing, in one transaction. Problems in any row save nothing.
 * Pasting a table again keeps its group where it was in the list (a new table goes last), and records a restatement
 * only for a cell whose text changed: an unchanged cell keeps its current value or target.
 */
/** A cell an import changed, for its audit event: what it held before and what it holds now. */
interface ChangedCell {
  row: string;
  column: string;
  before: string | null;
  after: string;
}

/** Whether an error is PostgreSQL's unique violation, however the driver wraps it. */
function isUniqueViolation(error: unknown): boolean {
  for (let current = error; current !== null && typeof current === "object"; ) {
    if ((current as { code?: unknown }).code === "23505") return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

export async function saveImport(db: Database, actor: string, input: ImportInput): Promise<MeasureGroup> {
  try {
    return await saveImportOnce(db, actor, input);
  } catch (error) {
    // The same new table saved twice at once: the second finds the first's group only at commit.
    if (!isUniqueViolation(error)) throw error;
    throw new Conflict(
      `The table "${input.groupTitle}" (${input.document})`,
      [{ label: "Table", saved: "saved by someone else just now", submitted: "your copy" }],
      "/measures/import",
    );
  }
}

async function saveImportOnce(db: Database, actor: string, input: ImportInput): Promise<MeasureGroup> {
  return db.transaction(async (tx) => {
    const preview = await previewImport(tx, input);
    if (preview.problems.length > 0) throw new ValidationFailed(preview.problems, "Nothing was saved.");
    // What the table held before, for the audit: its columns, key line, footnotes and printed ratings.
    const earlierGroup = (await repository.listGroups(tx)).find(
      (existing) => existing.document === input.document && existing.title === input.groupTitle,
    );
    const earlierRows =
      earlierGroup === undefined
        ? []
        : (await repository.listRows(tx)).filter((existing) => existing.groupId === earlierGroup.id);
    const changes: ChangedCell[] = [];
    const group = await repository.upsertGroup(tx, {
      document: input.document,
      kind: input.groupKind,
      title: input.groupTitle,
      keyLine: preview.key,
      footnotes: preview.footnotes,
      columns: preview.columns,
      position: input.position ?? (await importedGroupPosition(tx, input)),
    });
    const rowRecords: Parameters<typeof repository.insertRows>[1] = [];
    let written = 0;
    let unchanged = 0;
    // The key's symbol for a printed rating ("🔴"), kept with the import's audit event.
    const ratingsAsWritten: { title: string; written: string; readAs: string | null }[] = [];
    // Printed ratings new or changed for their period, before and after.
    const printedRatingChanges: PrintedRatingChange[] = [];
    for (const [position, row] of preview.rows.entries()) {
      let measure = row.measure;
      if (row.kind === "measure" && measure !== null && row.matchedBy === "code") {
        measure = await keepFormerTitle(tx, actor, measure, row.title);
      }
      if (row.kind === "measure" && measure === null) {
        measure = await repository.insertMeasure(tx, {
          slug: `${slugOf(row.title)}-${Date.now()}-${position}`,
          title: row.title,
          code: row.code,
        });
        await recordAuditEvent(tx, {
          actor,
          action: "create",
          entityType: "measure",
          entityId: measure.id,
          summary: `Added the measure "${row.title}" from a pasted table`,
          after: measure,
        });
      }
      const ratingCell = row.cells.find((cell) => cell.column.role === "rating");
      const printed = ratingCell?.rating ?? (ratingCell?.text.trim() || null);
      if (ratingCell && printed !== ratingCell.text.trim()) {
        ratingsAsWritten.push({ title: row.title, written: ratingCell.text, readAs: printed });
      }
      rowRecords.push({
        groupId: group.id,
        measureId: measure?.id ?? null,
        position,
        kind: row.kind,
        titleAsWritten: row.title,
        printedRating: printed,
      });
      if (measure === null) continue;
      if (ratingCell?.period && printed !== null) {
        const change = await savePrintedRating(tx, actor, measure.id, group, ratingCell, printed);
        if (change) printedRatingChanges.push({ row: row.title, ...change });
      }
      for (const cell of row.cells) {
        if (cell.column.role === "trend" || cell.column.role === "owner" || cell.column.role === "comment")
          continue;
        // The period the preview showed for the cell: its column's, or a value's own.
        const period = cell.period ?? cell.column.period ?? cell.column.heading;
        const key = periodKey(period);
        if (cell.column.role === "target") {
          if (cell.text.trim() === "") continue;
          const earlierText =
            (await repository.targetsOf(tx, [measure.id])).find(
              (existing) =>
                existing.current && existing.periodKey === key && existing.document === group.document,
            )?.targetText ?? null;
          if (await saveTarget(tx, actor, measure.id, group, period, key, cell.text)) {
            written += 1;
            changes.push({
              row: row.title,
              column: cell.column.heading,
              before: earlierText,
              after: cell.text,
            });
          } else unchanged += 1;
        } else if (cell.understood && cell.understood.status !== "blank") {
          const replaced = await repository.currentValuesFor(
            tx,
            measure.id,
            input.document,
            key,
            cell.column.role,
          );
          if (replaced.length === 1 && replaced[0]?.cellText === cell.text) {
            unchanged += 1;
            continue;
          }
          for (const old of replaced) {
            await repository.retireValue(tx, old.id);
          }
          await repository.retireBenchmarksOfValues(
            tx,
            replaced.map((old) => old.id),
          );
          const value = await repository.insertValue(
            tx,
            valueRecord(measure.id, group, cell, period, key, actor),
          );
          // A restated value points to the one that replaced it.
          for (const old of replaced) await repository.markValueSuperseded(tx, old.id, value.id);
          changes.push({
            row: row.title,
            column: cell.column.heading,
            before: replaced.map((old) => old.cellText).join(" / ") || null,
            after: cell.text,
          });
          await saveInlineBenchmark(tx, actor, value, cell.understood.benchmark);
          written += 1;
        }
      }
    }
    await repository.insertRows(tx, rowRecords);
    await recordAuditEvent(tx, {
      actor,
      action: "import",
      entityType: "measure-group",
      entityId: group.id,
      summary: `Imported the table "${group.title}" (${input.document}): ${preview.rows.length} rows, ${written} cells${unchanged > 0 ? ` (${unchanged} unchanged cells kept as they were)` : ""}`,
      ...(earlierGroup === undefined
        ? {}
        : {
            before: {
              group: earlierGroup,
              printedRatings: earlierRows.map((existing) => ({
                title: existing.titleAsWritten,
                printedRating: existing.printedRating,
              })),
            },
          }),
      after: {
        group,
        rows: preview.rows.map((row) => row.title),
        printedRatings: rowRecords.map((record) => ({
          title: record.titleAsWritten,
          printedRating: record.printedRating ?? null,
        })),
        changes,
        ...(printedRatingChanges.length > 0 ? { printedRatingChanges } : {}),
        ...(ratingsAsWritten.length > 0 ? { ratingsAsWritten } : {}),
      },
    });
    return group;
  });
}

/** A printed rating an import added or changed for its period, for the import's audit event. */
interface PrintedRatingChange {
  row: string;
  period: string;
  before: string | null;
  after: string;
}

/**
 * Keeps the rating a table printed for a measure and its rating column's period. The same rating
 * again (the same edition imported twice) changes nothing; another rating for the period
 * supersedes the table's earlier one, which is kept. A later edition's rating for its own period
 * leaves the earlier periods' alone.
 */
async function savePrintedRating(
  tx: Database,
  actor: string,
  measureId: number,
  group: MeasureGroup,
  cell: PreviewCell,
  rating: string,
): Promise<Omit<PrintedRatingChange, "row"> | null> {
  const period = cell.period;
  if (period === null) return null;
  const key = periodKey(period);
  const earlier = await repository.currentPrintedRatings(tx, measureId, group.id, key);
  if (earlier.length === 1 && earlier[0]?.ratingText === rating) return null;
  const record = await repository.insertPrintedRating(tx, {
    measureId,
    groupId: group.id,
    document: group.document,
    periodLabel: period,
    periodKey: key,
    ratingText: rating,
    cellText: cell.text.trim(),
    recordedBy: actor,
  });
  await repository.supersedePrintedRatings(
    tx,
    earlier.map((old) => old.id),
    record.id,
  );
  return {
    period,
    before: earlier.map((old) => old.ratingText).join(" / ") || null,
    after: rating,
  };
}

/**
 * A measure matched by its code under a reworded title: the new title is the measure's title
 * and every former one is kept, so an older table still matches. Audited.
 */
async function keepFormerTitle(
  tx: Database,
  actor: string,
  measure: Measure,
  title: string,
): Promise<Measure> {
  if (normaliseTitle(measure.title) === normaliseTitle(title)) return measure;
  const otherTitles = [
    measure.title,
    ...measure.otherTitles.filter((other) => other !== title && other !== measure.title),
  ];
  const updated = await repository.updateMeasureIfVersion(tx, measure.id, measure.version, {
    title,
    otherTitles,
    updatedAt: new Date(),
  });
  if (updated === null) {
    throw new Conflict(
      `The measure "${measure.title}"`,
      [{ label: "Title", saved: measure.title, submitted: title }],
      "/measures/import",
    );
  }
  await recordAuditEvent(tx, {
    actor,
    action: "update",
    entityType: "measure",
    entityId: measure.id,
    summary: `Retitled the measure "${measure.title}" as "${title}" from an imported table (code ${measure.code}); the former title is kept`,
    before: measure,
    after: updated,
  });
  return updated;
}

function valueRecord(
  measureId: number,
  group: MeasureGroup,
  cell: PreviewCell,
  period: string,
  key: string,
  actor: string,
): typeof measureValues.$inferInsert {
  const understood = cell.understood as UnderstoodCell;
  return {
    measureId,
    groupId: group.id,
    document: group.document,
    columnHeading: cell.column.heading,
    columnRole: cell.column.role,
    periodLabel: period,
    periodKey: key,
    cellText: cell.text,
    amount: understood.amount === null ? null : String(understood.amount),
    decimals: understood.decimals,
    status: understood.status,
    // The cell read against its column, as the preview read it.
    ...storedPeriod(cell.text, cell.column.period ?? period),
    annotations: understood.annotations,
    warnings: understood.warnings,
    recordedBy: actor,
  };
}

/** "14.9% (national 16.4%)": the national figure is kept as a benchmark for the value's period. */
async function saveInlineBenchmark(
  tx: Database,
  actor: string,
  value: MeasureValue,
  benchmark: UnderstoodCell["benchmark"],
): Promise<void> {
  if (!benchmark) return;
  await repository.insertBenchmark(tx, {
    measureId: value.measureId,
    valueId: value.id,
    document: value.document,
    periodLabel: value.periodLabel,
    periodKey: value.periodKey,
    benchmarkGroup: benchmark.group,
    label: benchmark.label,
    amount: benchmark.amount,
    decimals: benchmark.decimals,
    source: "inline",
    recordedBy: actor,
  });
}

async function saveTarget(
  tx: Database,
  actor: string,
  measureId: number,
  group: MeasureGroup,
  period: string,
  key: string,
  text: string,
): Promise<MeasureTarget | null> {
  const target = parseTarget(text);
  const earlier = (await repository.targetsOf(tx, [measureId])).filter(
    (existing) => existing.current && existing.periodKey === key,
  );
  const fromThisDocument = earlier.filter((existing) => existing.document === group.document);
  // The same table pasted again: its target stands, not restated.
  if (fromThisDocument.length === 1 && fromThisDocument[0]?.targetText === text) return null;
  const differing = earlier.find((existing) => existing.targetText.trim() !== text.trim());
  for (const old of fromThisDocument) {
    await repository.retireTarget(tx, old.id);
  }
  const record = await repository.insertTarget(tx, {
    measureId,
    groupId: group.id,
    document: group.document,
    periodLabel: period,
    periodKey: key,
    targetText: text,
    kind: target.kind,
    warnings: [...target.warnings],
    changedFrom: differing ? `${differing.targetText} (${differing.document})` : null,
    recordedBy: actor,
  });
  // A restated target points to the one that replaced it.
  for (const old of fromThisDocument) await repository.markTargetSuperseded(tx, old.id, record.id);
  return record;
}

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

function amountOf(value: ListedValue | null | undefined): number | null {
  return value?.amount === null || value?.amount === undefined ? null : Number(value.amount);
}

/** Reads a target's wording. */
export type TargetReader = (text: string) => Target;

/**
 * A reader for one listing: each wording is read once however many rows share it (a parsed
 * target is immutable). It lives as long as the listing, so nothing is kept between requests.
 */
function targetReader(): TargetReader {
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
function rateAgainstEarlier(
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
function shownColumns(group: MeasureGroup): {
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

function rowRating(
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

/** What the measures list is narrowed to: any of these ratings, one group, a search. */
export interface ListFilters {
  ratings?: readonly string[] | undefined;
  group?: string | undefined;
  search?: string | undefined;
  /** "differs": only rows whose council's printed rating disagrees with Baseplan's for the period shown. */
  printed?: "differs" | undefined;
}

function byMeasure<T extends { measureId: number }>(items: T[]): Map<number, T[]> {
  const grouped = new Map<number, T[]>();
  for (const item of items) {
    const list = grouped.get(item.measureId);
    if (list) list.push(item);
    else grouped.set(item.measureId, [item]);
  }
  return grouped;
}

/** A measure's row in a table, waiting for its figures. */
interface ListedEntry {
  measure: Measure;
  group: MeasureGroup;
  row: { titleAsWritten: string; printedRating: string | null };
  shown: ReturnType<typeof shownColumns>;
  figures: repository.ListedFigures;
  /** The council's printed rating for the period shown (see printedFor). */
  printed: string | null;
}

function printsRatings(group: MeasureGroup): boolean {
  return group.columns.some((column) => column.role === "rating");
}

/**
 * Which printed rating a row of a table shows: the one the table printed for the period the row's
 * figures are for, from the ratings kept by period (docs/decisions/0025-printed-ratings-by-period.md);
 * a table without a period keeps its rating on the row only, so that one. Null where the table
 * printed none for the period, or prints no ratings.
 */
function printedFor(
  group: MeasureGroup,
  rowRating: string | null,
  printed: readonly Pick<PrintedRating, "groupId" | "periodKey" | "ratingText" | "current" | "id">[],
): string | null {
  if (!printsRatings(group)) return null;
  const { key } = shownColumns(group);
  if (key === "") return rowRating?.trim() ? rowRating : null;
  const found = printed
    .filter((one) => one.current && one.groupId === group.id && one.periodKey === key)
    .sort((a, b) => b.id - a.id)[0];
  return found?.ratingText ?? null;
}

/**
 * How the council's printed rating compares with Baseplan's rating (its label): see
 * printedRatingAgreement. Null where nothing was printed.
 */
export function councilRatingAgreement(
  printed: string | null,
  baseplanLabel: string,
  scheme: RatingScheme = DEFAULT_SCHEME,
): "agrees" | "differs" | "other key" | null {
  return agreementInScheme(scheme, printed, baseplanLabel);
}

/** What a rated row says of the council's printed rating, beside Baseplan's rating. */
function printedParts(
  group: MeasureGroup,
  printed: string | null,
  computedLabel: string,
  scheme: RatingScheme,
) {
  return {
    printedRating: printed,
    printedPeriod: shownColumns(group).period || null,
    printsRatings: printsRatings(group),
    printedAgreement: councilRatingAgreement(printed, computedLabel, scheme),
  };
}

const EMPTY_FIGURES: repository.ListedFigures = { latest: null, target: null, previous: null };

/** One string per distinct request, to read each set of figures once. */
function requestKey(...parts: (string | number)[]): string {
  return JSON.stringify(parts);
}

/**
 * Every table as the documents print it, rated. Reads only what each row shows and rates: the
 * value for the period its table shows, the value recorded before it, the target beside it, the
 * benchmarks of those two periods and any earlier value a target names, so the cost grows with
 * the rows listed, not with the years of values behind them. The ratings are those of rowRating
 * over the whole history (the measure's page), which the tests compare.
 */
export async function listMeasureGroups(db: Database): Promise<GroupListing[]> {
  const { groups, rows, measures } = await repository.listingFrame(db);
  const measuresById = new Map(measures.map((measure) => [measure.id, measure]));
  const rowsOf = new Map<number, typeof rows>();
  for (const row of rows) {
    const list = rowsOf.get(row.groupId);
    if (list) list.push(row);
    else rowsOf.set(row.groupId, [row]);
  }
  const layout: { group: MeasureGroup; rows: (ListedEntry | { subHeading: string })[] }[] = [];
  const entries: ListedEntry[] = [];
  const requests: repository.FigureRequest[] = [];
  const requestIndex = new Map<string, number>();
  const entryRequest: number[] = [];
  for (const group of groups) {
    const shown = shownColumns(group);
    const listed: (ListedEntry | { subHeading: string })[] = [];
    for (const row of rowsOf.get(group.id) ?? []) {
      const measure = row.measureId === null ? undefined : measuresById.get(row.measureId);
      // A row of an archived measure (the listing reads only current measures) is left out.
      if (row.measureId !== null && !measure) continue;
      if (!measure) {
        listed.push({ subHeading: row.titleAsWritten });
        continue;
      }
      const request = {
        measureId: measure.id,
        document: group.document,
        periodKey: shown.key,
        columnRole: shown.columnRole,
        targetKey: shown.targetKey,
      };
      const key = requestKey(measure.id, group.document, shown.key, shown.columnRole, shown.targetKey);
      let index = requestIndex.get(key);
      if (index === undefined) {
        index = requests.push(request) - 1;
        requestIndex.set(key, index);
      }
      const entry: ListedEntry = { measure, group, row, shown, figures: EMPTY_FIGURES, printed: null };
      entries.push(entry);
      entryRequest.push(index);
      listed.push(entry);
    }
    if (listed.length > 0) layout.push({ group, rows: listed });
  }
  const figures = await repository.listedFigures(db, requests);
  for (const [index, entry] of entries.entries()) {
    entry.figures = figures[entryRequest[index] ?? -1] ?? EMPTY_FIGURES;
  }
  // The council's printed rating for the period each row shows, and only that period's.
  const byPeriod = entries.filter((entry) => printsRatings(entry.group) && entry.shown.key !== "");
  const printed = await repository.listedPrintedRatings(
    db,
    byPeriod.map((entry) => ({
      measureId: entry.measure.id,
      groupId: entry.group.id,
      periodKey: entry.shown.key,
    })),
  );
  for (const [index, entry] of byPeriod.entries()) entry.printed = printed[index] ?? null;
  for (const entry of entries) {
    if (printsRatings(entry.group) && entry.shown.key === "" && entry.row.printedRating?.trim()) {
      entry.printed = entry.row.printedRating;
    }
  }
  const scheme = await ratingScheme(db);
  const ratings = await rateListedEntries(db, entries, scheme);
  return layout.map(({ group, rows: listed }) => ({
    group,
    rows: listed.map((item) => {
      if (!("measure" in item)) return item;
      const rating = ratings.get(item) as MeasureRating;
      return {
        measure: item.measure,
        titleAsWritten: item.row.titleAsWritten,
        ...printedParts(item.group, item.printed, rating.meta.label, scheme),
        latest: item.figures.latest,
        target: item.figures.target,
        rating,
      };
    }),
  }));
}

/**
 * Rates listed rows from their figures, reading the benchmarks of the periods compared and the
 * earlier values ratings ask for. Which earlier periods a target names ("improve on 2019/20") is
 * known only once it is read, so a rating that asks for a value not yet read is rated again once
 * it has been (rating is pure, so the second rating is the one the whole history would give).
 */
async function rateListedEntries(
  db: Database,
  entries: ListedEntry[],
  scheme: RatingScheme,
): Promise<Map<ListedEntry, MeasureRating>> {
  const published = await publishedFiguresFor(db, [...new Set(entries.map((entry) => entry.measure.id))]);
  const readTarget = targetReader();
  const benchmarkRequests = new Map<string, { measureId: number; periodKey: string }>();
  const ownValues = new Map<string, ListedValue | null>();
  let wanted = new Map<string, repository.EarlierRequest>();
  const want = (measureId: number, document: string, key: string) => {
    const id = requestKey(measureId, document, key);
    if (!ownValues.has(id)) wanted.set(id, { measureId, document, columnRole: "value", periodKey: key });
  };
  for (const entry of entries) {
    const { measure, shown, figures } = entry;
    benchmarkRequests.set(requestKey(measure.id, shown.key), { measureId: measure.id, periodKey: shown.key });
    if (figures.previous) {
      const previousKey = periodKey(figures.previous.periodLabel);
      benchmarkRequests.set(requestKey(measure.id, previousKey), {
        measureId: measure.id,
        periodKey: previousKey,
      });
      if (previousKey !== shown.key) want(measure.id, entry.group.document, previousKey);
    }
  }
  const benchmarksByMeasure = byMeasure(
    await repository.listedBenchmarks(db, [...benchmarkRequests.values()]),
  );
  const ratings = new Map<ListedEntry, MeasureRating>();
  let pending = entries;
  while (pending.length > 0) {
    const asked = [...wanted.entries()];
    const found = await repository.earlierValues(
      db,
      asked.map(([, request]) => request),
    );
    for (const [index, [id]] of asked.entries()) ownValues.set(id, found[index] ?? null);
    wanted = new Map();
    const again: ListedEntry[] = [];
    for (const entry of pending) {
      const { measure, group, shown, figures } = entry;
      let missing = false;
      const ownValue = (key: string): ListedValue | null | undefined => {
        // The values compared are of other periods than the one shown.
        if (key === shown.key) return null;
        const id = requestKey(measure.id, group.document, key);
        const value = ownValues.get(id);
        if (value === undefined) {
          missing = true;
          want(measure.id, group.document, key);
        }
        return value;
      };
      const rating = rateAgainstEarlier(
        measure,
        figures.latest,
        figures.target,
        shown.period,
        { previous: figures.previous ?? undefined, ownValue },
        benchmarksByMeasure.get(measure.id) ?? [],
        published.get(measure.id),
        false,
        readTarget,
        scheme,
      );
      if (missing) again.push(entry);
      else ratings.set(entry, rating);
    }
    pending = again;
  }
  return ratings;
}

function rowAnswers(row: RatedRow, filters: ListFilters): boolean {
  return (
    filters.search === undefined ||
    answersSearch(filters.search, {
      titles: [row.titleAsWritten, row.measure.title, ...row.measure.otherTitles],
      code: row.measure.code,
    })
  );
}

/**
 * The same listing narrowed by rating, group and search, without reading or rating anything
 * again. A group's sub-headings stay only while nothing narrows the rows under them.
 */
export function filterListings(listings: GroupListing[], filters: ListFilters): GroupListing[] {
  const ratings = filters.ratings ?? [];
  if (!filters.group && ratings.length === 0 && !filters.search && !filters.printed) return listings;
  const filtered: GroupListing[] = [];
  for (const listing of listings) {
    if (filters.group && String(listing.group.id) !== filters.group) continue;
    const rows = listing.rows.filter((row) =>
      "measure" in row
        ? (ratings.length === 0 || ratings.includes(row.rating.rating)) &&
          (!filters.printed || row.printedAgreement === filters.printed) &&
          rowAnswers(row, filters)
        : ratings.length === 0 && !filters.search && !filters.printed,
    );
    if (rows.length > 0) filtered.push({ group: listing.group, rows });
  }
  return filtered;
}

/**
 * How many rows the group and search leave whose council's printed rating, for the period the row
 * shows, disagrees with Baseplan's on the same key (what the "printed=differs" filter would show).
 */
export function printedDisagreementCount(
  listings: GroupListing[],
  filters: Pick<ListFilters, "group" | "search">,
): number {
  return ratedRowCount(
    filterListings(listings, { group: filters.group, search: filters.search, printed: "differs" }),
  );
}

/** How many rated rows a listing holds. */
export function ratedRowCount(listings: readonly GroupListing[]): number {
  return listings.reduce((sum, listing) => sum + listing.rows.filter((row) => "measure" in row).length, 0);
}

/**
 * For the list's filter: how many rows have each rating, and how many are off target, among those
 * the group and search leave (so each count says what ticking that rating would show).
 */
export function ratingCounts(
  listings: GroupListing[],
  filters: Pick<ListFilters, "group" | "search">,
): { byRating: Map<string, number>; offTarget: number } {
  const byRating = new Map<string, number>(RATINGS.map((meta) => [meta.key, 0]));
  let offTarget = 0;
  for (const listing of filterListings(listings, { group: filters.group, search: filters.search })) {
    for (const row of listing.rows) {
      if (!("measure" in row)) continue;
      byRating.set(row.rating.rating, (byRating.get(row.rating.rating) ?? 0) + 1);
      if (isOffTarget(row.rating.meta.colour)) offTarget += 1;
    }
  }
  return { byRating, offTarget };
}

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
  evidences: { deliverables: EvidencedDeliverable[]; outcomes: EvidencedOutcome[] };
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

/** A measure's current values in date order, as its trend chart: "Q4 2023/24" before "Q1 2024/25", Sep before Dec. */
function currentInDateOrder(values: readonly MeasureValue[]): MeasureValue[] {
  return values
    .filter((value) => value.current)
    .sort((a, b) => comparePeriodLabels(a.periodKey, b.periodKey) || a.id - b.id);
}

export async function measurePage(db: Database, id: number): Promise<MeasurePage> {
  const measure = await repository.findMeasure(db, id);
  if (!measure) throw new NotFound(`Measure ${id}`);
  const [allValues, allTargets, rows, groups, benchmarks, evidences, printed] = await Promise.all([
    repository.valuesOf(db, [id]),
    repository.targetsOf(db, [id]),
    repository.rowsOfMeasure(db, id),
    repository.listGroups(db),
    repository.benchmarksOf(db, [id]),
    repository.evidencesOf(db, id),
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
    evidences,
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

function groupedBy<T>(items: readonly T[], key: (item: T) => number | null): Map<number, T[]> {
  const grouped = new Map<number, T[]>();
  for (const item of items) {
    const id = key(item);
    if (id === null) continue;
    const list = grouped.get(id);
    if (list) list.push(item);
    else grouped.set(id, [item]);
  }
  return grouped;
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

export { ratingMeta };

// ---------------------------------------------------------------------------------------------
// A measure's details

export interface DetailsInput {
  measureId: number;
  version: number;
  details: MeasureDetails;
}

const DETAIL_LABELS: Record<keyof MeasureDetails, string> = {
  title: "Title",
  code: "Code",
  definition: "Definition",
  unit: "Unit",
  decimals: "Decimal places",
  polarity: "Which direction is good",
  frequency: "Frequency",
  basis: "Period basis",
  source: "Source",
  owner: "Owner",
};

function shown(value: string | number | null | undefined): string {
  return value === null || value === undefined || value === "" ? "(none)" : String(value);
}

/** Changes a measure's title, unit, polarity and other details; audited and version-checked. */
export async function editMeasureDetails(db: Database, actor: string, input: DetailsInput): Promise<Measure> {
  return db.transaction(async (tx) => {
    const before = await repository.findMeasure(tx, input.measureId);
    if (!before) throw new NotFound(`Measure ${input.measureId}`);
    const after = await repository.updateMeasureIfVersion(
      tx,
      before.id,
      input.version,
      repository.measureDetailsUpdate(input.details),
    );
    if (!after) {
      throw new Conflict(
        `The details of "${before.title}"`,
        (Object.keys(DETAIL_LABELS) as (keyof MeasureDetails)[]).map((key) => ({
          label: DETAIL_LABELS[key],
          saved: shown(before[key]),
          submitted: shown(input.details[key]),
        })),
        `/measures/${before.id}`,
      );
    }
    const changed = (Object.keys(DETAIL_LABELS) as (keyof MeasureDetails)[]).filter(
      (key) => before[key] !== after[key],
    );
    await recordAuditEvent(tx, {
      actor,
      action: "update",
      entityType: "measure",
      entityId: after.id,
      summary:
        changed.length === 0
          ? `Saved the details of "${after.title}" unchanged`
          : `Changed the ${changed.map((key) => DETAIL_LABELS[key].toLowerCase()).join(", ")} of "${after.title}"`,
      before,
      after,
    });
    return after;
  });
}

// ---------------------------------------------------------------------------------------------
// Edits: a new value or target replaces the current one, which is kept as history.

export interface EditInput {
  measureId: number;
  recordId: number;
  version: number;
  text: string;
}

export async function editValue(db: Database, actor: string, input: EditInput): Promise<MeasureValue> {
  return db.transaction(async (tx) => {
    const measure = await repository.findMeasure(tx, input.measureId);
    const old = await repository.findValue(tx, input.recordId);
    if (!measure || !old || old.measureId !== measure.id) throw new NotFound(`Value ${input.recordId}`);
    const retired = await repository.retireValueIfVersion(tx, old.id, input.version);
    if (!retired || !old.current) {
      throw new Conflict(
        `The ${old.columnHeading} value of "${measure.title}"`,
        [
          {
            label: "Value as written",
            saved: old.current ? old.cellText : "(replaced by a later value)",
            submitted: input.text,
          },
        ],
        `/measures/${measure.id}`,
      );
    }
    const understood = understandCell(input.text, {
      unit: measure.unit,
      columnPeriod: old.periodLabel,
      columnHeading: old.columnHeading,
    });
    const { id: _id, version: _version, recordedAt: _at, supersededBy: _by, ...kept } = old;
    const replacement = await repository.insertValue(tx, {
      ...kept,
      cellText: input.text,
      amount: understood.amount === null ? null : String(understood.amount),
      decimals: understood.decimals,
      status: understood.status,
      ...storedPeriod(input.text, old.periodLabel),
      annotations: understood.annotations,
      warnings: understood.warnings,
      current: true,
      recordedBy: actor,
    });
    await repository.markValueSuperseded(tx, old.id, replacement.id);
    await repository.retireBenchmarksOfValues(tx, [old.id]);
    await saveInlineBenchmark(tx, actor, replacement, understood.benchmark);
    await recordAuditEvent(tx, {
      actor,
      action: "restate",
      entityType: "measure-value",
      entityId: replacement.id,
      record: { kind: "measure", id: measure.id },
      summary: `Changed the ${old.columnHeading} value of "${measure.title}" from "${old.cellText}" to "${input.text}"`,
      before: old,
      after: replacement,
    });
    return replacement;
  });
}

export async function editTarget(db: Database, actor: string, input: EditInput): Promise<MeasureTarget> {
  return db.transaction(async (tx) => {
    const measure = await repository.findMeasure(tx, input.measureId);
    const old = await repository.findTarget(tx, input.recordId);
    if (!measure || !old || old.measureId !== measure.id) throw new NotFound(`Target ${input.recordId}`);
    const retired = await repository.retireTargetIfVersion(tx, old.id, input.version);
    if (!retired || !old.current) {
      throw new Conflict(
        `The ${old.periodLabel} target of "${measure.title}"`,
        [
          {
            label: "Target as written",
            saved: old.current ? old.targetText : "(replaced by a later target)",
            submitted: input.text,
          },
        ],
        `/measures/${measure.id}`,
      );
    }
    const target = parseTarget(input.text);
    const { id: _id, version: _version, recordedAt: _at, supersededBy: _by, ...kept } = old;
    const replacement = await repository.insertTarget(tx, {
      ...kept,
      targetText: input.text,
      kind: target.kind,
      warnings: [...target.warnings],
      changedFrom: old.targetText === input.text ? old.changedFrom : `${old.targetText} (edited)`,
      current: true,
      recordedBy: actor,
    });
    await repository.markTargetSuperseded(tx, old.id, replacement.id);
    await recordAuditEvent(tx, {
      actor,
      action: "update",
      entityType: "measure-target",
      entityId: replacement.id,
      record: { kind: "measure", id: measure.id },
      summary: `Changed the ${old.periodLabel} target of "${measure.title}" from "${old.targetText}" to "${input.text}"`,
      before: old,
      after: replacement,
    });
    return replacement;
  });
}

// ---------------------------------------------------------------------------------------------
// What the documents read of the measures as stored: through this service, never the repository.

export {
  findMeasures,
  listGroups,
  listMeasures,
  listRows,
  type MeasureRow,
  targetsOf,
  valuesOf,
} from "./measures.repository.ts";

// ---------------------------------------------------------------------------------------------
// Values entered for a monitoring period

/** The document an entered value belongs to: Baseplan's own entry, not a council document's table. */
export const ENTERED_DOCUMENT = "entered";

export interface PeriodValueInput {
  measureId: number;
  period: MonitoringPeriod;
  /** The value as the officer writes it: "87.2%", "909", "N/Av". */
  text: string;
  status: ValueStatus;
  notes: string | null;
  /** The entered value for the period the form was opened on, or null when it had none. */
  replacing: { id: number; version: number } | null;
}

/** Refuses a period that is not open for entry (the periods module's rule, handed in). */
export type OpenPeriodCheck = (db: Database, period: MonitoringPeriod) => Promise<unknown>;

/** The current value entered for a measure and period, which a new entry for it restates. */
export async function enteredValueFor(
  db: Database,
  measureId: number,
  period: MonitoringPeriod,
): Promise<MeasureValue | null> {
  const key = periodKey(monitoringPeriodLabel(period));
  const [current] = await repository.currentValuesFor(db, measureId, ENTERED_DOCUMENT, key, "value");
  return current ?? null;
}

/**
 * Records a measure's value for a monitoring period. A value is added, never overwritten: a
 * second entry for the same period is a restatement, and the one it replaces stays in the
 * history. Refused, with nothing saved, for a period that is not open, for words that are
 * neither a figure nor a data status, and when someone else entered a value for the period
 * after the form was opened. Audited.
 */
export async function recordPeriodValue(
  db: Database,
  actor: string,
  input: PeriodValueInput,
  requireOpen: OpenPeriodCheck,
): Promise<MeasureValue> {
  return db.transaction(async (tx) => {
    await requireOpen(tx, input.period);
    const measure = await repository.findMeasure(tx, input.measureId);
    if (!measure) throw new NotFound(`Measure ${input.measureId}`);
    await requireOwnerOf(tx, actor, "measure", measure.id);
    const label = monitoringPeriodLabel(input.period);
    const understood = understandCell(input.text, {
      unit: measure.unit,
      columnPeriod: label,
      columnHeading: label,
    });
    if (understood.status === "unparsed" || understood.status === "blank") {
      throw new ValidationFailed([
        {
          field: "value",
          message: `"${input.text}" is not a figure or a data status: enter the value like 87.2%, 909 or N/Av`,
        },
      ]);
    }
    const current = await enteredValueFor(tx, measure.id, input.period);
    const stale =
      (current?.id ?? null) !== (input.replacing?.id ?? null) ||
      (current !== null &&
        input.replacing !== null &&
        (await repository.retireValueIfVersion(tx, current.id, input.replacing.version)) === null);
    if (stale) {
      throw new Conflict(
        `The ${label} value of "${measure.title}"`,
        [{ label: "Value as written", saved: current?.cellText ?? "(none)", submitted: input.text }],
        `/measures/${measure.id}/values/new?period=${monitoringPeriodKey(input.period)}`,
        current ? { actor: current.recordedBy, at: current.recordedAt } : undefined,
      );
    }
    const provisional = input.status === "provisional" && !understood.annotations.includes("Provisional");
    const value = await repository.insertValue(tx, {
      measureId: measure.id,
      groupId: null,
      document: ENTERED_DOCUMENT,
      columnHeading: label,
      columnRole: "value",
      periodLabel: label,
      periodKey: periodKey(label),
      cellText: input.text,
      amount: understood.amount === null ? null : String(understood.amount),
      decimals: understood.decimals,
      status: understood.status,
      ...storedPeriod(input.text, label),
      annotations: provisional ? [...understood.annotations, "Provisional"] : understood.annotations,
      warnings: understood.warnings,
      notes: input.notes,
      recordedBy: actor,
    });
    if (current) await repository.markValueSuperseded(tx, current.id, value.id);
    await recordAuditEvent(tx, {
      actor,
      action: current ? "restate" : "create",
      entityType: "measure-value",
      entityId: value.id,
      record: { kind: "measure", id: measure.id },
      summary: current
        ? `Restated the ${label} value of "${measure.title}" from "${current.cellText}" to "${input.text}"`
        : `Recorded the ${label} value of "${measure.title}": "${input.text}"`,
      before: current ?? null,
      after: value,
    });
    return value;
  });
}

/** Whether a measure is reported in a period: monthly measures every month, quarterly ones each quarter. */
export function measureDueIn(measure: Pick<Measure, "frequency">, period: MonitoringPeriod): boolean {
  const frequency = (measure.frequency ?? "").trim().toLowerCase();
  if (frequency === "monthly") return true;
  return frequency === "quarterly" && (period.kind === "quarter" || isQuarterEnd(period));
}

export interface PeriodMeasureItem {
  measure: Measure;
  value: MeasureValue | null;
}

/** The measures due in a period, each with the value recorded for it (entered or from a document), or null. */
export async function periodMeasures(db: Database, period: MonitoringPeriod): Promise<PeriodMeasureItem[]> {
  const due = (await repository.listCurrentMeasures(db)).filter((measure) => measureDueIn(measure, period));
  if (due.length === 0) return [];
  const key = periodKey(monitoringPeriodLabel(period));
  // The period's own values only, the first recorded for each measure that is not blank.
  const values = groupedBy(
    await repository.currentValuesForPeriods(
      db,
      due.map((measure) => measure.id),
      [key],
    ),
    (value) => value.measureId,
  );
  return due.map((measure) => ({
    measure,
    value:
      values
        .get(measure.id)
        ?.find((value) => value.columnRole !== "target" && value.cellText.trim() !== "") ?? null,
  }));
}

export interface PeriodMeasureRating extends PeriodMeasureItem {
  /** The target set for the period itself, else for its financial year, or null. */
  target: MeasureTarget | null;
  rating: MeasureRating;
}

/**
 * The period keys before `key` in date order, latest first, in runs of keys that sort as the same
 * date (two spellings of one period): a run is read whole, so "the latest" is the same whichever
 * spelling a value used.
 */
function runsBefore(keys: readonly string[], key: string): string[][] {
  const before = keys
    .filter((candidate) => comparePeriodLabels(candidate, key) < 0)
    .sort((a, b) => comparePeriodLabels(b, a));
  const runs: string[][] = [];
  for (const candidate of before) {
    const run = runs.at(-1);
    const first = run?.[0];
    if (run && first !== undefined && comparePeriodLabels(first, candidate) === 0) run.push(candidate);
    else runs.push([candidate]);
  }
  return runs;
}

/**
 * The periods a target names whose own value it compares with ("Improve on 2019/20"), by key:
 * with the previous like period, the only earlier values a rating looks up.
 */
function namedPeriodKeys(target: MeasureTarget | null): string[] {
  if (!target) return [];
  const parsed = parseTarget(target.targetText);
  return parsed.kind === "baseline" && parsed.period !== null ? [periodKey(parsed.period)] : [];
}

/**
 * Each measure's comparable values before a period that its rating can use, in date order: every
 * value of the latest earlier period it has a figure for (the previous like period, for direction
 * of travel) and of the periods its target names. What `rateFromStored` makes of them is the same
 * as from the measure's whole history, which is not read: the periods are walked back from the
 * latest, a few at a time, only for the measures still without an earlier figure.
 */
async function earlierValuesFor(
  db: Database,
  targets: ReadonlyMap<number, MeasureTarget | null>,
  key: string,
): Promise<Map<number, MeasureValue[]>> {
  const found = new Map<number, MeasureValue[]>();
  const runs = runsBefore(await repository.currentValuePeriodKeys(db), key);
  const readKeys = new Map<number, Set<string>>();
  let waiting = [...targets.keys()];
  for (let at = 0, size = 1; at < runs.length && waiting.length > 0; at += size, size *= 2) {
    const keys = runs.slice(at, at + size).flat();
    const values = groupedBy(
      await repository.currentValuesForPeriods(db, waiting, keys, { comparable: true }),
      (value) => value.measureId,
    );
    for (const [id, list] of values) {
      found.set(id, list);
      readKeys.set(id, new Set(keys));
    }
    waiting = waiting.filter((id) => !values.has(id));
  }
  // The periods a rating looks up by label that the walk did not read whole.
  const earlierKeys = new Set(runs.flat());
  const wanted = new Map<number, string[]>();
  for (const [id, target] of targets) {
    const previous = currentInDateOrder(found.get(id) ?? []).at(-1);
    const labels = [...(previous ? [periodKey(previous.periodLabel)] : []), ...namedPeriodKeys(target)];
    const missing = labels.filter((label) => earlierKeys.has(label) && !readKeys.get(id)?.has(label));
    if (missing.length > 0) wanted.set(id, missing);
  }
  if (wanted.size > 0) {
    const extra = await repository.currentValuesForPeriods(
      db,
      [...wanted.keys()],
      [...new Set([...wanted.values()].flat())],
      {
        comparable: true,
      },
    );
    for (const value of extra) {
      if (!wanted.get(value.measureId)?.includes(value.periodKey)) continue;
      const list = found.get(value.measureId);
      if (list) list.push(value);
      else found.set(value.measureId, [value]);
    }
  }
  const ordered = new Map<number, MeasureValue[]>();
  for (const [id, list] of found) ordered.set(id, currentInDateOrder(list));
  return ordered;
}

/**
 * The measures due in a period with the value recorded for it, the target that applies (the
 * period's own, else its financial year's) and the rating Baseplan works out from the two, for a
 * period whose report has no measures table imported from a document. Reads the period's values,
 * the applicable targets and the earlier values a rating compares with: not the whole history.
 */
export async function periodMeasureRatings(
  db: Database,
  period: MonitoringPeriod,
): Promise<PeriodMeasureRating[]> {
  const items = await periodMeasures(db, period);
  if (items.length === 0) return [];
  const ids = items.map((item) => item.measure.id);
  const label = monitoringPeriodLabel(period);
  const keys = [periodKey(label), periodKey(financialYearLabel(period.startYear))];
  const targetsOf = groupedBy(
    await repository.currentTargetsForPeriods(db, ids, keys),
    (target) => target.measureId,
  );
  const targets = new Map(
    items.map((item): [number, MeasureTarget | null] => {
      const own = targetsOf.get(item.measure.id) ?? [];
      return [
        item.measure.id,
        keys.map((key) => own.find((candidate) => candidate.periodKey === key)).find(Boolean) ?? null,
      ];
    }),
  );
  const earlier = await earlierValuesFor(db, targets, keys[0] ?? "");
  const scheme = await ratingScheme(db);
  return items.map((item) => {
    const target = targets.get(item.measure.id) ?? null;
    const rating = rateFromStored(
      item.measure,
      item.value,
      target,
      label,
      earlier.get(item.measure.id) ?? [],
      [],
      undefined,
      false,
      parseTarget,
      scheme,
    );
    return { ...item, target, rating };
  });
}

/** The printed ratings these measures' tables give now (not those later editions superseded). */
export async function currentPrintedRatingsOf(
  db: Database,
  measureIds: readonly number[],
): Promise<PrintedRating[]> {
  return (await repository.printedRatingsOf(db, measureIds)).filter((one) => one.current);
}

/**
 * The rating the council's tables printed for a measure in one table for one period (its label),
 * the latest recorded; null where that table printed none for the period.
 */
export function printedInTable(
  printed: readonly PrintedRating[],
  measureId: number,
  groupId: number,
  periodLabel: string,
): string | null {
  const key = periodKey(periodLabel);
  const found = printed
    .filter(
      (one) => one.current && one.measureId === measureId && one.groupId === groupId && one.periodKey === key,
    )
    .sort((a, b) => b.id - a.id)[0];
  return found?.ratingText ?? null;
}

/**
 * The rating the council's tables printed for each of these measures for one period (a period's
 * key, "Q2 2031/32"), the latest recorded where several tables printed one; measures with none
 * for the period are absent. For a report of that period (docs/decisions/0027-printed-ratings-in-lists-and-reports.md).
 */
export async function printedRatingsForPeriod(
  db: Database,
  measureIds: readonly number[],
  key: string,
): Promise<Map<number, PrintedRating>> {
  const found = new Map<number, PrintedRating>();
  for (const one of await repository.printedRatingsOf(db, [...new Set(measureIds)])) {
    if (!one.current || one.periodKey !== key) continue;
    const kept = found.get(one.measureId);
    if (!kept || kept.id < one.id) found.set(one.measureId, one);
  }
  return found;
}

/**
 * The measures the council marks public and has not archived, by title: the public pages show
 * these, each with its figures for published periods only.
 */
export function publicMeasures(db: Database): Promise<Measure[]> {
  return repository.listPublicMeasures(db);
}
