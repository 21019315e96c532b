import assert from "node:assert/strict";
import { test } from "node:test";
import { sql } from "drizzle-orm";
import {
  codeList,
  dictionary,
  everything,
  file,
  long,
  standardDictionary,
} from "../../../test/helpers/benchmark-files.ts";
import { describeOnBothDatabases, TEST_ACTOR } from "../../../test/helpers/database.ts";
import { queryRows } from "../../db/client.ts";
import { importBenchmarks } from "./benchmarks.import.ts";
import { countValues, periodTable, valueHistory } from "./benchmarks.repository.ts";

describeOnBothDatabases("benchmarks: importing the Department's files", (fresh) => {
  test("figures exact, codes kept as codes, ranks and bands stored, periods described", async () => {
    const { db } = await fresh();
    const outcome = await importBenchmarks(db, TEST_ACTOR, everything);
    assert.ok(outcome.ok, JSON.stringify(!outcome.ok && outcome.problems));
    assert.equal(outcome.summary.added, 14);
    const table = await periodTable(db, "WIDG", "2024");
    const byName = Object.fromEntries(table.map((r) => [r.areaName, r]));
    assert.equal(byName.Alphaton?.amount, "18.9");
    assert.equal(byName.Deltaham?.amount, null);
    assert.equal(byName.Deltaham?.code, "c");
    // Higher is better among the four councils with a value: 25, 20.1, 20.1, 18.9.
    assert.deepEqual(
      ["Epsilon Vale", "Betaford", "Gammaley", "Alphaton", "Deltaham"].map((n) => [
        byName[n]?.rank,
        byName[n]?.rankOf,
      ]),
      [
        [1, 4],
        [2, 4],
        [2, 4],
        [4, 4],
        [null, null],
      ],
    );
    // England and regions are published figures, never ranked.
    assert.equal(byName.England?.amount, "21.3");
    assert.equal(byName.England?.rank, null);
    assert.equal(byName.England?.kind, "england");
    const wait = Object.fromEntries((await periodTable(db, "WAIT", "2018/19")).map((r) => [r.areaName, r]));
    assert.deepEqual([wait.Betaford?.rank, wait.Alphaton?.rank, wait.Gammaley?.code], [1, 2, "x"]);
    const counted = await periodTable(db, "COUNT", "2025");
    assert.ok(
      counted.every((r) => r.rank === null && r.band === null),
      "no polarity: no rank, no band",
    );
    const scores = await periodTable(db, "SCORE", "2025");
    assert.ok(
      scores.every((r) => r.band === null),
      "flagged no-quartile: no band",
    );
    assert.equal(scores.find((r) => r.areaName === "Alphaton")?.rank, 1);
    const [period] = await queryRows<{ description: string; q50: string }>(
      db,
      sql`select description, q50::text as q50 from benchmark_periods where measure_code = 'WIDG' and label = '2024'`,
    );
    assert.equal(period?.description, "financial year 2023-24");
    assert.equal(Number(period?.q50), 20.1);
    const [measure] = await queryRows<{ next_update: string; decimals: number }>(
      db,
      sql`select next_update::text as next_update, decimals from benchmark_measures where code = 'WIDG'`,
    );
    assert.deepEqual([measure?.next_update, measure?.decimals], ["2026-06-01", 1]);
  });

  test("the same files twice change nothing; a restated figure keeps its history and re-ranks the rest", async () => {
    const { db } = await fresh();
    assert.ok((await importBenchmarks(db, TEST_ACTOR, everything)).ok);
    const again = await importBenchmarks(db, TEST_ACTOR, everything);
    assert.ok(again.ok);
    assert.deepEqual([again.summary.added, again.summary.restated, again.summary.saved], [0, 0, false]);
    assert.deepEqual(await countValues(db), { all: 14, current: 14 });
    const [imports] = await queryRows<{ n: string }>(
      db,
      sql`select count(*)::text as n from benchmark_imports`,
    );
    assert.equal(imports?.n, "1");

    const newer = long("long-2.csv", [
      "WIDG,Widgets mended,2024,Alphaton,26,101,North",
      "WIDG,,2025,Alphaton,27.5,101,North",
    ]);
    const restated = await importBenchmarks(db, TEST_ACTOR, [newer]);
    assert.ok(restated.ok);
    assert.deepEqual([restated.summary.added, restated.summary.restated], [1, 1]);
    const history = await valueHistory(db, { measureCode: "WIDG", periodLabel: "2024", areaCode: "101" });
    assert.deepEqual(
      history.map((h) => [h.amount, h.current]),
      [
        ["18.9", false],
        ["26", true],
      ],
    );
    const table = Object.fromEntries(
      (await periodTable(db, "WIDG", "2024")).map((r) => [r.areaName, r.rank]),
    );
    assert.deepEqual(table, {
      Alphaton: 1,
      Betaford: 3,
      Gammaley: 3,
      "Epsilon Vale": 2,
      Deltaham: null,
      England: null,
      North: null,
    });
  });

  test("bad input names the row, column and value, and saves nothing", async () => {
    const { db } = await fresh();
    const bad = long("bad.csv", [
      "WIDG,Widgets mended,2024,Alphaton,18.9,101,North",
      "NOPE,Unknown,2024,Alphaton,1,101,North",
      "WIDG,,2024,Nowhere,1,999,North",
      "WIDG,,2024,Alphaton,19.9,101,North",
      "WIDG,,someday,Betaford,1,102,North",
      "WIDG,,2024,Gammaley,lots,103,South",
    ]);
    const outcome = await importBenchmarks(db, TEST_ACTOR, [standardDictionary, codeList, bad]);
    assert.equal(outcome.ok, false);
    const problems = !outcome.ok ? outcome.problems : [];
    const seen = problems.map((p) => [p.file, p.row, p.column, p.value]);
    assert.deepEqual(seen, [
      ["bad.csv", 3, "Short Desc", "NOPE"],
      ["bad.csv", 4, "LA Number", "999"],
      ["bad.csv", 5, "Values", "19.9"],
      ["bad.csv", 6, "Years", "someday"],
      ["bad.csv", 7, "Values", "lots"],
    ]);
    assert.ok(problems.every((p) => p.message.length > 10));
    assert.deepEqual(await countValues(db), { all: 0, current: 0 });
    const [measures] = await queryRows<{ n: string }>(
      db,
      sql`select count(*)::text as n from benchmark_measures`,
    );
    assert.equal(measures?.n, "0", "nothing saved, not even the good files");

    const wrong = await importBenchmarks(db, TEST_ACTOR, [file("budget.csv", ["line,amount", "Staff,100"])]);
    assert.equal(wrong.ok, false);
    assert.match(
      !wrong.ok ? (wrong.problems[0]?.message ?? "") : "",
      /not one of the Department's benchmarking files/,
    );
    const badDictionary = await importBenchmarks(db, TEST_ACTOR, [
      dictionary(["9,Care,Odd,Odd,ODD,Sideways,%,NA,Live,45809,46174,DfE,,1,Financial Year,NA"]),
    ]);
    assert.deepEqual(!badDictionary.ok ? badDictionary.problems.map((p) => [p.row, p.column, p.value]) : [], [
      [3, "Polarity", "Sideways"],
    ]);
  });

  test("a dry run reports what would change and saves nothing", async () => {
    const { db } = await fresh();
    const outcome = await importBenchmarks(db, TEST_ACTOR, everything, { dryRun: true });
    assert.ok(outcome.ok);
    assert.deepEqual([outcome.summary.added, outcome.summary.saved], [14, false]);
    assert.deepEqual(await countValues(db), { all: 0, current: 0 });
  });
});
