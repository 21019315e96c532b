/**
 * The service plan document for one plan, built from the plan, measures, finance and procurement
 * modules as a format-neutral report: every section the council's own plan prints, in its order,
 * each from stored data. A section with nothing stored for the plan is left out, never filled in.
 *
 * An original plan (the 2021-2025 plan) prints: ambition, values and outcomes; council
 * priorities; the departmental overview with the vision and key achievements; key risks; actions
 * and key performance measures by priority (Section One) and by service theme (Section Two); the
 * approved controllable budget (Appendix A) and the forward plan of procurement (Appendix B).
 * A refresh (the 2024-25 refresh) prints: foreword; our services; ambition and outcomes;
 * strategic objectives with the Base Plan; budget and savings; the measures to monitor.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { trendValue } from "../charts/charts.ts";
import type { Database } from "../db/client.ts";
import type { NestedItem } from "../db/schema/index.ts";
import { formatPounds, type Pence, sumPence } from "../domain/money.ts";
import { formatPlanMonth } from "../domain/plan-dates.ts";
import { keyLineText } from "../domain/rating-key.ts";
import { NotFound } from "../errors.ts";
import { approvedBudgetReport, growthReport } from "../modules/finance/finance.service.ts";
import * as storedMeasures from "../modules/measures/measures.service.ts";
import * as plans from "../modules/plan/plan.service.ts";
import { forwardPlan } from "../modules/procurement/procurement.service.ts";
import { readSetting, saveSetting } from "../modules/settings/settings.service.ts";
import { benchmarkJudgementBlocks } from "./benchmark-judgements.ts";
import {
  type Block,
  type ChartPoint,
  type LineChartBlock,
  type ListBlock,
  numberCell,
  paragraph,
  type Report,
  type ReportSection,
  type TableBlock,
  type TableCell,
  type TableRow,
  type TimelineChartBlock,
  type TimelineRow,
  textCell,
} from "./model.ts";

export interface ServicePlanOptions {
  /** The plan's slug, e.g. "service-plan-2021-2025" or "service-plan-2024-25". */
  plan: string;
  /**
   * The approval the document is kept for, when it is built as the plan is approved in Baseplan:
   * who approved it (the name they are shown by) and when. Absent, an approved plan prints
   * "Approved".
   */
  approval?: { by: string; at: Date };
}

type Plan = plans.Plan;

// ---------------------------------------------------------------------------------------------
// The plan's own words that the plan module does not store: report settings, one per plan

/**
 * Text a service plan document prints that is not plan data: the council priorities' lead-in,
 * any introduction under Section One or Two, the strategic objectives' introduction, the
 * "Monitoring the plan" introduction and headings, the foreword's sign-off. Kept as settings
 * (`reports.service-plan.<slug>`), loaded for the demo from data/demo/reports/<slug>.json, copied
 * verbatim from the seed; a field not set prints nothing.
 */
export const servicePlanSettingsSchema = z.object({
  key: z.string().startsWith("reports.service-plan."),
  plan: z.string(),
  source: z.object({ seedFile: z.string(), note: z.string() }).optional(),
  councilPrioritiesIntro: z.string().optional(),
  /** By deliverable section ("one", "two"): paragraphs under the section's heading. */
  sectionIntros: z.record(z.string(), z.array(z.string())).default({}),
  strategicObjectivesHeading: z.string().optional(),
  strategicObjectivesIntro: z.array(z.string()).default([]),
  monitoringIntro: z.array(z.string()).default([]),
  /** The headings over the measure lists: the first a heading, the rest lines under it. */
  monitoringHeadings: z.array(z.string()).default([]),
  forewordSignOff: z.string().optional(),
  /** A heading the departmental overview ends with (the management structure's), as written. */
  managementStructureHeading: z.string().optional(),
  /** By outcome number: the heading over the strategic objectives the outcome groups, as written. */
  outcomeHeadings: z.record(z.string(), z.string()).default({}),
  /** The line under each outcome's heading, before its objectives ("Strategic Objectives"). */
  outcomeObjectivesHeading: z.string().optional(),
  /** The budget section's own paragraphs: before the pressures table, and before the savings. */
  budgetIntro: z.array(z.string()).default([]),
  savingsIntro: z.array(z.string()).default([]),
  /** Appendices the plan names that Baseplan holds no text for: each heading as written. */
  appendixHeadings: z.array(z.string()).default([]),
  /** Appendix B's heading after "Appendix B: ", its introduction, and each table's heading by name. */
  procurementHeading: z.string().optional(),
  procurementIntro: z.array(z.string()).default([]),
  procurementTableHeadings: z.record(z.string(), z.string()).default({}),
  /**
   * By table name: the last start date (ISO) the table's heading covers ("due to commence prior
   * to April 2023" is 2023-03-31). A row starting later is remarked on under the table.
   */
  procurementStartsBy: z.record(z.string(), z.string().regex(/^\d{4}-\d{2}-\d{2}$/)).default({}),
});

export type ServicePlanSettings = z.infer<typeof servicePlanSettingsSchema>;

export const servicePlanSettingsKey = (slug: string) => `reports.service-plan.${slug}`;

/** A plan's document settings, or null where none are saved (its extra words are then left out). */
export async function servicePlanReportSettings(
  db: Database,
  slug: string,
): Promise<ServicePlanSettings | null> {
  return readSetting(db, servicePlanSettingsKey(slug), servicePlanSettingsSchema);
}

/** Saves one plan's document settings (checked, the key matching the plan), audited. */
export async function saveServicePlanReportSettings(
  db: Database,
  actor: string,
  value: unknown,
): Promise<ServicePlanSettings> {
  const parsed = servicePlanSettingsSchema.parse(value);
  const key = servicePlanSettingsKey(parsed.plan);
  if (parsed.key !== key) throw new Error(`Service plan settings for ${parsed.plan} are saved as ${key}.`);
  await saveSetting(db, actor, {
    key,
    value: parsed,
    summary: `Saved the service plan document's settings for ${parsed.plan}`,
  });
  return parsed;
}

