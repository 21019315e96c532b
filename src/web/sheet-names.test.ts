import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { sheetName } from "./sheet-names.ts";

describe("an Excel sheet name for a table's caption", () => {
  test("a caption that fits is kept as written, forbidden characters as spaces", () => {
    assert.equal(sheetName("Spend: north/south", "x"), "Spend north south");
    assert.equal(sheetName("Budget items 2031/32", "x"), "Budget items 2031-32");
    assert.equal(sheetName("", "Table 2"), "Table 2");
  });

  test("a long caption is cut at a word, never mid-word or on a dangling word or comma", () => {
    assert.equal(
      sheetName("Deliverable progress by rating and quarter", "x"),
      "Deliverable progress by rating",
    );
    assert.equal(
      sheetName("Forecast outturn against target budget: data", "x"),
      "Forecast outturn against target",
    );
    assert.equal(
      sheetName("Widgets mended, polished, counted and stored away", "x"),
      "Widgets mended polished counted",
    );
  });

  test("a long caption naming a quarter or month keeps its period, shortened as a reader would", () => {
    assert.equal(
      sheetName("Deliverable progress, Quarter 2 2031/32", "x"),
      "Deliverable progress Q2 2031-32",
    );
    assert.equal(sheetName("Forecasts as at Month 11 2031/32, by line", "x"), "Forecasts as at M11 2031-32");
  });

  test("names in one workbook are distinct, the number added at a word and never doubled", () => {
    const used = new Set<string>();
    const names = [
      "Measures, Quarter 2 2031/32",
      "Measures, Quarter 2 2031/32: measures by rating",
      "Measures, Quarter 2 2031/32",
      "measures, quarter 2 2031/32",
    ].map((caption) => sheetName(caption, "Table", used));
    assert.deepEqual(names, [
      "Measures, Quarter 2 2031-32",
      "Measures Q2 2031-32 measures",
      "Measures, Quarter 2 2031-32 2",
      "measures, quarter 2 2031-32 3",
    ]);
    for (const name of names) assert.ok(name.length <= 31, name);
  });
});
