import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { sql } from "drizzle-orm";
import { describeOnBothDatabases, TEST_ACTOR } from "../../../test/helpers/database.ts";
import { queryRows } from "../../db/client.ts";
import { Conflict, ValidationFailed } from "../../errors.ts";
import { readDemoTables, readDemoTableText } from "./measures.demo.ts";
import { parsePastedTable } from "./measures.paste.ts";
import {
  editValue,
  listMeasureGroups,
  measureFigures,
  measurePage,
  previewImport,
  type RatedRow,
  saveImport,
} from "./measures.service.ts";

async function count(db: Parameters<typeof queryRows>[0], query: string): Promise<number> {
  const [row] = await queryRows<{ n: number | string }>(db, sql.raw(query));
  return Number(row?.n);
}

async function rowFor(
  db: Parameters<typeof listMeasureGroups>[0],
  title: string,
  document?: string,
): Promise<RatedRow> {
  const listings = await listMeasureGroups(db);
  for (const listing of listings) {
    if (document && listing.group.document !== document) continue;
    for (const row of listing.rows) if ("measure" in row && row.titleAsWritten === title) return row;
  }
  throw new Error(`no row titled ${title}`);
}

test("pasting the raw seed table (page-break fragment, dashes) gives the same rows and cells as the demo file", async () => {
  const seed = readFileSync(
    new URL("../../../test/fixtures/seeds/000_601d8111f3df9bb9.txt", import.meta.url),
    "utf8",
  );
  const lines = seed.split("\n");
  const start = lines.findIndex((line, index) => index > 280 && line.startsWith("Key Performance Measure"));
  const raw = lines.slice(start, start + 14).join("\r\n");
  const tables = await readDemoTables();
  const demo = tables.find((table) => table.file.includes("06-"));
  assert.ok(demo);
  const fromDemo = parsePastedTable(await readDemoTableText(demo));
  const fromSeed = parsePastedTable(raw);
  assert.deepEqual(fromSeed.columns, fromDemo.columns);
  assert.deepEqual(
    fromSeed.rows.map((row) => [row.title, row.cells]),
    fromDemo.rows.map((row) => [row.title, row.cells]),
  );
  const joined = fromSeed.rows.find((row) => row.joins.length > 0);
  assert.equal(joined?.cells[2], "0.05 (Dec 20 - cumulative over academic year)");
});

test("every demo table's header rows give the columns recorded in tables.json", async () => {
  const tables = JSON.parse(
    readFileSync(new URL("../../../data/demo/measures/tables.json", import.meta.url), "utf8"),
  ) as { file: string; columns: unknown }[];
  for (const table of tables) {
    const text = readFileSync(new URL(`../../../data/demo/measures/${table.file}`, import.meta.url), "utf8");
    assert.deepEqual(parsePastedTable(text).columns, table.columns, table.file);
  }
});

