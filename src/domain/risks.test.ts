import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import type { RiskBand, RiskLevel, RiskRating } from "./risks.ts";
import {
  bandForScore,
  buildRiskGrid,
  DEFAULT_RISK_BANDS,
  defineRiskBands,
  POSSIBLE_RISK_SCORES,
  parseRiskLevel,
  RISK_LEVELS,
  riskGridCell,
  riskSeverity,
  scoreRisk,
  validateOptionalRiskRating,
  validateRiskRating,
} from "./risks.ts";

const level = fc.constantFrom<RiskLevel>(...RISK_LEVELS);

describe("scoring and bands", () => {
  it("scores likelihood times impact", () => {
    assert.equal(scoreRisk({ likelihood: 4, impact: 3 }).score, 12);
    assert.equal(scoreRisk({ likelihood: 5, impact: 5 }).score, 25);
    assert.equal(scoreRisk({ likelihood: 1, impact: 1 }).score, 1);
  });

  it("bands the default way: 1-4 low, 5-12 medium, 15-25 high", () => {
    assert.deepEqual(
      DEFAULT_RISK_BANDS.map((band) => [band.id, band.label, band.minScore, band.maxScore]),
      [
        ["low", "Low", 1, 4],
        ["medium", "Medium", 5, 12],
        ["high", "High", 15, 25],
      ],
    );
    assert.equal(scoreRisk({ likelihood: 2, impact: 2 }).band.id, "low");
    assert.equal(scoreRisk({ likelihood: 1, impact: 5 }).band.id, "medium");
    assert.equal(scoreRisk({ likelihood: 3, impact: 4 }).band.id, "medium");
    assert.equal(scoreRisk({ likelihood: 5, impact: 3 }).band.id, "high");
  });

  it("lists only the fourteen scores a matrix can give", () => {
    assert.deepEqual(POSSIBLE_RISK_SCORES, [1, 2, 3, 4, 5, 6, 8, 9, 10, 12, 15, 16, 20, 25]);
    assert.throws(() => bandForScore(13), /13 is not a possible risk score/);
    assert.throws(() => bandForScore(0), RangeError);
  });

  it("puts every possible rating in exactly one band, and the score is symmetric", () => {
    fc.assert(
      fc.property(level, level, (likelihood, impact) => {
        const scored = scoreRisk({ likelihood, impact });
        assert.equal(scored.score, scoreRisk({ likelihood: impact, impact: likelihood }).score);
        const holding = DEFAULT_RISK_BANDS.filter(
          (band) => scored.score >= band.minScore && scored.score <= band.maxScore,
        );
        assert.deepEqual(holding, [scored.band]);
      }),
    );
  });

  it("accepts a council's own bands and uses them", () => {
    const defined = defineRiskBands([
      { id: "low", label: "Low", fromScore: 1 },
      { id: "medium", label: "Medium", fromScore: 4 },
      { id: "high", label: "High", fromScore: 10 },
      { id: "very-high", label: "Very high", fromScore: 20 },
    ]);
    assert.ok(defined.ok);
    assert.deepEqual(
      defined.bands.map((band) => [band.id, band.minScore, band.maxScore]),
      [
        ["low", 1, 3],
        ["medium", 4, 9],
        ["high", 10, 16],
        ["very-high", 20, 25],
      ],
    );
    assert.equal(scoreRisk({ likelihood: 4, impact: 5 }, defined.bands).band.label, "Very high");
    assert.equal(scoreRisk({ likelihood: 2, impact: 2 }, defined.bands).band.label, "Medium");
  });

  it("refuses bands that leave scores uncovered, overlap, or could never hold a risk", () => {
    const refused = (thresholds: Parameters<typeof defineRiskBands>[0]): string[] => {
      const result = defineRiskBands(thresholds);
      assert.ok(!result.ok);
      return result.errors;
    };
    assert.deepEqual(refused([]), ["Give at least one risk band."]);
    assert.deepEqual(refused([{ id: "low", label: "Low", fromScore: 2 }]), [
      "The first risk band must start at a score of 1, so that every score has a band.",
    ]);
    assert.deepEqual(
      refused([
        { id: "low", label: "Low", fromScore: 1 },
        { id: "odd", label: "Odd", fromScore: 13 },
        { id: "high", label: "High", fromScore: 15 },
      ]),
      [
        'The "Odd" band runs from 13 to 14, but no likelihood x impact gives a score in that range, so no risk could ever be in it.',
      ],
    );
    assert.deepEqual(
      refused([
        { id: "low", label: "Low", fromScore: 1 },
        { id: "low", label: "", fromScore: 1 },
        { id: "high", label: "High", fromScore: 26 },
      ]),
      [
        "Band 2 needs a label.",
        'Band 2 has the id "low", which another band already uses.',
        "Band 2 must start at a higher score than the band before it.",
        'The "High" band must start at a whole-number score from 1 to 25.',
      ],
    );
  });
});

