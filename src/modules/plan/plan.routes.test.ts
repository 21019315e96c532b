import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { sql } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { testApp } from "../../../test/helpers/app.ts";
import { freshDatabase, type TestDatabase } from "../../../test/helpers/database.ts";
import { formSession } from "../../../test/helpers/forms.ts";
import { queryRows } from "../../db/client.ts";
import * as repository from "./plan.repository.ts";

describe("plan pages", () => {
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

  async function deliverableId(slug: string): Promise<number> {
    const deliverable = await repository.findDeliverableBySlug(database.db, slug);
    assert.ok(deliverable);
    return deliverable.id;
  }

  test("/plan shows the golden thread and counts by rating for the latest quarter", async () => {
    const response = await app.inject("/plan");
    assert.equal(response.statusCode, 200);
    assert.match(response.body, /enterprising council, delivering value for money/);
    assert.match(response.body, /Objective 21:/);
    assert.match(response.body, /Updates by rating, Quarter 3 2020\/21 \(7 updates\)/);
    assert.match(
      response.body,
      /Review<\/strong><\/th><td class="govuk-table__cell govuk-table__cell--numeric">3</,
    );
    assert.match(response.body, /31 deliverables in the plan/);
    assert.match(response.body, /not matched to a plan deliverable/);
  });

  test("/plan for a quarter with no updates shows zero counts", async () => {
    const response = await app.inject("/plan?quarter=2021-22-q1");
    assert.equal(response.statusCode, 200);
    assert.match(response.body, /Quarter 1 2021\/22 \(0 updates\)/);
  });

  test("a deliverable shows its dates as written and as understood, flags, measures and history", async () => {
    const blank = await app.inject(`/plan/deliverables/${await deliverableId("sp2021-d09")}`);
    assert.equal(blank.statusCode, 200);
    assert.match(blank.body, /\(blank in the plan\)/);
    assert.match(blank.body, /Flag: No start or finish dates are given/);
    const yearOnly = await app.inject(`/plan/deliverables/${await deliverableId("sp2021-d23")}`);
    assert.match(yearOnly.body, /data-testid="dates-as-written">2022</);
    assert.match(yearOnly.body, /Flag:/);
    const reported = await app.inject(`/plan/deliverables/${await deliverableId("sp2021-d05")}`);
    assert.match(reported.body, /Quarter 3 2020\/21/);
    assert.match(reported.body, /Flagged as requiring review/);
    assert.match(reported.body, /Linked key performance measures/);
  });

  test("/plan says which quarter 3 ratings are inferred, how many of each and why", async () => {
    const response = await app.inject("/plan?quarter=2020-21-q3");
    assert.match(
      response.body,
      /Good<\/strong><\/th><td class="govuk-table__cell govuk-table__cell--numeric">4<\/td><td class="govuk-table__cell govuk-table__cell--numeric">4</,
    );
    assert.match(response.body, /Good 3, of which 3 inferred;/);
    assert.match(response.body, /Good 1, of which 1 inferred; Review 2;/);
    assert.match(response.body, /4 of the 7 ratings in Quarter 3 2020\/21 are inferred, not stated/);
    assert.match(response.body, /<li>section 2\.1 says progress is &quot;good&quot; for the majority/);
    assert.equal((response.body.match(/data-testid="rating-inferred"/g) ?? []).length, 4);
  });

  test("/plan shows the 2024-25 refresh's own priorities as its sentence gives them", async () => {
    const response = await app.inject("/plan");
    assert.match(
      response.body,
      /Departmental priorities \(Children(&#39;|')s Services Service Plan Refresh 2024-25\)/,
    );
    const section = /data-testid="departmental-priorities">([\s\S]*?)<\/div>/.exec(response.body)?.[1] ?? "";
    assert.equal((section.match(/<li>/g) ?? []).length, 7);
    assert.match(section, /<li>develop and reform our fostering service<\/li>/);
    assert.match(section, /These strategic objectives reflect our priorities to:/);
  });

  test("a deliverable's progress history says an inferred rating is inferred and why", async () => {
    const inferred = await app.inject(`/plan/deliverables/${await deliverableId("sp2021-d14")}`);
    assert.match(inferred.body, /Good \(inferred: section 2\.1 says progress is &quot;good&quot;/);
    const stated = await app.inject(`/plan/deliverables/${await deliverableId("sp2021-d05")}`);
    assert.doesNotMatch(stated.body, /\(inferred:/);
  });

  test("a progress form for a quarter outside the plan's period is re-shown with 400 on the quarter", async () => {
    const id = await deliverableId("sp2021-d04");
    const { token, cookie, page } = await formSession(app, `/plan/deliverables/${id}`);
    assert.doesNotMatch(page.body, /value="2019-20-q4"/);
    assert.match(page.body, /value="2020-21-q1"/);
    assert.match(page.body, /value="2025-26-q4"/);
    const response = await app.inject({
      method: "POST",
      url: `/plan/deliverables/${id}/progress`,
      payload: new URLSearchParams({
        _csrf: token ?? "",
        version: "1",
        quarter: "1999-00-q1",
        rating: "good",
        narrative: "Long ago.",
      }).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded", cookie },
    });
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /<title>Error: /);
    assert.match(response.body, /href="#quarter">Quarter 1 1999\/00 is outside the .*2020\/21 to 2025\/26/);
    assert.equal((await repository.listProgressFor(database.db, id)).length, 0);
  });

  test("a measure's page links each strategic objective it evidences to the objective on the Base Plan", async () => {
    const [row] = await queryRows<{ id: string | number }>(
      database.db,
      sql`select m.id from measures m join outcome_measure_links l on l.measure_id = m.id
          where l.outcome_number = 4 order by m.id limit 1`,
    );
    assert.ok(row);
    const measure = await app.inject(`/measures/${row.id}`);
    assert.equal(measure.statusCode, 200);
    const objectives = /data-testid="evidenced-objectives">([\s\S]*?)<\/ul>/.exec(measure.body)?.[1] ?? "";
    const links = [...objectives.matchAll(/href="(\/plan\/base-plan\?plan=[^"#]+)#(objective-\d+)"/g)];
    assert.ok(links.length > 0, "the measure links no objective");
    for (const [, url, anchor] of links) {
      const target = await app.inject(url ?? "");
      assert.equal(target.statusCode, 200);
      assert.match(target.body, new RegExp(`id="${anchor}"`));
    }
  });

  test("an unknown deliverable is a 404", async () => {
    assert.equal((await app.inject("/plan/deliverables/99999")).statusCode, 404);
    assert.equal((await app.inject("/plan/deliverables/abc")).statusCode, 404);
  });

  test("a progress form with a bad rating and no narrative is re-shown with 400 and an error summary", async () => {
    const id = await deliverableId("sp2021-d02");
    const { token, cookie } = await formSession(app, `/plan/deliverables/${id}`);
    const response = await app.inject({
      method: "POST",
      url: `/plan/deliverables/${id}/progress`,
      payload: new URLSearchParams({
        _csrf: token ?? "",
        version: "1",
        quarter: "2021-22-q1",
        rating: "excellent",
        narrative: "",
      }).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded", cookie },
    });
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /<title>Error: /);
    assert.match(response.body, /govuk-error-summary/);
    assert.match(response.body, /href="#rating"/);
    assert.match(response.body, /href="#narrative"/);
    assert.equal((await repository.listProgressFor(database.db, id)).length, 0);
  });

  test("a deliverable opened from a period's missing list starts its progress form at that quarter", async () => {
    const id = await deliverableId("sp2021-d03");
    const chosen = await app.inject(`/plan/deliverables/${id}?quarter=2020-21-q4`);
    assert.equal(chosen.statusCode, 200);
    assert.match(chosen.body, /<option value="2020-21-q4" selected>/);
    assert.equal((chosen.body.match(/<option value="[^"]+" selected>/g) ?? []).length, 1);
    // Anything else is no choice at all, never an error: the form starts at the latest open quarter.
    const unknown = await app.inject(`/plan/deliverables/${id}?quarter=2020-21-q9`);
    assert.equal(unknown.statusCode, 200);
    const plain = await app.inject(`/plan/deliverables/${id}`);
    const selected = (body: string) => body.match(/<option value="[^"]+" selected>/g) ?? [];
    assert.deepEqual(selected(unknown.body), selected(plain.body));
    assert.equal(selected(plain.body).length, 1);
  });

  test("a good progress form redirects with 303; a stale one is a 409 conflict page", async () => {
    const id = await deliverableId("sp2021-d03");
    const { token, cookie } = await formSession(app, `/plan/deliverables/${id}`);
    const post = (narrative: string) =>
      app.inject({
        method: "POST",
        url: `/plan/deliverables/${id}/progress`,
        payload: new URLSearchParams({
          _csrf: token ?? "",
          version: "1",
          quarter: "2020-21-q4",
          rating: "good",
          narrative,
        }).toString(),
        headers: { "content-type": "application/x-www-form-urlencoded", cookie },
      });
    const saved = await post("Recovery plan agreed.");
    assert.equal(saved.statusCode, 303);
    assert.equal(saved.headers.location, `/plan/deliverables/${id}#progress-history`);
    const stale = await post("From an old form.");
    assert.equal(stale.statusCode, 409);
    assert.match(stale.body, /Someone else changed this/);
    assert.equal((await repository.listProgressFor(database.db, id)).length, 1);
  });

  test("/plan/base-plan draws the timeline as an SVG image with a text alternative and states the missing months", async () => {
    const response = await app.inject("/plan/base-plan");
    assert.equal(response.statusCode, 200);
    assert.match(response.body, /<svg role="img" aria-labelledby="base-plan-svg-title base-plan-svg-desc"/);
    assert.match(
      response.body,
      /The plan gives no start or end months for 30 of its 30 supporting activities/,
    );
    assert.match(response.body, /April 2024 to March 2025/);
    assert.match(response.body, /data-testid="base-plan-table"/);
  });

  test("/risks lists the 7 risks and the grid, with every risk not yet assessed", async () => {
    const response = await app.inject("/risks");
    assert.equal(response.statusCode, 200);
    assert.equal((response.body.match(/(Inherent|Residual): Not yet assessed/g) ?? []).length, 14);
    assert.match(response.body, /Likelihood 5<\/th>/);
    assert.equal((response.body.match(/<li>R\d: /g) ?? []).length, 7);
  });

  test("/risks shades each grid cell by its band and always writes the band", async () => {
    const body = (await app.inject("/risks")).body;
    const cells = [...body.matchAll(/bp-risk-cell--(\d)" data-severity="\d">(\d+) (\w+)/g)].map(
      ([, severity, score, band]) => [Number(score), band, Number(severity)],
    );
    assert.equal(cells.length, 25);
    assert.deepEqual(cells[0], [5, "Medium", 3]);
    assert.deepEqual(cells[4], [25, "High", 4]);
    assert.deepEqual(cells[20], [1, "Low", 1]);
  });
});
