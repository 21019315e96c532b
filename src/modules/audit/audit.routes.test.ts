// Loaders first: test/helpers imports load-demo.ts, whose loaders import it back.
import "../../demo/loaders.ts";
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { FastifyInstance } from "fastify";
import { testApp } from "../../../test/helpers/app.ts";
import { buildMeasure, buildProcurement, buildSetUpCouncil } from "../../../test/helpers/builders.ts";
import { freshDatabase, TEST_ACTOR, type TestDatabase } from "../../../test/helpers/database.ts";
import { validForm } from "../../web/forms.ts";
import { forecastEditSchema } from "../finance/finance.schemas.ts";
import { forecastOutturnReport, updateForecast } from "../finance/finance.service.ts";
import * as planRepository from "../plan/plan.repository.ts";
import { progressForm } from "../plan/plan.schemas.ts";
import { recordProgress } from "../plan/plan.service.ts";
import { pageNumbers } from "./audit.routes.ts";
import { AUDIT_PAGE_SIZE, recordAuditEvent } from "./audit.service.ts";

const OTHER = "someone.else@made-up-council.example";

function text(html: string): string {
  return html
    .replace(/<[^>]+>/g, " ")
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");
}

describe("the history of changes pages", () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let procurementId = "";

  before(async () => {
    database = await freshDatabase("pglite");
    // A council set up first, so pages answer: two changes (the council and its department).
    await buildSetUpCouncil(database.db);
    const created = await buildProcurement(database.db, {
      title: "Library courier",
      estimatedValue: "£90,000.50",
    });
    procurementId = created.id;
    await database.db.transaction(async (tx) => {
      for (let n = 1; n <= AUDIT_PAGE_SIZE + 3; n += 1) {
        await recordAuditEvent(tx, {
          actor: n % 4 === 0 ? OTHER : TEST_ACTOR,
          action: "update",
          entityType: "made-up-record",
          entityId: n,
          summary: `Change number ${n}`,
          before: { amountPence: n * 100, dueOn: "2031-01-31" },
          after: { amountPence: n * 100 + 1, dueOn: "2031-02-28" },
        });
      }
    });
    app = await testApp(database.db);
  });
  after(async () => {
    await app.close();
    await database.close();
  });

  test("lists every change newest first, in words, paged, with a link to the record", async () => {
    const response = await app.inject({ url: "/audit" });
    assert.equal(response.statusCode, 200);
    const page = text(response.body);
    assert.match(page, /History of changes/);
    assert.equal(response.body.match(/data-testid="audit-row"/g)?.length, AUDIT_PAGE_SIZE);
    assert.match(page, new RegExp(`Changes 1 to ${AUDIT_PAGE_SIZE} of ${AUDIT_PAGE_SIZE + 6}`));
    assert.match(page, /Changed : Change number 53/);
    assert.match(page, /Amount: from £53\.00 to £53\.01/);
    assert.match(page, /Due on: from 31 January 2031 to 28 February 2031/);
    assert.match(response.body, /href="\/audit\?page=2"/);

    const second = await app.inject({ url: "/audit?page=2" });
    assert.equal(second.statusCode, 200);
    assert.match(text(second.body), /Added : Added "Library courier"/);
    assert.match(second.body, new RegExp(`href="/procurement/${procurementId}"`));
    assert.match(text(second.body), /Estimated value: £90,000\.50/);
  });

  test("filters by person and record kind with GET parameters the form keeps", async () => {
    const response = await app.inject({
      url: `/audit?person=${encodeURIComponent(OTHER)}&kind=made-up-record`,
    });
    assert.equal(response.statusCode, 200);
    assert.equal(response.body.match(/data-testid="audit-row"/g)?.length, 13);
    assert.match(response.body, new RegExp(`<option value="${OTHER.replaceAll(".", "\\.")}" selected>`));
    assert.match(
      response.body,
      /href="\/audit\.csv\?person=someone\.else%40made-up-council\.example&amp;kind=made-up-record"/,
    );
    const none = await app.inject({ url: "/audit?kind=measure" });
    assert.match(text(none.body), /No changes match these filters/);
  });

  test("the CSV holds the same filtered list", async () => {
    const response = await app.inject({ url: `/audit.csv?person=${encodeURIComponent(OTHER)}` });
    assert.equal(response.statusCode, 200);
    assert.match(String(response.headers["content-type"]), /^text\/csv/);
    const lines = response.body.trim().split("\r\n");
    assert.equal(lines.length, 14);
    assert.ok(lines.slice(1).every((line) => line.includes(OTHER)));
    const refused = await app.inject({ url: "/audit.csv?from-day=30&from-month=2&from-year=2021" });
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /Date from must be a real date, for example 27 3 2021: "30\/2\/2021" is not/);
  });

  test("bad filters are a 400 naming the field and value, never a 500", async () => {
    const cases: [string, RegExp][] = [
      [
        "from-day=31&from-month=2&from-year=2021",
        /Date from must be a real date, for example 27 3 2021: "31\/2\/2021" is not/,
      ],
      ["to-day=3&to-year=2021", /Date to must include a month: "3\/\?\/2021" does not/],
      [
        "from-day=2&from-month=3&from-year=2021&to-day=1&to-month=3&to-year=2021",
        /Date to \(1\/3\/2021\) must be the same as or after date from \(2\/3\/2021\)/,
      ],
      ["period=autumn", /Period "autumn" is not a monitoring period, such as 2020-21-q3/],
      ["kind=DROP%20TABLE", /Record kind "DROP TABLE" is not a kind of record Baseplan keeps/],
      ["page=abc", /Page "abc" is not a page number/],
      ["page=0", /Page "0" is not a page number/],
      ["person=a%00b", /null character/],
      ["from-day=x&from-month=1&from-year=2021", /"x\/1\/2021" is not/],
    ];
    for (const [query, message] of cases) {
      const response = await app.inject({ url: `/audit?${query}` });
      assert.equal(response.statusCode, 400, query);
      assert.match(text(response.body), /There is a problem/, query);
      assert.match(text(response.body), message, query);
      assert.doesNotMatch(response.body, /data-testid="audit-row"/, query);
    }
  });

  test("pagination shows the first, the last and the pages near this one", () => {
    assert.deepEqual(pageNumbers(1, 1), [1]);
    assert.deepEqual(pageNumbers(1, 9), [1, 2, 3, null, 9]);
    assert.deepEqual(pageNumbers(5, 9), [1, null, 3, 4, 5, 6, 7, null, 9]);
  });
});

