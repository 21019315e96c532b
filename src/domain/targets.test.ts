import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import type { MeasureUnit, Polarity } from "./measure-types.ts";
import {
  evaluateTarget,
  formatQuantity,
  formatTarget,
  parseTarget,
  splitMeasureWithTarget,
  type Target,
  type TargetContext,
  type TargetKind,
} from "./targets.ts";

/** Every target phrase in the seeds (and docs/domain.md section 5), with the kind it must parse to. */
const SEED_PHRASES: readonly [string, TargetKind][] = [
  ["Less than 380", "threshold"],
  ["Above 90%", "threshold"],
  ["2% or less", "threshold"],
  ["95% or above", "threshold"],
  ["96% or above", "threshold"],
  ["Maintain above 90%", "threshold"],
  ["Maintain over 500", "threshold"],
  ["Less than £155,000", "threshold"],
  ["Less than £41,000", "threshold"],
  ["Less than 15%", "threshold"],
  ["Less than 12%", "threshold"],
  ["Less than 370", "threshold"],
  ["Less than 810", "threshold"],
  ["Maintain 66.7% or above", "threshold"],
  ["Maintain 90% or above", "threshold"],
  ["98% or above", "threshold"],
  ["98% or above?", "threshold"],
  ["4% or less", "threshold"],
  ["to maintain performance above 70%", "threshold"],
  ["maintain performance above 90%", "threshold"],
  ["75%", "value"],
  ["480", "value"],
  ["0.12", "value"],
  ["0.10", "value"],
  ["4.35", "value"],
  ["7.0", "value"],
  ["350", "value"],
  ["100%", "value"],
  ["100.0%", "value"],
  ["91.0%", "value"],
  ["20%", "value"],
  ["43", "value"],
  ["4-8%", "range"],
  ["15-21", "range"],
  ["14-18", "range"],
  ["Maintain 2019/20 performance", "baseline"],
  ["Maintain 2018/19 performance", "baseline"],
  ["increase from 2023-24", "baseline"],
  ["Reduce...", "baseline"],
  ["To be above national average", "benchmark"],
  ["To be above national", "benchmark"],
  ["To be better than the national average", "benchmark"],
  ["to exceed the national average", "benchmark"],
  ["To remain better than national figures", "benchmark"],
  ["To remain lower than national average", "benchmark"],
  ["to maintain an outcome significantly better than the national average", "benchmark"],
  ["To maintain above national performance", "benchmark"],
  ["To be above national performance", "benchmark"],
  ["Achieve top-quartile performance", "quartile"],
  ["Maintain top quartile national performance", "quartile"],
  ["To remain in upper-middle national quartile", "quartile"],
  ["maintain upper-middle or better national quartile performance", "quartile"],
  ["To achieve lower middle quartile performance", "quartile"],
  ["Increase national ranking by 10 places", "rank"],
  ["Gap to be smaller than the national gap", "gap"],
  ["to narrow the national gap compared to the previous year", "gap"],
  ["to exceed the rate of improvement nationally", "gap"],
  ["Monitor (no target to be set)", "none"],
  ["Baseline year", "none"],
  ["baseline to be established during 2024-25", "none"],
  ["Not Set", "none"],
  ["TBC", "none"],
  ["-", "none"],
  ["(programme less than 18m old)", "none"],
  ["", "none"],
];

function context(overrides: Partial<TargetContext> & Pick<TargetContext, "value">): TargetContext {
  return { unit: "percent", decimals: 1, polarity: "higher-is-better", period: "2020/21", ...overrides };
}

function parsed<K extends TargetKind>(text: string, kind: K): Extract<Target, { kind: K }> {
  const target = parseTarget(text);
  assert.equal(target.kind, kind, `"${text}" parsed as ${target.kind}`);
  return target as Extract<Target, { kind: K }>;
}

