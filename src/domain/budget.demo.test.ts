/**
 * The seed council's finance data (data/demo/finance/*.json) checked with the domain's own
 * arithmetic: every amount parses from the words the document uses to the pence stored beside it,
 * every stated total reconciles, and where the document does not add up (rounded columns) the
 * disagreement is detected and documented rather than hidden.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { z } from "zod";
import type { BudgetLine, ControllableBudgetRow, SubjectiveHeading } from "./budget.ts";
import {
  balanceTrend,
  budgetPosition,
  formatPercentage,
  formatShare,
  grossBudget,
  netBudget,
  parseTrendSymbol,
  percentageShares,
  positionAfterFunding,
  reconcileControllableBudget,
  reconcileTotal,
  roundedColumnCheck,
  SUBJECTIVE_HEADING_TITLES,
  SUBJECTIVE_HEADINGS,
  savingsPosition,
  totalPosition,
  variance,
  withinRounding,
} from "./budget.ts";
import type { Pence } from "./money.ts";
import { formatMillions, formatPounds, formatTableMillions, parseMoney, sumPence } from "./money.ts";

const FINANCE = new URL("../../data/demo/finance/", import.meta.url);

function readJson(name: string): unknown {
  return JSON.parse(readFileSync(new URL(name, FINANCE), "utf8"));
}

function load<T>(name: string, schema: z.ZodType<T>): T {
  return schema.parse(readJson(name));
}

const amount = z.strictObject({
  stated: z.string().min(1),
  unit: z.enum(["£m", "£"]),
  pence: z.number().refine(Number.isSafeInteger, "pence must be a safe integer"),
  resolutionPence: z.number().int().positive(),
  rounded: z.boolean(),
});
type Amount = z.infer<typeof amount>;

const source = z.object({ document: z.string(), seedFile: z.string() });
const percentText = z.string().regex(/^-?\d+\.\d%$/);
const trendWord = z.enum(["up", "unchanged", "down"]);

const positionRow = z.strictObject({
  name: z.string(),
  controllableBudget: amount,
  forecastOutturn: amount,
  variance: amount,
  variancePercentage: percentText,
});

const monitoringSchema = z.object({
  source,
  portfolio: z.literal("Young People"),
  financialYear: z.literal("2020/21"),
  quarter: z.literal(3),
  overview: z.string(),
  summary: z.array(z.string()),
  narrativeFigures: z.array(
    z.strictObject({ section: z.string(), says: z.string(), amount, equals: z.string() }),
  ),
  oneOffIncome: z.array(z.strictObject({ amount, description: z.string(), text: z.string() })),
  forecastOutturn: z.object({
    title: z.string(),
    columns: z.array(z.string()),
    lines: z.array(positionRow),
    total: positionRow,
    additionalFunding: z.strictObject({ name: z.string(), amount }),
    totalAfterFunding: positionRow,
  }),
  keyVariances: z.array(
    z.strictObject({
      ref: z.string(),
      heading: z.string(),
      title: z.string(),
      direction: z.enum(["overspend", "underspend"]),
      amount,
      lines: z.array(z.string()).min(1),
      narrative: z.array(z.string()).min(1),
      note: z.string().optional(),
    }),
  ),
  notes: z.array(z.string()),
});

const savingsSchema = z.object({
  source,
  narrative: z.array(z.string()),
  narrativeFigures: z.array(z.strictObject({ says: z.string(), amount, equals: z.string() })),
  table: z.object({
    columns: z.array(z.string()),
    initiatives: z.array(
      z.strictObject({
        name: z.string(),
        note: z.string().optional(),
        amount,
        forecastAchieved: amount,
        shortfall: amount,
        mark: z.enum(["✓", "✗"]),
      }),
    ),
    totalPosition: z.strictObject({
      name: z.string(),
      amount,
      forecastAchieved: amount,
      shortfall: amount,
      mark: z.enum(["✓", "✗"]),
    }),
    shortfallOfIdentifiedSavings: z.strictObject({ name: z.string(), amount }),
    target: z.strictObject({ name: z.string(), amount }),
    priorYearBroughtForward: z.strictObject({ name: z.string(), amount }),
    currentYear: z.strictObject({ name: z.string(), amount }),
  }),
  notes: z.array(z.strictObject({ marker: z.string(), text: z.string(), markerStated: z.boolean() })),
});

const growthSchema = z.object({
  source,
  introduction: z.string(),
  items: z.array(
    z.strictObject({
      ref: z.string(),
      heading: z.string(),
      title: z.string(),
      ongoing: amount.optional(),
      oneOff: amount.optional(),
      narrative: z.array(z.string()).min(1),
    }),
  ),
});

const risksSchema = z.object({
  source,
  columns: z.array(z.string()),
  risks: z.array(
    z.strictObject({
      service: z.string(),
      risk: z.string(),
      sensitivity: amount,
      likelihood: z.number().int().min(1).max(5),
    }),
  ),
  footnote: z.string(),
});

const reservesSchema = z.object({
  source,
  introduction: z.string(),
  reserves: z.array(
    z.strictObject({ name: z.string(), trendSymbol: z.string(), trend: trendWord, balance: amount }),
  ),
  total: z.strictObject({ name: z.string(), trendSymbol: z.string(), trend: trendWord, balance: amount }),
  key: z.array(z.strictObject({ symbol: z.string(), trend: trendWord, text: z.string() })),
  previousQuarter: z.null(),
});

const debtBand = z.strictObject({
  key: z.string().optional(),
  band: z.string(),
  amount,
  trendSymbol: z.string(),
  trend: trendWord,
  shareStated: percentText,
});
const debtSchema = z.object({
  source,
  bands: z.array(debtBand),
  total: debtBand,
  writtenOff: z.strictObject({
    period: z.strictObject({ from: z.iso.date(), to: z.iso.date(), stated: z.string() }),
    amount,
    text: z.string(),
  }),
  notes: z.array(z.string()),
});

const budgetRow = z.strictObject({
  division: z.string(),
  employees: amount,
  premises: amount,
  transport: amount,
  suppliesAndServices: amount,
  agencyAndContractedServices: amount,
  transferPayments: amount,
  unallocatedBudget: amount,
  controllableRecharges: amount,
  grossBudget: amount,
  income: amount,
  grants: amount,
  netBudget: amount,
});
const approvedSchema = z.object({
  source,
  financialYear: z.literal("2020/21"),
  columns: z.array(z.object({ key: z.string(), title: z.string() })),
  divisions: z.array(budgetRow),
  total: budgetRow,
  reconciliation: z.strictObject({
    summary: z.string(),
    knownDisagreements: z.array(
      z.strictObject({
        check: z.string(),
        partsAddTo: z.number().int(),
        stated: z.number().int(),
        differencePence: z.number().int(),
        figuresAdded: z.number().int().positive(),
      }),
    ),
  }),
});

const budget2024Schema = z.object({
  source,
  financialYear: z.literal("2024-25"),
  headline: z.strictObject({ text: z.string(), annualBudgetExceeding: amount }),
  narrative: z.string(),
  budget: amount,
  payAndPriceInflation: z.strictObject({ amount, kind: z.literal("ongoing") }),
  contingency: z.strictObject({ amount, kind: z.literal("oneOff") }),
  servicePressureFunding: z.object({
    title: z.string(),
    items: z.array(
      z.strictObject({ name: z.string(), amount, kind: z.enum(["ongoing", "oneOff"]), text: z.string() }),
    ),
  }),
  proposedSavings: z.object({
    narrative: z.string(),
    total: amount,
    items: z.array(
      z.strictObject({ title: z.string(), description: z.string().optional(), amount, text: z.string() }),
    ),
  }),
});

const FILES = [
  "approved-budget-2020-21.json",
  "monitoring-2020-21-q3.json",
  "savings-2020-21-q3.json",
  "growth-2020-21.json",
  "financial-risks-2020-21-q3.json",
  "earmarked-reserves-2020-21-q3.json",
  "debt-2020-21-q3.json",
  "budget-2024-25.json",
];

/** Every object in a JSON value that looks like an amount, with where it sits. */
function amountsIn(value: unknown, path: string): [string, unknown][] {
  if (Array.isArray(value)) return value.flatMap((item, index) => amountsIn(item, `${path}[${index}]`));
  if (value !== null && typeof value === "object") {
    if ("stated" in value && "pence" in value) return [[path, value]];
    return Object.entries(value).flatMap(([key, item]) => amountsIn(item, `${path}.${key}`));
  }
  return [];
}

