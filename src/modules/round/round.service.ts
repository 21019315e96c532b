import type { Database } from "../../db/client.ts";
import type { RoundItemStatus } from "../../db/schema/index.ts";
import { ownsByName } from "../../domain/ownership.ts";
import {
  financialYearLabel,
  type MonitoringPeriod,
  monitoringPeriodKey,
  monitoringPeriodLabel,
  monitoringPeriodPath,
  quarterOf,
} from "../../domain/periods.ts";
import { REVIEWING_ROLES, ROLE_WORDS, type Role } from "../../domain/roles.ts";
import { isOverdue, ukToday } from "../../domain/round-dates.ts";
import { Conflict, NotFound, RoleRequired, ValidationFailed } from "../../errors.ts";
import { recordAuditEvent } from "../audit/audit.service.ts";
import { periodMeasures } from "../measures/measures.service.ts";
import { actingPerson, ownerNamesByRecord, requireOwnerOf } from "../people/ownership.service.ts";
import {
  findPeriod,
  type InFlightItem,
  listPeriods,
  monitoredOrganisation,
  type PeriodState,
  requireOpenPeriod,
} from "../periods/periods.service.ts";
import { quarterProgressCompleteness } from "../plan/plan.service.ts";
import * as repository from "./round.repository.ts";

/**
 * The update round of a period open for entry: each deliverable due progress and each measure due
 * a value is its owner's to update. Its state: not started (nothing recorded for the period),
 * draft (recorded, not submitted), submitted, returned with a reviewer's comment, approved. The
 * owner submits; a performance officer, approver or administrator returns it with a comment or
 * approves it. Each step is refused out of turn, version-checked and audited.
 */

export type RoundKind = "deliverable" | "measure";
export type RoundState = "not-started" | "draft" | RoundItemStatus;

export const ROUND_STATE_WORDS: Record<RoundState, string> = {
  "not-started": "Not started",
  draft: "Draft",
  submitted: "Submitted",
  returned: "Returned",
  approved: "Approved",
};

/** Who reviews submissions: returns them with a comment or approves them. */
export const REVIEWERS: readonly Role[] = REVIEWING_ROLES;

export interface RoundItem {
  kind: RoundKind;
  id: number;
  title: string;
  owners: string[];
  recorded: boolean;
  state: RoundState;
  stateWords: string;
  comment: string | null;
  /** The version a form must send (0 before the first submission). */
  version: number;
  /** Where the owner records the update. */
  entryHref: string;
  /** When it is due (ISO date): its own date, else its period's; null when neither is set. */
  dueOn: string | null;
  /** Whether the due date is the item's own, changed from its period's. */
  ownDueDate: boolean;
  /** The version a due-date form must send (0 before the item has a date of its own). */
  dueVersion: number;
  /** Still with its owner after its due date. */
  overdue: boolean;
}

export interface RoundPeriod {
  state: PeriodState;
  items: RoundItem[];
}

