import type { FastifyReply } from "fastify";
import { chartSvg } from "../../charts/charts.ts";
import { formatPounds, formatTableMillions, type Pence } from "../../domain/money.ts";
import { financialYearLabel, monitoringPeriod, parseFinancialYearCode } from "../../domain/periods.ts";
import { BadRequest, NotFound } from "../../errors.ts";
import type { ChartBlock, TableBlock } from "../../reports/model.ts";
import type { RoutesOptions } from "../../web/modules.ts";
import { financialYearCode, parseQuarter } from "./finance.schemas.ts";
import type { QuarterTotal } from "./finance.service.ts";
import * as finance from "./finance.service.ts";
import {
  type ForecastPeriod,
  forecastPeriod,
  forecastPeriodPath,
  forecastPeriodWords,
  monthForecastPeriod,
  type OpenForEntryCheck,
} from "./finance.shared.ts";

export type Params = Record<string, string | undefined>;

// What the budget pages share: the year and quarter in a path, the links between the pages, the
// forecast outturn page.

export function yearParam(text: string | undefined): string {
  const parsed = financialYearCode.safeParse(text);
  if (!parsed.success) throw new NotFound(`Financial year ${text ?? ""}`);
  return parsed.data;
}

export function quarterParam(text: string | undefined): number {
  const quarter = parseQuarter(text);
  if (quarter === null) throw new NotFound(`Quarter ${text ?? ""}`);
  return quarter;
}

/** The period in a forecast form's address: a quarter ("3") or a month of the year ("m7"); else a 404. */
export function forecastPeriodParam(text: string | undefined): ForecastPeriod {
  const month = /^m(\d{1,2})$/i.exec(text ?? "");
  if (!month) return forecastPeriod(quarterParam(text));
  const number = Number(month[1]);
  if (number < 1 || number > 12) throw new NotFound(`Month ${text ?? ""}`);
  return monthForecastPeriod(number);
}

/** The period in a budget page's address, "q3" or "m7"; else a 404. */
export function budgetPeriodParam(text: string | undefined): ForecastPeriod {
  return /^m/i.test(text ?? "") ? forecastPeriodParam(text) : forecastPeriod(quarterParam(text));
}

/** A quarter with a monitoring report: where the quarter pages of the budget link to. */
export interface ReportQuarter {
  code: string;
  label: string;
  quarter: number;
}

/**
 * Links between the budget pages for one year. The quarter pages link to `at`, the quarter the
 * person is looking at or the latest with a report; for a year with no report they link to the
 * latest reported quarter of another year, saying which, or are left out if there is none.
 */
export function budgetPages(yearCode: string, at: ReportQuarter | undefined, current: string) {
  const base = `/budget/${yearCode}`;
  const elsewhere = at && at.code !== yearCode ? ` (${at.label} quarter ${at.quarter})` : "";
  const quarterPage = (key: string, text: string, suffix: string) =>
    at ? [{ key, text: `${text}${elsewhere}`, href: `/budget/${at.code}/q${at.quarter}${suffix}` }] : [];
  return [
    ...quarterPage("outturn", "Forecast outturn", ""),
    ...quarterPage("savings", "Savings", "/savings"),
    { key: "growth", text: "Growth and pressures", href: `${base}/growth` },
    ...quarterPage("reserves", "Earmarked reserves", "/reserves"),
    ...quarterPage("debt", "Debt", "/debt"),
    ...quarterPage("risks", "Financial risks", "/risks"),
    { key: "approved", text: "Approved budget", href: `${base}/approved` },
    { key: "structure", text: "Set up the budget", href: `${base}/structure` },
  ].map((page) => ({ ...page, current: page.key === current }));
}

/** The quarter a year-wide page links to: the year's latest report, else the latest of any year. */
export async function latestQuarterFor(services: RoutesOptions["services"], yearCode: string) {
  const quarters = await finance.listReportQuarters(services.db);
  return quarters.filter((entry) => entry.code === yearCode).at(-1) ?? quarters.at(-1);
}

/** The quarter being looked at, with its year's label for the links. */
export async function quarterAt(
  services: RoutesOptions["services"],
  yearCode: string,
  quarter: number,
): Promise<ReportQuarter> {
  const years = await finance.listFinancialYears(services.db);
  const label = years.find((year) => year.code === yearCode)?.label ?? yearCode;
  return { code: yearCode, label, quarter };
}

