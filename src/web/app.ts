import { fileURLToPath } from "node:url";
import formbody from "@fastify/formbody";
import fastifyStatic from "@fastify/static";
import Fastify, { type FastifyInstance } from "fastify";
import type { Database } from "../db/client.ts";
import { documentTitles } from "../modules/documents/documents.service.ts";
import { ENTERED_DOCUMENT } from "../modules/measures/measures.service.ts";
import { sessionPerson } from "../modules/people/accounts.service.ts";
import { apiTokenPerson } from "../modules/people/api-tokens.service.ts";
import { redirectUntilSetUp } from "../modules/setup/setup.routes.ts";
import type { Services } from "../services.ts";
import { setUpAccess } from "./access.ts";
import { setUpActingPerson } from "./acting-person.ts";
import { setUpBanners } from "./banner.ts";
import { setUpErrorHandling } from "./error-handler.ts";
import { parseFormBody } from "./forms.ts";
import { setUpCsrf } from "./middleware/csrf.ts";
import { setUpHealthChecks } from "./middleware/health.ts";
import { setUpMethodNotAllowed } from "./middleware/methods.ts";
import { setUpWebSecurity } from "./middleware/security.ts";
import { setUpUploads } from "./middleware/uploads.ts";
import { MODULES } from "./modules.ts";
import { isPageRequest, setUpPageCache } from "./page-cache.ts";
import { setUpTables, takeTableDownload } from "./tables.ts";
import { type NavigationItem, setUpViews } from "./views.ts";

const fromRoot = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));

/** Large enough for a pasted table of a few thousand rows; anything bigger is refused with 413. */
export const BODY_LIMIT_BYTES = 2 * 1024 * 1024;

export interface AppOptions {
  logger?: boolean;
  /** Told of every route as it is added (the role-by-route test lists the routes this way). */
  onRoute?: (route: { method: string; url: string }) => void;
}

/**
 * Builds the web application around the services it is given. The order reads top to bottom:
 * security, static files, body parsing, CSRF, the acting person, views, the role check, health,
 * errors, then each module's routes.
 */
export async function createApp(services: Services, options: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ? { level: services.config.logLevel } : false,
    bodyLimit: BODY_LIMIT_BYTES,
    // Only the proxies named in BASEPLAN_TRUST_PROXY may say who the client is; none by default.
    trustProxy: services.config.trustProxy.length > 0 ? services.config.trustProxy : false,
    rewriteUrl: takeTableDownload,
  });
  const { onRoute } = options;
  if (onRoute) {
    app.addHook("onRoute", (route) => {
      for (const method of [route.method].flat()) onRoute({ method, url: route.url });
    });
  }

  await setUpWebSecurity(app);
  setUpMethodNotAllowed(app);
  await serveStaticFiles(app);
  await app.register(formbody, { bodyLimit: BODY_LIMIT_BYTES, parser: parseFormBody });
  await setUpUploads(app);
  await setUpCsrf(app, services.config.cookieSecret, services.config.secureCookies);
  const { config } = services;
  const sessionTimes = { idleMinutes: config.sessionIdleMinutes, absoluteHours: config.sessionHours };
  setUpActingPerson(app, {
    actingUser: config.actingUser,
    sessionSecret: config.sessionSecret,
    secureCookies: config.secureCookies,
    sessionHours: config.sessionHours,
    findSession: (sessionId) => sessionPerson(services.db, sessionId, sessionTimes),
    findApiToken: (token) => apiTokenPerson(services.db, token),
  });
  // Until a council is set up, every page but the set-up, the checks and files leads to /setup.
  redirectUntilSetUp(app, services.db);

  const navigation: NavigationItem[] = MODULES.flatMap((module) => module.navigation ?? []);
  await setUpViews(app, navigation);
  // After the views, so the navigation it filters is there; its check runs before any route.
  setUpAccess(app);
  setUpBanners(app);
  // Before the page cache, so a kept page is kept with its tables already boxed.
  setUpTables(app);
  // After the page cache, so a kept page is served without reading the titles again.
  if (services.config.pageCache) setUpPageCache(app, services.db, services.config.pageCacheBytes);
  setUpDocumentTitles(app, services.db);
  await setUpHealthChecks(app, services.db);
  setUpErrorHandling(app);

  for (const module of MODULES) await app.register(module.routes, { services });
  app.addHook("onClose", () => services.chromium.close());
  return app;
}

async function serveStaticFiles(app: FastifyInstance): Promise<void> {
  const cacheFor = { maxAge: "1d" };
  await app.register(fastifyStatic, {
    root: fromRoot("node_modules/govuk-frontend/dist/govuk/assets"),
    prefix: "/assets/",
    ...cacheFor,
  });
  await app.register(fastifyStatic, {
    root: fromRoot("node_modules/govuk-frontend/dist/govuk"),
    prefix: "/govuk/",
    allowedPath: (path) => path === "/govuk-frontend.min.css" || path === "/govuk-frontend.min.js",
    decorateReply: false,
    ...cacheFor,
  });
  await app.register(fastifyStatic, {
    root: fromRoot("node_modules/@ministryofjustice/frontend/moj"),
    prefix: "/moj/",
    allowedPath: (path) => path === "/moj-frontend.min.css" || path === "/moj-frontend.min.js",
    decorateReply: false,
    ...cacheFor,
  });
  await app.register(fastifyStatic, { root: fromRoot("public"), prefix: "/static/", decorateReply: false });
}

/**
 * Pages name a source document by its title; templates use `slug | documentTitle(documentTitles)`.
 * Groups and values kept in Baseplan itself (not read from a document) are "Entered in Baseplan".
 */
function setUpDocumentTitles(app: FastifyInstance, db: Database): void {
  app.addHook("preHandler", async (request, reply) => {
    if (!isPageRequest(request)) return;
    reply.locals = {
      ...reply.locals,
      documentTitles: { [ENTERED_DOCUMENT]: "Entered in Baseplan", ...(await documentTitles(db)) },
    };
  });
}
