import type { FastifyPluginAsync, FastifyReply } from "fastify";
import { chartSvg } from "../../charts/charts.ts";
import { formatPounds, formatTableMillions, type Pence } from "../../domain/money.ts";
import {
  financialYearCode as financialYearCodeOf,
  monitoringPeriod,
  parseFinancialYearCode,
  quarterOf,
} from "../../domain/periods.ts";
import { NotFound, ValidationFailed } from "../../errors.ts";
import type { ChartBlock } from "../../reports/model.ts";
import { redirectWithBanner } from "../../web/banner.ts";
import { validForm } from "../../web/forms.ts";
import type { BaseplanModule, RoutesOptions } from "../../web/modules.ts";
import { idParam } from "../../web/params.ts";
import {
  financialYearCode,
  forecastEditSchema,
  forecastNewSchema,
  parseQuarter,
  ratingSettingsSchema,
  savingsForecastEditSchema,
  savingsForecastNewSchema,
} from "./finance.schemas.ts";
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

/** A quarter with a monitoring report: where the quarter pages of the budget link to. */
interface ReportQuarter {
  code: string;
  label: string;
  quarter: number;
}

/**
 * Links between the budget pages for one year. The quarter pages link to `at`, the quarter the
 * person is looking at or the latest with a report; for a year with no report they link to the
 * latest reported quarter of another year, saying which, or are left out if there is none.
 */
function budgetPages(yearCode: string, at: ReportQuarter | undefined, current: string) {
  const base = `/budget/${yearCode}`;
  const elsewhere = at && at.code !== yearCode ? ` (${at.label} quarter ${at.quarter})` : "";
  const quarterPage = (key: string, text: string, suffix: string) =>
    at ? [{ key, text: `${text}${elsewhere}`, href: `/budget/${at.code}/q${at.quarter}${suffix}` }] : [];
  return [
    ...quarterPage("outturn", "Forecast outturn", ""),
    ...quarterPage("savings", "Savings", "/savings"),
    { key: "growth", text: "Growth and pressures", href: `${base}/growth` },
    ...quarterPage("reserves", "Earmarked reserves", "/reserves"),
    ...quarterPage("debt", "Debt", "/debt"),
    ...quarterPage("risks", "Financial risks", "/risks"),
    { key: "approved", text: "Approved budget", href: `${base}/approved` },
  ].map((page) => ({ ...page, current: page.key === current }));
}

/** The quarter a year-wide page links to: the year's latest report, else the latest of any year. */
async function latestQuarterFor(services: RoutesOptions["services"], yearCode: string) {
  const quarters = await finance.listReportQuarters(services.db);
  return quarters.filter((entry) => entry.code === yearCode).at(-1) ?? quarters.at(-1);
}

/** The quarter being looked at, with its year's label for the links. */
async function quarterAt(
  services: RoutesOptions["services"],
  yearCode: string,
  quarter: number,
): Promise<ReportQuarter> {
  const years = await finance.listFinancialYears(services.db);
  const label = years.find((year) => year.code === yearCode)?.label ?? yearCode;
  return { code: yearCode, label, quarter };
}

/**
 * The budget-against-forecast chart of the quarterly report, drawn by the shared bar chart: a
 * "Budget" and a "Forecast" bar for each line, each labelled with its figure in £m, so the chart
 * reads without colour. The page's table above the chart gives the same data.
 */
function budgetForecastChart(
  lines: readonly { name: string; controllableBudget: Pence; forecastOutturn: Pence }[],
  title: string,
): ChartBlock {
  const pounds = (pence: Pence) => pence / 100;
  return {
    kind: "chart",
    id: "budget-chart",
    title,
    description:
      "For each budget line, a bar for the controllable budget and a bar for the full year forecast, each labelled with its figure in £m. The same figures are in the table above the chart.",
    unit: "£m",
    bars: lines.flatMap((line) => [
      {
        category: line.name,
        series: "Budget",
        value: line.controllableBudget / 100_000_000,
        label: `Budget ${formatTableMillions(line.controllableBudget)}`,
      },
      {
        category: line.name,
        series: "Forecast",
        value: line.forecastOutturn / 100_000_000,
        label: `Forecast ${formatTableMillions(line.forecastOutturn)}`,
      },
    ]),
    table: {
      kind: "table",
      id: "budget-chart-table",
      caption: title,
      columns: [
        { heading: "Budget line", format: "text" },
        { heading: "Controllable budget £m", format: "millions" },
        { heading: "Full year forecast £m", format: "millions" },
      ],
      rows: lines.map((line) => ({
        cells: [
          { text: line.name },
          { text: formatTableMillions(line.controllableBudget), value: pounds(line.controllableBudget) },
          { text: formatTableMillions(line.forecastOutturn), value: pounds(line.forecastOutturn) },
        ],
      })),
    },
  };
}

