import type { FastifyPluginAsync, FastifyReply } from "fastify";
import { formatPounds } from "../../domain/money.ts";
import { NotFound, ValidationFailed } from "../../errors.ts";
import type { BaseplanModule, RoutesOptions } from "../../web/modules.ts";
import { budgetForecastChartSvg } from "./finance.chart.ts";
import { financialYearCode, parseQuarter } from "./finance.schemas.ts";
import * as finance from "./finance.service.ts";

type Params = Record<string, string | undefined>;

function yearParam(text: string | undefined): string {
  const parsed = financialYearCode.safeParse(text);
  if (!parsed.success) throw new NotFound(`Financial year ${text ?? ""}`);
  return parsed.data;
}

function quarterParam(text: string | undefined): number {
  const quarter = parseQuarter(text);
  if (quarter === null) throw new NotFound(`Quarter ${text ?? ""}`);
  return quarter;
}

function idParam(text: string | undefined, what: string): number {
  const id = Number(text);
  if (!Number.isSafeInteger(id) || id <= 0) throw new NotFound(`${what} ${text ?? ""}`);
  return id;
}

/** Links between the budget pages for one year and quarter. */
function budgetPages(yearCode: string, quarter: number, current: string) {
  const base = `/budget/${yearCode}`;
  return [
    { key: "outturn", text: "Forecast outturn", href: `${base}/q${quarter}` },
    { key: "savings", text: "Savings", href: `${base}/q${quarter}/savings` },
    { key: "growth", text: "Growth and pressures", href: `${base}/growth` },
    { key: "reserves", text: "Earmarked reserves", href: `${base}/q${quarter}/reserves` },
    { key: "debt", text: "Debt", href: `${base}/q${quarter}/debt` },
    { key: "risks", text: "Financial risks", href: `${base}/q${quarter}/risks` },
    { key: "approved", text: "Approved budget", href: `${base}/approved` },
  ].map((page) => ({ ...page, current: page.key === current }));
}

async function renderOutturn(
  services: RoutesOptions["services"],
  reply: FastifyReply,
  yearCode: string,
  quarter: number,
) {
  const report = await finance.forecastOutturnReport(services.db, yearCode, quarter);
  const quarters = await finance.listReportQuarters(services.db);
  const chart =
    report.report === null
      ? null
      : budgetForecastChartSvg(
          report.lines.map((line) => ({
            name: line.name,
            controllableBudget: line.controllableBudget.pence,
            forecastOutturn: line.forecastOutturn.pence,
          })),
          `Controllable budget against full year forecast, ${report.year.label} quarter ${quarter}, £m`,
          `For each budget line, a bar for the controllable budget and a bar for the full year forecast, each labelled with its figure in £m. The same figures are in the table below the chart.`,
        );
  return reply.view("finance/views/outturn.njk", {
    pageTitle: `Forecast outturn ${report.year.label} quarter ${quarter}`,
    model: report,
    chart,
    quarters,
    pages: budgetPages(yearCode, quarter, "outturn"),
  });
}

function forecastFormValues(controllableBudget: number, forecastOutturn: number) {
  return {
    controllableBudget: formatPounds(controllableBudget, { pence: true }),
    forecastOutturn: formatPounds(forecastOutturn, { pence: true }),
  };
}

