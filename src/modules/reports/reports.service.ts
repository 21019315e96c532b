import type { Database } from "../../db/client.ts";
import { NotFound } from "../../errors.ts";
import type { SharedChromium } from "../../reports/chromium.ts";
import type { Report } from "../../reports/model.ts";
import { buildQuarterlyReport, yearCode } from "../../reports/quarterly-report.ts";
import { renderStandaloneHtml } from "../../reports/render-html.ts";
import { buildServicePlanReport, servicePlans } from "../../reports/service-plan-report.ts";
import { listReportQuarters } from "../finance/finance.service.ts";

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

export async function listQuarterlyReports(db: Database): Promise<ReportEntry[]> {
  const quarters = await listReportQuarters(db);
  return quarters.map((quarter) => ({
    kind: "quarterly",
    title: `Performance and budget monitoring, quarter ${quarter.quarter} ${quarter.label}`,
    href: `/reports/quarterly/${quarter.code}/q${quarter.quarter}`,
    fileStem: quarterlyFileStem(quarter.code, quarter.quarter),
  }));
}

export async function listServicePlanReports(db: Database): Promise<ReportEntry[]> {
  return (await servicePlans(db)).map((plan) => ({
    kind: "service-plan",
    title: plan.title,
    href: `/reports/service-plan/${plan.slug}`,
    fileStem: plan.slug,
  }));
}

/** The service plan document for a plan, by its slug. */
export async function servicePlanReport(db: Database, slug: string): Promise<Report> {
  return buildServicePlanReport(db, { plan: slug });
}

export function quarterlyFileStem(year: string, quarter: number): string {
  return `quarterly-report-${yearCode(year)}-q${quarter}`;
}

export async function quarterlyReport(db: Database, year: string, quarter: number): Promise<Report> {
  if (!Number.isInteger(quarter) || quarter < 1 || quarter > 4) throw new NotFound(`Quarter ${quarter}`);
  return buildQuarterlyReport(db, { year: yearCode(year), quarter });
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
