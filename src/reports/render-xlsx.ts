import ExcelJS from "exceljs";
import { chartPng, chartSize } from "../charts/charts.ts";
import { RATING_FILLS } from "../domain/rating-key.ts";
import { sheetName } from "../web/sheet-names.ts";
import { spreadsheetWidths, wrappedLines } from "./column-widths.ts";
import type { ChartBlock, Report, TableBlock, TableCell, TotalRef } from "./model.ts";

const NUMBER_FORMATS: Record<string, string> = {
  pounds: '"£"#,##0;-"£"#,##0',
  millions: "#,##0.000;-#,##0.000",
  // Two trailing commas scale by a million: the cell holds exact pounds and shows £m.
  "pounds-millions": "#,##0.000,,;-#,##0.000,,",
  percent: '0.0"%"',
  number: "#,##0.###",
};

function columnLetter(index: number): string {
  let letter = "";
  let n = index + 1;
  while (n > 0) {
    const remainder = (n - 1) % 26;
    letter = String.fromCharCode(65 + remainder) + letter;
    n = Math.floor((n - 1) / 26);
  }
  return letter;
}

/** A cell's value for Excel: the number where there is one, lines joined by line breaks. */
function cellValue(cell: TableCell, format: string): string | number {
  if (format !== "text" && format !== "rating" && cell.value !== undefined) return cell.value;
  if (cell.lines && cell.lines.length > 0) {
    const bulleted = (index: number) => cell.bullets === true && !(cell.lead === true && index === 0);
    return cell.lines.map((line, index) => (bulleted(index) ? `• ${line}` : line)).join("\n");
  }
  return cell.text;
}

/**
 * A number format that keeps the words written around a figure ("Approx. Lifetime costs
 * 150,000.00"): the cell still holds the number, so the column adds up, and shows the words too.
 */
