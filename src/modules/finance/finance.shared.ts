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
