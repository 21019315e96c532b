import type { FastifyInstance, FastifyReply } from "fastify";
import { formatPounds } from "../../domain/money.ts";
import { NotFound, ValidationFailed } from "../../errors.ts";
import { redirectWithBanner } from "../../web/banner.ts";
import { validForm } from "../../web/forms.ts";
import type { RoutesOptions } from "../../web/modules.ts";
import { idParam } from "../../web/params.ts";
import {
  budgetPeriodParam,
  openForEntryCheck,
  type Params,
  quarterEndMonthOf,
  requireBalancePeriodOpen,
  yearParam,
} from "./finance.pages.ts";
import {
  financialRiskEditSchema,
  financialRiskNewSchema,
  financialRiskRemoveSchema,
  financialRisksCopySchema,
} from "./finance.schemas.ts";
import * as finance from "./finance.service.ts";
import { type ForecastPeriod, forecastPeriodPath } from "./finance.shared.ts";

const LIKELIHOODS = [1, 2, 3, 4, 5];

/** The risk being changed or removed, when it is: its id and the version the form was opened at. */
interface Editing {
  id: number;
  version: string;
}

const RISKS = "financial risks";

/**
 * The forms that add a financial risk to a quarter (or, in a year monitored monthly, a month) open
 * for entry, change one, and remove one after a page that asks to confirm. A period closed for
 * entry or published refuses each with the page that says why and how to open it; in a year
 * monitored monthly a quarter's own list is not entered (decision 0024).
 */
