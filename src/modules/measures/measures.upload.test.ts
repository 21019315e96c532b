import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import ExcelJS from "exceljs";
import type { FastifyInstance } from "fastify";
import { testApp } from "../../../test/helpers/app.ts";
import { buildSetUpCouncil } from "../../../test/helpers/builders.ts";
import { freshDatabase, type TestDatabase } from "../../../test/helpers/database.ts";
import { formSession, multipart } from "../../../test/helpers/forms.ts";
import { parsePastedTable } from "./measures.paste.ts";
import { listMeasures } from "./measures.repository.ts";
import { saveImport } from "./measures.service.ts";
import {
  columnLetters,
  MAX_UPLOAD_ROWS,
  MEASURES_TEMPLATE_CSV,
  readUploadedTable,
} from "./measures.upload.ts";

const HEADER = ["Code", "Title", "Last quarter", "This quarter", "Target", "Status"];

async function workbook(build: (sheet: ExcelJS.Worksheet) => void): Promise<Uint8Array> {
  const book = new ExcelJS.Workbook();
  build(book.addWorksheet("KPIs"));
  return new Uint8Array(await book.xlsx.writeBuffer());
}

async function refused(name: string, bytes: Uint8Array): Promise<string> {
  const reading = await readUploadedTable(name, bytes);
  if (reading.ok) assert.fail(`expected ${name} to be refused`);
  return reading.message;
}

describe("reading an uploaded file", () => {
  test("a workbook's cells come through as the council formatted them, one row a line", async () => {
    const bytes = await workbook((sheet) => {
      sheet.addRow(HEADER);
      const row = sheet.addRow(["R1", "Repairs on time\nall trades", 0.81, 0.835, "85%", "Amber"]);
      row.getCell(3).numFmt = "0.0%";
      row.getCell(4).numFmt = "0.0%";
      const counted = sheet.addRow([
        "R2",
        "Homes let",
        1234,
        { formula: "1200+35", result: 1235 },
        1300,
        "Green",
      ]);
      counted.getCell(3).numFmt = "#,##0";
      counted.getCell(4).numFmt = "#,##0";
    });
    const reading = await readUploadedTable("kpis.xlsx", bytes);
    assert.ok(reading.ok, reading.ok ? "" : reading.message);
    const table = parsePastedTable(reading.text);
    assert.deepEqual(
      table.rows.map((row) => [row.code, row.title, ...row.cells]),
      [
        ["R1", "Repairs on time all trades", "81.0%", "83.5%", "85%", "Amber"],
        ["R2", "Homes let", "1,234", "1,235", "1300", "Green"],
      ],
    );
  });

  test("a CSV with a byte-order mark, and one in Windows-1252, read with a note", async () => {
    const utf8 = new TextEncoder().encode('\ufeffCode,Title,Target\nA1,"Spend, in £",£5\n');
    const withBom = await readUploadedTable("a.csv", utf8);
    assert.ok(withBom.ok);
    assert.equal(withBom.text, "Code\tTitle\tTarget\nA1\tSpend, in £\t£5");
    assert.match(withBom.notes.join(" "), /byte-order mark/);
    const latin = new Uint8Array([...new TextEncoder().encode("Code,Title\nA1,Cost "), 0xa3, 0x35]);
    const windows = await readUploadedTable("b.csv", latin);
    assert.ok(windows.ok);
    assert.match(windows.text, /Cost £5/);
    assert.match(windows.notes.join(" "), /Windows-1252/);
  });

  test("bad files are refused with what is wrong and where", async () => {
    assert.match(
      await refused("kpis.xlsx", new TextEncoder().encode("Code,Title\n")),
      /not an Excel workbook/,
    );
    assert.match(
      await refused("kpis.xlsx", new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0])),
      /password-protected/,
    );
    assert.match(await refused("kpis.xlsx", new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3])), /damaged/);
    const book = await workbook((sheet) => sheet.addRow(HEADER));
    assert.match(await refused("kpis.csv", book), /a workbook, not a CSV file/);
    assert.match(await refused("kpis.pdf", book), /not an \.xlsx or \.csv/);
    assert.match(await refused("kpis.csv", new Uint8Array()), /empty/);
    assert.match(await refused("kpis.csv", new TextEncoder().encode('Code,Title\nA1,"unclosed\n')), /line/);

    const withError = await workbook((sheet) => {
      sheet.addRow(HEADER);
      sheet.addRow(["R1", "Rate", 1, { formula: "1/0", result: { error: "#DIV/0!" } }, 2, "Red"]);
    });
    assert.match(await refused("kpis.xlsx", withError), /cell D2 holds the formula error #DIV\/0!/);

    const merged = await workbook((sheet) => {
      sheet.addRow(["Code", "Quarter 3", "", "Target"]);
      sheet.mergeCells("B1:C1");
    });
    assert.match(await refused("kpis.xlsx", merged), /merged cells \(B1:C1\)/);
  });

  test("a sheet with more rows than an upload may hold is refused, saying how many", async () => {
    const text = [
      "Code,Title,Value",
      ...Array.from({ length: MAX_UPLOAD_ROWS + 1 }, (_, i) => `C${i},M${i},${i}`),
    ].join("\n");
    assert.match(await refused("big.csv", new TextEncoder().encode(text)), /more than 20,000 rows/);
  });

  test("column letters", () => {
    assert.deepEqual([1, 26, 27, 28, 702, 703].map(columnLetters), ["A", "Z", "AA", "AB", "ZZ", "AAA"]);
  });

  test("the template's example row reads as a measure with its code, values, target and rating", async () => {
    const reading = await readUploadedTable("template.csv", new TextEncoder().encode(MEASURES_TEMPLATE_CSV));
    assert.ok(reading.ok);
    const table = parsePastedTable(reading.text);
    assert.deepEqual(
      table.columns.map((column) => column.role),
      ["owner", "value", "value", "target", "rating", "trend", "comment"],
    );
    assert.equal(table.rows[0]?.code, "EX1");
  });
});

