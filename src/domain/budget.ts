/**
 * Budget arithmetic for monitoring: variances, the approved controllable budget, savings, shares,
 * rounded columns, balance trends and a budget line's RAG.
 *
 * All amounts are integer pence (see money.ts). Results are exact; rounding happens only for
 * display, half away from zero, through the functions that say so.
 */

import type { Pence } from "./money.ts";
import { assertPence, divideRoundHalfAwayFromZero, formatPounds, sumPence } from "./money.ts";

// ---------------------------------------------------------------------------------------------
// Exact fractions and percentages
// ---------------------------------------------------------------------------------------------

/** An exact fraction; `denominator` is always positive. 0.115 is { numerator: 115, denominator: 1000 }. */
export type Fraction = {
  readonly numerator: number;
  readonly denominator: number;
};

/** The fraction as a floating-point number, for charts only; never for money or comparisons. */
export function fractionToNumber(fraction: Fraction): number {
  return fraction.numerator / fraction.denominator;
}

/** The fraction in basis points (1% = 100), rounded half away from zero. */
export function fractionToBasisPoints(fraction: Fraction): number {
  return Number(
    divideRoundHalfAwayFromZero(BigInt(fraction.numerator) * 10000n, BigInt(fraction.denominator)),
  );
}

/**
 * Show a fraction as a percentage, rounded half away from zero: "11.5%", "-1.7%", "100.0%".
 * A value that rounds to zero shows as "0.0%", without a sign, as the council's tables do.
 */
export function formatPercentage(fraction: Fraction, decimals = 1): string {
  if (!Number.isInteger(decimals) || decimals < 0) throw new RangeError("Decimals must be a whole number.");
  const units = divideRoundHalfAwayFromZero(
    BigInt(fraction.numerator) * 100n * 10n ** BigInt(decimals),
    BigInt(fraction.denominator),
  );
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(decimals + 1, "0");
  const whole = digits.slice(0, digits.length - decimals);
  const part = digits.slice(digits.length - decimals);
  return `${negative ? "-" : ""}${whole}${decimals > 0 ? `.${part}` : ""}%`;
}

// ---------------------------------------------------------------------------------------------
// Variance
// ---------------------------------------------------------------------------------------------

/** Forecast minus budget: an overspend is positive, an underspend negative. */
export function variance(controllableBudget: Pence, forecastOutturn: Pence): Pence {
  return sumPence([assertPence(forecastOutturn, "forecast"), -assertPence(controllableBudget, "budget")]);
}

/**
 * The variance as a share of the budget's size: variance / |budget|. A negative budget (an income
 * line) is measured against its magnitude, so a bigger shortfall of income is still positive.
 * Where the budget is zero: 100% if there is any forecast (+100% overspend, -100% underspend),
 * 0% if the forecast is zero too.
 */
export function variancePercentage(controllableBudget: Pence, forecastOutturn: Pence): Fraction {
  const difference = variance(controllableBudget, forecastOutturn);
  if (controllableBudget === 0) {
    return { numerator: Math.sign(difference), denominator: 1 };
  }
  return { numerator: difference, denominator: Math.abs(controllableBudget) };
}

/** A line of the forecast outturn table. */
export type BudgetLine = {
  readonly name: string;
  readonly controllableBudget: Pence;
  readonly forecastOutturn: Pence;
};

/** Budget, forecast and the variance between them, exact. */
export type BudgetPosition = {
  readonly controllableBudget: Pence;
  readonly forecastOutturn: Pence;
  readonly variance: Pence;
  readonly variancePercentage: Fraction;
};

/** The position of one line or of a set of totals. */
export function budgetPosition(controllableBudget: Pence, forecastOutturn: Pence): BudgetPosition {
  return {
    controllableBudget,
    forecastOutturn,
    variance: variance(controllableBudget, forecastOutturn),
    variancePercentage: variancePercentage(controllableBudget, forecastOutturn),
  };
}

/** The total position over lines: budgets and forecasts are summed exactly, then compared. */
export function totalPosition(lines: readonly BudgetLine[]): BudgetPosition {
  return budgetPosition(
    sumPence(lines.map((line) => line.controllableBudget)),
    sumPence(lines.map((line) => line.forecastOutturn)),
  );
}

