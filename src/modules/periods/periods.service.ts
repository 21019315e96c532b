import type { Database } from "../../db/client.ts";
import type { ConfirmedMissing, MonitoringStatus } from "../../db/schema/index.ts";
import {
  compareMonitoringPeriods,
  financialYearCode,
  financialYearLabel,
  type MonitoringFrequency,
  type MonitoringPeriod,
  monitoringPeriod,
  monitoringPeriodDates,
  monitoringPeriodKey,
  monitoringPeriodLabel,
  monitoringPeriodPath,
  parseMonitoringPeriodKey,
  periodsOfYear,
  quarterOf,
  sameMonitoringPeriod,
} from "../../domain/periods.ts";
import { ROLE_WORDS, type Role, SIGNING_OFF_ROLES, UNLOCKING_ROLES } from "../../domain/roles.ts";
import { defaultRoundDueOn } from "../../domain/round-dates.ts";
import {
  BadRequest,
  BaseplanError,
  Conflict,
  NotFound,
  NotOpenForEntry,
  PeriodLockedError,
  RoleRequired,
  ValidationFailed,
} from "../../errors.ts";
import { quarterKey, quarterlyReportSettings } from "../../reports/report-settings.ts";
import { latestAuditEvent, recordAuditEvent } from "../audit/audit.service.ts";
import { type CarryForward, openFinancialYear, quarterCompleteness } from "../finance/finance.years.ts";
import { periodMeasures } from "../measures/measures.service.ts";
import { actingPerson } from "../people/ownership.service.ts";
import { listPeople } from "../people/people.service.ts";
import { quarterProgressCompleteness } from "../plan/plan.service.ts";
import * as repository from "./periods.repository.ts";

/**
 * Monitoring periods as data. A department's financial year is opened (with what the officer
 * chooses to carry forward from the year before), then its quarters or months are opened for
 * entry one by one, closed for entry, and published. Each step is refused when it is not the
 * next one (opening twice, publishing an open period), and closing or publishing with items
 * still missing needs an explicit confirmation, which is kept with the period.
 */

export const STATUS_WORDS: Record<MonitoringStatus, string> = {
  open: "Open for entry",
  closed: "Closed for entry",
  published: "Published",
};

/** A step refused because the period is not in the state it needs. */
export class PeriodRefused extends BaseplanError {
  readonly code = "bad-request";
}

/** Entry for a period that is not open: the page says how to open it. */
export class PeriodNotOpen extends NotOpenForEntry {
  constructor(
    readonly period: MonitoringPeriod,
    readonly status: MonitoringStatus | null,
  ) {
    super(
      status === null
        ? `${monitoringPeriodLabel(period)} has not been opened for entry.`
        : `${monitoringPeriodLabel(period)} is ${STATUS_WORDS[status].toLowerCase()}, not open for entry.`,
      monitoringPeriodLabel(period),
      `/periods/${monitoringPeriodPath(period)}`,
      status !== null,
    );
  }
}

/** Closing or publishing with items missing, unconfirmed: the list the confirmation must name. */
export class MissingItems extends BaseplanError {
  readonly code = "bad-request";
  constructor(
    readonly period: MonitoringPeriod,
    readonly missing: ConfirmedMissing[],
  ) {
    super(`${monitoringPeriodLabel(period)} has ${missing.length} items missing.`);
  }
}

export interface PeriodState {
  id: number;
  period: MonitoringPeriod;
  key: string;
  label: string;
  path: string;
  status: MonitoringStatus;
  statusWords: string;
  version: number;
  frequency: MonitoringFrequency;
  missingWhenClosed: ConfirmedMissing[] | null;
  missingWhenPublished: ConfirmedMissing[] | null;
  publishedBy: string | null;
  publishedAt: Date | null;
  /** Who signed the period off, while it is signed off and locked; null otherwise. */
  signedOffBy: string | null;
  signedOffAt: Date | null;
  locked: boolean;
  /** When the period's round items are due (ISO date), unless an item has its own date. */
  roundDueOn: string | null;
}

