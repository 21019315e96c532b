import { z } from "zod";
import type { Polarity } from "../../domain/measure-types.ts";
import { MISSING_VERSION_MESSAGE } from "../../web/forms.ts";
import { REPORTING_YEARS } from "./benchmarks.import.ts";

/** /benchmarks?q=: the words searched for. */
export const searchQuerySchema = z.object({
  q: z.string().max(200, "Search for 200 characters or fewer").optional().default(""),
});

/** The table's sort, as GET links so it works without JavaScript. */
export const tableQuerySchema = z.object({
  sort: z.enum(["name", "value", "rank", "region"]).optional().default("rank"),
  order: z.enum(["asc", "desc"]).optional().default("asc"),
});

/** The council's benchmarking settings. */
export const settingsFormSchema = z.object({
  dfeCode: z
    .string()
    .trim()
    .regex(/^(\d{3})?$/, "Enter the council's DfE code as 3 digits, like 830, or leave it blank"),
  tolerance: z
    .string()
    .trim()
    .regex(/^\d{1,3}(\.\d{1,2})?$/, "Enter the tolerance as a number, like 1 or 0.5"),
  version: z.string().optional(),
});

/**
 * Linking a council's measure to a Department measure, or removing the link: the LAIT code
 * chosen, the link's version the page was opened at, and the search that listed the choices.
 */
export const linkFormSchema = z
  .object({
    action: z.enum(["link", "remove"], "Choose whether to link the measure or remove its link"),
    code: z.string().trim().max(100, "Choose a measure from the list").optional().default(""),
    version: z.string().regex(/^\d{1,9}$/, MISSING_VERSION_MESSAGE),
    q: z.string().max(200, "Search for 200 characters or fewer").optional().default(""),
  })
  .superRefine((form, context) => {
    if (form.action === "link" && form.code === "")
      context.addIssue({
        code: "custom",
        path: ["code"],
        message: "Choose the Department's measure to link this measure to",
      });
  });

/** The words a direction is written in, on the import page and in --direction=CODE:WAY. */
export const DIRECTION_WORDS: Readonly<Record<string, Polarity>> = {
  higher: "higher-is-better",
  lower: "lower-is-better",
  none: "monitor",
};

/** "CODE: higher" (the indicator code, then higher, lower or none after its last colon), or null. */
export function readDirection(text: string): { code: string; polarity: Polarity } | null {
  const [code = "", way = ""] = text.split(/:(?=[^:]*$)/);
  const polarity = DIRECTION_WORDS[way.trim().toLowerCase()];
  if (!text.includes(":") || code.trim() === "" || polarity === undefined) return null;
  return { code: code.trim(), polarity };
}

/**
 * The import page's form (the file itself is read apart): check or save, what a statistics
 * file's reporting year is, and which way is better for its indicators, one "CODE: higher",
 * "CODE: lower" or "CODE: none" a line.
 */
export const importFormSchema = z.object({
  mode: z.enum(["check", "save"], "Choose whether to check the file only or to save it"),
  reportingYear: z
    .string()
    .optional()
    .default("")
    .refine(
      (asked) => asked === "" || REPORTING_YEARS.some((choice) => choice.value === asked),
      "Choose what a reporting year means from the list",
    ),
  directions: z
    .string()
    .max(5_000, "Give the directions in 5,000 characters or fewer")
    .optional()
    .default("")
    .transform((text, context) => {
      const directions: Record<string, Polarity> = {};
      const lines = text.split(/\r?\n/);
      for (const [index, line] of lines.entries()) {
        if (line.trim() === "") continue;
        const read = readDirection(line);
        if (read === null) {
          context.addIssue({
            code: "custom",
            message: `Line ${index + 1}, "${line.trim()}", is not an indicator and a direction: write each line as the indicator code, a colon, then higher, lower or none`,
          });
          return z.NEVER;
        }
        directions[read.code] = read.polarity;
      }
      return directions;
    }),
});
