import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { Database } from "../../db/client.ts";
import { formatPounds, type Pence, sumPence } from "../../domain/money.ts";
import {
  expectedTenderDate,
  formatLongDate,
  type PlannedProcurement,
  type ProcurementBand,
  type ProcurementBanding,
  ProcurementRuleError,
  type ProcurementStatus,
  procurementBand,
  type ThresholdRow,
  type ThresholdTable,
} from "../../domain/procurement.ts";
import { type ComparedField, Conflict, NotFound, ValidationFailed } from "../../errors.ts";
import { recordAuditEvent } from "../audit/audit.service.ts";
import { readSettingValue, recordSetting } from "../settings/settings.service.ts";
import {
  findProcurement,
  findSettings,
  insertProcurement,
  listProcurements,
  listThresholds,
  type PlannedProcurementInsert,
  type PlannedProcurementRow,
  updateProcurementIfVersion,
} from "./procurement.repository.ts";
import {
  type Category,
  durationMonthsOf,
  type ForwardPlanQuery,
  type ProcurementForm,
  type Status,
} from "./procurement.schemas.ts";

/** "£50,000", or "£50,000.50" when there are pence: exact, as the forms take amounts. */
export function poundsText(pence: Pence): string {
  return formatPounds(pence, { pence: pence % 100 !== 0 });
}

/*
 * How the forward plan bands a row (the decision, also said on the forward plan page):
 * Baseplan bands every procurement by the threshold in force on the day it is expected to
 * commence (docs/domain.md section 9). The published plan the demo comes from banded both of its tables
 * by one figure, the goods and services threshold of 1 January 2020, even for rows commencing
 * after the threshold rose (the figure is in the demo data and stored with the plan: see
 * recordPublishedPlan and docs/decisions/0003-procurement-demo-banding.md). So a row loaded from a published plan keeps the band the
 * plan listed it in (`source_band`), and where the threshold in force would band it differently
 * its page and row say so, naming both. Editing its value, category or dates makes it a
 * Baseplan estimate: the published band is dropped and the computed band applies.
 */

export const AUDIT_ENTITY = "planned-procurement";

const DOMAIN_CATEGORY: Record<Category, PlannedProcurement["category"]> = {
  goods: "goods",
  services: "services",
  works: "works",
  "light-touch": "light-touch-services",
};

// The domain calls a withdrawn procurement "cancelled".
const DOMAIN_STATUS: Record<Status, ProcurementStatus> = {
  planned: "planned",
  advertised: "advertised",
  awarded: "awarded",
  withdrawn: "cancelled",
};

export type InForwardPlanBand = Exclude<ProcurementBand, "below-floor">;

export interface PlanEntry extends PlannedProcurement {
  record: PlannedProcurementRow;
  banding: ProcurementBanding;
  /** The band it is shown in: the published plan's where it has one, else the computed one. */
  band: ProcurementBand;
  /** Set where the published plan's band differs from the threshold in force. */
  publishedBandNote: string | null;
  /** The financial year (by its first calendar year) the procurement is expected to commence in. */
  financialYearStart: number;
}

/** The published forward plan demo rows came from, and the one threshold it banded them by. */
export interface PublishedPlan {
  document: string;
  thresholdPence: number;
  /** "£189,330 goods and services threshold in force from 1 January 2020", from the table. */
  thresholdDescription: string;
}

/** The setting that keeps the published plan demo rows came from. */
const PUBLISHED_PLAN_KEY = "procurement.published-plan";

const publishedPlanSchema = z.object({ document: z.string(), thresholdPence: z.number().int() });

export interface ThresholdSettings {
  table: ThresholdTable;
  publishedPlan: PublishedPlan | null;
  reportingFloorPence: number;
  settingsVersion: number;
  buyer: { id: string; name: string };
}

/** "2022/23" for 2022. */
export function financialYearName(start: number): string {
  return `${start}/${String((start + 1) % 100).padStart(2, "0")}`;
}

export function financialYearOf(isoDate: string): number {
  const year = Number(isoDate.slice(0, 4));
  return Number(isoDate.slice(5, 7)) >= 4 ? year : year - 1;
}

