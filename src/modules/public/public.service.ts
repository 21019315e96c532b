import { z } from "zod";
import type { Database } from "../../db/client.ts";
import { MEASURE_UNIT_WORDS, POLARITY_WORDS } from "../../domain/measure-types.ts";
import {
  compareMonitoringPeriods,
  financialYearCode,
  isQuarterEnd,
  type MonitoringPeriod,
  monitoringPeriod,
  monitoringPeriodLabel,
  parseFinancialYearCode,
  quarterOf,
} from "../../domain/periods.ts";
import type { MeasureRating } from "../../domain/ratings.ts";
import { Conflict, NotFound } from "../../errors.ts";
import type { SharedChromium } from "../../reports/chromium.ts";
import type { Report } from "../../reports/model.ts";
import { periodMeasureRatings, publicMeasures } from "../measures/measures.service.ts";
import { listPeriods, monitoredOrganisation, type PeriodState } from "../periods/periods.service.ts";
import {
  quarterlyFileStem,
  quarterlyReport,
  quarterlyReportFile,
  type ReportFormat,
  reportPeriod,
} from "../reports/reports.service.ts";
import { readSettingAndVersion, saveSetting } from "../settings/settings.service.ts";

/**
 * What the council publishes, for the pages anyone can read without signing in (/public): the
 * quarterly reports of published periods, as they were frozen when first read after publishing,
 * and the measures the council marks public with their figures for published periods only.
 * Nothing from a period that is open or closed for entry is read here, and no officer's name is
 * given unless the council chooses to show them (the public pages setting, off until changed).
 */

const SETTING_KEY = "public-pages";
const settingValue = z.object({ showOfficerNames: z.boolean() });

export interface PublicPagesSetting {
  /** Whether officers' names (a measure's owner, who published a period) are shown. */
  showOfficerNames: boolean;
  /** The setting's version (0 before it is first saved), for the form's stale-edit check. */
  version: number;
}

/** The council's choice for the public pages: officers' names are hidden until it chooses otherwise. */
export async function publicPagesSetting(db: Database): Promise<PublicPagesSetting> {
  const { value, version } = await readSettingAndVersion(db, SETTING_KEY);
  const parsed = settingValue.safeParse(value);
  return { showOfficerNames: parsed.success ? parsed.data.showOfficerNames : false, version };
}

const NAMES_WORDS = (show: boolean) => (show ? "Shown" : "Not shown");

/**
 * Changes whether officers' names are shown on the public pages. Version-checked (a form opened
 * before someone else saved is refused, nothing changed) and audited.
 */
export async function changePublicPagesSetting(
  db: Database,
  actor: string,
  input: { showOfficerNames: boolean; version: number },
): Promise<void> {
  await db.transaction(async (tx) => {
    const current = await publicPagesSetting(tx);
    if (current.version !== input.version) {
      throw new Conflict(
        "The public pages setting",
        [
          {
            label: "Officers' names on the public pages",
            saved: NAMES_WORDS(current.showOfficerNames),
            submitted: NAMES_WORDS(input.showOfficerNames),
          },
        ],
        "/settings/public-pages",
      );
    }
    await saveSetting(tx, actor, {
      key: SETTING_KEY,
      value: { showOfficerNames: input.showOfficerNames },
      summary: input.showOfficerNames
        ? "Officers' names are shown on the public pages"
        : "Officers' names are not shown on the public pages",
    });
  });
}

/** The council and department the public pages are about, or null before one is set up. */
export function publicOrganisation(db: Database) {
  return monitoredOrganisation(db);
}

/** The published periods, in date order. */
async function publishedPeriods(db: Database): Promise<PeriodState[]> {
  return (await listPeriods(db)).filter((state) => state.status === "published");
}

export interface PublishedReport {
  title: string;
  href: string;
  fileStem: string;
  periodLabel: string;
  publishedAt: Date | null;
  /** Who published it: null unless the council shows officers' names. */
  publishedBy: string | null;
}

function reportHref(quarter: MonitoringPeriod): string {
  return `/public/reports/quarterly/${financialYearCode(quarter.startYear)}/q${quarter.number}`;
}

/**
 * The quarterly reports of published periods (a quarter, or in a year monitored monthly the
 * month that ends a quarter), newest first.
 */
