import assert from "node:assert/strict";
import { test } from "node:test";
import { testApp } from "../../../test/helpers/app.ts";
import { buildCouncil, buildMonitoringYear, buildOpenQuarter } from "../../../test/helpers/builders.ts";
import {
  buildKpiMeasures,
  importKpiEdition,
  type KpiEdition,
} from "../../../test/helpers/council-kpi-table.ts";
import { describeOnBothDatabases, TEST_ACTOR } from "../../../test/helpers/database.ts";
import { formSession } from "../../../test/helpers/forms.ts";
import type { Database } from "../../db/client.ts";
import { Conflict } from "../../errors.ts";
import { departmentDashboard } from "../home/home.service.ts";
import { quarterlyReport } from "../reports/reports.service.ts";
import { readSettingAndVersion } from "../settings/settings.service.ts";
import { changeRatingScheme, ratingSchemeSetting } from "./measures.scheme.ts";
import { filterListings, listMeasureGroups, measurePage, type RatedRow } from "./measures.service.ts";

/**
 * The council's rating scheme as a setting (docs/decisions/0036-rating-schemes-as-council-settings.md),
 * on a made-up council's quarterly KPI table: four editions of one year, rated and printed on
 * Red/Amber/Green, and on four levels.
 */
const LOANS = { code: "LB1", title: "Percentage of library loans renewed online" };
const VISITS = { code: "LB2", title: "Number of library visits" };
const WHERE = { document: "Libraries quarterly performance", groupTitle: "Library indicators" };

function edition(reportingPeriod: string, loans: [string, string, string]): KpiEdition {
  return {
    reportingPeriod,
    rows: [
      { ...LOANS, lastQuarter: loans[0], thisQuarter: loans[1], target: "85%", status: loans[2] },
      { ...VISITS, lastQuarter: "410", thisQuarter: "455", target: "", status: "" },
    ],
  };
}

async function setUp(db: Database) {
  await buildKpiMeasures(db, [
    { ...LOANS, unit: "percent", polarity: "higher-is-better", decimals: 1, frequency: "quarterly" },
    { ...VISITS, unit: "count", polarity: "monitor", frequency: "quarterly" },
  ]);
}

async function choose(db: Database, edit: Partial<Parameters<typeof changeRatingScheme>[2]>) {
  const { version } = await ratingSchemeSetting(db);
  return changeRatingScheme(db, TEST_ACTOR, {
    version,
    kind: "rag",
    tolerancePercent: 5,
    tolerancePoints: 1,
    levels: null,
    ...edit,
  });
}

function loansRow(listings: Awaited<ReturnType<typeof listMeasureGroups>>): RatedRow {
  const row = listings
    .flatMap((listing) => listing.rows)
    .find((one): one is RatedRow => "measure" in one && one.measure.code === LOANS.code);
  assert.ok(row);
  return row;
}