async function requireDepartment(db: Database) {
  const department = await repository.findMonitoredDepartment(db);
  if (!department) throw new NotFound("The department");
  return department;
}

/** The council and department that are monitored, by name, or null before any is set up. */
export async function monitoredOrganisation(
  db: Database,
): Promise<{ councilId: number; councilName: string; department: string } | null> {
  const department = await repository.findMonitoredDepartment(db);
  return department
    ? { councilId: department.councilId, councilName: department.councilName, department: department.name }
    : null;
}

/** Every opened period, in date order. */
export async function listPeriods(db: Database): Promise<PeriodState[]> {
  const department = await repository.findMonitoredDepartment(db);
  if (!department) return [];
  const rows = await repository.listPeriods(db, department.id);
  const states: PeriodState[] = [];
  for (const row of rows) {
    const period = parseMonitoringPeriodKey(row.period);
    if (period === null) continue;
    states.push({
      id: row.id,
      period,
      key: row.period,
      label: monitoringPeriodLabel(period),
      path: monitoringPeriodPath(period),
      status: row.status,
      statusWords: STATUS_WORDS[row.status],
      version: row.version,
      frequency: row.frequency,
      missingWhenClosed: row.missingWhenClosed,
      missingWhenPublished: row.missingWhenPublished,
      publishedBy: row.publishedBy,
      publishedAt: row.publishedAt,
      signedOffBy: row.signedOffBy,
      signedOffAt: row.signedOffAt,
      locked: row.signedOffAt !== null,
      roundDueOn: row.roundDueOn,
    });
  }
  return states.sort((a, b) => compareMonitoringPeriods(a.period, b.period));
}

/**
 * For a quarter of a year monitored monthly, the month that ends it (3, 6, 9 or 12), whose budget
 * figures stand for the quarter (in its report and on the dashboard); null for a year monitored
 * quarterly.
 */
export async function quarterEndMonth(db: Database, quarter: MonitoringPeriod): Promise<number | null> {
  const monthly = (await listPeriods(db)).some(
    (state) => state.period.startYear === quarter.startYear && state.frequency === "monthly",
  );
  return monthly ? quarter.number * 3 : null;
}

export async function findPeriod(db: Database, period: MonitoringPeriod): Promise<PeriodState | undefined> {
  return (await listPeriods(db)).find((state) => sameMonitoringPeriod(state.period, period));
}

/** The years opened, newest first, each with its frequency and every one of its periods' states. */
export async function listYears(db: Database) {
  const department = await repository.findMonitoredDepartment(db);
  if (!department) return [];
  const [years, periods] = await Promise.all([repository.listYears(db, department.id), listPeriods(db)]);
  return years
    .map((year) => ({
      startYear: year.startYear,
      label: financialYearLabel(year.startYear),
      frequency: year.frequency,
      periods: periodsOfYear(year.startYear, year.frequency).map((period) => {
        const state = periods.find((candidate) => sameMonitoringPeriod(candidate.period, period));
        return {
          period,
          key: monitoringPeriodKey(period),
          label: monitoringPeriodLabel(period),
          path: monitoringPeriodPath(period),
          state: state ?? null,
        };
      }),
    }))
    .reverse();
}

const FREQUENCY_WORDS: Record<MonitoringFrequency, string> = {
  quarterly: "Quarterly",
  monthly: "Monthly",
};

/** How the department monitors: its setting, with the version a form must send back. */
export async function monitoringSetting(db: Database) {
  const department = await repository.findMonitoredDepartment(db);
  if (!department) return null;
  return {
    id: department.id,
    department: department.name,
    frequency: department.frequency,
    frequencyWords: FREQUENCY_WORDS[department.frequency],
    version: department.version,
  };
}

