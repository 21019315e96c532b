import assert from "node:assert/strict";
import { test } from "node:test";
import { sql } from "drizzle-orm";
import { readMigrations } from "../src/db/migrate.ts";
import { describeOnBothDatabases } from "./helpers/database.ts";

describeOnBothDatabases("migrations", (fresh) => {
  test("every migration is applied once and recorded", async () => {
    const { db } = await fresh();
    const migrations = await readMigrations();
    const result = await db.execute(sql.raw("select name from baseplan_migrations order by name"));
    assert.deepEqual(
      result.rows.map((row) => (row as { name: string }).name),
      migrations.map((migration) => migration.name),
    );
  });

  test("each test gets a database of its own", async () => {
    const first = await fresh();
    const second = await fresh();
    await first.db.execute(sql.raw("insert into settings (key, value) values ('isolation', '1')"));
    const seen = await second.db.execute(sql.raw("select * from settings where key = 'isolation'"));
    assert.equal(seen.rows.length, 0);
  });
});