export async function thresholdSettings(db: Database): Promise<ThresholdSettings> {
  // One after another: this also runs inside a transaction, whose one client takes one query at a time.
  const rows = await listThresholds(db);
  const settings = await findSettings(db);
  const stored = await readSettingValue(db, PUBLISHED_PLAN_KEY);
  if (!settings) throw new Error("The procurement settings row is missing: run the migrations");
  const table = rows.map(toThresholdRow);
  const parsed = publishedPlanSchema.safeParse(stored);
  return {
    table,
    publishedPlan: parsed.success
      ? {
          ...parsed.data,
          thresholdDescription: describePublishedThreshold(parsed.data.thresholdPence, table),
        }
      : null,
    reportingFloorPence: settings.reportingFloorPence,
    settingsVersion: settings.version,
    buyer: { id: settings.buyerId ?? "council", name: settings.buyerName ?? "The council" },
  };
}

/** The figure, and which threshold it was where the table has it: "£189,330 goods and services threshold in force from 1 January 2020". */
function describePublishedThreshold(pence: number, table: ThresholdTable): string {
  const row = table.find((candidate) => candidate.goodsAndServicesPence === pence);
  return row
    ? `${poundsText(pence)} goods and services threshold in force from ${formatLongDate(row.inForceFrom)}`
    : `${poundsText(pence)} threshold`;
}

/**
 * Records the published plan demo rows come from and the one threshold it banded every row by,
 * so pages can name it; audited like any write.
 */
export async function recordPublishedPlan(
  db: Database,
  actor: string,
  plan: { document: string; thresholdPence: number },
) {
  return db.transaction(async (tx) => {
    const before = await readSettingValue(tx, PUBLISHED_PLAN_KEY);
    await recordSetting(tx, PUBLISHED_PLAN_KEY, plan);
    await recordAuditEvent(tx, {
      actor,
      action: before ? "update" : "create",
      entityType: "procurement-published-plan",
      entityId: 1,
      summary: `Recorded the published forward plan "${plan.document}", banded by ${poundsText(plan.thresholdPence)}`,
      before: (before as Record<string, unknown> | null) ?? null,
      after: plan,
    });
  });
}

function toThresholdRow(row: Awaited<ReturnType<typeof listThresholds>>[number]): ThresholdRow {
  return {
    inForceFrom: row.inForceFrom,
    ...(row.inForceUntil ? { inForceUntil: row.inForceUntil } : {}),
    goodsAndServicesPence: row.goodsAndServicesPence,
    worksPence: row.worksPence,
    lightTouchServicesPence: row.lightTouchServicesPence,
    ...(row.note ? { note: row.note } : {}),
  };
}

export function toPlannedProcurement(row: PlannedProcurementRow): PlannedProcurement {
  return {
    id: row.id,
    title: row.title,
    ...(row.description ? { description: row.description } : {}),
    department: row.division ? `${row.department}, ${row.division}` : row.department,
    category: DOMAIN_CATEGORY[row.category as Category],
    estimatedValuePence: row.estimatedValuePence,
    estimatedStartDate: row.estimatedStartDate,
    ...(row.expectedCommencementDate ? { expectedCommencementDate: row.expectedCommencementDate } : {}),
    ...(row.durationMonths ? { durationMonths: row.durationMonths } : {}),
    ...(row.durationText ? { durationText: row.durationText } : {}),
    status: DOMAIN_STATUS[row.status as Status],
  };
}

const BAND_NAMES: Record<ProcurementBand, string> = {
  "below-floor": "below the reporting floor",
  "floor-to-threshold": "from the reporting floor to below the threshold",
  "above-threshold": "at or above the threshold",
};

function toEntry(row: PlannedProcurementRow, settings: ThresholdSettings): PlanEntry {
  const procurement = toPlannedProcurement(row);
  const banding = procurementBand(procurement, settings.table, settings.reportingFloorPence);
  const published = row.sourceBand as InForwardPlanBand | null;
  const band = published ?? banding.band;
  const publishedBandNote =
    published && published !== banding.band
      ? `The published plan listed this ${BAND_NAMES[published]} by the ${settings.publishedPlan ? `${poundsText(settings.publishedPlan.thresholdPence)} ` : ""}threshold it used throughout; by the threshold in force on ${formatLongDate(banding.commencementDate)} it would be ${BAND_NAMES[banding.band]}.`
      : null;
  return {
    ...procurement,
    record: row,
    banding,
    band,
    publishedBandNote,
    financialYearStart: financialYearOf(expectedTenderDate(procurement)),
  };
}

