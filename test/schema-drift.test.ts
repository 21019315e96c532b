import assert from "node:assert/strict";
import { test } from "node:test";
import { is, sql } from "drizzle-orm";
import { getTableConfig, type PgTable, PgTable as PgTableClass } from "drizzle-orm/pg-core";
import { queryRows } from "../src/db/client.ts";
import * as schema from "../src/db/schema/index.ts";
import { describeOnBothDatabases } from "./helpers/database.ts";

// Migrations are hand-written SQL (docs/decisions/0002); this keeps them and the Drizzle tables
// the queries are typed by in step.
const tables: PgTable[] = Object.values(schema).filter((value) => is(value, PgTableClass));

describeOnBothDatabases("the Drizzle schema matches the migrated database", (fresh) => {
  test("every table and column exists with the same nullability", async () => {
    const { db } = await fresh();
    const rows = await queryRows<{ table_name: string; column_name: string; is_nullable: string }>(
      db,
      sql.raw(
        "select table_name, column_name, is_nullable from information_schema.columns where table_schema = 'public'",
      ),
    );
    const columns = new Map(
      rows.map((row) => [`${row.table_name}.${row.column_name}`, row.is_nullable === "YES"]),
    );
    const problems: string[] = [];
    for (const table of tables) {
      const config = getTableConfig(table);
      for (const column of config.columns) {
        const key = `${config.name}.${column.name}`;
        const nullable = columns.get(key);
        if (nullable === undefined) problems.push(`${key} is in the Drizzle schema but not in the database`);
        else if (nullable === column.notNull) {
          problems.push(
            `${key} is ${column.notNull ? "not null" : "nullable"} in Drizzle but not in the database`,
          );
        }
      }
    }
    assert.deepEqual(problems, []);
    assert.ok(tables.length >= 2);
  });
});
