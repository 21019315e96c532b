import assert from "node:assert/strict";
import { test } from "node:test";
import { sql } from "drizzle-orm";
import { buildMeasureGroup, MADE_UP_SOURCE } from "../../../test/helpers/builders.ts";
import { describeOnBothDatabases, TEST_ACTOR } from "../../../test/helpers/database.ts";
import { type Database, queryRows } from "../../db/client.ts";
import { Conflict, ValidationFailed } from "../../errors.ts";
import { listAuditEvents } from "../audit/audit.service.ts";
import { listGroups } from "./measures.repository.ts";
import {
  editTarget,
  editValue,
  listMeasureGroups,
  measurePage,
  previewImport,
  type RatedRow,
  saveImport,
} from "./measures.service.ts";

// The import and edit rules on made-up tables; what the demo council's own tables give is
// checked in measures.service.demo.test.ts.

async function count(db: Database, query: string): Promise<number> {
  const [row] = await queryRows<{ n: number | string }>(db, sql.raw(query));
  return Number(row?.n);
}

/** The listed row of the measure written as `title` in the table `document` (any table unless given). */
async function rowFor(db: Database, title: string, document?: string): Promise<RatedRow> {
  const row = (await listMeasureGroups(db))
    .filter((listing) => document === undefined || listing.group.document === document)
    .flatMap((listing) => listing.rows)
    .find((candidate): candidate is RatedRow => "measure" in candidate && candidate.titleAsWritten === title);
  assert.ok(row, `a row titled ${title}`);
  return row;
}