export interface MonitoringSettingEdit {
  frequency: MonitoringFrequency;
  /** The department's version when the form was opened. */
  version: number;
}

/**
 * Changes whether the department monitors quarterly or monthly. Years opened before keep the
 * periods they were opened with; the next year opened takes the new setting. Audited; a form
 * opened at an older version is refused with Conflict and nothing changes.
 */
export async function changeMonitoringSetting(db: Database, actor: string, edit: MonitoringSettingEdit) {
  return db.transaction(async (tx) => {
    const department = await requireDepartment(tx);
    const updated = await repository.updateDepartmentFrequencyIfVersion(
      tx,
      department.id,
      edit.version,
      edit.frequency,
    );
    if (!updated) {
      const saved = await latestAuditEvent(tx, "department", department.id);
      throw new Conflict(
        `${department.name}'s monitoring setting`,
        [
          {
            label: "How the department is monitored",
            saved: FREQUENCY_WORDS[department.frequency],
            submitted: FREQUENCY_WORDS[edit.frequency],
          },
        ],
        "/periods/settings",
        saved ? { actor: saved.actor, at: saved.occurredAt } : undefined,
      );
    }
    await recordAuditEvent(tx, {
      actor,
      action: "update",
      entityType: "department",
      entityId: department.id,
      summary: `${department.name} is monitored ${edit.frequency} from the next year opened`,
      before: { monitoringFrequency: department.frequency, version: department.version },
      after: { monitoringFrequency: edit.frequency, version: updated.version },
    });
    return updated;
  });
}

export interface OpenYearInput {
  startYear: number;
  /** The department's setting when not given. */
  frequency?: MonitoringFrequency;
  carryForward: CarryForward;
}

/** Opens a financial year for monitoring. Refused if the year is open already. */
export async function openYear(db: Database, actor: string, input: OpenYearInput) {
  return db.transaction(async (tx) => {
    const department = await requireDepartment(tx);
    if (await repository.findYear(tx, department.id, input.startYear)) {
      throw new PeriodRefused(`${financialYearLabel(input.startYear)} is already open for monitoring.`);
    }
    const frequency = input.frequency ?? department.frequency;
    const year = await repository.insertYear(tx, {
      departmentId: department.id,
      startYear: input.startYear,
      frequency,
      openedBy: actor,
    });
    const carried = await openFinancialYear(tx, actor, input.startYear, input.carryForward);
    await recordAuditEvent(tx, {
      actor,
      action: "create",
      entityType: "monitoring-year",
      entityId: financialYearLabel(input.startYear),
      summary: `Opened ${financialYearLabel(input.startYear)} for ${frequency} monitoring`,
      after: { frequency, carryForward: input.carryForward, carried },
    });
    return { year, carried };
  });
}

/** Opens one period of an opened year for entry. Refused if the year is not open or the period was opened before. */
export async function openPeriod(db: Database, actor: string, period: MonitoringPeriod) {
  return db.transaction(async (tx) => {
    const department = await requireDepartment(tx);
    const year = await repository.findYear(tx, department.id, period.startYear);
    const label = monitoringPeriodLabel(period);
    if (!year) {
      throw new PeriodRefused(
        `${financialYearLabel(period.startYear)} has not been opened for monitoring. Open the year first.`,
      );
    }
    const expectedKind = year.frequency === "quarterly" ? "quarter" : "month";
    if (period.kind !== expectedKind) {
      throw new PeriodRefused(
        `${financialYearLabel(period.startYear)} is monitored ${year.frequency}: ${label} is not one of its periods.`,
      );
    }
    const existing = (await repository.listPeriods(tx, department.id)).find(
      (row) => row.period === monitoringPeriodKey(period),
    );
    if (existing)
      throw new PeriodRefused(`${label} is already ${STATUS_WORDS[existing.status].toLowerCase()}.`);
    // The round's items are due a set time after the period ends; a performance officer can change it.
    const roundDueOn = defaultRoundDueOn(monitoringPeriodDates(period, department.yearStartMonth).end);
    const row = await repository.insertPeriod(tx, {
      yearId: year.id,
      period: monitoringPeriodKey(period),
      status: "open",
      roundDueOn,
    });
    await recordAuditEvent(tx, {
      actor,
      action: "create",
      entityType: "monitoring-period",
      entityId: monitoringPeriodKey(period),
      period: monitoringPeriodKey(period),
      summary: `Opened ${label} for entry`,
      after: { status: "open", roundDueOn },
    });
    return row;
  });
}

