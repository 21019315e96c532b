import type { FastifyPluginAsync } from "fastify";
import type { BaseplanModule, RoutesOptions } from "../../web/modules.ts";
import { ratingCountsChart } from "./home.charts.ts";
import { departmentDashboard } from "./home.service.ts";

const routes: FastifyPluginAsync<RoutesOptions> = async (app, { services }) => {
  app.get<{ Querystring: { quarter?: string | string[] } }>("/", async (request, reply) => {
    const raw = request.query.quarter;
    const requested = Array.isArray(raw) ? raw[0] : raw;
    const dashboard = await departmentDashboard(services.db, requested);
    return reply.view("home/views/home.njk", {
      pageTitle: dashboard.quarter ? `Dashboard, ${dashboard.quarter.label}` : "Dashboard",
      dashboard,
      charts: {
        deliverables: dashboard.deliverables
          ? ratingCountsChart(
              "deliverable-chart",
              `Progress updates by rating, ${dashboard.deliverables.label}`,
              "updates",
              dashboard.deliverables.counts,
            )
          : null,
        measures: dashboard.measures.rows
          ? ratingCountsChart(
              "measure-chart",
              "Measures by rating, latest figures",
              "measures",
              dashboard.measures.counts,
            )
          : null,
      },
    });
  });
};

export const homeModule: BaseplanModule = {
  name: "home",
  navigation: [{ href: "/", text: "Home" }],
  routes,
};
