/**
 * How councils print money in their tables, as settings, and reading and printing by them.
 *
 * - Unit: a column or field is in pounds, thousands (£000) or millions (£m), stated by its
 *   heading ("Budget £000", "Forecast (£m)") or chosen by the officer. A figure is scaled by its
 *   unit exactly; one that would need a fraction of a penny after scaling is refused, naming the
 *   field and the value. Nothing is rounded or cut off without saying so.
 * - Not reported: a cell that is blank or a dash ("-", "–", "—") is "not reported", which is
 *   not zero.
 * - Negatives: brackets and a leading minus. In a variance column, councils differ in what the
 *   brackets mean: some print an underspend in brackets, others an overspend. Baseplan keeps a
 *   variance as forecast minus budget (an overspend positive), so a council that brackets its
 *   overspends has its variance figures read and printed the other way round.
 * - Variance percentage: on a negative budget (an income line) some councils divide by the
 *   budget's size (an income shortfall is a positive percentage: Baseplan's own), others by the
 *   budget as signed (the same shortfall prints negative). Decimal places and what a zero budget
 *   prints ("-" or "n/a") are settings too.
 */
import type { Fraction } from "./budget.ts";
import { formatPercentage, variance } from "./budget.ts";
import {
  formatMoney,
  type MoneyScale,
  type MoneyStyle,
  type ParsedMoney,
  type Pence,
  parseMoney,
} from "./money.ts";

/** The unit a column or field of money is in. */
export type MoneyUnit = MoneyScale;

/** How the unit is written in a heading and on a form. */
export const MONEY_UNIT_LABELS: Readonly<Record<MoneyUnit, string>> = {
  pounds: "£",
  thousands: "£000",
  millions: "£m",
};

/** What brackets around a variance mean in the council's tables. */
export type BracketsMean = "underspend" | "overspend";

/** How a variance percentage is worked out on a negative budget. */
export type NegativeBaseSign = "against-size" | "as-signed";

export interface MoneyConventions {
  /** What a bracketed variance is; a minus sign means the same. */
  readonly bracketsMean: BracketsMean;
  readonly negativeBase: NegativeBaseSign;
  /** Decimal places of a variance percentage. */
  readonly percentageDecimals: number;
  /**
   * What a variance percentage on a zero budget prints as: "-", "n/a", or "100%" (any spend on no
   * budget is wholly over: 100% with the variance's sign, 0% where nothing is spent either).
   */
  readonly zeroBase: ZeroBase;
}

/** The ways a variance percentage on a zero budget can print. */
export type ZeroBase = "-" | "n/a" | "100%";

const ZERO_BASES: readonly string[] = ["-", "n/a", "100%"];

/** Baseplan's own conventions, where a council has set none. */
export const DEFAULT_MONEY_CONVENTIONS: MoneyConventions = {
  bracketsMean: "underspend",
  negativeBase: "against-size",
  percentageDecimals: 1,
  zeroBase: "100%",
};

