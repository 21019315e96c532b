import assert from "node:assert/strict";
import { test } from "node:test";
import { sql } from "drizzle-orm";
import { queryRows } from "../src/db/client.ts";
import { migrate, REWORDED_MIGRATIONS, readMigrations } from "../src/db/migrate.ts";
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

  test("a database migrated before a comment was reworded still starts; a changed statement is refused", async () => {
    const { db } = await fresh();
    const migrations = await readMigrations();
    const record = (name: string, checksum: string) =>
      db.execute(sql`update baseplan_migrations set checksum = ${checksum} where name = ${name}`);
    for (const [name, { before }] of Object.entries(REWORDED_MIGRATIONS)) {
      const migration = migrations.find((candidate) => candidate.name === name);
      assert.ok(migration, name);
      assert.notEqual(migration.checksum, before, `${name} was reworded`);
      await record(name, before);
    }
    assert.deepEqual(await migrate(db, migrations), []);

    const [name] = Object.keys(REWORDED_MIGRATIONS);
    assert.ok(name);
    const statementChanged = migrations.map((migration) =>
      migration.name === name
        ? { ...migration, checksum: "changed", statementsChecksum: "changed statements" }
        : migration,
    );
    await assert.rejects(migrate(db, statementChanged), /has changed since it was applied/);
    await record(name, "an unknown checksum");
    await assert.rejects(migrate(db, migrations), /has changed since it was applied/);
  });

  test("each test gets a database of its own", async () => {
    const first = await fresh();
    const second = await fresh();
    await first.db.execute(sql.raw("insert into settings (key, value) values ('isolation', '1')"));
    const seen = await queryRows(second.db, sql.raw("select * from settings where key = 'isolation'"));
    assert.equal(seen.length, 0);
  });
});