export function withWords(format: string, cell: TableCell): string {
  if (cell.value === undefined) return format;
  const match = /^(.*?)[£(-]*(\d[\d,]*(?:\.\d+)?)\)?%?(.*)$/s.exec(cell.text.trim());
  // Only where the figure in the words is the cell's number: anything else is left as it was.
  if (!match || Number(match[2]?.replace(/,/g, "")) !== Math.abs(cell.value)) return format;
  // Quotes cannot be escaped inside a number format's literal text, so they are left out.
  const [before, after] = [match[1] ?? "", match[3] ?? ""].map((words) => words.replace(/"/g, "").trim());
  if (!before && !after) return format;
  return format
    .split(";")
    .map((section) => `${before ? `"${before} "` : ""}${section}${after ? `" ${after}"` : ""}`)
    .join(";");
}

function addTableSheet(
  workbook: ExcelJS.Workbook,
  table: TableBlock,
  name: string,
  landscape: boolean,
): void {
  // A landscape section's tables print landscape; the rest landscape too where they are wide
  // (more than about 90 characters across, or more than three columns).
  const widths = spreadsheetWidths(table);
  const across = widths.reduce((sum, width) => sum + width, 0);
  const orientation = landscape || table.columns.length > 3 || across > 90 ? "landscape" : "portrait";
  const sheet = workbook.addWorksheet(name, {
    pageSetup: { paperSize: 9, orientation, fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
    views: [{ state: "frozen", ySplit: 2 }],
  });
  sheet.addRow([table.caption]).font = { bold: true, size: 12 };
  const header = sheet.addRow(table.columns.map((column) => column.heading));
  header.font = { bold: true };
  sheet.pageSetup.printTitlesRow = "2:2";
  const firstDataRow = 3;
  for (const row of table.rows) {
    const added = sheet.addRow(
      row.cells.map((cell, index) => cellValue(cell, table.columns[index]?.format ?? "text")),
    );
    // A rating's cell is filled in its colour, as in Word; its word is the cell's text.
    row.cells.forEach((cell, index) => {
      if (cell.rating === undefined) return;
      added.getCell(index + 1).fill = {
        type: "pattern",
        pattern: "solid",
        fgColor: { argb: `FF${RATING_FILLS[cell.rating]}` },
      };
    });
  }
  const lastDataRow = firstDataRow + table.rows.length - 1;
  const firstTotalRow = lastDataRow + 1;
  for (const total of table.totals ?? []) {
    const added = sheet.addRow(
      total.cells.map((cell, index) => {
        const format = table.columns[index]?.format ?? "text";
        const numeric =
          format === "pounds" || format === "millions" || format === "pounds-millions" || format === "number";
        const letter = columnLetter(index);
        // A total is a live formula; its cached result is the figure the report shows.
        if (numeric && cell.value !== undefined && total.sumOfRows && table.rows.length > 0) {
          return { formula: `SUM(${letter}${firstDataRow}:${letter}${lastDataRow})`, result: cell.value };
        }
        if (numeric && cell.value !== undefined && cell.fromTotals) {
          const at = (ref: TotalRef) =>
            typeof ref === "number"
              ? `${letter}${firstTotalRow + ref}`
              : `${columnLetter(ref[1])}${firstTotalRow + ref[0]}`;
          const formula = [
            cell.fromTotals.plus.map(at).join("+"),
            ...(cell.fromTotals.minus ?? []).map((ref) => `-${at(ref)}`),
          ].join("");
          return { formula, result: cell.value };
        }
        return format !== "text" && format !== "rating" && cell.value !== undefined ? cell.value : cell.text;
      }),
    );
    added.font = { bold: true };
  }
  table.columns.forEach((column, index) => {
    const excelColumn = sheet.getColumn(index + 1);
    excelColumn.width = widths[index] ?? 12;
    const format = NUMBER_FORMATS[column.format];
    // Left-aligned words straight after a right-aligned figure would touch it ("81.8%100.0%").
    const previous = table.columns[index - 1];
    const indent = !format && previous && NUMBER_FORMATS[previous.format] ? { indent: 1 } : {};
    // A column's style reaches only cells added after it, so each cell gets it here.
    excelColumn.eachCell({ includeEmpty: false }, (cell, rowNumber) => {
      if (rowNumber < firstDataRow - 1) return;
      if (format && rowNumber >= firstDataRow) {
        const modelCell = table.rows[rowNumber - firstDataRow]?.cells[index];
        cell.numFmt = modelCell ? withWords(format, modelCell) : format;
        cell.alignment = { horizontal: "right", vertical: "top" };
      } else {
        cell.alignment = {
          wrapText: true,
          vertical: "top",
          ...(format ? { horizontal: "right" } : { ...indent }),
        };
      }
    });
  });
  // Rows tall enough for their wrapped text: a spreadsheet does not grow them when it opens a file.
  sheet.eachRow((row, rowNumber) => {
    if (rowNumber < firstDataRow - 1) return;
    let lines = 1;
    row.eachCell((cell, columnNumber) => {
      if (typeof cell.value !== "string") return;
      lines = Math.max(lines, wrappedLines(cell.value, widths[columnNumber - 1] ?? 12));
    });
    if (lines > 1) row.height = 15 * lines;
  });
  // A note runs across the table's width, wrapped, rather than off its right edge.
  for (const note of table.notes ?? []) {
    const row = sheet.addRow([note]);
    if (table.columns.length > 1) sheet.mergeCells(row.number, 1, row.number, table.columns.length);
    row.getCell(1).alignment = { wrapText: true, vertical: "top" };
    row.height = 15 * wrappedLines(note, across);
  }
}

/** The widest a chart's picture is set on its sheet, in pixels: about half a laptop's screen. */
const CHART_WIDTH = 640;

/**
 * A chart's picture on its data's sheet, under the table (so the sheet prints no wider than
 * before): its title above it, its text alternative in words below it, since a picture in a
 * spreadsheet has no text of its own to read. No wider than the table's columns.
 */
function addChartPicture(workbook: ExcelJS.Workbook, sheet: ExcelJS.Worksheet, chart: ChartBlock): void {
  const columns = Math.max(1, chart.table.columns.length);
  const characters = sheet.columns.slice(0, columns).reduce((sum, column) => sum + (column.width ?? 9), 0);
  const size = chartSize(chart);
  // A column's width in characters is about 7 pixels each, and 5 more.
  const scale = Math.min(1, CHART_WIDTH / size.width, (characters * 7 + 5 * columns) / size.width);
  const width = Math.round(size.width * scale);
  const height = Math.round(size.height * scale);
  const titleRow = sheet.addRow([]);
  sheet.addRow([`Chart: ${chart.title}`]).font = { bold: true };
  // ExcelJS types its buffer as its own ArrayBuffer-like interface; it takes Node's Buffer.
  const buffer = chartPng(chart) as unknown as ExcelJS.Image["buffer"];
  const image = workbook.addImage({ buffer, extension: "png" });
  sheet.addImage(image, { tl: { col: 0, row: titleRow.number + 1 }, ext: { width, height } });
  // Rows under the picture are the default 20 pixels tall; the description follows them.
  const below = titleRow.number + 2 + Math.ceil(height / 20);
  const description = sheet.getRow(below);
  description.getCell(1).value = chart.description;
  if (columns > 1) sheet.mergeCells(below, 1, below, columns);
  description.getCell(1).alignment = { wrapText: true, vertical: "top" };
  description.height = 15 * wrappedLines(chart.description, characters);
}

/**
 * Excel: a sheet per table (a chart's sheet its data table and its picture), numbers stored as numbers with
 * number formats, totals as SUM formulas with cached results, frozen header rows, A4.
 */
export async function renderXlsx(report: Report): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "Baseplan";
  workbook.title = report.title;
  const used = new Set<string>();
  const contents = workbook.addWorksheet("Contents", {
    pageSetup: { paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
  used.add("contents");
  for (const line of report.header ?? []) contents.addRow([line]);
  const titleRow = contents.addRow([report.title]);
  titleRow.font = { bold: true, size: 14 };
  if (report.subtitle) contents.addRow([report.subtitle]);
  for (const line of report.meta) contents.addRow([line]);
  contents.getColumn(1).width = 72;
  for (const section of report.sections) {
    for (const block of section.blocks) {
      const table = block.kind === "table" ? block : block.kind === "chart" ? block.table : undefined;
      if (!table || table.rows.length === 0) continue;
      const name = sheetName(table.caption, "Table", used);
      addTableSheet(workbook, table, name, section.landscape ?? false);
      const sheet = workbook.getWorksheet(name);
      if (block.kind === "chart" && sheet) addChartPicture(workbook, sheet, block);
      // Each entry links to its sheet.
      const entry = contents.addRow([`${section.title}: ${table.caption} (sheet "${name}")`]);
      entry.getCell(1).value = {
        text: `${section.title}: ${table.caption} (sheet "${name}")`,
        hyperlink: `#'${name.replaceAll("'", "''")}'!A1`,
      };
      entry.getCell(1).font = { color: { argb: "FF1D70B8" }, underline: true };
    }
  }
  contents.eachRow((row) => {
    const text = row.getCell(1).text;
    row.getCell(1).alignment = { wrapText: true, vertical: "top" };
    // The title is set larger: its lines are taller.
    const title = row.number === titleRow.number;
    row.height = (title ? 20 : 15) * wrappedLines(text, title ? 54 : 72);
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
