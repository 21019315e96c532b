import type { FastifyInstance, FastifyReply } from "fastify";
import { formatPounds } from "../../domain/money.ts";
import { ValidationFailed } from "../../errors.ts";
import { redirectWithBanner } from "../../web/banner.ts";
import { validForm } from "../../web/forms.ts";
import type { RoutesOptions } from "../../web/modules.ts";
import { idParam } from "../../web/params.ts";
import { type Params, quarterParam, requireOpenForEntry, yearParam } from "./finance.pages.ts";
import {
  financialRiskEditSchema,
  financialRiskNewSchema,
  financialRiskRemoveSchema,
} from "./finance.schemas.ts";
import * as finance from "./finance.service.ts";

const LIKELIHOODS = [1, 2, 3, 4, 5];

/** The risk being changed or removed, when it is: its id and the version the form was opened at. */
interface Editing {
  id: number;
  version: string;
}

/**
 * The forms that add a financial risk to a quarter open for entry, change one, and remove one
 * after a page that asks to confirm. A quarter closed for entry or published refuses each with
 * the page that says why and how to open it.
 */
export function financialRiskRoutes(app: FastifyInstance, services: RoutesOptions["services"]) {
  async function renderForm(
    reply: FastifyReply,
    yearCode: string,
    quarter: number,
    values: Params,
    editing: Editing | null,
    errors: { field: string; message: string }[] = [],
  ) {
    const { year } = await finance.financialRisksReport(services.db, yearCode, quarter);
    const heading = editing ? "Change a financial risk" : "Add a financial risk";
    return reply.code(errors.length > 0 ? 400 : 200).view("finance/views/risk-new.njk", {
      pageTitle: `${heading}, quarter ${quarter} ${year.label}`,
      heading,
      button: editing ? "Save the risk" : "Add the risk",
      year,
      quarter,
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

  /** The year, quarter and risk an address names, after refusing a quarter not open for entry. */
  async function openRisk(params: Params) {
    const yearCode = yearParam(params.year);
    const quarter = quarterParam(params.quarter);
    const riskId = idParam(params.riskId, "Financial risk");
    const found = await finance.financialRiskForEdit(services.db, yearCode, quarter, riskId);
    await requireOpenForEntry(services, { code: yearCode }, quarter);
    return { yearCode, riskId, ...found };
  }

  const listOf = (yearCode: string, quarter: number) => `/budget/${yearCode}/q${quarter}/risks`;

  app.get("/budget/:year/:quarter/risks/new", async (request, reply) => {
    const params = request.params as Params;
    const yearCode = yearParam(params.year);
    const quarter = quarterParam(params.quarter);
    await requireOpenForEntry(services, { code: yearCode }, quarter);
    return renderForm(reply, yearCode, quarter, {}, null);
  });

  app.post("/budget/:year/:quarter/risks/new", async (request, reply) => {
    const params = request.params as Params;
    const yearCode = yearParam(params.year);
    const quarter = quarterParam(params.quarter);
    const body = (request.body ?? {}) as Params;
    await requireOpenForEntry(services, { code: yearCode }, quarter);
    try {
      const entry = validForm(financialRiskNewSchema, body);
      await finance.addFinancialRisk(services.db, request.actor, { yearCode, quarter, entry });
    } catch (error) {
      if (!(error instanceof ValidationFailed)) throw error;
      return renderForm(reply, yearCode, quarter, body, null, error.errors);
    }
    return redirectWithBanner(reply, listOf(yearCode, quarter), "The financial risk was added.");
  });

  app.get("/budget/:year/:quarter/risks/:riskId/edit", async (request, reply) => {
    const { yearCode, quarter, risk } = await openRisk(request.params as Params);
    const values = {
      service: risk.service,
      risk: risk.risk,
      sensitivity: formatPounds(risk.sensitivityPence, { pence: true }),
      likelihood: String(risk.likelihood),
    };
    return renderForm(reply, yearCode, quarter, values, { id: risk.id, version: String(risk.version) });
  });

  app.post("/budget/:year/:quarter/risks/:riskId/edit", async (request, reply) => {
    const { yearCode, quarter, riskId } = await openRisk(request.params as Params);
    const body = (request.body ?? {}) as Params;
    try {
      const edit = validForm(financialRiskEditSchema, body);
      await finance.updateFinancialRisk(services.db, request.actor, { yearCode, quarter, riskId, edit });
    } catch (error) {
      if (!(error instanceof ValidationFailed)) throw error;
      const editing = { id: riskId, version: body.version ?? "" };
      return renderForm(reply, yearCode, quarter, body, editing, error.errors);
    }
    return redirectWithBanner(reply, listOf(yearCode, quarter), "The financial risk was changed.");
  });

  app.get("/budget/:year/:quarter/risks/:riskId/remove", async (request, reply) => {
    const { year, quarter, risk } = await openRisk(request.params as Params);
    return reply.view("finance/views/risk-remove.njk", {
      pageTitle: `Remove a financial risk, quarter ${quarter} ${year.label}`,
      year,
      quarter,
      risk,
    });
  });

  app.post("/budget/:year/:quarter/risks/:riskId/remove", async (request, reply) => {
    const { yearCode, quarter, riskId } = await openRisk(request.params as Params);
    const { version } = validForm(financialRiskRemoveSchema, (request.body ?? {}) as Params);
    await finance.removeFinancialRisk(services.db, request.actor, { yearCode, quarter, riskId, version });
    return redirectWithBanner(reply, listOf(yearCode, quarter), "The financial risk was removed.");
  });
}
