import assert from "node:assert/strict";
import { test } from "node:test";
import { sql } from "drizzle-orm";
import { testApp } from "../../../test/helpers/app.ts";
import { buildCouncil, buildMonitoringYear, buildOpenQuarter } from "../../../test/helpers/builders.ts";
import {
  buildKpiMeasures,
  importKpiEdition,
  type KpiEdition,
  kpiImportInput,
} from "../../../test/helpers/council-kpi-table.ts";
import { describeOnBothDatabases, TEST_ACTOR } from "../../../test/helpers/database.ts";
import { formSession } from "../../../test/helpers/forms.ts";
import { queryRows } from "../../db/client.ts";
import { readMigrations } from "../../db/migrate.ts";
import { monitoringPeriod } from "../../domain/periods.ts";
import { latestAuditEvent } from "../audit/audit.service.ts";
import { findPeriod, publishPeriod } from "../periods/periods.service.ts";
import { printedRatingsOf, valuesOf } from "./measures.repository.ts";
import { measurePage, previewImport, saveImport } from "./measures.service.ts";

/** A made-up leisure service's quarterly table, one edition a quarter of 2031/32. */
const BOOKINGS = { code: "LC1", title: "Percentage of leisure centre bookings made online" };
const LESSONS = { code: "LC2", title: "Number of swimming lessons given" };

function quarter(
  reportingPeriod: string,
  bookings: [last: string, current: string, status: string],
  lessons: [last: string, current: string, status: string],
): KpiEdition {
  return {
    reportingPeriod,
    rows: [
      {
        ...BOOKINGS,
        lastQuarter: bookings[0],
        thisQuarter: bookings[1],
        target: "85%",
        status: bookings[2],
      },
      { ...LESSONS, lastQuarter: lessons[0], thisQuarter: lessons[1], target: "", status: lessons[2] },
    ],
  };
}

const EDITIONS: KpiEdition[] = [
  quarter("Q1 2031/32", ["80.0%", "84.5%", "Review"], ["410", "455", "Good"]),
  quarter("Q2 2031/32", ["84.5%", "88.2%", "Good"], ["455", "470", ""]),
  quarter("Q3 2031/32", ["88.2%", "80.0%", "Amber"], ["470", "430", "Good"]),
  quarter("Q4 2031/32", ["80.0%", "90.0%", "Strong"], ["430", "480", "Good"]),
];
const WHERE = { document: "Leisure quarterly performance", groupTitle: "Leisure indicators" };

async function setUp(db: Parameters<typeof buildKpiMeasures>[0]) {
  const [bookings, lessons] = await buildKpiMeasures(db, [
    { ...BOOKINGS, unit: "percent", polarity: "higher-is-better", decimals: 1 },
    { ...LESSONS, unit: "count", polarity: "monitor" },
  ]);
  assert.ok(bookings && lessons);
  return { bookings, lessons };
}

