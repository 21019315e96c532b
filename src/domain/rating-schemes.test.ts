import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  agreementInScheme,
  DEFAULT_SCHEME,
  PRESET_LEVELS,
  presetScheme,
  printedLevel,
  type RatingScheme,
  rateInScheme,
  sameLevelAs,
  schemeKey,
  schemeProblems,
  schemeWords,
} from "./rating-schemes.ts";
import { rateMeasure } from "./ratings.ts";

const RAG = presetScheme("rag");
const FOUR = presetScheme("four-level");

// A made-up measure: 909 against "less than 810" (lower is better) is missed by 99.
const MISSED = {
  target: "less than 810",
  value: 909,
  unit: "count",
  decimals: 0,
  polarity: "lower-is-better",
  period: "Q2 2031/32",
} as const;

describe("rating schemes", () => {
  test("the five-level scheme rates exactly as the rule always has", () => {
    for (const input of [MISSED, { ...MISSED, value: 800 }, { ...MISSED, value: 840 }]) {
      assert.deepEqual(rateInScheme(input, DEFAULT_SCHEME), rateMeasure(input));
    }
    assert.deepEqual(
      schemeKey(DEFAULT_SCHEME).map((level) => level.label),
      ["Strong", "Good", "Review", "Action", "Data not available / target not set"],
    );
  });

  test("Red, Amber, Green: three levels, met and improved and met both Green", () => {
    assert.deepEqual(
      schemeKey(RAG).map((level) => [level.label, level.colour, level.outcomes]),
      [
        ["Green", "green", ["strong", "good"]],
        ["Amber", "amber", ["review"]],
        ["Red", "red", ["action"]],
        ["Not rated", "grey", ["not-available"]],
      ],
    );
    const red = rateInScheme(MISSED, RAG);
    assert.equal(red.rating, "action");
    assert.equal(red.meta.label, "Red");
    assert.equal(red.meta.colour, "red");
    assert.match(red.explanation, /^Red: 909 is not less than 810; missed by 99, more than the tolerance/);
    const amber = rateInScheme({ ...MISSED, value: 840 }, RAG);
    assert.equal(amber.meta.label, "Amber");
    assert.deepEqual(sameLevelAs(RAG, "good"), ["strong", "good"]);
    const grey = rateInScheme({ ...MISSED, target: "" }, RAG);
    assert.match(grey.explanation, /^Not rated \(/);
  });

  test("the council's tolerance decides between the middle level and the worst", () => {
    const wide = presetScheme("rag", { tolerancePercentOfTarget: 15, tolerancePercentagePoints: 1 });
    const rated = rateInScheme(MISSED, wide);
    assert.equal(rated.meta.label, "Amber");
    assert.match(rated.explanation, /within the tolerance of 121\.5 \(15% of 810\)/);
  });

  test("a printed rating is compared level by level, by its words or another way the council prints it", () => {
    assert.equal(printedLevel(RAG, " r ")?.label, "Red");
    assert.equal(printedLevel(RAG, "GREEN")?.label, "Green");
    assert.equal(agreementInScheme(RAG, "G", "Green"), "agrees");
    assert.equal(agreementInScheme(RAG, "Amber", "Red"), "differs");
    assert.equal(agreementInScheme(RAG, "Good", "Green"), "other key");
    assert.equal(agreementInScheme(RAG, "", "Green"), null);
    assert.equal(agreementInScheme(FOUR, "Blue", "Blue"), "agrees");
    assert.equal(agreementInScheme(FOUR, "Green", "Blue"), "differs");
    // The five-level key compares words only, as before, and calls Red/Amber/Green another key.
    assert.equal(agreementInScheme(DEFAULT_SCHEME, "action", "Action"), "agrees");
    assert.equal(agreementInScheme(DEFAULT_SCHEME, "Amber", "Review"), "other key");
  });

  test("a custom scheme of two levels, and the problems a council's own words can have", () => {
    const levels = {
      strong: { label: "On track", colour: "green", printedAs: ["OT"] },
      good: { label: "On track", colour: "green", printedAs: [] },
      review: { label: "Off track", colour: "red", printedAs: [] },
      action: { label: "Off track", colour: "red", printedAs: ["X"] },
      "not-available": { label: "Not assessed", colour: "grey", printedAs: [] },
    } as const;
    assert.deepEqual(schemeProblems(levels), []);
    const custom: RatingScheme = { kind: "custom", levels, rules: DEFAULT_SCHEME.rules };
    assert.deepEqual(
      schemeKey(custom).map((level) => level.label),
      ["On track", "Off track", "Not assessed"],
    );
    assert.equal(agreementInScheme(custom, "x", "Off track"), "agrees");
    assert.match(
      schemeWords(custom),
      /^On track \(green\), Off track \(red\), Not assessed \(grey\); tolerance 5%/,
    );
    assert.match(
      schemeWords(DEFAULT_SCHEME),
      /^Strong \(blue\), Good \(green\), Review \(amber\), Action \(red\), Data not available[^;]*\(grey\); /,
    );
    const clashing = { ...levels, good: { label: "On track", colour: "blue", printedAs: [] } } as const;
    assert.deepEqual(
      schemeProblems(clashing).map((problem) => problem.field),
      ["good-colour"],
    );
    const greyRating = { ...levels, review: { label: "Watch", colour: "grey", printedAs: [] } } as const;
    assert.deepEqual(
      schemeProblems(greyRating).map((problem) => problem.field),
      ["review-colour"],
    );
    const twice = { ...levels, review: { label: "Watch", colour: "amber", printedAs: ["OT"] } } as const;
    assert.deepEqual(
      schemeProblems(twice).map((problem) => problem.field),
      ["review-printedAs"],
    );
  });

  test("every preset passes its own checks", () => {
    for (const levels of Object.values(PRESET_LEVELS)) assert.deepEqual(schemeProblems(levels), []);
  });
});