/**
 * The variance chart: one bar per budget line for its forecast under (-) or over spend in £m, to
 * the right of zero for an overspend and to the left for an underspend, each labelled in words
 * with its figure, so the chart reads without colour. The table beside it gives the budget and
 * forecast behind each variance.
 */
function varianceChart(
  lines: readonly { name: string; controllableBudget: Pence; forecastOutturn: Pence; variance: Pence }[],
  title: string,
): ChartBlock {
  const pounds = (pence: Pence) => pence / 100;
  const words = (variance: Pence) =>
    variance > 0
      ? `Overspend ${formatTableMillions(variance)}`
      : variance < 0
        ? `Underspend ${formatTableMillions(-variance)}`
        : "On budget";
  return {
    kind: "chart",
    id: "budget-chart",
    title,
    description:
      "For each budget line, a bar for its forecast variance against the controllable budget in £m: to the right of zero an overspend, to the left an underspend, each labelled in words with its figure. The table gives the budget and forecast behind each.",
    unit: "Forecast variance £m",
    bars: lines.map((line) => ({
      category: line.name,
      series: "Variance",
      value: line.variance / 100_000_000,
      label: words(line.variance),
    })),
    table: {
      kind: "table",
      id: "budget-chart-table",
      caption: title,
      columns: [
        { heading: "Budget line", format: "text" },
        { heading: "Controllable budget £m", format: "millions" },
        { heading: "Full year forecast £m", format: "millions" },
        { heading: "Forecast under (-) / over spend £m", format: "millions" },
      ],
      rows: lines.map((line) => ({
        cells: [
          { text: line.name },
          { text: formatTableMillions(line.controllableBudget), value: pounds(line.controllableBudget) },
          { text: formatTableMillions(line.forecastOutturn), value: pounds(line.forecastOutturn) },
          { text: formatTableMillions(line.variance), value: pounds(line.variance) },
        ],
      })),
    },
  };
}

/**
 * A balance's trend: total earmarked reserves or total debt at each quarter end reported, in £m,
 * each point labelled with its figure; the table under it gives the same figures.
 */
function balanceTrendChart(kind: "reserves" | "debt", totals: readonly QuarterTotal[]): ChartBlock {
  const what = kind === "reserves" ? "Total earmarked reserves" : "Total debt outstanding";
  const periods = totals.map((total) => `Q${total.quarter} ${total.yearLabel}`);
  const title = `${what} at each quarter end, ${periods[0]} to ${periods.at(-1)}, £m`;
  return {
    kind: "chart",
    chart: "line",
    id: `${kind}-trend`,
    title,
    description: `A line of ${what.toLowerCase()} in £m at the end of each quarter reported, oldest first, each point labelled with its figure. The table gives the same figures.`,
    periods,
    series: [
      {
        name: `${what} £m`,
        points: totals.map((total, index) => ({
          period: periods[index] ?? "",
          value: total.pence / 100_000_000,
          label: formatTableMillions(total.pence),
        })),
      },
    ],
    table: {
      kind: "table",
      id: `${kind}-trend-table`,
      caption: title,
      columns: [
        { heading: "Quarter", format: "text" },
        { heading: `${what} £m`, format: "millions" },
      ],
      rows: totals.map((total, index) => ({
        cells: [
          { text: periods[index] ?? "" },
          { text: formatTableMillions(total.pence), value: total.pence / 100 },
        ],
      })),
    },
  };
}

/** The trend chart as the page draws it with its figures, or none while fewer than two quarters are reported. */
export function balanceTrend(
  kind: "reserves" | "debt",
  totals: readonly QuarterTotal[],
): { svg: string; table: TableBlock } | null {
  if (totals.length < 2) return null;
  const chart = balanceTrendChart(kind, totals);
  return { svg: chartSvg(chart), table: chart.table };
}

/**
 * The forecast outturn page for a quarter or a month. A quarter of a year monitored monthly shows
 * its quarter-end month's figures (month 3, 6, 9 or 12), and says so.
 */
