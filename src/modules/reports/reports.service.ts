import type { Database } from "../../db/client.ts";
import {
  compareMonitoringPeriods,
  financialYearCode,
  financialYearLabel,
  type MonitoringPeriod,
  monitoringPeriod,
  monitoringPeriodKey,
  monitoringPeriodLabel,
  monitoringPeriodPath,
  parseFinancialYearCode,
  quarterOf,
  sameMonitoringPeriod,
} from "../../domain/periods.ts";
import { NotFound } from "../../errors.ts";
import type { SharedChromium } from "../../reports/chromium.ts";
import type { Report } from "../../reports/model.ts";
import { yearCode } from "../../reports/quarterly-report.ts";
import { renderStandaloneHtml } from "../../reports/render-html.ts";
import { buildServicePlanReport, servicePlans } from "../../reports/service-plan-report.ts";
import { recordAuditEvent } from "../audit/audit.service.ts";
import { listReportQuarters } from "../finance/finance.service.ts";
import { displayNameOf } from "../people/people.service.ts";
import {
  buildPeriodReport,
  monthInProgress,
  periodOfReport,
  QUARTERLY_DOCUMENT,
  reportBytes,
  reportFromBytes,
} from "../periods/periods.report.ts";
import {
  frozenDocument,
  listPeriods,
  missingOf,
  type PeriodState,
  periodSections,
} from "../periods/periods.service.ts";
import { findPlanBySlug, type Plan } from "../plan/plan.service.ts";
import * as reportsRepository from "./reports.repository.ts";

/** The formats a report downloads in, with what the browser and the file system need. */
export const FORMATS = {
  html: { extension: "html", contentType: "text/html; charset=utf-8", label: "Web page (HTML)" },
  docx: {
    extension: "docx",
    contentType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    label: "Word",
  },
  xlsx: {
    extension: "xlsx",
    contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    label: "Excel",
  },
  pdf: { extension: "pdf", contentType: "application/pdf", label: "PDF" },
} as const;

export type ReportFormat = keyof typeof FORMATS;

export function isReportFormat(value: string): value is ReportFormat {
  return Object.hasOwn(FORMATS, value);
}

/** One report the council can produce: where its page is and what its files are called. */
export interface ReportEntry {
  kind: "quarterly" | "service-plan";
  title: string;
  href: string;
  fileStem: string;
}

/** One quarterly report on the Reports page: its period's status and what is still missing. */
export interface QuarterlyReportEntry extends ReportEntry {
  period: MonitoringPeriod;
  /** "Published", "Open for entry", ...; null for a quarter with figures but no period opened. */
  status: string | null;
  /** Items still to record, for a period not yet published. */
  missing: number | null;
  periodHref: string | null;
  /**
   * A quarter of a year monitored monthly whose report month is not opened yet: its latest opened
   * month, with that month's status and missing count, and the month the report is made at.
   */
  inProgress: {
    label: string;
    status: string;
    missing: number | null;
    periodHref: string;
    reportMonthLabel: string;
  } | null;
}

/**
 * Every quarter with budget monitoring and every opened quarter (or month ending one), newest
 * first, with its status and, until published, how many items are missing. Each one's report
 * can be produced: a section with nothing recorded says so.
 */
export async function listQuarterlyReports(db: Database): Promise<QuarterlyReportEntry[]> {
  const { quarters, opened } = await reportableQuarters(db);
  const entries: QuarterlyReportEntry[] = [];
  for (const period of quarters) {
    // A monthly year's quarter report is made at the month that ends the quarter.
    const state = periodOfReport(opened, period);
    const missing =
      state && state.status !== "published" ? missingOf(await periodSections(db, state.period)).length : null;
    const month = monthInProgress(opened, period);
    const code = financialYearCode(period.startYear);
    entries.push({
      kind: "quarterly",
      title: `Performance and budget monitoring, quarter ${period.number} ${financialYearLabel(period.startYear)}`,
      href: `/reports/quarterly/${code}/q${period.number}`,
      fileStem: quarterlyFileStem(code, period.number),
      period,
      status: state?.statusWords ?? null,
      missing,
      periodHref: state ? `/periods/${monitoringPeriodPath(state.period)}` : null,
      inProgress: month
        ? {
            label: month.label,
            status: month.statusWords,
            missing:
              month.status === "published" ? null : missingOf(await periodSections(db, month.period)).length,
            periodHref: `/periods/${monitoringPeriodPath(month.period)}`,
            reportMonthLabel: monitoringPeriodLabel(
              monitoringPeriod(period.startYear, "month", period.number * 3),
            ),
          }
        : null,
    });
  }
  return entries;
}