export interface SectionItem {
  name: string;
  done: boolean;
  /** Who is responsible for it, where recorded. */
  owner: string | null;
  href: string;
}

export interface PeriodSection {
  key: string;
  title: string;
  done: number;
  total: number;
  items: SectionItem[];
  /** Items not done, for the list of what is missing. */
  missing: SectionItem[];
  /** What the section counts beside its items, such as the budget lines' optional explanations. */
  note?: string;
}

function section(key: string, title: string, items: SectionItem[], note?: string): PeriodSection {
  const missing = items.filter((item) => !item.done);
  return {
    key,
    title,
    done: items.length - missing.length,
    total: items.length,
    items,
    missing,
    ...(note === undefined ? {} : { note }),
  };
}

/**
 * What is recorded and what is missing for a period, section by section of the monitoring
 * report. A month is counted against its quarter's records, which is where they are kept.
 */
export async function periodSections(db: Database, period: MonitoringPeriod): Promise<PeriodSection[]> {
  const quarter = quarterOf(period);
  const financialYear = financialYearLabel(quarter.startYear);
  // One after another: this also runs inside a transaction, whose one client takes one query at a time.
  const deliverables = await quarterProgressCompleteness(db, { financialYear, quarter: quarter.number });
  const measures = await periodMeasures(db, period);
  // A month's budget lines are counted by that month's forecasts; the rest is held by quarter.
  const finance = await quarterCompleteness(
    db,
    quarter.startYear,
    quarter.number,
    period.kind === "month" ? period.number : null,
  );
  return [
    section(
      "deliverables",
      "Deliverable progress",
      deliverables.map((item) => ({ name: item.title, done: item.done, owner: item.owner, href: item.href })),
    ),
    // The measures due in the period (monthly ones every month, quarterly ones each quarter),
    // done when a value is recorded for the period itself.
    section(
      "measures",
      "Measures",
      measures.map((item) => ({
        name: item.measure.title,
        done: item.value !== null,
        owner: item.measure.owner,
        href: `/measures/${item.measure.id}/values/new?period=${monitoringPeriodKey(period)}`,
      })),
    ),
    ...finance.map((part) =>
      section(
        part.key,
        part.title,
        part.items.map((item) => ({ ...item, owner: null })),
        part.note,
      ),
    ),
    ...(await narrativeSection(db, period, financialYearCode(quarter.startYear), quarter.number)),
  ];
}

/**
 * The quarterly report's narrative (purpose, overview, key areas, variance explanations,
 * recommendations), expected of a quarter and of the month that ends one, where the quarter's
 * report is made. Done when an officer has written it for the period, or when the report's
 * settings already hold the quarter's own words (a quarter published before the form existed).
 */
async function narrativeSection(
  db: Database,
  period: MonitoringPeriod,
  code: string,
  quarter: number,
): Promise<PeriodSection[]> {
  if (period.kind === "month" && period.number % 3 !== 0) return [];
  const state = await findPeriod(db, period);
  const written = state ? (await repository.findNarrative(db, state.id)) !== undefined : false;
  const inSettings =
    !written && (await quarterlyReportSettings(db))?.quarters[quarterKey(code, quarter)] !== undefined;
  return [
    section("narrative", "Report narrative", [
      {
        name: "The report narrative",
        done: written || inSettings,
        owner: null,
        href: `/reports/quarterly/${code}/q${quarter}/narrative`,
      },
    ]),
  ];
}

