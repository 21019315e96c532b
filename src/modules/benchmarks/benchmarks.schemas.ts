import { z } from "zod";

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
    version: z
      .string()
      .regex(/^\d{1,9}$/, "The form was missing its version. Reload the page and try again."),
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