export async function allEntries(db: Database, settings?: ThresholdSettings): Promise<PlanEntry[]> {
  const using = settings ?? (await thresholdSettings(db));
  return (await listProcurements(db)).map((row) => toEntry(row, using));
}

export interface PlanBand {
  band: ProcurementBand;
  heading: string;
  entries: PlanEntry[];
  totalPence: number;
}

export interface ForwardPlan {
  bands: PlanBand[];
  years: number[];
  reportingFloorPence: number;
  publishedPlan: PublishedPlan | null;
  publishedBandCount: number;
  differingFromPublished: number;
}

const SORTS: Record<NonNullable<ForwardPlanQuery["sort"]>, (a: PlanEntry, b: PlanEntry) => number> = {
  title: (a, b) => a.title.localeCompare(b.title),
  value: (a, b) => a.estimatedValuePence - b.estimatedValuePence,
  start: (a, b) => a.estimatedStartDate.localeCompare(b.estimatedStartDate),
  status: (a, b) => a.record.status.localeCompare(b.record.status),
};

/**
 * The forward plan in its bands, each with its total, filtered and sorted as asked. Rows below
 * the reporting floor are not part of the plan; they are listed in a band of their own only
 * when there are any, so nothing entered disappears.
 */
export async function forwardPlan(db: Database, query: ForwardPlanQuery = {}): Promise<ForwardPlan> {
  const settings = await thresholdSettings(db);
  const entries = await allEntries(db, settings);
  const years = [...new Set(entries.map((entry) => entry.financialYearStart))].sort();
  let shown = entries.filter(
    (entry) =>
      (query.band === undefined || entry.band === query.band) &&
      (query.year === undefined || entry.financialYearStart === query.year) &&
      (query.status === undefined || entry.record.status === query.status),
  );
  if (query.sort) {
    const compare = SORTS[query.sort];
    shown = [...shown].sort((a, b) => (query.order === "desc" ? compare(b, a) : compare(a, b)));
  }
  const floor = poundsText(settings.reportingFloorPence);
  const headings: Record<ProcurementBand, string> = {
    "floor-to-threshold": `Above ${floor} and below the threshold in force`,
    "above-threshold": "At or above the threshold in force",
    "below-floor": `Below the reporting floor of ${floor} (not part of the forward plan)`,
  };
  const order: ProcurementBand[] = ["floor-to-threshold", "above-threshold", "below-floor"];
  const bands = order
    .map((band) => {
      const inBand = shown.filter((entry) => entry.band === band);
      return {
        band,
        heading: headings[band],
        entries: inBand,
        totalPence: sumPence(inBand.map((entry) => entry.estimatedValuePence)),
      };
    })
    .filter((band) => band.band !== "below-floor" || band.entries.length > 0);
  return {
    bands,
    years,
    reportingFloorPence: settings.reportingFloorPence,
    publishedPlan: settings.publishedPlan,
    publishedBandCount: entries.filter((entry) => entry.record.sourceBand !== null).length,
    differingFromPublished: entries.filter((entry) => entry.publishedBandNote !== null).length,
  };
}

export async function getProcurement(db: Database, id: string): Promise<PlanEntry> {
  const row = await findProcurement(db, id);
  if (!row) throw new NotFound(`Planned procurement ${id}`);
  return toEntry(row, await thresholdSettings(db));
}

/** Where the published plan a demo row comes from listed it. */
export interface PublishedSource {
  id: string;
  band: InForwardPlanBand;
  table: string;
  row: number;
  durationMonths?: number;
}