/** The pence stored for an amount; the first suite proves it is exactly what the stated words say. */
function pence(stored: Amount): Pence {
  return stored.pence;
}

/** The figure as the table writes it: "13.843" in a £m table, "6,994,969" in a (£) table. */
function tableCell(stored: Amount): string {
  return stored.unit === "£m"
    ? formatTableMillions(stored.pence)
    : formatPounds(stored.pence, { symbol: false });
}

describe("demo finance data: every amount is what the document says", () => {
  for (const file of FILES) {
    it(`${file}: each stated amount parses to the pence stored beside it`, () => {
      const found = amountsIn(readJson(file), file);
      assert.ok(found.length > 0);
      for (const [where, raw] of found) {
        const stored = amount.parse(raw);
        const result = parseMoney(stored.stated, { unit: stored.unit === "£m" ? "millions" : "pounds" });
        if (!result.ok) assert.fail(`${where}: "${stored.stated}" refused: ${result.reason}`);
        assert.equal(result.pence, stored.pence, where);
        assert.equal(result.resolutionPence, stored.resolutionPence, where);
        assert.equal(stored.rounded, stored.resolutionPence > 100, `${where}: rounded flag`);
      }
    });
  }
});

describe("approved controllable budget 2020/21 (service plan, Appendix A)", () => {
  const approved = load("approved-budget-2020-21.json", approvedSchema);
  const toRow = (row: z.infer<typeof budgetRow>): ControllableBudgetRow => ({
    division: row.division,
    headings: Object.fromEntries(
      SUBJECTIVE_HEADINGS.map((heading) => [heading, pence(row[heading])]),
    ) as Record<SubjectiveHeading, Pence>,
    income: pence(row.income),
    grants: pence(row.grants),
    statedGross: pence(row.grossBudget),
    statedNet: pence(row.netBudget),
  });

  it("has the council's columns in order and its six rows", () => {
    assert.deepEqual(
      approved.columns.slice(1, 9).map((column) => column.title),
      SUBJECTIVE_HEADINGS.map((heading) => SUBJECTIVE_HEADING_TITLES[heading]),
    );
    assert.equal(approved.divisions.length, 6);
  });

  it("checks all 26 figures and finds exactly the £1 disagreements the data file documents", () => {
    const result = reconcileControllableBudget(approved.divisions.map(toRow), toRow(approved.total));
    assert.equal(result.checks.length, 7 * 2 + 12);
    assert.equal(result.agrees, false);
    assert.deepEqual(
      result.disagreements.map((d) => ({
        check: d.label,
        partsAddTo: d.computed,
        stated: d.stated,
        differencePence: d.difference,
        figuresAdded: d.parts,
      })),
      approved.reconciliation.knownDisagreements,
    );
  });

  it("every disagreement is within what rounding each printed figure to the pound allows", () => {
    const result = reconcileControllableBudget(approved.divisions.map(toRow), toRow(approved.total));
    for (const disagreement of result.disagreements) {
      assert.ok(withinRounding(disagreement, 100), disagreement.label);
      assert.equal(Math.abs(disagreement.difference), 100, disagreement.label);
    }
  });

  it("states totals of gross £160,865,341 and net £121,341,986; the net follows from the printed gross", () => {
    const total = toRow(approved.total);
    assert.equal(formatPounds(pence(approved.total.grossBudget)), "£160,865,341");
    assert.equal(formatPounds(pence(approved.total.netBudget)), "£121,341,986");
    assert.ok(
      reconcileTotal(
        "net",
        [pence(approved.total.grossBudget), total.income, total.grants],
        total.statedNet ?? 0,
      ).agrees,
    );
    assert.ok(
      reconcileTotal(
        "gross column",
        approved.divisions.map((row) => pence(row.grossBudget)),
        pence(approved.total.grossBudget),
      ).agrees,
    );
    // The total row's own headings add to £1 more than its printed gross.
    assert.equal(formatPounds(grossBudget(total.headings)), "£160,865,342");
    assert.equal(formatPounds(netBudget(total)), "£121,341,987");
  });

  it("prints every cell back as the table writes it", () => {
    for (const row of [...approved.divisions, approved.total]) {
      for (const cell of Object.values(row)) {
        if (typeof cell !== "string") assert.equal(tableCell(cell), cell.stated);
      }
    }
  });
});

