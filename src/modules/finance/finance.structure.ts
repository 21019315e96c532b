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
import type { SavingsTargetForm, StructureNameForm } from "./finance.schemas.ts";
import type {
  DivisionRow,
  GrowthRow,
  InitiativeRow,
  LineRow,
  ReserveRow,
  TargetRow,
} from "./finance.structure.repository.ts";
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

export type BudgetStructureKind = "line" | "division" | "reserve" | "initiative" | "growth";

export const BUDGET_STRUCTURE_KINDS: readonly BudgetStructureKind[] = [
  "line",
  "division",
  "reserve",
  "initiative",
  "growth",
];

type Year = NonNullable<Awaited<ReturnType<typeof structure.findYear>>>;

/** A field a kind's form sets besides the name: its key in the form, and how it is worded. */
export interface StructureField {
  key: string;
  label: string;
  hint: string;
  /** Money in pounds kept in pence (never below £0), one line of text, or paragraphs. */
  type: "money" | "text" | "textarea";
  /** A required field must be filled in; an optional one left blank is nothing (money) or "". */
  required: boolean;
}

interface KindField<Row> extends StructureField {
  /** The column the field is kept in. */
  column: string;
  of(row: Row): string | Pence | null;
}

/** A field's value as the form, a conflict page and the audit trail show it. */
function shown(field: StructureField, value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "";
  return field.type === "money" ? formatPounds(Number(value), { pence: true }) : String(value);
}

interface KindRules<Row extends ArchivableRow & { name: string; position: number; financialYearId: number }> {
  noun: string;
  plural: string;
  entityType: string;
  /** What else the kind's form sets with its name (an initiative's amount), in form order. */
  fields?: readonly KindField<Row>[];
  /** Adds a record named as the form says at the end of the year's list. */
  insert(db: Database, year: Year, form: StructureNameForm): Promise<Row>;
  find(db: Database, id: number): Promise<Row | undefined>;
  update(db: Database, id: number, version: number, values: Record<string, unknown>): Promise<Row | null>;
  /** The live rows numbered together with this one, in their order. */
  siblings(db: Database, row: Row): Promise<Row[]>;
  /** A row of the year with this name, archived or not, other than `exceptId`. */
  named(db: Database, yearId: number, name: string, exceptId: number | null): Promise<Row | undefined>;
  renumber(db: Database, row: Row, order: readonly number[]): Promise<void>;
}

/**
 * The budget holder: the officer responsible for a line, an initiative or a growth item, whom the
 * period page names beside it while its figure is missing (decision 0039). Optional; blank is none.
 */
function ownerField<Row extends { owner: string | null }>(noun: string): KindField<Row> {
  return {
    key: "owner",
    label: "Budget holder",
    hint: `The officer responsible for this ${noun}, by name, for example Sam Patel. The period page names them while its figure is missing. Optional.`,
    type: "text",
    required: false,
    column: "owner",
    of: (row) => row.owner ?? "",
  };
}

/** The budget holder a form gave, or null when left blank. */
function ownerOf(form: StructureNameForm): string | null {
  const owner = String(form.values?.owner ?? "").trim();
  return owner === "" ? null : owner;
}

const LINE: KindRules<LineRow> = {
  noun: "budget line",
  plural: "Budget lines",
  entityType: "budget-line",
  fields: [ownerField("budget line")],
  find: (db, id) => structure.findLine(db, id),
  update: (db, id, version, values) => structure.updateLineIfVersion(db, id, version, values),
  siblings: (db, row) => structure.liveLines(db, row.financialYearId, row.portfolio),
  named: (db, yearId, name, exceptId) => structure.lineNamed(db, yearId, name, exceptId),
  renumber: (db, _row, order) => structure.renumberLines(db, order),
  insert: async (db, year, form) => {
    const portfolio = await portfolioFor(db, year.id);
    const live = await structure.liveLines(db, year.id, portfolio);
    return structure.insertLine(db, {
      financialYearId: year.id,
      portfolio,
      name: form.name,
      position: live.length + 1,
      owner: ownerOf(form),
    });
  },
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
  insert: async (db, year, form) => {
    const live = await structure.liveDivisions(db, year.id);
    const division = await structure.insertDivision(db, {
      financialYearId: year.id,
      name: form.name,
      position: live.length + 1,
      statedTotal: false,
    });
    await structure.renumberDivisions(db, year.id, [...live.map((other) => other.id), division.id]);
    return division;
  },
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
  insert: async (db, year, form) => {
    const live = await structure.liveReserves(db, year.id);
    return structure.insertReserve(db, {
      financialYearId: year.id,
      name: form.name,
      position: live.length + 1,
    });
  },
};

