import assert from "node:assert/strict";
import { test } from "node:test";
import { sql } from "drizzle-orm";
import { buildSetUpCouncil } from "../../../test/helpers/builders.ts";
import { describeOnBothDatabases, TEST_ACTOR } from "../../../test/helpers/database.ts";
import { type Database, queryRows } from "../../db/client.ts";
import { financialYearLabel } from "../../domain/periods.ts";
import {
  type GroupListing,
  listMeasureGroups,
  measurePage,
  type RatedRow,
  saveImport,
} from "./measures.service.ts";

/**
 * The measures list reads only what each row shows (the period its table shows, the value before
 * it, the target, and any earlier year a target names), not every value ever recorded. On a
 * made-up table pasted every year for eight years, each row must still show and rate exactly what
 * the measure's page gives from the whole history.
 */

const DOCUMENT = "Made-up annual performance report";
const GROUP = "Made-up annual measures";
const FIRST_YEAR = 2019;
const YEARS = 8;

/** The earlier year the last complaints target names. */
const NAMED_YEAR = financialYearLabel(FIRST_YEAR + 3);

const PERMITS = "Made-up permits issued within 10 days";
const COMPLAINTS = "Made-up complaints about street cleaning";
const VISITS = "Made-up visits to the made-up museum";

/** Each year's figures, all made up: permits rise by 1.5 points a year, complaints wander. */
const permitsIn = (index: number) => (62 + index * 1.5).toFixed(1);
const complaintsIn = (index: number) => String(400 + ((index * 37) % 90) - index * 3);
const visitsIn = (index: number) => String(1000 + index * 50);

/** The year's table as a council pastes it: last year's actual, this year's, and this year's target. */
function yearTable(index: number, targets: { complaints: string; visits: string }): string {
  const last = financialYearLabel(FIRST_YEAR + index - 1);
  const year = financialYearLabel(FIRST_YEAR + index);
  return [
    "Measure\tActual\tActual\tTarget",
    `\t${last}\t${year}\t${year}`,
    `${PERMITS}\t${permitsIn(index - 1)}%\t${permitsIn(index)}%\t${(60 + index * 1.8).toFixed(1)}%`,
    `${COMPLAINTS}\t${complaintsIn(index - 1)}\t${complaintsIn(index)}\t${targets.complaints}`,
    `${VISITS}\t${visitsIn(index - 1)}\t${visitsIn(index)}\t${targets.visits}`,
  ].join("\n");
}

async function pasteEightYears(db: Database): Promise<void> {
  await buildSetUpCouncil(db);
  for (let index = 1; index <= YEARS; index += 1) {
    const last = index === YEARS;
    await saveImport(db, TEST_ACTOR, {
      text: yearTable(index, {
        // The last year's complaints target names a year five years back, not the one before.
        complaints: last ? `Maintain ${NAMED_YEAR} performance` : "Reduce...",
        visits: last ? "Increase" : "1,200 or more",
      }),
      document: DOCUMENT,
      groupKind: "report",
      groupTitle: GROUP,
    });
  }
  await db.execute(
    sql`update measures set unit = 'percent', polarity = 'higher-is-better', decimals = 1 where title = ${PERMITS}`,
  );
  await db.execute(
    sql`update measures set unit = 'count', polarity = 'lower-is-better', decimals = 0 where title = ${COMPLAINTS}`,
  );
  await db.execute(
    sql`update measures set unit = 'count', polarity = 'higher-is-better', decimals = 0 where title = ${VISITS}`,
  );
}

/** The columns of `whole` that `listed` has, to compare what the list reads with the whole record. */
function sameColumns(listed: object, whole: object | null): Record<string, unknown> | null {
  if (whole === null) return null;
  return Object.fromEntries(Object.keys(listed).map((key) => [key, (whole as Record<string, unknown>)[key]]));
}

function listedRows(listings: GroupListing[]): RatedRow[] {
  const listing = listings.find((candidate) => candidate.group.title === GROUP);
  assert.ok(listing, `the table "${GROUP}" is listed`);
  return listing.rows.filter((row): row is RatedRow => "measure" in row);
}

describeOnBothDatabases("the measures list on eight years of made-up values", (fresh) => {
  test("each row shows and rates the latest year as the whole history does", async () => {
    const { db } = await fresh();
    await pasteEightYears(db);
    const rows = listedRows(await listMeasureGroups(db));
    assert.deepEqual(
      rows.map((row) => row.titleAsWritten),
      [PERMITS, COMPLAINTS, VISITS],
    );
    const [values] = await queryRows<{ n: number }>(
      db,
      sql`select count(*)::int as n from measure_values where current`,
    );
    assert.ok(
      Number(values?.n) >= 3 * (YEARS + 1),
      "every year's value is kept, so the list has years of history to leave unread",
    );

    // The whole-history computation: the measure's page rates its rows from every value it has.
    for (const row of rows) {
      const page = await measurePage(db, row.measure.id);
      const whole = page.rows.find((candidate) => candidate.groupTitle === GROUP);
      assert.ok(whole, `the page of "${row.titleAsWritten}" rates its row`);
      assert.ok(row.latest && row.target, `"${row.titleAsWritten}" shows a value and a target`);
      // The list reads only the columns it shows of a value and a target; the page reads them whole.
      assert.deepEqual(
        { latest: row.latest, target: row.target, rating: row.rating },
        {
          latest: sameColumns(row.latest, whole.latest),
          target: sameColumns(row.target, whole.target),
          rating: whole.rating,
        },
        `"${row.titleAsWritten}" as the whole history rates it`,
      );
    }

    const [permits, complaints, visits] = rows;
    assert.equal(permits?.latest?.cellText, "74.0%");
    assert.equal(permits?.latest?.periodKey, "2027/28");
    assert.equal(permits?.target?.targetText, "74.4%");
    assert.equal(
      permits?.rating.explanation,
      "Review: 74.0% is below 74.4%; missed by 0.4 percentage points, within the tolerance of 3.72 percentage points (5% of 74.4%).",
    );
    // Complaints: compared with the figure for the year its target names, read although it is
    // neither the year shown nor the one before.
    assert.equal(complaints?.latest?.cellText, "402");
    assert.equal(complaints?.target?.targetText, "Maintain 2022/23 performance");
    assert.equal(
      complaints?.rating.explanation,
      "Strong: 402 is at most the 2022/23 figure of 412, and improved on 458 for 2026/27.",
    );
    // Visits: "Increase" compares with the year before.
    assert.equal(visits?.latest?.cellText, "1400");
    assert.equal(
      visits?.rating.explanation,
      "Strong: 1,400 is more than the 2026/27 figure of 1,350, and improved on 1,350 for 2026/27.",
    );
  });
});
