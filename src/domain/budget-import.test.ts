import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { budgetColumnKind, closeLineNames, normaliseLineName, readBudgetTable } from "./budget-import.ts";

describe("reading a budget monitoring table's headings by meaning", () => {
  it("knows each column by its words, whatever the unit", () => {
    const cases: [string, string | null][] = [
      ["Budget line", "line"],
      ["Service area", "line"],
      ["Cost centre", "line"],
      ["Cost centre code", "code"],
      ["Controllable budget £000", "budget"],
      ["Revised Budget (£m)", "budget"],
      ["Full year forecast", "forecast"],
      ["Projected outturn £'000", "forecast"],
      ["Forecast Under (-)/ Over Spend £m", "variance"],
      ["Variance", "variance"],
      ["Comments", null],
    ];
    for (const [heading, kind] of cases) assert.equal(budgetColumnKind(heading), kind, heading);
  });

  it("matches names with curly quotes, dashes, spaces, case and & alike, and offers close names", () => {
    assert.equal(normaliseLineName("Children’s  Services & Schools"), "children's services and schools");
    const lines = [
      { id: 1, name: "Libraries" },
      { id: 2, name: "Home to School Transport" },
      { id: 3, name: "Waste collection" },
    ];
    assert.deepEqual(closeLineNames("Libarries", lines), ["Libraries"]);
    assert.deepEqual(closeLineNames("School transport", lines), ["Home to School Transport"]);
    assert.deepEqual(closeLineNames("Parks", lines), []);
  });

  it("refuses a table with no header row, saying what its first row reads", () => {
    const reading = readBudgetTable([["Name", "Amount"]], {
      unit: "pounds",
      bracketsMean: "underspend",
      lines: [],
    });
    assert.equal(reading.ok, false);
    assert.match(reading.ok ? "" : reading.message, /the first row reads "Name \| Amount"/);
  });
});