async function itemsOf(db: Database, state: PeriodState, today = ukToday()): Promise<RoundItem[]> {
  const period = state.period;
  const quarter = quarterOf(period);
  const deliverables = await quarterProgressCompleteness(db, {
    financialYear: financialYearLabel(quarter.startYear),
    quarter: quarter.number,
  });
  const measures = await periodMeasures(db, period);
  const deliverableOwners = await ownerNamesByRecord(db, "deliverable");
  const measureOwners = await ownerNamesByRecord(db, "measure");
  const rows = await repository.listRoundItems(db, state.id);
  const dueDates = await repository.listRoundDueDates(db, state.id);
  const item = (
    kind: RoundKind,
    id: number,
    title: string,
    recorded: boolean,
    entryHref: string,
  ): RoundItem => {
    const row = rows.find((candidate) => candidate.itemKind === kind && candidate.itemId === id);
    const roundState: RoundState = row ? row.status : recorded ? "draft" : "not-started";
    const owners = (kind === "deliverable" ? deliverableOwners : measureOwners).get(id) ?? [];
    const due = dueDates.find((candidate) => candidate.itemKind === kind && candidate.itemId === id);
    const dueOn = due?.dueOn ?? state.roundDueOn;
    return {
      kind,
      id,
      title,
      owners: [...new Set(owners.filter((name) => name.trim() !== ""))],
      recorded,
      state: roundState,
      stateWords: ROUND_STATE_WORDS[roundState],
      comment: row?.comment ?? null,
      version: row?.version ?? 0,
      entryHref,
      dueOn,
      ownDueDate: due !== undefined,
      dueVersion: due?.version ?? 0,
      overdue: isOverdue(dueOn, roundState, today),
    };
  };
  return [
    ...deliverables.map((deliverable) =>
      item(
        "deliverable",
        deliverable.id,
        deliverable.title,
        deliverable.done,
        `/plan/deliverables/${deliverable.id}#record-progress`,
      ),
    ),
    ...measures.map((entry) =>
      item(
        "measure",
        entry.measure.id,
        entry.measure.title,
        entry.value !== null,
        `/measures/${entry.measure.id}/values/new?period=${encodeURIComponent(monitoringPeriodKey(period))}`,
      ),
    ),
  ];
}

export interface RoundProgressRow {
  /** A person's name, or the kind of item ("Deliverables", "Measures"). */
  name: string;
  total: number;
  approved: number;
  submitted: number;
  /** Not started, draft or returned: still with the owner. */
  withOwner: number;
  overdue: number;
}

function progressRow(name: string, items: readonly RoundItem[]): RoundProgressRow {
  return {
    name,
    total: items.length,
    approved: items.filter((item) => item.state === "approved").length,
    submitted: items.filter((item) => item.state === "submitted").length,
    withOwner: items.filter((item) => !["approved", "submitted"].includes(item.state)).length,
    overdue: items.filter((item) => item.overdue).length,
  };
}

/**
 * How far a round has got, by section (deliverables, measures) and by owner (an item with two
 * owners counts for each; items naming nobody under "No owner named"), owners in name order.
 */
export function roundProgress(items: readonly RoundItem[]): {
  bySection: RoundProgressRow[];
  byPerson: RoundProgressRow[];
} {
  const bySection = [
    progressRow(
      "Deliverables",
      items.filter((item) => item.kind === "deliverable"),
    ),
    progressRow(
      "Measures",
      items.filter((item) => item.kind === "measure"),
    ),
  ];
  const names = [...new Set(items.flatMap((item) => item.owners))].sort((a, b) =>
    a.localeCompare(b, "en-GB"),
  );
  const byPerson = names.map((name) =>
    progressRow(
      name,
      items.filter((item) => item.owners.includes(name)),
    ),
  );
  const unowned = items.filter((item) => item.owners.length === 0);
  if (unowned.length > 0) byPerson.push(progressRow("No owner named", unowned));
  return { bySection, byPerson };
}

/** A period's round: every item due, with its owners, state and due date. */
export async function periodRound(
  db: Database,
  period: MonitoringPeriod,
  today = ukToday(),
): Promise<RoundPeriod> {
  const state = await findPeriod(db, period);
  if (!state) throw new NotFound(monitoringPeriodLabel(period));
  return { state, items: await itemsOf(db, state, today) };
}

const IN_FLIGHT: readonly RoundState[] = ["draft", "submitted", "returned"];

/**
 * A period's update-round items recorded but not yet approved, with who holds each: a draft or a
 * returned item its owners, a submitted one the reviewers. What closing the period lists beside
 * the missing items (decision 0039).
 */
