import type { Database } from "../../db/client.ts";
import type { ValueStatus } from "../../domain/measure-types.ts";
import {
  comparePeriodLabels,
  financialYearLabel,
  isQuarterEnd,
  type MonitoringPeriod,
  monitoringPeriodKey,
  monitoringPeriodLabel,
} from "../../domain/periods.ts";
import type { MeasureRating } from "../../domain/ratings.ts";
import { parseTarget } from "../../domain/targets.ts";
import { Conflict, NotFound, ValidationFailed } from "../../errors.ts";
import { recordAuditEvent } from "../audit/audit.service.ts";
import { requireOwnerOf } from "../people/ownership.service.ts";
import { understandCell } from "./measures.cells.ts";
import { rateFromStored } from "./measures.ratings.ts";
import type { Measure, MeasureTarget, MeasureValue, PrintedRating } from "./measures.repository.ts";
import * as repository from "./measures.repository.ts";
import { ratingScheme } from "./measures.scheme.ts";
import { currentInDateOrder, groupedBy, periodKey, storedPeriod } from "./measures.shared.ts";

/**
 * Values entered for a monitoring period: which measures are due, the value recorded, their
 * ratings for the period, the ratings the council's tables printed, and the public measures.
 */

// ---------------------------------------------------------------------------------------------
// Values entered for a monitoring period

/** The document an entered value belongs to: Baseplan's own entry, not a council document's table. */
export const ENTERED_DOCUMENT = "entered";

export interface PeriodValueInput {
  measureId: number;
  period: MonitoringPeriod;
  /** The value as the officer writes it: "87.2%", "909", "N/Av". */
  text: string;
  status: ValueStatus;
  notes: string | null;
  /** The entered value for the period the form was opened on, or null when it had none. */
  replacing: { id: number; version: number } | null;
}

/** Refuses a period that is not open for entry (the periods module's rule, handed in). */
export type OpenPeriodCheck = (db: Database, period: MonitoringPeriod) => Promise<unknown>;

/** The current value entered for a measure and period, which a new entry for it restates. */
export async function enteredValueFor(
  db: Database,
  measureId: number,
  period: MonitoringPeriod,
): Promise<MeasureValue | null> {
  const key = periodKey(monitoringPeriodLabel(period));
  const [current] = await repository.currentValuesFor(db, measureId, ENTERED_DOCUMENT, key, "value");
  return current ?? null;
}

/**
 * Records a measure's value for a monitoring period. A value is added, never overwritten: a
 * second entry for the same period is a restatement, and the one it replaces stays in the
 * history. Refused, with nothing saved, for a period that is not open, for words that are
 * neither a figure nor a data status, and when someone else entered a value for the period
 * after the form was opened. Audited.
 */
export async function recordPeriodValue(
  db: Database,
  actor: string,
  input: PeriodValueInput,
  requireOpen: OpenPeriodCheck,
): Promise<MeasureValue> {
  return db.transaction(async (tx) => {
    await requireOpen(tx, input.period);
    const measure = await repository.findMeasure(tx, input.measureId);
    if (!measure) throw new NotFound(`Measure ${input.measureId}`);
    await requireOwnerOf(tx, actor, "measure", measure.id);
    const label = monitoringPeriodLabel(input.period);
    const understood = understandCell(input.text, {
      unit: measure.unit,
      columnPeriod: label,
      columnHeading: label,
    });
    if (understood.status === "unparsed" || understood.status === "blank") {
      throw new ValidationFailed([
        {
          field: "value",
          message: `"${input.text}" is not a figure or a data status: enter the value like 87.2%, 909 or N/Av`,
        },
      ]);
    }
    const current = await enteredValueFor(tx, measure.id, input.period);
    const stale =
      (current?.id ?? null) !== (input.replacing?.id ?? null) ||
      (current !== null &&
        input.replacing !== null &&
        (await repository.retireValueIfVersion(tx, current.id, input.replacing.version)) === null);
    if (stale) {
      throw new Conflict(
        `The ${label} value of "${measure.title}"`,
        [{ label: "Value as written", saved: current?.cellText ?? "(none)", submitted: input.text }],
        `/measures/${measure.id}/values/new?period=${monitoringPeriodKey(input.period)}`,
        current ? { actor: current.recordedBy, at: current.recordedAt } : undefined,
      );
    }
    const provisional = input.status === "provisional" && !understood.annotations.includes("Provisional");
    const value = await repository.insertValue(tx, {
      measureId: measure.id,
      groupId: null,
      document: ENTERED_DOCUMENT,
      columnHeading: label,
      columnRole: "value",
      periodLabel: label,
      periodKey: periodKey(label),
      cellText: input.text,
      amount: understood.amount === null ? null : String(understood.amount),
      decimals: understood.decimals,
      status: understood.status,
      ...storedPeriod(input.text, label),
      annotations: provisional ? [...understood.annotations, "Provisional"] : understood.annotations,
      warnings: understood.warnings,
      notes: input.notes,
      recordedBy: actor,
    });
    if (current) await repository.markValueSuperseded(tx, current.id, value.id);
    await recordAuditEvent(tx, {
      actor,
      action: current ? "restate" : "create",
      entityType: "measure-value",
      entityId: value.id,
      record: { kind: "measure", id: measure.id },
      summary: current
        ? `Restated the ${label} value of "${measure.title}" from "${current.cellText}" to "${input.text}"`
        : `Recorded the ${label} value of "${measure.title}": "${input.text}"`,
      before: current ?? null,
      after: value,
    });
    return value;
  });
}

