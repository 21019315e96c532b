import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { FastifyInstance } from "fastify";
import { testApp } from "../../../test/helpers/app.ts";
import { buildCouncil, buildSetting } from "../../../test/helpers/builders.ts";
import { freshDatabase, type TestDatabase } from "../../../test/helpers/database.ts";
import { DELIVERABLE_KEY_SETTING } from "./plan.service.ts";

function text(html: string): string {
  return html
    .replace(/<[^>]+>/g, " ")
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");
}

/** The badges on a page, as "class:words". */
function badges(html: string): string[] {
  return [...html.matchAll(/<strong class="bp-rating bp-rating--([a-z]+)[^"]*">([^<]*)<\/strong>/g)].map(
    (match) => `${match[1]}:${match[2]}`,
  );
}

describe("the plan overview and the dashboard in the council's key for deliverable progress", () => {
  let database: TestDatabase;
  let app: FastifyInstance;

  before(async () => {
    database = await freshDatabase("pglite");
    await buildCouncil(database.db, {
      plan: { title: "Anytown Harbour Plan", fromYear: 2036, toYear: 2039 },
      deliverables: [
        { title: "Light the harbour path" },
        { title: "Reopen the lido" },
        { title: "Move the depot" },
        { title: "Plant the orchard" },
      ],
      progress: [
        { deliverable: "Light the harbour path", startYear: 2036, quarter: 2, rating: "good" },
        { deliverable: "Reopen the lido", startYear: 2036, quarter: 2, rating: "review" },
        { deliverable: "Move the depot", startYear: 2036, quarter: 2, rating: "action" },
      ],
    });
    await buildSetting(database.db, DELIVERABLE_KEY_SETTING, {
      levels: [
        { rating: "good", words: "Sailing", meaning: "Going as the project board agreed" },
        { rating: "review", words: "Wobbling", meaning: "Slipping by up to a month" },
        { rating: "action", words: "Sinking", meaning: "" },
      ],
    });
    app = await testApp(database.db);
  });
  after(async () => {
    await app.close();
    await database.close();
  });

  test("/plan shows each deliverable's rating and the counts in the key's words, on its colour", async () => {
    const response = await app.inject("/plan?quarter=2036-37-q2");
    assert.equal(response.statusCode, 200);
    const body = text(response.body);
    const shown = badges(response.body);
    for (const badge of ["good:Sailing", "review:Wobbling", "action:Sinking"]) {
      // Once beside the deliverable and once in the counts table.
      assert.equal(shown.filter((one) => one === badge).length, 2, `${badge} twice on the plan page`);
    }
    assert.match(body, /Light the harbour path Sailing/);
    assert.match(body, /Plant the orchard No update/);
    // Only the key's three levels are counted: no row for a level the council does not use.
    const counts = response.body.slice(response.body.indexOf('data-testid="rating-counts"'));
    assert.equal(badges(counts.slice(0, counts.indexOf("</table>"))).length, 3);
    assert.match(body, /In Quarter 2 2036\/37: Sailing 1; Wobbling 1; Sinking 1; 1 with no update/);
    assert.doesNotMatch(body, /\b(Strong|Good|Review|Action)\b|Data not available/);
  });

  test("/ counts deliverables in the key's words and names its levels needing attention", async () => {
    const response = await app.inject("/");
    assert.equal(response.statusCode, 200);
    const body = text(response.body);
    assert.match(body, /Quarter 2 2036\/37/);
    assert.match(body, /Deliverables rated Sinking or Wobbling \(2\)/);
    const section = response.body.slice(response.body.indexOf('data-testid="deliverable-counts"'));
    const table = section.slice(0, section.indexOf("</table>"));
    assert.deepEqual(badges(table), ["good:Sailing", "review:Wobbling", "action:Sinking"]);
    // The attention list's badges are in the key's words too.
    const attention = response.body.slice(
      response.body.indexOf('id="attention-deliverables"'),
      response.body.indexOf('id="deliverables"'),
    );
    assert.deepEqual(badges(attention).sort(), ["action:Sinking", "review:Wobbling"]);
    assert.doesNotMatch(text(table), /Good|Review|Action/);
  });

  test("each key's page says what it is for and links to the other", async () => {
    const measures = await app.inject("/settings/ratings");
    assert.equal(measures.statusCode, 200);
    const toDeliverables =
      /data-testid="other-key">([^<]*(?:<(?!\/p>)[^<]*)*)<\/p>/.exec(measures.body)?.[1] ?? "";
    assert.match(toDeliverables, /href="\/settings\/deliverable-ratings"/);
    assert.match(text(toDeliverables), /for measures.*deliverable's progress is rated by its officer/);
    const deliverables = await app.inject("/settings/deliverable-ratings");
    assert.equal(deliverables.statusCode, 200);
    const toMeasures =
      /data-testid="other-key">([^<]*(?:<(?!\/p>)[^<]*)*)<\/p>/.exec(deliverables.body)?.[1] ?? "";
    assert.match(toMeasures, /href="\/settings\/ratings"/);
    assert.match(text(toMeasures), /for deliverables.*Measures are rated by Baseplan/);
  });
});
