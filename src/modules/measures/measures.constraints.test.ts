import assert from "node:assert/strict";
import { test } from "node:test";
import { type SQL, sql } from "drizzle-orm";
import { describeOnBothDatabases } from "../../../test/helpers/database.ts";
import { type Database, queryRows } from "../../db/client.ts";
import { MEASURE_UNITS, POLARITIES } from "../../domain/measure-types.ts";

/** Runs a statement that must be refused, in a transaction rolled back either way. */
async function refused(db: Database, statement: SQL, constraint: string): Promise<void> {
  await assert.rejects(
    db.transaction(async (tx) => {
      await tx.execute(statement);
    }),
    (error: unknown) => {
      const text = `${String(error)} ${String((error as { cause?: unknown }).cause ?? "")}`;
      assert.match(text, new RegExp(constraint), text);
      return true;
    },
  );
}

describeOnBothDatabases("measures tables: the database refuses a bad row", (fresh) => {
  test("blank titles, unknown units and polarities, bad roles and kinds are refused; good rows are kept", async () => {
    const { db } = await fresh();
    await db.execute(sql`insert into measures (slug, title, unit, polarity, decimals)
                         values ('good', 'A good measure', 'percent', 'higher-is-better', 1)`);
    // Every unit and polarity in the domain's one list is accepted.
    for (const [index, unit] of MEASURE_UNITS.entries()) {
      await db.execute(
        sql`insert into measures (slug, title, unit) values (${`unit-${index}`}, 'Unit', ${unit})`,
      );
    }
    for (const [index, polarity] of POLARITIES.entries()) {
      await db.execute(
        sql`insert into measures (slug, title, polarity) values (${`polarity-${index}`}, 'Polarity', ${polarity})`,
      );
    }
    await refused(db, sql`insert into measures (slug, title) values ('blank', '  ')`, "measures_title_given");
    await refused(
      db,
      sql`insert into measures (slug, title, unit) values ('u', 'U', 'furlongs')`,
      "measures_unit_known",
    );
    await refused(
      db,
      sql`insert into measures (slug, title, polarity) values ('p', 'P', 'sideways')`,
      "measures_polarity_known",
    );
    await refused(
      db,
      sql`insert into measures (slug, title, decimals) values ('d', 'D', -1)`,
      "measures_decimals_range",
    );
    await refused(db, sql`update measures set title = '' where slug = 'good'`, "measures_title_given");
    await db.execute(
      sql`insert into measure_groups (document, kind, title) values ('plan', 'priority', 'Group')`,
    );
    await refused(
      db,
      sql`insert into measure_groups (document, kind, title) values ('', 'priority', 'Other')`,
      "measure_groups_document_given",
    );
    await refused(
      db,
      sql`insert into measure_rows (group_id, position, kind, title_as_written)
          select id, 0, 'footnote', 'Row' from measure_groups`,
      "measure_rows_kind_known",
    );
    await refused(
      db,
      sql`insert into measure_rows (group_id, position, kind, title_as_written)
          select id, 0, 'measure', 'Row' from measure_groups`,
      "measure_rows_measure_given",
    );
    await refused(
      db,
      sql`insert into measure_values (measure_id, document, column_heading, column_role, period_label, period_key, cell_text, recorded_by)
          select id, 'plan', 'Heading', 'guess', '2020/21', '2020/21', '87%', 'tester' from measures where slug = 'good'`,
      "measure_values_role_known",
    );
    await refused(
      db,
      sql`insert into measure_values (measure_id, document, column_heading, column_role, period_label, period_key, cell_text, recorded_by, current, superseded_by)
          select id, 'plan', 'Heading', 'value', '2020/21', '2020/21', '87%', 'tester', true, 1 from measures where slug = 'good'`,
      "measure_values_superseded_not_current",
    );
    await refused(
      db,
      sql`insert into measure_targets (measure_id, document, period_label, period_key, target_text, kind, recorded_by)
          select id, 'plan', '2020/21', ' ', '90%', 'threshold', 'tester' from measures where slug = 'good'`,
      "measure_targets_period_given",
    );
    const [row] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from measures`);
    assert.equal(row?.n, 1 + MEASURE_UNITS.length + POLARITIES.length);
  });
});
