import "../../demo/loaders.ts";
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { sql } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { testApp } from "../../../test/helpers/app.ts";
import { buildMeasureGroup, buildSetUpCouncil } from "../../../test/helpers/builders.ts";
import { freshDatabase, type TestDatabase } from "../../../test/helpers/database.ts";

/** The measures list's filter (ratings ticked together, off target, search, counts) on made-up tables. */
describe("the measures list's filter", () => {
  let database: TestDatabase;
  let app: FastifyInstance;

  before(async () => {
    database = await freshDatabase("pglite");
    await buildSetUpCouncil(database.db);
    await buildMeasureGroup(database.db, {
      title: "Roads and streets",
      rows: [
        { code: "RD-1", title: "Potholes filled within 28 days", last: "70%", current: "82%", target: "80%" },
        {
          code: "RD-2",
          title: "Gritting routes treated on time",
          last: "90%",
          current: "60%",
          target: "95%",
        },
        {
          code: "RD-3",
          title: "Streetlights repaired in 7 days",
          last: "50%",
          current: "79%",
          target: "80%",
        },
        { code: "RD-4", title: "Residents’ complaints answered", last: "", current: "", target: "" },
      ],
    });
    await buildMeasureGroup(database.db, {
      title: "Libraries",
      rows: [{ code: "LB-1", title: "Library visits online", last: "40%", current: "20%", target: "50%" }],
    });
    // The pasted tables do not say the direction; an officer records it on each measure's page.
    await database.db.execute(
      sql`update measures set unit = 'percent', polarity = 'higher-is-better', decimals = 0 where code <> 'RD-4'`,
    );
    app = await testApp(database.db);
  });
  after(async () => {
    await app.close();
    await database.close();
  });

  function rowTitles(body: string): string[] {
    return [...body.matchAll(/data-testid="measure-row">\s*<th[^>]*><a[^>]*>([^<]*)<\/a>/g)].map((m) =>
      (m[1] ?? "").replace("&#39;", "'"),
    );
  }

  async function ratingsOf(): Promise<Record<string, string>> {
    const body = (await app.inject("/measures")).body;
    const rows = [...body.matchAll(/data-testid="measure-row">([\s\S]*?)<\/tr>/g)].map((m) => m[1] ?? "");
    return Object.fromEntries(
      rows.map((row) => [
        /<a[^>]*>([^<]*)<\/a>/.exec(row)?.[1] ?? "",
        /bp-rating--(\w+)/.exec(row)?.[1] ?? "",
      ]),
    );
  }

  test("each rating is a tick box with its count; ticking two shows both, and the count of what is shown", async () => {
    const ratings = await ratingsOf();
    const offTarget = Object.entries(ratings)
      .filter(([, rating]) => rating === "review" || rating === "action")
      .map(([title]) => title)
      .sort();
    // Two of the made-up measures miss their targets by a little or a lot; the filter must find them.
    assert.ok(offTarget.length >= 2, `off-target measures among ${JSON.stringify(ratings)}`);

    const list = await app.inject("/measures");
    assert.match(
      list.body,
      /<input class="govuk-checkboxes__input" id="rating" name="rating" type="checkbox" value="strong">/,
    );
    const actionCount = Object.values(ratings).filter((rating) => rating === "action").length;
    assert.match(list.body, new RegExp(`>Action \\(${actionCount}\\)</label>`));
    assert.match(list.body, /Showing 5 of 5 measures\./);

    const both = await app.inject("/measures?rating=review&rating=action");
    assert.equal(both.statusCode, 200);
    assert.deepEqual(rowTitles(both.body).sort(), offTarget);
    assert.match(both.body, new RegExp(`Showing ${offTarget.length} of 5 measures\\.`));
    assert.match(both.body, /value="review" checked>/);
    assert.match(both.body, /value="action" checked>/);
  });

  test("the off-target link names the ratings it stands for, counts them, and keeps the group and search", async () => {
    const list = await app.inject("/measures?q=roads");
    assert.match(
      list.body,
      /<a class="govuk-link" href="\/measures\?rating=review&amp;rating=action&amp;q=roads">Show the \d+ measures? off target<\/a> \(rated Review or Action\)/,
    );
  });

  test("search finds a measure by any words of its title, by its code, whatever the quotes and case", async () => {
    const byWords = await app.inject("/measures?q=GRITTING%20routes");
    assert.deepEqual(rowTitles(byWords.body), ["Gritting routes treated on time"]);
    const byCode = await app.inject("/measures?q=lb1");
    assert.deepEqual(rowTitles(byCode.body), ["Library visits online"]);
    const straightQuote = await app.inject("/measures?q=residents'%20complaints");
    assert.equal(rowTitles(straightQuote.body).length, 1);
    const none = await app.inject("/measures?q=parking");
    assert.match(none.body, /No measures match\./);
    assert.match(none.body, /Showing 0 of 5 measures\./);
  });

  test("the counts beside the ratings follow the group and search, not the ratings ticked", async () => {
    const libraries = await app.inject("/measures?q=library&rating=strong");
    assert.match(libraries.body, /Showing 0 of 5 measures\./);
    const counts = [...libraries.body.matchAll(/govuk-checkboxes__label" for="[^"]+">[^<]*\((\d+)\)</g)].map(
      (m) => Number(m[1]),
    );
    assert.equal(
      counts.reduce((sum, n) => sum + n, 0),
      1,
    );
  });

  test("an unknown rating or a search too long is named beside its field, and nothing is filtered", async () => {
    const unknown = await app.inject("/measures?rating=action&rating=bogus");
    assert.equal(unknown.statusCode, 400);
    assert.match(unknown.body, /href="#rating">There is no rating called &quot;bogus&quot;/);
    assert.match(unknown.body, /Showing 5 of 5 measures\./);
    const long = await app.inject(`/measures?q=${"a".repeat(201)}`);
    assert.equal(long.statusCode, 400);
    assert.match(long.body, /href="#q">Search must be 200 characters or fewer/);
  });
});
