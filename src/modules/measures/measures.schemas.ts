import { z } from "zod";
import {
  MEASURE_UNIT_WORDS,
  MEASURE_UNITS,
  POLARITIES,
  POLARITY_WORDS,
  VALUE_STATUSES,
} from "../../domain/measure-types.ts";
import { versionField } from "../../web/forms.ts";

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

/** The longest search the measures list takes. */
export const MAX_SEARCH_LENGTH = 200;

/**
 * The measures list's filter as the address carries it: any number of ratings (`rating=review&
 * rating=action`), one group, a search. Which ratings and groups exist is the route's to check.
 */
export const listFilterSchema = z.object({
  rating: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((asked) => (asked === undefined ? [] : [asked].flat().filter((key) => key !== ""))),
  group: z.string().optional(),
  /** Only the rows whose council's printed rating disagrees with Baseplan's. */
  printed: z.enum(["differs"]).optional(),
  q: z
    .string()
    .trim()
    .max(MAX_SEARCH_LENGTH, `Search must be ${MAX_SEARCH_LENGTH} characters or fewer`)
    .optional(),
});

const optionalText = (label: string, max = 500) =>
  z
    .string()
    .trim()
    .max(max, `${label} must be ${max.toLocaleString("en-GB")} characters or fewer`)
    .optional()
    .transform((value) => (value === undefined || value === "" ? null : value));

/** The unit and polarity choices on the details form, in the domain's order and words. */
export const UNIT_CHOICES = MEASURE_UNITS.map((value) => ({
  value,
  text: `${MEASURE_UNIT_WORDS[value].name} (${MEASURE_UNIT_WORDS[value].example})`,
}));

export const POLARITY_CHOICES = POLARITIES.map((value) => ({ value, text: POLARITY_WORDS[value] }));

/** A measure's details: everything Baseplan needs to read its values and rate it. */
export const measureDetailsSchema = z.object({
  title: z
    .string({ message: "Enter the measure's title as the documents write it" })
    .trim()
    .min(1, "Enter the measure's title as the documents write it")
    .max(500, "The title must be 500 characters or fewer"),
  code: optionalText("The code", 50),
  definition: optionalText("The definition", 5000),
  unit: z.enum(MEASURE_UNITS, { message: "Choose the unit the measure's values are in" }),
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
  polarity: z.enum(POLARITIES, { message: "Choose which direction is good for this measure" }),
  frequency: optionalText("The frequency", 100),
  basis: optionalText("The period basis", 200),
  source: optionalText("The source", 500),
  owner: optionalText("The owner", 200),
});

/** A measure's value for a monitoring period, with its status and notes. */
export const periodValueSchema = z.object({
  value: z
    .string({ message: "Enter the value, like 87.2%, 909 or N/Av" })
    .trim()
    .min(1, "Enter the value, like 87.2%, 909 or N/Av")
    .max(500, "The value must be 500 characters or fewer"),
  status: z.enum(VALUE_STATUSES, { message: "Choose whether the value is final or provisional" }),
  notes: optionalText("The notes", 2000),
});

/** The kinds of heading a measures table sits under, with how the forms name them. */
export const GROUP_KINDS = [
  ["priority", "A priority"],
  ["theme", "A service theme"],
  ["outcome", "An outcome"],
  ["report", "A section of a report"],
] as const satisfies readonly (readonly [string, string])[];

/** A new measure: its details and the group its table row goes in. */
export const newMeasureSchema = measureDetailsSchema.extend({
  groupId: z
    .string({ message: "Choose the group the measure is listed under" })
    .trim()
    .regex(/^\d{1,15}$/, "Choose the group the measure is listed under")
    .transform(Number),
});

/** A measure group: the heading its table sits under. */
export const groupSchema = z.object({
  title: z
    .string({ message: "Enter the group's title, like the priority the measures sit under" })
    .trim()
    .min(1, "Enter the group's title, like the priority the measures sit under")
    .max(500, "The title must be 500 characters or fewer"),
  kind: z.enum(GROUP_KINDS.map(([value]) => value) as [string, ...string[]], {
    message: "Choose what the group is: a priority, theme, outcome or report section",
  }),
});

export const moveSchema = z.object({
  direction: z.enum(["up", "down"], { message: "Choose whether to move it up or down" }),
});

/** A target set through the form: the period and the target's words, as the documents write them. */
export const targetSetSchema = z.object({
  period: z
    .string({ message: "Enter the period the target is for, like 2024/25 or Q3 2024/25" })
    .trim()
    .min(1, "Enter the period the target is for, like 2024/25 or Q3 2024/25")
    .max(60, "The period must be 60 characters or fewer, like 2024/25"),
  target: z
    .string({ message: "Enter the target, like 95% or above, Less than 810 or In line with national" })
    .trim()
    .min(1, "Enter the target, like 95% or above, Less than 810 or In line with national")
    .max(500, "The target must be 500 characters or fewer"),
});

/** Whether the council shows a measure on the public pages, at the version the form was opened. */
export const publicSchema = z.object({
  version: versionField(),
  public: z.enum(["yes", "no"], { error: "Select whether the measure is shown on the public pages" }),
});
