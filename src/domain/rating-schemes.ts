/**
 * A council's rating scheme (docs/decisions/0036-rating-schemes-as-council-settings.md): the
 * words, colours and rule it rates its measures with. Baseplan's rule always works out one of five
 * outcomes (met and improved, met, missed within the tolerance, missed by more, cannot be rated);
 * the scheme says which of the council's levels each outcome is, in its words and on its colour,
 * and how wide the tolerance is. Two outcomes may be one level (Red/Amber/Green puts met and
 * improved and met both at Green), so a scheme has as many levels as it has distinct words.
 */

import {
  DEFAULT_RATING_RULES,
  type MeasureRating,
  type MeasureRatingInput,
  RATING_COLOURS,
  RATINGS,
  type RatingColour,
  type RatingKey,
  type RatingMeta,
  type RatingRules,
  rateMeasure,
} from "./ratings.ts";

export type SchemeKind = "five-level" | "rag" | "four-level" | "custom";

/** What the council calls one outcome of the rule. */
export interface SchemeLevel {
  /** The council's words for the level ("Amber"). */
  readonly label: string;
  /** The colour it is shown on, beside the words (never alone). */
  readonly colour: RatingColour;
  /** Other ways the council's tables print it ("A"), besides its words; matched in any case. */
  readonly printedAs: readonly string[];
}

export interface RatingScheme {
  readonly kind: SchemeKind;
  /** The council's level for each outcome of the rule. */
  readonly levels: Readonly<Record<RatingKey, SchemeLevel>>;
  readonly rules: RatingRules;
}

/** The rule's outcomes, best first, "cannot be rated" last: the order every scheme's key is shown in. */
export const OUTCOMES: readonly RatingKey[] = RATINGS.map((meta) => meta.key);

/** Whether a text names an outcome of the rule ("good", "not-available"). */
export function isOutcome(text: string): text is RatingKey {
  return (OUTCOMES as readonly string[]).includes(text);
}

/** Each outcome of the rule in words, as the settings page names it. */
export const OUTCOME_WORDS: Readonly<Record<RatingKey, string>> = {
  strong: "Target met and better than the previous like period",
  good: "Target met",
  review: "Target missed, by no more than the tolerance",
  action: "Target missed by more than the tolerance",
  "not-available": "Cannot be rated (no figure, no target that can be assessed, or monitored only)",
};

export const SCHEME_KIND_WORDS: Readonly<Record<SchemeKind, string>> = {
  "five-level": "Five levels: Strong, Good, Review, Action, Data not available",
  rag: "Three levels: Red, Amber, Green",
  "four-level": "Four levels: Blue, Green, Amber, Red",
  custom: "The council's own words and colours",
};

export const COLOUR_WORDS: Readonly<Record<RatingColour, string>> = {
  blue: "Blue",
  green: "Green",
  amber: "Amber (yellow)",
  red: "Red",
  grey: "Grey",
};

export const SCHEME_COLOURS = Object.keys(RATING_COLOURS) as RatingColour[];

function level(label: string, colour: RatingColour, printedAs: readonly string[] = []): SchemeLevel {
  return { label, colour, printedAs };
}

const FIVE_LEVELS = Object.fromEntries(
  RATINGS.map((meta) => [meta.key, level(meta.label, meta.colour)]),
) as Record<RatingKey, SchemeLevel>;

const NOT_RATED = level("Not rated", "grey", ["No data", "N/A", "n/a"]);

/** The preset schemes; a custom scheme starts from the one the council has. */
export const PRESET_LEVELS: Readonly<Record<Exclude<SchemeKind, "custom">, Record<RatingKey, SchemeLevel>>> =
  {
    "five-level": FIVE_LEVELS,
    rag: {
      strong: level("Green", "green", ["G"]),
      good: level("Green", "green", ["G"]),
      review: level("Amber", "amber", ["A"]),
      action: level("Red", "red", ["R"]),
      "not-available": NOT_RATED,
    },
    "four-level": {
      strong: level("Blue", "blue", ["B"]),
      good: level("Green", "green", ["G"]),
      review: level("Amber", "amber", ["A"]),
      action: level("Red", "red", ["R"]),
      "not-available": NOT_RATED,
    },
  };

/** The five-level key with the default tolerances: the scheme of a council that has chosen none. */
export const DEFAULT_SCHEME: RatingScheme = {
  kind: "five-level",
  levels: FIVE_LEVELS,
  rules: DEFAULT_RATING_RULES,
};

/** A preset scheme with the given tolerances. */
export function presetScheme(
  kind: Exclude<SchemeKind, "custom">,
  rules: RatingRules = DEFAULT_RATING_RULES,
): RatingScheme {
  return { kind, levels: PRESET_LEVELS[kind], rules };
}

function normalised(words: string): string {
  return words.trim().replace(/\s+/g, " ").toLowerCase();
}

/** A level of the scheme, as the rest of Baseplan shows a rating: words, short word, symbol, colour. */
export function schemeMeta(scheme: RatingScheme, key: RatingKey): RatingMeta {
  const five = RATINGS.find((meta) => meta.key === key) as RatingMeta;
  if (scheme === DEFAULT_SCHEME || isFiveLevelKey(scheme, key)) return five;
  const chosen = scheme.levels[key];
  return {
    key,
    label: chosen.label,
    shortWord: chosen.label,
    symbol: five.symbol,
    colour: chosen.colour,
  };
}

function isFiveLevelKey(scheme: RatingScheme, key: RatingKey): boolean {
  const chosen = scheme.levels[key];
  const five = FIVE_LEVELS[key];
  return chosen.label === five.label && chosen.colour === five.colour;
}

