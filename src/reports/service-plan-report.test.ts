// Loaders first: test/helpers imports load-demo.ts, whose loaders import it back; entering the
// cycle here lets every loader see DEMO_DIRECTORY initialised.
import "../demo/loaders.ts";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { before, test } from "node:test";
import { asc, eq } from "drizzle-orm";
import { describeOnBothDatabases } from "../../test/helpers/database.ts";
import { supportingActivities } from "../db/schema/index.ts";
import { NotFound } from "../errors.ts";
import { insertCouncil, insertDepartment, insertPlan } from "../modules/plan/plan.repository.ts";
import type { Block, Report, TableBlock } from "./model.ts";
import { renderDocx } from "./render-docx.ts";
import { renderStandaloneHtml } from "./render-html.ts";
import { buildServicePlanReport, servicePlans, startsAfterNote } from "./service-plan-report.ts";

const ORIGINAL = "service-plan-2021-2025";
const REFRESH = "service-plan-2024-25";

function demo<T>(path: string): T {
  return JSON.parse(readFileSync(new URL(`../../data/demo/${path}`, import.meta.url), "utf8")) as T;
}

function demoText(path: string): string {
  return readFileSync(new URL(`../../data/demo/${path}`, import.meta.url), "utf8");
}

const deliverablesFile = demo<{
  deliverables: {
    title: string;
    leadAsWritten: string;
    startFinish: string;
    group: string;
    councilPlanAsWritten: string | null;
  }[];
}>("plan/deliverables.json");
const risksFile = demo<{ risks: { description: string; mitigations: string[] }[] }>("plan/risks.json");
const objectivesFile = demo<{
  objectives: {
    number: number;
    title: string;
    supportingActivities: { text: string; children: { text: string }[] }[];
  }[];
}>("plan/objectives.json");
const tablesFile =
  demo<{ file: string; document: string; group: { title: string }; key: string | null }[]>(
    "measures/tables.json",
  );
type Stated = { stated: string; pence: number };
const budgetFile = demo<{
  columns: { key: string; title: string }[];
  divisions: Record<string, Stated | string>[];
  total: Record<string, Stated | string>;
}>("finance/approved-budget-2020-21.json");
const refreshBudgetFile = demo<{
  proposedSavings: { total: Stated; items: { title: string; amount: Stated }[] };
}>("finance/budget-2024-25.json");
const procurementFile = demo<{
  procurements: { table: string; title: string; estimatedValueText: string; estimatedValuePence: number }[];
}>("procurement/forward-plan-2021-2023.json");

function blocks(report: Report): Block[] {
  return report.sections.flatMap((section) => section.blocks);
}

/** Every table, a chart's data table included (the Base Plan's months are its timeline's data). */
function tables(report: Report): TableBlock[] {
  return blocks(report).flatMap((block) =>
    block.kind === "table" ? [block] : block.kind === "chart" ? [block.table] : [],
  );
}

function table(report: Report, caption: string): TableBlock {
  const found = tables(report).find((candidate) => candidate.caption === caption);
  assert.ok(
    found,
    `no table "${caption}" in: ${tables(report)
      .map((t) => t.caption)
      .join(" | ")}`,
  );
  return found;
}

function texts(row: { cells: { text: string }[] }): string[] {
  return row.cells.map((cell) => cell.text);
}

/** Exact sum of integer pence in a test: BigInt so no float ever touches the money. */
function sumPence(values: number[]): number {
  return Number(values.reduce((total, value) => total + BigInt(value), 0n));
}

