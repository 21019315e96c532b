import type { z } from "zod";
import type { Database } from "../../db/client.ts";
import { parsePeriod } from "../../domain/periods.ts";
import { parseTarget } from "../../domain/targets.ts";
import { Conflict, NotFound, ValidationFailed } from "../../errors.ts";
import {
  type ArchiveRules,
  archiveRecordWith,
  capitalise,
  type MoveRules,
  moveRecordWith,
  restoreRecordWith,
} from "../audit/audit.archive.ts";
import { recordAuditEvent } from "../audit/audit.service.ts";
import type { PlanLinks } from "./measures.plan-links.ts";
import type { Measure, MeasureGroup, MeasureTarget } from "./measures.repository.ts";
import * as repository from "./measures.repository.ts";
import type { groupSchema, newMeasureSchema, targetSetSchema } from "./measures.schemas.ts";
import { ENTERED_DOCUMENT, periodKey } from "./measures.service.ts";

/**
 * The rules of editing measures through pages: a measure is added to a group, archived and
 * restored; groups (the headings measures tables sit under) are added, renamed, moved and
 * archived; a target is set for a period. Each change is one transaction with an audit event by
 * the person named, refused with the field and value when it cannot be, and refused as a conflict
 * when the form was opened before someone else saved. Archive and restore are the audit module's
 * (`archiveRecordWith`), as the plan's records are. Nothing is deleted.
 */

export type NewMeasureForm = z.infer<typeof newMeasureSchema>;
export type GroupForm = z.infer<typeof groupSchema>;
export type TargetSetForm = z.infer<typeof targetSetSchema>;

function refuse(field: string, message: string): never {
  throw new ValidationFailed([{ field, message }]);
}

function slugFrom(title: string): string {
  return (
    title
      .toLowerCase()
      .normalize("NFKD")
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 70)
      .replace(/-+$/g, "") || "measure"
  );
}

/** A group that is current: one a measure can be added to. */
async function liveGroup(db: Database, groupId: number, field: string): Promise<MeasureGroup> {
  const group = await repository.findGroup(db, groupId);
  if (!group) refuse(field, `There is no measure group ${groupId}: choose one from the list`);
  if (group.archivedAt !== null) {
    refuse(field, `The group "${group.title}" is archived: restore it, or choose another group`);
  }
  return group;
}

