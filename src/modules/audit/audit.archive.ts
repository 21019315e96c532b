import type { Database } from "../../db/client.ts";
import { Conflict, NotFound, ValidationFailed } from "../../errors.ts";
import { recordAuditEvent } from "./audit.repository.ts";

/**
 * Archive and restore, one way for every kind of record that is archived rather than deleted
 * (plan records, measures, measure groups): the record is found, refused if already in that
 * state or (on restore) if what it belongs to is archived, changed only if it is still at the
 * version the form was opened on (else a conflict page), and audited in the same transaction.
 * Each kind says how it is found, updated and named, and what else moves with it (positions).
 */

export interface ArchivableRow {
  id: number;
  version: number;
  archivedAt: Date | null;
}

export interface ArchiveRules<Row extends ArchivableRow> {
  /** The audit trail's name for the kind, like "measure-group". */
  entityType: string;
  /** "Measure group 7" in a not-found message. */
  noun: string;
  find(db: Database, id: number): Promise<Row | undefined>;
  /** Updates the row if it is still at `version` (bumping it); null or undefined when it is not. */
  update(
    db: Database,
    id: number,
    version: number,
    values: Record<string, unknown>,
  ): Promise<Row | null | undefined>;
  /** How the record is named in a sentence: 'the measure "Pupils fed"'. */
  name(row: Row): string;
  /** Where the conflict page sends the person back to. */
  returnUrl: string;
  /** The name of what the record belongs to when that is archived, else null: restoring is refused. */
  parentArchived?(db: Database, row: Row): Promise<string | null>;
  /** Extra values a restore sets (a position at the end of its list). */
  restoreValues?(db: Database, row: Row): Promise<Record<string, unknown>>;
  /** What else changes after the archive or restore (renumbering what is left). */
  after?(db: Database, row: Row, action: "archive" | "restore"): Promise<void>;
}

export function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * Changes a record if it is still at `version`; a conflict naming the record's state otherwise.
 * `verb` is what the person asked for ("Archive", "Move up"), shown beside what was saved.
 */
export async function changeIfVersion<Row extends ArchivableRow>(
  tx: Database,
  rules: ArchiveRules<Row>,
  id: number,
  version: number,
  values: Record<string, unknown>,
  verb: string,
): Promise<{ before: Row; updated: Row }> {
  const before = await rules.find(tx, id);
  if (!before) throw new NotFound(`${capitalise(rules.noun)} ${id}`);
  const updated = await rules.update(tx, id, version, { ...values, updatedAt: new Date() });
  if (!updated) {
    const saved = await rules.find(tx, id);
    throw new Conflict(
      capitalise(rules.name(before)),
      [{ label: "State", saved: saved?.archivedAt ? "Archived" : "Current", submitted: verb }],
      rules.returnUrl,
    );
  }
  return { before, updated };
}

function refuse(field: string, message: string): never {
  throw new ValidationFailed([{ field, message }]);
}

/** Archives a record: hidden from current pages and new documents, kept, restorable, audited. */
export async function archiveRecordWith<Row extends ArchivableRow>(
  db: Database,
  actor: string,
  rules: ArchiveRules<Row>,
  input: { id: number; version: number },
): Promise<Row> {
  return db.transaction(async (tx) => {
    const row = await rules.find(tx, input.id);
    if (!row) throw new NotFound(`${capitalise(rules.noun)} ${input.id}`);
    if (row.archivedAt !== null) refuse("form", `${capitalise(rules.name(row))} is already archived`);
    const { before, updated } = await changeIfVersion(
      tx,
      rules,
      row.id,
      input.version,
      { archivedAt: new Date(), archivedBy: actor },
      "Archive",
    );
    await rules.after?.(tx, row, "archive");
    await recordAuditEvent(tx, {
      actor,
      action: "archive",
      entityType: rules.entityType,
      entityId: row.id,
      summary: `Archived ${rules.name(row)}`,
      before,
      after: updated,
    });
    return updated;
  });
}

