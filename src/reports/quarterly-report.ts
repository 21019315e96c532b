/**
 * The quarterly performance and budget monitoring / forecast outturn report to the cabinet
 * member, built once from the services as a format-neutral Report (model.ts): every section of
 * the council's report in its order. Figures come from the finance, measures and plan services;
 * the words a council writes every quarter come from the report settings (report-settings.ts).
 */
import type { Database } from "../db/client.ts";
import { deliverableRatingMeta } from "../domain/deliverable-ratings.ts";
import { formatMillions, type Pence } from "../domain/money.ts";
import { type MonitoringPeriod, monitoringPeriod, monitoringPeriodLabel } from "../domain/periods.ts";
import type { RatingKey } from "../domain/rating-key.ts";
import { RATING_WORDS, reportKeyOfColour } from "../domain/rating-key.ts";
import { type RatingScheme, schemeKey } from "../domain/rating-schemes.ts";
import type { RatingKey as DomainRatingKey, MeasureRating } from "../domain/ratings.ts";
import { NotFound } from "../errors.ts";
import type { Figure } from "../modules/finance/finance.service.ts";
import * as finance from "../modules/finance/finance.service.ts";
import * as measures from "../modules/measures/measures.service.ts";
import * as plan from "../modules/plan/plan.service.ts";
import { benchmarkJudgementBlocks } from "./benchmark-judgements.ts";
import type {
  Block,
  ChartBlock,
  ParagraphBlock,
  Report,
  ReportSection,
  TableBlock,
  TableCell,
  TableColumn,
  TableRow,
} from "./model.ts";
import { paragraph } from "./model.ts";
import {
  authorLine,
  defaultQuarterlySettings,
  fillTemplate,
  narrativeAsQuarterSettings,
  type QuarterlySettings,
  type QuarterNarrative,
  type QuarterSettings,
  quarterKey,
  quarterlyReportSettings,
  type ReportOrganisation,
} from "./report-settings.ts";

export interface QuarterlyReportOptions {
  /** The finance module's year code ("2020-21"); "2020/21" is accepted too. */
  year: string;
  quarter: number;
  /** Whom the report is about, for a council that has saved no report settings of its own. */
  organisation?: ReportOrganisation | null;
  /** The narrative an officer wrote for the period, used before any in the report settings. */
  narrative?: QuarterNarrative | null;
  /**
   * The month whose budget forecasts the report shows, for a year monitored monthly: the
   * quarter's last month (3, 6, 9 or 12). Null or absent: the quarter's own forecasts.
   */
  budgetMonth?: number | null;
}

/** "2020/21" or "2020-21" (or "2020/2021") as the finance module's code, "2020-21". */
export function yearCode(year: string): string {
  const match = /^(\d{4})\s*[-/]\s*(\d{2}|\d{4})$/.exec(year.trim());
  if (!match) throw new NotFound(`Financial year ${year}`);
  const start = Number(match[1]);
  const end = Number(match[2]) % 100;
  if ((start + 1) % 100 !== end) throw new NotFound(`Financial year ${year}`);
  return `${start}-${String(end).padStart(2, "0")}`;
}

/** "2020-21" as the plan's "2020/21" and the report's "2020/2021". */
function yearForms(code: string) {
  const start = Number(code.slice(0, 4));
  return { short: `${start}/${code.slice(5)}`, long: `${start}/${start + 1}` };
}

const MEASURES_DOCUMENT = (code: string, quarter: number) => `quarterly-report-${code}-q${quarter}`;

/** The document's own rating words beside the shared key. */
function ratingOf(key: DomainRatingKey): RatingKey {
  return key === "not-available" ? "none" : key;
}

const RAG_RATING: Record<string, RatingKey> = { red: "action", amber: "review", green: "good" };

function money(figure: Figure | null | undefined): TableCell {
  if (!figure) return { text: "" };
  // Exact pounds for spreadsheets: pence / 100 is exact enough for a cell (never re-rounded here).
  return { text: figure.table, value: figure.pence / 100 };
}

function prose(pence: Pence): string {
  return formatMillions(Math.abs(pence));
}

function text(value: string): TableCell {
  return { text: value };
}

function percentCell(value: string): TableCell {
  const match = /^(-?\d+(?:\.\d+)?)%$/.exec(value);
  return match ? { text: value, value: Number(match[1]) } : { text: value };
}

function countTable(id: string, caption: string, firstHeading: string, rows: [string, number][]): TableBlock {
  return {
    kind: "table",
    id,
    caption,
    columns: [
      { heading: firstHeading, format: "text" },
      { heading: "Number", format: "number" },
    ],
    rows: rows.map(([label, count]) => ({ cells: [text(label), { text: String(count), value: count }] })),
    totals: [
      {
        sumOfRows: true,
        cells: [
          text("Total"),
          {
            text: String(rows.reduce((sum, [, count]) => sum + count, 0)),
            value: rows.reduce((sum, [, count]) => sum + count, 0),
          },
        ],
      },
    ],
  };
}

function describeCounts(counts: [string, number][], noun: string): string {
  const total = counts.reduce((sum, [, count]) => sum + count, 0);
  const parts = counts.filter(([, count]) => count > 0).map(([label, count]) => `${count} ${label}`);
  return total === 0 ? `No ${noun} are rated for this quarter.` : `Of ${total} ${noun}: ${parts.join(", ")}.`;
}

function warnings(disagreements: readonly { message: string }[]): ParagraphBlock[] {
  return disagreements.map((disagreement) => paragraph(disagreement.message, true));
}

function direction(pence: Pence): string {
  return pence < 0 ? "underspend" : "overspend";
}

const TREND_SYMBOLS: Record<string, string> = { up: "↑", unchanged: "=", down: "↓", unknown: "" };

function trendCell(trend: { trend: string; words: string; asReported: boolean }): TableCell {
  const symbol = TREND_SYMBOLS[trend.trend] ?? "";
  const words = trend.words.charAt(0).toUpperCase() + trend.words.slice(1);
  return text(`${symbol ? `${symbol} ` : ""}${words}${trend.asReported ? " (as reported)" : ""}`);
}

function formatDate(iso: string): string {
  const date = new Date(`${iso}T00:00:00Z`);
  return new Intl.DateTimeFormat("en-GB", {
    day: "numeric",
    month: "long",
    year: "numeric",
    timeZone: "UTC",
  }).format(date);
}

// ---------------------------------------------------------------------------------------------

