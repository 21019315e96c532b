import type { Database } from "../../db/client.ts";
import {
  compareMonitoringPeriods,
  financialYearLabel,
  type MonitoringPeriod,
  monitoringPeriod,
  monitoringPeriodKey,
  monitoringPeriodLabel,
  parseFinancialYearCode,
  parseMonitoringPeriodKey,
  quarterOf,
} from "../../domain/periods.ts";
import { schemeKey, schemeMeta } from "../../domain/rating-schemes.ts";
import {
  colourBadge,
  RATING_COLOURS,
  RATINGS,
  type RatingBadge,
  type RatingKey,
  type RatingMeta,
  ratingMeta,
} from "../../domain/ratings.ts";

/** Listed first among the items needing attention: those on the red of any scheme. */
const URGENT = RATING_COLOURS.red.className;

import * as finance from "../finance/finance.service.ts";
import { listMeasureGroups, ratingScheme } from "../measures/measures.service.ts";
import { defaultMonitoredPeriod, listPeriods, quarterEndMonth } from "../periods/periods.service.ts";
import { quarterLabel, quarterValue, type ReportingQuarter } from "../plan/plan.schemas.ts";
import { findCouncil, findDepartment, goldenThread, reportedQuarters } from "../plan/plan.service.ts";
import { nextSteps } from "../setup/setup.service.ts";

/**
 * The department's dashboard for one quarter, composed from one call to each module's service:
 * the plan's golden thread (deliverable ratings), the measures listing (measure ratings), the
 * forecast outturn (budget position after funding, lines rated red) and the savings report.
 */

export interface RatingCount {
  key: RatingKey;
  label: string;
  badge: RatingBadge;
  count: number;
  href: string;
}

export interface AttentionItem {
  title: string;
  href: string;
  rating: RatingBadge;
  /** A short line saying why it is listed or where it sits. */
  detail: string;
}

