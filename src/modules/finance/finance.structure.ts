import type { Database } from "../../db/client.ts";
import { formatPounds, type Pence, sumPence } from "../../domain/money.ts";
import { Conflict, NotFound, ValidationFailed } from "../../errors.ts";
import {
  type ArchivableRow,
  type ArchiveRules,
  archiveRecordWith,
  capitalise,
  type MoveRules,
  moveRecordWith,
  restoreRecordWith,
} from "../audit/audit.archive.ts";
import { recordAuditEvent } from "../audit/audit.service.ts";
import { findDepartment } from "../plan/plan.service.ts";
import * as repository from "./finance.repository.ts";
import type { StructureNameForm } from "./finance.schemas.ts";
import type { DivisionRow, LineRow, ReserveRow } from "./finance.structure.repository.ts";
import * as structure from "./finance.structure.repository.ts";

/**
 * Setting up a year's budget through pages (issue 10, decision 0026): the monitoring lines the
 * quarter's report shows, in its order, and the approved budget's divisions with an amount under
 * each subjective heading. Each kind is added, renamed, moved up or down (positions stay 1, 2,
 * 3, ...), archived and restored, in one transaction with an audit event naming the person. A
 * form opened before someone else saved is a conflict; a name already used in the year (letter
 * case ignored, archived ones included), or a year that is not open, is refused with the field
 * and the reason, and nothing changes. Nothing is deleted: archived rows leave current pages and
 * new documents (the finance repository's lists leave them out) and keep their figures.
 */

export type BudgetStructureKind = "line" | "division" | "reserve";

export const BUDGET_STRUCTURE_KINDS: readonly BudgetStructureKind[] = ["line", "division", "reserve"];

interface KindRules<Row extends ArchivableRow & { name: string; position: number; financialYearId: number }> {
  noun: string;
  plural: string;
  entityType: string;
  find(db: Database, id: number): Promise<Row | undefined>;
  update(db: Database, id: number, version: number, values: Record<string, unknown>): Promise<Row | null>;
  /** The live rows numbered together with this one, in their order. */
  siblings(db: Database, row: Row): Promise<Row[]>;
  /** A row of the year with this name, archived or not, other than `exceptId`. */
  named(db: Database, yearId: number, name: string, exceptId: number | null): Promise<Row | undefined>;
  renumber(db: Database, row: Row, order: readonly number[]): Promise<void>;
}

const LINE: KindRules<LineRow> = {
  noun: "budget line",
  plural: "Budget lines",
  entityType: "budget-line",
  find: (db, id) => structure.findLine(db, id),
  update: (db, id, version, values) => structure.updateLineIfVersion(db, id, version, values),
  siblings: (db, row) => structure.liveLines(db, row.financialYearId, row.portfolio),
  named: (db, yearId, name, exceptId) => structure.lineNamed(db, yearId, name, exceptId),
  renumber: (db, _row, order) => structure.renumberLines(db, order),
};

const DIVISION: KindRules<DivisionRow> = {
  noun: "division",
  plural: "Divisions",
  entityType: "budget-division",
  find: (db, id) => structure.findDivision(db, id),
  update: (db, id, version, values) => structure.updateDivisionIfVersion(db, id, version, values),
  siblings: (db, row) => structure.liveDivisions(db, row.financialYearId),
  named: (db, yearId, name, exceptId) => structure.divisionNamed(db, yearId, name, exceptId),
  renumber: (db, row, order) => structure.renumberDivisions(db, row.financialYearId, order),
};

const RESERVE: KindRules<ReserveRow> = {
  noun: "earmarked reserve",
  plural: "Earmarked reserves",
  entityType: "earmarked-reserve",
  find: (db, id) => structure.findReserve(db, id),
  update: (db, id, version, values) => structure.updateReserveIfVersion(db, id, version, values),
  siblings: (db, row) => structure.liveReserves(db, row.financialYearId),
  named: (db, yearId, name, exceptId) => structure.reserveNamed(db, yearId, name, exceptId),
  renumber: (db, _row, order) => structure.renumberReserves(db, order),
};

// The registry: a kind's rules by its key. Every kind has the columns the rules read.
const KINDS = { line: LINE, division: DIVISION, reserve: RESERVE } as unknown as Record<
  BudgetStructureKind,
  KindRules<Row>
>;
type Row = LineRow & DivisionRow;

export const KIND_NAMES: Record<BudgetStructureKind, { noun: string; plural: string }> = {
  line: { noun: LINE.noun, plural: LINE.plural },
  division: { noun: DIVISION.noun, plural: DIVISION.plural },
  reserve: { noun: RESERVE.noun, plural: RESERVE.plural },
};