describe("parseTarget", () => {
  it("parses every target phrase in the seeds to the right kind and gives the words back exactly", () => {
    for (const [text, kind] of SEED_PHRASES) {
      const target = parseTarget(text);
      assert.equal(target.kind, kind, `"${text}" parsed as ${target.kind}: ${target.warnings.join(" ")}`);
      assert.equal(formatTarget(target), text);
    }
  });

  it("reads thresholds with their direction, strictness and figure as written", () => {
    const cases: [string, string, number, number, string][] = [
      ["Less than 380", "below", 380, 0, "none"],
      ["Above 90%", "above", 90, 0, "percent"],
      ["2% or less", "at-most", 2, 0, "percent"],
      ["95% or above", "at-least", 95, 0, "percent"],
      ["Maintain over 500", "above", 500, 0, "none"],
      ["Less than £155,000", "below", 155000, 0, "pounds"],
      ["Maintain 66.7% or above", "at-least", 66.7, 1, "percent"],
      ["to maintain performance above 70%", "above", 70, 0, "percent"],
    ];
    for (const [text, comparison, value, decimals, symbol] of cases) {
      const target = parsed(text, "threshold");
      assert.equal(target.comparison, comparison, text);
      assert.deepEqual(
        [target.figure.value, target.figure.decimals, target.figure.symbol],
        [value, decimals, symbol],
        text,
      );
    }
    assert.equal(parsed("Maintain above 90%", "threshold").sustain, true);
    assert.equal(parsed("Above 90%", "threshold").sustain, false);
  });

  it("keeps the decimals a bare value was written with", () => {
    assert.deepEqual(parsed("7.0", "value").figure, { value: 7, decimals: 1, symbol: "none", text: "7.0" });
    assert.deepEqual(parsed("100.0%", "value").figure, {
      value: 100,
      decimals: 1,
      symbol: "percent",
      text: "100.0%",
    });
    assert.equal(parsed("0.12", "value").figure.decimals, 2);
  });

  it("applies a range's unit to both ends", () => {
    const range = parsed("4-8%", "range");
    assert.deepEqual(
      [range.lower.value, range.lower.symbol, range.upper.value, range.upper.symbol],
      [4, "percent", 8, "percent"],
    );
    const caseload = parsed("15-21", "range");
    assert.deepEqual([caseload.lower.value, caseload.upper.value], [15, 21]);
    assert.equal(parsed("14 to 18", "range").upper.value, 18);
    assert.equal(parsed("4–8%", "range").lower.value, 4, "an en dash reads as a hyphen");
  });

  it("reads baselines against a named period or the previous one", () => {
    assert.deepEqual(
      [
        parsed("Maintain 2019/20 performance", "baseline").direction,
        parsed("Maintain 2019/20 performance", "baseline").period,
      ],
      ["maintain", "2019/20"],
    );
    const increase = parsed("increase from 2023-24", "baseline");
    assert.deepEqual([increase.direction, increase.period], ["increase", "2023-24"]);
    const reduce = parsed("Reduce...", "baseline");
    assert.deepEqual([reduce.direction, reduce.period], ["reduce", null]);
    assert.match(reduce.warnings.join(" "), /words may be missing/);
    const loose = parsed("Reduce the number of placement moves", "baseline");
    assert.equal(loose.period, null);
    assert.match(loose.warnings.join(" "), /previous like period/);
  });

  it("reads benchmark comparisons, literal or by polarity", () => {
    const read = (text: string) => {
      const t = parsed(text, "benchmark");
      return `${t.relation} ${t.comparator}${t.sustain ? " (sustain)" : ""}`;
    };
    assert.equal(read("To be above national average"), "above national");
    assert.equal(read("to exceed the national average"), "above national");
    assert.equal(read("To be better than the national average"), "better national");
    assert.equal(read("To remain better than national figures"), "better national (sustain)");
    assert.equal(read("To remain lower than national average"), "below national (sustain)");
    assert.equal(
      read("to maintain an outcome significantly better than the national average"),
      "significantly-better national (sustain)",
    );
    assert.equal(read("To maintain above national performance"), "above national (sustain)");
    assert.equal(read("To be above the regional average"), "above regional");
    assert.equal(read("To be better than statistical neighbours"), "better statistical-neighbours");
  });

  it("reads the quartile named, the places to climb and the gap test", () => {
    assert.equal(parsed("Achieve top-quartile performance", "quartile").band, "A");
    assert.equal(parsed("Maintain top quartile national performance", "quartile").band, "A");
    assert.equal(parsed("To remain in upper-middle national quartile", "quartile").band, "B");
    assert.equal(
      parsed("maintain upper-middle or better national quartile performance", "quartile").band,
      "B",
    );
    assert.equal(parsed("To achieve lower middle quartile performance", "quartile").band, "C");
    assert.equal(parsed("Increase national ranking by 10 places", "rank").places, 10);
    assert.equal(parsed("Gap to be smaller than the national gap", "gap").test, "smaller-than-national-gap");
    assert.equal(
      parsed("to narrow the national gap compared to the previous year", "gap").test,
      "narrower-than-previous-year",
    );
    assert.equal(
      parsed("to exceed the rate of improvement nationally", "gap").test,
      "improvement-exceeds-national",
    );
  });

  it("says why there is no target", () => {
    const reason = (text: string) => parsed(text, "none").reason;
    assert.equal(reason("Monitor (no target to be set)"), "monitor");
    assert.equal(reason("Baseline year"), "baseline-year");
    assert.equal(reason("baseline to be established during 2024-25"), "baseline-to-be-established");
    assert.equal(reason("Not Set"), "not-set");
    assert.equal(reason("TBC"), "to-be-confirmed");
    assert.equal(reason("-"), "dash");
    assert.equal(reason("(programme less than 18m old)"), "programme-too-new");
    assert.equal(reason("   "), "blank");
  });

  it("keeps a question mark, flags the target as uncertain and still parses it", () => {
    const target = parsed("98% or above?", "threshold");
    assert.equal(target.uncertain, true);
    assert.equal(target.figure.value, 98);
    assert.equal(formatTarget(target), "98% or above?");
    assert.match(target.warnings.join(" "), /question mark/);
    assert.equal(parseTarget("98% or above").uncertain, false);
    assert.deepEqual(parseTarget("98% or above").warnings, []);
  });

  it("reads the refresh's '(target for 2024-25 ...)' by the phrase inside", () => {
    const target = parsed("(target for 2024-25 increase from 2023-24)", "baseline");
    assert.equal(target.forPeriod, "2024-25");
    assert.equal(target.phrase, "increase from 2023-24");
    assert.equal(target.period, "2023-24");
    assert.equal(formatTarget(target), "(target for 2024-25 increase from 2023-24)");
    const homes = parsed("(target for 2024-25 maintain performance above 90%)", "threshold");
    assert.deepEqual([homes.comparison, homes.figure.value, homes.forPeriod], ["above", 90, "2024-25"]);
    assert.equal(
      parsed("(target for 2024-25 to exceed the national average)", "benchmark").relation,
      "above",
    );
    assert.equal(
      parsed("(target for 2024-25 baseline to be established during 2024-25)", "none").forPeriod,
      "2024-25",
    );
  });

  it("keeps unknown words verbatim with a plain-English reason, never dropping them", () => {
    for (const text of [
      "Be level with national",
      "Something odd",
      "2019-20",
      "Top 10 nationally?",
      "£4-8%",
    ]) {
      const target = parsed(text, "unparsed");
      assert.equal(formatTarget(target), text);
      assert.ok(target.reason.length > 20, `reason for "${text}": ${target.reason}`);
      assert.ok(target.warnings.includes(target.reason));
    }
    assert.match(parsed("2019-20", "unparsed").reason, /year/);
    assert.match(parsed("Be level with national", "unparsed").reason, /benchmark/);
  });

  it("keeps odd spacing and curly quotes in the stored words", () => {
    const text = "  Less than\u00a0380 ";
    const target = parsed(text, "threshold");
    assert.equal(formatTarget(target), text);
    assert.equal(target.figure.value, 380);
  });

  it("never throws and always gives the words back (property)", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (text) => {
        const target = parseTarget(text);
        assert.equal(formatTarget(target), text);
        if (target.kind === "unparsed") assert.ok(target.reason.length > 0);
      }),
    );
  });
});

