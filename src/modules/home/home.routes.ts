import type { FastifyPluginAsync } from "fastify";
import type { BaseplanModule, RoutesOptions } from "../../web/modules.ts";

const routes: FastifyPluginAsync<RoutesOptions> = async (app) => {
  app.get("/", async (_request, reply) => reply.view("home/views/home.njk", { pageTitle: "Home" }));
};

export const homeModule: BaseplanModule = {
  name: "home",
  navigation: [{ href: "/", text: "Home" }],
  routes,
};
