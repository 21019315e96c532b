import type { FastifyInstance } from "fastify";
import { formatPounds } from "../../domain/money.ts";
import { ValidationFailed } from "../../errors.ts";
import { redirectWithBanner } from "../../web/banner.ts";
import { validForm } from "../../web/forms.ts";
import type { RoutesOptions } from "../../web/modules.ts";
import { idParam } from "../../web/params.ts";
import {
  budgetPages,
  budgetPeriodParam,
  forecastPeriodParam,
  openForEntryCheck,
  type Params,
  periodOpenForEntry,
  quarterAt,
  quarterEndMonthOf,
  requireBalancePeriodOpen,
  yearParam,
} from "./finance.pages.ts";
import { savingsForecastEditSchema, savingsForecastNewSchema } from "./finance.schemas.ts";
import * as finance from "./finance.service.ts";
import { forecastPeriodPath, forecastPeriodWords } from "./finance.shared.ts";

const SAVINGS = "savings forecasts";

/** The savings page of a quarter and the forms that record or correct an initiative's forecast. */
export function savingsRoutes(app: FastifyInstance, services: RoutesOptions["services"]) {
  // A quarter or a month ("q3", "m7"). A quarter of a year monitored monthly shows its last
  // month's position, and says so (decision 0021).
  app.get("/budget/:year/:quarter/savings", async (request, reply) => {
    const params = request.params as Params;
    const yearCode = yearParam(params.year);
    const asked = budgetPeriodParam(params.quarter);
    const figuresAt = (await quarterEndMonthOf(services, { code: yearCode }, asked)) ?? asked;
    const model = await finance.savingsReport(services.db, yearCode, figuresAt.quarter, figuresAt.month);
    const words = forecastPeriodWords(asked);
    return reply.view("finance/views/savings.njk", {
      pageTitle: `Budget savings ${model.year.label} ${words}`,
      model,
      periodWords: words,
      figuresFrom: figuresAt.month !== null && asked.month === null ? forecastPeriodWords(figuresAt) : null,
      entryOpen: await periodOpenForEntry(services, model.year, figuresAt),
      pages: budgetPages(yearCode, await quarterAt(services, yearCode, asked.quarter), "savings"),
    });
  });

  app.get("/budget/savings/initiatives/:initiativeId/forecasts/:quarter/new", async (request, reply) => {
    const params = request.params as Params;
    const asked = forecastPeriodParam(params.quarter);
    const found = await finance.initiativeForNewForecast(
      services.db,
      idParam(params.initiativeId, "Savings initiative"),
      asked.quarter,
      asked.month,
    );
    if (found.existing) {
      return reply.redirect(
        `/budget/savings/initiatives/${found.initiative.id}/forecasts/${found.slug}/edit`,
        303,
      );
    }
    await requireBalancePeriodOpen(services, found.year, asked, SAVINGS);
    return reply.view("finance/views/savings-edit.njk", {
      pageTitle: `Enter the ${found.words} savings forecast for ${found.initiative.name}`,
      ...found,
      creating: true,
      values: { forecastAchieved: "" },
    });
  });

  app.post("/budget/savings/initiatives/:initiativeId/forecasts/:quarter/new", async (request, reply) => {
    const params = request.params as Params;
    const initiativeId = idParam(params.initiativeId, "Savings initiative");
    const asked = forecastPeriodParam(params.quarter);
    const { quarter, month } = asked;
    const body = (request.body ?? {}) as Params;
    const at = await finance.initiativeForNewForecast(services.db, initiativeId, quarter, month);
    await requireBalancePeriodOpen(services, at.year, asked, SAVINGS);
    try {
      const entry = validForm(savingsForecastNewSchema, body);
      const saved = await finance.createInitiativeForecast(services.db, request.actor, {
        initiativeId,
        quarter,
        month,
        entry,
        requireOpen: openForEntryCheck(services, at.year, asked, SAVINGS),
      });
      return redirectWithBanner(
        reply,
        `/budget/${saved.year.code}/${forecastPeriodPath(asked)}/savings`,
        "The savings forecast was saved.",
      );
    } catch (error) {
      if (!(error instanceof ValidationFailed)) throw error;
      const found = await finance.initiativeForNewForecast(services.db, initiativeId, quarter, month);
      return reply.code(400).view("finance/views/savings-edit.njk", {
        pageTitle: `Enter the ${found.words} savings forecast for ${found.initiative.name}`,
        ...found,
        creating: true,
        values: { forecastAchieved: body.forecastAchieved ?? "" },
        errors: error.errors,
      });
    }
  });

  app.get("/budget/savings/initiatives/:initiativeId/forecasts/:quarter/edit", async (request, reply) => {
    const params = request.params as Params;
    const asked = forecastPeriodParam(params.quarter);
    const found = await finance.initiativeForecastForEdit(
      services.db,
      idParam(params.initiativeId, "Savings initiative"),
      asked.quarter,
      asked.month,
    );
    await requireBalancePeriodOpen(services, found.year, asked, SAVINGS);
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
    const asked = forecastPeriodParam(params.quarter);
    const { quarter, month } = asked;
    const body = (request.body ?? {}) as Params;
    const at = await finance.initiativeForecastForEdit(services.db, initiativeId, quarter, month);
    await requireBalancePeriodOpen(services, at.year, asked, SAVINGS);
    try {
      const edit = validForm(savingsForecastEditSchema, body);
      const saved = await finance.updateInitiativeForecast(services.db, request.actor, {
        initiativeId,
        quarter,
        month,
        edit,
        requireOpen: openForEntryCheck(services, at.year, asked, SAVINGS),
      });
      return redirectWithBanner(
        reply,
        `/budget/${saved.year.code}/${forecastPeriodPath(asked)}/savings`,
        "The savings forecast was saved.",
      );
    } catch (error) {
      if (!(error instanceof ValidationFailed)) throw error;
      const found = await finance.initiativeForecastForEdit(services.db, initiativeId, quarter, month);
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
