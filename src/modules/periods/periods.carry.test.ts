import assert from "node:assert/strict";
import { test } from "node:test";
import {
  buildApprovedBudget,
  buildBudgetMonitoring,
  buildCouncil,
  buildMonitoringYear,
  buildSavings,
} from "../../../test/helpers/builders.ts";
import { describeOnBothDatabases } from "../../../test/helpers/database.ts";
import { monitoringPeriod } from "../../domain/periods.ts";
import { approvedBudgetReport } from "../finance/finance.budget.ts";
import { budgetStructure } from "../finance/finance.structure.ts";
import { periodSections } from "./periods.service.ts";

// Opening the next financial year with the approved budget carried forward, and the lines and
// savings initiatives the officer chose: every amount exact in pence. Made-up council and years.

describeOnBothDatabases("opening the next year with the approved budget carried forward", (fresh) => {
  test("the approved budget, lines and initiatives carry into the new year to the penny", async () => {
    const { db } = await fresh();
    await buildCouncil(db, { departmentName: "Transport", plan: { fromYear: 2049, toYear: 2052 } });
    await buildMonitoringYear(db, 2050);
    await buildApprovedBudget(db, {
      startYear: 2050,
      divisions: [
        { name: "Highways", amounts: { employees: 1_234_567_89, premises: 98_765_43, income: -250_000_01 } },
        { name: "Parking", amounts: { suppliesAndServices: 333_333_33, transferPayments: 1 } },
      ],
    });
    await buildBudgetMonitoring(db, {
      startYear: 2050,
      quarter: 4,
      portfolio: "Transport",
      lines: [
        { name: "Road maintenance", budget: 2_000_000_07, forecast: 2_100_000_00 },
        { name: "Car parks", budget: -500_000_00, forecast: -480_000_00 },
      ],
    });
    await buildSavings(db, {
      startYear: 2050,
      quarter: 4,
      initiatives: [
        { name: "LED street lights", amount: 120_000_01, forecastAchieved: 100_000_00 },
        { name: "Digital permits", amount: 45_000_99, forecastAchieved: 45_000_99 },
      ],
    });
    const before = await approvedBudgetReport(db, "2050-51");

    const { carried } = await buildMonitoringYear(db, 2051, {
      carryForward: { approvedBudget: true, lines: true, savingsInitiatives: true },
    });
    assert.deepEqual(carried, { divisions: 2, lines: 2, initiatives: 2 });

    const after = await approvedBudgetReport(db, "2051-52");
    const amounts = (report: typeof before) =>
      report.divisions.map((row) => [row.division, row.cells.map((cell) => cell.pence), row.net.pence]);
    assert.deepEqual(amounts(after), amounts(before));
    assert.equal(
      after.divisions.find((row) => row.division === "Highways")?.net.pence,
      1_234_567_89 + 98_765_43 - 250_000_01,
    );
    assert.equal(after.divisions.find((row) => row.division === "Parking")?.net.pence, 333_333_34);

    const structure = await budgetStructure(db, "2051-52");
    assert.deepEqual(
      structure.lines.map((line) => line.name),
      ["Road maintenance", "Car parks"],
    );
    assert.deepEqual(
      structure.initiatives.map((initiative) => [initiative.name, initiative.amountPence]),
      [
        ["LED street lights", 120_000_01],
        ["Digital permits", 45_000_99],
      ],
    );
    // The new year's target is the initiatives' sum, to the penny; nothing is forecast yet.
    assert.equal(structure.savings?.total, "£165,001.00");
    const sections = await periodSections(db, monitoringPeriod(2051, "quarter", 1));
    assert.deepEqual(
      sections.find((part) => part.key === "budget-lines")?.missing.map((item) => item.name),
      ["Road maintenance", "Car parks"],
    );
    assert.deepEqual(
      sections.find((part) => part.key === "savings")?.missing.map((item) => item.name),
      ["LED street lights", "Digital permits"],
    );
  });
});
