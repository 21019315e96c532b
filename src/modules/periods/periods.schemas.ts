import { z } from "zod";
import {
  MONITORING_FREQUENCIES,
  type MonitoringFrequency,
  type MonitoringPeriod,
  parseFinancialYearCode,
  parseMonitoringPeriod,
} from "../../domain/periods.ts";
import { NotFound } from "../../errors.ts";

/** The period an address names ("/periods/2020-21/q3"), or a 404. */
export function periodParams(params: unknown): MonitoringPeriod {
  const { year, period } = (params ?? {}) as Record<string, string | undefined>;
  const parsed = parseMonitoringPeriod(year, period);
  if (parsed === null) throw new NotFound(`Period ${year ?? ""} ${period ?? ""}`);
  return parsed;
}

const ticked = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((value) => (Array.isArray(value) ? value : value === undefined ? [] : [value]));

export const openYearForm = z.object({
  year: z.string({ error: "Enter the financial year, like 2021/22" }).transform((text, context) => {
    const startYear = parseFinancialYearCode(text);
    if (startYear === null) {
      context.addIssue({
        code: "custom",
        message:
          text.trim() === ""
            ? "Enter the financial year, like 2021/22"
            : `"${text.trim()}" is not a financial year: enter it like 2021/22`,
      });
      return z.NEVER;
    }
    return startYear;
  }),
  carry: ticked,
});

/** The department's monitoring setting: quarterly or monthly, at the version the form was opened. */
export const monitoringSettingForm = z.object({
  version: z.coerce
    .number({ error: "The form was missing its version. Reload the page and try again." })
    .int()
    .positive({ error: "The form was missing its version. Reload the page and try again." }),
  frequency: z.enum(MONITORING_FREQUENCIES as [MonitoringFrequency, ...MonitoringFrequency[]], {
    error: "Select whether the department is monitored quarterly or monthly",
  }),
});

export const statusForm = z.object({
  version: z.coerce.number().int().positive(),
  confirm: z.string().optional(),
});

/** Signing off (version only) and unlocking (version and a reason, checked by the service). */
export const signOffForm = z.object({
  version: z.coerce.number().int().positive(),
  reason: z.string().max(20_000).optional(),
});

const narrativeText = z
  .string()
  .optional()
  .transform((text) => (text ?? "").trim());

/** The report narrative form: every part may be left blank, but not all of them. */
export const narrativeForm = z
  .object({
    version: z.coerce
      .number({ error: "The form was missing its version. Reload the page and try again." })
      .int()
      .min(0, { error: "The form was missing its version. Reload the page and try again." }),
    purpose: narrativeText,
    overview: narrativeText,
    progressSummary: narrativeText,
    keySuccess: narrativeText,
    keyConsideration: narrativeText,
    keyNote: narrativeText,
    varianceExplanations: narrativeText,
    recommendations: narrativeText,
  })
  .superRefine((form, context) => {
    const { version: _version, ...parts } = form;
    if (Object.values(parts).every((text) => text === "")) {
      context.addIssue({
        code: "custom",
        path: ["purpose"],
        message: "Write at least one part of the narrative, such as the purpose of the report",
      });
    }
  });