/** The opened period a quarter's report is made at, for its narrative; undefined when none is opened. */
export async function reportPeriod(
  db: Database,
  quarter: MonitoringPeriod,
): Promise<PeriodState | undefined> {
  return periodOfReport(await listPeriods(db), quarter);
}

/**
 * The quarters with a report, newest first: each with budget monitoring, and each opened (or
 * any of whose months is opened, in a year monitored monthly); with the opened periods' states.
 */
async function reportableQuarters(db: Database) {
  const [reported, opened] = await Promise.all([listReportQuarters(db), listPeriods(db)]);
  const byKey = new Map<string, MonitoringPeriod>();
  for (const row of reported) {
    const startYear = parseFinancialYearCode(row.code);
    if (startYear === null) continue;
    const period = monitoringPeriod(startYear, "quarter", row.quarter);
    byKey.set(monitoringPeriodKey(period), period);
  }
  // A month opened in a year monitored monthly puts its quarter on the list, in progress until
  // the month that ends the quarter is opened.
  for (const state of opened) {
    const quarter = quarterOf(state.period);
    byKey.set(monitoringPeriodKey(quarter), quarter);
  }
  return { quarters: [...byKey.values()].sort((a, b) => compareMonitoringPeriods(b, a)), opened };
}

export async function listServicePlanReports(db: Database): Promise<ReportEntry[]> {
  return (await servicePlans(db)).map((plan) => ({
    kind: "service-plan",
    title: plan.title,
    href: `/reports/service-plan/${plan.slug}`,
    fileStem: plan.slug,
  }));
}

/** One approval of a service plan, whose document was frozen then. */
export interface PlanApproval {
  id: number;
  approvedBy: string;
  approvedAt: Date;
}

/** A service plan's document: the frozen one while the plan is approved, else the live one. */
export interface ServicePlanDocument {
  report: Report;
  /** The approval it was frozen at, while the plan stays approved; null for the live document. */
  approval: PlanApproval | null;
  /** Every approval of the plan, newest first: their documents are kept. */
  approvals: PlanApproval[];
}

const approvalOf = (row: reportsRepository.PlanApprovalRow): PlanApproval => ({
  id: row.id,
  approvedBy: row.approvedBy,
  approvedAt: row.approvedAt instanceof Date ? row.approvedAt : new Date(row.approvedAt),
});

/**
 * Freezes a service plan's document as the plan is approved, in the approving transaction: an
 * approval (who, when) and the plan's report model as it stands now. Audited on the plan's
 * history. The plan module calls this through the services when a plan becomes approved.
 */
export async function freezeApprovedPlan(tx: Database, actor: string, plan: Plan): Promise<void> {
  const approval = await reportsRepository.insertPlanApproval(tx, { planId: plan.id, approvedBy: actor });
  const report = await buildServicePlanReport(tx, {
    plan: plan.slug,
    approval: { by: await displayNameOf(tx, actor), at: approvalOf(approval).approvedAt },
  });
  await reportsRepository.insertApprovedDocument(tx, {
    approvalId: approval.id,
    format: "model",
    content: reportBytes(report),
  });
  await recordAuditEvent(tx, {
    actor,
    action: "create",
    entityType: "approved-plan-document",
    entityId: approval.id,
    record: { kind: "plan", id: plan.id },
    summary: `Kept the document of the plan "${plan.title}" as approved`,
    after: { planId: plan.id, approvalId: approval.id },
  });
}

/**
 * The service plan document for a plan, by its slug: while the plan is approved and was approved
 * in Baseplan, the document frozen at its latest approval, whatever was edited since; otherwise
 * (a draft, or a plan loaded as approved) the plan as it stands. `approvalId` names an earlier
 * approval's kept document.
 */
export async function servicePlanDocument(
  db: Database,
  slug: string,
  approvalId: number | null = null,
): Promise<ServicePlanDocument> {
  const plan = await findPlanBySlug(db, slug);
  if (!plan) throw new NotFound(`Plan ${slug}`);
  const approvals = (await reportsRepository.listPlanApprovals(db, plan.id)).map(approvalOf);
  const approval =
    approvalId !== null
      ? approvals.find((candidate) => candidate.id === approvalId)
      : plan.status === "approved"
        ? approvals[0]
        : undefined;
  if (approvalId !== null && !approval) throw new NotFound(`Approval ${approvalId} of plan ${slug}`);
  if (!approval)
    return { report: await buildServicePlanReport(db, { plan: slug }), approval: null, approvals };
  const model = await reportsRepository.findApprovedDocument(db, approval.id, "model");
  if (!model) throw new NotFound(`The approved document of plan ${slug}`);
  return { report: reportFromBytes(model), approval, approvals };
}

