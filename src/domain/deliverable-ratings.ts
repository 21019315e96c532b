/**
 * The council's key for rating a deliverable's progress (docs/decisions/0042-deliverable-rating-key.md):
 * the levels an officer chooses from, each in the council's words with what it means, as the
 * council wrote them. A deliverable's rating is an officer's judgement, not worked out by a rule
 * (decision 0010), so what matters on the form is the meaning of each level. Each level is kept
 * as one of the five stored ratings (its colour and place in counts); a council may use any two
 * or more of them, in its own words.
 */

import { RATINGS, type RatingKey, type RatingMeta } from "./ratings.ts";

export interface DeliverableLevel {
  /** The stored rating the level is kept as (its colour, its place in counts). */
  readonly rating: RatingKey;
  /** The council's words for the level ("On track"). */
  readonly words: string;
  /** What the level means, as the council wrote it; may be empty where it wrote none. */
  readonly meaning: string;
}

export interface DeliverableKey {
  /** The levels, best first, as the form offers them. */
  readonly levels: readonly DeliverableLevel[];
  /** Whether the council set the key; false for Baseplan's suggested meanings of the five levels. */
  readonly councils: boolean;
}

/**
 * Baseplan's suggested meanings of the five-level key, shown until the council writes its own
 * (labelled as Baseplan's wherever shown).
 */
export const SUGGESTED_MEANINGS: Readonly<Record<RatingKey, string>> = {
  strong: "Ahead of plan: delivering more, or sooner, than planned",
  good: "On track: delivering as planned",
  review: "At risk: behind plan or facing problems that are being reviewed",
  action: "Off track: will not deliver as planned without action",
  "not-available": "Cannot yet be rated: no information yet, or not due to start",
};

/** The key of a council that has written none: the five levels with Baseplan's suggested meanings. */
export const DEFAULT_DELIVERABLE_KEY: DeliverableKey = {
  levels: RATINGS.map((meta) => ({
    rating: meta.key,
    words: meta.label,
    meaning: SUGGESTED_MEANINGS[meta.key],
  })),
  councils: false,
};

function normalised(words: string): string {
  return words.trim().replace(/\s+/g, " ").toLowerCase();
}

/** What is wrong with a key as a council would set it, in words; empty when it can be used. */
export function deliverableKeyProblems(levels: readonly DeliverableLevel[]): string[] {
  const problems: string[] = [];
  if (levels.length < 2) problems.push("A key needs at least two levels");
  const ratings = new Set<RatingKey>();
  const words = new Set<string>();
  for (const level of levels) {
    if (ratings.has(level.rating)) problems.push(`Two levels are kept as the same rating (${level.rating})`);
    ratings.add(level.rating);
    const word = normalised(level.words);
    if (word === "") problems.push("Every level needs its words");
    else if (words.has(word)) problems.push(`"${level.words}" names two levels`);
    words.add(word);
  }
  return problems;
}

/** The level of the key a stored rating is, or undefined for a rating the key does not use. */
export function levelOf(key: DeliverableKey, rating: string): DeliverableLevel | undefined {
  return key.levels.find((level) => level.rating === rating);
}

/**
 * A stored rating as pages show it, in the key's words on the stored rating's colour; the
 * five-level key's own metadata where the key does not use the rating (an older entry).
 */
export function deliverableRatingMeta(key: DeliverableKey, rating: RatingKey): RatingMeta {
  const five = RATINGS.find((meta) => meta.key === rating) as RatingMeta;
  const level = levelOf(key, rating);
  if (!level || level.words === five.label) return five;
  return { ...five, label: level.words, shortWord: level.words };
}
