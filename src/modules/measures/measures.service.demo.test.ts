import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { sql } from "drizzle-orm";
import { describeOnBothDatabases, TEST_ACTOR } from "../../../test/helpers/database.ts";
import { queryRows } from "../../db/client.ts";
import { type DemoTable, readDemoTables, readDemoTableText } from "./measures.demo.ts";
import { parsePastedTable } from "./measures.paste.ts";
import { listGroups, listRows } from "./measures.repository.ts";
import {
  fillValuePeriods,
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
    new URL("../../../test/fixtures/seeds/service-plan-2021-2025.txt", import.meta.url),
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

const SEED_OF_DOCUMENT: Record<string, string> = {
  "service-plan-2021-2025": "service-plan-2021-2025.txt",
  "service-plan-2024-25": "service-plan-refresh-2024-25.txt",
  "quarterly-report-2020-21-q3": "quarterly-monitoring-2020-21-q3.txt",
};

/**
 * Each demo table as an officer would copy it from the seed: from its header (the plan's nth
 * "Key Performance Measure" line, the refresh's "Outcome N", the report's year row) through its
 * rows, page-break debris, footnote lines and key line, up to the first line of prose.
 */
async function seedPastes(): Promise<{ table: DemoTable; text: string }[]> {
  const pastes: { table: DemoTable; text: string }[] = [];
  let planTables = 0;
  for (const table of await readDemoTables()) {
    const seedFile = SEED_OF_DOCUMENT[table.document];
    assert.ok(seedFile, table.document);
    const lines = readFileSync(
      new URL(`../../../test/fixtures/seeds/${seedFile}`, import.meta.url),
      "utf8",
    ).split("\n");
    let start: number;
    if (table.document === "service-plan-2021-2025") {
      planTables += 1;
      start = lines.flatMap((line, index) => (line.startsWith("Key Performance Measure\t") ? [index] : []))[
        planTables - 1
      ] as number;
    } else if (table.document === "service-plan-2024-25") start = lines.indexOf(table.group.title);
    else start = lines.findIndex((line) => line.startsWith("\t2018/2019"));
    assert.ok(start >= 0, table.file);
    let end = start + 1;
    while (end < lines.length && /^(?:\s*$|.*\t|[-\s]+$|[*^]|- |Key\b)/.test(lines[end] ?? "")) end += 1;
    pastes.push({ table, text: lines.slice(start, end).join("\r\n") });
  }
  return pastes;
}

describeOnBothDatabases("measures of the demo council", (fresh) => {
  test("pasting every seed table gives the rows, cells, ratings, footnotes and key line the demo stored, and saving it again changes nothing", async () => {
    const { db } = await fresh({ demo: true });
    const groups = await listGroups(db);
    const storedRows = await listRows(db);
    const pastes = await seedPastes();
    assert.equal(pastes.length, 10);
    for (const { table, text } of pastes) {
      const group = groups.find(
        (candidate) => candidate.document === table.document && candidate.title === table.group.title,
      );
      assert.ok(group, table.file);
      const preview = await previewImport(db, {
        text,
        document: table.document,
        groupKind: table.group.kind,
        groupTitle: table.group.title,
      });
      assert.deepEqual(preview.problems, [], table.file);
      assert.equal(preview.key, group.keyLine, `key line of ${table.file}`);
      assert.deepEqual(preview.footnotes, group.footnotes, `footnotes of ${table.file}`);
      assert.deepEqual(preview.columns, group.columns, `columns of ${table.file}`);
      const rows = storedRows.filter((row) => row.groupId === group.id);
      assert.deepEqual(
        preview.rows.map((row) => [row.kind, row.title, row.measure?.id ?? null]),
        rows.map((row) => [row.kind, row.titleAsWritten, row.measureId]),
        `rows of ${table.file}`,
      );
      const values = await queryRows<{ measure_id: number; column_heading: string; cell_text: string }>(
        db,
        sql`select measure_id, column_heading, cell_text from measure_values where group_id = ${group.id} and current`,
      );
      const targets = await queryRows<{ measure_id: number; period_label: string; target_text: string }>(
        db,
        sql`select measure_id, period_label, target_text from measure_targets where group_id = ${group.id} and current`,
      );
      const pastedCells: string[] = [];
      const pastedRatings: (string | null)[] = [];
      for (const row of preview.rows) {
        if (!row.measure) continue;
        for (const cell of row.cells) {
          if (cell.column.role === "rating") pastedRatings.push(cell.rating);
          else if (cell.column.role === "target" && cell.text.trim() !== "") {
            pastedCells.push(`${row.measure.id} target ${cell.column.period}: ${cell.text}`);
          } else if (cell.understood && cell.understood.status !== "blank") {
            pastedCells.push(`${row.measure.id} ${cell.column.heading}: ${cell.text}`);
          }
        }
      }
      assert.deepEqual(
        pastedCells.sort(),
        [
          ...values.map((value) => `${value.measure_id} ${value.column_heading}: ${value.cell_text}`),
          ...targets.map(
            (target) => `${target.measure_id} target ${target.period_label}: ${target.target_text}`,
          ),
        ].sort(),
        `cells of ${table.file}`,
      );
      if (group.columns.some((column) => column.role === "rating")) {
        assert.deepEqual(
          pastedRatings,
          rows.filter((row) => row.kind === "measure").map((row) => row.printedRating),
          `printed ratings of ${table.file}`,
        );
      }
    }

    const history = await count(db, "select count(*) as n from measure_values where not current");
    const oldTargets = await count(db, "select count(*) as n from measure_targets where not current");
    for (const { table, text } of pastes) {
      await saveImport(db, TEST_ACTOR, {
        text,
        document: table.document,
        groupKind: table.group.kind,
        groupTitle: table.group.title,
      });
    }
    assert.equal(await count(db, "select count(*) as n from measure_values where not current"), history);
    assert.equal(await count(db, "select count(*) as n from measure_targets where not current"), oldTargets);
    assert.deepEqual(
      (await listGroups(db)).map((group) => [group.title, group.position]),
      groups.map((group) => [group.title, group.position]),
      "every group keeps its place in /measures",
    );
  });

  test("the demo loads 70 measures from 80 table rows, with audit events", async () => {
    const { db } = await fresh({ demo: true, readOnly: true });
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
    const { db } = await fresh({ demo: true, readOnly: true });
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
    const { db } = await fresh({ demo: true, readOnly: true });
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

  test("Strong needs the previous like period: a Dec 20 figure met against a whole 2019/20 year is Good", async () => {
    const { db } = await fresh({ demo: true, readOnly: true });
    const leavers = await rowFor(db, "Percentage of care leavers in suitable accommodation (age 19-21)");
    assert.equal(leavers.latest?.cellText, "96.3% (Dec 20)");
    assert.equal(leavers.rating.rating, "good");
    assert.match(leavers.rating.explanation, /the 96% for 2019\/20 covers a different span from Dec 20/);
    // Two whole years are like periods: 5.82 days for 2020/21 improves on 8.22 for 2019/20.
    const sickness = await rowFor(db, "Average number of days lost to sickness absence (non-schools)");
    assert.equal(sickness.rating.rating, "strong");
  });

  test("a value's own period and span are stored when it is written, and filled for rows written before", async () => {
    const { db } = await fresh({ demo: true });
    const leavers = await rowFor(db, "Percentage of care leavers in suitable accommodation (age 19-21)");
    const stored = async () =>
      queryRows<{ id: string; own_period: string | null; own_period_span: string | null }>(
        db,
        sql`select id::text, own_period, own_period_span from measure_values
            where measure_id = ${leavers.measure.id} and current order by id`,
      );
    const written = await stored();
    assert.ok(written.some((row) => row.own_period === "Dec 20" && row.own_period_span === "month"));
    assert.ok(
      written.some((row) => row.own_period === "2019/20" && row.own_period_span === "financial-year"),
    );
    // A database from before migration 0014: the periods are read from the cells once, at start-up.
    await db.execute(sql`update measure_values set own_period = null, own_period_span = null`);
    assert.equal(
      (await rowFor(db, leavers.titleAsWritten)).rating.explanation.includes("different span"),
      false,
    );
    assert.ok((await fillValuePeriods(db)) > 0);
    assert.deepEqual(await stored(), written);
    assert.match(
      (await rowFor(db, leavers.titleAsWritten)).rating.explanation,
      /the 96% for 2019\/20 covers a different span from Dec 20/,
    );
    assert.equal(await fillValuePeriods(db), 0);
  });

  test("a value flagged when read is not rated as if it were clean: grey, saying why", async () => {
    const { db } = await fresh({ demo: true, readOnly: true });
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
    const { db } = await fresh({ demo: true, readOnly: true });
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
    const { db } = await fresh({ demo: true, readOnly: true });
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
});
