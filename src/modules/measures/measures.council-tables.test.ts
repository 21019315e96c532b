import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { describeOnBothDatabases, TEST_ACTOR } from "../../../test/helpers/database.ts";
import { parsePeriod } from "../../domain/periods.ts";
import { Conflict } from "../../errors.ts";
import { latestAuditEvent } from "../audit/audit.service.ts";
import { measureTrend } from "./measures.chart.ts";
import { parsePastedTable } from "./measures.paste.ts";
import { listGroups, listMeasures, listRows, valuesOf } from "./measures.repository.ts";
import { measurePage, previewImport, saveImport } from "./measures.service.ts";

/**
 * A made-up council's quarterly KPI table, headed as many councils head theirs: a code, a
 * description, the directorate, last and this quarter, target, status, trend.
 */
const HEADER = "Indicator\tDescription\tDirectorate\tLast quarter\tThis quarter\tTarget\tStatus\tTrend";

function edition(rows: string[][]): string {
  return [HEADER, ...rows.map((row) => row.join("\t"))].join("\n");
}

/** Four successive editions: the description of HX1 is reworded (curly apostrophe, dash) in the third. */
const EDITIONS: { period: string; text: string; ratings: Record<string, string> }[] = [
  {
    period: "Q1 2024/25",
    text: edition([
      [
        "HX1",
        "Percentage of tenants' repairs done on time",
        "Housing",
        "81.0%",
        "83.5%",
        "85%",
        "Amber",
        "Better",
      ],
      ["HX2", "Average days to relet a home", "Housing", "41", "38", "35", "Red", "Getting better"],
    ]),
    ratings: { HX1: "Amber", HX2: "Red" },
  },
  {
    period: "Quarter 2, 2024 to 2025",
    text: edition([
      [
        "HX1",
        "Percentage of tenants' repairs done on time",
        "Housing",
        "83.5%",
        "86.1%",
        "85%",
        "Green",
        "Better",
      ],
      ["HX2", "Average days to relet a home", "Housing", "38", "38", "35", "Amber", "No change"],
    ]),
    ratings: { HX1: "Green", HX2: "Amber" },
  },
  {
    period: "2024/25 Q3",
    text: edition([
      [
        "HX1",
        "Percentage of tenants’ repairs completed on time – all trades",
        "Housing",
        "86.1%",
        "84.0%",
        "85%",
        "Amber",
        "Worse",
      ],
      ["hx 2", "Average days to re-let a home", "Housing", "38", "33", "35", "Green", "Getting better"],
    ]),
    ratings: { HX1: "Amber", HX2: "Green" },
  },
  {
    period: "Q4 24/25",
    text: edition([
      [
        "HX1",
        "Percentage of tenants’ repairs completed on time – all trades",
        "Housing",
        "84.0%",
        "88.2%",
        "85%",
        "Green",
        "Better",
      ],
      ["HX2", "Average  days to re-let a home", "Housing", "33", "31", "35", "Green", "Better"],
    ]),
    ratings: { HX1: "Green", HX2: "Green" },
  },
];

