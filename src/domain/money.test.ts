import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import type { MoneyParseResult, ParsedMoney, ParseMoneyOptions } from "./money.ts";
import {
  divideRoundHalfAwayFromZero,
  formatMillions,
  formatMoney,
  formatParsedMoney,
  formatPounds,
  formatTableMillions,
  isAllowedAmount,
  MAX_AMOUNT_PENCE,
  parseMoney,
  roundToResolution,
  sumPence,
} from "./money.ts";

function parsed(text: string, options?: ParseMoneyOptions): ParsedMoney {
  const result: MoneyParseResult = parseMoney(text, options);
  if (!result.ok) assert.fail(`expected "${text}" to parse, but: ${result.reason}`);
  return result;
}

function refused(text: string, options?: ParseMoneyOptions): string {
  const result = parseMoney(text, options);
  if (result.ok) assert.fail(`expected "${text}" to be refused, but it parsed as ${result.pence}p`);
  return result.reason;
}

describe("parseMoney accepts the amounts the seeds write", () => {
  const cases: [string, ParseMoneyOptions | undefined, number, number][] = [
    // text, options, pence, resolution in pence
    ["£6,994,969", undefined, 699_496_900, 100],
    ["60,000.00", undefined, 6_000_000, 1],
    ["-439,928", undefined, -43_992_800, 100],
    ["£0.151m", undefined, 15_100_000, 100_000],
    ["£6.464 million", undefined, 646_400_000, 100_000],
    ["£1.390m", undefined, 139_000_000, 100_000],
    ["-0.657", { unit: "millions" }, -65_700_000, 100_000],
    ["(0.657)", { unit: "millions" }, -65_700_000, 100_000],
    ["13.843", { unit: "millions" }, 1_384_300_000, 100_000],
    ["0.000", { unit: "millions" }, 0, 100_000],
    ["£1,100,000", undefined, 110_000_000, 100],
    ["£10 million", undefined, 1_000_000_000, 100_000_000],
    ["£50K", undefined, 5_000_000, 100_000],
    ["£406,291", undefined, 40_629_100, 100],
    ["0", undefined, 0, 100],
    ["1234567", undefined, 123_456_700, 100],
  ];
  for (const [text, options, pence, resolution] of cases) {
    it(`reads ${text}${options?.unit === undefined ? "" : ` in a £m table`} as ${pence}p`, () => {
      const result = parsed(text, options);
      assert.equal(result.pence, pence);
      assert.equal(result.resolutionPence, resolution);
      assert.ok(Number.isSafeInteger(result.pence));
    });
  }

  it("keeps words before the figure as the basis of the amount", () => {
    const result = parsed("Approx. Lifetime costs 150,000.00");
    assert.equal(result.pence, 15_000_000);
    assert.equal(result.note, "Approx. Lifetime costs");
    assert.equal(result.approximate, true);
    assert.equal(parsed("£1,100,000").approximate, false);
    assert.equal(parsed("£1,100,000").note, undefined);
  });

  it("refuses words before the figure when the caller does not allow a note", () => {
    assert.match(
      refused("Approx. Lifetime costs 150,000.00", { allowNote: false }),
      /words before the figure/,
    );
  });

  it("accepts a unit written on the figure in a table of another unit", () => {
    assert.equal(parsed("£0.151m", { unit: "pounds" }).pence, 15_100_000);
    assert.equal(parsed("151,000", { unit: "pounds" }).pence, 15_100_000);
  });

  it("accepts digits past the penny only when they are zero, since that is still exact", () => {
    assert.equal(parsed("£1,234.560").pence, 123_456);
    assert.equal(parsed("£1,234.560").resolutionPence, 1);
  });

  it("never produces negative zero", () => {
    assert.ok(Object.is(parsed("-0.000", { unit: "millions" }).pence, 0));
    assert.ok(Object.is(parsed("(0)").pence, 0));
  });

  it("accepts a typographic minus sign and a minus after the pound sign", () => {
    assert.equal(parsed("−0.657", { unit: "millions" }).pence, -65_700_000);
    assert.equal(parsed("£-1,000").pence, -100_000);
    assert.equal(parsed("-£1,000").pence, -100_000);
  });
});

