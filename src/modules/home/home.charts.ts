import { chartSvg } from "../../charts/charts.ts";
import type { ChartBlock } from "../../reports/model.ts";
import type { RatingCount } from "./home.service.ts";

/**
 * A small chart of counts by rating for the dashboard: a bar per rating in its colour, named by
 * the rating's words and labelled with its count, so it reads without colour. The table beside it
 * has the same counts, with links.
 */
export function ratingCountsChart(
  id: string,
  title: string,
  noun: string,
  counts: readonly RatingCount[],
): string {
  const total = counts.reduce((sum, count) => sum + count.count, 0);
  const chart: ChartBlock = {
    kind: "chart",
    id,
    title,
    description: `${total} ${noun}: ${counts.map((count) => `${count.count} ${count.label}`).join(", ")}. The same counts are in the table below.`,
    unit: noun.charAt(0).toUpperCase() + noun.slice(1),
    bars: counts.map((count) => ({
      category: count.label,
      series: noun,
      value: count.count,
      label: String(count.count),
      rating: count.key === "not-available" ? "none" : count.key,
    })),
    table: { kind: "table", id: `${id}-data`, caption: title, columns: [], rows: [] },
    compact: true,
  };
  return chartSvg(chart);
}
