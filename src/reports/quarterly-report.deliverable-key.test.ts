import assert from "node:assert/strict";
import { test } from "node:test";
import JSZip from "jszip";
import {
  buildCouncil,
  buildMonitoringYear,
  buildOpenQuarter,
  buildSetting,
} from "../../test/helpers/builders.ts";
import { describeOnBothDatabases } from "../../test/helpers/database.ts";
import type { Database } from "../db/client.ts";
import { DELIVERABLE_KEY_SETTING } from "../modules/plan/plan.service.ts";
import { quarterlyReport } from "../modules/reports/reports.service.ts";
import type { Block, Report } from "./model.ts";
import { renderDocx } from "./render-docx.ts";
import { renderStandaloneHtml } from "./render-html.ts";

/** A made-up council's quarter 2 2036/37: four deliverables, one rated at each level given. */
async function ratedQuarter(db: Database) {
  const deliverables = ["Light the harbour path", "Reopen the lido", "Move the depot", "Plant the orchard"];
  await buildCouncil(db, {
    plan: { fromYear: 2036, toYear: 2039 },
    deliverables: deliverables.map((title) => ({ title })),
    progress: [
      { deliverable: deliverables[0] as string, startYear: 2036, quarter: 2, rating: "good" },
      { deliverable: deliverables[1] as string, startYear: 2036, quarter: 2, rating: "review" },
      { deliverable: deliverables[2] as string, startYear: 2036, quarter: 2, rating: "action" },
      // Recorded before the council wrote its key, on a level the key does not use.
      { deliverable: deliverables[3] as string, startYear: 2036, quarter: 2, rating: "strong" },
    ],
  });
  await buildMonitoringYear(db, 2036);
  await buildOpenQuarter(db, 2036, 2);
  return deliverables;
}

/** A key of three levels in a council's own words, none of them the five-level words. */
const THREE_LEVELS = {
  levels: [
    { rating: "good", words: "Sailing", meaning: "Going as the project board agreed" },
    { rating: "review", words: "Wobbling", meaning: "Slipping by up to a month" },
    { rating: "action", words: "Sinking", meaning: "" },
  ],
};

function blocksOf(report: Report): Block[] {
  return report.sections.flatMap((section) => section.blocks);
}

/** A table's cells as text: a table block's, or the data table under a chart. */
function tableRows(report: Report, id: string): string[][] {
  const tables = blocksOf(report).flatMap((block) =>
    block.kind === "table" ? [block] : block.kind === "chart" ? [block.table] : [],
  );
  const table = tables.find((candidate) => candidate.id === id);
  assert.ok(table, `the report has a table ${id}`);
  return table.rows.map((row) => row.cells.map((cell) => cell.text));
}

function deliverableChart(report: Report) {
  const chart = blocksOf(report).find(
    (block) => block.kind === "chart" && block.id === "deliverable-progress",
  );
  assert.ok(chart && chart.kind === "chart" && "bars" in chart, "the report has the deliverable chart");
  return chart;
}

describeOnBothDatabases("the quarterly report in the council's key for deliverable progress", (fresh) => {
  test("a three-level key names the chart's bars, its table, the appendix and its ratings", async () => {
    const { db } = await fresh();
    const [lights, lido, depot, orchard] = await ratedQuarter(db);
    await buildSetting(db, DELIVERABLE_KEY_SETTING, THREE_LEVELS);
    const report = await quarterlyReport(db, "2036-37", 2);

    const chart = deliverableChart(report);
    // The key's levels in its order, then the older entry's level in the five-level words.
    assert.deepEqual(
      chart.bars.map((bar) => [bar.category, bar.value, bar.rating]),
      [
        ["Sailing", 1, "good"],
        ["Wobbling", 1, "review"],
        ["Sinking", 1, "action"],
        ["Strong", 1, "strong"],
      ],
    );
    assert.match(chart.description, /Sailing/);
    assert.deepEqual(tableRows(report, "deliverable-progress-data"), [
      ["Sailing", "1"],
      ["Wobbling", "1"],
      ["Sinking", "1"],
      ["Strong", "1"],
    ]);
    assert.deepEqual(
      new Map(tableRows(report, "deliverable-ratings").map(([title, rating]) => [title, rating])),
      new Map([
        [lights, "Sailing"],
        [lido, "Wobbling"],
        [depot, "Sinking"],
        [orchard, "Strong"],
      ]),
    );
    const keyLabels = blocksOf(report).flatMap((block) =>
      block.kind === "key" ? block.items.map((item) => [item.rating, item.label]) : [],
    );
    for (const expected of [
      ["good", "Rating: Sailing"],
      ["review", "Rating: Wobbling"],
      ["action", "Rating: Sinking"],
    ]) {
      assert.ok(
        keyLabels.some(([rating, label]) => rating === expected[0] && label === expected[1]),
        `no key item ${expected[1]}`,
      );
    }
    // The five-level words are gone from every place the key's levels are shown.
    const appendix = report.sections.find((section) => section.id === "appendix-a");
    assert.ok(appendix);
    assert.doesNotMatch(
      JSON.stringify(appendix),
      /"Rating: (Good|Review|Action)|"text":"(Good|Review|Action)"/,
    );

    // The renderers print the model's words: the HTML page and the Word file.
    const html = renderStandaloneHtml(report);
    for (const words of ["Sailing", "Wobbling", "Sinking"]) assert.match(html, new RegExp(words));
    const word = await (await JSZip.loadAsync(await renderDocx(report)))
      .file("word/document.xml")
      ?.async("string");
    assert.ok(word);
    assert.match(word, /Rating: Sailing/);
    assert.match(word, /Rating: Sinking/);
  });

  test("with no key written, the five levels keep their words", async () => {
    const { db } = await fresh();
    await ratedQuarter(db);
    const report = await quarterlyReport(db, "2036-37", 2);
    assert.deepEqual(tableRows(report, "deliverable-progress-data"), [
      ["Strong", "1"],
      ["Good", "1"],
      ["Review", "1"],
      ["Action", "1"],
      ["Data not available / target not set", "0"],
    ]);
    assert.deepEqual(
      tableRows(report, "deliverable-ratings")
        .map((row) => row[1])
        .sort(),
      ["Action", "Good", "Review", "Strong"],
    );
  });
});