describe("parseMoney refuses what it cannot read exactly, saying why", () => {
  const cases: [string, RegExp][] = [
    ["£1,234.567", /fraction of a penny/],
    ["£0.123456789m", /fraction of a penny/],
    ["1,23,4", /misplaced thousands separators/],
    ["12,34", /misplaced thousands separators/],
    ["1,2345", /misplaced thousands separators/],
    ["12.5.3", /more than one decimal point/],
    ["", /empty/],
    ["   ", /empty/],
    ["abc", /no figure/],
    ["£", /not an amount/],
    ["12.", /ends with a decimal point/],
    ["(0.657", /bracket/],
    ["(-0.657)", /negative twice/],
    ["--5", /two minus signs|not an amount/],
    ["£5 dollars", /not a unit of money/],
    ["2 years 150,000", /more than one figure/],
    ["1.5,000", /comma after the decimal point/],
    ["99999999999999999", /more than £10,000,000,000/],
    ["10,000,000,000.01", /more than £10,000,000,000, the largest amount/],
    ["-£10,000.000001m", /more than £10,000,000,000/],
    ["£10.001bn", /not a unit of money/],
  ];
  for (const [text, reason] of cases) {
    it(`refuses "${text}"`, () => {
      assert.match(refused(text), reason);
    });
  }
});

describe("printing an amount back as it was written", () => {
  const cases: [string, ParseMoneyOptions | undefined][] = [
    ["£6,994,969", undefined],
    ["60,000.00", undefined],
    ["Approx. Lifetime costs 150,000.00", undefined],
    ["-439,928", undefined],
    ["£0.151m", undefined],
    ["£6.464 million", undefined],
    ["£1.390m", undefined],
    ["-0.657", { unit: "millions" }],
    ["(0.657)", { unit: "millions" }],
    ["£1,100,000", undefined],
    ["13.843", { unit: "millions" }],
    ["0.000", { unit: "millions" }],
    ["£50K", undefined],
    ["1234567", undefined],
  ];
  for (const [text, options] of cases) {
    it(`round-trips ${text}`, () => {
      assert.equal(formatParsedMoney(parsed(text, options)), text);
    });
  }

  it("round-trips any whole-pound amount written with commas", () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e10, max: 1e10 }), (pounds) => {
        const text = formatPounds(pounds * 100);
        const back = parsed(text);
        assert.equal(back.pence, pounds * 100);
        assert.equal(formatParsedMoney(back), text);
      }),
    );
  });

  it("parses any amount printed with pence back to the same pence", () => {
    fc.assert(
      fc.property(fc.integer({ min: -MAX_AMOUNT_PENCE, max: MAX_AMOUNT_PENCE }), (pence) => {
        assert.equal(parsed(formatPounds(pence, { pence: true })).pence, pence);
      }),
    );
  });
});

describe("the largest amount", () => {
  it("accepts exactly £10,000,000,000 either way and nothing beyond", () => {
    assert.equal(MAX_AMOUNT_PENCE, 1_000_000_000_000);
    assert.equal(parsed("£10,000,000,000.00").pence, MAX_AMOUNT_PENCE);
    assert.equal(parsed("(10,000)", { unit: "millions" }).pence, -MAX_AMOUNT_PENCE);
    assert.equal(isAllowedAmount(MAX_AMOUNT_PENCE), true);
    assert.equal(isAllowedAmount(-MAX_AMOUNT_PENCE - 1), false);
  });

  it("a total of 9,007 amounts at the maximum is held exactly", () => {
    assert.equal(sumPence(Array.from({ length: 9007 }, () => MAX_AMOUNT_PENCE)), 9007 * MAX_AMOUNT_PENCE);
  });
});

describe("formatting", () => {
  it("formatPounds shows whole pounds with commas and a pound sign", () => {
    assert.equal(formatPounds(699_496_900), "£6,994,969");
    assert.equal(formatPounds(110_000_000), "£1,100,000");
    assert.equal(formatPounds(-43_992_800), "-£439,928");
    assert.equal(formatPounds(-43_992_800, { symbol: false }), "-439,928");
    assert.equal(formatPounds(6_000_000, { pence: true, symbol: false }), "60,000.00");
    assert.equal(formatPounds(123_456, { pence: true }), "£1,234.56");
    assert.equal(formatPounds(5, { pence: true }), "£0.05");
    assert.equal(formatPounds(0), "£0");
    assert.equal(formatPounds(-100_000, { negative: "brackets" }), "(£1,000)");
  });

  it("formatMillions shows millions to 3 decimals by default", () => {
    assert.equal(formatMillions(15_100_000), "£0.151m");
    assert.equal(formatMillions(646_400_000, 3, { suffix: " million" }), "£6.464 million");
    assert.equal(formatMillions(1_384_300_000), "£13.843m");
    assert.equal(formatMillions(-65_700_000), "-£0.657m");
    assert.equal(formatMillions(1_000_000_000, 0, { suffix: " million" }), "£10 million");
    assert.equal(formatMillions(15_170_828_500, 1), "£151.7m");
  });

  it("formatTableMillions writes the cells of a £m table", () => {
    assert.equal(formatTableMillions(-65_700_000), "-0.657");
    assert.equal(formatTableMillions(1_384_300_000), "13.843");
    assert.equal(formatTableMillions(0), "0.000");
    assert.equal(formatTableMillions(-379_500_000), "-3.795");
    assert.equal(formatTableMillions(-65_700_000, 3, { negative: "brackets" }), "(0.657)");
    assert.equal(formatTableMillions(12_034_567_800_000), "120,345.678");
  });

  it("shows a figure that rounds to zero without a sign", () => {
    assert.equal(formatTableMillions(-49_999), "0.000");
    assert.equal(formatPounds(-49), "£0");
  });

  it("refuses to format an amount that is not whole pence", () => {
    assert.throws(() => formatPounds(1.5), RangeError);
    assert.throws(() => formatMillions(Number.MAX_SAFE_INTEGER + 1), RangeError);
  });
});

