/** Shared vocabulary for key performance measures, used by values, targets and ratings. */

/**
 * What a measure counts, which decides how its values are written and compared. The one list:
 * forms, the details page and the database's check (migration 0014) all follow it.
 */
export const MEASURE_UNITS = [
  "percent",
  "count",
  "days",
  "money",
  "rate-per-10k",
  "percentage-points",
  "decimal-rate",
] as const;

export type MeasureUnit = (typeof MEASURE_UNITS)[number];

/** Each unit in words, with an example of a value written in it. */
export const MEASURE_UNIT_WORDS: Readonly<Record<MeasureUnit, { name: string; example: string }>> = {
  percent: { name: "Percentage", example: "87.2%" },
  count: { name: "Count", example: "909" },
  days: { name: "Days", example: "423 days" },
  money: { name: "Money", example: "£155,000" },
  "rate-per-10k": { name: "Rate per 10,000 population", example: "58 per 10K pop" },
  "percentage-points": { name: "Percentage points", example: "a gap, 28.1" },
  "decimal-rate": { name: "Rate with decimals", example: "0.14" },
};

/** Each unit as a sentence names it: "the measure is a percentage". */
export const MEASURE_UNIT_PHRASES: Readonly<Record<MeasureUnit, string>> = {
  percent: "a percentage",
  count: "a count",
  days: "a number of days",
  money: "an amount of money",
  "rate-per-10k": "a rate per 10,000 population",
  "percentage-points": "in percentage points",
  "decimal-rate": "a rate",
};

/** Which direction is good. "monitor" measures have no polarity: no rank, no quartile, no rating. */
export const POLARITIES = ["higher-is-better", "lower-is-better", "within-range", "monitor"] as const;

export type Polarity = (typeof POLARITIES)[number];

export const POLARITY_WORDS: Readonly<Record<Polarity, string>> = {
  "higher-is-better": "Higher is better",
  "lower-is-better": "Lower is better",
  "within-range": "Within a range is best",
  monitor: "Monitored only: not rated",
};

export function isMeasureUnit(text: unknown): text is MeasureUnit {
  return (MEASURE_UNITS as readonly unknown[]).includes(text);
}

export function isPolarity(text: unknown): text is Polarity {
  return (POLARITIES as readonly unknown[]).includes(text);
}

/** How final an officer says a value entered for a period is. */
export const VALUE_STATUSES = ["final", "provisional"] as const;

export type ValueStatus = (typeof VALUE_STATUSES)[number];

export const VALUE_STATUS_WORDS: Readonly<Record<ValueStatus, string>> = {
  final: "Final",
  provisional: "Provisional: may be revised",
};
