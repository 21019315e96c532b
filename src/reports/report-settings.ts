import { z } from "zod";
import type { Database } from "../db/client.ts";
import { monthName } from "../domain/calendar.ts";
import { readSetting, saveSetting } from "../modules/settings/settings.service.ts";

/**
 * What a council writes the same way every quarter: who the report goes to, who wrote and signs
 * it, its standard paragraphs and closing sections. Kept as data in the `settings` table (loaded
 * from data/demo/reports/ for the demo), never in code. Sentences that carry figures are
 * templates whose `{name}` placeholders are filled from the services when a report is built.
 */

export const QUARTERLY_SETTINGS_KEY = "reports.quarterly";

const quarterSettingsSchema = z.object({
  meetingDate: z.string(),
  meetingDateAsWritten: z.string(),
  purpose: z.string(),
  overviewPerformance: z.string(),
  progressSummary: z.string(),
  keyAreas: z.object({
    success: z.array(z.string()),
    consideration: z.array(z.string()),
    note: z.array(z.string()),
  }),
  appendixTitle: z.string(),
  /** The appendix's headings (the council's priorities), each before the first deliverable under it. */
  appendixHeadings: z
    .array(z.object({ heading: z.string(), firstDeliverableAsWritten: z.string() }))
    .default([]),
});

export const quarterlySettingsSchema = z.object({
  key: z.literal(QUARTERLY_SETTINGS_KEY),
  source: z.object({ seedFile: z.string(), document: z.string(), note: z.string() }).optional(),
  councilName: z.string(),
  councilNameAsWritten: z.string().optional(),
  committee: z.string(),
  committeeAsWritten: z.string().optional(),
  portfolio: z.string(),
  department: z.string(),
  jointReportOf: z.string(),
  titleTemplate: z.string(),
  authors: z.string(),
  directors: z.array(z.string()),
  signatories: z.array(z.object({ name: z.string(), role: z.string(), department: z.string() })),
  paragraphs: z.object({
    integratedReporting: z.string(),
    overviewBudget: z.string(),
    performanceSummaryIntro: z.string(),
    furtherInformation: z.string(),
    budgetForecast: z.array(z.string()),
    oneOffIncomeIntro: z.string(),
    forecastTableIntro: z.string(),
    savings: z.array(z.string()),
    savingsAchieved: z.string(),
    growthIntro: z.string(),
    financialRisksIntro: z.string(),
    sensitivityFootnote: z.string(),
    reservesIntro: z.string(),
    debtIntro: z.string(),
    writeOff: z.string(),
    appendixIntro: z.string(),
  }),
  closingSections: z.array(
    z.object({ number: z.string(), title: z.string(), paragraphs: z.array(z.string()) }),
  ),
  quarters: z.record(z.string(), quarterSettingsSchema),
});

export type QuarterlySettings = z.infer<typeof quarterlySettingsSchema>;
export type QuarterSettings = z.infer<typeof quarterSettingsSchema>;

/** "2020-21-q3": the key of one quarter's own paragraphs. */
export function quarterKey(yearCode: string, quarter: number): string {
  return `${yearCode}-q${quarter}`;
}

/** The quarterly report's settings, or null where none have been saved. */
export async function quarterlyReportSettings(db: Database): Promise<QuarterlySettings | null> {
  return readSetting(db, QUARTERLY_SETTINGS_KEY, quarterlySettingsSchema);
}

/** Saves the settings (checked against the schema), audited in the same transaction. */
export async function saveQuarterlyReportSettings(
  db: Database,
  actor: string,
  value: unknown,
): Promise<QuarterlySettings> {
  const parsed = quarterlySettingsSchema.parse(value);
  await saveSetting(db, actor, {
    key: QUARTERLY_SETTINGS_KEY,
    value: parsed,
    summary: "Saved the quarterly report's settings",
  });
  return parsed;
}

/** Fills `{name}` placeholders; a placeholder with no value is an error, never left in a report. */
export function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{([a-zA-Z]+)\}/g, (_match, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`The report template needs a value for {${name}}.`);
    return value;
  });
}

/** The council and department a report is about, by name. */
export interface ReportOrganisation {
  councilName: string;
  department: string;
}

/**
 * Plain settings for a council that has saved none: its own name and department, a title, and
 * standard paragraphs in neutral words, so a quarterly report can be produced from the first
 * period it records. The council replaces them by saving its own settings.
 */
