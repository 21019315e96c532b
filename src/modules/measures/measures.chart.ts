import { trendValue } from "../../charts/charts.ts";
import { comparePeriodLabels } from "../../domain/periods.ts";
import type { LineChartBlock } from "../../reports/model.ts";

/**
 * A measure's trend: its values by period as the reports' line chart (drawn by the same code as
 * the service plan's trends), each point labelled with its value as written, so the chart reads
 * without colour; its data table lists every period with the cell as written.
 */
export interface TrendValue {
  periodKey: string;
  amount: number;
  cellText: string;
}

export function measureTrend(
  id: string,
  title: string,
  values: readonly TrendValue[],
): LineChartBlock | null {
  // One point per period: a later document's figure for a period restates an earlier one.
  const byPeriod = new Map<string, TrendValue>();
  for (const value of values) byPeriod.set(value.periodKey, value);
  const ordered = [...byPeriod.values()].sort((a, b) => comparePeriodLabels(a.periodKey, b.periodKey));
  if (ordered.length === 0) return null;
  const points = ordered.map((value) => ({
    period: value.periodKey,
    value: value.amount,
    label: trendValue(value.cellText)?.label ?? value.cellText,
  }));
  const first = ordered[0];
  const last = ordered.at(-1);
  const span =
    first === last
      ? `${first?.cellText} (${first?.periodKey})`
      : `from ${first?.cellText} (${first?.periodKey}) to ${last?.cellText} (${last?.periodKey})`;
  return {
    kind: "chart",
    chart: "line",
    id,
    title: `Trend of ${title}`,
    description: `${ordered.length} ${ordered.length === 1 ? "figure" : "figures"}, ${span}. The same figures are in the table below.`,
    periods: ordered.map((value) => value.periodKey),
    series: [{ name: title, points }],
    table: {
      kind: "table",
      id: `${id}-data`,
      caption: "Figures in the trend chart",
      columns: [
        { heading: "Period", format: "text" },
        { heading: "Value as written", format: "text" },
      ],
      rows: ordered.map((value) => ({ cells: [{ text: value.periodKey }, { text: value.cellText }] })),
    },
  };
}
