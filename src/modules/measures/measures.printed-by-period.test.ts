import assert from "node:assert/strict";
import { test } from "node:test";
import { testApp } from "../../../test/helpers/app.ts";
import { buildCouncil, buildMonitoringYear, buildOpenQuarter } from "../../../test/helpers/builders.ts";
import {
  buildKpiMeasures,
  importKpiEdition,
  type KpiEdition,
} from "../../../test/helpers/council-kpi-table.ts";
import { describeOnBothDatabases } from "../../../test/helpers/database.ts";
import type { Database } from "../../db/client.ts";
import { departmentDashboard } from "../home/home.service.ts";
import { quarterlyReport } from "../reports/reports.service.ts";
import { filterListings, listMeasureGroups, measurePage, type RatedRow } from "./measures.service.ts";

/**
 * The council's printed rating shown in the measures list and the quarterly report is the one
 * printed for the period each row shows (docs/decisions/0027-printed-ratings-in-lists-and-reports.md),
 * on a made-up council's quarterly KPI table, four editions of one year.
 */
const BOOKINGS = { code: "LB1", title: "Percentage of library loans renewed online" };
const VISITS = { code: "LB2", title: "Number of library visits" };

function quarter(
  reportingPeriod: string,
  bookings: [last: string, current: string, status: string],
  visits: [last: string, current: string, status: string],
): KpiEdition {
  return {
    reportingPeriod,
    rows: [
      { ...BOOKINGS, lastQuarter: bookings[0], thisQuarter: bookings[1], target: "85%", status: bookings[2] },
      { ...VISITS, lastQuarter: visits[0], thisQuarter: visits[1], target: "", status: visits[2] },
    ],
  };
}

// Baseplan rates bookings Review, Strong, Action, Strong (85% target, higher is better).
const EDITIONS: KpiEdition[] = [
  quarter("Q1 2032/33", ["80.0%", "84.5%", "Review"], ["410", "455", "Good"]),
  quarter("Q2 2032/33", ["84.5%", "88.2%", "Good"], ["455", "470", ""]),
  quarter("Q3 2032/33", ["88.2%", "80.0%", "Amber"], ["470", "430", "Good"]),
  quarter("Q4 2032/33", ["80.0%", "90.0%", "Strong"], ["430", "480", "Good"]),
];
const WHERE = { document: "Libraries quarterly performance", groupTitle: "Library indicators" };

async function setUp(db: Database) {
  const [bookings, visits] = await buildKpiMeasures(db, [
    { ...BOOKINGS, unit: "percent", polarity: "higher-is-better", decimals: 1, frequency: "quarterly" },
    { ...VISITS, unit: "count", polarity: "monitor", frequency: "quarterly" },
  ]);
  assert.ok(bookings && visits);
  return { bookings, visits };
}

function listedRow(listings: Awaited<ReturnType<typeof listMeasureGroups>>, title: string): RatedRow {
  const row = listings
    .flatMap((listing) => listing.rows)
    .find((candidate): candidate is RatedRow => "measure" in candidate && candidate.titleAsWritten === title);
  assert.ok(row, title);
  return row;
}

