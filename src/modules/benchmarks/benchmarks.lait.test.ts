import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { test } from "node:test";
import { parse } from "csv-parse/sync";
import { sql } from "drizzle-orm";
import { parquetReadObjects } from "hyparquet";
import { describeOnBothDatabases, TEST_ACTOR } from "../../../test/helpers/database.ts";
import { queryRows } from "../../db/client.ts";
import { importBenchmarks } from "./benchmarks.import.ts";

/**
 * The whole of the Department's LAIT file, imported on each database, and every council's rank
 * and quartile band for every measure and period compared with a plain implementation of the
 * Department's method written here, apart from the product code: values as published, rank(ties.method = "min") among councils with a value, quantile(type = 7) cut
 * points, bands by polarity, nothing for measures with no polarity or flagged no-quartile.
 */

const DIRECTORY = new URL("../../../data/benchmarks/", import.meta.url);
const FILES = [
  "dfe_lait_data_dictionary.csv",
  "dfe_lait_la_code_list.csv",
  "dfe_statistical_neighbours_2025_model_wide.csv",
  "dfe_statistical_neighbours_april2021_groupings.csv",
  "lait_bds_long_0.parquet",
];

interface Expected {
  rank: number | null;
  of: number | null;
  band: string | null;
}

/** R's quantile(type = 7) on an ascending vector. */
function rQuantile7(x: number[], p: number): number {
  const index = 1 + (x.length - 1) * p;
  const lo = Math.floor(index);
  const hi = Math.ceil(index);
  const h = index - lo;
  const qs = x[lo - 1] as number;
  const high = x[hi - 1] as number;
  return high === qs ? qs : (1 - h) * qs + h * high;
}

async function expectedPlacings(): Promise<Map<string, Expected>> {
  const dictionaryText = await readFile(new URL("dfe_lait_data_dictionary.csv", DIRECTORY), "utf8");
  const dictionary = parse(
    dictionaryText
      .split("\n")
      .filter((line) => !line.startsWith("# "))
      .join("\n"),
    {
      columns: true,
    },
  ) as Record<string, string>[];
  const polarity = new Map<string, string>();
  const noQuartile = new Set<string>();
  for (const row of dictionary) {
    polarity.set(row.Measure_short ?? "", row.Polarity ?? "");
    if (row.No_Quartile === "N") noQuartile.add(row.Measure_short ?? "");
  }
  const bytes = await readFile(new URL("lait_bds_long_0.parquet", DIRECTORY));
  const rows = (await parquetReadObjects({
    file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
  })) as Record<string, unknown>[];
  const groups = new Map<string, { area: string; value: number }[]>();
  for (const row of rows) {
    // Councils are the rows with a region; England and the regions have "NA".
    if (row.Region === "NA" || row.Values === "-") continue;
    const key = `${row["Short Desc"]}|${row.Years}`;
    const list = groups.get(key) ?? [];
    // The published figure: the file's binary noise in the last place ("13.600000000000001" for
    // 13.6) removed by reading to six decimals, the most any figure is published with.
    list.push({ area: String(row["LA Number"]), value: Number(Number(row.Values).toFixed(6)) });
    groups.set(key, list);
  }
  const expected = new Map<string, Expected>();
  for (const [key, list] of groups) {
    const measure = key.slice(0, key.indexOf("|"));
    const words = polarity.get(measure);
    const high = words === "High";
    if (!high && words !== "Low") continue;
    const x = list.map((e) => e.value).sort((a, b) => a - b);
    const q = [rQuantile7(x, 0.25), rQuantile7(x, 0.5), rQuantile7(x, 0.75)] as const;
    for (const entry of list) {
      let better = 0;
      for (const other of list) if (high ? other.value > entry.value : other.value < entry.value) better += 1;
      let band: string | null = null;
      if (!noQuartile.has(measure)) {
        const v = entry.value;
        if (high) band = v > q[2] ? "A" : v > q[1] ? "B" : v > q[0] ? "C" : "D";
        else band = v <= q[0] ? "A" : v <= q[1] ? "B" : v <= q[2] ? "C" : "D";
      }
      expected.set(`${key}|${entry.area}`, { rank: better + 1, of: list.length, band });
    }
  }
  return expected;
}

/** The plain method's placings, worked out once for both databases' halves (the file is the same). */
let expectedOnce: Promise<Map<string, Expected>> | undefined;

describeOnBothDatabases("benchmarks: the whole LAIT file", (fresh) => {
  test("imports, and every rank and band equals the Department's method computed apart", async () => {
    const { db } = await fresh();
    const files = await Promise.all(
      FILES.map(async (name) => ({ name, bytes: new Uint8Array(await readFile(new URL(name, DIRECTORY))) })),
    );
    const outcome = await importBenchmarks(db, TEST_ACTOR, files);
    assert.ok(outcome.ok, JSON.stringify(!outcome.ok && outcome.problems.slice(0, 5)));
    // 641,070 rows less the 170 with the label "0" and no figure.
    assert.equal(outcome.summary.added, 640_900);
    expectedOnce ??= expectedPlacings();
    const expected = await expectedOnce;

    const stored = await queryRows<{ k: string; placings: string }>(
      db,
      sql`select v.measure_code || '|' || v.period_label as k,
        string_agg(concat_ws(',', v.area_code, coalesce(v.rank::text, ''), coalesce(v.rank_of::text, ''),
          coalesce(v.band, '')), ';') as placings
        from benchmark_values v join benchmark_areas a on a.code = v.area_code
        where v.current and a.kind = 'council' group by 1`,
    );
    let compared = 0;
    let ranked = 0;
    const wrong: string[] = [];
    for (const { k, placings } of stored) {
      for (const placing of placings.split(";")) {
        const [area, rank, of, band] = placing.split(",");
        const want = expected.get(`${k}|${area}`) ?? { rank: null, of: null, band: null };
        const got = { rank: rank ? Number(rank) : null, of: of ? Number(of) : null, band: band || null };
        compared += 1;
        if (want.rank !== null) ranked += 1;
        if (got.rank !== want.rank || got.of !== want.of || got.band !== want.band) {
          if (wrong.length < 10)
            wrong.push(`${k} ${area}: stored ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
        }
      }
    }
    assert.deepEqual(wrong, []);
    assert.equal(ranked, expected.size, "every council the plain method ranks has a stored rank");
    assert.ok(compared > 500_000);

    // A load this large builds the figures' indexes afresh on a PostgreSQL server: they are back,
    // and the same file imported again changes nothing.
    const indexes = await queryRows<{ name: string }>(
      db,
      sql`select indexname as name from pg_indexes where tablename = 'benchmark_values' order by 1`,
    );
    assert.deepEqual(
      indexes.map((i) => i.name),
      ["benchmark_values_current", "benchmark_values_pkey"],
    );
    const again = await importBenchmarks(db, TEST_ACTOR, files);
    assert.ok(again.ok);
    assert.deepEqual(
      { added: again.summary.added, restated: again.summary.restated, saved: again.summary.saved },
      { added: 0, restated: 0, saved: false },
    );
    assert.equal(again.summary.unchanged, 640_900);
  });
});
