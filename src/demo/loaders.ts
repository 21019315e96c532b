import { documentsDemoLoader } from "../modules/documents/documents.demo.ts";
import { financeDemoLoader } from "../modules/finance/finance.demo.ts";
import { measuresDemo } from "../modules/measures/measures.demo.ts";
import { planDemoLoader } from "../modules/plan/plan.demo.ts";
import { procurementDemoLoader } from "../modules/procurement/procurement.demo.ts";
import { reportsDemoLoader } from "../modules/reports/reports.demo.ts";
import type { DemoLoader } from "./demo-files.ts";

/**
 * Every capability's demo loader, in dependency order: the source documents first (everything
 * names one), measures (the plan links to them), then the plan, procurement, finance, reports.
 */
export const DEMO_LOADERS: DemoLoader[] = [
  documentsDemoLoader,
  measuresDemo,
  planDemoLoader,
  procurementDemoLoader,
  financeDemoLoader,
  reportsDemoLoader,
];