describe("upload pages", () => {
  let database: TestDatabase;
  let app: FastifyInstance;

  before(async () => {
    database = await freshDatabase("pglite");
    await buildSetUpCouncil(database.db);
    app = await testApp(database.db);
  });
  after(async () => {
    await app.close();
    await database.close();
  });

  async function upload(
    file: { name: string; bytes: Uint8Array } | null,
    extra: Record<string, string> = {},
  ) {
    const { token, cookie } = await formSession(app, "/measures/upload");
    const body = multipart(
      {
        _csrf: token ?? "",
        document: "Housing report Q3",
        groupKind: "report",
        groupTitle: "Housing",
        reportingPeriod: "Q3 2024/25",
        ...extra,
      },
      file,
    );
    return app.inject({
      method: "POST",
      url: "/measures/upload",
      headers: { cookie, "content-type": body.contentType },
      payload: body.payload,
    });
  }

  test("the upload form and the template download", async () => {
    const page = await app.inject({ method: "GET", url: "/measures/upload" });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /enctype="multipart\/form-data"/);
    const template = await app.inject({ method: "GET", url: "/measures/template.csv" });
    assert.equal(template.statusCode, 200);
    assert.match(String(template.headers["content-type"]), /text\/csv/);
    assert.equal(template.body, MEASURES_TEMPLATE_CSV);
  });

  test("a workbook's dry run shows every row and saves nothing; its table goes on to the paste save", async () => {
    const bytes = await workbook((sheet) => {
      sheet.addRow(HEADER);
      sheet.addRow(["HX1", "Repairs on time", "81%", "83.5%", "85%", "Amber"]);
    });
    const response = await upload({ name: "housing.xlsx", bytes });
    assert.equal(response.statusCode, 200, response.body);
    assert.match(response.body, /Read 2 rows from &quot;housing.xlsx&quot;/);
    assert.match(response.body, /Row 2: HX1 Repairs on time \(new measure\)/);
    assert.match(response.body, /Save all rows/);
    assert.match(response.body, /Code\tTitle\tLast quarter/);
    assert.deepEqual(await listMeasures(database.db), []);
  });

  test("a bad file or no file is a form error naming the file, nothing saved; a CSRF-less upload is refused", async () => {
    const bad = await upload({ name: "housing.xlsx", bytes: new TextEncoder().encode("not a workbook") });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /not an Excel workbook/);
    assert.match(bad.body, /govuk-error-summary/);
    const none = await upload(null);
    assert.equal(none.statusCode, 400);
    assert.match(none.body, /Choose an .xlsx or .csv file/);
    const noToken = multipart({ document: "x", groupKind: "report", groupTitle: "x" }, null);
    const forged = await app.inject({
      method: "POST",
      url: "/measures/upload",
      headers: { "content-type": noToken.contentType },
      payload: noToken.payload,
    });
    assert.equal(forged.statusCode, 403);
    assert.deepEqual(await listMeasures(database.db), []);
  });

  test("a file over the size limit is refused before it is read", async () => {
    const response = await app.inject({
      method: "POST",
      url: "/measures/upload",
      headers: {
        "content-type": "multipart/form-data; boundary=x",
        "content-length": String(6 * 1024 * 1024),
      },
      payload: Buffer.alloc(16),
    });
    assert.equal(response.statusCode, 413);
    assert.match(response.body, /up to 5 MB/);
  });

  test("a printed rating that differs from Baseplan's is shown beside it and counted; one on another key is not compared", async () => {
    await saveImport(database.db, "test.officer@example.test", {
      text: "Code\tTitle\tThis quarter\tTarget\tStatus\nZ1\tExample rate\t50\t40\tStrong\nZ2\tOther rate\t50\t40\tAmber",
      document: "Example report",
      groupKind: "report",
      groupTitle: "Examples",
      reportingPeriod: "Q1 2024/25",
    });
    const page = await app.inject({ method: "GET", url: "/measures" });
    assert.equal(page.statusCode, 200);
    const body = page.body.replaceAll("&#39;", "'");
    assert.match(
      body,
      /For 1 measure, the council's printed rating for the period shown disagrees with Baseplan's/,
    );
    assert.equal(body.match(/data-testid="rating-differs"/g)?.length, 1);
    assert.match(
      body,
      /The council's rating for Q1 2024\/25: Amber \(on the council's own key, not compared\)/,
    );
  });
});