const INITIATIVE: KindRules<InitiativeRow> = {
  noun: "savings initiative",
  plural: "Savings initiatives",
  entityType: "savings-initiative",
  fields: [
    {
      key: "amount",
      label: "Amount to be saved",
      hint: "In pounds for the year, as the budget book writes it, for example £250,000 or £0.25m.",
      type: "money",
      required: true,
      column: "amountPence",
      of: (row) => row.amountPence,
    },
    ownerField("savings initiative"),
  ],
  find: (db, id) => structure.findInitiative(db, id),
  update: (db, id, version, values) => structure.updateInitiativeIfVersion(db, id, version, values),
  siblings: (db, row) => structure.liveInitiatives(db, row.financialYearId),
  named: (db, yearId, name, exceptId) => structure.initiativeNamed(db, yearId, name, exceptId),
  renumber: (db, _row, order) => structure.renumberInitiatives(db, order),
  insert: async (db, year, form) => {
    // An initiative is one of the ways the year's savings target is to be met.
    const target = await structure.findTarget(db, year.id);
    if (!target) {
      refuse("name", `Set the ${year.label} savings target first: its initiatives are listed under it`);
    }
    const live = await structure.liveInitiatives(db, year.id);
    return structure.insertInitiative(db, {
      targetId: target.id,
      name: form.name,
      amountPence: Number(form.values?.amount ?? 0),
      position: live.length + 1,
      owner: ownerOf(form),
    });
  },
};

const money = (
  key: string,
  label: string,
  hint: string,
  column: string,
  of: (row: GrowthRow) => Pence | null,
) => ({ key, label, hint, type: "money", required: false, column, of }) as const;

const GROWTH: KindRules<GrowthRow> = {
  noun: "growth item",
  plural: "Growth items",
  entityType: "growth-item",
  fields: [
    {
      key: "ref",
      label: "Reference",
      hint: "As the report numbers the item, for example 2.6.1 or G1.",
      type: "text",
      required: true,
      column: "ref",
      of: (row) => row.ref,
    },
    money(
      "ongoing",
      "Ongoing amount",
      "The budget added every year from now on, in pounds, for example £1,300,000 or £1.3m. Leave blank if none.",
      "ongoingPence",
      (row) => row.ongoingPence,
    ),
    money(
      "oneOff",
      "One-off amount",
      "The budget added for this year only, in pounds. Leave blank if none.",
      "oneOffPence",
      (row) => row.oneOffPence,
    ),
    {
      key: "narrative",
      label: "What the growth is for",
      hint: "As the report describes it. Optional.",
      type: "textarea",
      required: false,
      column: "narrative",
      of: (row) => row.narrative,
    },
    ownerField("growth item"),
  ],
  find: (db, id) => structure.findGrowthItem(db, id),
  update: (db, id, version, values) => structure.updateGrowthItemIfVersion(db, id, version, values),
  siblings: (db, row) => structure.liveGrowthItems(db, row.financialYearId),
  named: (db, yearId, name, exceptId) => structure.growthItemNamed(db, yearId, name, exceptId),
  renumber: (db, _row, order) => structure.renumberGrowthItems(db, order),
  insert: async (db, year, form) => {
    const live = await structure.liveGrowthItems(db, year.id);
    const values = form.values ?? {};
    const pence = (key: string) => (typeof values[key] === "number" ? (values[key] as number) : null);
    return structure.insertGrowthItem(db, {
      financialYearId: year.id,
      ref: String(values.ref ?? ""),
      title: form.name,
      ongoingPence: pence("ongoing"),
      oneOffPence: pence("oneOff"),
      narrative: String(values.narrative ?? ""),
      position: live.length + 1,
      owner: ownerOf(form),
    });
  },
};

// The registry: a kind's rules by its key. Every kind has the columns the rules read.
const KINDS = {
  line: LINE,
  division: DIVISION,
  reserve: RESERVE,
  initiative: INITIATIVE,
  growth: GROWTH,
} as unknown as Record<BudgetStructureKind, KindRules<Row>>;
type Row = LineRow & DivisionRow;

type KindName = { noun: string; plural: string; fields: readonly StructureField[] };

export const KIND_NAMES: Record<BudgetStructureKind, KindName> = Object.fromEntries(
  BUDGET_STRUCTURE_KINDS.map((kind) => [
    kind,
    {
      noun: KINDS[kind].noun,
      plural: KINDS[kind].plural,
      fields: (KINDS[kind].fields ?? []).map(({ key, label, hint, type, required }) => ({
        key,
        label,
        hint,
        type,
        required,
      })),
    },
  ]),
) as unknown as Record<BudgetStructureKind, KindName>;

