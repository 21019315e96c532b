import assert from "node:assert/strict";
import { test } from "node:test";
import { chartPng, chartSvg } from "./charts.ts";
import type { ChartBlock } from "./model.ts";

const chart: ChartBlock = {
  kind: "chart",
  id: "budget-chart",
  title: "Budget against forecast outturn",
  description: "The forecast outturn of £134.676m is above the budget of £120.833m.",
  unit: "£m",
  bars: [
    { category: "Total", series: "Budget", value: 120.833, label: "120.833" },
    { category: "Total", series: "Forecast", value: 134.676, label: "134.676" },
  ],
  table: { kind: "table", id: "budget-chart-data", caption: "Chart data", columns: [], rows: [] },
};

test("a chart is an SVG image with its title, description and every value as text", () => {
  const svg = chartSvg(chart);
  assert.match(svg, /^<svg[^>]*role="img"/);
  assert.match(svg, /aria-labelledby="budget-chart-title budget-chart-desc"/);
  assert.match(svg, /<title id="budget-chart-title">Budget against forecast outturn<\/title>/);
  assert.match(svg, /<desc id="budget-chart-desc">The forecast outturn of £134.676m/);
  // Each bar is named and labelled, so the chart reads without colour.
  assert.match(svg, /Total — Budget/);
  assert.match(svg, /134\.676/);
});

test("a chart renders to PNG for Word", () => {
  const png = chartPng(chart, 600);
  assert.deepEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47]);
  assert.ok(png.length > 2000);
});
