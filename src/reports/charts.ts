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

export function chartSvg(chart: ChartBlock): string {
  const { document } = parseHTML("<!doctype html><html><body></body></html>");
  const series = [...new Set(chart.bars.map((bar) => bar.series))];
  // One row per bar: "Category — Series" where there are several series, so each bar is named.
  const rowLabel = (bar: ChartBar) => (series.length > 1 ? `${bar.category} — ${bar.series}` : bar.category);
  const rows = [...new Set(chart.bars.map(rowLabel))];
  const longestRow = Math.max(...rows.map((row) => row.length), 8);
  const maxValue = Math.max(0, ...chart.bars.map((bar) => bar.value));
  const minValue = Math.min(0, ...chart.bars.map((bar) => bar.value));
  const plot = Plot.plot({
    document: document as unknown as Document,
    width: 720,
    height: 50 + 26 * rows.length,
    marginLeft: Math.min(330, 16 + longestRow * 6),
    marginRight: 90,
    style: { fontSize: "12px", fontFamily: "Liberation Sans, Arial, sans-serif" },
    x: { label: chart.unit, grid: true, domain: [minValue * 1.1, maxValue * 1.1] },
    y: { label: null, domain: rows },
    color: { domain: series, range: SERIES_COLOURS },
    marks: [
      Plot.barX(chart.bars, { x: "value", y: rowLabel, fill: "series" }),
      Plot.text(chart.bars, {
        x: "value",
        y: rowLabel,
        text: "label",
        textAnchor: "start",
        dx: 6,
        fill: "#0b0c0c",
      }),
      Plot.ruleX([0]),
    ],
  }) as unknown as Element;
  plot.setAttribute("role", "img");
  plot.setAttribute("aria-labelledby", `${chart.id}-title ${chart.id}-desc`);
  const svg = plot.outerHTML.replace(
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
