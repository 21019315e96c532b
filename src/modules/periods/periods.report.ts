import type { Database } from "../../db/client.ts";
import {
  compareMonitoringPeriods,
  financialYearCode,
  isQuarterEnd,
  type MonitoringPeriod,
  quarterOf,
  sameMonitoringPeriod,
} from "../../domain/periods.ts";
import type { Report } from "../../reports/model.ts";
import { buildQuarterlyReport } from "../../reports/quarterly-report.ts";
import { reportNarrative } from "./periods.narrative.ts";
import { listPeriods, monitoredOrganisation, type PeriodState, quarterEndMonth } from "./periods.service.ts";

/** The name a quarterly report's frozen copies are kept under. */
export const QUARTERLY_DOCUMENT = "quarterly-report";

/**
 * The quarter whose report a period makes: a quarter its own, a month that ends a quarter (in a
 * year monitored monthly) that quarter's; null for any other month.
 */
export function reportQuarterOf(period: MonitoringPeriod): MonitoringPeriod | null {
  if (period.kind === "quarter") return period;
  return isQuarterEnd(period) ? quarterOf(period) : null;
}

/**
 * The opened period a quarter's report is made at: the quarter itself, or in a year monitored
 * monthly the month that ends it; undefined when neither is opened.
 */
export function periodOfReport(
  opened: readonly PeriodState[],
  quarter: MonitoringPeriod,
): PeriodState | undefined {
  return (
    opened.find((candidate) => sameMonitoringPeriod(candidate.period, quarter)) ??
    opened.find(
      (candidate) =>
        candidate.period.kind === "month" &&
        isQuarterEnd(candidate.period) &&
        sameMonitoringPeriod(quarterOf(candidate.period), quarter),
    )
  );
}

/**
 * In a year monitored monthly, the latest opened month of a quarter whose report month (the one
 * ending it) is not opened yet: the quarter is in progress. Undefined when the report's period is
 * opened, or no month of the quarter is.
 */
export function monthInProgress(
  opened: readonly PeriodState[],
  quarter: MonitoringPeriod,
): PeriodState | undefined {
  if (quarter.kind !== "quarter" || periodOfReport(opened, quarter)) return undefined;
  return opened
    .filter(
      (candidate) =>
        candidate.period.kind === "month" && sameMonitoringPeriod(quarterOf(candidate.period), quarter),
    )
    .sort((a, b) => compareMonitoringPeriods(a.period, b.period))
    .at(-1);
}

/**
 * A quarter's monitoring report model from the data as it stands: the one builder for the live
 * report and for the copy frozen when its period is published, so both show the same figures.
 */
export async function buildPeriodReport(db: Database, quarter: MonitoringPeriod): Promise<Report> {
  const organisation = await monitoredOrganisation(db);
  const state = periodOfReport(await listPeriods(db), quarter);
  const narrative = state ? await reportNarrative(db, state.period) : null;
  return buildQuarterlyReport(db, {
    year: financialYearCode(quarter.startYear),
    quarter: quarter.number,
    organisation,
    narrative,
    budgetMonth: await quarterEndMonth(db, quarter),
  });
}

/** A report model as the bytes it is frozen as; `reportFromBytes` reads them back. */
export function reportBytes(report: Report): Buffer {
  return Buffer.from(JSON.stringify(report), "utf8");
}

export function reportFromBytes(bytes: Buffer): Report {
  return JSON.parse(bytes.toString("utf8")) as Report;
}
