import assert from "node:assert/strict";
import { test } from "node:test";
import { count, type SQL } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import type { Database } from "../src/db/client.ts";
import {
  approvedBudgetCells,
  auditEvents,
  benchmarkValues,
  debtProfile,
  deliverableProgress,
  earmarkedReserveBalances,
  financialRisks,
  growthItems,
  measureTargets,
  measureValues,
  monitoringForecasts,
  monitoringPeriods,
  plannedProcurements,
  savingsInitiatives,
  settings,
  strategicObjectives,
} from "../src/db/schema/index.ts";
import {
  buildApprovedBudget,
  buildBenchmarks,
  buildBudgetMonitoring,
  buildCouncil,
  buildDebt,
  buildFinancialRisks,
  buildGrowth,
  buildMeasure,
  buildMeasureGroup,
  buildMonitoringYear,
  buildOpenQuarter,
  buildProcurement,
  buildReserves,
  buildSavings,
  buildSetting,
  idOf,
} from "./helpers/builders.ts";
import { describeOnBothDatabases } from "./helpers/database.ts";

async function rows(db: Database, table: PgTable, where?: SQL): Promise<number> {
  const [row] = await db.select({ n: count() }).from(table).where(where);
  return row?.n ?? 0;
}

describeOnBothDatabases("test-data builders", (fresh) => {
  test("each builder writes only the rows asked for, through its audited service", async () => {
    const { db } = await fresh();
    const built = await buildCouncil(db, {
      yearStartMonth: 1,
      objectives: [{ title: "Cleaner streets", activities: ["Buy sweepers"] }],
      deliverables: [{ title: "Sweep the market" }, { title: "Mend the benches" }],
      progress: [{ deliverable: "Sweep the market", startYear: 2030, quarter: 2, rating: "good" }],
      risks: [{ description: "Sweepers arrive late", inherent: [3, 4] }],
    });
    assert.ok(idOf(built.deliverableIds, "Mend the benches") > 0);
    assert.ok(idOf(built.riskIds, "Sweepers arrive late") > 0);
    assert.throws(() => idOf(built.deliverableIds, "Not built"), /Not built/);
    assert.equal(await rows(db, strategicObjectives), 1);
    assert.equal(await rows(db, deliverableProgress), 1);
    await buildSetting(db, "council.dfe_code", "999");
    assert.equal(await rows(db, settings), 1);

    await buildMonitoringYear(db, 2030);
    await buildOpenQuarter(db, 2030, 1);
    assert.equal(await rows(db, monitoringPeriods), 1);

    await buildApprovedBudget(db, { divisions: [{ name: "Parks", amounts: { employees: 100_00 } }] });
    await buildBudgetMonitoring(db, { lines: [{ name: "Parks", budget: 100_00, forecast: 120_00 }] });
    await buildSavings(db, { initiatives: [{ name: "Fewer bins", amount: 50_00, forecastAchieved: 25_00 }] });
    await buildGrowth(db, { items: [{ title: "More buses", ongoing: 10_00 }] });
    await buildReserves(db, { reserves: [{ name: "Winter", balance: 70_00 }] });
    await buildDebt(db, { bands: [{ band: "Over a year", amount: 30_00 }] });
    await buildFinancialRisks(db, {
      risks: [{ service: "Parks", risk: "Storm damage", sensitivity: 5_00, likelihood: 2 }],
    });
    for (const table of [
      approvedBudgetCells,
      monitoringForecasts,
      savingsInitiatives,
      growthItems,
      earmarkedReserveBalances,
      debtProfile,
      financialRisks,
    ]) {
      assert.equal(await rows(db, table), 1);
    }

    await buildMeasure(db, { title: "Potholes filled" });
    await buildMeasureGroup(db, {
      rows: [{ code: "PL1", title: "Streets swept on time", last: "81%", current: "84%", target: "85%" }],
    });
    assert.equal(await rows(db, measureValues), 2);
    assert.equal(await rows(db, measureTargets), 1);

    await buildProcurement(db, { estimatedValue: "£90,000" });
    assert.equal(await rows(db, plannedProcurements), 1);
    await assert.rejects(buildProcurement(db, { estimatedValue: "" }), /estimated whole-life value/);

    await buildBenchmarks(db);
    assert.ok((await rows(db, benchmarkValues)) > 0);

    // Every builder above went through a service that records who did what.
    assert.ok((await rows(db, auditEvents)) >= 18);
  });
});