/**
 * The position after additional one-off funding (such as Covid-19 funding) is added to the budget
 * below the total: the forecast is unchanged and the variance falls by the funding.
 */
export function positionAfterFunding(position: BudgetPosition, additionalFunding: Pence): BudgetPosition {
  return budgetPosition(
    sumPence([position.controllableBudget, assertPence(additionalFunding, "funding")]),
    position.forecastOutturn,
  );
}

// ---------------------------------------------------------------------------------------------
// Reconciliation against stated totals
// ---------------------------------------------------------------------------------------------

/** One comparison of a figure computed from its parts with the figure a document states. */
export type Reconciliation = {
  readonly label: string;
  readonly computed: Pence;
  readonly stated: Pence;
  /** computed - stated; zero when they agree. */
  readonly difference: Pence;
  readonly agrees: boolean;
  /** How many stated figures were added to give `computed`. */
  readonly parts: number;
};

/** Compare a computed figure (the sum of `parts` stated figures) with a stated one. */
export function reconcile(label: string, computed: Pence, stated: Pence, parts = 1): Reconciliation {
  const difference = sumPence([computed, -assertPence(stated, "stated total")]);
  return { label, computed, stated, difference, agrees: difference === 0, parts };
}

/** Sum parts exactly and compare with a stated total. */
export function reconcileTotal(label: string, parts: readonly Pence[], stated: Pence): Reconciliation {
  return reconcile(label, sumPence(parts), stated, parts.length);
}

/**
 * Whether a disagreement could come from rounding alone: if every part and the total were each
 * rounded on their own to `resolutionPence` (100 for whole pounds, 100,000 for £m to 3 decimals),
 * the parts can miss the total by at most half a unit per figure, (parts + 1) x resolution / 2.
 * A bigger difference is an error in the figures, not rounding.
 */
export function withinRounding(result: Reconciliation, resolutionPence: number): boolean {
  if (!Number.isSafeInteger(resolutionPence) || resolutionPence <= 0) {
    throw new RangeError(`The resolution must be a positive whole number of pence; got ${resolutionPence}.`);
  }
  return Math.abs(result.difference) * 2 <= (result.parts + 1) * resolutionPence;
}

/** Plain-English account of a reconciliation, for an import report or a data-quality page. */
export function describeReconciliation(result: Reconciliation): string {
  if (result.agrees) return `${result.label}: ${formatPounds(result.stated, { pence: true })} agrees.`;
  return `${result.label}: the parts add to ${formatPounds(result.computed, { pence: true })} but the stated total is ${formatPounds(result.stated, { pence: true })}, a difference of ${formatPounds(result.difference, { pence: true })}.`;
}

// ---------------------------------------------------------------------------------------------
// Approved controllable budget
// ---------------------------------------------------------------------------------------------

/** The eight subjective headings whose sum is the gross budget, in the council's column order. */
export const SUBJECTIVE_HEADINGS = [
  "employees",
  "premises",
  "transport",
  "suppliesAndServices",
  "agencyAndContractedServices",
  "transferPayments",
  "unallocatedBudget",
  "controllableRecharges",
] as const;

export type SubjectiveHeading = (typeof SUBJECTIVE_HEADINGS)[number];

/** The council's own column titles for the headings. */
export const SUBJECTIVE_HEADING_TITLES: Readonly<Record<SubjectiveHeading, string>> = {
  employees: "Employees",
  premises: "Premises",
  transport: "Transport",
  suppliesAndServices: "Supplies and Services",
  agencyAndContractedServices: "Agency and Contracted Services",
  transferPayments: "Transfer payments",
  unallocatedBudget: "Unallocated budget",
  controllableRecharges: "Controllable Recharges",
};

/** One row of the approved controllable budget: a division, or the stated total row. */
export type ControllableBudgetRow = {
  readonly division: string;
  readonly headings: Readonly<Record<SubjectiveHeading, Pence>>;
  /** Income, written negative. */
  readonly income: Pence;
  /** Grants, written negative. */
  readonly grants: Pence;
  /** The gross and net budgets the document states, if it states them. */
  readonly statedGross?: Pence;
  readonly statedNet?: Pence;
};

