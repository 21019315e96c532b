import type { FastifyPluginAsync } from "fastify";
import type { RoutesOptions } from "../../web/modules.ts";
import { addMeasureRoutes } from "./measures.add.routes.ts";
import { combineMeasureRoutes } from "./measures.combine.routes.ts";
import { measureGroupRoutes } from "./measures.groups.routes.ts";
import { measureRecordRoutes } from "./measures.record.routes.ts";
import { targetSetRoutes } from "./measures.targets.routes.ts";

/**
 * The pages that add and archive measures, keep the measure groups, and set targets: the same
 * add-or-edit form, archive confirmation and version checks as editing the plan. HTTP and form
 * reading only: the rules are measures.edit.ts's.
 */
export const measureEditRoutes: FastifyPluginAsync<RoutesOptions> = async (app, options) => {
  await addMeasureRoutes(app, options);
  await measureRecordRoutes(app, options);
  await measureGroupRoutes(app, options);
  await combineMeasureRoutes(app, options);
  await targetSetRoutes(app, options);
};
