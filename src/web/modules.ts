import type { FastifyPluginAsync } from "fastify";
import { apiModule } from "../modules/api/api.routes.ts";
import { auditModule } from "../modules/audit/audit.routes.ts";
import { benchmarksModule } from "../modules/benchmarks/benchmarks.routes.ts";
import { financeModule } from "../modules/finance/finance.routes.ts";
import { homeModule } from "../modules/home/home.routes.ts";
import { measuresModule } from "../modules/measures/measures.routes.ts";
import { peopleModule } from "../modules/people/people.routes.ts";
import { periodsModule } from "../modules/periods/periods.routes.ts";
import { planModule } from "../modules/plan/plan.routes.ts";
import { procurementModule } from "../modules/procurement/procurement.routes.ts";
import { publicModule } from "../modules/public/public.routes.ts";
import { reportsModule } from "../modules/reports/reports.routes.ts";
import { roundModule } from "../modules/round/round.routes.ts";
import { setupModule } from "../modules/setup/setup.routes.ts";
import type { Services } from "../services.ts";
import type { NavigationItem } from "./views.ts";

export interface RoutesOptions {
  services: Services;
}

/** A capability's routes and its place in the service navigation. */
export interface BaseplanModule {
  name: string;
  navigation?: NavigationItem[];
  routes: FastifyPluginAsync<RoutesOptions>;
}

/** Every module, in the order the service navigation shows them. */
export const MODULES: BaseplanModule[] = [
  homeModule,
  measuresModule,
  planModule,
  procurementModule,
  financeModule,
  periodsModule,
  roundModule,
  benchmarksModule,
  reportsModule,
  auditModule,
  setupModule,
  peopleModule,
  apiModule,
  publicModule,
];