export function missingOf(sections: readonly PeriodSection[]): ConfirmedMissing[] {
  return sections.flatMap((part) => part.missing.map((item) => ({ section: part.title, item: item.name })));
}

export interface ChangeStatusInput {
  period: MonitoringPeriod;
  /** The period's version when the form was opened. */
  version: number;
  /** The person confirmed going ahead with the missing items listed. */
  confirmMissing: boolean;
}

async function changeStatus(
  db: Database,
  actor: string,
  input: ChangeStatusInput,
  from: readonly MonitoringStatus[],
  to: MonitoringStatus,
) {
  const label = monitoringPeriodLabel(input.period);
  return db.transaction(async (tx) => {
    const state = await openedPeriod(tx, input.period);
    if (!from.includes(state.status)) {
      throw new PeriodRefused(
        `${label} is ${STATUS_WORDS[state.status].toLowerCase()}: it cannot be ${to === "closed" ? "closed" : "published"} now.`,
      );
    }
    const field = { label: "Status", saved: state.statusWords, submitted: STATUS_WORDS[to] };
    // A stale form is refused before the missing items are counted for it.
    if (state.version !== input.version) throw periodConflict(state, field);
    const missing = missingOf(await periodSections(tx, input.period));
    if (missing.length > 0 && !input.confirmMissing) throw new MissingItems(input.period, missing);
    const confirmed = missing.length > 0 ? missing : null;
    const changed = await changePeriodAt(tx, actor, state, input.version, {
      values: {
        status: to,
        ...(to === "closed" ? { missingWhenClosed: confirmed } : {}),
        ...(to === "published"
          ? { missingWhenPublished: confirmed, publishedBy: actor, publishedAt: new Date() }
          : {}),
      },
      field,
      summary: `${to === "closed" ? "Closed" : "Published"} ${label}${confirmed ? ` with ${confirmed.length} items missing` : ""}`,
      before: { status: state.status },
      after: { status: to, missing: confirmed },
    });
    if (to === "published") await freezeReportModel(tx, state);
    return changed;
  });
}

/**
 * Freezes the quarterly report a period being published makes (a quarter's, or the quarter a
 * month ends), in the publishing transaction: its model as the data stands now is stored, so the
 * period is never published without it and nothing recorded later reaches it. The files are
 * rendered from this model at their first download and their bytes kept (`frozenDocument`).
 * A month that ends no quarter has no report to freeze.
 */
async function freezeReportModel(tx: Database, state: PeriodState): Promise<void> {
  // Loaded when needed: the report builder reads this file's periods (no import cycle at start-up).
  const report = await import("./periods.report.ts");
  const quarter = report.reportQuarterOf(state.period);
  if (!quarter) return;
  const content = report.reportBytes(await report.buildPeriodReport(tx, quarter));
  // Published again after being reopened: the earlier publication's copies give way to this one.
  await repository.deletePublishedDocuments(tx, state.id, report.QUARTERLY_DOCUMENT);
  await repository.insertPublishedDocument(tx, {
    periodId: state.id,
    document: report.QUARTERLY_DOCUMENT,
    format: "model",
    content,
  });
}

/** The period's state, or a refusal saying it has not been opened. */
async function openedPeriod(db: Database, period: MonitoringPeriod): Promise<PeriodState> {
  const state = await findPeriod(db, period);
  if (!state) throw new PeriodRefused(`${monitoringPeriodLabel(period)} has not been opened.`);
  return state;
}

interface PeriodChange {
  values: Parameters<typeof repository.updatePeriodIfVersion>[3];
  /** The field the conflict page shows: what is saved, and what the form asked for. */
  field: ConflictField;
  /** The conflict page's title and where it sends the person back to: the period's own page unless given. */
  title?: string;
  back?: string;
  summary: string;
  before: Record<string, unknown>;
  after: Record<string, unknown>;
}

