import { z } from "zod";
import {
  financialYearLabel,
  type MonitoringPeriod,
  monitoringPeriod,
  monitoringPeriodKey,
  monitoringPeriodLabel,
  parseFinancialYearCode,
  parseMonitoringPeriodKey,
} from "../../domain/periods.ts";
import { RATINGS, type RatingKey } from "../../domain/ratings.ts";

const RATING_KEYS = RATINGS.map((rating) => rating.key) as [RatingKey, ...RatingKey[]];

export interface ReportingQuarter {
  /** As the council writes it: "2020/21". */
  financialYear: string;
  quarter: number;
}

/** A reporting quarter from its form value, "2020-21-q3", read by the one period parser. */
export function parseQuarter(value: unknown): ReportingQuarter | null {
  const period = parseMonitoringPeriodKey(value);
  if (period === null || period.kind !== "quarter") return null;
  return { financialYear: financialYearLabel(period.startYear), quarter: period.number };
}

function asPeriod(quarter: ReportingQuarter) {
  const startYear = parseFinancialYearCode(quarter.financialYear);
  if (startYear === null) throw new RangeError(`${quarter.financialYear} is not a financial year`);
  return monitoringPeriod(startYear, "quarter", quarter.quarter);
}

/**
 * The quarters progress on a plan may be recorded for, latest first: every quarter of each
 * financial year that overlaps the years the period names ("2021-2025": 2020/21, which ends in
 * 2021, to 2025/26, which starts in 2025). Deliberately generous: the quarter 3 2020/21 report,
 * written before the 2021-2025 plan, reports on the deliverables the plan carried forward.
 */
export function planQuarters(period: { fromYear: number; toYear: number }): ReportingQuarter[] {
  const quarters: ReportingQuarter[] = [];
  for (let year = period.toYear; year >= period.fromYear - 1; year -= 1) {
    const financialYear = financialYearLabel(year);
    for (const quarter of [4, 3, 2, 1]) quarters.push({ financialYear, quarter });
  }
  return quarters;
}

/** The financial years progress may be recorded for, in words: "2020/21 to 2025/26", or the one year. */
export function planYearsLabel(period: { fromYear: number; toYear: number }): string {
  const quarters = planQuarters(period);
  const first = quarters.at(-1)?.financialYear;
  const last = quarters[0]?.financialYear;
  if (first === undefined || last === undefined) return "no financial year";
  return first === last ? first : `${first} to ${last}`;
}

export function isQuarterInPlan(quarter: ReportingQuarter, period: { fromYear: number; toYear: number }) {
  return planQuarters(period).some(
    (candidate) => candidate.financialYear === quarter.financialYear && candidate.quarter === quarter.quarter,
  );
}

/** A monitoring period's state, as far as progress entry needs it (the periods module's `listPeriods`). */
export interface PeriodEntryState {
  readonly period: MonitoringPeriod;
  readonly status: string;
  readonly locked: boolean;
}

/**
 * The quarters progress may be recorded for now, latest first: a quarter open for entry and not
 * signed off, or, for a year monitored monthly, the quarter of a month that is (progress is held
 * by quarter; month 5 is in quarter 2). The same rule as the periods module's `openQuarters`,
 * over every year at once.
 */
export function openProgressQuarters(states: readonly PeriodEntryState[]): ReportingQuarter[] {
  const found = new Map<string, { startYear: number; quarter: number }>();
  for (const state of states) {
    if (state.status !== "open" || state.locked) continue;
    const { startYear, kind, number } = state.period;
    const quarter = kind === "quarter" ? number : Math.ceil(number / 3);
    found.set(`${startYear}-${quarter}`, { startYear, quarter });
  }
  return [...found.values()]
    .sort((a, b) => b.startYear - a.startYear || b.quarter - a.quarter)
    .map(({ startYear, quarter }) => ({ financialYear: financialYearLabel(startYear), quarter }));
}

/** "2020-21-q3": the period's key, as forms and the database hold it. */
export function quarterValue(quarter: ReportingQuarter): string {
  return monitoringPeriodKey(asPeriod(quarter));
}

/** "Quarter 3 2020/21". */
export function quarterLabel(quarter: ReportingQuarter): string {
  return monitoringPeriodLabel(asPeriod(quarter));
}