/** The demo: every data/demo/reports/service-plan-*.json, one plan's settings each. */
export async function loadServicePlanReportSettings(db: Database, actor: string, directory: string) {
  const files = (await readdir(directory)).filter((name) => /^service-plan-.+\.json$/.test(name)).sort();
  for (const file of files) {
    await saveServicePlanReportSettings(db, actor, JSON.parse(await readFile(join(directory, file), "utf8")));
  }
}

/** "2020-21" for the financial year starting in April 2020: the finance module's year code. */
function yearCode(start: number): string {
  return `${start}-${String((start + 1) % 100).padStart(2, "0")}`;
}

function pounds(pence: Pence): number {
  // The model's numeric value for money is pounds (see model.ts); the text is exact from pence.
  return pence / 100;
}

/** Reads a finance view, or null where the year is not recorded (the section is then left out). */
async function unlessMissing<T>(read: Promise<T>): Promise<T | null> {
  try {
    return await read;
  } catch (error) {
    if (error instanceof NotFound) return null;
    throw error;
  }
}

/** A nested list as its items in order, each with its depth, for a list block. */
function flatten(items: readonly NestedItem[], depth = 0): { text: string; level: number }[] {
  return items.flatMap((item) => [{ text: item.text, level: depth }, ...flatten(item.children, depth + 1)]);
}

function section(
  id: string,
  title: string,
  blocks: Block[],
  newPage = false,
  landscape = false,
): ReportSection | null {
  if (blocks.length === 0) return null;
  return {
    id,
    title,
    ...(newPage ? { newPage } : {}),
    ...(landscape ? { landscape } : {}),
    blocks,
  };
}

/**
 * A cell of several lines, whose text stays the lines as the plan runs them together (what the
 * tests and any plain-text reader see); bullets where there is more than one item.
 */
function itemsCell(text: string, lines: string[], bullets: boolean): TableCell {
  return lines.length > 1 ? { text, lines, bullets } : textCell(text);
}

/** A list; `levels` where it nests (an item's depth, 0 at the top), left out where it does not. */
function list(items: string[], levels: number[] = []): ListBlock[] {
  if (items.length === 0) return [];
  return levels.some((level) => level > 0) ? [{ kind: "list", items, levels }] : [{ kind: "list", items }];
}

// ---------------------------------------------------------------------------------------------
// Council ambition, values, outcomes and priorities

async function councilSections(
  db: Database,
  plan: Plan,
  words: ServicePlanSettings | null,
): Promise<ReportSection[]> {
  const council = await plans.findCouncil(db);
  if (!council) return [];
  const outcomes = await plans.listOutcomes(db, council.id);
  const ambition = council.ambition.filter((wording) => wording.plans.includes(plan.slug));
  const outcomeWordings = outcomes.flatMap((outcome) =>
    outcome.wordings.filter((wording) => wording.plans.includes(plan.slug)).map((wording) => wording.text),
  );
  const blocks: Block[] = [];
  if (ambition.length > 0) {
    blocks.push({ kind: "subheading", text: "Council ambition" }, ...ambition.map((w) => paragraph(w.text)));
  }
  // The council's values carry no plan wording: the original plan prints them, a refresh does not.
  if (plan.planVersion === "original" && council.values.length > 0) {
    blocks.push({ kind: "subheading", text: "Values" });
    if (council.valuesIntro) blocks.push(paragraph(council.valuesIntro));
    blocks.push(...list(council.values));
  }
  if (outcomeWordings.length > 0) {
    blocks.push({ kind: "subheading", text: "Council outcomes" });
    if (council.outcomesIntro) blocks.push(paragraph(council.outcomesIntro));
    blocks.push(...list(outcomeWordings));
  }
  // The original plan lists the council's priorities under their own heading; a refresh states
  // its priorities in the strategic objectives' introduction, which the document prints there.
  const priorities =
    plan.planVersion === "original"
      ? (await plans.listPriorities(db)).filter((priority) => priority.planId === plan.id)
      : [];
  return [
    section(
      "ambition",
      plan.planVersion === "original"
        ? "Council ambition, values and outcomes"
        : "The council's ambition and outcomes",
      blocks,
    ),
    section("priorities", "Council priorities", [
      ...(priorities.length > 0 && words?.councilPrioritiesIntro
        ? [paragraph(words.councilPrioritiesIntro)]
        : []),
      ...list(priorities.map((priority) => priority.title)),
    ]),
  ].filter((found): found is ReportSection => found !== null);
}

// ---------------------------------------------------------------------------------------------
// Foreword, our services, departmental overview and key achievements

async function overviewSections(
  db: Database,
  plan: Plan,
  words: ServicePlanSettings | null,
): Promise<ReportSection[]> {
  const sections: (ReportSection | null)[] = [];
  const foreword = (plan.foreword ?? []).map((text) => paragraph(text));
  // The sign-off follows the foreword it signs; with no foreword there is nothing to sign.
  if (foreword.length > 0 && words?.forewordSignOff) foreword.push(paragraph(words.forewordSignOff));
  sections.push(section("foreword", "Foreword", foreword));
  if (plan.planVersion === "refresh") {
    // "Our Services" is the refresh's: the original plan's structure chart did not survive.
    const department = await plans.findDepartment(db);
    const blocks: Block[] = [];
    if (department) {
      if (department.headlineParagraph) blocks.push(paragraph(department.headlineParagraph));
      for (const division of await plans.listDivisions(db, department.id)) {
        blocks.push({ kind: "subheading", text: division.name });
        if (division.directorAsWritten) blocks.push(paragraph(division.directorAsWritten));
        if (division.remit) blocks.push(paragraph(division.remit));
      }
    }
    sections.push(section("services", "Our services", blocks));
  }
  const overview: Block[] = [];
  if (plan.planVersion === "original" && plan.vision) {
    overview.push(paragraph(plan.vision.intro), paragraph(plan.vision.text));
  }
  overview.push(...plan.departmentalOverview.map((text) => paragraph(text)));
  if (plan.keyAchievements && plan.keyAchievements.items.length > 0) {
    const achievements = flatten(plan.keyAchievements.items);
    overview.push(
      { kind: "subheading", text: "Key achievements" },
      paragraph(plan.keyAchievements.intro),
      ...list(
        achievements.map((item) => item.text),
        achievements.map((item) => item.level),
      ),
    );
  }
  if (overview.length > 0 && words?.managementStructureHeading) {
    overview.push(
      { kind: "subheading", text: words.managementStructureHeading },
      paragraph("Baseplan holds no text or chart for this part of the plan."),
    );
  }
  sections.push(section("overview", "Departmental overview", overview));
  return sections.filter((found): found is ReportSection => found !== null);
}

