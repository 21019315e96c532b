import type { FastifyPluginAsync, FastifyReply } from "fastify";
import { VALUE_STATUS_WORDS, VALUE_STATUSES } from "../../domain/measure-types.ts";
import {
  type MonitoringPeriod,
  monitoringPeriodKey,
  monitoringPeriodLabel,
  monitoringPeriodPath,
  parseMonitoringPeriodKey,
  sameMonitoringPeriod,
} from "../../domain/periods.ts";
import { type FieldError, ValidationFailed } from "../../errors.ts";
import { redirectWithBanner } from "../../web/banner.ts";
import { missingVersion, parseForm, versionOf } from "../../web/forms.ts";
import type { RoutesOptions } from "../../web/modules.ts";
import { idParam } from "../../web/params.ts";
import { periodValueSchema } from "./measures.schemas.ts";
import { enteredValueFor, measurePage, recordPeriodValue } from "./measures.service.ts";

/** The form adding a measure's value for one monitoring period (a correction restates it). */
export const periodValueRoutes: FastifyPluginAsync<RoutesOptions> = async (app, { services }) => {
  async function openState(period: MonitoringPeriod | null) {
    if (period === null) return null;
    const state = (await services.listPeriods(services.db)).find((candidate) =>
      sameMonitoringPeriod(candidate.period, period),
    );
    return state ?? null;
  }

  /** A period that is not open: what it is, and where to open it. Nothing is saved. */
  async function notOpen(reply: FastifyReply, measureId: number, period: MonitoringPeriod | null) {
    const { measure } = await measurePage(services.db, measureId);
    const state = await openState(period);
    const open = (await services.listPeriods(services.db)).filter((candidate) => candidate.status === "open");
    return reply.code(400).view("measures/views/period-closed.njk", {
      pageTitle: `Not open for entry: ${measure.title}`,
      measure,
      periodLabel: period === null ? null : monitoringPeriodLabel(period),
      periodPath: period === null ? null : monitoringPeriodPath(period),
      state,
      open,
    });
  }

  async function valueForm(
    reply: FastifyReply,
    measureId: number,
    period: MonitoringPeriod,
    entered: Record<string, unknown>,
    errors: FieldError[] = [],
  ) {
    const { measure } = await measurePage(services.db, measureId);
    const current = await enteredValueFor(services.db, measureId, period);
    return reply.view("measures/views/period-value.njk", {
      pageTitle: `${errors.length ? "Error: " : ""}${monitoringPeriodLabel(period)} value: ${measure.title}`,
      measure,
      period: { key: monitoringPeriodKey(period), label: monitoringPeriodLabel(period) },
      current,
      entered,
      statuses: VALUE_STATUSES.map((value) => ({ value, text: VALUE_STATUS_WORDS[value] })),
      errors,
    });
  }

  app.get<{ Params: { id: string }; Querystring: { period?: string } }>(
    "/measures/:id/values/new",
    async (request, reply) => {
      const measureId = idParam(request.params.id, "Measure");
      const period = parseMonitoringPeriodKey(request.query.period);
      if ((await openState(period))?.status !== "open" || period === null) {
        return notOpen(reply, measureId, period);
      }
      return valueForm(reply, measureId, period, { status: "final" });
    },
  );

  app.post<{ Params: { id: string } }>("/measures/:id/values/new", async (request, reply) => {
    const measureId = idParam(request.params.id, "Measure");
    const body = (request.body ?? {}) as Record<string, unknown>;
    const period = parseMonitoringPeriodKey(body.period);
    if ((await openState(period))?.status !== "open" || period === null)
      return notOpen(reply, measureId, period);
    const form = parseForm(periodValueSchema, body);
    // "none" when the form was opened on a period with no value entered; else the value it restates.
    const replacingId = typeof body.replacing === "string" ? body.replacing : null;
    const version = versionOf(body);
    const replacingKnown =
      replacingId === "none" || (replacingId !== null && /^\d+$/.test(replacingId) && version !== null);
    if (!form.ok || !replacingKnown) {
      const errors = form.ok ? [] : [...form.errors];
      if (!replacingKnown) errors.push(missingVersion("value"));
      return valueForm(reply.code(400), measureId, period, body, errors);
    }
    try {
      await recordPeriodValue(
        services.db,
        request.actor,
        {
          measureId,
          period,
          text: form.value.value,
          status: form.value.status,
          notes: form.value.notes,
          replacing: replacingId === "none" ? null : { id: Number(replacingId), version: version ?? 0 },
        },
        services.requireOpenPeriod,
      );
    } catch (error) {
      if (error instanceof ValidationFailed) {
        return valueForm(reply.code(400), measureId, period, body, error.errors);
      }
      throw error;
    }
    return redirectWithBanner(
      reply,
      `/measures/${measureId}`,
      `The ${monitoringPeriodLabel(period)} value was saved.`,
    );
  });
};
