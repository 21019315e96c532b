import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { FastifyInstance } from "fastify";
import { testApp } from "../../../test/helpers/app.ts";
import { buildSetUpCouncil } from "../../../test/helpers/builders.ts";
import { freshDatabase, TEST_ACTOR, type TestDatabase } from "../../../test/helpers/database.ts";
import { validForm } from "../../web/forms.ts";
import * as planRepository from "../plan/plan.repository.ts";
import { progressForm } from "../plan/plan.schemas.ts";
import { recordProgress } from "../plan/plan.service.ts";

function text(html: string): string {
  return html
    .replace(/<[^>]+>/g, " ")
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");
}

describe("the dashboard page", () => {
  let database: TestDatabase;
  let empty: TestDatabase;
  let app: FastifyInstance;
  let emptyApp: FastifyInstance;

  before(async () => {
    database = await freshDatabase("pglite", { demo: true });
    empty = await freshDatabase("pglite");
    await buildSetUpCouncil(empty.db);
    app = await testApp(database.db);
    emptyApp = await testApp(empty.db);
  });
  after(async () => {
    await app.close();
    await emptyApp.close();
    await database.close();
    await empty.close();
  });

  test("/ names the council, the department and the quarter shown, and leads with what needs attention", async () => {
    const response = await app.inject("/");
    assert.equal(response.statusCode, 200);
    const body = text(response.body);
    assert.match(response.body, /<title>Dashboard, Quarter 3 2020\/21 – Baseplan<\/title>/);
    assert.match(body, /Derbyshire County Council Children's Services dashboard/);
    assert.match(body, /Where the department stands in Quarter 3 2020\/21 , the latest published quarter/);
    const attention = response.body.indexOf('id="needs-attention"');
    assert.ok(attention > 0);
    for (const section of ['id="deliverables"', 'id="measures"', 'id="budget"', 'id="savings"']) {
      assert.ok(response.body.indexOf(section) > attention, `${section} comes after needs attention`);
    }
    assert.match(body, /Measures rated Action or Review \(\d+\)/);
    assert.match(body, /Deliverables rated Action or Review \(3\)/);
    assert.match(body, /Budget lines rated Red \(7\)/);
    assert.match(body, /Savings initiatives not on track \(8\)/);
    assert.match(
      response.body,
      /<strong class="bp-rating bp-rating--action">Red<\/strong> <a class="govuk-link" href="\/budget\/lines\/\d+\?quarter=3">Placements for Children in Care\/unable to remain at home<\/a>/,
    );
    assert.match(response.body, /href="\/plan\/deliverables\/\d+"/);
    assert.match(response.body, /href="\/measures\/\d+"/);
  });

  test("/ gives counts by rating as words with their classes, linking to the plan and the measures filter", async () => {
    const body = (await app.inject("/")).body;
    assert.match(
      body,
      /<strong class="bp-rating bp-rating--good">Good<\/strong><\/th>\s*<td[^>]*><a class="govuk-link" href="\/plan\?quarter=2020-21-q3">4<span class="govuk-visually-hidden"> deliverables rated Good<\/span><\/a>/,
    );
    assert.match(
      body,
      /<strong class="bp-rating bp-rating--review">Review<\/strong><\/th>\s*<td[^>]*><a class="govuk-link" href="\/plan\?quarter=2020-21-q3">3<span class="govuk-visually-hidden"> deliverables rated Review/,
    );
    assert.match(
      body,
      /href="\/measures\?rating=action">\d+<span class="govuk-visually-hidden"> measures rated Action/,
    );
    assert.match(body, /bp-rating--none">Data not available \/ target not set<\/strong>/);
    // No colour without its word: every rating element has text.
    assert.doesNotMatch(body, /class="bp-rating[^"]*"><\/strong>/);
  });

  test("/ draws the counts by rating as small charts, each bar in its rating's colour with its word", async () => {
    const body = (await app.inject("/")).body;
    const chart = (testId: string) =>
      body.match(new RegExp(`data-testid="${testId}"><svg.*?</svg>`, "s"))?.[0] ?? "";
    const deliverables = chart("deliverable-chart");
    assert.match(deliverables, /role="img"/);
    assert.match(
      deliverables,
      /<desc id="deliverable-chart-desc">7 updates: 0 Strong, 4 Good, 3 Review, 0 Action/,
    );
    // A bar per rating in its colour (zero wide for a count of 0), Strong to not available.
    assert.deepEqual(
      [...deliverables.matchAll(/<rect[^>]*fill="(#[0-9a-f]{6})"/g)]
        .map((match) => match[1])
        .filter((fill) => fill !== "#ffffff"),
      ["#1d70b8", "#00703c", "#ffdd00", "#d4351c", "#b1b4b6"],
    );
    assert.match(chart("measure-chart"), /Measures by rating, latest figures/);
  });

  test("/ gives the budget position after funding and the savings, with links to the budget pages", async () => {
    const response = await app.inject("/");
    const body = text(response.body);
    assert.match(body, /Controllable budget after additional funding 130\.432/);
    assert.match(body, /Full year forecast 134\.676/);
    assert.match(body, /Forecast under \(-\)\/ over spend 4\.244/);
    assert.match(body, /Percentage under \(-\)\/ over spend 3\.3%/);
    assert.match(body, /Budget performance Red/);
    assert.match(
      response.body,
      /href="\/budget\/2020-21\/q3">See the forecast outturn for Quarter 3 2020\/21/,
    );
    assert.match(body, /Budget savings target 3\.179/);
    assert.match(body, /Forecast to be achieved by the year end 1\.207/);
    assert.match(body, /7 of 15 initiatives are forecast to achieve their reduction/);
    assert.match(response.body, /href="\/budget\/2020-21\/q3\/savings"/);
  });

  test("the quarter is chosen with a GET form that works without JavaScript; an unknown one is said so", async () => {
    const page = await app.inject("/");
    assert.match(page.body, /<form method="get" action="\/"/);
    assert.match(page.body, /<option value="2020-21-q3" selected>Quarter 3 2020\/21<\/option>/);
    const chosen = await app.inject("/?quarter=2020-21-q3");
    assert.equal(chosen.statusCode, 200);
    assert.doesNotMatch(chosen.body, /data-testid="unknown-quarter"/);
    for (const url of ["/?quarter=2018-19-q2", "/?quarter=%3Cscript%3E", "/?quarter=a&quarter=b"]) {
      const response = await app.inject(url);
      assert.equal(response.statusCode, 200, url);
      assert.match(response.body, /data-testid="unknown-quarter"/, url);
      assert.match(text(response.body), /Where the department stands in Quarter 3 2020\/21/, url);
      assert.doesNotMatch(response.body, /<script>/, url);
    }
  });

  test("one deliverable update for a later quarter does not move the dashboard from the published quarter", async () => {
    const [deliverable] = await planRepository.listDeliverables(database.db);
    assert.ok(deliverable);
    await recordProgress(database.db, TEST_ACTOR, {
      deliverableId: deliverable.id,
      version: deliverable.version,
      progress: validForm(progressForm, { quarter: "2020-21-q4", rating: "good", narrative: "On track." }),
    });
    const body = text((await app.inject("/")).body);
    assert.match(body, /Where the department stands in Quarter 3 2020\/21 , the latest published quarter/);
  });

  test("an earlier quarter chosen from the list shows its own deliverables and says its budget is not recorded", async () => {
    const [deliverable] = await planRepository.listDeliverables(database.db);
    assert.ok(deliverable);
    await recordProgress(database.db, TEST_ACTOR, {
      deliverableId: deliverable.id,
      version: deliverable.version,
      progress: validForm(progressForm, {
        quarter: "2020-21-q2",
        rating: "action",
        narrative: "Behind plan.",
      }),
    });
    assert.match((await app.inject("/")).body, /<option value="2020-21-q2">Quarter 2 2020\/21<\/option>/);
    const response = await app.inject("/?quarter=2020-21-q2");
    assert.equal(response.statusCode, 200);
    const body = text(response.body);
    assert.match(body, /Where the department stands in Quarter 2 2020\/21 , the quarter you chose/);
    assert.match(body, /No budget forecast is recorded for Quarter 2 2020\/21/);
    assert.match(body, /No savings forecast is recorded for Quarter 2 2020\/21/);
    assert.match(
      response.body,
      new RegExp(
        `bp-rating--action">Action</strong> <a class="govuk-link" href="/plan/deliverables/${deliverable.id}">`,
      ),
    );
  });

  test("with nothing recorded, / says what to do rather than showing empty figures", async () => {
    const response = await emptyApp.inject("/");
    assert.equal(response.statusCode, 200);
    assert.match(response.body, /data-testid="no-quarter"/);
    assert.doesNotMatch(response.body, /id="needs-attention"/);
    assert.doesNotMatch(response.body, /<svg/);
    // What to set up next, in order, is the first thing after the title; the demo has none.
    assert.match(response.body, /id="next-steps"/);
    assert.doesNotMatch((await app.inject("/")).body, /id="next-steps"/);
  });
});