function valuesFromForm(form: ProcurementForm): Omit<PlannedProcurementInsert, "id"> {
  return {
    title: form.title,
    description: form.description,
    estimatedValuePence: form.estimatedValue.pence,
    estimatedValueText: form.estimatedValue.text,
    valueBasis: form.estimatedValue.basis,
    durationText: form.durationText,
    durationMonths: form.durationText ? durationMonthsOf(form.durationText) : null,
    // Required by the schema, which reports a missing date as a field error.
    estimatedStartDate: form.estimatedStartDate ?? "",
    expectedCommencementDate: form.expectedCommencementDate,
    category: form.category,
    department: form.department,
    division: form.division,
    status: form.status,
    notes: form.notes,
  };
}

/** Refuses a procurement no threshold covers, naming the date field that decided it. */
function requireBandable(values: Omit<PlannedProcurementInsert, "id">, settings: ThresholdSettings): void {
  const procurement = toPlannedProcurement({ ...values, id: "check" } as PlannedProcurementRow);
  try {
    procurementBand(procurement, settings.table, settings.reportingFloorPence);
  } catch (error) {
    if (!(error instanceof ProcurementRuleError)) throw error;
    const field = values.expectedCommencementDate ? "expectedCommencementDate" : "estimatedStartDate";
    throw new ValidationFailed([{ field, message: error.message }]);
  }
}

export async function createProcurement(
  db: Database,
  actor: string,
  form: ProcurementForm,
  source?: PublishedSource,
): Promise<PlannedProcurementRow> {
  return db.transaction(async (tx) => {
    const values = valuesFromForm(form);
    if (source?.durationMonths !== undefined) values.durationMonths = source.durationMonths;
    requireBandable(values, await thresholdSettings(tx));
    const row = await insertProcurement(tx, {
      ...values,
      id: source?.id ?? `pp-${randomUUID().slice(0, 8)}`,
      sourceBand: source?.band ?? null,
      sourceTable: source?.table ?? null,
      sourceRow: source?.row ?? null,
    });
    await recordAuditEvent(tx, {
      actor,
      action: "create",
      entityType: AUDIT_ENTITY,
      entityId: row.id,
      summary: `Added "${row.title}" to the procurement forward plan`,
      after: row,
    });
    return row;
  });
}

const COMPARED: [keyof PlannedProcurementRow, string][] = [
  ["title", "Contract title"],
  ["description", "Description"],
  ["estimatedValueText", "Estimated value"],
  ["durationText", "Duration"],
  ["estimatedStartDate", "Estimated start date"],
  ["expectedCommencementDate", "Expected commencement date"],
  ["category", "Category"],
  ["department", "Department"],
  ["division", "Division"],
  ["status", "Status"],
  ["notes", "Notes"],
];

function shown(value: unknown): string {
  return value === null || value === undefined ? "" : String(value);
}

export async function updateProcurement(
  db: Database,
  actor: string,
  id: string,
  version: number,
  form: ProcurementForm,
): Promise<PlannedProcurementRow> {
  return db.transaction(async (tx) => {
    const before = await findProcurement(tx, id);
    if (!before) throw new NotFound(`Planned procurement ${id}`);
    const values = valuesFromForm(form);
    if (values.durationText === before.durationText) values.durationMonths = before.durationMonths;
    requireBandable(values, await thresholdSettings(tx));
    const estimateChanged =
      values.estimatedValuePence !== before.estimatedValuePence ||
      values.category !== before.category ||
      values.estimatedStartDate !== before.estimatedStartDate ||
      (values.expectedCommencementDate ?? null) !== before.expectedCommencementDate;
    const after = await updateProcurementIfVersion(tx, id, version, {
      ...values,
      ...(estimateChanged ? { sourceBand: null } : {}),
    });
    if (!after) {
      throw new Conflict(
        `Planned procurement "${before.title}"`,
        COMPARED.map(([field, label]) => ({
          label,
          saved: shown(before[field]),
          submitted: shown((values as Record<string, unknown>)[field]),
        })) satisfies ComparedField[],
        `/procurement/${encodeURIComponent(id)}/edit`,
      );
    }
    await recordAuditEvent(tx, {
      actor,
      action: "update",
      entityType: AUDIT_ENTITY,
      entityId: id,
      summary: `Changed "${after.title}" in the procurement forward plan`,
      before,
      after,
    });
    return after;
  });
}