interface Context {
  code: string;
  quarter: number;
  period: MonitoringPeriod;
  years: { short: string; long: string };
  settings: QuarterlySettings;
  own: QuarterSettings | null;
  /** The plan's deliverables with their ratings for the quarter (read once: it is not cheap). */
  thread: Awaited<ReturnType<typeof plan.goldenThread>>;
  /** Whether the finance records have the year at all. */
  financeYear: boolean;
  /**
   * The month whose savings, reserves and debt the report shows, for a year monitored monthly:
   * the quarter's last month, its trends against the quarter end before (decision 0021).
   */
  budgetMonth: number | null;
  /** The council's rating scheme: the words, colours and key the measures are shown with. */
  scheme: RatingScheme;
}

/** "Month 6, the last month of quarter 2: the year is monitored monthly." for a table's note. */
function monthlyNote(context: Context): string {
  return `Month ${context.budgetMonth}, the last month of quarter ${context.quarter}: the year is monitored monthly.`;
}

/** The month before the quarter's last (the previous quarter end), for a balance's trend. */
function previousQuarterEnd(context: Context): number | null | undefined {
  return context.budgetMonth === null ? undefined : context.budgetMonth - 3;
}

function missing(what: string): ParagraphBlock {
  return paragraph(`No ${what} has been written for this quarter.`, true);
}

/** The one line a section shows when nothing is recorded for it in the quarter. */
function nothingRecorded(sentence: string): ParagraphBlock {
  return paragraph(sentence);
}

/** A measure's rating as a report cell: the council's scheme's words, on its level's colour. */
function measureRatingCell(rating: MeasureRating): TableCell {
  return { text: rating.meta.label, rating: reportKeyOfColour(rating.meta.colour) };
}

/** How many measures have each level of the council's key, in the key's order, with the level's colour. */
function measureLevelCounts(
  scheme: RatingScheme,
  ratings: readonly MeasureRating[],
): { label: string; count: number; rating: RatingKey }[] {
  return schemeKey(scheme).map((level) => ({
    label: level.label,
    count: ratings.filter((rating) => level.outcomes.includes(rating.rating)).length,
    rating: reportKeyOfColour(level.colour),
  }));
}

/** The council's key for the measures, as a report's key block. */
function measuresKey(scheme: RatingScheme): Block {
  return {
    kind: "key",
    items: schemeKey(scheme).map((level) => ({
      rating: reportKeyOfColour(level.colour),
      label: level.label,
    })),
  };
}

/**
 * The measures table of a quarter with none imported from a document: each measure due in the
 * quarter with the value entered for it, the target that applies and Baseplan's rating.
 */
/** The council's own rating for the report's quarter, beside Baseplan's, where its tables printed any. */
const COUNCIL_RATING_COLUMN: TableColumn = { heading: "The council's rating (as printed)", format: "text" };
const NONE_PRINTED = "None printed";

/**
 * A row's note on the council's printed rating for the quarter where it disagrees with Baseplan's
 * (or is on the council's own key), else nothing: the two ratings stand side by side, neither
 * replacing the other.
 */
function printedNote(
  printed: string | null,
  period: string,
  baseplanLabel: string,
  scheme: RatingScheme,
): string {
  const agreement = measures.councilRatingAgreement(printed, baseplanLabel, scheme);
  if (agreement === "differs")
    return ` The council printed ${printed} for ${period}; Baseplan's rating is ${baseplanLabel}.`;
  if (agreement === "other key")
    return ` The council printed ${printed} for ${period}, on its own key, which is not compared with Baseplan's.`;
  return "";
}

async function enteredMeasuresBlocks(db: Database, context: Context): Promise<Block[]> {
  const { quarter, years } = context;
  const rated = await measures.periodMeasureRatings(db, context.period);
  if (rated.length === 0) return [nothingRecorded("No measures are due for this quarter.")];
  const title = `Measures, Quarter ${quarter} ${years.short}`;
  const levels = measureLevelCounts(
    context.scheme,
    rated.map((item) => item.rating),
  );
  const counts: [string, number][] = levels.map((level) => [level.label, level.count]);
  const allPercent = rated.every((item) => item.measure.unit === "percent");
  const judgements = await measures.benchmarkJudgementsFor(
    db,
    rated.map((item) => item.measure.id),
  );
  // What the council's tables printed for this quarter, shown beside Baseplan's where they printed any.
  const periodLabel = monitoringPeriodLabel(context.period);
  const printed = await measures.printedRatingsForPeriod(
    db,
    rated.map((item) => item.measure.id),
    measures.periodKey(periodLabel),
  );
  // The target the quarter is rated against, where Baseplan judged it against a published benchmark.
  const judged = rated.flatMap((item) =>
    (judgements.get(item.measure.id) ?? [])
      .filter(({ judged: verdict }) => verdict.target.id === item.target?.id)
      .map((judgement) => ({ title: item.measure.title, judgement })),
  );
  return [
    {
      kind: "chart",
      id: "measures-against-target",
      title,
      description: `Measures by rating against target (worked out by Baseplan). ${describeCounts(counts, "measures")}`,
      unit: "Measures",
      bars: counts.map(([label, count], index) => ({
        category: label,
        series: "Measures",
        value: count,
        label: String(count),
        rating: levels[index]?.rating ?? "none",
      })),
      table: countTable("measures-against-target-data", `${title}: measures by rating`, "Rating", counts),
    },
    {
      kind: "table",
      id: "measures",
      caption: title,
      columns: [
        { heading: "Measure", format: "text" },
        { heading: `Quarter ${quarter} ${years.short}`, format: allPercent ? "percent" : "text" },
        { heading: "Target", format: "text" },
        { heading: "Performance (worked out by Baseplan)", format: "rating" },
        ...(printed.size > 0 ? [COUNCIL_RATING_COLUMN] : []),
      ],
      rows: rated.map((item) => {
        const cellText = item.value?.cellText ?? "Not recorded";
        return {
          cells: [
            text(item.measure.title),
            allPercent && item.value?.amount != null
              ? { text: cellText, value: Number(item.value.amount) }
              : text(cellText),
            text(item.target?.targetText ?? "No target set"),
            measureRatingCell(item.rating),
            ...(printed.size > 0 ? [text(printed.get(item.measure.id)?.ratingText ?? NONE_PRINTED)] : []),
          ],
        };
      }),
      notes: rated.map(
        (item) =>
          `${item.measure.title}: ${item.rating.explanation}${printedNote(
            printed.get(item.measure.id)?.ratingText ?? null,
            periodLabel,
            item.rating.meta.label,
            context.scheme,
          )}`,
      ),
    },
    ...benchmarkJudgementBlocks({ id: "measures", caption: title }, judged),
  ];
}

