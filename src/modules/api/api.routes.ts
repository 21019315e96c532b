import swagger from "@fastify/swagger";
import type { FastifyPluginAsync } from "fastify";
import {
  financialYearCode,
  financialYearLabel,
  type MonitoringPeriod,
  monitoringPeriodKey,
  parseMonitoringPeriodKey,
} from "../../domain/periods.ts";
import { ValidationFailed } from "../../errors.ts";
import type { BaseplanModule, RoutesOptions } from "../../web/modules.ts";
import * as finance from "../finance/finance.service.ts";
import * as measures from "../measures/measures.service.ts";
import * as periods from "../periods/periods.service.ts";
import * as plan from "../plan/plan.service.ts";
import {
  budgetResponse,
  periodMeasuresResponse,
  periodParams,
  periodsResponse,
  planResponse,
  problem,
} from "./api.schemas.ts";

/**
 * The JSON API (docs/api.md): read-only answers for other systems, under /api/v1, each from the
 * same service its page uses. A request acts by an API token (src/web/acting-person.ts) and is
 * checked by the one access rule like any page. The OpenAPI document is built from the route
 * schemas by @fastify/swagger, registered here so it describes this module's routes only.
 */

export const API_VERSION = "1.0.0";
const CURRENCY = "GBP";

const ERRORS = {
  400: problem,
  401: problem,
  403: problem,
  404: problem,
} as const;

const secured = { security: [{ apiToken: [] }] };

function money(pence: number) {
  return { pence, currency: CURRENCY };
}

/** A period from the address, or a 400 naming the field and the value. */
function periodFrom(params: unknown): MonitoringPeriod {
  const text = (params as { period: string }).period;
  const period = parseMonitoringPeriodKey(text);
  if (!period) {
    throw new ValidationFailed(
      [
        {
          field: "period",
          message: `"${text}" is not a period: give a quarter 1 to 4 or a month 1 to 12, as in "2020-21-q3"`,
        },
      ],
      `"${text}" is not a monitoring period.`,
    );
  }
  return period;
}

function positionOf(view: finance.PositionView) {
  return {
    controllableBudget: money(view.controllableBudget.pence),
    forecastOutturn: money(view.forecastOutturn.pence),
    variance: money(view.variance.pence),
    variancePercentage: view.percentage,
    rating: { key: view.rating.rag, label: view.rating.word, explanation: view.rating.explanation },
  };
}