const routes: FastifyPluginAsync<RoutesOptions> = async (app, { services }) => {
  app.get("/budget", async (request, reply) => {
    const query = request.query as Params;
    if (query.year || query.quarter) {
      return renderOutturn(services, reply, yearParam(query.year), quarterParam(query.quarter));
    }
    const latest = await finance.latestReportQuarter(services.db);
    if (!latest) {
      return reply.view("finance/views/outturn.njk", { pageTitle: "Budget", model: null, quarters: [] });
    }
    return renderOutturn(services, reply, latest.code, latest.quarter);
  });

  app.get("/budget/:year/:quarter", async (request, reply) => {
    const params = request.params as Params;
    return renderOutturn(services, reply, yearParam(params.year), quarterParam(params.quarter));
  });

  app.get("/budget/lines/:lineId", async (request, reply) => {
    const detail = await finance.budgetLineDetail(
      services.db,
      idParam((request.params as Params).lineId, "Budget line"),
    );
    return reply.view("finance/views/line.njk", { pageTitle: detail.line.name, model: detail });
  });

  app.get("/budget/lines/:lineId/forecasts/:quarter/edit", async (request, reply) => {
    const params = request.params as Params;
    const found = await finance.forecastForEdit(
      services.db,
      idParam(params.lineId, "Budget line"),
      quarterParam(params.quarter),
    );
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
    try {
      const saved = await finance.updateForecast(services.db, services.config.actingUser, {
        lineId,
        quarter,
        form: body,
      });
      return reply.redirect(`/budget/${saved.year.code}/q${quarter}#line-${lineId}`, 303);
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

  app.get("/budget/:year/:quarter/savings", async (request, reply) => {
    const params = request.params as Params;
    const yearCode = yearParam(params.year);
    const quarter = quarterParam(params.quarter);
    const model = await finance.savingsReport(services.db, yearCode, quarter);
    return reply.view("finance/views/savings.njk", {
      pageTitle: `Budget savings ${model.year.label} quarter ${quarter}`,
      model,
      pages: budgetPages(yearCode, quarter, "savings"),
    });
  });

  app.get("/budget/savings/initiatives/:initiativeId/forecasts/:quarter/edit", async (request, reply) => {
    const params = request.params as Params;
    const found = await finance.initiativeForecastForEdit(
      services.db,
      idParam(params.initiativeId, "Savings initiative"),
      quarterParam(params.quarter),
    );
    return reply.view("finance/views/savings-edit.njk", {
      pageTitle: `Change the savings forecast for ${found.initiative.name}`,
      ...found,
      values: { forecastAchieved: formatPounds(found.forecast.forecastAchievedPence, { pence: true }) },
      version: found.forecast.version,
    });
  });

  app.post("/budget/savings/initiatives/:initiativeId/forecasts/:quarter/edit", async (request, reply) => {
    const params = request.params as Params;
    const initiativeId = idParam(params.initiativeId, "Savings initiative");
    const quarter = quarterParam(params.quarter);
    const body = (request.body ?? {}) as Params;
    try {
      const saved = await finance.updateInitiativeForecast(services.db, services.config.actingUser, {
        initiativeId,
        quarter,
        form: body,
      });
      return reply.redirect(`/budget/${saved.year.code}/q${quarter}/savings`, 303);
    } catch (error) {
      if (!(error instanceof ValidationFailed)) throw error;
      const found = await finance.initiativeForecastForEdit(services.db, initiativeId, quarter);
      return reply.code(400).view("finance/views/savings-edit.njk", {
        pageTitle: `Change the savings forecast for ${found.initiative.name}`,
        ...found,
        values: { forecastAchieved: body.forecastAchieved ?? "" },
        version: body.version ?? found.forecast.version,
        errors: error.errors,
      });
    }
  });

  app.get("/budget/:year/growth", async (request, reply) => {
    const yearCode = yearParam((request.params as Params).year);
    const model = await finance.growthReport(services.db, yearCode);
    const quarters = await finance.listReportQuarters(services.db);
    const quarter = quarters.filter((entry) => entry.code === yearCode).at(-1)?.quarter ?? 4;
    const years = await finance.listFinancialYears(services.db);
    return reply.view("finance/views/growth.njk", {
      pageTitle: `Growth, pressures and proposed savings ${model.year.label}`,
      model,
      years,
      pages: budgetPages(yearCode, quarter, "growth"),
    });
  });

  app.get("/budget/:year/approved", async (request, reply) => {
    const yearCode = yearParam((request.params as Params).year);
    const model = await finance.approvedBudgetReport(services.db, yearCode);
    const quarters = await finance.listReportQuarters(services.db);
    const quarter = quarters.filter((entry) => entry.code === yearCode).at(-1)?.quarter ?? 4;
    return reply.view("finance/views/approved.njk", {
      pageTitle: `Approved controllable budget ${model.year.label}`,
      model,
      pages: budgetPages(yearCode, quarter, "approved"),
    });
  });

  for (const [page, view, title, load] of [
    ["reserves", "reserves.njk", "Earmarked reserves", finance.reservesReport],
    ["debt", "debt.njk", "Debt position", finance.debtReport],
    ["risks", "risks.njk", "Financial risks", finance.financialRisksReport],
  ] as const) {
    app.get(`/budget/:year/:quarter/${page}`, async (request, reply) => {
      const params = request.params as Params;
      const yearCode = yearParam(params.year);
      const quarter = quarterParam(params.quarter);
      const model = await load(services.db, yearCode, quarter);
      return reply.view(`finance/views/${view}`, {
        pageTitle: `${title} ${model.year.label} quarter ${quarter}`,
        model,
        pages: budgetPages(yearCode, quarter, page),
      });
    });
  }
};

export const financeModule: BaseplanModule = {
  name: "finance",
  navigation: [{ href: "/budget", text: "Budget" }],
  routes,
};
