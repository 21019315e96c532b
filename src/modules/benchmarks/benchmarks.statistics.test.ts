import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { everything, file } from "../../../test/helpers/benchmark-files.ts";
import { describeOnBothDatabases, TEST_ACTOR } from "../../../test/helpers/database.ts";
import type { UploadedFile } from "./benchmarks.files.ts";
import { importBenchmarks } from "./benchmarks.import.ts";
import {
  countValues,
  listMeasures,
  listPeriods,
  periodTable,
  valueHistory,
} from "./benchmarks.repository.ts";

/** The made-up statistics file, as read from the fixture, or changed line by line for a test. */
const FIXTURE = readFileSync(
  new URL("../../../test/fixtures/benchmarks/statistics-made-up.csv", import.meta.url),
  "utf8",
)
  .replace(/\n$/, "")
  .split("\n");

function statistics(change: (lines: string[]) => string[] = (lines) => lines): UploadedFile {
  return file("statistics.csv", change([...FIXTURE]));
}

const IN_CARE_RATE = "rate_per_10000 (Widgets in care)";

describeOnBothDatabases(
  "benchmarks: the Department's statistics files (Explore Education Statistics shape)",
  (fresh) => {
    test("each indicator and filter value is a measure; figures exact, codes kept; the same file twice changes nothing", async () => {
      const { db } = await fresh();
      assert.ok((await importBenchmarks(db, TEST_ACTOR, everything)).ok);

      // The file does not say where its reporting year ends: refused, naming the column and value.
      const unsaid = await importBenchmarks(db, TEST_ACTOR, [statistics()]);
      assert.equal(unsaid.ok, false);
      assert.ok(!unsaid.ok);
      assert.deepEqual(
        unsaid.problems.map((p) => [p.row, p.column, p.value]),
        [[3, "time_identifier", "Reporting year"]],
      );
      const before = await countValues(db);

      const outcome = await importBenchmarks(db, TEST_ACTOR, [statistics()], { reportingYear: "financial" });
      assert.ok(outcome.ok, JSON.stringify(!outcome.ok && outcome.problems));
      assert.equal(outcome.summary.saved, true);
      // 10 rows of England, regions and councils with two indicators each, less one empty cell.
      assert.equal(outcome.summary.added, 19);
      assert.ok(outcome.summary.notes.some((n) => /1 empty cells/.test(n)));
      assert.ok(outcome.summary.notes.some((n) => /Local authority district/.test(n)));
      assert.equal((await countValues(db)).current, before.current + 19);

      const measures = (await listMeasures(db)).filter(
        (m) => m.source === "DfE, Explore Education Statistics",
      );
      assert.deepEqual(measures.map((m) => m.code).sort(), [
        "children_count (Widgets in care)",
        "children_count (Widgets leaving care)",
        "rate_per_10000 (Widgets in care)",
        "rate_per_10000 (Widgets leaving care)",
      ]);
      const rate = measures.find((m) => m.code === IN_CARE_RATE);
      assert.equal(rate?.title, "Widgets in care: rate per 10000");
      assert.equal(rate?.polarity, "monitor");

      const table = Object.fromEntries(
        (await periodTable(db, IN_CARE_RATE, "2025")).map((r) => [r.areaName, r]),
      );
      assert.equal(table.Alphaton?.amount, "55.1");
      assert.equal(table.Betaford?.amount, "60.9", "float noise read to the figure published");
      assert.equal(table.Gammaley?.amount, null);
      assert.equal(table.Gammaley?.code, "low", "a suppression code kept as the code, never zero");
      assert.equal(table.England?.amount, "61.25");
      assert.equal(table.North?.amount, "58");
      assert.ok(
        Object.values(table).every((r) => r?.rank === null && r?.band === null),
        "no direction: no ranks",
      );
      const leaving = Object.fromEntries(
        (await periodTable(db, "children_count (Widgets leaving care)", "2025")).map((r) => [r.areaName, r]),
      );
      assert.equal(leaving.Alphaton?.code, "c");
      const [period] = (await listPeriods(db, IN_CARE_RATE)).filter((p) => p.label === "2025");
      assert.equal(period?.description, "financial year 2024-25");

      const again = await importBenchmarks(db, TEST_ACTOR, [statistics()], { reportingYear: "financial" });
      assert.ok(again.ok);
      assert.deepEqual([again.summary.added, again.summary.restated, again.summary.saved], [0, 0, false]);
      assert.equal((await countValues(db)).all, before.all + 19);

      // A newer file restating one figure: the old one kept as history.
      const newer = statistics((lines) =>
        lines.map((line) =>
          line.includes("Alphaton,Widgets in care,100,55.1") ? line.replace("55.1", "56") : line,
        ),
      );
      const restated = await importBenchmarks(db, TEST_ACTOR, [newer], { reportingYear: "financial" });
      assert.ok(restated.ok);
      assert.deepEqual([restated.summary.added, restated.summary.restated], [0, 1]);
      const history = await valueHistory(db, {
        measureCode: IN_CARE_RATE,
        periodLabel: "2025",
        areaCode: "101",
      });
      assert.deepEqual(
        history.map((h) => [h.amount, h.current]),
        [
          ["55.1", false],
          ["56", true],
        ],
      );
    });

    test("bad rows are named by row, column and value, and nothing is saved", async () => {
      const { db } = await fresh();
      assert.ok((await importBenchmarks(db, TEST_ACTOR, everything)).ok);
      const before = await countValues(db);
      const bad = statistics((lines) => [
        ...lines,
        "2025,Reporting year,Local authority,E92000001,England,E12000001,North,777,E10000777,Nowhere,Widgets in care,5,1",
        "2025,Reporting year,Local authority,E92000001,England,E12000002,South,104,E10000004,Deltaham,Widgets in care,5,12%",
        "2025,Reporting year,Regional,E92000001,England,E12000009,Middle,,,,Widgets in care,5,1",
        "2025,Reporting year,Local authority,E92000001,England,E12000001,North,101,E10000001,Alphaton,Widgets in care,100,57",
        "20x5,Reporting year,Local authority,E92000001,England,E12000002,South,105,E10000005,Epsilon Vale,Widgets in care,5,1",
      ]);
      const outcome = await importBenchmarks(db, TEST_ACTOR, [bad], { reportingYear: "financial" });
      assert.ok(!outcome.ok);
      const found = outcome.problems.map((p) => [p.row, p.column, p.value]);
      assert.deepEqual(found, [
        [14, "old_la_code", "777"],
        [14, "old_la_code", "777"],
        [15, "rate_per_10000", "12%"],
        [16, "region_name", "Middle"],
        [16, "region_name", "Middle"],
        [17, "rate_per_10000", "57"],
        [18, "time_period", "20x5"],
        [18, "time_period", "20x5"],
      ]);
      assert.match(outcome.problems[5]?.message ?? "", /duplicate of statistics.csv row 7/);
      assert.deepEqual(await countValues(db), before);
    });

    test("an indicator's direction is asked for at import, kept after, and ranks and bands its councils", async () => {
      const { db } = await fresh();
      assert.ok((await importBenchmarks(db, TEST_ACTOR, everything)).ok);
      const financial = { reportingYear: "financial" as const };
      const first = await importBenchmarks(db, TEST_ACTOR, [statistics()], financial);
      assert.ok(first.ok);
      // The file does not say which way is better: the summary asks, naming each indicator.
      const asking = first.summary.notes.find((n) => n.startsWith("No direction is known for"));
      assert.ok(asking?.includes(IN_CARE_RATE), asking);
      assert.match(asking ?? "", /no rank or quartile band/);

      // A direction for an indicator no statistics file in the import brings: refused, nothing saved.
      const before = await countValues(db);
      const unknown = await importBenchmarks(db, TEST_ACTOR, [statistics()], {
        ...financial,
        directions: { "rate_per_10000 (Widgets nowhere)": "lower-is-better" },
      });
      assert.ok(!unknown.ok);
      assert.deepEqual(
        unknown.problems.map((p) => [p.file, p.column, p.value]),
        [["directions", "indicator", "rate_per_10000 (Widgets nowhere)"]],
      );
      assert.deepEqual(await countValues(db), before);

      const directed = await importBenchmarks(db, TEST_ACTOR, [statistics()], {
        ...financial,
        directions: { [IN_CARE_RATE]: "lower-is-better" },
      });
      assert.ok(directed.ok, JSON.stringify(!directed.ok && directed.problems));
      assert.equal(directed.summary.saved, true);
      assert.ok(!directed.summary.notes.some((n) => n.includes(IN_CARE_RATE)));
      const rate = (await listMeasures(db)).find((m) => m.code === IN_CARE_RATE);
      assert.deepEqual([rate?.polarity, rate?.noQuartile], ["lower-is-better", false]);
      // Two councils with a figure, 55.1 and 60.9: lower is better, so Alphaton ranks first. Cut
      // points by type-7 interpolation: 56.55, 58, 59.45; A at or below the first, D above the last.
      const placed = async () =>
        Object.fromEntries(
          (await periodTable(db, IN_CARE_RATE, "2025")).map((r) => [r.areaName, [r.rank, r.rankOf, r.band]]),
        );
      const table = await placed();
      assert.deepEqual(table.Alphaton, [1, 2, "A"]);
      assert.deepEqual(table.Betaford, [2, 2, "D"]);
      assert.deepEqual(table.Gammaley, [null, null, null], "a suppressed figure is not placed");
      assert.deepEqual(table.England, [null, null, null]);

      // Imported again without saying: the direction given before is kept, nothing changes.
      const again = await importBenchmarks(db, TEST_ACTOR, [statistics()], financial);
      assert.ok(again.ok);
      assert.equal(again.summary.saved, false);
      assert.deepEqual(await placed(), table);
      assert.equal(
        (await listMeasures(db)).find((m) => m.code === IN_CARE_RATE)?.polarity,
        "lower-is-better",
      );
    });
  },
);