describe("splitMeasureWithTarget", () => {
  it("splits a refresh line into title, target year and target phrase", () => {
    assert.deepEqual(
      splitMeasureWithTarget(
        "- The number of children returning home from care (target for 2024-25 increase from 2023-24)",
      ),
      {
        title: "The number of children returning home from care",
        targetPeriod: "2024-25",
        targetPhrase: "increase from 2023-24",
        targetText: "(target for 2024-25 increase from 2023-24)",
      },
    );
    const phonics = splitMeasureWithTarget(
      "- Percentage point gap between disadvantaged pupils in Derbyshire and non-disadvantaged pupils achieving the expected standard in Phonics (target for 2024-25 to narrow the national gap compared to the previous year)",
    );
    assert.equal(phonics.targetPhrase, "to narrow the national gap compared to the previous year");
    assert.ok(phonics.title.endsWith("in Phonics"));
    assert.equal(parseTarget(phonics.targetText ?? "").kind, "gap");
  });

  it("splits and parses every line of the 2024-25 refresh's key performance measures", () => {
    const lines = [
      "- The number of children in care living with Council foster carers (target for 2024-25 increase from 2023-24)",
      "- The number of children returning home from care (target for 2024-25 increase from 2023-24)",
      "- The number of children leaving care through a special guardianship order (target for 2024-25 increase from 2023-24)",
      "- The number of children in care with a placement step down (baseline to be established during 2024-25)",
      "- The number of children being supported to remain at home rather being admitted to care (baseline to be established during 2024-25)",
      "- Proportion of all new Education Health and Care plans issued within 20 weeks (target for 2024-25 to exceed the national average)",
      "- Proportion of new Education Health and Care plans (excluding exceptions) issued within 20 weeks (target for 2024-25 to exceed the national average)",
      "- Proportion of practice areas within reflective case reviews judged to be good or better (target for 2024-25 to maintain performance above 70%)",
      "- Children's social work assessments completed within 45 days (target for 2024-25 maintain upper-middle or better national quartile performance)",
      "- Initial child protection conferences held within 15 days (target for 2024-25 maintain upper-middle or better national quartile performance)",
      "- Percentage of Council run children's homes rated as 'Good' or 'Outstanding' by Ofsted (target for 2024-25 maintain performance above 90%)",
      "- Rate of improvement in the proportion of pupils in 'Good' or better primary schools (target for 2024-25 to exceed the rate of improvement nationally)",
      "- Rate of improvement in the proportion of pupils in 'Good' or better secondary schools (target for 2024-25 to exceed the rate of improvement nationally)",
      "- Percentage of pupils achieving the expected level in Phonics (target for 2024-25 to exceed the national average)",
      "- Percentage point gap between disadvantaged pupils in Derbyshire and non-disadvantaged pupils achieving the expected standard in Phonics (target for 2024-25 to narrow the national gap compared to the previous year)",
      "- Percentage of pupils achieving a grade 4 or above in English and Maths at GCSE (target for 2024-25 to maintain an outcome significantly better than the national average)",
      "- Percentage point gap between disadvantaged pupils in Derbyshire and non-disadvantaged pupils nationally achieving a grade 4 or above in English and Maths at GCSE (target for 2024-25 to narrow the national gap compared to the previous year)",
      "- Percentage of 16-17year olds in employment, education, and training (target for 2024-25 to exceed the national average)",
    ];
    const kinds = lines.map((line) => {
      const split = splitMeasureWithTarget(line);
      assert.ok(split.targetText !== null, line);
      assert.ok(split.title.length > 10 && !split.title.startsWith("-"), line);
      return parseTarget(split.targetText ?? "").kind;
    });
    assert.deepEqual(kinds, [
      "baseline",
      "baseline",
      "baseline",
      "none",
      "none",
      "benchmark",
      "benchmark",
      "threshold",
      "quartile",
      "quartile",
      "threshold",
      "gap",
      "gap",
      "benchmark",
      "gap",
      "benchmark",
      "gap",
      "benchmark",
    ]);
  });

  it("splits the refresh's '(baseline to be established ...)' in place of a target", () => {
    const split = splitMeasureWithTarget(
      "- The number of children in care with a placement step down (baseline to be established during 2024-25)",
    );
    assert.deepEqual(split, {
      title: "The number of children in care with a placement step down",
      targetPeriod: null,
      targetPhrase: "baseline to be established during 2024-25",
      targetText: "(baseline to be established during 2024-25)",
    });
    assert.equal(parsed(split.targetText ?? "", "none").reason, "baseline-to-be-established");
  });

  it("keeps brackets that belong to the title", () => {
    const line =
      "Proportion of new Education Health and Care plans (excluding exceptions) issued within 20 weeks (target for 2024-25 to exceed the national average)";
    const split = splitMeasureWithTarget(line);
    assert.equal(
      split.title,
      "Proportion of new Education Health and Care plans (excluding exceptions) issued within 20 weeks",
    );
    assert.equal(split.targetPhrase, "to exceed the national average");
  });

  it("treats a line without a target as all title", () => {
    assert.deepEqual(splitMeasureWithTarget("Rate of children in care per 10k population"), {
      title: "Rate of children in care per 10k population",
      targetPeriod: null,
      targetPhrase: null,
      targetText: null,
    });
  });
});

