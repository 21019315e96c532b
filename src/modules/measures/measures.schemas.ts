import { z } from "zod";

/** The words of a value cell, kept as written: anything Baseplan cannot read is flagged, never refused. */
export const valueEditSchema = z.object({
  cellText: z
    .string({ message: "Enter the value as written, like 87.2% (Dec 20) or N/Av" })
    .trim()
    .min(1, "Enter the value as written, like 87.2% (Dec 20) or N/Av")
    .max(500, "The value must be 500 characters or fewer"),
});

export const targetEditSchema = z.object({
  targetText: z
    .string({ message: "Enter the target as written, like Less than 810 or 95% or above" })
    .trim()
    .min(1, "Enter the target as written, like Less than 810 or 95% or above")
    .max(500, "The target must be 500 characters or fewer"),
});

/** The most characters a pasted table may hold. */
export const MAX_PASTED_TABLE_LENGTH = 200_000;

export const importSchema = z.object({
  table: z
    .string({ message: "Paste the table copied from Word or Excel" })
    .min(1, "Paste the table copied from Word or Excel")
    .max(MAX_PASTED_TABLE_LENGTH, "The table must be 200,000 characters or fewer: paste it in parts"),
  document: z
    .string({ message: "Enter the document the table comes from" })
    .trim()
    .min(1, "Enter the document the table comes from, like service-plan-2021-2025")
    .max(200, "The document must be 200 characters or fewer"),
  groupKind: z.enum(["priority", "theme", "outcome", "report"], {
    message: "Choose whether the table sits under a priority, theme, outcome or report section",
  }),
  groupTitle: z
    .string({ message: "Enter the priority, theme or outcome the table sits under" })
    .trim()
    .min(1, "Enter the priority, theme or outcome the table sits under")
    .max(500, "The priority, theme or outcome must be 500 characters or fewer"),
  reportingPeriod: z
    .string()
    .trim()
    .max(60, "The reporting period must be 60 characters or fewer, like Q3 2024/25")
    .optional()
    .default(""),
  action: z.enum(["preview", "save"]).default("preview"),
});

/** The upload form: the same as a paste, with a file in place of the pasted table. */
export const uploadSchema = importSchema.omit({ table: true, action: true });

export const listFilterSchema = z.object({
  rating: z.enum(["strong", "good", "review", "action", "not-available", ""]).optional(),
  group: z.string().regex(/^\d*$/).optional(),
});

const optionalText = (label: string, max = 500) =>
  z
    .string()
    .trim()
    .max(max, `${label} must be ${max.toLocaleString("en-GB")} characters or fewer`)
    .optional()
    .transform((value) => (value === undefined || value === "" ? null : value));

/** Words for the unit and polarity choices on the details form, in the order shown. */
export const UNIT_CHOICES = [
  { value: "percent", text: "Percentage (87.2%)" },
  { value: "count", text: "Count (909)" },
  { value: "days", text: "Days (423 days)" },
  { value: "money", text: "Money (£155,000)" },
  { value: "rate-per-10k", text: "Rate per 10,000 population (58 per 10K pop)" },
  { value: "percentage-points", text: "Percentage points (a gap, 28.1)" },
  { value: "decimal-rate", text: "Rate with decimals (0.14)" },
] as const;

export const POLARITY_CHOICES = [
  { value: "higher-is-better", text: "Higher is better" },
  { value: "lower-is-better", text: "Lower is better" },
  { value: "within-range", text: "Within a range is best" },
  { value: "monitor", text: "Monitored only: not rated" },
] as const;

const unitValues = UNIT_CHOICES.map((choice) => choice.value) as [string, ...string[]];
const polarityValues = POLARITY_CHOICES.map((choice) => choice.value) as [string, ...string[]];

/** A measure's details: everything Baseplan needs to read its values and rate it. */
export const measureDetailsSchema = z.object({
  title: z
    .string({ message: "Enter the measure's title as the documents write it" })
    .trim()
    .min(1, "Enter the measure's title as the documents write it")
    .max(500, "The title must be 500 characters or fewer"),
  code: optionalText("The code", 50),
  definition: optionalText("The definition", 5000),
  unit: z.enum(unitValues, { message: "Choose the unit the measure's values are in" }),
  decimals: z
    .string({ message: "Enter the number of decimal places, like 1 for 87.2%" })
    .trim()
    .optional()
    .transform((value, context) => {
      if (value === undefined || value === "") return null;
      if (!/^\d$/.test(value)) {
        context.addIssue({
          code: "custom",
          message: "Decimal places must be a whole number from 0 to 9, like 1 for 87.2%",
        });
        return z.NEVER;
      }
      return Number(value);
    }),
  polarity: z.enum(polarityValues, { message: "Choose which direction is good for this measure" }),
  frequency: optionalText("The frequency", 100),
  basis: optionalText("The period basis", 200),
  source: optionalText("The source", 500),
  owner: optionalText("The owner", 200),
});