export async function renderOutturn(
  services: RoutesOptions["services"],
  reply: FastifyReply,
  yearCode: string,
  period: number | ForecastPeriod,
  shownBecause: string | null = null,
) {
  const asked = typeof period === "number" ? forecastPeriod(period) : period;
  const year = { code: yearCode };
  const monthly = await monitoredMonthly(services, year);
  const figuresAt =
    monthly && asked.month === null ? forecastPeriod(asked.quarter, asked.quarter * 3) : asked;
  const quarter = asked.quarter;
  const report = await finance.forecastOutturnReport(
    services.db,
    yearCode,
    figuresAt.quarter,
    figuresAt.month,
  );
  const quarters = await finance.listReportQuarters(services.db);
  const words = forecastPeriodWords(asked);
  const chart =
    report.report === null || report.lines.length === 0
      ? null
      : chartSvg(
          varianceChart(
            report.lines.map((line) => ({
              name: line.name,
              controllableBudget: line.controllableBudget.pence,
              forecastOutturn: line.forecastOutturn.pence,
              variance: line.variance.pence,
            })),
            `Forecast under (-) / over spend by budget line, ${report.year.label} ${words}, £m`,
          ),
        );
  return reply.view("finance/views/outturn.njk", {
    pageTitle: `Forecast outturn ${report.year.label} ${words}`,
    model: report,
    periodWords: words,
    figuresFrom: figuresAt.month !== null && asked.month === null ? forecastPeriodWords(figuresAt) : null,
    monthly,
    months: monthly
      ? (await monthsOf(services, yearCode)).filter((entry) => entry.month !== asked.month)
      : [],
    chart,
    // A year monitored monthly offers its months instead; other years' quarters stay reachable.
    quarters: monthly ? quarters.filter((entry) => entry.code !== yearCode) : quarters,
    // Uploads write a quarter's own figures, or in a year monitored monthly a month's (decision 0024).
    uploads: await entryPeriodsOf(services, report.year),
    shownBecause,
    pages: budgetPages(yearCode, await quarterAt(services, yearCode, quarter), "outturn"),
  });
}

export function forecastFormValues(controllableBudget: number, forecastOutturn: number) {
  return {
    controllableBudget: formatPounds(controllableBudget, { pence: true }),
    forecastOutturn: formatPounds(forecastOutturn, { pence: true }),
  };
}

/**
 * Refuses entry for a quarter of a year that is not open for entry: the page that says how to
 * open it, and nothing saved. Every form that records figures for a quarter asks this first.
 */
export async function requireOpenForEntry(
  services: RoutesOptions["services"],
  year: { code: string },
  quarter: number,
): Promise<void> {
  const startYear = parseFinancialYearCode(year.code);
  if (startYear === null) throw new NotFound(`Financial year ${year.code}`);
  await services.requireOpenQuarter(services.db, startYear, quarter);
}

/** The quarters of a year open for entry: the pages link only to forms that can be saved. */
export async function openQuartersOf(
  services: RoutesOptions["services"],
  year: { code: string },
): Promise<number[]> {
  const startYear = parseFinancialYearCode(year.code);
  return startYear === null ? [] : services.openQuarters(services.db, startYear);
}

/**
 * Refuses a forecast for a period not open for entry: a quarter as every quarter's form does
 * (`requireOpenForEntry`), a month only while that month is open.
 */
export async function requireForecastPeriodOpen(
  services: RoutesOptions["services"],
  year: { code: string },
  at: ForecastPeriod,
): Promise<void> {
  if (at.month === null) {
    // A year monitored monthly has no forecasts of a quarter's own: its quarter ends are months.
    const startYear = parseFinancialYearCode(year.code);
    if (startYear !== null && (await monitoredMonthly(services, year))) {
      throw new BadRequest(
        `${financialYearLabel(startYear)} is monitored month by month, so its forecasts are entered for a month, not for quarter ${at.quarter}. Nothing was saved. Enter the forecast for a month from the budget line's page.`,
      );
    }
    return requireOpenForEntry(services, year, at.quarter);
  }
  const startYear = parseFinancialYearCode(year.code);
  if (startYear === null) throw new NotFound(`Financial year ${year.code}`);
  await services.requireOpenPeriod(services.db, monitoringPeriod(startYear, "month", at.month));
}

/**
 * The open-period check a writing service runs first inside its own transaction (decision 0039):
 * a forecast's rule (`requireForecastPeriodOpen`) when `what` is not given, else the balances'
 * rule for `what` (`requireBalancePeriodOpen`), read through the transaction.
 */
export function openForEntryCheck(
  services: RoutesOptions["services"],
  year: { code: string },
  at: ForecastPeriod,
  what?: string,
): OpenForEntryCheck {
  return async (tx) => {
    const within = { ...services, db: tx };
    if (what === undefined) await requireForecastPeriodOpen(within, year, at);
    else await requireBalancePeriodOpen(within, year, at, what);
  };
}

