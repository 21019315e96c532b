import { z } from "zod";
import { MONITORING_FREQUENCIES, type MonitoringFrequency } from "../../domain/periods.ts";
import { GSS_CODE, LA_NUMBER } from "./setup.councils.ts";

/**
 * The set-up forms' fields, checked the same way from a page and from the command line
 * (`baseplan new-council` fills in the same field names), so both give the same messages.
 */

/** The choice for a council whose area is not in the list: it types its own name and codes. */
export const AREA_NOT_LISTED = "not-listed";

const trimmed = (fallback = "") =>
  z
    .string()
    .optional()
    .transform((text) => (text ?? fallback).trim());

function required(message: string, longest: number, what: string) {
  return trimmed().pipe(
    z
      .string()
      .min(1, { error: message })
      .max(longest, { error: `${what} must be ${longest} characters or fewer` }),
  );
}

/** An optional code in a given format: blank is none, anything else must match. */
function optionalCode(pattern: RegExp, message: (text: string) => string) {
  return trimmed()
    .transform((text) => text.toUpperCase())
    .superRefine((text, context) => {
      if (text !== "" && !pattern.test(text)) context.addIssue({ code: "custom", message: message(text) });
    })
    .transform((text) => (text === "" ? null : text));
}

const frequency = z.enum(MONITORING_FREQUENCIES as [MonitoringFrequency, ...MonitoringFrequency[]], {
  error: "Select whether the department is monitored quarterly or monthly",
});

export const departmentFields = {
  departmentName: required("Enter the department's name", 120, "The department's name"),
  departmentShortName: required(
    "Enter a short name for the department, like CS",
    20,
    "The department's short name",
  ),
  frequency,
};

export const departmentForm = z.object(departmentFields);
export type DepartmentForm = z.infer<typeof departmentForm>;

export const councilForm = z.object({
  councilName: required("Enter the council's name", 120, "The council's name"),
  area: trimmed().pipe(
    z.string().min(1, { error: "Select the area the council serves, or that it is not in the list" }),
  ),
  areaName: trimmed().pipe(
    z.string().max(120, { error: "The name of the area must be 120 characters or fewer" }),
  ),
  gssCode: optionalCode(
    GSS_CODE,
    (text) => `"${text}" is not an ONS GSS code: enter the letter E and 8 digits, like E10000007`,
  ),
  laNumber: optionalCode(LA_NUMBER, (text) => `"${text}" is not a DfE LA number: enter 3 digits, like 830`),
  ...departmentFields,
});
export type CouncilForm = z.infer<typeof councilForm>;