async function performanceSection(db: Database, context: Context): Promise<ReportSection> {
  const { code, quarter, years, settings, own } = context;
  const { thread } = context;
  // In the council's key for deliverable progress: its levels, in its words (decision 0042).
  const deliverableRatings = (thread?.quarterCounts ?? []).map((count) => ({
    rating: ratingOf(count.key),
    label: count.label,
    count: count.count,
  }));
  const deliverableCounts: [string, number][] = deliverableRatings.map(({ label, count }) => [label, count]);
  const deliverableChart: ChartBlock = {
    kind: "chart",
    id: "deliverable-progress",
    title: "Deliverable Progress",
    description: `Council Plan deliverables by progress rating in Quarter ${quarter} ${years.short}. ${describeCounts(deliverableCounts, "deliverables")}`,
    unit: "Deliverables",
    bars: deliverableRatings.map(({ rating, label, count }) => ({
      category: label,
      series: "Deliverables",
      value: count,
      label: String(count),
      rating,
    })),
    table: countTable(
      "deliverable-progress-data",
      "Deliverable progress by rating",
      "Rating",
      deliverableCounts,
    ),
  };

  const document = MEASURES_DOCUMENT(code, quarter);
  // The measures list's ratings are read only where the council imported a table for this report:
  // they cover every table and period, which a quarter with entered values only does not need.
  const imported = (await measures.listGroups(db)).some((group) => group.document === document);
  const listing = imported
    ? (await measures.listMeasureGroups(db)).filter((entry) => entry.group.document === document)
    : [];
  const blocks: Block[] = [
    paragraph(fillTemplate(settings.paragraphs.performanceSummaryIntro, { quarter: String(quarter) })),
    deliverableChart,
  ];

  const measureRatings: MeasureRating[] = [];
  for (const entry of listing) {
    const { group } = entry;
    const valueColumns = group.columns.filter((column) => column.role !== "rating");
    const ids = entry.rows.flatMap((row) => ("measure" in row ? [row.measure.id] : []));
    // The group's own document's values and targets: what its columns print.
    const pages = await measures.documentFigures(db, ids, group.document);
    const judgements = await measures.benchmarkJudgementsFor(db, ids);
    const judged: { title: string; judgement: measures.BenchmarkJudgement }[] = [];
    const allPercent = [...pages.values()].every((page) => page.measure.unit === "percent");
    // The council's printed rating is shown where the table printed one for this report's quarter
    // (a table whose figures are for another period, such as the year, prints none for the quarter).
    const quarterLabel = monitoringPeriodLabel(context.period);
    const quarterKey = measures.periodKey(quarterLabel);
    const printedForQuarter = (row: measures.RatedRow): string | null =>
      row.printedRating && row.printedPeriod && measures.periodKey(row.printedPeriod) === quarterKey
        ? row.printedRating
        : null;
    const showPrinted = entry.rows.some((row) => "measure" in row && printedForQuarter(row) !== null);
    const columns: TableColumn[] = [
      { heading: "Measure", format: "text" },
      ...valueColumns.map(
        (column): TableColumn => ({
          heading: column.heading,
          format: column.role === "target" || !allPercent ? "text" : "percent",
        }),
      ),
      { heading: showPrinted ? "Performance (worked out by Baseplan)" : "Performance", format: "rating" },
      ...(showPrinted ? [COUNCIL_RATING_COLUMN] : []),
    ];
    const rows: TableRow[] = [];
    const notes: string[] = [];
    for (const row of entry.rows) {
      if (!("measure" in row)) {
        rows.push({ heading: true, cells: [text(row.subHeading)] });
        continue;
      }
      const page = pages.get(row.measure.id);
      const cells: TableCell[] = [text(row.titleAsWritten)];
      for (const column of valueColumns) {
        if (column.role === "target") {
          const target = page?.targets.find(
            (candidate) => candidate.document === group.document && candidate.periodLabel === column.period,
          );
          cells.push(text(target?.targetText ?? ""));
          continue;
        }
        const value = page?.values.find(
          (candidate) => candidate.document === group.document && candidate.columnHeading === column.heading,
        );
        const cellText = value?.cellText ?? "";
        cells.push(
          allPercent && value?.amount != null
            ? { text: cellText, value: Number(value.amount) }
            : text(cellText),
        );
      }
      measureRatings.push(row.rating);
      cells.push(measureRatingCell(row.rating));
      const printed = showPrinted ? printedForQuarter(row) : null;
      if (showPrinted) cells.push(text(printed ?? NONE_PRINTED));
      rows.push({ cells });
      notes.push(
        `${row.titleAsWritten}: ${row.rating.explanation}${printedNote(printed, quarterLabel, row.rating.meta.label, context.scheme)}`,
      );
      for (const judgement of judgements.get(row.measure.id) ?? []) {
        if (judgement.judged.target.groupId !== group.id) continue;
        judged.push({ title: row.titleAsWritten, judgement });
      }
    }
    const levels = measureLevelCounts(context.scheme, measureRatings);
    const measureCounts: [string, number][] = levels.map((level) => [level.label, level.count]);
    blocks.push({
      kind: "chart",
      id: "measures-against-target",
      title: group.title,
      description: `Council Plan measures by rating against target. ${describeCounts(measureCounts, "measures")}`,
      unit: "Measures",
      bars: measureCounts.map(([label, count], index) => ({
        category: label,
        series: "Measures",
        value: count,
        label: String(count),
        rating: levels[index]?.rating ?? "none",
      })),
      table: countTable(
        "measures-against-target-data",
        `${group.title}: measures by rating`,
        "Rating",
        measureCounts,
      ),
    });
    blocks.push({ kind: "table", id: "measures", caption: group.title, columns, rows, notes });
    blocks.push(...benchmarkJudgementBlocks({ id: "measures", caption: group.title }, judged));
  }
  if (listing.length === 0) blocks.push(...(await enteredMeasuresBlocks(db, context)));
  blocks.push(measuresKey(context.scheme));
  const keyAreas: [string, string[]][] = own
    ? [
        ["Key areas of success", own.keyAreas.success],
        ["Key areas for consideration", own.keyAreas.consideration],
        ["Key areas to note", own.keyAreas.note],
      ]
    : [];
  if (own && (own.progressSummary || keyAreas.some(([, items]) => items.length > 0))) {
    if (own.progressSummary) blocks.push(paragraph(own.progressSummary));
    for (const [heading, items] of keyAreas) {
      if (items.length === 0) continue;
      blocks.push({ kind: "subheading", text: heading });
      blocks.push({ kind: "list", items });
    }
  } else {
    blocks.push(missing("progress summary or key areas"));
  }
  blocks.push(paragraph(settings.paragraphs.furtherInformation));
  return { id: "performance-summary", title: "2.2 Performance Summary", blocks };
}

/**
 * The most budget items a forecast chart draws. A page-high chart of more bars cannot be read
 * (a council of 168 lines drew labels over each other): beyond it the charts draw the items with
 * the largest under or over spends, in the table's order, and say so. Decision 0037.
 */
const CHARTED_BUDGET_ITEMS = 20;

