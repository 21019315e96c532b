import type { FastifyInstance } from "fastify";
import { formatPounds } from "../../domain/money.ts";
import { ValidationFailed } from "../../errors.ts";
import { redirectWithBanner } from "../../web/banner.ts";
import { validForm } from "../../web/forms.ts";
import type { RoutesOptions } from "../../web/modules.ts";
import { idParam } from "../../web/params.ts";
import {
  budgetPages,
  openQuartersOf,
  type Params,
  quarterAt,
  quarterParam,
  requireOpenForEntry,
  yearParam,
} from "./finance.pages.ts";
import { savingsForecastEditSchema, savingsForecastNewSchema } from "./finance.schemas.ts";
import * as finance from "./finance.service.ts";

/** The savings page of a quarter and the forms that record or correct an initiative's forecast. */
export function savingsRoutes(app: FastifyInstance, services: RoutesOptions["services"]) {
  app.get("/budget/:year/:quarter/savings", async (request, reply) => {
    const params = request.params as Params;
    const yearCode = yearParam(params.year);
    const quarter = quarterParam(params.quarter);
    const model = await finance.savingsReport(services.db, yearCode, quarter);
    return reply.view("finance/views/savings.njk", {
      pageTitle: `Budget savings ${model.year.label} quarter ${quarter}`,
      model,
      entryOpen: (await openQuartersOf(services, model.year)).includes(quarter),
      pages: budgetPages(yearCode, await quarterAt(services, yearCode, quarter), "savings"),
    });
  });

  app.get("/budget/savings/initiatives/:initiativeId/forecasts/:quarter/new", async (request, reply) => {
    const params = request.params as Params;
    const found = await finance.initiativeForNewForecast(
      services.db,
      idParam(params.initiativeId, "Savings initiative"),
      quarterParam(params.quarter),
    );
    if (found.existing) {
      return reply.redirect(
        `/budget/savings/initiatives/${found.initiative.id}/forecasts/${found.quarter}/edit`,
        303,
      );
    }
    await requireOpenForEntry(services, found.year, found.quarter);
    return reply.view("finance/views/savings-edit.njk", {
      pageTitle: `Enter the quarter ${found.quarter} savings forecast for ${found.initiative.name}`,
      ...found,
      creating: true,
      values: { forecastAchieved: "" },
    });
  });

  app.post("/budget/savings/initiatives/:initiativeId/forecasts/:quarter/new", async (request, reply) => {
    const params = request.params as Params;
    const initiativeId = idParam(params.initiativeId, "Savings initiative");
    const quarter = quarterParam(params.quarter);
    const body = (request.body ?? {}) as Params;
    const at = await finance.initiativeForNewForecast(services.db, initiativeId, quarter);
    await requireOpenForEntry(services, at.year, quarter);
    try {
      const entry = validForm(savingsForecastNewSchema, body);
      const saved = await finance.createInitiativeForecast(services.db, request.actor, {
        initiativeId,
        quarter,
        entry,
      });
      return redirectWithBanner(
        reply,
        `/budget/${saved.year.code}/q${quarter}/savings`,
        "The savings forecast was saved.",
      );
    } catch (error) {
      if (!(error instanceof ValidationFailed)) throw error;
      const found = await finance.initiativeForNewForecast(services.db, initiativeId, quarter);
      return reply.code(400).view("finance/views/savings-edit.njk", {
        pageTitle: `Enter the quarter ${quarter} savings forecast for ${found.initiative.name}`,
        ...found,
        creating: true,
        values: { forecastAchieved: body.forecastAchieved ?? "" },
        errors: error.errors,
      });
    }
  });

  app.get("/budget/savings/initiatives/:initiativeId/forecasts/:quarter/edit", async (request, reply) => {
    const params = request.params as Params;
    const found = await finance.initiativeForecastForEdit(
      services.db,
      idParam(params.initiativeId, "Savings initiative"),
      quarterParam(params.quarter),
    );
    await requireOpenForEntry(services, found.year, found.forecast.quarter);
    return reply.view("finance/views/savings-edit.njk", {
      pageTitle: `Change the savings forecast for ${found.initiative.name}`,
      ...found,
      quarter: found.forecast.quarter,
      values: { forecastAchieved: formatPounds(found.forecast.forecastAchievedPence, { pence: true }) },
      version: found.forecast.version,
    });
  });

  app.post("/budget/savings/initiatives/:initiativeId/forecasts/:quarter/edit", async (request, reply) => {
    const params = request.params as Params;
    const initiativeId = idParam(params.initiativeId, "Savings initiative");
    const quarter = quarterParam(params.quarter);
    const body = (request.body ?? {}) as Params;
    const at = await finance.initiativeForecastForEdit(services.db, initiativeId, quarter);
    await requireOpenForEntry(services, at.year, quarter);
    try {
      const edit = validForm(savingsForecastEditSchema, body);
      const saved = await finance.updateInitiativeForecast(services.db, request.actor, {
        initiativeId,
        quarter,
        edit,
      });
      return redirectWithBanner(
        reply,
        `/budget/${saved.year.code}/q${quarter}/savings`,
        "The savings forecast was saved.",
      );
    } catch (error) {
      if (!(error instanceof ValidationFailed)) throw error;
      const found = await finance.initiativeForecastForEdit(services.db, initiativeId, quarter);
      return reply.code(400).view("finance/views/savings-edit.njk", {
        pageTitle: `Change the savings forecast for ${found.initiative.name}`,
        ...found,
        quarter,
        values: { forecastAchieved: body.forecastAchieved ?? "" },
        version: body.version ?? found.forecast.version,
        errors: error.errors,
      });
    }
  });
}
