import * as Plot from "@observablehq/plot";
import { Resvg } from "@resvg/resvg-js";
import { parseHTML } from "linkedom";
import { RATING_BAR_COLOURS } from "../domain/rating-key.ts";
import type {
  BarChartBlock,
  ChartBar,
  ChartBlock,
  ChartPoint,
  LineChartBlock,
  TimelineChartBlock,
} from "../reports/model.ts";

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
function rowLabeller(chart: BarChartBlock): (bar: ChartBar) => string {
  const series = new Set(chart.bars.map((bar) => bar.series));
  return (bar) => (series.size > 1 ? `${bar.category} — ${bar.series}` : bar.category);
}

/**
 * The chart's size in SVG units: wide enough for its longest row label (so no name is cut off),
 * one 26-unit row per bar. Word uses it to keep the picture's proportions.
 */
export function chartSize(chart: ChartBlock): { width: number; height: number; marginLeft: number } {
  if (chart.chart === "timeline") return { ...timelineLayout(chart), marginLeft: TIMELINE.labelWidth };
  if (chart.chart === "line") {
    const { width, height } = lineLayout(chart);
    return { width, height, marginLeft: 0 };
  }
  const rows = new Set(chart.bars.map(rowLabeller(chart)));
  const longestRow = Math.max(...[...rows].map((row) => row.length), 8);
  const marginLeft = Math.min(460, 16 + Math.ceil(longestRow * 6.4));
  const width = chart.compact ? marginLeft + 200 : Math.max(720, marginLeft + 420);
  return { width, height: 50 + 26 * rows.size, marginLeft };
}

/**
 * The chart as SVG. `scale` sets the size it is shown at (its drawing, in viewBox units, is
 * unchanged): a measure page shows its one trend panel half as large again.
 */
export function chartSvg(chart: ChartBlock, scale = 1): string {
  const svg = drawnSvg(chart);
  if (scale === 1) return svg;
  return svg.replace(/^<svg[^>]*>/, (open) =>
    open.replace(
      / (width|height)="([\d.]+)"/g,
      (_all, name: string, value: string) => ` ${name}="${Math.round(Number(value) * scale)}"`,
    ),
  );
}

/** How many drawn charts are kept: a dashboard's two, a few dozen measures' trends, a report's. */
const KEPT_CHARTS = 256;
const keptCharts = new Map<string, string>();

/**
 * The chart drawn once per process for each distinct chart: drawing with Plot is most of what a
 * dashboard view costs, and the SVG depends only on the chart's own content, so a chart with the
 * same content (the same counts after a write, say) is the same picture. Least recently drawn
 * charts are dropped beyond KEPT_CHARTS, so memory stays bounded.
 */
function drawnSvg(chart: ChartBlock): string {
  const key = JSON.stringify(chart);
  const kept = keptCharts.get(key);
  if (kept !== undefined) {
    keptCharts.delete(key);
    keptCharts.set(key, kept);
    return kept;
  }
  const svg = drawSvg(chart);
  keptCharts.set(key, svg);
  if (keptCharts.size > KEPT_CHARTS) keptCharts.delete(keptCharts.keys().next().value as string);
  return svg;
}

