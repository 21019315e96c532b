import assert from "node:assert/strict";
import { test } from "node:test";
import { sql } from "drizzle-orm";
import {
  buildCouncil,
  buildMeasure,
  buildMonitoringYear,
  buildOpenQuarter,
} from "../../../test/helpers/builders.ts";
import { describeOnBothDatabases, TEST_ACTOR } from "../../../test/helpers/database.ts";
import { formSession } from "../../../test/helpers/forms.ts";
import { loadConfig } from "../../config.ts";
import { type Database, queryRows } from "../../db/client.ts";
import { monitoringPeriod } from "../../domain/periods.ts";
import { Conflict, ValidationFailed } from "../../errors.ts";
import { createServices } from "../../services.ts";
import { createApp } from "../../web/app.ts";
import { periodSections, requireOpenPeriod } from "../periods/periods.service.ts";
import { measurePage, type PeriodValueInput, recordPeriodValue } from "./measures.service.ts";

const Q1 = monitoringPeriod(2030, "quarter", 1);
const Q2 = monitoringPeriod(2030, "quarter", 2);
const Q3 = monitoringPeriod(2030, "quarter", 3);

/** A council monitoring 2030/31 quarterly with quarters 1 and 2 open, and one quarterly measure. */
async function setUp(db: Database) {
  await buildCouncil(db);
  await buildMonitoringYear(db, 2030);
  await buildOpenQuarter(db, 2030, 1);
  await buildOpenQuarter(db, 2030, 2);
  const measure = await buildMeasure(db, {
    title: "Children seen within a week",
    unit: "percent",
    decimals: 1,
    polarity: "higher-is-better",
    frequency: "quarterly",
  });
  const record = (
    input: Omit<PeriodValueInput, "measureId" | "status" | "notes"> & Partial<PeriodValueInput>,
  ) =>
    recordPeriodValue(
      db,
      TEST_ACTOR,
      { measureId: measure.id, status: "final", notes: null, ...input },
      requireOpenPeriod,
    );
  return { measure, record };
}

async function valueRows(db: Database, measureId: number) {
  return queryRows<{
    id: string;
    cell_text: string;
    current: boolean;
    superseded_by: string | null;
    notes: string | null;
  }>(
    db,
    sql`select id::text, cell_text, current, superseded_by::text, notes from measure_values
        where measure_id = ${measureId} order by id`,
  );
}

describeOnBothDatabases("measures: a value entered for a monitoring period", (fresh) => {
  test("a value is added with its status and notes, and a second one for the period restates it, history kept", async () => {
    const { db } = await fresh();
    const { measure, record } = await setUp(db);
    const first = await record({
      period: Q1,
      text: "72.5%",
      status: "provisional",
      notes: "Two teams late",
      replacing: null,
    });
    assert.equal(first.amount, "72.5");
    assert.equal(first.periodKey, "Q1 2030/31");
    assert.equal(first.notes, "Two teams late");
    assert.ok(first.annotations.includes("Provisional"));
    const second = await record({
      period: Q1,
      text: "74.1%",
      replacing: { id: first.id, version: first.version },
    });
    const rows = await valueRows(db, measure.id);
    assert.deepEqual(
      rows.map((row) => [row.cell_text, row.current, row.superseded_by]),
      [
        ["72.5%", false, String(second.id)],
        ["74.1%", true, null],
      ],
    );
    const page = await measurePage(db, measure.id);
    assert.deepEqual(
      page.values.map((value) => value.cellText),
      ["74.1%"],
    );
    assert.deepEqual(
      page.history.map((value) => value.cellText),
      ["72.5%"],
    );
    const audits = await queryRows<{ action: string; summary: string }>(
      db,
      sql`select action, summary from audit_events where entity_type = 'measure-value' order by id`,
    );
    assert.deepEqual(
      audits.map((audit) => audit.action),
      ["create", "restate"],
    );
    assert.match(audits[1]?.summary ?? "", /from "72.5%" to "74.1%"/);
  });

  test("a stale form, words that are not a figure and a period not open are refused, nothing saved", async () => {
    const { db } = await fresh();
    const { measure, record } = await setUp(db);
    const first = await record({ period: Q1, text: "72.5%", replacing: null });
    // Opened before the first value was saved: it thinks there is none.
    await assert.rejects(record({ period: Q1, text: "70%", replacing: null }), Conflict);
    // Opened on the value's earlier version.
    await assert.rejects(
      record({ period: Q1, text: "70%", replacing: { id: first.id, version: first.version + 1 } }),
      Conflict,
    );
    await assert.rejects(
      record({ period: Q2, text: "about three quarters", replacing: null }),
      (error: unknown) => {
        assert.ok(error instanceof ValidationFailed);
        assert.equal(error.errors[0]?.field, "value");
        assert.match(error.errors[0]?.message ?? "", /"about three quarters" is not a figure/);
        return true;
      },
    );
    await assert.rejects(record({ period: Q3, text: "75%", replacing: null }), /not been opened/);
    assert.deepEqual(
      (await valueRows(db, measure.id)).map((row) => [row.cell_text, row.current]),
      [["72.5%", true]],
    );
  });

  test("the trend shows every period in date order, and the period page counts measures with a value", async () => {
    const { db } = await fresh();
    const { measure, record } = await setUp(db);
    await buildMeasure(db, { title: "Annual measure", frequency: "annual" });
    const measuresOf = async (period: typeof Q1) =>
      (await periodSections(db, period)).find((section) => section.key === "measures");
    assert.deepEqual(
      { done: (await measuresOf(Q2))?.done, total: (await measuresOf(Q2))?.total },
      { done: 0, total: 1 },
    );
    await record({ period: Q2, text: "75%", replacing: null });
    await record({ period: Q1, text: "N/Av", replacing: null });
    const page = await measurePage(db, measure.id);
    assert.deepEqual(
      page.values.map((value) => value.periodLabel),
      ["Quarter 1 2030/31", "Quarter 2 2030/31"],
    );
    const section = await measuresOf(Q2);
    assert.deepEqual({ done: section?.done, total: section?.total }, { done: 1, total: 1 });
    assert.equal((await measuresOf(Q1))?.done, 1);
  });
});

