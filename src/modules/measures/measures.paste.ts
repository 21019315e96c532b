/**
 * Reads a measure table as an officer pastes it from Word or Excel: tab-separated cells, one
 * line per row. Copying from a document brings its page breaks along, so this also undoes what
 * the copy did, and says so: separator lines of dashes and blank lines are dropped, and a line
 * with an empty first cell after the rows have started is the rest of a cell that a page break
 * split over two lines, joined back onto the row above.
 *
 * Excel wraps a cell holding a line break in double quotes (doubling any quote inside), as
 * RFC 4180 does with commas; such a cell is read whole and its lines joined with a space, and
 * the row says so. Footnotes come from lines that start with a marker ("*New measure ...",
 * "*² Please note ...") and from the key line, where they follow the abbreviations ("...;
 * (p) Provisional *measure subject to change ..."); the key line itself is kept whole.
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

/** A cell Excel quoted because it held a line break; its lines are joined with a space. */
export interface CellLineBreak {
  /** Index into the row's cells, or null for the title. */
  column: number | null;
  /** The cell's lines as they were pasted. */
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
  /** Cells that held a line break in the copy, joined onto one line. */
  lineBreaks: CellLineBreak[];
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
/**
 * A footnote marker: asterisks, then perhaps "^C" or a superscript digit ("*", "*^C", "*²"). A
 * capital after the asterisk is part of the marker only when a space follows it, so "*New
 * measure" is the marker "*" and the text "New measure".
 */
const MARKER = String.raw`(?:\*+(?:\s?\^[A-Z](?=\s|$)|[²³¹]+)?|\^[A-Z](?=\s|$))`;
const FOOTNOTE = new RegExp(`^(${MARKER})\\s*(\\S.*)$`, "u");
/** A marker inside the key line: at its start or after a space or ";". */
const KEY_MARKER = new RegExp(`(?<=^|[\\s;])${MARKER}(?=\\s*\\S)`, "gu");

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
        rows.push({
          line: index + 1,
          kind: "sub-heading",
          title: raw.trim(),
          cells: [],
          joins: [],
          lineBreaks: [],
        });
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
      lineBreaks: [],
      ...(notes.length > 0 ? { notes } : {}),
    });
  });
  while (rows.at(-1)?.kind === "sub-heading") rows.pop();
  return { columns: [column], rows, key: null, footnotes: [] };
}

/** One record of the paste: a line, or several where a quoted cell held line breaks. */
interface PastedRecord {
  /** The line it starts on (1-based). */
  line: number;
  /** The record as pasted, for recognising separator lines. */
  raw: string;
  cells: string[];
  /** Cells (by index into cells, title first) that held line breaks, with their lines. */
  breaks: { index: number; parts: string[] }[];
}

/**
 * Reads a quoted cell starting at `start` (the opening quote): RFC 4180 within tab-separated
 * text. Only a quote closed right before a tab, a line end or the end counts, and every quote
 * inside must be doubled; anything else is a cell that merely starts with a quote mark, and is
 * read as written.
 */
function quotedCell(text: string, start: number): { value: string; end: number } | null {
  let value = "";
  let index = start + 1;
  while (index < text.length) {
    const char = text[index];
    if (char === '"') {
      if (text[index + 1] === '"') {
        value += '"';
        index += 2;
        continue;
      }
      const after = text[index + 1];
      if (after === undefined || after === "\t" || after === "\n") return { value, end: index + 1 };
      return null;
    }
    value += char;
    index += 1;
  }
  return null;
}

function recordsOf(text: string): PastedRecord[] {
  const records: PastedRecord[] = [];
  let line = 1;
  let index = 0;
  while (index <= text.length) {
    const record: PastedRecord = { line, raw: "", cells: [], breaks: [] };
    const recordStart = index;
    for (;;) {
      const quoted = text[index] === '"' ? quotedCell(text, index) : null;
      let cell: string;
      if (quoted) {
        const parts = quoted.value.split("\n");
        if (parts.length > 1) {
          const pieces = parts.map((part) => part.trim()).filter((part) => part !== "");
          record.breaks.push({ index: record.cells.length, parts: pieces });
          line += parts.length - 1;
          cell = pieces.join(" ");
        } else cell = quoted.value;
        index = quoted.end;
      } else {
        let end = index;
        while (end < text.length && text[end] !== "\t" && text[end] !== "\n") end += 1;
        cell = text.slice(index, end);
        index = end;
      }
      record.cells.push(cell);
      if (text[index] === "\t") {
        index += 1;
        continue;
      }
      break;
    }
    record.raw = text.slice(recordStart, index);
    records.push(record);
    index += 1;
    line += 1;
  }
  return records;
}