interface ConflictField {
  label: string;
  saved: string;
  submitted: string;
}

function periodConflict(state: PeriodState, field: ConflictField, title?: string, back?: string) {
  return new Conflict(title ?? state.label, [field], back ?? `/periods/${state.path}`);
}

/**
 * A change to a period's own row, saved only at the version its form was opened at and audited:
 * a form opened at another version gets the conflict page and nothing changes. What closing,
 * publishing, signing off, unlocking and the round's due date share.
 */
async function changePeriodAt(
  tx: Database,
  actor: string,
  state: PeriodState,
  version: number,
  change: PeriodChange,
) {
  const conflict = () => periodConflict(state, change.field, change.title, change.back);
  if (state.version !== version) throw conflict();
  const updated = await repository.updatePeriodIfVersion(tx, state.id, version, change.values);
  if (!updated) throw conflict();
  await recordAuditEvent(tx, {
    actor,
    action: "update",
    entityType: "monitoring-period",
    entityId: state.key,
    period: state.key,
    summary: change.summary,
    before: change.before,
    after: change.after,
  });
  return updated;
}

/** Closes an open period for entry. */
export async function closePeriod(db: Database, actor: string, input: ChangeStatusInput) {
  return changeStatus(db, actor, input, ["open"], "closed");
}

/** Publishes a period that is open or closed for entry; its documents are frozen from then on. */
export async function publishPeriod(db: Database, actor: string, input: ChangeStatusInput) {
  return changeStatus(db, actor, input, ["open", "closed"], "published");
}

/** The names of the active administrators, who can unlock a signed-off period. */
async function unlockers(db: Database): Promise<string[]> {
  const people = await listPeople(db);
  return people
    .filter(
      (person) =>
        person.status === "active" &&
        person.memberships.some((membership) => membership.role === "administrator"),
    )
    .map((person) => person.displayName);
}

/** The refusal for entry into a signed-off period: who signed it off and who can unlock it. */
async function lockedRefusal(db: Database, state: PeriodState): Promise<PeriodLockedError> {
  return new PeriodLockedError(
    state.label,
    `/periods/${state.path}`,
    state.signedOffBy ?? "",
    state.signedOffAt ?? new Date(0),
    await unlockers(db),
  );
}

/**
 * Refuses entry for a period that is not open, saying how to open it, and for one that is signed
 * off (locked), saying who can unlock it. Every write of a period's data asks this (or
 * `requireOpenQuarter`, which builds on the same states), so the lock holds for all of them.
 */
export async function requireOpenPeriod(db: Database, period: MonitoringPeriod): Promise<PeriodState> {
  const state = await findPeriod(db, period);
  if (state?.locked) throw await lockedRefusal(db, state);
  if (state?.status === "open") return state;
  throw new PeriodNotOpen(period, state?.status ?? null);
}

/**
 * Refuses entry for a quarter of a financial year that is not open. A year monitored monthly is
 * opened month by month, and what is held by quarter (budget forecasts, savings, progress) can be
 * entered while any month of that quarter is open and not signed off; refused with the quarter's
 * own state otherwise (or, when the quarter or one of its months is signed off, as locked).
 */
export async function requireOpenQuarter(db: Database, startYear: number, quarter: number): Promise<void> {
  const asQuarter = quarterPeriod(startYear, quarter);
  if ((await openQuarters(db, startYear)).includes(quarter)) return;
  const states = await listPeriods(db);
  const own = states.find((state) => sameMonitoringPeriod(state.period, asQuarter));
  const months = states.filter(
    (state) =>
      state.period.startYear === startYear &&
      state.period.kind === "month" &&
      Math.ceil(state.period.number / 3) === quarter,
  );
  const locked = [own, ...months].find((state) => state?.locked);
  if (locked) throw await lockedRefusal(db, locked);
  const lastMonth = months.at(-1);
  throw new PeriodNotOpen(
    !own && lastMonth ? lastMonth.period : asQuarter,
    own?.status ?? lastMonth?.status ?? null,
  );
}

