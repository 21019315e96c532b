import assert from "node:assert/strict";
import { test } from "node:test";
import ExcelJS from "exceljs";
import type { FastifyInstance } from "fastify";
import { withApp } from "../../../test/helpers/app.ts";
import {
  buildBudgetMonitoring,
  buildCouncil,
  buildMonitoringYear,
  buildOpenQuarter,
} from "../../../test/helpers/builders.ts";
import { describeOnBothDatabases, TEST_ACTOR } from "../../../test/helpers/database.ts";
import { formSession, multipart } from "../../../test/helpers/forms.ts";
import type { Database } from "../../db/client.ts";
import { monitoringPeriod } from "../../domain/periods.ts";
import { Conflict, ValidationFailed } from "../../errors.ts";
import { readUploadedRows } from "../../web/upload-tables.ts";
import { listAuditEvents } from "../audit/audit.service.ts";
import {
  findPeriod,
  publishPeriod,
  requireOpenQuarter,
  signOffPeriod,
  unlockPeriod,
} from "../periods/periods.service.ts";
import * as finance from "./finance.service.ts";

// Budget monitoring tables made up for these tests, in the shapes councils print them.

/** £000 to two decimals, income in brackets, a title row above the headings and a total row. */
const THOUSANDS_CSV = [
  "Budget monitoring quarter 2,,,",
  "Service,Controllable budget £000,Forecast outturn £000,Variance £000",
  'Highways,"12,345.67","12,400.00",54.33',
  'Parking income,"(1,250.50)","(1,100.25)",150.25',
  "Libraries,900,880,(20)",
  'Total,"11,995.17","12,179.75",184.58',
].join("\r\n");

const THOUSANDS_PENCE = [
  ["Highways", 1_234_567_000, 1_240_000_000],
  ["Parking income", -125_050_000, -110_025_000],
  ["Libraries", 90_000_000, 88_000_000],
];

/** £m to three decimals, where brackets in the variance column mean an underspend. */
const MILLIONS_CSV = [
  "Cost centre,Budget (£m),Outturn (£m),Under (-) / over spend (£m)",
  "Highways,12.346,12.400,0.054",
  "Parking income,(1.251),(1.100),0.151",
  "Libraries,0.900,0.880,(0.020)",
].join("\n");

const MILLIONS_PENCE = [
  ["Highways", 1_234_600_000, 1_240_000_000],
  ["Parking income", -125_100_000, -110_000_000],
  ["Libraries", 90_000_000, 88_000_000],
];

const bytes = (text: string) => new TextEncoder().encode(text);

async function rowsOf(name: string, content: Uint8Array) {
  const reading = await readUploadedRows(name, content, { numbers: "exact" });
  if (!reading.ok) throw new Error(reading.message);
  return reading;
}

async function council(db: Database) {
  await buildCouncil(db, { plan: { fromYear: 2031, toYear: 2034 } });
  await buildMonitoringYear(db, 2031);
  // The year's lines, with quarter 1 figures; quarter 2 is the one uploaded.
  await buildBudgetMonitoring(db, {
    startYear: 2031,
    quarter: 1,
    lines: [
      { name: "Highways", budget: 1_200_000_000, forecast: 1_210_000_000 },
      { name: "Parking income", budget: -120_000_000, forecast: -119_000_000 },
      { name: "Libraries", budget: 90_000_000, forecast: 90_000_000 },
    ],
  });
}

async function quarterFigures(db: Database, quarter: number) {
  const report = await finance.forecastOutturnReport(db, "2031-32", quarter);
  return (report.lines ?? []).map((line) => [
    line.name,
    line.controllableBudget.pence,
    line.forecastOutturn.pence,
  ]);
}

function input(reading: Awaited<ReturnType<typeof rowsOf>>, extra: Partial<finance.BudgetUploadInput> = {}) {
  return {
    yearCode: "2031-32",
    quarter: 2,
    rows: reading.rows,
    rowNumbers: reading.rowNumbers,
    unit: null,
    bracketsMean: null,
    leaveOut: [],
    ...extra,
  };
}

