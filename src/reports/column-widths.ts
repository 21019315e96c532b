import type { TableBlock } from "./model.ts";

/**
 * Column widths for a fixed-layout table (Word), from what the columns hold, much as a browser
 * lays out a table: each column at least as wide as its longest word, so no word is broken and no
 * figure wraps; the room left is shared in proportion to how much text each column holds on
 * average, so a column of activities or success measures is wide and "Not set" is narrow.
 */
export interface TextMetrics {
  /** Twips in an em at the table's type size (20 twips a point: 180 at 9 point). */
  em: number;
  /** Twips of cell margin and border per column. */
  padding: number;
  /** Twips a bullet's text is indented by. */
  bulletIndent: number;
}

/** A word wider than this (a long URL) may break rather than widen its column further. */
const WIDEST_WORD_EMS = 10;
/** A column's average text wider than this wraps rather than asking for more room. */
const WIDEST_LINE_EMS = 30;
/**
 * Ems a spreadsheet column's character of width (the width of "0", 0.56 em in Arial) is counted to
 * hold: a sixth short, as the spreadsheet's own font (Calibri, or a stand-in) may set wider.
 */
const SPREADSHEET_CHARACTER_EMS = 0.56 * (5 / 6);

/** Headings and totals are bold, a little wider than the widths below. */
const BOLD = 1.08;

/**
 * A text's width in ems in Liberation Sans (Arial's metrics), by classes of character: close
 * enough to share out a table's width, never to typeset.
 */
export function textEms(text: string): number {
  let ems = 0;
  for (const character of text) {
    if ("ijl.,;:'!|".includes(character)) ems += 0.25;
    else if ("ftrI()[]-/ ".includes(character)) ems += 0.34;
    else if ("mwMW%@".includes(character)) ems += 0.89;
    else if (/[A-Z]/.test(character)) ems += 0.72;
    else ems += 0.56;
  }
  return ems;
}

const isFigures = (format: string) => format !== "text" && format !== "rating";
const words = (text: string) => text.split(/\s+/);

/**
 * What each column holds, in ems: its widest word (or figure, which never wraps, or heading word),
 * capped for a long URL; its widest and average cell text; and whether it holds a bulleted list.
 */
export function columnEms(
  table: TableBlock,
): { widestWord: number; widestText: number; average: number; bulleted: boolean }[] {
  const rows = [...table.rows, ...(table.totals ?? [])].filter((row) => !row.heading);
  return table.columns.map((column, index) => {
    const texts = rows.flatMap((row) => {
      const cell = row.cells[index];
      if (!cell) return [];
      return cell.lines && cell.lines.length > 0 ? cell.lines : [cell.text];
    });
    const unbroken = [...words(column.heading), ...(isFigures(column.format) ? texts : texts.flatMap(words))];
    return {
      widestWord: Math.min(WIDEST_WORD_EMS, Math.max(0, ...unbroken.map(textEms))) * BOLD,
      widestText: Math.max(0, ...texts.map(textEms)),
      average: texts.length === 0 ? 0 : texts.reduce((sum, text) => sum + textEms(text), 0) / texts.length,
      bulleted: rows.some((row) => row.cells[index]?.bullets === true),
    };
  });
}

/**
 * The width of each Excel column, in characters ("0"s): wide enough for its widest text
 * up to 60 characters, longer text wrapping. A sheet has no page width to share (it is
 * printed fitted to the page), so columns need not give way to each other as in Word.
 */
export function spreadsheetWidths(table: TableBlock): number[] {
  return columnEms(table).map((column) => {
    // A bulleted line is written "• line" in its cell.
    const ems =
      Math.max(column.widestWord, Math.min(column.widestText, WIDEST_LINE_EMS)) + (column.bulleted ? 1 : 0);
    return Math.min(60, Math.max(8, Math.ceil(ems / SPREADSHEET_CHARACTER_EMS) + 2));
  });
}

/**
 * How many lines a text takes wrapped in a spreadsheet column `width` characters wide, words kept
 * whole: spreadsheets do not grow a row for wrapped text when they open a file, so the renderer
 * sets each row's height from this.
 */
export function wrappedLines(text: string, width: number): number {
  const capacity = Math.max(1, width - 1) * SPREADSHEET_CHARACTER_EMS;
  let lines = 0;
  for (const paragraph of text.split("\n")) {
    let used = 0;
    lines += 1;
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      const ems = textEms(word);
      const needed = used === 0 ? ems : used + textEms(" ") + ems;
      if (needed <= capacity || used === 0) used = needed;
      else {
        lines += 1;
        used = ems;
      }
    }
  }
  return lines;
}

/** Word's fixed table layout: `available` twips shared among the columns. */
export function columnWidths(table: TableBlock, available: number, metrics: TextMetrics): number[] {
  const wanted = columnEms(table).map((column) => {
    // A bulleted list is indented within its cell.
    const indent = column.bulleted ? metrics.bulletIndent : 0;
    const least = column.widestWord * metrics.em + metrics.padding + indent;
    const ideal = Math.max(
      least,
      Math.min(column.average, WIDEST_LINE_EMS) * metrics.em + metrics.padding + indent,
    );
    return { least, ideal };
  });
  const leastTotal = wanted.reduce((sum, column) => sum + column.least, 0);
  if (leastTotal >= available) {
    return wanted.map((column) => Math.floor((column.least * available) / leastTotal));
  }
  const room = available - leastTotal;
  const asked = wanted.reduce((sum, column) => sum + (column.ideal - column.least), 0);
  if (asked >= room) {
    return wanted.map((column) => Math.floor(column.least + ((column.ideal - column.least) * room) / asked));
  }
  // Every column has its ideal and room is left: shared in proportion to the ideals.
  const idealTotal = wanted.reduce((sum, column) => sum + column.ideal, 0);
  return wanted.map((column) =>
    Math.floor(column.ideal + ((available - idealTotal) * column.ideal) / idealTotal),
  );
}