/**
 * Refuses a balance (savings achieved, reserves, debt) for a period not open for entry. A year
 * monitored monthly enters them month by month, so its quarter's own form is refused, naming the
 * month that holds the quarter's figures (decision 0021); a month takes entries only while open.
 */
export async function requireBalancePeriodOpen(
  services: RoutesOptions["services"],
  year: { code: string },
  at: ForecastPeriod,
  what: string,
): Promise<void> {
  const startYear = parseFinancialYearCode(year.code);
  if (startYear === null) throw new NotFound(`Financial year ${year.code}`);
  if (at.month === null) {
    if (await monitoredMonthly(services, year)) {
      throw new BadRequest(
        `${financialYearLabel(startYear)} is monitored month by month, so its ${what} are entered for each month, not for quarter ${at.quarter}. Nothing was saved. Enter them for month ${at.quarter * 3}, the quarter's last month, whose figures are the quarter's.`,
      );
    }
    return requireOpenForEntry(services, year, at.quarter);
  }
  await services.requireOpenPeriod(services.db, monitoringPeriod(startYear, "month", at.month));
}

/**
 * For a quarter of a year monitored monthly, its last month (3, 6, 9 or 12), which holds the
 * quarter's balances and forecasts; null for a month, or a quarter of a year monitored quarterly.
 */
export async function quarterEndMonthOf(
  services: RoutesOptions["services"],
  year: { code: string },
  at: ForecastPeriod,
): Promise<ForecastPeriod | null> {
  if (at.month !== null || !(await monitoredMonthly(services, year))) return null;
  return forecastPeriod(at.quarter, at.quarter * 3);
}

/** Whether a period's figures can be entered now: a quarter open for entry, or a month open. */
export async function periodOpenForEntry(
  services: RoutesOptions["services"],
  year: { code: string },
  at: ForecastPeriod,
): Promise<boolean> {
  return at.month === null
    ? (await openQuartersOf(services, year)).includes(at.quarter)
    : (await openMonthsOf(services, year)).includes(at.month);
}

/**
 * The periods of a year open for entry, as a page links their forms ("q3" and "quarter 3", or
 * "m7" and "month 7"): its open months in a year monitored monthly, else its open quarters.
 */
export async function entryPeriodsOf(
  services: RoutesOptions["services"],
  year: { code: string },
): Promise<{ path: string; words: string }[]> {
  const periods = (await monitoredMonthly(services, year))
    ? (await openMonthsOf(services, year)).map((month) => monthForecastPeriod(month))
    : (await openQuartersOf(services, year)).map((quarter) => forecastPeriod(quarter));
  return periods.map((at) => ({ path: forecastPeriodPath(at), words: forecastPeriodWords(at) }));
}

/** The months of a year open for entry (1 to 12), for a monthly department's forecast links. */
export async function openMonthsOf(
  services: RoutesOptions["services"],
  year: { code: string },
): Promise<number[]> {
  const startYear = parseFinancialYearCode(year.code);
  if (startYear === null) return [];
  return (await services.listPeriods(services.db))
    .filter(
      (state) =>
        state.status === "open" && state.period.kind === "month" && state.period.startYear === startYear,
    )
    .map((state) => state.period.number);
}

/** Whether a year is monitored monthly: it was opened with months (its periods say so). */
export async function monitoredMonthly(
  services: RoutesOptions["services"],
  year: { code: string },
): Promise<boolean> {
  const startYear = parseFinancialYearCode(year.code);
  if (startYear === null) return false;
  return (await services.listPeriods(services.db)).some(
    (state) => state.period.startYear === startYear && state.frequency === "monthly",
  );
}

/**
 * The months of a year monitored monthly that a page links to: each opened (whatever its state)
 * or with a forecast, named "Month 7 (October 2031)", with its state when opened.
 */
async function monthsOf(services: RoutesOptions["services"], yearCode: string) {
  const startYear = parseFinancialYearCode(yearCode);
  if (startYear === null) return [];
  const names = await finance.monthNamesOf(services.db, yearCode);
  const states = new Map(
    (await services.listPeriods(services.db))
      .filter((state) => state.period.kind === "month" && state.period.startYear === startYear)
      .map((state) => [state.period.number, state.statusWords]),
  );
  const withForecasts = (await finance.listForecastMonths(services.db))
    .filter((entry) => entry.code === yearCode)
    .map((entry) => entry.month);
  return [...names]
    .filter(([month]) => states.has(month) || withForecasts.includes(month))
    .map(([month, name]) => ({ month, name, status: states.get(month) ?? null }));
}
