import assert from "node:assert/strict";
import { test } from "node:test";
import {
  buildBudgetMonitoring,
  buildCouncil,
  buildMeasure,
  buildMeasureValue,
  buildMonitoringYear,
  buildOpenQuarter,
  buildRecordedQuarter,
} from "../../test/helpers/builders.ts";
import { describeOnBothDatabases, TEST_ACTOR } from "../../test/helpers/database.ts";
import type { Database } from "../db/client.ts";
import { monitoringPeriod } from "../domain/periods.ts";
import { NotFound } from "../errors.ts";
import { setTarget } from "../modules/measures/measures.edit.ts";
import { enteredValueFor, recordPeriodValue } from "../modules/measures/measures.service.ts";
import { requireOpenPeriod } from "../modules/periods/periods.service.ts";
import { quarterlyReport } from "../modules/reports/reports.service.ts";
import type { Block, Report } from "./model.ts";

/** Every piece of text in a report model, one string per paragraph, cell, caption or heading. */
function textsOf(report: Report): string[] {
  const texts: string[] = [report.title, ...(report.header ?? [])];
  const ofBlock = (block: Block) => {
    switch (block.kind) {
      case "paragraph":
      case "subheading":
        texts.push(block.text);
        break;
      case "list":
        texts.push(...block.items);
        break;
      case "table":
        texts.push(block.caption, ...(block.notes ?? []));
        for (const row of [...block.rows, ...(block.totals ?? [])])
          texts.push(...row.cells.map((cell) => cell.text));
        break;
      case "chart":
        texts.push(block.title, block.description);
        break;
      default:
        break;
    }
  };
  for (const section of report.sections) {
    texts.push(section.title);
    for (const block of section.blocks) ofBlock(block);
  }
  return texts;
}

function sectionText(report: Report, id: string): string[] {
  const section = report.sections.find((candidate) => candidate.id === id);
  assert.ok(section, `the report has a section ${id}`);
  return textsOf({ ...report, title: "", header: [], sections: [section] }).filter(Boolean);
}

/** A quarterly measure with the values given ("Q1 2030/31" -> "81.0%"), each entered as the form enters one. */
async function measureWithValues(
  db: Database,
  title: string,
  values: [number, number, string][],
  target: string,
) {
  const measure = await buildMeasure(db, {
    title,
    unit: "percent",
    polarity: "higher-is-better",
    frequency: "quarterly",
  });
  for (const [startYear, quarter, text] of values) {
    await buildMeasureValue(db, {
      measureId: measure.id,
      period: monitoringPeriod(startYear, "quarter", quarter),
      text,
    });
  }
  await setTarget(db, TEST_ACTOR, {
    measureId: measure.id,
    form: { period: "2033/34", target },
    replacing: null,
  });
  return measure;
}