/** The quarters of a financial year that take entries now (see `requireOpenQuarter`), for the forms' links. */
export async function openQuarters(db: Database, startYear: number): Promise<number[]> {
  const states = await listPeriods(db);
  return [1, 2, 3, 4].filter((quarter) =>
    states.some(
      (state) =>
        state.status === "open" &&
        !state.locked &&
        state.period.startYear === startYear &&
        (state.period.kind === "quarter"
          ? state.period.number === quarter
          : Math.ceil(state.period.number / 3) === quarter),
    ),
  );
}

/** Refuses a person (not the demo user or the command line) without one of the roles. */
async function requireRole(db: Database, actor: string, roles: readonly Role[]): Promise<void> {
  const person = await actingPerson(db, actor);
  if (person && !person.roles.some((role) => roles.includes(role))) throw new RoleRequired(roles, false);
}

export interface SignOffInput {
  period: MonitoringPeriod;
  /** The period's version when the form was opened. */
  version: number;
}

/**
 * An approver signs off a department's period, open or closed for entry, which locks it: every
 * later entry for it is refused (`requireOpenPeriod`) until an administrator unlocks it.
 * Version-checked and audited.
 */
export async function signOffPeriod(db: Database, actor: string, input: SignOffInput) {
  const label = monitoringPeriodLabel(input.period);
  return db.transaction(async (tx) => {
    await requireRole(tx, actor, SIGNING_OFF_ROLES);
    const state = await openedPeriod(tx, input.period);
    if (state.locked) throw new PeriodRefused(`${label} is already signed off.`);
    if (state.status === "published") {
      throw new PeriodRefused(`${label} is published: nothing in it can change, so it is not signed off.`);
    }
    return changePeriodAt(tx, actor, state, input.version, {
      values: { signedOffBy: actor, signedOffAt: new Date() },
      field: { label: "Sign-off", saved: "Not signed off", submitted: "Signed off" },
      summary: `Signed off ${label}, which locks it`,
      before: { signedOff: false },
      after: { signedOff: true, signedOffBy: actor },
    });
  });
}

export interface RoundDueInput extends SignOffInput {
  dueOn: string;
}

/**
 * Changes when a period's round items are due (those without a date of their own), by a
 * performance officer or administrator, while the period takes entries. Version-checked, audited.
 */
export async function changeRoundDueDate(db: Database, actor: string, input: RoundDueInput) {
  return db.transaction(async (tx) => {
    await requireRole(tx, actor, ["performance-officer", "administrator"]);
    const state = await requireOpenPeriod(tx, input.period);
    return changePeriodAt(tx, actor, state, input.version, {
      values: { roundDueOn: input.dueOn },
      field: { label: "Due date", saved: state.roundDueOn ?? "Not set", submitted: input.dueOn },
      title: `${state.label}'s due date`,
      back: `/periods/${state.path}/round`,
      summary: `${state.label}'s update round is due on ${input.dueOn}`,
      before: { roundDueOn: state.roundDueOn },
      after: { roundDueOn: input.dueOn },
    });
  });
}

export interface UnlockInput extends SignOffInput {
  /** Why it is unlocked: required, kept in the audit trail. */
  reason: string;
}

export const UNLOCK_REASON_MAX = 2000;

/**
 * An administrator unlocks a signed-off period, giving a reason: entry is taken again as the
 * period's status allows. The reason, with who signed it off and when, is kept in the audit trail.
 */