/** Gross budget = the sum of the eight subjective headings. */
export function grossBudget(headings: Readonly<Record<SubjectiveHeading, Pence>>): Pence {
  return sumPence(SUBJECTIVE_HEADINGS.map((heading) => headings[heading]));
}

/** Net budget = gross + income + grants (income and grants are negative). */
export function netBudget(row: ControllableBudgetRow): Pence {
  return sumPence([grossBudget(row.headings), row.income, row.grants]);
}

/** Every check made on an approved controllable budget, and those that failed. */
export type BudgetReconciliation = {
  readonly agrees: boolean;
  readonly checks: readonly Reconciliation[];
  readonly disagreements: readonly Reconciliation[];
};

function collect(checks: readonly Reconciliation[]): BudgetReconciliation {
  const disagreements = checks.filter((check) => !check.agrees);
  return { agrees: disagreements.length === 0, checks, disagreements };
}

/**
 * Check an approved controllable budget as a reader would, figure by figure as printed: each row's
 * stated gross against its eight headings, each row's stated net against its stated gross plus
 * income and grants, and, given the stated total row, each column's printed cells against the total
 * printed under them. Reports every disagreement rather than stopping at the first; use
 * `withinRounding` to tell rounding of whole pounds from an error.
 */
export function reconcileControllableBudget(
  divisions: readonly ControllableBudgetRow[],
  statedTotal?: ControllableBudgetRow,
): BudgetReconciliation {
  const checks: Reconciliation[] = [];
  const rows = statedTotal === undefined ? divisions : [...divisions, statedTotal];
  const shownGross = (row: ControllableBudgetRow) => row.statedGross ?? grossBudget(row.headings);
  const shownNet = (row: ControllableBudgetRow) => row.statedNet ?? netBudget(row);
  for (const row of rows) {
    if (row.statedGross !== undefined) {
      checks.push(
        reconcileTotal(
          `${row.division}: Gross Budget`,
          SUBJECTIVE_HEADINGS.map((heading) => row.headings[heading]),
          row.statedGross,
        ),
      );
    }
    if (row.statedNet !== undefined) {
      checks.push(
        reconcileTotal(
          `${row.division}: Net Budget`,
          [shownGross(row), row.income, row.grants],
          row.statedNet,
        ),
      );
    }
  }
  if (statedTotal !== undefined) {
    const column = (label: string, pick: (row: ControllableBudgetRow) => Pence) => {
      checks.push(reconcileTotal(`Total: ${label}`, divisions.map(pick), pick(statedTotal)));
    };
    for (const heading of SUBJECTIVE_HEADINGS) {
      column(SUBJECTIVE_HEADING_TITLES[heading], (row) => row.headings[heading]);
    }
    column("Gross Budget", shownGross);
    column("Income", (row) => row.income);
    column("Grants", (row) => row.grants);
    column("Net Budget", shownNet);
  }
  return collect(checks);
}

// ---------------------------------------------------------------------------------------------
// Savings
// ---------------------------------------------------------------------------------------------

/** A savings initiative: the budget reduction it should deliver and what is forecast to be achieved. */
export type SavingsInitiative = {
  readonly name: string;
  readonly amount: Pence;
  readonly forecastAchieved: Pence;
};

/** A year's savings target = current-year reductions + unachieved prior-year reductions brought forward. */
export function savingsTarget(currentYearReductions: Pence, priorYearBroughtForward: Pence): Pence {
  return sumPence([currentYearReductions, priorYearBroughtForward]);
}

/** Achieved - amount: negative is a shortfall, positive additional savings. */
export function initiativeShortfall(initiative: SavingsInitiative): Pence {
  return sumPence([initiative.forecastAchieved, -initiative.amount]);
}

/** Whether an initiative earns a tick: it is forecast to deliver at least its amount. */
export function initiativeOnTrack(initiative: SavingsInitiative): boolean {
  return initiativeShortfall(initiative) >= 0;
}

