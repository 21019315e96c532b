import assert from "node:assert/strict";
import { test } from "node:test";
import type { ChartBlock } from "../reports/model.ts";
import { axisTicks, chartPng, chartSvg, trendValue } from "./charts.ts";

// Made-up figures: a £87.250m budget forecast at £91.125m.
const chart: ChartBlock = {
  kind: "chart",
  id: "budget-chart",
  title: "Budget against forecast outturn",
  description: "The forecast outturn of £91.125m is above the budget of £87.250m.",
  unit: "£m",
  bars: [
    { category: "Total", series: "Budget", value: 87.25, label: "87.250" },
    { category: "Total", series: "Forecast", value: 91.125, label: "91.125" },
  ],
  table: { kind: "table", id: "budget-chart-data", caption: "Chart data", columns: [], rows: [] },
};

test("a chart is an SVG image with its title, description and every value as text", () => {
  const svg = chartSvg(chart);
  assert.match(svg, /^<svg[^>]*role="img"/);
  assert.match(svg, /aria-labelledby="budget-chart-title budget-chart-desc"/);
  assert.match(svg, /<title id="budget-chart-title">Budget against forecast outturn<\/title>/);
  assert.match(svg, /<desc id="budget-chart-desc">The forecast outturn of £91.125m/);
  // Each bar is named and labelled, so the chart reads without colour.
  assert.match(svg, /Total — Budget/);
  assert.match(svg, /91\.125/);
});

test("a chart of counts by rating draws each bar in its rating's colour, with its word and count", () => {
  const rated: ChartBlock = {
    ...chart,
    id: "progress",
    unit: "Deliverables",
    bars: [
      { category: "On track", series: "Deliverables", value: 4, label: "4", rating: "good" },
      { category: "Off track", series: "Deliverables", value: 2, label: "2", rating: "action" },
    ],
  };
  const svg = chartSvg(rated);
  const fills = [...svg.matchAll(/<rect[^>]*fill="(#[0-9a-f]{6})"/g)].map((match) => match[1]);
  assert.deepEqual(fills, ["#00703c", "#d4351c"]);
  assert.match(svg, /On track/);
  assert.match(svg, />2</);
  // A chart without ratings keeps its series colours.
  assert.doesNotMatch(chartSvg(chart), /#00703c|#d4351c/);
});

test("a chart renders to PNG for Word", () => {
  const png = chartPng(chart, 600);
  assert.deepEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47]);
  assert.ok(png.length > 2000);
});

const empty = { kind: "table" as const, id: "data", caption: "Chart data", columns: [], rows: [] };

const timeline: ChartBlock = {
  kind: "chart",
  chart: "timeline",
  id: "base-plan-chart",
  title: "Base Plan",
  description: "Activities by month.",
  months: ["Apr 24", "May 24", "Jun 24"],
  rows: [
    { label: "1 Keep children safe", group: true, start: 0, end: 2, when: "Apr – Jun 2024" },
    { label: "Review the front door", start: 1, end: 2, when: "May – Jun 2024" },
    { label: "Recruit more foster carers across the county and its neighbours" },
  ],
  table: empty,
};

const trend: ChartBlock = {
  kind: "chart",
  chart: "line",
  id: "trend-chart",
  title: "Trends",
  description: "Two values.",
  periods: ["2019-20", "2020-21"],
  series: [
    {
      name: "Re-referrals",
      points: [
        { period: "2019-20", value: 24.1, label: "24.1%" },
        { period: "2020-21", value: 19.8, label: "19.8%" },
      ],
    },
  ],
  table: empty,
};

test("a timeline names each row, writes each bar's months, and outlines a row with no months", () => {
  const svg = chartSvg(timeline);
  assert.match(svg, /^<svg[^>]*role="img"[^>]*aria-labelledby="base-plan-chart-title base-plan-chart-desc"/);
  assert.match(svg, /<title id="base-plan-chart-title">Base Plan<\/title>/);
  assert.match(svg, />Review the front door</);
  assert.match(svg, />May – Jun 2024</);
  assert.match(svg, /stroke-dasharray="5 4"/);
  assert.equal((svg.match(/\(months not given\)/g) ?? []).length, 1);
  assert.ok(chartPng(timeline, 600).length > 2000, "PNG produced");
});

test("a line chart labels each point with its value as written", () => {
  const svg = chartSvg(trend);
  assert.match(svg, /^<svg[^>]*role="img"/);
  assert.match(svg, /<desc id="trend-chart-desc">Two values\.<\/desc>/);
  assert.match(svg, />24\.1%</);
  assert.match(svg, />19\.8%</);
  assert.match(svg, />2020-21</);
  const png = chartPng(trend, 600);
  assert.deepEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47]);
});

