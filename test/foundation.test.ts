import assert from "node:assert/strict";
import { test } from "node:test";
import { sql } from "drizzle-orm";
import { queryRows } from "../src/db/client.ts";
import { readMigrations } from "../src/db/migrate.ts";
import { describeOnBothDatabases } from "./helpers/database.ts";

describeOnBothDatabases("migrations", (fresh) => {
  test("every migration is applied once and recorded", async () => {
    const { db } = await fresh();
    const migrations = await readMigrations();
    const rows = await queryRows<{ name: string }>(
      db,
      sql.raw("select name from baseplan_migrations order by name"),
    );
    assert.deepEqual(
      rows.map((row) => row.name),
      migrations.map((migration) => migration.name),
    );
  });

  test("each test gets a database of its own", async () => {
    const first = await fresh();
    const second = await fresh();
    await first.db.execute(sql.raw("insert into settings (key, value) values ('isolation', '1')"));
    const seen = await queryRows(second.db, sql.raw("select * from settings where key = 'isolation'"));
    assert.equal(seen.length, 0);
  });
});