function drawSvg(chart: ChartBlock): string {
  if (chart.chart === "timeline") return timelineSvg(chart);
  if (chart.chart === "line") return lineSvg(chart);
  const { document } = parseHTML("<!doctype html><html><body></body></html>");
  const series = [...new Set(chart.bars.map((bar) => bar.series))];
  const rowLabel = rowLabeller(chart);
  const rows = [...new Set(chart.bars.map(rowLabel))];
  const size = chartSize(chart);
  const maxValue = Math.max(0, ...chart.bars.map((bar) => bar.value));
  const minValue = Math.min(0, ...chart.bars.map((bar) => bar.value));
  const rated = chart.bars.some((bar) => bar.rating !== undefined);
  const plot = Plot.plot({
    document: document as unknown as Document,
    width: size.width,
    height: size.height,
    marginLeft: size.marginLeft,
    marginRight: 90,
    style: { fontSize: "12px", fontFamily: "Liberation Sans, Arial, sans-serif" },
    x: { label: chart.unit, grid: true, domain: [minValue * 1.1, maxValue * 1.1] },
    y: { label: null, domain: rows },
    // A chart of counts by rating draws each bar in its rating's colour; others by series.
    color: rated ? { type: "identity" } : { domain: series, range: SERIES_COLOURS },
    marks: [
      rated
        ? Plot.barX(chart.bars, {
            x: "value",
            y: rowLabel,
            fill: (bar: ChartBar) => (bar.rating ? RATING_BAR_COLOURS[bar.rating] : SERIES_COLOURS[0]),
            stroke: "#0b0c0c",
            strokeWidth: 0.5,
          })
        : Plot.barX(chart.bars, { x: "value", y: rowLabel, fill: "series" }),
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
  plot.setAttribute("aria-labelledby", labelledBy(chart));
  // Plot names each group of marks with aria-label ("bar", "rule"), which ARIA does not allow on
  // a <g> without a role; the chart is one image named by its title and description.
  const svg = plot.outerHTML
    .replace(/(<g\b[^>]*?) aria-label="[^"]*"/g, "$1")
    .replace(/^<svg([^>]*)>/, `<svg$1>${titleAndDesc(chart)}`);
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

const labelledBy = (chart: ChartBlock) => `${chart.id}-title ${chart.id}-desc`;
const titleAndDesc = (chart: ChartBlock) =>
  `<title id="${chart.id}-title">${escapeXml(chart.title)}</title><desc id="${chart.id}-desc">${escapeXml(chart.description)}</desc>`;
const FONT = 'font-family="Liberation Sans, Arial, sans-serif"';
const INK = "#0b0c0c";

/** Opens a hand-drawn chart's SVG: sized, named by its title and description, on white. */
function svgOpen(chart: ChartBlock, width: number, height: number): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="${labelledBy(chart)}" ` +
    `width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ${FONT} font-size="12">` +
    `${titleAndDesc(chart)}<rect width="${width}" height="${height}" fill="#ffffff"/>`
  );
}

/**
 * Breaks a label into at most `maxLines` lines of about `perLine` characters, at spaces; what
 * does not fit ends in "…" (the full words are in the chart's data table).
 */
function wrapLabel(text: string, perLine: number, maxLines: number): string[] {
  const lines: string[] = [];
  let current = "";
  const words = text.split(/\s+/).filter((word) => word !== "");
  for (const [index, word] of words.entries()) {
    const next = current === "" ? word : `${current} ${word}`;
    if (next.length <= perLine || current === "") {
      current = next;
      continue;
    }
    lines.push(current);
    current = word;
    if (lines.length === maxLines) {
      const rest = words.slice(index).join(" ");
      const last = lines[maxLines - 1] ?? "";
      lines[maxLines - 1] = rest ? `${last.slice(0, perLine - 1).trimEnd()}…` : last;
      return lines;
    }
  }
  if (current !== "") lines.push(current);
  return lines;
}

function textLines(lines: string[], x: number, y: number, attributes = ""): string {
  return lines
    .map(
      (line, index) =>
        `<text x="${x}" y="${y + index * 13}" fill="${INK}" ${attributes}>${escapeXml(line)}</text>`,
    )
    .join("");
}

// ---------------------------------------------------------------------------------------------
// Timeline (the Base Plan)

const TIMELINE = { labelWidth: 380, monthWidth: 46, top: 34, rowHeight: 32, perLine: 56 };

function timelineLayout(chart: TimelineChartBlock): { width: number; height: number } {
  return {
    width: TIMELINE.labelWidth + TIMELINE.monthWidth * chart.months.length + 12,
    height: TIMELINE.top + TIMELINE.rowHeight * chart.rows.length + 10,
  };
}

/**
 * A timeline too tall for a page cut into pieces of at most `maxHeight` (in the chart's own
 * units), each a timeline of its own with the months across its top: at an objective where one
 * fits, so an objective stays with its activities, otherwise between activities. One piece where
 * the whole fits. The pieces keep the chart's id, title and description.
 */
export function timelinePieces(chart: TimelineChartBlock, maxHeight: number): TimelineChartBlock[] {
  const perPiece = Math.max(1, Math.floor((maxHeight - TIMELINE.top - 10) / TIMELINE.rowHeight));
  if (chart.rows.length <= perPiece) return [chart];
  // Runs of rows that belong together: an objective and the activities under it.
  const runs: TimelineChartBlock["rows"][] = [];
  for (const row of chart.rows) {
    const last = runs.at(-1);
    if (row.group || !last) runs.push([row]);
    else last.push(row);
  }
  const pieces: TimelineChartBlock["rows"][] = [[]];
  for (const run of runs) {
    let current = pieces.at(-1) ?? [];
    if (current.length > 0 && current.length + run.length > perPiece) {
      current = [];
      pieces.push(current);
    }
    for (const row of run) {
      if (current.length === perPiece) {
        current = [];
        pieces.push(current);
      }
      current.push(row);
    }
  }
  // Each piece its own image: after the first, its own id (the SVG's title and description are
  // found by id) and a title that says it continues.
  return pieces.map((rows, index) =>
    index === 0
      ? { ...chart, rows }
      : { ...chart, rows, id: `${chart.id}-part-${index + 1}`, title: `${chart.title} (continued)` },
  );
}

/**
 * A grid of trend panels cut into pieces of whole rows of panels, each at most `maxHeight` high
 * (in the chart's own units; at least one row), so a page break falls between rows, never
 * through a panel. One piece where the whole fits. Pieces after the first have their own id and
 * a title that says the chart continues, as timeline pieces do.
 */
export function linePieces(chart: LineChartBlock, maxHeight: number): LineChartBlock[] {
  const rows = Math.max(1, Math.floor((maxHeight + LINE.gap) / (LINE.panelHeight + LINE.gap)));
  const perPiece = rows * LINE.columns;
  if (chart.series.length <= perPiece) return [chart];
  const pieces: LineChartBlock["series"][] = [];
  for (let start = 0; start < chart.series.length; start += perPiece) {
    pieces.push(chart.series.slice(start, start + perPiece));
  }
  return pieces.map((series, index) =>
    index === 0
      ? { ...chart, series }
      : { ...chart, series, id: `${chart.id}-part-${index + 1}`, title: `${chart.title} (continued)` },
  );
}

function timelineSvg(chart: TimelineChartBlock): string {
  const { width, height } = timelineLayout(chart);
  const x0 = TIMELINE.labelWidth;
  const parts: string[] = [svgOpen(chart, width, height)];
  // Month columns: a label over each, a faint line between them.
  for (const [index, month] of chart.months.entries()) {
    const x = x0 + index * TIMELINE.monthWidth;
    if (index % 2 === 0) {
      parts.push(
        `<rect x="${x}" y="${TIMELINE.top - 4}" width="${TIMELINE.monthWidth}" height="${height - TIMELINE.top - 6}" fill="#f3f2f1"/>`,
      );
    }
    parts.push(
      `<text x="${x + TIMELINE.monthWidth / 2}" y="${TIMELINE.top - 12}" text-anchor="middle" fill="${INK}">${escapeXml(month)}</text>`,
    );
  }
  for (const [index, row] of chart.rows.entries()) {
    const y = TIMELINE.top + index * TIMELINE.rowHeight;
    const label = wrapLabel(row.label, row.group ? TIMELINE.perLine - 6 : TIMELINE.perLine, 2);
    const labelY = y + (label.length === 1 ? 19 : 13);
    parts.push(
      textLines(label, row.group ? 4 : 16, labelY, row.group ? 'font-weight="bold"' : ""),
      `<line x1="0" x2="${width}" y1="${y + TIMELINE.rowHeight}" y2="${y + TIMELINE.rowHeight}" stroke="#b1b4b6" stroke-width="0.5"/>`,
    );
    const barY = y + 6;
    const barHeight = TIMELINE.rowHeight - 12;
    if (row.start !== undefined && row.end !== undefined) {
      const x = x0 + row.start * TIMELINE.monthWidth + 2;
      const barWidth = (row.end - row.start + 1) * TIMELINE.monthWidth - 4;
      parts.push(
        `<rect x="${x}" y="${barY}" width="${barWidth}" height="${barHeight}" rx="3" fill="${row.group ? "#505a5f" : "#1d70b8"}"/>`,
      );
      // The months in words on the bar where they fit, otherwise after it: never colour alone.
      const when = row.when ?? "";
      const fits = when.length * 6.2 + 8 < barWidth;
      const afterX = x + barWidth + 4;
      if (fits) {
        parts.push(
          `<text x="${x + 4}" y="${barY + barHeight / 2 + 4}" fill="#ffffff">${escapeXml(when)}</text>`,
        );
      } else if (when && afterX + when.length * 6.2 < width) {
        parts.push(
          `<text x="${afterX}" y="${barY + barHeight / 2 + 4}" fill="${INK}">${escapeXml(when)}</text>`,
        );
      } else if (when) {
        parts.push(
          `<text x="${x - 4}" y="${barY + barHeight / 2 + 4}" text-anchor="end" fill="${INK}">${escapeXml(when)}</text>`,
        );
      }
    } else if (!row.group) {
      // No months given: a dashed outline and the words, so the bar never passes for the year.
      const barWidth = chart.months.length * TIMELINE.monthWidth - 4;
      parts.push(
        `<rect x="${x0 + 2}" y="${barY}" width="${barWidth}" height="${barHeight}" rx="3" fill="none" stroke="#505a5f" stroke-width="1.2" stroke-dasharray="5 4"/>`,
        `<text x="${x0 + 2 + barWidth / 2}" y="${barY + barHeight / 2 + 4}" text-anchor="middle" fill="${INK}" font-style="italic">(months not given)</text>`,
      );
    }
  }
  parts.push("</svg>");
  return parts.join("");
}

