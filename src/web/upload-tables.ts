/**
 * Reads an uploaded .xlsx or .csv file into rows of cell text, the one reader every upload uses
 * (a measure table, budget monitoring), so each refuses the same bad files the same way.
 *
 * What a file must be, and the message when it is not (nothing is saved in any case):
 * - its contents are what its name says (a .xlsx is a zip of the Office Open XML parts; a .csv is
 *   text): a workbook renamed .csv, or a PDF renamed .xlsx, is refused by what it holds;
 * - a workbook that is password-protected (Office stores those encrypted, not as a zip) or
 *   corrupt is refused with that reason;
 * - a cell holding a formula error (#DIV/0!, #REF!, #N/A ...) is refused, naming its sheet cell;
 * - merged cells are refused, naming the ranges, because a merged cell has one value for
 *   several columns and which one is meant cannot be known;
 * - at most MAX_UPLOAD_ROWS rows;
 * - CSV text is UTF-8 (a byte-order mark is removed, and said so), UTF-16 with its byte-order
 *   mark, or else read as Windows-1252, the encoding Excel's plain "CSV" uses, with a warning to
 *   check £ signs and accents.
 */
import { parse as parseCsv } from "csv-parse/sync";

/** The largest file accepted, refused before it is read. */
export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;

/** The most rows one upload may hold. */
export const MAX_UPLOAD_ROWS = 20_000;

/**
 * The rows of an uploaded file, each with its row number in the file (blank rows are left out),
 * or why it cannot be read.
 */
export type UploadedRows =
  | {
      readonly ok: true;
      readonly rows: string[][];
      readonly rowNumbers: number[];
      readonly notes: string[];
    }
  | { readonly ok: false; readonly message: string };

export interface ReadOptions {
  /**
   * How a number in a workbook cell is given: as its format shows it (the default: 0.835 in a
   * "0.0%" cell is "83.5%"), or exactly as stored ("1234.5678", never rounded by a format that
   * shows fewer places), for money read to the penny.
   */
  readonly numbers?: "as-shown" | "exact";
}

const ZIP = [0x50, 0x4b, 0x03, 0x04];
const OLE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

function startsWith(bytes: Uint8Array, signature: readonly number[]): boolean {
  return signature.every((byte, index) => bytes[index] === byte);
}

function refuse(message: string): UploadedRows {
  return { ok: false, message };
}

/** Column letters for a 1-based column number: 1 is A, 28 is AB. */
export function columnLetters(column: number): string {
  let letters = "";
  let rest = column;
  while (rest > 0) {
    const index = (rest - 1) % 26;
    letters = String.fromCharCode(65 + index) + letters;
    rest = Math.floor((rest - 1) / 26);
  }
  return letters;
}

export async function readUploadedRows(
  fileName: string,
  bytes: Uint8Array,
  options: ReadOptions = {},
): Promise<UploadedRows> {
  const name = fileName.trim();
  const extension = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase() ?? "";
  if (bytes.length === 0) return refuse(`The file "${name}" is empty. Choose the file again.`);
  if (bytes.length > MAX_UPLOAD_BYTES) {
    return refuse(`The file "${name}" is larger than 5 MB. Split it into smaller files.`);
  }
  if (extension === "xlsx") {
    if (startsWith(bytes, OLE)) {
      return refuse(
        `The file "${name}" is password-protected or is an old-style Excel file. Remove the password, or save it as an Excel Workbook (.xlsx), and upload it again.`,
      );
    }
    if (!startsWith(bytes, ZIP)) {
      return refuse(
        `The file "${name}" is not an Excel workbook, whatever its name says. Save it as .xlsx or .csv.`,
      );
    }
    return readWorkbook(name, bytes, options.numbers ?? "as-shown");
  }
  if (extension === "csv") {
    if (startsWith(bytes, ZIP) || startsWith(bytes, OLE)) {
      return refuse(
        `The file "${name}" is a workbook, not a CSV file, whatever its name says. Upload it with its .xlsx name, or save it as CSV.`,
      );
    }
    return readCsv(name, bytes);
  }
  return refuse(
    `The file "${name}" is not an .xlsx or .csv file. Save the table as one of those and upload it.`,
  );
}

