/**
 * The headings of a made-up council's quarterly KPI table, as many councils head theirs: a code,
 * a description, the directorate, last and this quarter, target, status, trend. Shared by the
 * tests' KPI editions (council-kpi-table.ts) and the import bench (bench/import-measures.ts), so
 * both read the same shape; this file imports nothing, so the bench takes no test machinery.
 */
export const KPI_HEADINGS = [
  "Indicator",
  "Description",
  "Directorate",
  "Last quarter",
  "This quarter",
  "Target",
  "Status",
  "Trend",
] as const;
