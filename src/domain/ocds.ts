/**
 * Open Contracting Data Standard 1.1 releases for the planning stage of a procurement, and the
 * release package that publishes them. Pure: the caller supplies the dates and identifiers.
 */

import type { IsoDate, PlannedProcurement, ProcurementCategory } from "./procurement.ts";
import { addMonths, daysBetween, expectedTenderDate, isIsoDate } from "./procurement.ts";

export type OcdsMainProcurementCategory = "goods" | "services" | "works";

export interface OcdsOrganizationReference {
  id: string;
  name: string;
}

export interface OcdsOrganization extends OcdsOrganizationReference {
  roles: string[];
}

export interface OcdsValue {
  amount: number;
  currency: "GBP";
}

export interface OcdsPeriod {
  startDate?: string;
  endDate?: string;
  durationInDays?: number;
}

export interface OcdsPlanningTender {
  id: string;
  title: string;
  description?: string;
  status: "planned";
  value: OcdsValue;
  mainProcurementCategory: OcdsMainProcurementCategory;
  tenderPeriod: { startDate: string };
  contractPeriod: OcdsPeriod;
}

export interface OcdsPlanningRelease {
  ocid: string;
  id: string;
  date: string;
  tag: ["planning"];
  initiationType: "tender";
  language: "en";
  parties: OcdsOrganization[];
  buyer: OcdsOrganizationReference;
  planning?: { rationale: string };
  tender: OcdsPlanningTender;
}

export interface OcdsPublisher {
  name: string;
  scheme?: string;
  uid?: string;
  uri?: string;
}

export interface OcdsReleasePackage {
  uri: string;
  version: "1.1";
  publishedDate: string;
  publisher: OcdsPublisher;
  license?: string;
  publicationPolicy?: string;
  releases: OcdsPlanningRelease[];
}

export interface PlanningReleaseOptions {
  /**
   * The council's registered OCDS prefix, e.g. "ocds-abc123"; the ocid is the prefix, a hyphen
   * and the procurement's id, as the standard composes it.
   */
  ocidPrefix: string;
  buyer: OcdsOrganizationReference;
  /** When this information was recorded or published: an RFC 3339 date-time with a zone. */
  releaseDate: string;
  /** Unique within the ocid; defaults to "planning-" and the release date. */
  releaseId?: string;
  /** Why the procurement is planned, where known. */
  rationale?: string;
}

