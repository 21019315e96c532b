import { z } from "zod";
import { EXPLANATION_REQUIREMENTS } from "../../domain/budget.ts";
import { parseMoney } from "../../domain/money.ts";
import { parseFinancialYearCode, parseQuarterNumber } from "../../domain/periods.ts";
import { MISSING_VERSION_MESSAGE } from "../../web/forms.ts";

/**
 * A money field: parsed exactly into pence by parseMoney, or refused with its reason. A bare
 * figure is pounds ("£1,234,567", "1234567.89"); a figure with its unit keeps it ("£0.151m").
 */
function moneyField(what: string) {
  const enter = `Enter the ${what} in pounds, like £1,234,567 or £0.151m`;
  return z.string({ error: enter }).transform((text, context) => {
    if (text.trim() === "") {
      context.addIssue({ code: "custom", message: enter });
      return z.NEVER;
    }
    const parsed = parseMoney(text, { unit: "pounds", allowNote: false });
    if (!parsed.ok) {
      context.addIssue({ code: "custom", message: `The ${what} could not be read: ${parsed.reason}` });
      return z.NEVER;
    }
    return parsed.pence;
  });
}

const version = z.coerce
  .number({ error: MISSING_VERSION_MESSAGE })
  .int()
  .positive({ error: MISSING_VERSION_MESSAGE });

/**
 * A budget line's explanation of its variance for the period: optional, kept as typed (trimmed),
 * paragraphs separated by a blank line. The edge (formTextErrors) limits its length.
 */
const explanationField = z
  .string()
  .optional()
  .transform((text) => (text ?? "").replace(/\r\n?/g, "\n").trim());

/** Editing a budget line's controllable budget, full-year forecast and explanation for one period. */
export const forecastEditSchema = z.object({
  controllableBudget: moneyField("controllable budget"),
  forecastOutturn: moneyField("full year forecast"),
  explanation: explanationField,
  version,
});

/**
 * What the service takes: with no explanation (a spreadsheet upload, which carries only the
 * figures), the one already saved is kept.
 */
export type ForecastEdit = Omit<z.infer<typeof forecastEditSchema>, "explanation"> & { explanation?: string };

/** Entering the first forecast for a period that has none: the same fields, no version yet. */
export const forecastNewSchema = z.object({
  controllableBudget: moneyField("controllable budget"),
  forecastOutturn: moneyField("full year forecast"),
  explanation: explanationField,
});

export type ForecastNew = Omit<z.infer<typeof forecastNewSchema>, "explanation"> & { explanation?: string };

/** Editing what a savings initiative is forecast to achieve by the year end. */
export const savingsForecastEditSchema = z.object({
  forecastAchieved: moneyField("forecast achieved by the year end"),
  version,
});

export type SavingsForecastEdit = z.infer<typeof savingsForecastEditSchema>;

/** Entering an initiative's first forecast for a quarter that has none. */
export const savingsForecastNewSchema = z.object({
  forecastAchieved: moneyField("forecast achieved by the year end"),
});

export type SavingsForecastNew = z.infer<typeof savingsForecastNewSchema>;

/** "2020-21" in addresses; "2020/21" or "2020-21" in documents. */
export const financialYearCode = z
  .string()
  .refine((text) => /^\d{4}-\d{2}$/.test(text) && parseFinancialYearCode(text) !== null, {
    error: "Give the financial year like 2020-21",
  });

/** "3" or "q3": the one period parser's reading of a quarter under a year already named. */
export function parseQuarter(text: string | undefined): number | null {
  return parseQuarterNumber(text);
}

/**
 * A percentage of the budget, like "5%", "0.5" or "12.25%", to basis points (500 = 5%), exactly:
 * at most two decimal places, from 0% to 100%.
 */
