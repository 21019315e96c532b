import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  excelSerialDate,
  neighbourMean,
  placeCouncils,
  plainDecimal,
  polarityFromDictionary,
  readPeriodLabel,
  readPublishedValue,
  showToDecimals,
  yearTypeFromDictionary,
} from "./benchmark-data.ts";

describe("published values", () => {
  test("float noise is removed without losing a published digit", () => {
    assert.deepEqual(readPublishedValue("18.899999999999999"), {
      kind: "figure",
      text: "18.9",
      amount: 18.9,
    });
    assert.equal(readPublishedValue("4.7980000000000002E-2")?.kind, "figure");
    assert.equal((readPublishedValue("4.7980000000000002E-2") as { text: string }).text, "0.04798");
    assert.equal((readPublishedValue("0.1784") as { text: string }).text, "0.1784");
    assert.equal((readPublishedValue("-0.23000000000000001") as { text: string }).text, "-0.23");
    assert.equal((readPublishedValue("13.600000000000001") as { text: string }).text, "13.6");
    assert.equal(plainDecimal(1.5e-7), "0.00000015");
    assert.equal(plainDecimal(2e21), "2000000000000000000000");
  });

  test("suppression codes stay codes, never zero", () => {
    for (const code of ["x", "c", "u", "z", "low", "-"]) {
      const read = readPublishedValue(code);
      assert.equal(read?.kind, "code", code);
      assert.equal((read as { code: string }).code, code);
    }
    assert.equal(readPublishedValue("twelve"), null);
    assert.equal(readPublishedValue(""), null);
    assert.equal(readPublishedValue("1,234"), null);
  });

  test("shown to the published decimals, rounding half away from zero on the digits", () => {
    assert.equal(showToDecimals("18.9", 1), "18.9");
    assert.equal(showToDecimals("18.9", 2), "18.90");
    assert.equal(showToDecimals("0.1784", 2), "0.18");
    assert.equal(showToDecimals("2.675", 2), "2.68");
    assert.equal(showToDecimals("-2.675", 2), "-2.68");
    assert.equal(showToDecimals("9.96", 1), "10.0");
    assert.equal(showToDecimals("-0.04", 1), "0.0");
    assert.equal(showToDecimals("17.5", 0), "18");
    assert.equal(showToDecimals("0.1784", null), "0.1784");
  });
});

describe("the data dictionary", () => {
  test("polarity and year type words", () => {
    assert.equal(polarityFromDictionary("High"), "higher-is-better");
    assert.equal(polarityFromDictionary("Low"), "lower-is-better");
    assert.equal(polarityFromDictionary("-"), "monitor");
    assert.equal(polarityFromDictionary("NA"), "monitor");
    assert.equal(polarityFromDictionary("Sideways"), null);
    assert.equal(yearTypeFromDictionary("Annual (end of Sept)"), "as-at-30-september");
    assert.equal(yearTypeFromDictionary("Annual"), "as-at-31-march");
    assert.equal(yearTypeFromDictionary("Fortnightly"), null);
  });

  test("Excel serial dates", () => {
    assert.equal(excelSerialDate("45809"), "2025-06-01");
    assert.equal(excelSerialDate("TBC"), null);
  });
});

describe("period labels take their meaning from the year type", () => {
  test("a bare year is the year of the measure's kind ending then", () => {
    assert.equal(readPeriodLabel("2025", "financial")?.description, "financial year 2024-25");
    assert.equal(readPeriodLabel("2025", "academic")?.description, "academic year 2024/25");
    assert.equal(readPeriodLabel("2025", "as-at-30-september")?.description, "30 September 2025");
    assert.equal(readPeriodLabel("2025", "as-at-31-march")?.ends, "2025-03-31");
    assert.equal(readPeriodLabel("2019", "calendar")?.starts, "2019-01-01");
    const financial = readPeriodLabel("2025", "financial");
    assert.deepEqual([financial?.starts, financial?.ends], ["2024-04-01", "2025-03-31"]);
  });

  test("two-year, rolling and annotated labels", () => {
    assert.equal(readPeriodLabel("2018/19", "academic")?.description, "academic year 2018/19");
    assert.equal(readPeriodLabel("2018-19", "financial")?.ends, "2019-03-31");
    assert.equal(readPeriodLabel("2024-25 (OT)", "financial")?.status, "outturn");
    const rolling = readPeriodLabel("2014-16", "calendar");
    assert.deepEqual([rolling?.years, rolling?.starts, rolling?.ends], [3, "2014-01-01", "2016-12-31"]);
    const three = readPeriodLabel("2013/14-15/16", "financial");
    assert.deepEqual([three?.years, three?.starts, three?.ends], [3, "2013-04-01", "2016-03-31"]);
    assert.equal(readPeriodLabel("2025 (prov)", "academic")?.status, "provisional");
    assert.equal(readPeriodLabel("2018 (Rev)", "academic")?.description, "academic year 2017/18 (revised)");
    assert.equal(readPeriodLabel("2021 (Final)", "academic")?.status, "final");
  });

  test("labels that are not periods are refused", () => {
    assert.equal(readPeriodLabel("0", "academic"), null);
    assert.equal(readPeriodLabel("soon", "financial"), null);
    assert.equal(readPeriodLabel("2019-22", "financial"), null);
    assert.equal(readPeriodLabel("2016-17", "calendar"), null);
  });
});

describe("ranks and quartile bands for a measure and period", () => {
  const figures = [
    { area: "a", amount: 10 },
    { area: "b", amount: 20 },
    { area: "c", amount: 20 },
    { area: "d", amount: 40 },
    { area: "e", amount: null },
  ];

  test("higher is better: ties share the better rank; a council without a value has none", () => {
    const placed = placeCouncils(figures, "higher-is-better", true);
    const rank = Object.fromEntries(placed.placings.map((p) => [p.area, [p.rank, p.rankOf, p.band]]));
    assert.deepEqual(rank, {
      d: [1, 4, "A"],
      // Exactly on Q50 is not above it: band C, as LAIT bands it.
      b: [2, 4, "C"],
      c: [2, 4, "C"],
      a: [4, 4, "D"],
      e: [null, null, null],
    });
    // Type 7 over 10, 20, 20, 40: Q25 = 17.5, Q50 = 20, Q75 = 25.
    assert.deepEqual(placed.cutPoints, { q25: 17.5, q50: 20, q75: 25 });
  });

  test("lower is better: at or below a cut point is in the better band", () => {
    const placed = placeCouncils(figures, "lower-is-better", true);
    const rank = Object.fromEntries(placed.placings.map((p) => [p.area, [p.rank, p.band]]));
    assert.deepEqual(rank, { a: [1, "A"], b: [2, "B"], c: [2, "B"], d: [4, "D"], e: [null, null] });
  });

  test("no polarity: no rank and no band; flagged no-quartile: a rank but no band", () => {
    assert.ok(
      placeCouncils(figures, "monitor", true).placings.every((p) => p.rank === null && p.band === null),
    );
    const flagged = placeCouncils(figures, "higher-is-better", false);
    assert.equal(flagged.cutPoints, null);
    assert.ok(flagged.placings.every((p) => p.band === null));
    assert.equal(flagged.placings.find((p) => p.area === "d")?.rank, 1);
  });

  test("the statistical-neighbour mean skips neighbours without a value", () => {
    assert.deepEqual(neighbourMean([10, null, 20, 30]), { mean: 20, counted: 3 });
    assert.equal(neighbourMean([null, null]), null);
  });
});