describe("validating likelihood and impact", () => {
  it("accepts whole numbers 1 to 5, as numbers or as form text", () => {
    assert.deepEqual(validateRiskRating({ likelihood: 3, impact: " 5 " }), {
      ok: true,
      rating: { likelihood: 3, impact: 5 },
    });
  });

  it('refuses a likelihood of 6 and a likelihood of "high", in plain English', () => {
    assert.deepEqual(parseRiskLevel(6, "likelihood"), {
      ok: false,
      error: {
        field: "likelihood",
        code: "out-of-range",
        message: "Likelihood must be from 1 to 5 (6 is too high)",
      },
    });
    assert.deepEqual(parseRiskLevel("high", "likelihood"), {
      ok: false,
      error: {
        field: "likelihood",
        code: "not-a-number",
        message: 'Enter a likelihood as a number from 1 to 5, not "high"',
      },
    });
  });

  it("refuses nought, negatives, fractions, blanks and things that are not numbers", () => {
    const codeOf = (value: unknown): string | undefined => {
      const result = parseRiskLevel(value, "impact");
      return result.ok ? undefined : result.error.code;
    };
    assert.equal(codeOf(0), "out-of-range");
    assert.equal(codeOf("-1"), "out-of-range");
    assert.equal(codeOf(2.5), "not-whole");
    assert.equal(codeOf("3.5"), "not-whole");
    assert.equal(codeOf(""), "missing");
    assert.equal(codeOf(null), "missing");
    assert.equal(codeOf(Number.NaN), "not-a-number");
    assert.equal(codeOf(true), "not-a-number");
    assert.equal(codeOf("3 out of 5"), "not-a-number");
    const zero = parseRiskLevel(0, "impact");
    assert.ok(!zero.ok);
    assert.equal(zero.error.message, "Impact must be from 1 to 5 (0 is too low)");
    const blank = parseRiskLevel(" ", "impact");
    assert.ok(!blank.ok);
    assert.equal(blank.error.message, "Enter an impact from 1 to 5");
  });

  it("accepts exactly the integers 1 to 5", () => {
    fc.assert(
      fc.property(fc.integer({ min: -100, max: 100 }), (value) => {
        assert.equal(parseRiskLevel(value, "likelihood").ok, value >= 1 && value <= 5);
        assert.equal(parseRiskLevel(String(value), "likelihood").ok, value >= 1 && value <= 5);
      }),
    );
  });

  it("reports both fields, likelihood first, when both are wrong", () => {
    const result = validateRiskRating({ likelihood: "high", impact: 9 });
    assert.ok(!result.ok);
    assert.deepEqual(
      result.errors.map((error) => error.field),
      ["likelihood", "impact"],
    );
  });

  it("lets a risk be unassessed, but not half-assessed", () => {
    assert.deepEqual(validateOptionalRiskRating({ likelihood: "", impact: null }), {
      ok: true,
      rating: null,
    });
    assert.deepEqual(validateOptionalRiskRating({ likelihood: "2", impact: "4" }), {
      ok: true,
      rating: { likelihood: 2, impact: 4 },
    });
    const half = validateOptionalRiskRating({ likelihood: "4" });
    assert.ok(!half.ok);
    assert.deepEqual(half.errors, [
      {
        field: "impact",
        code: "missing",
        message: "Enter an impact from 1 to 5 as well as the likelihood, or leave both blank",
      },
    ]);
    const wrong = validateOptionalRiskRating({ likelihood: "7", impact: "" });
    assert.ok(!wrong.ok);
    assert.deepEqual(
      wrong.errors.map((error) => error.code),
      ["out-of-range", "missing"],
    );
  });
});

