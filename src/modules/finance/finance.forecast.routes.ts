import type { FastifyInstance } from "fastify";
import { formatPounds } from "../../domain/money.ts";
import { ValidationFailed } from "../../errors.ts";
import { redirectWithBanner } from "../../web/banner.ts";
import { validForm } from "../../web/forms.ts";
import type { RoutesOptions } from "../../web/modules.ts";
import { idParam } from "../../web/params.ts";
import { recordHistory } from "../audit/audit.service.ts";
import {
  forecastFormValues,
  forecastPeriodParam,
  monitoredMonthly,
  openForEntryCheck,
  openMonthsOf,
  openQuartersOf,
  type Params,
  requireForecastPeriodOpen,
} from "./finance.pages.ts";
import { forecastEditSchema, forecastNewSchema, parseQuarter } from "./finance.schemas.ts";
import * as finance from "./finance.service.ts";
import { forecastPeriodPath, forecastPeriodSlug, forecastPeriodWords } from "./finance.shared.ts";

/**
 * A budget line's page and the forms that record or correct its forecast for a period: a quarter
 * (`/forecasts/3/new`) or, for a department monitored monthly, a month (`/forecasts/m7/new`).
 */
export function forecastRoutes(app: FastifyInstance, services: RoutesOptions["services"]) {
  app.get("/budget/lines/:lineId", async (request, reply) => {
    const detail = await finance.budgetLineDetail(
      services.db,
      idParam((request.params as Params).lineId, "Budget line"),
    );
    // Back to the quarter the person came from, else the year's latest quarter with a report.
    const from = parseQuarter((request.query as Params).quarter);
    const latest = (await finance.listReportQuarters(services.db))
      .filter((entry) => entry.code === detail.year.code)
      .at(-1)?.quarter;
    const reported = detail.quarters.filter((entry) => entry.forecast !== null).at(-1)?.quarter;
    // A year monitored monthly lists its months; a quarterly one its quarters.
    const monthly = await monitoredMonthly(services, detail.year);
    const open = monthly
      ? (await openMonthsOf(services, detail.year)).map((month) => `m${month}`)
      : (await openQuartersOf(services, detail.year)).map(String);
    const periods = (monthly ? detail.months : detail.quarters).map((entry) => ({
      ...entry,
      open: open.includes(entry.slug),
    }));
    return reply.view("finance/views/line.njk", {
      pageTitle: detail.line.name,
      model: detail,
      periods,
      periodHeading: monthly ? "Month" : "Quarter",
      explained: periods.filter((entry) => (entry.forecast?.explanation ?? "") !== ""),
      backQuarter: from ?? latest ?? reported ?? 1,
      recordChanges: await recordHistory(services.db, "budget-line", detail.line.id),
    });
  });

  /** Where a saved forecast returns to: the period's outturn page, at the line. */
  const outturnOf = (yearCode: string, at: Parameters<typeof forecastPeriodPath>[0], lineId: number) =>
    `/budget/${yearCode}/${forecastPeriodPath(at)}#line-${lineId}`;

  app.get("/budget/lines/:lineId/forecasts/:quarter/new", async (request, reply) => {
    const params = request.params as Params;
    const at = forecastPeriodParam(params.quarter);
    const found = await finance.lineForNewForecast(
      services.db,
      idParam(params.lineId, "Budget line"),
      at.quarter,
      at.month,
    );
    if (found.existing) {
      return reply.redirect(`/budget/lines/${found.line.id}/forecasts/${found.slug}/edit`, 303);
    }
    await requireForecastPeriodOpen(services, found.year, at);
    return reply.view("finance/views/forecast-new.njk", {
      pageTitle: `Enter the ${found.words} forecast`,
      ...found,
      values: {
        controllableBudget: found.carried
          ? formatPounds(found.carried.controllableBudgetPence, { pence: true })
          : "",
        forecastOutturn: "",
        explanation: "",
      },
    });
  });

  app.post("/budget/lines/:lineId/forecasts/:quarter/new", async (request, reply) => {
    const params = request.params as Params;
    const lineId = idParam(params.lineId, "Budget line");
    const at = forecastPeriodParam(params.quarter);
    const body = (request.body ?? {}) as Params;
    const found = await finance.lineForNewForecast(services.db, lineId, at.quarter, at.month);
    await requireForecastPeriodOpen(services, found.year, at);
    try {
      const entry = validForm(forecastNewSchema, body);
      await finance.createForecast(services.db, request.actor, {
        lineId,
        quarter: at.quarter,
        month: at.month,
        entry,
        requireOpen: openForEntryCheck(services, found.year, at),
      });
      return redirectWithBanner(
        reply,
        at.month === null
          ? `/budget/lines/${lineId}?quarter=${at.quarter}`
          : outturnOf(found.year.code, at, lineId),
        "The forecast was saved.",
      );
    } catch (error) {
      if (!(error instanceof ValidationFailed)) throw error;
      return reply.code(400).view("finance/views/forecast-new.njk", {
        pageTitle: `Enter the ${found.words} forecast`,
        ...found,
        values: {
          controllableBudget: body.controllableBudget ?? "",
          forecastOutturn: body.forecastOutturn ?? "",
          explanation: body.explanation ?? "",
        },
        errors: error.errors,
      });
    }
  });

  app.get("/budget/lines/:lineId/forecasts/:quarter/edit", async (request, reply) => {
    const params = request.params as Params;
    const at = forecastPeriodParam(params.quarter);
    const found = await finance.forecastForEdit(
      services.db,
      idParam(params.lineId, "Budget line"),
      at.quarter,
      at.month,
    );
    await requireForecastPeriodOpen(services, found.year, at);
    return reply.view("finance/views/forecast-edit.njk", {
      pageTitle: `Change the ${found.words} forecast`,
      ...found,
      slug: forecastPeriodSlug(at),
      values: {
        ...forecastFormValues(found.forecast.controllableBudgetPence, found.forecast.forecastOutturnPence),
        explanation: found.forecast.explanation,
      },
      version: found.forecast.version,
    });
  });

  app.post("/budget/lines/:lineId/forecasts/:quarter/edit", async (request, reply) => {
    const params = request.params as Params;
    const lineId = idParam(params.lineId, "Budget line");
    const at = forecastPeriodParam(params.quarter);
    const body = (request.body ?? {}) as Params;
    const found = await finance.forecastForEdit(services.db, lineId, at.quarter, at.month);
    await requireForecastPeriodOpen(services, found.year, at);
    try {
      const edit = validForm(forecastEditSchema, body);
      const saved = await finance.updateForecast(services.db, request.actor, {
        lineId,
        quarter: at.quarter,
        month: at.month,
        edit,
        requireOpen: openForEntryCheck(services, found.year, at),
      });
      return redirectWithBanner(reply, outturnOf(saved.year.code, at, lineId), "The forecast was saved.");
    } catch (error) {
      if (!(error instanceof ValidationFailed)) throw error;
      return reply.code(400).view("finance/views/forecast-edit.njk", {
        pageTitle: `Change the ${forecastPeriodWords(at)} forecast`,
        ...found,
        slug: forecastPeriodSlug(at),
        values: {
          controllableBudget: body.controllableBudget ?? "",
          forecastOutturn: body.forecastOutturn ?? "",
          explanation: body.explanation ?? "",
        },
        version: body.version ?? found.forecast.version,
        errors: error.errors,
      });
    }
  });
}