/** The budget items the forecast charts draw: all of them, or the largest variances. */
function chartedLines<T extends { variance: { pence: number } }>(lines: readonly T[]): readonly T[] {
  if (lines.length <= CHARTED_BUDGET_ITEMS) return lines;
  const largest = new Set(
    [...lines]
      .sort((a, b) => Math.abs(b.variance.pence) - Math.abs(a.variance.pence))
      .slice(0, CHARTED_BUDGET_ITEMS),
  );
  return lines.filter((line) => largest.has(line));
}

function budgetSection(
  context: Context,
  outturn: Extract<finance.ForecastOutturnReport, { lines: unknown }>,
): ReportSection {
  const { settings, quarter } = context;
  const values = {
    portfolio: settings.portfolio,
    quarter: String(quarter),
    controllableBudget: prose(outturn.total.controllableBudget.pence),
    fundingTotal: prose(outturn.fundingTotal.pence),
    budgetAfterFunding: prose(outturn.afterFunding.controllableBudget.pence),
    direction: direction(outturn.total.variance.pence),
    variance: prose(outturn.total.variance.pence),
    afterFundingDirection: direction(outturn.afterFunding.variance.pence),
    afterFundingVariance: prose(outturn.afterFunding.variance.pence),
  };
  const columns: TableColumn[] = [
    { heading: "Budget item", format: "text" },
    { heading: "Controllable Budget £m", format: "pounds-millions" },
    { heading: "Full Year Forecast £m", format: "pounds-millions" },
    { heading: "Forecast Under (-)/ Over Spend £m", format: "pounds-millions" },
    { heading: "Percentage Under (-)/ Over Spend", format: "percent" },
    // The document printed no rating of its own here; Baseplan works it out, and says so.
    { heading: "Budget Performance (worked out by Baseplan)", format: "rating" },
  ];
  const ragCell = (rating: { rag: string; word: string }): TableCell => {
    const key = RAG_RATING[rating.rag] ?? "none";
    return { text: rating.word, rating: key };
  };
  // The total rows: the total (0), then one per funding item, then the position after funding.
  const fundingRows = outturn.funding.map((_item, index) => index + 1);
  const table: TableBlock = {
    kind: "table",
    id: "budget-items",
    caption: `${settings.portfolio} Budget Items`,
    columns,
    rows: outturn.lines.map((line) => ({
      cells: [
        text(line.name),
        money(line.controllableBudget),
        money(line.forecastOutturn),
        money(line.variance),
        percentCell(line.percentage),
        ragCell(line.rating),
      ],
    })),
    totals: [
      {
        sumOfRows: true,
        cells: [
          text("Total"),
          money(outturn.total.controllableBudget),
          money(outturn.total.forecastOutturn),
          money(outturn.total.variance),
          percentCell(outturn.total.percentage),
          ragCell(outturn.total.rating),
        ],
      },
      ...outturn.funding.map((item) => ({
        cells: [text(item.name), money(item.amount), text(""), text(""), text(""), text("")],
      })),
      {
        // The total with the funding added to the budget and so taken off the overspend.
        cells: [
          text("Total after use of additional funding"),
          { ...money(outturn.afterFunding.controllableBudget), fromTotals: { plus: [0, ...fundingRows] } },
          { ...money(outturn.afterFunding.forecastOutturn), fromTotals: { plus: [0] } },
          {
            // The total's variance less the funding, which sits in the budget column.
            ...money(outturn.afterFunding.variance),
            fromTotals: { plus: [0], minus: fundingRows.map((row) => [row, 1] as const) },
          },
          percentCell(outturn.afterFunding.percentage),
          ragCell(outturn.afterFunding.rating),
        ],
      },
    ],
    notes: [
      ...(outturn.at.month === null
        ? []
        : [
            `Forecasts as at Month ${outturn.at.month}, the last month of quarter ${quarter}: the year is monitored monthly.`,
          ]),
      `Budget performance: Red, Amber or Green worked out by Baseplan from each variance, not printed by the council. ${outturn.ratingRule}`,
    ],
  };
  const charted = chartedLines(outturn.lines);
  const chartedNote =
    charted.length < outturn.lines.length
      ? ` Baseplan draws the ${charted.length} budget items with the largest under or over spends of the ${outturn.lines.length}; the table lists every item.`
      : "";
  const forecastChart: ChartBlock = {
    kind: "chart",
    id: "forecast-against-budget",
    title: "Forecast outturn against target budget",
    description: `Controllable budget and full year forecast for each budget item, in £m. In total the forecast is ${prose(outturn.total.forecastOutturn.pence)} against a budget of ${prose(outturn.total.controllableBudget.pence)}.${chartedNote}`,
    unit: "£m",
    bars: charted.flatMap((line) => [
      {
        category: line.name,
        series: "Budget",
        value: line.controllableBudget.pence / 100_000_000,
        label: line.controllableBudget.table,
      },
      {
        category: line.name,
        series: "Forecast",
        value: line.forecastOutturn.pence / 100_000_000,
        label: line.forecastOutturn.table,
      },
    ]),
    table: {
      kind: "table",
      id: "forecast-against-budget-data",
      caption: "Forecast outturn against target budget: data",
      columns: columns.slice(0, 3),
      rows: charted.map((line) => ({
        cells: [text(line.name), money(line.controllableBudget), money(line.forecastOutturn)],
      })),
    },
  };
  const varianceChart: ChartBlock = {
    kind: "chart",
    id: "forecast-variance",
    title: "Forecast Under (-)/Over Spend",
    description: `Forecast under (-) or over spend for each budget item, in £m; in total an ${values.direction} of ${values.variance}.${chartedNote}`,
    unit: "£m",
    bars: charted.map((line) => ({
      category: line.name,
      series: "Under (-)/over spend",
      value: line.variance.pence / 100_000_000,
      label: line.variance.table,
    })),
    table: {
      kind: "table",
      id: "forecast-variance-data",
      caption: "Forecast Under (-)/Over Spend: data",
      columns: [columns[0] as TableColumn, columns[3] as TableColumn],
      rows: charted.map((line) => ({ cells: [text(line.name), money(line.variance)] })),
    },
  };
  return {
    id: "budget-forecast-summary",
    title: "2.3 Budget Forecast Summary",
    blocks: [
      ...settings.paragraphs.budgetForecast.map((template) => paragraph(fillTemplate(template, values))),
      ...(outturn.oneOffIncome.length > 0
        ? [
            paragraph(settings.paragraphs.oneOffIncomeIntro),
            {
              kind: "list" as const,
              items: outturn.oneOffIncome.map((item) => `${prose(item.amount.pence)} - ${item.description}`),
            },
          ]
        : []),
      forecastChart,
      paragraph(settings.paragraphs.forecastTableIntro),
      table,
      ...warnings(outturn.disagreements),
      varianceChart,
    ],
  };
}