describe("evaluateTarget: figures", () => {
  it("says 909 is not less than 810, and by how much", () => {
    const verdict = evaluateTarget(
      "Less than 810",
      context({ value: 909, unit: "count", decimals: 0, polarity: "lower-is-better" }),
    );
    assert.equal(verdict.outcome, "not-met");
    assert.equal(verdict.explanation, "909 is not less than 810.");
    assert.deepEqual(verdict.missedBy, { amount: 99, decimals: 0, unit: "count" });
    assert.deepEqual(verdict.comparedWith, { amount: 810, decimals: 0, unit: "count" });
  });

  it("says 96.3% is at least 95%", () => {
    const verdict = evaluateTarget("95% or above", context({ value: 96.3 }));
    assert.equal(verdict.outcome, "met");
    assert.equal(verdict.explanation, "96.3% is at least 95%.");
    assert.equal(verdict.missedBy, null);
  });

  it("misses a strict threshold by 0 when exactly on it", () => {
    const verdict = evaluateTarget(
      "Less than 380",
      context({ value: 380, unit: "count", decimals: 0, polarity: "lower-is-better" }),
    );
    assert.equal(verdict.outcome, "not-met");
    assert.equal(verdict.explanation, "380 is not less than 380.");
    assert.equal(verdict.missedBy?.amount, 0);
    assert.equal(evaluateTarget("Maintain 90% or above", context({ value: 90.0 })).outcome, "met");
    assert.equal(
      evaluateTarget("Maintain above 90%", context({ value: 89.7 })).explanation,
      "89.7% is not above 90%.",
    );
  });

  it("compares written decimals exactly, never in floating point", () => {
    const rate = (target: string, value: number) =>
      evaluateTarget(
        target,
        context({ value, unit: "decimal-rate", decimals: 2, polarity: "lower-is-better" }),
      ).outcome;
    assert.equal(rate("Above 0.3", 0.1 + 0.2), "not-met");
    assert.equal(rate("0.3", 0.1 + 0.2), "met");
    assert.equal(rate("0.12", 0.12), "met");
    assert.equal(rate("0.12", 0.13), "not-met");
    const exact = evaluateTarget(
      "Less than 0.3",
      context({ value: 0.1 + 0.2, unit: "decimal-rate", decimals: 1 }),
    );
    assert.equal(exact.missedBy?.amount, 0);
  });

  it("reads a bare value by polarity: at least, or at most", () => {
    assert.equal(evaluateTarget("75%", context({ value: 87.2 })).explanation, "87.2% is at least 75%.");
    const days = evaluateTarget(
      "480",
      context({ value: 423, unit: "days", decimals: 0, polarity: "lower-is-better" }),
    );
    assert.deepEqual([days.outcome, days.explanation], ["met", "423 days is at most 480 days."]);
    const sickness = evaluateTarget(
      "7.0",
      context({ value: 5.82, unit: "days", decimals: 2, polarity: "lower-is-better" }),
    );
    assert.equal(sickness.explanation, "5.82 days is at most 7.0 days.");
    const homes = evaluateTarget("100.0%", context({ value: 81.8 }));
    assert.equal(homes.explanation, "81.8% is below 100.0%.");
    assert.deepEqual(homes.missedBy, { amount: 18.2, decimals: 1, unit: "percentage-points" });
  });

  it("cannot read a bare value without a direction", () => {
    const verdict = evaluateTarget("75%", context({ value: 80, polarity: "monitor" }));
    assert.equal(verdict.outcome, "cannot-assess");
    assert.equal(verdict.missing, "polarity");
    assert.match(verdict.explanation, /^Cannot assess: .*at least or at most\.$/);
  });

  it("shows money in pounds and refuses a target in the wrong unit", () => {
    const verdict = evaluateTarget(
      "Less than £155,000",
      context({ value: 220846, unit: "money", decimals: 0, polarity: "lower-is-better" }),
    );
    assert.equal(verdict.explanation, "£220,846 is not less than £155,000.");
    assert.equal(formatQuantity(verdict.missedBy ?? { amount: 0, decimals: 0, unit: "money" }), "£65,846");
    const wrong = evaluateTarget("Less than £155,000", context({ value: 12 }));
    assert.deepEqual([wrong.outcome, wrong.missing], ["cannot-assess", "unit"]);
    assert.equal(
      evaluateTarget("Above 90%", context({ value: 95, unit: "count", decimals: 0 })).missing,
      "unit",
    );
  });

  it("judges a range inclusively and reports the end missed", () => {
    const over = evaluateTarget("4-8%", context({ value: 9.0, polarity: "lower-is-better" }));
    assert.equal(over.outcome, "not-met");
    assert.equal(over.explanation, "9.0% is above the range 4-8%.");
    assert.deepEqual(over.missedBy, { amount: 1, decimals: 1, unit: "percentage-points" });
    assert.equal(
      formatQuantity(over.missedBy ?? over.comparedWith ?? { amount: 0, decimals: 0, unit: "count" }),
      "1.0 percentage point",
    );
    const caseload = (value: number) =>
      evaluateTarget("15-21", context({ value, unit: "count", decimals: 0, polarity: "within-range" }));
    assert.equal(caseload(17).explanation, "17 is within the range 15-21.");
    assert.equal(caseload(15).outcome, "met");
    assert.equal(caseload(21).outcome, "met");
    const under = evaluateTarget(
      "14-18",
      context({ value: 13, unit: "count", decimals: 0, polarity: "within-range" }),
    );
    assert.deepEqual(
      [under.outcome, under.explanation, under.missedBy?.amount],
      ["not-met", "13 is below the range 14-18.", 1],
    );
  });

  it("cannot assess without a value, and says for which period", () => {
    const verdict = evaluateTarget("95% or above", context({ value: null }));
    assert.deepEqual(
      [verdict.outcome, verdict.explanation, verdict.missing],
      ["cannot-assess", "Cannot assess: no value for 2020/21.", "value"],
    );
  });

  it("gives not-set for no target and cannot-assess for words it did not understand", () => {
    const monitor = evaluateTarget(
      "Monitor (no target to be set)",
      context({ value: 58, polarity: "monitor" }),
    );
    assert.deepEqual(
      [monitor.outcome, monitor.explanation],
      ["not-set", "No target: the measure is monitored only."],
    );
    assert.equal(evaluateTarget("-", context({ value: null })).outcome, "not-set");
    const odd = evaluateTarget("Something odd", context({ value: 50 }));
    assert.deepEqual([odd.outcome, odd.missing], ["cannot-assess", "target"]);
    assert.equal(odd.explanation, 'Cannot assess: the target "Something odd" was not understood.');
  });

  it("carries caveats: an unconfirmed target, or a target for another year", () => {
    const uncertain = evaluateTarget("98% or above?", context({ value: 96.2 }));
    assert.equal(uncertain.outcome, "not-met");
    assert.match(uncertain.caveats.join(" "), /question mark/);
    const otherYear = evaluateTarget(
      "(target for 2024-25 maintain performance above 90%)",
      context({ value: 92, period: "2023-24" }),
    );
    assert.deepEqual(otherYear.caveats, ["The target is for 2024-25 but the value is for 2023-24."]);
    const sameYear = evaluateTarget(
      "(target for 2024-25 maintain performance above 90%)",
      context({ value: 92, period: "2024/25" }),
    );
    assert.deepEqual(sameYear.caveats, []);
  });

  it("agrees with whole-number comparison for every threshold (property)", () => {
    const figure = fc.integer({ min: 0, max: 20_000 });
    fc.assert(
      fc.property(figure, figure, fc.constantFrom(0, 1, 2), (v, t, d) => {
        const value = v / 10 ** d;
        const target = (t / 10 ** d).toFixed(d);
        const ctx = context({ value, unit: "decimal-rate", decimals: d, polarity: "higher-is-better" });
        const outcome = (text: string) => evaluateTarget(text, ctx).outcome;
        assert.equal(outcome(`Less than ${target}`), v < t ? "met" : "not-met");
        assert.equal(outcome(`Above ${target}`), v > t ? "met" : "not-met");
        assert.equal(outcome(`${target} or above`), v >= t ? "met" : "not-met");
        assert.equal(outcome(`${target} or less`), v <= t ? "met" : "not-met");
        const missed = evaluateTarget(`${target} or above`, ctx).missedBy;
        if (v < t) assert.equal(missed?.amount, (t - v) / 10 ** d);
      }),
    );
  });
});

