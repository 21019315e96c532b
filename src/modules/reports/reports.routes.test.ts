import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { FastifyInstance } from "fastify";
import { testApp } from "../../../test/helpers/app.ts";
import { freshDatabase, TEST_ACTOR, type TestDatabase } from "../../../test/helpers/database.ts";
import { testChromiumPlaces } from "../../../test/helpers/programs.ts";
import { createSharedChromium } from "../../reports/chromium.ts";
import * as finance from "../finance/finance.service.ts";

describe("report pages and downloads", () => {
  let database: TestDatabase;
  let app: FastifyInstance;

  before(async () => {
    database = await freshDatabase("pglite", { demo: true });
    const chromium = createSharedChromium({ places: testChromiumPlaces(), concurrency: 2, queue: 8 });
    app = await testApp(database.db, {}, chromium);
  });
  after(async () => {
    await app.close();
    await database.close();
  });

  test("/reports lists the quarter with monitoring data, its page and its downloads", async () => {
    const page = await app.inject({ method: "GET", url: "/reports" });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /href="\/reports\/quarterly\/2020-21\/q3"/);
    for (const format of ["docx", "xlsx", "pdf"]) {
      assert.match(page.body, new RegExp(`href="/reports/quarterly/2020-21/q3\\.${format}"`));
    }
    assert.doesNotMatch(page.body, /data-testid="download-unavailable"/);
    assert.match(page.body, /href="\/reports"[^>]*aria-current|aria-current[^>]*href="\/reports"|>Reports</);
  });

  test("the report page shows the report inside the layout with every section", async () => {
    const page = await app.inject({ method: "GET", url: "/reports/quarterly/2020-21/q3" });
    assert.equal(page.statusCode, 200);
    assert.match(
      page.body,
      /<h1[^>]*>Performance and Budget Monitoring\/Forecast Outturn 2020\/2021 as at Quarter 3<\/h1>/,
    );
    assert.equal(page.body.match(/data-testid="report-section"/g)?.length, 17);
    assert.match(page.body, /<svg[^>]*role="img"/);
    assert.match(page.body, /govuk-header|govuk-service-navigation/);
  });

  test("Word, Excel and PDF download with their content types and file names", async () => {
    const expected = {
      docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
      xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      pdf: "application/pdf",
    };
    for (const [format, contentType] of Object.entries(expected)) {
      const response = await app.inject({ method: "GET", url: `/reports/quarterly/2020-21/q3.${format}` });
      assert.equal(response.statusCode, 200, format);
      assert.equal(response.headers["content-type"], contentType);
      assert.equal(
        response.headers["content-disposition"],
        `attachment; filename="quarterly-report-2020-21-q3.${format}"`,
      );
      const magic = response.rawPayload.subarray(0, 4).toString("latin1");
      assert.equal(magic, format === "pdf" ? "%PDF" : "PK\u0003\u0004", format);
    }
  });

  test("each service plan is listed with its page and downloads", async () => {
    const list = await app.inject({ method: "GET", url: "/reports" });
    assert.match(list.body, /href="\/reports\/service-plan\/service-plan-2021-2025"/);
    assert.match(list.body, /href="\/reports\/service-plan\/service-plan-2021-2025\.docx"/);
    const page = await app.inject({ method: "GET", url: "/reports/service-plan/service-plan-2021-2025" });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /data-testid="report-section"/);
    const word = await app.inject({
      method: "GET",
      url: "/reports/service-plan/service-plan-2021-2025.docx",
    });
    assert.equal(word.statusCode, 200);
    assert.equal(word.headers["content-disposition"], 'attachment; filename="service-plan-2021-2025.docx"');
    const missing = await app.inject({ method: "GET", url: "/reports/service-plan/no-such-plan" });
    assert.equal(missing.statusCode, 404);
  });

  test("a quarter, year or format that does not exist is a 404", async () => {
    for (const url of [
      "/reports/quarterly/2019-20/q4",
      "/reports/quarterly/2020-21/q9",
      "/reports/quarterly/1999-00/q3",
      "/reports/quarterly/2020-21/q3.exe",
      "/reports/quarterly/2020-21/q3.html",
    ]) {
      const response = await app.inject({ method: "GET", url });
      assert.equal(response.statusCode, 404, url);
    }
  });
});