// ---------------------------------------------------------------------------------------------
// Line (measure trends): one small panel per series, each on its own scale

/**
 * The value a cell starts with, as a number, and the words to label its point: "77.1% (Dec 19)"
 * is 77.1 labelled "77.1% (Dec 19)"; "£406,291" is 406291; a long qualifier ("(2018/19 academic
 * year) Not comparable...") is left to the data table, the point labelled "28.1". Cells that do
 * not start with a figure ("N/Av", "Less than £155,000", "TBC") are not points.
 */
export function trendValue(cellText: string): { value: number; label: string } | null {
  const match = /^(£?)(-?\d[\d,]*(?:\.\d+)?)(%?)(\*?)(\s*\([^)]{1,12}\))?/.exec(cellText.trim());
  if (!match) return null;
  const value = Number((match[2] ?? "").replace(/,/g, ""));
  if (!Number.isFinite(value)) return null;
  return { value, label: match[0].trim() };
}

const LINE = {
  panelWidth: 300,
  periodWidth: 100,
  panelHeight: 190,
  columns: 3,
  gap: 16,
  titleHeight: 34,
  axisWidth: 44,
};

/**
 * About `count` round values from `low` to at least `high` (steps of 1, 2 or 5 times a power of
 * ten), for a value axis: 0, 250, 500, 750, 1,000.
 */