describe("evaluateTarget: the measure's own earlier performance", () => {
  const exclusions = (value: number, earlier: Record<string, number>) =>
    context({
      value,
      unit: "decimal-rate",
      decimals: 2,
      polarity: "lower-is-better",
      period: "2021/22",
      previousPeriod: "2020/21",
      ownValueFor: (period) => earlier[period],
    });

  it("maintains an earlier year's performance in the measure's better direction", () => {
    const met = evaluateTarget("Maintain 2019/20 performance", exclusions(3.5, { "2019/20": 3.67 }));
    assert.deepEqual([met.outcome, met.explanation], ["met", "3.50 is at most the 2019/20 figure of 3.67."]);
    const missed = evaluateTarget("Maintain 2019/20 performance", exclusions(3.8, { "2019/20": 3.67 }));
    assert.deepEqual(
      [missed.outcome, missed.explanation],
      ["not-met", "3.80 is above the 2019/20 figure of 3.67."],
    );
    assert.equal(missed.missedBy?.amount, 0.13);
    const offers = evaluateTarget(
      "Maintain 2019/20 performance",
      context({ value: 95.4, ownValueFor: (p) => (p === "2019/20" ? 95.4 : undefined) }),
    );
    assert.equal(offers.outcome, "met");
  });

  it("cannot assess without the earlier figure, and names the year", () => {
    const verdict = evaluateTarget("Maintain 2019/20 performance", exclusions(3.5, {}));
    assert.deepEqual(
      [verdict.outcome, verdict.explanation, verdict.missing],
      ["cannot-assess", "Cannot assess: no figure for 2019/20 to compare with.", "own-earlier-value"],
    );
    assert.equal(
      evaluateTarget("Maintain 2019/20 performance", context({ value: 3 })).explanation,
      "Cannot assess: no figure for 2019/20 to compare with.",
    );
  });

  it("reads 'increase from 2023-24' literally", () => {
    const carers = (value: number) =>
      evaluateTarget(
        "(target for 2024-25 increase from 2023-24)",
        context({
          value,
          unit: "count",
          decimals: 0,
          period: "2024-25",
          ownValueFor: (p) => (p === "2023-24" ? 110 : null),
        }),
      );
    assert.deepEqual(
      [carers(120).outcome, carers(120).explanation],
      ["met", "120 is more than the 2023-24 figure of 110."],
    );
    assert.deepEqual(
      [carers(110).outcome, carers(110).explanation],
      ["not-met", "110 is not more than the 2023-24 figure of 110."],
    );
  });

  it("compares 'Reduce...' with the previous like period, or says none is named", () => {
    assert.equal(evaluateTarget("Reduce...", exclusions(3.5, { "2020/21": 3.67 })).outcome, "met");
    const noPeriod = evaluateTarget("Reduce...", context({ value: 3 }));
    assert.deepEqual([noPeriod.outcome, noPeriod.missing], ["cannot-assess", "earlier-period"]);
  });

  it("cannot 'maintain' a measure with no direction", () => {
    const verdict = evaluateTarget(
      "Maintain 2019/20 performance",
      context({ value: 58, polarity: "monitor", ownValueFor: () => 56 }),
    );
    assert.deepEqual([verdict.outcome, verdict.missing], ["cannot-assess", "polarity"]);
  });
});

