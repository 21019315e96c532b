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

test("the line breaks before a figure that covers another kind of period or says it is not comparable", () => {
  const trend = measureTrend("trend", "Pupils reaching the expected standard", [
    {
      periodKey: "2018-19",
      amount: 61,
      cellText: "61%",
      ownPeriod: "2018/19",
      ownPeriodSpan: "academic-year",
    },
    {
      periodKey: "2019-20",
      amount: 63,
      cellText: "63%",
      ownPeriod: "2019/20",
      ownPeriodSpan: "academic-year",
    },
    {
      periodKey: "2020-21",
      amount: 28.1,
      cellText: "28.1% Not comparable with previous years",
      ownPeriod: "2020/21",
      ownPeriodSpan: "academic-year",
    },
    {
      periodKey: "2021-22",
      amount: 30,
      cellText: "30% (Autumn Term 2021)",
      ownPeriod: "Autumn Term 2021",
      ownPeriodSpan: "academic-term:autumn",
    },
    {
      periodKey: "2022-23",
      amount: 31,
      cellText: "31%",
      ownPeriod: "Autumn Term 2022",
      ownPeriodSpan: "academic-term:autumn",
    },
  ]);
  assert.ok(trend);
  assert.deepEqual(
    trend.series[0]?.points.map((point) => point.breakBefore ?? null),
    [
      null,
      null,
      "The figure for 2020/21 is marked not comparable with earlier figures.",
      "Autumn Term 2021 covers a different kind or length of period from 2020/21.",
      null,
    ],
  );
  assert.match(
    trend.description,
    /The line is broken where a figure is not comparable with the one before\./,
  );
  assert.deepEqual(trend.table.columns.at(-1)?.heading, "Compared with the figure before");
  assert.deepEqual(
    trend.table.rows.map((row) => row.cells[2]?.text),
    [
      "",
      "Comparable",
      trend.series[0]?.points[2]?.breakBefore,
      trend.series[0]?.points[3]?.breakBefore,
      "Comparable",
    ],
  );
});

test("figures without a stored span compare unless marked, and then the table has no comparison column", () => {
  const trend = measureTrend("trend", "Rate", [
    { periodKey: "2019-20", amount: 3, cellText: "3" },
    { periodKey: "2020-21", amount: 4, cellText: "4", ownPeriodSpan: "financial-year" },
  ]);
  assert.equal(
    trend?.series[0]?.points.some((point) => point.breakBefore !== undefined),
    false,
  );
  assert.equal(trend?.table.columns.length, 2);
});
