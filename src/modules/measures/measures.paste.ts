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
import { type Period, parsePeriod, relativePeriod } from "../../domain/periods.ts";
import { splitMeasureWithTarget } from "../../domain/targets.ts";

export interface PastedColumn {
  /** The header rows joined: "Actual 2018/19", "Target", "2018/2019". */
  heading: string;
  /**
   * What the column holds. "trend", "owner" and "comment" are read and shown, not stored as
   * values: a trend is Baseplan's to work out, an owner and a comment are the row's words.
   */
  role: "value" | "latest" | "target" | "rating" | "trend" | "owner" | "comment";
  /** The period label as written in the heading, or the table's latest period for "Target". */
  period: string | null;
}

/** Options for reading a table. */
export interface PasteOptions {
  /**
   * The period the table reports on, so headings such as "This quarter", "Last period",
   * "Previous month" and "Year to date" name real periods.
   */
  reportingPeriod?: Period | null;
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
  /** The measure's code or reference, where the table has a column for it ("PI 12", "CS03"). */
  code?: string;
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

/** What a heading means, whatever words the council uses for it. */
export type HeadingMeaning = "code" | "title" | PastedColumn["role"];

const CODE_HEADING =
  /^(?:code|ref|ref\.|reference|id|no\.?|kpi (?:ref|code|no\.?|number|id)|pi (?:ref|code|no\.?)|measure (?:code|ref|reference)|indicator (?:code|ref|reference|no\.?))$/i;
const INDICATOR_HEADING = /^(?:indicator|kpi|pi|measure)$/i;
const TITLE_HEADING =
  /^(?:description|title|name|measure (?:title|name|description)|indicator (?:title|name|description)|kpi (?:title|name|description)|performance (?:indicator|measure)|key performance (?:measures?|indicators?))$/i;
const OWNER_HEADING =
  /^(?:directorate|department|service(?: area)?|owner|lead(?: officer)?|responsible (?:officer|service)|portfolio|accountable (?:officer|manager))$/i;
const COMMENT_HEADING = /^(?:comments?|commentary|notes?|narrative|explanation|remarks|update)$/i;
const TREND_HEADING = /^(?:trend|direction(?: of travel)?|dot|travel)$/i;
const RATING_HEADING = /\b(?:status|rag|rating|performance)\b/i;
const RELATIVE_HEADING =
  /\b(?:this|current|last|previous|prior)\s+(?:quarter|qtr|period|month)\b|\byear to date\b|\bytd\b/i;

function roleOf(heading: string): PastedColumn["role"] {
  if (/target/i.test(heading)) return "target";
  if (TREND_HEADING.test(heading)) return "trend";
  if (OWNER_HEADING.test(heading)) return "owner";
  if (COMMENT_HEADING.test(heading)) return "comment";
  if (/latest/i.test(heading)) return "latest";
  if (RATING_HEADING.test(heading)) return "rating";
  return "value";
}

/**
 * What a heading cell means, or null where it reads as none of a table's usual headings (a
 * measure's title, a figure). "Indicator" alone is the code where the table also has a
 * description, and the title where it does not: see `parsePastedTable`.
 */
export function headingMeaning(text: string): HeadingMeaning | "indicator" | null {
  const heading = text.trim().replace(/\s+/g, " ");
  if (heading === "") return null;
  if (CODE_HEADING.test(heading)) return "code";
  if (INDICATOR_HEADING.test(heading)) return "indicator";
  if (TITLE_HEADING.test(heading)) return "title";
  if (/^target\b/i.test(heading)) return "target";
  if (TREND_HEADING.test(heading)) return "trend";
  if (OWNER_HEADING.test(heading)) return "owner";
  if (COMMENT_HEADING.test(heading)) return "comment";
  if (/^(?:status|rag|rag status|rag rating|rating|performance|status \(rag\))$/i.test(heading))
    return "rating";
  if (RELATIVE_HEADING.test(heading)) return "value";
  if (/^(?:actual|outturn|latest|result|value|baseline)\b/i.test(heading)) return "value";
  return null;
}

/**
 * The period a heading names: a quarter or month however written ("Q2 2024-25", "Quarter 3,
 * 2024 to 2025", "Sep 24"), a period relative to the report ("This quarter", "Last period",
 * "Previous month", "Year to date") when the import is made for one, or else a year as the
 * demo's tables write them ("Actual 2018/19").
 */
export function periodInHeading(heading: string, options: PasteOptions = {}): string | null {
  const relative = RELATIVE_HEADING.exec(heading);
  if (relative) {
    const reporting = options.reportingPeriod ?? null;
    if (reporting === null) return null;
    const words = relative[0].toLowerCase();
    const which = /year to date|ytd/.test(words)
      ? "year-to-date"
      : /this|current/.test(words)
        ? "this"
        : "previous";
    return relativePeriod(reporting, which)?.label ?? null;
  }
  const words = heading.trim().split(/\s+/);
  for (let length = Math.min(words.length, 6); length >= 1; length -= 1) {
    for (let start = 0; start + length <= words.length; start += 1) {
      const period = parsePeriod(words.slice(start, start + length).join(" "));
      if (period && (period.kind === "financial-quarter" || period.kind === "month")) return period.label;
    }
  }
  return PERIOD_IN_HEADING.exec(heading)?.[0] ?? null;
}

/**
 * Columns from the header rows. A heading with no year ("Target", "Performance") is for the
 * latest period in the table, as in the quarterly report where the last year is the one being
 * monitored; that column's role is "latest" when another column has no year.
 */
export function columnsFromHeaders(headerRows: string[][], options: PasteOptions = {}): PastedColumn[] {
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
  const columns: PastedColumn[] = headings.map((heading) => {
    const role = roleOf(heading);
    const words = role === "trend" || role === "owner" || role === "comment";
    return { heading, role, period: words ? null : periodInHeading(heading, options) };
  });
  const undated = columns.filter(
    (column) =>
      column.period === null &&
      column.role !== "trend" &&
      column.role !== "owner" &&
      column.role !== "comment",
  );
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
  return first === "" || /^key performance measures?$/i.test(first) || readsAsHeadings(cells);
}

/**
 * A header row by its meaning: its first cell is a code or title heading and most of its cells
 * are headings a council uses ("Indicator | Description | Directorate | Last quarter | ...").
 */
function readsAsHeadings(cells: string[]): boolean {
  const filled = cells.filter((cell) => cell.trim() !== "");
  const first = headingMeaning(cells[0] ?? "");
  if (first !== "code" && first !== "indicator" && first !== "title") return false;
  const known = filled.filter((cell) => headingMeaning(cell) !== null).length;
  return filled.length >= 2 && known * 2 > filled.length;
}

/**
 * Where a table has its own code and title columns (headers read by meaning), the row's title
 * and code come from them and the other columns are the cells.
 */
function placeTitleAndCode(headerRows: string[][], rows: PastedRow[]): string[][] {
  const first = headerRows[0] ?? [];
  const meanings = first.map((cell) => headingMeaning(cell));
  if (!readsAsHeadings(first)) return headerRows;
  const hasTitle = meanings.includes("title");
  const titleIndex = hasTitle ? meanings.indexOf("title") : meanings.indexOf("indicator");
  const codeIndex =
    meanings.indexOf("code") >= 0 ? meanings.indexOf("code") : hasTitle ? meanings.indexOf("indicator") : -1;
  if (titleIndex <= 0 && codeIndex < 0) return headerRows;
  const taken = new Set([titleIndex, codeIndex].filter((index) => index >= 0));
  // Every index but the title's and code's, so a row longer than the header keeps its extra cells.
  const keptOf = (length: number) =>
    Array.from({ length }, (_, index) => index).filter((index) => !taken.has(index));
  const kept = keptOf(Math.max(...headerRows.map((header) => header.length)));
  for (const row of rows) {
    if (row.kind !== "measure") continue;
    const full = [row.title, ...row.cells];
    const rowKept = keptOf(Math.max(full.length, kept.length + taken.size));
    const cellIndexOf = (fullIndex: number): number | null => {
      const position = rowKept.indexOf(fullIndex);
      return position < 0 ? null : position;
    };
    row.title = (full[titleIndex] ?? "").trim();
    if (codeIndex >= 0) row.code = (full[codeIndex] ?? "").trim();
    row.cells = rowKept.map((index) => full[index] ?? "");
    row.joins = row.joins.flatMap((join) => {
      const column = cellIndexOf(join.column + 1);
      return column === null ? [] : [{ ...join, column }];
    });
    row.lineBreaks = row.lineBreaks.map((lineBreak) => {
      const full = lineBreak.column === null ? 0 : lineBreak.column + 1;
      return { ...lineBreak, column: full === titleIndex ? null : cellIndexOf(full) };
    });
  }
  // The header rows as the column reader expects them: a first cell for the title, then the rest.
  return headerRows.map((header) => [header[titleIndex] ?? "", ...kept.map((index) => header[index] ?? "")]);
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

export function parsePastedTable(text: string, options: PasteOptions = {}): PastedTable {
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
  const columns = columnsFromHeaders(placeTitleAndCode(headerRows, rows), options);
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