export const progressForm = z.object({
  quarter: z
    .string({ message: "Select the quarter this progress is for" })
    .refine((value) => parseQuarter(value) !== null, { message: "Select the quarter this progress is for" })
    .transform((value) => parseQuarter(value) as ReportingQuarter),
  // Any stored rating here; the service refuses one the council's key does not use, in its words.
  rating: z.enum(RATING_KEYS, { message: "Select a rating from the key" }),
  narrative: z
    .string({ message: "Enter the progress narrative" })
    .trim()
    .min(1, { message: "Enter the progress narrative: say what has been done and what is next" })
    .max(10_000, { message: "The progress narrative must be 10,000 characters or fewer" }),
});

export type ProgressForm = z.infer<typeof progressForm>;

const LEVEL = /^[1-5]$/;

/** A likelihood or impact from a select: "" for not assessed, else 1-5. */
function levelField(what: string) {
  return z
    .string()
    .trim()
    .optional()
    .transform((value) => value ?? "")
    .refine((value) => value === "" || LEVEL.test(value), {
      message: `Select the ${what} from 1 (lowest) to 5 (highest), or "Not assessed"`,
    })
    .transform((value) => (value === "" ? null : Number(value)));
}

function text(value: unknown): string {
  return typeof value === "string" ? value.trim() : "";
}

/** Day, month and year as typed into a GOV.UK date input to an ISO date; null when all blank. */
export function readDateParts(
  day: unknown,
  month: unknown,
  year: unknown,
): { ok: true; value: string | null } | { ok: false } {
  const parts = [text(day), text(month), text(year)];
  if (parts.every((part) => part === "")) return { ok: true, value: null };
  if (!parts.every((part) => /^\d+$/.test(part)) || parts[2]?.length !== 4) return { ok: false };
  const [d, m, y] = parts.map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) {
    return { ok: false };
  }
  return { ok: true, value: `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}` };
}

export const riskForm = z
  .object({
    inherentLikelihood: levelField("inherent likelihood"),
    inherentImpact: levelField("inherent impact"),
    residualLikelihood: levelField("residual likelihood"),
    residualImpact: levelField("residual impact"),
    owner: z
      .string()
      .trim()
      .max(200, { message: "The risk owner must be 200 characters or fewer" })
      .optional()
      .transform((value) => (value ? value : null)),
    "reviewDate-day": z.unknown().optional(),
    "reviewDate-month": z.unknown().optional(),
    "reviewDate-year": z.unknown().optional(),
  })
  .superRefine((form, context) => {
    for (const kind of ["inherent", "residual"] as const) {
      const likelihood = form[`${kind}Likelihood`];
      const impact = form[`${kind}Impact`];
      if ((likelihood === null) !== (impact === null)) {
        const missing = likelihood === null ? "Likelihood" : "Impact";
        context.addIssue({
          code: "custom",
          path: [`${kind}${missing}`],
          message: `Select the ${kind} ${missing.toLowerCase()} too: ${kind === "inherent" ? "an" : "a"} ${kind} rating needs both likelihood and impact, or neither`,
        });
      }
    }
    const date = readDateParts(form["reviewDate-day"], form["reviewDate-month"], form["reviewDate-year"]);
    if (!date.ok) {
      context.addIssue({
        code: "custom",
        path: ["reviewDate"],
        message: "The review date must be a real date, for example 31 3 2025",
      });
    }
  })
  .transform((form) => {
    const date = readDateParts(form["reviewDate-day"], form["reviewDate-month"], form["reviewDate-year"]);
    return {
      inherentLikelihood: form.inherentLikelihood,
      inherentImpact: form.inherentImpact,
      residualLikelihood: form.residualLikelihood,
      residualImpact: form.residualImpact,
      owner: form.owner,
      reviewDate: date.ok ? date.value : null,
    };
  });