/** The budget forecast section of a quarter with no forecast entered. */
function noForecastSection(): ReportSection {
  return {
    id: "budget-forecast-summary",
    title: "2.3 Budget Forecast Summary",
    blocks: [nothingRecorded("No forecast has been entered for this period.")],
  };
}

function paragraphsOf(text: string): string[] {
  return text
    .split(/\r?\n\s*\r?\n/)
    .map((part) => part.trim())
    .filter(Boolean);
}

function variancesSection(
  outturn: Extract<finance.ForecastOutturnReport, { lines: unknown }> | null,
  explanations: string,
): ReportSection {
  const blocks: Block[] = [];
  const narratives = outturn?.narratives ?? [];
  for (const narrative of narratives) {
    blocks.push({ kind: "subheading", text: narrative.heading });
    for (const text of narrative.paragraphs) blocks.push(paragraph(text));
    if (narrative.note) blocks.push(paragraph(`Note: ${narrative.note}`, true));
  }
  // Each budget line's own explanation, written with its forecast, numbered on from the document's
  // narratives and headed as a council's report heads them: the line, overspend or underspend.
  const explained = (outturn?.lines ?? []).filter((line) => line.explanationParagraphs.length > 0);
  explained.forEach((line, index) => {
    const pence = line.variance.pence;
    const position =
      pence > 0 ? `overspend ${prose(pence)}` : pence < 0 ? `underspend ${prose(pence)}` : "on budget";
    blocks.push({
      kind: "subheading",
      text: `2.4.${narratives.length + index + 1} ${line.name}, ${position}`,
    });
    for (const text of line.explanationParagraphs) blocks.push(paragraph(text));
  });
  for (const text of paragraphsOf(explanations)) blocks.push(paragraph(text));
  if (blocks.length === 0) blocks.push(paragraph("No key variances are recorded for this quarter."));
  return { id: "key-variances", title: "2.4 Key Variances", blocks };
}

async function savingsSection(db: Database, context: Context): Promise<ReportSection> {
  const { code, quarter, years, settings } = context;
  const savings = context.financeYear
    ? await finance.savingsReport(db, code, quarter, context.budgetMonth)
    : null;
  if (!savings?.target) {
    return {
      id: "budget-savings",
      title: "2.5 Budget Savings",
      blocks: [nothingRecorded("No savings forecast has been entered for this period.")],
    };
  }
  const { target, position } = savings;
  const values = {
    currentYearTarget: prose(target.currentYear.pence),
    priorYearTarget: prose(target.priorYearBroughtForward.pence),
    savingsTarget: prose(target.total.pence),
    savingsIdentified: prose(position.identified.pence),
    shortfallOfIdentified: prose(position.shortfallOfIdentifiedSavings.pence),
    savingsAchieved: prose(position.forecastAchieved.pence),
  };
  const markCell = (onTrack: boolean, mark: string, words: string): TableCell => ({
    text: `${mark} ${words}`,
    rating: onTrack ? "good" : "action",
  });
  const columns: TableColumn[] = [
    { heading: "Initiative", format: "text" },
    { heading: "Note", format: "text" },
    { heading: "Budget Reduction Amount £m", format: "pounds-millions" },
    { heading: `Forecast to be Achieved by the end of ${years.short} £m`, format: "pounds-millions" },
    { heading: "Shortfall (-)/ Additional Savings Achieved £m", format: "pounds-millions" },
    { heading: "Achieved", format: "rating" },
  ];
  const blank = text("");
  const chart: ChartBlock = {
    kind: "chart",
    id: "budget-savings-chart",
    title: "Budget Savings",
    description: `The savings target is ${values.savingsTarget}; initiatives worth ${values.savingsIdentified} have been identified and ${values.savingsAchieved} is forecast to be achieved by the year end.`,
    unit: "£m",
    bars: [
      ["Budget savings target", target.total],
      ["Savings initiatives identified", position.identified],
      ["Forecast to be achieved", position.forecastAchieved],
    ].map(([label, figure]) => ({
      category: label as string,
      series: "Savings",
      value: (figure as Figure).pence / 100_000_000,
      label: (figure as Figure).table,
    })),
    table: {
      kind: "table",
      id: "budget-savings-data",
      caption: "Budget Savings: data",
      columns: [
        { heading: "Savings", format: "text" },
        { heading: "£m", format: "pounds-millions" },
      ],
      rows: [
        { cells: [text("Budget savings target"), money(target.total)] },
        { cells: [text("Savings initiatives identified"), money(position.identified)] },
        { cells: [text("Forecast to be achieved"), money(position.forecastAchieved)] },
      ],
    },
  };
  const table: TableBlock = {
    kind: "table",
    id: "budget-savings-initiatives",
    caption: "Budget Savings Initiatives",
    columns,
    rows: savings.initiatives.map((initiative) => ({
      cells: [
        text(initiative.name),
        text(initiative.noteMarker ?? ""),
        money(initiative.amount),
        money(initiative.forecastAchieved),
        money(initiative.shortfall),
        markCell(initiative.onTrack, initiative.mark, initiative.markWords),
      ],
    })),
    totals: [
      {
        sumOfRows: true,
        cells: [
          text("Total Position"),
          blank,
          money(position.identified),
          money(position.forecastAchieved),
          money(position.shortfall),
          markCell(position.onTrack, position.mark, position.markWords),
        ],
      },
      // The total rows: 0 the total position, 1 the shortfall (target less identified), 2 the
      // target (brought forward plus this year), 3 brought forward, 4 this year.
      {
        cells: [
          text("Shortfall/(Surplus) of Identified Savings"),
          blank,
          { ...money(position.shortfallOfIdentifiedSavings), fromTotals: { plus: [2], minus: [0] } },
          blank,
          blank,
          blank,
        ],
      },
      {
        cells: [
          text("Budget Savings Target"),
          blank,
          { ...money(target.total), fromTotals: { plus: [3, 4] } },
          blank,
          blank,
          blank,
        ],
      },
      { cells: [text("Prior Year B/f"), blank, money(target.priorYearBroughtForward), blank, blank, blank] },
      { cells: [text("Current Year"), blank, money(target.currentYear), blank, blank, blank] },
    ],
    notes: [
      ...(context.budgetMonth === null ? [] : [`Savings forecast as at ${monthlyNote(context)}`]),
      ...savings.notes.map((note) => `Note ${note.marker}: ${note.text}`),
    ],
  };
  return {
    id: "budget-savings",
    title: "2.5 Budget Savings",
    blocks: [
      ...settings.paragraphs.savings.map((template) => paragraph(fillTemplate(template, values))),
      chart,
      paragraph(fillTemplate(settings.paragraphs.savingsAchieved, values)),
      table,
      ...savings.initiatives
        .filter((initiative) => initiative.statedMarkDiffers)
        .map((initiative) =>
          paragraph(
            `${initiative.name}: the document's tick or cross differs from the figures, which show ${initiative.markWords.toLowerCase()}.`,
            true,
          ),
        ),
      ...warnings(savings.disagreements),
    ],
  };
}

