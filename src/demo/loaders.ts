import { financeDemoLoader } from "../modules/finance/finance.demo.ts";
import { measuresDemo } from "../modules/measures/measures.demo.ts";
import { planDemoLoader } from "../modules/plan/plan.demo.ts";
import { procurementDemoLoader } from "../modules/procurement/procurement.demo.ts";
import { reportsDemoLoader } from "../modules/reports/reports.demo.ts";
import type { DemoLoader } from "./demo-files.ts";

/**
 * Every capability's demo loader, in dependency order: measures first (the plan links to them),
 * then the plan, finance and procurement.
 */
export const DEMO_LOADERS: DemoLoader[] = [
  measuresDemo,
  planDemoLoader,
  procurementDemoLoader,
  financeDemoLoader,
  reportsDemoLoader,
];
