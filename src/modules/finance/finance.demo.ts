import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import type { Database } from "../../db/client.ts";
import { DEMO_DIRECTORY, type DemoLoader } from "../../demo/demo-files.ts";
import { parseTrendSymbol } from "../../domain/budget.ts";
import * as finance from "./finance.demo-records.ts";

// Reads data/demo/finance/ and writes it through the finance service, so the demo is audited
// like any other write. Only the fields the service records are read.

const amount = z.object({ stated: z.string(), pence: z.number().int() });
const source = z.object({
  document: z.string(),
  sections: z.array(z.string()).optional(),
  section: z.string().optional(),
});
const trend = z.enum(["up", "unchanged", "down"]);

const monitoringFile = z.object({
  source,
  portfolio: z.string(),
  financialYear: z.string(),
  quarter: z.number().int(),
  overview: z.string(),
  oneOffIncome: z.array(z.object({ amount, description: z.string() })),
  forecastOutturn: z.object({
    title: z.string(),
    lines: z.array(z.object({ name: z.string(), controllableBudget: amount, forecastOutturn: amount })),
    total: z.object({
      controllableBudget: amount,
      forecastOutturn: amount,
      variance: amount,
      variancePercentage: z.string(),
    }),
    additionalFunding: z.object({ name: z.string(), amount }),
    totalAfterFunding: z.object({
      controllableBudget: amount,
      variance: amount,
      variancePercentage: z.string(),
    }),
  }),
  keyVariances: z.array(
    z.object({
      ref: z.string(),
      heading: z.string(),
      direction: z.enum(["overspend", "underspend"]),
      amount,
      lines: z.array(z.string()),
      narrative: z.array(z.string()),
      note: z.string().optional(),
    }),
  ),
});

const savingsFile = z.object({
  source,
  portfolio: z.string(),
  financialYear: z.string(),
  quarter: z.number().int(),
  table: z.object({
    initiatives: z.array(
      z.object({
        name: z.string(),
        note: z.string().optional(),
        amount,
        forecastAchieved: amount,
        mark: z.string(),
      }),
    ),
    totalPosition: z.object({ amount, forecastAchieved: amount, shortfall: amount }),
    shortfallOfIdentifiedSavings: z.object({ amount }),
    target: z.object({ amount }),
    priorYearBroughtForward: z.object({ amount }),
    currentYear: z.object({ amount }),
  }),
  notes: z.array(z.object({ marker: z.string(), text: z.string() })),
});

const approvedBudgetFile = z.object({
  source: z.object({ document: z.string(), section: z.string() }),
  financialYear: z.string(),
  divisions: z.array(z.record(z.string(), z.unknown())),
  total: z.record(z.string(), z.unknown()),
});

const growthFile = z.object({
  source,
  financialYear: z.string(),
  items: z.array(
    z.object({
      ref: z.string(),
      title: z.string(),
      ongoing: amount.optional(),
      oneOff: amount.optional(),
      narrative: z.array(z.string()),
    }),
  ),
});

const budgetPlanFile = z.object({
  source: z.object({ document: z.string(), section: z.string() }),
  financialYear: z.string(),
  budget: amount,
  payAndPriceInflation: z.object({ amount }),
  contingency: z.object({ amount }),
  servicePressureFunding: z.object({
    items: z.array(z.object({ name: z.string(), amount, kind: z.enum(["ongoing", "oneOff"]) })),
  }),
  proposedSavings: z.object({
    total: amount,
    items: z.array(z.object({ title: z.string(), description: z.string().optional(), amount })),
  }),
});

const risksFile = z.object({
  source,
  financialYear: z.string(),
  quarter: z.number().int(),
  risks: z.array(
    z.object({ service: z.string(), risk: z.string(), sensitivity: amount, likelihood: z.number().int() }),
  ),
});

const reservesFile = z.object({
  source,
  financialYear: z.string(),
  quarter: z.number().int(),
  reserves: z.array(z.object({ name: z.string(), trend, balance: amount })),
  total: z.object({ trend, balance: amount }),
});

