import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import type { ControllableBudgetRow, RagThresholds, SubjectiveHeading } from "./budget.ts";
import {
  BALANCE_TREND_WORDS,
  balanceTrend,
  budgetPosition,
  budgetRag,
  DEFAULT_RAG_THRESHOLDS,
  describeReconciliation,
  formatPercentage,
  formatShare,
  fractionToBasisPoints,
  fractionToNumber,
  grossBudget,
  initiativeOnTrack,
  initiativeShortfall,
  largestRemainder,
  mustExplain,
  netBudget,
  parseTrendSymbol,
  percentageShares,
  positionAfterFunding,
  reconcile,
  reconcileControllableBudget,
  reconcileTotal,
  roundedColumnCheck,
  SUBJECTIVE_HEADINGS,
  savingsPosition,
  savingsTarget,
  totalPosition,
  variance,
  variancePercentage,
  withinRounding,
} from "./budget.ts";
import { parseMoney } from "./money.ts";

/** A figure from a table stated in £m, in pence. */
const m = (stated: string): number => {
  const result = parseMoney(stated, { unit: "millions" });
  if (!result.ok) throw new Error(result.reason);
  return result.pence;
};
/** Whole pounds in pence. */
const pounds = (whole: number): number => whole * 100;

describe("variance", () => {
  it("is forecast minus budget: overspend positive, underspend negative", () => {
    assert.equal(variance(m("37.875"), m("47.937")), m("10.062"));
    assert.equal(variance(m("37.976"), m("37.319")), m("-0.657"));
    assert.equal(variance(m("0.033"), m("0.033")), 0);
  });

  it("treats an income line (negative budget) the same way: less income is an overspend", () => {
    assert.equal(variance(m("-3.795"), m("-3.796")), m("-0.001"));
    assert.equal(variance(m("-3.795"), m("-3.0")), m("0.795"));
  });

  it("refuses amounts that are not whole pence", () => {
    assert.throws(() => variance(1.5, 2), RangeError);
  });
});

describe("variancePercentage", () => {
  it("is the variance over the size of the budget, exactly", () => {
    const share = variancePercentage(m("120.833"), m("134.676"));
    assert.deepEqual(share, { numerator: m("13.843"), denominator: m("120.833") });
    assert.equal(formatPercentage(share), "11.5%");
  });

  it("reproduces the report's percentages", () => {
    const rows: [string, string, string][] = [
      ["37.875", "47.937", "26.6%"],
      ["5.716", "5.867", "2.6%"],
      ["37.976", "37.319", "-1.7%"],
      ["6.885", "6.142", "-10.8%"],
      ["15.491", "16.83", "8.6%"],
      ["4.42", "8.666", "96.1%"],
      ["8.261", "7.627", "-7.7%"],
      ["4.538", "4.873", "7.4%"],
      ["0.033", "0.033", "0.0%"],
      ["-3.795", "-3.796", "0.0%"],
      ["2.562", "0.077", "-97.0%"],
      ["0.871", "1.801", "106.8%"],
      ["130.432", "134.676", "3.3%"],
    ];
    for (const [budget, forecast, shown] of rows) {
      assert.equal(
        formatPercentage(variancePercentage(m(budget), m(forecast))),
        shown,
        `${budget} -> ${forecast}`,
      );
    }
  });

  it("is 100% where the budget is zero and the forecast is not, and 0% where both are zero", () => {
    assert.equal(formatPercentage(variancePercentage(0, m("1.3"))), "100.0%");
    assert.equal(formatPercentage(variancePercentage(0, m("-1.3"))), "-100.0%");
    assert.equal(formatPercentage(variancePercentage(0, 0)), "0.0%");
  });

  it("measures a negative budget by its size, so the sign follows the variance", () => {
    const share = variancePercentage(m("-2"), m("-1"));
    assert.equal(formatPercentage(share), "50.0%");
    assert.equal(formatPercentage(variancePercentage(m("-2"), m("-3"))), "-50.0%");
  });

  it("always has the sign of the variance and a positive denominator", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e13, max: 1e13 }),
        fc.integer({ min: -1e13, max: 1e13 }),
        (budget, forecast) => {
          const share = variancePercentage(budget, forecast);
          assert.ok(share.denominator > 0);
          assert.equal(Math.sign(share.numerator), Math.sign(variance(budget, forecast)));
        },
      ),
    );
  });
});

