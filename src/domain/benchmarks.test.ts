import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import {
  compareExact,
  decimalPlaces,
  differenceExact,
  percentagePointGap,
  productExact,
  QUARTILE_BANDS,
  quantile,
  quartileBand,
  quartileCutPoints,
  quartilePlacement,
  rankAmong,
  rankAuthorities,
  statisticalNeighbourAverage,
} from "./benchmarks.ts";

/** Figures as councils write them: up to three decimals. */
const writtenFigure = fc
  .tuple(fc.integer({ min: -200_000, max: 200_000 }), fc.integer({ min: 0, max: 3 }))
  .map(([units, decimals]) => units / 10 ** decimals);

describe("exact comparison of written decimals", () => {
  it("reads the decimals a figure was written with", () => {
    assert.equal(decimalPlaces(96.3), 1);
    assert.equal(decimalPlaces(155000), 0);
    assert.equal(decimalPlaces(0.05), 2);
    assert.equal(decimalPlaces(-0.657), 3);
    assert.equal(decimalPlaces(0.1 + 0.2), 6, "floating-point noise is capped, not trusted");
  });

  it("never lets 0.1 + 0.2 decide a verdict", () => {
    assert.equal(compareExact(0.1 + 0.2, 0.3), 0);
    assert.equal(compareExact(96.3, 96.25), 1);
    assert.equal(compareExact(8, 9.0), -1);
    assert.equal(differenceExact(0.3, 0.1), 0.2);
    assert.equal(differenceExact(9.0, 8), 1);
    assert.equal(differenceExact(72.2, 65.1), 7.1);
    assert.equal(productExact(810, 0.05), 40.5);
    assert.equal(productExact(65.1, 0.05), 3.255);
  });

  it("gives gaps in percentage points, not percentage change", () => {
    assert.equal(percentagePointGap(72.2, 65.1), 7.1);
    assert.equal(percentagePointGap(14.9, 16.4), -1.5);
  });
});

