import type { FastifyInstance, FastifyPluginAsync, FastifyReply } from "fastify";
import type { Database } from "../../db/client.ts";
import { ValidationFailed } from "../../errors.ts";
import { redirectWithBanner } from "../../web/banner.ts";
import { parseForm } from "../../web/forms.ts";
import type { BaseplanModule, RoutesOptions } from "../../web/modules.ts";
import { AREA_NOT_LISTED, councilForm, departmentForm } from "./setup.schemas.ts";
import * as setup from "./setup.service.ts";

type Body = Record<string, string | string[] | undefined>;

/** What a form sends back into its fields when it is shown again with errors. */
function typed(body: Body, fields: readonly string[]): Record<string, string> {
  return Object.fromEntries(
    fields.map((field) => {
      const value = body[field];
      return [field, typeof value === "string" ? value : ""];
    }),
  );
}

const COUNCIL_FIELDS = [
  "councilName",
  "area",
  "areaName",
  "gssCode",
  "laNumber",
  "departmentName",
  "departmentShortName",
  "frequency",
] as const;
const DEPARTMENT_FIELDS = ["departmentName", "departmentShortName", "frequency"] as const;

/**
 * Addresses that answer before a council is set up: the set-up itself, checks, files, and the
 * JSON API (a program is answered in JSON, never sent to a form).
 */
const BEFORE_SET_UP =
  /^\/(setup|health|status|sign-in|sign-out|invitation|account|api)(\/|$)|^\/(static|govuk|moj|assets)\//;

/**
 * Until a council is set up, every page sends the person to /setup (303), except the set-up, the
 * health checks and static files. Once a council exists it stays, so the answer is kept.
 */
export function redirectUntilSetUp(app: FastifyInstance, db: Database): void {
  let setUp = false;
  app.addHook("onRequest", async (request, reply) => {
    if (setUp || request.routeOptions.url === undefined) return;
    const path = request.url.split("?")[0] ?? "/";
    if (BEFORE_SET_UP.test(path)) return;
    setUp = await setup.isSetUp(db);
    if (!setUp) return reply.redirect("/setup", 303);
  });
}

const routes: FastifyPluginAsync<RoutesOptions> = async (app, { services }) => {
  async function renderSetUp(reply: FastifyReply, extra: Record<string, unknown> = {}, status = 200) {
    const summary = await setup.councilSummary(services.db);
    if (summary) {
      return reply.code(status).view("setup/views/set-up.njk", {
        pageTitle: `${summary.council.name} is set up`,
        summary,
        ...extra,
      });
    }
    return reply.code(status).view("setup/views/setup.njk", {
      pageTitle: "Set up Baseplan for your council",
      councils: setup.englishCouncils(),
      notListed: AREA_NOT_LISTED,
      values: { frequency: "quarterly" },
      ...extra,
    });
  }

  async function renderDepartments(reply: FastifyReply, extra: Record<string, unknown> = {}, status = 200) {
    const summary = await setup.councilSummary(services.db);
    return reply.code(status).view("setup/views/departments.njk", {
      pageTitle: "Departments",
      summary,
      values: { frequency: "quarterly" },
      ...extra,
    });
  }

  app.get("/setup", async (_request, reply) => renderSetUp(reply));

  app.post("/setup", async (request, reply) => {
    const body = (request.body ?? {}) as Body;
    const values = typed(body, COUNCIL_FIELDS);
    const form = parseForm(councilForm, body);
    if (!form.ok) return renderSetUp(reply, { errors: form.errors, values }, 400);
    try {
      const { council, department } = await setup.setUpCouncil(services.db, request.actor, form.value);
      return redirectWithBanner(
        reply,
        "/",
        `${council.name} is set up, with its first department, ${department.name}. Set up the rest in the order below.`,
      );
    } catch (error) {
      if (error instanceof ValidationFailed) return renderSetUp(reply, { errors: error.errors, values }, 400);
      if (error instanceof setup.CouncilAlreadySetUp) {
        return renderSetUp(reply, { errors: [{ field: "council", message: error.message }] }, 409);
      }
      throw error;
    }
  });

  app.get("/departments", async (_request, reply) => renderDepartments(reply));

  app.post("/departments", async (request, reply) => {
    const body = (request.body ?? {}) as Body;
    const values = typed(body, DEPARTMENT_FIELDS);
    const form = parseForm(departmentForm, body);
    if (!form.ok) return renderDepartments(reply, { errors: form.errors, values }, 400);
    try {
      const department = await setup.addDepartment(services.db, request.actor, form.value);
      return redirectWithBanner(reply, "/departments", `Added the department ${department.name}.`);
    } catch (error) {
      if (error instanceof ValidationFailed)
        return renderDepartments(reply, { errors: error.errors, values }, 400);
      throw error;
    }
  });
};

export const setupModule: BaseplanModule = {
  name: "setup",
  navigation: [{ href: "/departments", text: "Departments" }],
  routes,
};