describe("percentages for display", () => {
  it("round half away from zero at .5 boundaries, negatives included", () => {
    assert.equal(formatPercentage({ numerator: 1, denominator: 2000 }), "0.1%"); // 0.05%
    assert.equal(formatPercentage({ numerator: -1, denominator: 2000 }), "-0.1%");
    assert.equal(formatPercentage({ numerator: 3, denominator: 2000 }), "0.2%"); // 0.15%
    assert.equal(formatPercentage({ numerator: -3, denominator: 2000 }), "-0.2%");
    assert.equal(formatPercentage({ numerator: 49_999, denominator: 100_000_000 }), "0.0%"); // 0.049999%
    assert.equal(formatPercentage({ numerator: -49_999, denominator: 100_000_000 }), "0.0%");
    assert.equal(formatPercentage({ numerator: 1145, denominator: 10000 }), "11.5%"); // 11.45%
    assert.equal(formatPercentage({ numerator: -1145, denominator: 10000 }), "-11.5%");
    assert.equal(formatPercentage({ numerator: 1, denominator: 3 }, 0), "33%");
    assert.equal(formatPercentage({ numerator: 1, denominator: 8 }, 2), "12.50%");
  });

  it("give basis points and a number for charts", () => {
    assert.equal(fractionToBasisPoints({ numerator: 1, denominator: 8 }), 1250);
    assert.equal(fractionToBasisPoints({ numerator: -1, denominator: 20_000 }), -1); // -0.5bp
    assert.equal(fractionToNumber({ numerator: 1, denominator: 4 }), 0.25);
  });
});

describe("budget positions", () => {
  const lines = [
    { name: "Placements", controllableBudget: m("37.875"), forecastOutturn: m("47.937") },
    { name: "Potential additional placement costs", controllableBudget: 0, forecastOutturn: m("1.3") },
    { name: "Grant income", controllableBudget: m("-3.795"), forecastOutturn: m("-3.796") },
  ];

  it("totals lines exactly, then compares", () => {
    const total = totalPosition(lines);
    assert.equal(total.controllableBudget, m("34.08"));
    assert.equal(total.forecastOutturn, m("45.441"));
    assert.equal(total.variance, m("11.361"));
  });

  it("a total of no lines is zero", () => {
    assert.deepEqual(totalPosition([]), budgetPosition(0, 0));
  });

  it("adds one-off funding to the budget below the total, leaving the forecast alone", () => {
    const before = budgetPosition(m("120.833"), m("134.676"));
    const after = positionAfterFunding(before, m("9.599"));
    assert.equal(after.controllableBudget, m("130.432"));
    assert.equal(after.forecastOutturn, m("134.676"));
    assert.equal(after.variance, m("4.244"));
    assert.equal(formatPercentage(after.variancePercentage), "3.3%");
  });
});

describe("reconciliation", () => {
  it("says whether a computed figure agrees with a stated one, and by how much it does not", () => {
    assert.deepEqual(reconcile("Total", 100, 100), {
      label: "Total",
      computed: 100,
      stated: 100,
      difference: 0,
      agrees: true,
      parts: 1,
    });
    const off = reconcileTotal("Total", [100, 250], 300);
    assert.equal(off.agrees, false);
    assert.equal(off.difference, 50);
    assert.equal(off.parts, 2);
    assert.equal(
      describeReconciliation(off),
      "Total: the parts add to £3.50 but the stated total is £3.00, a difference of £0.50.",
    );
    assert.equal(describeReconciliation(reconcile("Net", 100, 100)), "Net: £1.00 agrees.");
  });

  it("tells a difference that rounding each figure could cause from one it could not", () => {
    // Three parts and a total, each rounded to the pound, can miss by up to 4 x 50p = £2.
    assert.equal(withinRounding(reconcileTotal("T", [100, 100, 100], 100), 100), true); // £2
    assert.equal(withinRounding(reconcileTotal("T", [100, 100, 101], 100), 100), false); // £2.01
    assert.equal(withinRounding(reconcileTotal("T", [100, 100, 100], 500), 100), true); // -£2
    assert.equal(withinRounding(reconcileTotal("T", [100, 100, 100], 501), 100), false); // -£2.01
    assert.equal(withinRounding(reconcile("T", 5, 5), 100), true);
    assert.throws(() => withinRounding(reconcile("T", 5, 5), 0), RangeError);
  });
});