export interface ReleasePackageOptions {
  /** Where this package can be found. */
  uri: string;
  /** RFC 3339 date-time with a zone. */
  publishedDate: string;
  publisher: OcdsPublisher;
  license?: string;
  publicationPolicy?: string;
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function requireDateTime(text: string, what: string): string {
  if (!DATE_TIME.test(text) || !isIsoDate(text.slice(0, 10))) {
    throw new RangeError(
      `${what} must be a date and time with a zone, e.g. 2022-04-01T09:00:00Z; got "${text}".`,
    );
  }
  return text;
}

/** Beyond this, a number of pounds with pence no longer prints back exactly (15 significant digits). */
const LARGEST_EXACT_PENCE = 999_999_999_999_999;

/**
 * Pence as the number of pounds OCDS wants. Exact: for any whole number of pence up to
 * £9,999,999,999,999.99 the number prints (and serialises to JSON) as the exact decimal.
 */
export function penceToOcdsAmount(pence: number): number {
  if (!Number.isSafeInteger(pence) || Math.abs(pence) > LARGEST_EXACT_PENCE) {
    throw new RangeError(`An OCDS amount must be a whole number of pence below £10 trillion; got ${pence}.`);
  }
  return pence / 100;
}

export function ocdsCategory(category: ProcurementCategory): OcdsMainProcurementCategory {
  return category === "light-touch-services" ? "services" : category;
}

/** The last Sunday of a month, as an ISO date (the UK changes its clocks on these). */
function lastSunday(year: number, month: number): IsoDate {
  const last = new Date(Date.UTC(year, month, 0));
  last.setUTCDate(last.getUTCDate() - last.getUTCDay());
  return last.toISOString().slice(0, 10);
}

function isBritishSummerTime(isoDate: IsoDate, atEndOfDay: boolean): boolean {
  const year = Number(isoDate.slice(0, 4));
  const starts = lastSunday(year, 3);
  const ends = lastSunday(year, 10);
  // Clocks go forward at 01:00 GMT on the first day and back at 02:00 BST on the last.
  return atEndOfDay ? isoDate >= starts && isoDate < ends : isoDate > starts && isoDate <= ends;
}

/** Midnight at the start of a UK day with its offset: "2021-06-01T00:00:00+01:00", "2021-01-01T00:00:00Z". */
export function ukStartOfDay(isoDate: IsoDate): string {
  requireIsoDateOrThrow(isoDate);
  return `${isoDate}T00:00:00${isBritishSummerTime(isoDate, false) ? "+01:00" : "Z"}`;
}

/** The last second of a UK day with its offset: "2025-03-31T23:59:59+01:00". */
export function ukEndOfDay(isoDate: IsoDate): string {
  requireIsoDateOrThrow(isoDate);
  return `${isoDate}T23:59:59${isBritishSummerTime(isoDate, true) ? "+01:00" : "Z"}`;
}

function requireIsoDateOrThrow(isoDate: IsoDate): void {
  if (!isIsoDate(isoDate)) throw new RangeError(`A date must be written YYYY-MM-DD; got "${isoDate}".`);
}

/**
 * The contract period: from the estimated start date to the contract end date where known;
 * otherwise the longest it may run, in days, where a duration is known ("up to 4 years").
 */
function contractPeriod(procurement: PlannedProcurement): OcdsPeriod {
  const period: OcdsPeriod = { startDate: ukStartOfDay(procurement.estimatedStartDate) };
  if (procurement.contractEndDate !== undefined) {
    period.endDate = ukEndOfDay(procurement.contractEndDate);
  } else if (procurement.durationMonths !== undefined) {
    if (!Number.isInteger(procurement.durationMonths) || procurement.durationMonths <= 0) {
      throw new RangeError(
        `The duration of "${procurement.title}" must be a whole number of months; got ${procurement.durationMonths}.`,
      );
    }
    period.durationInDays = daysBetween(
      procurement.estimatedStartDate,
      addMonths(procurement.estimatedStartDate, procurement.durationMonths),
    );
  }
  return period;
}

/** A planning-stage release (tag "planning", tender status "planned") for one planned procurement. */
export function planningRelease(
  procurement: PlannedProcurement,
  options: PlanningReleaseOptions,
): OcdsPlanningRelease {
  if (options.ocidPrefix.trim() === "") throw new RangeError("The OCDS prefix must not be empty.");
  const date = requireDateTime(options.releaseDate, "The release date");
  const tender: OcdsPlanningTender = {
    id: procurement.id,
    title: procurement.title,
    status: "planned",
    value: { amount: penceToOcdsAmount(procurement.estimatedValuePence), currency: "GBP" },
    mainProcurementCategory: ocdsCategory(procurement.category),
    tenderPeriod: { startDate: ukStartOfDay(expectedTenderDate(procurement)) },
    contractPeriod: contractPeriod(procurement),
  };
  if (procurement.description !== undefined) tender.description = procurement.description;
  const release: OcdsPlanningRelease = {
    ocid: `${options.ocidPrefix}-${procurement.id}`,
    id: options.releaseId ?? `planning-${date}`,
    date,
    tag: ["planning"],
    initiationType: "tender",
    language: "en",
    parties: [{ id: options.buyer.id, name: options.buyer.name, roles: ["buyer"] }],
    buyer: { id: options.buyer.id, name: options.buyer.name },
    tender,
  };
  if (options.rationale !== undefined) release.planning = { rationale: options.rationale };
  return release;
}

/** Wraps releases in an OCDS 1.1 release package. Refuses an empty list (the schema needs one or more). */
export function releasePackage(
  releases: readonly OcdsPlanningRelease[],
  options: ReleasePackageOptions,
): OcdsReleasePackage {
  if (releases.length === 0) throw new RangeError("A release package needs at least one release.");
  const seen = new Set<string>();
  for (const release of releases) {
    const key = `${release.ocid}\u0000${release.id}`;
    if (seen.has(key)) {
      throw new RangeError(
        `Release "${release.id}" of ${release.ocid} appears twice; release ids must be unique.`,
      );
    }
    seen.add(key);
  }
  const pack: OcdsReleasePackage = {
    uri: options.uri,
    version: "1.1",
    publishedDate: requireDateTime(options.publishedDate, "The published date"),
    publisher: options.publisher,
    releases: [...releases],
  };
  if (options.license !== undefined) pack.license = options.license;
  if (options.publicationPolicy !== undefined) pack.publicationPolicy = options.publicationPolicy;
  return pack;
}