function decodeCsv(bytes: Uint8Array): { text: string; notes: string[] } {
  if (startsWith(bytes, [0xef, 0xbb, 0xbf])) {
    return {
      text: new TextDecoder("utf-8").decode(bytes.subarray(3)),
      notes: ["The file starts with a byte-order mark (as Excel's CSV UTF-8 writes); it was removed."],
    };
  }
  if (startsWith(bytes, [0xff, 0xfe]) || startsWith(bytes, [0xfe, 0xff])) {
    const label = bytes[0] === 0xff ? "utf-16le" : "utf-16be";
    return {
      text: new TextDecoder(label).decode(bytes.subarray(2)),
      notes: ["The file is in UTF-16 (as Excel's Unicode text writes); it was read as such."],
    };
  }
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(bytes), notes: [] };
  } catch {
    return {
      text: new TextDecoder("windows-1252").decode(bytes),
      notes: [
        "The file is not UTF-8, so it was read as Windows-1252 (Excel's plain CSV). Check £ signs and accented letters in the preview; if they are wrong, save the file as CSV UTF-8 and upload it again.",
      ],
    };
  }
}

function readCsv(name: string, bytes: Uint8Array): UploadedRows {
  const { text, notes } = decodeCsv(bytes);
  if (text.includes("\u0000")) {
    return refuse(
      `The file "${name}" holds binary data, not text. Save the table as CSV and upload it again.`,
    );
  }
  let rows: string[][];
  try {
    rows = parseCsv(text, {
      relax_column_count: true,
      skip_empty_lines: false,
      to_line: MAX_UPLOAD_ROWS + 2,
    });
  } catch (error) {
    const where = error instanceof Error && "lines" in error ? ` (line ${String(error.lines)})` : "";
    const reason =
      error instanceof Error ? error.message.replace(/^Invalid[^:]*:\s*/, "") : "it could not be read";
    return refuse(`The file "${name}" is not a CSV file Baseplan can read${where}: ${reason}`);
  }
  const rowNumbers: number[] = [];
  const filled = rows.filter((row, index) => {
    const kept = row.some((cell) => cell.trim() !== "");
    if (kept) rowNumbers.push(index + 1);
    return kept;
  });
  if (filled.length > MAX_UPLOAD_ROWS + 1) {
    return refuse(
      `The file "${name}" has more than ${MAX_UPLOAD_ROWS.toLocaleString("en-GB")} rows. Split it into smaller files.`,
    );
  }
  if (filled.length === 0) return refuse(`The file "${name}" has no rows.`);
  return { ok: true, rows: filled, rowNumbers, notes };
}

const FORMULA_ERRORS = /^#(?:DIV\/0!|REF!|N\/A|NAME\?|NULL!|NUM!|VALUE!|SPILL!|CALC!|GETTING_DATA)$/;

/** A number as the cell's format shows it: 0.835 in "0.0%" is "83.5%", 12345 in "#,##0" is "12,345". */
function formatNumber(value: number, format: string): string {
  const section = format.split(";")[0] ?? "";
  const decimals = /\.(0+)/.exec(section)?.[1]?.length ?? null;
  const percent = section.includes("%");
  const grouping = section.includes(",");
  const shown = percent ? value * 100 : value;
  if (decimals === null && !percent && !grouping) return String(value);
  const text = new Intl.NumberFormat("en-GB", {
    minimumFractionDigits: decimals ?? 0,
    maximumFractionDigits: decimals ?? 0,
    useGrouping: grouping,
  }).format(shown);
  return percent ? `${text}%` : text;
}

function pad2(n: number): string {
  return String(n).padStart(2, "0");
}

type CellReading = { text: string } | { error: string };

