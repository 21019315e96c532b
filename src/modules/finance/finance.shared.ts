import type { Database } from "../../db/client.ts";
import {
  type BudgetLevel,
  type BudgetPosition,
  type BudgetRagResult,
  budgetRag,
  type RagThresholds,
  type Reconciliation,
} from "../../domain/budget.ts";
import { formatMillions, formatPounds, formatTableMillions, type Pence } from "../../domain/money.ts";
import { formatVariancePercentage, type MoneyConventions } from "../../domain/money-conventions.ts";
import { NotFound } from "../../errors.ts";
import * as repository from "./finance.repository.ts";

// What the finance service's parts share: a figure as the report prints it, a position with its
// rating, and the checks on a year code and a quarter.

/** £m to 3 decimals, as the quarterly report's tables print it; the step that display rounds to. */
export const THOUSAND_POUNDS = 100_000;

export const RAG_WORDS = { red: "Red", amber: "Amber", green: "Green" } as const;

/** A figure with its exact pence and the way the report prints it. */
export interface Figure {
  pence: Pence;
  table: string;
  exact: string;
}

export function figure(pence: Pence): Figure {
  return { pence, table: formatTableMillions(pence), exact: formatPounds(pence, { pence: true }) };
}

export function optionalFigure(pence: Pence | null | undefined): Figure | null {
  return pence == null ? null : figure(pence);
}

export interface PositionView {
  controllableBudget: Figure;
  forecastOutturn: Figure;
  variance: Figure;
  percentage: string;
  rating: { rag: BudgetRagResult["rag"]; word: string; explanation: string };
}

export type Thresholds = Readonly<Record<BudgetLevel, RagThresholds>>;

/** A position as the pages print it; the variance percentage by the council's money conventions. */
export function positionView(
  position: BudgetPosition,
  level: BudgetLevel,
  thresholds: Thresholds,
  conventions: MoneyConventions,
): PositionView {
  const rating = budgetRag(position.controllableBudget, position.forecastOutturn, thresholds[level]);
  return {
    controllableBudget: figure(position.controllableBudget),
    forecastOutturn: figure(position.forecastOutturn),
    variance: figure(position.variance),
    percentage: formatVariancePercentage(position.controllableBudget, position.forecastOutturn, conventions),
    rating: {
      rag: rating.rag,
      word: RAG_WORDS[rating.rag],
      explanation: rating.explanation,
    },
  };
}

/** A disagreement between stored parts and a stated total, in words, for the page to show. */
export interface Disagreement {
  label: string;
  message: string;
}

export function disagreementOf(
  check: Reconciliation,
  describe: (pence: Pence) => string = formatMillions,
): Disagreement | null {
  if (check.agrees) return null;
  return {
    label: check.label,
    message: `${check.label}: the figures stored add to ${describe(check.computed)}, but the document states ${describe(check.stated)} (a difference of ${describe(check.difference)}).`,
  };
}

export function compact<T>(values: (T | null)[]): T[] {
  return values.filter((value): value is T => value !== null);
}

export async function requireYear(db: Database, code: string) {
  const year = await repository.findFinancialYear(db, code);
  if (!year) throw new NotFound(`Financial year ${code}`);
  return year;
}

export function requireQuarter(quarter: number): number {
  if (!Number.isInteger(quarter) || quarter < 1 || quarter > 4) throw new NotFound(`Quarter ${quarter}`);
  return quarter;
}

/**
 * Where a forecast sits in its year: a quarter's own figures (month null), or one month's, 1 to 12
 * of the financial year, with the quarter it falls in. A department monitored monthly enters a
 * forecast each month; one monitored quarterly, each quarter.
 */
/**
 * The check that the period a write is for is open for entry, which the writing service runs
 * first inside its own transaction, so a period closed, signed off or published meanwhile is
 * refused rather than written to (decision 0039). Routes build it with `openForEntryCheck`
 * (finance.pages.ts); a service called without one (a test's builder, an import) only writes.
 */
export type OpenForEntryCheck = (tx: Database) => Promise<void>;

export interface ForecastPeriod {
  quarter: number;
  month: number | null;
}

/** A quarter's own forecast period, or a month's (its quarter worked out); NotFound when out of range. */
export function forecastPeriod(quarter: number, month: number | null = null): ForecastPeriod {
  if (month === null) return { quarter: requireQuarter(quarter), month: null };
  if (!Number.isInteger(month) || month < 1 || month > 12 || Math.ceil(month / 3) !== quarter) {
    throw new NotFound(`Month ${month}`);
  }
  return { quarter, month };
}

/** A month's forecast period, with its quarter. */
export function monthForecastPeriod(month: number): ForecastPeriod {
  return forecastPeriod(Math.ceil(month / 3), month);
}

/** "quarter 3" or "month 7", for sentences. */
export function forecastPeriodWords(at: ForecastPeriod): string {
  return at.month === null ? `quarter ${at.quarter}` : `month ${at.month}`;
}

/** "3" or "m7": the period in a forecast form's address (a quarter's addresses are as they were). */
export function forecastPeriodSlug(at: ForecastPeriod): string {
  return at.month === null ? String(at.quarter) : `m${at.month}`;
}

/** "q3" or "m7": the period in a budget page's address, /budget/2021-22/m7. */
export function forecastPeriodPath(at: ForecastPeriod): string {
  return at.month === null ? `q${at.quarter}` : `m${at.month}`;
}

/** Whether a row is at a period: its quarter, and its month (null for a quarter's own row). */
export function isAt(row: { quarter: number; month: number | null }, at: ForecastPeriod): boolean {
  return row.quarter === at.quarter && row.month === at.month;
}

/**
 * The period a balance's trend is measured against: the quarter before a quarter's own figures,
 * the month before a month's, or the month given (the previous quarter end, when a quarter's
 * figures are read from its last month); null at the start of the year.
 */
export function periodBefore(at: ForecastPeriod, previousMonth?: number | null): ForecastPeriod | null {
  if (at.month === null) return at.quarter > 1 ? forecastPeriod(at.quarter - 1) : null;
  const month = previousMonth === undefined ? at.month - 1 : previousMonth;
  return month !== null && month >= 1 ? monthForecastPeriod(month) : null;
}

/** What a balance page shows: the period's words and address parts, "quarter 3" and "q3" or "month 7" and "m7". */
export function periodView(at: ForecastPeriod) {
  return {
    at,
    words: forecastPeriodWords(at),
    path: forecastPeriodPath(at),
    slug: forecastPeriodSlug(at),
    periodEnd: at.month === null ? "quarter end" : "month end",
  };
}