export async function itemsInFlight(db: Database, period: MonitoringPeriod): Promise<InFlightItem[]> {
  const state = await findPeriod(db, period);
  if (!state) return [];
  const reviewers = REVIEWERS.map((role) => ROLE_WORDS[role].name.toLowerCase());
  return (await itemsOf(db, state))
    .filter((item) => IN_FLIGHT.includes(item.state))
    .map((item) => ({
      section: item.kind === "deliverable" ? "Deliverable progress" : "Measures",
      item: item.title,
      stateWords: item.stateWords,
      heldBy:
        item.state === "submitted"
          ? `a reviewer (${reviewers.slice(0, -1).join(", ")} or ${reviewers.at(-1)}) to approve or return`
          : item.owners.length > 0
            ? item.owners.join(" and ")
            : "no owner named",
    }));
}

/**
 * What the acting person owns in each period open for entry, with its state; `person` null when
 * the actor is not a person of Baseplan (the configured demo user), who owns nothing.
 */
export async function myUpdates(
  db: Database,
  actor: string,
  today = ukToday(),
): Promise<{ person: { displayName: string } | null; periods: RoundPeriod[] }> {
  const person = await actingPerson(db, actor);
  if (!person) return { person: null, periods: [] };
  // Owners are matched by name (decision 0013), so only among the monitored council's people.
  const organisation = await monitoredOrganisation(db);
  if (organisation?.councilId !== person.councilId)
    return { person: { displayName: person.displayName }, periods: [] };
  const open = (await listPeriods(db)).filter((state) => state.status === "open");
  const periods: RoundPeriod[] = [];
  for (const state of open) {
    const items = (await itemsOf(db, state, today)).filter((item) =>
      ownsByName(person.displayName, item.owners),
    );
    periods.push({ state, items });
  }
  return { person: { displayName: person.displayName }, periods };
}

export type RoundAction = "submit" | "return" | "approve";

export interface RoundActionInput {
  period: MonitoringPeriod;
  kind: RoundKind;
  id: number;
  /** The item's round version when the page was opened (0 before its first submission). */
  version: number;
  /** The reviewer's comment: required to return an item. */
  comment?: string;
}

const FROM: Record<RoundAction, readonly RoundState[]> = {
  submit: ["draft", "returned"],
  return: ["submitted"],
  approve: ["submitted"],
};

const TO: Record<RoundAction, RoundItemStatus> = {
  submit: "submitted",
  return: "returned",
  approve: "approved",
};

const ACTION_WORDS: Record<RoundAction, string> = {
  submit: "Submitted",
  return: "Returned",
  approve: "Approved",
};

/** Submits, returns or approves one item of a period's round. */
export async function actOnItem(db: Database, actor: string, action: RoundAction, input: RoundActionInput) {
  const comment = input.comment?.trim() ?? "";
  if (action === "return" && comment === "") {
    throw new ValidationFailed([
      { field: "comment", message: "Enter a comment saying what the owner needs to change" },
    ]);
  }
  if (comment.length > 2000) {
    throw new ValidationFailed([
      { field: "comment", message: "The comment must be 2,000 characters or fewer" },
    ]);
  }
  return db.transaction(async (tx) => {
    const state = await requireOpenPeriod(tx, input.period);
    if (action === "submit") {
      await requireOwnerOf(tx, actor, input.kind, input.id);
    } else {
      const person = await actingPerson(tx, actor);
      if (person && !person.roles.some((role) => REVIEWERS.includes(role)))
        throw new RoleRequired(REVIEWERS, false);
    }
    const item = (await itemsOf(tx, state)).find(
      (candidate) => candidate.kind === input.kind && candidate.id === input.id,
    );
    if (!item) throw new NotFound(`That ${input.kind} in ${state.label}`);
    const back = `/periods/${monitoringPeriodPath(input.period)}/round`;
    const conflict = () =>
      new Conflict(
        `"${item.title}" in the ${state.label} round`,
        [{ label: "State", saved: item.stateWords, submitted: ROUND_STATE_WORDS[TO[action]] }],
        back,
      );
    if (item.version !== input.version) throw conflict();
    if (!FROM[action].includes(item.state)) {
      const why =
        item.state === "not-started"
          ? "nothing has been recorded for it yet: record the update first"
          : `it is ${item.stateWords.toLowerCase()}`;
      throw new ValidationFailed([
        {
          field: "round",
          message: `"${item.title}" cannot be ${action === "submit" ? "submitted" : action === "return" ? "returned" : "approved"} now: ${why}`,
        },
      ]);
    }
    const values = {
      status: TO[action],
      comment: action === "return" ? comment : null,
      updatedBy: actor,
      updatedAt: new Date(),
    };
    const existing = await repository.findRoundItem(tx, state.id, input.kind, input.id);
    const saved = existing
      ? await repository.updateRoundItemIfVersion(tx, existing.id, input.version, values)
      : await repository.insertRoundItemIfAbsent(tx, {
          periodId: state.id,
          itemKind: input.kind,
          itemId: input.id,
          ...values,
        });
    if (!saved) throw conflict();
    await recordAuditEvent(tx, {
      actor,
      action: "update",
      entityType: input.kind === "deliverable" ? "deliverable" : "measure",
      entityId: input.id,
      period: state.key,
      summary: `${ACTION_WORDS[action]} "${item.title}" in the ${state.label} update round${action === "return" ? `: ${comment}` : ""}`,
      before: { round: item.state },
      after: { round: TO[action], comment: values.comment },
    });
    return saved;
  });
}

