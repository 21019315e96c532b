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

export const importSchema = z.object({
  table: z
    .string({ message: "Paste the table copied from Word or Excel" })
    .min(1, "Paste the table copied from Word or Excel")
    .max(200_000, "The table must be 200,000 characters or fewer: paste it in parts"),
  document: z
    .string({ message: "Enter the document the table comes from" })
    .trim()
    .min(1, "Enter the document the table comes from, like service-plan-2021-2025"),
  groupKind: z.enum(["priority", "theme", "outcome", "report"], {
    message: "Choose whether the table sits under a priority, theme, outcome or report section",
  }),
  groupTitle: z
    .string({ message: "Enter the priority, theme or outcome the table sits under" })
    .trim()
    .min(1, "Enter the priority, theme or outcome the table sits under"),
  action: z.enum(["preview", "save"]).default("preview"),
});

export const listFilterSchema = z.object({
  rating: z.enum(["strong", "good", "review", "action", "not-available", ""]).optional(),
  group: z.string().regex(/^\d*$/).optional(),
});
