import assert from "node:assert/strict";
import { test } from "node:test";
import {
  buildBudgetMonitoring,
  buildCouncil,
  buildForecastEntry,
  buildMonthlyCouncil,
} from "../../../test/helpers/builders.ts";
import {
  describeOnBothDatabases,
  type FreshOptions,
  TEST_ACTOR,
  type TestDatabase,
} from "../../../test/helpers/database.ts";
import { validForm } from "../../web/forms.ts";
import { filterListings, listMeasureGroups, ratedRowCount } from "../measures/measures.service.ts";
import * as planRepository from "../plan/plan.repository.ts";
import { progressForm } from "../plan/plan.schemas.ts";
import { recordProgress } from "../plan/plan.service.ts";
import { dashboardQuarters, departmentDashboard } from "./home.service.ts";

function countsOf(counts: { key: string; count: number }[]) {
  return Object.fromEntries(counts.map((count) => [count.key, count.count]));
}

describeOnBothDatabases("the department dashboard", (fresh) => {
  test("shows the latest quarter with monitoring, for the council and department from data", async () => {
    const { db } = await aQuarterOfMonitoring(fresh);
    assert.deepEqual(await dashboardQuarters(db), [{ financialYear: "2030/31", quarter: 2 }]);
    const dashboard = await departmentDashboard(db);
    assert.equal(dashboard.councilName, "Borough of Anytown");
    assert.equal(dashboard.departmentName, "Place");
    assert.equal(dashboard.quarter?.label, "Quarter 2 2030/31");
    assert.equal(dashboard.quarter?.value, "2030-31-q2");
    assert.equal(dashboard.unknownQuarter, false);
    assert.deepEqual(dashboard.quarterItems, [
      { value: "2030-31-q2", text: "Quarter 2 2030/31", selected: true },
    ]);
  });

  test("counts the quarter's deliverable updates by rating, each linking to the plan for the quarter", async () => {
    const { db } = await aQuarterOfMonitoring(fresh);
    const { deliverables } = await departmentDashboard(db);
    assert.ok(deliverables);
    assert.deepEqual(countsOf(deliverables.counts), {
      strong: 0,
      good: 2,
      review: 1,
      action: 0,
      "not-available": 0,
    });
    assert.equal(deliverables.updateCount, 3);
    assert.equal(deliverables.deliverableCount, 4);
    assert.ok(deliverables.counts.every((count) => count.href === "/plan?quarter=2030-31-q2"));
    assert.deepEqual(
      deliverables.counts.map((count) => count.badge.className),
      ["strong", "good", "review", "action", "none"],
    );
  });

  test("counts measures by rating as the measures page lists them, each linking to that filter", async () => {
    const { db } = await fresh({ demo: true, readOnly: true });
    const { measures } = await departmentDashboard(db);
    const listings = await listMeasureGroups(db);
    for (const count of measures.counts) {
      const listed = ratedRowCount(filterListings(listings, { ratings: [count.key] }));
      assert.equal(count.count, listed, `${count.label} on the dashboard and on /measures`);
      assert.equal(count.href, `/measures?rating=${count.key}`);
    }
    assert.equal(
      measures.counts.reduce((sum, count) => sum + count.count, 0),
      measures.rows,
    );
    assert.equal(measures.tables, 10);
    // The quarterly report's own table rates three measures Action, as the report printed them.
    const fromReport = measures.attention.filter((item) =>
      item.detail.includes("Performance Measures Against Target"),
    );
    assert.equal(fromReport.length, 3);
    assert.ok(
      fromReport.every((item) => item.rating.words === "Action" && item.rating.className === "action"),
    );
  });

  test("gives the budget position after additional funding as the finance pages show it: 130.432 / 134.676 / 4.244 / 3.3%", async () => {
    const { db } = await fresh({ demo: true, readOnly: true });
    const { budget } = await departmentDashboard(db);
    assert.ok(budget);
    assert.equal(budget.href, "/budget/2020-21/q3");
    assert.equal(budget.hasFunding, true);
    assert.equal(budget.afterFunding.controllableBudget.table, "130.432");
    assert.equal(budget.afterFunding.forecastOutturn.table, "134.676");
    assert.equal(budget.afterFunding.variance.table, "4.244");
    assert.equal(budget.afterFunding.percentage, "3.3%");
    assert.equal(budget.afterFunding.controllableBudget.pence, 13_043_200_000);
    assert.equal(budget.afterFunding.rating.word, "Red");
    assert.equal(budget.afterFunding.rating.rag, "red");
  });

  test("gives savings achieved against target, linking to the savings page", async () => {
    const { db } = await fresh({ demo: true, readOnly: true });
    const { savings } = await departmentDashboard(db);
    assert.ok(savings);
    assert.equal(savings.href, "/budget/2020-21/q3/savings");
    assert.equal(savings.target.table, "3.179");
    assert.equal(savings.identified.table, "2.350");
    assert.equal(savings.forecastAchieved.table, "1.207");
    assert.equal(savings.shortfall.table, "-1.143");
    assert.equal(savings.onTrack, false);
    assert.deepEqual(savings.rating, { words: "Shortfall", className: "action" });
    assert.equal(savings.initiativeCount, 15);
  });

  test("lists what needs attention first: measures, deliverables, red budget lines and savings not on track, each with its page", async () => {
    const { db } = await fresh({ demo: true, readOnly: true });
    const dashboard = await departmentDashboard(db);
    assert.deepEqual(
      dashboard.attention.map((group) => group.key),
      ["measures", "deliverables", "budget-lines", "savings"],
    );
    const group = (key: string) =>
      dashboard.attention.find((candidate) => candidate.key === key)?.items ?? [];

    const measures = group("measures");
    assert.ok(measures.every((item) => /^\/measures\/\d+$/.test(item.href)));
    assert.ok(measures.every((item) => ["Action", "Review"].includes(item.rating.words)));
    assert.equal(new Set(measures.map((item) => item.href)).size, measures.length, "each measure once");
    const firstReview = measures.findIndex((item) => item.rating.words === "Review");
    assert.ok(
      measures.slice(firstReview).every((item) => item.rating.words === "Review"),
      "Action before Review",
    );

    const deliverables = group("deliverables");
    assert.equal(deliverables.length, 3);
    assert.ok(deliverables.every((item) => item.rating.words === "Review"));
    assert.equal(deliverables.filter((item) => /^\/plan\/deliverables\/\d+$/.test(item.href)).length, 2);
    // The update the plan could not match to a deliverable links to the plan for the quarter.
    assert.equal(deliverables.filter((item) => item.href === "/plan?quarter=2020-21-q3").length, 1);

    const lines = group("budget-lines");
    assert.deepEqual(
      lines.map((item) => item.title),
      [
        "Placements for Children in Care/unable to remain at home",
        "Potential additional placement costs",
        "Support for Children with Disabilities",
        "Home to School Transport",
        "Education support services",
        "Pensions payable to former teachers and other staff",
        "Specific Covid 19 costs",
      ],
    );
    assert.ok(lines.every((item) => /^\/budget\/lines\/\d+\?quarter=3$/.test(item.href)));
    assert.ok(lines.every((item) => item.rating.words === "Red" && item.rating.className === "action"));

    const savings = group("savings");
    assert.equal(savings.length, 8);
    assert.ok(savings.some((item) => item.title === "Disability – Step Down"));
    assert.ok(savings.every((item) => item.href === "/budget/2020-21/q3/savings"));

    assert.equal(
      dashboard.attentionCount,
      measures.length + deliverables.length + lines.length + savings.length,
    );
  });

  test("a deliverable newly rated Action joins the list, ahead of those rated Review", async () => {
    const { db } = await aQuarterOfMonitoring(fresh);
    const [deliverable] = await planRepository.listDeliverables(db);
    assert.ok(deliverable);
    await recordProgress(db, TEST_ACTOR, {
      deliverableId: deliverable.id,
      version: deliverable.version,
      progress: validForm(progressForm, {
        quarter: "2030-31-q2",
        rating: "action",
        narrative: "Behind plan: recruitment paused.",
      }),
    });
    const dashboard = await departmentDashboard(db);
    const items = dashboard.attention.find((group) => group.key === "deliverables")?.items ?? [];
    assert.equal(items[0]?.href, `/plan/deliverables/${deliverable.id}`);
    assert.equal(items[0]?.rating.words, "Action");
    assert.equal(countsOf(dashboard.deliverables?.counts ?? []).action, 1);
  });

  test("a quarter with deliverable progress but no budget monitoring can be chosen, and says what it lacks", async () => {
    const { db } = await aQuarterOfMonitoring(fresh);
    const [deliverable] = await planRepository.listDeliverables(db);
    assert.ok(deliverable);
    await recordProgress(db, TEST_ACTOR, {
      deliverableId: deliverable.id,
      version: deliverable.version,
      progress: validForm(progressForm, {
        quarter: "2030-31-q1",
        rating: "review",
        narrative: "Started late.",
      }),
    });
    assert.deepEqual(await dashboardQuarters(db), [
      { financialYear: "2030/31", quarter: 2 },
      { financialYear: "2030/31", quarter: 1 },
    ]);
    const latest = await departmentDashboard(db);
    assert.equal(latest.quarter?.value, "2030-31-q2", "the latest quarter is still the default");
    const dashboard = await departmentDashboard(db, "2030-31-q1");
    assert.equal(dashboard.quarter?.label, "Quarter 1 2030/31");
    assert.equal(dashboard.unknownQuarter, false);
    assert.deepEqual(countsOf(dashboard.deliverables?.counts ?? []), {
      strong: 0,
      good: 0,
      review: 1,
      action: 0,
      "not-available": 0,
    });
    assert.equal(dashboard.budget, null);
    assert.equal(dashboard.savings, null);
    // No budget lines or savings to attend to in a quarter without budget monitoring.
    assert.deepEqual(
      dashboard.attention.map((group) => group.key),
      ["deliverables"],
    );
    assert.deepEqual(
      dashboard.quarterItems.map((item) => [item.value, item.selected]),
      [
        ["2030-31-q2", false],
        ["2030-31-q1", true],
      ],
    );
  });

  test("a quarter asked for without monitoring falls back to the latest and says so; a malformed one too", async () => {
    const { db } = await aQuarterOfMonitoring(fresh);
    for (const asked of ["2029-30-q1", "not a quarter", "2030-32-q2"]) {
      const dashboard = await departmentDashboard(db, asked);
      assert.equal(dashboard.unknownQuarter, true, asked);
      assert.equal(dashboard.quarter?.value, "2030-31-q2");
    }
    assert.equal((await departmentDashboard(db, "2030-31-q2")).unknownQuarter, false);
    assert.equal((await departmentDashboard(db, "")).unknownQuarter, false);
  });

  test("an empty database has no quarter, nothing needing attention and no figures", async () => {
    const { db } = await fresh();
    const dashboard = await departmentDashboard(db);
    assert.equal(dashboard.quarter, null);
    assert.equal(dashboard.councilName, null);
    assert.deepEqual(dashboard.attention, []);
    assert.equal(dashboard.deliverables, null);
    assert.equal(dashboard.budget, null);
    assert.equal(dashboard.savings, null);
    assert.equal(dashboard.measures.rows, 0);
  });
});

