import assert from "node:assert/strict";
import { test } from "node:test";
import { sql } from "drizzle-orm";
import { queryRows } from "../src/db/client.ts";
import { MAX_AMOUNT_PENCE } from "../src/domain/money.ts";
import { testApp } from "./helpers/app.ts";
import { describeOnBothDatabases } from "./helpers/database.ts";

/**
 * Every money column set to the largest amount Baseplan accepts (and to its negative where the
 * column may be negative): every page that adds amounts up must still answer. Before the
 * maximum existed an amount near 2^53 pence made the dashboard, the reports, /procurement, the
 * budget pages and the pipeline JSON answer 500 for everyone.
 */
describeOnBothDatabases("the largest allowed amount in every money field", (fresh) => {
  for (const sign of [1, -1] as const) {
    test(`${sign > 0 ? "positive" : "negative"}: the pages that add amounts up still answer`, async () => {
      const database = await fresh({ demo: true });
      const columns = await queryRows<{ table_name: string; column_name: string }>(
        database.db,
        sql`select table_name, column_name from information_schema.columns
            where table_schema = 'public' and column_name like '%pence' order by 1, 2`,
      );
      assert.ok(columns.length >= 20, `money columns found: ${columns.length}`);
      for (const { table_name: table, column_name: column } of columns) {
        // A column that refuses negative amounts keeps the positive maximum.
        await database.db.transaction(async (tx) => {
          await tx.execute(sql.raw(`savepoint amount`));
          try {
            await tx.execute(
              sql.raw(
                `update "${table}" set "${column}" = ${sign * MAX_AMOUNT_PENCE} where "${column}" is not null`,
              ),
            );
          } catch {
            await tx.execute(sql.raw(`rollback to savepoint amount`));
            await tx.execute(
              sql.raw(
                `update "${table}" set "${column}" = ${MAX_AMOUNT_PENCE} where "${column}" is not null`,
              ),
            );
          }
        });
      }
      const app = await testApp(database.db);
      const seen = new Set<string>();
      const queue = [
        "/",
        "/budget",
        "/procurement",
        "/procurement/pipeline",
        "/procurement/thresholds",
        "/reports",
      ];
      const years = await queryRows<{ year: number }>(
        database.db,
        sql`select distinct extract(year from estimated_start_date - interval '3 months')::int as year
            from planned_procurements`,
      );
      for (const { year } of years)
        queue.push(`/procurement/pipeline?year=${year}`, `/procurement/pipeline/${year}.json`);
      const failures: string[] = [];
      while (queue.length > 0) {
        const url = queue.shift() as string;
        if (seen.has(url)) continue;
        seen.add(url);
        const response = await app.inject(url);
        if (response.statusCode !== 200) failures.push(`${url} ${response.statusCode}`);
        if (!String(response.headers["content-type"]).startsWith("text/html")) continue;
        for (const [, href] of response.body.matchAll(
          /href="(\/(?:budget|procurement|reports)[^"#?]*|\/procurement\/pipeline\?year=\d+)"/g,
        )) {
          const path = href as string;
          // PDF is the HTML report printed by Chromium; one page of each kind is enough.
          if (path.endsWith(".pdf") || /\/(edit|new)$/.test(path)) continue;
          if (
            /^\/procurement\/[^/]+$/.test(path) &&
            [...seen].filter((url) => url.startsWith("/procurement/") && !url.includes(".")).length > 4
          )
            continue;
          if (!seen.has(path)) queue.push(path);
        }
      }
      assert.ok(seen.has("/budget") && [...seen].some((url) => url.endsWith(".json")), [...seen].join("\n"));
      assert.ok(
        [...seen].some((url) => url.endsWith(".docx")) && [...seen].some((url) => url.endsWith(".xlsx")),
      );
      assert.deepEqual(failures, [], `of ${seen.size} addresses`);
      await app.close();
    });
  }
});
