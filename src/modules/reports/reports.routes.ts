import type { FastifyPluginAsync, FastifyReply } from "fastify";
import { financialYearCode, type MonitoringPeriod, parseMonitoringPeriod } from "../../domain/periods.ts";
import { NotFound } from "../../errors.ts";
import type { SharedChromium } from "../../reports/chromium.ts";
import { drawCharts } from "../../reports/render-html.ts";
import type { BaseplanModule, RoutesOptions } from "../../web/modules.ts";
import {
  FORMATS,
  isReportFormat,
  listQuarterlyReports,
  listServicePlanReports,
  quarterlyFileStem,
  quarterlyReport,
  quarterlyReportFile,
  type ReportFormat,
  renderReport,
  servicePlanReport,
} from "./reports.service.ts";

type Params = Record<string, string | undefined>;

/**
 * The period and format an address names: ("2020-21", "q3") for the page, ("2020-21", "q3.docx")
 * for a file. The period is read by the one period parser; only quarters have a quarterly report.
 */
function periodAndFormat(
  year: string | undefined,
  text: string | undefined,
): { period: MonitoringPeriod; format: ReportFormat | null } {
  const [slug, format = null, extra] = (text ?? "").split(".");
  const period = parseMonitoringPeriod(year, slug);
  if (period === null || period.kind !== "quarter" || extra !== undefined) {
    throw new NotFound(`Quarter ${year ?? ""} ${text ?? ""}`);
  }
  if (format !== null && (!isReportFormat(format) || format === "html"))
    throw new NotFound(`Format ${format}`);
  return { period, format };
}

function sendFile(reply: FastifyReply, file: Buffer, format: ReportFormat, stem: string) {
  const { contentType, extension } = FORMATS[format];
  return reply
    .header("content-type", contentType)
    .header("content-disposition", `attachment; filename="${stem}.${extension}"`)
    .send(file);
}

const DOWNLOADS: ReportFormat[] = ["docx", "xlsx", "pdf"];

/**
 * The download links; where this server has no Chromium the PDF link says so beside it (the
 * download itself answers 503 with what to install).
 */
function downloads(href: string, stem: string, chromium: SharedChromium) {
  const pdfReady = chromium.lookup().found;
  return DOWNLOADS.map((format) => ({
    href: `${href}.${format}`,
    label: FORMATS[format].label,
    file: `${stem}.${FORMATS[format].extension}`,
    unavailable:
      format === "pdf" && !pdfReady
        ? "not available on this server, which has no Chromium to print it"
        : null,
  }));
}

const routes: FastifyPluginAsync<RoutesOptions> = async (app, { services }) => {
  app.get("/reports", async (_request, reply) => {
    const quarterly = (await listQuarterlyReports(services.db)).map((entry) => ({
      ...entry,
      downloads: downloads(entry.href, entry.fileStem, services.chromium),
    }));
    const servicePlans = (await listServicePlanReports(services.db)).map((entry) => ({
      ...entry,
      downloads: downloads(entry.href, entry.fileStem, services.chromium),
    }));
    return reply.view("reports/views/index.njk", { pageTitle: "Reports", quarterly, servicePlans });
  });

  app.get("/reports/quarterly/:year/:quarter", async (request, reply) => {
    const params = request.params as Params;
    const { period, format } = periodAndFormat(params.year, params.quarter);
    const year = financialYearCode(period.startYear);
    const quarter = period.number;
    const stem = quarterlyFileStem(year, quarter);
    if (format && format !== "html") {
      const file = await quarterlyReportFile(services.db, year, quarter, format, services.chromium);
      return sendFile(reply, file, format, stem);
    }
    const report = await quarterlyReport(services.db, year, quarter);
    const href = `/reports/quarterly/${year}/q${quarter}`;
    return reply.view("reports/views/report.njk", {
      pageTitle: report.title,
      report: drawCharts(report),
      downloads: downloads(href, stem, services.chromium),
    });
  });

  app.get("/reports/service-plan/:file", async (request, reply) => {
    const match = /^([a-z0-9-]+?)(?:\.([a-z]+))?$/.exec((request.params as Params).file ?? "");
    if (!match?.[1]) throw new NotFound("Service plan");
    const slug = match[1];
    const format = match[2] ?? null;
    if (format !== null && (!isReportFormat(format) || format === "html"))
      throw new NotFound(`Format ${format}`);
    const report = await servicePlanReport(services.db, slug);
    if (format) return sendFile(reply, await renderReport(report, format, services.chromium), format, slug);
    return reply.view("reports/views/report.njk", {
      pageTitle: report.title,
      report: drawCharts(report),
      downloads: downloads(`/reports/service-plan/${slug}`, slug, services.chromium),
    });
  });
};

export const reportsModule: BaseplanModule = {
  name: "reports",
  navigation: [{ href: "/reports", text: "Reports" }],
  routes,
};
