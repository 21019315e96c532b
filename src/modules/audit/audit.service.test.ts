// Loaders first: test/helpers imports load-demo.ts, whose loaders import it back.
import "../../demo/loaders.ts";
import assert from "node:assert/strict";
import { test } from "node:test";
import { sql } from "drizzle-orm";
import { buildBudgetMonitoring, buildCouncil, buildProcurement } from "../../../test/helpers/builders.ts";
import { describeOnBothDatabases, TEST_ACTOR } from "../../../test/helpers/database.ts";
import { queryRows } from "../../db/client.ts";
import { validForm } from "../../web/forms.ts";
import { forecastEditSchema } from "../finance/finance.schemas.ts";
import { forecastOutturnReport, updateForecast } from "../finance/finance.service.ts";
import { procurementFormSchema } from "../procurement/procurement.schemas.ts";
import { getProcurement, updateProcurement } from "../procurement/procurement.service.ts";
import {
  AUDIT_PAGE_SIZE,
  auditCsv,
  auditFilterChoices,
  auditTrail,
  recordAuditEvent,
  recordHistory,
} from "./audit.service.ts";

/** The database's refusal, whichever wrapper the driver puts round it. */
function appendOnly(error: unknown): boolean {
  const cause = (error as { cause?: { message?: string } }).cause;
  assert.match(`${(error as Error).message} ${cause?.message ?? ""}`, /The audit trail is append-only/);
  return true;
}

const OTHER = "someone.else@made-up-council.example";