export function structureHref(yearCode: string): string {
  return `/budget/${yearCode}/structure`;
}

/** "a budget line", "an earmarked reserve". */
const article = (noun: string) => `${/^[aeiou]/i.test(noun) ? "an" : "a"} ${noun}`;

function refuse(field: string, message: string): never {
  throw new ValidationFailed([{ field, message }]);
}

const nameOf = (kind: BudgetStructureKind, row: { name: string }) => `the ${KINDS[kind].noun} "${row.name}"`;

/** The year, refused (on `field`) when it has not been opened for monitoring. */
async function openYear(db: Database, yearCode: string, field: string) {
  const year = await structure.findYear(db, yearCode);
  if (!year) {
    refuse(
      field,
      `The financial year ${yearCode.replace("-", "/")} is not open: open it in Monitoring periods first`,
    );
  }
  return year;
}

async function yearOf(db: Database, row: { financialYearId: number }) {
  const year = await structure.findYearById(db, row.financialYearId);
  if (!year) throw new NotFound(`Financial year ${row.financialYearId}`);
  return year;
}

async function nameClash(
  db: Database,
  kind: BudgetStructureKind,
  yearId: number,
  name: string,
  exceptId: number | null,
) {
  const other = await KINDS[kind].named(db, yearId, name, exceptId);
  if (other) {
    refuse(
      "name",
      `There is already ${article(KINDS[kind].noun)} named "${other.name}" in this year${other.archivedAt ? " (archived: restore it instead)" : ""}: choose another name`,
    );
  }
}

/**
 * The portfolio a year's new lines belong to: the year's own lines' (one portfolio per year,
 * which the quarter's report shows), else its monitoring report's, else the first department's
 * name, as the quarterly report names it by default (decision 0026).
 */
async function portfolioFor(db: Database, yearId: number): Promise<string> {
  return (
    (await structure.portfolioOfLines(db, yearId)) ??
    (await structure.portfolioOfReports(db, yearId)) ??
    (await findDepartment(db))?.name ??
    "Budget"
  );
}

function archiveRules(kind: BudgetStructureKind, returnUrl: string): ArchiveRules<Row> {
  const rules = KINDS[kind];
  return {
    entityType: rules.entityType,
    noun: rules.noun,
    find: rules.find,
    update: rules.update,
    name: (row) => nameOf(kind, row),
    returnUrl,
    restoreValues: async (db, row) => ({ position: (await rules.siblings(db, row)).length + 1 }),
    after: async (db, row) => {
      const fresh = (await rules.find(db, row.id)) ?? row;
      await rules.renumber(
        db,
        fresh,
        (await rules.siblings(db, fresh)).map((sibling) => sibling.id),
      );
    },
  };
}

/** Adds a line or a division at the end of the year's list. */
export async function addRecord(
  db: Database,
  actor: string,
  kind: BudgetStructureKind,
  input: { yearCode: string; form: StructureNameForm },
): Promise<Row> {
  const rules = KINDS[kind];
  return db.transaction(async (tx) => {
    const year = await openYear(tx, input.yearCode, "name");
    await nameClash(tx, kind, year.id, input.form.name, null);
    const row = (
      kind === "line"
        ? await (async () => {
            const portfolio = await portfolioFor(tx, year.id);
            const live = await structure.liveLines(tx, year.id, portfolio);
            return structure.insertLine(tx, {
              financialYearId: year.id,
              portfolio,
              name: input.form.name,
              position: live.length + 1,
            });
          })()
        : kind === "reserve"
          ? await (async () => {
              const live = await structure.liveReserves(tx, year.id);
              return structure.insertReserve(tx, {
                financialYearId: year.id,
                name: input.form.name,
                position: live.length + 1,
              });
            })()
          : await (async () => {
              const live = await structure.liveDivisions(tx, year.id);
              const division = await structure.insertDivision(tx, {
                financialYearId: year.id,
                name: input.form.name,
                position: live.length + 1,
                statedTotal: false,
              });
              await structure.renumberDivisions(tx, year.id, [...live.map((other) => other.id), division.id]);
              return division;
            })()
    ) as Row;
    await recordAuditEvent(tx, {
      actor,
      action: "create",
      entityType: rules.entityType,
      entityId: row.id,
      summary: `Added ${nameOf(kind, row)} to ${year.label}`,
      before: null,
      after: row,
    });
    return row;
  });
}