function percentageField(what: string) {
  const enter = `Enter the ${what} as a percentage, like 5% or 0.5%`;
  return z.string({ error: enter }).transform((text, context) => {
    const match = /^\s*(\d{1,3})(?:\.(\d{1,2}))?\s*%?\s*$/.exec(text);
    if (text.trim() === "" || !match) {
      context.addIssue({ code: "custom", message: enter });
      return z.NEVER;
    }
    const basisPoints = Number(match[1]) * 100 + Number((match[2] ?? "").padEnd(2, "0"));
    if (basisPoints > 10_000) {
      context.addIssue({ code: "custom", message: `The ${what} must be 100% or less` });
      return z.NEVER;
    }
    return basisPoints;
  });
}

/** A threshold amount: pounds, not negative. */
function thresholdAmountField(what: string) {
  return moneyField(what).refine((pence) => pence >= 0, { error: `The ${what} must not be negative` });
}

/** The council's budget rating thresholds: red at the percentage or the amount, whichever is lower. */
export const ratingSettingsSchema = z.object({
  serviceAreaPercentage: percentageField("percentage for a budget line"),
  serviceAreaAmount: thresholdAmountField("amount for a budget line"),
  fundPercentage: percentageField("percentage for the whole fund"),
  fundAmount: thresholdAmountField("amount for the whole fund"),
  version,
});

export type RatingSettings = z.infer<typeof ratingSettingsSchema>;

function choice<const T extends readonly [string, ...string[]]>(values: T, message: string) {
  return z.enum(values, { error: message });
}

/** How the council prints money (see src/domain/money-conventions.ts): a council setting. */
export const moneyConventionsSchema = z.object({
  defaultUnit: choice(
    ["pounds", "thousands", "millions"],
    "Choose the unit an imported figure is in when its heading does not say",
  ),
  bracketsMean: choice(
    ["underspend", "overspend"],
    "Choose whether brackets in a variance column mean an underspend or an overspend",
  ),
  negativeBase: choice(
    ["against-size", "as-signed"],
    "Choose how a variance percentage on a negative budget is signed",
  ),
  percentageDecimals: z
    .string({ error: "Enter the decimal places of a variance percentage, a whole number from 0 to 4" })
    .trim()
    .regex(/^[0-4]$/, {
      error: "Enter the decimal places of a variance percentage, a whole number from 0 to 4",
    })
    .transform(Number),
  zeroBase: choice(
    ["100%", "-", "n/a"],
    'Choose whether a percentage on a zero budget prints as 100%, "-" or "n/a"',
  ),
  version,
});

export type MoneyConventionsEdit = z.infer<typeof moneyConventionsSchema>;

/** Which budget lines must explain their variance in a period (decision 0040): a council setting. */
export const explanationRequirementSchema = z.object({
  explanationsRequired: choice(
    EXPLANATION_REQUIREMENTS,
    "Choose which budget lines must explain their variance: none, those rated Red, or those rated Red or Amber",
  ),
  version,
});

export type ExplanationRequirementEdit = z.infer<typeof explanationRequirementSchema>;

function requiredText(what: string, most: number) {
  return z
    .string({ error: `Enter the ${what}` })
    .trim()
    .min(1, { error: `Enter the ${what}` })
    .max(most, { error: `The ${what} must be ${most.toLocaleString("en-GB")} characters or fewer` });
}

/** Adding a financial risk to a quarter: the service it falls on, the risk, its sensitivity and likelihood. */
export const financialRiskNewSchema = z.object({
  service: requiredText("service the risk falls on", 200),
  risk: requiredText("risk", 2_000),
  sensitivity: moneyField("sensitivity"),
  likelihood: z
    .string({ error: "Select the likelihood from 1 (low) to 5 (high)" })
    .regex(/^[1-5]$/, { error: "Select the likelihood from 1 (low) to 5 (high)" })
    .transform(Number),
});

export type FinancialRiskNew = z.infer<typeof financialRiskNewSchema>;

/** Changing a financial risk: the same fields, with the version the form was opened at. */
export const financialRiskEditSchema = financialRiskNewSchema.extend({ version });

export type FinancialRiskEdit = z.infer<typeof financialRiskEditSchema>;

