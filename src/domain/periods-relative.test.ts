import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { comparePeriodLabels, type Period, parsePeriod, relativePeriod } from "./periods.ts";

function parsed(label: string): Period {
  const period = parsePeriod(label);
  assert.ok(period, label);
  return period;
}

describe("relativePeriod: headings named from the reporting period", () => {
  const cases: [string, "this" | "previous" | "year-to-date", string | null][] = [
    ["Quarter 3, 2024 to 2025", "this", "Q3 2024/25"],
    ["Q3 24/25", "previous", "Q2 2024/25"],
    ["Q1 2024/25", "previous", "Q4 2023/24"],
    ["Oct-Dec 2024", "year-to-date", "Dec 2024 - cumulative over financial year"],
    ["Sep 24", "this", "Sep 2024"],
    ["Jan 25", "previous", "Dec 2024"],
    ["Month 1 2024/25", "previous", "Month 12 2023/24"],
    ["Month 7 2024/25", "year-to-date", "Oct 2024 - cumulative over financial year"],
    ["2024/25", "this", null],
  ];
  for (const [label, which, expected] of cases) {
    it(`${which} of ${label} is ${expected ?? "not named"}`, () => {
      assert.equal(relativePeriod(parsed(label), which)?.label ?? null, expected);
    });
  }

  it("a year to date runs from the start of the financial year", () => {
    const ytd = relativePeriod(parsed("Q3 2024/25"), "year-to-date");
    assert.equal(ytd?.start, "2024-04-01");
    assert.equal(ytd?.end, "2024-12-31");
  });
});

describe("comparePeriodLabels: date order", () => {
  it("puts quarters, months and years in date order, undated labels last", () => {
    const labels = ["Target", "Q1 2024/25", "Dec 2023", "2023/24", "Q4 2023/24", "Sep 2023", "Jun 2023"];
    assert.deepEqual([...labels].sort(comparePeriodLabels), [
      "Jun 2023",
      "Sep 2023",
      "Dec 2023",
      "2023/24",
      "Q4 2023/24",
      "Q1 2024/25",
      "Target",
    ]);
  });
});
