import type { FastifyInstance } from "fastify";
import { ValidationFailed } from "../../errors.ts";
import { redirectWithBanner } from "../../web/banner.ts";
import { validForm } from "../../web/forms.ts";
import type { RoutesOptions } from "../../web/modules.ts";
import { idParam } from "../../web/params.ts";
import { recordHistory } from "../audit/audit.service.ts";
import {
  forecastFormValues,
  openQuartersOf,
  type Params,
  quarterParam,
  requireOpenForEntry,
} from "./finance.pages.ts";
import { forecastEditSchema, forecastNewSchema, parseQuarter } from "./finance.schemas.ts";
import * as finance from "./finance.service.ts";

/** A budget line's page and the forms that record or correct its forecast for a quarter. */
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
    return reply.view("finance/views/line.njk", {
      pageTitle: detail.line.name,
      model: detail,
      openQuarters: await openQuartersOf(services, detail.year),
      backQuarter: from ?? latest ?? reported ?? 1,
      recordChanges: await recordHistory(services.db, "budget-line", detail.line.id),
    });
  });

  app.get("/budget/lines/:lineId/forecasts/:quarter/new", async (request, reply) => {
    const params = request.params as Params;
    const found = await finance.lineForNewForecast(
      services.db,
      idParam(params.lineId, "Budget line"),
      quarterParam(params.quarter),
    );
    if (found.existing) {
      return reply.redirect(`/budget/lines/${found.line.id}/forecasts/${found.quarter}/edit`, 303);
    }
    await requireOpenForEntry(services, found.year, found.quarter);
    return reply.view("finance/views/forecast-new.njk", {
      pageTitle: `Enter the quarter ${found.quarter} forecast`,
      ...found,
      values: { controllableBudget: "", forecastOutturn: "" },
    });
  });

  app.post("/budget/lines/:lineId/forecasts/:quarter/new", async (request, reply) => {
    const params = request.params as Params;
    const lineId = idParam(params.lineId, "Budget line");
    const quarter = quarterParam(params.quarter);
    const body = (request.body ?? {}) as Params;
    const at = await finance.lineForNewForecast(services.db, lineId, quarter);
    await requireOpenForEntry(services, at.year, quarter);
    try {
      const entry = validForm(forecastNewSchema, body);
      await finance.createForecast(services.db, request.actor, { lineId, quarter, entry });
      return redirectWithBanner(
        reply,
        `/budget/lines/${lineId}?quarter=${quarter}`,
        "The forecast was saved.",
      );
    } catch (error) {
      if (!(error instanceof ValidationFailed)) throw error;
      const found = await finance.lineForNewForecast(services.db, lineId, quarter);
      return reply.code(400).view("finance/views/forecast-new.njk", {
        pageTitle: `Enter the quarter ${quarter} forecast`,
        ...found,
        values: {
          controllableBudget: body.controllableBudget ?? "",
          forecastOutturn: body.forecastOutturn ?? "",
        },
        errors: error.errors,
      });
    }
  });

  app.get("/budget/lines/:lineId/forecasts/:quarter/edit", async (request, reply) => {
    const params = request.params as Params;
    const found = await finance.forecastForEdit(
      services.db,
      idParam(params.lineId, "Budget line"),
      quarterParam(params.quarter),
    );
    await requireOpenForEntry(services, found.year, found.forecast.quarter);
    return reply.view("finance/views/forecast-edit.njk", {
      pageTitle: `Change the quarter ${found.forecast.quarter} forecast`,
      ...found,
      values: forecastFormValues(found.forecast.controllableBudgetPence, found.forecast.forecastOutturnPence),
      version: found.forecast.version,
    });
  });

  app.post("/budget/lines/:lineId/forecasts/:quarter/edit", async (request, reply) => {
    const params = request.params as Params;
    const lineId = idParam(params.lineId, "Budget line");
    const quarter = quarterParam(params.quarter);
    const body = (request.body ?? {}) as Params;
    const at = await finance.forecastForEdit(services.db, lineId, quarter);
    await requireOpenForEntry(services, at.year, quarter);
    try {
      const edit = validForm(forecastEditSchema, body);
      const saved = await finance.updateForecast(services.db, request.actor, { lineId, quarter, edit });
      return redirectWithBanner(
        reply,
        `/budget/${saved.year.code}/q${quarter}#line-${lineId}`,
        "The forecast was saved.",
      );
    } catch (error) {
      if (!(error instanceof ValidationFailed)) throw error;
      const found = await finance.forecastForEdit(services.db, lineId, quarter);
      return reply.code(400).view("finance/views/forecast-edit.njk", {
        pageTitle: `Change the quarter ${quarter} forecast`,
        ...found,
        values: {
          controllableBudget: body.controllableBudget ?? "",
          forecastOutturn: body.forecastOutturn ?? "",
        },
        version: body.version ?? found.forecast.version,
        errors: error.errors,
      });
    }
  });
}
