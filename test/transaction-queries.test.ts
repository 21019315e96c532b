import assert from "node:assert/strict";
import { test } from "node:test";
import { sql } from "drizzle-orm";
import { queryRows } from "../src/db/client.ts";
import { describeOnBothDatabases } from "./helpers/database.ts";

// Before any other test in this process: node-postgres prints its deprecation once per process.
const warnings: string[] = [];
process.on("warning", (warning) => warnings.push(warning.message));

describeOnBothDatabases("several reads at once inside one transaction", (fresh) => {
  test("run one after another on the transaction's client, with no deprecation warning", async () => {
    const database = await fresh();
    const results = await database.db.transaction(async (tx) => {
      await tx.execute(sql`create temporary table seen (n int) on commit drop`);
      return Promise.all(
        [1, 2, 3, 4, 5].map(async (n) => {
          // The slow first read would be overtaken if the queries ran side by side.
          await tx.execute(sql`select pg_sleep(${n === 1 ? 0.05 : 0})`);
          await tx.execute(sql`insert into seen values (${n})`);
          return queryRows<{ n: number }>(tx, sql`select count(*)::int as n from seen`);
        }),
      );
    });
    assert.equal(results.length, 5);
    assert.equal(results.at(-1)?.[0]?.n, 5);
    // A failing query does not stop the ones queued after it outside the transaction.
    await assert.rejects(database.db.transaction(async (tx) => tx.execute(sql`select 1/0`)));
    assert.equal((await queryRows<{ one: number }>(database.db, sql`select 1 as one`))[0]?.one, 1);
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(
      warnings.filter((message) => /already executing a query/.test(message)),
      [],
    );
  });
});
