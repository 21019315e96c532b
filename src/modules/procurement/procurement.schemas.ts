import { z } from "zod";
import { parseMoney } from "../../domain/money.ts";
import { isIsoDate } from "../../domain/procurement.ts";

/** What is being bought, as stored; "light-touch" is the light-touch regime's services. */
export const CATEGORIES = ["goods", "services", "works", "light-touch"] as const;
export type Category = (typeof CATEGORIES)[number];
export const CATEGORY_NAMES: Record<Category, string> = {
  goods: "Goods",
  services: "Services",
  works: "Works",
  "light-touch": "Light-touch services",
};

export const STATUSES = ["planned", "advertised", "awarded", "withdrawn"] as const;
export type Status = (typeof STATUSES)[number];
export const STATUS_NAMES: Record<Status, string> = {
  planned: "Planned",
  advertised: "Advertised",
  awarded: "Awarded",
  withdrawn: "Withdrawn",
};

const DAY_MONTH_YEAR = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;

/** "2025-03-01" or "1/3/2025" (as the seed writes dates) to an ISO date; null when not a real date. */
export function parseDateText(text: string): string | null {
  const trimmed = text.trim();
  if (isIsoDate(trimmed)) return trimmed;
  const match = DAY_MONTH_YEAR.exec(trimmed);
  if (!match) return null;
  const iso = `${match[3]}-${match[2]?.padStart(2, "0")}-${match[1]?.padStart(2, "0")}`;
  return isIsoDate(iso) ? iso : null;
}

/** "(up to 4 years)" is 48 months, "18 months" is 18; null when the text gives no length. */
export function durationMonthsOf(text: string): number | null {
  const match = /(\d+)\s*(year|month)s?/i.exec(text);
  if (!match) return null;
  const count = Number(match[1]);
  return match[2]?.toLowerCase() === "year" ? count * 12 : count;
}

const optionalText = z
  .string()
  .trim()
  .optional()
  .transform((value) => (value ? value : null));

function dateField(what: string, example: string, required: boolean) {
  return z
    .string()
    .trim()
    .optional()
    .transform((value, context) => {
      if (!value) {
        if (required)
          context.addIssue({ code: "custom", message: `Enter the ${what}, for example ${example}` });
        return null;
      }
      const iso = parseDateText(value);
      if (iso === null) {
        context.addIssue({
          code: "custom",
          message: `The ${what} must be a real date, for example ${example}; "${value}" is not`,
        });
        return null;
      }
      return iso;
    });
}

/** The add and edit form of a planned procurement. */
export const procurementFormSchema = z.object({
  title: z.string({ error: "Enter the contract title" }).trim().min(1, "Enter the contract title"),
  description: optionalText,
  estimatedValue: z
    .string()
    .trim()
    .optional()
    .transform((value, context) => {
      if (!value) {
        context.addIssue({
          code: "custom",
          message:
            "Enter the estimated whole-life value in pounds, like £210,000 or Approx. Lifetime costs 150,000.00",
        });
        return z.NEVER;
      }
      const parsed = parseMoney(value);
      if (!parsed.ok) {
        context.addIssue({
          code: "custom",
          message: `The estimated value must be an amount in pounds, like £210,000: ${parsed.reason}`,
        });
        return z.NEVER;
      }
      if (parsed.pence < 0) {
        context.addIssue({ code: "custom", message: "The estimated value must not be negative" });
        return z.NEVER;
      }
      return { text: value, pence: parsed.pence, basis: parsed.note ?? null };
    }),
  durationText: optionalText,
  estimatedStartDate: dateField("estimated start date", "1/4/2025", true),
  expectedCommencementDate: dateField("expected commencement date", "1/2/2025", false),
  category: z.enum(CATEGORIES, { error: "Select what is being bought" }),
  department: z.string({ error: "Enter the department" }).trim().min(1, "Enter the department"),
  division: optionalText,
  status: z.enum(STATUSES, { error: "Select the status" }),
  notes: optionalText,
});

export type ProcurementForm = z.output<typeof procurementFormSchema>;

function amountField(what: string) {
  return z
    .string()
    .trim()
    .optional()
    .transform((value, context) => {
      const parsed = value ? parseMoney(value, { allowNote: false }) : null;
      if (parsed === null || !parsed.ok) {
        context.addIssue({
          code: "custom",
          message: `Enter the ${what} in pounds, like £214,904${parsed && !parsed.ok ? `: ${parsed.reason}` : ""}`,
        });
        return z.NEVER;
      }
      return parsed.pence;
    });
}

/** A new row of the threshold table. */
export const thresholdFormSchema = z.object({
  inForceFrom: dateField("date it comes into force", "1/1/2028", true),
  inForceUntil: dateField("last day it is in force", "31/12/2029", false),
  goodsAndServices: amountField("goods and services threshold"),
  works: amountField("works threshold"),
  lightTouchServices: amountField("light-touch services threshold"),
  note: optionalText,
});

export type ThresholdForm = z.output<typeof thresholdFormSchema>;

export const reportingFloorFormSchema = z.object({
  reportingFloor: amountField("reporting floor"),
});

export const expectedPaymentsFormSchema = z.object({
  expectedPayments: amountField("expected payments under contracts in the year"),
});

/** The forward plan's filters and sort, from the query string; anything unknown is ignored. */
export const forwardPlanQuerySchema = z.object({
  band: z.enum(["floor-to-threshold", "above-threshold", "below-floor"]).optional().catch(undefined),
  year: z.coerce.number().int().min(1000).max(9998).optional().catch(undefined),
  status: z.enum(STATUSES).optional().catch(undefined),
  sort: z.enum(["title", "value", "start", "status"]).optional().catch(undefined),
  order: z.enum(["asc", "desc"]).optional().catch(undefined),
});

export type ForwardPlanQuery = z.output<typeof forwardPlanQuerySchema>;