// ---------------------------------------------------------------------------------------------
// Key risks

async function risksSection(db: Database, plan: Plan): Promise<ReportSection | null> {
  const risks = (await plans.listRisks(db)).filter((risk) => risk.planId === plan.id);
  if (risks.length === 0) return null;
  const table: TableBlock = {
    kind: "table",
    id: "key-risks",
    caption: "Key risks",
    columns: [
      { heading: "Priority", format: "text" },
      { heading: "Key risks", format: "text" },
      { heading: "Mitigations", format: "text" },
    ],
    rows: risks.map((risk) => ({
      cells: [
        textCell(risk.priority ?? risk.priorityAsWritten ?? ""),
        textCell(risk.description),
        itemsCell(risk.mitigations.join(" "), risk.mitigations, true),
      ],
    })),
  };
  const blocks: Block[] = [];
  if (plan.riskRegisterNote) blocks.push(paragraph(plan.riskRegisterNote));
  blocks.push(table);
  return section("key-risks", "Key risks", blocks);
}

// ---------------------------------------------------------------------------------------------
// Key performance measure tables, each cell as the plan's document wrote it

interface MeasureData {
  groups: storedMeasures.MeasureGroup[];
  rows: storedMeasures.MeasureRow[];
  values: storedMeasures.MeasureValue[];
  targets: storedMeasures.MeasureTarget[];
  /** Baseplan's judgements of benchmark targets, for measures linked to a published benchmark. */
  judgements: Map<number, storedMeasures.BenchmarkJudgement[]>;
  /** The council's printed ratings kept by period (current ones). */
  printed: storedMeasures.PrintedRating[];
}

async function measureData(db: Database, document: string): Promise<MeasureData> {
  const groups = (await storedMeasures.listGroups(db))
    .filter((group) => group.document === document)
    .sort((a, b) => a.position - b.position);
  const groupIds = new Set(groups.map((group) => group.id));
  const listed = (await storedMeasures.listRows(db))
    .filter((row) => groupIds.has(row.groupId))
    .sort((a, b) => a.position - b.position);
  // An archived measure leaves documents made from then on (a published one keeps its snapshot).
  const archived = new Set(
    (
      await storedMeasures.findMeasures(
        db,
        listed.flatMap((row) => (row.measureId === null ? [] : [row.measureId])),
      )
    )
      .filter((measure) => measure.archivedAt !== null)
      .map((measure) => measure.id),
  );
  const rows = listed.filter((row) => row.measureId === null || !archived.has(row.measureId));
  const measureIds = [...new Set(rows.flatMap((row) => (row.measureId === null ? [] : [row.measureId])))];
  const [values, targets] = await Promise.all([
    storedMeasures.valuesOf(db, measureIds),
    storedMeasures.targetsOf(db, measureIds),
  ]);
  const judgements = await storedMeasures.benchmarkJudgementsFor(db, measureIds);
  const printed = await storedMeasures.currentPrintedRatingsOf(db, measureIds);
  return {
    groups,
    rows,
    judgements,
    printed,
    values: values.filter((value) => value.current && value.groupId !== null && groupIds.has(value.groupId)),
    targets: targets.filter(
      (target) => target.current && target.groupId !== null && groupIds.has(target.groupId),
    ),
  };
}

function measureTable(data: MeasureData, group: storedMeasures.MeasureGroup): Block[] {
  const groupRows = data.rows.filter((row) => row.groupId === group.id);
  if (groupRows.length === 0) return [];
  const rows: TableRow[] = groupRows.map((row) => {
    if (row.measureId === null) {
      return {
        heading: true,
        cells: [textCell(row.titleAsWritten), ...group.columns.map(() => textCell(""))],
      };
    }
    const { measureId } = row;
    const cells = group.columns.map((column) => {
      if (column.role === "target") {
        const period = column.period ?? column.heading;
        const target = data.targets.find(
          (candidate) =>
            candidate.measureId === row.measureId &&
            candidate.groupId === group.id &&
            candidate.periodLabel === period,
        );
        return textCell(target?.targetText ?? "");
      }
      if (column.role === "rating") {
        // What the council printed for the rating column's period, kept by period; a column
        // without a period has only the row's rating.
        if (!column.period) return textCell(row.printedRating ?? "");
        return textCell(
          storedMeasures.printedInTable(data.printed, measureId, group.id, column.period) ?? "None printed",
        );
      }
      const value = data.values.find(
        (candidate) =>
          candidate.measureId === row.measureId &&
          candidate.groupId === group.id &&
          candidate.columnHeading === column.heading,
      );
      return textCell(value?.cellText ?? "");
    });
    return { cells: [textCell(row.titleAsWritten), ...cells] };
  });
  const notes = group.footnotes.map((footnote) => `${footnote.marker} ${footnote.text}`);
  const table: TableBlock = {
    kind: "table",
    id: `measures-${group.id}`,
    caption: `Key performance measures: ${group.title}`,
    columns: [
      { heading: "Key Performance Measure", format: "text" },
      ...group.columns.map((column) => ({ heading: column.heading, format: "text" as const })),
    ],
    rows,
    ...(notes.length > 0 ? { notes } : {}),
  };
  const trend = trendChart(data, group);
  return [
    table,
    ...(group.keyLine ? [paragraph(keyLineText(group.keyLine))] : []),
    ...judgementBlocks(data, group, groupRows),
    ...(trend ? [trend] : []),
  ];
}

