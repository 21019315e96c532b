import "../demo/loaders.ts";
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { eq } from "drizzle-orm";
import ExcelJS from "exceljs";
import { everything } from "../../test/helpers/benchmark-files.ts";
import {
  buildCouncil,
  buildMonitoringYear,
  buildOpenQuarter,
  buildRecordedQuarter,
} from "../../test/helpers/builders.ts";
import { describeOnBothDatabases, TEST_ACTOR } from "../../test/helpers/database.ts";
import { readPdf } from "../../test/helpers/pdf.ts";
import { skipWithoutChromium, testChromium } from "../../test/helpers/programs.ts";
import { measures } from "../db/schema/index.ts";
import { importBenchmarks } from "../modules/benchmarks/benchmarks.import.ts";
import { saveBenchmarkSettings, setMeasureLink } from "../modules/benchmarks/benchmarks.service.ts";
import { setTarget } from "../modules/measures/measures.edit.ts";
import { targetSetSchema } from "../modules/measures/measures.schemas.ts";
import { listRows, saveImport } from "../modules/measures/measures.service.ts";
import { quarterlyReport } from "../modules/reports/reports.service.ts";
import { validForm } from "../web/forms.ts";
import type { Block, Report, TableBlock } from "./model.ts";
import { renderDocx } from "./render-docx.ts";
import { renderStandaloneHtml } from "./render-html.ts";
import { renderPdf } from "./render-pdf.ts";
import { renderXlsx } from "./render-xlsx.ts";

const chromium = testChromium();
after(() => chromium.close());

function blocks(report: Report): Block[] {
  return report.sections.flatMap((section) => section.blocks);
}