describe("forecast outturn, quarter 3 2020/21", () => {
  const monitoring = load("monitoring-2020-21-q3.json", monitoringSchema);
  const table = monitoring.forecastOutturn;
  const lines: BudgetLine[] = table.lines.map((line) => ({
    name: line.name,
    controllableBudget: pence(line.controllableBudget),
    forecastOutturn: pence(line.forecastOutturn),
  }));
  const total = totalPosition(lines);
  const after = positionAfterFunding(total, pence(table.additionalFunding.amount));

  it("holds all thirteen lines of the table", () => {
    assert.equal(table.lines.length, 13);
  });

  it("each line's variance is forecast - budget and its percentage is as printed", () => {
    for (const line of table.lines) {
      const position = budgetPosition(pence(line.controllableBudget), pence(line.forecastOutturn));
      assert.equal(position.variance, pence(line.variance), line.name);
      assert.equal(formatPercentage(position.variancePercentage), line.variancePercentage, line.name);
    }
  });

  it("the zero-budget line shows 100.0%", () => {
    const potential = table.lines.find((line) => line.name === "Potential additional placement costs");
    assert.ok(potential);
    assert.equal(pence(potential.controllableBudget), 0);
    assert.equal(potential.variancePercentage, "100.0%");
  });

  it("the columns add to the stated total: 120.833, 134.676, 13.843, 11.5%", () => {
    for (const [label, computed, stated] of [
      ["budget", total.controllableBudget, table.total.controllableBudget],
      ["forecast", total.forecastOutturn, table.total.forecastOutturn],
      ["variance", total.variance, table.total.variance],
    ] as const) {
      assert.ok(reconcileTotal(label, [computed], pence(stated)).agrees, label);
    }
    assert.ok(
      reconcileTotal(
        "sum of line variances",
        table.lines.map((line) => pence(line.variance)),
        pence(table.total.variance),
      ).agrees,
    );
    assert.equal(formatPercentage(total.variancePercentage), table.total.variancePercentage);
    assert.equal(tableCell(table.total.variance), "13.843");
    assert.equal(table.total.variancePercentage, "11.5%");
  });

  it("after Covid-19 funding of 9.599 the position is 130.432, 134.676, 4.244, 3.3%", () => {
    const stated = table.totalAfterFunding;
    assert.equal(after.controllableBudget, pence(stated.controllableBudget));
    assert.equal(after.forecastOutturn, pence(stated.forecastOutturn));
    assert.equal(after.variance, pence(stated.variance));
    assert.equal(formatPercentage(after.variancePercentage), stated.variancePercentage);
    assert.deepEqual([stated.controllableBudget, stated.forecastOutturn, stated.variance].map(tableCell), [
      "130.432",
      "134.676",
      "4.244",
    ]);
  });

  it("the figures in the narrative agree with the table", () => {
    const figures: Readonly<Record<string, Pence>> = {
      "total.controllableBudget": total.controllableBudget,
      "total.variance": total.variance,
      "additionalFunding.amount": pence(table.additionalFunding.amount),
      "totalAfterFunding.controllableBudget": after.controllableBudget,
      "totalAfterFunding.variance": after.variance,
    };
    for (const figure of monitoring.narrativeFigures) {
      assert.equal(figures[figure.equals], pence(figure.amount), figure.says);
      const text = [monitoring.overview, ...monitoring.summary].join(" ");
      assert.ok(text.includes(figure.amount.stated), `${figure.amount.stated} appears in the narrative`);
      assert.equal(formatMillions(pence(figure.amount)), figure.amount.stated);
    }
  });

  it("each key variance heading states the variance of its line(s), as overspend or underspend", () => {
    assert.deepEqual(
      monitoring.keyVariances.map((item) => item.ref),
      ["2.4.1", "2.4.2", "2.4.3", "2.4.4", "2.4.5", "2.4.6", "2.4.7", "2.4.8"],
    );
    for (const item of monitoring.keyVariances) {
      const parts = item.lines.map((name) => {
        const line = lines.find((candidate) => candidate.name === name);
        assert.ok(line, `${item.ref} names a line in the table: ${name}`);
        return variance(line.controllableBudget, line.forecastOutturn);
      });
      const combined = sumPence(parts);
      assert.equal(item.direction, combined > 0 ? "overspend" : "underspend", item.ref);
      assert.equal(Math.abs(combined), pence(item.amount), item.ref);
      assert.equal(
        item.heading,
        `${item.ref} ${item.title}, ${item.direction} ${formatMillions(pence(item.amount))}`,
      );
      // A heading that takes more than one line is a documented reading of the report, never silent.
      assert.equal(item.lines.length > 1, item.note !== undefined, item.ref);
    }
  });

  it("2.4.1's £11.362m is two lines of the table, not the Placements line alone", () => {
    const placements = table.lines[0];
    assert.ok(placements);
    assert.notEqual(
      pence(placements.variance),
      pence(monitoring.keyVariances[0]?.amount ?? placements.variance),
    );
    assert.equal(tableCell(placements.variance), "10.062");
  });

  it("the one-off Dedicated Schools Grant income of £1.390m is the item named in 2.4.8", () => {
    const [income] = monitoring.oneOffIncome;
    assert.ok(income);
    assert.equal(income.text, `${formatMillions(pence(income.amount))} - ${income.description}`);
    const unallocated = monitoring.keyVariances.find((item) => item.ref === "2.4.8");
    assert.ok(unallocated?.narrative.some((paragraph) => paragraph.includes(income.amount.stated)));
  });

  it("the line amounts are rounded figures to £0.001m", () => {
    for (const line of table.lines) {
      assert.equal(line.controllableBudget.resolutionPence, 100_000);
      assert.equal(line.controllableBudget.rounded, true);
    }
  });
});

