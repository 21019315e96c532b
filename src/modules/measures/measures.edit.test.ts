import assert from "node:assert/strict";
import { test } from "node:test";
import { buildMeasureGroup, unique } from "../../../test/helpers/builders.ts";
import { describeOnBothDatabases, TEST_ACTOR } from "../../../test/helpers/database.ts";
import type { Database } from "../../db/client.ts";
import { Conflict, ValidationFailed } from "../../errors.ts";
import { validForm } from "../../web/forms.ts";
import { listAuditEvents } from "../audit/audit.service.ts";
import { measurePlanLinks } from "../plan/plan.service.ts";
import {
  addGroup,
  addMeasure,
  archivedMeasureItems,
  archiveGroup,
  archiveMeasure,
  combineMeasures,
  currentGroups,
  moveGroup,
  renameGroup,
  restoreGroup,
  restoreMeasure,
  setTarget,
} from "./measures.edit.ts";
import { groupSchema, newMeasureSchema, targetSetSchema } from "./measures.schemas.ts";
import { listMeasureGroups, listMeasures, measurePage } from "./measures.service.ts";

function measureForm(groupId: number, overrides: Record<string, string> = {}) {
  return validForm(newMeasureSchema, {
    title: "Households helped to stay in their home",
    code: "HS1",
    unit: "count",
    decimals: "0",
    polarity: "higher-is-better",
    frequency: "quarterly",
    owner: "Head of Housing Options",
    groupId: String(groupId),
    ...overrides,
  });
}

async function refusal(promise: Promise<unknown>): Promise<{ field: string; message: string }> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  assert.ok(error instanceof ValidationFailed, `expected a refusal, got ${String(error)}`);
  const [first] = error.errors;
  assert.ok(first);
  return first;
}

async function conflict(promise: Promise<unknown>): Promise<Conflict> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  assert.ok(error instanceof Conflict, `expected a conflict, got ${String(error)}`);
  return error;
}

async function auditActions(db: Database, entityType: string, id: number): Promise<string[]> {
  return (await listAuditEvents(db, entityType, id)).map((event) => event.action).reverse();
}

async function listedTitles(db: Database): Promise<string[]> {
  return (await listMeasureGroups(db)).flatMap((listing) =>
    listing.rows.flatMap((row) => ("measure" in row ? [row.measure.title] : [])),
  );
}

