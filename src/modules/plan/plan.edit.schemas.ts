import { z } from "zod";

/**
 * The forms of the plan's editing pages: each reads the posted fields into the values a service
 * call takes, with a message naming the field (and the value, where one was given) for anything
 * it cannot read. Rules that need the database (duplicates, parents) are the service's.
 */

function required(label: string, max: number) {
  return z
    .string({ message: `Enter the ${label}` })
    .trim()
    .min(1, { message: `Enter the ${label}` })
    .max(max, { message: `The ${label} must be ${max} characters or fewer` });
}

function optionalText(label: string, max: number) {
  return z
    .string()
    .trim()
    .max(max, { message: `The ${label} must be ${max} characters or fewer` })
    .optional()
    .transform((value) => (value ? value : null));
}

/** One item per line, blank lines dropped. */
function lines(label: string) {
  return z
    .string()
    .optional()
    .transform((value) =>
      (value ?? "")
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter((line) => line.length > 0),
    )
    .refine((items) => items.every((item) => item.length <= 2000), {
      message: `Each line of the ${label} must be 2,000 characters or fewer`,
    });
}

/** Paragraphs separated by a blank line. */
function paragraphs() {
  return z
    .string()
    .optional()
    .transform((value) =>
      (value ?? "")
        .split(/\r?\n\s*\r?\n/)
        .map((paragraph) => paragraph.trim())
        .filter((paragraph) => paragraph.length > 0),
    );
}

function wholeNumber(label: string, min: number, max: number, example: string) {
  return z
    .string({ message: `Enter the ${label}` })
    .trim()
    .min(1, { message: `Enter the ${label}` })
    .refine((value) => /^\d+$/.test(value), {
      message: `The ${label} must be a whole number, for example ${example}`,
    })
    .transform(Number)
    .refine((value) => value >= min && value <= max, {
      message: `The ${label} must be between ${min} and ${max}`,
    });
}

const REFERENCE = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** A reference (slug): lower-case letters, digits and single hyphens. */
function reference(label: string) {
  return z
    .string()
    .trim()
    .optional()
    .transform((value) => (value ? value.toLowerCase() : null))
    .refine((value) => value === null || (REFERENCE.test(value) && value.length <= 80), {
      message: `The ${label} may hold only letters, digits and hyphens, for example place-plan-2030, and at most 80 characters`,
    });
}

export const planForm = z
  .object({
    title: required("title", 200),
    slug: reference("reference"),
    fromYear: wholeNumber("first year", 1990, 2100, "2030"),
    toYear: wholeNumber("last year", 1990, 2100, "2034"),
    planVersion: z.enum(["original", "refresh"], {
      message: "Select whether this is an original plan or a refresh",
    }),
    status: z
      .enum(["draft", "approved", "none"], { message: "Select the plan's status" })
      .transform((value) => (value === "none" ? null : value)),
    foreword: paragraphs(),
  })
  .superRefine((form, context) => {
    if (form.toYear < form.fromYear) {
      context.addIssue({
        code: "custom",
        path: ["toYear"],
        message: `The last year (${form.toYear}) must not be before the first year (${form.fromYear})`,
      });
    }
  });
export type PlanForm = z.infer<typeof planForm>;

export const outcomeForm = z.object({
  number: wholeNumber("outcome number", 1, 99, "3"),
  wording: required("wording", 1000),
});
export type OutcomeForm = z.infer<typeof outcomeForm>;

export const priorityForm = z.object({
  title: required("priority", 300),
  kind: z.enum(["council", "departmental"], { message: "Select whose priority this is" }),
});
export type PriorityForm = z.infer<typeof priorityForm>;

export const objectiveForm = z.object({
  number: wholeNumber("objective number", 1, 999, "12"),
  title: required("title", 500),
  outcomeNumber: z
    .string()
    .trim()
    .optional()
    .refine((value) => !value || /^\d{1,2}$/.test(value), {
      message: "Select the council outcome from the list",
    })
    .transform((value) => (value ? Number(value) : null)),
  leadDepartment: required("lead department", 200),
});
export type ObjectiveForm = z.infer<typeof objectiveForm>;

export const activityForm = z.object({
  text: required("activity", 2000),
  parentId: z
    .string()
    .trim()
    .optional()
    .refine((value) => !value || /^\d{1,10}$/.test(value), {
      message: "Select the activity this one sits under from the list",
    })
    .transform((value) => (value ? Number(value) : null)),
});
export type ActivityForm = z.infer<typeof activityForm>;

export const deliverableForm = z.object({
  title: required("title", 1000),
  slug: reference("reference"),
  section: required("section", 100),
  sectionTitle: required("section title", 300),
  groupKind: z.enum(["priority", "service-theme"], {
    message: "Select whether the group is a priority or a service theme",
  }),
  groupTitle: required("group", 300),
  leads: lines("lead officers").refine((items) => items.length > 0, {
    message: "Enter at least one lead officer, one per line",
  }),
  startFinish: optionalText("start and finish dates", 200).transform((value) => value ?? ""),
  successMeasures: lines("success measures"),
  inCouncilPlan: z
    .enum(["yes", "no", "unknown"], { message: "Select whether the deliverable is in the Council Plan" })
    .transform((value) => (value === "unknown" ? null : value === "yes")),
  councilPlanPriority: optionalText("Council Plan priority", 300),
  measureIds: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]))
    .refine((values) => values.every((value) => /^\d{1,10}$/.test(value)), {
      message: "Choose the linked measures from the list",
    })
    .transform((values) => [...new Set(values.map(Number))]),
});
export type DeliverableForm = z.infer<typeof deliverableForm>;

export const riskEditForm = z.object({
  description: required("description", 2000),
  slug: reference("reference"),
  priority: optionalText("priority", 300),
  mitigations: lines("mitigations"),
  category: optionalText("category", 200),
  owner: optionalText("owner", 200),
});
export type RiskEditForm = z.infer<typeof riskEditForm>;

export const moveForm = z.object({
  direction: z.enum(["up", "down"], { message: "Choose to move up or down" }),
});