describe("a record's page shows its history", () => {
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

  test("the deliverable, measure, budget line and procurement pages each list their own changes", async () => {
    const { db } = database;
    const [deliverable] = await planRepository.listDeliverables(db);
    assert.ok(deliverable);
    await recordProgress(db, OTHER, {
      deliverableId: deliverable.id,
      version: deliverable.version,
      progress: validForm(progressForm, { quarter: "2020-21-q4", rating: "good", narrative: "On track." }),
    });
    const deliverablePage = await app.inject(`/plan/deliverables/${deliverable.id}`);
    assert.equal(deliverablePage.statusCode, 200);
    const deliverableHistory = historyOf(deliverablePage.body);
    assert.match(
      deliverableHistory,
      new RegExp(`${OTHER.replaceAll(".", "\\.")} Added : Recorded Quarter 4 2020/21 progress`),
    );
    assert.match(deliverableHistory, /\(Quarter 4 2020\/21\)/);

    const measure = await buildMeasure(db, { title: "Made-up measure of library visits" });
    const measurePage = await app.inject(`/measures/${measure.id}`);
    assert.match(
      historyOf(measurePage.body),
      /Added : Added the measure "Made-up measure of library visits"/,
    );

    const report = await forecastOutturnReport(db, "2020-21", 3);
    const line = (report.lines ?? [])[0];
    assert.ok(line);
    await updateForecast(db, OTHER, {
      lineId: line.lineId,
      quarter: 3,
      edit: validForm(forecastEditSchema, {
        controllableBudget: line.controllableBudget.exact,
        forecastOutturn: "£1,234,567.89",
        version: String(line.version),
      }),
    });
    const linePage = await app.inject(`/budget/lines/${line.lineId}`);
    assert.equal(linePage.statusCode, 200);
    assert.match(historyOf(linePage.body), /Forecast outturn: from £[\d,]+\.\d\d to £1,234,567\.89/);

    const procurement = await buildProcurement(db, { title: "Made-up courier service" });
    const procurementPage = await app.inject(`/procurement/${procurement.id}`);
    const procurementHistory = historyOf(procurementPage.body);
    assert.match(
      procurementHistory,
      /Added : Added "Made-up courier service" to the procurement forward plan/,
    );
    assert.doesNotMatch(procurementHistory, /library visits|Recorded Quarter 4/);
  });
});

/** The text of a page's History section. */
function historyOf(html: string): string {
  const at = html.indexOf('data-testid="record-history"');
  assert.ok(at >= 0, "the page has a History section");
  return text(html.slice(at, html.indexOf("</section>", at)));
}