describeOnBothDatabases("budget monitoring uploaded from a spreadsheet", (fresh) => {
  test("the save asks again whether the quarter is open: closed, published or signed off since the dry run, nothing is saved and each row says why", async () => {
    const { db } = await fresh();
    await council(db);
    await buildOpenQuarter(db, 2031, 2);
    const Q2 = monitoringPeriod(2031, "quarter", 2);
    const reading = await rowsOf("q2.csv", bytes(THOUSANDS_CSV));
    const open = { ...input(reading), expected: {}, requireOpenQuarter };
    // The dry run was shown while quarter 2 was open; then the quarter is signed off.
    const preview = await finance.previewBudgetUpload(db, open);
    assert.deepEqual(preview.reading.ok ? preview.reading.errors : null, []);
    const q2 = await findPeriod(db, Q2);
    assert.ok(q2 && q2.status === "open");
    await signOffPeriod(db, TEST_ACTOR, { period: Q2, version: q2.version });
    const locked = await finance.saveBudgetUpload(db, TEST_ACTOR, open).catch((error: unknown) => error);
    assert.ok(locked instanceof ValidationFailed, String(locked));
    assert.deepEqual(
      locked.errors.map((error) => error.message),
      [
        'Row 3 ("Highways"), forecast outturn, "£12,400,000.00": Quarter 2 2031/32 is signed off and locked: nothing for it can be changed until it is unlocked. Nothing was saved.',
        'Row 4 ("Parking income"), forecast outturn, "-£1,100,250.00": Quarter 2 2031/32 is signed off and locked: nothing for it can be changed until it is unlocked. Nothing was saved.',
        'Row 5 ("Libraries"), forecast outturn, "£900,000.00": Quarter 2 2031/32 is signed off and locked: nothing for it can be changed until it is unlocked. Nothing was saved.',
      ].map((message) => message.replace("£900,000.00", "£880,000.00")),
    );
    assert.deepEqual(await quarterFigures(db, 2), []);
    const signed = await findPeriod(db, Q2);
    assert.ok(signed);
    await unlockPeriod(db, TEST_ACTOR, { period: Q2, version: signed.version, reason: "A test" });
    const unlocked = await findPeriod(db, Q2);
    assert.ok(unlocked);
    await publishPeriod(db, TEST_ACTOR, { period: Q2, version: unlocked.version, confirmMissing: true });
    const published = await finance.saveBudgetUpload(db, TEST_ACTOR, open).catch((error: unknown) => error);
    assert.ok(published instanceof ValidationFailed, String(published));
    assert.match(
      published.errors[0]?.message ?? "",
      /^Row 3 \("Highways"\), forecast outturn, "£12,400,000\.00": Quarter 2 2031\/32 is published, not open for entry\. Nothing was saved\.$/,
    );
    assert.deepEqual(await quarterFigures(db, 2), []);
  });

  test("a £000 table with brackets: every line exact to the penny, audited; the same file again changes nothing", async () => {
    const { db } = await fresh();
    await council(db);
    const reading = await rowsOf("q2.csv", bytes(THOUSANDS_CSV));
    const preview = await finance.previewBudgetUpload(db, input(reading));
    assert.ok(preview.reading.ok);
    assert.equal(preview.reading.headerRowNumber, 2);
    assert.deepEqual(
      preview.rows.map((row) => [row.rowNumber, row.change, row.understood.budget, row.understood.forecast]),
      [
        [3, "new", "£12,345,670.00", "£12,400,000.00"],
        [4, "new", "-£1,250,500.00", "-£1,100,250.00"],
        [5, "new", "£900,000.00", "£880,000.00"],
        [6, "total", "", ""],
      ],
    );
    assert.deepEqual(preview.reading.errors, []);
    assert.deepEqual(preview.reading.warnings, []);
    // The dry run saved nothing.
    assert.deepEqual(await quarterFigures(db, 2), []);

    const saved = await finance.saveBudgetUpload(db, TEST_ACTOR, { ...input(reading), expected: {} });
    assert.equal(saved.created, 3);
    assert.deepEqual(await quarterFigures(db, 2), THOUSANDS_PENCE);
    const highways = preview.rows[0]?.line?.id ?? 0;
    const forecastId = (await finance.forecastForEdit(db, highways, 2)).forecast.id;
    assert.equal((await listAuditEvents(db, "monitoring-forecast", forecastId))[0]?.actor, TEST_ACTOR);

    const again = await finance.previewBudgetUpload(db, input(reading));
    assert.deepEqual(
      again.rows.map((row) => row.change),
      ["unchanged", "unchanged", "unchanged", "total"],
    );
    const expected = Object.fromEntries(
      again.rows.flatMap((row) => (row.line ? [[String(row.line.id), row.saved?.version ?? 0]] : [])),
    );
    const resaved = await finance.saveBudgetUpload(db, TEST_ACTOR, { ...input(reading), expected });
    assert.deepEqual([resaved.created, resaved.changed], [0, 0]);
    assert.equal((await listAuditEvents(db, "monitoring-forecast", forecastId)).length, 1);
    assert.deepEqual(await quarterFigures(db, 2), THOUSANDS_PENCE);
  });

  test("a £m table to three decimals where brackets mean an underspend; read the other way, each variance is a warning", async () => {
    const { db } = await fresh();
    await council(db);
    const reading = await rowsOf("q2 (£m).csv", bytes(MILLIONS_CSV));
    const preview = await finance.previewBudgetUpload(db, input(reading, { bracketsMean: "underspend" }));
    assert.ok(preview.reading.ok);
    assert.deepEqual(
      preview.reading.columns.map((column) => [column.kind, column.letter, column.unit, column.unitFrom]),
      [
        ["line", "A", null, null],
        ["budget", "B", "millions", "heading"],
        ["forecast", "C", "millions", "heading"],
        ["variance", "D", "millions", "heading"],
      ],
    );
    assert.deepEqual(preview.reading.warnings, []);
    assert.deepEqual(
      preview.rows.map((row) => row.statedVariance),
      [5_400_000, 15_100_000, -2_000_000],
    );
    // A council that brackets its overspends reads "(0.020)" as £20,000 over: it disagrees.
    const other = await finance.previewBudgetUpload(db, input(reading, { bracketsMean: "overspend" }));
    assert.ok(other.reading.ok);
    assert.deepEqual(
      other.reading.warnings.map((warning) => [warning.rowNumber, warning.column, warning.value]),
      [
        [2, "D (Under (-) / over spend (£m))", "0.054"],
        [3, "D (Under (-) / over spend (£m))", "0.151"],
        [4, "D (Under (-) / over spend (£m))", "(0.020)"],
      ],
    );
    assert.match(
      other.reading.warnings[2]?.message ?? "",
      /"\(0\.020\)" is an overspend of £20,000 \(brackets mean an overspend\), but the forecast less the budget is an underspend of £20,000/,
    );
    await finance.saveBudgetUpload(db, TEST_ACTOR, { ...input(reading), expected: {} });
    assert.deepEqual(await quarterFigures(db, 2), MILLIONS_PENCE);
  });

  test("a workbook's figures are read as stored, not as their format rounds them", async () => {
    const { db } = await fresh();
    await council(db);
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet("Q2");
    sheet.addRow(["Budget line", "Budget", "Forecast"]);
    sheet.addRow(["Highways", 12_345.678, 12_400]);
    sheet.addRow(["Parking income", -1_250.5, -1_100.25]);
    sheet.addRow(["Libraries", 900, 880]);
    for (const row of [2, 3, 4]) {
      for (const column of [2, 3]) sheet.getCell(row, column).numFmt = "#,##0;(#,##0)";
    }
    const file = new Uint8Array(await workbook.xlsx.writeBuffer());
    const reading = await rowsOf("q2.xlsx", file);
    const preview = await finance.previewBudgetUpload(db, input(reading, { unit: "thousands" }));
    assert.deepEqual(
      preview.rows.map((row) => [row.budget, row.forecast]),
      [
        [1_234_567_800, 1_240_000_000],
        [-125_050_000, -110_025_000],
        [90_000_000, 88_000_000],
      ],
    );
  });

  test("bad cells are errors naming row, column and value; nothing is saved; a row can be left out", async () => {
    const { db } = await fresh();
    await council(db);
    const csv = [
      "Service,Budget £000,Forecast £000",
      "Highways,1.234567,12",
      "Parking income,n/k,(1)",
      "Libarries,900,880",
      "Highways,-,-",
    ].join("\n");
    const reading = await rowsOf("bad.csv", bytes(csv));
    const preview = await finance.previewBudgetUpload(db, input(reading));
    assert.ok(preview.reading.ok);
    assert.deepEqual(
      preview.reading.errors.map((problem) => [problem.rowNumber, problem.column, problem.value]),
      [
        [2, "B (Budget £000)", "1.234567"],
        [3, "B (Budget £000)", "n/k"],
        [4, "A (Service)", "Libarries"],
        [5, "A (Service)", "Highways"],
      ],
    );
    const messages = preview.reading.errors.map((problem) => problem.message);
    assert.match(messages[0] ?? "", /^Row 2, column B "Budget £000" \(in £000\): .*1\.234567.*penny/);
    assert.match(messages[1] ?? "", /^Row 3, column B "Budget £000" \(in £000\): "n\/k"/);
    assert.match(
      messages[2] ?? "",
      /"Libarries" matches no budget line of this year\. Close names: "Libraries"\./,
    );
    assert.match(messages[3] ?? "", /"Highways" is also on row 2/);
    await assert.rejects(
      finance.saveBudgetUpload(db, TEST_ACTOR, { ...input(reading), expected: {} }),
      (error: unknown) => error instanceof ValidationFailed && error.errors.length === 4,
    );
    assert.deepEqual(await quarterFigures(db, 2), []);

    // Rows 2 to 4 left out: row 5's "-" is not reported, so the line is left without a forecast.
    const rest = await finance.previewBudgetUpload(db, input(reading, { leaveOut: [2, 3, 4] }));
    assert.deepEqual(
      rest.rows.map((row) => [row.rowNumber, row.change]),
      [
        [2, "left-out"],
        [3, "left-out"],
        [4, "left-out"],
        [5, "not-reported"],
      ],
    );
    const saved = await finance.saveBudgetUpload(db, TEST_ACTOR, {
      ...input(reading, { leaveOut: [2, 3, 4] }),
      expected: {},
    });
    assert.deepEqual([saved.created, saved.changed], [0, 0]);
  });

  test("a line changed by someone else since the dry run is refused, and nothing is saved", async () => {
    const { db } = await fresh();
    await council(db);
    const reading = await rowsOf("q2.csv", bytes(THOUSANDS_CSV));
    await finance.saveBudgetUpload(db, TEST_ACTOR, { ...input(reading), expected: {} });
    const changed = THOUSANDS_CSV.replace('"12,400.00"', '"12,500.00"').replace(
      "Libraries,900,880",
      "Libraries,900,870",
    );
    const next = await rowsOf("q2 again.csv", bytes(changed));
    const preview = await finance.previewBudgetUpload(db, input(next));
    const expected = Object.fromEntries(
      preview.rows.flatMap((row) => (row.line ? [[String(row.line.id), row.saved?.version ?? 0]] : [])),
    );
    const libraries = preview.rows[2]?.line?.id ?? 0;
    const current = await finance.forecastForEdit(db, libraries, 2);
    await finance.updateForecast(db, TEST_ACTOR, {
      lineId: libraries,
      quarter: 2,
      edit: {
        controllableBudget: 90_000_000,
        forecastOutturn: 87_500_000,
        version: current.forecast.version,
      },
    });
    await assert.rejects(
      finance.saveBudgetUpload(db, TEST_ACTOR, { ...input(next), expected }),
      (error: unknown) => error instanceof Conflict,
    );
    const figures = await quarterFigures(db, 2);
    assert.deepEqual(figures[0], THOUSANDS_PENCE[0]);
    assert.deepEqual(figures[2], ["Libraries", 90_000_000, 87_500_000]);
  });
});

