import { fileURLToPath } from "node:url";
import view from "@fastify/view";
import type { FastifyInstance } from "fastify";
import nunjucks from "nunjucks";
import { registerFilters } from "./filters.ts";

const fromRoot = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));

/** Where templates are found: shared views, each module's views, then GOV.UK and MOJ Frontend. */
export const TEMPLATE_PATHS = [
  fromRoot("src/web/views"),
  fromRoot("src/modules"),
  fromRoot("node_modules/govuk-frontend/dist"),
  fromRoot("node_modules/@ministryofjustice/frontend"),
];

export interface NavigationItem {
  href: string;
  text: string;
}

/**
 * The template settings are the same for every app, so one process keeps one Nunjucks
 * environment, with the templates it has compiled, for every app it builds: a second app (the
 * tests build dozens in one process) does not compile the GOV.UK macros and every page again.
 * A server builds one app, so nothing changes for it.
 */
let environment: nunjucks.Environment | undefined;
const oneEnvironment = {
  ...nunjucks,
  configure: (...settings: Parameters<typeof nunjucks.configure>) =>
    (environment ??= nunjucks.configure(...settings)),
};

export async function setUpViews(app: FastifyInstance, navigation: NavigationItem[]): Promise<void> {
  await app.register(view, {
    engine: { nunjucks: oneEnvironment },
    templates: TEMPLATE_PATHS,
    options: {
      autoescape: true,
      throwOnUndefined: false,
      onConfigure: (environment: nunjucks.Environment) => registerFilters(environment),
    },
  });
  // On request, not before the handler: a request refused before any route runs (a 403 from the
  // access check) still gets a page with the service navigation, sign-out and a form token.
  app.addHook("onRequest", async (request, reply) => {
    const path = request.url.split("?")[0] ?? "/";
    reply.locals = {
      ...reply.locals,
      cspNonce: reply.scriptNonce,
      currentPath: path,
      navigation: navigation.map((item) => ({
        ...item,
        active: item.href === "/" ? path === "/" : path === item.href || path.startsWith(`${item.href}/`),
      })),
      csrfToken: reply.generateCsrf(),
    };
  });
}

declare module "fastify" {
  interface FastifyReply {
    /** Merged into every template's context by @fastify/view. */
    locals: Record<string, unknown>;
  }
}
