import type { Database } from "../../db/client.ts";
import { type MonitoringPeriod, monitoringPeriodLabel } from "../../domain/periods.ts";
import { Conflict, NotFound } from "../../errors.ts";
import { recordAuditEvent } from "../audit/audit.service.ts";
import * as repository from "./periods.repository.ts";
import { findPeriod, requireOpenPeriod } from "./periods.service.ts";

/**
 * A period's report narrative: the words an officer writes for its quarterly report. One per
 * period, saved only while the period is open, version-checked and audited.
 */

export const NARRATIVE_FIELDS = [
  { key: "purpose", label: "Purpose of the report" },
  { key: "overview", label: "Overview of performance" },
  { key: "progressSummary", label: "Progress summary" },
  { key: "keySuccess", label: "Key areas of success" },
  { key: "keyConsideration", label: "Key areas for consideration" },
  { key: "keyNote", label: "Key areas to note" },
  { key: "varianceExplanations", label: "Explanation of the variances" },
  { key: "recommendations", label: "Officer recommendations" },
] as const;

/**
 * The committee report's other parts, written on the same form: the key decision and its
 * reference, whether call-in is to be waived and why, the background papers (one a line), the
 * report's author and the date of the report ("yes", "no" or "" for a question; an ISO date or "").
 */
export const COMMITTEE_FIELDS = [
  { key: "keyDecision", label: "Key decision" },
  { key: "keyDecisionReference", label: "Key decision reference" },
  { key: "callInWaived", label: "Call-in to be waived" },
  { key: "callInReason", label: "Reason for waiving call-in" },
  { key: "backgroundPapers", label: "Background papers" },
  { key: "authorName", label: "Report author" },
  { key: "authorJobTitle", label: "Author's job title" },
  { key: "authorContact", label: "Author's contact details" },
  { key: "reportDate", label: "Date of the report" },
] as const;

const ALL_FIELDS = [...NARRATIVE_FIELDS, ...COMMITTEE_FIELDS];

export type NarrativeKey = (typeof ALL_FIELDS)[number]["key"];
export type NarrativeText = Record<NarrativeKey, string>;
/** What a save takes: every text part, and the committee parts where given. */
export type NarrativeInput = Record<(typeof NARRATIVE_FIELDS)[number]["key"], string> &
  Partial<Record<(typeof COMMITTEE_FIELDS)[number]["key"], string>>;

export interface ReportNarrative extends NarrativeText {
  version: number;
  updatedBy: string;
  updatedAt: Date;
}

export const EMPTY_NARRATIVE: NarrativeText = {
  purpose: "",
  overview: "",
  progressSummary: "",
  keySuccess: "",
  keyConsideration: "",
  keyNote: "",
  varianceExplanations: "",
  recommendations: "",
  keyDecision: "",
  keyDecisionReference: "",
  callInWaived: "",
  callInReason: "",
  backgroundPapers: "",
  authorName: "",
  authorJobTitle: "",
  authorContact: "",
  reportDate: "",
};

type NarrativeRow = Omit<NarrativeText, "reportDate"> & { reportDate: string | null };

function textOf(row: NarrativeRow): NarrativeText {
  return Object.fromEntries(ALL_FIELDS.map(({ key }) => [key, row[key] ?? ""])) as NarrativeText;
}

/** The words as the table keeps them: no date is null. */
function rowValues(text: NarrativeText): NarrativeRow {
  return { ...text, reportDate: text.reportDate === "" ? null : text.reportDate };
}

/** A saved or submitted part as the conflict page shows it: "Yes" for "yes". */
function shown(key: NarrativeKey, value: string): string {
  if (key === "keyDecision" || key === "callInWaived")
    return value === "" ? "" : value === "yes" ? "Yes" : "No";
  return value;
}

/** The narrative saved for a period, or null when none has been (or the period is not opened). */
export async function reportNarrative(
  db: Database,
  period: MonitoringPeriod,
): Promise<ReportNarrative | null> {
  const state = await findPeriod(db, period);
  if (!state) return null;
  const row = await repository.findNarrative(db, state.id);
  return row
    ? { ...textOf(row), version: row.version, updatedBy: row.updatedBy, updatedAt: row.updatedAt }
    : null;
}

export interface SaveNarrativeInput {
  period: MonitoringPeriod;
  /** The narrative's version when the form was opened; 0 when there was none. */
  version: number;
  /** The words; a committee part left out is blank. */
  text: NarrativeInput;
  /** Where the conflict page sends the person back to. */
  returnUrl: string;
}

/**
 * Saves a period's report narrative. Refused, nothing saved, when the period is not open for
 * entry, and when someone else saved the narrative after this form was opened (the conflict page
 * shows both). Audited with the words before and after.
 */
export async function saveReportNarrative(db: Database, actor: string, input: SaveNarrativeInput) {
  const label = monitoringPeriodLabel(input.period);
  const text: NarrativeText = { ...EMPTY_NARRATIVE, ...input.text };
  return db.transaction(async (tx) => {
    const state = await requireOpenPeriod(tx, input.period);
    const before = await repository.findNarrative(tx, state.id);
    const conflict = (saved: repository.ReportNarrativeRow | undefined) =>
      new Conflict(
        `The report narrative for ${label}`,
        ALL_FIELDS.filter(({ key }) => (saved?.[key] ?? "") !== text[key]).map(({ key, label }) => ({
          label,
          saved: shown(key, saved?.[key] ?? ""),
          submitted: shown(key, text[key]),
        })),
        input.returnUrl,
        saved ? { actor: saved.updatedBy, at: saved.updatedAt } : undefined,
      );
    let saved: repository.ReportNarrativeRow | null | undefined;
    if (input.version === 0) {
      if (before) throw conflict(before);
      saved = await repository.insertNarrativeIfAbsent(tx, {
        periodId: state.id,
        ...rowValues(text),
        updatedBy: actor,
      });
      if (!saved) throw conflict(await repository.findNarrative(tx, state.id));
    } else {
      if (!before) throw new NotFound(`The report narrative for ${label}`);
      saved = await repository.updateNarrativeIfVersion(tx, before.id, input.version, {
        ...rowValues(text),
        updatedBy: actor,
        updatedAt: new Date(),
      });
      if (!saved) throw conflict(before);
    }
    await recordAuditEvent(tx, {
      actor,
      action: before ? "update" : "create",
      entityType: "report-narrative",
      entityId: state.key,
      summary: `${before ? "Changed" : "Wrote"} the report narrative for ${label}`,
      before: before ? textOf(before) : null,
      after: textOf(saved),
    });
    return saved;
  });
}