describe("evaluateTarget: benchmarks", () => {
  const withNational = (value: number, national: number | null, polarity: Polarity = "higher-is-better") =>
    context({ value, polarity, benchmarks: { national: { current: national } } });

  it("cannot assess without the national figure, and names the year", () => {
    const verdict = evaluateTarget("To be above national average", context({ value: 22 }));
    assert.deepEqual(
      [verdict.outcome, verdict.explanation, verdict.missing],
      ["cannot-assess", "Cannot assess: no national figure for 2020/21.", "national"],
    );
    assert.equal(evaluateTarget("To be above national", withNational(22, null)).missing, "national");
  });

  it("compares above and below literally", () => {
    const above = evaluateTarget("To be above national", withNational(35, 30.1));
    assert.deepEqual(
      [above.outcome, above.explanation],
      ["met", "35.0% is above the national figure of 30.1%."],
    );
    const vacancies = evaluateTarget(
      "To remain lower than national average",
      withNational(14.9, 16.4, "lower-is-better"),
    );
    assert.deepEqual(
      [vacancies.outcome, vacancies.explanation],
      ["met", "14.9% is below the national figure of 16.4%."],
    );
    const equal = evaluateTarget("to exceed the national average", withNational(65.1, 65.1));
    assert.deepEqual([equal.outcome, equal.missedBy?.amount], ["not-met", 0]);
  });

  it("reads 'better than' by the measure's polarity", () => {
    const absence = evaluateTarget(
      "To be better than the national average",
      withNational(9.9, 12.1, "lower-is-better"),
    );
    assert.deepEqual(
      [absence.outcome, absence.explanation],
      ["met", "9.9% is better than the national figure of 12.1%; lower is better."],
    );
    const worse = evaluateTarget("To remain better than national figures", withNational(63.2, 65.1));
    assert.deepEqual([worse.outcome, worse.missedBy?.amount], ["not-met", 1.9]);
    assert.equal(
      evaluateTarget("To be better than the national average", withNational(58, 60, "monitor")).missing,
      "polarity",
    );
  });

  it("needs a significance result to say 'significantly better'", () => {
    const target = "to maintain an outcome significantly better than the national average";
    const unknown = evaluateTarget(target, withNational(72.2, 65.1));
    assert.deepEqual([unknown.outcome, unknown.missing], ["cannot-assess", "significance"]);
    const significant = evaluateTarget(
      target,
      context({
        value: 72.2,
        benchmarks: { national: { current: 65.1 }, nationalSignificance: "significantly-better" },
      }),
    );
    assert.equal(significant.outcome, "met");
    const notSignificant = evaluateTarget(
      target,
      context({
        value: 66,
        benchmarks: { national: { current: 65.1 }, nationalSignificance: "not-significantly-different" },
      }),
    );
    assert.equal(notSignificant.outcome, "not-met");
    assert.equal(
      evaluateTarget(target, withNational(64, 65.1)).outcome,
      "not-met",
      "not better at all has plainly missed",
    );
  });

  it("uses the regional figure or the statistical-neighbour average when the target names them", () => {
    const regional = evaluateTarget(
      "To be above the regional average",
      context({ value: 94.6, benchmarks: { national: { current: 99 }, regional: { current: 92.7 } } }),
    );
    assert.equal(regional.explanation, "94.6% is above the regional figure of 92.7%.");
    const neighbours = evaluateTarget("To be better than statistical neighbours", context({ value: 50 }));
    assert.equal(neighbours.explanation, "Cannot assess: no statistical-neighbour average for 2020/21.");
  });
});

describe("evaluateTarget: quartiles and ranks", () => {
  // Lower is better; cut points Q25 2.8, Q50 2.9, Q75 3.5.
  const neet = [2.8, 2.9, 1.9, 3.5, 7.4];

  it("cannot assess a quartile without all councils' values", () => {
    const verdict = evaluateTarget(
      "Achieve top-quartile performance",
      context({ value: 1.9, polarity: "lower-is-better" }),
    );
    assert.deepEqual(
      [verdict.outcome, verdict.explanation, verdict.missing],
      [
        "cannot-assess",
        "Cannot assess: no all-authority values for 2020/21 to find the quartile.",
        "all-authority-values",
      ],
    );
    assert.equal(
      evaluateTarget(
        "Achieve top-quartile performance",
        context({ value: 1.9, allAuthorityValues: [null, null] }),
      ).missing,
      "all-authority-values",
    );
  });

  it("finds the band and how far short of the band sought", () => {
    const top = evaluateTarget(
      "Achieve top-quartile performance",
      context({ value: 1.9, polarity: "lower-is-better", allAuthorityValues: neet }),
    );
    assert.deepEqual(
      [top.outcome, top.explanation],
      ["met", "1.9% is in the top quartile (band A) of 5 councils for 2020/21."],
    );
    const missed = evaluateTarget(
      "Achieve top-quartile performance",
      context({ value: 3.5, polarity: "lower-is-better", allAuthorityValues: neet }),
    );
    assert.equal(missed.outcome, "not-met");
    assert.equal(
      missed.explanation,
      "3.5% is in the lower-middle quartile (band C) of 5 councils for 2020/21, short of the top quartile.",
    );
    assert.deepEqual(missed.missedBy, { amount: 0.7, decimals: 1, unit: "percentage-points" });
    assert.equal(missed.comparedWith?.amount, 2.8);
  });

  it("meets a quartile target with that band or better", () => {
    const values = [10, 20, 30, 40, 50, 60];
    const ask = (value: number) =>
      evaluateTarget(
        "To remain in upper-middle national quartile",
        context({ value, decimals: 0, allAuthorityValues: values }),
      );
    assert.equal(ask(60).outcome, "met");
    assert.match(ask(60).explanation, /better than the upper-middle quartile sought/);
    assert.equal(ask(40).outcome, "met");
    assert.equal(ask(35).outcome, "not-met");
    assert.equal(
      evaluateTarget(
        "To achieve lower middle quartile performance",
        context({ value: 30, allAuthorityValues: values }),
      ).outcome,
      "met",
    );
  });

  it("gives monitor measures no quartile or rank", () => {
    const quartile = evaluateTarget(
      "Achieve top-quartile performance",
      context({ value: 58, polarity: "monitor", allAuthorityValues: neet }),
    );
    assert.deepEqual([quartile.outcome, quartile.missing], ["cannot-assess", "polarity"]);
    const rank = evaluateTarget(
      "Increase national ranking by 10 places",
      context({ value: 58, polarity: "monitor", allAuthorityValues: neet }),
    );
    assert.equal(rank.missing, "polarity");
  });

  it("measures places climbed since the previous rank", () => {
    // 152 councils: this one is better than 119 of them in 2020/21, so rank 120 of 152.
    const all = [
      ...Array.from({ length: 119 }, (_, i) => 81 + i / 10),
      80.7,
      ...Array.from({ length: 32 }, () => 70),
    ];
    const climb = (previousRank: number | null) =>
      evaluateTarget(
        "Increase national ranking by 10 places",
        context({ value: 80.7, allAuthorityValues: all, previousRank, previousPeriod: "2019/20" }),
      );
    assert.deepEqual(
      [climb(132).outcome, climb(132).explanation],
      ["met", "Rank 120 of 152 for 2020/21 is 12 places up on rank 132, meeting the 10 places sought."],
    );
    const short = climb(124);
    assert.deepEqual(
      [short.outcome, short.explanation],
      ["not-met", "Rank 120 of 152 for 2020/21 is 4 places up on rank 124, short of the 10 places sought."],
    );
    assert.deepEqual(short.missedBy, { amount: 6, decimals: 0, unit: "places" });
    assert.match(climb(110).explanation, /10 places down on rank 110/);
    const none = climb(null);
    assert.deepEqual(
      [none.outcome, none.explanation],
      ["cannot-assess", "Cannot assess: no national rank for 2019/20 to compare with."],
    );
    assert.equal(
      evaluateTarget("Increase national ranking by 10 places", context({ value: 80.7, previousRank: 132 }))
        .explanation,
      "Cannot assess: no all-authority values for 2020/21 to find the rank.",
    );
  });
});