const debtFile = z.object({
  source,
  financialYear: z.string(),
  quarter: z.number().int(),
  bands: z.array(
    z.object({
      key: z.string(),
      band: z.string(),
      amount,
      trend,
      trendSymbol: z.string(),
      shareStated: z.string(),
    }),
  ),
  total: z.object({ amount, trend }),
  writtenOff: z.object({ period: z.object({ from: z.string(), to: z.string() }), amount }),
});

async function readDemo<T>(schema: z.ZodType<T>, file: string): Promise<T> {
  const text = await readFile(join(DEMO_DIRECTORY, "finance", file), "utf8");
  return schema.parse(JSON.parse(text));
}

/** "2020/21" and "2020-21" are the same year; addresses use "2020-21", pages "2020/21". */
function yearOf(stated: string) {
  const code = stated.replace("/", "-");
  return { yearCode: code, yearLabel: code.replace("-", "/") };
}

function sourceOf(file: z.infer<typeof source>) {
  return { document: file.document, section: (file.sections ?? [file.section ?? ""]).join(", ") };
}

function cellPence(row: Record<string, unknown>, key: string): number {
  return amount.parse(row[key]).pence;
}

const HEADING_KEYS = [
  "employees",
  "premises",
  "transport",
  "suppliesAndServices",
  "agencyAndContractedServices",
  "transferPayments",
  "unallocatedBudget",
  "controllableRecharges",
  "income",
  "grants",
];

