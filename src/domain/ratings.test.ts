import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import {
  colourBadge,
  DEFAULT_RATING_RULES,
  isOffTarget,
  type MeasureRatingInput,
  RATINGS,
  rateMeasure,
  ratingBadge,
  ratingMeta,
} from "./ratings.ts";

function input(
  overrides: Partial<MeasureRatingInput> & Pick<MeasureRatingInput, "target" | "value">,
): MeasureRatingInput {
  return { unit: "percent", decimals: 1, polarity: "higher-is-better", period: "2020/21", ...overrides };
}

describe("the rating key", () => {
  it("has the council's five levels, best first, each with a word and a symbol besides its colour", () => {
    assert.deepEqual(
      RATINGS.map((r) => `${r.label} (${r.colour})`),
      [
        "Strong (blue)",
        "Good (green)",
        "Review (amber)",
        "Action (red)",
        "Data not available / target not set (grey)",
      ],
    );
    for (const field of ["label", "shortWord", "symbol"] as const) {
      const values = RATINGS.map((r) => r[field]);
      assert.equal(new Set(values).size, 5, `${field} tells the levels apart without colour`);
      assert.ok(values.every((v) => v.trim().length > 0));
    }
    assert.deepEqual(ratingBadge("review"), { words: "Review", className: "review" });
    assert.deepEqual(ratingBadge("not-available"), {
      words: "Data not available / target not set",
      className: "none",
    });
    // Any scheme's level shows by its colour, in its own words.
    assert.deepEqual(colourBadge("red", "Red"), { words: "Red", className: "action" });
    assert.equal(ratingMeta("not-available").shortWord, "No data");
  });

  it("off target is the amber and red levels of any key, not the best, on-target or grey ones", () => {
    assert.deepEqual((["blue", "green", "amber", "red", "grey"] as const).filter(isOffTarget), [
      "amber",
      "red",
    ]);
  });
});