describeOnBothDatabases("measures imported and edited", (fresh) => {
  test("re-importing a table with one changed cell restates that cell only", async () => {
    const { db } = await fresh();
    await buildMeasureGroup(db, {
      title: "Made-up parks",
      rows: [{ code: "P1", title: "Made-up park visits", last: "400", current: "420", target: "450" }],
    });
    const waste = [
      { code: "W1", title: "Made-up missed bin collections", last: "150", current: "140", target: "100" },
      { code: "W2", title: "Made-up recycling rate", last: "41.0%", current: "43.5%", target: "45.0%" },
    ];
    await buildMeasureGroup(db, { title: "Made-up waste", rows: waste });
    const bins = await rowFor(db, "Made-up missed bin collections");
    const recycling = await rowFor(db, "Made-up recycling rate");
    const [first, second] = waste;
    assert.ok(first && second);
    await buildMeasureGroup(db, { title: "Made-up waste", rows: [{ ...first, current: "135" }, second] });
    assert.deepEqual(
      (await measurePage(db, bins.measure.id)).history.map((value) => value.cellText),
      ["140"],
    );
    assert.equal((await rowFor(db, "Made-up missed bin collections")).latest?.cellText, "135");
    assert.deepEqual(
      (await measurePage(db, recycling.measure.id)).history,
      [],
      "the unchanged row is not restated",
    );
    assert.deepEqual(
      (await listGroups(db)).map((group) => group.title),
      ["Made-up parks", "Made-up waste"],
      "the table keeps its place",
    );
  });

  test("a pasted rating symbol is read through the key; one the key gives twice is flagged, not guessed", async () => {
    const { db } = await fresh();
    await buildMeasureGroup(db, {
      rows: [{ code: "P1", title: "Made-up park visits", last: "400", current: "420", target: "450" }],
    });
    const text = [
      "\t2019/2020\t2020/2021\tTarget\tPerformance",
      "Percentage of pupils in good or better primary schools\t80.7%\t81.2%\t91.0%\t🔴",
      "Percentage of pupils in good or better secondary schools\t54.9%\t55.0%\t81.0%\t🟡",
      "",
      "Key 🟦 Strong 🟢 Good 🟡 Review 🔴 Action 🟡 Data not available/Target not set",
    ].join("\n");
    const input = { text, document: "pasted-report", groupKind: "report", groupTitle: "Measures" };
    const preview = await previewImport(db, input);
    const [primary, secondary] = preview.rows.map((row) => row.cells.at(-1));
    assert.equal(primary?.text, "🔴");
    assert.equal(primary?.rating, "Action");
    assert.deepEqual(primary?.warnings, []);
    assert.equal(secondary?.rating, null);
    assert.match(
      secondary?.warnings[0] ?? "",
      /🟡 for more than one rating \("Review" and "Data not available\/Target not set"\)/,
    );
    await saveImport(db, TEST_ACTOR, input);
    assert.equal(
      (await rowFor(db, "Percentage of pupils in good or better primary schools", "pasted-report"))
        .printedRating,
      "Action",
    );
    assert.equal(
      (await rowFor(db, "Percentage of pupils in good or better secondary schools", "pasted-report"))
        .printedRating,
      "🟡",
    );
    assert.equal((await listGroups(db)).at(-1)?.title, "Measures", "a new table is listed after the others");
    const [event] = await queryRows<{ after: { ratingsAsWritten?: unknown } }>(
      db,
      sql`select after from audit_events where action = 'import' order by id desc limit 1`,
    );
    assert.deepEqual(event?.after.ratingsAsWritten, [
      { title: "Percentage of pupils in good or better primary schools", written: "🔴", readAs: "Action" },
    ]);
  });

  test("a cell Excel quoted for a line break is read whole and the preview says the break was joined", async () => {
    const { db } = await fresh();
    const text = [
      "Key Performance Measure\tActual\tActual\tLatest\tTarget\tTarget",
      "\t2018/19\t2019/20\t2020/21\t2020/21\t2021/22",
      'Number of missing episodes (overall total, rolling 12 months)\t810\t828\t"909\n(Dec 20)"\tLess than 810\tLess than 810',
    ].join("\r\n");
    const preview = await previewImport(db, { text, document: "d", groupKind: "theme", groupTitle: "G" });
    assert.equal(preview.rows.length, 1);
    const [row] = preview.rows;
    assert.equal(row?.cells[2]?.text, "909 (Dec 20)");
    assert.equal(row?.cells[2]?.understood?.amount, 909);
    assert.equal(row?.cells[2]?.understood?.ownPeriod, "Dec 20");
    // On a council with no such measure yet, the preview also says it will be added.
    assert.deepEqual(
      row?.warnings.filter((warning) => warning.includes("line break")),
      [
        'Row 3, column "Latest 2020/21": the copied cell held a line break, "909 / (Dec 20)"; joined as "909 (Dec 20)".',
      ],
    );
  });

  test("a stale edit is refused and changes nothing; a good one keeps the old value as history", async () => {
    const { db } = await fresh();
    await buildMeasureGroup(db, {
      rows: [
        { code: "B1", title: "Made-up missed bin collections", last: "150", current: "140", target: "100" },
      ],
    });
    const row = await rowFor(db, "Made-up missed bin collections", MADE_UP_SOURCE.document);
    const value = row.latest;
    assert.ok(value);
    assert.equal(value.cellText, "140");
    const edited = await editValue(db, TEST_ACTOR, {
      measureId: row.measure.id,
      recordId: value.id,
      version: value.version,
      text: "135",
    });
    await assert.rejects(
      editValue(db, TEST_ACTOR, {
        measureId: row.measure.id,
        recordId: value.id,
        version: value.version,
        text: "1",
      }),
      Conflict,
    );
    const page = await measurePage(db, row.measure.id);
    assert.ok(page.values.some((candidate) => candidate.id === edited.id && candidate.cellText === "135"));
    assert.ok(!page.values.some((candidate) => candidate.cellText === "1"));
    assert.ok(page.history.some((candidate) => candidate.cellText === "140"));
    assert.equal(
      await count(
        db,
        `select count(*) as n from audit_events where entity_type = 'measure-value' and action = 'restate'`,
      ),
      1,
    );
  });

  test("a value or target edit is audited with what it replaced; a stale or misplaced one is refused", async () => {
    const { db } = await fresh();
    await buildMeasureGroup(db, {
      rows: [
        { code: "E1", title: "Made-up potholes filled", last: "70", current: "80", target: "90" },
        { code: "E2", title: "Made-up streets swept", last: "5", current: "6", target: "7" },
      ],
    });
    const filled = await rowFor(db, "Made-up potholes filled", MADE_UP_SOURCE.document);
    const swept = await rowFor(db, "Made-up streets swept", MADE_UP_SOURCE.document);
    const value = filled.latest;
    const target = (await measurePage(db, filled.measure.id)).targets[0]?.target;
    assert.ok(value && target);

    const newValue = await editValue(db, TEST_ACTOR, {
      measureId: filled.measure.id,
      recordId: value.id,
      version: value.version,
      text: "85",
    });
    const newTarget = await editTarget(db, TEST_ACTOR, {
      measureId: filled.measure.id,
      recordId: target.id,
      version: target.version,
      text: "95",
    });
    assert.equal(newTarget.changedFrom, "90 (edited)");
    const [valueEvent] = await listAuditEvents(db, "measure-value", newValue.id);
    assert.equal(valueEvent?.action, "restate");
    assert.equal(
      valueEvent?.summary,
      `Changed the ${value.columnHeading} value of "Made-up potholes filled" from "80" to "85"`,
    );
    const [targetEvent] = await listAuditEvents(db, "measure-target", newTarget.id);
    assert.equal(targetEvent?.action, "update");
    assert.equal(
      targetEvent?.summary,
      `Changed the ${target.periodLabel} target of "Made-up potholes filled" from "90" to "95"`,
    );

    const stale = await editTarget(db, TEST_ACTOR, {
      measureId: filled.measure.id,
      recordId: target.id,
      version: target.version,
      text: "99",
    }).catch((error: unknown) => error);
    assert.ok(stale instanceof Conflict);
    assert.equal(stale.entity, `The ${target.periodLabel} target of "Made-up potholes filled"`);
    assert.deepEqual(stale.fields, [
      { label: "Target as written", saved: "(replaced by a later target)", submitted: "99" },
    ]);
    await assert.rejects(
      editValue(db, TEST_ACTOR, {
        measureId: swept.measure.id,
        recordId: newValue.id,
        version: newValue.version,
        text: "1",
      }),
      { message: `Value ${newValue.id} could not be found.` },
    );
    await assert.rejects(
      editTarget(db, TEST_ACTOR, {
        measureId: swept.measure.id,
        recordId: newTarget.id,
        version: newTarget.version,
        text: "1",
      }),
      { message: `Target ${newTarget.id} could not be found.` },
    );
    const page = await measurePage(db, filled.measure.id);
    assert.deepEqual(
      page.targets.map((verdict) => verdict.target.targetText),
      ["95"],
      "nothing refused was saved",
    );
  });

  test("an import with a bad row saves nothing and names the row", async () => {
    const { db } = await fresh();
    await buildMeasureGroup(db, {
      rows: [{ code: "L1", title: "Made-up library visits", last: "900", current: "950", target: "1000" }],
    });
    const before = await count(db, "select count(*) as n from measure_values");
    const measuresBefore = await count(db, "select count(*) as n from measures");
    assert.ok(before > 0 && measuresBefore > 0);
    const text = [
      "Key Performance Measure\tActual\tTarget",
      "\t2019/20\t2020/21",
      "A brand new measure\t12%\t15%",
      "Another new measure\t3%\t5%\textra cell",
    ].join("\n");
    const preview = await previewImport(db, { text, document: "d", groupKind: "priority", groupTitle: "G" });
    assert.match(preview.problems[0]?.message ?? "", /Row 4 \("Another new measure"\).*"extra cell"/);
    await assert.rejects(
      saveImport(db, TEST_ACTOR, { text, document: "d", groupKind: "priority", groupTitle: "G" }),
      ValidationFailed,
    );
    assert.equal(await count(db, "select count(*) as n from measure_values"), before);
    assert.equal(await count(db, "select count(*) as n from measures"), measuresBefore);
  });
});
