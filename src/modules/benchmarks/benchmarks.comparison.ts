import { chartSvg } from "../../charts/charts.ts";
import { QUARTILE_BANDS } from "../../domain/benchmarks.ts";
import { comparisonChart } from "./benchmarks.chart.ts";
import { type CouncilComparison, type MeasureComparison, show, sourceWords } from "./benchmarks.service.ts";

/** A measure code or period label as one URL path segment ("2018/19" has a slash; codes have "%" and "&"). */
export function segment(text: string): string {
  return encodeURIComponent(text);
}

/** A gap with its sign: "+2.1", "-0.4", "0.0". */
function signed(text: string): string {
  return /^-|^0(\.0*)?$/.test(text) ? text : `+${text}`;
}

function bandWords(band: string | null): string {
  const meta = QUARTILE_BANDS.find((b) => b.band === band);
  return meta === undefined ? "" : `${meta.band} (${meta.label})`;
}

/**
 * What a page shows of a council's comparison for one benchmark measure: the chart (SVG with its
 * text alternative and data table), a row per period with links to every council's table, and
 * the latest period's figures with their gaps, signed, in the measure's unit.
 */
export function comparisonView(comparison: CouncilComparison, latest: MeasureComparison["latest"] = null) {
  const { measure } = comparison;
  const code = measure.code;
  const periodHref = (label: string) => `/benchmarks/${segment(code)}/${segment(label)}`;
  const shown = (v: string | null) => (v === null ? "" : show(v, measure.decimals));
  const gapShown = (v: string | null) => (v === null ? "" : signed(shown(v)));
  const chart = comparisonChart(comparison);
  const percent = (measure.unitWords ?? "").includes("%");
  return {
    measure,
    source: sourceWords(measure),
    ours: comparison.ours,
    gapUnit: percent ? "percentage points" : "",
    measureHref: `/benchmarks/${segment(code)}`,
    chart: chart === null ? null : { ...chart, svg: chartSvg(chart, 1.5) },
    rows: comparison.rows.map((r) => ({
      label: r.period.label,
      description: r.period.description,
      href: periodHref(r.period.label),
      ours: r.oursShown,
      england: shown(r.england),
      region: shown(r.region),
      neighbours: shown(r.neighbourAverage),
      gap: gapShown(r.gapToEngland),
      rank: r.rank,
      rankOf: r.rankOf,
      band: r.band ?? "",
    })),
    latest:
      latest === null
        ? null
        : {
            description: latest.row.period.description,
            href: periodHref(latest.row.period.label),
            ours: latest.row.oursShown,
            england: shown(latest.row.england),
            region: shown(latest.row.region),
            neighbours: shown(latest.row.neighbourAverage),
            gapToEngland: gapShown(latest.gapToEngland),
            gapToRegion: gapShown(latest.gapToRegion),
            gapToNeighbours: gapShown(latest.gapToNeighbours),
            rank: latest.row.rank === null ? "" : `${latest.row.rank} of ${latest.row.rankOf}`,
            band: bandWords(latest.row.band),
          },
  };
}