const routes: FastifyPluginAsync<RoutesOptions> = async (app, { services }) => {
  const { db } = services;
  await app.register(swagger, {
    openapi: {
      openapi: "3.0.3",
      info: {
        title: "Baseplan API",
        version: API_VERSION,
        description:
          "Read the council's monitoring periods, measures with their values, targets and ratings, plan deliverables with their progress, and budget positions. Send an API token, issued by an administrator, as `Authorization: Bearer <token>`. Money is in whole pence with its currency. Errors are problem details (RFC 9457).",
      },
      components: {
        securitySchemes: {
          apiToken: {
            type: "http",
            scheme: "bearer",
            description: "An API token, issued by an administrator on the page of the person it acts for.",
          },
        },
      },
      tags: [
        { name: "periods", description: "Monitoring periods" },
        { name: "measures", description: "Measures, values, targets and ratings" },
        { name: "plan", description: "Plan deliverables and their progress" },
        { name: "budget", description: "Budget positions" },
        { name: "documentation", description: "This description" },
      ],
    },
  });

  app.get(
    "/api/v1/periods",
    {
      schema: {
        ...secured,
        tags: ["periods"],
        summary: "Every monitoring period opened, in date order",
        response: { 200: periodsResponse, ...ERRORS },
      },
    },
    async () => ({
      periods: (await periods.listPeriods(db)).map((state) => ({
        key: state.key,
        label: state.label,
        kind: state.period.kind,
        number: state.period.number,
        financialYear: financialYearLabel(state.period.startYear),
        status: state.status,
        statusWords: state.statusWords,
        frequency: state.frequency,
        publishedAt: state.publishedAt,
      })),
    }),
  );

  app.get(
    "/api/v1/periods/:period/measures",
    {
      schema: {
        ...secured,
        tags: ["measures"],
        summary: "The measures due in a period, with the value recorded, the target and Baseplan's rating",
        params: periodParams,
        response: { 200: periodMeasuresResponse, ...ERRORS },
      },
    },
    async (request) => {
      const period = periodFrom(request.params);
      const items = await measures.periodMeasureRatings(db, period);
      return {
        period: monitoringPeriodKey(period),
        measures: items.map((item) => ({
          id: item.measure.id,
          title: item.measure.title,
          code: item.measure.code,
          unit: item.measure.unit,
          polarity: item.measure.polarity,
          frequency: item.measure.frequency,
          value: item.value
            ? { text: item.value.cellText, amount: item.value.amount, periodLabel: item.value.periodLabel }
            : null,
          target: item.target ? { text: item.target.targetText, periodLabel: item.target.periodLabel } : null,
          rating: {
            key: item.rating.rating,
            label: item.rating.meta.label,
            explanation: item.rating.explanation,
          },
        })),
      };
    },
  );

  app.get(
    "/api/v1/periods/:period/plan",
    {
      schema: {
        ...secured,
        tags: ["plan"],
        summary:
          "The plan's deliverables, by group, each with its progress rating and update for the period's quarter",
        params: periodParams,
        response: { 200: planResponse, ...ERRORS },
      },
    },
    async (request) => {
      const period = periodFrom(request.params);
      const quarter = {
        financialYear: financialYearLabel(period.startYear),
        quarter: period.kind === "quarter" ? period.number : Math.ceil(period.number / 3),
      };
      const [thread, updates] = [
        await plan.goldenThread(db, quarter, { deliverablesOnly: true }),
        await plan.quarterProgress(db, quarter),
      ];
      return {
        period: monitoringPeriodKey(period),
        groups: (thread?.groups ?? []).map((group) => ({
          kind: group.kind,
          title: group.title,
          plan: group.plan,
          deliverables: group.deliverables.map((deliverable) => ({
            id: deliverable.id,
            title: deliverable.title,
            rating: deliverable.rating
              ? { key: deliverable.rating.key, label: deliverable.rating.label }
              : null,
            ratingInferred: deliverable.ratingInferred,
            progress: updates.get(deliverable.id)?.narrative ?? null,
          })),
        })),
      };
    },
  );

  app.get(
    "/api/v1/periods/:period/budget",
    {
      schema: {
        ...secured,
        tags: ["budget"],
        summary:
          "The budget position forecast in a quarter: each line, the total, and after additional funding",
        params: periodParams,
        response: { 200: budgetResponse, ...ERRORS },
      },
    },
    async (request) => {
      const period = periodFrom(request.params);
      if (period.kind !== "quarter") {
        throw new ValidationFailed(
          [
            {
              field: "period",
              message: `Budget positions are forecast by quarter: give a quarter such as "${financialYearCode(period.startYear)}-q1", not "${(request.params as { period: string }).period}"`,
            },
          ],
          "Budget positions are forecast by quarter.",
        );
      }
      const report = await finance.forecastOutturnReport(
        db,
        financialYearCode(period.startYear),
        period.number,
      );
      const key = monitoringPeriodKey(period);
      if (report.report === null) {
        return {
          period: key,
          reported: false,
          lines: [],
          total: null,
          additionalFunding: [],
          afterFunding: null,
        };
      }
      return {
        period: key,
        reported: true,
        lines: report.lines.map((line) => ({ id: line.lineId, name: line.name, position: positionOf(line) })),
        total: positionOf(report.total),
        additionalFunding: report.funding.map((item) => ({
          name: item.name,
          amount: money(item.amount.pence),
        })),
        afterFunding: positionOf(report.afterFunding),
      };
    },
  );

  const documentation = {
    schema: {
      tags: ["documentation"],
      summary: "This API's OpenAPI 3 description (needs no token)",
      security: [],
      response: { 200: { type: "object", additionalProperties: true } },
    },
  };
  app.get("/api/v1/openapi.json", documentation, async () => app.swagger());
  app.get("/api/docs", documentation, async () => app.swagger());
};

export const apiModule: BaseplanModule = { name: "api", routes };