export type SavingsPosition = {
  readonly target: Pence;
  /** The sum of the initiatives' amounts: the savings identified. */
  readonly identified: Pence;
  readonly forecastAchieved: Pence;
  /** Forecast achieved - identified, over all initiatives (negative is a shortfall). */
  readonly shortfall: Pence;
  /** Target - identified: how much of the target has no initiative behind it (negative is a surplus). */
  readonly shortfallOfIdentifiedSavings: Pence;
  readonly onTrack: boolean;
  readonly initiatives: readonly {
    readonly initiative: SavingsInitiative;
    readonly shortfall: Pence;
    readonly onTrack: boolean;
  }[];
};

/** The whole savings table, computed from the target's parts and the initiatives. */
export function savingsPosition(
  currentYearReductions: Pence,
  priorYearBroughtForward: Pence,
  initiatives: readonly SavingsInitiative[],
): SavingsPosition {
  const target = savingsTarget(currentYearReductions, priorYearBroughtForward);
  const identified = sumPence(initiatives.map((initiative) => initiative.amount));
  const forecastAchieved = sumPence(initiatives.map((initiative) => initiative.forecastAchieved));
  const shortfall = sumPence([forecastAchieved, -identified]);
  return {
    target,
    identified,
    forecastAchieved,
    shortfall,
    shortfallOfIdentifiedSavings: sumPence([target, -identified]),
    onTrack: shortfall >= 0,
    initiatives: initiatives.map((initiative) => ({
      initiative,
      shortfall: initiativeShortfall(initiative),
      onTrack: initiativeOnTrack(initiative),
    })),
  };
}

// ---------------------------------------------------------------------------------------------
// Shares that must add to 100%, and rounded columns
// ---------------------------------------------------------------------------------------------

/**
 * Split `total` whole units in proportion to `weights` by the largest-remainder method: each part
 * gets the whole part of its exact quota, and the units left over go one each to the largest
 * remainders (ties to the earlier part). The result always sums to `total` and each part is
 * within one unit of its exact quota. Weights must be non-negative safe integers; if they are all
 * zero there is nothing to share and every part is zero.
 */
export function largestRemainder(weights: readonly number[], total: number): number[] {
  if (!Number.isSafeInteger(total) || total < 0) {
    throw new RangeError(`The total to share must be a non-negative whole number; got ${total}.`);
  }
  for (const weight of weights) {
    if (!Number.isSafeInteger(weight) || weight < 0) {
      throw new RangeError(`Every weight must be a non-negative whole number; got ${weight}.`);
    }
  }
  const sum = weights.reduce((acc, weight) => acc + BigInt(weight), 0n);
  if (sum === 0n) return weights.map(() => 0);
  const target = BigInt(total);
  const parts = weights.map((weight, index) => {
    const scaled = BigInt(weight) * target;
    return { index, floor: scaled / sum, remainder: scaled % sum };
  });
  let left = target - parts.reduce((acc, part) => acc + part.floor, 0n);
  const byRemainder = [...parts].sort((a, b) =>
    a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1,
  );
  const result = parts.map((part) => part.floor);
  for (const part of byRemainder) {
    if (left === 0n) break;
    result[part.index] = part.floor + 1n;
    left -= 1n;
  }
  return result.map(Number);
}

/**
 * Percentage shares of a whole that add to exactly 100%, in units of 10^-decimals of a percent:
 * with 1 decimal, [313, 423, 181, 29, 27, 27] means 31.3%, 42.3%, 18.1%, 2.9%, 2.7%, 2.7%.
 */
export function percentageShares(amounts: readonly Pence[], decimals = 1): number[] {
  if (!Number.isInteger(decimals) || decimals < 0) throw new RangeError("Decimals must be a whole number.");
  return largestRemainder(amounts, 100 * 10 ** decimals);
}

/** Show a share from `percentageShares` as "31.3%". */
export function formatShare(units: number, decimals = 1): string {
  return formatPercentage({ numerator: units, denominator: 100 * 10 ** decimals }, decimals);
}

/** Whether a column of rounded figures adds to its rounded total, and by how much it misses. */
export type RoundedColumnCheck = {
  readonly adds: boolean;
  /** The sum of the parts as displayed (each rounded to the resolution). */
  readonly sumOfDisplayedParts: number;
  /** The total as displayed (the exact total rounded to the resolution). */
  readonly displayedTotal: number;
  /** sumOfDisplayedParts - displayedTotal, in the same units as the inputs. */
  readonly difference: number;
  /** The difference in display steps: -1 means the parts show one step (say 0.1%) short. */
  readonly differenceInSteps: number;
};

