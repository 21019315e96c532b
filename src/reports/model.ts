/**
 * A report, built once from the services as format-neutral data. The HTML, Word, Excel and PDF
 * renderers only walk this model; they never query the database and never compute a figure.
 */
import type { RatingKey } from "./rating-key.ts";

export interface Report {
  title: string;
  subtitle?: string;
  /** Lines under the title: council, committee, date, authors. */
  meta: string[];
  sections: ReportSection[];
}

export interface ReportSection {
  id: string;
  title: string;
  /** Start the section on a new page when printed (an appendix). */
  newPage?: boolean;
  blocks: Block[];
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
export interface TableCell {
  text: string;
  value?: number;
  rating?: RatingKey;
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
}

export interface ChartBlock {
  kind: "chart";
  id: string;
  title: string;
  /** The text alternative: what the chart shows, in a sentence or two. */
  description: string;
  unit: string;
  bars: ChartBar[];
  /** The chart's data as a table, shown under it on the page and in the documents. */
  table: TableBlock;
}

export interface KeyBlock {
  kind: "key";
  items: { rating: RatingKey; label: string }[];
}

export function paragraph(text: string, warning = false): ParagraphBlock {
  return warning ? { kind: "paragraph", text, warning } : { kind: "paragraph", text };
}

export function textCell(text: string): TableCell {
  return { text };
}

export function numberCell(text: string, value: number | undefined): TableCell {
  return value === undefined ? { text } : { text, value };
}
