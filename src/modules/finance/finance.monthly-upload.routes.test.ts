import assert from "node:assert/strict";
import { test } from "node:test";
import { eq } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { testApp } from "../../../test/helpers/app.ts";
import {
  buildBudgetMonitoring,
  buildCouncil,
  buildMonitoringYear,
  buildMonthlyCouncil,
} from "../../../test/helpers/builders.ts";
import { describeOnBothDatabases, TEST_ACTOR } from "../../../test/helpers/database.ts";
import { formSession, multipart } from "../../../test/helpers/forms.ts";
import type { Database } from "../../db/client.ts";
import { auditEvents } from "../../db/schema/index.ts";
import { monitoringPeriod } from "../../domain/periods.ts";
import { ValidationFailed } from "../../errors.ts";
import { readUploadedRows } from "../../web/upload-tables.ts";
import { closePeriod, findPeriod, openPeriod, requireOpenPeriod } from "../periods/periods.service.ts";
import * as finance from "./finance.service.ts";

// A made-up council monitored monthly whose year starts in September uploads its budget
// monitoring spreadsheet for a month, not a quarter (decision 0024).
const YEAR = 2053;
const CODE = "2053-54";

const FIRST = [
  "Service,Controllable budget £000,Forecast outturn £000",
  'Ferries,"3,000.00","3,125.50"',
  "Harbours,(400),(380.25)",
].join("\r\n");

const SECOND = FIRST.replace('"3,125.50"', '"3,200.00"');

const bytes = (text: string) => new TextEncoder().encode(text);

/** Each line's budget and forecast at a quarter (its own) or a month, in pence. */
async function figuresAt(db: Database, quarter: number, month: number | null = null) {
  const report = await finance.forecastOutturnReport(db, CODE, quarter, month);
  return (report.lines ?? []).map((line) => [
    line.name,
    line.controllableBudget.pence,
    line.forecastOutturn.pence,
  ]);
}

async function upload(app: FastifyInstance, path: string, name: string, text: string) {
  const { token, cookie } = await formSession(app, path);
  const body = multipart({ _csrf: token ?? "" }, { name, bytes: bytes(text) });
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
    .replace(/&amp;/g, "&");
}

/** Posts the dry run's rows back to be saved, with the versions given (the page's own unless said). */
async function save(
  app: FastifyInstance,
  path: string,
  preview: string,
  expected = hidden(preview, "expected"),
  /** The page the form session is taken from: the upload's own unless it is refused. */
  page = path,
) {
  const { token, cookie } = await formSession(app, page);
  return app.inject({
    method: "POST",
    url: `${path}/save`,
    payload: new URLSearchParams({
      _csrf: token ?? "",
      table: hidden(preview, "table"),
      expected,
      unit: hidden(preview, "unit"),
      bracketsMean: hidden(preview, "bracketsMean"),
      action: "save",
    }).toString(),
    headers: { "content-type": "application/x-www-form-urlencoded", cookie },
  });
}