/** A kind's other fields: a required one filled in, money never below £0; the columns they set. */
function fieldValues(kind: BudgetStructureKind, form: StructureNameForm): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const field of KINDS[kind].fields ?? []) {
    const value = form.values?.[field.key] ?? null;
    if (field.required && (value === null || value === "")) {
      refuse(field.key, `Enter the ${field.label.toLowerCase()}`);
    }
    if (field.type === "money" && typeof value === "number" && value < 0) {
      refuse(field.key, `The ${field.label.toLowerCase()} must be £0 or more`);
    }
    values[field.column] =
      field.column === "owner"
        ? ownerOf(form)
        : field.type === "textarea" || field.type === "text"
          ? (value ?? "")
          : value;
  }
  return values;
}

export function structureHref(yearCode: string): string {
  return `/budget/${yearCode}/structure`;
}

/** "a budget line", "an earmarked reserve". */
const article = (noun: string) => `${/^[aeiou]/i.test(noun) ? "an" : "a"} ${noun}`;

function refuse(field: string, message: string): never {
  throw new ValidationFailed([{ field, message }]);
}

const nameOf = (kind: BudgetStructureKind, row: { name: string }) => `the ${KINDS[kind].noun} "${row.name}"`;

/** The financial year with this code if it has been opened for monitoring, else undefined. */
export function openedYear(db: Database, yearCode: string) {
  return structure.findYear(db, yearCode);
}

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