describe("budget savings 2020/21", () => {
  const savings = load("savings-2020-21-q3.json", savingsSchema);
  const table = savings.table;
  const position = savingsPosition(
    pence(table.currentYear.amount),
    pence(table.priorYearBroughtForward.amount),
    table.initiatives.map((initiative) => ({
      name: initiative.name,
      amount: pence(initiative.amount),
      forecastAchieved: pence(initiative.forecastAchieved),
    })),
  );

  it("holds all fifteen initiatives", () => {
    assert.equal(table.initiatives.length, 15);
  });

  it("each shortfall is achieved - amount, and earns a tick only when nothing is short", () => {
    position.initiatives.forEach((computed, index) => {
      const stated = table.initiatives[index];
      assert.ok(stated);
      assert.equal(computed.shortfall, pence(stated.shortfall), stated.name);
      assert.equal(computed.onTrack ? "✓" : "✗", stated.mark, stated.name);
    });
  });

  it("totals: identified 2.350, achieved 1.207, shortfall -1.143, target 3.179, unidentified 0.829", () => {
    assert.equal(position.identified, pence(table.totalPosition.amount));
    assert.equal(position.forecastAchieved, pence(table.totalPosition.forecastAchieved));
    assert.equal(position.shortfall, pence(table.totalPosition.shortfall));
    assert.equal(position.onTrack ? "✓" : "✗", table.totalPosition.mark);
    assert.equal(position.target, pence(table.target.amount));
    assert.equal(position.shortfallOfIdentifiedSavings, pence(table.shortfallOfIdentifiedSavings.amount));
    assert.deepEqual(
      [table.totalPosition.amount, table.totalPosition.forecastAchieved, table.totalPosition.shortfall].map(
        tableCell,
      ),
      ["2.350", "1.207", "-1.143"],
    );
    assert.equal(tableCell(table.target.amount), "3.179");
  });

  it("the narrative's figures agree with the table", () => {
    const figures: Readonly<Record<string, Pence>> = {
      currentYear: pence(table.currentYear.amount),
      priorYearBroughtForward: pence(table.priorYearBroughtForward.amount),
      target: position.target,
      identified: position.identified,
      shortfallOfIdentifiedSavings: position.shortfallOfIdentifiedSavings,
      forecastAchieved: position.forecastAchieved,
    };
    for (const figure of savings.narrativeFigures) {
      assert.equal(figures[figure.equals], pence(figure.amount), figure.says);
      assert.ok(savings.narrative.join(" ").includes(figure.amount.stated), figure.amount.stated);
    }
  });

  it("every note marker used in the table has a note", () => {
    const markers = new Set(savings.notes.map((note) => note.marker));
    for (const initiative of table.initiatives) {
      if (initiative.note !== undefined) assert.ok(markers.has(initiative.note), initiative.name);
    }
  });
});