/**
 * A made-up department's quarter 2 2030/31: four deliverables, three updated (two Good, one
 * Review), and one budget line monitored.
 */
async function aQuarterOfMonitoring(fresh: (options?: FreshOptions) => Promise<TestDatabase>) {
  const database = await fresh();
  const progress = { startYear: 2030, quarter: 2 };
  await buildCouncil(database.db, {
    councilName: "Borough of Anytown",
    departmentName: "Place",
    plan: { fromYear: 2030, toYear: 2033 },
    deliverables: [
      { title: "Sweep the market square" },
      { title: "Mend the benches" },
      { title: "Plant trees" },
      { title: "Paint the bridge" },
    ],
    progress: [
      { ...progress, deliverable: "Sweep the market square", rating: "good" },
      { ...progress, deliverable: "Mend the benches", rating: "good" },
      { ...progress, deliverable: "Plant trees", rating: "review" },
    ],
  });
  await buildBudgetMonitoring(database.db, {
    startYear: 2030,
    quarter: 2,
    lines: [{ name: "Parks", budget: 100_000_00, forecast: 90_000_00 }],
  });
  return database;
}

// Made-up figures for a year monitored monthly (2037/38, starting in October): two budget lines
// carried from the year before, forecast at month 1 and again at month 2, with no month 3 yet.
const MONTHLY_YEAR = 2037;