describeOnBothDatabases("measures: the period value form", (fresh) => {
  test("400 with the error summary, 303 with a banner, 409 when stale, and a page for a period not open", async () => {
    const database = await fresh();
    const { measure } = await setUp(database.db);
    const app = await createApp(createServices(database.db, loadConfig({ NODE_ENV: "test" })));
    try {
      const measurePageResponse = await app.inject(`/measures/${measure.id}`);
      assert.match(measurePageResponse.body, /Add the Quarter 1 2030\/31 value/);
      const url = `/measures/${measure.id}/values/new`;
      const { token, cookie } = await formSession(app, `${url}?period=2030-31-q1`);
      const post = (payload: Record<string, string>) =>
        app.inject({
          method: "POST",
          url,
          headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
          payload: new URLSearchParams({ _csrf: token ?? "", period: "2030-31-q1", ...payload }).toString(),
        });
      const bad = await post({ value: "lots", status: "final", replacing: "none", version: "1" });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /<title>Error: /);
      assert.match(bad.body, /href="#value">&quot;lots&quot; is not a figure/);
      const noStatus = await post({ value: "70%", replacing: "none", version: "1" });
      assert.equal(noStatus.statusCode, 400);
      assert.match(noStatus.body, /href="#status">Choose whether the value is final or provisional/);
      const saved = await post({
        value: "70%",
        status: "final",
        notes: "First entry",
        replacing: "none",
        version: "1",
      });
      assert.equal(saved.statusCode, 303);
      assert.equal(saved.headers.location, `/measures/${measure.id}`);
      const shown = await app.inject({
        url: `/measures/${measure.id}`,
        headers: { cookie: saved.headers["set-cookie"] as string },
      });
      assert.match(shown.body, /Entered for Quarter 1 2030\/31/);
      assert.match(shown.body, /Notes: First entry/);
      const stale = await post({ value: "71%", status: "final", replacing: "none", version: "1" });
      assert.equal(stale.statusCode, 409);
      const closed = await app.inject(`${url}?period=2030-31-q3`);
      assert.equal(closed.statusCode, 400);
      assert.match(closed.body, /Quarter 3 2030\/31 is not open for entry/);
      assert.match(closed.body, /href="\/periods\/2030-31\/q3"/);
      assert.equal((await valueRows(database.db, measure.id)).length, 1);
    } finally {
      await app.close();
    }
  });
});
