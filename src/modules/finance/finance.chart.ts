import { formatTableMillions, type Pence } from "../../domain/money.ts";

/**
 * The budget-against-forecast chart of the quarterly report as inline, server-side SVG. Every bar
 * carries its label and figure in text ("Budget 37.875", "Forecast 47.937"), so the chart reads
 * without colour; the page gives the same data as a table beside it.
 */
export interface ChartLine {
  name: string;
  controllableBudget: Pence;
  forecastOutturn: Pence;
}

const WIDTH = 760;
const LABEL_WIDTH = 150;
const BAR_HEIGHT = 14;
const ROW_HEIGHT = 58;
const TOP = 10;

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

export function budgetForecastChartSvg(
  lines: readonly ChartLine[],
  title: string,
  description: string,
): string {
  const values = lines.flatMap((line) => [line.controllableBudget, line.forecastOutturn]);
  const max = Math.max(0, ...values);
  const min = Math.min(0, ...values);
  const span = max - min || 1;
  const plotWidth = WIDTH - LABEL_WIDTH - 20;
  const x = (pence: Pence) => ((pence - min) / span) * plotWidth;
  const zero = x(0);
  const height = TOP + lines.length * ROW_HEIGHT + 10;
  const bar = (pence: Pence, y: number, kind: "budget" | "forecast") => {
    const start = Math.min(zero, x(pence));
    const width = Math.max(1, Math.abs(x(pence) - zero));
    const label = `${kind === "budget" ? "Budget" : "Forecast"} ${formatTableMillions(pence)}`;
    const fill = kind === "budget" ? "#1d70b8" : "#505a5f";
    // Forecast bars are outlined as well as shaded, a second cue beside the text.
    const stroke = kind === "forecast" ? ' stroke="#0b0c0c" stroke-width="1"' : "";
    const labelX = pence >= 0 ? start + width + 4 : start - 4;
    const anchor = pence >= 0 ? "start" : "end";
    return `<rect x="${(LABEL_WIDTH + start).toFixed(1)}" y="${y}" width="${width.toFixed(1)}" height="${BAR_HEIGHT}" fill="${fill}"${stroke}/><text x="${(LABEL_WIDTH + labelX).toFixed(1)}" y="${y + BAR_HEIGHT - 3}" font-size="12" text-anchor="${anchor}" fill="#0b0c0c">${escapeXml(label)}</text>`;
  };
  const rows = lines.map((line, index) => {
    const y = TOP + index * ROW_HEIGHT;
    return `<g><text x="0" y="${y + 12}" font-size="13" font-weight="bold" fill="#0b0c0c">${escapeXml(line.name)}</text>${bar(line.controllableBudget, y + 18, "budget")}${bar(line.forecastOutturn, y + 18 + BAR_HEIGHT + 4, "forecast")}</g>`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="budget-chart-title budget-chart-desc" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}"><title id="budget-chart-title">${escapeXml(title)}</title><desc id="budget-chart-desc">${escapeXml(description)}</desc><line x1="${(LABEL_WIDTH + zero).toFixed(1)}" y1="${TOP}" x2="${(LABEL_WIDTH + zero).toFixed(1)}" y2="${height - 5}" stroke="#0b0c0c"/>${rows.join("")}</svg>`;
}