describe("approved controllable budget", () => {
  const headings = (values: readonly number[]): Record<SubjectiveHeading, number> =>
    Object.fromEntries(
      SUBJECTIVE_HEADINGS.map((heading, index) => [heading, pounds(values[index] ?? 0)]),
    ) as Record<SubjectiveHeading, number>;

  const strategic: ControllableBudgetRow = {
    division: "Strategic Services",
    headings: headings([6_994_969, 28_558, 32_445, 87_142, 0, 0, -439_928, -3_982_214]),
    income: pounds(-222_646),
    grants: 0,
    statedGross: pounds(2_720_972),
    statedNet: pounds(2_498_326),
  };
  const unallocated: ControllableBudgetRow = {
    division: "Unallocated budget reductions",
    headings: headings([256_504, 0, 0, 0, 0, 0, -204_005, 0]),
    income: 0,
    grants: 0,
    statedGross: pounds(52_499),
    statedNet: pounds(52_499),
  };
  const total: ControllableBudgetRow = {
    division: "Total controllable budget",
    headings: headings([7_251_473, 28_558, 32_445, 87_142, 0, 0, -643_933, -3_982_214]),
    income: pounds(-222_646),
    grants: 0,
    statedGross: pounds(2_773_471),
    statedNet: pounds(2_550_825),
  };

  it("gross is the sum of the eight subjective headings; net adds income and grants", () => {
    assert.equal(grossBudget(strategic.headings), pounds(2_720_972));
    assert.equal(netBudget(strategic), pounds(2_498_326));
  });

  it("reconciles rows and columns against the stated figures", () => {
    const result = reconcileControllableBudget([strategic, unallocated], total);
    assert.equal(result.agrees, true);
    // 2 rows and the total row x (gross, net) + 8 headings + gross, income, grants, net columns.
    assert.equal(result.checks.length, 6 + 12);
    assert.deepEqual(result.disagreements, []);
  });

  it("reports every disagreement with a stated figure, not just the first", () => {
    const wrongRow = { ...strategic, statedNet: pounds(2_498_000) };
    const wrongTotal = { ...total, headings: { ...total.headings, premises: pounds(28_000) } };
    const result = reconcileControllableBudget([wrongRow, unallocated], wrongTotal);
    assert.equal(result.agrees, false);
    assert.deepEqual(
      result.disagreements.map((d) => [d.label, d.difference, d.parts]),
      [
        ["Strategic Services: Net Budget", pounds(326), 3],
        ["Total controllable budget: Gross Budget", pounds(-558), 8],
        ["Total: Premises", pounds(558), 2],
        ["Total: Net Budget", pounds(-326), 2],
      ],
    );
  });

  it("checks figures as printed: a row's net from its printed gross, a column from its printed cells", () => {
    // A gross printed £1 above its headings (as rounding to the pound can give) carries into the
    // net only through the printed gross, so the net agrees and only the gross is reported.
    const rounded = { ...strategic, statedGross: pounds(2_720_973), statedNet: pounds(2_498_327) };
    const result = reconcileControllableBudget([rounded]);
    assert.deepEqual(
      result.disagreements.map((d) => [d.label, d.difference]),
      [["Strategic Services: Gross Budget", pounds(-1)]],
    );
    assert.ok(result.disagreements.every((d) => withinRounding(d, 100)));
  });

  it("checks only the rows' own arithmetic when no total row is given", () => {
    const result = reconcileControllableBudget([strategic]);
    assert.equal(result.checks.length, 2);
    assert.equal(result.agrees, true);
  });
});

