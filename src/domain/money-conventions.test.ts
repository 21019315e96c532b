import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { formatMoney, formatParsedMoney, type MoneyStyle, parseMoney } from "./money.ts";
import {
  conventionProblems,
  DEFAULT_MONEY_CONVENTIONS,
  formatVariance,
  formatVariancePercentage,
  type MoneyConventions,
  type MoneyUnit,
  moneyUnitFromHeading,
  readAmountCell,
  varianceFromPrinted,
  varianceShare,
} from "./money-conventions.ts";

function amount(text: string, unit: MoneyUnit): number {
  const cell = readAmountCell(text, { unit, field: "Forecast" });
  if (cell.kind !== "amount")
    assert.fail(`expected "${text}" in ${unit} to read, got ${JSON.stringify(cell)}`);
  return cell.pence;
}

function refusal(text: string, unit: MoneyUnit, field = "Forecast"): string {
  const cell = readAmountCell(text, { unit, field });
  if (cell.kind !== "refused") assert.fail(`expected "${text}" in ${unit} to be refused, got ${cell.kind}`);
  return cell.reason;
}

describe("moneyUnitFromHeading", () => {
  const cases: [string, MoneyUnit | null][] = [
    ["Budget £000", "thousands"],
    ["Forecast (£'000)", "thousands"],
    ["Outturn £000s", "thousands"],
    ["Variance £k", "thousands"],
    ["£ thousands", "thousands"],
    ["Budget £m", "millions"],
    ["Forecast (£m)", "millions"],
    ["Net budget £ million", "millions"],
    ["£mn", "millions"],
    ["Budget (£)", "pounds"],
    ["£", "pounds"],
    ["Budget", null],
    ["Variance %", null],
    ["Manager", null],
  ];
  for (const [heading, unit] of cases) {
    it(`reads "${heading}" as ${unit ?? "no unit"}`, () => assert.equal(moneyUnitFromHeading(heading), unit));
  }
});

describe("readAmountCell: a figure in its column's unit, exactly", () => {
  it("scales £000 and £m figures exactly, never as floating point", () => {
    assert.equal(amount("12,345", "thousands"), 1_234_500_000);
    assert.equal(amount("1.234", "millions"), 123_400_000);
    assert.equal(amount("0.012", "millions"), 1_200_000);
    assert.equal(amount("12,345.67", "thousands"), 1_234_567_000);
    assert.equal(amount("0.00001", "thousands"), 1);
    assert.equal(amount("12,345", "pounds"), 1_234_500);
    // 0.1 + 0.2 in floating point is 0.30000000000000004: here each is exact.
    assert.equal(amount("0.1", "millions") + amount("0.2", "millions"), amount("0.3", "millions"));
  });

  it("reads brackets and a leading minus as negative, with or without the pound sign", () => {
    assert.equal(amount("(0.012)", "millions"), -1_200_000);
    assert.equal(amount("-0.012", "millions"), -1_200_000);
    assert.equal(amount("£(1,234)", "pounds"), -123_400);
    assert.equal(amount("(£1,234)", "pounds"), -123_400);
    assert.equal(amount("-£1,234", "pounds"), -123_400);
    assert.equal(amount("(1,234)", "thousands"), -123_400_000);
  });

  it("reads blank and a dash as not reported, which is not zero", () => {
    for (const text of ["", "  ", "-", "–", "—", "\u00a0-\u00a0"]) {
      assert.equal(readAmountCell(text, { unit: "thousands", field: "Budget" }).kind, "not-reported", text);
    }
    assert.equal(amount("0", "thousands"), 0);
  });

  it("refuses a fraction of a penny after scaling, naming the field, unit and value", () => {
    const reason = refusal("1.234567891", "millions", "Forecast (£m)");
    assert.match(reason, /^Forecast \(£m\) \(in £m\): "1\.234567891"/);
    assert.match(reason, /fraction of a penny/);
    assert.match(refusal("0.000001", "thousands"), /in £000.*"0\.000001".*fraction of a penny/);
    assert.match(refusal("12.345", "pounds"), /in pounds.*"12\.345"/);
  });

  it("refuses what is not an amount, naming the field", () => {
    assert.match(
      refusal("about 12", "pounds", "Savings target"),
      /^Savings target \(in pounds\): .*words before/,
    );
    assert.match(refusal("£(1,234", "pounds"), /bracket without its partner/);
    assert.match(refusal("££12", "pounds"), /Forecast/);
    assert.match(refusal("£(£12)", "pounds"), /two pound signs/);
  });

  it("prints '£(1,234)' back as written", () => {
    const parsed = parseMoney("£(1,234)");
    assert.ok(parsed.ok);
    assert.equal(formatParsedMoney(parsed), "£(1,234)");
  });

  it("scales any whole number of units exactly (property)", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }),
        fc.constantFrom<[MoneyUnit, number]>(["pounds", 2], ["thousands", 5], ["millions", 8]),
        (units, [unit, places]) => {
          // units of the smallest amount each unit can hold exactly: a penny.
          const negative = units < 0n;
          const digits = (negative ? -units : units).toString().padStart(places + 1, "0");
          const text = `${negative ? "-" : ""}${digits.slice(0, -places)}.${digits.slice(-places)}`;
          assert.equal(amount(text, unit), Number(units));
        },
      ),
    );
  });
});

