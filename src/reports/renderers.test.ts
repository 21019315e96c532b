import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import ExcelJS from "exceljs";
import type { Report } from "./model.ts";
import { renderDocx } from "./render-docx.ts";
import { renderStandaloneHtml } from "./render-html.ts";
import { renderPdf } from "./render-pdf.ts";
import { renderXlsx } from "./render-xlsx.ts";

// A small report in the shape of the quarterly one: a money table with a total, a chart, a key.
const report: Report = {
  title: "Performance and budget monitoring: quarter 3",
  meta: ["Demo County Council", "Cabinet Member for Young People"],
  sections: [
    {
      id: "budget",
      title: "Budget forecast summary",
      blocks: [
        { kind: "paragraph", text: "The forecast is an overspend." },
        {
          kind: "table",
          id: "forecast",
          caption: "Forecast outturn against target budget",
          columns: [
            { heading: "Budget line", format: "text" },
            { heading: "Budget £m", format: "millions" },
            { heading: "Forecast £m", format: "millions" },
            { heading: "Rating", format: "rating" },
          ],
          rows: [
            {
              cells: [
                { text: "Placements" },
                { text: "50.100", value: 50.1 },
                { text: "61.200", value: 61.2 },
                { text: "Action", rating: "action" },
              ],
            },
            {
              cells: [
                { text: "Schools" },
                { text: "70.733", value: 70.733 },
                { text: "73.476", value: 73.476 },
                { text: "Review", rating: "review" },
              ],
            },
          ],
          totals: [
            {
              sumOfRows: true,
              cells: [
                { text: "Total" },
                { text: "120.833", value: 120.833 },
                { text: "134.676", value: 134.676 },
                { text: "" },
              ],
            },
          ],
        },
        {
          kind: "chart",
          id: "forecast-chart",
          title: "Budget against forecast",
          description: "Both lines are forecast to overspend.",
          unit: "£m",
          bars: [
            { category: "Placements", series: "Budget", value: 50.1, label: "50.100" },
            { category: "Placements", series: "Forecast", value: 61.2, label: "61.200" },
          ],
          table: {
            kind: "table",
            id: "forecast-chart-data",
            caption: "Budget against forecast: data",
            columns: [
              { heading: "Line", format: "text" },
              { heading: "Budget £m", format: "millions" },
            ],
            rows: [{ cells: [{ text: "Placements" }, { text: "50.100", value: 50.1 }] }],
          },
        },
      ],
    },
  ],
};

const work = mkdtempSync(join(tmpdir(), "baseplan-render-"));
after(() => rmSync(work, { recursive: true, force: true }));

/** LibreOffice as a council's desktop would open the file; each run has its own profile. */
function libreOffice(file: string, to: string): string {
  const profile = mkdtempSync(join(tmpdir(), "baseplan-lo-"));
  try {
    execFileSync(
      "soffice",
      [`-env:UserInstallation=file://${profile}`, "--headless", "--convert-to", to, "--outdir", work, file],
      { stdio: "pipe", timeout: 120_000 },
    );
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
  return join(
    work,
    file
      .split("/")
      .pop()
      ?.replace(/\.[a-z]+$/, `.${to.split(":")[0]}`) ?? "",
  );
}

test("the Word document opens in LibreOffice and converts to PDF with its figures", async () => {
  const file = join(work, "report.docx");
  writeFileSync(file, await renderDocx(report));
  const pdf = libreOffice(file, "pdf");
  const text = execFileSync("pdftotext", ["-layout", pdf, "-"]).toString();
  assert.match(text, /Budget forecast summary/);
  assert.match(text, /Placements\s+50\.100\s+61\.200\s+Action/);
  assert.match(text, /Total\s+120\.833\s+134\.676/);
});

test("the Excel workbook stores numbers and formula totals whose results equal the displayed totals", async () => {
  const file = join(work, "report.xlsx");
  writeFileSync(file, await renderXlsx(report));
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(readFileSync(file) as unknown as ArrayBuffer);
  const sheet = workbook.worksheets.find((candidate) => candidate.name.startsWith("Forecast outturn"));
  assert.ok(sheet, "a sheet per table");
  assert.equal(sheet.getCell("B3").value, 50.1);
  assert.deepEqual(sheet.getCell("B5").value, { formula: "SUM(B3:B4)", result: 120.833 });
  assert.equal(sheet.views[0]?.state, "frozen");
  assert.equal(sheet.pageSetup.paperSize, 9);
  // LibreOffice recalculates the formulas: its totals must be the report's totals.
  libreOffice(file, "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1");
  const sheetCsv = readdirSync(work).find((name) => name.startsWith("report-Forecast outturn"));
  assert.ok(sheetCsv, "LibreOffice wrote the sheet");
  const csv = readFileSync(join(work, sheetCsv), "utf8");
  assert.match(csv, /Total,120\.833,134\.676/);
});

test("the PDF is A4 with every section and the chart", async () => {
  const html = renderStandaloneHtml(report);
  assert.match(html, /<svg[^>]*role="img"/);
  const file = join(work, "report.pdf");
  writeFileSync(file, await renderPdf(report));
  const info = execFileSync("pdfinfo", [file]).toString();
  assert.match(info, /Page size:\s+59[56](\.\d+)? x 84[12](\.\d+)? pts \(A4\)/);
  const text = execFileSync("pdftotext", ["-layout", file, "-"]).toString();
  assert.match(text, /Budget forecast summary/);
  assert.match(text, /Placements — Forecast/);
});
