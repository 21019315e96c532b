import assert from "node:assert/strict";
import { test } from "node:test";
import { sql } from "drizzle-orm";
import { connect, queryRows } from "../src/db/client.ts";
import { migrate, readMigrations } from "../src/db/migrate.ts";

/**
 * Migration 0016 gives events written before it the record whose page shows them and the period
 * they belong to, from their own data; then the trail is append-only.
 */
test("events written before migration 0016 are given their record and period", async () => {
  const connection = await connect({});
  try {
    const { db } = connection;
    const migrations = await readMigrations();
    await migrate(
      db,
      migrations.filter((migration) => migration.name < "0016"),
    );
    await db.execute(sql`insert into financial_years (code, label) values ('2031-32', '2031/32')`);
    const [line] = await queryRows<{ id: number }>(
      db,
      sql`insert into monitoring_lines (financial_year_id, portfolio, name, position)
          select id, 'Place', 'Waste collection', 1 from financial_years returning id`,
    );
    const [forecast] = await queryRows<{ id: number }>(
      db,
      sql`insert into monitoring_forecasts (line_id, quarter, controllable_budget_pence, forecast_outturn_pence)
          values (${line?.id}, 2, 100, 120) returning id`,
    );
    const event = (type: string, id: string, after: unknown) =>
      db.execute(
        sql`insert into audit_events (actor, action, entity_type, entity_id, summary, after)
            values ('someone', 'update', ${type}, ${id}, 'made up', ${JSON.stringify(after)}::jsonb)`,
      );
    await event("measure-value", "901", { measureId: 42, cellText: "12" });
    await event("deliverable-progress", "7", { financialYear: "2031/32", quarter: 3 });
    await event("monitoring-forecast", String(forecast?.id), { forecastOutturnPence: 120 });
    await event("monitoring-period", "2031-32-q1", { status: "open" });
    await event("planned-procurement", "pp-1", { title: "Courier" });

    await migrate(db, migrations);
    const rows = await queryRows<{
      entity_type: string;
      record_kind: string;
      record_id: string;
      period: string | null;
    }>(db, sql`select entity_type, record_kind, record_id, period from audit_events order by id`);
    assert.deepEqual(rows, [
      { entity_type: "measure-value", record_kind: "measure", record_id: "42", period: null },
      {
        entity_type: "deliverable-progress",
        record_kind: "deliverable",
        record_id: "7",
        period: "2031-32-q3",
      },
      {
        entity_type: "monitoring-forecast",
        record_kind: "budget-line",
        record_id: String(line?.id),
        period: "2031-32-q2",
      },
      {
        entity_type: "monitoring-period",
        record_kind: "monitoring-period",
        record_id: "2031-32-q1",
        period: "2031-32-q1",
      },
      {
        entity_type: "planned-procurement",
        record_kind: "planned-procurement",
        record_id: "pp-1",
        period: null,
      },
    ]);
    await assert.rejects(db.execute(sql`update audit_events set record_id = '1'`));
  } finally {
    await connection.close();
  }
});
