import type { FastifyPluginAsync, FastifyReply } from "fastify";
import {
  financialYearCode,
  type MonitoringPeriod,
  monitoringPeriodLabel,
  parseMonitoringPeriod,
} from "../../domain/periods.ts";
import { type FieldError, NotFound, ValidationFailed } from "../../errors.ts";
import type { SharedChromium } from "../../reports/chromium.ts";
import { drawCharts } from "../../reports/render-html.ts";
import { redirectWithBanner } from "../../web/banner.ts";
import { validForm } from "../../web/forms.ts";
import type { BaseplanModule, RoutesOptions } from "../../web/modules.ts";
import { idParam } from "../../web/params.ts";
import {
  COMMITTEE_FIELDS,
  EMPTY_NARRATIVE,
  NARRATIVE_FIELDS,
  type NarrativeText,
  reportNarrative,
  saveReportNarrative,
} from "../periods/periods.narrative.ts";
import { narrativeForm } from "../periods/periods.schemas.ts";
import {
  FORMATS,
  isReportFormat,
  listQuarterlyReports,
  listServicePlanReports,
  quarterlyFileStem,
  quarterlyReport,
  quarterlyReportFile,
  type ReportFormat,
  reportPeriod,
  servicePlanDocument,
  servicePlanFile,
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

/** What each part of the narrative form asks for. */
const NARRATIVE_HINTS: Record<string, { hint: string; rows: number }> = {
  purpose: { hint: "Why the report is brought, in a sentence or two.", rows: 3 },
  overview: { hint: "How performance went in the quarter, for the report's overview.", rows: 5 },
  progressSummary: { hint: "A summary of progress on the plan's deliverables and measures.", rows: 5 },
  keySuccess: { hint: "One a line.", rows: 4 },
  keyConsideration: { hint: "One a line.", rows: 4 },
  keyNote: { hint: "One a line.", rows: 4 },
  varianceExplanations: {
    hint: "Why the forecast differs from the budget. Leave a blank line between paragraphs.",
    rows: 6,
  },
  recommendations: {
    hint: "What the report asks the committee to do. Leave a blank line between paragraphs.",
    rows: 4,
  },
};

/** The boxes of the report date's GOV.UK date input. */
interface DateBoxes {
  day: string;
  month: string;
  year: string;
}

/** "2031-03-02" as the boxes 2, 3, 2031; blank boxes for no date. */
function dateBoxesOf(iso: string): DateBoxes {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return match
    ? { day: String(Number(match[3])), month: String(Number(match[2])), year: match[1] ?? "" }
    : { day: "", month: "", year: "" };
}

const NARRATIVE_VIEW_FIELDS = NARRATIVE_FIELDS.map((field) => ({
  ...field,
  hint: NARRATIVE_HINTS[field.key]?.hint ?? "",
  rows: NARRATIVE_HINTS[field.key]?.rows ?? 4,
}));

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
    const state = await reportPeriod(services.db, period);
    return reply.view("reports/views/report.njk", {
      pageTitle: report.title,
      report: drawCharts(report),
      downloads: downloads(href, stem, services.chromium),
      narrativeHref: state?.status === "open" ? `${href}/narrative` : null,
    });
  });

  /** The opened period a quarter's report is made at, refused (with how to open it) unless open. */
  async function openReportPeriod(year: string | undefined, quarterText: string | undefined) {
    const { period, format } = periodAndFormat(year, quarterText);
    if (format !== null) throw new NotFound(`Narrative ${quarterText ?? ""}`);
    const state = await reportPeriod(services.db, period);
    await services.requireOpenPeriod(services.db, state?.period ?? period);
    const code = financialYearCode(period.startYear);
    return {
      period: state?.period ?? period,
      reportHref: `/reports/quarterly/${code}/q${period.number}`,
    };
  }

  function renderNarrative(
    reply: FastifyReply,
    at: { period: MonitoringPeriod; reportHref: string },
    form: { version: number; values: NarrativeText; date: DateBoxes; savedBy: string | null },
    errors: FieldError[] = [],
  ) {
    const periodLabel = monitoringPeriodLabel(at.period);
    const dateError = errors.find(
      (error) => error.field === "reportDate" || error.field.startsWith("reportDate-"),
    );
    return reply.code(errors.length > 0 ? 400 : 200).view("reports/views/narrative.njk", {
      pageTitle: `Report narrative, ${periodLabel}`,
      periodLabel,
      reportHref: at.reportHref,
      fields: NARRATIVE_VIEW_FIELDS,
      ...form,
      dateError: dateError ? { text: dateError.message } : undefined,
      errors,
    });
  }

  app.get("/reports/quarterly/:year/:quarter/narrative", async (request, reply) => {
    const params = request.params as Params;
    const at = await openReportPeriod(params.year, params.quarter);
    const saved = await reportNarrative(services.db, at.period);
    return renderNarrative(reply, at, {
      version: saved?.version ?? 0,
      values: saved ?? EMPTY_NARRATIVE,
      date: dateBoxesOf(saved?.reportDate ?? ""),
      savedBy: saved?.updatedBy ?? null,
    });
  });

  app.post("/reports/quarterly/:year/:quarter/narrative", async (request, reply) => {
    const params = request.params as Params;
    const body = (request.body ?? {}) as Params;
    const at = await openReportPeriod(params.year, params.quarter);
    try {
      const { version, ...text } = validForm(narrativeForm, body);
      await saveReportNarrative(services.db, request.actor, {
        period: at.period,
        version,
        text,
        returnUrl: request.url,
      });
    } catch (error) {
      if (!(error instanceof ValidationFailed)) throw error;
      const values = Object.fromEntries(
        [...NARRATIVE_FIELDS, ...COMMITTEE_FIELDS].map(({ key }) => [
          key,
          typeof body[key] === "string" ? body[key] : "",
        ]),
      ) as NarrativeText;
      const typed = (part: string) => {
        const value = body[`reportDate-${part}`];
        return typeof value === "string" ? value : "";
      };
      const saved = await reportNarrative(services.db, at.period);
      return renderNarrative(
        reply,
        at,
        {
          version: Number(body.version) || 0,
          values,
          date: { day: typed("day"), month: typed("month"), year: typed("year") },
          savedBy: saved?.updatedBy ?? null,
        },
        error.errors,
      );
    }
    return redirectWithBanner(reply, at.reportHref, "The report narrative was saved.");
  });

  /** "place-plan.docx" as the plan's slug and the format asked for (null for the page). */
  function servicePlanAddress(file: string | undefined): { slug: string; format: ReportFormat | null } {
    const match = /^([a-z0-9-]+?)(?:\.([a-z]+))?$/.exec(file ?? "");
    if (!match?.[1]) throw new NotFound("Service plan");
    const format = match[2] ?? null;
    if (format !== null && (!isReportFormat(format) || format === "html"))
      throw new NotFound(`Format ${format}`);
    return { slug: match[1], format };
  }

  /**
   * A service plan's document: while the plan is approved, as frozen at its latest approval
   * (labelled with the date); `approvalId` an earlier approval's kept copy.
   */
  async function servicePlan(
    reply: FastifyReply,
    slug: string,
    format: ReportFormat | null,
    approvalId: number | null,
  ) {
    const href =
      approvalId === null
        ? `/reports/service-plan/${slug}`
        : `/reports/service-plan/${slug}/approvals/${approvalId}`;
    const stem = approvalId === null ? slug : `${slug}-approval-${approvalId}`;
    if (format && format !== "html") {
      const file = await servicePlanFile(services.db, slug, format, services.chromium, approvalId);
      return sendFile(reply, file, format, stem);
    }
    const document = await servicePlanDocument(services.db, slug, approvalId);
    return reply.view("reports/views/report.njk", {
      pageTitle: document.report.title,
      report: drawCharts(document.report),
      downloads: downloads(href, stem, services.chromium),
      approval: document.approval,
      // An earlier approval's copy links back to the plan's current document.
      currentHref: approvalId === null ? null : `/reports/service-plan/${slug}`,
      planHref: `/plan/base-plan?plan=${encodeURIComponent(slug)}`,
      otherApprovals: document.approvals
        .filter((approval) => approval.id !== document.approval?.id)
        .map((approval) => ({ ...approval, href: `/reports/service-plan/${slug}/approvals/${approval.id}` })),
    });
  }

  app.get("/reports/service-plan/:file", async (request, reply) => {
    const { slug, format } = servicePlanAddress((request.params as Params).file);
    return servicePlan(reply, slug, format, null);
  });

  app.get("/reports/service-plan/:slug/approvals/:file", async (request, reply) => {
    const params = request.params as Params;
    const { slug } = servicePlanAddress(params.slug);
    const [idText, format = null, extra] = (params.file ?? "").split(".");
    if (extra !== undefined) throw new NotFound("Approval");
    const id = idParam(idText, "Approval");
    if (format !== null && (!isReportFormat(format) || format === "html"))
      throw new NotFound(`Format ${format}`);
    return servicePlan(reply, slug, format, id);
  });
};

export const reportsModule: BaseplanModule = {
  name: "reports",
  navigation: [{ href: "/reports", text: "Reports" }],
  routes,
};
