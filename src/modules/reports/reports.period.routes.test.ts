import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import ExcelJS from "exceljs";
import type { FastifyInstance } from "fastify";
import JSZip from "jszip";
import { testApp } from "../../../test/helpers/app.ts";
import { buildRecordedQuarter, type RecordedQuarter } from "../../../test/helpers/builders.ts";
import { freshDatabase, type TestDatabase } from "../../../test/helpers/database.ts";
import { readPdf } from "../../../test/helpers/pdf.ts";
import { skipWithoutChromium, testChromium } from "../../../test/helpers/programs.ts";
import type { SharedChromium } from "../../reports/chromium.ts";

/** A quarter 4 of a made-up council, entered through the services, reported in every format. */
describe("the quarterly report of a period entered here, in every format", () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let chromium: SharedChromium;
  let recorded: RecordedQuarter;

  before(async () => {
    database = await freshDatabase("pglite");
    recorded = await buildRecordedQuarter(database.db, { startYear: 2030, quarter: 4 });
    chromium = testChromium();
    app = await testApp(database.db, {}, chromium);
  });
  after(async () => {
    await app.close();
    await chromium.close();
    await database.close();
  });

  test("/reports lists the opened quarter with its state and its report in each format", async () => {
    const page = await app.inject("/reports");
    assert.equal(page.statusCode, 200);
    assert.match(
      page.body,
      /<a class="govuk-link" href="\/reports\/quarterly\/2030-31\/q4">Performance and budget monitoring, quarter 4 2030\/31<\/a><\/h3>\s*<p[^>]*>Open for entry/,
    );
    for (const format of ["docx", "xlsx", "pdf"]) {
      assert.match(page.body, new RegExp(`href="/reports/quarterly/2030-31/q4\\.${format}"`));
    }
  });

  test("the page shows the quarter's progress, measure value and forecast", async () => {
    const page = await app.inject("/reports/quarterly/2030-31/q4");
    assert.equal(page.statusCode, 200);
    for (const expected of [recorded.narrative, recorded.measure, "87.5%", recorded.line, "4.765", "0.565"]) {
      assert.ok(page.body.includes(expected), expected);
    }
    assert.match(page.body, /No financial risks have been entered for this period\./);
  });

  test("Word has the figures", async () => {
    const response = await app.inject("/reports/quarterly/2030-31/q4.docx");
    assert.equal(response.statusCode, 200);
    const zip = await JSZip.loadAsync(response.rawPayload);
    const xml = (await zip.file("word/document.xml")?.async("string")) ?? "";
    const words = xml.replace(/<[^>]+>/g, "");
    for (const expected of [recorded.narrative, recorded.measure, "87.5%", recorded.line, "4.765", "0.565"]) {
      assert.ok(words.includes(expected), expected);
    }
  });

  test("Excel has the figures as numbers", async () => {
    const response = await app.inject("/reports/quarterly/2030-31/q4.xlsx");
    assert.equal(response.statusCode, 200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
    const cells: unknown[] = [];
    workbook.eachSheet((sheet) => sheet.eachRow((row) => row.eachCell((cell) => cells.push(cell.value))));
    assert.ok(cells.includes(recorded.line));
    assert.ok(cells.includes(recorded.measure));
    assert.ok(cells.includes(4_765_000), "the forecast in pounds");
    assert.ok(cells.includes(565_000), "the overspend in pounds");
  });

  test("PDF has the figures", { skip: skipWithoutChromium() }, async () => {
    const response = await app.inject("/reports/quarterly/2030-31/q4.pdf");
    assert.equal(response.statusCode, 200);
    const { text } = await readPdf(response.rawPayload);
    for (const expected of [recorded.measure, "87.5%", recorded.line, "4.765", "0.565"]) {
      assert.ok(text.includes(expected), expected);
    }
  });
});
