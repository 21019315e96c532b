import type { FastifyPluginAsync, FastifyReply } from "fastify";
import { RATINGS } from "../../domain/ratings.ts";
import { ValidationFailed } from "../../errors.ts";
import { versionOf } from "../../web/forms.ts";
import type { BaseplanModule, RoutesOptions } from "../../web/modules.ts";
import { riskRegister } from "./plan.risks.ts";
import { parseQuarter, quarterLabel, quarterValue, type ReportingQuarter } from "./plan.schemas.ts";
import {
  basePlan,
  deliverableDetail,
  goldenThread,
  recordProgress,
  reportedQuarters,
} from "./plan.service.ts";
import { basePlanTimeline } from "./plan.timeline.ts";

/** Quarters offered in forms: every quarter of the financial years the plans cover. */
function formQuarters(fromYear: number, toYear: number): ReportingQuarter[] {
  const quarters: ReportingQuarter[] = [];
  for (let year = toYear; year >= fromYear; year -= 1) {
    const financialYear = `${year}/${String((year + 1) % 100).padStart(2, "0")}`;
    for (const quarter of [4, 3, 2, 1]) quarters.push({ financialYear, quarter });
  }
  return quarters;
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

  async function renderDeliverable(
    reply: FastifyReply,
    id: number,
    form: Record<string, unknown>,
    errors: { field: string; message: string }[] = [],
  ) {
    const detail = await deliverableDetail(db, id);
    const fromYear = (detail.plan?.fromYear ?? 2020) - 1;
    const toYear = detail.plan?.toYear ?? fromYear + 4;
    const selected = typeof form.quarter === "string" ? form.quarter : undefined;
    return reply.code(errors.length > 0 ? 400 : 200).view("plan/views/deliverable.njk", {
      pageTitle: detail.deliverable.title,
      ...detail,
      form,
      errors,
      version: typeof form.version === "string" ? form.version : String(detail.deliverable.version),
      quarterItems: [
        { value: "", text: "Choose a quarter" },
        ...quarterItems(formQuarters(fromYear, toYear), selected),
      ],
      ratingItems: RATINGS.map((rating) => ({
        value: rating.key,
        text: rating.label,
        checked: form.rating === rating.key,
      })),
    });
  }

  app.get<{ Params: { id: string } }>("/plan/deliverables/:id", async (request, reply) => {
    const id = Number(request.params.id);
    if (!Number.isSafeInteger(id) || id <= 0) return reply.callNotFound();
    return renderDeliverable(reply, id, {});
  });

  app.post<{ Params: { id: string }; Body: Record<string, unknown> }>(
    "/plan/deliverables/:id/progress",
    async (request, reply) => {
      const id = Number(request.params.id);
      if (!Number.isSafeInteger(id) || id <= 0) return reply.callNotFound();
      const body = request.body ?? {};
      try {
        await recordProgress(db, services.config.actingUser, {
          deliverableId: id,
          version: versionOf(body),
          form: body,
        });
      } catch (error) {
        if (error instanceof ValidationFailed) return renderDeliverable(reply, id, body, error.errors);
        throw error;
      }
      return reply.redirect(`/plan/deliverables/${id}#progress-history`, 303);
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

  app.get("/risks", async (_request, reply) => {
    return reply.view("plan/views/risks.njk", { pageTitle: "Risks", register: await riskRegister(db) });
  });
};

export const planModule: BaseplanModule = {
  name: "plan",
  navigation: [
    { href: "/plan", text: "Plan" },
    { href: "/risks", text: "Risks" },
  ],
  routes,
};
