/**
 * A report, built once from the services as format-neutral data. The HTML, Word, Excel and PDF
 * renderers only walk this model; they never query the database and never compute a figure.
 */
import type { RatingKey } from "../domain/rating-key.ts";

export interface Report {
  /**
   * A committee paper's heading block, printed before its title as the council sets it out:
   * authors, council, committee, meeting date, whose report it is.
   */
  header?: string[];
  title: string;
  subtitle?: string;
  /** Lines under the title: council, department, who the document is from. */
  meta: string[];
  /** The title and the lines under it on a page of their own (a plan's cover); the contents follow. */
  cover?: boolean;
  sections: ReportSection[];
}

export interface ReportSection {
  id: string;
  title: string;
  /** Start the section on a new page when printed (an appendix). */
  newPage?: boolean;
  /**
   * Print the section on landscape A4 pages: its own Word section(s) turned sideways, a named
   * landscape page in the PDF and print stylesheet, landscape Excel sheets for its tables. For
   * wide tables (the 13-column approved budget, the action tables).
   */
  landscape?: boolean;
  /**
   * 2 for a numbered part of the section before it ("2.2 Performance Summary" within "2.
   * Information and Analysis"): its heading, and its sub-headings', one level further down.
   */
  level?: 1 | 2;
  blocks: Block[];
}

/**
 * How far below the report's title a heading sits: a section's 1 (a part's 2), a sub-heading one
 * more, a level-4 sub-heading two more. Word writes it as Heading N; a page as an h(N + 1) under
 * its h1. One rule for every renderer, so no level is skipped in any of them.
 */
export function headingDepth(section: Pick<ReportSection, "level">, block?: SubheadingBlock): number {
  const depth = section.level ?? 1;
  if (block === undefined) return depth;
  return depth + (block.level === 4 ? 2 : 1);
}

export type Block = ParagraphBlock | ListBlock | TableBlock | ChartBlock | KeyBlock | SubheadingBlock;

export interface SubheadingBlock {
  kind: "subheading";
  text: string;
  /** 3 (the default) under a section's title; 4 under a level-3 subheading. */
  level?: 3 | 4;
}

export interface ParagraphBlock {
  kind: "paragraph";
  text: string;
  /** Shown as a warning (a figure that does not reconcile, a flagged value). */
  warning?: boolean;
}

export interface ListBlock {
  kind: "list";
  items: string[];
  /**
   * Each item's depth where the list nests: 0 at the top, 1 for an item under the one before it
   * (a plan's examples under its achievement). Absent, every item is at the top. Every renderer
   * draws one bullet for every depth, set in further for a deeper item.
   */
  levels?: number[];
}

/**
 * "pounds-millions": money shown in £m to 3 decimals, as councils' tables print it, whose `value`
 * is the exact amount in pounds (pence / 100), so a spreadsheet adds the exact figures and shows
 * them in £m through its number format.
 */
export type ColumnFormat =
  | "text"
  | "pounds"
  | "millions"
  | "pounds-millions"
  | "percent"
  | "number"
  | "rating";

export interface TableColumn {
  heading: string;
  format: ColumnFormat;
}

/**
 * A cell as shown, and for numeric columns the exact number behind it (pounds for money, so a
 * spreadsheet can add them; percent as a number of percent) so Excel stores numbers, not text.
 */
/** A total row by its index in `totals`, in the same column or, as `[row, column]`, another. */
export type TotalRef = number | readonly [row: number, column: number];

export interface TableCell {
  text: string;
  /**
   * Several lines in one cell (a deliverable's success measures, a risk's mitigations): a list in
   * HTML, separate paragraphs in Word (bullets where `bullets` is set), line breaks in Excel.
   * When set, `text` is the lines joined, for anything that reads the cell as one string.
   */
  lines?: string[];
  bullets?: boolean;
  /**
   * With `bullets`: the first line leads into the bullets and is not one itself (a deliverable's
   * note before its success measures).
   */
  lead?: boolean;
  value?: number;
  rating?: RatingKey;
  /**
   * In a total row: the other total rows' cells it is worked out from, each by its index in
   * `totals`, in this column or in the column given (`[row, column]`); `minus` subtracted. A
   * spreadsheet writes it as a formula with `value` as its cached result ("Total after use of
   * additional funding" is the total plus the funding).
   */
  fromTotals?: { plus: TotalRef[]; minus?: TotalRef[] };
}