describe("headers by meaning", () => {
  test("a table headed Indicator | Description | ... reads its codes, titles and the report's periods", () => {
    const reportingPeriod = parsePeriod("Q3 2024/25");
    const table = parsePastedTable(EDITIONS[2]?.text ?? "", { reportingPeriod });
    assert.deepEqual(
      table.columns.map((column) => [column.heading, column.role, column.period]),
      [
        ["Directorate", "owner", null],
        ["Last quarter", "value", "Q2 2024/25"],
        ["This quarter", "latest", "Q3 2024/25"],
        ["Target", "target", "Q3 2024/25"],
        ["Status", "rating", "Q3 2024/25"],
        ["Trend", "trend", null],
      ],
    );
    assert.deepEqual(
      table.rows.map((row) => [row.code, row.title, row.cells[2]]),
      [
        ["HX1", "Percentage of tenants’ repairs completed on time – all trades", "84.0%"],
        ["hx 2", "Average days to re-let a home", "33"],
      ],
    );
  });

  test("quarters written in a heading are the quarter, not the year", () => {
    const table = parsePastedTable(
      "Code\tTitle\tQ2 2024-25\tQuarter 3, 2024 to 2025\tTarget\nA1\tA measure\t1\t2\t3",
    );
    assert.deepEqual(
      table.columns.map((column) => column.period),
      ["Q2 2024-25", "Quarter 3, 2024 to 2025", "Quarter 3, 2024 to 2025"],
    );
  });

  test("a table without a code column still reads 'Indicator' as the title", () => {
    const table = parsePastedTable(
      "Indicator\tActual 2023/24\tTarget 2024/25\nRoads resurfaced (km)\t12\t15",
    );
    assert.deepEqual(
      table.rows.map((row) => [row.code, row.title, row.cells]),
      [[undefined, "Roads resurfaced (km)", ["12", "15"]]],
    );
  });

  test("relative periods with no reporting period are not guessed", () => {
    const table = parsePastedTable(EDITIONS[0]?.text ?? "");
    assert.equal(table.columns.find((column) => column.heading === "This quarter")?.period, null);
  });

  test("the trend chart puts quarters and months in date order, not text order", () => {
    const trend = measureTrend(
      "t",
      "Days",
      ["Q3 2024/25", "Q4 2023/24", "Q1 2024/25", "Dec 2023", "Sep 2023", "Jun 2023", "Mar 2023"].map(
        (periodKey, amount) => ({ periodKey, amount, cellText: String(amount) }),
      ),
    );
    assert.deepEqual(trend?.periods, [
      "Mar 2023",
      "Jun 2023",
      "Sep 2023",
      "Dec 2023",
      "Q4 2023/24",
      "Q1 2024/25",
      "Q3 2024/25",
    ]);
  });
});

