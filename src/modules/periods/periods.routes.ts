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
  sectionOwnersForm,
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
  reopened: "The period was reopened for entry. Your reason is kept in its history.",
};

/**
 * What closing or publishing asks the person to confirm, when anything is missing or (closing)
 * updates are not yet approved: null when there is nothing to confirm.
 */
function confirmWords(label: string, verb: "Close" | "Publish", missing: number, inFlight: number) {
  if (missing === 0 && inFlight === 0) return null;
  const items = missing === 1 ? "1 item" : `${missing} items`;
  const updates = inFlight === 1 ? "1 update" : `${inFlight} updates`;
  const parts = [
    ...(missing > 0 ? [`the ${items} listed above ${missing === 1 ? "is" : "are"} missing`] : []),
    ...(inFlight > 0
      ? [`the ${updates} listed above ${inFlight === 1 ? "is" : "are"} not yet approved`]
      : []),
  ];
  const legend = [
    ...(missing > 0 ? ["items missing"] : []),
    ...(inFlight > 0 ? ["updates not yet approved"] : []),
  ].join(" and ");
  return { legend: `${verb} ${label} with ${legend}`, item: `I confirm ${parts.join(" and ")}` };
}

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
    const missing = periods.missingOf(sections);
    // Updates recorded but not approved, which closing the period lists beside what is missing.
    const inFlight = state?.status === "open" ? await services.roundInFlight(services.db, period) : [];
    return reply.code(status).view("periods/views/period.njk", {
      pageTitle: label,
      label,
      path: periods.periodPath(period),
      state: state ?? null,
      sections,
      missing,
      inFlight,
      confirmWords: {
        close: confirmWords(label, "Close", missing.length, inFlight.length),
        publish: confirmWords(label, "Publish", missing.length, 0),
      },
      complete: sections.every((section) => section.done === section.total),
      signOffWords: periods.SIGN_OFF_WORDS,
      // Each form is shown only to people whose roles can use it; the others read the state.
      may: {
        changeStatus: mayUse(reply.request, "POST", `/periods/${periods.periodPath(period)}/publish`),
        signOff: mayUse(reply.request, "POST", `/periods/${periods.periodPath(period)}/sign-off`),
        unlock: mayUse(reply.request, "POST", `/periods/${periods.periodPath(period)}/unlock`),
        reopen: mayUse(reply.request, "POST", `/periods/${periods.periodPath(period)}/reopen`),
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
      sectionOwnerSections: periods.SECTION_OWNER_SECTIONS,
      may: { sectionOwners: mayUse(reply.request, "POST", "/periods/settings/owners") },
      values: { frequency: setting?.frequency ?? "", version: setting?.version ?? "" },
      owners: { ...(setting?.sectionOwners ?? {}), version: setting?.version ?? "" },
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

  app.post("/periods/settings/owners", async (request, reply) => {
    const body = (request.body ?? {}) as Body;
    const owners = {
      ...Object.fromEntries(
        periods.SECTION_OWNER_SECTIONS.map(({ key }) => {
          const posted = body[`owner-${key}`];
          return [key, typeof posted === "string" ? posted : ""];
        }),
      ),
      version: typeof body.version === "string" ? body.version : "",
    };
    const form = parseForm(sectionOwnersForm, body);
    if (!form.ok) return renderSetting(reply, { errors: form.errors, owners }, 400);
    try {
      await periods.changeSectionOwners(services.db, request.actor, form.value);
    } catch (error) {
      if (!(error instanceof ValidationFailed)) throw error;
      return renderSetting(reply, { errors: error.errors, owners }, 400);
    }
    return redirectWithBanner(reply, "/periods/settings", "The section owners were saved.");
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
        if (action === "close")
          await periods.closePeriod(services.db, request.actor, input, services.roundInFlight);
        else await periods.publishPeriod(services.db, request.actor, input);
      } catch (error) {
        if (error instanceof periods.MissingItems) {
          const what = [
            ...(error.missing.length > 0 ? [`${error.missing.length} items missing`] : []),
            ...(error.inFlight.length > 0 ? [`${error.inFlight.length} updates not yet approved`] : []),
          ].join(" and ");
          const message = `Confirm that you want to ${action} ${periods.periodLabel(period)} with ${what}, listed on this page`;
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

  /**
   * A form that gives a reason for a period action (unlock, reopen): it checks the form's version,
   * calls the period service with the reason, and shows the period page again with the reason kept
   * when the form is incomplete or the action is refused, or redirects with the done banner.
   * `field` is the reason's field on the page (errors name it); `valueKey` where the page keeps
   * what was typed.
   */
  function reasonForm(
    action: "unlock" | "reopen",
    field: string,
    valueKey: string,
    act: (db: typeof services.db, actor: string, input: periods.UnlockInput) => Promise<unknown>,
    done: string,
  ) {
    app.post(`/periods/:year/:period/${action}`, async (request, reply) => {
      const period = periodParams(request.params);
      const body = (request.body ?? {}) as Body;
      const form = parseForm(signOffForm, body);
      const values = { [valueKey]: typeof body.reason === "string" ? body.reason : "" };
      if (!form.ok) return renderPeriod(reply, period, { errors: [missingVersion(field)], values }, 400);
      try {
        await act(services.db, request.actor, {
          period,
          version: form.value.version,
          reason: form.value.reason ?? "",
        });
      } catch (error) {
        if (error instanceof ValidationFailed)
          return renderPeriod(reply, period, { errors: error.errors, values }, 400);
        if (!(error instanceof periods.PeriodRefused)) throw error;
        return renderPeriod(reply, period, { errors: [{ field, message: error.message }], values }, 400);
      }
      return redirectWithBanner(reply, `/periods/${periods.periodPath(period)}`, done);
    });
  }

  reasonForm("unlock", "reason", "reason", periods.unlockPeriod, DONE_MESSAGES.unlocked ?? "");
  reasonForm("reopen", "reopen-reason", "reopenReason", periods.reopenPeriod, DONE_MESSAGES.reopened ?? "");
};

export const periodsModule: BaseplanModule = {
  name: "periods",
  navigation: [{ href: "/periods", text: "Periods" }],
  routes,
};