export interface TableRow {
  cells: TableCell[];
  /** A sub-heading row spanning the table (e.g. "Social work workforce stability measures"). */
  heading?: boolean;
}

export interface TableBlock {
  kind: "table";
  id: string;
  caption: string;
  columns: TableColumn[];
  rows: TableRow[];
  /**
   * Total rows. In Excel each numeric total whose `sumOfRows` is set is written as a SUM formula
   * over the rows above, with the displayed value as its cached result.
   */
  totals?: (TableRow & { sumOfRows?: boolean })[];
  notes?: string[];
}

export interface ChartBar {
  category: string;
  series: string;
  value: number;
  /** The value as the report writes it, drawn beside the bar so colour is never needed. */
  label: string;
  /** A count of one rating: the bar is drawn in the rating's colour (its word is the category). */
  rating?: RatingKey;
}

interface ChartBase {
  kind: "chart";
  id: string;
  title: string;
  /** The text alternative: what the chart shows, in a sentence or two. */
  description: string;
  /** The chart's data as a table, shown under it on the page and in the documents. */
  table: TableBlock;
}

/** Horizontal bars, one row per category (and series). The default chart. */
export interface BarChartBlock extends ChartBase {
  chart?: "bar";
  unit: string;
  bars: ChartBar[];
  /** Drawn narrow, its text at full size in a half-width column (the dashboard's). */
  compact?: boolean;
}

export interface ChartPoint {
  period: string;
  value: number;
  /** The value as written ("72.4%"), drawn beside its point. */
  label: string;
  /**
   * Why this point is not comparable with the one before it ("Q3 2020/21 covers a different
   * span from 2019/20"): the line is broken before it and the break labelled, never joined.
   */
  breakBefore?: string;
}

/**
 * Measure trends: values by period, one small panel per series (each with its own scale, so a
 * percentage and a count never share an axis), each point labelled with its value as written.
 */
export interface LineChartBlock extends ChartBase {
  chart: "line";
  /** The periods across the bottom, in order. */
  periods: string[];
  series: { name: string; points: ChartPoint[] }[];
}

/**
 * A timeline (the Base Plan): months across, one labelled row per objective and activity.
 * `start`/`end` are indexes into `months` (inclusive); a row without them has no months given
 * and is drawn with a dashed outline labelled "(months not given)", never as the whole year.
 */
export interface TimelineRow {
  label: string;
  /** An objective's row: bold, its activities beneath it. */
  group?: boolean;
  start?: number;
  end?: number;
  /** The months as written beside the bar ("Apr 2024 – Sep 2024"). */
  when?: string;
}

export interface TimelineChartBlock extends ChartBase {
  chart: "timeline";
  /** Month labels across the top ("Apr 24"), in order. */
  months: string[];
  rows: TimelineRow[];
}

export type ChartBlock = BarChartBlock | LineChartBlock | TimelineChartBlock;

export interface KeyBlock {
  kind: "key";
  items: { rating: RatingKey; label: string }[];
}

/**
 * Under a printed document's contents, which lists its sections without page numbers (decision
 * 0031): what the list is, so no reader looks for numbers that are not there.
 */
export const CONTENTS_NOTE =
  "Each title links to its section. The list gives no page numbers; each page is numbered at its foot.";

export function paragraph(text: string, warning = false): ParagraphBlock {
  return warning ? { kind: "paragraph", text, warning } : { kind: "paragraph", text };
}

export function textCell(text: string): TableCell {
  return { text };
}

export function numberCell(text: string, value: number | undefined): TableCell {
  return value === undefined ? { text } : { text, value };
}
