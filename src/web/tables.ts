import type { IncomingMessage } from "node:http";
import type { FastifyInstance } from "fastify";
import { parseHTML } from "linkedom";
import { type CsvCell, writeCsv } from "../domain/procurement.ts";
import { sheetName } from "./sheet-names.ts";

/**
 * Every table a page shows sits in a box that scrolls sideways on its own (so no page is wider
 * than a phone's screen) and can be downloaded as CSV or Excel exactly as shown, filters
 * included: the download is the page itself, rendered for the same address, with the table read
 * back out of it. `?download=csv&table=2` asks for the page's second table; the two parameters
 * are taken off the address before routing, so no route has to know them.
 */

export type TableFormat = "csv" | "xlsx";

interface TableDownload {
  format: TableFormat;
  index: number;
}

const DOWNLOAD = Symbol("baseplan table download");
type RequestWithDownload = IncomingMessage & { [DOWNLOAD]?: TableDownload };

/** Fastify's `rewriteUrl`: takes `download` and `table` off the address and keeps them aside. */
export function takeTableDownload(request: IncomingMessage): string {
  const url = request.url ?? "/";
  if (!url.includes("download=")) return url;
  const parsed = new URL(url, "http://baseplan.invalid");
  const format = parsed.searchParams.get("download");
  const index = Number(parsed.searchParams.get("table"));
  if ((format !== "csv" && format !== "xlsx") || !Number.isSafeInteger(index) || index < 1) return url;
  parsed.searchParams.delete("download");
  parsed.searchParams.delete("table");
  (request as RequestWithDownload)[DOWNLOAD] = { format, index };
  return `${parsed.pathname}${parsed.search}`;
}

const TABLE = /<table\b([^>]*)>([\s\S]*?)<\/table>/g;
const WRAPPED = /data-bp-table="/;

function textOf(html: string): string {
  return html
    .replace(/<[^>]+>/g, " ")
    .replace(/&nbsp;|\s+/g, " ")
    .trim();
}

function downloadHref(path: string, format: TableFormat, index: number): string {
  const separator = path.includes("?") ? "&amp;" : "?";
  return `${path.replaceAll("&", "&amp;")}${separator}download=${format}&amp;table=${index}`;
}

/**
 * Wraps each table of a page in a focusable region that scrolls sideways, followed by links to
 * download it. A table already wrapped (a page kept by the page cache) is left as it is. With no
 * path (a form's answer to a POST, such as its page of errors, which no address gives again) the
 * tables are boxed the same way but offered for download only on the page's own address.
 */
export function wrapTables(html: string, path: string | null): string {
  if (WRAPPED.test(html)) return html;
  let index = 0;
  let out = "";
  let from = 0;
  for (const match of html.matchAll(TABLE)) {
    const [table, attributes = "", inner = ""] = match;
    const start = match.index ?? 0;
    index += 1;
    const caption = textOf(/<caption\b[^>]*>([\s\S]*?)<\/caption>/.exec(inner)?.[1] ?? "");
    const name = caption || `Table ${index}`;
    const links =
      path === null
        ? ""
        : `<p class="govuk-body-s bp-table-downloads bp-no-print">Download this table` +
          `<span class="govuk-visually-hidden"> (${name})</span>: ` +
          `<a class="govuk-link" href="${downloadHref(path, "csv", index)}" download>CSV</a> or ` +
          `<a class="govuk-link" href="${downloadHref(path, "xlsx", index)}" download>Excel</a></p>`;
    const marked = `<table${attributes} data-bp-table="${index}">${inner}</table>`;
    const before = html.slice(from, start);
    // A table its template already put in a scroll box keeps it; the links go after the box.
    const close = /^\s*<\/div>/.exec(html.slice(start + table.length, start + table.length + 40));
    if (close && /<div class="bp-table-scroll"[^>]*>\s*$/.test(before)) {
      out += `${before}${marked}</div>${links}`;
      from = start + table.length + close[0].length;
      continue;
    }
    const label = `${name}, table${caption ? "" : " on this page"}`;
    out += `${before}<div class="bp-table-scroll" tabindex="0" role="region" aria-label="${label}">${marked}</div>${links}`;
    from = start + table.length;
  }
  return out + html.slice(from);
}

