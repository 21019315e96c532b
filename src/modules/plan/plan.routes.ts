import type { FastifyPluginAsync, FastifyReply } from "fastify";
import type { Database } from "../../db/client.ts";
import { parseFinancialYearCode } from "../../domain/periods.ts";
import { formatPlanMonth } from "../../domain/plan-dates.ts";
import { COLOUR_WORDS } from "../../domain/rating-schemes.ts";
import { ratingMeta } from "../../domain/ratings.ts";
import { RISK_LEVELS } from "../../domain/risks.ts";
import { NotFound, ValidationFailed } from "../../errors.ts";
import { redirectWithBanner } from "../../web/banner.ts";
import { requiredVersion, validForm } from "../../web/forms.ts";
import type { BaseplanModule, RoutesOptions } from "../../web/modules.ts";
import { idParam } from "../../web/params.ts";
import { recordHistory } from "../audit/audit.service.ts";
import { planEditRoutes } from "./plan.edit.routes.ts";
import * as repository from "./plan.repository.ts";
import { riskRegister } from "./plan.risks.ts";
import {
  activityMonthsForm,
  deliverableKeyForm,
  isQuarterInPlan,
  KEY_FORM_RATINGS,
  leadsForm,
  openProgressQuarters,
  parseQuarter,
  planQuarters,
  progressForm,
  quarterLabel,
  quarterValue,
  type ReportingQuarter,
  riskForm,
} from "./plan.schemas.ts";
import {
  activityDetail,
  assessRisk,
  basePlan,
  changeDeliverableRatingKey,
  changeLeadOfficers,
  deliverableDetail,
  deliverableRatingKeySetting,
  goldenThread,
  knownOfficers,
  recordProgress,
  reportedQuarters,
  setActivityMonths,
} from "./plan.service.ts";
import { basePlanTimeline } from "./plan.timeline.ts";

type Errors = { field: string; message: string }[];

/** A 1-5 select's options, "Not assessed" first. */
function levelItems(selected: unknown) {
  const chosen = selected === null || selected === undefined ? "" : String(selected);
  return [
    { value: "", text: "Not assessed", selected: chosen === "" },
    ...RISK_LEVELS.map((level) => ({
      value: String(level),
      text: String(level),
      selected: chosen === String(level),
    })),
  ];
}

function monthItems(months: string[], selected: unknown) {
  const chosen = typeof selected === "string" ? selected : "";
  return [
    { value: "", text: "Not given", selected: chosen === "" },
    ...months.map((month) => ({ value: month, text: formatPlanMonth(month), selected: chosen === month })),
  ];
}

function quarterItems(quarters: ReportingQuarter[], selected: string | undefined) {
  return quarters.map((quarter) => ({
    value: quarterValue(quarter),
    text: quarterLabel(quarter),
    selected: quarterValue(quarter) === selected,
  }));
}