describeOnBothDatabases("the council's rating scheme", (fresh) => {
  test("a council on Red, Amber, Green sees Baseplan's ratings in its words and its printed ratings compared", async () => {
    const { db } = await fresh();
    await setUp(db);
    await choose(db, { kind: "rag" });
    const expected = [
      // period, printed, Baseplan's level, agreement
      ["Q1 2032/33", edition("Q1 2032/33", ["80.0%", "82.0%", "Amber"]), "Amber", "agrees"],
      ["Q2 2032/33", edition("Q2 2032/33", ["82.0%", "88.2%", "G"]), "Green", "agrees"],
      ["Q3 2032/33", edition("Q3 2032/33", ["88.2%", "70.0%", "a"]), "Red", "differs"],
      ["Q4 2032/33", edition("Q4 2032/33", ["70.0%", "90.0%", "Good"]), "Green", "other key"],
    ] as const;
    for (const [period, one, level, agreement] of expected) {
      await importKpiEdition(db, one, WHERE);
      const listings = await listMeasureGroups(db);
      const row = loansRow(listings);
      assert.equal(row.printedPeriod, period);
      assert.equal(row.rating.meta.label, level, period);
      assert.ok(row.rating.explanation.startsWith(`${level}: `), row.rating.explanation);
      assert.equal(row.printedAgreement, agreement, period);
      const differing = filterListings(listings, { printed: "differs" }).flatMap((listing) => listing.rows);
      assert.equal(
        differing.some((candidate) => "measure" in candidate && candidate.measure.code === LOANS.code),
        agreement === "differs",
      );
    }
    const page = await measurePage(db, loansRow(await listMeasureGroups(db)).measure.id);
    assert.deepEqual(
      page.printedRatings.map((one) => [one.printed.periodKey, one.rating.meta.label, one.agreement]),
      [
        ["Q1 2032/33", "Amber", "agrees"],
        ["Q2 2032/33", "Green", "agrees"],
        ["Q3 2032/33", "Red", "differs"],
        ["Q4 2032/33", "Green", "other key"],
      ],
    );
    assert.equal(page.printedDisagreements, 1);
    assert.equal(page.printedOnOtherKey, 1);
    // The dashboard counts by the council's levels: Green holds met and improved and met.
    const dashboard = await departmentDashboard(db);
    assert.deepEqual(
      dashboard.measures.counts.map((count) => [count.label, count.count]),
      [
        ["Green", 1],
        ["Amber", 0],
        ["Red", 0],
        ["Not rated", 1],
      ],
    );
  });

  test("four levels: Blue for met and improved, and the council's tolerance moves Red to Amber", async () => {
    const { db } = await fresh();
    await setUp(db);
    await choose(db, { kind: "four-level" });
    await importKpiEdition(db, edition("Q1 2032/33", ["80.0%", "88.0%", "Green"]), WHERE);
    let row = loansRow(await listMeasureGroups(db));
    assert.equal(row.rating.meta.label, "Blue");
    assert.equal(row.rating.meta.colour, "blue");
    assert.equal(row.printedAgreement, "differs");
    await importKpiEdition(db, edition("Q2 2032/33", ["88.0%", "78.0%", "Red"]), WHERE);
    row = loansRow(await listMeasureGroups(db));
    assert.equal(row.rating.meta.label, "Red");
    assert.equal(row.printedAgreement, "agrees");
    await choose(db, { kind: "four-level", tolerancePercent: 10 });
    row = loansRow(await listMeasureGroups(db));
    assert.equal(row.rating.meta.label, "Amber");
    assert.match(row.rating.explanation, /within the tolerance of 8\.5 percentage points \(10% of 85%\)/);
    assert.equal(row.printedAgreement, "differs");
  });

  test("the quarterly report shows the measures, their counts and key in the council's levels", async () => {
    const { db } = await fresh();
    await buildCouncil(db, { departmentName: "Libraries", plan: { fromYear: 2032 } });
    await buildMonitoringYear(db, 2032);
    await buildOpenQuarter(db, 2032, 1);
    await setUp(db);
    await choose(db, { kind: "rag" });
    await importKpiEdition(db, edition("Q1 2032/33", ["80.0%", "82.0%", "R"]), WHERE);
    const report = await quarterlyReport(db, "2032-33", 1);
    const blocks = report.sections.flatMap((section) => section.blocks);
    const table = blocks.find((block) => block.kind === "table" && block.id === "measures");
    assert.ok(table && table.kind === "table");
    const loans = table.rows.find((one) => one.cells[0]?.text === LOANS.title);
    assert.deepEqual(
      loans?.cells.slice(-2).map((cell) => [cell.text, cell.rating]),
      [
        ["Amber", "review"],
        ["R", undefined],
      ],
    );
    assert.match(
      (table.notes ?? []).join("\n"),
      /The council printed R for Quarter 1 2032\/33; Baseplan's rating is Amber\./,
    );
    const chart = blocks.find((block) => block.kind === "chart" && block.id === "measures-against-target");
    assert.ok(chart && chart.kind === "chart" && "bars" in chart);
    assert.deepEqual(
      chart.bars.map((bar) => [bar.category, bar.value, bar.rating]),
      [
        ["Green", 0, "good"],
        ["Amber", 1, "review"],
        ["Red", 0, "action"],
        ["Not rated", 1, "none"],
      ],
    );
    const key = blocks.filter((block) => block.kind === "key").at(-1);
    assert.ok(key && key.kind === "key");
    assert.deepEqual(
      key.items.map((item) => item.label),
      ["Green", "Amber", "Red", "Not rated"],
    );
  });

  test("a change is version-checked and audited; a council that chose none has the five levels", async () => {
    const { db } = await fresh();
    const before = await ratingSchemeSetting(db);
    assert.equal(before.version, 0);
    assert.equal(before.scheme.kind, "five-level");
    await choose(db, { kind: "rag" });
    await assert.rejects(
      changeRatingScheme(db, TEST_ACTOR, {
        version: 0,
        kind: "four-level",
        tolerancePercent: 5,
        tolerancePoints: 1,
        levels: null,
      }),
      Conflict,
    );
    const saved = await readSettingAndVersion(db, "rating-scheme");
    assert.equal(saved.version, 1);
    assert.equal((saved.value as { kind: string }).kind, "rag");
  });

  test("the settings page: saved, bad input named, a stale form refused", async () => {
    const { db } = await fresh();
    await buildCouncil(db, { departmentName: "Libraries", plan: { fromYear: 2032 } });
    const app = await testApp(db);
    try {
      const { token, cookie, page } = await formSession(app, "/settings/ratings");
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /data-testid="rating-scheme-now"/);
      assert.match(page.body, /id="kind" name="kind" type="radio" value="five-level" checked/);
      const post = (fields: Record<string, string>) =>
        app.inject({
          method: "POST",
          url: "/settings/ratings",
          payload: new URLSearchParams({ _csrf: token ?? "", ...fields }).toString(),
          headers: { "content-type": "application/x-www-form-urlencoded", cookie },
        });
      const bad = await post({ version: "0", kind: "rag", tolerancePercent: "five", tolerancePoints: "1" });
      assert.equal(bad.statusCode, 400);
      assert.match(
        bad.body,
        /href="#tolerancePercent">Enter the tolerance as a percentage of the target as a number/,
      );
      assert.match(
        bad.body,
        /id="tolerancePercent" name="tolerancePercent" type="text" spellcheck="false" value="five"/,
      );
      assert.equal((await ratingSchemeSetting(db)).version, 0);
      const clash = await post({
        version: "0",
        kind: "custom",
        tolerancePercent: "5",
        tolerancePoints: "1",
        "strong-words": "On track",
        "strong-colour": "green",
        "good-words": "On track",
        "good-colour": "blue",
        "review-words": "Off track",
        "review-colour": "red",
        "action-words": "Off track",
        "action-colour": "red",
        "not-available-words": "Not assessed",
        "not-available-colour": "grey",
      });
      assert.equal(clash.statusCode, 400);
      assert.match(clash.body, /href="#good-colour">&quot;On track&quot; is also the words for/);
      const missing = await post({
        version: "0",
        kind: "custom",
        tolerancePercent: "5",
        tolerancePoints: "1",
        "strong-words": "On track",
        "strong-colour": "green",
      });
      assert.equal(missing.statusCode, 400);
      assert.match(missing.body, /href="#not-available-words">Enter the council&#39;s words for/);
      assert.match(missing.body, /href="#review-colour">Select the colour for/);
      assert.equal((await ratingSchemeSetting(db)).version, 0);
      const saved = await post({ version: "0", kind: "rag", tolerancePercent: "7.5%", tolerancePoints: "2" });
      assert.equal(saved.statusCode, 303, saved.body);
      const setting = await ratingSchemeSetting(db);
      assert.equal(setting.scheme.kind, "rag");
      assert.equal(setting.scheme.rules.tolerancePercentOfTarget, 7.5);
      const stale = await post({
        version: "0",
        kind: "four-level",
        tolerancePercent: "5",
        tolerancePoints: "1",
      });
      assert.equal(stale.statusCode, 409);
      assert.equal((await ratingSchemeSetting(db)).scheme.kind, "rag");
      const now = await app.inject({ url: "/settings/ratings", headers: { cookie } });
      assert.match(now.body, /value="rag" checked/);
      assert.match(now.body, /value="7\.5"/);
    } finally {
      await app.close();
    }
  });
});
