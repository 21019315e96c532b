import { ratingMeta } from "./ratings.ts";

/** The council's five-level key as reports show it: a word always, a colour as well. */
export type RatingKey = "strong" | "good" | "review" | "action" | "none";

export const RATING_WORDS: Record<RatingKey, string> = {
  strong: "Strong",
  good: "Good",
  review: "Review",
  action: "Action",
  none: "Data not available / target not set",
};

/** Fill colours for documents (GOV.UK palette tints), always paired with the word. */
export const RATING_FILLS: Record<RatingKey, string> = {
  strong: "D2E2F1",
  good: "CCE2D8",
  review: "FFF7BF",
  action: "F4CDC6",
  none: "E5E6E7",
};

/**
 * Bar colours for charts of counts by rating (GOV.UK palette), each bar also named by its word
 * and outlined, so the paler ones stand out from the page.
 */
export const RATING_BAR_COLOURS: Record<RatingKey, string> = {
  strong: "#1d70b8",
  good: "#00703c",
  review: "#ffdd00",
  action: "#d4351c",
  none: "#b1b4b6",
};

/**
 * One text symbol per rating, drawn by ordinary fonts (no emoji font needed) and always beside
 * the word: the documents' own keys use coloured emoji, and one of them for two meanings.
 */
export const RATING_SYMBOLS: Record<RatingKey, string> = {
  strong: ratingMeta("strong").symbol,
  good: ratingMeta("good").symbol,
  review: ratingMeta("review").symbol,
  action: ratingMeta("action").symbol,
  none: ratingMeta("not-available").symbol,
};

export interface KeyEntry {
  /** The rating the key's words name; null for words that are not a rating. */
  rating: RatingKey | null;
  /** The key's own words for it, as written. */
  words: string;
}

const PICTOGRAPH = /\p{Extended_Pictographic}\uFE0F?/gu;

function ratingNamed(words: string): RatingKey | null {
  const text = words.toLowerCase();
  if (/data not available|target not set|not rated|no data/.test(text)) return "none";
  for (const key of ["strong", "good", "review", "action"] as const) if (text.includes(key)) return key;
  return null;
}

/**
 * A document's key line ("Key 🟦 Strong 🟢 Good 🟡 Review …") as its entries: the words after
 * each symbol, with the rating they name. Empty when the line has no symbols.
 */
export function readKeyLine(line: string): KeyEntry[] {
  const parts = line.split(PICTOGRAPH).slice(1);
  return parts
    .map((part) => part.replace(/\s+/g, " ").trim())
    .filter((words) => words !== "")
    .map((words) => ({ rating: ratingNamed(words), words }));
}

/** The key line in words and Baseplan's symbols ("Key: ★ Strong, ✓ Good, …"), or as written without symbols. */
export function keyLineText(line: string): string {
  const entries = readKeyLine(line);
  if (entries.length === 0) return line;
  return `Key: ${entries
    .map((entry) => (entry.rating ? `${RATING_SYMBOLS[entry.rating]} ${entry.words}` : entry.words))
    .join(", ")}`;
}