describeOnBothDatabases("other councils' KPI tables", (fresh) => {
  test("four quarterly editions give one measure per code with five quarters in date order and every printed rating", async () => {
    const { db } = await fresh();
    for (const [index, one] of EDITIONS.entries()) {
      const input = {
        text: one.text,
        document: `Housing performance report ${index + 1}`,
        groupKind: "report",
        groupTitle: "Housing indicators",
        reportingPeriod: one.period,
      };
      const preview = await previewImport(db, input);
      assert.deepEqual(preview.problems, [], one.period);
      await saveImport(db, TEST_ACTOR, input);
    }
    const measures = await listMeasures(db);
    assert.deepEqual(
      measures.map((measure) => [measure.code, measure.title, measure.otherTitles]),
      [
        [
          "HX1",
          "Percentage of tenants’ repairs completed on time – all trades",
          ["Percentage of tenants' repairs done on time"],
        ],
        ["HX2", "Average days to re-let a home", ["Average days to relet a home"]],
      ],
    );
    const [hx1, hx2] = measures;
    assert.ok(hx1 && hx2);
    const page = await measurePage(db, hx1.id);
    const quarters = [...new Set(page.values.map((value) => value.periodKey))];
    assert.deepEqual(quarters, ["Q4 2023/24", "Q1 2024/25", "Q2 2024/25", "Q3 2024/25", "Q4 2024/25"]);
    // Each quarter's figure, as the edition that reported it as this quarter printed it.
    const thisQuarter = page.values.filter((value) => value.columnHeading === "This quarter");
    assert.ok(thisQuarter.every((value) => value.columnRole === "latest"));
    assert.deepEqual(
      thisQuarter.map((value) => [value.periodKey, value.cellText]),
      [
        ["Q1 2024/25", "83.5%"],
        ["Q2 2024/25", "86.1%"],
        ["Q3 2024/25", "84.0%"],
        ["Q4 2024/25", "88.2%"],
      ],
    );
    // Every printed rating is kept, one per edition, none replaced by the next.
    const rows = await listRows(db);
    for (const [code, measure] of [
      ["HX1", hx1],
      ["HX2", hx2],
    ] as const) {
      assert.deepEqual(
        rows.filter((row) => row.measureId === measure.id).map((row) => row.printedRating),
        EDITIONS.map((one) => one.ratings[code]),
      );
    }
    // Importing the last edition again changes nothing.
    const last = EDITIONS[3];
    assert.ok(last);
    const before = (await measurePage(db, hx1.id)).values.map((value) => value.id);
    await saveImport(db, TEST_ACTOR, {
      text: last.text,
      document: "Housing performance report 4",
      groupKind: "report",
      groupTitle: "Housing indicators",
      reportingPeriod: last.period,
    });
    assert.deepEqual(
      (await measurePage(db, hx1.id)).values.map((value) => value.id),
      before,
    );
    assert.equal((await listMeasures(db)).length, 2);
  });

  test("a row matching no code or title is offered the close matches; a relative column needs a reporting period", async () => {
    const { db } = await fresh();
    const first = EDITIONS[0];
    assert.ok(first);
    await saveImport(db, TEST_ACTOR, {
      text: first.text,
      document: "Housing report",
      groupKind: "report",
      groupTitle: "Housing",
      reportingPeriod: first.period,
    });
    const preview = await previewImport(db, {
      text: edition([
        [
          "HX9",
          "Average number of days to relet a council home",
          "Housing",
          "40",
          "39",
          "35",
          "Red",
          "Better",
        ],
      ]),
      document: "Another report",
      groupKind: "report",
      groupTitle: "Housing",
      reportingPeriod: "Q2 2024/25",
    });
    const row = preview.rows[0];
    assert.equal(row?.measure, null);
    assert.deepEqual(
      row?.closeMatches.map((measure) => measure.code),
      ["HX2"],
    );
    assert.match(row?.warnings.join(" ") ?? "", /Close to: "Average days to relet a home"/);
    assert.equal(row?.cells.find((cell) => cell.column.role === "trend")?.trend, "better");

    const noPeriod = await previewImport(db, {
      text: first.text,
      document: "Housing report",
      groupKind: "report",
      groupTitle: "Housing",
    });
    assert.ok(
      noPeriod.problems.some((problem) => /"This quarter" names a period relative/.test(problem.message)),
    );
    const badPeriod = await previewImport(db, {
      text: first.text,
      document: "Housing report",
      groupKind: "report",
      groupTitle: "Housing",
      reportingPeriod: "sometime",
    });
    assert.ok(
      badPeriod.problems.some(
        (problem) => problem.field === "reportingPeriod" && /"sometime"/.test(problem.message),
      ),
    );
  });

  test("re-pasting audits each changed cell before and after, keeps the old printed rating in the audit, and links the restatement", async () => {
    const { db } = await fresh();
    const first = EDITIONS[0];
    assert.ok(first);
    const input = {
      text: first.text,
      document: "Housing report",
      groupKind: "report",
      groupTitle: "Housing",
      reportingPeriod: first.period,
    };
    const group = await saveImport(db, TEST_ACTOR, input);
    const restated = first.text.replace("83.5%\t85%\tAmber", "84.0%\t85%\tGreen");
    assert.notEqual(restated, first.text);
    await saveImport(db, TEST_ACTOR, { ...input, text: restated });
    const event = await latestAuditEvent(db, "measure-group", group.id);
    const before = event?.before as { printedRatings: { title: string; printedRating: string | null }[] };
    const after = event?.after as {
      printedRatings: { title: string; printedRating: string | null }[];
      changes: { row: string; column: string; before: string | null; after: string }[];
    };
    assert.deepEqual(
      before.printedRatings.map((row) => row.printedRating),
      ["Amber", "Red"],
    );
    assert.deepEqual(
      after.printedRatings.map((row) => row.printedRating),
      ["Green", "Red"],
    );
    assert.deepEqual(after.changes, [
      {
        row: "Percentage of tenants' repairs done on time",
        column: "This quarter",
        before: "83.5%",
        after: "84.0%",
      },
    ]);
    const [hx1] = await listMeasures(db);
    assert.ok(hx1);
    const values = (await valuesOf(db, [hx1.id])).filter((value) => value.columnHeading === "This quarter");
    const old = values.find((value) => !value.current);
    const replacement = values.find((value) => value.current);
    assert.equal(old?.cellText, "83.5%");
    assert.equal(old?.supersededBy, replacement?.id);
  });

  test("the same new table saved twice at once: one saves, the other is a conflict or finds it saved, never an error", async () => {
    const { db } = await fresh();
    const first = EDITIONS[0];
    assert.ok(first);
    const input = {
      text: first.text,
      document: "Housing report",
      groupKind: "report",
      groupTitle: "Housing",
      reportingPeriod: first.period,
    };
    const results = await Promise.allSettled([
      saveImport(db, TEST_ACTOR, input),
      saveImport(db, TEST_ACTOR, input),
    ]);
    assert.ok(results.some((result) => result.status === "fulfilled"));
    for (const result of results) {
      if (result.status === "rejected") assert.ok(result.reason instanceof Conflict, String(result.reason));
    }
    assert.equal((await listGroups(db)).length, 1);
  });
});