const UNIT_IN_HEADING: readonly [RegExp, MoneyUnit][] = [
  [/£\s*(?:'?000s?|k)(?![0-9a-z])|£\s*thousands?\b|\bthousands? of pounds\b/i, "thousands"],
  [/£\s*(?:m|mn|millions?)(?![a-z])|\bmillions? of pounds\b/i, "millions"],
  [/£/, "pounds"],
];

/**
 * The unit a heading states: "Budget £000", "(£'000)", "£k" are thousands; "£m", "Forecast
 * (£ million)" millions; "Budget (£)" or "£" alone pounds. Null where the heading says nothing
 * about money, so the officer is asked.
 */
export function moneyUnitFromHeading(heading: string): MoneyUnit | null {
  for (const [pattern, unit] of UNIT_IN_HEADING) if (pattern.test(heading)) return unit;
  return null;
}

export type AmountCell =
  | { readonly kind: "amount"; readonly pence: Pence; readonly parsed: ParsedMoney }
  | { readonly kind: "not-reported"; readonly text: string }
  | { readonly kind: "refused"; readonly text: string; readonly reason: string };

const NOT_REPORTED = /^[-–—]?$/u;

/** A unit's words for a message: "in £000". */
function inUnit(unit: MoneyUnit): string {
  return unit === "pounds" ? "in pounds" : `in ${MONEY_UNIT_LABELS[unit]}`;
}

/**
 * Reads one amount written in a column or field of the given unit. "12,345" in £000 is
 * £12,345,000 exactly; "(0.012)" in £m is -£12,000; "£(1,234)" is -£1,234; "-" and blank are
 * not reported. `field` names the column or field in any refusal: "Forecast (£m): "1.2345678"
 * ...".
 */
export function readAmountCell(text: string, options: { unit: MoneyUnit; field: string }): AmountCell {
  const tidy = text.replace(/[\u00a0\u2007\u202f]/g, " ").trim();
  if (NOT_REPORTED.test(tidy)) return { kind: "not-reported", text };
  const parsed = parseMoney(tidy, { unit: options.unit, allowNote: false });
  if (!parsed.ok) {
    return {
      kind: "refused",
      text,
      reason: `${options.field} (${inUnit(options.unit)}): ${parsed.reason}`,
    };
  }
  return { kind: "amount", pence: parsed.pence, parsed };
}

/**
 * A variance as Baseplan keeps it (forecast minus budget: an overspend positive) from a figure
 * as the council printed it. Where the council brackets its overspends, "(1.2)" is an overspend.
 */
export function varianceFromPrinted(
  printed: Pence,
  conventions: Pick<MoneyConventions, "bracketsMean">,
): Pence {
  if (conventions.bracketsMean === "underspend") return printed;
  return printed === 0 ? 0 : -printed;
}

/** A variance printed as the council prints it, in the given style (brackets or minus for negatives). */
export function formatVariance(
  variancePence: Pence,
  style: MoneyStyle,
  conventions: Pick<MoneyConventions, "bracketsMean">,
): string {
  return formatMoney(varianceFromPrinted(variancePence, conventions), style);
}

/**
 * The variance as a share of the budget by the council's convention, or null on a zero budget.
 * "against-size": variance / |budget| (an income shortfall is positive); "as-signed": variance /
 * budget (on a negative budget the sign turns over).
 */
export function varianceShare(
  budget: Pence,
  forecast: Pence,
  conventions: Pick<MoneyConventions, "negativeBase">,
): Fraction | null {
  if (budget === 0) return null;
  const difference = variance(budget, forecast);
  if (conventions.negativeBase === "against-size")
    return { numerator: difference, denominator: Math.abs(budget) };
  return budget > 0
    ? { numerator: difference, denominator: budget }
    : { numerator: difference === 0 ? 0 : -difference, denominator: -budget };
}

/** The variance percentage as the council prints it: "12.5%", "-3.33%", or its zero-budget mark. */
export function formatVariancePercentage(
  budget: Pence,
  forecast: Pence,
  conventions: MoneyConventions,
): string {
  const share = varianceShare(budget, forecast, conventions);
  if (share === null) {
    if (conventions.zeroBase !== "100%") return conventions.zeroBase;
    const sign = Math.sign(variance(budget, forecast));
    return formatPercentage({ numerator: sign, denominator: 1 }, conventions.percentageDecimals);
  }
  return formatPercentage(share, conventions.percentageDecimals);
}

/** Checks conventions read from a form or the database; a list of what is wrong, empty when all is well. */
export function conventionProblems(conventions: MoneyConventions): string[] {
  const problems: string[] = [];
  if (conventions.bracketsMean !== "underspend" && conventions.bracketsMean !== "overspend")
    problems.push("Choose whether brackets mean an underspend or an overspend");
  if (conventions.negativeBase !== "against-size" && conventions.negativeBase !== "as-signed")
    problems.push("Choose how a variance percentage on a negative budget is signed");
  if (
    !Number.isInteger(conventions.percentageDecimals) ||
    conventions.percentageDecimals < 0 ||
    conventions.percentageDecimals > 4
  )
    problems.push("Enter the decimal places of a variance percentage as a whole number from 0 to 4");
  if (!ZERO_BASES.includes(conventions.zeroBase))
    problems.push('Choose whether a zero budget\'s percentage prints as "-", "n/a" or "100%"');
  return problems;
}