describeOnBothDatabases("measures", (fresh) => {
  test("the demo loads 70 measures from 80 table rows, with audit events", async () => {
    const { db } = await fresh({ demo: true });
    assert.equal(await count(db, "select count(*) as n from measures"), 70);
    assert.equal(await count(db, "select count(*) as n from measure_rows where kind = 'measure'"), 80);
    assert.equal(await count(db, "select count(*) as n from measure_groups"), 10);
    assert.ok(
      (await count(db, "select count(*) as n from audit_events where entity_type = 'measure'")) >= 70,
    );
    assert.equal(
      await count(
        db,
        "select count(*) as n from audit_events where action = 'import' and entity_type = 'measure-group'",
      ),
      10,
    );
  });

  test("measureFigures gives each measure the values, targets and rated rows its page gives", async () => {
    const { db } = await fresh({ demo: true });
    const [rowIds] = await queryRows<{ ids: (number | string)[] }>(
      db,
      sql`select array_agg(id order by id) as ids from measures`,
    );
    const ids = (rowIds?.ids ?? []).map(Number);
    const figures = await measureFigures(db, [...ids, 999_999]);
    assert.equal(figures.size, 70);
    assert.equal(figures.has(999_999), false);
    for (const id of ids) {
      const page = await measurePage(db, id);
      const summary = figures.get(id);
      assert.deepEqual(summary?.rows, page.rows, `rows of measure ${id}`);
      assert.deepEqual(summary?.values, page.values, `values of measure ${id}`);
      assert.deepEqual(
        summary?.targets,
        page.targets.map((verdict) => verdict.target),
        `targets of measure ${id}`,
      );
    }
  });

  test("ratings computed from the stored seed data", async () => {
    const { db } = await fresh({ demo: true });
    const missing = await rowFor(db, "Number of missing episodes (overall total, rolling 12 months)");
    assert.equal(missing.latest?.cellText, "909 (Dec 20)");
    assert.equal(missing.target?.targetText, "Less than 810");
    assert.equal(missing.rating.rating, "action");

    const inCare = await rowFor(db, "Rate of children in care per 10k population");
    assert.equal(inCare.rating.rating, "not-available");
    assert.equal(inCare.rating.meta.colour, "grey");

    const homes = await rowFor(
      db,
      "Percentage of Council run children's homes rated as 'Good' or 'Outstanding' by Ofsted",
      "quarterly-report-2020-21-q3",
    );
    assert.equal(homes.latest?.cellText, "81.8%");
    assert.equal(homes.rating.rating, "action");
    assert.equal(
      homes.printedRating?.toLowerCase(),
      homes.rating.rating,
      "the computed rating agrees with the report's",
    );
  });

  test("a value flagged when read is not rated as if it were clean: grey, saying why", async () => {
    const { db } = await fresh({ demo: true });
    const neet = await rowFor(db, "Proportion of 16 - 17-year-olds NEET and Not Known (3 month average)");
    assert.equal(neet.latest?.cellText, "11.6 (Dec 2020)");
    assert.equal(neet.rating.rating, "not-available");
    assert.match(neet.rating.explanation, /11\.6 has no % sign but this measure is a percentage/);
    const savings = await rowFor(db, "Percentage of year-end budget savings targets achieved");
    assert.equal(savings.latest?.cellText, "77.1% (Dec 19)");
    assert.equal(savings.rating.rating, "not-available");
    assert.match(savings.rating.explanation, /outside the 2020\/21 column/);
  });

  test("care leavers in suitable accommodation and a top-quartile target with no benchmarks", async () => {
    const { db } = await fresh({ demo: true });
    const listings = await listMeasureGroups(db);
    const rows = listings
      .flatMap((listing) => listing.rows)
      .filter((row): row is RatedRow => "measure" in row);
    const careLeavers = rows.find((row) => /care leavers.*suitable accommodation/i.test(row.titleAsWritten));
    assert.ok(careLeavers, "care leavers row");
    assert.match(careLeavers.latest?.cellText ?? "", /^96\.3%/);
    assert.ok(["good", "strong"].includes(careLeavers.rating.rating), careLeavers.rating.explanation);

    const neet = rows.find((row) =>
      row.titleAsWritten.startsWith("Proportion of 16 and 17-year-olds not in education"),
    );
    assert.ok(neet);
    const page = await measurePage(db, neet.measure.id);
    const quartile = page.targets.find(
      (verdict) => verdict.target.targetText === "Achieve top-quartile performance",
    );
    assert.ok(quartile);
    assert.equal(quartile.rating.verdict.outcome, "cannot-assess");
    assert.equal(quartile.rating.rating, "not-available");
  });

  test("a different target for the same year in a later document is flagged, and both are kept as written", async () => {
    const { db } = await fresh({ demo: true });
    const row = await rowFor(
      db,
      "Percentage of pupils in good or better primary schools",
      "quarterly-report-2020-21-q3",
    );
    const page = await measurePage(db, row.measure.id);
    const report = page.targets.find((verdict) => verdict.target.document === "quarterly-report-2020-21-q3");
    assert.equal(report?.target.targetText, "91.0%");
    assert.match(report?.target.changedFrom ?? "", /^Increase national ranking by 10 places/);
    assert.ok(
      page.targets.some((verdict) => verdict.target.targetText === "Increase national ranking by 10 places"),
    );
  });

  test("a stale edit is refused and changes nothing; a good one keeps the old value as history", async () => {
    const { db } = await fresh({ demo: true });
    const row = await rowFor(db, "Number of missing episodes (overall total, rolling 12 months)");
    const value = row.latest;
    assert.ok(value);
    const edited = await editValue(db, TEST_ACTOR, {
      measureId: row.measure.id,
      recordId: value.id,
      version: value.version,
      text: "905 (Dec 20)",
    });
    await assert.rejects(
      editValue(db, TEST_ACTOR, {
        measureId: row.measure.id,
        recordId: value.id,
        version: value.version,
        text: "1 (Dec 20)",
      }),
      Conflict,
    );
    const page = await measurePage(db, row.measure.id);
    assert.ok(
      page.values.some((candidate) => candidate.id === edited.id && candidate.cellText === "905 (Dec 20)"),
    );
    assert.ok(!page.values.some((candidate) => candidate.cellText === "1 (Dec 20)"));
    assert.ok(page.history.some((candidate) => candidate.cellText === "909 (Dec 20)"));
    assert.equal(
      await count(
        db,
        `select count(*) as n from audit_events where entity_type = 'measure-value' and action = 'restate'`,
      ),
      1,
    );
  });

  test("an import with a bad row saves nothing and names the row", async () => {
    const { db } = await fresh({ demo: true });
    const before = await count(db, "select count(*) as n from measure_values");
    const text = [
      "Key Performance Measure\tActual\tTarget",
      "\t2019/20\t2020/21",
      "A brand new measure\t12%\t15%",
      "Another new measure\t3%\t5%\textra cell",
    ].join("\n");
    const preview = await previewImport(db, { text, document: "d", groupKind: "priority", groupTitle: "G" });
    assert.match(preview.problems[0]?.message ?? "", /Row 4 \("Another new measure"\).*"extra cell"/);
    await assert.rejects(
      saveImport(db, TEST_ACTOR, { text, document: "d", groupKind: "priority", groupTitle: "G" }),
      ValidationFailed,
    );
    assert.equal(await count(db, "select count(*) as n from measure_values"), before);
    assert.equal(await count(db, "select count(*) as n from measures"), 70);
  });
});