describe("rateMeasure: the seed measures", () => {
  it("rates missing episodes, 909 against 'Less than 810', as Action", () => {
    const rating = rateMeasure(
      input({ target: "Less than 810", value: 909, unit: "count", decimals: 0, polarity: "lower-is-better" }),
    );
    assert.equal(rating.rating, "action");
    assert.equal(
      rating.explanation,
      "Action: 909 is not less than 810; missed by 99, more than the tolerance of 40.5 (5% of 810).",
    );
    assert.deepEqual(rating.tolerance, { amount: 40.5, decimals: 1, unit: "count" });
  });

  it("rates care leavers in suitable accommodation, 96.3% against '95% or above', Good, or Strong after 96%", () => {
    const base = input({ target: "95% or above", value: 96.3 });
    const good = rateMeasure(base);
    assert.equal(good.rating, "good");
    assert.equal(
      good.explanation,
      "Good: 96.3% is at least 95%, with no figure for the previous period to show improvement.",
    );
    const strong = rateMeasure({ ...base, previousValue: 96, previousPeriod: "2019/20" });
    assert.equal(strong.rating, "strong");
    assert.equal(strong.explanation, "Strong: 96.3% is at least 95%, and improved on 96% for 2019/20.");
    const flat = rateMeasure({ ...base, previousValue: 96.3, previousPeriod: "2019/20" });
    assert.equal(flat.rating, "good");
    assert.equal(flat.explanation, "Good: 96.3% is at least 95%, but did not improve on 96.3% for 2019/20.");
  });

  it("rates a met target Good, not Strong, when the previous figure is not for a like period", () => {
    const rating = rateMeasure({
      ...input({ target: "95% or above", value: 96.3 }),
      previousValue: 96,
      previousPeriod: "2019/20",
      previousUnlike: "the 96% for 2019/20 covers a different span from Dec 20",
    });
    assert.equal(rating.rating, "good");
    assert.equal(
      rating.explanation,
      "Good: 96.3% is at least 95%; the 96% for 2019/20 covers a different span from Dec 20, so improvement is not shown.",
    );
  });

  it("rates a monitor measure grey", () => {
    const rating = rateMeasure(
      input({
        target: "Monitor (no target to be set)",
        value: 58,
        unit: "rate-per-10k",
        decimals: 0,
        polarity: "monitor",
      }),
    );
    assert.equal(rating.rating, "not-available");
    assert.equal(rating.meta.colour, "grey");
    assert.match(rating.explanation, /^Data not available \/ target not set \(.*monitored only.*\)\.$/);
  });

  it("rates a monitor measure grey even if a target was typed in", () => {
    const rating = rateMeasure(
      input({ target: "Less than 60", value: 58, unit: "rate-per-10k", decimals: 0, polarity: "monitor" }),
    );
    assert.equal(rating.rating, "not-available");
  });

  it("rates council-run children's homes, 81.8% against '100.0%', as Action", () => {
    const rating = rateMeasure(input({ target: "100.0%", value: 81.8 }));
    assert.equal(rating.rating, "action");
    assert.equal(
      rating.explanation,
      "Action: 81.8% is below 100.0%; missed by 18.2 percentage points, more than the tolerance of 5 percentage points (5% of 100.0%).",
    );
  });

  it("rates 'Achieve top-quartile performance' with no benchmark data grey, saying what is missing", () => {
    const rating = rateMeasure(
      input({
        target: "Achieve top-quartile performance",
        value: 1.9,
        polarity: "lower-is-better",
        period: "2021/22",
      }),
    );
    assert.equal(rating.rating, "not-available");
    assert.equal(rating.verdict.outcome, "cannot-assess");
    assert.equal(
      rating.explanation,
      "Data not available / target not set (cannot assess: no all-authority values for 2021/22 to find the quartile).",
    );
  });

  it("rates 9.0% against '4-8%' Review, within the 1 percentage point floor, and 9.5% Action", () => {
    const review = rateMeasure(input({ target: "4-8%", value: 9.0, polarity: "lower-is-better" }));
    assert.equal(review.rating, "review");
    assert.equal(
      review.explanation,
      "Review: 9.0% is above the range 4-8%; missed by 1.0 percentage point, within the tolerance of 1 percentage point (the 1 percentage point floor for percentages).",
    );
    assert.equal(
      rateMeasure(input({ target: "4-8%", value: 9.5, polarity: "lower-is-better" })).rating,
      "action",
    );
    assert.equal(
      rateMeasure(input({ target: "4-8%", value: 6.7, polarity: "lower-is-better" })).rating,
      "good",
    );
    assert.equal(
      rateMeasure(input({ target: "4-8%", value: 3.1, polarity: "lower-is-better" })).rating,
      "review",
    );
  });

  it("rates a value with no figure, or words not understood, grey", () => {
    assert.equal(rateMeasure(input({ target: "95% or above", value: null })).rating, "not-available");
    assert.equal(rateMeasure(input({ target: "TBC", value: 50 })).rating, "not-available");
    assert.equal(rateMeasure(input({ target: "Something odd", value: 50 })).rating, "not-available");
  });
});