/** The service plan document for a plan, by its slug (frozen while approved: `servicePlanDocument`). */
export async function servicePlanReport(db: Database, slug: string): Promise<Report> {
  return (await servicePlanDocument(db, slug)).report;
}

/**
 * A service plan's file: from an approval's frozen model, the bytes first produced from it, every
 * time; for a plan not approved in Baseplan, rendered from the plan as it stands.
 */
export async function servicePlanFile(
  db: Database,
  slug: string,
  format: Exclude<ReportFormat, "html">,
  chromium: SharedChromium,
  approvalId: number | null = null,
): Promise<Buffer> {
  const { report, approval } = await servicePlanDocument(db, slug, approvalId);
  if (!approval) return renderReport(report, format, chromium);
  const stored = await reportsRepository.findApprovedDocument(db, approval.id, format);
  if (stored) return stored;
  const content = await renderReport(report, format, chromium);
  await reportsRepository.insertApprovedDocument(db, { approvalId: approval.id, format, content });
  return (await reportsRepository.findApprovedDocument(db, approval.id, format)) ?? content;
}

export function quarterlyFileStem(year: string, quarter: number): string {
  return `quarterly-report-${yearCode(year)}-q${quarter}`;
}

/**
 * The quarter a report address names, when it has a report (budget monitoring, or its period
 * opened); otherwise not found.
 */
async function reportableQuarter(db: Database, year: string, quarter: number): Promise<MonitoringPeriod> {
  if (!Number.isInteger(quarter) || quarter < 1 || quarter > 4) throw new NotFound(`Quarter ${quarter}`);
  const code = yearCode(year);
  const startYear = parseFinancialYearCode(code);
  if (startYear === null) throw new NotFound(`Financial year ${year}`);
  const period = monitoringPeriod(startYear, "quarter", quarter);
  if (!(await reportableQuarters(db)).quarters.some((candidate) => sameMonitoringPeriod(candidate, period))) {
    throw new NotFound(`A quarterly report for quarter ${quarter} of ${code}`);
  }
  return period;
}

/**
 * The period a quarter's frozen copies are kept under: the period its report is made at (the
 * quarter, or the month that ends it in a year monitored monthly), else the quarter itself.
 */
async function frozenUnder(db: Database, quarter: MonitoringPeriod): Promise<MonitoringPeriod> {
  return (await reportPeriod(db, quarter))?.period ?? quarter;
}

/**
 * The quarterly report for a quarter. Once its period is published, the report as it stood when
 * it was published (frozen then) is shown, whatever changes later; until then the live figures.
 */
export async function quarterlyReport(db: Database, year: string, quarter: number): Promise<Report> {
  const period = await reportableQuarter(db, year, quarter);
  const model = await frozenDocument(
    db,
    await frozenUnder(db, period),
    QUARTERLY_DOCUMENT,
    "model",
    async () => reportBytes(await buildPeriodReport(db, period)),
  );
  return reportFromBytes(model);
}

/** A quarterly report's file: for a published quarter, the bytes first produced, every time. */
export async function quarterlyReportFile(
  db: Database,
  year: string,
  quarter: number,
  format: Exclude<ReportFormat, "html">,
  chromium: SharedChromium,
): Promise<Buffer> {
  const report = await quarterlyReport(db, year, quarter);
  const period = await reportableQuarter(db, year, quarter);
  return frozenDocument(db, await frozenUnder(db, period), QUARTERLY_DOCUMENT, format, () =>
    renderReport(report, format, chromium),
  );
}

/**
 * The report as a file in the format asked for; PDF is printed by the shared Chromium.
 * The Word, Excel and PDF renderers (docx, exceljs, playwright-core: about 0.9 s of loading) are
 * loaded on the first download, not at start-up.
 */
export async function renderReport(
  report: Report,
  format: ReportFormat,
  chromium: SharedChromium,
): Promise<Buffer> {
  switch (format) {
    case "html":
      return Buffer.from(renderStandaloneHtml(report), "utf8");
    case "docx":
      return (await import("../../reports/render-docx.ts")).renderDocx(report);
    case "xlsx":
      return (await import("../../reports/render-xlsx.ts")).renderXlsx(report);
    case "pdf":
      return (await import("../../reports/render-pdf.ts")).renderPdf(report, chromium);
  }
}