describeOnBothDatabases("printed ratings kept per measure and period", (fresh) => {
  test("four quarterly editions of one table keep every quarter's printed rating beside Baseplan's", async () => {
    const { db } = await fresh();
    const { bookings, lessons } = await setUp(db);
    for (const edition of EDITIONS) await importKpiEdition(db, edition, WHERE);

    const current = async (id: number) =>
      (await printedRatingsOf(db, [id]))
        .filter((rating) => rating.current)
        .map((rating) => [rating.periodKey, rating.ratingText]);
    assert.deepEqual(await current(bookings.id), [
      ["Q1 2031/32", "Review"],
      ["Q2 2031/32", "Good"],
      ["Q3 2031/32", "Amber"],
      ["Q4 2031/32", "Strong"],
    ]);
    // A blank status prints nothing for its quarter; the other quarters' ratings stand.
    assert.deepEqual(await current(lessons.id), [
      ["Q1 2031/32", "Good"],
      ["Q3 2031/32", "Good"],
      ["Q4 2031/32", "Good"],
    ]);

    const page = await measurePage(db, bookings.id);
    assert.deepEqual(
      page.printedRatings.map((one) => [
        one.printed.periodLabel,
        one.printed.ratingText,
        one.rating.meta.label,
        one.agreement,
      ]),
      [
        ["Q1 2031/32", "Review", "Review", "agrees"],
        ["Q2 2031/32", "Good", "Strong", "differs"],
        ["Q3 2031/32", "Amber", "Action", "other key"],
        ["Q4 2031/32", "Strong", "Strong", "agrees"],
      ],
    );
    assert.equal(page.printedDisagreements, 1);
    assert.equal(page.printedOnOtherKey, 1);

    // The last edition imported again changes nothing, and its audit event says no rating changed.
    const before = await printedRatingsOf(db, [bookings.id, lessons.id]);
    const group = await importKpiEdition(db, EDITIONS[3] as KpiEdition, WHERE);
    assert.deepEqual(await printedRatingsOf(db, [bookings.id, lessons.id]), before);
    const again = await latestAuditEvent(db, "measure-group", group.id);
    assert.match(again?.summary ?? "", /unchanged cells kept as they were/);
    assert.equal(
      (again?.after as { printedRatingChanges?: unknown } | undefined)?.printedRatingChanges,
      undefined,
    );

    // A corrected edition printing another rating for the quarter supersedes it, keeps the old
    // one, and audits both; the disagreement is counted.
    const corrected = quarter("Q4 2031/32", ["80.0%", "90.0%", "Good"], ["430", "480", "Good"]);
    await importKpiEdition(db, corrected, WHERE);
    const event = await latestAuditEvent(db, "measure-group", group.id);
    assert.deepEqual((event?.after as { printedRatingChanges?: unknown } | undefined)?.printedRatingChanges, [
      { row: BOOKINGS.title, period: "Q4 2031/32", before: "Strong", after: "Good" },
    ]);
    const all = await printedRatingsOf(db, [bookings.id]);
    const replaced = all.find((rating) => rating.ratingText === "Strong");
    const replacement = all.find((rating) => rating.current && rating.periodKey === "Q4 2031/32");
    assert.equal(replaced?.current, false);
    assert.equal(replaced?.supersededBy, replacement?.id);
    const after = await measurePage(db, bookings.id);
    assert.equal(after.printedDisagreements, 2);
    const q4 = after.printedRatings.find((one) => one.printed.periodKey === "Q4 2031/32");
    assert.deepEqual(
      q4?.earlier.map((old) => old.ratingText),
      ["Strong"],
    );
  });

  test("the measure page shows each period's printed rating beside Baseplan's, labelled, with the disagreements in words", async () => {
    const { db } = await fresh();
    await buildCouncil(db, { departmentName: "Leisure", plan: { fromYear: 2031 } });
    const { bookings } = await setUp(db);
    for (const edition of EDITIONS) await importKpiEdition(db, edition, WHERE);
    const app = await testApp(db);
    const { cookie } = await formSession(app, "/measures");
    const response = await app.inject({
      method: "GET",
      url: `/measures/${bookings.id}`,
      headers: { cookie },
    });
    assert.equal(response.statusCode, 200);
    const body = response.body.replaceAll("&#39;", "'");
    assert.match(body, /The council's ratings beside Baseplan's/);
    assert.match(body, /The council's rating \(as printed\)/);
    assert.match(body, /Baseplan's rating<\/th>/);
    assert.match(
      body,
      /Baseplan's rating disagrees with the council's printed rating for 1 of 4 periods<\/strong>; 1 printed on the council's own key is shown, not compared/,
    );
    const rows = [
      ...body.matchAll(/<tr class="govuk-table__row" data-testid="printed-rating">([\s\S]*?)<\/tr>/g),
    ].map((match) =>
      (match[1] ?? "")
        .replace(/<[^>]+>/g, " ")
        .replace(/\s+/g, " ")
        .trim(),
    );
    assert.equal(rows.length, 4);
    assert.match(
      rows[1] ?? "",
      /^Q2 2031\/32 Leisure quarterly performance \(Leisure indicators\) Good Strong No: they disagree$/,
    );
    assert.match(rows[2] ?? "", /Amber Action Not compared: the council's own key$/);
    assert.match(rows[3] ?? "", /Strong Strong Yes$/);
    await app.close();
  });

  test("migration 0035 converts each row's printed rating to its table's period, as an import now stores it", async () => {
    const { db } = await fresh();
    await setUp(db);
    // One table by quarter, one by year with a symbol read through its key.
    await importKpiEdition(db, EDITIONS[1] as KpiEdition, WHERE);
    await saveImport(db, TEST_ACTOR, {
      text: [
        "\tActual 2029/30\tActual 2030/2031\tTarget\tPerformance",
        `${BOOKINGS.title}\t79.0%\t81.0%\t85%\t🔴`,
        `${LESSONS.title}\t400\t410\t\tGood`,
      ].join("\n"),
      key: "Key 🟦 Strong 🟢 Good 🟡 Review 🔴 Action",
      document: "Leisure plan",
      groupKind: "priority",
      groupTitle: "Active lives",
    });
    const stored = async () =>
      (
        await printedRatingsOf(
          db,
          (await queryRows<{ id: number }>(db, sql`select id from measures`)).map((row) => Number(row.id)),
        )
      )
        .map((rating) => ({
          measureId: rating.measureId,
          groupId: rating.groupId,
          document: rating.document,
          periodLabel: rating.periodLabel,
          periodKey: rating.periodKey,
          ratingText: rating.ratingText,
          current: rating.current,
          recordedBy: rating.recordedBy,
        }))
        .sort((a, b) => a.measureId - b.measureId || a.document.localeCompare(b.document));
    const imported = await stored();
    assert.deepEqual(
      imported.map((rating) => [rating.document, rating.periodLabel, rating.periodKey, rating.ratingText]),
      [
        ["Leisure plan", "2030/2031", "2030/31", "Action"],
        ["Leisure quarterly performance", "Q2 2031/32", "Q2 2031/32", "Good"],
        ["Leisure plan", "2030/2031", "2030/31", "Good"],
      ],
    );
    const migration = (await readMigrations()).find((one) => one.name === "0035_printed_ratings");
    const conversion = migration?.statements.find((statement) => /^(?:--.*\n)*insert into/.test(statement));
    assert.ok(conversion);
    await db.execute(sql`delete from measure_printed_ratings`);
    await db.execute(sql.raw(conversion));
    assert.deepEqual(await stored(), imported);
  });

  test("a value giving its own period outside its column's quarter is saved for that period, as the preview shows", async () => {
    const { db } = await fresh();
    await setUp(db);
    const input = {
      ...kpiImportInput(
        {
          reportingPeriod: "Q3 2031/32",
          rows: [
            {
              ...BOOKINGS,
              lastQuarter: "86.0% (Dec 31)",
              thisQuarter: "87.5% (Nov 31)",
              target: "85%",
              status: "Good",
            },
          ],
        },
        WHERE,
      ),
    };
    const preview = await previewImport(db, input);
    assert.deepEqual(preview.problems, []);
    const shown = (preview.rows[0]?.cells ?? [])
      .filter((cell) => cell.understood !== null)
      .map((cell) => [cell.column.heading, cell.text, cell.period]);
    // December 2031 is in quarter 3, not the last quarter (quarter 2) its column is for.
    assert.deepEqual(shown, [
      ["Last quarter", "86.0% (Dec 31)", "Dec 2031"],
      ["This quarter", "87.5% (Nov 31)", "Q3 2031/32"],
    ]);
    const moved = preview.rows[0]?.cells[2];
    assert.deepEqual(moved?.warnings, []);
    await saveImport(db, TEST_ACTOR, input);
    const [measure] = await queryRows<{ id: number }>(db, sql`select id from measures where code = 'LC1'`);
    const saved = (await valuesOf(db, [Number(measure?.id)])).map((value) => [
      value.columnHeading,
      value.cellText,
      value.periodLabel,
      value.periodKey,
    ]);
    assert.deepEqual(saved, [
      ["Last quarter", "86.0% (Dec 31)", "Dec 2031", "Dec 2031"],
      ["This quarter", "87.5% (Nov 31)", "Q3 2031/32", "Q3 2031/32"],
    ]);
    const stored = (await valuesOf(db, [Number(measure?.id)]))[0];
    assert.ok(
      stored?.annotations.includes("Column period: Q2 2031/32 (the value is saved for its own period)"),
    );

    // Under a year's column, a cell for another period stays the year's latest figure, flagged.
    const yearly = await previewImport(db, {
      text: ["\tActual 2030/31\tLatest 2031/32", `${BOOKINGS.title}\t81.0%\t77.1% (Dec 29)`].join("\n"),
      document: "Leisure plan",
      groupKind: "priority",
      groupTitle: "Active lives",
    });
    const latest = yearly.rows[0]?.cells[1];
    assert.equal(latest?.period, "2031/32");
    assert.match(latest?.warnings.join(" ") ?? "", /outside the 2031\/32 column/);
  });

  test("the paste preview page shows the period each value is saved for", async () => {
    const { db } = await fresh();
    await buildCouncil(db, { departmentName: "Leisure", plan: { fromYear: 2031 } });
    await setUp(db);
    const app = await testApp(db);
    const { token, cookie } = await formSession(app, "/measures/import");
    const input = kpiImportInput(
      {
        reportingPeriod: "Q3 2031/32",
        rows: [
          { ...BOOKINGS, lastQuarter: "86.0% (Dec 31)", thisQuarter: "87.5%", target: "85%", status: "Good" },
        ],
      },
      WHERE,
    );
    const response = await app.inject({
      method: "POST",
      url: "/measures/import",
      headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
      payload: new URLSearchParams({
        _csrf: token ?? "",
        document: input.document,
        groupKind: input.groupKind,
        groupTitle: input.groupTitle,
        reportingPeriod: input.reportingPeriod ?? "",
        table: input.text,
        action: "preview",
      }).toString(),
    });
    assert.equal(response.statusCode, 200, response.body.slice(0, 300));
    const body = response.body.replace(/\s+/g, " ");
    assert.match(
      body,
      /Value 86, saved for Dec 2031; Period: Dec 31; Column period: Q2 2031\/32 \(the value is saved for its own period\)/,
    );
    assert.match(body, /Value 87.5, saved for Q3 2031\/32/);
    assert.match(body, /Rating printed by the document: Good, for Q3 2031\/32/);
    await app.close();
  });

  test("a changed printed rating for a published quarter is refused, naming it; the same rating again is accepted", async () => {
    const { db } = await fresh();
    await buildCouncil(db, { departmentName: "Leisure", plan: { fromYear: 2031 } });
    await buildMonitoringYear(db, 2031);
    await buildOpenQuarter(db, 2031, 1);
    const { bookings } = await setUp(db);
    const app = await testApp(db);
    const post = async (edition: KpiEdition) => {
      const { token, cookie } = await formSession(app, "/measures/import");
      const input = kpiImportInput(edition, WHERE);
      return app.inject({
        method: "POST",
        url: "/measures/import",
        headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
        payload: new URLSearchParams({
          _csrf: token ?? "",
          document: input.document,
          groupKind: input.groupKind,
          groupTitle: input.groupTitle,
          reportingPeriod: input.reportingPeriod ?? "",
          table: input.text,
          action: "save",
        }).toString(),
      });
    };
    const first = EDITIONS[0] as KpiEdition;
    assert.equal((await post(first)).statusCode, 303);
    const q1 = await findPeriod(db, monitoringPeriod(2031, "quarter", 1));
    assert.ok(q1);
    await publishPeriod(db, TEST_ACTOR, {
      period: monitoringPeriod(2031, "quarter", 1),
      version: q1.version,
      confirmMissing: true,
    });
    const kept = await printedRatingsOf(db, [bookings.id]);
    assert.equal((await post(first)).statusCode, 303, "the same edition again is accepted");
    const changed = quarter("Q1 2031/32", ["80.0%", "84.5%", "Good"], ["410", "455", "Good"]);
    const refused = await post(changed);
    assert.equal(refused.statusCode, 400);
    assert.match(
      refused.body.replaceAll("&quot;", '"'),
      /Row 2 \("Percentage of leisure centre bookings made online"\), column "Status", "Good": Quarter 1 2031\/32 is published/,
    );
    assert.deepEqual(await printedRatingsOf(db, [bookings.id]), kept);
    await app.close();
  });
});
