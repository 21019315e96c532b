import type { FastifyPluginAsync, FastifyReply } from "fastify";
import type { MonitoringPeriod } from "../../domain/periods.ts";
import { ValidationFailed } from "../../errors.ts";
import { mayUse } from "../../web/access.ts";
import { redirectWithBanner } from "../../web/banner.ts";
import { missingVersion, parseForm } from "../../web/forms.ts";
import type { BaseplanModule, RoutesOptions } from "../../web/modules.ts";
import {
  monitoringSettingForm,
  openYearForm,
  periodParams,
  signOffForm,
  statusForm,
} from "./periods.schemas.ts";
import * as periods from "./periods.service.ts";

type Body = Record<string, string | string[] | undefined>;

const CARRY_OPTIONS = [
  { value: "approvedBudget", text: "The approved budget" },
  { value: "lines", text: "The budget lines" },
  { value: "savingsInitiatives", text: "The savings initiatives and their amounts" },
];

const DONE_MESSAGES: Record<string, string> = {
  "year-opened": "The year was opened for monitoring.",
  opened: "The period was opened for entry.",
  closed: "The period was closed for entry.",
  published: "The period was published. Its documents are now frozen.",
  "signed-off":
    "The period was signed off. It is locked: nothing for it can be changed until an administrator unlocks it.",
  unlocked: "The period was unlocked. Your reason is kept in its history.",
};

