import * as Plot from "@observablehq/plot";
import { Resvg } from "@resvg/resvg-js";
import { parseHTML } from "linkedom";
import type { ChartBar, ChartBlock } from "./model.ts";

/**
 * Charts are drawn on the server as SVG with Observable Plot (through linkedom, so no browser),
 * the same SVG for the page and the PDF, and as PNG for Word. Each bar carries its series name
 * and value as text, so the chart reads without colour; the SVG has a title and description.
 */

// Colours from the GOV.UK palette with enough contrast against white and against each other.
const SERIES_COLOURS = ["#1d70b8", "#505a5f", "#00703c", "#d4351c", "#f47738"];

const escapeXml = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** One row per bar: "Category — Series" where there are several series, so each bar is named. */
function rowLabeller(chart: ChartBlock): (bar: ChartBar) => string {
  const series = new Set(chart.bars.map((bar) => bar.series));
  return (bar) => (series.size > 1 ? `${bar.category} — ${bar.series}` : bar.category);
}

/**
 * The chart's size in SVG units: wide enough for its longest row label (so no name is cut off),
 * one 26-unit row per bar. Word uses it to keep the picture's proportions.
 */
export function chartSize(chart: ChartBlock): { width: number; height: number; marginLeft: number } {
  const rows = new Set(chart.bars.map(rowLabeller(chart)));
  const longestRow = Math.max(...[...rows].map((row) => row.length), 8);
  const marginLeft = Math.min(460, 16 + Math.ceil(longestRow * 6.4));
  return { width: Math.max(720, marginLeft + 420), height: 50 + 26 * rows.size, marginLeft };
}

export function chartSvg(chart: ChartBlock): string {
  const { document } = parseHTML("<!doctype html><html><body></body></html>");
  const series = [...new Set(chart.bars.map((bar) => bar.series))];
  const rowLabel = rowLabeller(chart);
  const rows = [...new Set(chart.bars.map(rowLabel))];
  const size = chartSize(chart);
  const maxValue = Math.max(0, ...chart.bars.map((bar) => bar.value));
  const minValue = Math.min(0, ...chart.bars.map((bar) => bar.value));
  const plot = Plot.plot({
    document: document as unknown as Document,
    width: size.width,
    height: size.height,
    marginLeft: size.marginLeft,
    marginRight: 90,
    style: { fontSize: "12px", fontFamily: "Liberation Sans, Arial, sans-serif" },
    x: { label: chart.unit, grid: true, domain: [minValue * 1.1, maxValue * 1.1] },
    y: { label: null, domain: rows },
    color: { domain: series, range: SERIES_COLOURS },
    marks: [
      Plot.barX(chart.bars, { x: "value", y: rowLabel, fill: "series" }),
      // Each value is written beside its bar: beyond the end of a positive bar, right of zero for a
      // negative one (where it never runs into the row names).
      Plot.text(
        chart.bars.filter((bar) => bar.value >= 0),
        { x: "value", y: rowLabel, text: "label", textAnchor: "start", dx: 6, fill: "#0b0c0c" },
      ),
      Plot.text(
        chart.bars.filter((bar) => bar.value < 0),
        { x: () => 0, y: rowLabel, text: "label", textAnchor: "start", dx: 6, fill: "#0b0c0c" },
      ),
      Plot.ruleX([0]),
    ],
  }) as unknown as Element;
  plot.setAttribute("role", "img");
  plot.setAttribute("aria-labelledby", `${chart.id}-title ${chart.id}-desc`);
  // Plot names each group of marks with aria-label ("bar", "rule"), which ARIA does not allow on
  // a <g> without a role; the chart is one image named by its title and description.
  const svg = plot.outerHTML
    .replace(/(<g\b[^>]*?) aria-label="[^"]*"/g, "$1")
    .replace(
      /^<svg([^>]*)>/,
      `<svg$1><title id="${chart.id}-title">${escapeXml(chart.title)}</title><desc id="${chart.id}-desc">${escapeXml(chart.description)}</desc>`,
    );
  return svg.includes("xmlns=") ? svg : svg.replace("<svg", '<svg xmlns="http://www.w3.org/2000/svg"');
}

export function chartPng(chart: ChartBlock, width = 1440): Buffer {
  const svg = chartSvg(chart);
  const resvg = new Resvg(svg, {
    fitTo: { mode: "width", value: width },
    background: "white",
    font: { loadSystemFonts: true, defaultFontFamily: "Liberation Sans" },
  });
  return resvg.render().asPng();
}