function readCellValue(value: unknown, format: string | null): CellReading {
  if (value === null || value === undefined) return { text: "" };
  if (typeof value === "string") return { text: value };
  if (typeof value === "number")
    return { text: format === null ? String(value) : formatNumber(value, format) };
  if (typeof value === "boolean") return { text: value ? "TRUE" : "FALSE" };
  if (value instanceof Date) {
    return { text: `${pad2(value.getUTCDate())}/${pad2(value.getUTCMonth() + 1)}/${value.getUTCFullYear()}` };
  }
  if (typeof value === "object") {
    const record = value as Record<string, unknown>;
    if (typeof record.error === "string") return { error: record.error };
    if ("formula" in record || "sharedFormula" in record) {
      const result = record.result;
      if (
        result !== null &&
        typeof result === "object" &&
        typeof (result as { error?: unknown }).error === "string"
      ) {
        return { error: (result as { error: string }).error };
      }
      return readCellValue(result, format);
    }
    if (Array.isArray(record.richText)) {
      return {
        text: record.richText.map((part) => String((part as { text?: unknown }).text ?? "")).join(""),
      };
    }
    if (typeof record.text === "string") return { text: record.text };
  }
  return { text: String(value) };
}

async function readWorkbook(
  name: string,
  bytes: Uint8Array,
  numbers: "as-shown" | "exact",
): Promise<UploadedRows> {
  const { default: ExcelJS } = await import("exceljs");
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  } catch {
    return refuse(
      `The file "${name}" is damaged and cannot be opened as a workbook. Open it in Excel, save it again and upload it.`,
    );
  }
  const sheet =
    workbook.worksheets.find((candidate) => candidate.state === "visible") ?? workbook.worksheets[0];
  if (!sheet) return refuse(`The workbook "${name}" has no sheets.`);
  const notes =
    workbook.worksheets.length > 1
      ? [`The workbook has ${workbook.worksheets.length} sheets; only the first, "${sheet.name}", was read.`]
      : [];
  if (sheet.actualRowCount > MAX_UPLOAD_ROWS + 1) {
    return refuse(
      `The sheet "${sheet.name}" in "${name}" has ${sheet.actualRowCount.toLocaleString("en-GB")} rows; at most ${MAX_UPLOAD_ROWS.toLocaleString("en-GB")} can be uploaded at once. Split it into smaller files.`,
    );
  }
  const merges = (sheet.model as { merges?: string[] }).merges ?? [];
  if (merges.length > 0) {
    return refuse(
      `The sheet "${sheet.name}" in "${name}" has merged cells (${merges.slice(0, 5).join(", ")}${merges.length > 5 ? " and more" : ""}). Unmerge them, put each heading in its own cell, and upload it again.`,
    );
  }
  const rows: string[][] = [];
  const rowNumbers: number[] = [];
  const errors: string[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = [];
    for (let column = 1; column <= row.cellCount; column += 1) {
      const cell = row.getCell(column);
      const reading = readCellValue(cell.value, numbers === "exact" ? null : (cell.numFmt ?? ""));
      if ("error" in reading) {
        errors.push(`cell ${columnLetters(column)}${rowNumber} holds the formula error ${reading.error}`);
        cells.push(reading.error);
      } else cells.push(reading.text);
    }
    rows.push(cells);
    rowNumbers.push(rowNumber);
  });
  if (errors.length > 0) {
    return refuse(
      `The sheet "${sheet.name}" in "${name}" has formula errors: ${errors.slice(0, 5).join("; ")}${errors.length > 5 ? `; and ${errors.length - 5} more` : ""}. Correct them in the workbook and upload it again.`,
    );
  }
  const unknownErrors = rows.flat().filter((text) => FORMULA_ERRORS.test(text.trim()));
  if (rows.length === 0) return refuse(`The sheet "${sheet.name}" in "${name}" is empty.`);
  if (unknownErrors.length > 0) {
    notes.push(
      `Some cells hold text that looks like a formula error (${unknownErrors[0]}); they are shown as written.`,
    );
  }
  return { ok: true, rows, rowNumbers, notes };
}
