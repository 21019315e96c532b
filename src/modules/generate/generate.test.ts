import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { promisify } from "node:util";
import { sql } from "drizzle-orm";
import { withApp } from "../../../test/helpers/app.ts";
import { describeOnBothDatabases, TEST_ACTOR } from "../../../test/helpers/database.ts";
import { type Database, queryRows } from "../../db/client.ts";
import { MAX_AMOUNT_PENCE } from "../../domain/money.ts";
import { monitoringPeriod, monitoringPeriodLabel } from "../../domain/periods.ts";
import { listMeasureGroups } from "../measures/measures.service.ts";
import { GENERATE_DEFAULTS, GenerateUsageError, parseGenerateArgs } from "./generate.cli.ts";
import {
  BUDGET_LINES_PER_DEPARTMENT,
  DELIVERABLES_PER_DEPARTMENT,
  GENERATED_COUNCIL_NAME,
  type GenerateOptions,
  generateCouncil,
  generatedWith,
  MEASURES_PER_DEPARTMENT,
  NotEmpty,
} from "./generate.service.ts";

const SMALL: GenerateOptions = { departments: 2, years: 2, seed: 7, firstYear: 2030 };

test("generate reads its options, with the issue's size by default", () => {
  assert.deepEqual(parseGenerateArgs([]), GENERATE_DEFAULTS);
  assert.deepEqual(GENERATE_DEFAULTS.departments * GENERATE_DEFAULTS.years, 120);
  assert.deepEqual(
    parseGenerateArgs(["--departments", "2", "--years", "3", "--seed", "42", "--first-year", "2031"]),
    {
      departments: 2,
      years: 3,
      seed: 42,
      firstYear: 2031,
    },
  );
});

test("generate refuses options it cannot run, naming the option and what it takes", () => {
  const refused = (args: string[], pattern: RegExp) =>
    assert.throws(
      () => parseGenerateArgs(args),
      (error: unknown) => error instanceof GenerateUsageError && pattern.test(error.message),
      args.join(" "),
    );
  refused(["--departments", "0"], /^--departments: 0 is outside 1 to 30$/);
  refused(["--departments", "31"], /^--departments: 31 is outside 1 to 30$/);
  refused(["--departments", "2.5"], /^--departments: "2.5" is not a whole number; give one from 1 to 30$/);
  refused(["--years", "16"], /^--years: 16 is outside 1 to 15$/);
  refused(["--years", "ten"], /^--years: "ten" is not a whole number/);
  refused(["--seed", "99999999999"], /^--seed: 99999999999 is outside 0 to 2147483647$/);
  refused(["--first-year", "1999"], /^--first-year: 1999 is outside 2000 to 2080$/);
  refused(["--departmnets", "2"], /departmnets/);
  refused(["--years"], /--years/);
});

const run = promisify(execFile);
const root = new URL("../../../", import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), "baseplan-generate-cli-"));
after(() => rmSync(work, { recursive: true, force: true }));

test("the generate command refuses bad options with exit code 2 before opening any database", async () => {
  const { DATABASE_URL: _unused, ...environment } = process.env;
  const dataDirectory = join(work, "data");
  const failed = await run(process.execPath, [join(root, "bin/baseplan.js"), "generate", "--years", "0"], {
    cwd: work,
    env: { ...environment, BASEPLAN_DATA_DIR: dataDirectory },
    timeout: 120_000,
  }).then(
    () => assert.fail("generate --years 0 was accepted"),
    (error: { code: number; stderr: string }) => error,
  );
  assert.equal(failed.code, 2);
  assert.match(failed.stderr, /Nothing was generated: --years: 0 is outside 1 to 15/);
  assert.match(failed.stderr, /Usage: baseplan generate/);
  assert.equal(existsSync(dataDirectory), false, "no database was made");
});

async function count(db: Database, table: string): Promise<number> {
  const [row] = await queryRows<{ n: string | number }>(db, sql.raw(`select count(*) as n from ${table}`));
  return Number(row?.n);
}

