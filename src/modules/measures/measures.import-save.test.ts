import assert from "node:assert/strict";
import { test } from "node:test";
import { sql } from "drizzle-orm";
import { describeOnBothDatabases, TEST_ACTOR } from "../../../test/helpers/database.ts";
import { type Database, queryRows } from "../../db/client.ts";
import { saveImport } from "./measures.service.ts";

/**
 * The import's save at more than a handful of rows (decision 0044): a made-up council's KPI table
 * of a few hundred rows saves every value, target, printed rating and benchmark exactly, and a
 * later edition restates only the cells it changes. Nothing here is the demo council's.
 */

// More than a statement's worth of values (1,000), so the chunked writes are crossed.
const ROWS = 520;
const HEADER = [
  "Indicator",
  "Description",
  "Directorate",
  "Last quarter",
  "This quarter",
  "Target",
  "Status",
  "Trend",
];
const STATUSES = ["Red", "Amber", "Green"];
const DOCUMENT = "Made-up borough performance report";
const GROUP = "Corporate indicators";

interface Row {
  code: string;
  title: string;
  last: string;
  now: string;
  target: string;
  status: string;
}

/** The made-up table's rows: every 40th this-quarter cell carries a national benchmark. */
function madeUpRows(): Row[] {
  return Array.from({ length: ROWS }, (_, index) => {
    const now = `${((300 + ((index * 53) % 600)) / 10).toFixed(1)}%`;
    return {
      code: `ZQ${String(index + 1).padStart(3, "0")}`,
      title: `Share of made-up requests of kind ${index + 1} answered in time`,
      last: `${((300 + ((index * 37) % 600)) / 10).toFixed(1)}%`,
      now: index % 40 === 0 ? `${now} (national 61.5%)` : now,
      target: `${60 + (index % 25)}%`,
      status: STATUSES[index % 3] ?? "Amber",
    };
  });
}

function tableText(rows: readonly Row[]): string {
  return [
    HEADER.join("\t"),
    ...rows.map((row) =>
      [row.code, row.title, "Made-up directorate", row.last, row.now, row.target, row.status, "Better"].join(
        "\t",
      ),
    ),
  ].join("\n");
}

function importTable(db: Database, rows: readonly Row[], reportingPeriod: string) {
  return saveImport(db, TEST_ACTOR, {
    text: tableText(rows),
    document: DOCUMENT,
    groupKind: "report",
    groupTitle: GROUP,
    reportingPeriod,
  });
}

async function count(db: Database, query: ReturnType<typeof sql>): Promise<number> {
  const [row] = await queryRows<{ n: string | number }>(db, query);
  return Number(row?.n);
}

async function counts(db: Database) {
  return {
    measures: await count(db, sql`select count(*) as n from measures`),
    values: await count(db, sql`select count(*) as n from measure_values`),
    currentValues: await count(db, sql`select count(*) as n from measure_values where current`),
    targets: await count(db, sql`select count(*) as n from measure_targets`),
    currentTargets: await count(db, sql`select count(*) as n from measure_targets where current`),
    ratings: await count(db, sql`select count(*) as n from measure_printed_ratings`),
    currentRatings: await count(db, sql`select count(*) as n from measure_printed_ratings where current`),
    benchmarks: await count(db, sql`select count(*) as n from measure_benchmarks where current`),
    rows: await count(db, sql`select count(*) as n from measure_rows`),
  };
}

