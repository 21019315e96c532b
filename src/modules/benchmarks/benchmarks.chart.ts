import { showToDecimals } from "../../domain/benchmark-data.ts";
import type { LineChartBlock } from "../../reports/model.ts";
import type { CouncilComparison } from "./benchmarks.service.ts";

/**
 * A council's figure over time beside England, its region and its statistical neighbours'
 * average, drawn by the reports' line chart (one panel per series, each point labelled with its
 * figure, so it reads without colour), with the same figures as a table.
 */
export function comparisonChart(comparison: CouncilComparison): LineChartBlock | null {
  const { measure, ours, rows } = comparison;
  const withFigures = rows.filter(
    (r) => r.ours !== null || r.england !== null || r.region !== null || r.neighbourAverage !== null,
  );
  if (withFigures.length === 0) return null;
  const shown = (v: string | null) => (v === null ? "" : showToDecimals(v, measure.decimals));
  const series = [
    { name: ours.area?.name ?? "This council", pick: (r: (typeof rows)[number]) => r.ours },
    { name: "England", pick: (r: (typeof rows)[number]) => r.england },
    { name: ours.regionArea?.name ?? "Region", pick: (r: (typeof rows)[number]) => r.region },
    { name: "Statistical neighbours' average", pick: (r: (typeof rows)[number]) => r.neighbourAverage },
  ];
  const periods = withFigures.map((r) => r.period.label);
  const id = `benchmark-${measure.code.replace(/[^A-Za-z0-9]+/g, "-")}`;
  return {
    kind: "chart",
    chart: "line",
    id,
    title: `${measure.title}: ${ours.area?.name ?? "this council"} beside England, ${ours.regionArea?.name ?? "its region"} and its statistical neighbours`,
    description: `${periods.length} periods from ${periods[0]} to ${periods.at(-1)}. The same figures are in the table below.`,
    periods,
    series: series
      .map((s) => ({
        name: s.name,
        points: withFigures
          .map((r) => ({ period: r.period.label, raw: s.pick(r) }))
          .filter((p): p is { period: string; raw: string } => p.raw !== null)
          .map((p) => ({ period: p.period, value: Number(p.raw), label: shown(p.raw) })),
      }))
      .filter((s) => s.points.length > 0),
    table: {
      kind: "table",
      id: `${id}-data`,
      caption: "Figures in the comparison chart",
      columns: [
        { heading: "Period", format: "text" },
        ...series.map((s) => ({ heading: s.name, format: "text" as const })),
      ],
      rows: withFigures.map((r) => ({
        cells: [{ text: r.period.label }, ...series.map((s) => ({ text: shown(s.pick(r)) }))],
      })),
    },
  };
}
