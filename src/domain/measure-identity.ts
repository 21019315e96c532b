/**
 * Which measure a row of another council's table is: by its code where the table has one, else
 * by its title written the council's way or any way it was written before. Titles match after
 * normalising what copying and retyping change without changing the words: curly and straight
 * quotes, dashes, spaces and case.
 *
 * Also the trend words councils print ("Getting better", "Improving", "No change", "Worse"),
 * read into better, same or worse.
 */

/** A title as matching sees it: "Children’s  centres – Audited" and "children's centres - audited" are one. */
export function normaliseTitle(title: string): string {
  return title
    .normalize("NFKC")
    .replace(/[\u2018\u2019\u201a\u201b\u2032\u0060\u00b4]/g, "'")
    .replace(/[\u201c\u201d\u201e\u201f\u2033]/g, '"')
    .replace(/[\u2010-\u2015\u2212]/g, "-")
    .replace(/\s+/g, " ")
    .trim()
    .toLowerCase();
}

/** A code as matching sees it: "PI 12", "pi12" and "PI-12" are one. */
export function normaliseCode(code: string): string {
  return code
    .normalize("NFKC")
    .replace(/[\s\-\u2010-\u2015_.]/g, "")
    .toLowerCase();
}

/**
 * Whether a measure answers a search typed on the measures list: the words typed appear in any
 * of its titles (as written now or before), or the code typed is part of its code, matched the
 * way import matching sees them (quotes, dashes, spaces and case do not count).
 */
export function answersSearch(
  search: string,
  measure: { titles: readonly string[]; code: string | null },
): boolean {
  const words = normaliseTitle(search);
  if (words === "") return true;
  if (measure.titles.some((title) => normaliseTitle(title).includes(words))) return true;
  const code = normaliseCode(search);
  return code !== "" && measure.code !== null && normaliseCode(measure.code).includes(code);
}

export interface IdentifiableMeasure {
  readonly id: number;
  readonly title: string;
  readonly otherTitles: readonly string[];
  readonly code: string | null;
}

export type MeasureMatch<M extends IdentifiableMeasure> =
  | { readonly by: "code" | "title"; readonly measure: M }
  | { readonly by: "none"; readonly closest: readonly M[] };

function words(title: string): Set<string> {
  return new Set(
    normaliseTitle(title)
      .replace(/[^a-z0-9%]+/g, " ")
      .split(" ")
      .filter((word) => word.length > 2),
  );
}

/** How alike two titles are: the share of their words in common, 0 to 1. */
export function titleLikeness(a: string, b: string): number {
  const first = words(a);
  const second = words(b);
  if (first.size === 0 || second.size === 0) return 0;
  let shared = 0;
  for (const word of first) if (second.has(word)) shared += 1;
  return shared / (first.size + second.size - shared);
}

/**
 * The measure a row is. A code that matches decides, even where the title was reworded. A row
 * with a code that matches none is a new measure only if no measure without a code has its
 * title. With no match, up to three measures whose titles share at least a third of their words
 * are offered, closest first.
 */
export function matchMeasure<M extends IdentifiableMeasure>(
  measures: readonly M[],
  row: { title: string; code?: string | null },
): MeasureMatch<M> {
  const code = row.code ? normaliseCode(row.code) : "";
  if (code !== "") {
    const byCode = measures.find((measure) => measure.code !== null && normaliseCode(measure.code) === code);
    if (byCode) return { by: "code", measure: byCode };
  }
  const title = normaliseTitle(row.title);
  const byTitle = measures.find(
    (measure) =>
      (code === "" || measure.code === null || normaliseCode(measure.code) === code) &&
      [measure.title, ...measure.otherTitles].some((written) => normaliseTitle(written) === title),
  );
  if (byTitle) return { by: "title", measure: byTitle };
  const closest = measures
    .map((measure) => ({
      measure,
      likeness: Math.max(
        ...[measure.title, ...measure.otherTitles].map((written) => titleLikeness(written, row.title)),
      ),
    }))
    .filter((candidate) => candidate.likeness >= 1 / 3)
    .sort((a, b) => b.likeness - a.likeness || a.measure.id - b.measure.id)
    .slice(0, 3)
    .map((candidate) => candidate.measure);
  return { by: "none", closest };
}

export type TrendDirection = "better" | "same" | "worse";

const TREND_WORDS: readonly [RegExp, TrendDirection][] = [
  [/^(?:no change|unchanged|same|stable|static|maintained|steady|no movement)$/i, "same"],
  [/^(?:getting worse|worse|worsening|deteriorat(?:ing|ed)|declin(?:ing|ed))$/i, "worse"],
  [/^(?:getting better|better|improv(?:ing|ed|ement))$/i, "better"],
];

/**
 * Reads a trend as printed: "Getting better", "Improving" are better; "No change", "Stable" the
 * same; "Getting worse", "Declining" worse. Null for anything else (an arrow says higher or
 * lower, not better or worse), which is shown as written and not guessed.
 */
export function readTrendWords(text: string): TrendDirection | null {
  const written = text.trim().replace(/\s+/g, " ").replace(/[.!]$/, "");
  for (const [pattern, direction] of TREND_WORDS) if (pattern.test(written)) return direction;
  return null;
}

/**
 * Whether the rating a document printed agrees with Baseplan's, on the same key: "agrees" or
 * "differs" where the printed word is one of the key's words (any case); "other key" where the
 * document rated on a key of its own (Red/Amber/Green against a five-level key), which is shown
 * beside Baseplan's and never compared by guesswork.
 */
export function printedRatingAgreement(
  printed: string | null,
  computedLabel: string,
  keyLabels: readonly string[],
): "agrees" | "differs" | "other key" | null {
  if (printed === null || printed.trim() === "") return null;
  const word = printed.trim().toLowerCase();
  if (!keyLabels.some((label) => label.toLowerCase() === word)) return "other key";
  return word === computedLabel.toLowerCase() ? "agrees" : "differs";
}