export interface AttentionGroup {
  key: "measures" | "deliverables" | "budget-lines" | "savings";
  heading: string;
  /** "15 measures", for the summary line above the lists. */
  summary: string;
  items: AttentionItem[];
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

export interface QuarterChoice {
  value: string;
  text: string;
  selected: boolean;
}

/** A level's badge: its words (a scheme's own, for a measure) on its colour. */
function badgeOf(meta: RatingMeta): RatingBadge {
  return colourBadge(meta.colour, meta.label);
}

/** "2020/21" as finance stores it: "2020-21". */
function financeYearCode(quarter: ReportingQuarter): string {
  return quarter.financialYear.replace("/", "-");
}

/** Quarters with monitoring data, newest first: deliverable progress or a budget monitoring report. */
export async function dashboardQuarters(db: Database): Promise<ReportingQuarter[]> {
  const [planQuarters, financeQuarters] = await Promise.all([
    reportedQuarters(db),
    finance.listReportQuarters(db),
  ]);
  return mergeQuarters(planQuarters, financeQuarters);
}

function mergeQuarters(
  planQuarters: readonly ReportingQuarter[],
  financeQuarters: readonly { label: string; quarter: number }[],
): ReportingQuarter[] {
  const byValue = new Map<string, ReportingQuarter>();
  for (const quarter of planQuarters) byValue.set(quarterValue(quarter), quarter);
  for (const row of financeQuarters) {
    const quarter = { financialYear: row.label, quarter: row.quarter };
    byValue.set(quarterValue(quarter), quarter);
  }
  return [...byValue.entries()]
    .sort(([a], [b]) => (a < b ? 1 : a > b ? -1 : 0))
    .map(([, quarter]) => quarter);
}

const SEVERITY: Record<RatingKey, number> = { action: 0, review: 1, good: 2, strong: 3, "not-available": 4 };

async function measuresSection(db: Database) {
  const [listings, scheme] = await Promise.all([listMeasureGroups(db), ratingScheme(db)]);
  const counts = new Map<RatingKey, number>(RATINGS.map((meta) => [meta.key, 0]));
  const attention = new Map<
    number,
    { title: string; rating: RatingKey; tables: string[]; printed: string[] }
  >();
  let rows = 0;
  let printedDisagreements = 0;
  for (const listing of listings) {
    for (const row of listing.rows) {
      if (!("measure" in row)) continue;
      rows += 1;
      const key = row.rating.rating;
      counts.set(key, (counts.get(key) ?? 0) + 1);
      if (row.printedAgreement === "differs") printedDisagreements += 1;
      if (key !== "action" && key !== "review") continue;
      // The council's own rating for the period the row shows, where its table printed one.
      const printed = row.printedRating
        ? [
            `the council's rating${row.printedPeriod ? ` for ${row.printedPeriod}` : ""} is ${row.printedRating}`,
          ]
        : [];
      const seen = attention.get(row.measure.id);
      if (!seen) {
        attention.set(row.measure.id, {
          title: row.measure.title,
          rating: key,
          tables: [listing.group.title],
          printed,
        });
      } else {
        if (SEVERITY[key] < SEVERITY[seen.rating]) seen.rating = key;
        if (!seen.tables.includes(listing.group.title)) seen.tables.push(listing.group.title);
        for (const one of printed) if (!seen.printed.includes(one)) seen.printed.push(one);
      }
    }
  }
  const items: AttentionItem[] = [...attention.entries()]
    .sort(([, a], [, b]) => SEVERITY[a.rating] - SEVERITY[b.rating])
    .map(([id, measure]) => ({
      title: measure.title,
      href: `/measures/${id}`,
      rating: badgeOf(schemeMeta(scheme, measure.rating)),
      detail: `In ${measure.tables.join("; ")}${measure.printed.length > 0 ? `; ${measure.printed.join("; ")}` : ""}`,
    }));
  return {
    rows,
    tables: listings.length,
    /** Rows whose council's printed rating disagrees with Baseplan's for the period shown. */
    printedDisagreements,
    // By level of the council's key (Green counts met, and met and improved, under Red/Amber/Green).
    counts: schemeKey(scheme).map(
      (level): RatingCount => ({
        key: level.meta.key,
        label: level.label,
        badge: badgeOf(level.meta),
        count: level.outcomes.reduce((sum, outcome) => sum + (counts.get(outcome) ?? 0), 0),
        href: `/measures?rating=${level.meta.key}`,
      }),
    ),
    attention: items,
  };
}

async function deliverablesSection(db: Database, quarter: ReportingQuarter) {
  const thread = await goldenThread(db, quarter, { deliverablesOnly: true });
  if (!thread) return null;
  const planHref = `/plan?quarter=${quarterValue(quarter)}`;
  const items: AttentionItem[] = [];
  for (const group of thread.groups) {
    for (const deliverable of group.deliverables) {
      if (deliverable.rating?.key !== "action" && deliverable.rating?.key !== "review") continue;
      items.push({
        title: deliverable.title,
        href: `/plan/deliverables/${deliverable.id}`,
        rating: badgeOf(deliverable.rating),
        detail: `${group.kind === "priority" ? "Priority" : "Service theme"}: ${group.title}`,
      });
    }
  }
  for (const update of thread.unmatchedUpdates) {
    if (update.ratingMeta.key !== "action" && update.ratingMeta.key !== "review") continue;
    items.push({
      title: update.titleAsWritten ?? "Untitled progress update",
      href: planHref,
      rating: badgeOf(update.ratingMeta),
      detail: "Reported this quarter but not matched to a deliverable in the plan",
    });
  }
  items.sort((a, b) => (a.rating.className === URGENT ? 0 : 1) - (b.rating.className === URGENT ? 0 : 1));
  return {
    /** Progress is recorded by quarter: the quarter's words, even when a month is shown. */
    label: quarterLabel(quarter),
    updateCount: thread.updateCount,
    deliverableCount: thread.deliverableCount,
    planHref,
    counts: thread.quarterCounts.map(
      (count): RatingCount => ({
        key: count.key,
        label: count.label,
        badge: badgeOf(ratingMeta(count.key)),
        count: count.count,
        href: planHref,
      }),
    ),
    attention: items,
  };
}

/**
 * The month whose forecasts stand for the period shown: a month its own; a quarter of a year
 * monitored monthly its quarter-end month, as its report does; null for a quarter's own figures.
 */
async function figuresMonth(db: Database, quarter: ReportingQuarter, month: number | null) {
  if (month !== null) return month;
  const startYear = parseFinancialYearCode(financeYearCode(quarter));
  return startYear === null
    ? null
    : await quarterEndMonth(db, monitoringPeriod(startYear, "quarter", quarter.quarter));
}

/** "q3" or "m7": the period shown, in a budget page's address. */
function budgetPath(quarter: ReportingQuarter, month: number | null): string {
  return month === null ? `q${quarter.quarter}` : `m${month}`;
}

async function budgetSection(
  db: Database,
  quarter: ReportingQuarter,
  month: number | null,
  hasReport: boolean,
) {
  if (!hasReport) return null;
  const yearCode = financeYearCode(quarter);
  const at = await figuresMonth(db, quarter, month);
  const report = await finance.forecastOutturnReport(db, yearCode, quarter.quarter, at);
  // A month with no forecast entered has no position to show (not a zero budget).
  if (report.report === null || (at !== null && report.lines.length === 0)) return null;
  const items: AttentionItem[] = report.lines
    .filter((line) => line.rating.rag === "red")
    .map((line) => ({
      title: line.name,
      href: `/budget/lines/${line.lineId}?quarter=${quarter.quarter}`,
      rating: colourBadge(line.rating.rag, line.rating.word),
      detail: `Forecast over spend £${line.variance.table}m (${line.percentage})`,
    }));
  return {
    href: `/budget/${yearCode}/${budgetPath(quarter, month)}`,
    hasFunding: report.funding.length > 0,
    fundingTotal: report.fundingTotal,
    afterFunding: report.afterFunding,
    attention: items,
  };
}

async function savingsSection(
  db: Database,
  quarter: ReportingQuarter,
  month: number | null,
  yearKnown: boolean,
) {
  if (!yearKnown) return null;
  const yearCode = financeYearCode(quarter);
  const report = await finance.savingsReport(
    db,
    yearCode,
    quarter.quarter,
    await figuresMonth(db, quarter, month),
  );
  if (report.target === null) return null;
  const href = `/budget/${yearCode}/${budgetPath(quarter, month)}/savings`;
  const items: AttentionItem[] = report.initiatives
    .filter((initiative) => !initiative.onTrack)
    .map((initiative) => ({
      title: initiative.name,
      href,
      rating: colourBadge("red", initiative.markWords),
      detail: initiative.forecastAchieved
        ? `£${initiative.forecastAchieved.table}m of £${initiative.amount.table}m forecast to be achieved`
        : `No forecast reported against £${initiative.amount.table}m`,
    }));
  return {
    href,
    target: report.target.total,
    identified: report.position.identified,
    forecastAchieved: report.position.forecastAchieved,
    shortfall: report.position.shortfall,
    onTrack: report.position.onTrack,
    rating: colourBadge(report.position.onTrack ? "green" : "red", report.position.markWords),
    initiativeCount: report.initiatives.length,
    attention: items,
  };
}

/** The periods offered, newest first: each quarter with monitoring, and each month with a forecast. */
function periodChoices(
  quarters: readonly ReportingQuarter[],
  months: readonly MonitoringPeriod[],
): MonitoringPeriod[] {
  const byKey = new Map<string, MonitoringPeriod>();
  for (const quarter of quarters) {
    const startYear = parseFinancialYearCode(quarter.financialYear);
    if (startYear === null) continue;
    const period = monitoringPeriod(startYear, "quarter", quarter.quarter);
    byKey.set(monitoringPeriodKey(period), period);
  }
  for (const month of months) byKey.set(monitoringPeriodKey(month), month);
  return [...byKey.values()].sort((a, b) => compareMonitoringPeriods(b, a));
}

export async function departmentDashboard(db: Database, requested?: string) {
  const [planQuarters, financeQuarters, forecastMonths, opened, council, department] = await Promise.all([
    reportedQuarters(db),
    finance.listReportQuarters(db),
    finance.listForecastMonths(db),
    listPeriods(db),
    findCouncil(db),
    findDepartment(db),
  ]);
  const monthlyYears = new Set(
    opened.filter((state) => state.frequency === "monthly").map((state) => state.period.startYear),
  );
  // A year monitored monthly offers each month with a forecast as well as its quarters.
  const months = forecastMonths.flatMap((row) => {
    const startYear = parseFinancialYearCode(row.code);
    return startYear !== null && monthlyYears.has(startYear)
      ? [monitoringPeriod(startYear, "month", row.month)]
      : [];
  });
  const choices = periodChoices(mergeQuarters(planQuarters, financeQuarters), months);
  const asked = requested === undefined || requested === "" ? null : parseMonitoringPeriodKey(requested);
  const known =
    asked !== null && choices.some((choice) => monitoringPeriodKey(choice) === monitoringPeriodKey(asked));
  // Unless one is asked for: the latest published period, else the latest with budget monitoring
  // (in a year monitored monthly, the latest month with a forecast, shown as that month), else
  // the latest with any monitoring. One deliverable update never moves the page on its own.
  const fallback = await defaultMonitoredPeriod(db);
  if (
    fallback &&
    !choices.some((choice) => monitoringPeriodKey(choice) === monitoringPeriodKey(fallback.period))
  ) {
    choices.push(fallback.period);
    choices.sort((a, b) => compareMonitoringPeriods(b, a));
  }
  const shown = known ? asked : (fallback?.period ?? choices[0] ?? null);
  const kind = shown?.kind === "month" ? "month" : "quarter";
  const quarterReason = known
    ? `the ${kind} you chose`
    : fallback?.reason === "published"
      ? `the latest published ${kind}`
      : fallback?.reason === "budget-monitoring"
        ? kind === "month"
          ? "the latest month with a budget forecast"
          : "the latest quarter with budget monitoring"
        : "the latest quarter with monitoring recorded";
  const unknownQuarter = requested !== undefined && requested !== "" && !known;
  const quarter: ReportingQuarter | null = shown
    ? { financialYear: financialYearLabel(shown.startYear), quarter: quarterOf(shown).number }
    : null;
  const month = shown?.kind === "month" ? shown.number : null;

  const yearCode = quarter ? financeYearCode(quarter) : "";
  const hasReport = financeQuarters.some((row) => row.code === yearCode && row.quarter === quarter?.quarter);
  const yearKnown = financeQuarters.some((row) => row.code === yearCode);
  const [deliverables, measures, budget, savings, steps] = await Promise.all([
    quarter ? deliverablesSection(db, quarter) : null,
    measuresSection(db),
    quarter ? budgetSection(db, quarter, month, hasReport) : null,
    quarter ? savingsSection(db, quarter, month, yearKnown) : null,
    nextSteps(db),
  ]);

  const groups: [AttentionGroup["key"], string, string, string, AttentionItem[]][] = [
    ["measures", "Measures rated Action or Review", "measure", "measures", measures.attention],
    [
      "deliverables",
      "Deliverables rated Action or Review",
      "deliverable",
      "deliverables",
      deliverables?.attention ?? [],
    ],
    ["budget-lines", "Budget lines rated Red", "budget line", "budget lines", budget?.attention ?? []],
    [
      "savings",
      "Savings initiatives not on track",
      "savings initiative",
      "savings initiatives",
      savings?.attention ?? [],
    ],
  ];
  const attention: AttentionGroup[] = groups
    .map(([key, heading, one, many, items]) => ({
      key,
      heading,
      summary: plural(items.length, one, many),
      items,
    }))
    .filter((group) => group.items.length > 0);

  return {
    councilName: council?.name ?? null,
    departmentName: department?.name ?? null,
    /** What to set up next, in order, while the department has not started everything. */
    nextSteps: steps,
    /** The period shown: a quarter, or in a year monitored monthly a month (`month` its number). */
    quarter:
      quarter && shown
        ? {
            ...quarter,
            month,
            value: monitoringPeriodKey(shown),
            label: monitoringPeriodLabel(shown),
          }
        : null,
    unknownQuarter,
    quarterReason,
    /** Whether months are among the choices (a year monitored monthly): the picker says "period". */
    offersMonths: choices.some((choice) => choice.kind === "month"),
    quarterItems: choices.map(
      (candidate): QuarterChoice => ({
        value: monitoringPeriodKey(candidate),
        text: monitoringPeriodLabel(candidate),
        selected: shown !== null && monitoringPeriodKey(candidate) === monitoringPeriodKey(shown),
      }),
    ),
    attention,
    attentionCount: attention.reduce((sum, group) => sum + group.items.length, 0),
    deliverables,
    measures,
    budget,
    savings,
  };
}
