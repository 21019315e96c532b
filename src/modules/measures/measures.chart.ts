/**
 * A measure's trend as a small inline SVG, drawn on the server. Each point carries its value as
 * text, so the chart reads without colour; the page puts the same data in a table under it.
 */
export interface ChartPoint {
  label: string;
  amount: number;
  text: string;
}

export interface TrendChart {
  width: number;
  height: number;
  points: { x: number; y: number; label: string; text: string }[];
  path: string;
  baseline: number;
}

export function trendChart(points: ChartPoint[], width = 640, height = 240): TrendChart | null {
  if (points.length === 0) return null;
  // Wide side margins: a value label such as "77.1% (Dec 19)" is centred on its point.
  const left = 80;
  const right = width - 80;
  const top = 30;
  const bottom = height - 40;
  const amounts = points.map((point) => point.amount);
  const min = Math.min(0, ...amounts);
  const max = Math.max(...amounts);
  const span = max - min || 1;
  const step = points.length > 1 ? (right - left) / (points.length - 1) : 0;
  const placed = points.map((point, index) => ({
    x: Math.round(left + step * index + (points.length === 1 ? (right - left) / 2 : 0)),
    y: Math.round(bottom - ((point.amount - min) / span) * (bottom - top)),
    label: point.label,
    text: point.text,
  }));
  const path = placed.map((point, index) => `${index === 0 ? "M" : "L"}${point.x} ${point.y}`).join(" ");
  return { width, height, points: placed, path, baseline: bottom };
}