export interface TableCells {
  caption: string;
  rows: string[][];
}

/** The text of a page's nth table (from 1), row by row, as a reader sees it; undefined if none. */
export function readTable(html: string, index: number): TableCells | undefined {
  const { document } = parseHTML(html);
  const table = document.querySelectorAll("table")[index - 1];
  if (!table) return undefined;
  const clean = (text: string | null) => (text ?? "").replace(/\s+/g, " ").trim();
  const rows = [...table.querySelectorAll("tr")].map((row) =>
    [...row.querySelectorAll("th, td")].flatMap((cell) => {
      const span = Math.max(1, Number(cell.getAttribute("colspan") ?? 1) || 1);
      return [clean(cell.textContent), ...Array.from({ length: span - 1 }, () => "")];
    }),
  );
  return { caption: clean(table.querySelector("caption")?.textContent ?? ""), rows };
}

/** A whole number or decimal as displayed ("1,234", "-0.5"); anything else stays text. */
const PLAIN_NUMBER = /^-?\d{1,3}(,\d{3})*(\.\d+)?$|^-?\d+(\.\d+)?$/;

/** Cells as CSV values: plain figures as numbers, everything else as shown. */
export function tableCsvCells(rows: readonly string[][]): CsvCell[][] {
  return rows.map((row) =>
    row.map((cell) => (PLAIN_NUMBER.test(cell) ? Number(cell.replaceAll(",", "")) : cell)),
  );
}

async function tableWorkbook(table: TableCells, fallbackName: string): Promise<Buffer> {
  const { default: ExcelJS } = await import("exceljs");
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "Baseplan";
  const sheet = workbook.addWorksheet(sheetName(table.caption, fallbackName));
  let first = 1;
  if (table.caption) {
    sheet.addRow([table.caption]).font = { bold: true };
    first = 2;
  }
  for (const row of tableCsvCells(table.rows)) sheet.addRow(row);
  sheet.getRow(first).font = { bold: true };
  sheet.views = [{ state: "frozen", ySplit: first }];
  const widest = Math.max(0, ...table.rows.map((row) => row.length));
  for (let column = 1; column <= widest; column += 1) {
    const longest = Math.max(8, ...table.rows.map((row) => Math.min(60, (row[column - 1] ?? "").length)));
    sheet.getColumn(column).width = longest + 2;
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function fileName(path: string, table: TableCells, index: number, format: TableFormat): string {
  const base =
    (
      table.caption ||
      `${path.split("?")[0]?.replace(/^\//, "").replaceAll("/", "-") || "dashboard"}-table-${index}`
    )
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "")
      .slice(0, 80) || "table";
  return `${base}.${format}`;
}

/** Wraps the tables of every HTML page, and answers table downloads from the rendered page. */
export function setUpTables(app: FastifyInstance): void {
  app.addHook("onSend", async (request, reply, payload) => {
    const contentType = String(reply.getHeader("content-type") ?? "");
    if (typeof payload !== "string" || !contentType.startsWith("text/html")) return payload;
    // A form's answer (its errors, a conflict) fits a phone too; its tables have no address to download from.
    if (request.method !== "GET") return request.method === "HEAD" ? payload : wrapTables(payload, null);
    const download = (request.raw as RequestWithDownload)[DOWNLOAD];
    if (!download || reply.statusCode !== 200) return wrapTables(payload, request.url);
    const table = readTable(payload, download.index);
    if (!table) {
      reply.code(404);
      return payload.replace(
        /<main\b[\s\S]*<\/main>/,
        `<main class="govuk-main-wrapper" id="main-content"><h1 class="govuk-heading-l">Page not found</h1><p class="govuk-body">This page has no table ${download.index}.</p></main>`,
      );
    }
    const name = fileName(request.url, table, download.index, download.format);
    reply.header("content-disposition", `attachment; filename="${name}"`);
    if (download.format === "csv") {
      reply.type("text/csv; charset=utf-8");
      return writeCsv([...(table.caption ? [[table.caption]] : []), ...tableCsvCells(table.rows)]);
    }
    reply.type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    return tableWorkbook(table, `Table ${download.index}`);
  });
}