/**
 * Check that a displayed column adds up. Each part and the total are rounded to `resolution`
 * (half away from zero), as a reader sees them; the sum of the displayed parts is compared with the
 * displayed total. Pass exact values (pence with a resolution of 100,000 for £m to 3 decimals) or
 * figures already displayed (in their smallest unit, with a resolution of 1). The total defaults to
 * the exact sum of the parts; pass the stated total where a document gives one.
 */
export function roundedColumnCheck(
  parts: readonly number[],
  resolution: number,
  total: number = sumPence(parts),
): RoundedColumnCheck {
  if (!Number.isSafeInteger(resolution) || resolution <= 0) {
    throw new RangeError(`The resolution must be a positive whole number; got ${resolution}.`);
  }
  const step = BigInt(resolution);
  const show = (value: number) =>
    divideRoundHalfAwayFromZero(BigInt(assertPence(value, "figure")), step) * step;
  const sumOfDisplayedParts = Number(parts.reduce((acc, part) => acc + show(part), 0n));
  const displayedTotal = Number(show(total));
  const difference = sumOfDisplayedParts - displayedTotal;
  return {
    adds: difference === 0,
    sumOfDisplayedParts,
    displayedTotal,
    difference,
    differenceInSteps: difference / resolution,
  };
}

// ---------------------------------------------------------------------------------------------
// Trends of balances (reserves, debt) against the previous quarter
// ---------------------------------------------------------------------------------------------

export type BalanceTrend = "up" | "unchanged" | "down" | "unknown";

/** Compare a balance with the previous quarter's; unknown when either balance is unknown. */
export function balanceTrend(current: Pence | undefined, previous: Pence | undefined): BalanceTrend {
  if (current === undefined || previous === undefined) return "unknown";
  assertPence(current);
  assertPence(previous);
  return current > previous ? "up" : current < previous ? "down" : "unchanged";
}

/**
 * Read the arrows the council prints: "↑"/"▲" up, "="/"◄►" unchanged, "▼"/"↓" down. Returns
 * undefined for anything else, so an unrecognised symbol is flagged rather than guessed.
 */
export function parseTrendSymbol(symbol: string): Exclude<BalanceTrend, "unknown"> | undefined {
  const trimmed = symbol.trim();
  if (["↑", "▲", "⬆", "up"].includes(trimmed)) return "up";
  if (["↓", "▼", "⬇", "down"].includes(trimmed)) return "down";
  if (["=", "◄►", "↔", "unchanged"].includes(trimmed)) return "unchanged";
  return undefined;
}

/** The words for a trend, so it is never shown by arrow alone. */
export const BALANCE_TREND_WORDS: Readonly<Record<BalanceTrend, string>> = {
  up: "increased over the quarter",
  unchanged: "unchanged over the quarter",
  down: "decreased over the quarter",
  unknown: "no previous quarter to compare with",
};

// ---------------------------------------------------------------------------------------------
// RAG rating of a budget line
// ---------------------------------------------------------------------------------------------

/**
 * An overspend threshold: reached when the overspend is at least `basisPoints` of the budget
 * (|budget|) OR at least `pence`, whichever is lower.
 */
export type OverspendThreshold = {
  /** Percentage of the budget in basis points: 500 = 5%. */
  readonly basisPoints: number;
  readonly pence: Pence;
};

export type RagThresholds = {
  /** Red at an overspend reaching this. */
  readonly red: OverspendThreshold;
  /** Amber at an overspend reaching this but not red. */
  readonly amber: OverspendThreshold;
  /**
   * Optionally, amber also for an underspend at least this large (|underspend| against the same
   * "whichever is lower" rule), for councils that question big underspends. Off by default.
   */
  readonly amberUnderspend?: OverspendThreshold;
};

/** The levels at which budgets are rated; each has its own thresholds. */
export type BudgetLevel = "service-area" | "fund";