async function growthSection(db: Database, context: Context): Promise<ReportSection> {
  const { code, years, settings } = context;
  if (!context.financeYear) {
    return {
      id: "growth",
      title: "2.6 Growth Items and One-Off Funding",
      blocks: [nothingRecorded("No growth items are recorded for this year.")],
    };
  }
  const growth = await finance.growthReport(db, code);
  // The spend to date entered for the quarter (or its last month), as a column only when some is entered.
  const spent = await finance.growthSpendByItem(db, code, context.quarter, context.budgetMonth);
  const spendColumn = spent.total !== null;
  const spentCell = (spend: Figure | undefined) => (spend ? money(spend) : text("Not entered"));
  const blocks: Block[] = [
    paragraph(fillTemplate(settings.paragraphs.growthIntro, { yearLong: years.long })),
  ];
  for (const item of growth.growth) {
    const amounts = [
      item.ongoing ? `${prose(item.ongoing.pence)} ongoing` : null,
      item.oneOff ? `${prose(item.oneOff.pence)} one-off` : null,
    ].filter((part): part is string => part !== null);
    blocks.push({ kind: "subheading", text: `${item.ref} ${item.title} - ${amounts.join(", ")}` });
    for (const text of item.paragraphs) blocks.push(paragraph(text));
  }
  if (growth.growth.length > 0) {
    blocks.push({
      kind: "table",
      id: "growth-items",
      caption: "Growth items and one-off funding",
      columns: [
        { heading: "Allocation", format: "text" },
        { heading: "Ongoing £m", format: "pounds-millions" },
        { heading: "One-off £m", format: "pounds-millions" },
        ...(spendColumn
          ? [
              {
                heading: `Spent to the end of quarter ${context.quarter} £m`,
                format: "pounds-millions" as const,
              },
            ]
          : []),
      ],
      rows: growth.growth.map((item) => ({
        cells: [
          text(`${item.ref} ${item.title}`),
          money(item.ongoing),
          money(item.oneOff),
          ...(spendColumn ? [spentCell(spent.byItem.get(item.id))] : []),
        ],
      })),
      ...(spendColumn && context.budgetMonth !== null
        ? { notes: [`Spend to the end of ${monthlyNote(context)}`] }
        : {}),
      totals: [
        {
          sumOfRows: true,
          cells: [
            text("Total"),
            money(growth.growthTotals.ongoing),
            money(growth.growthTotals.oneOff),
            ...(spendColumn ? [money(spent.total)] : []),
          ],
        },
      ],
    });
  } else {
    blocks.push(paragraph("No growth items are recorded for this year."));
  }
  blocks.push(...warnings(growth.disagreements));
  return { id: "growth", title: "2.6 Growth Items and One-Off Funding", blocks };
}

async function risksSection(db: Database, context: Context): Promise<ReportSection> {
  const { code, quarter, settings } = context;
  const risks = context.financeYear
    ? await finance.financialRisksReport(db, code, quarter, context.budgetMonth)
    : null;
  if (!risks || risks.risks.length === 0) {
    return {
      id: "financial-risks",
      title: "2.7 Financial Risks",
      blocks: [nothingRecorded("No financial risks have been entered for this period.")],
    };
  }
  return {
    id: "financial-risks",
    title: "2.7 Financial Risks",
    blocks: [
      paragraph(settings.paragraphs.financialRisksIntro),
      {
        kind: "table",
        id: "financial-risks-table",
        caption: "Financial Risks",
        columns: [
          { heading: "Service", format: "text" },
          { heading: "Risk", format: "text" },
          { heading: "Sensitivity* £m", format: "pounds-millions" },
          { heading: "Likelihood 1 = Low, 5 = High", format: "number" },
        ],
        rows: risks.risks.map((risk) => ({
          cells: [
            text(risk.service),
            text(risk.risk),
            money(risk.sensitivity),
            { text: String(risk.likelihood), value: risk.likelihood },
          ],
        })),
        notes: [
          ...(context.budgetMonth === null ? [] : [`Financial risks as at ${monthlyNote(context)}`]),
          settings.paragraphs.sensitivityFootnote,
        ],
      },
    ],
  };
}

async function reservesSection(db: Database, context: Context): Promise<ReportSection> {
  const { code, quarter, settings } = context;
  const reserves = context.financeYear
    ? await finance.reservesReport(db, code, quarter, context.budgetMonth, previousQuarterEnd(context))
    : null;
  if (!reserves || reserves.reserves.length === 0) {
    return {
      id: "earmarked-reserves",
      title: "2.8 Earmarked Reserves",
      blocks: [nothingRecorded("No earmarked reserve balances have been entered for this period.")],
    };
  }
  return {
    id: "earmarked-reserves",
    title: "2.8 Earmarked Reserves",
    blocks: [
      paragraph(
        fillTemplate(settings.paragraphs.reservesIntro, {
          reservesTotal: prose(reserves.total.balance.pence),
        }),
      ),
      {
        kind: "table",
        id: "earmarked-reserves-table",
        caption: "Earmarked reserves",
        columns: [
          { heading: "Reserves", format: "text" },
          { heading: "Change over the quarter", format: "text" },
          { heading: "£m", format: "pounds-millions" },
        ],
        rows: reserves.reserves.map((reserve) => ({
          cells: [text(reserve.name), trendCell(reserve), money(reserve.balance)],
        })),
        totals: [
          {
            sumOfRows: true,
            cells: [text("Total Reserves"), trendCell(reserves.total), money(reserves.total.balance)],
          },
        ],
        notes: [
          ...(context.budgetMonth === null ? [] : [`Balances as at the end of ${monthlyNote(context)}`]),
          '↑ Reserve has increased over the quarter; = unchanged; ↓ decreased. "As reported" where the previous quarter\'s balance is not recorded.',
        ],
      },
      ...warnings(reserves.disagreements),
    ],
  };
}