describe("savings", () => {
  it("target = current-year reductions + unachieved prior-year reductions brought forward", () => {
    assert.equal(savingsTarget(m("2.35"), m("0.829")), m("3.179"));
  });

  it("an initiative's shortfall is achieved minus amount; it is on track when that is not negative", () => {
    const finance = { name: "Finance", amount: m("0.037"), forecastAchieved: m("0.033") };
    assert.equal(initiativeShortfall(finance), m("-0.004"));
    assert.equal(initiativeOnTrack(finance), false);
    const early = { name: "Early Help", amount: m("0.167"), forecastAchieved: m("0.167") };
    assert.equal(initiativeShortfall(early), 0);
    assert.equal(initiativeOnTrack(early), true);
    const extra = { name: "More", amount: m("0.1"), forecastAchieved: m("0.15") };
    assert.equal(initiativeShortfall(extra), m("0.05"));
    assert.equal(initiativeOnTrack(extra), true);
  });

  it("the position gives identified, achieved, shortfall and the shortfall of identified savings", () => {
    const position = savingsPosition(m("2.35"), m("0.829"), [
      { name: "A", amount: m("2.0"), forecastAchieved: m("1.207") },
      { name: "B", amount: m("0.35"), forecastAchieved: 0 },
    ]);
    assert.equal(position.target, m("3.179"));
    assert.equal(position.identified, m("2.35"));
    assert.equal(position.forecastAchieved, m("1.207"));
    assert.equal(position.shortfall, m("-1.143"));
    assert.equal(position.shortfallOfIdentifiedSavings, m("0.829"));
    assert.equal(position.onTrack, false);
    assert.deepEqual(
      position.initiatives.map((i) => [i.shortfall, i.onTrack]),
      [
        [m("-0.793"), false],
        [m("-0.35"), false],
      ],
    );
  });

  it("a surplus of identified savings is negative; no initiatives means nothing identified", () => {
    const surplus = savingsPosition(m("1"), 0, [{ name: "A", amount: m("1.5"), forecastAchieved: m("1.5") }]);
    assert.equal(surplus.shortfallOfIdentifiedSavings, m("-0.5"));
    assert.equal(surplus.onTrack, true);
    const none = savingsPosition(m("1"), m("0.5"), []);
    assert.equal(none.identified, 0);
    assert.equal(none.shortfallOfIdentifiedSavings, m("1.5"));
  });
});

describe("largest remainder", () => {
  it("gives the debt profile shares adding to 100.0%", () => {
    const shares = percentageShares(
      [m("0.151"), m("0.204"), m("0.087"), m("0.014"), m("0.013"), m("0.013")],
      1,
    );
    assert.deepEqual(shares, [313, 423, 181, 29, 27, 27]);
    assert.deepEqual(
      shares.map((share) => formatShare(share)),
      ["31.3%", "42.3%", "18.1%", "2.9%", "2.7%", "2.7%"],
    );
  });

  it("breaks ties in favour of the earlier part", () => {
    assert.deepEqual(largestRemainder([1, 1, 1], 100), [34, 33, 33]);
    assert.deepEqual(largestRemainder([1, 1], 1), [1, 0]);
  });

  it("handles zero shares, a zero total and whole-number quotas", () => {
    assert.deepEqual(largestRemainder([0, 0, 5], 10), [0, 0, 10]);
    assert.deepEqual(largestRemainder([1, 3], 0), [0, 0]);
    assert.deepEqual(largestRemainder([1, 3], 4), [1, 3]);
    assert.deepEqual(largestRemainder([], 10), []);
    assert.deepEqual(largestRemainder([0, 0], 10), [0, 0]);
    assert.deepEqual(percentageShares([1, 1, 1], 0), [34, 33, 33]);
  });

  it("refuses negative or fractional weights and totals", () => {
    assert.throws(() => largestRemainder([-1, 2], 10), RangeError);
    assert.throws(() => largestRemainder([1.5, 2], 10), RangeError);
    assert.throws(() => largestRemainder([1, 2], -1), RangeError);
    assert.throws(() => percentageShares([1, 2], 1.5), RangeError);
  });

  const weights = fc.array(fc.integer({ min: 0, max: 1e12 }), { minLength: 1, maxLength: 30 });
  const nonZero = weights.filter((ws) => ws.some((w) => w > 0));

  it("always sums to the target (property)", () => {
    fc.assert(
      fc.property(nonZero, fc.integer({ min: 0, max: 1e6 }), (ws, total) => {
        const parts = largestRemainder(ws, total);
        assert.equal(parts.length, ws.length);
        assert.equal(
          parts.reduce((a, b) => a + b, 0),
          total,
        );
      }),
    );
  });

  it("keeps each share within one unit of its exact value, never below its floor (property)", () => {
    fc.assert(
      fc.property(nonZero, fc.integer({ min: 0, max: 1e6 }), (ws, total) => {
        const parts = largestRemainder(ws, total);
        const sum = ws.reduce((a, b) => a + BigInt(b), 0n);
        parts.forEach((part, index) => {
          const exact = BigInt(ws[index] ?? 0) * BigInt(total); // exact share = exact / sum
          const scaled = BigInt(part) * sum;
          assert.ok(scaled >= exact - (exact % sum), "at least the floor of the quota");
          assert.ok(scaled - exact < sum, "less than one unit above the quota");
          assert.ok(exact - scaled < sum, "less than one unit below the quota");
        });
      }),
    );
  });

  it("percentage shares add to exactly 100 at any number of decimals (property)", () => {
    fc.assert(
      fc.property(nonZero, fc.integer({ min: 0, max: 3 }), (ws, decimals) => {
        const shares = percentageShares(ws, decimals);
        assert.equal(
          shares.reduce((a, b) => a + b, 0),
          100 * 10 ** decimals,
        );
      }),
    );
  });
});