export async function publishedReports(db: Database, showOfficerNames: boolean): Promise<PublishedReport[]> {
  const states = (await publishedPeriods(db)).filter((state) => isQuarterEnd(state.period));
  return states
    .map((state) => {
      const quarter = quarterOf(state.period);
      const code = financialYearCode(quarter.startYear);
      return {
        title: `Performance and budget monitoring, ${monitoringPeriodLabel(quarter).toLowerCase()}`,
        href: reportHref(quarter),
        fileStem: quarterlyFileStem(code, quarter.number),
        periodLabel: state.label,
        publishedAt: state.publishedAt,
        publishedBy: showOfficerNames ? state.publishedBy : null,
        quarter,
      };
    })
    .sort((a, b) => compareMonitoringPeriods(b.quarter, a.quarter))
    .map(({ quarter: _quarter, ...report }) => report);
}

/** The quarter an address names, if its report's period is published; NotFound otherwise. */
async function publishedQuarter(db: Database, year: string, quarter: number): Promise<MonitoringPeriod> {
  const startYear = parseFinancialYearCode(year);
  if (startYear === null || !Number.isInteger(quarter) || quarter < 1 || quarter > 4) {
    throw new NotFound(`A published report for ${year} quarter ${quarter}`);
  }
  const period = monitoringPeriod(startYear, "quarter", quarter);
  const state = await reportPeriod(db, period);
  if (state?.status !== "published")
    throw new NotFound(`A published report for ${monitoringPeriodLabel(period)}`);
  return period;
}

/** A published quarter's report, as frozen at its first reading after publishing. */
export async function publishedReport(db: Database, year: string, quarter: number): Promise<Report> {
  await publishedQuarter(db, year, quarter);
  return quarterlyReport(db, year, quarter);
}

/** A published quarter's report as a file: the bytes first produced after publishing, every time. */
export async function publishedReportFile(
  db: Database,
  year: string,
  quarter: number,
  format: Exclude<ReportFormat, "html">,
  chromium: SharedChromium,
): Promise<Buffer> {
  await publishedQuarter(db, year, quarter);
  return quarterlyReportFile(db, year, quarter, format, chromium);
}

/** A public measure's figures for one published period: as recorded, with Baseplan's rating. */
export interface PublicFigure {
  periodLabel: string;
  /** The value as recorded ("87.5%"), or null where none was recorded for the period. */
  value: string | null;
  target: string | null;
  rating: MeasureRating;
}

export interface PublicMeasure {
  id: number;
  href: string;
  title: string;
  code: string | null;
  definition: string | null;
  unitWords: string | null;
  polarityWords: string | null;
  frequency: string | null;
  source: string | null;
  /** The measure's owner: null unless the council shows officers' names. */
  owner: string | null;
  /** Newest first. */
  figures: PublicFigure[];
}

/**
 * The public measures with their figures for every published period they are reported in,
 * newest first. Values and ratings of periods not published are never read.
 */
export async function publicMeasureFigures(
  db: Database,
  showOfficerNames: boolean,
): Promise<PublicMeasure[]> {
  const measures = await publicMeasures(db);
  if (measures.length === 0) return [];
  const ids = new Set(measures.map((measure) => measure.id));
  const figures = new Map<number, PublicFigure[]>();
  for (const state of (await publishedPeriods(db)).reverse()) {
    for (const item of await periodMeasureRatings(db, state.period)) {
      if (!ids.has(item.measure.id)) continue;
      const list = figures.get(item.measure.id) ?? [];
      list.push({
        periodLabel: state.label,
        value: item.value?.cellText ?? null,
        target: item.target?.targetText ?? null,
        rating: item.rating,
      });
      figures.set(item.measure.id, list);
    }
  }
  return measures.map((measure) => ({
    id: measure.id,
    href: `/public/measures/${measure.id}`,
    title: measure.title,
    code: measure.code,
    definition: measure.definition,
    unitWords: measure.unit === null ? null : MEASURE_UNIT_WORDS[measure.unit].name,
    polarityWords: measure.polarity === null ? null : POLARITY_WORDS[measure.polarity],
    frequency: measure.frequency,
    source: measure.source,
    owner: showOfficerNames ? measure.owner : null,
    figures: figures.get(measure.id) ?? [],
  }));
}

/** One public measure with its published figures; NotFound for a measure not public (or archived). */
export async function publicMeasure(
  db: Database,
  id: number,
  showOfficerNames: boolean,
): Promise<PublicMeasure> {
  const found = (await publicMeasureFigures(db, showOfficerNames)).find((measure) => measure.id === id);
  if (!found) throw new NotFound(`Public measure ${id}`);
  return found;
}