describe("the demo's monitoring periods on the Reports page, and the frozen quarter 3 report", () => {
  let database: TestDatabase;
  let app: FastifyInstance;

  before(async () => {
    database = await freshDatabase("pglite", { demo: true });
    app = await testApp(database.db);
  });
  after(async () => {
    await app.close();
    await database.close();
  });

  test("quarter 3 2020/21 is published and quarters 1, 2 and 4 are open, each listed with what is missing", async () => {
    const page = await app.inject("/reports");
    assert.match(page.body, /quarter 3 2020\/21<\/a><\/h3>\s*<p[^>]*>Published\./);
    assert.match(
      page.body,
      /quarter 4 2020\/21<\/a><\/h3>\s*<p[^>]*>Open for entry: \d+ items still to record/,
    );
    assert.match(page.body, /quarter 1 2020\/21<\/a><\/h3>\s*<p[^>]*>Open for entry/);
    assert.match(page.body, /href="\/periods\/2020-21\/q4"/);
    // Every opened quarter's report can be produced, whatever is recorded for it so far.
    assert.match(page.body, /href="\/reports\/quarterly\/2020-21\/q4\.docx"/);
    const periods = await app.inject("/periods/2020-21/q3");
    assert.match(periods.body, /Status: <strong>Published/);
  });

  test("a published quarter's Word file is the same bytes after its figures change; its page too", async () => {
    const first = await app.inject("/reports/quarterly/2020-21/q3.docx");
    assert.equal(first.statusCode, 200);
    const pageBefore = await app.inject("/reports/quarterly/2020-21/q3");
    const outturn = await finance.forecastOutturnReport(database.db, "2020-21", 3);
    const line = outturn.report ? outturn.lines?.[0] : undefined;
    assert.ok(line);
    await finance.updateForecast(database.db, TEST_ACTOR, {
      lineId: line.lineId,
      quarter: 3,
      edit: { version: line.version, controllableBudget: 100, forecastOutturn: 200 },
    });
    const again = await app.inject("/reports/quarterly/2020-21/q3.docx");
    assert.ok(Buffer.compare(first.rawPayload, again.rawPayload) === 0);
    const pageAfter = await app.inject("/reports/quarterly/2020-21/q3");
    const steady = (body: string) => body.replace(/_csrf[^>]*>/g, "").replace(/nonce="[^"]*"/g, "");
    assert.equal(steady(pageAfter.body), steady(pageBefore.body));
    // The live budget page shows the change.
    assert.match((await app.inject("/budget/2020-21/q3")).body, /0\.000/);
  });
});

describe("PDF files from one shared Chromium, bounded", () => {
  let database: TestDatabase;
  before(async () => {
    database = await freshDatabase("pglite", { demo: true });
  });
  after(async () => {
    await database.close();
  });

  async function appWith(chromium: ReturnType<typeof createSharedChromium>) {
    return testApp(database.db, {}, chromium);
  }

  test("with no Chromium at all: the PDF link says so, the download is a clear 503 page, nothing else is affected", async () => {
    const app = await appWith(
      createSharedChromium({ places: { system: [], npm: false }, concurrency: 2, queue: 8 }),
    );
    try {
      const list = await app.inject({ method: "GET", url: "/reports" });
      assert.equal(list.statusCode, 200);
      assert.match(
        list.body,
        /q3\.pdf"[^>]*>[^<]*<span[^>]*>[^<]*<\/span><\/a> <span[^>]*data-testid="download-unavailable">\(PDF not available on this server, which has no Chromium to print it\)/,
      );
      const page = await app.inject({ method: "GET", url: "/reports/quarterly/2020-21/q3" });
      assert.match(page.body, /data-testid="download-unavailable"/);
      const pdf = await app.inject({ method: "GET", url: "/reports/quarterly/2020-21/q3.pdf" });
      assert.equal(pdf.statusCode, 503);
      assert.match(pdf.headers["content-type"] as string, /^text\/html/);
      assert.equal(pdf.headers["retry-after"], undefined, "waiting would not help");
      assert.match(pdf.body, /<h1[^>]*>PDF files cannot be made on this server<\/h1>/);
      assert.match(pdf.body, /No Chromium was found on this server\./);
      assert.match(pdf.body, /apt-get install chromium/);
      assert.match(pdf.body, /BASEPLAN_CHROMIUM/);
      assert.doesNotMatch(pdf.body, /at [\w.]+ \(|node_modules/, "no stack trace");
      const plan = await app.inject({
        method: "GET",
        url: "/reports/service-plan/service-plan-2021-2025.pdf",
      });
      assert.equal(plan.statusCode, 503);
      for (const url of ["/reports/quarterly/2020-21/q3.docx", "/reports/quarterly/2020-21/q3.xlsx", "/"]) {
        assert.equal((await app.inject({ method: "GET", url })).statusCode, 200, url);
      }
    } finally {
      await app.close();
    }
  });

  test("PDF requests beyond the limit and the queue get 503 with Retry-After; the rest are printed by one browser", async () => {
    const chromium = createSharedChromium({ places: testChromiumPlaces(), concurrency: 1, queue: 1 });
    const app = await appWith(chromium);
    try {
      const browser = await chromium.browser();
      const responses = await Promise.all(
        [1, 2, 3, 4].map(() => app.inject({ method: "GET", url: "/reports/quarterly/2020-21/q3.pdf" })),
      );
      const statuses = responses.map((response) => response.statusCode).sort();
      assert.deepEqual(statuses, [200, 200, 503, 503]);
      for (const refused of responses.filter((response) => response.statusCode === 503)) {
        assert.match(String(refused.headers["retry-after"]), /^[1-9]\d*$/);
        assert.match(refused.body, /Too many PDF files are being made at once/);
      }
      assert.equal(await chromium.browser(), browser, "no browser started for a request");
    } finally {
      await app.close();
    }
  });
});