/**
 * Under a measure table, Baseplan's judgement of each of its targets that names a benchmark, for
 * measures linked to the Department's published figures (benchmark-judgements.ts). The table
 * above stays as the council wrote it.
 */
function judgementBlocks(
  data: MeasureData,
  group: storedMeasures.MeasureGroup,
  groupRows: readonly storedMeasures.MeasureRow[],
): Block[] {
  const judgements = groupRows.flatMap((row) =>
    row.measureId === null
      ? []
      : (data.judgements.get(row.measureId) ?? [])
          .filter(({ judged }) => judged.target.groupId === group.id)
          .map((judgement) => ({ title: row.titleAsWritten, judgement })),
  );
  return benchmarkJudgementBlocks(
    { id: `measures-${group.id}`, caption: `Key performance measures: ${group.title}` },
    judgements,
    "the table above is as the council wrote it",
  );
}

/**
 * A deliverable's success measures: its note (a lead-in sentence) as a line of its own, then each
 * measure as a bullet. The cell's text, for plain-text readers, writes each "• measure".
 */
function successMeasuresCell(note: string | null, measures: readonly string[]): TableCell {
  const parts = [note, ...measures.map((measure) => `• ${measure}`)].filter(
    (part): part is string => part !== null && part !== "",
  );
  const text = parts.join(" ");
  if (!note) return itemsCell(text, [...measures], true);
  return measures.length > 0
    ? { text, lines: [note, ...measures], bullets: true, lead: true }
    : textCell(text);
}

// ---------------------------------------------------------------------------------------------
// Measure trends: a small chart under a measure table whose measures have numeric values

/**
 * One chart per measure table, drawn only where at least one measure has two or more numeric
 * values (the original plan's actual and latest columns; a refresh's target-only tables have
 * none): a small panel per such measure, its values by period. Kept to one per table so the
 * document stays readable; every cell as written is in the table above it and the chart's data.
 */
