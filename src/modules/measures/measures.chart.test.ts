import assert from "node:assert/strict";
import { test } from "node:test";
import { measureTrend } from "./measures.chart.ts";

test("a measure's trend has a point per period in order, the later document's figure for a period kept", () => {
  const trend = measureTrend("trend", "Number of missing episodes", [
    { periodKey: "2020-12", amount: 909, cellText: "909 (Dec 20)" },
    { periodKey: "2019-03", amount: 1012, cellText: "1,012" },
    { periodKey: "2019-12", amount: 800, cellText: "800 (Dec 19)" },
    { periodKey: "2019-12", amount: 805, cellText: "805 (Dec 19)" },
  ]);
  assert.ok(trend);
  assert.deepEqual(trend.periods, ["2019-03", "2019-12", "2020-12"]);
  assert.deepEqual(
    trend.series[0]?.points.map((point) => [point.value, point.label]),
    [
      [1012, "1,012"],
      [805, "805 (Dec 19)"],
      [909, "909 (Dec 20)"],
    ],
  );
  assert.equal(trend.title, "Trend of Number of missing episodes");
  assert.equal(
    trend.description,
    "3 figures, from 1,012 (2019-03) to 909 (Dec 20) (2020-12). The same figures are in the table below.",
  );
  assert.deepEqual(
    trend.table.rows.map((row) => row.cells.map((cell) => cell.text)),
    [
      ["2019-03", "1,012"],
      ["2019-12", "805 (Dec 19)"],
      ["2020-12", "909 (Dec 20)"],
    ],
  );
});

test("a measure with no figures has no trend; one figure is described as one", () => {
  assert.equal(measureTrend("trend", "Rate", []), null);
  assert.equal(
    measureTrend("trend", "Rate", [{ periodKey: "2020-21", amount: 3, cellText: "3" }])?.description,
    "1 figure, 3 (2020-21). The same figures are in the table below.",
  );
});