describe("growth items and one-off funding 2020/21", () => {
  const growth = load("growth-2020-21.json", growthSchema);

  it("holds items 2.6.1 to 2.6.14 in order, each with at least one amount", () => {
    assert.deepEqual(
      growth.items.map((item) => item.ref),
      Array.from({ length: 14 }, (_, index) => `2.6.${index + 1}`),
    );
    for (const item of growth.items)
      assert.ok(item.ongoing !== undefined || item.oneOff !== undefined, item.ref);
  });

  it("each heading is the title and its amounts, printed back exactly", () => {
    for (const item of growth.items) {
      const parts = [
        ...(item.ongoing === undefined ? [] : [`${formatMillions(pence(item.ongoing))} ongoing`]),
        ...(item.oneOff === undefined ? [] : [`${formatMillions(pence(item.oneOff))} one-off`]),
      ];
      assert.equal(item.heading, `${item.ref} ${item.title} - ${parts.join(", ")}`);
    }
  });
});

describe("financial risks, quarter 3 2020/21", () => {
  const risks = load("financial-risks-2020-21-q3.json", risksSchema);

  it("holds the three risks with sensitivity in £m and likelihood 1 to 5", () => {
    assert.deepEqual(
      risks.risks.map((risk) => [risk.service, tableCell(risk.sensitivity), risk.likelihood]),
      [
        ["Placements", "1.300", 4],
        ["Management, Finance, ICT and other support services", "0.020", 1],
        ["All", "0.500", 3],
      ],
    );
  });
});