async function auditCount(db: Parameters<typeof auditTrail>[0]): Promise<number> {
  const [row] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from audit_events`);
  return row?.n ?? 0;
}

describeOnBothDatabases("the audit trail as a reader sees it", (fresh) => {
  test("a record's history lists its own events in words, money in pounds and pence", async () => {
    const { db } = await fresh();
    const created = await buildProcurement(db, { title: "Library courier", estimatedValue: "£90,000.50" });
    const other = await buildProcurement(db, { title: "Street lighting" });
    const entry = await getProcurement(db, created.id);
    const form = validForm(procurementFormSchema, {
      title: "Library courier",
      estimatedValue: "£95,000.25",
      estimatedStartDate: "2031-02-01",
      category: "services",
      department: "Place",
      status: "planned",
    });
    await updateProcurement(db, OTHER, created.id, entry.record.version, form);

    const history = await recordHistory(db, "planned-procurement", created.id);
    assert.equal(history.total, 2);
    assert.equal(history.moreHref, null);
    const [changed, added] = history.entries;
    assert.equal(changed?.actor, OTHER);
    assert.equal(changed?.action, "Changed");
    assert.equal(changed?.recordHref, `/procurement/${created.id}`);
    assert.deepEqual(
      changed?.changes.find((change) => change.field === "Estimated value"),
      { field: "Estimated value", before: "£90,000.50", after: "£95,000.25" },
    );
    assert.deepEqual(
      changed?.changes.find((change) => change.field === "Estimated start date"),
      { field: "Estimated start date", before: "1 June 2030", after: "1 February 2031" },
    );
    assert.equal(added?.action, "Added");
    assert.ok(history.entries.every((item) => item.recordId === created.id));
    assert.equal((await recordHistory(db, "planned-procurement", other.id)).total, 1);
  });

  test("a budget line's forecast changes are its history, with the quarter they belong to", async () => {
    const { db } = await fresh();
    await buildCouncil(db);
    await buildBudgetMonitoring(db, {
      startYear: 2031,
      quarter: 2,
      lines: [
        { name: "Waste collection", budget: 1_000_000_00, forecast: 1_050_000_00 },
        { name: "Parks", budget: 300_000_00, forecast: 290_000_00 },
      ],
    });
    const report = await forecastOutturnReport(db, "2031-32", 2);
    const line = (report.lines ?? []).find((candidate) => candidate.name === "Waste collection");
    assert.ok(line);
    await updateForecast(db, TEST_ACTOR, {
      lineId: line.lineId,
      quarter: 2,
      edit: validForm(forecastEditSchema, {
        controllableBudget: "£1,000,000",
        forecastOutturn: "£1,062,500.07",
        version: String(line.version),
      }),
    });
    const history = await recordHistory(db, "budget-line", line.lineId);
    assert.equal(history.total, 1);
    assert.equal(history.entries[0]?.period, "Quarter 2 2031/32");
    assert.equal(history.entries[0]?.recordHref, `/budget/lines/${line.lineId}`);
    assert.deepEqual(history.entries[0]?.changes, [
      { field: "Forecast outturn", before: "£1,050,000.00", after: "£1,062,500.07" },
    ]);
    const byPeriod = await auditTrail(db, { period: "2031-32-q2" }, 1);
    assert.equal(byPeriod.total, 1);
    assert.equal((await auditTrail(db, { period: "2031-32-q3" }, 1)).total, 0);
    const choices = await auditFilterChoices(db);
    assert.ok(
      choices.periods.some((period) => period.value === "2031-32-q2" && period.text === "Quarter 2 2031/32"),
    );
    assert.ok(choices.kinds.some((kind) => kind.value === "budget-line" && kind.text === "Budget line"));
  });

  test("filters by person, kind and date; pages are bounded; the CSV holds the same list", async () => {
    const { db } = await fresh();
    await db.transaction(async (tx) => {
      for (let n = 1; n <= AUDIT_PAGE_SIZE + 5; n += 1) {
        await recordAuditEvent(tx, {
          actor: n % 5 === 0 ? OTHER : TEST_ACTOR,
          action: "update",
          entityType: "made-up-record",
          entityId: n,
          summary: `Change number ${n}`,
          before: { amountPence: n * 100 },
          after: { amountPence: n * 100 + 1 },
        });
      }
    });
    const all = await auditTrail(db, {}, 1);
    assert.equal(all.total, AUDIT_PAGE_SIZE + 5);
    assert.equal(all.entries.length, AUDIT_PAGE_SIZE);
    assert.equal(all.pages, 2);
    const second = await auditTrail(db, {}, 2);
    assert.equal(second.entries.length, 5);
    assert.equal(second.entries.at(-1)?.summary, "Change number 1");
    assert.equal(all.entries[0]?.summary, `Change number ${AUDIT_PAGE_SIZE + 5}`);

    const theirs = await auditTrail(db, { actor: OTHER }, 1);
    assert.equal(theirs.total, 11);
    assert.ok(theirs.entries.every((entry) => entry.actor === OTHER));
    assert.equal((await auditTrail(db, { recordKind: "made-up-record", recordId: "7" }, 1)).total, 1);
    assert.equal((await auditTrail(db, { recordKind: "measure" }, 1)).total, 0);

    const today = new Date().toLocaleDateString("en-CA", { timeZone: "Europe/London" });
    assert.equal((await auditTrail(db, { from: today, to: today }, 1)).total, AUDIT_PAGE_SIZE + 5);
    assert.equal((await auditTrail(db, { from: "2999-01-01" }, 1)).total, 0);
    assert.equal((await auditTrail(db, { to: "2000-01-01" }, 1)).total, 0);

    const csv = await auditCsv(db, { actor: OTHER });
    const lines = csv.trim().split("\r\n");
    assert.equal(lines.length, 12);
    assert.match(
      lines[0] ?? "",
      /^When \(UTC\),Who,What was done,Record kind,Record,Period,Summary,What changed$/,
    );
    assert.match(lines[1] ?? "", /Change number 55,Amount: from £55\.00 to £55\.01$/);
  });

  test("the trail is append-only: an update and a delete are refused and nothing changes", async () => {
    const { db } = await fresh();
    await buildProcurement(db, { title: "Bridge inspection" });
    const before = await queryRows<{ id: number; summary: string; actor: string }>(
      db,
      sql`select id, summary, actor from audit_events order by id`,
    );
    assert.ok(before.length > 0);
    await assert.rejects(
      db.execute(sql`update audit_events set summary = 'rewritten', actor = 'nobody'`),
      appendOnly,
    );
    await assert.rejects(db.execute(sql`delete from audit_events`), appendOnly);
    await assert.rejects(
      db.transaction(async (tx) => {
        await tx.execute(sql`delete from audit_events where id = ${before[0]?.id ?? 0}`);
      }),
      appendOnly,
    );
    const after = await queryRows<{ id: number; summary: string; actor: string }>(
      db,
      sql`select id, summary, actor from audit_events order by id`,
    );
    assert.deepEqual(after, before);
    assert.equal(await auditCount(db), before.length);
  });
});
