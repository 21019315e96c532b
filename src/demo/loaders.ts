import { documentsDemoLoader } from "../modules/documents/documents.demo.ts";
import { financeDemoLoader } from "../modules/finance/finance.demo.ts";
import { measuresDemo } from "../modules/measures/measures.demo.ts";
import { periodsDemoLoader } from "../modules/periods/periods.demo.ts";
import { planDemoLoader } from "../modules/plan/plan.demo.ts";
import { procurementDemoLoader } from "../modules/procurement/procurement.demo.ts";
import { reportsDemoLoader } from "../modules/reports/reports.demo.ts";
import type { DemoLoader } from "./demo-files.ts";

/**
 * Every capability's demo loader, in dependency order: the source documents first (everything
 * names one), measures (the plan links to them), then the plan, procurement, finance, reports, and last the monitoring periods (publishing
 * one checks what every other module recorded for it).
 */
export const DEMO_LOADERS: DemoLoader[] = [
  documentsDemoLoader,
  measuresDemo,
  planDemoLoader,
  procurementDemoLoader,
  financeDemoLoader,
  reportsDemoLoader,
  periodsDemoLoader,
];
