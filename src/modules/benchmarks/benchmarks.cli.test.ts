import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { promisify } from "node:util";
import { sql } from "drizzle-orm";
import { describeOnBothDatabases, TEST_ACTOR } from "../../../test/helpers/database.ts";
import { type Database, queryRows } from "../../db/client.ts";
import { runImportBenchmarks } from "./benchmarks.cli.ts";

/**
 * `baseplan import-benchmarks`: what the command says and the exit code it gives, for each kind
 * of outcome, through runImportBenchmarks on both databases; and the command itself, started as
 * a person starts it (bin/baseplan.js on its own embedded database), once saving and once
 * refusing, which proves the wiring from the command line to the streams and the exit code.
 */

const run = promisify(execFile);
const root = new URL("../../../", import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), "baseplan-benchmarks-cli-"));
const { DATABASE_URL: _unused, ...environment } = process.env;
const env = { ...environment, BASEPLAN_DATA_DIR: join(work, "data") };
after(() => rmSync(work, { recursive: true, force: true }));

function write(name: string, lines: string[]): string {
  const path = join(work, name);
  writeFileSync(path, `${lines.join("\n")}\n`);
  return path;
}

const dictionary = write("dictionary.csv", [
  "Measure_short,Measure,Polarity,dps,Year_Type,No_Quartile",
  "WIDG,Widgets mended,High,1,Financial Year,NA",
]);
const codes = write("codes.csv", [
  "LA Number,LA Name,Region,Type",
  "101,Alphaton,North,UA",
  "102,Betaford,North,UA",
]);
const data = write("long.csv", [
  "Short Desc,Data item,Years,LA and Regions,Values,LA Number,Region",
  "WIDG,Widgets mended,2024,Alphaton,18.899999999999999,101,North",
  "WIDG,,2024,Betaford,c,102,North",
]);
const bad = write("bad.csv", [
  "Short Desc,Data item,Years,LA and Regions,Values,LA Number,Region",
  "WIDG,,2025,Nowhere,3,777,North",
]);
const areas = write("areas.csv", [
  "LA Number,LA Name,Region,Type",
  "101,Alphaton,North,UA",
  "102,Betaford,North,UA",
  "103,Gammaley,South,SC",
  "970,England,NA,NA",
  "981,North,NA,NA",
  "982,South,NA,NA",
]);
const statistics = join(root, "test/fixtures/benchmarks/statistics-made-up.csv");

/** The command as cli.ts runs it, on the given database: its exit code and what it printed. */
async function command(db: Database, ...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runImportBenchmarks(
    db,
    TEST_ACTOR,
    args,
    (line) => out.push(line),
    (line) => err.push(line),
  );
  return { code, stdout: out.join("\n"), stderr: err.join("\n") };
}

/** bin/baseplan.js itself, in a child process; resolves with the exit code and what it printed. */
function baseplan(...args: string[]) {
  return run(process.execPath, [join(root, "bin/baseplan.js"), "import-benchmarks", ...args], {
    cwd: work,
    env,
    timeout: 120_000,
  }).then(
    (done) => ({ code: 0, stdout: done.stdout, stderr: done.stderr }),
    (failed: { code: number; stdout: string; stderr: string }) => failed,
  );
}

async function figures(db: Database): Promise<number> {
  const [row] = await queryRows<{ n: string }>(db, sql`select count(*)::text as n from benchmark_values`);
  return Number(row?.n);
}

describeOnBothDatabases("baseplan import-benchmarks", (fresh) => {
  test("saves, then the same files change nothing, bad rows are named and nothing is saved", async () => {
    const { db } = await fresh();
    const first = await command(db, dictionary, codes, data);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /Saved: 2 figures added, 0 restated/);
    const again = await command(db, dictionary, codes, data);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /Nothing changed: 0 figures added, 0 restated, 2 unchanged/);

    const refused = await command(db, bad);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /Nothing was saved/);
    assert.match(
      refused.stderr,
      /bad\.csv, row 2, column LA Number, value "777": The LA code list has no authority 777/,
    );
    assert.equal(await figures(db), 2);
  });

  test("--reporting-year: a statistics file, refused until its year is said", async () => {
    const { db } = await fresh();
    const unsaid = await command(db, areas, statistics);
    assert.equal(unsaid.code, 1);
    assert.match(
      unsaid.stderr,
      /statistics-made-up\.csv, row 3, column time_identifier, value "Reporting year": The file does not say when its reporting year ends/,
    );
    const unknown = await command(db, "--reporting-year=june", areas, statistics);
    assert.equal(unknown.code, 2);
    assert.match(
      unknown.stderr,
      /--reporting-year=june: choose one of financial, as-at-31-march, as-at-30-september/,
    );
    assert.equal(await figures(db), 0);
    const saved = await command(db, "--reporting-year=financial", areas, statistics);
    assert.equal(saved.code, 0, saved.stderr);
    assert.match(saved.stdout, /statistics-made-up\.csv: statistics, 22 rows/);
    assert.match(saved.stdout, /Saved: 19 figures added, 0 restated/);
    assert.match(saved.stdout, /No direction is known for .*rate_per_10000 \(Widgets in care\)/);

    // The direction of an indicator, which the file does not give, said on the command line.
    const badWay = await command(db, "--direction=rate_per_10000 (Widgets in care):up", areas, statistics);
    assert.equal(badWay.code, 2);
    assert.match(
      badWay.stderr,
      /write --direction=CODE:higher, --direction=CODE:lower or --direction=CODE:none/,
    );
    const directed = await command(
      db,
      "--reporting-year=financial",
      "--direction=rate_per_10000 (Widgets in care):lower",
      areas,
      statistics,
    );
    assert.equal(directed.code, 0, directed.stderr);
    assert.match(directed.stdout, /Saved: 0 figures added, 0 restated, 19 unchanged/);
    assert.doesNotMatch(
      directed.stdout,
      /No direction is known for [^\n]*rate_per_10000 \(Widgets in care\)/,
    );
  });
});

test("npx baseplan import-benchmarks: saves, printing what it did; refuses bad rows, naming them, with exit code 1", async () => {
  const saved = await baseplan(dictionary, codes, data);
  assert.equal(saved.code, 0, saved.stderr);
  assert.match(saved.stdout, /Saved: 2 figures added, 0 restated/);
  const refused = await baseplan(bad);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /Nothing was saved/);
  assert.match(
    refused.stderr,
    /bad\.csv, row 2, column LA Number, value "777": The LA code list has no authority 777/,
  );
});
