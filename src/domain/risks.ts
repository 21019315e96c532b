/**
 * Key risks scored on the 5 x 5 matrix councils use: likelihood 1-5 times impact 1-5.
 *
 * Bands (configurable per council with `defineRiskBands`). The default, and why:
 *
 *   score  1-4   Low     (e.g. 2 x 2, 1 x 4)
 *   score  5-12  Medium  (e.g. 1 x 5, 3 x 4)
 *   score 15-25  High    (e.g. 3 x 5, 5 x 5)
 *
 * 13 and 14 are not products of two numbers from 1 to 5, so no risk can score them; a band
 * runs from its starting score up to the next band's, and reports show only scores a risk
 * can actually have. These bands are the common three-band local-authority matrix; a council
 * with four bands (say, adding "Very high" from 20) passes its own thresholds.
 *
 * The seed plan's key risks give no likelihood or impact, so a risk may be unassessed: the
 * grid keeps such risks apart rather than placing them anywhere.
 */

export const RISK_LEVELS = [1, 2, 3, 4, 5] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

export type RiskField = "likelihood" | "impact";

/** A scored position on the matrix: inherent or residual, whichever the caller holds. */
export interface RiskRating {
  likelihood: RiskLevel;
  impact: RiskLevel;
}

/** Where a band starts: it runs to the score before the next band's `fromScore`, the last to 25. */
export interface RiskBandThreshold {
  id: string;
  label: string;
  fromScore: number;
}

/** A band with the lowest and highest scores a risk can actually have in it. */
export interface RiskBand {
  id: string;
  label: string;
  minScore: number;
  maxScore: number;
}

export interface RiskScore extends RiskRating {
  score: number;
  band: RiskBand;
}

export const MAX_RISK_SCORE = 25;

/** Every score a likelihood x impact can give: 1, 2, 3, 4, 5, 6, 8, 9, 10, 12, 15, 16, 20, 25. */
export const POSSIBLE_RISK_SCORES: readonly number[] = [
  ...new Set(RISK_LEVELS.flatMap((likelihood) => RISK_LEVELS.map((impact) => likelihood * impact))),
].sort((a, b) => a - b);

export const DEFAULT_RISK_BAND_THRESHOLDS: readonly RiskBandThreshold[] = [
  { id: "low", label: "Low", fromScore: 1 },
  { id: "medium", label: "Medium", fromScore: 5 },
  { id: "high", label: "High", fromScore: 15 },
];

export type RiskBandsResult = { ok: true; bands: RiskBand[] } | { ok: false; errors: string[] };

/** Check a council's band thresholds and turn them into bands, or say in plain English what is wrong. */
export function defineRiskBands(thresholds: readonly RiskBandThreshold[]): RiskBandsResult {
  const errors: string[] = [];
  if (thresholds.length === 0) {
    return { ok: false, errors: ["Give at least one risk band."] };
  }
  if (thresholds[0]?.fromScore !== 1) {
    errors.push("The first risk band must start at a score of 1, so that every score has a band.");
  }
  const seenIds = new Set<string>();
  thresholds.forEach((threshold, index) => {
    const name = threshold.label.trim() === "" ? `Band ${index + 1}` : `The "${threshold.label}" band`;
    if (threshold.label.trim() === "") {
      errors.push(`Band ${index + 1} needs a label.`);
    }
    if (threshold.id.trim() === "") {
      errors.push(`${name} needs an id.`);
    } else if (seenIds.has(threshold.id)) {
      errors.push(`${name} has the id "${threshold.id}", which another band already uses.`);
    }
    seenIds.add(threshold.id);
    if (
      !Number.isInteger(threshold.fromScore) ||
      threshold.fromScore < 1 ||
      threshold.fromScore > MAX_RISK_SCORE
    ) {
      errors.push(`${name} must start at a whole-number score from 1 to ${MAX_RISK_SCORE}.`);
      return;
    }
    const previous = thresholds[index - 1];
    if (previous !== undefined && threshold.fromScore <= previous.fromScore) {
      errors.push(`${name} must start at a higher score than the band before it.`);
      return;
    }
    const next = thresholds[index + 1];
    const toScore = next === undefined ? MAX_RISK_SCORE : next.fromScore - 1;
    const possible = POSSIBLE_RISK_SCORES.filter((score) => score >= threshold.fromScore && score <= toScore);
    if (possible.length === 0 && toScore >= threshold.fromScore) {
      errors.push(
        `${name} runs from ${threshold.fromScore} to ${toScore}, but no likelihood x impact gives a score in that range, so no risk could ever be in it.`,
      );
    }
  });
  if (errors.length > 0) {
    return { ok: false, errors };
  }
  const bands = thresholds.map((threshold, index): RiskBand => {
    const next = thresholds[index + 1];
    const toScore = next === undefined ? MAX_RISK_SCORE : next.fromScore - 1;
    const possible = POSSIBLE_RISK_SCORES.filter((score) => score >= threshold.fromScore && score <= toScore);
    return {
      id: threshold.id,
      label: threshold.label,
      minScore: possible[0] ?? threshold.fromScore,
      maxScore: possible[possible.length - 1] ?? toScore,
    };
  });
  return { ok: true, bands };
}

