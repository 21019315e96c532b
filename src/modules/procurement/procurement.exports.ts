import type { Database } from "../../db/client.ts";
import { type OcdsReleasePackage, planningRelease, releasePackage } from "../../domain/ocds.ts";
import {
  type CsvCell,
  PIPELINE_NOTICE_HEADER,
  type ProcurementBand,
  penceToDecimalPounds,
  pipelineNoticeRows,
  TRANSPARENCY_CODE_HEADER,
  transparencyCodeRows,
  writeCsv,
} from "../../domain/procurement.ts";
import { pipeline } from "./procurement.pipeline.ts";
import { CATEGORY_NAMES, type Category, STATUS_NAMES, type Status } from "./procurement.schemas.ts";
import { allEntries, thresholdSettings } from "./procurement.service.ts";

// The forward plan, transparency and pipeline files: CSV and the OCDS release package.

const FORWARD_PLAN_HEADER = [
  "Reference",
  "Band",
  "Title",
  "Description",
  "Estimated value (£)",
  "Estimated value as written",
  "Basis of the value",
  "Duration as written",
  "Estimated start date",
  "Expected commencement date",
  "Category",
  "Department",
  "Division",
  "Status",
  "Threshold in force (£)",
  "Band explanation",
];

const CSV_BAND_NAMES: Record<ProcurementBand, string> = {
  "below-floor": "Below the reporting floor",
  "floor-to-threshold": "Above the reporting floor, below the threshold",
  "above-threshold": "At or above the threshold",
};

export async function forwardPlanCsv(db: Database): Promise<string> {
  const entries = await allEntries(db);
  const rows: CsvCell[][] = entries.map((entry) => [
    entry.id,
    CSV_BAND_NAMES[entry.band],
    entry.title,
    entry.record.description,
    penceToDecimalPounds(entry.estimatedValuePence),
    entry.record.estimatedValueText,
    entry.record.valueBasis,
    entry.record.durationText,
    entry.estimatedStartDate,
    entry.record.expectedCommencementDate,
    CATEGORY_NAMES[entry.record.category as Category],
    entry.record.department,
    entry.record.division,
    STATUS_NAMES[entry.record.status as Status],
    penceToDecimalPounds(entry.banding.threshold.amountPence),
    entry.publishedBandNote ?? entry.banding.explanation,
  ]);
  return writeCsv([FORWARD_PLAN_HEADER, ...rows]);
}

/**
 * Invitations to tender over £5,000 (procurements advertised, not yet awarded), in the Local
 * Government Transparency Code's shape. Planned procurements are not yet out to tender.
 */
export async function transparencyCsv(db: Database): Promise<string> {
  const entries = await allEntries(db);
  return writeCsv([TRANSPARENCY_CODE_HEADER, ...transparencyCodeRows(entries)]);
}

export async function pipelineCsv(db: Database, financialYearStart: number): Promise<string> {
  const { notice } = await pipeline(db, financialYearStart);
  return writeCsv([PIPELINE_NOTICE_HEADER, ...pipelineNoticeRows(notice)]);
}

/** RFC 3339 to the second, as OCDS dates are written. */
function releaseDateOf(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/**
 * The pipeline's contracts as an OCDS 1.1 release package of planning releases. Null when the
 * year's pipeline lists no contracts (a package must hold at least one release).
 */
export async function pipelineReleasePackage(
  db: Database,
  financialYearStart: number,
  options: { ocidPrefix: string; uri: string },
): Promise<OcdsReleasePackage | null> {
  const settings = await thresholdSettings(db);
  const { notice } = await pipeline(db, financialYearStart);
  if (notice.contracts.length === 0) return null;
  // The standard composes an ocid as prefix, hyphen, identifier; a configured prefix may already
  // end with the hyphen.
  const ocidPrefix = options.ocidPrefix.replace(/-+$/, "");
  const releases = notice.contracts.map((entry) =>
    planningRelease(entry, {
      ocidPrefix,
      buyer: settings.buyer,
      releaseDate: releaseDateOf(entry.record.updatedAt),
      ...(entry.record.notes ? { rationale: entry.record.notes } : {}),
    }),
  );
  return releasePackage(releases, {
    uri: options.uri,
    publishedDate: releaseDateOf(new Date()),
    publisher: { name: settings.buyer.name },
  });
}