async function debtSection(db: Database, context: Context): Promise<ReportSection> {
  const { code, quarter, settings } = context;
  const debt = context.financeYear
    ? await finance.debtReport(db, code, quarter, context.budgetMonth, previousQuarterEnd(context))
    : null;
  if (!debt || (debt.bands.length === 0 && !debt.writeOff)) {
    return {
      id: "debt-position",
      title: "2.9 Debt Position",
      blocks: [nothingRecorded("No debt position has been entered for this period.")],
    };
  }
  const columns: TableColumn[] = [
    { heading: "Age of debt", format: "text" },
    { heading: "£m", format: "pounds-millions" },
    { heading: "Change over the quarter", format: "text" },
    { heading: "Share of total", format: "percent" },
    { heading: "Share as printed", format: "percent" },
  ];
  const blocks: Block[] = [
    paragraph(settings.paragraphs.debtIntro),
    {
      kind: "table",
      id: "debt-profile",
      caption: "Debt profile",
      columns,
      rows: debt.bands.map((band) => ({
        cells: [
          text(band.band),
          money(band.amount),
          trendCell(band),
          percentCell(band.share),
          percentCell(band.statedShare ?? ""),
        ],
      })),
      ...(context.budgetMonth === null ? {} : { notes: [`Debt as at the end of ${monthlyNote(context)}`] }),
      totals: [
        {
          sumOfRows: true,
          cells: [
            text("Total"),
            money(debt.total.amount),
            trendCell(debt.total),
            percentCell(debt.total.share),
            text(""),
          ],
        },
      ],
    },
    ...warnings(debt.disagreements),
    {
      kind: "chart",
      id: "debt-chart",
      title: "Debt profile",
      description: `Debt raised by age, in £m; ${prose(debt.total.amount.pence)} in total.`,
      unit: "£m",
      bars: debt.bands.map((band) => ({
        category: band.band,
        series: "Debt",
        value: band.amount.pence / 100_000_000,
        label: band.amount.table,
      })),
      table: {
        kind: "table",
        id: "debt-chart-data",
        caption: "Debt profile: data",
        columns: columns.slice(0, 2),
        rows: debt.bands.map((band) => ({ cells: [text(band.band), money(band.amount)] })),
      },
    },
  ];
  if (debt.writeOff) {
    blocks.push(
      paragraph(
        fillTemplate(settings.paragraphs.writeOff, {
          writeOffTo: formatDate(debt.writeOff.periodTo),
          writeOff: prose(debt.writeOff.amount.pence),
        }),
      ),
    );
  }
  return { id: "debt-position", title: "2.9 Debt Position", blocks };
}

async function appendixSection(db: Database, context: Context): Promise<ReportSection> {
  const { quarter, years, settings, own, thread } = context;
  // Every progress update of the quarter, in the order they were recorded, with its narrative.
  // A rating the report did not state but that was inferred when the data was entered says so.
  const updates: {
    id: number;
    title: string;
    rating: DomainRatingKey;
    inferred: string | null;
    paragraphs: string[];
  }[] = [];
  for (const update of thread?.unmatchedUpdates ?? []) {
    updates.push({
      id: update.id,
      title: update.titleAsWritten ?? "",
      rating: update.rating as DomainRatingKey,
      inferred: plan.inferenceBasis(update),
      paragraphs: update.narrative.split(/\n\s*\n/),
    });
  }
  const rated = (thread?.groups ?? []).flatMap((group) =>
    group.deliverables.filter((deliverable) => deliverable.rating !== null),
  );
  const latestOf = await plan.quarterProgress(db, { financialYear: years.short, quarter });
  for (const deliverable of rated) {
    // The deliverable's latest update of the quarter.
    const latest = latestOf.get(deliverable.id);
    if (!latest) continue;
    updates.push({
      id: latest.id,
      title: latest.titleAsWritten ?? deliverable.title,
      rating: latest.rating as DomainRatingKey,
      inferred: plan.inferenceBasis(latest),
      paragraphs: latest.paragraphs,
    });
  }
  updates.sort((a, b) => a.id - b.id);
  // Each rating in the council's key's words (decision 0042), on its stored rating's colour.
  const words = (rating: DomainRatingKey) =>
    thread ? deliverableRatingMeta(thread.ratingKey, rating).label : RATING_WORDS[ratingOf(rating)];
  const blocks: Block[] = [
    paragraph(
      own?.appendixTitle ?? `${settings.portfolio} Quarter ${quarter} Performance Report ${years.long}`,
    ),
    paragraph(settings.paragraphs.appendixIntro),
    {
      kind: "table",
      id: "deliverable-ratings",
      caption: `Deliverable progress, Quarter ${quarter} ${years.short}`,
      columns: [
        { heading: "Deliverable", format: "text" },
        { heading: "Rating", format: "rating" },
      ],
      rows: updates.map((update) => {
        const rating = ratingOf(update.rating);
        const word = `${words(update.rating)}${update.inferred ? " (inferred)" : ""}`;
        return { cells: [text(update.title), { text: word, rating }] };
      }),
      ...(updates.some((update) => update.inferred)
        ? {
            notes: [
              ...new Set(
                updates.flatMap((update) => (update.inferred ? [`Inferred: ${update.inferred}`] : [])),
              ),
            ],
          }
        : {}),
    },
  ];
  const headings = own?.appendixHeadings ?? [];
  for (const update of updates) {
    const rating = ratingOf(update.rating);
    const heading = headings.find((candidate) => candidate.firstDeliverableAsWritten === update.title);
    if (heading) blocks.push({ kind: "subheading", text: heading.heading });
    blocks.push({
      kind: "subheading",
      text: update.title,
      ...(headings.length > 0 ? { level: 4 as const } : {}),
    });
    const label = `Rating: ${words(update.rating)}${update.inferred ? ` (inferred: ${update.inferred})` : ""}`;
    blocks.push({ kind: "key", items: [{ rating, label }] });
    for (const text of update.paragraphs) blocks.push(paragraph(text));
  }
  if (updates.length === 0) blocks.push(paragraph("No deliverable progress is recorded for this quarter."));
  return { id: "appendix-a", title: "Appendix A: Deliverable Progress", newPage: true, blocks };
}

type ClosingSection = QuarterlySettings["closingSections"][number];

/** "Yes. Reference: KD-31-07." / "No." for the key decision, from the narrative; null when unanswered. */
function keyDecisionParagraphs(narrative: QuarterNarrative): string[] {
  if (narrative.keyDecision === "no") return ["No."];
  if (narrative.keyDecision !== "yes") return [];
  const reference = narrative.keyDecisionReference?.trim() ?? "";
  return [reference ? `Yes. Reference: ${reference}.` : "Yes."];
}

function callInParagraphs(narrative: QuarterNarrative): string[] {
  const question =
    "Is it required that call-in be waived in respect of the decisions proposed in the report?";
  if (narrative.callInWaived === "no") return [`${question} No.`];
  if (narrative.callInWaived !== "yes") return [];
  const reason = narrative.callInReason?.trim() ?? "";
  return [`${question} Yes.`, ...(reason ? [reason] : [])];
}

