/**
 * The council's five-level rating key and the default rule that rates a measure from its target
 * verdict (docs/domain.md section 7). Deliverables use the same key, but their rating is an officer's
 * judgement, so only the metadata applies to them.
 *
 * Default rule, configurable per council: target met and improved on the previous like period =
 * Strong; met = Good; missed by no more than the tolerance (5% of the target figure, or 1
 * percentage point for percentages, whichever is larger) = Review; missed by more = Action; no
 * value, no assessable target, or a monitor measure = grey. Every rating comes with one sentence
 * showing the rule and the numbers, so nobody has to take a colour on trust.
 */

import { compareExact, decimalPlaces, hasDirection, maxExact, productExact } from "./benchmarks.ts";
import type { MeasureUnit } from "./measure-types.ts";
import {
  evaluateTarget,
  formatQuantity,
  parseTarget,
  type Quantity,
  type Target,
  type TargetContext,
  type Verdict,
} from "./targets.ts";

export type RatingKey = "strong" | "good" | "review" | "action" | "not-available";

export interface RatingMeta {
  readonly key: RatingKey;
  /** The words of the council's key. */
  readonly label: string;
  /** A short word for tight spaces (table cells, chart labels); colour is never the only signal. */
  readonly shortWord: string;
  /** A text symbol to sit beside the word, for charts and plain-text exports. */
  readonly symbol: string;
  readonly colour: "blue" | "green" | "amber" | "red" | "grey";
}

/** The key in the order the council's reports show it, best first, grey last. */
export const RATINGS: readonly RatingMeta[] = [
  { key: "strong", label: "Strong", shortWord: "Strong", symbol: "★", colour: "blue" },
  {
    key: "good",
    label: "Good",
    shortWord: "Good",
    symbol: "✓",
    colour: "green",
  },
  {
    key: "review",
    label: "Review",
    shortWord: "Review",
    symbol: "!",
    colour: "amber",
  },
  {
    key: "action",
    label: "Action",
    shortWord: "Action",
    symbol: "✗",
    colour: "red",
  },
  {
    key: "not-available",
    label: "Data not available / target not set",
    shortWord: "No data",
    symbol: "–",
    colour: "grey",
  },
];

export type RatingColour = RatingMeta["colour"];

/**
 * The one mapping from a rating's colour to how pages and documents show it: the page's class
 * (`bp-rating--<className>`, public/stylesheets/application.css) and the documents' cell fill
 * (GOV.UK palette tints). It goes by colour, not by level, so any council's scheme (three
 * levels, six, a budget's red, amber and green) shows with its own words on these colours.
 */
export const RATING_COLOURS: Readonly<Record<RatingColour, { className: string; fill: string }>> = {
  blue: { className: "strong", fill: "D2E2F1" },
  green: { className: "good", fill: "CCE2D8" },
  amber: { className: "review", fill: "FFF7BF" },
  red: { className: "action", fill: "F4CDC6" },
  grey: { className: "none", fill: "E5E6E7" },
};

/** Off target: the amber and red levels of any key (below target, or well below), whatever their words. */
export function isOffTarget(colour: RatingColour): boolean {
  return colour === "amber" || colour === "red";
}

/** A rating as a page shows it: its words always, its colour's class beside them, never colour alone. */
export interface RatingBadge {
  readonly words: string;
  readonly className: string;
}

/** A badge for a level of any scheme: its colour and its words. */
export function colourBadge(colour: RatingColour, words: string): RatingBadge {
  return { words, className: RATING_COLOURS[colour].className };
}

/** A badge for a level of the key, in the key's words unless others are given ("Red" for a budget line). */
export function ratingBadge(key: RatingKey, words?: string): RatingBadge {
  const meta = ratingMeta(key);
  return colourBadge(meta.colour, words ?? meta.label);
}

export function ratingMeta(key: RatingKey): RatingMeta {
  const meta = RATINGS.find((r) => r.key === key);
  if (meta === undefined) throw new RangeError(`Unknown rating ${key}.`);
  return meta;
}

/** A council's settings for the default rule. */
export interface RatingRules {
  /** Review rather than Action when missed by no more than this percentage of the target figure. Default 5. */
  readonly tolerancePercentOfTarget: number;
  /** For percentage measures, the tolerance is at least this many percentage points. Default 1. */
  readonly tolerancePercentagePoints: number;
}

export const DEFAULT_RATING_RULES: RatingRules = {
  tolerancePercentOfTarget: 5,
  tolerancePercentagePoints: 1,
};

export interface MeasureRatingInput extends TargetContext {
  /** The target's words or the parsed target. */
  readonly target: Target | string;
  /**
   * The value for the previous like period, to tell Strong from Good. When left out it is looked
   * up with ownValueFor(previousPeriod) if both are given.
   */
  readonly previousValue?: number | null;
  /**
   * Why the previous figure is not for a like period ("the 96% for 2019/20 covers a different
   * span from Dec 20"): a target met is then Good, never Strong, since improvement on the
   * previous like period cannot be shown.
   */
  readonly previousUnlike?: string;
}

export interface MeasureRating {
  readonly rating: RatingKey;
  readonly meta: RatingMeta;
  /** One sentence with the rule and the numbers: "Action: 909 is not less than 810; missed by 99, more than the tolerance of 40.5 (5% of 810)." */
  readonly explanation: string;
  readonly verdict: Verdict;
  /** The tolerance applied, where the target was missed. */
  readonly tolerance: Quantity | null;
}

function isNumber(v: number | null | undefined): v is number {
  return typeof v === "number" && Number.isFinite(v);
}

