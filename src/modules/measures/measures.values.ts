import type { Database } from "../../db/client.ts";
import type { MeasureUnit, Polarity } from "../../domain/measure-types.ts";
import { parseTarget } from "../../domain/targets.ts";
import { Conflict, NotFound } from "../../errors.ts";
import { recordAuditEvent } from "../audit/audit.service.ts";
import { understandCell, valuePeriod } from "./measures.cells.ts";
import { saveInlineBenchmark } from "./measures.import.ts";
import type { PlanLinks } from "./measures.plan-links.ts";
import type { Measure, MeasureDetails, MeasureTarget, MeasureValue } from "./measures.repository.ts";
import * as repository from "./measures.repository.ts";
import { storedPeriod } from "./measures.shared.ts";

/**
 * Measures and their values as records: a measure created, a value's own period stored, and the
 * edits of a measure's details, a value and a target (a new value or target replaces the current
 * one, which is kept as history).
 */

// ---------------------------------------------------------------------------------------------
// Measures

export interface NewMeasure {
  slug: string;
  title: string;
  otherTitles?: string[];
  code?: string | null;
  unit?: MeasureUnit | null;
  decimals?: number | null;
  polarity?: Polarity | null;
  frequency?: string | null;
  basis?: string | null;
  footnoteMarkers?: string[];
  note?: string | null;
  /** Who owns the measure, by name (an owner may record its values: src/domain/ownership.ts). */
  owner?: string | null;
}

/**
 * Adds a measure; given the plan's links (`PlanLinks`), those waiting for its title take its id.
 */
export async function createMeasure(
  db: Database,
  actor: string,
  input: NewMeasure,
  planLinks?: PlanLinks,
): Promise<Measure> {
  return db.transaction(async (tx) => {
    const measure = await repository.insertMeasure(tx, input);
    await planLinks?.linkWaiting(tx, measure);
    await recordAuditEvent(tx, {
      actor,
      action: "create",
      entityType: "measure",
      entityId: measure.id,
      summary: `Added the measure "${measure.title}"`,
      after: measure,
    });
    return measure;
  });
}

/** The id of the measure a plan names by this title (or a former title), or null when none has it. */
export function measureIdTitled(db: Database, title: string): Promise<number | null> {
  return repository.measureIdTitled(db, title);
}

/**
 * Stores the own period of values written before it was kept (migration 0014), reading each
 * cell once as the import does. Values whose period cannot be read stay without one. Returns
 * how many were filled; run at start-up after the migrations, so it does nothing once done.
 */
export async function fillValuePeriods(db: Database): Promise<number> {
  return db.transaction(async (tx) => {
    let filled = 0;
    for (const value of await repository.valuesWithoutPeriod(tx)) {
      const period = valuePeriod(value.cellText, value.periodLabel);
      if (period === null) continue;
      await repository.setValuePeriod(tx, value.id, period.label, period.span);
      filled += 1;
    }
    return filled;
  });
}

// ---------------------------------------------------------------------------------------------
// A measure's details

export interface DetailsInput {
  measureId: number;
  version: number;
  details: MeasureDetails;
}

const DETAIL_LABELS: Record<keyof MeasureDetails, string> = {
  title: "Title",
  code: "Code",
  definition: "Definition",
  unit: "Unit",
  decimals: "Decimal places",
  polarity: "Which direction is good",
  frequency: "Frequency",
  basis: "Period basis",
  source: "Source",
  owner: "Owner",
};

function shown(value: string | number | null | undefined): string {
  return value === null || value === undefined || value === "" ? "(none)" : String(value);
}

/** Changes a measure's title, unit, polarity and other details; audited and version-checked. */
export async function editMeasureDetails(db: Database, actor: string, input: DetailsInput): Promise<Measure> {
  return db.transaction(async (tx) => {
    const before = await repository.findMeasure(tx, input.measureId);
    if (!before) throw new NotFound(`Measure ${input.measureId}`);
    const after = await repository.updateMeasureIfVersion(
      tx,
      before.id,
      input.version,
      repository.measureDetailsUpdate(input.details),
    );
    if (!after) {
      throw new Conflict(
        `The details of "${before.title}"`,
        (Object.keys(DETAIL_LABELS) as (keyof MeasureDetails)[]).map((key) => ({
          label: DETAIL_LABELS[key],
          saved: shown(before[key]),
          submitted: shown(input.details[key]),
        })),
        `/measures/${before.id}`,
      );
    }
    const changed = (Object.keys(DETAIL_LABELS) as (keyof MeasureDetails)[]).filter(
      (key) => before[key] !== after[key],
    );
    await recordAuditEvent(tx, {
      actor,
      action: "update",
      entityType: "measure",
      entityId: after.id,
      summary:
        changed.length === 0
          ? `Saved the details of "${after.title}" unchanged`
          : `Changed the ${changed.map((key) => DETAIL_LABELS[key].toLowerCase()).join(", ")} of "${after.title}"`,
      before,
      after,
    });
    return after;
  });
}

// ---------------------------------------------------------------------------------------------
// Edits: a new value or target replaces the current one, which is kept as history.

export interface EditInput {
  measureId: number;
  recordId: number;
  version: number;
  text: string;
}