/** Every generated figure in one text, to compare two generations. */
async function fingerprint(db: Database): Promise<string> {
  const [row] = await queryRows<{ values: string; forecasts: string; progress: string }>(
    db,
    sql`select
      (select md5(string_agg(cell_text, ',' order by id)) from measure_values) as values,
      (select md5(string_agg(forecast_outturn_pence::text, ',' order by id)) from monitoring_forecasts) as forecasts,
      (select md5(string_agg(rating, ',' order by id)) from deliverable_progress) as progress`,
  );
  return JSON.stringify(row);
}

describeOnBothDatabases("the generated council", (fresh) => {
  // One council generated at the small size serves every test below that writes nothing to it.
  let small: Promise<{ db: Database; counts: Awaited<ReturnType<typeof generateCouncil>> }> | undefined;
  const generatedSmall = () => {
    small ??= fresh().then(async ({ db }) => ({ db, counts: await generateCouncil(db, TEST_ACTOR, SMALL) }));
    return small;
  };

  test("has the counts asked for, every amount within the largest, marked as generated", async () => {
    const { db, counts } = await generatedSmall();
    const measures = MEASURES_PER_DEPARTMENT * 2;
    const months = 24;
    assert.deepEqual(
      {
        departments: await count(db, "departments"),
        periods: await count(db, "monitoring_periods"),
        measures: await count(db, "measures"),
        values: await count(db, "measure_values"),
        deliverables: await count(db, "deliverables"),
        progress: await count(db, "deliverable_progress"),
        lines: await count(db, "monitoring_lines"),
        forecasts: await count(db, "monitoring_forecasts"),
      },
      {
        departments: 2,
        periods: months,
        measures,
        values: measures * months,
        deliverables: DELIVERABLES_PER_DEPARTMENT * 2,
        progress: DELIVERABLES_PER_DEPARTMENT * 2 * 8,
        lines: BUDGET_LINES_PER_DEPARTMENT * 2 * 2,
        forecasts: BUDGET_LINES_PER_DEPARTMENT * 2 * months,
      },
    );
    assert.equal(counts.values, measures * months);
    const [council] = await queryRows<{ name: string }>(db, sql`select name from councils`);
    assert.equal(council?.name, GENERATED_COUNCIL_NAME);
    assert.match(GENERATED_COUNCIL_NAME, /made-up data/);
    assert.deepEqual(await generatedWith(db), SMALL);
    const [frequencies] = await queryRows<{ years: string; monthly: string }>(
      db,
      sql`select count(*) as years, count(*) filter (where frequency = 'monthly') as monthly from monitoring_years`,
    );
    assert.equal(Number(frequencies?.monthly), 2);
    assert.equal(Number(frequencies?.years), 2);
    const [largest] = await queryRows<{ pence: string }>(
      db,
      sql`select greatest(
        (select max(abs(forecast_outturn_pence)) from monitoring_forecasts),
        (select max(abs(controllable_budget_pence)) from monitoring_forecasts),
        (select max(abs(amount_pence)) from savings_initiatives),
        (select max(abs(sensitivity_pence)) from financial_risks)) as pence`,
    );
    assert.ok(Number(largest?.pence) > 0 && Number(largest?.pence) <= MAX_AMOUNT_PENCE);
  });

  test("answers its pages: dashboard, measures, a measure, budget, plan and the quarterly report", async () => {
    const { db } = await generatedSmall();
    const [measure] = await queryRows<{ id: number }>(
      db,
      sql`select id from measures order by id desc limit 1`,
    );
    await withApp(db, async (app) => {
      for (const url of [
        "/",
        "/measures",
        `/measures/${measure?.id}`,
        "/budget",
        "/plan",
        "/periods",
        "/reports/quarterly/2031-32/q4",
      ]) {
        const response = await app.inject(url);
        assert.equal(response.statusCode, 200, `${url}: ${response.body.slice(0, 300)}`);
        if (url === "/") assert.match(response.body, /Generated Borough Council \(made-up data\)/);
        // The quarter's savings and risks stand at its last month: the year is monitored monthly.
        if (url.startsWith("/reports/")) {
          assert.doesNotMatch(
            response.body,
            /No savings forecast has been entered|No financial risks have been entered/,
          );
        }
      }
    });
  });

  test("lists every measure as a council's table does: the month's value, the year's target, a rating", async () => {
    const { db } = await generatedSmall();
    const listings = await listMeasureGroups(db);
    assert.equal(listings.length, SMALL.departments);
    const shownMonth = monitoringPeriodLabel(monitoringPeriod(2031, "month", 12));
    for (const { group } of listings) {
      assert.deepEqual(
        group.columns.map((column) => [column.heading, column.role, column.period]),
        [
          ["Month 11 2031/32", "value", "Month 11 2031/32"],
          [shownMonth, "value", shownMonth],
          ["Target 2031/32", "target", "2031/32"],
          ["Status", "rating", shownMonth],
        ],
      );
    }
    const rows = listings.flatMap((listing) =>
      listing.rows.flatMap((row) => ("measure" in row ? [row] : [])),
    );
    assert.equal(rows.length, MEASURES_PER_DEPARTMENT * SMALL.departments);
    for (const row of rows) {
      const name = row.titleAsWritten;
      assert.equal(row.latest?.periodLabel, shownMonth, `${name}: the month's value`);
      assert.match(row.latest?.cellText ?? "", /^\d+(?:\.\d)?%?$/, `${name}: a figure`);
      assert.equal(row.target?.periodLabel, "2031/32", `${name}: the year's target`);
      assert.match(row.target?.targetText ?? "", / or (?:above|below)$/, `${name}: a target`);
      assert.notEqual(row.rating.rating, "not-available", `${name}: ${row.rating.explanation}`);
    }
    // Some measures on target and some not, as in a real council's table.
    const ratings = new Set(rows.map((row) => row.rating.rating));
    assert.ok(ratings.size >= 2, `ratings given: ${[...ratings].join(", ")}`);
    await withApp(db, async (app) => {
      const list = await app.inject("/measures");
      assert.equal(list.statusCode, 200);
      assert.doesNotMatch(list.body, /None given|data-testid="no-rating-reason"/);
      // The tables are kept in Baseplan, not read from a document, and say so in words.
      assert.match(list.body, /<h2 class="govuk-heading-l">Entered in Baseplan<\/h2>/);
      assert.doesNotMatch(list.body, />entered</);
      const first = rows[0];
      assert.ok(first?.latest && first.target);
      assert.ok(list.body.includes(`>${first.latest.cellText}</td>`), "the list prints the month's value");
      assert.ok(list.body.includes(`>${first.target.targetText}</td>`), "the list prints the target");
      const dashboard = await app.inject("/");
      assert.equal(dashboard.statusCode, 200);
      assert.match(dashboard.body, /href="\/measures\?rating=/, "the dashboard counts measures by rating");
    });
  });

  test("gives the same figures for the same seed, and others for another", async () => {
    // One department for one year: the same generator as any size, in a quarter of the time.
    const tiny: GenerateOptions = { ...SMALL, departments: 1, years: 1 };
    const [first, second, third] = [await fresh(), await fresh(), await fresh()];
    await generateCouncil(first.db, TEST_ACTOR, tiny);
    await generateCouncil(second.db, TEST_ACTOR, tiny);
    await generateCouncil(third.db, TEST_ACTOR, { ...tiny, seed: 8 });
    assert.equal(await fingerprint(first.db), await fingerprint(second.db));
    assert.notEqual(await fingerprint(first.db), await fingerprint(third.db));
  });

  test("is refused, nothing written, where a council is set up: a generated one or the demo", async () => {
    const generated = await generatedSmall();
    const demo = await fresh({ demo: true });
    for (const { db } of [generated, demo]) {
      const before = { audit: await count(db, "audit_events"), measures: await count(db, "measures") };
      await assert.rejects(
        generateCouncil(db, TEST_ACTOR, SMALL),
        (error: unknown) =>
          error instanceof NotEmpty &&
          /^Nothing was generated: this database already has a council, .+\. A generated council is made only in an empty database/.test(
            error.message,
          ),
      );
      assert.deepEqual(
        { audit: await count(db, "audit_events"), measures: await count(db, "measures") },
        before,
      );
    }
  });
});