describeOnBothDatabases("the budget monitoring upload pages", (fresh) => {
  async function upload(
    app: FastifyInstance,
    path: string,
    file: { name: string; bytes: Uint8Array } | null,
    fields: Record<string, string> = {},
  ) {
    const { token, cookie } = await formSession(app, path);
    const body = multipart({ _csrf: token ?? "", ...fields }, file);
    return app.inject({
      method: "POST",
      url: path,
      headers: { cookie, "content-type": body.contentType },
      payload: body.payload,
    });
  }

  function hidden(body: string, name: string): string {
    const value = new RegExp(`name="${name}" value="([^"]*)"`).exec(body)?.[1] ?? "";
    return value
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&amp;/g, "&");
  }

  test("refused for a quarter not open; the dry run, its errors, the save and the templates", async () => {
    const { db } = await fresh();
    await council(db);
    await withApp(db, async (app) => {
      const path = "/budget/2031-32/q2/upload";
      assert.equal((await app.inject(path)).statusCode, 409);
      await buildOpenQuarter(db, 2031, 2);
      // The quarter's budget page links to the upload of each quarter open for entry.
      assert.match((await app.inject("/budget/2031-32/q1")).body, /href="\/budget\/2031-32\/q2\/upload"/);
      const page = await app.inject(path);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /enctype="multipart\/form-data"/);
      assert.match(page.body, /name="unit" type="radio" value="pounds" checked/);

      const none = await upload(app, path, null);
      assert.equal(none.statusCode, 400);
      assert.match(none.body, /href="#file"[^>]*>Choose an .xlsx or .csv file to upload/);
      const wrong = await upload(app, path, { name: "q2.xlsx", bytes: bytes("not a workbook") });
      assert.equal(wrong.statusCode, 400);
      assert.match(wrong.body, /is not an Excel workbook, whatever its name says/);

      const bad = await upload(app, path, {
        name: "bad.csv",
        bytes: bytes("Service,Budget £000,Forecast £000\nLibarries,9x,880\n"),
      });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /<title>Error: /);
      assert.match(
        bad.body,
        /Row 2, column A &quot;Service&quot;: &quot;Libarries&quot; matches no budget line of this year\. Close names: &quot;Libraries&quot;/,
      );
      assert.match(bad.body, /Row 2, column B &quot;Budget £000&quot; \(in £000\): &quot;9x&quot;/);

      const preview = await upload(app, path, { name: "q2.csv", bytes: bytes(THOUSANDS_CSV) });
      assert.equal(preview.statusCode, 200);
      assert.match(preview.body, /3 new forecasts, 0 changed, 0 unchanged/);
      assert.match(preview.body, /£12,345,670\.00/);
      assert.match(preview.body, /-£1,250,500\.00/);
      assert.match(preview.body, /A total: not saved/);
      assert.deepEqual(await quarterFigures(db, 2), []);

      const savePath = `${path}/save`;
      const { token, cookie } = await formSession(app, path);
      const post = (fields: Record<string, string>) =>
        app.inject({
          method: "POST",
          url: savePath,
          payload: new URLSearchParams({
            _csrf: token ?? "",
            table: hidden(preview.body, "table"),
            expected: hidden(preview.body, "expected"),
            unit: hidden(preview.body, "unit"),
            bracketsMean: hidden(preview.body, "bracketsMean"),
            ...fields,
          }).toString(),
          headers: { "content-type": "application/x-www-form-urlencoded", cookie },
        });
      const leftOut = await post({ action: "check", leaveOut: "5" });
      assert.equal(leftOut.statusCode, 200);
      assert.match(leftOut.body, /2 new forecasts, 0 changed, 0 unchanged, 0 not reported, 1 left out/);
      assert.match(leftOut.body, /id="leaveOut-5" name="leaveOut" type="checkbox" value="5" checked/);
      const saved = await post({ action: "save" });
      assert.equal(saved.statusCode, 303);
      assert.equal(saved.headers.location, "/budget/2031-32/q2");
      assert.deepEqual(await quarterFigures(db, 2), THOUSANDS_PENCE);
      const banner = saved.cookies.find((cookie) => cookie.name === "baseplan-saved");
      const after = await app.inject({
        url: "/budget/2031-32/q2",
        cookies: { [String(banner?.name)]: String(banner?.value) },
      });
      assert.match(after.body, /Saved 3 forecasts from &quot;q2\.csv&quot; \(3 new, 0 changed\)\./);
      // The same file saved again changes nothing.
      const again = await post({ action: "save" });
      assert.equal(again.statusCode, 303);
      const nothing = again.cookies.find((cookie) => cookie.name === "baseplan-saved");
      const page2 = await app.inject({
        url: "/budget/2031-32/q2",
        cookies: { [String(nothing?.name)]: String(nothing?.value) },
      });
      assert.match(
        page2.body,
        /Nothing changed: every line in &quot;q2\.csv&quot; already has these figures\./,
      );

      const csv = await app.inject("/budget/upload-template.csv");
      assert.equal(csv.statusCode, 200);
      assert.match(csv.body, /^Budget line,Controllable budget £000,Forecast outturn £000,Variance £000\r\n/);
      const xlsx = await app.inject("/budget/upload-template.xlsx");
      assert.equal(xlsx.statusCode, 200);
      const template = await readUploadedRows("template.xlsx", xlsx.rawPayload);
      assert.ok(template.ok);
      assert.deepEqual(template.rows[0], [
        "Budget line",
        "Controllable budget £000",
        "Forecast outturn £000",
        "Variance £000",
      ]);
      // The template's example row, uploaded as it is, is read and refused only for its made-up line.
      const example = await upload(app, path, { name: "template.xlsx", bytes: xlsx.rawPayload });
      assert.equal(example.statusCode, 400);
      assert.match(example.body, /Row 2, column A &quot;Budget line&quot;: &quot;Example service/);
      assert.match(example.body, /£1,250,500\.00/);
    });
  });
});