export function financialRiskRoutes(app: FastifyInstance, services: RoutesOptions["services"]) {
  async function renderForm(
    reply: FastifyReply,
    yearCode: string,
    at: ForecastPeriod,
    values: Params,
    editing: Editing | null,
    errors: { field: string; message: string }[] = [],
  ) {
    const { year, words, path } = await finance.financialRisksReport(
      services.db,
      yearCode,
      at.quarter,
      at.month,
    );
    const heading = editing ? "Change a financial risk" : "Add a financial risk";
    return reply.code(errors.length > 0 ? 400 : 200).view("finance/views/risk-new.njk", {
      pageTitle: `${heading}, ${words} ${year.label}`,
      heading,
      button: editing ? "Save the risk" : "Add the risk",
      year,
      quarter: at.quarter,
      words,
      path,
      values,
      version: editing?.version ?? null,
      likelihoods: LIKELIHOODS.map((level) => ({
        value: String(level),
        text: level === 1 ? "1 (low)" : level === 5 ? "5 (high)" : String(level),
        checked: values.likelihood === String(level),
      })),
      errors,
    });
  }

  /** The year, period and risk an address names, after refusing a period not open for entry. */
  async function openRisk(params: Params) {
    const yearCode = yearParam(params.year);
    const at = budgetPeriodParam(params.quarter);
    const riskId = idParam(params.riskId, "Financial risk");
    const found = await finance.financialRiskForEdit(services.db, yearCode, at.quarter, riskId, at.month);
    await requireBalancePeriodOpen(services, { code: yearCode }, at, RISKS);
    return { yearCode, riskId, ...found };
  }

  const listOf = (yearCode: string, at: ForecastPeriod) =>
    `/budget/${yearCode}/${forecastPeriodPath(at)}/risks`;

  app.get("/budget/:year/:quarter/risks/new", async (request, reply) => {
    const params = request.params as Params;
    const yearCode = yearParam(params.year);
    const at = budgetPeriodParam(params.quarter);
    const monthForm = await quarterEndMonthOf(services, { code: yearCode }, at);
    if (monthForm) return reply.redirect(`${listOf(yearCode, monthForm)}/new`, 303);
    await requireBalancePeriodOpen(services, { code: yearCode }, at, RISKS);
    return renderForm(reply, yearCode, at, {}, null);
  });

  app.post("/budget/:year/:quarter/risks/new", async (request, reply) => {
    const params = request.params as Params;
    const yearCode = yearParam(params.year);
    const at = budgetPeriodParam(params.quarter);
    const body = (request.body ?? {}) as Params;
    await requireBalancePeriodOpen(services, { code: yearCode }, at, RISKS);
    try {
      const entry = validForm(financialRiskNewSchema, body);
      await finance.addFinancialRisk(services.db, request.actor, {
        yearCode,
        quarter: at.quarter,
        month: at.month,
        entry,
        requireOpen: openForEntryCheck(services, { code: yearCode }, at, RISKS),
      });
    } catch (error) {
      if (!(error instanceof ValidationFailed)) throw error;
      return renderForm(reply, yearCode, at, body, null, error.errors);
    }
    return redirectWithBanner(reply, listOf(yearCode, at), "The financial risk was added.");
  });

  // A month's list started from the month before's: one form on the month's risks page.
  app.post("/budget/:year/:quarter/risks/copy", async (request, reply) => {
    const params = request.params as Params;
    const yearCode = yearParam(params.year);
    const at = budgetPeriodParam(params.quarter);
    if (at.month === null)
      throw new NotFound(`Copying last month's financial risks into quarter ${at.quarter}`);
    await requireBalancePeriodOpen(services, { code: yearCode }, at, RISKS);
    const { sourceVersion } = validForm(financialRisksCopySchema, (request.body ?? {}) as Params);
    const { copied, sourceWords } = await finance.copyPreviousMonthRisks(services.db, request.actor, {
      yearCode,
      month: at.month,
      sourceVersion,
      requireOpen: openForEntryCheck(services, { code: yearCode }, at, RISKS),
    });
    return redirectWithBanner(
      reply,
      listOf(yearCode, at),
      `${copied.length === 1 ? "1 financial risk was" : `${copied.length} financial risks were`} copied from ${sourceWords}. Check each and change what has moved on.`,
    );
  });

  app.get("/budget/:year/:quarter/risks/:riskId/edit", async (request, reply) => {
    const { yearCode, at, risk } = await openRisk(request.params as Params);
    const values = {
      service: risk.service,
      risk: risk.risk,
      sensitivity: formatPounds(risk.sensitivityPence, { pence: true }),
      likelihood: String(risk.likelihood),
    };
    return renderForm(reply, yearCode, at, values, { id: risk.id, version: String(risk.version) });
  });

  app.post("/budget/:year/:quarter/risks/:riskId/edit", async (request, reply) => {
    const { yearCode, at, riskId } = await openRisk(request.params as Params);
    const body = (request.body ?? {}) as Params;
    try {
      const edit = validForm(financialRiskEditSchema, body);
      await finance.updateFinancialRisk(services.db, request.actor, {
        yearCode,
        quarter: at.quarter,
        month: at.month,
        riskId,
        edit,
        requireOpen: openForEntryCheck(services, { code: yearCode }, at, RISKS),
      });
    } catch (error) {
      if (!(error instanceof ValidationFailed)) throw error;
      const editing = { id: riskId, version: body.version ?? "" };
      return renderForm(reply, yearCode, at, body, editing, error.errors);
    }
    return redirectWithBanner(reply, listOf(yearCode, at), "The financial risk was changed.");
  });

  app.get("/budget/:year/:quarter/risks/:riskId/remove", async (request, reply) => {
    const { year, quarter, at, words, path, risk } = await openRisk(request.params as Params);
    return reply.view("finance/views/risk-remove.njk", {
      pageTitle: `Remove a financial risk, ${words} ${year.label}`,
      year,
      quarter,
      at,
      words,
      path,
      risk,
    });
  });

  app.post("/budget/:year/:quarter/risks/:riskId/remove", async (request, reply) => {
    const { yearCode, at, riskId } = await openRisk(request.params as Params);
    const { version } = validForm(financialRiskRemoveSchema, (request.body ?? {}) as Params);
    await finance.removeFinancialRisk(services.db, request.actor, {
      yearCode,
      quarter: at.quarter,
      month: at.month,
      riskId,
      version,
      requireOpen: openForEntryCheck(services, { code: yearCode }, at, RISKS),
    });
    return redirectWithBanner(reply, listOf(yearCode, at), "The financial risk was removed.");
  });
}
