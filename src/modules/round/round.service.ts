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
import { REVIEWING_ROLES, type Role } from "../../domain/roles.ts";
import { Conflict, NotFound, RoleRequired, ValidationFailed } from "../../errors.ts";
import { recordAuditEvent } from "../audit/audit.service.ts";
import { periodMeasures } from "../measures/measures.service.ts";
import { actingPerson, ownerNamesByRecord, requireOwnerOf } from "../people/ownership.service.ts";
import { findPeriod, listPeriods, type PeriodState, requireOpenPeriod } from "../periods/periods.service.ts";
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
}

export interface RoundPeriod {
  state: PeriodState;
  items: RoundItem[];
}

async function itemsOf(db: Database, state: PeriodState): Promise<RoundItem[]> {
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

/** A period's round: every item due, with its owners and state. */
export async function periodRound(db: Database, period: MonitoringPeriod): Promise<RoundPeriod> {
  const state = await findPeriod(db, period);
  if (!state) throw new NotFound(monitoringPeriodLabel(period));
  return { state, items: await itemsOf(db, state) };
}

/**
 * What the acting person owns in each period open for entry, with its state; `person` null when
 * the actor is not a person of Baseplan (the configured demo user), who owns nothing.
 */
export async function myUpdates(
  db: Database,
  actor: string,
): Promise<{ person: { displayName: string } | null; periods: RoundPeriod[] }> {
  const person = await actingPerson(db, actor);
  if (!person) return { person: null, periods: [] };
  const open = (await listPeriods(db)).filter((state) => state.status === "open");
  const periods: RoundPeriod[] = [];
  for (const state of open) {
    const items = (await itemsOf(db, state)).filter((item) => ownsByName(person.displayName, item.owners));
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