async function load(db: Database, actor: string): Promise<void> {
  const approved = await readDemo(approvedBudgetFile, "approved-budget-2020-21.json");
  const budgetRow = (row: Record<string, unknown>, statedTotal: boolean) => ({
    name: String(row.division),
    statedTotal,
    amounts: Object.fromEntries(HEADING_KEYS.map((key) => [key, cellPence(row, key)])),
    statedGross: cellPence(row, "grossBudget"),
    statedNet: cellPence(row, "netBudget"),
  });
  await finance.recordApprovedBudget(db, actor, approved.source, {
    ...yearOf(approved.financialYear),
    divisions: [...approved.divisions.map((row) => budgetRow(row, false)), budgetRow(approved.total, true)],
  });

  const monitoring = await readDemo(monitoringFile, "monitoring-2020-21-q3.json");
  const table = monitoring.forecastOutturn;
  await finance.recordMonitoringReport(db, actor, sourceOf(monitoring.source), {
    ...yearOf(monitoring.financialYear),
    quarter: monitoring.quarter,
    portfolio: monitoring.portfolio,
    title: table.title,
    overview: monitoring.overview,
    lines: table.lines.map((line) => ({
      name: line.name,
      controllableBudget: line.controllableBudget.pence,
      forecastOutturn: line.forecastOutturn.pence,
    })),
    stated: {
      budget: table.total.controllableBudget.pence,
      forecast: table.total.forecastOutturn.pence,
      variance: table.total.variance.pence,
      percentage: table.total.variancePercentage,
      budgetAfterFunding: table.totalAfterFunding.controllableBudget.pence,
      varianceAfterFunding: table.totalAfterFunding.variance.pence,
      percentageAfterFunding: table.totalAfterFunding.variancePercentage,
    },
    additionalFunding: [{ name: table.additionalFunding.name, amount: table.additionalFunding.amount.pence }],
    oneOffIncome: monitoring.oneOffIncome.map((item) => ({
      description: item.description,
      amount: item.amount.pence,
    })),
    narratives: monitoring.keyVariances.map((entry) => ({
      ref: entry.ref,
      heading: entry.heading,
      direction: entry.direction,
      amount: entry.amount.pence,
      paragraphs: entry.narrative,
      note: entry.note ?? null,
      lines: entry.lines,
    })),
  });

  const savings = await readDemo(savingsFile, "savings-2020-21-q3.json");
  await finance.recordSavings(db, actor, sourceOf(savings.source), {
    ...yearOf(savings.financialYear),
    quarter: savings.quarter,
    portfolio: savings.portfolio,
    currentYear: savings.table.currentYear.amount.pence,
    priorYearBroughtForward: savings.table.priorYearBroughtForward.amount.pence,
    statedTarget: savings.table.target.amount.pence,
    initiatives: savings.table.initiatives.map((initiative) => ({
      name: initiative.name,
      noteMarker: initiative.note ?? null,
      amount: initiative.amount.pence,
      forecastAchieved: initiative.forecastAchieved.pence,
      statedMark: initiative.mark,
    })),
    statedTotals: [
      { key: "savings-identified", amount: savings.table.totalPosition.amount.pence },
      { key: "savings-achieved", amount: savings.table.totalPosition.forecastAchieved.pence },
      { key: "savings-shortfall", amount: savings.table.totalPosition.shortfall.pence },
      {
        key: "savings-shortfall-identified",
        amount: savings.table.shortfallOfIdentifiedSavings.amount.pence,
      },
    ],
    notes: savings.notes,
  });

  const growth = await readDemo(growthFile, "growth-2020-21.json");
  await finance.recordGrowth(db, actor, sourceOf(growth.source), {
    ...yearOf(growth.financialYear),
    items: growth.items.map((item) => ({
      ref: item.ref,
      title: item.title,
      ongoing: item.ongoing?.pence ?? null,
      oneOff: item.oneOff?.pence ?? null,
      paragraphs: item.narrative,
    })),
  });

  const plan = await readDemo(budgetPlanFile, "budget-2024-25.json");
  await finance.recordBudgetPlan(db, actor, plan.source, {
    ...yearOf(plan.financialYear),
    headlines: [
      { key: "budget", stated: plan.budget.stated, amount: plan.budget.pence },
      {
        key: "pay-and-price-inflation",
        stated: plan.payAndPriceInflation.amount.stated,
        amount: plan.payAndPriceInflation.amount.pence,
      },
      { key: "contingency", stated: plan.contingency.amount.stated, amount: plan.contingency.amount.pence },
    ],
    pressures: plan.servicePressureFunding.items.map((item) => ({
      name: item.name,
      kind: item.kind === "oneOff" ? "one-off" : "ongoing",
      amount: item.amount.pence,
    })),
    proposals: plan.proposedSavings.items.map((item) => ({
      title: item.title,
      description: item.description ?? null,
      amount: item.amount.pence,
    })),
    statedProposalsTotal: {
      stated: plan.proposedSavings.total.stated,
      amount: plan.proposedSavings.total.pence,
    },
  });

  const risks = await readDemo(risksFile, "financial-risks-2020-21-q3.json");
  await finance.recordFinancialRisks(db, actor, sourceOf(risks.source), {
    ...yearOf(risks.financialYear),
    quarter: risks.quarter,
    risks: risks.risks.map((risk) => ({
      service: risk.service,
      risk: risk.risk,
      sensitivity: risk.sensitivity.pence,
      likelihood: risk.likelihood,
    })),
  });

  const reserves = await readDemo(reservesFile, "earmarked-reserves-2020-21-q3.json");
  await finance.recordEarmarkedReserves(db, actor, sourceOf(reserves.source), {
    ...yearOf(reserves.financialYear),
    quarter: reserves.quarter,
    reserves: reserves.reserves.map((reserve) => ({
      name: reserve.name,
      balance: reserve.balance.pence,
      statedTrend: reserve.trend,
    })),
    statedTotal: { amount: reserves.total.balance.pence, trend: reserves.total.trend },
  });

  const debt = await readDemo(debtFile, "debt-2020-21-q3.json");
  await finance.recordDebtProfile(db, actor, sourceOf(debt.source), {
    ...yearOf(debt.financialYear),
    quarter: debt.quarter,
    bands: debt.bands.map((band) => ({
      key: band.key,
      band: band.band,
      amount: band.amount.pence,
      statedShare: band.shareStated,
      // The file's trend word must agree with its printed symbol; a disagreement is not guessed at.
      statedTrend: parseTrendSymbol(band.trendSymbol) === band.trend ? band.trend : null,
    })),
    statedTotal: { amount: debt.total.amount.pence, trend: debt.total.trend },
    writeOff: {
      from: debt.writtenOff.period.from,
      to: debt.writtenOff.period.to,
      amount: debt.writtenOff.amount.pence,
    },
  });
}

export const financeDemoLoader: DemoLoader = { name: "finance", load };