async function renderOutturn(
  services: RoutesOptions["services"],
  reply: FastifyReply,
  yearCode: string,
  quarter: number,
  shownBecause: string | null = null,
) {
  const report = await finance.forecastOutturnReport(services.db, yearCode, quarter);
  const quarters = await finance.listReportQuarters(services.db);
  const chart =
    report.report === null
      ? null
      : chartSvg(
          budgetForecastChart(
            report.lines.map((line) => ({
              name: line.name,
              controllableBudget: line.controllableBudget.pence,
              forecastOutturn: line.forecastOutturn.pence,
            })),
            `Controllable budget against full year forecast, ${report.year.label} quarter ${quarter}, £m`,
          ),
        );
  return reply.view("finance/views/outturn.njk", {
    pageTitle: `Forecast outturn ${report.year.label} quarter ${quarter}`,
    model: report,
    chart,
    quarters,
    shownBecause,
    pages: budgetPages(yearCode, await quarterAt(services, yearCode, quarter), "outturn"),
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
    // The latest published quarter, else the latest with budget monitoring, saying which.
    const reported = await finance.listReportQuarters(services.db);
    const shown = await services.defaultPeriod(
      services.db,
      reported.flatMap((row) => {
        const startYear = parseFinancialYearCode(row.code);
        return startYear === null ? [] : [monitoringPeriod(startYear, "quarter", row.quarter)];
      }),
    );
    if (!shown) {
      return reply.view("finance/views/outturn.njk", { pageTitle: "Budget", model: null, quarters: [] });
    }
    const quarter = quarterOf(shown.period);
    return renderOutturn(
      services,
      reply,
      financialYearCodeOf(quarter.startYear),
      quarter.number,
      shown.reason === "published"
        ? "the latest published quarter"
        : "the latest quarter with budget monitoring",
    );
  });

  app.get("/budget/settings", async (_request, reply) => {
    const settings = await finance.ratingSettings(services.db);
    return reply.view("finance/views/settings.njk", {
      pageTitle: "Budget rating thresholds",
      rule: settings.rule,
      values: settings.values,
      version: settings.row.version,
    });
  });

  app.post("/budget/settings", async (request, reply) => {
    const body = (request.body ?? {}) as Params;
    try {
      await finance.updateRatingSettings(services.db, request.actor, validForm(ratingSettingsSchema, body));
      return redirectWithBanner(reply, "/budget/settings", "The rating thresholds were saved.");
    } catch (error) {
      if (!(error instanceof ValidationFailed)) throw error;
      const settings = await finance.ratingSettings(services.db);
      return reply.code(400).view("finance/views/settings.njk", {
        pageTitle: "Budget rating thresholds",
        rule: settings.rule,
        values: {
          serviceAreaPercentage: body.serviceAreaPercentage ?? "",
          serviceAreaAmount: body.serviceAreaAmount ?? "",
          fundPercentage: body.fundPercentage ?? "",
          fundAmount: body.fundAmount ?? "",
        },
        version: body.version ?? settings.row.version,
        errors: error.errors,
      });
    }
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
    // Back to the quarter the person came from, else the year's latest quarter with a report.
    const from = parseQuarter((request.query as Params).quarter);
    const latest = (await finance.listReportQuarters(services.db))
      .filter((entry) => entry.code === detail.year.code)
      .at(-1)?.quarter;
    const reported = detail.quarters.filter((entry) => entry.forecast !== null).at(-1)?.quarter;
    return reply.view("finance/views/line.njk", {
      pageTitle: detail.line.name,
      model: detail,
      backQuarter: from ?? latest ?? reported ?? 1,
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

  app.get("/budget/:year/:quarter/savings", async (request, reply) => {
    const params = request.params as Params;
    const yearCode = yearParam(params.year);
    const quarter = quarterParam(params.quarter);
    const model = await finance.savingsReport(services.db, yearCode, quarter);
    return reply.view("finance/views/savings.njk", {
      pageTitle: `Budget savings ${model.year.label} quarter ${quarter}`,
      model,
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

  app.get("/budget/:year/growth", async (request, reply) => {
    const yearCode = yearParam((request.params as Params).year);
    const model = await finance.growthReport(services.db, yearCode);
    const at = await latestQuarterFor(services, yearCode);
    const years = await finance.listFinancialYears(services.db);
    return reply.view("finance/views/growth.njk", {
      pageTitle: `Growth, pressures and proposed savings ${model.year.label}`,
      model,
      years,
      pages: budgetPages(yearCode, at, "growth"),
    });
  });

  app.get("/budget/:year/approved", async (request, reply) => {
    const yearCode = yearParam((request.params as Params).year);
    const model = await finance.approvedBudgetReport(services.db, yearCode);
    const at = await latestQuarterFor(services, yearCode);
    return reply.view("finance/views/approved.njk", {
      pageTitle: `Approved controllable budget ${model.year.label}`,
      model,
      pages: budgetPages(yearCode, at, "approved"),
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
        pages: budgetPages(yearCode, await quarterAt(services, yearCode, quarter), page),
      });
    });
  }
};

export const financeModule: BaseplanModule = {
  name: "finance",
  navigation: [{ href: "/budget", text: "Budget" }],
  routes,
};
