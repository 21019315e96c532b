import type { Database } from "../../db/client.ts";
import type {
  measurePrintedRatings,
  measures,
  measureTargets,
  measureValues,
} from "../../db/schema/index.ts";
import { normaliseTitle } from "../../domain/measure-identity.ts";
import { parseTarget } from "../../domain/targets.ts";
import { Conflict, ValidationFailed } from "../../errors.ts";
import { type AuditEventInput, recordAuditEvent, recordAuditEvents } from "../audit/audit.service.ts";
import type { UnderstoodCell } from "./measures.cells.ts";
import {
  type ImportInput,
  type PreviewCell,
  type PreviewRow,
  previewImport,
} from "./measures.import-preview.ts";
import type { Measure, MeasureGroup, MeasureValue } from "./measures.repository.ts";
import * as repository from "./measures.repository.ts";
import { periodKey, storedPeriod } from "./measures.shared.ts";

/**
 * Saving a pasted table: its group, measures, values, targets, benchmarks and printed ratings,
 * in one transaction with an audit event, keeping a measure's former title.
 */

function slugOf(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 80);
}

/** A table pasted again keeps its place in /measures; a new one goes after the others. */
async function importedGroupPosition(tx: Database, input: ImportInput): Promise<number> {
  const groups = await repository.listGroups(tx);
  const existing = groups.find(
    (group) => group.document === input.document && group.title === input.groupTitle,
  );
  return existing?.position ?? Math.max(-1, ...groups.map((group) => group.position)) + 1;
}

/**
 * Saves a pasted table, all or nothing, in one transaction. Problems in any row save nothing.
 * Pasting a table again keeps its group where it was in the list (a new table goes last), and records a restatement
 * only for a cell whose text changed: an unchanged cell keeps its current value or target.
 */
/** A cell an import changed, for its audit event: what it held before and what it holds now. */
interface ChangedCell {
  row: string;
  column: string;
  before: string | null;
  after: string;
}