async function codeClash(db: Database, code: string | null, exceptId: number | null): Promise<void> {
  if (code === null) return;
  const other = await repository.measureWithCode(db, code, exceptId);
  if (other) {
    refuse(
      "code",
      `The code "${code}" is already used by the measure "${other.title}"${other.archivedAt ? " (archived)" : ""}: choose another`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Measures

/**
 * Adds a measure with its details, listed at the end of the chosen group's table; given the plan's
 * links, those waiting for its title take its id.
 */
export async function addMeasure(
  db: Database,
  actor: string,
  form: NewMeasureForm,
  planLinks?: PlanLinks,
): Promise<Measure> {
  return db.transaction(async (tx) => {
    const group = await liveGroup(tx, form.groupId, "groupId");
    await codeClash(tx, form.code, null);
    const base = slugFrom(form.title);
    let slug = base;
    for (let n = 2; await repository.measureSlugTaken(tx, slug); n += 1) slug = `${base}-${n}`;
    const { groupId: _group, ...details } = form;
    const measure = await repository.insertMeasure(tx, { slug, ...details });
    await planLinks?.linkWaiting(tx, measure);
    await repository.appendRow(tx, group.id, measure.id, measure.title);
    await recordAuditEvent(tx, {
      actor,
      action: "create",
      entityType: "measure",
      entityId: measure.id,
      summary: `Added the measure "${measure.title}" to the group "${group.title}"`,
      after: measure,
    });
    return measure;
  });
}

const MEASURE_RULES: ArchiveRules<Measure> = {
  entityType: "measure",
  noun: "measure",
  find: (db, id) => repository.findMeasure(db, id),
  update: (db, id, version, values) => repository.updateMeasureIfVersion(db, id, version, values),
  name: (row) => `the measure "${row.title}"`,
  returnUrl: "/measures/archived",
};

export function archiveMeasure(db: Database, actor: string, input: { id: number; version: number }) {
  return archiveRecordWith(db, actor, MEASURE_RULES, input);
}

export function restoreMeasure(db: Database, actor: string, input: { id: number; version: number }) {
  return restoreRecordWith(db, actor, MEASURE_RULES, { ...input, field: `restore-measure-${input.id}` });
}

// ---------------------------------------------------------------------------------------------
// Groups: the headings measures tables sit under. Groups added here belong to Baseplan's own
// entries, not to a council document's table; their positions stay 1, 2, 3, ... among the live.

async function renumberLiveGroups(db: Database, order?: readonly number[]): Promise<void> {
  await repository.renumberGroups(db, order ?? (await repository.liveGroups(db)).map((group) => group.id));
}

/** Measure groups are listed in one order, every live group numbered together. */
const GROUP_MOVES: MoveRules<MeasureGroup> = {
  list: (db) => repository.liveGroups(db),
  renumber: (db, order) => renumberLiveGroups(db, order),
};

const GROUP_RULES: ArchiveRules<MeasureGroup> = {
  entityType: "measure-group",
  noun: "measure group",
  find: (db, id) => repository.findGroup(db, id),
  update: (db, id, version, values) => repository.updateGroupIfVersion(db, id, version, values),
  name: (row) => `the measure group "${row.title}"`,
  returnUrl: "/measures/groups",
  restoreValues: async (db) => ({ position: (await repository.liveGroups(db)).length + 1 }),
  after: (db) => renumberLiveGroups(db),
};

async function groupTitleClash(db: Database, document: string, title: string, exceptId: number | null) {
  const other = await repository.groupTitled(db, document, title, exceptId);
  if (other) {
    refuse(
      "title",
      `There is already a group titled "${other.title}"${other.archivedAt ? " (archived: restore it instead)" : ""}: choose another title`,
    );
  }
}

export async function addGroup(db: Database, actor: string, form: GroupForm): Promise<MeasureGroup> {
  return db.transaction(async (tx) => {
    await groupTitleClash(tx, ENTERED_DOCUMENT, form.title, null);
    const live = await repository.liveGroups(tx);
    const group = await repository.insertGroup(tx, {
      document: ENTERED_DOCUMENT,
      kind: form.kind,
      title: form.title,
      position: live.length + 1,
    });
    await renumberLiveGroups(tx);
    await recordAuditEvent(tx, {
      actor,
      action: "create",
      entityType: GROUP_RULES.entityType,
      entityId: group.id,
      summary: `Added the measure group "${group.title}"`,
      after: group,
    });
    return group;
  });
}

export async function renameGroup(
  db: Database,
  actor: string,
  input: { id: number; version: number; form: GroupForm },
): Promise<MeasureGroup> {
  return db.transaction(async (tx) => {
    const before = await repository.findGroup(tx, input.id);
    if (!before) throw new NotFound(`Measure group ${input.id}`);
    if (before.archivedAt !== null)
      refuse("title", `${capitalise(GROUP_RULES.name(before))} is archived: restore it to change it`);
    await groupTitleClash(tx, before.document, input.form.title, before.id);
    const updated = await repository.updateGroupIfVersion(tx, before.id, input.version, {
      title: input.form.title,
      kind: input.form.kind,
      updatedAt: new Date(),
    });
    if (!updated) {
      const saved = await repository.findGroup(tx, before.id);
      throw new Conflict(
        capitalise(GROUP_RULES.name(before)),
        [{ label: "Title", saved: saved?.title ?? "", submitted: input.form.title }],
        `/measures/groups/${before.id}`,
      );
    }
    await recordAuditEvent(tx, {
      actor,
      action: "update",
      entityType: GROUP_RULES.entityType,
      entityId: before.id,
      summary:
        before.title === updated.title
          ? `Changed the measure group "${updated.title}"`
          : `Renamed the measure group "${before.title}" to "${updated.title}"`,
      before,
      after: updated,
    });
    return updated;
  });
}

export async function moveGroup(
  db: Database,
  actor: string,
  input: { id: number; version: number; direction: "up" | "down" },
): Promise<void> {
  await moveRecordWith(db, actor, GROUP_RULES, GROUP_MOVES, input);
}

export function archiveGroup(db: Database, actor: string, input: { id: number; version: number }) {
  return archiveRecordWith(db, actor, GROUP_RULES, input);
}

export function restoreGroup(db: Database, actor: string, input: { id: number; version: number }) {
  return restoreRecordWith(db, actor, GROUP_RULES, { ...input, field: `restore-group-${input.id}` });
}

export function currentGroups(db: Database): Promise<MeasureGroup[]> {
  return repository.liveGroups(db);
}

export async function findGroup(db: Database, id: number): Promise<MeasureGroup> {
  const group = await repository.findGroup(db, id);
  if (!group) throw new NotFound(`Measure group ${id}`);
  return group;
}

/** The archived measures and groups, with who archived them and when: the Archived measures page. */
export async function archivedMeasureItems(db: Database) {
  const [measures, groups] = await Promise.all([
    repository.archivedMeasures(db),
    repository.archivedGroups(db),
  ]);
  return { measures, groups };
}

// ---------------------------------------------------------------------------------------------
// Targets set through the form

/** The target Baseplan's own entries hold for a measure and period (the one a new one replaces). */
export async function enteredTargetFor(
  db: Database,
  measureId: number,
  periodText: string,
): Promise<MeasureTarget | null> {
  const key = periodKey(periodText);
  const targets = await repository.targetsOf(db, [measureId]);
  return (
    targets.find(
      (target) => target.current && target.document === ENTERED_DOCUMENT && target.periodKey === key,
    ) ?? null
  );
}

/**
 * Sets a measure's target for a period. The period must be one Baseplan can read (a year, a
 * quarter or a month) and the target words ones the target reader understands; either refused
 * naming what was written. A target entered before for the same period is replaced (kept as
 * history) only if it is the one the form was opened on; a target a document gave for the period
 * stays, and the new one records that it differs.
 */
export async function setTarget(
  db: Database,
  actor: string,
  input: {
    measureId: number;
    form: TargetSetForm;
    replacing: { id: number; version: number } | null;
  },
): Promise<MeasureTarget> {
  const period = parsePeriod(input.form.period);
  if (period === null) {
    refuse(
      "period",
      `The period "${input.form.period}" could not be read: write a financial year like 2024/25, a quarter like Q3 2024/25 or a month like December 2024`,
    );
  }
  const target = parseTarget(input.form.target);
  if (target.kind === "unparsed") {
    refuse("target", `The target "${input.form.target}" could not be read: ${target.reason}`);
  }
  return db.transaction(async (tx) => {
    const measure = await repository.findMeasure(tx, input.measureId);
    if (!measure) throw new NotFound(`Measure ${input.measureId}`);
    if (measure.archivedAt !== null) {
      refuse("target", `The measure "${measure.title}" is archived: restore it to set its targets`);
    }
    const key = periodKey(period.label);
    const current = await enteredTargetFor(tx, measure.id, period.label);
    const opened = input.replacing;
    const stale =
      (current === null && opened !== null) ||
      (current !== null && (opened === null || opened.id !== current.id)) ||
      (current !== null &&
        opened !== null &&
        !(await repository.retireTargetIfVersion(tx, current.id, opened.version)));
    if (stale) {
      throw new Conflict(
        `The ${period.label} target of "${measure.title}"`,
        [{ label: "Target", saved: current?.targetText ?? "(none)", submitted: input.form.target }],
        `/measures/${measure.id}/targets/new?period=${encodeURIComponent(period.label)}`,
      );
    }
    const fromDocuments = (await repository.targetsOf(tx, [measure.id])).find(
      (other) =>
        other.current &&
        other.periodKey === key &&
        other.document !== ENTERED_DOCUMENT &&
        other.targetText.trim() !== input.form.target,
    );
    const record = await repository.insertTarget(tx, {
      measureId: measure.id,
      groupId: null,
      document: ENTERED_DOCUMENT,
      periodLabel: period.label,
      periodKey: key,
      targetText: input.form.target,
      kind: target.kind,
      warnings: [...target.warnings],
      changedFrom: current
        ? `${current.targetText} (entered)`
        : fromDocuments
          ? `${fromDocuments.targetText} (${fromDocuments.document})`
          : null,
      recordedBy: actor,
    });
    if (current) await repository.markTargetSuperseded(tx, current.id, record.id);
    await recordAuditEvent(tx, {
      actor,
      action: current ? "update" : "create",
      entityType: "measure-target",
      entityId: record.id,
      record: { kind: "measure", id: measure.id },
      summary: current
        ? `Changed the ${period.label} target of "${measure.title}" from "${current.targetText}" to "${input.form.target}"`
        : `Set the ${period.label} target of "${measure.title}" to "${input.form.target}"`,
      before: current,
      after: record,
    });
    return record;
  });
}

// ---------------------------------------------------------------------------------------------
// Combining two measures that are the same indicator under different titles

/**
 * Combines `otherId` into `keepId`: the other's values, targets, benchmark figures, table rows and
 * plan links move to the kept measure, its title and former titles become the kept measure's
 * former titles (so imports and plan wordings still find it), and it is archived, pointing to the
 * kept one. The kept measure takes the other's code when it has none. Both must be current and at
 * the versions the form was opened on; audited on both.
 */
export async function combineMeasures(
  db: Database,
  actor: string,
  input: { keepId: number; keepVersion: number; otherId: number; otherVersion: number },
  planLinks: PlanLinks,
): Promise<Measure> {
  if (input.keepId === input.otherId)
    refuse("otherId", "Choose a different measure: a measure cannot be combined with itself");
  return db.transaction(async (tx) => {
    const keep = await repository.findMeasure(tx, input.keepId);
    if (!keep) throw new NotFound(`Measure ${input.keepId}`);
    const other = await repository.findMeasure(tx, input.otherId);
    if (!other) refuse("otherId", `There is no measure ${input.otherId}: choose one from the list`);
    for (const [row, field] of [
      [keep, "form"],
      [other, "otherId"],
    ] as const) {
      if (row.archivedAt !== null) {
        refuse(field, `The measure "${row.title}" is archived: restore it before combining it`);
      }
    }
    const titles = [other.title, ...other.otherTitles, ...keep.otherTitles];
    const formerTitles = [...new Set(titles)].filter((title) => title !== keep.title);
    const takesCode = keep.code === null && other.code !== null;
    const archived = await repository.updateMeasureIfVersion(tx, other.id, input.otherVersion, {
      archivedAt: new Date(),
      archivedBy: actor,
      mergedInto: keep.id,
      ...(takesCode ? { code: null } : {}),
      updatedAt: new Date(),
    });
    const kept = archived
      ? await repository.updateMeasureIfVersion(tx, keep.id, input.keepVersion, {
          otherTitles: formerTitles,
          ...(takesCode ? { code: other.code } : {}),
          updatedAt: new Date(),
        })
      : null;
    if (!archived || !kept) {
      throw new Conflict(
        `The measures "${keep.title}" and "${other.title}"`,
        [
          {
            label: "Combine",
            saved: "Changed since the page was opened",
            submitted: `"${other.title}" into "${keep.title}"`,
          },
        ],
        `/measures/${keep.id}/combine`,
      );
    }
    await repository.moveMeasureRecords(tx, other.id, keep.id);
    await planLinks.moveLinks(tx, other.id, keep.id);
    const summary = `Combined the measure "${other.title}" into "${keep.title}": its values, targets and links moved`;
    await recordAuditEvent(tx, {
      actor,
      action: "update",
      entityType: "measure",
      entityId: keep.id,
      summary,
      before: { kept: keep, other },
      after: kept,
    });
    await recordAuditEvent(tx, {
      actor,
      action: "archive",
      entityType: "measure",
      entityId: other.id,
      summary,
      before: other,
      after: archived,
    });
    return kept;
  });
}

/** The current measures other than this one: what it can be combined with. */
export async function combinableWith(db: Database, measureId: number): Promise<Measure[]> {
  return (await repository.listCurrentMeasures(db)).filter((measure) => measure.id !== measureId);
}

// ---------------------------------------------------------------------------------------------
// Public: whether the council shows a measure on the pages anyone can read (/public)

/**
 * Marks a measure public or not: a public measure is shown on the public pages with its values
 * and ratings for published periods only. Version-checked (a form opened before someone else
 * changed the measure is refused, nothing changed) and audited.
 */
export async function setMeasurePublic(
  db: Database,
  actor: string,
  input: { id: number; version: number; isPublic: boolean },
): Promise<Measure> {
  return db.transaction(async (tx) => {
    const before = await repository.findMeasure(tx, input.id);
    if (!before) throw new NotFound(`Measure ${input.id}`);
    const words = (isPublic: boolean) =>
      isPublic ? "Shown on the public pages" : "Not shown on the public pages";
    const after = await repository.updateMeasureIfVersion(tx, before.id, input.version, {
      isPublic: input.isPublic,
    });
    if (!after) {
      throw new Conflict(
        `Whether "${before.title}" is public`,
        [{ label: "Public pages", saved: words(before.isPublic), submitted: words(input.isPublic) }],
        `/measures/${before.id}/public`,
      );
    }
    await recordAuditEvent(tx, {
      actor,
      action: "update",
      entityType: "measure",
      entityId: after.id,
      summary:
        before.isPublic === after.isPublic
          ? `Saved whether "${after.title}" is public unchanged`
          : after.isPublic
            ? `Made "${after.title}" public: its published figures are shown on the public pages`
            : `Took "${after.title}" off the public pages`,
      before: { public: before.isPublic },
      after: { public: after.isPublic },
    });
    return after;
  });
}