describe("roundedColumnCheck", () => {
  it("detects the debt profile's printed shares adding to 99.9%, not the 100.0% shown", () => {
    const check = roundedColumnCheck([313, 423, 180, 29, 27, 27], 1, 1000);
    assert.equal(check.adds, false);
    assert.equal(check.sumOfDisplayedParts, 999);
    assert.equal(check.displayedTotal, 1000);
    assert.equal(check.difference, -1);
    assert.equal(check.differenceInSteps, -1);
  });

  it("rounds exact parts to the display resolution before adding", () => {
    // £0.0004m three times: each shows 0.000, the total 0.0012m shows 0.001.
    const check = roundedColumnCheck([40_000, 40_000, 40_000], 100_000);
    assert.equal(check.sumOfDisplayedParts, 0);
    assert.equal(check.displayedTotal, 100_000);
    assert.equal(check.adds, false);
    assert.equal(check.differenceInSteps, -1);
    // Halves round away from zero, negatives too: -0.0005 + -0.0005 show -0.002 against -0.001.
    const negative = roundedColumnCheck([-50_000, -50_000], 100_000);
    assert.equal(negative.sumOfDisplayedParts, -200_000);
    assert.equal(negative.displayedTotal, -100_000);
    assert.equal(negative.differenceInSteps, -1);
  });

  it("agrees when the displayed parts add to the displayed total", () => {
    const check = roundedColumnCheck(
      [m("3.612"), m("0.726"), m("0.721"), m("0.706"), m("1.336")],
      100_000,
      m("7.101"),
    );
    assert.equal(check.adds, true);
    assert.equal(check.difference, 0);
    assert.equal(roundedColumnCheck([], 1).adds, true);
  });

  it("refuses a resolution that is not a positive whole number", () => {
    assert.throws(() => roundedColumnCheck([1], 0), RangeError);
  });
});

describe("balance trends", () => {
  it("compares a balance with the previous quarter's", () => {
    assert.equal(balanceTrend(m("3.612"), m("3.5")), "up");
    assert.equal(balanceTrend(m("0.726"), m("0.726")), "unchanged");
    assert.equal(balanceTrend(m("0.1"), m("0.2")), "down");
    assert.equal(balanceTrend(m("-0.1"), 0), "down");
  });

  it("is unknown when either balance is unknown", () => {
    assert.equal(balanceTrend(m("3.612"), undefined), "unknown");
    assert.equal(balanceTrend(undefined, m("3.612")), "unknown");
    assert.equal(BALANCE_TREND_WORDS.unknown, "no previous quarter to compare with");
  });

  it("reads the arrows the reports print and flags anything else", () => {
    assert.equal(parseTrendSymbol("↑"), "up");
    assert.equal(parseTrendSymbol("▲"), "up");
    assert.equal(parseTrendSymbol("="), "unchanged");
    assert.equal(parseTrendSymbol("▼"), "down");
    assert.equal(parseTrendSymbol("?"), undefined);
  });
});