export type RiskForm = z.infer<typeof riskForm>;

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** An activity's start and end months ("2024-04"), both or neither. */
export const activityMonthsForm = z
  .object({
    startMonth: z
      .string()
      .trim()
      .optional()
      .transform((value) => value ?? "")
      .refine((value) => value === "" || MONTH.test(value), {
        message: "Select the start month from the list",
      }),
    endMonth: z
      .string()
      .trim()
      .optional()
      .transform((value) => value ?? "")
      .refine((value) => value === "" || MONTH.test(value), {
        message: "Select the end month from the list",
      }),
  })
  .superRefine((form, context) => {
    if (form.startMonth === "" && form.endMonth !== "") {
      context.addIssue({
        code: "custom",
        path: ["startMonth"],
        message: 'Select the start month too, or set both to "Not given"',
      });
    }
    if (form.endMonth === "" && form.startMonth !== "") {
      context.addIssue({
        code: "custom",
        path: ["endMonth"],
        message: 'Select the end month too, or set both to "Not given"',
      });
    }
    if (form.startMonth !== "" && form.endMonth !== "" && form.endMonth < form.startMonth) {
      context.addIssue({
        code: "custom",
        path: ["endMonth"],
        message: "The end month must be the same as or after the start month",
      });
    }
  })
  .transform((form) => ({
    startMonth: form.startMonth === "" ? null : form.startMonth,
    endMonth: form.endMonth === "" ? null : form.endMonth,
  }));

export const leadsForm = z.object({
  leads: z
    .string({ message: "Enter at least one lead officer" })
    .transform((value) =>
      value
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter((line) => line.length > 0),
    )
    .refine((leads) => leads.length > 0, { message: "Enter at least one lead officer, one per line" }),
});

export type ActivityMonthsForm = z.infer<typeof activityMonthsForm>;

const KEY_VERSION_MISSING = "The form was missing its version. Reload the page and try again.";

/** The levels of the key form, in its order: the five stored ratings, best first. */
export const KEY_FORM_RATINGS: readonly RatingKey[] = RATING_KEYS;

/**
 * The council's key for deliverable progress as its form sends it (decision 0042): for each
 * stored rating, the council's words (blank where it does not use that level) and the meaning.
 * At least two levels, no two with the same words, no meaning without words.
 */
export const deliverableKeyForm = z
  .object({
    version: z.coerce
      .number({ error: KEY_VERSION_MISSING })
      .int({ error: KEY_VERSION_MISSING })
      .nonnegative({ error: KEY_VERSION_MISSING }),
    ...Object.fromEntries(
      KEY_FORM_RATINGS.flatMap((rating) => [
        [
          `${rating}-words`,
          z
            .string()
            .trim()
            .max(60, { error: "The words for a level must be 60 characters or fewer" })
            .optional()
            .default(""),
        ],
        [
          `${rating}-meaning`,
          z
            .string()
            .trim()
            .max(500, { error: "The meaning of a level must be 500 characters or fewer" })
            .optional()
            .default(""),
        ],
      ]),
    ),
  })
  .superRefine((form, context) => {
    const values = form as unknown as Record<string, string>;
    const seen = new Map<string, RatingKey>();
    let used = 0;
    for (const rating of KEY_FORM_RATINGS) {
      const words = (values[`${rating}-words`] ?? "").replace(/\s+/g, " ");
      if (words === "") {
        if ((values[`${rating}-meaning`] ?? "") !== "") {
          context.addIssue({
            code: "custom",
            path: [`${rating}-words`],
            message: "Enter the words for this level, or clear its meaning if the council does not use it",
          });
        }
        continue;
      }
      used += 1;
      if (seen.has(words.toLowerCase())) {
        context.addIssue({
          code: "custom",
          path: [`${rating}-words`],
          message: `"${words}" already names another level: give each level its own words`,
        });
      }
      seen.set(words.toLowerCase(), rating);
    }
    if (used < 2) {
      context.addIssue({
        code: "custom",
        path: [`${KEY_FORM_RATINGS[0]}-words`],
        message: "Enter the words for at least two levels: a key needs two or more",
      });
    }
  })
  .transform((form) => {
    const values = form as unknown as Record<string, string>;
    return {
      version: form.version,
      levels: KEY_FORM_RATINGS.flatMap((rating) => {
        const words = (values[`${rating}-words`] ?? "").replace(/\s+/g, " ");
        return words === "" ? [] : [{ rating, words, meaning: values[`${rating}-meaning`] ?? "" }];
      }),
    };
  });

export type DeliverableKeyForm = z.infer<typeof deliverableKeyForm>;
