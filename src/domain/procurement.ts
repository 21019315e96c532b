/**
 * The procurement forward plan: regulated thresholds by date, the band a planned procurement
 * falls in, the Procurement Act 2023 pipeline notice and the Local Government Transparency
 * Code export. Pure: plain data in, plain data and plain-English explanations out.
 *
 * Money is integer pence; dates are ISO "YYYY-MM-DD" strings.
 */

import { monthName } from "./calendar.ts";

/** A calendar day written "YYYY-MM-DD". */
export type IsoDate = string;

/**
 * What is being bought. Light-touch services (social, health, education and other specific
 * services) have their own, higher threshold but are published as "services".
 */
export type ProcurementCategory = "goods" | "services" | "works" | "light-touch-services";

/** How categories are written in exports. */
export const CATEGORY_LABELS: Record<ProcurementCategory, string> = {
  goods: "Goods",
  services: "Services",
  works: "Works",
  "light-touch-services": "Services (light-touch)",
};

export type ProcurementStatus = "planned" | "advertised" | "awarded" | "cancelled";

/** One project in the department's forward plan of procurement. */
export interface PlannedProcurement {
  id: string;
  title: string;
  description?: string;
  department: string;
  category: ProcurementCategory;
  /** Whole-life value: all years, options and extensions ("approx. lifetime cost"). */
  estimatedValuePence: number;
  /** The estimated start date as the plan gives it. */
  estimatedStartDate: IsoDate;
  /**
   * When the tender notice is expected to be issued, where the plan gives it apart from the
   * estimated start date. Thresholds and the pipeline notice go by this date.
   */
  expectedCommencementDate?: IsoDate;
  /** Contract length where known; "(up to 4 years)" is 48. */
  durationMonths?: number;
  /**
   * The duration as the plan writes it ("(up to 4 years)"). An end date is worked out from it
   * only when it states an exact term; see `exactTermMonths`.
   */
  durationText?: string;
  /** Last day of the contract where known. */
  contractEndDate?: IsoDate;
  status: ProcurementStatus;
}

/** Errors a caller can act on, each with a code to map to a page or message. */
export class ProcurementRuleError extends Error {
  readonly code: "invalid-threshold-table" | "no-threshold-in-force";

  constructor(code: ProcurementRuleError["code"], message: string) {
    super(message);
    this.name = "ProcurementRuleError";
    this.code = code;
  }
}

