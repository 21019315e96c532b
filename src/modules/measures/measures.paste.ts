/**
 * Reads a measure table as an officer pastes it from Word or Excel: tab-separated cells, one
 * line per row. Copying from a document brings its page breaks along, so this also undoes what
 * the copy did, and says so: separator lines of dashes and blank lines are dropped, and a line
 * with an empty first cell after the rows have started is the rest of a cell that a page break
 * split over two lines, joined back onto the row above.
 *
 * The demo loader reads the seed tables through this same function, so pasting a seed table
 * gives exactly the demo rows. Nothing here guesses: cells come back word for word.
 *
 * The 2024-25 refresh lists its measures instead of tabling them: one per line, "- Title (target
 * for 2024-25 increase from 2023-24)". A paste with no tabs where a line carries "(target for
 * ...)" or "(baseline to be established ...)" is read as that list, giving the same columns and
 * rows as the table form (a "Target 2024-25" column holding the phrase after "target for 2024-25").
 */
import { splitMeasureWithTarget } from "../../domain/targets.ts";

export interface PastedColumn {
  /** The header rows joined: "Actual 2018/19", "Target", "2018/2019". */
  heading: string;
  role: "value" | "latest" | "target" | "rating";
  /** The period label as written in the heading, or the table's latest period for "Target". */
  period: string | null;
}

export interface CellJoin {
  /** Index into the row's cells. */
  column: number;
  /** The pieces as they were pasted, before joining. */
  parts: string[];
}

export interface PastedRow {
  /** The line of the pasted text the row starts on (1-based), for messages. */
  line: number;
  kind: "measure" | "sub-heading";
  title: string;
  /** The cells after the title, one per column, exactly as written ("" where empty). */
  cells: string[];
  /** Cells a page break split over lines and that were joined back. */
  joins: CellJoin[];
  /** What reading the row noticed (list form: a target for another year than the column's). */
  notes?: string[];
}

export interface PastedFootnote {
  marker: string;
  text: string;
}

export interface PastedTable {
  columns: PastedColumn[];
  rows: PastedRow[];
  /** The key line ("Key: AD Awaiting Data; ..."), when it was pasted with the table. */
  key: string | null;
  footnotes: PastedFootnote[];
}

const SEPARATOR = /^[\s-]*-[\s-]*$/;
const PERIOD_IN_HEADING = /\d{4}(?:\s*[/-]\s*\d{2,4})?/;
const FOOTNOTE = /^([*^²³¹]+(?:\s*\^?[A-Z²³¹])?)\s*(.+)$/u;

function roleOf(heading: string): PastedColumn["role"] {
  if (/target/i.test(heading)) return "target";
  if (/latest/i.test(heading)) return "latest";
  if (/performance|rating|rag/i.test(heading)) return "rating";
  return "value";
}

/**
 * Columns from the header rows. A heading with no year ("Target", "Performance") is for the
 * latest period in the table, as in the quarterly report where the last year is the one being
 * monitored; that column's role is "latest" when another column has no year.
 */
export function columnsFromHeaders(headerRows: string[][]): PastedColumn[] {
  const width = Math.max(0, ...headerRows.map((row) => row.length - 1));
  const headings: string[] = [];
  for (let index = 1; index <= width; index += 1) {
    headings.push(
      headerRows
        .map((row) => (row[index] ?? "").trim())
        .filter((part) => part !== "")
        .join(" "),
    );
  }
  const columns: PastedColumn[] = headings.map((heading) => ({
    heading,
    role: roleOf(heading),
    period: PERIOD_IN_HEADING.exec(heading)?.[0] ?? null,
  }));
  const undated = columns.filter((column) => column.period === null);
  if (undated.length > 0) {
    const dated = columns.filter((column) => column.period !== null);
    const latest = dated.at(-1);
    if (latest && latest.role === "value" && dated.length > 1) latest.role = "latest";
    for (const column of undated) column.period = latest?.period ?? null;
  }
  return columns;
}

function isHeaderLine(cells: string[], rowsStarted: boolean): boolean {
  if (rowsStarted) return false;
  const first = (cells[0] ?? "").trim();
  return first === "" || /^key performance measures?$/i.test(first);
}

/** Joins the piece of a cell a page break pushed onto the next line. */
function joinCell(before: string, after: string): string {
  const opens = (after.match(/\(/g) ?? []).length;
  const closes = (after.match(/\)/g) ?? []).length;
  // "0.05 (Dec 20 - cumulative)" + "over academic year)": the first ")" was the copy's, not the officer's.
  const head = closes > opens && before.endsWith(")") ? before.slice(0, -1) : before;
  return `${head.trimEnd()} ${after.trim()}`;
}