/** One measure's current records, by its code, as stored. */
async function recordsOf(db: Database, code: string) {
  const [measure] = await queryRows<{
    id: string | number;
    title: string;
    other_titles: unknown;
    version: number;
  }>(db, sql`select id, title, other_titles, version from measures where code = ${code}`);
  assert.ok(measure, `no measure ${code}`);
  const id = Number(measure.id);
  const values = await queryRows<{
    column_heading: string;
    period_key: string;
    cell_text: string;
    amount: string | null;
    decimals: number | null;
  }>(
    db,
    sql`select column_heading, period_key, cell_text, amount::text as amount, decimals from measure_values
        where measure_id = ${id} and current order by id`,
  );
  const targets = await queryRows<{ period_key: string; target_text: string; changed_from: string | null }>(
    db,
    sql`select period_key, target_text, changed_from from measure_targets where measure_id = ${id} and current`,
  );
  const ratings = await queryRows<{ period_key: string; rating_text: string }>(
    db,
    sql`select period_key, rating_text from measure_printed_ratings where measure_id = ${id} and current`,
  );
  const otherTitles =
    typeof measure.other_titles === "string" ? JSON.parse(measure.other_titles) : measure.other_titles;
  return { id, title: measure.title, otherTitles, version: measure.version, values, targets, ratings };
}