/** Restores an archived record, refused while what it belongs to is archived; audited. */
export async function restoreRecordWith<Row extends ArchivableRow>(
  db: Database,
  actor: string,
  rules: ArchiveRules<Row>,
  input: { id: number; version: number; field: string },
): Promise<Row> {
  return db.transaction(async (tx) => {
    const row = await rules.find(tx, input.id);
    if (!row) throw new NotFound(`${capitalise(rules.noun)} ${input.id}`);
    if (row.archivedAt === null) refuse("form", `${capitalise(rules.name(row))} is not archived`);
    const parent = (await rules.parentArchived?.(tx, row)) ?? null;
    if (parent !== null) {
      refuse(
        input.field,
        `${capitalise(rules.name(row))} belongs to ${parent}, which is archived: restore that first`,
      );
    }
    const extra = (await rules.restoreValues?.(tx, row)) ?? {};
    const { before, updated } = await changeIfVersion(
      tx,
      rules,
      row.id,
      input.version,
      { archivedAt: null, archivedBy: null, ...extra },
      "Restore",
    );
    await rules.after?.(tx, row, "restore");
    await recordAuditEvent(tx, {
      actor,
      action: "restore",
      entityType: rules.entityType,
      entityId: row.id,
      summary: `Restored ${rules.name(row)}`,
      before,
      after: updated,
    });
    return updated;
  });
}

/** How a kind's records are ordered, for moving one up or down its list. */
export interface MoveRules<Row extends ArchivableRow> {
  /** The live records numbered together with this one, in their order. */
  list(db: Database, row: Row): Promise<Row[]>;
  /** Which of them this one moves past (those of its own group); all of them when not given. */
  sameGroup?(row: Row, other: Row): boolean;
  /** Numbers the records 1, 2, 3, ... in the order of the ids given. */
  renumber(db: Database, order: number[]): Promise<void>;
}

/**
 * Moves a record up or down its list, one way for every kind that is ordered by position (plan
 * records, measure groups): refused when archived or already first or last, swapped with its
 * neighbour only if still at the version the form was opened on, the list renumbered, and the
 * move audited with the new order.
 */
export async function moveRecordWith<Row extends ArchivableRow & { position?: unknown }>(
  db: Database,
  actor: string,
  rules: ArchiveRules<Row>,
  moves: MoveRules<Row>,
  input: { id: number; version: number; direction: "up" | "down" },
): Promise<void> {
  await db.transaction(async (tx) => {
    const row = await rules.find(tx, input.id);
    if (!row) throw new NotFound(`${capitalise(rules.noun)} ${input.id}`);
    if (row.archivedAt !== null)
      refuse("direction", `${capitalise(rules.name(row))} is archived: restore it to move it`);
    const all = await moves.list(tx, row);
    const group = moves.sameGroup ? all.filter((other) => moves.sameGroup?.(row, other)) : all;
    const at = group.findIndex((other) => other.id === row.id);
    const up = input.direction === "up";
    const neighbour = group[up ? at - 1 : at + 1];
    if (!neighbour) {
      refuse("direction", `${capitalise(rules.name(row))} is already ${up ? "first" : "last"}`);
    }
    await changeIfVersion(tx, rules, row.id, input.version, {}, `Move ${input.direction}`);
    const order = all.map((other) => other.id);
    const from = order.indexOf(row.id);
    const to = order.indexOf(neighbour.id);
    order[from] = neighbour.id;
    order[to] = row.id;
    await moves.renumber(tx, order);
    await recordAuditEvent(tx, {
      actor,
      action: "move",
      entityType: rules.entityType,
      entityId: row.id,
      summary: `Moved ${rules.name(row)} ${input.direction}, ${up ? "above" : "below"} ${rules.name(neighbour)}`,
      before: { position: row.position },
      after: { order },
    });
  });
}