/** Adds a record of a kind at the end of the year's list. */
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
    fieldValues(kind, input.form);
    const row = await rules.insert(tx, year, input.form);
    await recordAuditEvent(tx, {
      actor,
      action: "create",
      entityType: rules.entityType,
      entityId: row.id,
      summary: `Added ${nameOf(kind, row)} to ${year.label}${(rules.fields ?? [])
        .filter((field) => field.type === "money" && field.of(row) !== null)
        .map((field) => `, ${field.label.toLowerCase()} ${shown(field, field.of(row))}`)
        .join("")}`,
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
    const fields = rules.fields ?? [];
    const updated = await rules.update(tx, before.id, input.version, {
      name: input.form.name,
      ...fieldValues(kind, input.form),
      updatedAt: new Date(),
    });
    if (!updated) {
      const saved = await rules.find(tx, before.id);
      throw new Conflict(
        capitalise(nameOf(kind, before)),
        [
          { label: "Name", saved: saved?.name ?? "", submitted: input.form.name },
          ...fields.map((field) => ({
            label: field.label,
            saved: saved ? shown(field, field.of(saved)) : "",
            submitted: shown(field, input.form.values?.[field.key]),
          })),
        ],
        structureHref(year.code),
      );
    }
    const changes = [
      ...(before.name === updated.name ? [] : [`renamed "${updated.name}"`]),
      ...fields
        .filter((field) => field.of(before) !== field.of(updated))
        .map((field) =>
          field.type === "money"
            ? `${field.label.toLowerCase()} ${shown(field, field.of(before)) || "none"} to ${shown(field, field.of(updated)) || "none"}`
            : `${field.label.toLowerCase()} changed`,
        ),
    ];
    await recordAuditEvent(tx, {
      actor,
      action: "update",
      entityType: rules.entityType,
      entityId: before.id,
      summary:
        changes.length === 0
          ? `Saved ${nameOf(kind, updated)} unchanged`
          : before.name !== updated.name && changes.length === 1
            ? `Renamed the ${rules.noun} "${before.name}" to "${updated.name}"`
            : `Changed the ${rules.noun} "${before.name}": ${changes.join("; ")}`,
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

/** What a record's form shows: its name, and its kind's other fields (money in pounds). */
export function recordFormValues(kind: BudgetStructureKind, row: Row): Record<string, string> {
  return {
    name: row.name,
    ...Object.fromEntries(
      (KINDS[kind].fields ?? []).map((field) => [field.key, shown(field, field.of(row))]),
    ),
  };
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
// A year's savings target

/**
 * Sets the year's savings target: the savings to be made in the year and those brought forward
 * from earlier years. The first save creates it, under the year's portfolio; a later one changes
 * it if still at the version the form was opened on (`version` null: the form was opened when
 * there was none). A total a document printed for the target described the amounts being
 * replaced: Baseplan's sum is shown from then on.
 */
export async function setSavingsTarget(
  db: Database,
  actor: string,
  input: { yearCode: string; version: number | null; form: SavingsTargetForm },
): Promise<TargetRow> {
  const { form } = input;
  return db.transaction(async (tx) => {
    const year = await openYear(tx, input.yearCode, "currentYear");
    if (form.currentYear < 0) refuse("currentYear", "The current year reductions must be £0 or more");
    if (form.broughtForward < 0) {
      refuse("broughtForward", "The prior year reductions brought forward must be £0 or more");
    }
    const before = await structure.findTarget(tx, year.id);
    const money = (pence: number) => formatPounds(pence, { pence: true });
    const conflict = (saved: TargetRow | undefined) =>
      new Conflict(
        `The ${year.label} savings target`,
        [
          {
            label: "Current year reductions",
            saved: saved ? money(saved.currentYearPence) : "",
            submitted: money(form.currentYear),
          },
          {
            label: "Prior year reductions brought forward",
            saved: saved ? money(saved.priorYearBroughtForwardPence) : "",
            submitted: money(form.broughtForward),
          },
        ],
        `${structureHref(year.code)}/savings-target`,
      );
    if (before === undefined) {
      if (input.version !== null) throw conflict(undefined);
      const created = await structure.insertTarget(tx, {
        financialYearId: year.id,
        portfolio: await portfolioFor(tx, year.id),
        currentYearPence: form.currentYear,
        priorYearBroughtForwardPence: form.broughtForward,
      });
      await recordAuditEvent(tx, {
        actor,
        action: "create",
        entityType: "savings-target",
        entityId: created.id,
        summary: `Set the ${year.label} savings target: ${money(form.currentYear)} this year and ${money(form.broughtForward)} brought forward`,
        before: null,
        after: created,
      });
      return created;
    }
    if (input.version === null) throw conflict(before);
    const updated = await structure.updateTargetIfVersion(tx, before.id, input.version, {
      currentYearPence: form.currentYear,
      priorYearBroughtForwardPence: form.broughtForward,
      statedTargetPence: null,
      updatedAt: new Date(),
    });
    if (!updated) throw conflict(await structure.findTarget(tx, year.id));
    await recordAuditEvent(tx, {
      actor,
      action: "update",
      entityType: "savings-target",
      entityId: before.id,
      summary: `Set the ${year.label} savings target: ${money(form.currentYear)} this year and ${money(form.broughtForward)} brought forward`,
      before,
      after: updated,
    });
    return updated;
  });
}

/** The year's savings target as its form shows it (blank when none is set yet). */
export async function savingsTargetForm(db: Database, yearCode: string) {
  const year = await structure.findYear(db, yearCode);
  if (!year) throw new NotFound(`Financial year ${yearCode}`);
  const target = await structure.findTarget(db, year.id);
  return {
    year,
    target: target ?? null,
    values: target
      ? {
          currentYear: formatPounds(target.currentYearPence, { pence: true }),
          broughtForward: formatPounds(target.priorYearBroughtForwardPence, { pence: true }),
        }
      : { currentYear: "", broughtForward: "" },
  };
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
  const [target, initiatives, archivedInitiatives, growth, archivedGrowth] = await Promise.all([
    structure.findTarget(db, year.id),
    structure.liveInitiatives(db, year.id),
    structure.archivedInitiatives(db, year.id),
    structure.liveGrowthItems(db, year.id),
    structure.archivedGrowthItems(db, year.id),
  ]);
  const growthSpend = await structure.growthSpendCounts(
    db,
    archivedGrowth.map((item) => item.id),
  );
  const initiativeForecasts = await structure.initiativeForecastCounts(
    db,
    archivedInitiatives.map((initiative) => initiative.id),
  );
  const identified = sumPence(initiatives.map((initiative) => initiative.amountPence));
  const targetTotal = target ? target.currentYearPence + target.priorYearBroughtForwardPence : 0;
  const money = (pence: number) => formatPounds(pence, { pence: true });
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
    savings: target
      ? {
          version: target.version,
          currentYear: money(target.currentYearPence),
          broughtForward: money(target.priorYearBroughtForwardPence),
          total: money(targetTotal),
          identified: money(identified),
          // Baseplan's comparison of the initiatives' amounts with the target.
          unidentified: targetTotal > identified ? money(targetTotal - identified) : null,
        }
      : null,
    initiatives: initiatives.map((initiative) => ({ ...initiative, amount: money(initiative.amountPence) })),
    archivedInitiatives: archivedInitiatives.map((initiative) => ({
      ...initiative,
      amount: money(initiative.amountPence),
      forecasts: initiativeForecasts.get(initiative.id) ?? 0,
    })),
    growth: growth.map((item) => ({
      ...item,
      ongoing: item.ongoingPence === null ? null : money(item.ongoingPence),
      oneOff: item.oneOffPence === null ? null : money(item.oneOffPence),
    })),
    archivedGrowth: archivedGrowth.map((item) => ({ ...item, spend: growthSpend.get(item.id) ?? 0 })),
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
