import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { FastifyInstance } from "fastify";
import { testApp } from "../../../test/helpers/app.ts";
import { buildRecordedQuarter } from "../../../test/helpers/builders.ts";
import { freshDatabase, type TestDatabase } from "../../../test/helpers/database.ts";

/** The budget pages show every quarter with a forecast, on a council made up for the test. */
describe("budget pages for every quarter with a forecast", () => {
  let database: TestDatabase;
  let app: FastifyInstance;

  before(async () => {
    database = await freshDatabase("pglite");
    await buildRecordedQuarter(database.db, { startYear: 2030, quarter: 4 });
    app = await testApp(database.db);
  });
  after(async () => {
    await app.close();
    await database.close();
  });

  test("/budget shows the latest quarter with a forecast entered, and links to the others", async () => {
    const page = await app.inject("/budget");
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Showing 2030\/31 quarter 4, the latest quarter with budget monitoring\./);
    assert.match(page.body, /4\.765/);
    assert.match(page.body, /href="\/budget\/2030-31\/q3">2030\/31 quarter 3</);
    assert.match(page.body, /href="\/budget\/2030-31\/q4">2030\/31 quarter 4</);
  });

  test("/budget/<year>/q4 shows the entered quarter 4 forecast; quarter 3 keeps its own", async () => {
    const q4 = await app.inject("/budget/2030-31/q4");
    assert.equal(q4.statusCode, 200);
    assert.doesNotMatch(q4.body, /No forecast has been reported/);
    assert.match(
      q4.body,
      /Highways maintenance<\/a><\/th>\s*<td[^>]*>4\.200<\/td>\s*<td[^>]*>4\.765<\/td>\s*<td[^>]*>0\.565</,
    );
    const q3 = await app.inject("/budget/2030-31/q3");
    assert.match(q3.body, /Highways maintenance<\/a><\/th>\s*<td[^>]*>4\.200<\/td>\s*<td[^>]*>4\.200<\/td>/);
    const q2 = await app.inject("/budget/2030-31/q2");
    assert.match(q2.body, /No forecast has been reported for 2030\/31 quarter 2\./);
  });
});