describe("display rounding is half away from zero", () => {
  it("rounds halves away from zero, positive and negative", () => {
    // £0.0005m = 50,000 pence sits exactly on the boundary between 0.000 and 0.001.
    assert.equal(formatTableMillions(50_000), "0.001");
    assert.equal(formatTableMillions(-50_000), "-0.001");
    assert.equal(formatTableMillions(49_999), "0.000");
    assert.equal(formatTableMillions(-49_999), "0.000");
    assert.equal(formatTableMillions(150_000), "0.002");
    assert.equal(formatTableMillions(-150_000), "-0.002");
    assert.equal(formatTableMillions(250_000), "0.003");
    assert.equal(formatTableMillions(-250_000), "-0.003");
    // 50p is half a pound.
    assert.equal(formatPounds(50), "£1");
    assert.equal(formatPounds(-50), "-£1");
    assert.equal(formatPounds(150), "£2");
    assert.equal(formatPounds(250), "£3");
    assert.equal(formatPounds(-250), "-£3");
    assert.equal(formatPounds(249), "£2");
  });

  it("divideRoundHalfAwayFromZero follows the rule for every sign", () => {
    assert.equal(divideRoundHalfAwayFromZero(5n, 2n), 3n);
    assert.equal(divideRoundHalfAwayFromZero(-5n, 2n), -3n);
    assert.equal(divideRoundHalfAwayFromZero(5n, -2n), -3n);
    assert.equal(divideRoundHalfAwayFromZero(-5n, -2n), 3n);
    assert.equal(divideRoundHalfAwayFromZero(7n, 2n), 4n);
    assert.equal(divideRoundHalfAwayFromZero(1n, 3n), 0n);
    assert.equal(divideRoundHalfAwayFromZero(2n, 3n), 1n);
    assert.equal(divideRoundHalfAwayFromZero(-2n, 3n), -1n);
    assert.equal(divideRoundHalfAwayFromZero(0n, 3n), 0n);
    assert.throws(() => divideRoundHalfAwayFromZero(1n, 0n), RangeError);
  });

  it("rounding is symmetric: -x rounds to minus the rounding of x", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }),
        fc.bigInt({ min: 1n, max: 10n ** 9n }),
        (n, d) => {
          assert.equal(divideRoundHalfAwayFromZero(-n, d), -divideRoundHalfAwayFromZero(n, d));
          const q = divideRoundHalfAwayFromZero(n, d);
          // Never more than half a step away from the exact value.
          const error = q * d - n;
          assert.ok((error < 0n ? -error : error) * 2n <= d);
        },
      ),
    );
  });

  it("roundToResolution rounds pence to the figure a document would show", () => {
    assert.equal(roundToResolution(15_149_999, 100_000), 15_100_000);
    assert.equal(roundToResolution(15_150_000, 100_000), 15_200_000);
    assert.equal(roundToResolution(-15_150_000, 100_000), -15_200_000);
    assert.throws(() => roundToResolution(1, 0), RangeError);
  });
});

describe("sumPence", () => {
  it("adds exactly and refuses non-integers and overflow", () => {
    assert.equal(sumPence([699_496_900, 2_855_800, -43_992_800]), 658_359_900);
    assert.equal(sumPence([]), 0);
    assert.throws(() => sumPence([0.1, 0.2]), RangeError);
    assert.throws(() => sumPence([Number.MAX_SAFE_INTEGER, 1]), RangeError);
  });

  it("formatMoney honours a style's grouping and decimals", () => {
    const style = {
      scale: "pounds",
      decimals: 2,
      symbol: false,
      suffix: "",
      negative: "minus",
      grouping: false,
    } as const;
    assert.equal(formatMoney(123_456_789, style), "1234567.89");
  });
});
