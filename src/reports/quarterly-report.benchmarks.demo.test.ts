import "../demo/loaders.ts";
import assert from "node:assert/strict";
import { test } from "node:test";
import { describeOnBothDatabases, TEST_ACTOR } from "../../test/helpers/database.ts";
import { demoBenchmarkExtract } from "../../test/helpers/lait-extract.ts";
import { loadDemoBenchmarks } from "../modules/benchmarks/benchmarks.demo.ts";
import { buildQuarterlyReport } from "./quarterly-report.ts";

/** Every text in a report model, by its path. */
function leaves(value: unknown, path = "", out = new Map<string, string>()): Map<string, string> {
  if (value === null || typeof value !== "object") out.set(path, String(value));
  else for (const [key, inner] of Object.entries(value)) leaves(inner, `${path}/${key}`, out);
  return out;
}

describeOnBothDatabases("quarterly report: measures judged against the Department's figures", (fresh) => {
  test("loading the Department's figures leaves the quarter 3 report's figures as they were", async () => {
    // The report rates what the council printed; none of the quarter's measures sets a benchmark
    // target, so no rating, count, cell or note may move when the Department's figures arrive.
    const { db } = await fresh({ demo: true });
    const before = leaves(await buildQuarterlyReport(db, { year: "2020/21", quarter: 3 }));
    assert.equal(await loadDemoBenchmarks(db, TEST_ACTOR, await demoBenchmarkExtract()), true);
    const after = leaves(await buildQuarterlyReport(db, { year: "2020/21", quarter: 3 }));
    assert.ok(before.size > 500, `${before.size} texts`);
    assert.deepEqual([...after], [...before]);
  });
});
