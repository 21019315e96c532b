import assert from "node:assert/strict";
import { test } from "node:test";
import { sql } from "drizzle-orm";
import { everything } from "../../../test/helpers/benchmark-files.ts";
import { buildMeasureGroup } from "../../../test/helpers/builders.ts";
import { describeOnBothDatabases, TEST_ACTOR } from "../../../test/helpers/database.ts";
import { type Database, queryRows } from "../../db/client.ts";
import { ValidationFailed } from "../../errors.ts";
import { importBenchmarks } from "./benchmarks.import.ts";
import { linkPage, publishedBenchmarks, setMeasureLink } from "./benchmarks.service.ts";

async function measureTitled(db: Database, title: string): Promise<number> {
  await buildMeasureGroup(db, {
    reportingPeriod: "Q4 2023/24",
    rows: [{ code: "M-1", title, last: "19.0%", current: "20.5%", target: "top quartile" }],
  });
  const [row] = await queryRows<{ id: number }>(
    db,
    sql`select id::int as id from measures where title = ${title}`,
  );
  assert.ok(row);
  return row.id;
}

function refusedWith(pattern: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof ValidationFailed);
    assert.match(error.errors.map((e) => e.message).join(" "), pattern);
    return true;
  };
}

describeOnBothDatabases("benchmarks: linking a council's measure to a Department measure", (fresh) => {
  test("link, change and remove: version-checked, audited, and read by the target judgements", async () => {
    const { db } = await fresh();
    assert.ok((await importBenchmarks(db, TEST_ACTOR, everything)).ok);
    const id = await measureTitled(db, "Widgets the council mended");

    const opened = await linkPage(db, id, "widgets");
    assert.equal(opened.linked, null);
    assert.equal(opened.version, 0);
    assert.deepEqual(
      opened.choices.map((m) => m.code),
      ["WIDG"],
    );
    assert.equal((await publishedBenchmarks(db, [id])).size, 0);

    await assert.rejects(
      setMeasureLink(db, TEST_ACTOR, id, { code: "NOPE", version: 0 }),
      refusedWith(/no Department measure with LAIT code NOPE/),
    );
    await assert.rejects(
      setMeasureLink(db, TEST_ACTOR, id, { code: null, version: 0 }),
      refusedWith(/not linked/),
    );
    await setMeasureLink(db, TEST_ACTOR, id, { code: "WIDG", version: 0 });
    assert.equal((await publishedBenchmarks(db, [id])).get(id)?.title, "Widgets mended");

    // A second form opened before the link was made is refused, not applied over it.
    await assert.rejects(
      setMeasureLink(db, TEST_ACTOR, id, { code: "WAIT", version: 0 }),
      refusedWith(/Someone else changed/),
    );
    const linked = await linkPage(db, id, "");
    assert.equal(linked.linked?.code, "WIDG");
    assert.equal(linked.version, 1);
    assert.equal(linked.matched, 4);

    await setMeasureLink(db, TEST_ACTOR, id, { code: null, version: 1 });
    assert.equal((await publishedBenchmarks(db, [id])).size, 0);
    const removed = await linkPage(db, id, "");
    assert.equal(removed.linked, null);
    assert.equal(removed.version, 2);
    // The form opened while it was linked is out of date now, though the measure has no link again.
    await assert.rejects(
      setMeasureLink(db, TEST_ACTOR, id, { code: "WAIT", version: 1 }),
      refusedWith(/Someone else changed/),
    );
    await setMeasureLink(db, TEST_ACTOR, id, { code: "WAIT", version: 2 });
    assert.equal((await linkPage(db, id, "")).linked?.code, "WAIT");

    const events = await queryRows<{ summary: string; record_kind: string; record_id: string }>(
      db,
      sql`select summary, record_kind, record_id from audit_events
        where entity_type = 'measure-benchmark-link' order by id`,
    );
    assert.deepEqual(
      events.map((e) => [e.summary, e.record_kind, e.record_id]),
      [
        [
          'Linked "Widgets the council mended" to the Department\'s measure WIDG: Widgets mended',
          "measure",
          String(id),
        ],
        [
          'Removed the link from "Widgets the council mended" to the Department\'s measure WIDG',
          "measure",
          String(id),
        ],
        [
          'Linked "Widgets the council mended" to the Department\'s measure WAIT: Waiting days',
          "measure",
          String(id),
        ],
      ],
    );
  });
});