describe("quantile (R type 7, as LAIT)", () => {
  it("matches hand-computed quartiles", () => {
    // R: quantile(1:4) -> 1.75 2.5 3.25
    assert.deepEqual(
      [0.25, 0.5, 0.75].map((p) => quantile([4, 1, 3, 2], p)),
      [1.75, 2.5, 3.25],
    );
    // R: quantile(c(10,20,30,40,50,60)) -> 22.5 35 47.5
    assert.deepEqual(quartileCutPoints([60, 10, 50, 20, 40, 30]), {
      q25: 22.5,
      q50: 35,
      q75: 47.5,
      councils: 6,
    });
    // Five values: h = 4p lands on order statistics exactly.
    assert.deepEqual(quartileCutPoints([2.8, 2.9, 1.9, 3.5, 7.4]), {
      q25: 2.8,
      q50: 2.9,
      q75: 3.5,
      councils: 5,
    });
  });

  it("interpolates decimals exactly", () => {
    assert.equal(quantile([0.1, 0.2, 0.3, 0.4], 0.25), 0.175);
    assert.equal(quantile([0.1, 0.2, 0.3, 0.4], 0.75), 0.325);
    assert.equal(quantile([96.3, 93, 96, 95.4, 91.8], 0.5), 95.4);
  });

  it("takes the extremes at p = 0 and p = 1, and skips councils with no value", () => {
    assert.equal(quantile([5, null, 1, 9, undefined], 0), 1);
    assert.equal(quantile([5, null, 1, 9, undefined], 1), 9);
    assert.equal(quantile([5, null, 1, 9], 0.5), 5);
    assert.equal(quantile([42], 0.25), 42);
  });

  it("refuses nonsense rather than inventing a figure", () => {
    assert.throws(() => quantile([], 0.5), RangeError);
    assert.throws(() => quantile([null, null], 0.5), RangeError);
    assert.throws(() => quantile([1, 2], 1.5), RangeError);
    assert.throws(() => quantile([1, 2], Number.NaN), RangeError);
    assert.equal(quartileCutPoints([null]), null);
  });

  it("is monotone in p and stays within the values (property)", () => {
    fc.assert(
      fc.property(
        fc.array(writtenFigure, { minLength: 1, maxLength: 40 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (values, a, b) => {
          const [p1, p2] = a <= b ? [a, b] : [b, a];
          const q1 = quantile(values, p1);
          const q2 = quantile(values, p2);
          assert.ok(q1 <= q2, `quantile(${p1}) = ${q1} > quantile(${p2}) = ${q2}`);
          assert.ok(q1 >= Math.min(...values) && q2 <= Math.max(...values));
        },
      ),
    );
  });

  it("does not depend on the order councils are listed in (property)", () => {
    fc.assert(
      fc.property(fc.array(writtenFigure, { minLength: 1, maxLength: 30 }), (values) => {
        const reversed = [...values].reverse();
        for (const p of [0.25, 0.5, 0.75]) assert.equal(quantile(values, p), quantile(reversed, p));
      }),
    );
  });
});

describe("quartile bands", () => {
  // Cut points 22.5, 35, 47.5.
  const all = [10, 20, 30, 40, 50, 60];

  it("bands higher-is-better values strictly above each cut point", () => {
    const band = (v: number) => quartileBand(v, all, "higher-is-better");
    assert.equal(band(50), "A");
    assert.equal(band(47.5), "B", "exactly on Q75 is not above it");
    assert.equal(band(40), "B");
    assert.equal(band(35), "C");
    assert.equal(band(30), "C");
    assert.equal(band(22.5), "D");
    assert.equal(band(10), "D");
  });

  it("bands lower-is-better values at or below each cut point", () => {
    const band = (v: number) => quartileBand(v, all, "lower-is-better");
    assert.equal(band(10), "A");
    assert.equal(band(22.5), "A", "exactly on Q25 is at or below it");
    assert.equal(band(30), "B");
    assert.equal(band(35), "B");
    assert.equal(band(47.5), "C");
    assert.equal(band(50), "D");
  });

  it("decides a value on the cut point exactly, even where floating point would not", () => {
    // Q25 of these is 0.175; 0.1 + 0.075 in floating point is 0.17500000000000002.
    const values = [0.1, 0.2, 0.3, 0.4];
    assert.equal(quartileBand(0.175, values, "lower-is-better"), "A");
    assert.equal(quartileBand(0.175, values, "higher-is-better"), "D");
  });

  it("says how far a value is from each band, and where each band starts", () => {
    const higher = quartilePlacement(40, all, "higher-is-better");
    assert.deepEqual(higher?.shortOf, { A: 7.5, B: 0, C: 0, D: 0 });
    assert.deepEqual(higher?.entryPoint, { A: 47.5, B: 35, C: 22.5, D: null });
    const lower = quartilePlacement(30, all, "lower-is-better");
    assert.deepEqual(lower?.shortOf, { A: 7.5, B: 0, C: 0, D: 0 });
    assert.deepEqual(lower?.entryPoint, { A: 22.5, B: 35, C: 47.5, D: null });
  });

  it("gives no quartile to monitor or within-range measures, or without values", () => {
    assert.equal(quartileBand(58, [52, 56, 58], "monitor"), null);
    assert.equal(quartileBand(17, [15, 17, 19], "within-range"), null);
    assert.equal(quartileBand(17, [], "higher-is-better"), null);
  });

  it("names the bands as targets do", () => {
    assert.deepEqual(
      QUARTILE_BANDS.map((b) => `${b.band}=${b.name}`),
      ["A=top", "B=upper-middle", "C=lower-middle", "D=bottom"],
    );
  });

  it("never bands a better value worse (property)", () => {
    fc.assert(
      fc.property(
        fc.array(writtenFigure, { minLength: 1, maxLength: 40 }),
        writtenFigure,
        writtenFigure,
        fc.constantFrom("higher-is-better" as const, "lower-is-better" as const),
        (values, a, b, polarity) => {
          const [worse, better] = (polarity === "higher-is-better") === a <= b ? [a, b] : [b, a];
          const bandWorse = quartileBand(worse, values, polarity) ?? "";
          const bandBetter = quartileBand(better, values, polarity) ?? "";
          assert.ok(bandBetter <= bandWorse, `${better} in ${bandBetter} but ${worse} in ${bandWorse}`);
        },
      ),
    );
  });
});

describe("ranks", () => {
  it("ranks 1 as best and shares the better rank on ties (1, 2, 2, 4)", () => {
    const ranked = rankAuthorities(
      [
        { authority: "830", value: 85 },
        { authority: "831", value: 90 },
        { authority: "892", value: null },
        { authority: "855", value: 70 },
        { authority: "856", value: 85 },
      ],
      "higher-is-better",
    );
    assert.deepEqual(
      ranked.map((r) => `${r.authority} ${r.text}`),
      ["831 rank 1 of 4", "830 rank 2 of 4", "856 rank 2 of 4", "855 rank 4 of 4"],
    );
  });

  it("ranks lower-is-better measures from the smallest value", () => {
    assert.deepEqual(rankAmong(2.9, [2.8, 2.9, 1.9, 3.5, 7.4], "lower-is-better"), {
      rank: 3,
      of: 5,
      text: "rank 3 of 5",
    });
    assert.equal(rankAmong(7.4, [2.8, 2.9, 1.9, 3.5, 7.4], "lower-is-better")?.rank, 5);
  });

  it("counts only councils with a value in N", () => {
    assert.equal(
      rankAmong(80.7, [80.7, null, 87.9, undefined, 79.1], "higher-is-better")?.text,
      "rank 2 of 3",
    );
  });

  it("treats figures equal to the written decimal as tied", () => {
    assert.equal(rankAmong(0.3, [0.1 + 0.2, 0.3, 0.4], "higher-is-better")?.rank, 2);
  });

  it("gives no rank to monitor or within-range measures", () => {
    assert.equal(rankAmong(58, [52, 58], "monitor"), null);
    assert.equal(rankAmong(17, [15, 17], "within-range"), null);
    assert.deepEqual(rankAuthorities([{ authority: "830", value: 58 }], "monitor"), []);
  });

  it("keeps ranks between 1 and N, ties equal, and rank = 1 + councils strictly better (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.integer({ min: 0, max: 20 }).map((n) => n / 2)), { maxLength: 40 }),
        fc.constantFrom("higher-is-better" as const, "lower-is-better" as const),
        (values, polarity) => {
          const entries = values.map((value, i) => ({ authority: String(i), value }));
          const ranked = rankAuthorities(entries, polarity);
          const present = values.filter((v): v is number => v !== null);
          assert.equal(ranked.length, present.length);
          for (const r of ranked) {
            assert.ok(r.rank >= 1 && r.rank <= r.of && r.of === present.length);
            const strictlyBetter = present.filter((v) =>
              polarity === "higher-is-better" ? v > r.value : v < r.value,
            );
            assert.equal(r.rank, strictlyBetter.length + 1);
            assert.equal(rankAmong(r.value, values, polarity)?.rank, r.rank);
          }
          for (let i = 1; i < ranked.length; i++) {
            const [prev, cur] = [ranked[i - 1], ranked[i]];
            assert.ok(prev !== undefined && cur !== undefined);
            assert.ok(cur.rank >= prev.rank);
            if (cur.value === prev.value) assert.equal(cur.rank, prev.rank);
            else assert.equal(cur.rank, i + 1);
          }
        },
      ),
    );
  });
});

describe("statistical-neighbour average", () => {
  it("is the simple mean of the neighbours with a value", () => {
    assert.deepEqual(statisticalNeighbourAverage([16.4, 15.8, null, 17.0]), {
      average: 16.4,
      neighboursWithValue: 3,
      neighboursWithout: 1,
    });
    assert.equal(statisticalNeighbourAverage([0.1, 0.2])?.average, 0.15);
  });

  it("is absent when no neighbour has a value", () => {
    assert.equal(statisticalNeighbourAverage([null, null]), null);
    assert.equal(statisticalNeighbourAverage([]), null);
  });
});
