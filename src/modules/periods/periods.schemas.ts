import { z } from "zod";
import {
  MONITORING_FREQUENCIES,
  type MonitoringFrequency,
  type MonitoringPeriod,
  parseFinancialYearCode,
  parseMonitoringPeriod,
} from "../../domain/periods.ts";
import { NotFound } from "../../errors.ts";
import { versionField } from "../../web/forms.ts";
import { readDateParts } from "../plan/plan.schemas.ts";

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
  carry: ticked,
});

/** The department's monitoring setting: quarterly or monthly, at the version the form was opened. */
export const monitoringSettingForm = z.object({
  version: versionField(),
  frequency: z.enum(MONITORING_FREQUENCIES as [MonitoringFrequency, ...MonitoringFrequency[]], {
    error: "Select whether the department is monitored quarterly or monthly",
  }),
});

/**
 * The owners of the sections with no owner per item: a name (or blank) for each, by
 * `owner-<section key>`, at the version of the department's settings the form was opened at.
 */
export const sectionOwnersForm = z
  .object({ version: versionField() })
  .catchall(z.unknown())
  .transform(({ version, ...rest }) => ({
    version,
    owners: Object.fromEntries(
      Object.entries(rest)
        .filter(([key, value]) => key.startsWith("owner-") && typeof value === "string")
        .map(([key, value]) => [key.slice("owner-".length), String(value).trim()]),
    ),
  }));

export const statusForm = z.object({
  version: versionField(),
  confirm: z.string().optional(),
});

/** Signing off (version only) and unlocking (version and a reason, checked by the service). */
export const signOffForm = z.object({
  version: versionField(),
  reason: z.string().max(20_000).optional(),
});

const narrativeText = z
  .string()
  .optional()
  .transform((text) => (text ?? "").trim());

/** A one-line part (a name, a reference): trimmed, at most `most` characters. */
function shortText(what: string, most: number) {
  return z
    .string()
    .trim()
    .max(most, { error: `The ${what} must be ${most.toLocaleString("en-GB")} characters or fewer` })
    .optional()
    .transform((text) => text ?? "");
}

/** A yes-or-no question of the form: "yes", "no" or "" (not answered). */
function yesOrNo(question: string) {
  return z
    .string()
    .optional()
    .transform((text, context) => {
      const answer = (text ?? "").trim();
      if (answer === "" || answer === "yes" || answer === "no") return answer;
      context.addIssue({ code: "custom", message: `Select yes or no for ${question}` });
      return z.NEVER;
    });
}

/**
 * The report narrative form: every part may be left blank, but not all of them. A key decision
 * needs its reference, and waiving call-in its reason; a reference or reason without its yes is
 * refused rather than dropped. The date of the report comes from the GOV.UK date input's boxes.
 */
export const narrativeForm = z
  .object({
    version: versionField(0),
    purpose: narrativeText,
    overview: narrativeText,
    progressSummary: narrativeText,
    keySuccess: narrativeText,
    keyConsideration: narrativeText,
    keyNote: narrativeText,
    varianceExplanations: narrativeText,
    recommendations: narrativeText,
    keyDecision: yesOrNo("whether the report's decision is a key decision"),
    keyDecisionReference: shortText("key decision reference", 200),
    callInWaived: yesOrNo("whether call-in is to be waived"),
    callInReason: narrativeText,
    backgroundPapers: narrativeText,
    authorName: shortText("report author's name", 200),
    authorJobTitle: shortText("report author's job title", 200),
    authorContact: shortText("report author's contact details", 500),
    "reportDate-day": z.unknown().optional(),
    "reportDate-month": z.unknown().optional(),
    "reportDate-year": z.unknown().optional(),
  })
  .superRefine((form, context) => {
    const issue = (path: string, message: string) =>
      context.addIssue({ code: "custom", path: [path], message });
    if (form.keyDecision === "yes" && form.keyDecisionReference === "") {
      issue("keyDecisionReference", "Enter the key decision's reference, as the forward plan gives it");
    }
    if (form.keyDecision !== "yes" && form.keyDecisionReference !== "") {
      issue("keyDecision", "Select yes for a key decision, or remove the key decision reference");
    }
    if (form.callInWaived === "yes" && form.callInReason === "") {
      issue("callInReason", "Enter the reason call-in is to be waived");
    }
    if (form.callInWaived !== "yes" && form.callInReason !== "") {
      issue("callInWaived", "Select yes if call-in is to be waived, or remove the reason for waiving it");
    }
    const date = readDateParts(form["reportDate-day"], form["reportDate-month"], form["reportDate-year"]);
    if (!date.ok) issue("reportDate", "The date of the report must be a real date, for example 2 3 2031");
    const {
      version: _version,
      "reportDate-day": day,
      "reportDate-month": month,
      "reportDate-year": year,
      ...parts
    } = form;
    const dateTyped = [day, month, year].some((part) => typeof part === "string" && part.trim() !== "");
    if (!dateTyped && Object.values(parts).every((text) => text === "")) {
      issue("purpose", "Write at least one part of the narrative, such as the purpose of the report");
    }
  })
  .transform(({ "reportDate-day": day, "reportDate-month": month, "reportDate-year": year, ...form }) => {
    const date = readDateParts(day, month, year);
    return { ...form, reportDate: date.ok ? (date.value ?? "") : "" };
  });