const routes: FastifyPluginAsync<RoutesOptions> = async (app, { services }) => {
  const db = services.db;
  planEditRoutes(app, services);

  app.get<{ Querystring: { quarter?: string } }>("/plan", async (request, reply) => {
    const quarters = await reportedQuarters(db);
    const chosen = parseQuarter(request.query.quarter) ?? quarters[0] ?? null;
    const thread = await goldenThread(db, chosen);
    return reply.view("plan/views/plan.njk", {
      pageTitle: "Plan",
      thread,
      quarter: chosen,
      quarterLabel: chosen ? quarterLabel(chosen) : null,
      quarterItems: quarterItems(quarters, chosen ? quarterValue(chosen) : undefined),
      unknownQuarter: request.query.quarter !== undefined && parseQuarter(request.query.quarter) === null,
    });
  });

  /**
   * The deliverable page, its progress form at the top. Opened afresh, the form starts at the
   * quarter asked for (`?quarter=`, from a period's list of what is missing) or else the latest
   * quarter open for entry, and holds that quarter's current entry where there is one, so saving
   * corrects it (the earlier entry is kept in the history).
   */
  async function renderDeliverable(
    reply: FastifyReply,
    id: number,
    form: Record<string, unknown>,
    errors: { field: string; message: string }[] = [],
  ) {
    const detail = await deliverableDetail(db, id);
    const inPlan = (quarter: ReportingQuarter) => !detail.plan || isQuarterInPlan(quarter, detail.plan);
    const open = openProgressQuarters(await services.listPeriods(db)).filter(inPlan);
    const submitted = errors.length > 0;
    const asked = submitted ? undefined : parseQuarter(form.quarter);
    const chosen = submitted ? parseQuarter(form.quarter) : (asked ?? open[0] ?? null);
    const selected = submitted
      ? typeof form.quarter === "string"
        ? form.quarter
        : undefined
      : chosen
        ? quarterValue(chosen)
        : undefined;
    const current =
      chosen === null
        ? undefined
        : detail.progress.find(
            (update) =>
              update.current &&
              update.financialYear === chosen.financialYear &&
              update.quarter === chosen.quarter,
          );
    const values = submitted
      ? form
      : {
          rating: current?.ratingSource === "stated" ? current.rating : undefined,
          narrative: current?.narrative,
        };
    const isOpen = (quarter: ReportingQuarter) =>
      open.some((one) => one.financialYear === quarter.financialYear && one.quarter === quarter.quarter);
    return reply.code(errors.length > 0 ? 400 : 200).view("plan/views/deliverable.njk", {
      pageTitle: detail.deliverable.title,
      ...detail,
      recordChanges: await recordHistory(db, "deliverable", id),
      form: values,
      errors,
      version: typeof form.version === "string" ? form.version : String(detail.deliverable.version),
      openQuarterLabels: open.map(quarterLabel),
      chosenLabel: chosen ? quarterLabel(chosen) : null,
      chosenIsOpen: chosen ? isOpen(chosen) : false,
      current: submitted ? undefined : current,
      quarterItems: [
        { value: "", text: "Choose a quarter" },
        ...quarterItems(detail.plan ? planQuarters(detail.plan) : open, selected).map((item) => {
          const quarter = parseQuarter(item.value);
          return quarter && isOpen(quarter) ? { ...item, text: `${item.text} (open for entry)` } : item;
        }),
      ],
      ratingHint: detail.ratingKey.councils
        ? "The council's key, with what each level means as the council wrote it."
        : "Each level with the meaning Baseplan suggests until the council writes its own.",
      ratingItems: detail.ratingKey.levels.map((level) => ({
        value: level.rating,
        text: level.words,
        ...(level.meaning ? { hint: { text: level.meaning } } : {}),
        checked: values.rating === level.rating,
      })),
    });
  }

  app.get<{ Params: { id: string }; Querystring: { quarter?: string } }>(
    "/plan/deliverables/:id",
    async (request, reply) => {
      const id = idParam(request.params.id, "Deliverable");
      return renderDeliverable(reply, id, { quarter: request.query.quarter });
    },
  );

  /**
   * Progress is recorded only for a quarter open for entry: else the page that says how to open
   * it. The service runs the check inside its transaction, after refusing on the form a quarter
   * outside the plan's period.
   */
  function openForProgress(quarter: ReportingQuarter) {
    const startYear = parseFinancialYearCode(quarter.financialYear);
    if (startYear === null) throw new NotFound(`Financial year ${quarter.financialYear}`);
    return (tx: Database) => services.requireOpenQuarter(tx, startYear, quarter.quarter);
  }

  app.post<{ Params: { id: string }; Body: Record<string, unknown> }>(
    "/plan/deliverables/:id/progress",
    async (request, reply) => {
      const id = idParam(request.params.id, "Deliverable");
      const body = request.body ?? {};
      try {
        const progress = validForm(progressForm, body);
        await recordProgress(db, request.actor, {
          deliverableId: id,
          version: requiredVersion(body),
          progress,
          requireOpen: openForProgress(progress.quarter),
        });
      } catch (error) {
        if (error instanceof ValidationFailed) return renderDeliverable(reply, id, body, error.errors);
        throw error;
      }
      return redirectWithBanner(
        reply,
        `/plan/deliverables/${id}#progress-history`,
        "The progress update was saved.",
      );
    },
  );

  /** The council's key for deliverable progress, written by an administrator (decision 0042). */
  async function renderKey(reply: FastifyReply, posted: Record<string, unknown> | null, errors: Errors = []) {
    const { key, version } = await deliverableRatingKeySetting(db);
    const text = (name: string, saved: string) =>
      posted ? (typeof posted[name] === "string" ? posted[name] : "") : saved;
    return reply.code(errors.length > 0 ? 400 : 200).view("plan/views/deliverable-key.njk", {
      pageTitle: "Key for deliverable progress",
      key,
      version: posted && typeof posted.version === "string" ? posted.version : String(version),
      levels: KEY_FORM_RATINGS.map((rating, index) => {
        const level = key.levels.find((one) => one.rating === rating);
        const five = ratingMeta(rating);
        return {
          rating,
          position: index + 1,
          colour: COLOUR_WORDS[five.colour],
          fiveLevelWords: five.label,
          words: text(`${rating}-words`, level?.words ?? ""),
          meaning: text(`${rating}-meaning`, level?.meaning ?? ""),
        };
      }),
      errors,
    });
  }

  app.get("/settings/deliverable-ratings", async (_request, reply) => renderKey(reply, null));

  app.post<{ Body: Record<string, unknown> }>("/settings/deliverable-ratings", async (request, reply) => {
    const body = request.body ?? {};
    try {
      const edit = validForm(deliverableKeyForm, body);
      await changeDeliverableRatingKey(db, request.actor, edit);
    } catch (error) {
      if (error instanceof ValidationFailed) {
        // A form without its version has no field of its own: the message goes on the first level.
        const errors = error.errors.map((one) =>
          one.field === "version" ? { ...one, field: `${KEY_FORM_RATINGS[0]}-words` } : one,
        );
        return renderKey(reply, body, errors);
      }
      throw error;
    }
    return redirectWithBanner(
      reply,
      "/settings/deliverable-ratings",
      "The key for deliverable progress was saved.",
    );
  });

  async function renderLeads(
    reply: FastifyReply,
    id: number,
    form: Record<string, unknown>,
    errors: Errors = [],
  ) {
    const detail = await deliverableDetail(db, id);
    return reply.code(errors.length > 0 ? 400 : 200).view("plan/views/leads.njk", {
      pageTitle: `Change the lead officers of ${detail.deliverable.title}`,
      deliverable: detail.deliverable,
      known: await knownOfficers(db),
      leads:
        typeof form.leads === "string"
          ? form.leads
          : detail.deliverable.leadOfficers.map((lead) => lead.name).join("\n"),
      version: typeof form.version === "string" ? form.version : String(detail.deliverable.version),
      errors,
    });
  }

  app.get<{ Params: { id: string } }>("/plan/deliverables/:id/leads", async (request, reply) => {
    const id = idParam(request.params.id, "Deliverable");
    return renderLeads(reply, id, {});
  });

  app.post<{ Params: { id: string }; Body: Record<string, unknown> }>(
    "/plan/deliverables/:id/leads",
    async (request, reply) => {
      const id = idParam(request.params.id, "Deliverable");
      const body = request.body ?? {};
      try {
        const { leads } = validForm(leadsForm, body);
        const version = requiredVersion(body, "leads");
        await changeLeadOfficers(db, request.actor, { deliverableId: id, version, leads });
      } catch (error) {
        if (error instanceof ValidationFailed) return renderLeads(reply, id, body, error.errors);
        throw error;
      }
      return redirectWithBanner(reply, `/plan/deliverables/${id}`, "The leads were saved.");
    },
  );

  app.get<{ Querystring: { plan?: string } }>("/plan/base-plan", async (request, reply) => {
    const base = await basePlan(db, request.query.plan);
    return reply.view("plan/views/base-plan.njk", {
      pageTitle: "Base Plan",
      base,
      timeline: base ? basePlanTimeline(base.plan, base.objectives) : null,
    });
  });

  async function renderActivity(
    reply: FastifyReply,
    id: number,
    form: Record<string, unknown>,
    errors: Errors = [],
  ) {
    const detail = await activityDetail(db, id);
    const submitted = Object.keys(form).length > 0;
    return reply.code(errors.length > 0 ? 400 : 200).view("plan/views/activity.njk", {
      pageTitle: "Set the months of a supporting activity",
      ...detail,
      startItems: monthItems(detail.months, submitted ? form.startMonth : detail.activity.startMonth),
      endItems: monthItems(detail.months, submitted ? form.endMonth : detail.activity.endMonth),
      version: typeof form.version === "string" ? form.version : String(detail.activity.version),
      errors,
    });
  }

  app.get<{ Params: { id: string } }>("/plan/base-plan/activities/:id/edit", async (request, reply) => {
    const id = idParam(request.params.id, "Supporting activity");
    return renderActivity(reply, id, {});
  });

  app.post<{ Params: { id: string }; Body: Record<string, unknown> }>(
    "/plan/base-plan/activities/:id",
    async (request, reply) => {
      const id = idParam(request.params.id, "Supporting activity");
      const body = request.body ?? {};
      let plan: string;
      try {
        const months = validForm(activityMonthsForm, body);
        await setActivityMonths(db, request.actor, {
          activityId: id,
          version: requiredVersion(body),
          months,
        });
        plan = (await activityDetail(db, id)).plan.slug;
      } catch (error) {
        if (error instanceof ValidationFailed) return renderActivity(reply, id, body, error.errors);
        throw error;
      }
      return redirectWithBanner(
        reply,
        `/plan/base-plan?plan=${encodeURIComponent(plan)}#activity-${id}`,
        "The activity was saved.",
      );
    },
  );

  app.get("/risks", async (_request, reply) => {
    return reply.view("plan/views/risks.njk", { pageTitle: "Risks", register: await riskRegister(db) });
  });

  async function renderRisk(
    reply: FastifyReply,
    id: number,
    form: Record<string, unknown>,
    errors: Errors = [],
  ) {
    const risk = await repository.findRisk(db, id);
    if (!risk) return reply.callNotFound();
    const register = await riskRegister(db);
    const submitted = Object.keys(form).length > 0;
    const value = (field: string, saved: unknown) => (submitted ? form[field] : saved);
    const [year, month, day] = (risk.reviewDate ?? "").split("-");
    return reply.code(errors.length > 0 ? 400 : 200).view("plan/views/risk-edit.njk", {
      pageTitle: "Assess a key risk",
      risk,
      number: (register.risks.findIndex((row) => row.id === risk.id) ?? 0) + 1,
      inherentLikelihood: levelItems(value("inherentLikelihood", risk.inherentLikelihood)),
      inherentImpact: levelItems(value("inherentImpact", risk.inherentImpact)),
      residualLikelihood: levelItems(value("residualLikelihood", risk.residualLikelihood)),
      residualImpact: levelItems(value("residualImpact", risk.residualImpact)),
      owner: value("owner", risk.owner) ?? "",
      reviewDay: value("reviewDate-day", day ? String(Number(day)) : ""),
      reviewMonth: value("reviewDate-month", month ? String(Number(month)) : ""),
      reviewYear: value("reviewDate-year", year ?? ""),
      version: typeof form.version === "string" ? form.version : String(risk.version),
      errors,
    });
  }

  app.get<{ Params: { id: string } }>("/risks/:id/edit", async (request, reply) => {
    const id = idParam(request.params.id, "Risk");
    return renderRisk(reply, id, {});
  });

  app.post<{ Params: { id: string }; Body: Record<string, unknown> }>(
    "/risks/:id",
    async (request, reply) => {
      const id = idParam(request.params.id, "Risk");
      const body = request.body ?? {};
      let slug: string;
      try {
        const assessment = validForm(riskForm, body);
        slug = (
          await assessRisk(db, request.actor, { riskId: id, version: requiredVersion(body), assessment })
        ).slug;
      } catch (error) {
        if (error instanceof ValidationFailed) return renderRisk(reply, id, body, error.errors);
        throw error;
      }
      return redirectWithBanner(reply, `/risks#risk-${slug}`, "The risk was saved.");
    },
  );
};

export const planModule: BaseplanModule = {
  name: "plan",
  navigation: [
    { href: "/plan", text: "Plan" },
    { href: "/risks", text: "Risks" },
  ],
  routes,
};