/** One level of the council's key: its words and colour, and the outcomes it stands for. */
export interface KeyLevel {
  readonly label: string;
  readonly colour: RatingColour;
  readonly outcomes: readonly RatingKey[];
  /** The first outcome's metadata, for a badge. */
  readonly meta: RatingMeta;
}

/** The council's key: one entry per distinct level, in the rule's order (best first). */
export function schemeKey(scheme: RatingScheme): KeyLevel[] {
  const levels: KeyLevel[] = [];
  for (const key of OUTCOMES) {
    const meta = schemeMeta(scheme, key);
    const same = levels.find((one) => normalised(one.label) === normalised(meta.label));
    if (same) (same.outcomes as RatingKey[]).push(key);
    else levels.push({ label: meta.label, colour: meta.colour, outcomes: [key], meta });
  }
  return levels;
}

/** The outcomes that are the same level of the council's key as this one (itself included). */
export function sameLevelAs(scheme: RatingScheme, key: RatingKey): RatingKey[] {
  return (
    schemeKey(scheme)
      .find((one) => one.outcomes.includes(key))
      ?.outcomes.slice() ?? [key]
  );
}

/**
 * The level of the council's key a printed rating names, by its words or another way the
 * council prints it ("Red", "R", "red"), or null where it names none of them.
 */
export function printedLevel(scheme: RatingScheme, printed: string): KeyLevel | null {
  const word = normalised(printed);
  if (word === "") return null;
  return (
    schemeKey(scheme).find((one) =>
      one.outcomes.some((key) => {
        const chosen = schemeMeta(scheme, key);
        return (
          normalised(chosen.label) === word ||
          scheme.levels[key].printedAs.some((alias) => normalised(alias) === word)
        );
      }),
    ) ?? null
  );
}

/**
 * Whether a printed rating agrees with Baseplan's (its level's words), compared level by level on
 * the council's key: "other key" where the printed words name no level of it (shown, never guessed).
 */
export function agreementInScheme(
  scheme: RatingScheme,
  printed: string | null,
  baseplanLabel: string,
): "agrees" | "differs" | "other key" | null {
  if (printed === null || printed.trim() === "") return null;
  const found = printedLevel(scheme, printed);
  if (!found) return "other key";
  return normalised(found.label) === normalised(baseplanLabel) ? "agrees" : "differs";
}

/** A field of the settings form a scheme's problem is about, with the message. */
export interface SchemeProblem {
  readonly field: string;
  readonly message: string;
}

/**
 * What is wrong with a scheme as a council would set it, naming the field: two outcomes with the
 * same words must share a colour; a way of printing a level may stand for one level only; the
 * rated outcomes may not be grey, nor "cannot be rated" a colour of a rating.
 */
export function schemeProblems(levels: Readonly<Record<RatingKey, SchemeLevel>>): SchemeProblem[] {
  const problems: SchemeProblem[] = [];
  const seen = new Map<string, { key: RatingKey; colour: RatingColour }>();
  const names = new Map<string, RatingKey>();
  for (const key of OUTCOMES) {
    const chosen = levels[key];
    const words = normalised(chosen.label);
    if (key === "not-available" && chosen.colour !== "grey") {
      problems.push({
        field: `${key}-colour`,
        message: `Choose grey for "${OUTCOME_WORDS[key]}": a colour would read as a rating`,
      });
    }
    if (key !== "not-available" && chosen.colour === "grey") {
      problems.push({
        field: `${key}-colour`,
        message: `Choose a colour other than grey for "${OUTCOME_WORDS[key]}": grey means it cannot be rated`,
      });
    }
    const earlier = seen.get(words);
    if (earlier && earlier.colour !== chosen.colour) {
      problems.push({
        field: `${key}-colour`,
        message: `"${chosen.label}" is also the words for "${OUTCOME_WORDS[earlier.key]}", on another colour: choose the same colour or other words`,
      });
    }
    if (earlier && (earlier.key === "not-available") !== (key === "not-available")) {
      problems.push({
        field: `${key}-words`,
        message: `"${chosen.label}" cannot be both a rating and "cannot be rated": choose other words`,
      });
    }
    if (!earlier) seen.set(words, { key, colour: chosen.colour });
    for (const name of [chosen.label, ...chosen.printedAs]) {
      const other = names.get(normalised(name));
      if (other !== undefined && normalised(levels[other].label) !== words) {
        problems.push({
          field: `${key}-printedAs`,
          message: `"${name}" already stands for "${levels[other].label}": a printed rating may name one level only`,
        });
      } else names.set(normalised(name), key);
    }
  }
  return problems;
}

/** The scheme's key in words, for the settings page, an audit event and a conflict. */
export function schemeWords(scheme: RatingScheme): string {
  const levels = schemeKey(scheme)
    .map((one) => `${one.label} (${one.colour})`)
    .join(", ");
  return `${levels}; tolerance ${scheme.rules.tolerancePercentOfTarget}% of the target, at least ${scheme.rules.tolerancePercentagePoints} percentage ${scheme.rules.tolerancePercentagePoints === 1 ? "point" : "points"} for percentages`;
}

/**
 * Rates a measure with the council's scheme: the rule with the scheme's tolerances, the outcome
 * shown as the scheme's level, and the sentence opening with the level's words.
 */
export function rateInScheme(
  input: MeasureRatingInput,
  scheme: RatingScheme = DEFAULT_SCHEME,
): MeasureRating {
  const rating = rateMeasure(input, scheme.rules);
  const meta = schemeMeta(scheme, rating.rating);
  if (meta === rating.meta) return rating;
  const explanation = rating.explanation.startsWith(rating.meta.label)
    ? `${meta.label}${rating.explanation.slice(rating.meta.label.length)}`
    : rating.explanation;
  return { ...rating, meta, explanation };
}
