import assert from "node:assert/strict";
import { test } from "node:test";
import { sql } from "drizzle-orm";
import { buildMeasure, buildMeasureTable, unique } from "../../../test/helpers/builders.ts";
import { describeOnBothDatabases } from "../../../test/helpers/database.ts";
import { type Database, queryRows } from "../../db/client.ts";
import { fillValuePeriods, listMeasureGroups, measurePage, type RatedRow } from "./measures.service.ts";

/**
 * The rules the demo's measures tests show on the demo council's figures
 * (measures.service.demo.test.ts), here on a made-up council's table for 2027/28 whose cells
 * name quarters and months: a like previous period for Strong, a value's own period stored,
 * a flagged value left unrated, a target restated by a later document.
 */

/** A council table with two years of actuals, the year's latest figure and two years' targets. */
const HEADER = [
  ["Key Performance Measure", "Actual", "Actual", "Latest", "Target", "Target"],
  ["", "2025/26", "2026/27", "2027/28", "2027/28", "2028/29"],
];

async function rowFor(db: Database, title: string, document?: string): Promise<RatedRow> {
  for (const listing of await listMeasureGroups(db)) {
    if (document && listing.group.document !== document) continue;
    for (const row of listing.rows) if ("measure" in row && row.titleAsWritten === title) return row;
  }
  throw new Error(`no row titled ${title}`);
}

const REHOUSED = "Percentage of homeless households rehoused within 12 weeks";
const LIKE_MONTHS = "Percentage of tenancy audits completed";
const RELET_DAYS = "Average days to re-let an empty council home";

/** Three measures whose latest 2027/28 figure meets its target and improves on 2026/27. */
async function buildImprovingTable(db: Database) {
  await buildMeasure(db, { title: REHOUSED, unit: "percent", decimals: 1, polarity: "higher-is-better" });
  await buildMeasure(db, { title: LIKE_MONTHS, unit: "percent", decimals: 1, polarity: "higher-is-better" });
  await buildMeasure(db, { title: RELET_DAYS, unit: "days", decimals: 2, polarity: "lower-is-better" });
  await buildMeasureTable(db, {
    header: HEADER,
    rows: [
      [REHOUSED, "71%", "80%", "82.4% (Q3 2027/28)", "80% or above", "85% or above"],
      [LIKE_MONTHS, "60.0% (Feb 26)", "70.5% (Feb 27)", "74.0% (Feb 28)", "72% or above", "75% or above"],
      [RELET_DAYS, "31.0", "28.5", "24.25", "27.0", "26.0"],
    ],
  });
}

