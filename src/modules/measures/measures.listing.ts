import type { Database } from "../../db/client.ts";
import { answersSearch } from "../../domain/measure-identity.ts";
import { agreementInScheme, DEFAULT_SCHEME, type RatingScheme } from "../../domain/rating-schemes.ts";
import { isOffTarget, type MeasureRating, RATINGS } from "../../domain/ratings.ts";
import { publishedFiguresFor } from "./measures.published.ts";
import {
  type GroupListing,
  type RatedRow,
  rateAgainstEarlier,
  shownColumns,
  targetReader,
} from "./measures.ratings.ts";
import type { ListedValue, Measure, MeasureGroup, PrintedRating } from "./measures.repository.ts";
import * as repository from "./measures.repository.ts";
import { ratingScheme } from "./measures.scheme.ts";
import { periodKey } from "./measures.shared.ts";

/**
 * The measures list: every group's rows rated, narrowed by filters, and the counts shown above it.
 */

/** What the measures list is narrowed to: any of these ratings, one group, a search. */
export interface ListFilters {
  ratings?: readonly string[] | undefined;
  group?: string | undefined;
  search?: string | undefined;
  /** "differs": only rows whose council's printed rating disagrees with Baseplan's for the period shown. */
  printed?: "differs" | undefined;
}

function byMeasure<T extends { measureId: number }>(items: T[]): Map<number, T[]> {
  const grouped = new Map<number, T[]>();
  for (const item of items) {
    const list = grouped.get(item.measureId);
    if (list) list.push(item);
    else grouped.set(item.measureId, [item]);
  }
  return grouped;
}

/** A measure's row in a table, waiting for its figures. */
interface ListedEntry {
  measure: Measure;
  group: MeasureGroup;
  row: { titleAsWritten: string; printedRating: string | null };
  shown: ReturnType<typeof shownColumns>;
  figures: repository.ListedFigures;
  /** The council's printed rating for the period shown (see printedFor). */
  printed: string | null;
}

function printsRatings(group: MeasureGroup): boolean {
  return group.columns.some((column) => column.role === "rating");
}

/**
 * Which printed rating a row of a table shows: the one the table printed for the period the row's
 * figures are for, from the ratings kept by period (docs/decisions/0025-printed-ratings-by-period.md);
 * a table without a period keeps its rating on the row only, so that one. Null where the table
 * printed none for the period, or prints no ratings.
 */
export function printedFor(
  group: MeasureGroup,
  rowRating: string | null,
  printed: readonly Pick<PrintedRating, "groupId" | "periodKey" | "ratingText" | "current" | "id">[],
): string | null {
  if (!printsRatings(group)) return null;
  const { key } = shownColumns(group);
  if (key === "") return rowRating?.trim() ? rowRating : null;
  const found = printed
    .filter((one) => one.current && one.groupId === group.id && one.periodKey === key)
    .sort((a, b) => b.id - a.id)[0];
  return found?.ratingText ?? null;
}

/**
 * How the council's printed rating compares with Baseplan's rating (its label): see
 * printedRatingAgreement. Null where nothing was printed.
 */
export function councilRatingAgreement(
  printed: string | null,
  baseplanLabel: string,
  scheme: RatingScheme = DEFAULT_SCHEME,
): "agrees" | "differs" | "other key" | null {
  return agreementInScheme(scheme, printed, baseplanLabel);
}

/** What a rated row says of the council's printed rating, beside Baseplan's rating. */
export function printedParts(
  group: MeasureGroup,
  printed: string | null,
  computedLabel: string,
  scheme: RatingScheme,
) {
  return {
    printedRating: printed,
    printedPeriod: shownColumns(group).period || null,
    printsRatings: printsRatings(group),
    printedAgreement: councilRatingAgreement(printed, computedLabel, scheme),
  };
}

const EMPTY_FIGURES: repository.ListedFigures = { latest: null, target: null, previous: null };

/** One string per distinct request, to read each set of figures once. */
function requestKey(...parts: (string | number)[]): string {
  return JSON.stringify(parts);
}

/**
 * Every table as the documents print it, rated. Reads only what each row shows and rates: the
 * value for the period its table shows, the value recorded before it, the target beside it, the
 * benchmarks of those two periods and any earlier value a target names, so the cost grows with
 * the rows listed, not with the years of values behind them. The ratings are those of rowRating
 * over the whole history (the measure's page), which the tests compare.
 */