describe("variance brackets: underspend or overspend", () => {
  const style: MoneyStyle = {
    scale: "millions",
    decimals: 3,
    symbol: false,
    suffix: "",
    negative: "brackets",
    grouping: true,
  };

  it("reads a bracketed figure as an underspend where brackets mean underspend", () => {
    const printed = amount("(0.012)", "millions");
    assert.equal(varianceFromPrinted(printed, { bracketsMean: "underspend" }), -1_200_000);
    assert.equal(formatVariance(-1_200_000, style, { bracketsMean: "underspend" }), "(0.012)");
    assert.equal(formatVariance(1_200_000, style, { bracketsMean: "underspend" }), "0.012");
  });

  it("reads a bracketed figure as an overspend where brackets mean overspend", () => {
    const printed = amount("(0.012)", "millions");
    assert.equal(varianceFromPrinted(printed, { bracketsMean: "overspend" }), 1_200_000);
    assert.equal(formatVariance(1_200_000, style, { bracketsMean: "overspend" }), "(0.012)");
    assert.equal(formatVariance(-1_200_000, style, { bracketsMean: "overspend" }), "0.012");
    assert.ok(Object.is(varianceFromPrinted(0, { bracketsMean: "overspend" }), 0));
  });

  it("prints back what it read, under either setting (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e7, max: 1e7 }),
        fc.constantFrom("underspend", "overspend"),
        (p, mean) => {
          const pence = p * 100_000;
          const printed = formatMoney(pence, style);
          const read = varianceFromPrinted(amount(printed, "millions"), { bracketsMean: mean });
          assert.equal(formatVariance(read, style, { bracketsMean: mean }), printed);
        },
      ),
    );
  });
});

describe("variance percentage by the council's conventions", () => {
  const conventions = (overrides: Partial<MoneyConventions>): MoneyConventions => ({
    ...DEFAULT_MONEY_CONVENTIONS,
    ...overrides,
  });

  it("on a positive budget both conventions agree", () => {
    // Budget £1,000, forecast £1,125: 12.5% over.
    for (const negativeBase of ["against-size", "as-signed"] as const) {
      assert.equal(formatVariancePercentage(100_000, 112_500, conventions({ negativeBase })), "12.5%");
    }
  });

  it("on a negative budget (income) the sign follows the council's convention", () => {
    // Income budget -£1,000, forecast -£900: £100 less income, an overspend of £100.
    assert.equal(
      formatVariancePercentage(-100_000, -90_000, conventions({ negativeBase: "against-size" })),
      "10.0%",
    );
    assert.equal(
      formatVariancePercentage(-100_000, -90_000, conventions({ negativeBase: "as-signed" })),
      "-10.0%",
    );
    assert.deepEqual(varianceShare(-100_000, -90_000, { negativeBase: "as-signed" }), {
      numerator: -10_000,
      denominator: 100_000,
    });
  });

  it("prints the decimal places the council chooses, rounding half away from zero", () => {
    // £1 over on £3: 33.333...%.
    assert.equal(formatVariancePercentage(300, 400, conventions({ percentageDecimals: 0 })), "33%");
    assert.equal(formatVariancePercentage(300, 400, conventions({ percentageDecimals: 2 })), "33.33%");
    assert.equal(formatVariancePercentage(800, 700, conventions({ percentageDecimals: 2 })), "-12.50%");
  });

  it("prints a zero budget as the council chooses", () => {
    assert.equal(formatVariancePercentage(0, 5_000, conventions({ zeroBase: "-" })), "-");
    assert.equal(formatVariancePercentage(0, 5_000, conventions({ zeroBase: "n/a" })), "n/a");
    assert.equal(formatVariancePercentage(0, 5_000, conventions({ zeroBase: "100%" })), "100.0%");
    assert.equal(
      formatVariancePercentage(0, -5_000, conventions({ zeroBase: "100%", percentageDecimals: 0 })),
      "-100%",
    );
    assert.equal(formatVariancePercentage(0, 0, conventions({ zeroBase: "100%" })), "0.0%");
    assert.equal(varianceShare(0, 0, { negativeBase: "as-signed" }), null);
  });

  it("says what is wrong with conventions from a form", () => {
    assert.deepEqual(conventionProblems(DEFAULT_MONEY_CONVENTIONS), []);
    const wrong = {
      bracketsMean: "sideways",
      negativeBase: "up",
      percentageDecimals: 1.5,
      zeroBase: "0",
    } as unknown as MoneyConventions;
    assert.equal(conventionProblems(wrong).length, 4);
  });
});
