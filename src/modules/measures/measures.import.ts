import type { Database } from "../../db/client.ts";
import type { measureValues } from "../../db/schema/index.ts";
import { normaliseTitle } from "../../domain/measure-identity.ts";
import { parseTarget } from "../../domain/targets.ts";
import { Conflict, ValidationFailed } from "../../errors.ts";
import { recordAuditEvent } from "../audit/audit.service.ts";
import type { UnderstoodCell } from "./measures.cells.ts";
import { type ImportInput, type PreviewCell, previewImport } from "./measures.import-preview.ts";
import type { Measure, MeasureGroup, MeasureTarget, MeasureValue } from "./measures.repository.ts";
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
    const changes: ChangedCell[] = [];
    const group = await repository.upsertGroup(tx, {
      document: input.document,
      kind: input.groupKind,
      title: input.groupTitle,
      keyLine: preview.key,
      footnotes: preview.footnotes,
      columns: preview.columns,
      position: input.position ?? (await importedGroupPosition(tx, input)),
    });
    const rowRecords: Parameters<typeof repository.insertRows>[1] = [];
    let written = 0;
    let unchanged = 0;
    // The key's symbol for a printed rating ("🔴"), kept with the import's audit event.
    const ratingsAsWritten: { title: string; written: string; readAs: string | null }[] = [];
    // Printed ratings new or changed for their period, before and after.
    const printedRatingChanges: PrintedRatingChange[] = [];
    for (const [position, row] of preview.rows.entries()) {
      let measure = row.measure;
      if (row.kind === "measure" && measure !== null && row.matchedBy === "code") {
        measure = await keepFormerTitle(tx, actor, measure, row.title);
      }
      if (row.kind === "measure" && measure === null) {
        measure = await repository.insertMeasure(tx, {
          slug: `${slugOf(row.title)}-${Date.now()}-${position}`,
          title: row.title,
          code: row.code,
        });
        await input.planLinks?.linkWaiting(tx, measure);
        await recordAuditEvent(tx, {
          actor,
          action: "create",
          entityType: "measure",
          entityId: measure.id,
          summary: `Added the measure "${row.title}" from a pasted table`,
          after: measure,
        });
      }
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
        const change = await savePrintedRating(tx, actor, measure.id, group, ratingCell, printed);
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
          const earlierText =
            (await repository.targetsOf(tx, [measure.id])).find(
              (existing) =>
                existing.current && existing.periodKey === key && existing.document === group.document,
            )?.targetText ?? null;
          if (await saveTarget(tx, actor, measure.id, group, period, key, cell.text)) {
            written += 1;
            changes.push({
              row: row.title,
              column: cell.column.heading,
              before: earlierText,
              after: cell.text,
            });
          } else unchanged += 1;
        } else if (cell.understood && cell.understood.status !== "blank") {
          const replaced = await repository.currentValuesFor(
            tx,
            measure.id,
            input.document,
            key,
            cell.column.role,
          );
          if (replaced.length === 1 && replaced[0]?.cellText === cell.text) {
            unchanged += 1;
            continue;
          }
          for (const old of replaced) {
            await repository.retireValue(tx, old.id);
          }
          await repository.retireBenchmarksOfValues(
            tx,
            replaced.map((old) => old.id),
          );
          const value = await repository.insertValue(
            tx,
            valueRecord(measure.id, group, cell, period, key, actor),
          );
          // A restated value points to the one that replaced it.
          for (const old of replaced) await repository.markValueSuperseded(tx, old.id, value.id);
          changes.push({
            row: row.title,
            column: cell.column.heading,
            before: replaced.map((old) => old.cellText).join(" / ") || null,
            after: cell.text,
          });
          await saveInlineBenchmark(tx, actor, value, cell.understood.benchmark);
          written += 1;
        }
      }
    }
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
 * Keeps the rating a table printed for a measure and its rating column's period. The same rating
 * again (the same edition imported twice) changes nothing; another rating for the period
 * supersedes the table's earlier one, which is kept. A later edition's rating for its own period
 * leaves the earlier periods' alone.
 */
async function savePrintedRating(
  tx: Database,
  actor: string,
  measureId: number,
  group: MeasureGroup,
  cell: PreviewCell,
  rating: string,
): Promise<Omit<PrintedRatingChange, "row"> | null> {
  const period = cell.period;
  if (period === null) return null;
  const key = periodKey(period);
  const earlier = await repository.currentPrintedRatings(tx, measureId, group.id, key);
  if (earlier.length === 1 && earlier[0]?.ratingText === rating) return null;
  const record = await repository.insertPrintedRating(tx, {
    measureId,
    groupId: group.id,
    document: group.document,
    periodLabel: period,
    periodKey: key,
    ratingText: rating,
    cellText: cell.text.trim(),
    recordedBy: actor,
  });
  await repository.supersedePrintedRatings(
    tx,
    earlier.map((old) => old.id),
    record.id,
  );
  return {
    period,
    before: earlier.map((old) => old.ratingText).join(" / ") || null,
    after: rating,
  };
}

/**
 * A measure matched by its code under a reworded title: the new title is the measure's title
 * and every former one is kept, so an older table still matches. Audited.
 */
async function keepFormerTitle(
  tx: Database,
  actor: string,
  measure: Measure,
  title: string,
): Promise<Measure> {
  if (normaliseTitle(measure.title) === normaliseTitle(title)) return measure;
  const otherTitles = [
    measure.title,
    ...measure.otherTitles.filter((other) => other !== title && other !== measure.title),
  ];
  const updated = await repository.updateMeasureIfVersion(tx, measure.id, measure.version, {
    title,
    otherTitles,
    updatedAt: new Date(),
  });
  if (updated === null) {
    throw new Conflict(
      `The measure "${measure.title}"`,
      [{ label: "Title", saved: measure.title, submitted: title }],
      "/measures/import",
    );
  }
  await recordAuditEvent(tx, {
    actor,
    action: "update",
    entityType: "measure",
    entityId: measure.id,
    summary: `Retitled the measure "${measure.title}" as "${title}" from an imported table (code ${measure.code}); the former title is kept`,
    before: measure,
    after: updated,
  });
  return updated;
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

async function saveTarget(
  tx: Database,
  actor: string,
  measureId: number,
  group: MeasureGroup,
  period: string,
  key: string,
  text: string,
): Promise<MeasureTarget | null> {
  const target = parseTarget(text);
  const earlier = (await repository.targetsOf(tx, [measureId])).filter(
    (existing) => existing.current && existing.periodKey === key,
  );
  const fromThisDocument = earlier.filter((existing) => existing.document === group.document);
  // The same table pasted again: its target stands, not restated.
  if (fromThisDocument.length === 1 && fromThisDocument[0]?.targetText === text) return null;
  const differing = earlier.find((existing) => existing.targetText.trim() !== text.trim());
  for (const old of fromThisDocument) {
    await repository.retireTarget(tx, old.id);
  }
  const record = await repository.insertTarget(tx, {
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
  });
  // A restated target points to the one that replaced it.
  for (const old of fromThisDocument) await repository.markTargetSuperseded(tx, old.id, record.id);
  return record;
}