// ---------------------------------------------------------------------------------------------
// Dates and money, as this module needs to write them

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar day written "YYYY-MM-DD" ("2024-02-29" yes, "2023-02-29" no). */
export function isIsoDate(text: string): boolean {
  const match = ISO_DATE.exec(text);
  if (match === null) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function requireIsoDate(text: string, what: string): IsoDate {
  if (!isIsoDate(text))
    throw new RangeError(`${what} must be a real date written YYYY-MM-DD; got "${text}".`);
  return text;
}

function dateToIso(date: Date): IsoDate {
  return date.toISOString().slice(0, 10);
}

function isoToDate(iso: IsoDate): Date {
  return new Date(`${iso}T00:00:00Z`);
}

/** The day `days` after (or before, when negative) `iso`. */
export function addDays(iso: IsoDate, days: number): IsoDate {
  const date = isoToDate(iso);
  date.setUTCDate(date.getUTCDate() + days);
  return dateToIso(date);
}

/** The same day `months` later; a day the month lacks becomes its last day (31 Jan + 1 = 28 Feb). */
export function addMonths(iso: IsoDate, months: number): IsoDate {
  const date = isoToDate(iso);
  const day = date.getUTCDate();
  date.setUTCDate(1);
  date.setUTCMonth(date.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
  date.setUTCDate(Math.min(day, lastDay));
  return dateToIso(date);
}

/** Whole days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round((isoToDate(to).getTime() - isoToDate(from).getTime()) / 86_400_000);
}

/** "1 March 2025", as GOV.UK writes dates. */
export function formatLongDate(iso: IsoDate): string {
  const match = ISO_DATE.exec(iso);
  if (match === null) return iso;
  return `${Number(match[3])} ${monthName(Number(match[2])) ?? "?"} ${match[1]}`;
}

/** "£210,000", or "£210,000.50" when there are pence; "-£5" for negatives. */
export function formatPoundsFromPence(pence: number): string {
  const sign = pence < 0 ? "-" : "";
  const whole = Math.abs(pence);
  const pounds = String(Math.trunc(whole / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const rest = whole % 100;
  return rest === 0 ? `${sign}£${pounds}` : `${sign}£${pounds}.${String(rest).padStart(2, "0")}`;
}

/** "60000.00": pounds with two decimals and no separators, exact, for CSV and open data. */
export function penceToDecimalPounds(pence: number): string {
  requirePence(pence, "Amount");
  const sign = pence < 0 ? "-" : "";
  const whole = Math.abs(pence);
  return `${sign}${Math.trunc(whole / 100)}.${String(whole % 100).padStart(2, "0")}`;
}

function requirePence(value: number, what: string): number {
  if (!Number.isSafeInteger(value))
    throw new RangeError(`${what} must be a whole number of pence; got ${value}.`);
  return value;
}

// ---------------------------------------------------------------------------------------------
// Thresholds

/**
 * One dated row of regulated thresholds for sub-central authorities (councils). A row is in
 * force from its date until the day before the next row's date, or until `inForceUntil` when
 * given (which may only end the last row early, or repeat what the next row implies).
 */
export interface ThresholdRow {
  inForceFrom: IsoDate;
  /** Last day in force, where known. */
  inForceUntil?: IsoDate;
  goodsAndServicesPence: number;
  worksPence: number;
  lightTouchServicesPence: number;
  note?: string;
}

export type ThresholdTable = readonly ThresholdRow[];

/** docs/domain.md section 9: the thresholds for councils since 2020. */
export const DEFAULT_THRESHOLD_TABLE: ThresholdTable = [
  {
    inForceFrom: "2020-01-01",
    goodsAndServicesPence: 18_933_000,
    worksPence: 473_325_200,
    lightTouchServicesPence: 66_354_000,
  },
  {
    inForceFrom: "2022-01-01",
    goodsAndServicesPence: 21_347_700,
    worksPence: 533_693_700,
    lightTouchServicesPence: 66_354_000,
    note: "Values include VAT from here on.",
  },
  {
    inForceFrom: "2024-01-01",
    goodsAndServicesPence: 21_490_400,
    worksPence: 537_260_900,
    lightTouchServicesPence: 66_354_000,
    note: "Unchanged when the Procurement Act 2023 came into force on 24 February 2025.",
  },
  {
    inForceFrom: "2026-01-01",
    goodsAndServicesPence: 20_772_000,
    worksPence: 519_300_000,
    lightTouchServicesPence: 66_354_000,
  },
];

/** A problem with a threshold table, naming the row (1-based) and field so a form can point at it. */
export interface ThresholdTableProblem {
  rowNumber: number | null;
  field: keyof ThresholdRow | null;
  message: string;
}

const AMOUNT_FIELDS = [
  ["goodsAndServicesPence", "goods and services"],
  ["worksPence", "works"],
  ["lightTouchServicesPence", "light-touch services"],
] as const;

/**
 * Every problem with a table, in row order; empty when the table can be used. Refuses dates
 * that are not real, duplicated or out of order, rows that overlap or leave a gap, and amounts
 * that are not a positive whole number of pence.
 */
export function validateThresholdTable(rows: readonly ThresholdRow[]): ThresholdTableProblem[] {
  const problems: ThresholdTableProblem[] = [];
  if (rows.length === 0) {
    return [{ rowNumber: null, field: null, message: "The threshold table has no rows: add at least one." }];
  }
  const datesOk = rows.map((row) => isIsoDate(row.inForceFrom));
  rows.forEach((row, index) => {
    const n = index + 1;
    const name = datesOk[index] ? `Row ${n} (in force from ${formatLongDate(row.inForceFrom)})` : `Row ${n}`;
    if (!datesOk[index]) {
      problems.push({
        rowNumber: n,
        field: "inForceFrom",
        message: `Row ${n}: "${row.inForceFrom}" is not a real date. Write the date it comes into force as YYYY-MM-DD, for example 2026-01-01.`,
      });
    }
    for (const [field, label] of AMOUNT_FIELDS) {
      const amount = row[field];
      if (!Number.isSafeInteger(amount)) {
        problems.push({
          rowNumber: n,
          field,
          message: `${name}: the ${label} threshold must be a whole number of pence; it is ${amount}.`,
        });
      } else if (amount <= 0) {
        problems.push({
          rowNumber: n,
          field,
          message: `${name}: the ${label} threshold must be more than £0; it is ${formatPoundsFromPence(amount)}.`,
        });
      }
    }
    if (row.inForceUntil !== undefined) {
      if (!isIsoDate(row.inForceUntil)) {
        problems.push({
          rowNumber: n,
          field: "inForceUntil",
          message: `${name}: "${row.inForceUntil}" is not a real date. Write the last day it is in force as YYYY-MM-DD.`,
        });
      } else if (datesOk[index] && row.inForceUntil < row.inForceFrom) {
        problems.push({
          rowNumber: n,
          field: "inForceUntil",
          message: `${name}: it ends on ${formatLongDate(row.inForceUntil)}, before it comes into force.`,
        });
      }
    }
    if (index === 0 || !datesOk[index]) return;
    const earlier = rows.findIndex((other, j) => j < index && other.inForceFrom === row.inForceFrom);
    const previous = rows[index - 1];
    if (earlier >= 0) {
      problems.push({
        rowNumber: n,
        field: "inForceFrom",
        message: `Row ${n} has the same "in force from" date as row ${earlier + 1} (${formatLongDate(row.inForceFrom)}): each date may appear only once.`,
      });
    } else if (previous !== undefined && datesOk[index - 1] && row.inForceFrom < previous.inForceFrom) {
      problems.push({
        rowNumber: n,
        field: "inForceFrom",
        message: `${name} is dated before row ${n - 1} (${formatLongDate(previous.inForceFrom)}): list rows in date order, earliest first.`,
      });
    } else if (
      previous !== undefined &&
      datesOk[index - 1] &&
      previous.inForceUntil !== undefined &&
      isIsoDate(previous.inForceUntil) &&
      previous.inForceUntil >= previous.inForceFrom
    ) {
      const previousName = `Row ${n - 1} (in force from ${formatLongDate(previous.inForceFrom)} to ${formatLongDate(previous.inForceUntil)})`;
      if (previous.inForceUntil >= row.inForceFrom) {
        problems.push({
          rowNumber: n - 1,
          field: "inForceUntil",
          message: `${previousName} overlaps row ${n}, which comes into force on ${formatLongDate(row.inForceFrom)}: row ${n - 1} must end by ${formatLongDate(addDays(row.inForceFrom, -1))}.`,
        });
      } else if (addDays(previous.inForceUntil, 1) < row.inForceFrom) {
        problems.push({
          rowNumber: n - 1,
          field: "inForceUntil",
          message: `${previousName} leaves a gap before row ${n} comes into force on ${formatLongDate(row.inForceFrom)}: no threshold would be in force from ${formatLongDate(addDays(previous.inForceUntil, 1))} to ${formatLongDate(addDays(row.inForceFrom, -1))}.`,
        });
      }
    }
  });
  return problems;
}

export type ThresholdTableResult =
  | { ok: true; table: ThresholdTable }
  | { ok: false; problems: ThresholdTableProblem[] };

/** Adds an administrator's new row at the end of the table, or says what is wrong with the result. */
export function extendThresholdTable(table: ThresholdTable, row: ThresholdRow): ThresholdTableResult {
  const extended = [...table, row];
  const problems = validateThresholdTable(extended);
  return problems.length === 0 ? { ok: true, table: extended } : { ok: false, problems };
}

function requireValidTable(table: ThresholdTable): void {
  const [first] = validateThresholdTable(table);
  if (first !== undefined) throw new ProcurementRuleError("invalid-threshold-table", first.message);
}

/** The threshold that applies to one category on one day. */
export interface ThresholdInForce {
  category: ProcurementCategory;
  /** "goods and services", "works" or "light-touch services": the column it came from. */
  thresholdName: string;
  amountPence: number;
  /** The date the row it came from came into force. */
  inForceFrom: IsoDate;
}

function thresholdColumn(category: ProcurementCategory): (typeof AMOUNT_FIELDS)[number] {
  switch (category) {
    case "goods":
    case "services":
      return AMOUNT_FIELDS[0];
    case "works":
      return AMOUNT_FIELDS[1];
    case "light-touch-services":
      return AMOUNT_FIELDS[2];
  }
}

/**
 * The threshold for `category` in force on `isoDate`: from the latest row that has come into
 * force by then and not ended. Undefined before the table starts or after a last row ends.
 * Throws ProcurementRuleError when the table is invalid.
 */
export function thresholdInForce(
  table: ThresholdTable,
  isoDate: IsoDate,
  category: ProcurementCategory,
): ThresholdInForce | undefined {
  requireIsoDate(isoDate, "The date");
  requireValidTable(table);
  let found: ThresholdRow | undefined;
  for (const row of table) {
    if (row.inForceFrom <= isoDate && (found === undefined || row.inForceFrom > found.inForceFrom))
      found = row;
  }
  if (found === undefined) return undefined;
  if (found.inForceUntil !== undefined && isoDate > found.inForceUntil) return undefined;
  const [field, thresholdName] = thresholdColumn(category);
  return { category, thresholdName, amountPence: found[field], inForceFrom: found.inForceFrom };
}

// ---------------------------------------------------------------------------------------------
// Bands

/**
 * Where a procurement sits in the forward plan. Each boundary belongs to the band above it:
 * a value exactly at the reporting floor is in the plan, and a value exactly at the threshold
 * is "above-threshold", because the regulations apply to contracts whose estimated value is
 * equal to or greater than the threshold (PCR 2015 reg. 5; Procurement Act 2023 s. 3: "not
 * less than the threshold amount").
 */
export type ProcurementBand = "below-floor" | "floor-to-threshold" | "above-threshold";

export interface ProcurementBanding {
  band: ProcurementBand;
  /** The day the procurement is expected to commence, whose threshold decided the band. */
  commencementDate: IsoDate;
  /** Whether that day was given separately or taken from the estimated start date. */
  commencementDateFrom: "expected-commencement-date" | "estimated-start-date";
  threshold: ThresholdInForce;
  reportingFloorPence: number;
  /** One sentence, e.g. "£210,000 is below the goods and services threshold of £214,904 in force on 1 March 2025." */
  explanation: string;
}

export type BandableProcurement = Pick<
  PlannedProcurement,
  "estimatedValuePence" | "estimatedStartDate" | "expectedCommencementDate" | "category"
>;

/** The day the tender notice is expected: the commencement date if given, else the estimated start date. */
export function expectedTenderDate(
  procurement: Pick<PlannedProcurement, "estimatedStartDate" | "expectedCommencementDate">,
): IsoDate {
  return procurement.expectedCommencementDate ?? procurement.estimatedStartDate;
}

/**
 * Bands a procurement by the threshold in force on the day it is expected to commence
 * (thresholds apply to procurements commenced on or after they change).
 * Throws ProcurementRuleError when the table is invalid or no threshold is in force that day,
 * and RangeError for a value or floor that is not a whole, non-negative number of pence.
 */
export function procurementBand(
  procurement: BandableProcurement,
  table: ThresholdTable,
  reportingFloorPence: number,
): ProcurementBanding {
  const value = requirePence(procurement.estimatedValuePence, "The estimated value");
  requirePence(reportingFloorPence, "The reporting floor");
  if (value < 0 || reportingFloorPence < 0) {
    throw new RangeError("The estimated value and the reporting floor cannot be less than £0.");
  }
  const commencementDate = requireIsoDate(expectedTenderDate(procurement), "The commencement date");
  const commencementDateFrom =
    procurement.expectedCommencementDate === undefined
      ? "estimated-start-date"
      : "expected-commencement-date";
  const threshold = thresholdInForce(table, commencementDate, procurement.category);
  const on = formatLongDate(commencementDate);
  if (threshold === undefined) {
    throw new ProcurementRuleError(
      "no-threshold-in-force",
      `No ${thresholdColumn(procurement.category)[1]} threshold is in force on ${on}: add a row to the threshold table that covers it.`,
    );
  }
  const amount = formatPoundsFromPence(value);
  const thresholdText = `the ${threshold.thresholdName} threshold of ${formatPoundsFromPence(threshold.amountPence)} in force on ${on}`;
  let band: ProcurementBand;
  let explanation: string;
  if (value >= threshold.amountPence) {
    band = "above-threshold";
    explanation =
      value === threshold.amountPence
        ? `${amount} is exactly ${thresholdText}; the regulations apply at the threshold, so it is treated as above it.`
        : `${amount} is above ${thresholdText}.`;
  } else if (value >= reportingFloorPence) {
    band = "floor-to-threshold";
    explanation = `${amount} is below ${thresholdText}.`;
  } else {
    band = "below-floor";
    explanation = `${amount} is below the reporting floor of ${formatPoundsFromPence(reportingFloorPence)}, so it is not in the forward plan.`;
  }
  return { band, commencementDate, commencementDateFrom, threshold, reportingFloorPence, explanation };
}

// ---------------------------------------------------------------------------------------------
// Pipeline notice (Procurement Act 2023, s. 93)

/** More than this expected in payments under contracts in the year means a notice must be published. */
export const PIPELINE_NOTICE_PAYMENTS_TRIGGER_PENCE = 10_000_000_000;
/** Contracts with an estimated value of more than this are listed. */
export const PIPELINE_NOTICE_CONTRACT_FLOOR_PENCE = 200_000_000;
/** The first financial year the duty applies to (the Act came into force on 24 February 2025). */
export const PIPELINE_NOTICE_FIRST_FINANCIAL_YEAR = 2025;

export interface PipelineNoticeExclusion<T> {
  procurement: T;
  reason: string;
}

export interface PipelineNotice<T> {
  /** "2022/23". */
  financialYear: string;
  /** 1 April of the year. */
  financialYearStartDate: IsoDate;
  /** The 18 months beginning with 1 April, both days included: 1 April to 30 September of the next year. */
  reportingPeriod: { from: IsoDate; to: IsoDate };
  /** The last day of the 56 days beginning with 1 April: 26 May. */
  publicationDeadline: IsoDate;
  /** False for years before the Act's duty began: the notice can still be published voluntarily. */
  statutoryDutyApplies: boolean;
  /** Undefined until the council enters them. */
  expectedPaymentsPence: number | undefined;
  mustPublish: boolean;
  /** Planned contracts over £2m, at or above their threshold, expected to be advertised in the reporting period, by date. */
  contracts: T[];
  /** Planned procurements over £2m that are not listed, each with the reason. */
  excluded: PipelineNoticeExclusion<T>[];
  explanation: string;
}

export type PipelineCandidate = BandableProcurement & Pick<PlannedProcurement, "title" | "status">;

/**
 * The pipeline notice for the financial year beginning 1 April `financialYearStart` (2022 for
 * 2022/23). Listed: planned procurements with an estimated value of more than £2m whose tender
 * notice is expected in the 18 months beginning with 1 April (both end days included) and which
 * are public contracts, i.e. at or above the threshold in force then (a works contract between
 * £2m and the works threshold is not). The duty to publish arises where expected payments under
 * contracts in the year are more than £100m (exactly £100m does not trigger it). Expected payments
 * not yet entered (undefined) leave that unknown, and the explanation says so rather than
 * deciding either way.
 */
export function pipelineNotice<T extends PipelineCandidate>(
  procurements: readonly T[],
  financialYearStart: number,
  expectedPaymentsPence: number | undefined,
  table: ThresholdTable = DEFAULT_THRESHOLD_TABLE,
): PipelineNotice<T> {
  if (!Number.isInteger(financialYearStart) || financialYearStart < 1000 || financialYearStart > 9998) {
    throw new RangeError(
      `The financial year must be given by the year it starts in, e.g. 2025; got ${financialYearStart}.`,
    );
  }
  if (expectedPaymentsPence !== undefined) requirePence(expectedPaymentsPence, "Expected payments");
  const financialYear = `${financialYearStart}/${String((financialYearStart + 1) % 100).padStart(2, "0")}`;
  const from = `${financialYearStart}-04-01`;
  const to = addDays(addMonths(from, 18), -1);
  const publicationDeadline = addDays(from, 55);
  const statutoryDutyApplies = financialYearStart >= PIPELINE_NOTICE_FIRST_FINANCIAL_YEAR;
  const overTrigger =
    expectedPaymentsPence !== undefined && expectedPaymentsPence > PIPELINE_NOTICE_PAYMENTS_TRIGGER_PENCE;
  const mustPublish = statutoryDutyApplies && overTrigger;

  const contracts: T[] = [];
  const excluded: PipelineNoticeExclusion<T>[] = [];
  for (const procurement of procurements) {
    if (procurement.status !== "planned") continue;
    if (procurement.estimatedValuePence <= PIPELINE_NOTICE_CONTRACT_FLOOR_PENCE) continue;
    const tenderDate = expectedTenderDate(procurement);
    if (tenderDate < from || tenderDate > to) {
      excluded.push({
        procurement,
        reason: `Expected to be advertised on ${formatLongDate(tenderDate)}, outside ${formatLongDate(from)} to ${formatLongDate(to)}.`,
      });
      continue;
    }
    const banding = procurementBand(procurement, table, 0);
    if (banding.band !== "above-threshold") {
      excluded.push({ procurement, reason: `Not a public contract: ${banding.explanation}` });
      continue;
    }
    contracts.push(procurement);
  }
  contracts.sort(
    (a, b) =>
      expectedTenderDate(a).localeCompare(expectedTenderDate(b)) ||
      a.estimatedValuePence - b.estimatedValuePence ||
      a.title.localeCompare(b.title),
  );

  const payments = formatPoundsFromPence(expectedPaymentsPence ?? 0);
  const trigger = formatPoundsFromPence(PIPELINE_NOTICE_PAYMENTS_TRIGGER_PENCE);
  const listing = `${contracts.length} planned ${contracts.length === 1 ? "contract" : "contracts"} over £2,000,000 to be advertised from ${formatLongDate(from)} to ${formatLongDate(to)}`;
  let explanation: string;
  if (!statutoryDutyApplies) {
    explanation = `The pipeline notice duty (Procurement Act 2023, section 93) applies from ${PIPELINE_NOTICE_FIRST_FINANCIAL_YEAR}/${String((PIPELINE_NOTICE_FIRST_FINANCIAL_YEAR + 1) % 100).padStart(2, "0")}, so for ${financialYear} a notice is voluntary; it would list ${listing}.`;
  } else if (expectedPaymentsPence === undefined) {
    explanation = `The expected payments under contracts in ${financialYear} have not been entered, so whether a pipeline notice must be published (payments of more than ${trigger}) is not known yet; a notice would list ${listing}.`;
  } else if (mustPublish) {
    explanation = `Expected payments of ${payments} in ${financialYear} are more than ${trigger}, so a pipeline notice must be published by ${formatLongDate(publicationDeadline)} listing ${listing}.`;
  } else {
    explanation = `Expected payments of ${payments} in ${financialYear} are not more than ${trigger}, so no pipeline notice is required; a voluntary one would list ${listing}.`;
  }
  return {
    financialYear,
    financialYearStartDate: from,
    reportingPeriod: { from, to },
    publicationDeadline,
    statutoryDutyApplies,
    expectedPaymentsPence,
    mustPublish,
    contracts,
    excluded,
    explanation,
  };
}

/** Column headings for a pipeline notice CSV, matching `pipelineNoticeRows`. */
export const PIPELINE_NOTICE_HEADER: readonly string[] = [
  "Reference",
  "Title",
  "Department",
  "Main procurement category",
  "Estimated value (£)",
  "Expected tender date",
  "Estimated start date",
];

/** The contracts of a pipeline notice as CSV rows (no heading row). */
export function pipelineNoticeRows(
  notice: PipelineNotice<
    PipelineCandidate & Pick<PlannedProcurement, "id" | "department" | "estimatedStartDate">
  >,
): CsvCell[][] {
  return notice.contracts.map((p) => [
    p.id,
    p.title,
    p.department,
    CATEGORY_LABELS[p.category],
    penceToDecimalPounds(p.estimatedValuePence),
    expectedTenderDate(p),
    p.estimatedStartDate,
  ]);
}

// ---------------------------------------------------------------------------------------------
// Local Government Transparency Code 2015 and CSV

/** The code asks for contracts and invitations to tender whose value exceeds £5,000 (so exactly £5,000 is left out). */
export const TRANSPARENCY_CODE_FLOOR_PENCE = 500_000;

/**
 * Column headings for the Transparency Code CSV of invitations to tender, in the code's order
 * (paragraph 30: reference number, title, description of the goods and/or services sought,
 * start, end and review dates, department responsible), then the estimated value.
 */
export const TRANSPARENCY_CODE_HEADER: readonly string[] = [
  "Reference number",
  "Title",
  "Description of the goods and/or services sought",
  "Start date",
  "End date",
  "Review date",
  "Local authority department responsible",
  "Estimated whole-life value (£)",
];

const EXACT_TERM = /^\(?\s*(\d+)\s*(year|month)s?\s*\)?$/i;

/**
 * The contract term in months when the text states an exact one ("4 years", "(18 months)"),
 * otherwise null. "(up to 4 years)" is an upper bound, not a term, so it gives null, as does
 * anything else that qualifies the figure ("3 + 1 years", "about 2 years").
 */
export function exactTermMonths(durationText: string): number | null {
  const match = EXACT_TERM.exec(durationText.trim());
  if (match === null) return null;
  const count = Number(match[1]);
  if (count <= 0) return null;
  return match[2]?.toLowerCase() === "year" ? count * 12 : count;
}

/**
 * The last day of the contract: the one recorded, or else the day before the start date plus an
 * exact term (a 12-month contract starting 1 April 2025 ends 31 March 2026). Undefined when
 * neither is known; an upper bound such as "(up to 4 years)" is not turned into a date.
 */
export function contractEndDateOf(procurement: PlannedProcurement): IsoDate | undefined {
  if (procurement.contractEndDate !== undefined) return procurement.contractEndDate;
  if (procurement.durationText === undefined) return undefined;
  const months = exactTermMonths(procurement.durationText);
  if (months === null) return undefined;
  return addDays(addMonths(procurement.estimatedStartDate, months), -1);
}

/**
 * Rows (no heading row) for the Transparency Code CSV: the invitations to tender, that is the
 * procurements advertised and not yet awarded, whose estimated value exceeds £5,000, in the
 * order given. Planned procurements have not been put out to tender and awarded ones are
 * contracts, not invitations. The plan holds no review date, so that column is left blank.
 * Values are pounds with two decimals and dates are ISO 8601, as open data should be.
 */
export function transparencyCodeRows(procurements: readonly PlannedProcurement[]): CsvCell[][] {
  return procurements
    .filter((p) => p.status === "advertised" && p.estimatedValuePence > TRANSPARENCY_CODE_FLOOR_PENCE)
    .map((p) => [
      p.id,
      p.title,
      p.description ?? "",
      p.estimatedStartDate,
      contractEndDateOf(p) ?? "",
      "",
      p.department,
      penceToDecimalPounds(p.estimatedValuePence),
    ]);
}

export type CsvCell = string | number | null;

/** What a spreadsheet would run as a formula: text starting with =, +, -, @, a tab or a CR. */
const FORMULA_START = /^[=+\-@\t\r]/;
/** A plain number such as "-439928.00" is data, not a formula, and stays a number. */
const PLAIN_NUMBER = /^-?[0-9]+(\.[0-9]+)?$/;

/**
 * Text as a CSV cell may hold it safely (OWASP, CSV injection): text a spreadsheet would run as a
 * formula gets a leading apostrophe, so Excel and LibreOffice show it as text and run nothing.
 */
export function neutraliseCsvText(text: string): string {
  return FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
}

function csvField(cell: CsvCell): string {
  if (cell === null) return "";
  if (typeof cell === "number") {
    if (!Number.isFinite(cell)) throw new RangeError(`A CSV cell must be a finite number; got ${cell}.`);
    return String(cell);
  }
  const safe = neutraliseCsvText(cell);
  return safe !== cell || /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/**
 * RFC 4180 CSV: fields holding a comma, double quote, CR or LF are quoted, with quotes doubled;
 * records end with CRLF, including the last; null is an empty field. Put the heading row first.
 * Every CSV Baseplan writes goes through here, so text that would run as a formula in a
 * spreadsheet is neutralised in every export (neutraliseCsvText).
 */
export function writeCsv(rows: readonly (readonly CsvCell[])[]): string {
  return rows.map((row) => `${row.map(csvField).join(",")}\r\n`).join("");
}