describeOnBothDatabases("the rating rules on a made-up council's measures", (fresh) => {
  test("Strong needs the previous like period: a quarter met against a whole year is Good", async () => {
    const { db } = await fresh();
    await buildImprovingTable(db);
    const rehoused = await rowFor(db, REHOUSED);
    assert.equal(rehoused.latest?.cellText, "82.4% (Q3 2027/28)");
    assert.equal(rehoused.rating.rating, "good");
    assert.match(
      rehoused.rating.explanation,
      /the 80% for 2026\/27 covers a different span from Q3 2027\/28/,
    );
    // A month against the same month a year before is a like period.
    const audits = await rowFor(db, LIKE_MONTHS);
    assert.equal(audits.rating.rating, "strong", audits.rating.explanation);
    assert.doesNotMatch(audits.rating.explanation, /different span/);
    // Two whole years are like periods: 24.25 days for 2027/28 improves on 28.5 for 2026/27.
    const relet = await rowFor(db, RELET_DAYS);
    assert.equal(relet.rating.rating, "strong", relet.rating.explanation);
  });

  test("a value's own period and span are stored when it is written, and filled for rows written before", async () => {
    const { db } = await fresh();
    await buildImprovingTable(db);
    const rehoused = await rowFor(db, REHOUSED);
    const stored = async () =>
      queryRows<{ id: string; own_period: string | null; own_period_span: string | null }>(
        db,
        sql`select id::text, own_period, own_period_span from measure_values
            where measure_id = ${rehoused.measure.id} and current order by id`,
      );
    const written = await stored();
    assert.deepEqual(
      written.map((row) => [row.own_period, row.own_period_span]),
      [
        ["2025/26", "financial-year"],
        ["2026/27", "financial-year"],
        ["Q3 2027/28", "financial-quarter"],
      ],
    );
    // Rows from before the periods were kept: rated without them, then filled once at start-up.
    await db.execute(sql`update measure_values set own_period = null, own_period_span = null`);
    assert.doesNotMatch((await rowFor(db, REHOUSED)).rating.explanation, /different span/);
    assert.ok((await fillValuePeriods(db)) > 0);
    assert.deepEqual(await stored(), written);
    assert.match(
      (await rowFor(db, REHOUSED)).rating.explanation,
      /the 80% for 2026\/27 covers a different span from Q3 2027\/28/,
    );
    assert.equal(await fillValuePeriods(db), 0);
  });

  test("a value flagged when read is not rated as if it were clean: grey, saying why", async () => {
    const { db } = await fresh();
    const claimants = "Proportion of 18 - 24-year-olds claiming out-of-work benefits (3 month average)";
    const repairs = "Percentage of responsive repairs completed on time";
    await buildMeasure(db, { title: claimants, unit: "percent", decimals: 1, polarity: "lower-is-better" });
    await buildMeasure(db, { title: repairs, unit: "percent", decimals: 1, polarity: "higher-is-better" });
    await buildMeasureTable(db, {
      header: HEADER,
      rows: [
        [claimants, "5.1%", "6.0%", "6.8 (Feb 2028)", "5% or less", "4.5% or less"],
        [repairs, "-", "81.5%", "88.5% (Nov 26)", "90%", "92%"],
      ],
    });
    const unitless = await rowFor(db, claimants);
    assert.equal(unitless.latest?.cellText, "6.8 (Feb 2028)");
    assert.equal(unitless.rating.rating, "not-available");
    assert.match(unitless.rating.explanation, /6\.8 has no % sign but this measure is a percentage/);
    const earlier = await rowFor(db, repairs);
    assert.equal(earlier.latest?.cellText, "88.5% (Nov 26)");
    assert.equal(earlier.rating.rating, "not-available");
    assert.match(earlier.rating.explanation, /outside the 2027\/28 column/);
  });

  test("a different target for the same year in a later document is flagged, and both are kept as written", async () => {
    const { db } = await fresh();
    const retrofits = "Number of council homes retrofitted to EPC C";
    await buildMeasure(db, { title: retrofits, unit: "count", polarity: "higher-is-better" });
    const plan = unique("Housing plan 2027-2030");
    const report = unique("Quarterly report 2027/28 Q2");
    await buildMeasureTable(db, {
      document: plan,
      header: HEADER,
      rows: [[retrofits, "120", "310", "140 (Sep 27)", "Increase by 200 on 2026/27", "600"]],
    });
    await buildMeasureTable(db, {
      document: report,
      header: HEADER,
      rows: [[retrofits, "120", "310", "140 (Sep 27)", "450", "600"]],
    });
    const row = await rowFor(db, retrofits, report);
    const page = await measurePage(db, row.measure.id);
    const restated = page.targets.find((verdict) => verdict.target.document === report);
    assert.equal(restated?.target.targetText, "450");
    assert.equal(restated?.target.changedFrom, `Increase by 200 on 2026/27 (${plan})`);
    const first = page.targets.find((verdict) => verdict.target.document === plan);
    assert.equal(first?.target.targetText, "Increase by 200 on 2026/27");
    // The 2028/29 target is the same in both: nothing to flag.
    assert.ok(
      page.targets
        .filter((verdict) => verdict.target.periodKey === "2028/29")
        .every((verdict) => verdict.target.changedFrom === null),
    );
  });
});
