/**
 * A measure table uploaded as .xlsx or .csv (read by src/web/upload-tables.ts, which refuses a
 * bad file with its reason) becomes the same tab-separated table a paste gives, so an upload goes
 * through exactly the reading, dry run and all-or-nothing save a paste does.
 */
import { readUploadedRows } from "../../web/upload-tables.ts";

export { columnLetters, MAX_UPLOAD_BYTES, MAX_UPLOAD_ROWS } from "../../web/upload-tables.ts";

/**
 * The template for a measure table: the headings Baseplan reads by meaning, and one example row
 * (a made-up measure) to show how each cell is written.
 */
export const MEASURES_TEMPLATE_CSV = [
  "Code,Title,Directorate,Last quarter,This quarter,Target,Status,Trend,Comments",
  'EX1,Percentage of example requests answered within 10 working days,Example directorate,81.0%,83.5%,85%,Amber,Better,"Replace this row with your own measures"',
  "",
].join("\r\n");

export type UploadReading =
  | { readonly ok: true; readonly text: string; readonly rows: number; readonly notes: string[] }
  | { readonly ok: false; readonly message: string };

/** A cell as a paste would carry it: a tab becomes a space; a line break is quoted as Excel quotes it. */
function pasteCell(text: string): string {
  const flat = text.replace(/\t/g, " ").replace(/\r\n?/g, "\n");
  return flat.includes("\n") || flat.startsWith('"') ? `"${flat.replace(/"/g, '""')}"` : flat;
}

function toPasteText(rows: readonly (readonly string[])[]): string {
  return rows.map((row) => row.map(pasteCell).join("\t")).join("\n");
}

/** An uploaded measure table as the tab-separated text a paste gives, or why the file cannot be read. */
export async function readUploadedTable(fileName: string, bytes: Uint8Array): Promise<UploadReading> {
  const reading = await readUploadedRows(fileName, bytes);
  if (!reading.ok) return reading;
  return { ok: true, text: toPasteText(reading.rows), rows: reading.rows.length, notes: reading.notes };
}
