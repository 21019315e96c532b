import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import nunjucks from "nunjucks";
import { chartSvg, linePieces, timelinePieces } from "../charts/charts.ts";
import { badgeFor } from "../domain/rating-key.ts";
import { TEMPLATE_PATHS } from "../web/views.ts";
import { type Block, type ChartBlock, CONTENTS_NOTE, headingDepth, type Report } from "./model.ts";

export type DrawnBlock =
  | Exclude<Block, { kind: "chart" | "subheading" }>
  | (Extract<Block, { kind: "chart" }> & { svg: string })
  | (Extract<Block, { kind: "subheading" }> & { tag: HeadingTag });
export type DrawnReport = Omit<Report, "sections"> & {
  sections: (Report["sections"][number] & { tag: HeadingTag; blocks: DrawnBlock[] })[];
};
type HeadingTag = "h2" | "h3" | "h4" | "h5" | "h6";

/** A heading's element under the page's h1: one level below its depth in the report. */
const headingTag = (depth: number): HeadingTag => `h${Math.min(depth + 1, 6)}` as HeadingTag;

/** A printed landscape page's height for a chart, in its own units (A4 less margins and caption). */
const PRINTED_CHART_HEIGHT = 560;

/**
 * A chart's SVG; a timeline (a long Base Plan) as page-high pieces, each kept whole when
 * printed, each with the months across its top; a grid of trend panels a row of panels a piece,
 * so a page break falls between rows, not through a panel.
 */
function drawnChart(block: Extract<Block, { kind: "chart" }>): string {
  const pieces: ChartBlock[] =
    block.chart === "line"
      ? linePieces(block, 0)
      : block.chart === "timeline"
        ? timelinePieces(block, PRINTED_CHART_HEIGHT)
        : [block];
  if (pieces.length === 1) return chartSvg(block);
  return pieces.map((piece) => `<div class="bp-chart-piece">${chartSvg(piece)}</div>`).join("");
}

/**
 * A list's depths as the template nests them: the first item at the top, and none more than one
 * deeper than the item before it (the one it sits under).
 */
function nestable(levels: number[]): number[] {
  const nested: number[] = [];
  for (const level of levels) nested.push(Math.max(0, Math.min(level, (nested.at(-1) ?? -1) + 1)));
  return nested;
}

/**
 * Draws each chart's SVG once, and names each heading's element, for the page template and the
 * standalone (PDF) document.
 */
export function drawCharts(report: Report): DrawnReport {
  return {
    ...report,
    sections: report.sections.map((section) => ({
      ...section,
      tag: headingTag(headingDepth(section)),
      blocks: section.blocks.map((block): DrawnBlock => {
        if (block.kind === "chart") return { ...block, svg: drawnChart(block) };
        if (block.kind === "subheading") return { ...block, tag: headingTag(headingDepth(section, block)) };
        if (block.kind === "list" && block.levels) return { ...block, levels: nestable(block.levels) };
        return block;
      }),
    })),
  };
}

const fromRoot = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));
let printStyles: string | undefined;

/** GOV.UK Frontend's and Baseplan's styles, inlined so the document stands on its own. */
function styles(): string {
  printStyles ??= [
    readFileSync(fromRoot("node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.css"), "utf8"),
    readFileSync(fromRoot("public/stylesheets/application.css"), "utf8"),
    "@page { size: A4; margin: 18mm 15mm; } body { font-family: Arial, 'Liberation Sans', sans-serif; }",
    // Paper is white: GOV.UK's tinted page background left a shaded block after the last line.
    ".govuk-template { background: #fff; }",
    ".bp-report-section--new-page { break-before: page; }",
    // Wide sections (the approved budget's 13 columns) print on landscape A4: a named page.
    "@page landscape { size: A4 landscape; margin: 15mm 15mm; } .bp-report-section--landscape { page: landscape; }",
    ".bp-cell-lines { margin: 0; font-size: inherit; } .bp-cell-lines li { margin-bottom: 2pt; }",
    // Paper does not scroll: a table prints whole, and a landscape section's (the approved budget's
    // thirteen columns) in 8 point with narrow cells so every column fits the page.
    "@media print { .bp-table-scroll { overflow: visible !important; }",
    // A heading is never split across pages and stays with what follows it; nor is a chart.
    ".bp-report-section :is(h2, h3, h4, h5, h6) { break-inside: avoid; break-after: avoid; } .bp-chart, .bp-chart-piece { break-inside: avoid; } .govuk-table__caption, .govuk-table__head { break-after: avoid; } .govuk-table__caption { break-inside: avoid; }",
    ".bp-report-section--landscape .govuk-table { font-size: 8pt !important; }",
    ".bp-report-section--landscape .govuk-table__header, .bp-report-section--landscape .govuk-table__cell { padding: 4px 6px 4px 0 !important; } }",
    // A committee paper's type sizes: GOV.UK's print sizes are set for single pages, not 15.
    "@media print { .govuk-body, .govuk-body-s, .govuk-list, .govuk-table, .govuk-table__caption, .govuk-warning-text__text { font-size: 10pt !important; }",
    // Each heading level smaller than the one above it (GOV.UK prints "s" at 14 point, above "m").
    ".govuk-heading-xl { font-size: 20pt !important; } .govuk-heading-l { font-size: 15pt !important; } .govuk-heading-m { font-size: 12pt !important; } .govuk-heading-s { font-size: 11pt !important; } .govuk-body-l { font-size: 12pt !important; }",
    ".govuk-body, .govuk-list, .govuk-table { margin-bottom: 8pt !important; } .bp-chart svg { max-width: 100%; height: auto; } }",
  ].join("\n");
  return printStyles;
}

const environment = new nunjucks.Environment(new nunjucks.FileSystemLoader(TEMPLATE_PATHS), {
  autoescape: true,
});
// The one rating badge (src/web/views/rating.njk) reads its rating through the one mapping.
environment.addFilter("ratingBadge", badgeFor);

/** A complete HTML document for the report, with no external files: what Chromium prints. */
export function renderStandaloneHtml(report: Report): string {
  return environment.render("reports/standalone.njk", {
    report: drawCharts(report),
    styles: styles(),
    contentsNote: CONTENTS_NOTE,
  });
}