describeOnBothDatabases("editing measures and measure groups", (fresh) => {
  test("a measure is added to a group, archived and restored, each audited; a duplicate code is refused", async () => {
    const { db } = await fresh();
    const group = await addGroup(
      db,
      TEST_ACTOR,
      validForm(groupSchema, { title: "Homes", kind: "priority" }),
    );
    const measure = await addMeasure(db, TEST_ACTOR, measureForm(group.id));
    assert.equal(measure.unit, "count");
    assert.equal(measure.owner, "Head of Housing Options");
    assert.deepEqual(await listedTitles(db), ["Households helped to stay in their home"]);

    const duplicate = await refusal(
      addMeasure(db, TEST_ACTOR, measureForm(group.id, { title: "Another", code: " hs1 " })),
    );
    assert.equal(duplicate.field, "code");
    assert.match(duplicate.message, /"hs1" is already used by the measure "Households helped/);

    const stale = await conflict(
      archiveMeasure(db, TEST_ACTOR, { id: measure.id, version: measure.version + 1 }),
    );
    assert.match(stale.message, /Households helped/);
    const archived = await archiveMeasure(db, TEST_ACTOR, { id: measure.id, version: measure.version });
    assert.ok(archived.archivedAt);
    assert.equal(archived.archivedBy, TEST_ACTOR);
    assert.deepEqual(await listedTitles(db), [], "an archived measure leaves the measures list");
    assert.deepEqual(
      (await archivedMeasureItems(db)).measures.map((row) => row.id),
      [measure.id],
    );
    assert.equal(
      (await measurePage(db, measure.id)).measure.archivedAt?.getTime(),
      archived.archivedAt.getTime(),
    );
    const again = await refusal(
      archiveMeasure(db, TEST_ACTOR, { id: measure.id, version: archived.version }),
    );
    assert.match(again.message, /already archived/);
    // The archived measure still holds its code.
    assert.equal((await refusal(addMeasure(db, TEST_ACTOR, measureForm(group.id)))).field, "code");

    await restoreMeasure(db, TEST_ACTOR, { id: measure.id, version: archived.version });
    assert.deepEqual(await listedTitles(db), ["Households helped to stay in their home"]);
    assert.deepEqual(await auditActions(db, "measure", measure.id), ["create", "archive", "restore"]);
  });

  test("a measure cannot be added to a missing or archived group", async () => {
    const { db } = await fresh();
    const group = await addGroup(db, TEST_ACTOR, validForm(groupSchema, { title: "Parks", kind: "theme" }));
    const missing = await refusal(addMeasure(db, TEST_ACTOR, measureForm(group.id + 1000)));
    assert.equal(missing.field, "groupId");
    assert.match(missing.message, new RegExp(`no measure group ${group.id + 1000}`));
    await archiveGroup(db, TEST_ACTOR, { id: group.id, version: group.version });
    const archived = await refusal(addMeasure(db, TEST_ACTOR, measureForm(group.id)));
    assert.equal(archived.field, "groupId");
    assert.match(archived.message, /"Parks" is archived/);
    assert.deepEqual(await listedTitles(db), []);
  });

  test("groups are added, renamed, moved and archived with positions kept 1, 2, 3", async () => {
    const { db } = await fresh();
    const imported = await buildMeasureGroup(db, {
      title: unique("Imported"),
      rows: [{ code: "X1", title: "Made-up imported measure", last: "10", current: "12", target: "15" }],
    });
    const a = await addGroup(db, TEST_ACTOR, validForm(groupSchema, { title: "Alpha", kind: "priority" }));
    const b = await addGroup(db, TEST_ACTOR, validForm(groupSchema, { title: "Beta", kind: "outcome" }));
    const titles = async () => (await currentGroups(db)).map((group) => [group.title, group.position]);
    assert.deepEqual(await titles(), [
      [imported.title, 1],
      ["Alpha", 2],
      ["Beta", 3],
    ]);

    const clash = await refusal(
      addGroup(db, TEST_ACTOR, validForm(groupSchema, { title: "alpha", kind: "theme" })),
    );
    assert.equal(clash.field, "title");
    assert.match(clash.message, /already a group titled "Alpha"/);

    const renamed = await renameGroup(db, TEST_ACTOR, {
      id: a.id,
      version: a.version,
      form: validForm(groupSchema, { title: "Alpha homes", kind: "priority" }),
    });
    assert.equal(renamed.title, "Alpha homes");
    await conflict(
      renameGroup(db, TEST_ACTOR, {
        id: a.id,
        version: a.version,
        form: validForm(groupSchema, { title: "Stale", kind: "priority" }),
      }),
    );

    await moveGroup(db, TEST_ACTOR, { id: b.id, version: b.version, direction: "up" });
    assert.deepEqual(await titles(), [
      [imported.title, 1],
      ["Beta", 2],
      ["Alpha homes", 3],
    ]);
    const last = await refusal(
      moveGroup(db, TEST_ACTOR, { id: a.id, version: renamed.version, direction: "down" }),
    );
    assert.equal(last.field, "direction");
    assert.match(last.message, /already last/);

    const [importedNow] = await currentGroups(db);
    assert.ok(importedNow);
    await archiveGroup(db, TEST_ACTOR, { id: importedNow.id, version: importedNow.version });
    assert.deepEqual(await titles(), [
      ["Beta", 1],
      ["Alpha homes", 2],
    ]);
    assert.deepEqual(await listedTitles(db), [], "an archived group's table leaves the measures list");
    const archived = (await archivedMeasureItems(db)).groups[0];
    assert.ok(archived);
    await restoreGroup(db, TEST_ACTOR, { id: archived.id, version: archived.version });
    assert.deepEqual(await titles(), [
      ["Beta", 1],
      ["Alpha homes", 2],
      [imported.title, 3],
    ]);
    assert.deepEqual(await listedTitles(db), ["Made-up imported measure"]);
    assert.deepEqual(await auditActions(db, "measure-group", a.id), ["create", "update"]);
    assert.deepEqual((await auditActions(db, "measure-group", importedNow.id)).slice(-2), [
      "archive",
      "restore",
    ]);
  });

  test("a target is set for a period, replaced only from the form that saw it, and bad words are refused", async () => {
    const { db } = await fresh();
    const group = await addGroup(
      db,
      TEST_ACTOR,
      validForm(groupSchema, { title: "Waste", kind: "priority" }),
    );
    const measure = await addMeasure(
      db,
      TEST_ACTOR,
      measureForm(group.id, {
        title: "Household waste recycled",
        code: "W1",
        unit: "percent",
        decimals: "1",
      }),
    );
    const form = (period: string, target: string) => validForm(targetSetSchema, { period, target });

    const badPeriod = await refusal(
      setTarget(db, TEST_ACTOR, { measureId: measure.id, form: form("next year", "50%"), replacing: null }),
    );
    assert.equal(badPeriod.field, "period");
    assert.match(badPeriod.message, /"next year" could not be read/);
    const badTarget = await refusal(
      setTarget(db, TEST_ACTOR, {
        measureId: measure.id,
        form: form("2031/32", "better than before"),
        replacing: null,
      }),
    );
    assert.equal(badTarget.field, "target");
    assert.match(badTarget.message, /"better than before" could not be read/);

    const first = await setTarget(db, TEST_ACTOR, {
      measureId: measure.id,
      form: form("2031/2032", "50% or above"),
      replacing: null,
    });
    assert.equal(first.periodLabel, "2031/2032", "the period is kept as written");
    assert.equal(first.periodKey, "2031/32", "and matched however the year is written");
    assert.equal(first.kind, "threshold");
    // A second person who opened the form before the first saved is refused, and nothing changes.
    await conflict(
      setTarget(db, TEST_ACTOR, {
        measureId: measure.id,
        form: form("2031/32", "55% or above"),
        replacing: null,
      }),
    );
    await conflict(
      setTarget(db, TEST_ACTOR, {
        measureId: measure.id,
        form: form("2031/32", "55% or above"),
        replacing: { id: first.id, version: first.version + 1 },
      }),
    );
    const second = await setTarget(db, TEST_ACTOR, {
      measureId: measure.id,
      form: form("2031/32", "In line with national"),
      replacing: { id: first.id, version: first.version },
    });
    assert.equal(second.kind, "benchmark");
    const page = await measurePage(db, measure.id);
    assert.deepEqual(
      page.targets.map((verdict) => verdict.target.targetText),
      ["In line with national"],
    );
    assert.ok(page.targetHistory.some((target) => target.id === first.id && !target.current));
    assert.deepEqual(await auditActions(db, "measure-target", first.id), ["create"]);
    assert.deepEqual(await auditActions(db, "measure-target", second.id), ["update"]);

    await archiveMeasure(db, TEST_ACTOR, { id: measure.id, version: measure.version });
    const archived = await refusal(
      setTarget(db, TEST_ACTOR, { measureId: measure.id, form: form("2032/33", "60%"), replacing: null }),
    );
    assert.match(archived.message, /archived/);
  });

  test("two measures that are one indicator are combined: values, targets and rows move, the other's title is kept", async () => {
    const { db } = await fresh();
    await buildMeasureGroup(db, {
      title: unique("Last year's table"),
      rows: [
        { code: "OLD1", title: "Made-up residents satisfied", last: "61%", current: "64%", target: "65%" },
      ],
    });
    await buildMeasureGroup(db, {
      title: unique("This year's table"),
      rows: [
        { code: "RS1", title: "Made-up resident satisfaction", last: "64%", current: "66%", target: "70%" },
      ],
    });
    const byTitle = async (title: string) => {
      const found = (await listMeasures(db)).find((measure) => measure.title === title);
      assert.ok(found, title);
      return found;
    };
    const keep = await byTitle("Made-up resident satisfaction");
    const other = await byTitle("Made-up residents satisfied");
    const otherValues = (await measurePage(db, other.id)).values.length;
    assert.ok(otherValues > 0);
    const keptValues = (await measurePage(db, keep.id)).values.length;

    const itself = await refusal(
      combineMeasures(
        db,
        TEST_ACTOR,
        {
          keepId: keep.id,
          keepVersion: keep.version,
          otherId: keep.id,
          otherVersion: keep.version,
        },
        measurePlanLinks,
      ),
    );
    assert.equal(itself.field, "otherId");
    await conflict(
      combineMeasures(
        db,
        TEST_ACTOR,
        {
          keepId: keep.id,
          keepVersion: keep.version,
          otherId: other.id,
          otherVersion: other.version + 1,
        },
        measurePlanLinks,
      ),
    );
    assert.equal(
      (await byTitle("Made-up residents satisfied")).archivedAt,
      null,
      "a stale form changes nothing",
    );

    const kept = await combineMeasures(
      db,
      TEST_ACTOR,
      {
        keepId: keep.id,
        keepVersion: keep.version,
        otherId: other.id,
        otherVersion: other.version,
      },
      measurePlanLinks,
    );
    assert.deepEqual(kept.otherTitles, ["Made-up residents satisfied"]);
    assert.equal(kept.code, "RS1");
    const page = await measurePage(db, keep.id);
    assert.equal(
      page.values.length,
      keptValues + otherValues,
      "the other's values now belong to the kept measure",
    );
    assert.deepEqual(
      [
        ...new Set(
          page.targetHistory.concat(page.targets.map((verdict) => verdict.target)).map((t) => t.targetText),
        ),
      ].sort(),
      ["65%", "70%"],
    );
    const archived = await byTitle("Made-up residents satisfied");
    assert.ok(archived.archivedAt);
    assert.equal(archived.mergedInto, keep.id);
    assert.equal((await measurePage(db, other.id)).values.length, 0);
    // Both tables now list the kept measure, each under the title it printed.
    const rows = (await listMeasureGroups(db)).flatMap((listing) =>
      listing.rows.flatMap((row) => ("measure" in row ? [[row.measure.id, row.titleAsWritten]] : [])),
    );
    assert.deepEqual(rows, [
      [keep.id, "Made-up residents satisfied"],
      [keep.id, "Made-up resident satisfaction"],
    ]);
    assert.deepEqual((await auditActions(db, "measure", other.id)).at(-1), "archive");
    assert.deepEqual((await auditActions(db, "measure", keep.id)).at(-1), "update");
  });
});