/** The judgements' table and the sentence before it, which must say the judgements are Baseplan's. */
function judgementTable(report: Report): TableBlock | undefined {
  const all = blocks(report);
  const index = all.findIndex((block) => block.kind === "table" && block.id.endsWith("-benchmark-targets"));
  if (index < 0) return undefined;
  const lead = all[index - 1];
  assert.ok(lead?.kind === "paragraph");
  assert.match(lead.text, /^Baseplan's assessment of the benchmark targets in this table/);
  const table = all[index];
  assert.ok(table?.kind === "table");
  return table;
}

/** The Department's made-up figures imported, the council is Alphaton (101), the measure linked to WIDG. */
async function linkToWidgets(db: Parameters<typeof importBenchmarks>[0], measureId: number) {
  assert.ok((await importBenchmarks(db, TEST_ACTOR, everything)).ok);
  await saveBenchmarkSettings(db, TEST_ACTOR, { dfeCode: "101", tolerance: "1" });
  await setMeasureLink(db, TEST_ACTOR, measureId, { code: "WIDG", version: 0 });
}

// Alphaton's councils' figures for financial year 2023-24 (WIDG's "2024") are 18.9, 20.1, 20.1 and
// 25 (one suppressed): a council at 87.5% is in the top quartile, and the explanation says so.
const AGAINST = "Judged against Widgets mended (DfE, LAIT), financial year 2023-24.";

describeOnBothDatabases("the quarterly report: benchmark targets judged by Baseplan", (fresh) => {
  test("an entered measure's benchmark target: the verdict, why and the benchmark, in every format", async () => {
    const { db } = await fresh();
    const recorded = await buildRecordedQuarter(db, { startYear: 2023, quarter: 4 });
    const [measure] = await db.select().from(measures).where(eq(measures.title, recorded.measure));
    assert.ok(measure);
    await setTarget(db, TEST_ACTOR, {
      measureId: measure.id,
      form: validForm(targetSetSchema, { period: "Q4 2023/24", target: "top quartile" }),
      replacing: null,
    });
    const plain = await quarterlyReport(db, "2023-24", 4);
    assert.equal(judgementTable(plain), undefined, "nothing is judged before the measure is linked");

    await linkToWidgets(db, measure.id);
    const report = await quarterlyReport(db, "2023-24", 4);
    const table = judgementTable(report);
    assert.ok(table, "the judgements follow the measures table");
    assert.deepEqual(
      table.columns.map((column) => column.heading),
      ["Measure", "Target", "Period", "Baseplan's assessment", "Why (worked out by Baseplan)"],
    );
    assert.equal(table.rows.length, 1);
    const cells = table.rows[0]?.cells ?? [];
    assert.deepEqual(
      cells.slice(0, 3).map((cell) => cell.text),
      [recorded.measure, "top quartile", "Q4 2023/24"],
    );
    assert.ok(cells[3]?.rating, "the rating has its key, and its words beside it");
    assert.notEqual(cells[3]?.rating, "none");
    const why = cells[4]?.text ?? "";
    assert.match(why, /87\.5/, "the explanation gives the council's value");
    assert.match(why, /quartile/i);
    assert.ok(why.endsWith(AGAINST), why);

    const html = renderStandaloneHtml(report);
    assert.match(html, /Baseplan(&#39;|')s assessment of the benchmark targets/);
    assert.ok(html.includes(AGAINST));
    const docx = await renderDocx(report);
    const { default: JSZip } = await import("jszip");
    const xml = (await (await JSZip.loadAsync(docx)).file("word/document.xml")?.async("string")) ?? "";
    assert.ok(xml.includes(AGAINST));
    assert.match(xml, /Baseplan(&apos;|')s assessment of the benchmark targets/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await renderXlsx(report)) as unknown as ArrayBuffer);
    const texts: string[] = [];
    for (const sheet of workbook.worksheets)
      sheet.eachRow((row) => row.eachCell((cell) => texts.push(cell.text)));
    assert.ok(texts.includes("Baseplan's assessment"), "the spreadsheet has the judgements' sheet");
    assert.ok(texts.includes(why));
  });

  test("the judgements in the PDF", { skip: skipWithoutChromium() }, async () => {
    const { db } = await fresh();
    const recorded = await buildRecordedQuarter(db, { startYear: 2023, quarter: 4 });
    const [measure] = await db.select().from(measures).where(eq(measures.title, recorded.measure));
    assert.ok(measure);
    await setTarget(db, TEST_ACTOR, {
      measureId: measure.id,
      form: validForm(targetSetSchema, { period: "Q4 2023/24", target: "top quartile" }),
      replacing: null,
    });
    await linkToWidgets(db, measure.id);
    const report = await quarterlyReport(db, "2023-24", 4);
    const { text } = await readPdf(await renderPdf(report, chromium));
    const flat = text.replace(/\s+/g, " ");
    assert.match(flat, /Baseplan's assessment of the benchmark targets/);
    assert.match(flat, /Why \(worked out by Baseplan\)/);
    // The benchmark is named with its source. Text read from a PDF follows its lines, so a word
    // wrapped onto the same line in a neighbouring cell (words of the measure's title) may fall
    // between them, depending on the Chromium's fonts.
    assert.match(flat, /Judged (\S+ ){0,3}against (\S+ ){0,3}Widgets mended (\S+ ){0,3}\(DfE, LAIT\)/);
  });

  test("a quarter's imported measure table: only that table's benchmark targets are judged", async () => {
    const { db } = await fresh();
    await buildCouncil(db);
    await buildMonitoringYear(db, 2023);
    await buildOpenQuarter(db, 2023, 4);
    await saveImport(db, TEST_ACTOR, {
      text: [
        "Indicator\tDescription\tLast quarter\tThis quarter\tTarget\tStatus",
        "W-1\tWidgets put right\t19.0%\t20.5%\ttop quartile\t",
        "W-3\tWidgets counted\t40\t41\t45\t",
      ].join("\n"),
      document: "quarterly-report-2023-24-q4",
      groupKind: "priority",
      groupTitle: "Widget measures",
      reportingPeriod: "Q4 2023/24",
    });
    const rows = await listRows(db);
    const idOf = (title: string) => rows.find((row) => row.titleAsWritten === title)?.measureId ?? 0;
    await linkToWidgets(db, idOf("Widgets put right"));
    // Linked too, but its target names no benchmark: it is not in the judgements.
    await setMeasureLink(db, TEST_ACTOR, idOf("Widgets counted"), { code: "COUNT", version: 0 });
    const report = await quarterlyReport(db, "2023-24", 4);
    const table = judgementTable(report);
    assert.ok(table);
    assert.equal(table.caption, "Widget measures: benchmark targets (assessed by Baseplan)");
    assert.deepEqual(
      table.rows.map((row) => row.cells.slice(0, 3).map((cell) => cell.text)),
      [["Widgets put right", "top quartile", "Q4 2023/24"]],
    );
    // A pasted measure has no direction yet, so no quartile: the verdict says why, and what it used.
    assert.equal(table.rows[0]?.cells[3]?.rating, "none");
    assert.match(table.rows[0]?.cells[4]?.text ?? "", /no better or worse direction/);
    assert.ok(table.rows[0]?.cells[4]?.text.endsWith(AGAINST));
  });
});