export async function unlockPeriod(db: Database, actor: string, input: UnlockInput) {
  const reason = input.reason.trim();
  if (reason === "") {
    throw new ValidationFailed([{ field: "reason", message: "Enter why the period is being unlocked" }]);
  }
  if (reason.length > UNLOCK_REASON_MAX) {
    throw new ValidationFailed([
      { field: "reason", message: "The reason must be 2,000 characters or fewer" },
    ]);
  }
  const label = monitoringPeriodLabel(input.period);
  return db.transaction(async (tx) => {
    await requireRole(tx, actor, UNLOCKING_ROLES);
    const state = await openedPeriod(tx, input.period);
    if (!state.locked) throw new PeriodRefused(`${label} is not signed off, so there is nothing to unlock.`);
    return changePeriodAt(tx, actor, state, input.version, {
      values: { signedOffBy: null, signedOffAt: null },
      field: { label: "Sign-off", saved: "Signed off", submitted: "Unlocked" },
      summary: `Unlocked ${label}, signed off by ${state.signedOffBy}: ${reason}`,
      before: {
        signedOff: true,
        signedOffBy: state.signedOffBy,
        signedOffAt: state.signedOffAt?.toISOString(),
      },
      after: { signedOff: false, reason },
    });
  });
}

/** The role names that sign off and unlock, for the period page. */
export const SIGN_OFF_WORDS = {
  signers: SIGNING_OFF_ROLES.map((role) => ROLE_WORDS[role].name.toLowerCase()),
  unlockers: UNLOCKING_ROLES.map((role) => ROLE_WORDS[role].name.toLowerCase()),
};

/**
 * The period pages look at when none is named: the latest published, or else the latest of the
 * given periods with budget monitoring; null when there is neither. With the reason, so a page
 * can say which it is showing.
 */
export async function defaultPeriod(
  db: Database,
  withBudgetMonitoring: readonly MonitoringPeriod[],
): Promise<{ period: MonitoringPeriod; reason: "published" | "budget-monitoring" } | null> {
  const published = (await listPeriods(db)).filter((state) => state.status === "published").at(-1);
  if (published) return { period: published.period, reason: "published" };
  const latest = [...withBudgetMonitoring].sort(compareMonitoringPeriods).at(-1);
  return latest ? { period: latest, reason: "budget-monitoring" } : null;
}

/** Builds a period from a year's start and a quarter number, for callers that still hold both. */
export function quarterPeriod(startYear: number, quarter: number): MonitoringPeriod {
  if (!Number.isInteger(quarter) || quarter < 1 || quarter > 4) throw new BadRequest(`Quarter ${quarter}`);
  return monitoringPeriod(startYear, "quarter", quarter);
}

/** "Quarter 3 2020/21", for pages. */
export function periodLabel(period: MonitoringPeriod): string {
  return monitoringPeriodLabel(period);
}

/** "2020-21/q3", for addresses. */
export function periodPath(period: MonitoringPeriod): string {
  return monitoringPeriodPath(period);
}

/**
 * A published period's document, frozen: the stored bytes when there are some, else `produce()`
 * is called once and its bytes stored, so every later download is byte for byte the same. For a
 * period not published, `produce()` every time: the live figures. The report model is stored
 * when the period is published (`publishPeriod`); its files, rendered from that model, at their
 * first download. Only a period published before models were frozen at publishing has its model
 * produced here.
 */
export async function frozenDocument(
  db: Database,
  period: MonitoringPeriod,
  document: string,
  format: "model" | "docx" | "xlsx" | "pdf",
  produce: () => Promise<Buffer>,
): Promise<Buffer> {
  const state = await findPeriod(db, period);
  if (state?.status !== "published") return produce();
  const stored = await repository.findPublishedDocument(db, state.id, document, format);
  if (stored) return Buffer.from(stored.content);
  const content = await produce();
  await repository.insertPublishedDocument(db, { periodId: state.id, document, format, content });
  const kept = await repository.findPublishedDocument(db, state.id, document, format);
  return kept ? Buffer.from(kept.content) : content;
}