export function axisTicks(low: number, high: number, count = 5): number[] {
  const range = high - low || Math.abs(high) || 1;
  const rough = range / count;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 5, 10].find((multiple) => multiple * power >= rough) ?? 10) * power;
  const first = Math.floor(low / step) * step;
  const ticks: number[] = [];
  for (let tick = first; ; tick += step) {
    ticks.push(Number(tick.toPrecision(12)));
    if (tick >= high) return ticks;
  }
}

function tickLabel(value: number): string {
  return value.toLocaleString("en-GB", { maximumFractionDigits: 6 });
}

/**
 * Panels three to a row, each wide enough for its periods' labels: 300 units for the service
 * plan's two or three columns, wider for a measure page's run of years.
 */
function lineLayout(chart: LineChartBlock): { width: number; height: number; panelWidth: number } {
  const panelWidth = Math.max(LINE.panelWidth, LINE.axisWidth + LINE.periodWidth * chart.periods.length);
  const columns = Math.min(LINE.columns, Math.max(1, chart.series.length));
  const rows = Math.ceil(chart.series.length / LINE.columns);
  return {
    width: columns * panelWidth + (columns - 1) * LINE.gap,
    height: rows * LINE.panelHeight + (rows - 1) * LINE.gap,
    panelWidth,
  };
}