describe("budget RAG", () => {
  const serviceArea = DEFAULT_RAG_THRESHOLDS["service-area"];
  const fund = DEFAULT_RAG_THRESHOLDS.fund;

  it("a service area is red at an overspend of 5% or £0.1m, whichever is lower", () => {
    // £0.1m on a £10m budget is only 1%, but reaches £0.1m.
    assert.equal(budgetRag(m("10"), m("10.1"), serviceArea).rag, "red");
    // 5% of a £1m budget is £50,000: reached before £0.1m.
    assert.equal(budgetRag(m("1"), m("1.05"), serviceArea).rag, "red");
    // Just below both limits.
    assert.equal(budgetRag(m("1"), m("1.049"), serviceArea).rag, "amber");
    assert.equal(budgetRag(m("10"), pounds(10_099_999), serviceArea).rag, "amber");
  });

  it("the whole fund is red at an overspend of 0.5% or £1m, whichever is lower", () => {
    assert.equal(budgetRag(m("120.833"), m("134.676"), fund).rag, "red");
    assert.equal(budgetRag(m("100"), m("100.5"), fund).rag, "red"); // 0.5%
    assert.equal(budgetRag(m("100"), m("100.499"), fund).rag, "amber");
    assert.equal(budgetRag(m("500"), m("501"), fund).rag, "red"); // £1m is 0.2% here
  });

  it("on budget or underspent is green, and says why", () => {
    const on = budgetRag(m("0.033"), m("0.033"));
    assert.equal(on.rag, "green");
    assert.equal(on.explanation, "The forecast equals the budget.");
    const under = budgetRag(m("37.976"), m("37.319"));
    assert.equal(under.rag, "green");
    assert.equal(under.explanation, "An underspend of £657,000 (-1.7%) is within budget.");
  });

  it("explains a red rating with the rule and the numbers", () => {
    assert.equal(
      budgetRag(m("15.491"), m("16.83")).explanation,
      "An overspend of £1,339,000 (8.6%) reaches the red limit of 5.0% of the budget or £100,000, whichever is lower.",
    );
  });

  it("a zero budget with any overspend is red; with an underspend, green", () => {
    assert.equal(budgetRag(0, m("1.3")).rag, "red");
    assert.equal(budgetRag(0, 1).rag, "red");
    assert.equal(budgetRag(0, -1).rag, "green");
    assert.equal(budgetRag(0, 0).rag, "green");
  });

  it("rates a negative (income) budget by its size", () => {
    // Income of £3.795m forecast at £3.5m: £0.295m less income is an overspend.
    assert.equal(budgetRag(m("-3.795"), m("-3.5")).rag, "red");
    assert.equal(budgetRag(m("-3.795"), m("-3.796")).rag, "green");
  });

  it("uses thresholds configured per level, including an amber limit and underspend flag", () => {
    const strict: RagThresholds = {
      red: { basisPoints: 1000, pence: m("1") },
      amber: { basisPoints: 200, pence: m("0.5") },
      amberUnderspend: { basisPoints: 1000, pence: m("1") },
    };
    assert.equal(budgetRag(m("10"), m("10.1"), strict).rag, "green"); // 1%, £0.1m: below amber
    assert.equal(budgetRag(m("10"), m("10.2"), strict).rag, "amber"); // 2%
    assert.equal(budgetRag(m("10"), m("11"), strict).rag, "red"); // 10% and £1m
    assert.equal(budgetRag(m("10"), m("9.5"), strict).rag, "green"); // underspend 5%, £0.5m
    const flagged = budgetRag(m("10"), m("9"), strict);
    assert.equal(flagged.rag, "amber");
    assert.match(flagged.explanation, /underspend of £1,000,000 \(-10\.0%\) reaches the underspend limit/);
    assert.match(budgetRag(m("10"), m("10.1"), strict).explanation, /below the amber limit/);
  });
});

describe("which lines must explain their variance", () => {
  it("none asks nothing; red asks Red lines; red-amber asks Red and Amber lines, never Green", () => {
    const asked = (requirement: "none" | "red" | "red-amber") =>
      (["red", "amber", "green"] as const).filter((rag) => mustExplain(requirement, rag));
    assert.deepEqual(asked("none"), []);
    assert.deepEqual(asked("red"), ["red"]);
    assert.deepEqual(asked("red-amber"), ["red", "amber"]);
  });
});
