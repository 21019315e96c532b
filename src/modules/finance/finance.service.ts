/**
 * The finance module's service, as other modules and the routes reach it. The work is split by
 * what it does:
 * - finance.budget.ts: the forecast outturn of a quarter, a budget line's forecasts, the approved budget;
 * - finance.savings.ts: savings initiatives and their forecasts, growth and pressure funding;
 * - finance.balances.ts: earmarked reserves, the aged debt profile and financial risks;
 * - finance.entry.ts: a period's reserves, debt and growth spend entered on the pages, row by row;
 * - finance.settings.ts: the council's budget rating thresholds, money conventions and which lines must explain their variance;
 * - finance.upload.ts: budget monitoring for a quarter from an uploaded spreadsheet;
 * - finance.demo-records.ts: recording a whole document's figures (the demo loader writes through it);
 * - finance.shared.ts: what they share (a figure as printed, a position with its rating).
 */
export * from "./finance.balances.ts";
export * from "./finance.budget.ts";
export * from "./finance.demo-records.ts";
export * from "./finance.entry.ts";
export * from "./finance.savings.ts";
export * from "./finance.settings.ts";
export {
  type Disagreement,
  type Figure,
  type PositionView,
  RAG_WORDS,
} from "./finance.shared.ts";
export * from "./finance.upload.ts";
