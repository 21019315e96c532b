import { testApp } from "../../../test/helpers/app.ts";
import { formSession, multipart } from "../../../test/helpers/forms.ts";
import "../../demo/loaders.ts";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { sql } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { everything, long } from "../../../test/helpers/benchmark-files.ts";
import { buildMeasureGroup, buildSetUpCouncil } from "../../../test/helpers/builders.ts";
import { freshDatabase, TEST_ACTOR, type TestDatabase } from "../../../test/helpers/database.ts";
import { queryRows } from "../../db/client.ts";
import { importBenchmarks } from "./benchmarks.import.ts";
import { linkMeasuresBySlug } from "./benchmarks.repository.ts";

const FORM = "application/x-www-form-urlencoded";

describe("benchmark pages", () => {
  let database: TestDatabase;
  let app: FastifyInstance;

  before(async () => {
    database = await freshDatabase("pglite");
    await buildSetUpCouncil(database.db);
    const outcome = await importBenchmarks(database.db, TEST_ACTOR, everything);
    assert.ok(outcome.ok);
    app = await testApp(database.db);
  });
  after(async () => {
    await app.close();
    await database.close();
  });

  async function post(path: string, fields: Record<string, string>) {
    const { token, cookie, page } = await formSession(app, path);
    const version = /name="version" value="([^"]*)"/.exec(page.body)?.[1] ?? "";
    return app.inject({
      method: "POST",
      url: path,
      payload: new URLSearchParams({ _csrf: token ?? "", version, ...fields }).toString(),
      headers: { "content-type": FORM, cookie },
    });
  }

  test("without a DfE code the pages say so and still show every council", async () => {
    const list = await app.inject("/benchmarks?q=widgets");
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /no DfE code set/);
    assert.match(list.body, /href="\/benchmarks\/WIDG">Widgets mended/);
    assert.doesNotMatch(list.body, /Waiting days/);
    const table = await app.inject("/benchmarks/WIDG/2024");
    assert.equal(table.statusCode, 200);
    assert.match(table.body, /no DfE code set/);
    assert.doesNotMatch(table.body, /data-testid="our-row"/);
  });

  test("the CSV has exactly the columns asked for, one row per council, the value as published", async () => {
    const csv = await app.inject("/benchmarks/WIDG/2024.csv");
    assert.equal(csv.statusCode, 200);
    assert.match(String(csv.headers["content-type"]), /text\/csv/);
    const lines = csv.body.trim().split("\r\n");
    assert.equal(lines[0], "la_code,la_name,region,value,rank,rank_of,quartile_band");
    assert.deepEqual(lines.slice(1), [
      "101,Alphaton,North,18.9,4,4,D",
      "102,Betaford,North,20.1,2,4,C",
      "104,Deltaham,South,c,,,",
      "105,Epsilon Vale,South,25,1,4,A",
      "103,Gammaley,South,20.1,2,4,C",
    ]);
    // A period label with a slash, encoded as one path segment or not.
    assert.equal((await app.inject("/benchmarks/WAIT/2018%2F19.csv")).statusCode, 200);
    assert.equal((await app.inject("/benchmarks/WAIT/2018/19")).statusCode, 200);
    assert.equal((await app.inject("/benchmarks/WAIT/2030")).statusCode, 404);
    assert.equal((await app.inject("/benchmarks/NOPE")).statusCode, 404);
  });

  test("with the council's DfE code: its row, region, neighbours and comparison over time", async () => {
    const refused = await post("/benchmarks/settings", { dfeCode: "999", tolerance: "1" });
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /no council with DfE code 999/);
    assert.match(refused.body, /href="#dfeCode"/);
    const bad = await post("/benchmarks/settings", { dfeCode: "83", tolerance: "lots" });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /href="#tolerance"/);
    const saved = await post("/benchmarks/settings", { dfeCode: "101", tolerance: "0.5" });
    assert.equal(saved.statusCode, 303);

    const table = await app.inject("/benchmarks/WIDG/2024?sort=value&order=desc");
    assert.equal(table.statusCode, 200);
    assert.match(
      table.body,
      /data-testid="our-row"[^>]*>\s*<th scope="row" class="govuk-table__header">Alphaton/,
    );
    assert.match(table.body, /England \(published\)<\/dt><dd class="govuk-summary-list__value">21.3/);
    assert.match(table.body, /North \(published\)<\/dt><dd class="govuk-summary-list__value">19.5/);
    // Alphaton's neighbours are Betaford (20.1) and Gammaley (20.1).
    assert.match(table.body, /20.1, the mean of the 2 of 2 neighbours with a figure/);
    const order = [...table.body.matchAll(/<th scope="row" class="govuk-table__header">([^<]+)</g)].map(
      (m) => m[1],
    );
    assert.deepEqual(order, ["Epsilon Vale", "Betaford", "Gammaley", "Alphaton", "Deltaham"]);
    assert.match(
      table.body,
      /aria-sort="descending"><a class="govuk-link" href="[^"]*sort=value&amp;order=asc">Value/,
    );
    assert.equal((await app.inject("/benchmarks/WIDG/2024?sort=sideways")).statusCode, 400);

    const measure = await app.inject("/benchmarks/WIDG");
    assert.equal(measure.statusCode, 200);
    assert.match(measure.body, /data-testid="comparison-chart"/);
    assert.match(measure.body, /<svg[^>]*role="img"/);
    // 18.9 against England's 21.3: a gap of -2.4; rank 4 of 4, band D.
    assert.match(
      measure.body,
      /18.9<\/td>\s*<td[^>]*>21.3<\/td>\s*<td[^>]*>19.5<\/td>\s*<td[^>]*>20.1<\/td>\s*<td[^>]*>-2.4<\/td>\s*<td[^>]*>4 of 4<\/td>\s*<td[^>]*>D</,
    );
    assert.match(measure.body, /Figures in the comparison chart/);
  });

  test("a council's measure linked to a Department measure: beside England, region and neighbours; its target judged on them", async () => {
    await buildMeasureGroup(database.db, {
      reportingPeriod: "Q4 2023/24",
      rows: [
        {
          code: "BM-1",
          title: "Widgets mended by the council",
          last: "19.0%",
          current: "20.5%",
          target: "in line with statistical neighbours",
        },
      ],
    });
    const [measure] = await queryRows<{ id: number; slug: string }>(
      database.db,
      sql`select id::int as id, slug from measures where title = 'Widgets mended by the council'`,
    );
    assert.ok(measure);
    // The pasted table does not say the unit or direction; an officer records them on the details page.
    await database.db.execute(
      sql`update measures set unit = 'percent', polarity = 'higher-is-better', decimals = 1 where id = ${measure.id}`,
    );
    assert.equal(await linkMeasuresBySlug(database.db, { [measure.slug]: "WIDG" }), 1);

    // No DfE code: the page says so and shows no council's figures as ours.
    assert.equal((await post("/benchmarks/settings", { dfeCode: "", tolerance: "0.5" })).statusCode, 303);
    const without = await app.inject(`/measures/${measure.id}`);
    assert.equal(without.statusCode, 200);
    assert.match(without.body, /Compared with other councils/);
    assert.match(without.body, /no DfE code set/);
    assert.doesNotMatch(without.body, /data-testid="latest-comparison"/);
    // Without the council's code there are no neighbours to average; the target says what is missing.
    assert.match(without.body, /Cannot assess: no statistical-neighbour average for Q4 2023\/24\./);

    assert.equal((await post("/benchmarks/settings", { dfeCode: "101", tolerance: "0.5" })).statusCode, 303);
    const page = await app.inject(`/measures/${measure.id}`);
    assert.equal(page.statusCode, 200);
    const text = page.body.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");
    // Alphaton's 18.9 for 2024 (financial year 2023-24) against England 21.3, North 19.5 and the
    // neighbours' 20.1: gaps -2.4, -0.6, -1.2 points; rank 4 of 4, band D.
    assert.match(
      text,
      /Latest published period financial year 2023-24 Alphaton 18.9 England 21.3 \(gap -2.4 percentage points\) North 19.5 \(gap -0.6 percentage points\) Statistical neighbours' average 20.1 \(gap -1.2 percentage points\) National rank 4 of 4 Quartile band D \(bottom quartile\)/,
    );
    assert.match(page.body, /data-testid="comparison-chart"/);
    assert.match(page.body, /<svg[^>]*role="img"/);
    assert.match(page.body, /Figures in the comparison chart/);
    // The council's own 20.5% for Q4 2023/24 against the neighbours' published average, within the 0.5 tolerance.
    assert.match(
      text,
      /20.5% is in line with the statistical-neighbour average of 20.1% for financial year 2023-24 \(DfE, LAIT\): 0.4 percentage points apart, within 0.5 percentage points./,
    );
  });

  test("a measure is linked to a Department measure from its own page, judged on it, and unlinked", async () => {
    assert.equal((await post("/benchmarks/settings", { dfeCode: "101", tolerance: "1" })).statusCode, 303);
    await buildMeasureGroup(database.db, {
      reportingPeriod: "Q4 2023/24",
      rows: [
        { code: "LK-1", title: "Widgets put right", last: "19.0%", current: "20.5%", target: "top quartile" },
      ],
    });
    const [measure] = await queryRows<{ id: number }>(
      database.db,
      sql`select id::int as id from measures where title = 'Widgets put right'`,
    );
    assert.ok(measure);
    const path = `/measures/${measure.id}/benchmark`;
    const before = await app.inject(`/measures/${measure.id}`);
    assert.match(before.body, /data-testid="no-benchmark-link"/);
    assert.match(before.body, new RegExp(`href="${path}"`));

    const search = await app.inject(`${path}?q=widgets`);
    assert.equal(search.statusCode, 200);
    assert.match(search.body, /not linked to one of the Department's measures/);
    assert.match(
      search.body,
      /<input class="govuk-radios__input" id="code" name="code" type="radio" value="WIDG"/,
    );
    assert.doesNotMatch(search.body, /value="WAIT"/);
    assert.match((await app.inject(`${path}?q=nothing-like-it`)).body, /No Department measure matches/);

    const unchosen = await post(path, { action: "link", q: "widgets" });
    assert.equal(unchosen.statusCode, 400);
    assert.match(
      unchosen.body,
      /href="#code">Choose the Department(&#39;|')s measure to link this measure to/,
    );
    assert.match((await app.inject(`/measures/${measure.id}`)).body, /data-testid="no-benchmark-link"/);

    const linked = await post(path, { action: "link", code: "WIDG" });
    assert.equal(linked.statusCode, 303);
    assert.equal(linked.headers.location, `/measures/${measure.id}#other-councils`);
    const page = await app.inject(`/measures/${measure.id}`);
    const text = page.body.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");
    assert.match(text, /Benchmark targets: Baseplan's assessment/);
    // 20.5% against the councils' 18.9, 20.1, 20.1 and 25 for financial year 2023-24: not top quartile.
    assert.match(
      text,
      /"top quartile" \(Q4 2023\/24 target\): [^"]*Judged by Baseplan against Widgets mended \(DfE, LAIT\), financial year 2023-24\./,
    );
    assert.match(page.body, /data-testid="latest-comparison"/);

    // A form opened before the link was made is refused and changes nothing.
    const { token, cookie } = await formSession(app, path);
    const stale = await app.inject({
      method: "POST",
      url: path,
      payload: new URLSearchParams({
        _csrf: token ?? "",
        version: "0",
        action: "link",
        code: "WAIT",
      }).toString(),
      headers: { "content-type": FORM, cookie },
    });
    assert.equal(stale.statusCode, 400);
    assert.match(stale.body, /Someone else changed this measure(&#39;|')s benchmark/);
    assert.match(
      (await app.inject(path)).body,
      /data-testid="linked-now"><a class="govuk-link" href="\/benchmarks\/WIDG">/,
    );

    const removed = await post(path, { action: "remove" });
    assert.equal(removed.statusCode, 303);
    const after = await app.inject(`/measures/${measure.id}`);
    assert.match(after.body, /data-testid="no-benchmark-link"/);
    assert.doesNotMatch(after.body, /Baseplan's assessment/);
    assert.equal((await app.inject(`/measures/99999999/benchmark`)).statusCode, 404);
    assert.equal((await app.inject(`/measures/abc/benchmark`)).statusCode, 404);
    assert.equal((await post(path, { action: "sideways" })).statusCode, 400);
  });

  test("the import page checks a file, then saves it; bad rows are listed and nothing is saved", async () => {
    async function upload(
      file: { name: string; bytes: Uint8Array } | null,
      mode: string,
      reportingYear = "",
      directions = "",
    ) {
      const { token, cookie } = await formSession(app, "/benchmarks/import");
      const body = multipart({ _csrf: token ?? "", mode, reportingYear, directions }, file);
      return app.inject({
        method: "POST",
        url: "/benchmarks/import",
        payload: body.payload,
        headers: { "content-type": body.contentType, cookie },
      });
    }
    const newer = long("newer.csv", ["WIDG,Widgets mended,2025,Betaford,31.25,102,North"]);
    const checked = await upload(newer, "check");
    assert.equal(checked.statusCode, 200);
    assert.match(checked.body, /Checked: nothing saved yet/);
    assert.match(checked.body, /1 figures would be added/);
    assert.equal((await app.inject("/benchmarks/WIDG/2025.csv")).statusCode, 404);
    const saved = await upload(newer, "save");
    assert.match(saved.body, /Saved/);
    const csv = await app.inject("/benchmarks/WIDG/2025.csv");
    assert.match(csv.body, /102,Betaford,North,31.25,/);

    const bad = await upload(long("bad.csv", ["WIDG,,2025,Nowhere,3,777,North"]), "save");
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /href="#file"/);
    assert.match(
      bad.body,
      /<td class="govuk-table__cell">2<\/td><td class="govuk-table__cell">LA Number<\/td><td class="govuk-table__cell">777<\/td>/,
    );
    // A statistics file: refused until the person says where its reporting year ends, then saved.
    const made = readFileSync(
      new URL("../../../test/fixtures/benchmarks/statistics-made-up.csv", import.meta.url),
    );
    const statistics = { name: "statistics.csv", bytes: new Uint8Array(made) };
    const unsaid = await upload(statistics, "save");
    assert.equal(unsaid.statusCode, 400);
    assert.match(
      unsaid.body,
      /<td class="govuk-table__cell">time_identifier<\/td><td class="govuk-table__cell">Reporting year<\/td>/,
    );
    const said = await upload(statistics, "save", "financial");
    assert.equal(said.statusCode, 200);
    assert.match(said.body, /Saved/);
    const rates = await app.inject(
      `/benchmarks/${encodeURIComponent("rate_per_10000 (Widgets in care)")}/2025.csv`,
    );
    assert.match(rates.body, /101,Alphaton,North,55.1,,,/);
    assert.match(rates.body, /103,Gammaley,South,low,,,/);
    const page = await app.inject(`/benchmarks/${encodeURIComponent("rate_per_10000 (Widgets in care)")}`);
    assert.match(page.body, /DfE, Explore Education Statistics/);
    assert.equal((await upload(statistics, "save", "june")).statusCode, 400);
    // Saved without a direction, the indicator's councils have no rank.
    assert.match(rates.body, /101,Alphaton,North,55.1,,,\r\n/);

    // Which way is better, given on the page: a line that is not one is refused beside the field,
    // naming it, with what was typed kept; nothing is saved.
    const sideways = await upload(
      statistics,
      "save",
      "financial",
      "rate_per_10000 (Widgets in care): sideways",
    );
    assert.equal(sideways.statusCode, 400);
    assert.match(sideways.body, /href="#directions"/);
    assert.match(
      sideways.body,
      /id="directions-error"[\s\S]*Line 1, &quot;rate_per_10000 \(Widgets in care\): sideways&quot;/,
    );
    assert.match(
      sideways.body,
      /<textarea[^>]*name="directions"[^>]*>rate_per_10000 \(Widgets in care\): sideways<\/textarea>/,
    );
    const unknown = await upload(statistics, "save", "financial", "no_such_indicator: higher");
    assert.equal(unknown.statusCode, 400);
    assert.match(unknown.body, /id="directions-error"[\s\S]*has the indicator no_such_indicator/);
    assert.doesNotMatch(unknown.body, /data-testid="import-problems"/);
    const ranked = await upload(
      statistics,
      "save",
      "financial",
      "\r\nrate_per_10000 (Widgets in care): lower\r\n",
    );
    assert.equal(ranked.statusCode, 200);
    assert.match(ranked.body, /Saved/);
    const rankedCsv = async () =>
      (await app.inject(`/benchmarks/${encodeURIComponent("rate_per_10000 (Widgets in care)")}/2025.csv`))
        .body;
    assert.match(await rankedCsv(), /101,Alphaton,North,55.1,\d+,\d+,[A-D]\r\n/);
    // Kept at a later import that gives no direction.
    const again = await upload(statistics, "save", "financial");
    assert.equal(again.statusCode, 200);
    assert.match(await rankedCsv(), /101,Alphaton,North,55.1,\d+,\d+,[A-D]\r\n/);
    const none = await upload(null, "save");
    assert.equal(none.statusCode, 400);
    assert.match(none.body, /Choose a .parquet or .csv file/);
  });
});