describeOnBothDatabases("an import of a few hundred rows", (fresh) => {
  test("saves every value, target, printed rating and benchmark; the same table again changes nothing; a later edition restates only what changed", async () => {
    const { db } = await fresh();
    const rows = madeUpRows();
    await importTable(db, rows, "Q2 2027/28");

    const benchmarked = rows.filter((row) => row.now.includes("national")).length;
    assert.deepEqual(await counts(db), {
      measures: ROWS,
      values: ROWS * 2,
      currentValues: ROWS * 2,
      targets: ROWS,
      currentTargets: ROWS,
      ratings: ROWS,
      currentRatings: ROWS,
      benchmarks: benchmarked,
      rows: ROWS,
    });
    // A sample of cells, exactly as the table wrote them and as they were read.
    const zq137 = await recordsOf(db, "ZQ137");
    assert.equal(zq137.title, "Share of made-up requests of kind 137 answered in time");
    assert.deepEqual(
      zq137.values.map((value) => [
        value.column_heading,
        value.period_key,
        value.cell_text,
        value.amount,
        value.decimals,
      ]),
      [
        ["Last quarter", "Q1 2027/28", "53.2%", "53.2", 1],
        ["This quarter", "Q2 2027/28", "30.8%", "30.8", 1],
      ],
    );
    assert.deepEqual(
      zq137.targets.map((target) => [target.period_key, target.target_text]),
      [["Q2 2027/28", "71%"]],
    );
    assert.deepEqual(
      zq137.ratings.map((rating) => [rating.period_key, rating.rating_text]),
      [["Q2 2027/28", "Amber"]],
    );
    const zq081 = await recordsOf(db, "ZQ081");
    assert.deepEqual(
      zq081.values.map((value) => [value.cell_text, value.amount, value.decimals]),
      [
        ["86.0%", "86", 1],
        ["34.0% (national 61.5%)", "34", 1],
      ],
    );
    const [benchmark] = await queryRows<{ amount: string; period_key: string; value_text: string }>(
      db,
      sql`select b.amount::text as amount, b.period_key, v.cell_text as value_text from measure_benchmarks b
          join measure_values v on v.id = b.value_id where b.measure_id = ${zq081.id}`,
    );
    assert.deepEqual(benchmark, {
      amount: "61.5",
      period_key: "Q2 2027/28",
      value_text: "34.0% (national 61.5%)",
    });
    // The rows keep the table's order and its printed ratings.
    const printed = await queryRows<{ position: number; rating: string | null }>(
      db,
      sql`select position, printed_rating as rating from measure_rows order by position`,
    );
    assert.deepEqual(
      printed.map((row) => row.rating),
      rows.map((row) => row.status),
    );
    // One audit event for each new measure, in the table's order, then the import's.
    const events = await queryRows<{ action: string; entity_type: string; summary: string }>(
      db,
      sql`select action, entity_type, summary from audit_events where actor = ${TEST_ACTOR} order by id`,
    );
    assert.equal(events.length, ROWS + 1);
    assert.deepEqual(events[136], {
      action: "create",
      entity_type: "measure",
      summary:
        'Added the measure "Share of made-up requests of kind 137 answered in time" from a pasted table',
    });
    assert.equal(
      events.at(-1)?.summary,
      `Imported the table "${GROUP}" (${DOCUMENT}): ${ROWS} rows, ${ROWS * 3} cells`,
    );

    // The same table again: nothing new, nothing superseded.
    await importTable(db, rows, "Q2 2027/28");
    assert.deepEqual(await counts(db), {
      measures: ROWS,
      values: ROWS * 2,
      currentValues: ROWS * 2,
      targets: ROWS,
      currentTargets: ROWS,
      ratings: ROWS,
      currentRatings: ROWS,
      benchmarks: benchmarked,
      rows: ROWS,
    });

    // The table corrected: every 3rd row's this quarter, every 5th row's title, every 7th row's
    // status and every 11th row's target differ. Only those cells are restated.
    const corrected = rows.map((row, index) => ({
      ...row,
      now: index % 3 === 0 ? "12.5%" : row.now,
      title: index % 5 === 0 ? `${row.title} (reworded)` : row.title,
      status: index % 7 === 0 ? "Green" : row.status,
      target: index % 11 === 0 ? "99%" : row.target,
    }));
    const changedValues = rows.filter((_, index) => index % 3 === 0).length;
    const changedRatings = rows.filter((row, index) => index % 7 === 0 && row.status !== "Green").length;
    const changedTargets = rows.filter((_, index) => index % 11 === 0).length;
    const retitled = rows.filter((_, index) => index % 5 === 0).length;
    // A benchmark read from a restated value is no longer current (rows at multiples of 120).
    const benchmarksRestated = rows.filter((_, index) => index % 40 === 0 && index % 3 === 0).length;
    await importTable(db, corrected, "Q2 2027/28");
    assert.deepEqual(await counts(db), {
      measures: ROWS,
      values: ROWS * 2 + changedValues,
      currentValues: ROWS * 2,
      targets: ROWS + changedTargets,
      currentTargets: ROWS,
      ratings: ROWS + changedRatings,
      currentRatings: ROWS,
      benchmarks: benchmarked - benchmarksRestated,
      rows: ROWS,
    });
    // A restated value points to the one that replaced it.
    const superseded = await queryRows<{ old: string; replacement: string; current: boolean }>(
      db,
      sql`select o.cell_text as old, n.cell_text as replacement, n.current from measure_values o
          join measure_values n on n.id = o.superseded_by where not o.current order by o.id`,
    );
    assert.equal(superseded.length, changedValues);
    assert.ok(superseded.every((pair) => pair.replacement === "12.5%" && pair.current));
    const zq001 = await recordsOf(db, "ZQ001");
    assert.equal(zq001.title, "Share of made-up requests of kind 1 answered in time (reworded)");
    assert.deepEqual(zq001.otherTitles, ["Share of made-up requests of kind 1 answered in time"]);
    assert.equal(zq001.version, 2);
    assert.deepEqual(
      zq001.values.map((value) => value.cell_text),
      ["30.0%", "12.5%"],
    );
    assert.deepEqual(
      zq001.targets.map((target) => [target.target_text, target.changed_from]),
      [["99%", `60% (${DOCUMENT})`]],
    );
    assert.deepEqual(
      zq001.ratings.map((rating) => rating.rating_text),
      ["Green"],
    );
    const retitles = await count(
      db,
      sql`select count(*) as n from audit_events where action = 'update' and entity_type = 'measure'`,
    );
    assert.equal(retitles, retitled);
    const [lastImport] = await queryRows<{ summary: string; after: unknown }>(
      db,
      sql`select summary, after from audit_events where action = 'import' order by id desc limit 1`,
    );
    assert.equal(
      lastImport?.summary,
      `Imported the table "${GROUP}" (${DOCUMENT}): ${ROWS} rows, ${changedValues + changedTargets} cells (${ROWS * 3 - changedValues - changedTargets} unchanged cells kept as they were)`,
    );
  });
});