/** Who changes due dates. */
export const DUE_DATE_SETTERS: readonly Role[] = ["performance-officer", "administrator"];

export interface ItemDueDateInput {
  period: MonitoringPeriod;
  kind: RoundKind;
  id: number;
  /** The item's due-date version when the page was opened (0 before it had a date of its own). */
  version: number;
  dueOn: string;
}

/**
 * Gives one item of a period's round its own due date (a performance officer or administrator,
 * while the period takes entries). Version-checked; audited on the item's history.
 */
export async function changeItemDueDate(db: Database, actor: string, input: ItemDueDateInput) {
  return db.transaction(async (tx) => {
    const person = await actingPerson(tx, actor);
    if (person && !person.roles.some((role) => DUE_DATE_SETTERS.includes(role)))
      throw new RoleRequired(DUE_DATE_SETTERS, false);
    const state = await requireOpenPeriod(tx, input.period);
    const item = (await itemsOf(tx, state)).find(
      (candidate) => candidate.kind === input.kind && candidate.id === input.id,
    );
    if (!item) throw new NotFound(`That ${input.kind} in ${state.label}`);
    const conflict = () =>
      new Conflict(
        `The due date of "${item.title}" in the ${state.label} round`,
        [{ label: "Due date", saved: item.dueOn ?? "Not set", submitted: input.dueOn }],
        `/periods/${monitoringPeriodPath(input.period)}/round`,
      );
    if (item.dueVersion !== input.version) throw conflict();
    const values = { dueOn: input.dueOn, updatedBy: actor, updatedAt: new Date() };
    const saved = item.ownDueDate
      ? await repository.updateRoundDueDateIfVersion(
          tx,
          (await repository.listRoundDueDates(tx, state.id)).find(
            (row) => row.itemKind === input.kind && row.itemId === input.id,
          )?.id ?? 0,
          input.version,
          values,
        )
      : await repository.insertRoundDueDateIfAbsent(tx, {
          periodId: state.id,
          itemKind: input.kind,
          itemId: input.id,
          ...values,
        });
    if (!saved) throw conflict();
    await recordAuditEvent(tx, {
      actor,
      action: "update",
      entityType: input.kind === "deliverable" ? "deliverable" : "measure",
      entityId: input.id,
      period: state.key,
      summary: `"${item.title}" is due on ${input.dueOn} in the ${state.label} update round`,
      before: { dueOn: item.dueOn },
      after: { dueOn: input.dueOn },
    });
    return saved;
  });
}