export async function listMeasureGroups(db: Database): Promise<GroupListing[]> {
  const { groups, rows, measures } = await repository.listingFrame(db);
  const measuresById = new Map(measures.map((measure) => [measure.id, measure]));
  const rowsOf = new Map<number, typeof rows>();
  for (const row of rows) {
    const list = rowsOf.get(row.groupId);
    if (list) list.push(row);
    else rowsOf.set(row.groupId, [row]);
  }
  const layout: { group: MeasureGroup; rows: (ListedEntry | { subHeading: string })[] }[] = [];
  const entries: ListedEntry[] = [];
  const requests: repository.FigureRequest[] = [];
  const requestIndex = new Map<string, number>();
  const entryRequest: number[] = [];
  for (const group of groups) {
    const shown = shownColumns(group);
    const listed: (ListedEntry | { subHeading: string })[] = [];
    for (const row of rowsOf.get(group.id) ?? []) {
      const measure = row.measureId === null ? undefined : measuresById.get(row.measureId);
      // A row of an archived measure (the listing reads only current measures) is left out.
      if (row.measureId !== null && !measure) continue;
      if (!measure) {
        listed.push({ subHeading: row.titleAsWritten });
        continue;
      }
      const request = {
        measureId: measure.id,
        document: group.document,
        periodKey: shown.key,
        columnRole: shown.columnRole,
        targetKey: shown.targetKey,
      };
      const key = requestKey(measure.id, group.document, shown.key, shown.columnRole, shown.targetKey);
      let index = requestIndex.get(key);
      if (index === undefined) {
        index = requests.push(request) - 1;
        requestIndex.set(key, index);
      }
      const entry: ListedEntry = { measure, group, row, shown, figures: EMPTY_FIGURES, printed: null };
      entries.push(entry);
      entryRequest.push(index);
      listed.push(entry);
    }
    if (listed.length > 0) layout.push({ group, rows: listed });
  }
  const figures = await repository.listedFigures(db, requests);
  for (const [index, entry] of entries.entries()) {
    entry.figures = figures[entryRequest[index] ?? -1] ?? EMPTY_FIGURES;
  }
  // The council's printed rating for the period each row shows, and only that period's.
  const byPeriod = entries.filter((entry) => printsRatings(entry.group) && entry.shown.key !== "");
  const printed = await repository.listedPrintedRatings(
    db,
    byPeriod.map((entry) => ({
      measureId: entry.measure.id,
      groupId: entry.group.id,
      periodKey: entry.shown.key,
    })),
  );
  for (const [index, entry] of byPeriod.entries()) entry.printed = printed[index] ?? null;
  for (const entry of entries) {
    if (printsRatings(entry.group) && entry.shown.key === "" && entry.row.printedRating?.trim()) {
      entry.printed = entry.row.printedRating;
    }
  }
  const scheme = await ratingScheme(db);
  const ratings = await rateListedEntries(db, entries, scheme);
  return layout.map(({ group, rows: listed }) => ({
    group,
    rows: listed.map((item) => {
      if (!("measure" in item)) return item;
      const rating = ratings.get(item) as MeasureRating;
      return {
        measure: item.measure,
        titleAsWritten: item.row.titleAsWritten,
        ...printedParts(item.group, item.printed, rating.meta.label, scheme),
        latest: item.figures.latest,
        target: item.figures.target,
        rating,
      };
    }),
  }));
}

/**
 * Rates listed rows from their figures, reading the benchmarks of the periods compared and the
 * earlier values ratings ask for. Which earlier periods a target names ("improve on 2019/20") is
 * known only once it is read, so a rating that asks for a value not yet read is rated again once
 * it has been (rating is pure, so the second rating is the one the whole history would give).
 */