describeOnBothDatabases("the service plan document", (fresh) => {
  let original: Report;
  let refresh: Report;
  before(async () => {
    const { db } = await fresh({ demo: true });
    original = await buildServicePlanReport(db, { plan: ORIGINAL });
    refresh = await buildServicePlanReport(db, { plan: REFRESH });
  });

  test("the 2021-2025 plan: its sections in the document's order, none left empty", () => {
    assert.equal(original.title, "Children's Services Service Plan 2021-2025");
    assert.deepEqual(original.meta, [
      "Derbyshire County Council",
      "Children's Services",
      "Jane Parfremment, Executive Director – Children's Services",
      "DRAFT",
    ]);
    assert.equal(original.cover, true);
    assert.ok(refresh.meta.includes("Carol Cammiss, Executive Director"), refresh.meta.join(" | "));
    assert.deepEqual(
      original.sections.map((section) => section.id),
      [
        "ambition",
        "priorities",
        "overview",
        "key-risks",
        "section-one",
        "section-two",
        "approved-budget",
        "procurement",
      ],
    );
    for (const section of [...original.sections, ...refresh.sections]) {
      assert.ok(section.blocks.length > 0, `${section.id} is empty`);
    }
  });

  test("every one of the 31 deliverables, in order, with lead and start-finish as written", () => {
    const actionRows = tables(original)
      .filter((candidate) => candidate.caption.startsWith("Actions: "))
      .flatMap((candidate) => candidate.rows);
    assert.equal(actionRows.length, 31);
    assert.equal(deliverablesFile.deliverables.length, 31);
    for (const [index, deliverable] of deliverablesFile.deliverables.entries()) {
      const cells = texts(actionRows[index] as { cells: { text: string }[] });
      assert.equal(cells[0], deliverable.title);
      assert.equal(cells[1], deliverable.leadAsWritten);
      assert.equal(cells[2], deliverable.startFinish);
      if (deliverable.councilPlanAsWritten !== null) assert.equal(cells[4], deliverable.councilPlanAsWritten);
    }
    // Section One's priorities carry the Council Plan columns; Section Two's themes do not.
    assert.equal(table(original, "Actions: Keep Children Safe").columns.length, 4);
    assert.equal(table(original, "Actions: A prosperous and green Derbyshire").columns.length, 6);
  });

  test("every key performance measure row of the plan, each cell as written, sub-heading rows included", () => {
    const ours = tablesFile.filter((entry) => entry.document === ORIGINAL);
    assert.equal(ours.length, 6);
    let rowCount = 0;
    for (const entry of ours) {
      const shown = table(original, `Key performance measures: ${entry.group.title}`);
      const lines = demoText(`measures/${entry.file}`).replace(/\n$/, "").split("\n").slice(2);
      assert.equal(shown.rows.length, lines.length, entry.group.title);
      for (const [index, line] of lines.entries()) {
        const row = shown.rows[index] as TableBlock["rows"][number];
        const expected = line.split("\t");
        while (expected.length < shown.columns.length) expected.push("");
        assert.deepEqual(texts(row), expected, `${entry.group.title}, row ${index + 1}`);
        if (!line.includes("\t")) assert.equal(row.heading, true, `${line} is a sub-heading row`);
      }
      rowCount += lines.length;
      // The status key follows its table.
      if (entry.key) {
        const after = blocks(original)[blocks(original).indexOf(shown) + 1];
        assert.deepEqual(after, { kind: "paragraph", text: entry.key });
      }
    }
    assert.ok(rowCount >= 56);
  });

  test("the 7 key risks with their mitigations", () => {
    const risks = table(original, "Key risks");
    assert.equal(risks.rows.length, 7);
    for (const [index, risk] of risksFile.risks.entries()) {
      const cells = texts(risks.rows[index] as TableBlock["rows"][number]);
      assert.equal(cells[1], risk.description);
      assert.equal(cells[2], risk.mitigations.join(" "));
      assert.notEqual(cells[0], "", "every risk names its priority");
    }
  });

  test("the approved controllable budget matrix with its stated totals and the 8 rounding differences", () => {
    const budget = table(original, "Approved controllable budget 2020/21 (£)");
    const column = (title: string) => budget.columns.findIndex((candidate) => candidate.heading === title);
    assert.equal(budget.rows.length, budgetFile.divisions.length);
    const check = (row: TableBlock["rows"][number], expected: Record<string, Stated | string>) => {
      for (const { key, title } of budgetFile.columns) {
        const cell = row.cells[column(title)];
        assert.ok(cell, `column ${title}`);
        const value = expected[key];
        if (typeof value === "string") assert.equal(cell.text, value);
        else {
          assert.equal(cell.text, (value as Stated).stated, `${String(expected.division)}: ${title}`);
          assert.equal(Math.round((cell.value ?? Number.NaN) * 100), (value as Stated).pence);
        }
      }
    };
    for (const [index, division] of budgetFile.divisions.entries()) {
      check(budget.rows[index] as TableBlock["rows"][number], division);
    }
    const [stated, summed] = budget.totals ?? [];
    assert.ok(stated && summed);
    check(stated, budgetFile.total);
    assert.equal(summed.sumOfRows, true);
    assert.equal(budget.notes?.length, 8);
    assert.ok(budget.notes?.every((note) => /£1\.00/.test(note)));
    assert.equal(original.sections.find((section) => section.id === "approved-budget")?.newPage, true);
  });

  test("the seed's headings and paragraphs that no other part stores are printed in its words", () => {
    const flat = (file: string) =>
      readFileSync(new URL(`../../test/fixtures/seeds/${file}`, import.meta.url), "utf8")
        .replace(/\*\*/g, "")
        .replace(/\s+/g, " ");
    const refreshSeed = flat("service-plan-refresh-2024-25.txt");
    const originalSeed = flat("service-plan-2021-2025.txt");
    const texts = (report: Report, id: string) =>
      report.sections
        .find((found) => found.id === id)
        ?.blocks.flatMap((block) =>
          block.kind === "paragraph" || block.kind === "subheading" ? [block.text] : [],
        ) ?? [];
    // The original plan's management structure heading closes its departmental overview.
    const overview = texts(original, "overview");
    assert.ok(overview.includes("Departmental Management Structure and Services"));
    assert.ok(originalSeed.includes("Departmental Management Structure and Services"));
    // The refresh's outcome headings, each once, before its first objective.
    const objectives = texts(refresh, "objectives");
    const outcomes = objectives.filter((text) => /^Outcome \d - /.test(text));
    assert.deepEqual(
      outcomes.map((text) => text.slice(0, 9)),
      ["Outcome 2", "Outcome 4", "Outcome 5"],
    );
    for (const text of outcomes) assert.ok(refreshSeed.includes(text), text);
    assert.equal(objectives[objectives.indexOf(outcomes[0] ?? "") + 1], "Strategic Objectives");
    assert.match(objectives[objectives.indexOf(outcomes[0] ?? "") + 2] ?? "", /^10 Implement our 'Stronger/);
    // The budget section's two paragraphs as the refresh writes them, figures unchanged.
    const budget = texts(refresh, "budget");
    assert.match(
      budget[0] ?? "",
      /budget of £151\.708 million for 2024-25.*£6\.464 million ongoing.*£10 million one-off/,
    );
    assert.ok(
      budget.some((text) => /total proposed budget savings for 2024-25 of £12\.528 million/.test(text)),
    );
    for (const text of budget) assert.ok(refreshSeed.includes(text), text);
    // The appendix the refresh's contents names, under its own heading.
    const appendix = refresh.sections.at(-1);
    assert.equal(
      appendix?.title,
      "Appendix – Implementation Plan, including 2024-25 Departmental Budget and Commercial Pipeline of Procurement to March 2026",
    );
    assert.ok(refreshSeed.includes(appendix?.title ?? "-"));
    // The Executive Director with her title on both covers.
    assert.ok(original.meta.includes("Jane Parfremment, Executive Director – Children's Services"));
    assert.ok(refresh.meta.includes("Carol Cammiss, Executive Director"));
  });

  test("Table Two's rows that start after the date its heading gives are remarked on, by name", () => {
    const two = tables(original).find((candidate) => candidate.caption.startsWith("Table Two:"));
    const late = (two?.notes ?? []).find((note) => note.startsWith("Baseplan's check"));
    assert.ok(late, "a remark under Table Two");
    assert.match(late, /^Baseplan's check: 5 procurements in this table start after 31\/03\/2023/);
    for (const name of [
      "PAUSE Derbyshire (01/04/2023)",
      "Social Care Case Management System (01/04/2024)",
      "Supply and Delivery of Frozen Food (01/05/2023)",
    ]) {
      assert.ok(late.includes(name), name);
    }
    const one = tables(original).find((candidate) => candidate.caption.startsWith("Table One:"));
    assert.ok(!(one?.notes ?? []).some((note) => note.startsWith("Baseplan's check")));
  });

  test("both procurement tables (15 and 18 rows) with their totals, under the seed's own headings", () => {
    // The appendix's heading, introduction and table headings as the seed writes them.
    const seedLines = readFileSync(
      new URL("../../test/fixtures/seeds/service-plan-2021-2025.txt", import.meta.url),
      "utf8",
    ).split("\n");
    const appendix = original.sections.find((section) => section.id === "procurement");
    assert.equal(appendix?.title, "Appendix B: Forward Plan of Procurement Projects – up to 31 March 2023");
    const intro = appendix?.blocks[0];
    assert.ok(intro?.kind === "paragraph" && seedLines.includes(intro.text), "the seed's introduction");
    assert.match(intro.text, /^In line with the Council's Financial Regulations/);
    for (const [name, count] of [
      ["Table One", 15],
      ["Table Two", 18],
    ] as const) {
      const shown = tables(original).find((candidate) => candidate.caption.startsWith(`${name}:`));
      assert.ok(shown, name);
      assert.ok(seedLines.includes(shown.caption), `${name}'s heading is the seed's: ${shown.caption}`);
      const expected = procurementFile.procurements.filter((row) => row.table === name);
      assert.equal(shown.rows.length, count);
      assert.deepEqual(
        shown.rows.map((row) => [row.cells[0]?.text, row.cells[1]?.text]),
        expected.map((row) => [row.title, row.estimatedValueText]),
      );
      const total = shown.totals?.[0];
      const totalPence = sumPence(expected.map((row) => row.estimatedValuePence));
      assert.equal(Math.round((total?.cells[1]?.value ?? Number.NaN) * 100), totalPence);
      assert.equal(total?.sumOfRows, true);
    }
  });

  test("the refresh: objectives 10, 11, 12, 20, 21, 26 and 27 with their activities, and no original-only sections", () => {
    assert.deepEqual(
      refresh.sections.map((section) => section.id),
      ["foreword", "services", "ambition", "objectives", "budget", "monitoring", "appendix-1"],
    );
    const objectives = refresh.sections.find((section) => section.id === "objectives");
    assert.ok(objectives);
    const headings = objectives.blocks
      .flatMap((block) => (block.kind === "subheading" ? [block.text] : []))
      .filter((text) => !/^Outcome \d - /.test(text));
    assert.deepEqual(
      headings.slice(1, -1),
      objectivesFile.objectives.map((objective) => `${objective.number} ${objective.title}`),
    );
    assert.deepEqual(
      objectivesFile.objectives.map((objective) => objective.number),
      [10, 11, 12, 20, 21, 26, 27],
    );
    const lists = objectives.blocks.filter((block) => block.kind === "list");
    for (const [index, objective] of objectivesFile.objectives.entries()) {
      // An activity's parts nest under it, a level down, in the plan's words.
      assert.deepEqual(
        lists[index]?.items,
        objective.supportingActivities.flatMap((activity) => [
          activity.text,
          ...activity.children.map((child) => child.text),
        ]),
      );
      const levels = objective.supportingActivities.flatMap((activity) => [
        0,
        ...activity.children.map(() => 1),
      ]);
      assert.deepEqual(lists[index]?.levels, levels.some((level) => level > 0) ? levels : undefined);
    }
    // Each objective names its lead; under its outcome's own heading, the outcome is not repeated.
    const paragraphs = objectives.blocks.flatMap((block) => (block.kind === "paragraph" ? [block.text] : []));
    assert.equal(
      paragraphs.filter((text) => /^Lead: .+\.$/.test(text)).length,
      objectivesFile.objectives.length,
    );
    assert.deepEqual(
      paragraphs.filter((text) => /^Outcome \d+\. Lead/.test(text)),
      [],
    );
    const activityCount = objectivesFile.objectives.flatMap((o) =>
      o.supportingActivities.flatMap((a) => [a, ...a.children]),
    ).length;
    assert.ok(
      objectives.blocks.some(
        (block) =>
          block.kind === "paragraph" &&
          block.text.includes(`any of the ${activityCount} supporting activities`),
      ),
    );
  });

  test("the refresh: the 20 proposed savings adding to their stated total", () => {
    const savings = table(refresh, "Proposed savings 2024/25");
    const items = refreshBudgetFile.proposedSavings.items;
    assert.equal(items.length, 20);
    assert.equal(savings.rows.length, 20);
    for (const [index, item] of items.entries()) {
      const row = savings.rows[index] as TableBlock["rows"][number];
      assert.ok(row.cells[0]?.text.startsWith(item.title));
      assert.equal(row.cells[1]?.text, item.amount.stated);
    }
    const total = savings.totals?.[0];
    const sum = sumPence(items.map((item) => item.amount.pence));
    assert.equal(sum, refreshBudgetFile.proposedSavings.total.pence);
    assert.equal(Math.round((total?.cells[1]?.value ?? Number.NaN) * 100), sum);
    assert.equal(total?.sumOfRows, true);
    assert.equal(savings.notes, undefined, "the proposals agree with the stated total");
    assert.equal(table(refresh, "Service pressure funding 2024/25").rows.length, 3);
    // Measures to monitor, by outcome, with their target phrases as written.
    const outcome2 = table(refresh, "Key performance measures: Outcome 2");
    assert.deepEqual(texts(outcome2.rows[0] as TableBlock["rows"][number]), [
      "The number of children in care living with Council foster carers",
      "increase from 2023-24",
    ]);
  });

  test("the refresh's Base Plan gives no months: no timeline of empty rows, one sentence says so", () => {
    // The demo plan gives no months for any activity: no chart of outlines, no table of "Not set".
    assert.equal(
      blocks(refresh).find((block) => block.kind === "chart" && block.chart === "timeline"),
      undefined,
    );
    assert.equal(
      refresh.sections.find((found) => found.id === "base-plan"),
      undefined,
    );
    assert.ok(!renderStandaloneHtml(refresh).includes("Not set"));
  });

  test("a measure table with numeric trends has one small trend chart; a targets-only table has none", () => {
    const charts = blocks(original).filter((block) => block.kind === "chart" && block.chart === "line");
    assert.ok(charts.length >= 1 && charts.length <= 6, "at most one per measure table");
    const missing = charts.find((chart) => chart.title === "Trends: Keep Children Safe");
    assert.ok(missing && missing.kind === "chart" && missing.chart === "line");
    const episodes = missing.series.find((one) => one.name.startsWith("Number of missing episodes"));
    assert.deepEqual(
      episodes?.points.map((point) => [point.period, point.value, point.label]),
      [
        ["2018/19", 810, "810"],
        ["2019/20", 828, "828"],
        ["2020/21", 909, "909 (Dec 20)"],
      ],
    );
    assert.equal(
      blocks(refresh).filter((block) => block.kind === "chart" && block.chart === "line").length,
      0,
    );
    // Success measures and mitigations are lists within their cells; wide sections turn landscape.
    const risk = table(original, "Key risks").rows.find((row) => (row.cells[2]?.lines?.length ?? 0) > 1);
    assert.ok(risk, "a risk with several mitigations lists them");
    assert.ok(
      tables(original).some((shown) =>
        shown.rows.some((row) => row.cells[3]?.lines && row.cells[3].lines.length > 1),
      ),
      "success measures as lines",
    );
    for (const id of ["section-one", "section-two", "approved-budget"]) {
      assert.equal(original.sections.find((found) => found.id === id)?.landscape, true, id);
    }
  });

  test("the plan's own words the plan module does not store, from its settings, where the seed places them", () => {
    const words = (slug: string) =>
      demo<{
        councilPrioritiesIntro?: string;
        forewordSignOff?: string;
        strategicObjectivesHeading?: string;
        strategicObjectivesIntro?: string[];
        monitoringIntro?: string[];
        monitoringHeadings?: string[];
      }>(`reports/${slug}.json`);
    const ours = words(ORIGINAL);
    const priorities = original.sections.find((found) => found.id === "priorities");
    assert.deepEqual(priorities?.blocks[0], { kind: "paragraph", text: "Our Council priorities are:" });
    assert.equal(ours.councilPrioritiesIntro, "Our Council priorities are:");
    assert.equal(priorities?.blocks[1]?.kind, "list");
    const refreshWords = words(REFRESH);
    const foreword = refresh.sections.find((found) => found.id === "foreword");
    assert.deepEqual(foreword?.blocks.at(-1), { kind: "paragraph", text: "Carol" });
    const objectives = refresh.sections.find((found) => found.id === "objectives");
    assert.deepEqual(objectives?.blocks[0], {
      kind: "subheading",
      text: "Strategic Objectives – achieving the council’s ambition and outcomes",
    });
    const intro = refreshWords.strategicObjectivesIntro ?? [];
    assert.equal(intro.length, 5);
    assert.deepEqual(
      objectives?.blocks.slice(1, 6),
      intro.map((text) => ({ kind: "paragraph", text })),
    );
    // The department's priorities sentence is the introduction's second paragraph.
    assert.match(
      intro[1] ?? "",
      /^Children’s Services leads on the delivery of seven of the strategic objectives/,
    );
    const monitoring = refresh.sections.find((found) => found.id === "monitoring");
    assert.ok(monitoring);
    assert.match(
      (monitoring.blocks[0] as { text: string }).text,
      /^The ambitions set out in the Plan are supported by an implementation plan.*the following measures will also be monitored:$/,
    );
    assert.deepEqual(monitoring.blocks.slice(1, 3), [
      { kind: "subheading", text: "Key Performance Measures" },
      { kind: "paragraph", text: "Linked to the Strategic Objectives" },
    ]);
    // Each text is the seed's own words.
    const seed = readFileSync(
      new URL("../../test/fixtures/seeds/service-plan-refresh-2024-25.txt", import.meta.url),
      "utf8",
    );
    for (const text of [...intro, ...(refreshWords.monitoringIntro ?? [])]) assert.ok(seed.includes(text));
  });

  test("an unknown plan is not found; the plans it can build are listed", async () => {
    const { db } = await fresh({ demo: true });
    assert.deepEqual(
      (await servicePlans(db)).map((plan) => [plan.slug, plan.version]),
      [
        [ORIGINAL, "original"],
        [REFRESH, "refresh"],
      ],
    );
    await assert.rejects(buildServicePlanReport(db, { plan: "no-such-plan" }), NotFound);
  });

  test("the Base Plan shows the months set for an activity, and says how many are still unset", async () => {
    const { db } = await fresh({ demo: true });
    const [first] = await db
      .select()
      .from(supportingActivities)
      .orderBy(asc(supportingActivities.id))
      .limit(1);
    assert.ok(first);
    await db
      .update(supportingActivities)
      .set({ startMonth: "2024-04", endMonth: "2025-03" })
      .where(eq(supportingActivities.id, first.id));
    const report = await buildServicePlanReport(db, { plan: REFRESH });
    const timeline = table(report, "Base Plan 2024-25: supporting activities by month");
    const row = timeline.rows.find((candidate) => candidate.cells[1]?.text === first.text);
    assert.deepEqual(
      row?.cells.slice(2).map((cell) => cell.text),
      ["April 2024", "March 2025"],
    );
    assert.match(
      timeline.notes?.[0] ?? "",
      new RegExp(`^${timeline.rows.length - 1} of ${timeline.rows.length} activities`),
    );
    // The timeline draws its bar across the year, and its objective's bar across the same months.
    const chart = blocks(report).find((block) => block.kind === "chart" && block.chart === "timeline");
    assert.ok(chart && chart.kind === "chart" && chart.chart === "timeline");
    const bar = chart.rows.find((candidate) => candidate.label === first.text);
    assert.deepEqual([bar?.start, bar?.end, bar?.when], [0, 11, "Apr 24 – Mar 25"]);
    // The timeline prints on landscape pages of its own, a part of the objectives section.
    const timelineSection = report.sections.find((found) => found.id === "base-plan");
    assert.deepEqual([timelineSection?.landscape, timelineSection?.level], [true, 2]);
    assert.equal(
      report.sections.findIndex((found) => found.id === "base-plan"),
      report.sections.findIndex((found) => found.id === "objectives") + 1,
    );
    assert.equal(chart.rows.filter((candidate) => candidate.group && candidate.start === 0).length, 1);
    assert.equal(
      chart.rows.filter((candidate) => !candidate.group && candidate.start === undefined).length,
      timeline.rows.length - 1,
    );
  });

  test("a plan with nothing recorded beyond its title has no sections, not placeholders", async () => {
    const { db } = await fresh();
    const council = await insertCouncil(db, { name: "Test Council" });
    const department = await insertDepartment(db, { councilId: council.id, name: "Test Department" });
    await insertPlan(db, {
      departmentId: department.id,
      slug: "empty-plan",
      title: "Empty Service Plan 2030-2034",
      planVersion: "original",
      periodAsWritten: "2030-2034",
      fromYear: 2030,
      toYear: 2034,
    });
    const report = await buildServicePlanReport(db, { plan: "empty-plan" });
    assert.equal(report.title, "Empty Service Plan 2030-2034");
    assert.deepEqual(report.sections, []);
  });

  test("renders to Word and to a standalone web page", async () => {
    const docx = await renderDocx(original);
    assert.equal(docx.subarray(0, 2).toString("latin1"), "PK");
    const html = renderStandaloneHtml(original);
    assert.match(html, /Children(&#39;|')s Services Service Plan 2021-2025/);
    assert.match(html, /Supported Accommodation for young people/);
    assert.ok((html.match(/<table/g) ?? []).length >= tables(original).length);
  });
});

test("a procurement starting after the last date its table covers is named with its date", () => {
  const entries = [
    { title: "Library van", estimatedStartDate: "2031-03-31" },
    { title: "Park cafe", estimatedStartDate: "2031-04-01" },
    { title: "Bus shelters", estimatedStartDate: "2032-11-30" },
  ];
  assert.deepEqual(startsAfterNote(entries, "2031-03-31"), [
    "Baseplan's check: 2 procurements in this table start after 31/03/2031, the last date the table's heading covers: Park cafe (01/04/2031); Bus shelters (30/11/2032).",
  ]);
  assert.match(
    startsAfterNote(entries.slice(0, 2), "2031-03-31")[0] ?? "",
    /^Baseplan's check: One procurement/,
  );
  assert.deepEqual(startsAfterNote(entries, "2033-01-01"), []);
  assert.deepEqual(startsAfterNote(entries, undefined), []);
});
