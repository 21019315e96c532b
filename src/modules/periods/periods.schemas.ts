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
  frequency: z.enum(MONITORING_FREQUENCIES as [MonitoringFrequency, ...MonitoringFrequency[]], {
    error: "Select whether the year is monitored quarterly or monthly",
  }),
  carry: ticked,
});

export const statusForm = z.object({
  version: z.coerce.number().int().positive(),
  confirm: z.string().optional(),
});