export function defaultQuarterlySettings(organisation: ReportOrganisation): QuarterlySettings {
  const { councilName, department } = organisation;
  return {
    key: QUARTERLY_SETTINGS_KEY,
    councilName,
    committee: "",
    portfolio: department,
    department,
    jointReportOf: "",
    titleTemplate: "Performance and Budget Monitoring {yearLong} as at Quarter {quarter}",
    authors: "",
    directors: [],
    signatories: [],
    paragraphs: {
      integratedReporting: `This report presents both financial and plan performance data for ${department}: progress on the plan's deliverables and measures, then the revenue budget position.`,
      overviewBudget:
        "The budget forecast position for {yearLong} is an {afterFundingDirection} of {afterFundingVariance}. It is forecast that {savingsAchieved} of savings will have been achieved by the year end, against target savings of {savingsTarget} and identified savings initiatives of {savingsIdentified}.",
      performanceSummaryIntro:
        "The following shows an overview for Quarter {quarter} of progress on the plan's deliverables and measures.",
      furtherInformation: "Further information on the plan's performance is included at Appendix A.",
      budgetForecast: [
        "The net controllable budget for {portfolio} is {controllableBudget}.",
        "The budget monitoring for quarter {quarter} forecasts a year-end {direction} of {variance}.",
      ],
      oneOffIncomeIntro:
        "The forecast outturn position includes the following significant items of one-off income:",
      forecastTableIntro: "The areas which make up this forecast are shown in the following table and graph:",
      savings: [
        "Budget reduction targets to be achieved this year total {savingsTarget}, including {priorYearTarget} brought forward from prior years.",
        "The savings initiatives identified for implementation in the current year total {savingsIdentified}.",
      ],
      savingsAchieved:
        "It is forecast that {savingsAchieved} of savings will have been achieved by the year end. The table below shows performance against the target.",
      growthIntro: "The following additional budget allocations were received in {yearLong}:",
      financialRisksIntro: "The following issues could negatively affect the forecast outturn position:",
      sensitivityFootnote:
        "*Sensitivity represents the potential negative impact on the outturn position should the event occur.",
      reservesIntro: "Earmarked reserves totalling {reservesTotal} are held to support future expenditure:",
      debtIntro: "The profile of the debt raised is as follows:",
      writeOff: "In the year up to {writeOffTo} the value of debt written off totals {writeOff}.",
      appendixIntro: "Progress on the plan's deliverables",
    },
    closingSections: [],
    quarters: {},
  };
}

/** The words an officer wrote for one period's report (key areas one a line); blank where not written. */
export interface QuarterNarrative {
  purpose: string;
  overview: string;
  progressSummary: string;
  keySuccess: string;
  keyConsideration: string;
  keyNote: string;
  varianceExplanations: string;
  recommendations: string;
  /** The committee report's other parts; absent or blank where not written. */
  keyDecision?: string;
  keyDecisionReference?: string;
  callInWaived?: string;
  callInReason?: string;
  /** One a line. */
  backgroundPapers?: string;
  authorName?: string;
  authorJobTitle?: string;
  authorContact?: string;
  /** The date of the report, "2031-03-02"; blank where not given. */
  reportDate?: string;
}

/** "2031-03-02" as the council writes a report's date, "2 March 2031"; null when not a date. */
export function reportDateAsWritten(iso: string | undefined): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso ?? "");
  const month = match ? monthName(Number(match[2])) : undefined;
  return match && month ? `${Number(match[3])} ${month} ${match[1]}` : null;
}

/**
 * The author line a report's heading carries, from the narrative: "Author: Sam Patel, Finance
 * Manager (01234 567890)"; null when no author is written (the settings' own line is used).
 */
export function authorLine(narrative: QuarterNarrative | null | undefined): string | null {
  const name = narrative?.authorName?.trim() ?? "";
  if (name === "") return null;
  const title = narrative?.authorJobTitle?.trim() ?? "";
  const contact = narrative?.authorContact?.trim() ?? "";
  return `Author: ${[name, title].filter(Boolean).join(", ")}${contact ? ` (${contact})` : ""}`;
}

function linesOf(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
}

/** An officer's narrative as a quarter's own paragraphs, headed with the quarter for its meeting line. */
export function narrativeAsQuarterSettings(
  narrative: QuarterNarrative,
  quarterLabel: string,
): QuarterSettings {
  return {
    meetingDate: narrative.reportDate ?? "",
    meetingDateAsWritten: reportDateAsWritten(narrative.reportDate) ?? quarterLabel,
    purpose: narrative.purpose.trim(),
    overviewPerformance: narrative.overview.trim(),
    progressSummary: narrative.progressSummary.trim(),
    keyAreas: {
      success: linesOf(narrative.keySuccess),
      consideration: linesOf(narrative.keyConsideration),
      note: linesOf(narrative.keyNote),
    },
    appendixTitle: "",
    appendixHeadings: [],
  };
}