/** Whether a measure is reported in a period: monthly measures every month, quarterly ones each quarter. */
export function measureDueIn(measure: Pick<Measure, "frequency">, period: MonitoringPeriod): boolean {
  const frequency = (measure.frequency ?? "").trim().toLowerCase();
  if (frequency === "monthly") return true;
  return frequency === "quarterly" && (period.kind === "quarter" || isQuarterEnd(period));
}

export interface PeriodMeasureItem {
  measure: Measure;
  value: MeasureValue | null;
}

/** The measures due in a period, each with the value recorded for it (entered or from a document), or null. */
export async function periodMeasures(db: Database, period: MonitoringPeriod): Promise<PeriodMeasureItem[]> {
  const due = (await repository.listCurrentMeasures(db)).filter((measure) => measureDueIn(measure, period));
  if (due.length === 0) return [];
  const key = periodKey(monitoringPeriodLabel(period));
  // The period's own values only, the first recorded for each measure that is not blank.
  const values = groupedBy(
    await repository.currentValuesForPeriods(
      db,
      due.map((measure) => measure.id),
      [key],
    ),
    (value) => value.measureId,
  );
  return due.map((measure) => ({
    measure,
    value:
      values
        .get(measure.id)
        ?.find((value) => value.columnRole !== "target" && value.cellText.trim() !== "") ?? null,
  }));
}

export interface PeriodMeasureRating extends PeriodMeasureItem {
  /** The target set for the period itself, else for its financial year, or null. */
  target: MeasureTarget | null;
  rating: MeasureRating;
}

/**
 * The period keys before `key` in date order, latest first, in runs of keys that sort as the same
 * date (two spellings of one period): a run is read whole, so "the latest" is the same whichever
 * spelling a value used.
 */
function runsBefore(keys: readonly string[], key: string): string[][] {
  const before = keys
    .filter((candidate) => comparePeriodLabels(candidate, key) < 0)
    .sort((a, b) => comparePeriodLabels(b, a));
  const runs: string[][] = [];
  for (const candidate of before) {
    const run = runs.at(-1);
    const first = run?.[0];
    if (run && first !== undefined && comparePeriodLabels(first, candidate) === 0) run.push(candidate);
    else runs.push([candidate]);
  }
  return runs;
}

/**
 * The periods a target names whose own value it compares with ("Improve on 2019/20"), by key:
 * with the previous like period, the only earlier values a rating looks up.
 */
function namedPeriodKeys(target: MeasureTarget | null): string[] {
  if (!target) return [];
  const parsed = parseTarget(target.targetText);
  return parsed.kind === "baseline" && parsed.period !== null ? [periodKey(parsed.period)] : [];
}

/**
 * Each measure's comparable values before a period that its rating can use, in date order: every
 * value of the latest earlier period it has a figure for (the previous like period, for direction
 * of travel) and of the periods its target names. What `rateFromStored` makes of them is the same
 * as from the measure's whole history, which is not read: the periods are walked back from the
 * latest, a few at a time, only for the measures still without an earlier figure.
 */