describe("earmarked reserves, quarter 3 2020/21", () => {
  const reserves = load("earmarked-reserves-2020-21-q3.json", reservesSchema);
  const balances = reserves.reserves.map((reserve) => pence(reserve.balance));

  it("the reserves add to the stated total of £7.101m, exactly and as displayed", () => {
    assert.ok(reconcileTotal("Total Reserves", balances, pence(reserves.total.balance)).agrees);
    assert.ok(roundedColumnCheck(balances, 100_000, pence(reserves.total.balance)).adds);
    assert.ok(reserves.introduction.includes(formatMillions(pence(reserves.total.balance))));
  });

  it("records each trend as printed; with no previous quarter it cannot be recomputed", () => {
    for (const reserve of [...reserves.reserves, reserves.total]) {
      assert.equal(parseTrendSymbol(reserve.trendSymbol), reserve.trend, reserve.name);
      assert.equal(balanceTrend(pence(reserve.balance), undefined), "unknown");
    }
    for (const entry of reserves.key) assert.equal(parseTrendSymbol(entry.symbol), entry.trend);
  });
});

describe("debt position, quarter 3 2020/21", () => {
  const debt = load("debt-2020-21-q3.json", debtSchema);
  const amounts = debt.bands.map((band) => pence(band.amount));

  it("the six age bands add to the stated total of 0.482", () => {
    assert.deepEqual(
      debt.bands.map((band) => band.band),
      ["0 - 30 Days", "31 - 365 Days", "1 - 2 Years", "2 - 3 Years", "3 - 4 Years", "Over 4 Years"],
    );
    assert.ok(reconcileTotal("Total debt", amounts, pence(debt.total.amount)).agrees);
    assert.equal(tableCell(debt.total.amount), "0.482");
  });

  it("each printed share is its amount over the total, rounded on its own", () => {
    const total = pence(debt.total.amount);
    for (const band of debt.bands) {
      assert.equal(
        formatPercentage({ numerator: pence(band.amount), denominator: total }),
        band.shareStated,
        band.band,
      );
    }
  });

  it("detects that the printed shares add to 99.9%, not the 100.0% printed (a documented disagreement)", () => {
    const tenthsOfAPercent = (text: string) => {
      const parsed = /^(-?\d+)\.(\d)%$/.exec(text);
      assert.ok(parsed);
      return Number(parsed[1]) * 10 + Number(parsed[2]);
    };
    const check = roundedColumnCheck(
      debt.bands.map((band) => tenthsOfAPercent(band.shareStated)),
      1,
      tenthsOfAPercent(debt.total.shareStated),
    );
    assert.equal(check.adds, false);
    assert.equal(check.differenceInSteps, -1);
    assert.ok(debt.notes.some((note) => note.includes("99.9%")));
  });

  it("largest-remainder shares add to 100.0%, moving 1 - 2 Years to 18.1%", () => {
    const shares = percentageShares(amounts, 1);
    assert.equal(
      shares.reduce((a, b) => a + b, 0),
      1000,
    );
    assert.deepEqual(
      shares.map((share) => formatShare(share)),
      ["31.3%", "42.3%", "18.1%", "2.9%", "2.7%", "2.7%"],
    );
  });

  it("records trends as printed and the £0.035m written off to 31 December 2020", () => {
    for (const band of [...debt.bands, debt.total])
      assert.equal(parseTrendSymbol(band.trendSymbol), band.trend);
    assert.equal(formatMillions(pence(debt.writtenOff.amount)), "£0.035m");
    assert.ok(debt.writtenOff.text.includes(debt.writtenOff.amount.stated));
  });
});