function lineSvg(chart: LineChartBlock): string {
  const { width, height, panelWidth } = lineLayout(chart);
  const parts: string[] = [svgOpen(chart, width, height)];
  for (const [index, series] of chart.series.entries()) {
    const left = (index % LINE.columns) * (panelWidth + LINE.gap);
    const top = Math.floor(index / LINE.columns) * (LINE.panelHeight + LINE.gap);
    const periods = chart.periods.filter((period) => series.points.some((point) => point.period === period));
    const values = series.points.map((point) => point.value);
    const ticks = axisTicks(Math.min(0, ...values), Math.max(...values, 0));
    const low = ticks[0] ?? 0;
    const high = Math.max(ticks.at(-1) ?? 1, low + 1);
    const plot = {
      left: left + LINE.axisWidth,
      right: left + panelWidth - 10,
      top: top + LINE.titleHeight + 22,
    };
    const bottom = top + LINE.panelHeight - 26;
    const xOf = (period: string) => {
      const at = periods.indexOf(period);
      if (periods.length === 1) return (plot.left + plot.right) / 2;
      // Inset so the first and last points' labels ("909 (Dec 20)") stay inside the panel.
      return plot.left + 40 + (at * (plot.right - plot.left - 80)) / (periods.length - 1);
    };
    const yOf = (value: number) => bottom - ((value - low) / (high - low)) * (bottom - plot.top);
    parts.push(
      `<rect x="${left + 0.5}" y="${top + 0.5}" width="${panelWidth - 1}" height="${LINE.panelHeight - 1}" fill="none" stroke="#b1b4b6"/>`,
      textLines(
        wrapLabel(series.name, Math.floor((46 * panelWidth) / LINE.panelWidth), 2),
        left + 8,
        top + 15,
        'font-weight="bold"',
      ),
    );
    // The value axis: round values on the left, each with a faint line across the panel.
    for (const tick of ticks) {
      const y = yOf(tick);
      parts.push(
        `<line x1="${plot.left}" x2="${plot.right}" y1="${y}" y2="${y}" stroke="#dddddd" stroke-width="0.75"/>`,
        `<text x="${plot.left - 4}" y="${y + 4}" text-anchor="end" fill="${INK}" font-size="10">${escapeXml(tickLabel(tick))}</text>`,
      );
    }
    parts.push(
      `<line x1="${plot.left}" x2="${plot.left}" y1="${plot.top}" y2="${bottom}" stroke="${INK}"/>`,
      `<line x1="${plot.left}" x2="${plot.right}" y1="${bottom}" y2="${bottom}" stroke="${INK}"/>`,
    );
    for (const period of periods) {
      parts.push(
        `<text x="${xOf(period)}" y="${bottom + 16}" text-anchor="middle" fill="${INK}" font-size="11">${escapeXml(period)}</text>`,
      );
    }
    const ordered = periods.flatMap((period) => series.points.filter((point) => point.period === period));
    // The line joins comparable neighbours only: a point not comparable with the one before starts
    // a new line, and the gap between them is marked and labelled.
    const runs: ChartPoint[][] = [];
    for (const [at, point] of ordered.entries()) {
      const previous = ordered[at - 1];
      if (previous === undefined || point.breakBefore !== undefined) {
        if (previous !== undefined) {
          const x = (xOf(previous.period) + xOf(point.period)) / 2;
          parts.push(
            `<line x1="${x}" x2="${x}" y1="${plot.top - 6}" y2="${bottom}" stroke="#505a5f" stroke-width="1" stroke-dasharray="3 3"/>`,
            textLines(
              ["Not", "comparable"],
              x,
              top + LINE.titleHeight + 2,
              'text-anchor="middle" font-size="9"',
            ),
          );
        }
        runs.push([point]);
      } else {
        runs.at(-1)?.push(point);
      }
    }
    for (const run of runs.filter((points) => points.length > 1)) {
      parts.push(
        `<polyline fill="none" stroke="#1d70b8" stroke-width="2" points="${run
          .map((point) => `${xOf(point.period)},${yOf(point.value)}`)
          .join(" ")}"/>`,
      );
    }
    for (const point of ordered) {
      const x = xOf(point.period);
      const y = yOf(point.value);
      // A label too long to centre on its point ("79.1% (31/08/19)") is set from the plot's left
      // edge, or ended at its right, so it never runs over the value axis or out of the panel.
      const half = point.label.length * 3.6;
      const [labelX, anchor] =
        x - half < plot.left + 2
          ? [plot.left + 2, "start"]
          : x + half > plot.right
            ? [plot.right, "end"]
            : [x, "middle"];
      parts.push(
        `<circle cx="${x}" cy="${y}" r="3.5" fill="#1d70b8"/>`,
        `<text x="${labelX}" y="${y - 8}" text-anchor="${anchor}" fill="${INK}" font-weight="bold">${escapeXml(point.label)}</text>`,
      );
    }
  }
  parts.push("</svg>");
  return parts.join("");
}