async function earlierValuesFor(
  db: Database,
  targets: ReadonlyMap<number, MeasureTarget | null>,
  key: string,
): Promise<Map<number, MeasureValue[]>> {
  const found = new Map<number, MeasureValue[]>();
  const runs = runsBefore(await repository.currentValuePeriodKeys(db), key);
  const readKeys = new Map<number, Set<string>>();
  let waiting = [...targets.keys()];
  for (let at = 0, size = 1; at < runs.length && waiting.length > 0; at += size, size *= 2) {
    const keys = runs.slice(at, at + size).flat();
    const values = groupedBy(
      await repository.currentValuesForPeriods(db, waiting, keys, { comparable: true }),
      (value) => value.measureId,
    );
    for (const [id, list] of values) {
      found.set(id, list);
      readKeys.set(id, new Set(keys));
    }
    waiting = waiting.filter((id) => !values.has(id));
  }
  // The periods a rating looks up by label that the walk did not read whole.
  const earlierKeys = new Set(runs.flat());
  const wanted = new Map<number, string[]>();
  for (const [id, target] of targets) {
    const previous = currentInDateOrder(found.get(id) ?? []).at(-1);
    const labels = [...(previous ? [periodKey(previous.periodLabel)] : []), ...namedPeriodKeys(target)];
    const missing = labels.filter((label) => earlierKeys.has(label) && !readKeys.get(id)?.has(label));
    if (missing.length > 0) wanted.set(id, missing);
  }
  if (wanted.size > 0) {
    const extra = await repository.currentValuesForPeriods(
      db,
      [...wanted.keys()],
      [...new Set([...wanted.values()].flat())],
      {
        comparable: true,
      },
    );
    for (const value of extra) {
      if (!wanted.get(value.measureId)?.includes(value.periodKey)) continue;
      const list = found.get(value.measureId);
      if (list) list.push(value);
      else found.set(value.measureId, [value]);
    }
  }
  const ordered = new Map<number, MeasureValue[]>();
  for (const [id, list] of found) ordered.set(id, currentInDateOrder(list));
  return ordered;
}

/**
 * The measures due in a period with the value recorded for it, the target that applies (the
 * period's own, else its financial year's) and the rating Baseplan works out from the two, for a
 * period whose report has no measures table imported from a document. Reads the period's values,
 * the applicable targets and the earlier values a rating compares with: not the whole history.
 */
export async function periodMeasureRatings(
  db: Database,
  period: MonitoringPeriod,
): Promise<PeriodMeasureRating[]> {
  const items = await periodMeasures(db, period);
  if (items.length === 0) return [];
  const ids = items.map((item) => item.measure.id);
  const label = monitoringPeriodLabel(period);
  const keys = [periodKey(label), periodKey(financialYearLabel(period.startYear))];
  const targetsOf = groupedBy(
    await repository.currentTargetsForPeriods(db, ids, keys),
    (target) => target.measureId,
  );
  const targets = new Map(
    items.map((item): [number, MeasureTarget | null] => {
      const own = targetsOf.get(item.measure.id) ?? [];
      return [
        item.measure.id,
        keys.map((key) => own.find((candidate) => candidate.periodKey === key)).find(Boolean) ?? null,
      ];
    }),
  );
  const earlier = await earlierValuesFor(db, targets, keys[0] ?? "");
  const scheme = await ratingScheme(db);
  return items.map((item) => {
    const target = targets.get(item.measure.id) ?? null;
    const rating = rateFromStored(
      item.measure,
      item.value,
      target,
      label,
      earlier.get(item.measure.id) ?? [],
      [],
      undefined,
      false,
      parseTarget,
      scheme,
    );
    return { ...item, target, rating };
  });
}

/** The printed ratings these measures' tables give now (not those later editions superseded). */
export async function currentPrintedRatingsOf(
  db: Database,
  measureIds: readonly number[],
): Promise<PrintedRating[]> {
  return (await repository.printedRatingsOf(db, measureIds)).filter((one) => one.current);
}

/**
 * The rating the council's tables printed for a measure in one table for one period (its label),
 * the latest recorded; null where that table printed none for the period.
 */
export function printedInTable(
  printed: readonly PrintedRating[],
  measureId: number,
  groupId: number,
  periodLabel: string,
): string | null {
  const key = periodKey(periodLabel);
  const found = printed
    .filter(
      (one) => one.current && one.measureId === measureId && one.groupId === groupId && one.periodKey === key,
    )
    .sort((a, b) => b.id - a.id)[0];
  return found?.ratingText ?? null;
}

/**
 * The rating the council's tables printed for each of these measures for one period (a period's
 * key, "Q2 2031/32"), the latest recorded where several tables printed one; measures with none
 * for the period are absent. For a report of that period (docs/decisions/0027-printed-ratings-in-lists-and-reports.md).
 */
export async function printedRatingsForPeriod(
  db: Database,
  measureIds: readonly number[],
  key: string,
): Promise<Map<number, PrintedRating>> {
  const found = new Map<number, PrintedRating>();
  for (const one of await repository.printedRatingsOf(db, [...new Set(measureIds)])) {
    if (!one.current || one.periodKey !== key) continue;
    const kept = found.get(one.measureId);
    if (!kept || kept.id < one.id) found.set(one.measureId, one);
  }
  return found;
}

/**
 * The measures the council marks public and has not archived, by title: the public pages show
 * these, each with its figures for published periods only.
 */
export function publicMeasures(db: Database): Promise<Measure[]> {
  return repository.listPublicMeasures(db);
}