/** The edits of a value and of a target differ only in these: the record, its words and its audit. */
interface EditedRecord<T extends MeasureValue | MeasureTarget> {
  /** "value" or "target": the conflict's and the audit summary's noun. */
  noun: "value" | "target";
  find(db: Database, id: number): Promise<T | undefined>;
  retireIfVersion(db: Database, id: number, version: number): Promise<unknown>;
  /** What names the record beside its measure: a value's column heading, a target's period. */
  heading(record: T): string;
  /** The record as the council wrote it. */
  written(record: T): string;
  action: "restate" | "update";
  entityType: "measure-value" | "measure-target";
}

const EDITED_VALUE: EditedRecord<MeasureValue> = {
  noun: "value",
  find: repository.findValue,
  retireIfVersion: repository.retireValueIfVersion,
  heading: (value) => value.columnHeading,
  written: (value) => value.cellText,
  action: "restate",
  entityType: "measure-value",
};

const EDITED_TARGET: EditedRecord<MeasureTarget> = {
  noun: "target",
  find: repository.findTarget,
  retireIfVersion: repository.retireTargetIfVersion,
  heading: (target) => target.periodLabel,
  written: (target) => target.targetText,
  action: "update",
  entityType: "measure-target",
};

/**
 * The measure and the current record an edit replaces, retired if it is still at the form's
 * version, with the columns its replacement keeps: NotFound when either is missing or the record
 * is not the measure's; Conflict (what is saved beside what was submitted) when it has been
 * replaced or changed since the form was opened.
 */
async function retireForEdit<T extends MeasureValue | MeasureTarget>(
  tx: Database,
  input: EditInput,
  edited: EditedRecord<T>,
) {
  const noun = edited.noun;
  const measure = await repository.findMeasure(tx, input.measureId);
  const old = await edited.find(tx, input.recordId);
  if (!measure || !old || old.measureId !== measure.id) {
    throw new NotFound(`${noun === "value" ? "Value" : "Target"} ${input.recordId}`);
  }
  const retired = await edited.retireIfVersion(tx, old.id, input.version);
  if (!retired || !old.current) {
    throw new Conflict(
      `The ${edited.heading(old)} ${noun} of "${measure.title}"`,
      [
        {
          label: `${noun === "value" ? "Value" : "Target"} as written`,
          saved: old.current ? edited.written(old) : `(replaced by a later ${noun})`,
          submitted: input.text,
        },
      ],
      `/measures/${measure.id}`,
    );
  }
  const { id: _id, version: _version, recordedAt: _at, supersededBy: _by, ...kept } = old;
  return { measure, old, kept };
}

/** The audit of an edit: the replacement, shown on its measure's page, with what it replaced. */
async function auditEdit<T extends MeasureValue | MeasureTarget>(
  tx: Database,
  actor: string,
  edited: EditedRecord<T>,
  change: { measure: Measure; old: T; replacement: T; text: string },
) {
  const { measure, old, replacement, text } = change;
  await recordAuditEvent(tx, {
    actor,
    action: edited.action,
    entityType: edited.entityType,
    entityId: replacement.id,
    record: { kind: "measure", id: measure.id },
    summary: `Changed the ${edited.heading(old)} ${edited.noun} of "${measure.title}" from "${edited.written(old)}" to "${text}"`,
    before: old,
    after: replacement,
  });
}

export async function editValue(db: Database, actor: string, input: EditInput): Promise<MeasureValue> {
  return db.transaction(async (tx) => {
    const { measure, old, kept } = await retireForEdit(tx, input, EDITED_VALUE);
    const understood = understandCell(input.text, {
      unit: measure.unit,
      columnPeriod: old.periodLabel,
      columnHeading: old.columnHeading,
    });
    const replacement = await repository.insertValue(tx, {
      ...kept,
      cellText: input.text,
      amount: understood.amount === null ? null : String(understood.amount),
      decimals: understood.decimals,
      status: understood.status,
      ...storedPeriod(input.text, old.periodLabel),
      annotations: understood.annotations,
      warnings: understood.warnings,
      current: true,
      recordedBy: actor,
    });
    await repository.markValueSuperseded(tx, old.id, replacement.id);
    await repository.retireBenchmarksOfValues(tx, [old.id]);
    await saveInlineBenchmark(tx, actor, replacement, understood.benchmark);
    await auditEdit(tx, actor, EDITED_VALUE, { measure, old, replacement, text: input.text });
    return replacement;
  });
}

export async function editTarget(db: Database, actor: string, input: EditInput): Promise<MeasureTarget> {
  return db.transaction(async (tx) => {
    const { measure, old, kept } = await retireForEdit(tx, input, EDITED_TARGET);
    const target = parseTarget(input.text);
    const replacement = await repository.insertTarget(tx, {
      ...kept,
      targetText: input.text,
      kind: target.kind,
      warnings: [...target.warnings],
      changedFrom: old.targetText === input.text ? old.changedFrom : `${old.targetText} (edited)`,
      current: true,
      recordedBy: actor,
    });
    await repository.markTargetSuperseded(tx, old.id, replacement.id);
    await auditEdit(tx, actor, EDITED_TARGET, { measure, old, replacement, text: input.text });
    return replacement;
  });
}