describeOnBothDatabases(
  "the council's printed rating for the period each list and report row shows",
  (fresh) => {
    test("after each edition the list shows that quarter's printed rating, as the measure page has it for the quarter", async () => {
      const { db } = await fresh();
      const { bookings } = await setUp(db);
      const expected = [
        ["Q1 2032/33", "Review", "agrees", "Good"],
        ["Q2 2032/33", "Good", "differs", null],
        ["Q3 2032/33", "Amber", "other key", "Good"],
        ["Q4 2032/33", "Strong", "agrees", "Good"],
      ] as const;
      for (const [index, edition] of EDITIONS.entries()) {
        await importKpiEdition(db, edition, WHERE);
        const listings = await listMeasureGroups(db);
        const row = listedRow(listings, BOOKINGS.title);
        const [period, printed, agreement, visits] = expected[index] ?? [];
        assert.equal(row.printedPeriod, period);
        assert.equal(row.printedRating, printed);
        assert.equal(row.printedAgreement, agreement);
        assert.equal(row.printsRatings, true);
        // The measure page's row for the period agrees with the list's.
        const page = await measurePage(db, bookings.id);
        const beside = page.printedRatings.find((one) => one.printed.periodKey === period);
        assert.equal(beside?.agreement, agreement);
        assert.equal(beside?.rating.meta.label, row.rating.meta.label);
        assert.equal(page.rows[0]?.printedRating, printed);
        // A quarter the council printed no rating for says so; the earlier quarter's is not shown.
        const other = listedRow(listings, VISITS.title);
        assert.equal(other.printedRating, visits);
        assert.equal(other.printedPeriod, period);
        // The filter shows exactly the rows that disagree.
        const differing = filterListings(listings, { printed: "differs" }).flatMap((listing) => listing.rows);
        const codes = differing.map((one) => ("measure" in one ? one.measure.code : ""));
        assert.equal(codes.includes(BOOKINGS.code), agreement === "differs");
        // Visits has no target, so Baseplan cannot rate it: a printed rating disagrees with that.
        assert.equal(codes.includes(VISITS.code), visits !== null);
      }
    });

    test("the list page counts the disagreements for the period shown, labels the council's rating and filters to them", async () => {
      const { db } = await fresh();
      await buildCouncil(db, { departmentName: "Libraries", plan: { fromYear: 2032 } });
      await setUp(db);
      for (const edition of EDITIONS.slice(0, 2)) await importKpiEdition(db, edition, WHERE);
      const app = await testApp(db);
      const page = await app.inject({ method: "GET", url: "/measures" });
      assert.equal(page.statusCode, 200);
      const body = page.body.replaceAll("&#39;", "'").replace(/\s+/g, " ");
      assert.match(
        body,
        /For 1 measure, the council's printed rating for the period shown disagrees with Baseplan's/,
      );
      assert.match(
        body,
        /<a class="govuk-link" href="\/measures\?printed=differs">Show only this measure<\/a>/,
      );
      assert.match(body, /Only where the council's printed rating disagrees with Baseplan's \(1\)/);
      assert.match(
        body,
        /The council's rating for Q2 2032\/33: Good <strong data-testid="rating-differs">\(differs from Baseplan's\)<\/strong>/,
      );
      assert.match(body, /The council printed no rating for Q2 2032\/33/);
      const filtered = await app.inject({ method: "GET", url: "/measures?printed=differs" });
      assert.equal(filtered.statusCode, 200);
      assert.equal(filtered.body.match(/data-testid="measure-row"/g)?.length, 1);
      assert.match(filtered.body, /Percentage of library loans renewed online/);
      assert.match(filtered.body, /id="printed" name="printed" type="checkbox" value="differs" checked/);
      const bad = await app.inject({ method: "GET", url: "/measures?printed=agrees" });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /This filter could not be read: choose again/);
      // The dashboard counts them too (its page shows them once a quarter has monitoring).
      const dashboard = await departmentDashboard(db);
      assert.equal(dashboard.measures.printedDisagreements, 1);
      // A measure needing attention says what the council printed for the quarter shown.
      await importKpiEdition(db, EDITIONS[2] as KpiEdition, WHERE);
      const later = await departmentDashboard(db);
      const item = later.measures.attention.find((one) => one.title === BOOKINGS.title);
      assert.equal(item?.detail, "In Library indicators; the council's rating for Q3 2032/33 is Amber");
      await app.close();
    });

    test("each quarter's report shows what the council printed for that quarter beside Baseplan's rating", async () => {
      const { db } = await fresh();
      await buildCouncil(db, { departmentName: "Libraries", plan: { fromYear: 2032 } });
      await buildMonitoringYear(db, 2032);
      for (let number = 1; number <= 4; number += 1) await buildOpenQuarter(db, 2032, number);
      await setUp(db);
      for (const edition of EDITIONS) await importKpiEdition(db, edition, WHERE);
      const printedByQuarter: Record<number, [string, string, string]> = {
        1: ["Review", "Review", "Good"],
        2: ["Strong", "Good", "None printed"],
        3: ["Action", "Amber", "Good"],
        4: ["Strong", "Strong", "Good"],
      };
      for (let number = 1; number <= 4; number += 1) {
        const report = await quarterlyReport(db, "2032-33", number);
        const table = report.sections
          .flatMap((section) => section.blocks)
          .find((block) => block.kind === "table" && block.id === "measures");
        assert.ok(table && table.kind === "table");
        assert.deepEqual(
          table.columns.slice(-2).map((column) => column.heading),
          ["Performance (worked out by Baseplan)", "The council's rating (as printed)"],
        );
        const byTitle = new Map(
          table.rows.map((row) => [row.cells[0]?.text, row.cells.map((cell) => cell.text)]),
        );
        const [baseplan, council, visits] = printedByQuarter[number] ?? [];
        assert.deepEqual(byTitle.get(BOOKINGS.title)?.slice(-2), [baseplan, council]);
        assert.equal(byTitle.get(VISITS.title)?.at(-1), visits);
        const notes = (table.notes ?? []).filter((note) => note.startsWith(BOOKINGS.title)).join("\n");
        if (number === 2) {
          assert.match(
            notes,
            /The council printed Good for Quarter 2 2032\/33; Baseplan's rating is Strong\./,
          );
        } else if (number === 3) {
          assert.match(
            notes,
            /The council printed Amber for Quarter 3 2032\/33, on its own key, which is not compared/,
          );
        } else {
          assert.doesNotMatch(notes, /The council printed/);
        }
      }
    });
  },
);
