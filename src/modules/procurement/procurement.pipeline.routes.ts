import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { financialYearStartOfDate } from "../../domain/periods.ts";
import type { Services } from "../../services.ts";
import { redirectWithBanner } from "../../web/banner.ts";
import { parseForm, versionOf } from "../../web/forms.ts";
import { pipelineCsv, pipelineReleasePackage } from "./procurement.exports.ts";
import { pipeline, setExpectedPayments } from "./procurement.pipeline.ts";
import { expectedPaymentsFormSchema } from "./procurement.schemas.ts";
import { financialYearName } from "./procurement.service.ts";
import { amountText, sendCsv, VIEWS } from "./procurement.web.ts";

const yearParams = z.object({ year: z.coerce.number().int().min(1000).max(9998) });

/** The current financial year (by its first calendar year), from the period model's year start. */
function currentFinancialYear(): number {
  const today = new Date().toISOString().slice(0, 10);
  return financialYearStartOfDate(today) ?? Number(today.slice(0, 4));
}

/** The pipeline notice: its page, the expected payments form, and its CSV and OCDS files. */
export function pipelineRoutes(app: FastifyInstance, services: Services): void {
  const { db, config } = services;

  app.get("/procurement/pipeline", async (request, reply) => {
    const { year } = z
      .object({ year: z.coerce.number().int().min(1000).max(9998).catch(currentFinancialYear()) })
      .parse({
        year: (request.query as Record<string, unknown> | undefined)?.year ?? currentFinancialYear(),
      });
    const view = await pipeline(db, year);
    return reply.view(`${VIEWS}/pipeline.njk`, {
      pageTitle: `Pipeline notice ${view.notice.financialYear}`,
      view,
      expectedPaymentsText:
        view.notice.expectedPaymentsPence === undefined ? "" : amountText(view.notice.expectedPaymentsPence),
    });
  });

  app.post("/procurement/pipeline/:year/expected-payments", async (request, reply) => {
    const parsedYear = yearParams.safeParse(request.params);
    if (!parsedYear.success) return reply.callNotFound();
    const { year } = parsedYear.data;
    const parsed = parseForm(expectedPaymentsFormSchema, request.body);
    if (!parsed.ok) {
      const view = await pipeline(db, year);
      return reply.code(400).view(`${VIEWS}/pipeline.njk`, {
        pageTitle: `Pipeline notice ${view.notice.financialYear}`,
        view,
        errors: parsed.errors,
        values: request.body,
      });
    }
    await setExpectedPayments(
      db,
      request.actor,
      year,
      versionOf(request.body),
      parsed.value.expectedPayments,
    );
    return redirectWithBanner(
      reply,
      `/procurement/pipeline?year=${year}`,
      "The expected payments were saved.",
    );
  });

  // "/procurement/pipeline/2022.csv" and "/procurement/pipeline/2022.json".
  app.get("/procurement/pipeline/:file", async (request, reply) => {
    const match = /^(\d{4})\.(csv|json)$/.exec((request.params as { file: string }).file);
    if (!match) return reply.callNotFound();
    // Years the calendar cannot hold a whole financial year of (0000, 9999) are pages that do not exist.
    const parsedYear = yearParams.safeParse({ year: match[1] });
    if (!parsedYear.success) return reply.callNotFound();
    const { year } = parsedYear.data;
    if (match[2] === "csv") return sendCsv(reply, `pipeline-notice-${year}.csv`, await pipelineCsv(db, year));
    const uri = `${request.protocol}://${request.host}${request.url}`;
    const releases = await pipelineReleasePackage(db, year, { ocidPrefix: config.ocidPrefix, uri });
    if (releases === null) {
      return reply.code(404).view("errors/error.njk", {
        status: 404,
        title: "No planned contracts in this pipeline",
        message: `The pipeline notice for ${financialYearName(year)} lists no planned contracts, so there are no releases to publish.`,
      });
    }
    return reply.type("application/json; charset=utf-8").send(JSON.stringify(releases, null, 2));
  });
}