/** Whether an error is PostgreSQL's unique violation, however the driver wraps it. */
function isUniqueViolation(error: unknown): boolean {
  for (let current = error; current !== null && typeof current === "object"; ) {
    if ((current as { code?: unknown }).code === "23505") return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

export async function saveImport(db: Database, actor: string, input: ImportInput): Promise<MeasureGroup> {
  try {
    return await saveImportOnce(db, actor, input);
  } catch (error) {
    // The same new table saved twice at once: the second finds the first's group only at commit.
    if (!isUniqueViolation(error)) throw error;
    throw new Conflict(
      `The table "${input.groupTitle}" (${input.document})`,
      [{ label: "Table", saved: "saved by someone else just now", submitted: "your copy" }],
      "/measures/import",
    );
  }
}

/**
 * Saves the table in a few statements whatever its size (decision 0044): the records it may
 * restate are read once for all its rows, each row's cells are worked through in order against
 * what is held in memory (so a table repeating a measure restates its own earlier cell, as
 * before), and then each kind of record is written with multi-row statements.
 */
async function saveImportOnce(db: Database, actor: string, input: ImportInput): Promise<MeasureGroup> {
  return db.transaction(async (tx) => {
    const preview = await previewImport(tx, input);
    if (preview.problems.length > 0) throw new ValidationFailed(preview.problems, "Nothing was saved.");
    // What the table held before, for the audit: its columns, key line, footnotes and printed ratings.
    const earlierGroup = (await repository.listGroups(tx)).find(
      (existing) => existing.document === input.document && existing.title === input.groupTitle,
    );
    const earlierRows =
      earlierGroup === undefined
        ? []
        : (await repository.listRows(tx)).filter((existing) => existing.groupId === earlierGroup.id);
    const group = await repository.upsertGroup(tx, {
      document: input.document,
      kind: input.groupKind,
      title: input.groupTitle,
      keyLine: preview.key,
      footnotes: preview.footnotes,
      columns: preview.columns,
      position: input.position ?? (await importedGroupPosition(tx, input)),
    });
    const rowMeasures = await saveMeasures(tx, actor, preview.rows, input);
    const matchedIds = [
      ...new Set(preview.rows.flatMap((row) => (row.measure === null ? [] : [row.measure.id]))),
    ];
    const records = new ImportRecords(
      await repository.currentRecordsForImport(tx, matchedIds, group.document, earlierGroup?.id ?? null),
    );
    const changes: ChangedCell[] = [];
    const rowRecords: Parameters<typeof repository.insertRows>[1] = [];
    let written = 0;
    let unchanged = 0;
    // The key's symbol for a printed rating ("🔴"), kept with the import's audit event.
    const ratingsAsWritten: { title: string; written: string; readAs: string | null }[] = [];
    // Printed ratings new or changed for their period, before and after.
    const printedRatingChanges: PrintedRatingChange[] = [];
    for (const [position, row] of preview.rows.entries()) {
      const measure = rowMeasures[position] ?? null;
      const ratingCell = row.cells.find((cell) => cell.column.role === "rating");
      const printed = ratingCell?.rating ?? (ratingCell?.text.trim() || null);
      if (ratingCell && printed !== ratingCell.text.trim()) {
        ratingsAsWritten.push({ title: row.title, written: ratingCell.text, readAs: printed });
      }
      rowRecords.push({
        groupId: group.id,
        measureId: measure?.id ?? null,
        position,
        kind: row.kind,
        titleAsWritten: row.title,
        printedRating: printed,
      });
      if (measure === null) continue;
      if (ratingCell?.period && printed !== null) {
        const change = records.printedRating(actor, measure.id, group, ratingCell, printed);
        if (change) printedRatingChanges.push({ row: row.title, ...change });
      }
      for (const cell of row.cells) {
        if (cell.column.role === "trend" || cell.column.role === "owner" || cell.column.role === "comment")
          continue;
        // The period the preview showed for the cell: its column's, or a value's own.
        const period = cell.period ?? cell.column.period ?? cell.column.heading;
        const key = periodKey(period);
        if (cell.column.role === "target") {
          if (cell.text.trim() === "") continue;
          const before = records.target(actor, measure.id, group, period, key, cell.text);
          if (before === undefined) unchanged += 1;
          else {
            written += 1;
            changes.push({ row: row.title, column: cell.column.heading, before, after: cell.text });
          }
        } else if (cell.understood && cell.understood.status !== "blank") {
          const before = records.value(valueRecord(measure.id, group, cell, period, key, actor), cell);
          if (before === undefined) {
            unchanged += 1;
            continue;
          }
          changes.push({ row: row.title, column: cell.column.heading, before, after: cell.text });
          written += 1;
        }
      }
    }
    await records.write(tx);
    await repository.insertRows(tx, rowRecords);
    await recordAuditEvent(tx, {
      actor,
      action: "import",
      entityType: "measure-group",
      entityId: group.id,
      summary: `Imported the table "${group.title}" (${input.document}): ${preview.rows.length} rows, ${written} cells${unchanged > 0 ? ` (${unchanged} unchanged cells kept as they were)` : ""}`,
      ...(earlierGroup === undefined
        ? {}
        : {
            before: {
              group: earlierGroup,
              printedRatings: earlierRows.map((existing) => ({
                title: existing.titleAsWritten,
                printedRating: existing.printedRating,
              })),
            },
          }),
      after: {
        group,
        rows: preview.rows.map((row) => row.title),
        printedRatings: rowRecords.map((record) => ({
          title: record.titleAsWritten,
          printedRating: record.printedRating ?? null,
        })),
        changes,
        ...(printedRatingChanges.length > 0 ? { printedRatingChanges } : {}),
        ...(ratingsAsWritten.length > 0 ? { ratingsAsWritten } : {}),
      },
    });
    return group;
  });
}

/** A printed rating an import added or changed for its period, for the import's audit event. */
interface PrintedRatingChange {
  row: string;
  period: string;
  before: string | null;
  after: string;
}

/**
 * Each row's measure, by position (null for a sub-heading): a measure matched by its code under
 * a reworded title takes the new title and keeps every former one; a row matching none adds a
 * new measure. Each retitling and each new measure has its own audit event, as before, in the
 * order of the rows; the writes are a few statements for all of them. A measure changed by
 * someone else since the preview read it is a conflict, and nothing is saved.
 */
async function saveMeasures(
  tx: Database,
  actor: string,
  rows: readonly PreviewRow[],
  input: ImportInput,
): Promise<(Measure | null)[]> {
  const updatedAt = new Date();
  // The measures as the import leaves them, and each retitled one as the preview read it.
  const latest = new Map<number, Measure>();
  const readAs = new Map<number, Measure>();
  const steps = new Map<number, number>();
  const eventsOfRow: AuditEventInput[][] = rows.map(() => []);
  const rowMeasures: (Measure | null)[] = rows.map((row) => row.measure);
  const added: { position: number; values: typeof measures.$inferInsert }[] = [];
  const stamp = Date.now();
  for (const [position, row] of rows.entries()) {
    if (row.kind !== "measure") continue;
    if (row.measure === null) {
      added.push({
        position,
        values: { slug: `${slugOf(row.title)}-${stamp}-${position}`, title: row.title, code: row.code },
      });
      continue;
    }
    if (row.matchedBy !== "code") continue;
    const measure = latest.get(row.measure.id) ?? row.measure;
    if (normaliseTitle(measure.title) === normaliseTitle(row.title)) {
      rowMeasures[position] = measure;
      continue;
    }
    const updated: Measure = {
      ...measure,
      title: row.title,
      otherTitles: [
        measure.title,
        ...measure.otherTitles.filter((other) => other !== row.title && other !== measure.title),
      ],
      updatedAt,
      version: measure.version + 1,
    };
    if (!readAs.has(measure.id)) readAs.set(measure.id, row.measure);
    latest.set(measure.id, updated);
    steps.set(measure.id, (steps.get(measure.id) ?? 0) + 1);
    rowMeasures[position] = updated;
    eventsOfRow[position]?.push({
      actor,
      action: "update",
      entityType: "measure",
      entityId: measure.id,
      summary: `Retitled the measure "${measure.title}" as "${row.title}" from an imported table (code ${measure.code}); the former title is kept`,
      before: measure,
      after: updated,
    });
  }
  const retitles = [...readAs.values()].map((original) => {
    const final = latest.get(original.id) as Measure;
    return {
      id: original.id,
      version: original.version,
      title: final.title,
      otherTitles: final.otherTitles,
      steps: steps.get(original.id) ?? 1,
    };
  });
  const saved = await repository.retitleMeasuresIfVersion(tx, retitles, updatedAt);
  const refused = [...readAs.values()].find((original) => !saved.has(original.id));
  if (refused !== undefined) {
    throw new Conflict(
      `The measure "${refused.title}"`,
      [{ label: "Title", saved: refused.title, submitted: latest.get(refused.id)?.title ?? refused.title }],
      "/measures/import",
    );
  }
  const inserted = await repository.insertMeasures(
    tx,
    added.map((entry) => entry.values),
  );
  for (const [index, entry] of added.entries()) {
    const measure = inserted[index] as Measure;
    rowMeasures[entry.position] = measure;
    eventsOfRow[entry.position]?.push({
      actor,
      action: "create",
      entityType: "measure",
      entityId: measure.id,
      summary: `Added the measure "${measure.title}" from a pasted table`,
      after: measure,
    });
  }
  if (inserted.length > 0) await input.planLinks?.linkWaitingAll(tx, inserted);
  await recordAuditEvents(tx, eventsOfRow.flat());
  return rowMeasures;
}

/** A record an import writes or restates: one already saved (its id), or one of the import's own. */
type RecordRef = { saved: number } | { added: number };

interface HeldValue {
  ref: RecordRef;
  cellText: string;
}

interface HeldTarget {
  ref: RecordRef;
  periodKey: string;
  document: string;
  targetText: string;
}

interface HeldRating {
  ref: RecordRef;
  ratingText: string;
}

function listIn<K, T>(map: Map<K, T[]>, key: K): T[] {
  let list = map.get(key);
  if (list === undefined) {
    list = [];
    map.set(key, list);
  }
  return list;
}

/**
 * The current records an import may restate, held in memory while its rows are worked through
 * in order, and what it will write: new records, the records they supersede, the benchmarks read
 * from its values. Nothing is written until `write`, a few statements for each kind.
 */
class ImportRecords {
  /** Current values of the import's document, by measure, period key and column role. */
  private readonly values = new Map<string, HeldValue[]>();
  /** Current targets of every document, by measure, in the order recorded. */
  private readonly targets = new Map<number, HeldTarget[]>();
  /** Current printed ratings of the table, by measure and period key. */
  private readonly ratings = new Map<string, HeldRating[]>();
  private readonly newValues: (typeof measureValues.$inferInsert)[] = [];
  private readonly newTargets: (typeof measureTargets.$inferInsert)[] = [];
  private readonly newRatings: (typeof measurePrintedRatings.$inferInsert)[] = [];
  /** Benchmarks read from the import's values, each with the index of its value among newValues. */
  private readonly newBenchmarks: { value: number; benchmark: NonNullable<UnderstoodCell["benchmark"]> }[] =
    [];
  private readonly valuesReplaced: { old: RecordRef; by: number }[] = [];
  private readonly targetsReplaced: { old: RecordRef; by: number }[] = [];
  private readonly ratingsReplaced: { old: RecordRef; by: number }[] = [];

  constructor(saved: repository.ImportedRecords) {
    for (const value of saved.values) {
      listIn(this.values, valueKey(value.measureId, value.periodKey, value.columnRole)).push({
        ref: { saved: value.id },
        cellText: value.cellText,
      });
    }
    for (const target of saved.targets) {
      listIn(this.targets, target.measureId).push({
        ref: { saved: target.id },
        periodKey: target.periodKey,
        document: target.document,
        targetText: target.targetText,
      });
    }
    for (const rating of saved.printedRatings) {
      listIn(this.ratings, ratingKey(rating.measureId, rating.periodKey)).push({
        ref: { saved: rating.id },
        ratingText: rating.ratingText,
      });
    }
  }

  /**
   * A value cell: undefined when the document's current value for the cell is already this text
   * (nothing to write); otherwise what it held before (the values it restates, or null), and the
   * new value is written, superseding those, with any benchmark the cell gave.
   */
  value(record: typeof measureValues.$inferInsert, cell: PreviewCell): string | null | undefined {
    const held = listIn(this.values, valueKey(record.measureId, record.periodKey, record.columnRole));
    if (held.length === 1 && held[0]?.cellText === cell.text) return undefined;
    const index = this.newValues.push(record) - 1;
    for (const old of held) this.valuesReplaced.push({ old: old.ref, by: index });
    const before = held.map((old) => old.cellText).join(" / ") || null;
    held.splice(0, held.length, { ref: { added: index }, cellText: record.cellText });
    const benchmark = (cell.understood as UnderstoodCell).benchmark;
    if (benchmark) this.newBenchmarks.push({ value: index, benchmark });
    return before;
  }

  /**
   * A target cell: undefined when this document's current target for the period is already this
   * text (it stands, not restated); otherwise this document's earlier target (or null), and the
   * new target is written, superseding this document's, noting another document's that differs.
   */
  target(
    actor: string,
    measureId: number,
    group: MeasureGroup,
    period: string,
    key: string,
    text: string,
  ): string | null | undefined {
    const held = listIn(this.targets, measureId);
    const earlier = held.filter((existing) => existing.periodKey === key);
    const fromThisDocument = earlier.filter((existing) => existing.document === group.document);
    // The same table pasted again: its target stands, not restated.
    if (fromThisDocument.length === 1 && fromThisDocument[0]?.targetText === text) return undefined;
    const before = fromThisDocument[0]?.targetText ?? null;
    const differing = earlier.find((existing) => existing.targetText.trim() !== text.trim());
    const target = parseTarget(text);
    const index =
      this.newTargets.push({
        measureId,
        groupId: group.id,
        document: group.document,
        periodLabel: period,
        periodKey: key,
        targetText: text,
        kind: target.kind,
        warnings: [...target.warnings],
        changedFrom: differing ? `${differing.targetText} (${differing.document})` : null,
        recordedBy: actor,
      }) - 1;
    for (const old of fromThisDocument) {
      this.targetsReplaced.push({ old: old.ref, by: index });
      held.splice(held.indexOf(old), 1);
    }
    held.push({ ref: { added: index }, periodKey: key, document: group.document, targetText: text });
    return before;
  }

  /**
   * Keeps the rating a table printed for a measure and its rating column's period. The same
   * rating again (the same edition imported twice) changes nothing; another rating for the period
   * supersedes the table's earlier one, which is kept. A later edition's rating for its own period
   * leaves the earlier periods' alone.
   */
  printedRating(
    actor: string,
    measureId: number,
    group: MeasureGroup,
    cell: PreviewCell,
    rating: string,
  ): Omit<PrintedRatingChange, "row"> | null {
    const period = cell.period;
    if (period === null) return null;
    const key = periodKey(period);
    const held = listIn(this.ratings, ratingKey(measureId, key));
    if (held.length === 1 && held[0]?.ratingText === rating) return null;
    const index =
      this.newRatings.push({
        measureId,
        groupId: group.id,
        document: group.document,
        periodLabel: period,
        periodKey: key,
        ratingText: rating,
        cellText: cell.text.trim(),
        recordedBy: actor,
      }) - 1;
    for (const old of held) this.ratingsReplaced.push({ old: old.ref, by: index });
    const before = held.map((old) => old.ratingText).join(" / ") || null;
    held.splice(0, held.length, { ref: { added: index }, ratingText: rating });
    return { period, before, after: rating };
  }

  /** Writes every new record and supersession: a few statements a kind, in chunks. */
  async write(tx: Database): Promise<void> {
    const valueIds = await repository.insertValues(tx, this.newValues);
    const targetIds = await repository.insertTargets(tx, this.newTargets);
    const ratingIds = await repository.insertPrintedRatings(tx, this.newRatings);
    const idOf = (ref: RecordRef, added: readonly number[]): number =>
      "saved" in ref ? ref.saved : (added[ref.added] as number);
    const pairs = (replaced: readonly { old: RecordRef; by: number }[], added: readonly number[]) =>
      replaced.map((entry) => ({ id: idOf(entry.old, added), by: added[entry.by] as number }));
    const valuePairs = pairs(this.valuesReplaced, valueIds);
    await repository.insertBenchmarks(
      tx,
      this.newBenchmarks.map(({ value, benchmark }) => {
        const record = this.newValues[value] as typeof measureValues.$inferInsert;
        return {
          measureId: record.measureId,
          valueId: valueIds[value] as number,
          document: record.document,
          periodLabel: record.periodLabel,
          periodKey: record.periodKey,
          benchmarkGroup: benchmark.group,
          label: benchmark.label,
          amount: benchmark.amount,
          decimals: benchmark.decimals,
          source: "inline",
          recordedBy: record.recordedBy,
        };
      }),
    );
    // A restated value's benchmarks are no longer current (the import's own included).
    await repository.retireBenchmarksOfValues(
      tx,
      valuePairs.map((pair) => pair.id),
    );
    // A restated record points to the one that replaced it.
    await repository.supersedeValues(tx, valuePairs);
    await repository.supersedeTargets(tx, pairs(this.targetsReplaced, targetIds));
    await repository.supersedePrintedRatingPairs(tx, pairs(this.ratingsReplaced, ratingIds));
  }
}

function valueKey(measureId: number, key: string, role: string): string {
  return `${measureId}\u0000${key}\u0000${role}`;
}

function ratingKey(measureId: number, key: string): string {
  return `${measureId}\u0000${key}`;
}

function valueRecord(
  measureId: number,
  group: MeasureGroup,
  cell: PreviewCell,
  period: string,
  key: string,
  actor: string,
): typeof measureValues.$inferInsert {
  const understood = cell.understood as UnderstoodCell;
  return {
    measureId,
    groupId: group.id,
    document: group.document,
    columnHeading: cell.column.heading,
    columnRole: cell.column.role,
    periodLabel: period,
    periodKey: key,
    cellText: cell.text,
    amount: understood.amount === null ? null : String(understood.amount),
    decimals: understood.decimals,
    status: understood.status,
    // The cell read against its column, as the preview read it.
    ...storedPeriod(cell.text, cell.column.period ?? period),
    annotations: understood.annotations,
    warnings: understood.warnings,
    recordedBy: actor,
  };
}

/** "14.9% (national 16.4%)": the national figure is kept as a benchmark for the value's period. */
export async function saveInlineBenchmark(
  tx: Database,
  actor: string,
  value: MeasureValue,
  benchmark: UnderstoodCell["benchmark"],
): Promise<void> {
  if (!benchmark) return;
  await repository.insertBenchmark(tx, {
    measureId: value.measureId,
    valueId: value.id,
    document: value.document,
    periodLabel: value.periodLabel,
    periodKey: value.periodKey,
    benchmarkGroup: benchmark.group,
    label: benchmark.label,
    amount: benchmark.amount,
    decimals: benchmark.decimals,
    source: "inline",
    recordedBy: actor,
  });
}