/**
 * The closing sections, with what the officer wrote for the period in place of the settings'
 * standard words: the key decision, call-in, background papers (one a line) and recommendations,
 * each replacing the settings' section of that title, or added as a section of its own (before
 * the recommendations) when the settings have none, the sections then numbered on in order.
 * A part not written leaves the settings' section as it is, or adds nothing.
 */
function closingSections(settings: QuarterlySettings, narrative: QuarterNarrative | null | undefined) {
  const parts: { title: string; match: RegExp; paragraphs: string[] }[] = narrative
    ? [
        { title: "Key Decision", match: /key decision/i, paragraphs: keyDecisionParagraphs(narrative) },
        { title: "Call-In", match: /call.?in/i, paragraphs: callInParagraphs(narrative) },
        {
          title: "Background Papers",
          match: /background papers/i,
          paragraphs: (narrative.backgroundPapers ?? "")
            .split(/\r?\n/)
            .map((line) => line.trim())
            .filter(Boolean),
        },
        {
          title: "Officer Recommendations",
          match: /recommendation/i,
          paragraphs: paragraphsOf(narrative.recommendations),
        },
      ]
    : [];
  let sections: ClosingSection[] = [...settings.closingSections];
  let added = false;
  for (const part of parts) {
    if (part.paragraphs.length === 0) continue;
    const index = sections.findIndex((section) => part.match.test(section.title));
    if (index >= 0) {
      sections = sections.map((section, at) =>
        at === index ? { ...section, paragraphs: part.paragraphs } : section,
      );
      continue;
    }
    const recommendations = sections.findIndex((section) => /recommendation/i.test(section.title));
    const at = recommendations >= 0 ? recommendations : sections.length;
    sections = [
      ...sections.slice(0, at),
      { number: "", title: part.title, paragraphs: part.paragraphs },
      ...sections.slice(at),
    ];
    added = true;
  }
  if (!added) return sections;
  // Numbered on from the settings' first closing section (section 3 after Information and Analysis).
  const first = Number(settings.closingSections[0]?.number ?? "3");
  const start = Number.isInteger(first) ? first : 3;
  return sections.map((section, index) => ({ ...section, number: String(start + index) }));
}

/** The quarterly report for a year and quarter, from the services and the report settings. */
export async function buildQuarterlyReport(db: Database, options: QuarterlyReportOptions): Promise<Report> {
  const code = yearCode(options.year);
  const quarter = options.quarter;
  const settings =
    (await quarterlyReportSettings(db)) ??
    (options.organisation ? defaultQuarterlySettings(options.organisation) : null);
  if (!settings) throw new NotFound("The quarterly report's settings");
  // A year with no finance records at all: every finance section says nothing is recorded.
  const financeYear = (await finance.listFinancialYears(db)).some((year) => year.code === code);
  const outturn = financeYear
    ? await finance.forecastOutturnReport(db, code, quarter, options.budgetMonth ?? null)
    : null;
  // A quarter whose budget monitoring has started but has no forecast at the month or quarter read
  // (a year monitored monthly, before its quarter-end month is in) says so rather than showing zeros.
  const withLines = outturn?.report && outturn.lines.length > 0 ? outturn : null;
  const years = yearForms(code);
  const own = options.narrative
    ? narrativeAsQuarterSettings(options.narrative, `Quarter ${quarter} ${years.short}`)
    : (settings.quarters[quarterKey(code, quarter)] ?? null);
  const thread = await plan.goldenThread(
    db,
    { financialYear: years.short, quarter },
    { deliverablesOnly: true },
  );
  const period = monitoringPeriod(Number(code.slice(0, 4)), "quarter", quarter);
  const budgetMonth = options.budgetMonth ?? null;
  const scheme = await measures.ratingScheme(db);
  const context: Context = {
    code,
    quarter,
    period,
    years,
    settings,
    own,
    thread,
    financeYear,
    budgetMonth,
    scheme,
  };
  const savings = financeYear ? await finance.savingsReport(db, code, quarter, budgetMonth) : null;

  const overviewBudget =
    withLines && savings?.target
      ? fillTemplate(settings.paragraphs.overviewBudget, {
          yearLong: years.long,
          afterFundingDirection: direction(withLines.afterFunding.variance.pence),
          afterFundingVariance: prose(withLines.afterFunding.variance.pence),
          savingsAchieved: prose(savings.position.forecastAchieved.pence),
          savingsTarget: prose(savings.target.total.pence),
          savingsIdentified: prose(savings.position.identified.pence),
        })
      : "";

  const sections: ReportSection[] = [
    {
      id: "purpose",
      title: "1. Purpose of the Report",
      blocks: [own?.purpose ? paragraph(own.purpose) : missing("purpose")],
    },
    {
      id: "information-and-analysis",
      title: "2. Information and Analysis",
      blocks: [
        { kind: "subheading", text: "2.1 Integrated Reporting" },
        paragraph(settings.paragraphs.integratedReporting),
        ...[[own?.overviewPerformance ?? "", overviewBudget].filter(Boolean).join(" ")]
          .filter(Boolean)
          .map((overview) => paragraph(overview)),
      ],
    },
    // 2.2 to 2.9 are parts of section 2, as the report numbers them.
    ...[
      await performanceSection(db, context),
      withLines ? budgetSection(context, withLines) : noForecastSection(),
      variancesSection(withLines, options.narrative?.varianceExplanations ?? ""),
      await savingsSection(db, context),
      await growthSection(db, context),
      await risksSection(db, context),
      await reservesSection(db, context),
      await debtSection(db, context),
    ].map((part): ReportSection => ({ ...part, level: 2 })),
    ...closingSections(settings, options.narrative).map((section, index, all) => ({
      id: `closing-${section.number}`,
      title: `${section.number}. ${section.title}`,
      blocks: [
        ...section.paragraphs.map((text) => paragraph(text)),
        ...(index === all.length - 1 && settings.signatories.length > 0
          ? [
              { kind: "subheading" as const, text: "Signed" },
              {
                kind: "list" as const,
                items: settings.signatories.map(
                  (person) => `${person.name}, ${person.role}, ${person.department}`,
                ),
              },
            ]
          : []),
      ],
    })),
    await appendixSection(db, context),
  ];

  return {
    // The committee paper's heading block comes first, as the council sets its reports out.
    header: [
      authorLine(options.narrative) ?? (settings.authors ? `Authors: ${settings.authors}` : ""),
      settings.councilName,
      settings.committee,
      own ? own.meetingDateAsWritten : `Quarter ${quarter} ${years.short}`,
      settings.jointReportOf,
    ].filter((line) => line !== ""),
    title: fillTemplate(settings.titleTemplate, { yearLong: years.long, quarter: String(quarter) }),
    subtitle: `(${settings.portfolio})`,
    meta: [],
    sections,
  };
}
