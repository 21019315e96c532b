import type { FastifyPluginAsync, FastifyReply } from "fastify";
import { financialYearCode as financialYearCodeOf, quarterOf } from "../../domain/periods.ts";
import { ValidationFailed } from "../../errors.ts";
import { redirectWithBanner } from "../../web/banner.ts";
import { validForm } from "../../web/forms.ts";
import type { BaseplanModule, RoutesOptions } from "../../web/modules.ts";
import { balanceEntryRoutes } from "./finance.entry.routes.ts";
import { forecastRoutes } from "./finance.forecast.routes.ts";
import {
  balanceTrend,
  budgetPages,
  budgetPeriodParam,
  entryPeriodsOf,
  latestQuarterFor,
  type Params,
  periodOpenForEntry,
  quarterAt,
  quarterEndMonthOf,
  quarterParam,
  renderOutturn,
  yearParam,
} from "./finance.pages.ts";
import { financialRiskRoutes } from "./finance.risks.routes.ts";
import { savingsRoutes } from "./finance.savings.routes.ts";
import {
  explanationRequirementSchema,
  moneyConventionsSchema,
  ratingSettingsSchema,
} from "./finance.schemas.ts";
import * as finance from "./finance.service.ts";
import { forecastPeriodPath, forecastPeriodWords, monthForecastPeriod } from "./finance.shared.ts";
import { budgetStructureRoutes } from "./finance.structure.routes.ts";
import { budgetUploadRoutes } from "./finance.upload.routes.ts";

