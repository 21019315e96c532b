import assert from "node:assert/strict";
import { test } from "node:test";
import { testApp } from "../../../test/helpers/app.ts";
import {
  buildBudgetMonitoring,
  buildCouncil,
  buildMonitoringYear,
  buildOpenQuarter,
} from "../../../test/helpers/builders.ts";
import { describeOnBothDatabases, TEST_ACTOR } from "../../../test/helpers/database.ts";
import { monitoringPeriod } from "../../domain/periods.ts";
import { findPeriod, publishPeriod } from "../periods/periods.service.ts";

// /reports marks the period the dashboard and /budget show by default, and says why: made-up data.

const shownText = (body: string) =>
  /data-testid="default-period">([\s\S]*?)<\/p>/
    .exec(body)?.[1]
    ?.replace(/<[^>]+>/g, "")
    .replace(/\s+/g, " ")
    .trim();
const marked = (body: string) =>
  [...body.matchAll(/data-testid="default-report">\s*<h3[^>]*><a[^>]*>([^<]+)<\/a>/g)].map(
    (match) => match[1],
  );

describeOnBothDatabases("the reports list's default period", (fresh) => {
  test("the latest with budget monitoring until one is published, then the latest published", async () => {
    const { db } = await fresh();
    await buildCouncil(db, { departmentName: "Libraries", plan: { fromYear: 2044, toYear: 2047 } });
    await buildMonitoringYear(db, 2045);
    for (const quarter of [1, 2, 3]) await buildOpenQuarter(db, 2045, quarter);
    for (const quarter of [1, 2]) {
      await buildBudgetMonitoring(db, {
        startYear: 2045,
        quarter,
        portfolio: "Libraries",
        lines: [{ name: "Branches", budget: 1_000_000_00, forecast: 1_010_000_00 }],
      });
    }
    const app = await testApp(db);

    const before = await app.inject("/reports");
    assert.equal(before.statusCode, 200);
    assert.equal(
      shownText(before.body),
      "The dashboard and the budget pages show Quarter 2 2045/46 unless you choose another period: the latest period with budget monitoring, as no period is published yet.",
    );
    assert.deepEqual(marked(before.body), ["Performance and budget monitoring, quarter 2 2045/46"]);

    const q1 = monitoringPeriod(2045, "quarter", 1);
    const state = await findPeriod(db, q1);
    await publishPeriod(db, TEST_ACTOR, { period: q1, version: state?.version ?? 0, confirmMissing: true });
    const after = await app.inject("/reports");
    assert.equal(
      shownText(after.body),
      "The dashboard and the budget pages show Quarter 1 2045/46 unless you choose another period: the latest period published.",
    );
    assert.deepEqual(marked(after.body), ["Performance and budget monitoring, quarter 1 2045/46"]);
    assert.match(after.body, /Shown by default/);
    await app.close();
  });
});
