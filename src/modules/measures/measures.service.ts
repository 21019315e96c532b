/**
 * The measures module's service, as other modules and the routes reach it. The work is split by
 * what it does:
 * - measures.values.ts: a measure created, a value's own period stored, edits of a measure's
 *   details, a value and a target;
 * - measures.import-preview.ts: a pasted council table read and previewed before it is saved;
 * - measures.import.ts: a pasted table saved (group, measures, values, targets, printed ratings);
 * - measures.ratings.ts: Baseplan's rating of a row from its stored value, target and benchmarks;
 * - measures.listing.ts: the measures list, its filters and counts;
 * - measures.page.ts: a measure's own page, its figures and benchmark judgements, a document's figures;
 * - measures.plan-links.ts: what measures ask of the plan (its links to measures), handed in;
 * - measures.shared.ts: what they share (a period's key, a value's own period);
 * - measures.period-values.ts: values entered for a monitoring period, due-ness, period ratings,
 *   printed ratings and the public measures.
 */
export { ratingMeta } from "../../domain/ratings.ts";
export * from "./measures.import.ts";
export * from "./measures.import-preview.ts";
export * from "./measures.listing.ts";
export * from "./measures.page.ts";
export * from "./measures.period-values.ts";
export type {
  EvidencedDeliverable,
  EvidencedOutcome,
  MeasureEvidence,
  PlanLinks,
} from "./measures.plan-links.ts";
export * from "./measures.ratings.ts";
export type {
  Measure,
  MeasureBenchmark,
  MeasureDetails,
  MeasureGroup,
  MeasureTarget,
  MeasureValue,
  PrintedRating,
} from "./measures.repository.ts";
// What the documents read of the measures as stored: through this service, never the repository.
export {
  findMeasures,
  listGroups,
  listMeasures,
  listRows,
  type MeasureRow,
  targetsOf,
  valuesOf,
} from "./measures.repository.ts";
export { ratingScheme } from "./measures.scheme.ts";
export { periodKey } from "./measures.shared.ts";
export * from "./measures.values.ts";