/** Renames a line or a division, if still at the version the form was opened on. */
export async function renameRecord(
  db: Database,
  actor: string,
  kind: BudgetStructureKind,
  input: { id: number; version: number; form: StructureNameForm },
): Promise<Row> {
  const rules = KINDS[kind];
  return db.transaction(async (tx) => {
    const before = await rules.find(tx, input.id);
    if (!before) throw new NotFound(`${capitalise(rules.noun)} ${input.id}`);
    if (before.archivedAt !== null) {
      refuse("name", `${capitalise(nameOf(kind, before))} is archived: restore it to change it`);
    }
    const year = await yearOf(tx, before);
    await nameClash(tx, kind, year.id, input.form.name, before.id);
    const updated = await rules.update(tx, before.id, input.version, {
      name: input.form.name,
      updatedAt: new Date(),
    });
    if (!updated) {
      const saved = await rules.find(tx, before.id);
      throw new Conflict(
        capitalise(nameOf(kind, before)),
        [{ label: "Name", saved: saved?.name ?? "", submitted: input.form.name }],
        structureHref(year.code),
      );
    }
    await recordAuditEvent(tx, {
      actor,
      action: "update",
      entityType: rules.entityType,
      entityId: before.id,
      summary:
        before.name === updated.name
          ? `Saved ${nameOf(kind, updated)} unchanged`
          : `Renamed the ${rules.noun} "${before.name}" to "${updated.name}"`,
      before,
      after: updated,
    });
    return updated;
  });
}

/** Moves a line or a division up or down its year's list. */
export async function moveRecord(
  db: Database,
  actor: string,
  kind: BudgetStructureKind,
  input: { id: number; version: number; direction: "up" | "down" },
): Promise<void> {
  const rules = KINDS[kind];
  const row = await rules.find(db, input.id);
  if (!row) throw new NotFound(`${capitalise(rules.noun)} ${input.id}`);
  const year = await yearOf(db, row);
  const moves: MoveRules<Row> = {
    list: (tx, at) => rules.siblings(tx, at),
    renumber: (tx, order) => rules.renumber(tx, row, order),
  };
  await moveRecordWith(db, actor, archiveRules(kind, structureHref(year.code)), moves, input);
}

/** Archives a line or a division: hidden from current pages and new documents, kept, restorable. */
export async function archiveRecord(
  db: Database,
  actor: string,
  kind: BudgetStructureKind,
  input: { id: number; version: number },
): Promise<Row> {
  const row = await KINDS[kind].find(db, input.id);
  if (!row) throw new NotFound(`${capitalise(KINDS[kind].noun)} ${input.id}`);
  const year = await yearOf(db, row);
  return archiveRecordWith(db, actor, archiveRules(kind, structureHref(year.code)), input);
}

/** Restores an archived line or division to the end of its year's list. */
export async function restoreRecord(
  db: Database,
  actor: string,
  kind: BudgetStructureKind,
  input: { id: number; version: number },
): Promise<Row> {
  const row = await KINDS[kind].find(db, input.id);
  if (!row) throw new NotFound(`${capitalise(KINDS[kind].noun)} ${input.id}`);
  const year = await yearOf(db, row);
  // A restored name may since have been given to another live record of the year.
  const clash = await KINDS[kind].named(db, year.id, row.name, row.id);
  if (clash && clash.archivedAt === null) {
    refuse(
      `restore-${kind}-${row.id}`,
      `${capitalise(nameOf(kind, clash))} is in use in ${year.label}: rename it before restoring this one`,
    );
  }
  return restoreRecordWith(db, actor, archiveRules(kind, structureHref(year.code)), {
    ...input,
    field: `restore-${kind}-${row.id}`,
  });
}

/** One line or division, archived or not, with its year. */
export async function findRecord(db: Database, kind: BudgetStructureKind, id: number) {
  const row = await KINDS[kind].find(db, id);
  if (!row) throw new NotFound(`${capitalise(KINDS[kind].noun)} ${id}`);
  return { row, year: await yearOf(db, row) };
}

// ---------------------------------------------------------------------------------------------
// A division's amounts

/** A division's amount under each heading, pence or null where nothing is entered. */
export type DivisionAmounts = Record<string, Pence | null>;

/**
 * Sets a division's amounts under every subjective heading in one save, if the division is still
 * at the version the form was opened on. Figures a document printed for the division (its stated
 * gross and net) are the document's: amounts entered here replace them with Baseplan's sums.
 */
