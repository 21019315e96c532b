import {
  colourBadge,
  type RatingKey as KeyLevel,
  RATING_COLOURS,
  RATINGS,
  type RatingBadge,
  type RatingColour,
  ratingBadge,
  ratingMeta,
} from "./ratings.ts";

/** The council's five-level key as reports show it: a word always, a colour as well. */
export type RatingKey = "strong" | "good" | "review" | "action" | "none";

/** The rating key's level a report key names ("none" is the key's "not-available"). */
function levelOf(key: RatingKey): KeyLevel {
  return key === "none" ? "not-available" : key;
}

const REPORT_KEYS: readonly RatingKey[] = ["strong", "good", "review", "action", "none"];

function byReportKey(value: (level: KeyLevel) => string): Record<RatingKey, string> {
  return Object.fromEntries(REPORT_KEYS.map((key) => [key, value(levelOf(key))])) as Record<
    RatingKey,
    string
  >;
}

/** The key's words, from the one rating key (src/domain/ratings.ts). */
export const RATING_WORDS: Record<RatingKey, string> = byReportKey((level) => ratingMeta(level).label);

/** Fill colours for documents, from the one colour mapping, always paired with the word. */
export const RATING_FILLS: Record<RatingKey, string> = byReportKey(
  (level) => RATING_COLOURS[ratingMeta(level).colour].fill,
);

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
export const RATING_SYMBOLS: Record<RatingKey, string> = byReportKey((level) => ratingMeta(level).symbol);

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

/** What a template may hand the rating badge: a level of the key (either spelling), a badge, or a rated thing. */
export type BadgeSource =
  | RatingColour
  | RatingKey
  | KeyLevel
  | RatingBadge
  | { readonly key: KeyLevel }
  | { readonly rating: KeyLevel | RatingKey; readonly meta?: { label: string; colour: RatingColour } };

function isLevel(text: string): text is KeyLevel | RatingKey {
  return text === "none" || RATINGS.some((meta) => meta.key === text);
}

/**
 * The badge for whatever a page or report holds of a rating, through the one mapping
 * (`ratingBadge`): a key ("good", "none"), a colour of any scheme with its words ("red",
 * "Red"), a badge already made (a budget line's "Red"), a rating
 * key's metadata or count ({ key }), or a measure's rating (in the council's scheme, { rating,
 * meta }) or a report cell ({ rating }). Words,
 * when given, replace the key's own (a document's "No data", a budget's "Amber").
 */
export function badgeFor(source: BadgeSource, words?: string | null): RatingBadge {
  if (typeof source === "string") {
    if (source in RATING_COLOURS && words) return colourBadge(source as RatingColour, words);
    if (!isLevel(source)) throw new RangeError(`Unknown rating ${source}.`);
    return ratingBadge(source === "none" ? "not-available" : source, words ?? undefined);
  }
  if ("className" in source) return words ? { words, className: source.className } : source;
  // A level's metadata (a measure's rating's, in the council's scheme): its words on its colour.
  if ("key" in source && "colour" in source && "label" in source) {
    const level = source as { colour: RatingColour; label: string };
    return colourBadge(level.colour, words || level.label);
  }
  if ("key" in source) return badgeFor(source.key, words);
  // A measure's rating carries its level of the council's scheme: its words and colour.
  if (source.meta) return colourBadge(source.meta.colour, words || source.meta.label);
  return badgeFor(source.rating, words);
}

const KEY_OF_COLOUR: Readonly<Record<RatingColour, RatingKey>> = {
  blue: "strong",
  green: "good",
  amber: "review",
  red: "action",
  grey: "none",
};

/**
 * The report key whose colour a level of any scheme is shown on (a council's "Green" is drawn and
 * filled as the key's green), so a report cell or bar of any scheme has its colour through the
 * one mapping, beside its own words.
 */
export function reportKeyOfColour(colour: RatingColour): RatingKey {
  return KEY_OF_COLOUR[colour];
}