/** Drops the trailing empty cells a copy leaves ("Title\t\t\t"), as trimming the line would. */
function trimRecord(cells: string[]): string[] {
  const trimmed = [...cells];
  while (trimmed.length > 0 && (trimmed.at(-1) ?? "").trim() === "") trimmed.pop();
  if (trimmed.length > 0) trimmed[trimmed.length - 1] = (trimmed.at(-1) ?? "").trimEnd();
  return trimmed;
}

/** The footnotes written in the key line after its abbreviations, marker split from text. */
export function footnotesInKey(key: string): PastedFootnote[] {
  const markers = [...key.matchAll(KEY_MARKER)];
  return markers.map((match, position) => {
    const start = (match.index ?? 0) + match[0].length;
    const end = markers[position + 1]?.index ?? key.length;
    return {
      marker: match[0].replace(/\s+/g, ""),
      text: key.slice(start, end).trim().replace(/\s*;$/, ""),
    };
  });
}

export function parsePastedTable(text: string): PastedTable {
  const normalised = text.replace(/\r\n?/g, "\n");
  const lines = normalised.split("\n");
  if (isMeasureList(lines)) return parseMeasureList(lines);
  const headerRows: string[][] = [];
  const rows: PastedRow[] = [];
  const footnotes: PastedFootnote[] = [];
  let key: string | null = null;
  for (const record of recordsOf(normalised)) {
    const cells = trimRecord(record.cells);
    if (cells.length === 0 || SEPARATOR.test(record.raw)) continue;
    const lineBreaks: CellLineBreak[] = record.breaks
      .filter((found) => found.index < cells.length)
      .map((found) => ({ column: found.index === 0 ? null : found.index - 1, parts: found.parts }));
    if (cells.length === 1) {
      const only = (cells[0] ?? "").trim();
      if (/^key\b/i.test(only)) {
        key = only;
        footnotes.push(...footnotesInKey(only));
        continue;
      }
      const footnote = rows.length > 0 ? FOOTNOTE.exec(only) : null;
      if (footnote) {
        footnotes.push({ marker: (footnote[1] ?? "").replace(/\s+/g, ""), text: (footnote[2] ?? "").trim() });
        continue;
      }
      if (isHeaderLine(cells, rows.length > 0)) {
        headerRows.push(cells);
        continue;
      }
      rows.push({ line: record.line, kind: "sub-heading", title: only, cells: [], joins: [], lineBreaks });
      continue;
    }
    if (isHeaderLine(cells, rows.length > 0)) {
      headerRows.push(cells);
      continue;
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
      previous.lineBreaks.push(...lineBreaks);
      continue;
    }
    rows.push({
      line: record.line,
      kind: "measure",
      title: cells[0] ?? "",
      cells: cells.slice(1),
      joins: [],
      lineBreaks,
    });
  }
  const columns = columnsFromHeaders(headerRows);
  for (const row of rows) {
    if (row.kind !== "measure") continue;
    while (row.cells.length < columns.length) row.cells.push("");
  }
  return { columns, rows, key, footnotes };
}

const RATING_SYMBOL = /\p{Extended_Pictographic}\uFE0F?/gu;

/**
 * What each coloured symbol in a key line stands for: "Key 🟦 Strong 🟢 Good 🟡 Review 🔴 Action
 * 🟡 Data not available/Target not set" gives 🔴 ["Action"] and 🟡 ["Review", "Data not
 * available/Target not set"] (the seed uses one symbol for both).
 */
export function ratingSymbolsOf(key: string | null): Map<string, string[]> {
  const symbols = new Map<string, string[]>();
  if (key === null) return symbols;
  const found = [...key.matchAll(RATING_SYMBOL)];
  found.forEach((match, position) => {
    const symbol = match[0].replace("\uFE0F", "");
    const start = (match.index ?? 0) + match[0].length;
    const end = found[position + 1]?.index ?? key.length;
    const label = key.slice(start, end);
    // A footnote sharing the key line is not part of the last rating's words.
    const footnoteAt = [...label.matchAll(KEY_MARKER)][0]?.index ?? label.length;
    const words = label.slice(0, footnoteAt).trim().replace(/[;,]$/, "").trim();
    if (words === "") return;
    const meanings = symbols.get(symbol) ?? [];
    if (!meanings.includes(words)) meanings.push(words);
    symbols.set(symbol, meanings);
  });
  return symbols;
}

/** A symbol in a rating cell, as ratingSymbolsOf keys it. */
export function ratingSymbolIn(cell: string): string | null {
  const match = cell.match(new RegExp(RATING_SYMBOL.source, "u"));
  return match ? match[0].replace("\uFE0F", "") : null;
}