export async function setDivisionAmounts(
  db: Database,
  actor: string,
  input: { id: number; version: number; amounts: DivisionAmounts },
): Promise<DivisionRow> {
  return db.transaction(async (tx) => {
    const before = await structure.findDivision(tx, input.id);
    if (!before) throw new NotFound(`Division ${input.id}`);
    if (before.statedTotal) throw new NotFound(`Division ${input.id}`);
    if (before.archivedAt !== null) {
      refuse("form", `${capitalise(nameOf("division", before))} is archived: restore it to change it`);
    }
    const year = await yearOf(tx, before);
    const headings = await repository.listSubjectiveHeadings(tx);
    const unknown = Object.keys(input.amounts).find(
      (key) => !headings.some((heading) => heading.key === key),
    );
    if (unknown !== undefined) refuse(`amount-${unknown}`, `"${unknown}" is not a subjective heading`);
    const cellsBefore = await structure.cellsOf(tx, before.id);
    const amountsBefore = Object.fromEntries(cellsBefore.map((cell) => [cell.headingKey, cell.amountPence]));
    const updated = await structure.updateDivisionIfVersion(tx, before.id, input.version, {
      statedGrossPence: null,
      statedNetPence: null,
      updatedAt: new Date(),
    });
    if (!updated) {
      const savedCells = await structure.cellsOf(tx, before.id);
      throw new Conflict(
        capitalise(nameOf("division", before)),
        headings.map((heading) => {
          const saved = savedCells.find((cell) => cell.headingKey === heading.key)?.amountPence;
          const submitted = input.amounts[heading.key] ?? null;
          return {
            label: heading.title,
            saved: saved === undefined ? "" : formatPounds(saved, { pence: true }),
            submitted: submitted === null ? "" : formatPounds(submitted, { pence: true }),
          };
        }),
        `${structureHref(year.code)}/division/${before.id}/amounts`,
      );
    }
    for (const heading of headings) {
      await structure.setCell(tx, before.id, heading.key, input.amounts[heading.key] ?? null);
    }
    const after = Object.fromEntries(
      headings.flatMap((heading) => {
        const amount = input.amounts[heading.key] ?? null;
        return amount === null ? [] : [[heading.key, amount]];
      }),
    );
    await recordAuditEvent(tx, {
      actor,
      action: "update",
      entityType: DIVISION.entityType,
      entityId: before.id,
      summary: `Entered the ${year.label} approved budget of ${before.name}`,
      before: { amounts: amountsBefore, version: before.version },
      after: { amounts: after, version: updated.version },
    });
    return updated;
  });
}

// ---------------------------------------------------------------------------------------------
// The set-up page

/** What a year's set-up page shows: live lines and divisions in order, and the archived ones. */
export async function budgetStructure(db: Database, yearCode: string) {
  const year = await structure.findYear(db, yearCode);
  if (!year) throw new NotFound(`Financial year ${yearCode}`);
  const [lines, archivedLines, divisions, archivedDivisions, headings, reserves, archivedReserves] =
    await Promise.all([
      structure.allLiveLines(db, year.id),
      structure.archivedLines(db, year.id),
      structure.liveDivisions(db, year.id),
      structure.archivedDivisions(db, year.id),
      repository.listSubjectiveHeadings(db),
      structure.liveReserves(db, year.id),
      structure.archivedReserves(db, year.id),
    ]);
  const forecasts = await structure.forecastCounts(
    db,
    archivedLines.map((line) => line.id),
  );
  const cells = await repository.listBudgetCells(
    db,
    divisions.map((division) => division.id),
  );
  const portfolios = [...new Set(lines.map((line) => line.portfolio))];
  return {
    year,
    portfolio: lines[0]?.portfolio ?? (await portfolioFor(db, year.id)),
    portfolios,
    lines,
    archivedLines: archivedLines.map((line) => ({ ...line, forecasts: forecasts.get(line.id) ?? 0 })),
    divisions: divisions.map((division) => {
      const own = cells.filter((cell) => cell.divisionId === division.id);
      const net = sumPence(own.map((cell) => cell.amountPence));
      return {
        ...division,
        amountsEntered: own.length,
        net: formatPounds(net, { pence: true }),
      };
    }),
    archivedDivisions,
    reserves,
    archivedReserves,
    headings,
  };
}

/** A division's amounts as the form shows them, with the headings in table order. */
export async function divisionAmountsForm(db: Database, id: number) {
  const { row, year } = await findRecord(db, "division", id);
  if (row.statedTotal) throw new NotFound(`Division ${id}`);
  const headings = await repository.listSubjectiveHeadings(db);
  const cells = await structure.cellsOf(db, row.id);
  return {
    division: row,
    year,
    headings: headings.map((heading) => {
      const cell = cells.find((candidate) => candidate.headingKey === heading.key);
      return {
        ...heading,
        value: cell === undefined ? "" : formatPounds(cell.amountPence, { pence: true }),
      };
    }),
  };
}
