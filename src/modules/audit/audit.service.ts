import type { Database } from "../../db/client.ts";
import { describeChanges, type FieldChange } from "../../domain/audit-changes.ts";
import {
  monitoringPeriod,
  monitoringPeriodKey,
  monitoringPeriodLabel,
  monitoringPeriodPath,
  parseFinancialYearCode,
  parseMonitoringPeriodKey,
} from "../../domain/periods.ts";
import { writeCsv } from "../../domain/procurement.ts";
import type { AuditEvent, AuditFilter } from "./audit.repository.ts";
import * as repository from "./audit.repository.ts";

/**
 * The audit trail as other modules use it: every service records its writes here, inside the
 * write's own transaction, and reads a record's history for the conflict page and the record's
 * page. The SQL is in audit.repository.ts; modules reach it only through this file.
 */
export {
  type AuditEvent,
  type AuditEventInput,
  type AuditFilter,
  latestAuditEvent,
  listAuditEvents,
  recordAuditEvent,
  recordAuditEvents,
} from "./audit.repository.ts";

/** Events on one page of /audit. */
export const AUDIT_PAGE_SIZE = 50;
/** Events in one CSV file of the trail, newest first; the page says so when there are more. */
export const AUDIT_CSV_LIMIT = 10_000;
/** Events a record's own page lists, newest first; the rest are on /audit. */
export const RECORD_HISTORY_LIMIT = 25;

const ACTION_WORDS: Readonly<Record<string, string>> = {
  create: "Added",
  update: "Changed",
  delete: "Removed",
  import: "Imported",
  "load-demo": "Loaded",
  restate: "Restated",
  archive: "Archived",
  restore: "Restored",
  move: "Moved",
  remind: "Reminded",
};

/** Record kinds a reader has a name for; any other kind is named from its own words. */
const KIND_WORDS: Readonly<Record<string, string>> = {
  measure: "Measure",
  "measure-group": "Measure table",
  deliverable: "Deliverable",
  "budget-line": "Budget line",
  "planned-procurement": "Planned procurement",
  "monitoring-period": "Monitoring period",
  "monitoring-year": "Monitoring year",
  "financial-year": "Financial year",
  "savings-initiative-forecast": "Savings forecast",
  "financial-risk": "Financial risk",
  "supporting-activity": "Supporting activity",
  risk: "Risk",
  setting: "Setting",
};

/** "Budget line" for "budget-line"; an unknown kind by its own words. */
export function recordKindWords(kind: string): string {
  const known = KIND_WORDS[kind];
  if (known) return known;
  const words = kind.replace(/[-_]+/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The page a record is shown on, where it has one. */
export function recordHref(kind: string | null, id: string | null): string | null {
  if (!kind || !id) return null;
  const numeric = /^[1-9][0-9]{0,9}$/.test(id);
  switch (kind) {
    case "measure":
      return numeric ? `/measures/${id}` : null;
    case "deliverable":
      return numeric ? `/plan/deliverables/${id}` : null;
    case "budget-line":
      return numeric ? `/budget/lines/${id}` : null;
    case "planned-procurement":
      return /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/.test(id) ? `/procurement/${id}` : null;
    case "monitoring-period": {
      const period = parseMonitoringPeriodKey(id);
      return period ? `/periods/${monitoringPeriodPath(period)}` : null;
    }
    default:
      return null;
  }
}

/** "Quarter 3 2020/21" for "2020-21-q3"; the key as it is if it is not a period's. */
export function periodWords(key: string | null): string | null {
  if (!key) return null;
  const period = parseMonitoringPeriodKey(key);
  return period ? monitoringPeriodLabel(period) : key;
}

/**
 * The period key an audit event carries for a quarter of a year written "2020-21" or "2020/21";
 * null when the two do not make a monitoring quarter.
 */
export function quarterPeriodKey(year: string, quarter: number): string | null {
  const startYear = parseFinancialYearCode(year);
  if (startYear === null || !Number.isInteger(quarter) || quarter < 1 || quarter > 4) return null;
  return monitoringPeriodKey(monitoringPeriod(startYear, "quarter", quarter));
}

/** One event as a reader sees it: who did what to which record, when, and what changed. */
export interface AuditEntry {
  id: number;
  occurredAt: Date;
  actor: string;
  action: string;
  recordKind: string;
  recordId: string;
  recordHref: string | null;
  period: string | null;
  summary: string;
  changes: FieldChange[];
}

export function auditEntry(event: AuditEvent): AuditEntry {
  const kind = event.recordKind ?? event.entityType;
  const id = event.recordId ?? event.entityId;
  return {
    id: event.id,
    occurredAt: event.occurredAt,
    actor: event.actor,
    action: ACTION_WORDS[event.action] ?? recordKindWords(event.action),
    recordKind: recordKindWords(kind),
    recordId: id,
    recordHref: recordHref(kind, id),
    period: periodWords(event.period),
    summary: event.summary,
    changes: describeChanges(event.before, event.after),
  };
}

export interface AuditTrailPage {
  entries: AuditEntry[];
  total: number;
  page: number;
  pages: number;
  pageSize: number;
}

/** One page (from 1) of the events matching the filter, newest first. */
export async function auditTrail(db: Database, filter: AuditFilter, page: number): Promise<AuditTrailPage> {
  const offset = (Math.max(1, page) - 1) * AUDIT_PAGE_SIZE;
  const { events, total } = await repository.findAuditEvents(db, filter, { limit: AUDIT_PAGE_SIZE, offset });
  return {
    entries: events.map(auditEntry),
    total,
    page,
    pages: Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE)),
    pageSize: AUDIT_PAGE_SIZE,
  };
}