function defaultBands(): readonly RiskBand[] {
  const defined = defineRiskBands(DEFAULT_RISK_BAND_THRESHOLDS);
  if (!defined.ok) {
    throw new Error(`The default risk bands are invalid: ${defined.errors.join(" ")}`);
  }
  return defined.bands;
}

/** Low 1-4, Medium 5-12, High 15-25. */
export const DEFAULT_RISK_BANDS: readonly RiskBand[] = defaultBands();

/** The band a score falls in. Throws for a score no likelihood x impact can give. */
export function bandForScore(score: number, bands: readonly RiskBand[] = DEFAULT_RISK_BANDS): RiskBand {
  if (!POSSIBLE_RISK_SCORES.includes(score)) {
    throw new RangeError(`${score} is not a possible risk score (likelihood 1-5 x impact 1-5)`);
  }
  const band = bands.find((candidate) => score >= candidate.minScore && score <= candidate.maxScore);
  if (band === undefined) {
    throw new RangeError(`No risk band covers a score of ${score}; define the bands with defineRiskBands`);
  }
  return band;
}

export function scoreRisk(rating: RiskRating, bands: readonly RiskBand[] = DEFAULT_RISK_BANDS): RiskScore {
  const score = rating.likelihood * rating.impact;
  return { likelihood: rating.likelihood, impact: rating.impact, score, band: bandForScore(score, bands) };
}

export type RiskFieldErrorCode = "missing" | "not-a-number" | "not-whole" | "out-of-range";

export interface RiskFieldError {
  field: RiskField;
  code: RiskFieldErrorCode;
  message: string;
}

export type RiskLevelResult = { ok: true; level: RiskLevel } | { ok: false; error: RiskFieldError };

const FIELD_NAMES: Readonly<Record<RiskField, { article: string; word: string; title: string }>> = {
  likelihood: { article: "a", word: "likelihood", title: "Likelihood" },
  impact: { article: "an", word: "impact", title: "Impact" },
};

function isRiskLevel(value: number): value is RiskLevel {
  return (RISK_LEVELS as readonly number[]).includes(value);
}

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === "string" && value.trim() === "");
}

/**
 * Read a likelihood or impact from a form field or an import cell. Accepts a whole number
 * 1-5, as a number or as text ("3"). Refuses words ("high"), fractions and anything outside
 * 1-5, saying why in words a user can act on.
 */
export function parseRiskLevel(value: unknown, field: RiskField): RiskLevelResult {
  const { article, word, title } = FIELD_NAMES[field];
  const fail = (code: RiskFieldErrorCode, message: string): RiskLevelResult => ({
    ok: false,
    error: { field, code, message },
  });
  if (isBlank(value)) {
    return fail("missing", `Enter ${article} ${word} from 1 to 5`);
  }
  let number: number;
  if (typeof value === "number") {
    number = value;
  } else if (typeof value === "string" && /^[+-]?(\d+\.?\d*|\.\d+)$/.test(value.trim())) {
    number = Number(value.trim());
  } else {
    const notThis = typeof value === "string" ? `, not "${value.trim()}"` : "";
    return fail("not-a-number", `Enter ${article} ${word} as a number from 1 to 5${notThis}`);
  }
  if (!Number.isFinite(number)) {
    return fail("not-a-number", `Enter ${article} ${word} as a number from 1 to 5`);
  }
  if (!Number.isInteger(number)) {
    return fail("not-whole", `${title} must be a whole number from 1 to 5`);
  }
  if (!isRiskLevel(number)) {
    const side = number > 5 ? "too high" : "too low";
    return fail("out-of-range", `${title} must be from 1 to 5 (${number} is ${side})`);
  }
  return { ok: true, level: number };
}

export type RiskRatingResult = { ok: true; rating: RiskRating } | { ok: false; errors: RiskFieldError[] };

export interface RiskRatingInput {
  likelihood?: unknown;
  impact?: unknown;
}

/** Both a likelihood and an impact are required. Errors come in form order: likelihood, then impact. */
export function validateRiskRating(input: RiskRatingInput): RiskRatingResult {
  const likelihood = parseRiskLevel(input.likelihood, "likelihood");
  const impact = parseRiskLevel(input.impact, "impact");
  if (likelihood.ok && impact.ok) {
    return { ok: true, rating: { likelihood: likelihood.level, impact: impact.level } };
  }
  const errors: RiskFieldError[] = [];
  if (!likelihood.ok) errors.push(likelihood.error);
  if (!impact.ok) errors.push(impact.error);
  return { ok: false, errors };
}