async function rateListedEntries(
  db: Database,
  entries: ListedEntry[],
  scheme: RatingScheme,
): Promise<Map<ListedEntry, MeasureRating>> {
  const published = await publishedFiguresFor(db, [...new Set(entries.map((entry) => entry.measure.id))]);
  const readTarget = targetReader();
  const benchmarkRequests = new Map<string, { measureId: number; periodKey: string }>();
  const ownValues = new Map<string, ListedValue | null>();
  let wanted = new Map<string, repository.EarlierRequest>();
  const want = (measureId: number, document: string, key: string) => {
    const id = requestKey(measureId, document, key);
    if (!ownValues.has(id)) wanted.set(id, { measureId, document, columnRole: "value", periodKey: key });
  };
  for (const entry of entries) {
    const { measure, shown, figures } = entry;
    benchmarkRequests.set(requestKey(measure.id, shown.key), { measureId: measure.id, periodKey: shown.key });
    if (figures.previous) {
      const previousKey = periodKey(figures.previous.periodLabel);
      benchmarkRequests.set(requestKey(measure.id, previousKey), {
        measureId: measure.id,
        periodKey: previousKey,
      });
      if (previousKey !== shown.key) want(measure.id, entry.group.document, previousKey);
    }
  }
  const benchmarksByMeasure = byMeasure(
    await repository.listedBenchmarks(db, [...benchmarkRequests.values()]),
  );
  const ratings = new Map<ListedEntry, MeasureRating>();
  let pending = entries;
  while (pending.length > 0) {
    const asked = [...wanted.entries()];
    const found = await repository.earlierValues(
      db,
      asked.map(([, request]) => request),
    );
    for (const [index, [id]] of asked.entries()) ownValues.set(id, found[index] ?? null);
    wanted = new Map();
    const again: ListedEntry[] = [];
    for (const entry of pending) {
      const { measure, group, shown, figures } = entry;
      let missing = false;
      const ownValue = (key: string): ListedValue | null | undefined => {
        // The values compared are of other periods than the one shown.
        if (key === shown.key) return null;
        const id = requestKey(measure.id, group.document, key);
        const value = ownValues.get(id);
        if (value === undefined) {
          missing = true;
          want(measure.id, group.document, key);
        }
        return value;
      };
      const rating = rateAgainstEarlier(
        measure,
        figures.latest,
        figures.target,
        shown.period,
        { previous: figures.previous ?? undefined, ownValue },
        benchmarksByMeasure.get(measure.id) ?? [],
        published.get(measure.id),
        false,
        readTarget,
        scheme,
      );
      if (missing) again.push(entry);
      else ratings.set(entry, rating);
    }
    pending = again;
  }
  return ratings;
}

function rowAnswers(row: RatedRow, filters: ListFilters): boolean {
  return (
    filters.search === undefined ||
    answersSearch(filters.search, {
      titles: [row.titleAsWritten, row.measure.title, ...row.measure.otherTitles],
      code: row.measure.code,
    })
  );
}

/**
 * The same listing narrowed by rating, group and search, without reading or rating anything
 * again. A group's sub-headings stay only while nothing narrows the rows under them.
 */
export function filterListings(listings: GroupListing[], filters: ListFilters): GroupListing[] {
  const ratings = filters.ratings ?? [];
  if (!filters.group && ratings.length === 0 && !filters.search && !filters.printed) return listings;
  const filtered: GroupListing[] = [];
  for (const listing of listings) {
    if (filters.group && String(listing.group.id) !== filters.group) continue;
    const rows = listing.rows.filter((row) =>
      "measure" in row
        ? (ratings.length === 0 || ratings.includes(row.rating.rating)) &&
          (!filters.printed || row.printedAgreement === filters.printed) &&
          rowAnswers(row, filters)
        : ratings.length === 0 && !filters.search && !filters.printed,
    );
    if (rows.length > 0) filtered.push({ group: listing.group, rows });
  }
  return filtered;
}

/**
 * How many rows the group and search leave whose council's printed rating, for the period the row
 * shows, disagrees with Baseplan's on the same key (what the "printed=differs" filter would show).
 */
export function printedDisagreementCount(
  listings: GroupListing[],
  filters: Pick<ListFilters, "group" | "search">,
): number {
  return ratedRowCount(
    filterListings(listings, { group: filters.group, search: filters.search, printed: "differs" }),
  );
}

/** How many rated rows a listing holds. */
export function ratedRowCount(listings: readonly GroupListing[]): number {
  return listings.reduce((sum, listing) => sum + listing.rows.filter((row) => "measure" in row).length, 0);
}

/**
 * For the list's filter: how many rows have each rating, and how many are off target, among those
 * the group and search leave (so each count says what ticking that rating would show).
 */
export function ratingCounts(
  listings: GroupListing[],
  filters: Pick<ListFilters, "group" | "search">,
): { byRating: Map<string, number>; offTarget: number } {
  const byRating = new Map<string, number>(RATINGS.map((meta) => [meta.key, 0]));
  let offTarget = 0;
  for (const listing of filterListings(listings, { group: filters.group, search: filters.search })) {
    for (const row of listing.rows) {
      if (!("measure" in row)) continue;
      byRating.set(row.rating.rating, (byRating.get(row.rating.rating) ?? 0) + 1);
      if (isOffTarget(row.rating.meta.colour)) offTarget += 1;
    }
  }
  return { byRating, offTarget };
}