test("a line chart's long point labels stay clear of the value axis and inside the panel", () => {
  const long: ChartBlock = {
    ...trend,
    series: [
      {
        name: "Made-up inspections",
        points: [
          { period: "2019-20", value: 79.1, label: "79.1% (31/08/19)" },
          { period: "2020-21", value: 80.7, label: "80.7% (31/08/20)" },
        ],
      },
    ],
  };
  const svg = chartSvg(long);
  // The axis's tick labels end 4 units left of the plot; the labels start or end inside it.
  const axisEnd = Math.max(
    ...[...svg.matchAll(/<text x="([\d.]+)"[^>]*text-anchor="end"[^>]*font-size="10"/g)].map((m) =>
      Number(m[1]),
    ),
  );
  const first = /<text x="([\d.]+)"[^>]*text-anchor="(\w+)"[^>]*>79\.1% \(31\/08\/19\)</.exec(svg);
  assert.ok(first, svg);
  assert.equal(first[2], "start", "the first label is set from the plot's edge, not centred over the axis");
  assert.ok(Number(first[1]) > axisEnd, `label at ${first[1]}, axis labels end at ${axisEnd}`);
  const last = /<text x="([\d.]+)"[^>]*text-anchor="(\w+)"[^>]*>80\.7% \(31\/08\/20\)</.exec(svg);
  assert.equal(last?.[2], "end", "the last label ends inside the panel");
  // A short label is still centred on its point.
  assert.match(chartSvg(trend), /text-anchor="middle"[^>]*>24\.1%</);
});

test("a line chart's panel widens with its periods, so a run of years keeps its labels apart", () => {
  const years = ["2016-17", "2017-18", "2018-19", "2019-20", "2020-21", "2021-22"];
  const long: ChartBlock = {
    ...trend,
    periods: years,
    series: [
      { name: "Rate", points: years.map((period, index) => ({ period, value: index, label: `${index}` })) },
    ],
  };
  assert.match(chartSvg(trend), /^<svg[^>]*width="300"/);
  assert.match(chartSvg(long), /^<svg[^>]*width="644"/);
});

test("a trend point is the figure a cell starts with, labelled as written", () => {
  assert.deepEqual(trendValue("77.1% (Dec 19)"), { value: 77.1, label: "77.1% (Dec 19)" });
  assert.deepEqual(trendValue("£318,742"), { value: 318742, label: "£318,742" });
  assert.deepEqual(trendValue("-3.5"), { value: -3.5, label: "-3.5" });
  // A long qualifier is left to the data table.
  assert.deepEqual(trendValue("28.1 (2018/19 academic year) Not comparable"), { value: 28.1, label: "28.1" });
  assert.equal(trendValue("N/Av"), null);
  assert.equal(trendValue("Less than £155,000"), null);
  assert.equal(trendValue("TBC"), null);
});

test("a chart shown larger keeps its drawing: only the root's width and height change", () => {
  const svg = chartSvg(trend, 1.5);
  assert.match(svg, /^<svg[^>]*width="450" height="285" viewBox="0 0 300 190"/);
  assert.equal(svg.replace(/^<svg[^>]*>/, ""), chartSvg(trend).replace(/^<svg[^>]*>/, ""));
});

test("a line chart has a value axis of round values from zero past the highest point", () => {
  assert.deepEqual(axisTicks(0, 24.1), [0, 5, 10, 15, 20, 25]);
  assert.deepEqual(axisTicks(0, 909), [0, 200, 400, 600, 800, 1000]);
  assert.deepEqual(axisTicks(-3.5, 2), [-4, -2, 0, 2]);
  assert.deepEqual(axisTicks(0, 0.9), [0, 0.2, 0.4, 0.6, 0.8, 1]);
  const svg = chartSvg(trend);
  for (const tick of ["0", "5", "10", "15", "20", "25"])
    assert.match(svg, new RegExp(`text-anchor="end"[^>]*>${tick}<`));
});

test("a line chart breaks the line before a point not comparable with the one before, and labels the gap", () => {
  const periods = ["2019-20", "2020-21", "2021-22", "2022-23"];
  const broken: ChartBlock = {
    ...trend,
    periods,
    series: [
      {
        name: "Attainment",
        points: [
          { period: "2019-20", value: 61, label: "61%" },
          { period: "2020-21", value: 63, label: "63%" },
          { period: "2021-22", value: 28, label: "28%", breakBefore: "Marked not comparable." },
          { period: "2022-23", value: 30, label: "30%" },
        ],
      },
    ],
  };
  const svg = chartSvg(broken);
  assert.equal((svg.match(/<polyline /g) ?? []).length, 2, "two lines, not one");
  assert.equal((svg.match(/>comparable</g) ?? []).length, 1);
  assert.equal((svg.match(/<circle /g) ?? []).length, 4, "every point drawn");
  assert.equal((chartSvg(trend).match(/<polyline /g) ?? []).length, 1);
});

test("a chart drawn again is the same picture, and a changed figure draws a new one", () => {
  const first = chartSvg(chart);
  assert.equal(chartSvg(structuredClone(chart)), first);
  const changed: ChartBlock = {
    ...chart,
    bars: [
      { category: "Total", series: "Budget", value: 87.25, label: "87.250" },
      { category: "Total", series: "Forecast", value: 99.5, label: "99.500" },
    ],
  };
  const redrawn = chartSvg(changed);
  assert.notEqual(redrawn, first);
  assert.match(redrawn, /99\.500/);
  assert.doesNotMatch(redrawn, />91\.125</);
  // The first chart is still drawn with its own figures after the other.
  assert.match(chartSvg(chart), />91\.125</);
});