describe("the 5 x 5 grid", () => {
  interface TestRisk {
    id: string;
    residual: RiskRating | null;
  }
  const risks: TestRisk[] = [
    { id: "a", residual: { likelihood: 5, impact: 5 } },
    { id: "b", residual: { likelihood: 2, impact: 4 } },
    { id: "c", residual: null },
    { id: "d", residual: { likelihood: 2, impact: 4 } },
    { id: "e", residual: { likelihood: 1, impact: 1 } },
  ];
  const grid = buildRiskGrid(risks, (risk) => risk.residual);

  it("lays out impact 5 at the top down to 1, likelihood 1 to 5 left to right", () => {
    assert.deepEqual(
      grid.rows.map((row) => row.impact),
      [5, 4, 3, 2, 1],
    );
    assert.deepEqual(grid.likelihoods, [1, 2, 3, 4, 5]);
    for (const row of grid.rows) {
      assert.deepEqual(
        row.cells.map((cell) => cell.likelihood),
        [1, 2, 3, 4, 5],
      );
    }
    assert.deepEqual(
      grid.rows[0]?.cells.map((cell) => cell.score),
      [5, 10, 15, 20, 25],
    );
    assert.deepEqual(
      grid.rows[4]?.cells.map((cell) => cell.band.id),
      ["low", "low", "low", "low", "medium"],
    );
  });

  it("places each assessed risk in its cell, in the order given, and keeps unassessed ones apart", () => {
    assert.deepEqual(
      riskGridCell(grid, { likelihood: 2, impact: 4 }).risks.map((risk) => risk.id),
      ["b", "d"],
    );
    assert.deepEqual(
      riskGridCell(grid, { likelihood: 5, impact: 5 }).risks.map((risk) => risk.id),
      ["a"],
    );
    assert.deepEqual(
      grid.unassessed.map((risk) => risk.id),
      ["c"],
    );
  });

  it("counts placed risks by band for the summary and text alternative", () => {
    assert.deepEqual(
      grid.bandCounts.map(({ band, count }) => [band.id, count]),
      [
        ["low", 1],
        ["medium", 2],
        ["high", 1],
      ],
    );
  });

  it("places every risk exactly once, whatever the ratings", () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.record({ likelihood: level, impact: level }), { nil: null })),
        (ratings) => {
          const placed = buildRiskGrid(ratings, (rating) => rating);
          const inCells = placed.rows.flatMap((row) => row.cells.flatMap((cell) => cell.risks));
          assert.equal(inCells.length + placed.unassessed.length, ratings.length);
          const counted = placed.bandCounts.reduce((sum, { count }) => sum + count, 0);
          assert.equal(counted, inCells.length);
          for (const row of placed.rows) {
            for (const cell of row.cells) {
              for (const rating of cell.risks) {
                assert.deepEqual([rating?.likelihood, rating?.impact], [cell.likelihood, cell.impact]);
              }
            }
          }
        },
      ),
    );
  });

  it("uses a council's own bands for the cell colours' words", () => {
    const defined = defineRiskBands([
      { id: "green", label: "Tolerable", fromScore: 1 },
      { id: "red", label: "Intolerable", fromScore: 9 },
    ]);
    assert.ok(defined.ok);
    const bands: readonly RiskBand[] = defined.bands;
    const custom = buildRiskGrid([], () => null, bands);
    assert.equal(riskGridCell(custom, { likelihood: 3, impact: 3 }).band.label, "Intolerable");
    assert.equal(riskGridCell(custom, { likelihood: 2, impact: 4 }).band.label, "Tolerable");
  });

  it("shades the lowest band least and the highest most, for any number of bands", () => {
    const severities = (fromScores: number[]) => {
      const defined = defineRiskBands(
        fromScores.map((fromScore, index) => ({ id: `b${index}`, label: `Band ${index}`, fromScore })),
      );
      assert.ok(defined.ok);
      return defined.bands.map((band) => riskSeverity(defined.bands, band));
    };
    assert.deepEqual(severities([1]), [1]);
    assert.deepEqual(severities([1, 9]), [1, 4]);
    assert.deepEqual(severities([1, 5, 15]), [1, 3, 4]);
    assert.deepEqual(severities([1, 4, 10, 20]), [1, 2, 3, 4]);
    assert.deepEqual(severities([1, 3, 6, 12, 20]), [1, 2, 3, 3, 4]);
    assert.deepEqual(
      grid.rows[0]?.cells.map((cell) => cell.severity),
      [3, 3, 4, 4, 4],
    );
  });

  it("refuses to shade a band that is not one of the council's", () => {
    assert.throws(
      () => riskSeverity(DEFAULT_RISK_BANDS, { id: "x", label: "Extreme", minScore: 1, maxScore: 25 }),
      /"Extreme" is not one of the council's risk bands/,
    );
  });
});