async function twoMonthsOfForecasts(fresh: (options?: FreshOptions) => Promise<TestDatabase>) {
  const { db } = await fresh();
  await buildMonthlyCouncil(db, {
    startYear: MONTHLY_YEAR,
    yearStartMonth: 10,
    linesBefore: [
      { name: "Coastal paths", budget: 2_000_000_00, forecast: 2_000_000_00 },
      { name: "Town archives", budget: 1_000_000_00, forecast: 1_000_000_00 },
    ],
    openMonths: [1, 2],
  });
  const forecast = (month: number, line: string, budget: number, forecastOutturn: number) =>
    buildForecastEntry(db, {
      startYear: MONTHLY_YEAR,
      quarter: 1,
      month,
      line,
      budget,
      forecast: forecastOutturn,
    });
  await forecast(1, "Coastal paths", 2_000_000_00, 2_400_000_00);
  await forecast(1, "Town archives", 1_000_000_00, 1_000_000_00);
  return { db, forecast };
}

describeOnBothDatabases("the dashboard in a year monitored monthly", (fresh) => {
  test("part-way through a quarter it shows the latest month with a forecast, with that month's figures", async () => {
    const { db } = await twoMonthsOfForecasts(fresh);
    const dashboard = await departmentDashboard(db);
    assert.equal(dashboard.quarter?.label, "Month 1 2037/38");
    assert.equal(dashboard.quarter?.value, "2037-38-m1");
    assert.equal(dashboard.quarter?.month, 1);
    assert.equal(dashboard.quarterReason, "the latest month with a budget forecast");
    assert.ok(dashboard.budget, "month 1's budget position, not quarter 1's empty one");
    assert.equal(dashboard.budget.afterFunding.controllableBudget.pence, 3_000_000_00);
    assert.equal(dashboard.budget.afterFunding.forecastOutturn.pence, 3_400_000_00);
    assert.equal(dashboard.budget.afterFunding.variance.pence, 400_000_00);
    assert.equal(dashboard.budget.href, "/budget/2037-38/m1");
    const red = dashboard.attention.find((group) => group.key === "budget-lines");
    assert.deepEqual(
      red?.items.map((item) => [item.title, item.detail]),
      [["Coastal paths", "Forecast over spend £0.400m (20.0%)"]],
    );
    // Deliverable progress is recorded by quarter: the month's quarter.
    assert.equal(dashboard.deliverables?.label, "Quarter 1 2037/38");
    assert.equal(dashboard.offersMonths, true);
    assert.ok(dashboard.quarterItems.some((item) => item.value === "2037-38-m1" && item.selected));
  });

  test("moves to month 2 once it has forecasts; month 1 can still be chosen; the quarter waits for month 3", async () => {
    const { db, forecast } = await twoMonthsOfForecasts(fresh);
    await forecast(2, "Coastal paths", 2_000_000_00, 2_000_000_00);
    await forecast(2, "Town archives", 1_000_000_00, 950_000_00);

    const latest = await departmentDashboard(db);
    assert.equal(latest.quarter?.label, "Month 2 2037/38");
    assert.equal(latest.budget?.afterFunding.forecastOutturn.pence, 2_950_000_00);
    assert.equal(latest.budget?.href, "/budget/2037-38/m2");
    assert.equal(
      latest.attention.find((group) => group.key === "budget-lines"),
      undefined,
    );

    const chosen = await departmentDashboard(db, "2037-38-m1");
    assert.equal(chosen.quarter?.label, "Month 1 2037/38");
    assert.equal(chosen.quarterReason, "the month you chose");
    assert.equal(chosen.budget?.afterFunding.forecastOutturn.pence, 3_400_000_00);

    // Quarter 1 stands at month 3's forecasts, as its report does: none yet, so no position
    // (rather than a zero budget).
    const quarter = await departmentDashboard(db, "2037-38-q1");
    assert.equal(quarter.quarter?.label, "Quarter 1 2037/38");
    assert.equal(quarter.quarterReason, "the quarter you chose");
    assert.equal(quarter.budget, null);

    // Every month with a forecast is offered, newest first within the year.
    const values = latest.quarterItems.map((item) => item.value);
    assert.ok(values.indexOf("2037-38-m2") < values.indexOf("2037-38-m1"));
    assert.ok(values.includes("2037-38-q1"));
    assert.equal(latest.unknownQuarter, false);
    const unknown = await departmentDashboard(db, "2037-38-m3");
    assert.equal(unknown.unknownQuarter, true);
    assert.equal(unknown.quarter?.label, "Month 2 2037/38");
  });
});
