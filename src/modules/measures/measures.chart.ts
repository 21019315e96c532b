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
  /** The period the value is for and its kind and span, as stored with the value (when read). */
  ownPeriod?: string | null;
  ownPeriodSpan?: string | null;
}

/** Words a council prints beside a figure that cannot be set against the ones before it. */
const MARKED_NOT_COMPARABLE = /\bnot comparable\b/i;

/**
 * Why a figure does not join the one before it on the chart: the document says so, or the two
 * cover different kinds or lengths of period (a term against a year, a cumulative figure against
 * a quarter). Undefined when they compare.
 */
export function notComparable(before: TrendValue, value: TrendValue): string | undefined {
  const named = (one: TrendValue) => one.ownPeriod ?? one.periodKey;
  if (MARKED_NOT_COMPARABLE.test(value.cellText)) {
    return `The figure for ${named(value)} is marked not comparable with earlier figures.`;
  }
  if (before.ownPeriodSpan && value.ownPeriodSpan && before.ownPeriodSpan !== value.ownPeriodSpan) {
    return `${named(value)} covers a different kind or length of period from ${named(before)}.`;
  }
  return undefined;
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
  const breaks = ordered.map((value, index) => {
    const before = ordered[index - 1];
    return before === undefined ? undefined : notComparable(before, value);
  });
  const points = ordered.map((value, index) => {
    const breakBefore = breaks[index];
    return {
      period: value.periodKey,
      value: value.amount,
      label: trendValue(value.cellText)?.label ?? value.cellText,
      ...(breakBefore === undefined ? {} : { breakBefore }),
    };
  });
  const broken = breaks.some((reason) => reason !== undefined);
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
    description: `${ordered.length} ${ordered.length === 1 ? "figure" : "figures"}, ${span}.${broken ? " The line is broken where a figure is not comparable with the one before." : ""} The same figures are in the table below.`,
    periods: ordered.map((value) => value.periodKey),
    series: [{ name: title, points }],
    table: {
      kind: "table",
      id: `${id}-data`,
      caption: "Figures in the trend chart",
      columns: [
        { heading: "Period", format: "text" },
        { heading: "Value as written", format: "text" },
        ...(broken ? [{ heading: "Compared with the figure before", format: "text" as const }] : []),
      ],
      rows: ordered.map((value, index) => ({
        cells: [
          { text: value.periodKey },
          { text: value.cellText },
          ...(broken ? [{ text: breaks[index] ?? (index === 0 ? "" : "Comparable") }] : []),
        ],
      })),
    },
  };
}