const routes: FastifyPluginAsync<RoutesOptions> = async (app, { services }) => {
  async function renderIndex(reply: FastifyReply, extra: Record<string, unknown> = {}, status = 200) {
    const [years, setting] = await Promise.all([
      periods.listYears(services.db),
      periods.monitoringSetting(services.db),
    ]);
    return reply.code(status).view("periods/views/index.njk", {
      pageTitle: "Monitoring periods",
      years,
      setting,
      carryOptions: CARRY_OPTIONS,
      values: { carry: [] },
      ...extra,
    });
  }

  async function renderPeriod(
    reply: FastifyReply,
    period: MonitoringPeriod,
    extra: Record<string, unknown> = {},
    status = 200,
  ) {
    const [state, sections] = await Promise.all([
      periods.findPeriod(services.db, period),
      periods.periodSections(services.db, period),
    ]);
    const label = state?.label ?? periods.periodLabel(period);
    return reply.code(status).view("periods/views/period.njk", {
      pageTitle: label,
      label,
      path: periods.periodPath(period),
      state: state ?? null,
      sections,
      missing: periods.missingOf(sections),
      complete: sections.every((section) => section.done === section.total),
      signOffWords: periods.SIGN_OFF_WORDS,
      // Each form is shown only to people whose roles can use it; the others read the state.
      may: {
        changeStatus: mayUse(reply.request, "POST", `/periods/${periods.periodPath(period)}/publish`),
        signOff: mayUse(reply.request, "POST", `/periods/${periods.periodPath(period)}/sign-off`),
        unlock: mayUse(reply.request, "POST", `/periods/${periods.periodPath(period)}/unlock`),
      },
      values: {},
      ...extra,
    });
  }

  app.get("/periods", async (request, reply) => {
    const done = (request.query as Record<string, string | undefined>).done;
    return renderIndex(reply, { success: done ? DONE_MESSAGES[done] : undefined });
  });

  app.post("/periods/years", async (request, reply) => {
    const body = (request.body ?? {}) as Body;
    const form = parseForm(openYearForm, body);
    const values = {
      year: body.year ?? "",
      carry: Array.isArray(body.carry) ? body.carry : body.carry ? [body.carry] : [],
    };
    if (!form.ok) return renderIndex(reply, { errors: form.errors, values }, 400);
    try {
      await periods.openYear(services.db, request.actor, {
        startYear: form.value.year,
        carryForward: {
          approvedBudget: form.value.carry.includes("approvedBudget"),
          lines: form.value.carry.includes("lines"),
          savingsInitiatives: form.value.carry.includes("savingsInitiatives"),
        },
      });
    } catch (error) {
      if (!(error instanceof periods.PeriodRefused)) throw error;
      return renderIndex(reply, { errors: [{ field: "year", message: error.message }], values }, 400);
    }
    return reply.redirect("/periods?done=year-opened", 303);
  });

  async function renderSetting(reply: FastifyReply, extra: Record<string, unknown> = {}, status = 200) {
    const setting = await periods.monitoringSetting(services.db);
    return reply.code(status).view("periods/views/settings.njk", {
      pageTitle: "Monitoring settings",
      setting,
      values: { frequency: setting?.frequency ?? "", version: setting?.version ?? "" },
      ...extra,
    });
  }

  app.get("/periods/settings", async (_request, reply) => renderSetting(reply));

  app.post("/periods/settings", async (request, reply) => {
    const body = (request.body ?? {}) as Body;
    const form = parseForm(monitoringSettingForm, body);
    const values = { frequency: body.frequency ?? "", version: body.version ?? "" };
    if (!form.ok) return renderSetting(reply, { errors: form.errors, values }, 400);
    await periods.changeMonitoringSetting(services.db, request.actor, form.value);
    return redirectWithBanner(reply, "/periods/settings", "The monitoring setting was saved.");
  });

  app.get("/periods/:year/:period", async (request, reply) => {
    const period = periodParams(request.params);
    const done = (request.query as Record<string, string | undefined>).done;
    return renderPeriod(reply, period, { success: done ? DONE_MESSAGES[done] : undefined });
  });

  app.post("/periods/:year/:period/open", async (request, reply) => {
    const period = periodParams(request.params);
    try {
      await periods.openPeriod(services.db, request.actor, period);
    } catch (error) {
      if (!(error instanceof periods.PeriodRefused)) throw error;
      return renderIndex(reply, { errors: [{ field: "periods", message: error.message }] }, 400);
    }
    return reply.redirect(`/periods/${periods.periodPath(period)}?done=opened`, 303);
  });

  for (const action of ["close", "publish"] as const) {
    app.post(`/periods/:year/:period/${action}`, async (request, reply) => {
      const period = periodParams(request.params);
      const form = parseForm(statusForm, request.body);
      if (!form.ok) return renderPeriod(reply, period, { errors: [missingVersion(action)] }, 400);
      const input = { period, version: form.value.version, confirmMissing: form.value.confirm === "yes" };
      try {
        if (action === "close") await periods.closePeriod(services.db, request.actor, input);
        else await periods.publishPeriod(services.db, request.actor, input);
      } catch (error) {
        if (error instanceof periods.MissingItems) {
          const message = `Confirm that you want to ${action} ${periods.periodLabel(period)} with ${error.missing.length} items missing, listed below`;
          return renderPeriod(reply, period, { errors: [{ field: `${action}-confirm`, message }] }, 400);
        }
        if (error instanceof periods.PeriodRefused) {
          return renderPeriod(reply, period, { errors: [{ field: action, message: error.message }] }, 400);
        }
        if (error instanceof ValidationFailed) throw error;
        throw error;
      }
      return reply.redirect(
        `/periods/${periods.periodPath(period)}?done=${action === "close" ? "closed" : "published"}`,
        303,
      );
    });
  }

  app.post("/periods/:year/:period/sign-off", async (request, reply) => {
    const period = periodParams(request.params);
    const form = parseForm(signOffForm, request.body);
    if (!form.ok) return renderPeriod(reply, period, { errors: [missingVersion("sign-off")] }, 400);
    try {
      await periods.signOffPeriod(services.db, request.actor, { period, version: form.value.version });
    } catch (error) {
      if (!(error instanceof periods.PeriodRefused)) throw error;
      return renderPeriod(reply, period, { errors: [{ field: "sign-off", message: error.message }] }, 400);
    }
    return redirectWithBanner(
      reply,
      `/periods/${periods.periodPath(period)}`,
      DONE_MESSAGES["signed-off"] ?? "",
    );
  });

  app.post("/periods/:year/:period/unlock", async (request, reply) => {
    const period = periodParams(request.params);
    const body = (request.body ?? {}) as Body;
    const form = parseForm(signOffForm, body);
    const values = { reason: typeof body.reason === "string" ? body.reason : "" };
    if (!form.ok) return renderPeriod(reply, period, { errors: [missingVersion("reason")], values }, 400);
    try {
      await periods.unlockPeriod(services.db, request.actor, {
        period,
        version: form.value.version,
        reason: form.value.reason ?? "",
      });
    } catch (error) {
      if (error instanceof ValidationFailed)
        return renderPeriod(reply, period, { errors: error.errors, values }, 400);
      if (!(error instanceof periods.PeriodRefused)) throw error;
      return renderPeriod(
        reply,
        period,
        { errors: [{ field: "reason", message: error.message }], values },
        400,
      );
    }
    return redirectWithBanner(reply, `/periods/${periods.periodPath(period)}`, DONE_MESSAGES.unlocked ?? "");
  });
};

export const periodsModule: BaseplanModule = {
  name: "periods",
  navigation: [{ href: "/periods", text: "Periods" }],
  routes,
};