function sentenceBody(sentence: string): string {
  return sentence.replace(/\.$/, "");
}

function isPercentage(unit: MeasureUnit): boolean {
  return unit === "percent" || unit === "percentage-points";
}

function checkRules(rules: RatingRules): void {
  for (const [name, v] of Object.entries(rules)) {
    if (!(typeof v === "number" && Number.isFinite(v) && v >= 0)) {
      throw new RangeError(`Rating rule ${name} must be a number of zero or more, got ${String(v)}.`);
    }
  }
}

interface Tolerance {
  readonly quantity: Quantity;
  /** How it was arrived at, in words: "5% of 810" or "the 1 percentage point floor for percentages". */
  readonly rule: string;
}

/** The tolerance for a miss: the larger of a percentage of the target figure and, for percentages, a floor in points. */
function toleranceFor(verdict: Verdict, unit: MeasureUnit, rules: RatingRules): Tolerance {
  const missedUnit = verdict.missedBy?.unit ?? unit;
  const reference = verdict.comparedWith;
  const share =
    reference === null ? 0 : productExact(Math.abs(reference.amount), rules.tolerancePercentOfTarget / 100);
  const shareRule =
    reference === null
      ? "no target figure to take a share of"
      : `${rules.tolerancePercentOfTarget}% of ${formatQuantity(reference)}`;
  const floor = isPercentage(unit) && missedUnit !== "places" ? rules.tolerancePercentagePoints : 0;
  const amount = maxExact(share, floor);
  const fromFloor = compareExact(floor, share) > 0;
  const quantity: Quantity = { amount, decimals: decimalPlaces(amount), unit: missedUnit };
  const floorWords = formatQuantity({ amount: floor, decimals: 0, unit: "percentage-points" });
  return { quantity, rule: fromFloor ? `the ${floorWords} floor for percentages` : shareRule };
}

function improvedOn(value: number, previous: number, input: MeasureRatingInput): boolean {
  const c = compareExact(value, previous);
  return input.polarity === "higher-is-better" ? c > 0 : input.polarity === "lower-is-better" ? c < 0 : false;
}

function previousValueOf(input: MeasureRatingInput): number | null {
  if (input.previousValue !== undefined) return isNumber(input.previousValue) ? input.previousValue : null;
  if (input.previousPeriod === undefined || input.ownValueFor === undefined) return null;
  const found = input.ownValueFor(input.previousPeriod);
  return isNumber(found) ? found : null;
}

function rated(
  rating: RatingKey,
  explanation: string,
  verdict: Verdict,
  tolerance: Quantity | null = null,
): MeasureRating {
  return { rating, meta: ratingMeta(rating), explanation, verdict, tolerance };
}

/**
 * Rate a measure for a period with the default rule (or a council's own tolerances). The target
 * is evaluated with evaluateTarget, so the same data rules apply: without what the target needs,
 * the rating is grey and says what is missing.
 */
export function rateMeasure(
  input: MeasureRatingInput,
  rules: RatingRules = DEFAULT_RATING_RULES,
): MeasureRating {
  checkRules(rules);
  const target = typeof input.target === "string" ? parseTarget(input.target) : input.target;
  const verdict = evaluateTarget(target, input);
  const grey = ratingMeta("not-available").label;

  if (input.polarity === "monitor") {
    return rated("not-available", `${grey} (the measure is monitored only, so it is not rated).`, verdict);
  }
  if (verdict.outcome === "not-set" || verdict.outcome === "cannot-assess") {
    const reason = sentenceBody(verdict.explanation);
    return rated("not-available", `${grey} (${reason.charAt(0).toLowerCase()}${reason.slice(1)}).`, verdict);
  }

  const body = sentenceBody(verdict.explanation);
  if (verdict.outcome === "met") {
    const { value } = input;
    const previous = previousValueOf(input);
    const when = input.previousPeriod === undefined ? "the previous period" : input.previousPeriod;
    if (!hasDirection(input.polarity) || !isNumber(value)) {
      return rated("good", `Good: ${body}.`, verdict);
    }
    if (input.previousUnlike !== undefined) {
      return rated("good", `Good: ${body}; ${input.previousUnlike}, so improvement is not shown.`, verdict);
    }
    if (previous === null) {
      return rated("good", `Good: ${body}, with no figure for ${when} to show improvement.`, verdict);
    }
    const previousText = formatQuantity({
      amount: previous,
      decimals: decimalPlaces(previous),
      unit: input.unit,
    });
    if (improvedOn(value, previous, input)) {
      return rated("strong", `Strong: ${body}, and improved on ${previousText} for ${when}.`, verdict);
    }
    return rated("good", `Good: ${body}, but did not improve on ${previousText} for ${when}.`, verdict);
  }

  // Missed.
  const missed = verdict.missedBy;
  if (missed === null) {
    return rated(
      "action",
      `Action: ${body}; the amount missed by cannot be set against a tolerance.`,
      verdict,
    );
  }
  const tolerance = toleranceFor(verdict, input.unit, rules);
  const within = compareExact(missed.amount, tolerance.quantity.amount) <= 0;
  const missedText = formatQuantity(missed);
  const toleranceText = formatQuantity(tolerance.quantity);
  if (within) {
    return rated(
      "review",
      `Review: ${body}; missed by ${missedText}, within the tolerance of ${toleranceText} (${tolerance.rule}).`,
      verdict,
      tolerance.quantity,
    );
  }
  return rated(
    "action",
    `Action: ${body}; missed by ${missedText}, more than the tolerance of ${toleranceText} (${tolerance.rule}).`,
    verdict,
    tolerance.quantity,
  );
}