describe("evaluateTarget: gaps", () => {
  const gapContext = (value: number, extra: Partial<TargetContext> = {}) =>
    context({ value, unit: "percentage-points", polarity: "lower-is-better", period: "2023/24", ...extra });

  it("compares the council's gap with the national gap", () => {
    const smaller = evaluateTarget(
      "Gap to be smaller than the national gap",
      gapContext(27.7, { benchmarks: { national: { current: 28.1 } } }),
    );
    assert.deepEqual(
      [smaller.outcome, smaller.explanation],
      [
        "met",
        "The gap of 27.7 percentage points is smaller than the national gap of 28.1 percentage points.",
      ],
    );
    assert.equal(
      evaluateTarget("Gap to be smaller than the national gap", gapContext(27.7)).explanation,
      "Cannot assess: no national gap for 2023/24.",
    );
  });

  it("narrows the gap compared to the previous year", () => {
    const target = "to narrow the national gap compared to the previous year";
    const earlier = {
      previousPeriod: "2022/23",
      ownValueFor: (p: string) => (p === "2022/23" ? 20.4 : undefined),
    };
    const narrower = evaluateTarget(target, gapContext(19.8, earlier));
    assert.deepEqual(
      [narrower.outcome, narrower.explanation],
      ["met", "The gap of 19.8 percentage points is narrower than 20.4 percentage points for 2022/23."],
    );
    const wider = evaluateTarget(target, gapContext(21, earlier));
    assert.deepEqual([wider.outcome, wider.missedBy?.amount], ["not-met", 0.6]);
    assert.equal(evaluateTarget(target, gapContext(21)).missing, "earlier-period");
  });

  it("compares the council's improvement with the national improvement", () => {
    const target = "to exceed the rate of improvement nationally";
    const ctx = (value: number, nationalPrevious: number | null) =>
      context({
        value,
        period: "2020/21",
        previousPeriod: "2019/20",
        ownValueFor: (p) => (p === "2019/20" ? 80.7 : undefined),
        benchmarks: { national: { current: 88.0, previous: nationalPrevious } },
      });
    const faster = evaluateTarget(target, ctx(81.2, 87.9));
    assert.deepEqual(
      [faster.outcome, faster.explanation],
      [
        "met",
        "Improvement since 2019/20 of 0.5 percentage points exceeds the national improvement of 0.1 percentage points.",
      ],
    );
    const slower = evaluateTarget(target, ctx(80.7, 87.9));
    assert.deepEqual([slower.outcome, slower.missedBy?.amount], ["not-met", 0.1]);
    assert.equal(
      evaluateTarget(target, ctx(81.2, null)).explanation,
      "Cannot assess: no national figure for 2019/20.",
    );
  });
});

describe("formatQuantity", () => {
  it("shows each unit as councils write it", () => {
    const show = (amount: number, decimals: number, unit: MeasureUnit | "places") =>
      formatQuantity({ amount, decimals, unit });
    assert.equal(show(96.3, 1, "percent"), "96.3%");
    assert.equal(show(155000, 0, "money"), "£155,000");
    assert.equal(show(-657, 0, "money"), "-£657");
    assert.equal(show(1234567.5, 2, "count"), "1,234,567.50");
    assert.equal(show(1, 1, "percentage-points"), "1.0 percentage point");
    assert.equal(show(58, 0, "rate-per-10k"), "58 per 10,000");
    assert.equal(show(1, 0, "days"), "1 day");
    assert.equal(show(3, 0, "places"), "3 places");
  });
});

it("a value flagged when it was read is not assessed as if it were clean", () => {
  const verdict = evaluateTarget("4% or less", {
    value: 11.6,
    unit: "percent",
    decimals: 1,
    polarity: "lower-is-better",
    period: "2020/21",
    valueFlag: "11.6 has no % sign but this measure is a percentage; it has not been assumed to be 11.6%.",
  });
  assert.equal(verdict.outcome, "cannot-assess");
  assert.equal(
    verdict.explanation,
    "Cannot assess: 11.6 has no % sign but this measure is a percentage; it has not been assumed to be 11.6%.",
  );
});