/**
 * Copying the month before's financial risks into a month: the version of the month before's
 * list the page was opened at (finance.balances.ts, financialRisksVersion). One that is missing
 * or unreadable cannot match, so the copy is refused with the conflict page.
 */
export const financialRisksCopySchema = z.object({
  sourceVersion: z.string().trim().max(4_000).catch(""),
});

/** Removing a financial risk: the version the confirmation page was opened at. */
export const financialRiskRemoveSchema = z.object({ version });

/** A budget line's or a division's name, on the budget's set-up page (finance.structure.ts). */
export const structureNameSchema = z.object({
  name: requiredText("name", 200),
});

/**
 * A set-up record's form: its name and its kind's other fields (finance.structure.ts), money read
 * as a council writes it into pence (blank: nothing), text trimmed and length-checked.
 */
export function structureRecordSchema(
  fields: readonly { key: string; label: string; type: "money" | "text" | "textarea"; required: boolean }[],
) {
  return structureNameSchema.extend(
    Object.fromEntries(
      fields.map((field) => {
        const what = field.label.toLowerCase();
        if (field.type === "money") {
          return [
            field.key,
            z
              .string()
              .optional()
              .transform((text, context) => {
                if (text === undefined || text.trim() === "") return null;
                const parsed = parseMoney(text, { unit: "pounds", allowNote: false });
                if (!parsed.ok) {
                  context.addIssue({
                    code: "custom",
                    message: `The ${what} could not be read: ${parsed.reason}`,
                  });
                  return z.NEVER;
                }
                return parsed.pence;
              }),
          ];
        }
        const most = field.type === "textarea" ? 10_000 : 200;
        return [
          field.key,
          z
            .string()
            .optional()
            .transform((text) => (text ?? "").trim())
            .pipe(
              z.string().max(most, {
                error: `The ${what} must be ${most.toLocaleString("en-GB")} characters or fewer`,
              }),
            ),
        ];
      }),
    ),
  );
}

/** What a set-up record's form sends: its name, and its kind's other fields by their keys. */
export interface StructureNameForm {
  name: string;
  values?: Record<string, string | number | null>;
}

/**
 * A year's savings target: the savings to be made in the year, and those brought forward from
 * earlier years still to be made (blank for none).
 */
export const savingsTargetSchema = z.object({
  currentYear: moneyField("current year reductions"),
  broughtForward: z
    .string()
    .optional()
    .transform((text, context) => {
      if (text === undefined || text.trim() === "") return 0;
      const parsed = parseMoney(text, { unit: "pounds", allowNote: false });
      if (!parsed.ok) {
        context.addIssue({
          code: "custom",
          message: `The prior year reductions brought forward could not be read: ${parsed.reason}`,
        });
        return z.NEVER;
      }
      return parsed.pence;
    }),
});

export type SavingsTargetForm = z.infer<typeof savingsTargetSchema>;

/** Moving a line or a division up or down its year's list. */
export const structureMoveSchema = z.object({
  direction: z.enum(["up", "down"], { error: "Choose whether to move it up or down" }),
});

/**
 * A division's amounts, one optional money field per subjective heading (`amount-<key>`): a
 * figure typed as a council writes it ("£1,234,567.89", "1234567", "-250,000" for income), or
 * left blank for nothing under that heading.
 */
export function divisionAmountsSchema(headings: readonly { key: string; title: string }[]) {
  return z.object(
    Object.fromEntries(
      headings.map((heading) => [
        `amount-${heading.key}`,
        z
          .string()
          .optional()
          .transform((text, context) => {
            if (text === undefined || text.trim() === "") return null;
            const parsed = parseMoney(text, { unit: "pounds", allowNote: false });
            if (!parsed.ok) {
              context.addIssue({
                code: "custom",
                message: `The amount for ${heading.title} could not be read: ${parsed.reason}`,
              });
              return z.NEVER;
            }
            return parsed.pence;
          }),
      ]),
    ),
  );
}
