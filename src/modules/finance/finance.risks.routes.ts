import type { FastifyInstance, FastifyReply } from "fastify";
import { ValidationFailed } from "../../errors.ts";
import { redirectWithBanner } from "../../web/banner.ts";
import { validForm } from "../../web/forms.ts";
import type { RoutesOptions } from "../../web/modules.ts";
import { type Params, quarterParam, requireOpenForEntry, yearParam } from "./finance.pages.ts";
import { financialRiskNewSchema } from "./finance.schemas.ts";
import * as finance from "./finance.service.ts";

const LIKELIHOODS = [1, 2, 3, 4, 5];

/** The form that adds a financial risk to a quarter open for entry. */
export function financialRiskRoutes(app: FastifyInstance, services: RoutesOptions["services"]) {
  async function renderForm(
    reply: FastifyReply,
    yearCode: string,
    quarter: number,
    values: Params,
    errors: { field: string; message: string }[] = [],
  ) {
    const { year } = await finance.financialRisksReport(services.db, yearCode, quarter);
    return reply.code(errors.length > 0 ? 400 : 200).view("finance/views/risk-new.njk", {
      pageTitle: `Add a financial risk, quarter ${quarter} ${year.label}`,
      year,
      quarter,
      values,
      likelihoods: LIKELIHOODS.map((level) => ({
        value: String(level),
        text: level === 1 ? "1 (low)" : level === 5 ? "5 (high)" : String(level),
        checked: values.likelihood === String(level),
      })),
      errors,
    });
  }

  app.get("/budget/:year/:quarter/risks/new", async (request, reply) => {
    const params = request.params as Params;
    const yearCode = yearParam(params.year);
    const quarter = quarterParam(params.quarter);
    await requireOpenForEntry(services, { code: yearCode }, quarter);
    return renderForm(reply, yearCode, quarter, {});
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
      return renderForm(reply, yearCode, quarter, body, error.errors);
    }
    return redirectWithBanner(
      reply,
      `/budget/${yearCode}/q${quarter}/risks`,
      "The financial risk was added.",
    );
  });
}