/**
 * Default thresholds, from a council's published practice (docs/domain.md section 8), configurable per
 * council and per level by passing other thresholds:
 * - a service area (budget line) is red at an overspend of 5% or £0.1m, whichever is lower;
 * - the whole fund (portfolio total) is red at an overspend of 0.5% or £1m, whichever is lower;
 * - at both levels any overspend short of red is amber (0% or £0), and a line on budget or
 *   underspent is green; underspends are not flagged unless `amberUnderspend` is set.
 */
export const DEFAULT_RAG_THRESHOLDS: Readonly<Record<BudgetLevel, RagThresholds>> = {
  "service-area": { red: { basisPoints: 500, pence: 10_000_000 }, amber: { basisPoints: 0, pence: 0 } },
  fund: { red: { basisPoints: 50, pence: 100_000_000 }, amber: { basisPoints: 0, pence: 0 } },
};

export type BudgetRag = "red" | "amber" | "green";

export type BudgetRagResult = {
  readonly rag: BudgetRag;
  /** One sentence with the rule and the numbers behind the rating. */
  readonly explanation: string;
};

function reaches(amount: Pence, controllableBudget: Pence, threshold: OverspendThreshold): boolean {
  if (amount <= 0) return false;
  const byPercentage =
    BigInt(amount) * 10000n >= BigInt(threshold.basisPoints) * BigInt(Math.abs(controllableBudget));
  return byPercentage || amount >= threshold.pence;
}

function describeThreshold(threshold: OverspendThreshold): string {
  const percent = formatPercentage({ numerator: threshold.basisPoints, denominator: 10000 }, 1);
  return `${percent} of the budget or ${formatPounds(threshold.pence)}, whichever is lower`;
}

/**
 * Rate a budget line (or a total) by its variance. Red when the overspend reaches the red
 * threshold; amber when it reaches the amber one (or an underspend reaches `amberUnderspend`);
 * otherwise green. With a zero budget any overspend reaches the percentage limit.
 */
export function budgetRag(
  controllableBudget: Pence,
  forecastOutturn: Pence,
  thresholds: RagThresholds = DEFAULT_RAG_THRESHOLDS["service-area"],
): BudgetRagResult {
  const difference = variance(controllableBudget, forecastOutturn);
  const percent = formatPercentage(variancePercentage(controllableBudget, forecastOutturn));
  if (difference > 0) {
    const over = `An overspend of ${formatPounds(difference)} (${percent})`;
    if (reaches(difference, controllableBudget, thresholds.red)) {
      return {
        rag: "red",
        explanation: `${over} reaches the red limit of ${describeThreshold(thresholds.red)}.`,
      };
    }
    if (reaches(difference, controllableBudget, thresholds.amber)) {
      return {
        rag: "amber",
        explanation: `${over} reaches the amber limit of ${describeThreshold(thresholds.amber)} but not the red limit of ${describeThreshold(thresholds.red)}.`,
      };
    }
    return {
      rag: "green",
      explanation: `${over} is below the amber limit of ${describeThreshold(thresholds.amber)}.`,
    };
  }
  if (difference < 0) {
    const under = `An underspend of ${formatPounds(-difference)} (${percent})`;
    if (
      thresholds.amberUnderspend !== undefined &&
      reaches(-difference, controllableBudget, thresholds.amberUnderspend)
    ) {
      return {
        rag: "amber",
        explanation: `${under} reaches the underspend limit of ${describeThreshold(thresholds.amberUnderspend)}.`,
      };
    }
    return { rag: "green", explanation: `${under} is within budget.` };
  }
  return { rag: "green", explanation: "The forecast equals the budget." };
}

/**
 * Which budget lines must explain their variance in a period, a council setting (decision 0040):
 * none (explanations optional), lines rated Red, or lines rated Red or Amber.
 */
export const EXPLANATION_REQUIREMENTS = ["none", "red", "red-amber"] as const;

export type ExplanationRequirement = (typeof EXPLANATION_REQUIREMENTS)[number];

/** Whether a line rated `rag` must explain its variance under the council's requirement. */
export function mustExplain(requirement: ExplanationRequirement, rag: BudgetRag): boolean {
  if (requirement === "red") return rag === "red";
  if (requirement === "red-amber") return rag === "red" || rag === "amber";
  return false;
}
