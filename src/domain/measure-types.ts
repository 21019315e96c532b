/** Shared vocabulary for key performance measures, used by values, targets and ratings. */

/** What a measure counts, which decides how its values are written and compared. */
export type MeasureUnit =
  | "percent"
  | "count"
  | "days"
  | "money"
  | "rate-per-10k"
  | "percentage-points"
  | "decimal-rate";

export const MEASURE_UNITS: readonly MeasureUnit[] = [
  "percent",
  "count",
  "days",
  "money",
  "rate-per-10k",
  "percentage-points",
  "decimal-rate",
];

/** Which direction is good. "monitor" measures have no polarity: no rank, no quartile, no rating. */
export type Polarity = "higher-is-better" | "lower-is-better" | "within-range" | "monitor";

export const POLARITIES: readonly Polarity[] = [
  "higher-is-better",
  "lower-is-better",
  "within-range",
  "monitor",
];