const BULLET = /^\s*[-\u2022*\u2013]\s+/;

/** A paste with no tabs in which some line gives a measure with its target in brackets. */
function isMeasureList(lines: string[]): boolean {
  if (lines.some((line) => line.includes("\t"))) return false;
  return lines.some((line) => line.trim() !== "" && splitMeasureWithTarget(line).targetText !== null);
}

/** Reads the refresh's list form into the same columns and rows as its table form. */
function parseMeasureList(lines: string[]): PastedTable {
  const rows: PastedRow[] = [];
  const split = lines.map((line) => (line.trim() === "" ? null : splitMeasureWithTarget(line)));
  const period =
    split.find((item) => item?.targetPeriod)?.targetPeriod ??
    split.map((item) => PERIOD_IN_HEADING.exec(item?.targetPhrase ?? "")?.[0]).find(Boolean) ??
    null;
  const column: PastedColumn = {
    heading: period ? `Target ${period}` : "Target",
    role: "target",
    period,
  };
  split.forEach((item, index) => {
    const raw = lines[index] ?? "";
    if (item === null || SEPARATOR.test(raw)) return;
    const listed = BULLET.test(raw) || item.targetText !== null;
    if (!listed) {
      // Headings above the list ("Key Performance Measures", "Outcome 2") are not rows; one
      // between rows is a sub-heading, as in the table form.
      if (rows.length > 0)
        rows.push({ line: index + 1, kind: "sub-heading", title: raw.trim(), cells: [], joins: [] });
      return;
    }
    const notes: string[] = [];
    if (item.targetPeriod && period && item.targetPeriod !== period) {
      notes.push(
        `Row ${index + 1}: the target is for ${item.targetPeriod} but the list's targets are for ${period}; it is kept in the ${column.heading} column as written.`,
      );
    }
    rows.push({
      line: index + 1,
      kind: "measure",
      title: item.title,
      cells: [item.targetPhrase ?? ""],
      joins: [],
      ...(notes.length > 0 ? { notes } : {}),
    });
  });
  while (rows.at(-1)?.kind === "sub-heading") rows.pop();
  return { columns: [column], rows, key: null, footnotes: [] };
}

export function parsePastedTable(text: string): PastedTable {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  if (isMeasureList(lines)) return parseMeasureList(lines);
  const headerRows: string[][] = [];
  const rows: PastedRow[] = [];
  const footnotes: PastedFootnote[] = [];
  let key: string | null = null;
  lines.forEach((raw, index) => {
    const line = raw.replace(/\s+$/, "");
    if (line.trim() === "" || SEPARATOR.test(line)) return;
    const cells = line.split("\t");
    if (cells.length === 1) {
      const only = line.trim();
      if (/^key\b/i.test(only)) {
        key = only;
        return;
      }
      const footnote = rows.length > 0 ? FOOTNOTE.exec(only) : null;
      if (footnote) {
        footnotes.push({ marker: (footnote[1] ?? "").replace(/\s+/g, ""), text: (footnote[2] ?? "").trim() });
        return;
      }
      if (isHeaderLine(cells, rows.length > 0)) {
        headerRows.push(cells);
        return;
      }
      rows.push({ line: index + 1, kind: "sub-heading", title: only, cells: [], joins: [] });
      return;
    }
    if (isHeaderLine(cells, rows.length > 0)) {
      headerRows.push(cells);
      return;
    }
    const previous = rows.at(-1);
    if ((cells[0] ?? "").trim() === "" && previous && previous.kind === "measure") {
      cells.slice(1).forEach((piece, column) => {
        if (piece.trim() === "") return;
        const join = previous.joins.find((existing) => existing.column === column);
        if (join) join.parts.push(piece.trim());
        else previous.joins.push({ column, parts: [previous.cells[column] ?? "", piece.trim()] });
        previous.cells[column] = joinCell(previous.cells[column] ?? "", piece);
      });
      return;
    }
    rows.push({ line: index + 1, kind: "measure", title: cells[0] ?? "", cells: cells.slice(1), joins: [] });
  });
  const columns = columnsFromHeaders(headerRows);
  for (const row of rows) {
    if (row.kind !== "measure") continue;
    while (row.cells.length < columns.length) row.cells.push("");
  }
  return { columns, rows, key, footnotes };
}