describe("rateMeasure: the tolerance", () => {
  it("takes 5% of the target where that is larger than 1 percentage point", () => {
    const rating = rateMeasure(input({ target: "98% or above?", value: 96.2 }));
    assert.equal(rating.rating, "review");
    assert.equal(
      rating.explanation,
      "Review: 96.2% is below 98%; missed by 1.8 percentage points, within the tolerance of 4.9 percentage points (5% of 98%).",
    );
    assert.match(rating.verdict.caveats.join(" "), /question mark/);
  });

  it("has no percentage point floor for counts, money or days", () => {
    const count = rateMeasure(input({ target: "Maintain over 500", value: 480, unit: "count", decimals: 0 }));
    assert.deepEqual([count.rating, count.tolerance?.amount], ["review", 25]);
    const money = rateMeasure(
      input({
        target: "Less than £155,000",
        value: 220846,
        unit: "money",
        decimals: 0,
        polarity: "lower-is-better",
      }),
    );
    assert.equal(money.rating, "action");
    assert.match(
      money.explanation,
      /missed by £65,846, more than the tolerance of £7,750 \(5% of £155,000\)/,
    );
  });

  it("is inclusive and exact: missed by exactly the tolerance is Review", () => {
    const at = rateMeasure(
      input({
        target: "Less than 810",
        value: 850.5,
        unit: "count",
        decimals: 1,
        polarity: "lower-is-better",
      }),
    );
    assert.equal(at.rating, "review");
    const past = rateMeasure(
      input({
        target: "Less than 810",
        value: 850.6,
        unit: "count",
        decimals: 1,
        polarity: "lower-is-better",
      }),
    );
    assert.equal(past.rating, "action");
    // A strict threshold met exactly is missed by 0.
    assert.equal(
      rateMeasure(
        input({
          target: "Less than 380",
          value: 380,
          unit: "count",
          decimals: 0,
          polarity: "lower-is-better",
        }),
      ).rating,
      "review",
    );
  });

  it("can be set by the council", () => {
    const strict = { tolerancePercentOfTarget: 0, tolerancePercentagePoints: 0 };
    assert.equal(
      rateMeasure(input({ target: "4-8%", value: 8.1, polarity: "lower-is-better" }), strict).rating,
      "action",
    );
    const loose = { tolerancePercentOfTarget: 10, tolerancePercentagePoints: 2 };
    assert.equal(
      rateMeasure(input({ target: "4-8%", value: 9.5, polarity: "lower-is-better" }), loose).rating,
      "review",
    );
    assert.deepEqual(DEFAULT_RATING_RULES, { tolerancePercentOfTarget: 5, tolerancePercentagePoints: 1 });
    assert.throws(
      () =>
        rateMeasure(input({ target: "95%", value: 90 }), {
          tolerancePercentOfTarget: -1,
          tolerancePercentagePoints: 1,
        }),
      RangeError,
    );
  });

  it("never rates a bigger miss better than a smaller one (property)", () => {
    const order = ["strong", "good", "review", "action"];
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 0, max: 2000 }), (a, b) => {
        const rate = (tenths: number) =>
          rateMeasure(input({ target: "95% or above", value: tenths / 10, unit: "percent", decimals: 1 }))
            .rating;
        const [closer, further] = a >= b ? [a, b] : [b, a];
        assert.ok(order.indexOf(rate(closer)) <= order.indexOf(rate(further)));
      }),
    );
  });
});

describe("rateMeasure: improvement", () => {
  it("looks up the previous like period's value when not given", () => {
    const rating = rateMeasure(
      input({
        target: "Less than 15%",
        value: 14.9,
        polarity: "lower-is-better",
        previousPeriod: "2019/20",
        ownValueFor: (p) => (p === "2019/20" ? 20.3 : undefined),
      }),
    );
    assert.equal(rating.rating, "strong");
    assert.equal(rating.explanation, "Strong: 14.9% is less than 15%, and improved on 20.3% for 2019/20.");
  });

  it("reads improvement by polarity: a higher figure is worse when lower is better", () => {
    const rating = rateMeasure(
      input({
        target: "480",
        value: 423,
        unit: "days",
        decimals: 0,
        polarity: "lower-is-better",
        previousValue: 404,
      }),
    );
    assert.equal(rating.rating, "good");
    assert.equal(
      rating.explanation,
      "Good: 423 days is at most 480 days, but did not improve on 404 days for the previous period.",
    );
  });

  it("keeps a within-range measure at Good when in range: a range has no better end", () => {
    const rating = rateMeasure(
      input({
        target: "15-21",
        value: 17,
        unit: "count",
        decimals: 0,
        polarity: "within-range",
        previousValue: 19,
      }),
    );
    assert.deepEqual([rating.rating, rating.explanation], ["good", "Good: 17 is within the range 15-21."]);
  });
});