const routes: FastifyPluginAsync<RoutesOptions> = async (app, { services }) => {
  app.get("/budget", async (request, reply) => {
    const query = request.query as Params;
    if (query.year || query.quarter) {
      return renderOutturn(services, reply, yearParam(query.year), quarterParam(query.quarter));
    }
    // The latest published period, else the latest with budget monitoring, saying which: a
    // quarter with a report in a year monitored quarterly, a month with a forecast in one
    // monitored monthly.
    const monthlyYears = new Set(
      (await services.listPeriods(services.db))
        .filter((state) => state.frequency === "monthly")
        .map((state) => state.period.startYear),
    );
    const candidates = await finance.budgetMonitoredPeriods(services.db, monthlyYears);
    const shown = await services.defaultPeriod(services.db, candidates);
    if (!shown) {
      // Nothing monitored yet: each open year's budget can be set up from here.
      return reply.view("finance/views/outturn.njk", {
        pageTitle: "Budget",
        model: null,
        quarters: [],
        setUpYears: await finance.listFinancialYears(services.db),
      });
    }
    const kind = shown.period.kind === "month" ? "month" : "quarter";
    return renderOutturn(
      services,
      reply,
      financialYearCodeOf(shown.period.startYear),
      kind === "month" ? monthForecastPeriod(shown.period.number) : quarterOf(shown.period).number,
      shown.reason === "published"
        ? `the latest published ${kind}`
        : kind === "month"
          ? "the latest month with a forecast"
          : "the latest quarter with budget monitoring",
    );
  });

  /** The settings page: the rating thresholds form and the money conventions form, either with errors. */
  async function settingsPage(
    reply: FastifyReply,
    entered: { thresholds?: Params; conventions?: Params; explanations?: Params; errors?: unknown } = {},
  ) {
    const settings = await finance.ratingSettings(services.db);
    const money = await finance.moneyConventions(services.db);
    const required = await finance.explanationRequirement(services.db);
    const thresholds = entered.thresholds;
    const conventions = entered.conventions;
    const explanations = entered.explanations;
    return reply.code(entered.errors ? 400 : 200).view("finance/views/settings.njk", {
      pageTitle: "Budget settings",
      rule: settings.rule,
      values: thresholds
        ? {
            serviceAreaPercentage: thresholds.serviceAreaPercentage ?? "",
            serviceAreaAmount: thresholds.serviceAreaAmount ?? "",
            fundPercentage: thresholds.fundPercentage ?? "",
            fundAmount: thresholds.fundAmount ?? "",
          }
        : settings.values,
      version: thresholds?.version ?? conventions?.version ?? explanations?.version ?? settings.row.version,
      money: conventions
        ? {
            defaultUnit: conventions.defaultUnit ?? "",
            bracketsMean: conventions.bracketsMean ?? "",
            negativeBase: conventions.negativeBase ?? "",
            percentageDecimals: conventions.percentageDecimals ?? "",
            zeroBase: conventions.zeroBase ?? "",
          }
        : { ...money.conventions, percentageDecimals: String(money.conventions.percentageDecimals) },
      moneyWords: Object.values(money.words),
      explanationsRequired: explanations ? (explanations.explanationsRequired ?? "") : required.requirement,
      explanationWords: required.words,
      explanationLabel: finance.EXPLANATION_REQUIREMENT_LABEL,
      labels: finance.MONEY_CONVENTION_LABELS,
      errors: entered.errors,
    });
  }

  app.get("/budget/settings", async (_request, reply) => settingsPage(reply));

  app.post("/budget/settings", async (request, reply) => {
    const body = (request.body ?? {}) as Params;
    try {
      await finance.updateRatingSettings(services.db, request.actor, validForm(ratingSettingsSchema, body));
      return redirectWithBanner(reply, "/budget/settings", "The rating thresholds were saved.");
    } catch (error) {
      if (!(error instanceof ValidationFailed)) throw error;
      return settingsPage(reply, { thresholds: body, errors: error.errors });
    }
  });

  app.post("/budget/settings/money", async (request, reply) => {
    const body = (request.body ?? {}) as Params;
    try {
      await finance.updateMoneyConventions(
        services.db,
        request.actor,
        validForm(moneyConventionsSchema, body),
      );
      return redirectWithBanner(reply, "/budget/settings", "The money conventions were saved.");
    } catch (error) {
      if (!(error instanceof ValidationFailed)) throw error;
      return settingsPage(reply, { conventions: body, errors: error.errors });
    }
  });

  app.post("/budget/settings/explanations", async (request, reply) => {
    const body = (request.body ?? {}) as Params;
    try {
      await finance.updateExplanationRequirement(
        services.db,
        request.actor,
        validForm(explanationRequirementSchema, body),
      );
      return redirectWithBanner(
        reply,
        "/budget/settings",
        "The budget lines that must explain their variance were saved.",
      );
    } catch (error) {
      if (!(error instanceof ValidationFailed)) throw error;
      return settingsPage(reply, { explanations: body, errors: error.errors });
    }
  });

  app.get("/budget/:year/:quarter", async (request, reply) => {
    const params = request.params as Params;
    return renderOutturn(services, reply, yearParam(params.year), budgetPeriodParam(params.quarter));
  });

  forecastRoutes(app, services);
  budgetUploadRoutes(app, services);
  savingsRoutes(app, services);
  financialRiskRoutes(app, services);
  balanceEntryRoutes(app, services);
  budgetStructureRoutes(app, services);

  app.get("/budget/:year/growth", async (request, reply) => {
    const yearCode = yearParam((request.params as Params).year);
    const model = await finance.growthReport(services.db, yearCode);
    const at = await latestQuarterFor(services, yearCode);
    const years = await finance.listFinancialYears(services.db);
    return reply.view("finance/views/growth.njk", {
      pageTitle: `Growth, pressures and proposed savings ${model.year.label}`,
      model,
      years,
      // A year monitored monthly enters the spend month by month (decision 0024).
      entryPeriods: await entryPeriodsOf(services, model.year),
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

  for (const [page, view, title, load, trend] of [
    ["reserves", "reserves.njk", "Earmarked reserves", finance.reservesReport, "reserves"],
    ["debt", "debt.njk", "Debt position", finance.debtReport, "debt"],
  ] as const) {
    // A quarter or a month ("q3", "m7"). A quarter of a year monitored monthly shows its last
    // month's balances, compared with the quarter end before, and says so (decision 0021).
    app.get(`/budget/:year/:quarter/${page}`, async (request, reply) => {
      const params = request.params as Params;
      const yearCode = yearParam(params.year);
      const asked = budgetPeriodParam(params.quarter);
      const figuresAt = (await quarterEndMonthOf(services, { code: yearCode }, asked)) ?? asked;
      const fromMonth = figuresAt.month !== null && asked.month === null;
      const model = await load(
        services.db,
        yearCode,
        figuresAt.quarter,
        figuresAt.month,
        fromMonth ? (figuresAt.month ?? 0) - 3 : undefined,
      );
      const totals = (await finance.balanceTotalsByQuarter(services.db, yearCode, asked.quarter))[trend];
      const words = forecastPeriodWords(asked);
      return reply.view(`finance/views/${view}`, {
        pageTitle: `${title} ${model.year.label} ${words}`,
        model,
        periodWords: words,
        figuresFrom: fromMonth ? forecastPeriodWords(figuresAt) : null,
        entryPath: forecastPeriodPath(figuresAt),
        trend: balanceTrend(trend, totals),
        entryOpen: await periodOpenForEntry(services, model.year, figuresAt),
        pages: budgetPages(yearCode, await quarterAt(services, yearCode, asked.quarter), page),
      });
    });
  }

  // A quarter or a month ("q3", "m7"). A quarter of a year monitored monthly shows its last
  // month's risks, and says so (decision 0024).
  app.get("/budget/:year/:quarter/risks", async (request, reply) => {
    const params = request.params as Params;
    const yearCode = yearParam(params.year);
    const asked = budgetPeriodParam(params.quarter);
    const figuresAt = (await quarterEndMonthOf(services, { code: yearCode }, asked)) ?? asked;
    const model = await finance.financialRisksReport(
      services.db,
      yearCode,
      figuresAt.quarter,
      figuresAt.month,
    );
    const words = forecastPeriodWords(asked);
    const entryOpen = await periodOpenForEntry(services, model.year, figuresAt);
    return reply.view("finance/views/risks.njk", {
      pageTitle: `Financial risks ${model.year.label} ${words}`,
      model,
      periodWords: words,
      figuresFrom: figuresAt.month !== null && asked.month === null ? forecastPeriodWords(figuresAt) : null,
      trend: null,
      entryOpen,
      // A month open for entry with no risks yet may start from the month before's.
      copyFrom:
        entryOpen && asked.month !== null
          ? await finance.financialRisksToCopy(services.db, yearCode, asked.month)
          : null,
      pages: budgetPages(yearCode, await quarterAt(services, yearCode, asked.quarter), "risks"),
    });
  });
};

export const financeModule: BaseplanModule = {
  name: "finance",
  navigation: [{ href: "/budget", text: "Budget" }],
  routes,
};
