import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { sql } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { testApp } from "../../../test/helpers/app.ts";
import { freshDatabase, type TestDatabase } from "../../../test/helpers/database.ts";
import { formSession } from "../../../test/helpers/forms.ts";
import { queryRows } from "../../db/client.ts";
import { listMeasureGroups, type RatedRow } from "./measures.service.ts";

describe("measures pages", () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let missing: RatedRow;

  before(async () => {
    database = await freshDatabase("pglite", { demo: true });
    app = await testApp(database.db);
    const rows = (await listMeasureGroups(database.db)).flatMap((listing) => listing.rows);
    const found = rows.find(
      (row): row is RatedRow =>
        "measure" in row && row.titleAsWritten.startsWith("Number of missing episodes"),
    );
    assert.ok(found);
    missing = found;
  });
  after(async () => {
    await app.close();
    await database.close();
  });

  async function valueCount(): Promise<number> {
    const [row] = await queryRows<{ n: string }>(
      database.db,
      sql.raw("select count(*) as n from measure_values"),
    );
    return Number(row?.n);
  }

  test("the list groups measures by document and priority, with the rating as a word", async () => {
    const response = await app.inject("/measures");
    assert.equal(response.statusCode, 200);
    assert.match(response.body, /Priority: High performing, value for money and resident focused services/);
    assert.match(response.body, /Theme: Keep Children Safe/i);
    assert.match(response.body, /<strong class="bp-rating bp-rating--action">Action<\/strong>/);
    const filtered = await app.inject("/measures?rating=action");
    assert.match(filtered.body, /Number of missing episodes/);
    assert.doesNotMatch(filtered.body, /Rate of children in care per 10k population/);
    // A filter naming no rating or group says so, beside the field, and applies neither.
    const unknown = await app.inject("/measures?rating=bogus&group=99999");
    assert.equal(unknown.statusCode, 400);
    assert.match(unknown.body, /<title>Error: /);
    assert.match(unknown.body, /href="#rating">There is no rating called &quot;bogus&quot;/);
    assert.match(unknown.body, /href="#group">There is no group numbered &quot;99999&quot;/);
    assert.match(unknown.body, /Rate of children in care per 10k population/);
  });

  test("a measure page shows values with warnings, verdicts, and an accessible chart with its table", async () => {
    const response = await app.inject(`/measures/${missing.measure.id}`);
    assert.equal(response.statusCode, 200);
    assert.match(response.body, /909 \(Dec 20\)/);
    assert.match(response.body, /909 is not less than 810/);
    assert.match(response.body, /<svg [^>]*role="img" aria-labelledby="trend-title trend-desc"/);
    assert.match(response.body, /<title id="trend-title">Trend of Number of missing episodes/);
    assert.match(response.body, /<table class="govuk-table" id="trend-data"/);
    assert.equal((await app.inject("/measures/999999")).statusCode, 404);
    assert.equal((await app.inject("/measures/abc")).statusCode, 404);
  });

  test("editing a value: 400 with an error summary, 403 without CSRF, 303 on success, 409 when stale", async () => {
    const url = `/measures/${missing.measure.id}/values/${missing.latest?.id}`;
    const { token, cookie } = await formSession(app, `${url}/edit`);
    const post = (payload: Record<string, string>, withToken = true) =>
      app.inject({
        method: "POST",
        url,
        headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
        payload: new URLSearchParams({ ...(withToken ? { _csrf: token ?? "" } : {}), ...payload }).toString(),
      });
    const before = await valueCount();
    const empty = await post({ cellText: " ", version: "1" });
    assert.equal(empty.statusCode, 400);
    assert.match(empty.body, /govuk-error-summary/);
    assert.match(empty.body, /<title>Error: /);
    assert.equal((await post({ cellText: "900 (Dec 20)", version: "1" }, false)).statusCode, 403);
    assert.equal(await valueCount(), before);
    const saved = await post({ cellText: "900 (Dec 20)", version: "1" });
    assert.equal(saved.statusCode, 303);
    const stale = await post({ cellText: "901 (Dec 20)", version: "1" });
    assert.equal(stale.statusCode, 409);
    assert.match(stale.body, /Someone else changed this/);
    assert.equal(await valueCount(), before + 1);
  });

  test("the paste import previews a table with its warnings and saves only when asked", async () => {
    const { token, cookie } = await formSession(app, "/measures/import");
    const table = [
      "Key Performance Measure\tActual\tLatest\tTarget",
      "\t2019/20\t2020/21\t2020/21",
      "Proportion of 16 - 17-year-olds NEET and Not Known (3 month average)\t7.4%\t11.6 (Dec 2020)\t4% or less",
      "A pasted new measure\t12%\t(something odd\tWhenever we like",
    ].join("\n");
    const send = (action: string) =>
      app.inject({
        method: "POST",
        url: "/measures/import",
        headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
        payload: new URLSearchParams({
          _csrf: token ?? "",
          document: "pasted-doc",
          groupKind: "priority",
          groupTitle: "Pasted priority",
          table,
          action,
        }).toString(),
      });
    const before = await valueCount();
    const preview = await send("preview");
    assert.equal(preview.statusCode, 200);
    assert.match(preview.body, /has no % sign/);
    assert.match(preview.body, /new measure/);
    // A value and a target that cannot be read are kept as written and flagged, saying why.
    const shown = preview.body.replaceAll("&quot;", '"').replaceAll("&#39;", "'");
    assert.match(shown, /"\(something odd" is not a value Baseplan can read for certain/);
    assert.match(shown, /column "Target 2020\/21", "Whenever we like": /);
    assert.equal(await valueCount(), before);
    const saved = await send("save");
    assert.equal(saved.statusCode, 303);
    assert.ok((await valueCount()) > before);
    const bad = await app.inject({
      method: "POST",
      url: "/measures/import",
      headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
      payload: new URLSearchParams({ _csrf: token ?? "", table: "" }).toString(),
    });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /Paste the table copied from Word or Excel/);
    const list = await app.inject({
      method: "POST",
      url: "/measures/import",
      headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
      payload: new URLSearchParams({
        _csrf: token ?? "",
        document: "service-plan-2024-25",
        groupKind: "outcome",
        groupTitle: "Outcome 2",
        table:
          "- The number of children returning home from care (target for 2024-25 increase from 2023-24)\n- The number of children in care with a placement step down (baseline to be established during 2024-25)",
        action: "preview",
      }).toString(),
    });
    assert.equal(list.statusCode, 200);
    assert.equal((list.body.match(/data-testid="preview-row"/g) ?? []).length, 2);
    assert.match(list.body, /Target 2024-25/);
    assert.match(list.body, /increase from 2023-24/);
  });
  test("the import preview shows a joined line break, a rating read through the key, the footnotes and the key line", async () => {
    const { token, cookie } = await formSession(app, "/measures/import");
    const table = [
      "\t2019/2020\t2020/2021\tTarget\tPerformance",
      'Percentage of pupils in good or better primary schools\t80.7%\t"81.2%\n(Dec 20)"\t91.0%\t🔴',
      "Percentage of pupils in good or better secondary schools\t54.9%\t55.0%\t81.0%\t🟡",
      "Key 🟦 Strong 🟢 Good 🟡 Review 🔴 Action 🟡 Data not available/Target not set *^C autumn term only",
    ].join("\r\n");
    const before = await valueCount();
    const preview = await app.inject({
      method: "POST",
      url: "/measures/import",
      headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
      payload: new URLSearchParams({
        _csrf: token ?? "",
        document: "pasted-report",
        groupKind: "report",
        groupTitle: "Pasted report",
        table,
        action: "preview",
      }).toString(),
    });
    assert.equal(preview.statusCode, 200);
    assert.equal((preview.body.match(/data-testid="preview-row"/g) ?? []).length, 2);
    assert.match(
      preview.body,
      /the copied cell held a line break, &quot;81\.2% \/ \(Dec 20\)&quot;; joined as &quot;81\.2% \(Dec 20\)&quot;/,
    );
    assert.match(preview.body, /Rating printed by the document: Action/);
    assert.match(preview.body, /the key gives 🟡 for more than one rating/);
    assert.match(preview.body, /data-testid="preview-key">Key line: Key 🟦 Strong/);
    assert.match(preview.body, /<strong>\*\^C<\/strong> autumn term only/);
    assert.equal(await valueCount(), before);
  });

  test("a measure page shows its benchmarks and what it evidences, linking to the deliverables", async () => {
    const measures = (await listMeasureGroups(database.db)).flatMap((listing) => listing.rows);
    const vacancies = measures.find(
      (row): row is RatedRow => "measure" in row && row.titleAsWritten.includes("social worker vacancies"),
    );
    assert.ok(vacancies);
    const page = await app.inject(`/measures/${vacancies.measure.id}`);
    assert.match(page.body, /data-testid="benchmarks-table"/);
    assert.match(page.body, /16\.4/);
    assert.match(page.body, /14\.9% is below the national figure of 16\.4%/);
    const gcse = measures.find(
      (row): row is RatedRow =>
        "measure" in row && row.titleAsWritten.startsWith("Percentage achieving a standard pass"),
    );
    assert.ok(gcse);
    const evidenced = await app.inject(`/measures/${gcse.measure.id}`);
    assert.match(evidenced.body, /data-testid="evidenced-deliverables"/);
    assert.match(evidenced.body, /href="\/plan\/deliverables\/\d+"/);
    assert.match(evidenced.body, /Strategic objective \d+/);
    // The plan links a measure to a table of deliverables, and the page says only that.
    assert.match(evidenced.body, /Deliverables in the same table of the plan/);
    assert.doesNotMatch(evidenced.body, /Evidences|Deliverables that name this measure/);
  });

  test("a measure page leads with one rating and labels the others by document; money reads as money", async () => {
    const rated = (await listMeasureGroups(database.db))
      .flatMap((listing) => listing.rows)
      .filter((row): row is RatedRow => "measure" in row);
    const printedTwice = rated.find(
      (row) => rated.filter((other) => other.measure.id === row.measure.id).length > 1,
    );
    assert.ok(printedTwice, "a measure printed in more than one table");
    const page = (await app.inject(`/measures/${printedTwice.measure.id}`)).body;
    assert.equal((page.match(/data-testid="measure-rating"/g) ?? []).length, 1);
    const others = [...page.matchAll(/data-testid="measure-rating-other"><strong>([^<]+)<\/strong>/g)];
    assert.ok(others.length >= 1, "the other documents' ratings are there, each named");
    const money = rated.find((row) => row.measure.unit === "money" && row.latest?.amount);
    assert.ok(money, "a money measure with a figure");
    const moneyPage = (await app.inject(`/measures/${money.measure.id}`)).body;
    assert.doesNotMatch(moneyPage, /Figure \d/);
    assert.match(moneyPage, /<td class="govuk-table__cell">\s*-?£[\d,]+/);
  });

  test("editing a measure's details: 400 with an error summary, 303 on success, 409 when stale", async () => {
    const url = `/measures/${missing.measure.id}/details`;
    const { token, cookie } = await formSession(app, `/measures/${missing.measure.id}/edit`);
    const post = (payload: Record<string, string>) =>
      app.inject({
        method: "POST",
        url,
        headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
        payload: new URLSearchParams({ _csrf: token ?? "", ...payload }).toString(),
      });
    const version = String(missing.measure.version);
    const good = { title: missing.measure.title, unit: "count", polarity: "lower-is-better", decimals: "0" };
    const bad = await post({ ...good, title: "", decimals: "one", version });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /<title>Error: /);
    assert.match(bad.body, /Enter the measure&#39;s title|Enter the measure's title/);
    assert.match(bad.body, /Decimal places must be a whole number/);
    const noUnit = await post({ title: "x", polarity: "monitor", version });
    assert.match(noUnit.body, /Choose the unit/);
    assert.equal((await post({ ...good, owner: "Service manager", version })).statusCode, 303);
    const shown = await app.inject(`/measures/${missing.measure.id}`);
    assert.match(shown.body, /Service manager/);
    const stale = await post({ ...good, owner: "Someone else", version });
    assert.equal(stale.statusCode, 409);
    assert.match(stale.body, /Someone else changed this/);
  });
});