function trendChart(data: MeasureData, group: storedMeasures.MeasureGroup): LineChartBlock | null {
  const valueColumns = group.columns.filter((column) => column.role === "value" || column.role === "latest");
  const periods = valueColumns.map((column) => column.period ?? column.heading);
  const series: LineChartBlock["series"] = [];
  const rows: TableRow[] = [];
  for (const row of data.rows.filter((candidate) => candidate.groupId === group.id)) {
    if (row.measureId === null) continue;
    const cells = valueColumns.map(
      (column) =>
        data.values.find(
          (candidate) =>
            candidate.measureId === row.measureId &&
            candidate.groupId === group.id &&
            candidate.columnHeading === column.heading,
        )?.cellText ?? "",
    );
    const points: ChartPoint[] = [];
    for (const [index, text] of cells.entries()) {
      const found = trendValue(text);
      if (found) points.push({ period: periods[index] ?? "", ...found });
    }
    if (points.length < 2) continue;
    series.push({ name: row.titleAsWritten, points });
    rows.push({ cells: [textCell(row.titleAsWritten), ...cells.map(textCell)] });
  }
  if (series.length === 0) return null;
  const described = series
    .map((one) => {
      const first = one.points[0];
      const last = one.points.at(-1);
      return `${one.name}: ${first?.label} (${first?.period}) to ${last?.label} (${last?.period})`;
    })
    .join("; ");
  return {
    kind: "chart",
    chart: "line",
    id: `trends-${group.id}`,
    title: `Trends: ${group.title}`,
    description: `${series.length} of the measures above with two or more figures, each on its own scale. ${described}.`,
    periods,
    series,
    table: {
      kind: "table",
      id: `trends-${group.id}-data`,
      caption: `Trends: ${group.title}: data`,
      columns: [
        { heading: "Key Performance Measure", format: "text" },
        ...valueColumns.map((column) => ({ heading: column.heading, format: "text" as const })),
      ],
      rows,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Actions and measures by priority (Section One) and by service theme (Section Two)

async function actionSections(
  db: Database,
  plan: Plan,
  data: MeasureData,
  words: ServicePlanSettings | null,
): Promise<ReportSection[]> {
  const deliverables = (await plans.listDeliverables(db))
    .filter((deliverable) => deliverable.planId === plan.id)
    .sort((a, b) => a.position - b.position);
  const sections: ReportSection[] = [];
  const sectionKeys = [...new Set(deliverables.map((deliverable) => deliverable.section))];
  for (const key of sectionKeys) {
    const own = deliverables.filter((deliverable) => deliverable.section === key);
    const first = own[0];
    if (!first) continue;
    const blocks: Block[] = (words?.sectionIntros[key] ?? []).map((text) => paragraph(text));
    const groupTitles = [...new Set(own.map((deliverable) => deliverable.groupTitle))];
    for (const title of groupTitles) {
      const inGroup = own.filter((deliverable) => deliverable.groupTitle === title);
      const isPriority = inGroup[0]?.groupKind === "priority";
      blocks.push({ kind: "subheading", text: isPriority ? `Priority: ${title}` : title });
      blocks.push({
        kind: "table",
        id: `actions-${key}-${groupTitles.indexOf(title) + 1}`,
        caption: `Actions: ${title}`,
        columns: [
          { heading: "Action", format: "text" },
          { heading: "Lead", format: "text" },
          { heading: "Start – finish dates", format: "text" },
          { heading: "Success measures", format: "text" },
          ...(isPriority
            ? [
                { heading: "Council Plan Y/N", format: "text" as const },
                { heading: "Council Plan priority", format: "text" as const },
              ]
            : []),
        ],
        rows: inGroup.map((deliverable) => ({
          cells: [
            textCell(deliverable.title),
            textCell(deliverable.leadAsWritten),
            textCell(deliverable.startFinish),
            successMeasuresCell(deliverable.successMeasuresNote, deliverable.successMeasures),
            ...(isPriority
              ? [
                  textCell(deliverable.councilPlanAsWritten ?? ""),
                  textCell(deliverable.councilPlanPriority ?? ""),
                ]
              : []),
          ],
        })),
      });
      const group = data.groups.find((candidate) => candidate.title === title);
      if (group) blocks.push(...measureTable(data, group));
    }
    // Landscape: six columns of actions and the measure tables' five figure columns.
    sections.push({ id: `section-${key}`, title: first.sectionTitle, landscape: true, blocks });
  }
  return sections;
}

// ---------------------------------------------------------------------------------------------
// Strategic objectives and the Base Plan (a refresh)

async function objectivesSection(
  db: Database,
  plan: Plan,
  words: ServicePlanSettings | null,
): Promise<ReportSection[]> {
  // The plan module's Base Plan falls back to another plan where this one has no objectives.
  const base = await plans.basePlan(db, plan.slug);
  if (!base || base.plan.id !== plan.id || base.objectives.length === 0) return [];
  // The introduction, under the plan's own heading for it, before the objectives it introduces.
  const blocks: Block[] = [];
  if (words && words.strategicObjectivesIntro.length > 0) {
    if (words.strategicObjectivesHeading) {
      blocks.push({ kind: "subheading", text: words.strategicObjectivesHeading });
    }
    blocks.push(...words.strategicObjectivesIntro.map((text) => paragraph(text)));
  }
  const timeline: TableRow[] = [];
  const month = (value: string | null) => (value ? formatPlanMonth(value) : "Not set");
  let outcomeShown: number | null = null;
  for (const objective of base.objectives) {
    // The plan's heading over each outcome's objectives, where it gives one, once per outcome.
    const outcomeHeading =
      objective.outcomeNumber === null ? undefined : words?.outcomeHeadings[String(objective.outcomeNumber)];
    if (outcomeHeading && objective.outcomeNumber !== outcomeShown) {
      blocks.push({ kind: "subheading", text: outcomeHeading });
      if (words?.outcomeObjectivesHeading) blocks.push(paragraph(words.outcomeObjectivesHeading));
      outcomeShown = objective.outcomeNumber;
    }
    const items: string[] = [];
    const levels: number[] = [];
    for (const activity of objective.activities) {
      items.push(activity.text);
      levels.push(0);
      timeline.push({
        cells: [
          textCell(String(objective.number)),
          textCell(activity.text),
          textCell(month(activity.startMonth)),
          textCell(month(activity.endMonth)),
        ],
      });
      for (const child of activity.children) {
        items.push(child.text);
        levels.push(1);
        timeline.push({
          cells: [
            textCell(String(objective.number)),
            textCell(`– ${child.text}`),
            textCell(month(child.startMonth)),
            textCell(month(child.endMonth)),
          ],
        });
      }
    }
    // Under its outcome's heading where the plan gives one, a level further down.
    blocks.push({
      kind: "subheading",
      text: `${objective.number} ${objective.title}`,
      ...(outcomeShown === null ? {} : { level: 4 as const }),
    });
    // Under its outcome's heading the outcome goes without saying; without one, it is named here.
    const led =
      objective.outcomeNumber === null || outcomeHeading ? "" : `Outcome ${objective.outcomeNumber}. `;
    blocks.push(paragraph(`${led}Lead: ${objective.leadDepartment}.`));
    blocks.push(...list(items, levels));
  }
  const unset = timeline.filter(
    (row) => row.cells[2]?.text === "Not set" || row.cells[3]?.text === "Not set",
  );
  // With no month given for any activity there is no timeline to draw: a chart of empty outlines
  // and a table of "Not set" would fill two pages and say no more than this sentence.
  if (unset.length === timeline.length) {
    blocks.push(
      { kind: "subheading", text: "Base Plan" },
      paragraph(
        `No start or end month is set for any of the ${timeline.length} supporting activities above, so Baseplan draws no Base Plan timeline for this plan.`,
      ),
    );
    return [section("objectives", "Strategic objectives and Base Plan", blocks)].filter(
      (found): found is ReportSection => found !== null,
    );
  }
  const chart = baseTimeline(plan, base.objectives, {
    kind: "table",
    id: "base-plan",
    caption: `Base Plan ${plan.periodAsWritten}: supporting activities by month`,
    columns: [
      { heading: "Objective", format: "text" },
      { heading: "Supporting activity", format: "text" },
      { heading: "Start month", format: "text" },
      { heading: "End month", format: "text" },
    ],
    rows: timeline,
    ...(unset.length > 0
      ? {
          notes: [
            `${unset.length} of ${timeline.length} activities have no start or end month set: the plan describes the Base Plan timeline but does not give it.`,
          ],
        }
      : {}),
  });
  // The timeline runs across the plan year's months: a landscape section of its own, a part of
  // the objectives section.
  const timelineSection: ReportSection = {
    id: "base-plan",
    title: "Base Plan",
    level: 2,
    landscape: true,
    blocks: [chart],
  };
  return [section("objectives", "Strategic objectives and Base Plan", blocks), timelineSection].filter(
    (found): found is ReportSection => found !== null,
  );
}

const SHORT_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "2024-04" as a count of months, and back as the timeline's column label "Apr 24". */
const monthIndex = (month: string) => Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
const monthLabel = (index: number) =>
  `${SHORT_MONTHS[index % 12]} ${String(Math.floor(index / 12) % 100).padStart(2, "0")}`;

type BaseObjective = NonNullable<Awaited<ReturnType<typeof plans.basePlan>>>["objectives"][number];

/**
 * The Base Plan as a timeline: the plan year's months (April to March, widened to any activity's
 * months outside it), each objective a bar across its activities' months and each activity a bar
 * across its own. An activity whose months are not both set is drawn as a dashed outline
 * labelled "(months not given)", never as the whole year; the table of months is its data.
 */
function baseTimeline(plan: Plan, objectives: BaseObjective[], table: TableBlock): TimelineChartBlock {
  type Timed = { startMonth: string | null; endMonth: string | null };
  const all: Timed[] = objectives.flatMap((objective) =>
    objective.activities.flatMap((activity) => [activity, ...activity.children]),
  );
  const timed = all.filter((one) => one.startMonth !== null && one.endMonth !== null);
  const first = Math.min(plan.fromYear * 12 + 3, ...timed.map((one) => monthIndex(one.startMonth ?? "")));
  const last = Math.max(plan.fromYear * 12 + 14, ...timed.map((one) => monthIndex(one.endMonth ?? "")));
  const months = Array.from({ length: last - first + 1 }, (_, index) => monthLabel(first + index));
  const bar = (label: string, one: Timed): TimelineRow => {
    if (one.startMonth === null || one.endMonth === null) return { label };
    const start = monthIndex(one.startMonth) - first;
    const end = monthIndex(one.endMonth) - first;
    const when =
      start === end ? monthLabel(first + start) : `${monthLabel(first + start)} – ${monthLabel(first + end)}`;
    return { label, start, end, when };
  };
  const rows: TimelineRow[] = [];
  for (const objective of objectives) {
    const own = objective.activities.flatMap((activity) => [activity, ...activity.children]);
    const set = own.filter((one) => one.startMonth !== null && one.endMonth !== null);
    const heading: TimelineRow = { label: `${objective.number} ${objective.title}`, group: true };
    if (set.length > 0) {
      const start = Math.min(...set.map((one) => monthIndex(one.startMonth ?? ""))) - first;
      const end = Math.max(...set.map((one) => monthIndex(one.endMonth ?? ""))) - first;
      rows.push({
        ...heading,
        start,
        end,
        when: `${monthLabel(first + start)} – ${monthLabel(first + end)}`,
      });
    } else rows.push(heading);
    for (const activity of objective.activities) {
      rows.push(bar(activity.text, activity));
      for (const child of activity.children) rows.push(bar(`– ${child.text}`, child));
    }
  }
  const unset = all.length - timed.length;
  return {
    kind: "chart",
    chart: "timeline",
    id: "base-plan-chart",
    title: `Base Plan ${plan.periodAsWritten}`,
    description:
      `${objectives.length} strategic objectives and their ${all.length} supporting activities by month, ` +
      `${months[0]} to ${months.at(-1)}. ` +
      (unset === 0
        ? "Every activity has its months set."
        : `${unset} of the ${all.length} activities have no months given and are drawn as dashed outlines.`),
    months,
    rows,
    table,
  };
}

// ---------------------------------------------------------------------------------------------
// Budget and savings (the plan's first financial year)

async function budgetSection(
  db: Database,
  plan: Plan,
  words: ServicePlanSettings | null,
): Promise<ReportSection | null> {
  const growth = await unlessMissing(growthReport(db, yearCode(plan.fromYear)));
  if (!growth) return null;
  const blocks: Block[] = [];
  // The plan's own paragraphs where it has them; otherwise its stated figures, one a line.
  const budgetIntro = words?.budgetIntro ?? [];
  const savingsIntro = words?.savingsIntro ?? [];
  blocks.push(...budgetIntro.map((text) => paragraph(text)));
  for (const headline of budgetIntro.length > 0 ? [] : growth.headlines) {
    if (headline.stated) blocks.push(paragraph(`${headlineLabel(headline.key)}: ${headline.stated}`));
  }
  if (savingsIntro.length === 0 && growth.statedProposals?.text) {
    blocks.push(
      paragraph(`Total proposed budget savings for ${growth.year.label}: ${growth.statedProposals.text}`),
    );
  }
  if (growth.pressures.length > 0) {
    blocks.push({
      kind: "table",
      id: "pressure-funding",
      caption: `Service pressure funding ${growth.year.label}`,
      columns: [
        { heading: "Service pressure", format: "text" },
        { heading: "£m", format: "pounds-millions" },
        { heading: "Ongoing or one off", format: "text" },
      ],
      rows: growth.pressures.map((pressure) => ({
        cells: [
          textCell(pressure.name),
          numberCell(pressure.amount.table, pounds(pressure.amount.pence)),
          textCell(pressure.kind === "oneOff" ? "one off" : pressure.kind),
        ],
      })),
    });
  }
  blocks.push(...savingsIntro.map((text) => paragraph(text)));
  if (growth.proposals.length > 0) {
    const notes = growth.disagreements.map((disagreement) => disagreement.message);
    blocks.push({
      kind: "table",
      id: "proposed-savings",
      caption: `Proposed savings ${growth.year.label}`,
      columns: [
        { heading: "Proposal", format: "text" },
        { heading: "£", format: "pounds" },
      ],
      rows: growth.proposals.map((proposal) => ({
        cells: [
          textCell(proposal.description ? `${proposal.title} - ${proposal.description}` : proposal.title),
          numberCell(formatPounds(proposal.amount.pence), pounds(proposal.amount.pence)),
        ],
      })),
      totals: [
        {
          sumOfRows: true,
          cells: [
            textCell("Total proposed savings"),
            numberCell(growth.proposalsTotal.pounds, pounds(growth.proposalsTotal.pence)),
          ],
        },
      ],
      ...(notes.length > 0 ? { notes } : {}),
    });
  }
  if (growth.growth.length > 0) {
    blocks.push({
      kind: "table",
      id: "growth",
      caption: `Growth items ${growth.year.label}`,
      columns: [
        { heading: "Growth item", format: "text" },
        { heading: "Ongoing £m", format: "pounds-millions" },
        { heading: "One off £m", format: "pounds-millions" },
      ],
      rows: growth.growth.map((item) => ({
        cells: [
          textCell(item.title),
          item.ongoing ? numberCell(item.ongoing.table, pounds(item.ongoing.pence)) : textCell(""),
          item.oneOff ? numberCell(item.oneOff.table, pounds(item.oneOff.pence)) : textCell(""),
        ],
      })),
    });
  }
  return section("budget", `Budget and savings for ${growth.year.label}`, blocks);
}

function headlineLabel(key: string): string {
  if (key === "budget") return "Budget";
  if (key === "pay-and-price-inflation") return "Additional funding for pay and price inflation (ongoing)";
  if (key === "contingency") return "One-off funding held in contingency";
  return key;
}

// ---------------------------------------------------------------------------------------------
// Measures to monitor (the plan's measure tables not tied to an action group)

function monitoringSection(
  data: MeasureData,
  shownWithActions: Set<number>,
  words: ServicePlanSettings | null,
): ReportSection | null {
  const blocks: Block[] = [];
  for (const group of data.groups) {
    if (shownWithActions.has(group.id)) continue;
    const table = measureTable(data, group);
    if (table.length === 0) continue;
    blocks.push({ kind: "subheading", text: group.title }, ...table);
  }
  if (blocks.length === 0) return null;
  // The plan's introduction and the headings over its lists ("Key Performance Measures", "Linked
  // to the Strategic Objectives"), before the measure tables.
  const [heading, ...under] = words?.monitoringHeadings ?? [];
  const intro: Block[] = [
    ...(words?.monitoringIntro ?? []).map((text) => paragraph(text)),
    ...(heading ? [{ kind: "subheading" as const, text: heading }] : []),
    ...under.map((text) => paragraph(text)),
  ];
  return section("monitoring", "Monitoring the plan: key performance measures", [...intro, ...blocks]);
}

// ---------------------------------------------------------------------------------------------
// Appendix A: approved controllable budget (the year the plan was set in)

async function approvedBudgetSection(db: Database, plan: Plan): Promise<ReportSection | null> {
  const budget = await unlessMissing(approvedBudgetReport(db, yearCode(plan.fromYear - 1)));
  if (!budget || budget.divisions.length === 0) return null;
  const gross = budget.headings.filter((heading) => heading.part === "gross");
  const rest = budget.headings.filter((heading) => heading.part !== "gross");
  const indexOf = (key: string) => budget.headings.findIndex((heading) => heading.key === key);
  type Cell = { pence: Pence; text: string };
  const ordered = (row: { cells: Cell[]; gross: Cell; net: Cell }): Cell[] => [
    ...gross.map((heading) => row.cells[indexOf(heading.key)] as Cell),
    row.gross,
    ...rest.map((heading) => row.cells[indexOf(heading.key)] as Cell),
    row.net,
  ];
  const money = (cell: Cell) => numberCell(cell.text, pounds(cell.pence));
  const divisionCells = budget.divisions.map(ordered);
  const columnCount = gross.length + rest.length + 2;
  const sums = Array.from({ length: columnCount }, (_, index) =>
    sumPence(divisionCells.map((cells) => (cells[index] as Cell).pence)),
  );
  const table: TableBlock = {
    kind: "table",
    id: "approved-budget",
    caption: `Approved controllable budget ${budget.year.label} (£)`,
    columns: [
      { heading: "Division", format: "text" },
      ...gross.map((heading) => ({ heading: heading.title, format: "pounds" as const })),
      { heading: "Gross Budget", format: "pounds" },
      ...rest.map((heading) => ({ heading: heading.title, format: "pounds" as const })),
      { heading: "Net Budget", format: "pounds" },
    ],
    rows: budget.divisions.map((division, index) => ({
      cells: [textCell(division.division), ...(divisionCells[index] ?? []).map(money)],
    })),
    totals: [
      { cells: [textCell(budget.total.division), ...ordered(budget.total).map(money)] },
      {
        sumOfRows: true,
        cells: [
          textCell("Sum of the divisions"),
          ...sums.map((pence) => numberCell(formatPounds(pence, { symbol: false }), pounds(pence))),
        ],
      },
    ],
  };
  const notes = budget.disagreements.map((disagreement) => disagreement.message);
  if (notes.length > 0) table.notes = notes;
  return section("approved-budget", "Appendix A: approved controllable budget", [table], true, true);
}

// ---------------------------------------------------------------------------------------------
// Appendix B: forward plan of procurement

async function procurementSection(
  db: Database,
  words: ServicePlanSettings | null,
): Promise<ReportSection | null> {
  const plan = await forwardPlan(db);
  const blocks: Block[] = (words?.procurementIntro ?? []).map((text) => paragraph(text));
  const names = ["Table One", "Table Two", "Table Three"];
  for (const [index, band] of plan.bands.entries()) {
    if (band.entries.length === 0) continue;
    const entries = [...band.entries].sort(
      (a, b) =>
        (a.record.sourceRow ?? Number.MAX_SAFE_INTEGER) - (b.record.sourceRow ?? Number.MAX_SAFE_INTEGER),
    );
    const name = entries[0]?.record.sourceTable ?? names[index] ?? `Table ${index + 1}`;
    blocks.push({
      kind: "table",
      id: `procurement-${band.band}`,
      // The plan's own heading for the table where it is given, else the band's.
      caption: words?.procurementTableHeadings[name] ?? `${name}: ${band.heading}`,
      columns: [
        { heading: "Contract title", format: "text" },
        { heading: "Estimated value (£)", format: "pounds" },
        { heading: "Estimated start date", format: "text" },
      ],
      rows: entries.map((entry) => ({
        cells: [
          textCell(entry.title),
          // The value as written ("Approx. Lifetime costs 150,000.00"), the exact pounds behind it.
          numberCell(entry.record.estimatedValueText, pounds(entry.estimatedValuePence)),
          textCell(ukDate(entry.estimatedStartDate)),
        ],
      })),
      totals: [
        {
          sumOfRows: true,
          cells: [
            textCell(`Total, ${name}`),
            numberCell(
              formatPounds(band.totalPence, { symbol: false, pence: true }),
              pounds(band.totalPence),
            ),
            textCell(""),
          ],
        },
      ],
      ...notesOf([
        ...entries.flatMap((entry) =>
          entry.publishedBandNote ? [`${entry.title}: ${entry.publishedBandNote}`] : [],
        ),
        ...startsAfterNote(entries, words?.procurementStartsBy[name]),
      ]),
    });
  }
  const heading = words?.procurementHeading ?? "forward plan of procurement projects";
  return section("procurement", `Appendix B: ${heading}`, blocks, true);
}

const notesOf = (notes: string[]) => (notes.length > 0 ? { notes } : {});

/**
 * Baseplan's remark on the rows of a procurement table that start after the last date its heading
 * covers (`by`, ISO), each named with its start date as the plan prints it; none where all fit.
 */
export function startsAfterNote(
  entries: readonly { title: string; estimatedStartDate: string }[],
  by: string | undefined,
): string[] {
  if (!by) return [];
  const late = entries.filter((entry) => entry.estimatedStartDate > by);
  if (late.length === 0) return [];
  const named = late.map((entry) => `${entry.title} (${ukDate(entry.estimatedStartDate)})`).join("; ");
  const count =
    late.length === 1
      ? "One procurement in this table starts"
      : `${late.length} procurements in this table start`;
  return [
    `Baseplan's check: ${count} after ${ukDate(by)}, the last date the table's heading covers: ${named}.`,
  ];
}

/** "2021-06-01" as the plan prints it: "01/06/2021". */
function ukDate(iso: string): string {
  const [year, month, day] = iso.split("-");
  return `${day}/${month}/${year}`;
}

// ---------------------------------------------------------------------------------------------

const approvalDate = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "long",
  year: "numeric",
  timeZone: "Europe/London",
});

/**
 * The plan's status as its document prints it, from the plan's status in Baseplan, not the
 * status its source document gave (a plan loaded as "DRAFT" and approved since is approved):
 * built as it is approved in Baseplan, who approved it and when; otherwise approved (as loaded,
 * or read outside its kept copy), "Approved"; a draft, the source's own word where it says draft, else
 * "Draft"; a plan with no status, none.
 */
function statusLine(plan: Plan, approval: ServicePlanOptions["approval"]): string | null {
  if (plan.status === "approved") {
    if (!approval) return "Approved";
    return `Approved by ${approval.by} on ${approvalDate.format(approval.at)}`;
  }
  if (plan.status === "draft") {
    return plan.statusAsWritten && /\bdraft\b/i.test(plan.statusAsWritten) ? plan.statusAsWritten : "Draft";
  }
  return null;
}

/** The plans a service plan document can be built for, for the reports page and the command line. */
export async function servicePlans(
  db: Database,
): Promise<{ slug: string; title: string; version: string }[]> {
  return (await plans.listPlans(db)).map((plan) => ({
    slug: plan.slug,
    title: plan.title,
    version: plan.planVersion,
  }));
}

export async function buildServicePlanReport(db: Database, options: ServicePlanOptions): Promise<Report> {
  const plan = await plans.findPlanBySlug(db, options.plan);
  if (!plan) throw new NotFound(`Plan ${options.plan}`);
  const data = await measureData(db, plan.slug);
  const words = await servicePlanReportSettings(db, plan.slug);
  const council = await plans.findCouncil(db);
  const department = await plans.findDepartment(db);
  const actions = await actionSections(db, plan, data, words);
  const withActions = new Set(
    data.groups
      .filter((group) =>
        actions.some((found) =>
          found.blocks.some((block) => block.kind === "table" && block.id === `measures-${group.id}`),
        ),
      )
      .map((group) => group.id),
  );
  const original = plan.planVersion === "original";
  const opening = await overviewSections(db, plan, words);
  const sections: (ReportSection | null)[] = [
    ...opening.filter((found) => found.id !== "overview"),
    ...(await councilSections(db, plan, words)),
    ...opening.filter((found) => found.id === "overview"),
    await risksSection(db, plan),
    ...actions,
    ...(await objectivesSection(db, plan, words)),
    await budgetSection(db, plan, words),
    monitoringSection(data, withActions, words),
    // The appendices belong to the original plan's document; a refresh carries none in its text.
    original ? await approvedBudgetSection(db, plan) : null,
    original ? await procurementSection(db, words) : null,
    // An appendix the plan names but whose text Baseplan does not hold: its heading, and so.
    ...(words?.appendixHeadings ?? []).map(
      (heading, index): ReportSection => ({
        id: `appendix-${index + 1}`,
        title: heading,
        newPage: true,
        blocks: [paragraph("Baseplan holds no text for this appendix.")],
      }),
    ),
  ];
  // The Executive Director with her title as this plan's cover prints it.
  const directors = department?.executiveDirectors ?? [];
  const director =
    directors.find((entry) => entry.name === plan.executiveDirector && entry.document === plan.slug) ??
    directors.find((entry) => entry.name === plan.executiveDirector);
  const directorLine = director ? `${director.name}, ${director.titleAsWritten}` : plan.executiveDirector;
  const meta = [council?.name, department?.name, directorLine, statusLine(plan, options.approval)].filter(
    (line): line is string => typeof line === "string" && line !== "",
  );
  return {
    title: plan.title,
    meta,
    cover: true,
    sections: sections.filter((found): found is ReportSection => found !== null),
  };
}