describe("budget and savings 2024-25 (service plan refresh)", () => {
  const plan = load("budget-2024-25.json", budget2024Schema);

  it("states the budget of £151.708 million with £6.464 million pay and price inflation", () => {
    assert.equal(formatMillions(pence(plan.budget), 3, { suffix: " million" }), "£151.708 million");
    assert.equal(
      formatMillions(pence(plan.payAndPriceInflation.amount), 3, { suffix: " million" }),
      "£6.464 million",
    );
    assert.ok(plan.narrative.includes("£151.708 million") && plan.narrative.includes("£6.464 million"));
    assert.ok(pence(plan.budget) > pence(plan.headline.annualBudgetExceeding), "exceeding £151 million");
  });

  it("the ongoing inflation items of service pressure funding add to the £6.464 million", () => {
    const ongoing = plan.servicePressureFunding.items.filter((item) => item.kind === "ongoing");
    assert.equal(ongoing.length, 2);
    assert.ok(
      reconcileTotal(
        "pay and price inflation",
        ongoing.map((item) => pence(item.amount)),
        pence(plan.payAndPriceInflation.amount),
      ).agrees,
    );
  });

  it("the one-off demography contingency is the £10 million held in contingency", () => {
    const oneOff = plan.servicePressureFunding.items.filter((item) => item.kind === "oneOff");
    assert.equal(oneOff.length, 1);
    assert.equal(pence(oneOff[0]?.amount ?? plan.budget), pence(plan.contingency.amount));
    for (const item of plan.servicePressureFunding.items) {
      const kind = item.kind === "ongoing" ? "ongoing" : "one off";
      assert.equal(
        item.text,
        `${item.name} - ${formatMillions(pence(item.amount), 3, { suffix: " million" })} ${kind}`,
      );
    }
  });

  it("the 20 proposed savings add to exactly £12.528 million (£12,528,000)", () => {
    const items = plan.proposedSavings.items;
    assert.equal(items.length, 20);
    const check = reconcileTotal(
      "proposed savings",
      items.map((item) => pence(item.amount)),
      pence(plan.proposedSavings.total),
    );
    assert.ok(check.agrees);
    assert.equal(formatPounds(check.computed), "£12,528,000");
    assert.ok(plan.proposedSavings.narrative.includes(plan.proposedSavings.total.stated));
  });

  it("each saving prints back as the plan lists it", () => {
    for (const item of plan.proposedSavings.items) {
      const parts = [item.title, ...(item.description === undefined ? [] : [item.description])];
      assert.equal(item.text, `${parts.join(" - ")} - ${formatPounds(pence(item.amount))}`);
    }
  });
});