describeOnBothDatabases("the quarterly report of any period, from that period's data", (fresh) => {
  test("years of earlier values give a measure the same row as the few its rating compares with", async () => {
    const { db } = await fresh();
    await buildCouncil(db, { plan: { fromYear: 2030, toYear: 2033 } });
    const quarters: [number, number][] = [];
    for (let startYear = 2030; startYear <= 2033; startYear += 1) {
      await buildMonitoringYear(db, startYear);
      for (let quarter = 1; quarter <= 4 && !(startYear === 2033 && quarter > 3); quarter += 1) {
        await buildOpenQuarter(db, startYear, quarter);
        quarters.push([startYear, quarter]);
      }
    }
    // Every quarter of four years, the last but one restated: the restated figure is the one compared.
    const history = await measureWithValues(
      db,
      "Repairs on time, every quarter",
      quarters.map(([startYear, quarter], index) => [
        startYear,
        quarter,
        `${(60 + index * 0.7).toFixed(1)}%`,
      ]),
      "60% or above",
    );
    const secondLast = await enteredValueFor(db, history.id, monitoringPeriod(2033, "quarter", 2));
    assert.ok(secondLast);
    await recordPeriodValue(
      db,
      TEST_ACTOR,
      {
        measureId: history.id,
        period: monitoringPeriod(2033, "quarter", 2),
        text: "75.0%",
        status: "final",
        notes: null,
        replacing: { id: secondLast.id, version: secondLast.version },
      },
      requireOpenPeriod,
    );
    await measureWithValues(
      db,
      "Repairs on time, two quarters",
      [
        [2033, 2, "75.0%"],
        [2033, 3, `${(60 + 14 * 0.7).toFixed(1)}%`],
      ],
      "60% or above",
    );
    // A figure three years back is still the previous one where none came after it.
    await measureWithValues(
      db,
      "Visits, with a gap",
      [
        [2030, 1, "50.0%"],
        [2030, 2, "80.0%"],
        [2033, 3, "72.5%"],
      ],
      "70% or above",
    );
    await measureWithValues(
      db,
      "Visits, the two figures",
      [
        [2030, 2, "80.0%"],
        [2033, 3, "72.5%"],
      ],
      "70% or above",
    );
    const report = await quarterlyReport(db, "2033-34", 3);
    const table = report.sections
      .flatMap((section) => section.blocks)
      .find((block) => block.kind === "table" && block.id === "measures");
    assert.ok(table && table.kind === "table");
    const rows = new Map(
      table.rows.map((row, index) => [
        row.cells[0]?.text ?? "",
        {
          cells: row.cells.slice(1).map((cell) => cell.text),
          note: (table.notes?.[index] ?? "").replace(/^[^:]*: /, ""),
        },
      ]),
    );
    const everyQuarter = rows.get("Repairs on time, every quarter");
    const gap = rows.get("Visits, with a gap");
    assert.deepEqual(everyQuarter, rows.get("Repairs on time, two quarters"));
    assert.deepEqual(gap, rows.get("Visits, the two figures"));
    assert.deepEqual(everyQuarter?.cells, ["69.8%", "60% or above", "Good"]);
    // The restated quarter 2 figure, not the one it replaced nor any older one.
    assert.equal(
      everyQuarter?.note,
      "Good: 69.8% is at least 60%, but did not improve on 75% for Quarter 2 2033/34.",
    );
    assert.equal(gap?.note, "Good: 72.5% is at least 70%, but did not improve on 80% for Quarter 2 2030/31.");
  });

  test("quarter 4 of a made-up year: the entered progress, measure value and forecast are in the report", async () => {
    const { db } = await fresh();
    const recorded = await buildRecordedQuarter(db, { startYear: 2030, quarter: 4 });
    const report = await quarterlyReport(db, "2030-31", 4);
    assert.equal(report.title, "Performance and Budget Monitoring 2030/2031 as at Quarter 4");
    const all = textsOf(report);
    // Deliverable progress for the quarter, from the entry.
    assert.ok(all.includes(recorded.deliverable));
    assert.ok(all.includes(recorded.narrative));
    // The measures table from the value entered for the quarter, rated by Baseplan.
    const measures = report.sections
      .flatMap((section) => section.blocks)
      .find((block) => block.kind === "table" && block.id === "measures");
    assert.ok(measures && measures.kind === "table");
    assert.deepEqual(
      measures.rows.map((row) => row.cells.map((cell) => cell.text)),
      [[recorded.measure, "87.5%", "No target set", "Data not available / target not set"]],
    );
    assert.equal(measures.columns[1]?.heading, "Quarter 4 2030/31");
    // The budget line's quarter 4 forecast: £4.200m budget, £4.765m forecast, £0.565m over.
    const budget = report.sections
      .flatMap((section) => section.blocks)
      .find((block) => block.kind === "table" && block.id === "budget-items");
    assert.ok(budget && budget.kind === "table");
    assert.deepEqual(
      budget.rows[0]?.cells.slice(0, 4).map((cell) => cell.text),
      [recorded.line, "4.200", "4.765", "0.565"],
    );
    // Sections with nothing recorded say so in one line.
    assert.deepEqual(sectionText(report, "financial-risks"), [
      "2.7 Financial Risks",
      "No financial risks have been entered for this period.",
    ]);
    assert.deepEqual(sectionText(report, "earmarked-reserves"), [
      "2.8 Earmarked Reserves",
      "No earmarked reserve balances have been entered for this period.",
    ]);
    assert.deepEqual(sectionText(report, "debt-position"), [
      "2.9 Debt Position",
      "No debt position has been entered for this period.",
    ]);
    assert.ok(
      sectionText(report, "budget-savings").includes("No savings forecast has been entered for this period."),
    );
    // The council's own name heads the report; nothing about how the data arrived.
    assert.ok((report.header ?? []).some((line) => /^Borough of Anytown-\d+$/.test(line)));
    assert.doesNotMatch(all.join("\n"), /seed|demo|quarterly-report-/i);
  });

  test("another year with no forecast entered: the report says so instead of failing", async () => {
    const { db } = await fresh();
    const recorded = await buildRecordedQuarter(db, { startYear: 2031, quarter: 2, forecast: false });
    const report = await quarterlyReport(db, "2031-32", 2);
    assert.deepEqual(sectionText(report, "budget-forecast-summary"), [
      "2.3 Budget Forecast Summary",
      "No forecast has been entered for this period.",
    ]);
    assert.ok(
      sectionText(report, "key-variances").includes("No key variances are recorded for this quarter."),
    );
    assert.ok(textsOf(report).includes(recorded.narrative));
    assert.ok(textsOf(report).includes("87.5%"));
  });

  test("a budget of more items than a chart can show: the largest variances drawn, every item in the table", async () => {
    const { db } = await fresh();
    await buildCouncil(db, { plan: { fromYear: 2032, toYear: 2035 } });
    await buildMonitoringYear(db, 2032);
    await buildOpenQuarter(db, 2032, 1);
    // 25 items, each £1m budget; item n is n thousand pounds over (odd) or under (even) budget.
    const lines = Array.from({ length: 25 }, (_, index) => ({
      name: `Widget service ${index + 1}`,
      budget: 100_000_000,
      forecast: 100_000_000 + (index % 2 === 0 ? 1 : -1) * (index + 1) * 100_000,
    }));
    await buildBudgetMonitoring(db, { startYear: 2032, quarter: 1, lines });
    const report = await quarterlyReport(db, "2032-33", 1);
    const blocks = report.sections.flatMap((section) => section.blocks);
    const table = blocks.find((block) => block.kind === "table" && block.id === "budget-items");
    assert.ok(table?.kind === "table");
    assert.equal(table.rows.length, 25);
    // Items 6 to 25 have the 20 largest variances, whatever their sign; drawn in the table's order.
    const largest = lines.slice(5).map((line) => line.name);
    for (const id of ["forecast-against-budget", "forecast-variance"]) {
      const chart = blocks.find((block) => block.kind === "chart" && block.id === id);
      assert.ok(chart?.kind === "chart" && "bars" in chart);
      assert.deepEqual([...new Set(chart.bars.map((bar) => bar.category))], largest);
      assert.deepEqual(
        chart.table.rows.map((row) => row.cells[0]?.text),
        largest,
      );
      assert.match(
        chart.description,
        /Baseplan draws the 20 budget items with the largest under or over spends of the 25; the table lists every item\.$/,
      );
    }
  });

  test("a quarter opened with nothing recorded still has a report; one never opened has none", async () => {
    const { db } = await fresh();
    await buildCouncil(db, { plan: { fromYear: 2032, toYear: 2035 } });
    await buildMonitoringYear(db, 2032);
    await buildOpenQuarter(db, 2032, 1);
    const report = await quarterlyReport(db, "2032-33", 1);
    const all = textsOf(report);
    assert.ok(all.includes("No deliverable progress is recorded for this quarter."));
    assert.ok(all.includes("No measures are due for this quarter."));
    assert.ok(all.includes("No forecast has been entered for this period."));
    await assert.rejects(quarterlyReport(db, "2032-33", 2), NotFound);
  });
});