export type OptionalRiskRatingResult =
  | { ok: true; rating: RiskRating | null }
  | { ok: false; errors: RiskFieldError[] };

/**
 * For risks that may not be assessed yet (as in the seed plan): both blank is "not assessed"
 * (rating null); one without the other is refused, because a score needs both.
 */
export function validateOptionalRiskRating(input: RiskRatingInput): OptionalRiskRatingResult {
  if (isBlank(input.likelihood) && isBlank(input.impact)) {
    return { ok: true, rating: null };
  }
  const result = validateRiskRating(input);
  if (result.ok) {
    return result;
  }
  const errors = result.errors.map((error): RiskFieldError => {
    if (error.code !== "missing") return error;
    const other: RiskField = error.field === "likelihood" ? "impact" : "likelihood";
    const { article, word } = FIELD_NAMES[error.field];
    return {
      ...error,
      message: `Enter ${article} ${word} from 1 to 5 as well as the ${FIELD_NAMES[other].word}, or leave both blank`,
    };
  });
  return { ok: false, errors };
}

export interface RiskGridCell<R> {
  likelihood: RiskLevel;
  impact: RiskLevel;
  score: number;
  band: RiskBand;
  /** The band's place on a four-step scale from least (1) to most (4) severe, to shade the cell by. */
  severity: RiskSeverity;
  /** The risks in this cell, in the order they were given. */
  risks: R[];
}

export type RiskSeverity = 1 | 2 | 3 | 4;

/**
 * Where a band sits on a four-step shading scale, whatever the number of bands: the lowest band
 * is always 1 and the highest 4, those between spread evenly (three bands: 1, 3, 4). A page shades
 * by it and always writes the band's label too, so the shade is never the only signal.
 */
export function riskSeverity(bands: readonly RiskBand[], band: RiskBand): RiskSeverity {
  const index = bands.findIndex((candidate) => candidate.id === band.id);
  if (index < 0) throw new RangeError(`"${band.label}" is not one of the council's risk bands`);
  if (bands.length === 1) return 1;
  return Math.round(1 + (index * 3) / (bands.length - 1)) as RiskSeverity;
}

export interface RiskGridRow<R> {
  impact: RiskLevel;
  /** Likelihood 1 to 5, left to right. */
  cells: RiskGridCell<R>[];
}

export interface RiskGrid<R> {
  /** Impact 5 at the top down to 1, as the matrix is printed. */
  rows: RiskGridRow<R>[];
  /** Column headings, left to right. */
  likelihoods: RiskLevel[];
  /** Risks with no likelihood and impact yet: listed, never placed. */
  unassessed: R[];
  /** How many placed risks fall in each band, in band order: for the text alternative and a summary. */
  bandCounts: { band: RiskBand; count: number }[];
}

/**
 * The 5 x 5 matrix as data for a page or report to render. `ratingOf` picks which rating to
 * place (inherent or residual) and returns null for a risk not yet assessed.
 */
export function buildRiskGrid<R>(
  risks: readonly R[],
  ratingOf: (risk: R) => RiskRating | null,
  bands: readonly RiskBand[] = DEFAULT_RISK_BANDS,
): RiskGrid<R> {
  const impactsTopDown = [...RISK_LEVELS].reverse();
  const rows = impactsTopDown.map(
    (impact): RiskGridRow<R> => ({
      impact,
      cells: RISK_LEVELS.map((likelihood) => {
        const { score, band } = scoreRisk({ likelihood, impact }, bands);
        return { likelihood, impact, score, band, severity: riskSeverity(bands, band), risks: [] };
      }),
    }),
  );
  const unassessed: R[] = [];
  const counts = new Map<string, number>();
  for (const risk of risks) {
    const rating = ratingOf(risk);
    if (rating === null) {
      unassessed.push(risk);
      continue;
    }
    const cell = cellIn(rows, rating);
    cell.risks.push(risk);
    counts.set(cell.band.id, (counts.get(cell.band.id) ?? 0) + 1);
  }
  return {
    rows,
    likelihoods: [...RISK_LEVELS],
    unassessed,
    bandCounts: bands.map((band) => ({ band, count: counts.get(band.id) ?? 0 })),
  };
}

function cellIn<R>(rows: readonly RiskGridRow<R>[], rating: RiskRating): RiskGridCell<R> {
  const cell = rows
    .find((row) => row.impact === rating.impact)
    ?.cells.find((candidate) => candidate.likelihood === rating.likelihood);
  if (cell === undefined) {
    throw new RangeError(`No grid cell for likelihood ${rating.likelihood} and impact ${rating.impact}`);
  }
  return cell;
}

/** The cell at a likelihood and impact. */
export function riskGridCell<R>(grid: RiskGrid<R>, rating: RiskRating): RiskGridCell<R> {
  return cellIn(grid.rows, rating);
}