/** The people, record kinds and periods the filter form offers, with their words. */
export async function auditFilterChoices(db: Database) {
  const choices = await repository.auditFilterChoices(db);
  return {
    actors: choices.actors,
    kinds: choices.kinds.map((kind) => ({ value: kind, text: recordKindWords(kind) })),
    periods: choices.periods.map((key) => ({ value: key, text: periodWords(key) ?? key })),
  };
}

/** "Amount: from £1.00 to £2.00", or "Title: Library courier" for a value the record was created with. */
export function changeWords(change: FieldChange): string {
  return change.before === "none"
    ? `${change.field}: ${change.after}`
    : `${change.field}: from ${change.before} to ${change.after}`;
}

const CSV_HEADER = [
  "When (UTC)",
  "Who",
  "What was done",
  "Record kind",
  "Record",
  "Period",
  "Summary",
  "What changed",
];

/**
 * The filtered trail as CSV, newest first, at most AUDIT_CSV_LIMIT events (the page offering
 * the file says so when more match).
 */
export async function auditCsv(db: Database, filter: AuditFilter): Promise<string> {
  const { events } = await repository.findAuditEvents(db, filter, { limit: AUDIT_CSV_LIMIT, offset: 0 });
  const rows = events
    .map(auditEntry)
    .map((entry) => [
      entry.occurredAt.toISOString(),
      entry.actor,
      entry.action,
      entry.recordKind,
      entry.recordId,
      entry.period ?? "",
      entry.summary,
      entry.changes.map(changeWords).join("; "),
    ]);
  return writeCsv([CSV_HEADER, ...rows]);
}

export interface RecordHistory {
  entries: AuditEntry[];
  total: number;
  /** Where the whole history is, when the page shows only the newest events. */
  moreHref: string | null;
}

/** A record's history for its own page: the newest events, and a link to the rest on /audit. */
export async function recordHistory(db: Database, kind: string, id: string | number): Promise<RecordHistory> {
  const events = await repository.listRecordEvents(db, kind, id, RECORD_HISTORY_LIMIT);
  const total =
    events.length < RECORD_HISTORY_LIMIT ? events.length : await repository.countRecordEvents(db, kind, id);
  return {
    entries: events.map(auditEntry),
    total,
    moreHref:
      total > events.length
        ? `/audit?kind=${encodeURIComponent(kind)}&record=${encodeURIComponent(String(id))}`
        : null,
  };
}
