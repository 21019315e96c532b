import { z } from "zod";
import { MONTH_NAMES } from "../../domain/calendar.ts";
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

export const DATE_PARTS = ["day", "month", "year"] as const;
export type DatePart = (typeof DATE_PARTS)[number];
export type DateParts = Partial<Record<DatePart, string>>;

export type DateReading =
  | { ok: true; iso: string | null }
  | { ok: false; message: string; parts: DatePart[] };

/** "3", "Mar" or "March" is 3; "marsh" is not a month. */
function monthNumber(text: string): number | null {
  if (/^\d{1,2}$/.test(text)) return Number(text);
  const lower = text.toLowerCase();
  const index =
    lower.length >= 3 ? MONTH_NAMES.findIndex((name) => name.toLowerCase().startsWith(lower)) : -1;
  return index >= 0 ? index + 1 : null;
}

function partList(parts: DatePart[]): string {
  return parts.length === 1 ? `a ${parts[0]}` : `a ${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}`;
}

/**
 * A date typed in the GOV.UK date input (day, month and year boxes) to an ISO date, or the GOV.UK
 * message for what is wrong and which boxes to highlight: "Enter the estimated start date",
 * "Estimated start date must include a month", "Year must include 4 numbers", "Estimated start
 * date must be a real date". A month may be written as a number or a name ("3", "Mar", "March").
 */
export function readDateParts(input: DateParts, what: string, required: boolean): DateReading {
  const What = what.charAt(0).toUpperCase() + what.slice(1);
  const text = {
    day: (input.day ?? "").trim(),
    month: (input.month ?? "").trim(),
    year: (input.year ?? "").trim(),
  };
  const missing = DATE_PARTS.filter((part) => text[part] === "");
  if (missing.length === 3) {
    return required
      ? { ok: false, message: `Enter the ${what}`, parts: [...DATE_PARTS] }
      : { ok: true, iso: null };
  }
  if (missing.length > 0)
    return { ok: false, message: `${What} must include ${partList(missing)}`, parts: missing };
  const day = /^\d{1,2}$/.test(text.day) ? Number(text.day) : null;
  const month = monthNumber(text.month);
  const wrong: DatePart[] = [
    ...(day === null ? ["day" as const] : []),
    ...(month === null ? ["month" as const] : []),
  ];
  if (!/^\d+$/.test(text.year)) wrong.push("year");
  if (wrong.length > 0) return { ok: false, message: `${What} must be a real date`, parts: wrong };
  if (!/^\d{4}$/.test(text.year))
    return { ok: false, message: "Year must include 4 numbers", parts: ["year"] };
  const iso = `${text.year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
  if (isIsoDate(iso)) return { ok: true, iso };
  const monthWrong = month === null || month < 1 || month > 12;
  return { ok: false, message: `${What} must be a real date`, parts: monthWrong ? ["month"] : ["day"] };
}

/** An ISO date to the boxes of the date input: "2025-04-01" is 1, 4, 2025. */
export function datePartsOf(iso: string | null | undefined): DateParts {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso ?? "");
  if (!match) return { day: "", month: "", year: "" };
  return { day: String(Number(match[3])), month: String(Number(match[2])), year: match[1] };
}

/**
 * The date input's boxes as the form posts them ("estimatedStartDate-day" and so on), gathered
 * into one value per date. A date sent as one text ("1/4/2025" or "2025-04-01") is kept as it is.
 */
export function gatherDateParts(body: unknown, names: readonly string[]): unknown {
  if (typeof body !== "object" || body === null) return body;
  const record = body as Record<string, unknown>;
  const gathered: Record<string, unknown> = { ...record };
  for (const name of names) {
    if (!DATE_PARTS.some((part) => `${name}-${part}` in record)) continue;
    const parts: DateParts = {};
    for (const part of DATE_PARTS) {
      const value = record[`${name}-${part}`];
      parts[part] = typeof value === "string" ? value : "";
    }
    gathered[name] = parts;
  }
  return gathered;
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

/** A short optional text (a division, a duration as written): at most `max` characters. */
function shortOptionalText(label: string, max: number) {
  return z
    .string()
    .trim()
    .max(max, `${label} must be ${max.toLocaleString("en-GB")} characters or fewer`)
    .optional()
    .transform((value) => (value ? value : null));
}

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

/** A date from the GOV.UK date input, or typed as one text as before; GOV.UK's messages. */
function datePartsField(what: string, example: string, required: boolean) {
  const single = dateField(what, example, required);
  const parts = z.object({ day: z.string(), month: z.string(), year: z.string() });
  return z
    .union([parts, z.string(), z.null()])
    .optional()
    .transform((value, context) => {
      if (typeof value === "object" && value !== null) {
        const reading = readDateParts(value, what, required);
        if (reading.ok) return reading.iso;
        context.addIssue({ code: "custom", message: reading.message, path: [reading.parts[0] ?? "day"] });
        return z.NEVER;
      }
      const parsed = single.safeParse(value ?? undefined);
      if (parsed.success) return parsed.data;
      for (const issue of parsed.error.issues) context.addIssue({ code: "custom", message: issue.message });
      return z.NEVER;
    });
}

/** The add and edit form of a planned procurement. */
export const PROCUREMENT_DATE_FIELDS = ["estimatedStartDate", "expectedCommencementDate"] as const;

export const procurementFormSchema = z.preprocess(
  (body) => gatherDateParts(body, PROCUREMENT_DATE_FIELDS),
  z.object({
    title: z
      .string({ error: "Enter the contract title" })
      .trim()
      .min(1, "Enter the contract title")
      .max(500, "The contract title must be 500 characters or fewer"),
    description: optionalText,
    estimatedValue: z
      .string()
      .trim()
      .max(200, "The estimated value must be 200 characters or fewer")
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
    durationText: shortOptionalText("The duration", 200),
    estimatedStartDate: datePartsField("estimated start date", "1/4/2025", true),
    expectedCommencementDate: datePartsField("expected commencement date", "1/2/2025", false),
    category: z.enum(CATEGORIES, { error: "Select what is being bought" }),
    department: z
      .string({ error: "Enter the department" })
      .trim()
      .min(1, "Enter the department")
      .max(200, "The department must be 200 characters or fewer"),
    division: shortOptionalText("The division", 200),
    status: z.enum(STATUSES, { error: "Select the status" }),
    notes: optionalText,
  }),
);

export type ProcurementForm = z.output<typeof procurementFormSchema>;

/** An amount in pounds that cannot be negative: a threshold, the reporting floor, payments expected. */
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
      if (parsed.pence < 0) {
        context.addIssue({ code: "custom", message: `The ${what} must not be negative` });
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
  note: shortOptionalText("The note", 1_000),
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