describeOnBothDatabases("budget monitoring uploaded for a month", (fresh) => {
  test("the month's upload saves the month's forecasts; other periods are refused", async () => {
    const { db } = await fresh();
    await buildMonthlyCouncil(db, {
      startYear: YEAR,
      yearStartMonth: 9,
      linesBefore: [
        { name: "Ferries", budget: 290_000_000, forecast: 290_000_000 },
        { name: "Harbours", budget: -40_000_000, forecast: -40_000_000 },
      ],
      openMonths: [4, 5],
    });
    const app = await testApp(db);
    try {
      // The month's budget page links the upload of each month open, not of a quarter.
      const outturn = await app.inject(`/budget/${CODE}/m4`);
      assert.match(
        outturn.body,
        /href="\/budget\/2053-54\/m5\/upload">Upload a spreadsheet for 2053\/54 month 5/,
      );
      assert.doesNotMatch(outturn.body, /\/q2\/upload/);
      // A quarter's upload goes to its last month's; a post to it is refused, nothing saved.
      const quarterForm = await app.inject(`/budget/${CODE}/q2/upload`);
      assert.equal(quarterForm.statusCode, 303);
      assert.equal(quarterForm.headers.location, `/budget/${CODE}/m6/upload`);
      const path = `/budget/${CODE}/m4/upload`;
      const quarterPost = await (async () => {
        const { token, cookie } = await formSession(app, path);
        const body = multipart({ _csrf: token ?? "" }, { name: "q2.csv", bytes: bytes(FIRST) });
        return app.inject({
          method: "POST",
          url: `/budget/${CODE}/q2/upload`,
          headers: { cookie, "content-type": body.contentType },
          payload: body.payload,
        });
      })();
      assert.equal(quarterPost.statusCode, 400);
      assert.match(quarterPost.body, /monitored month by month/);
      // A month not opened is refused.
      assert.equal((await app.inject(`/budget/${CODE}/m6/upload`)).statusCode, 409);

      const form = await app.inject(path);
      assert.equal(form.statusCode, 200);
      assert.match(form.body, /2053\/54 month 4/);
      assert.match(form.body, /action="\/budget\/2053-54\/m4\/upload"/);

      // Bad input names the row, the column and the text; nothing saved.
      const bad = await upload(app, path, "bad.csv", FIRST.replace("(380.25)", "lots"));
      assert.equal(bad.statusCode, 400);
      assert.match(
        bad.body,
        /Row 3, column C &quot;Forecast outturn £000&quot; \(in £000\): &quot;lots&quot;/,
      );

      // The dry run shows month 4's figures to be; the save writes month 4's forecasts only.
      const preview = await upload(app, path, "m4.csv", FIRST);
      assert.equal(preview.statusCode, 200);
      assert.match(preview.body, /2 new forecasts, 0 changed, 0 unchanged/);
      assert.match(preview.body, /action="\/budget\/2053-54\/m4\/upload\/save"/);
      assert.deepEqual(await figuresAt(db, 2, 4), []);
      const saved = await save(app, path, preview.body);
      assert.equal(saved.statusCode, 303);
      assert.equal(saved.headers.location, `/budget/${CODE}/m4`);
      assert.deepEqual(await figuresAt(db, 2, 4), [
        ["Ferries", 300_000_000, 312_550_000],
        ["Harbours", -40_000_000, -38_025_000],
      ]);
      assert.deepEqual(await figuresAt(db, 2, 5), []);
      assert.deepEqual(await figuresAt(db, 2), [], "no quarter's own forecasts");
      const events = await db
        .select()
        .from(auditEvents)
        .where(eq(auditEvents.entityType, "monitoring-forecast"));
      assert.ok(events.some((event) => event.period === "2053-54-m4"));

      // A dry run shown before someone else saved: the conflict page, nothing overwritten.
      const later = await upload(app, path, "m4-again.csv", SECOND);
      assert.match(later.body, /0 new forecasts, 1 changed, 1 unchanged/);
      const stale = await save(app, path, later.body, "{}");
      assert.equal(stale.statusCode, 409);
      assert.equal((await figuresAt(db, 2, 4))[0]?.[2], 312_550_000);
      const changed = await save(app, path, later.body);
      assert.equal(changed.statusCode, 303);
      assert.equal((await figuresAt(db, 2, 4))[0]?.[2], 320_000_000);

      // A month closed: its upload is refused.
      const state = await findPeriod(db, monitoringPeriod(YEAR, "month", 4));
      await closePeriod(db, TEST_ACTOR, {
        period: monitoringPeriod(YEAR, "month", 4),
        version: state?.version ?? 0,
        confirmMissing: true,
      });
      assert.equal((await app.inject(path)).statusCode, 409);
      const closed = await save(app, path, later.body, undefined, `/budget/${CODE}/m5/upload`);
      assert.equal(closed.statusCode, 409);
      assert.equal((await figuresAt(db, 2, 4))[0]?.[2], 320_000_000);
    } finally {
      await app.close();
    }
  });

  test("the save asks again whether the month is open: closed since the dry run, nothing saved", async () => {
    const { db } = await fresh();
    await buildCouncil(db, {
      frequency: "monthly",
      yearStartMonth: 9,
      plan: { fromYear: YEAR, toYear: YEAR + 2 },
    });
    await buildMonitoringYear(db, YEAR);
    await buildBudgetMonitoring(db, {
      startYear: YEAR,
      quarter: 1,
      lines: [
        { name: "Ferries", budget: 1_00, forecast: 1_00 },
        { name: "Harbours", budget: 1_00, forecast: 1_00 },
      ],
    });
    const month5 = monitoringPeriod(YEAR, "month", 5);
    await openPeriod(db, TEST_ACTOR, month5);
    const reading = await readUploadedRows("m5.csv", bytes(FIRST), { numbers: "exact" });
    assert.ok(reading.ok);
    const input = {
      yearCode: CODE,
      quarter: 2,
      month: 5,
      rows: reading.rows,
      rowNumbers: reading.rowNumbers,
      unit: null,
      bracketsMean: null,
      leaveOut: [],
      expected: {},
      requireOpenPeriod,
    };
    const preview = await finance.previewBudgetUpload(db, input);
    assert.equal(preview.words, "month 5");
    const state = await findPeriod(db, month5);
    await closePeriod(db, TEST_ACTOR, { period: month5, version: state?.version ?? 0, confirmMissing: true });
    const refused = await finance.saveBudgetUpload(db, TEST_ACTOR, input).catch((error: unknown) => error);
    assert.ok(refused instanceof ValidationFailed, String(refused));
    assert.match(
      refused.errors[0]?.message ?? "",
      /^Row 2 \("Ferries"\), forecast outturn, "£3,125,500\.00": .+\. Nothing was saved\.$/,
    );
    assert.deepEqual(await figuresAt(db, 2, 5), []);
  });
});