describe("targets against published benchmarks", () => {
  const source = { name: "Test Office, Tool", period: "academic year 2018/19", regionName: "Northern Shire" };

  it("reads in line with, a rank within the top N and closing a gap by points", () => {
    const inLine = parsed("in line with statistical neighbours", "benchmark");
    assert.deepEqual([inLine.comparator, inLine.relation], ["statistical-neighbours", "in-line"]);
    const national = parsed("To remain in line with the national average", "benchmark");
    assert.deepEqual(
      [national.comparator, national.relation, national.sustain],
      ["national", "in-line", true],
    );
    assert.equal(parsed("in line with regional", "benchmark").comparator, "regional");
    assert.equal(parsed("To be ranked in the top 50 nationally", "top-rank").within, 50);
    assert.equal(parsed("Ranked 20th or better nationally", "top-rank").within, 20);
    assert.equal(parsed("Increase national ranking by 10 places", "rank").places, 10);
    const gap = parsed("Close the gap to the national average by 2 percentage points", "gap");
    assert.deepEqual([gap.test, gap.comparator, gap.points?.value], ["close-by-points", "national", 2]);
    assert.equal(
      parsed("narrow the gap with statistical neighbours by 1.5", "gap").comparator,
      "statistical-neighbours",
    );
  });

  it("names the benchmark, its period and its source", () => {
    const verdict = evaluateTarget(
      "To remain lower than national average",
      context({
        value: 14.9,
        polarity: "lower-is-better",
        benchmarks: { source, national: { current: 16.4 } },
      }),
    );
    assert.deepEqual(
      [verdict.outcome, verdict.explanation],
      ["met", "14.9% is below the England figure of 16.4% for academic year 2018/19 (Test Office, Tool)."],
    );
    const regional = evaluateTarget(
      "To be above regional average",
      context({ value: 50, benchmarks: { source, regional: { current: 52.25 } } }),
    );
    assert.equal(
      regional.explanation,
      "50.0% is not above the Northern Shire figure of 52.25% for academic year 2018/19 (Test Office, Tool).",
    );
    assert.deepEqual(regional.missedBy, { amount: 2.25, decimals: 2, unit: "percentage-points" });
  });

  it("holds in line with to the council's tolerance, either side, and needs one", () => {
    const ask = (value: number, tolerance?: number) =>
      evaluateTarget(
        "in line with statistical neighbours",
        context({
          value,
          benchmarks: {
            source,
            statisticalNeighbours: { current: 60 },
            ...(tolerance === undefined ? {} : { tolerance }),
          },
        }),
      );
    assert.deepEqual(
      [ask(61, 1).outcome, ask(59, 1).outcome, ask(61.1, 1).outcome, ask(58.9, 1).outcome],
      ["met", "met", "not-met", "not-met"],
    );
    assert.equal(
      ask(61, 1).explanation,
      "61.0% is in line with the statistical-neighbour average of 60% for academic year 2018/19 (Test Office, Tool): 1.0 percentage point apart, within 1.0 percentage point.",
    );
    assert.deepEqual(ask(62.5, 2).missedBy, { amount: 0.5, decimals: 1, unit: "percentage-points" });
    assert.deepEqual([ask(60).outcome, ask(60).missing], ["cannot-assess", "tolerance"]);
  });

  it("ranks the value among every council and holds it to the top N", () => {
    // Higher is better: 90 is 2nd of 6, with 80 and 80 sharing 3rd.
    const all = [95, 90, 80, 80, 70, null, 60];
    const ask = (value: number, text: string) =>
      evaluateTarget(text, context({ value, allAuthorityValues: all, benchmarks: { source } }));
    const met = ask(90, "To be ranked in the top 3 nationally");
    assert.deepEqual(
      [met.outcome, met.explanation],
      ["met", "90.0% ranks 2 of 6 councils for academic year 2018/19 (Test Office, Tool), within the top 3."],
    );
    const missed = ask(80, "To be ranked in the top 2 nationally");
    assert.deepEqual(
      [missed.outcome, missed.missedBy?.amount, missed.missedBy?.unit],
      ["not-met", 1, "places"],
    );
    assert.equal(ask(80, "To be ranked in the top 3 nationally").outcome, "met");
    const lowerIsBetter = evaluateTarget(
      "To be ranked in the top 1 nationally",
      context({ value: 60, polarity: "lower-is-better", allAuthorityValues: all }),
    );
    assert.equal(lowerIsBetter.outcome, "met");
  });

  it("places the value in its quartile and cites the source", () => {
    const verdict = evaluateTarget(
      "Achieve top-quartile performance",
      context({
        value: 1.9,
        polarity: "lower-is-better",
        allAuthorityValues: [2.8, 2.9, 1.9, 3.5, 7.4],
        benchmarks: { source },
      }),
    );
    assert.equal(
      verdict.explanation,
      "1.9% is in the top quartile (band A) of 5 councils for academic year 2018/19 (Test Office, Tool).",
    );
  });

  it("closes a gap by points, read by polarity", () => {
    const ask = (value: number, earlier: number, polarity: Polarity = "higher-is-better") =>
      evaluateTarget(
        "Close the gap to the national average by 2 percentage points",
        context({
          value,
          polarity,
          previousPeriod: "2019/20",
          ownValueFor: (label) => (label === "2019/20" ? earlier : null),
          benchmarks: { national: { current: 70, previous: 69 } },
        }),
      );
    // Behind by 9 then by 6: closed by 3.
    const met = ask(64, 60);
    assert.deepEqual(
      [met.outcome, met.explanation],
      [
        "met",
        "The gap to the national figure went from 9.0 percentage points to 6.0 percentage points, closing it by 3.0 percentage points, at least the 2.0 percentage points sought.",
      ],
    );
    // Behind by 9 then by 8: closed by 1, short by 1.
    const short = ask(62, 60);
    assert.deepEqual([short.outcome, short.missedBy?.amount], ["not-met", 1]);
    // Lower is better: 75 against 69 is 6 behind, 74 against 70 is 4 behind: closed by 2.
    assert.equal(ask(74, 75, "lower-is-better").outcome, "met");
    const widened = ask(58, 60);
    assert.match(widened.explanation, /widening it by 3.0 percentage points/);
    const noEarlier = evaluateTarget(
      "Close the gap to the national average by 2 percentage points",
      context({
        value: 64,
        previousPeriod: "2019/20",
        benchmarks: { national: { current: 70, previous: 69 } },
      }),
    );
    assert.equal(noEarlier.missing, "own-earlier-value");
  });

  it("says a benchmark is not published yet and when it is expected", () => {
    const benchmarks = {
      unpublished: {
        what: "Widgets mended (Test Office, Tool)",
        expected: "June 2031",
        latest: "academic year 2029/30",
      },
    };
    for (const text of [
      "to exceed the national average",
      "Achieve top-quartile performance",
      "To be ranked in the top 10 nationally",
      "in line with the national average",
    ]) {
      const verdict = evaluateTarget(text, context({ value: 50, period: "2030/31", benchmarks }));
      assert.deepEqual(
        [verdict.outcome, verdict.missing, verdict.explanation],
        [
          "cannot-assess",
          "benchmark-unpublished",
          "Cannot assess: Widgets mended (Test Office, Tool) has not been published for 2030/31 yet (the latest published is academic year 2029/30); its data dictionary expects the next figures in June 2031.",
        ],
        text,
      );
    }
    // A target that needs no benchmark is unaffected.
    assert.equal(evaluateTarget("Above 40%", context({ value: 50, benchmarks })).outcome, "met");
  });
});
