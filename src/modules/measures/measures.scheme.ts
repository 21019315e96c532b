import { z } from "zod";
import type { Database } from "../../db/client.ts";
import {
  DEFAULT_SCHEME,
  OUTCOME_WORDS,
  OUTCOMES,
  PRESET_LEVELS,
  presetScheme,
  type RatingScheme,
  SCHEME_COLOURS,
  type SchemeKind,
  type SchemeLevel,
  schemeProblems,
  schemeWords,
} from "../../domain/rating-schemes.ts";
import type { RatingKey } from "../../domain/ratings.ts";
import { Conflict, ValidationFailed } from "../../errors.ts";
import { readSettingAndVersion, saveSetting } from "../settings/settings.service.ts";

/**
 * The council's rating scheme, a setting (docs/decisions/0036-rating-schemes-as-council-settings.md):
 * kept under one key of the settings table, read once by each listing, page and report that
 * rates measures, and changed by an administrator on /settings/ratings.
 */

const SETTING_KEY = "rating-scheme";

const SCHEME_KINDS = ["five-level", "rag", "four-level", "custom"] as const;

const levelValue = z.object({
  label: z.string().min(1).max(60),
  colour: z.enum(["blue", "green", "amber", "red", "grey"]),
  printedAs: z.array(z.string().min(1).max(60)).max(10),
});

const settingValue = z.object({
  kind: z.enum(SCHEME_KINDS),
  levels: z.object(
    Object.fromEntries(OUTCOMES.map((key) => [key, levelValue])) as Record<RatingKey, typeof levelValue>,
  ),
  rules: z.object({
    tolerancePercentOfTarget: z.number().min(0).max(100),
    tolerancePercentagePoints: z.number().min(0).max(100),
  }),
});

export interface SchemeSetting {
  readonly scheme: RatingScheme;
  /** The setting's version (0 before it is first saved), for the form's stale-edit check. */
  readonly version: number;
}

/** The council's rating scheme: the five-level key with the default tolerances until it chooses another. */
export async function ratingSchemeSetting(db: Database): Promise<SchemeSetting> {
  const { value, version } = await readSettingAndVersion(db, SETTING_KEY);
  const parsed = settingValue.safeParse(value);
  if (!parsed.success) return { scheme: DEFAULT_SCHEME, version };
  const { kind, levels, rules } = parsed.data;
  if (kind !== "custom") return { scheme: presetScheme(kind, rules), version };
  return { scheme: { kind, levels, rules }, version };
}

/** The council's rating scheme, for what rates measures. */
export async function ratingScheme(db: Database): Promise<RatingScheme> {
  return (await ratingSchemeSetting(db)).scheme;
}

/** A scheme as the settings form sends it, read by `schemeFormSchema`. */
export interface SchemeEdit {
  readonly version: number;
  readonly kind: SchemeKind;
  readonly tolerancePercent: number;
  readonly tolerancePoints: number;
  /** The custom levels, where the kind is custom. */
  readonly levels: Readonly<Record<RatingKey, SchemeLevel>> | null;
}

/**
 * Changes the rating scheme. A custom scheme is checked (schemeProblems) and refused naming the
 * field; a form opened before someone else saved is refused with Conflict, nothing changed; the
 * change is audited with the scheme before and after.
 */
export async function changeRatingScheme(
  db: Database,
  actor: string,
  edit: SchemeEdit,
): Promise<RatingScheme> {
  const rules = {
    tolerancePercentOfTarget: edit.tolerancePercent,
    tolerancePercentagePoints: edit.tolerancePoints,
  };
  let scheme: RatingScheme;
  if (edit.kind === "custom") {
    if (edit.levels === null)
      throw new ValidationFailed([
        { field: "strong-words", message: "Enter the words for each level of the council's own scheme" },
      ]);
    const problems = schemeProblems(edit.levels);
    if (problems.length > 0) throw new ValidationFailed(problems.map((problem) => ({ ...problem })));
    scheme = { kind: "custom", levels: edit.levels, rules };
  } else {
    scheme = presetScheme(edit.kind, rules);
  }
  await db.transaction(async (tx) => {
    const current = await ratingSchemeSetting(tx);
    if (current.version !== edit.version) {
      throw new Conflict(
        "The rating scheme",
        [
          {
            label: "The council's rating scheme",
            saved: schemeWords(current.scheme),
            submitted: schemeWords(scheme),
          },
        ],
        "/settings/ratings",
      );
    }
    await saveSetting(tx, actor, {
      key: SETTING_KEY,
      value: { kind: scheme.kind, levels: scheme.levels, rules: scheme.rules },
      summary: `Changed the rating scheme: ${schemeWords(scheme)}`,
    });
  });
  return scheme;
}

// ---------------------------------------------------------------------------------------------
// The settings form

const MISSING_VERSION = "The form was missing its version. Reload the page and try again.";

/** "5", "2.5", "0.25": a percentage as a person types it, to two decimal places, 0 to 100. */
function tolerance(words: string) {
  return z
    .string({ error: `Enter ${words}` })
    .trim()
    .transform((text) => text.replace(/%$|\s*percentage points?$|\s*points?$/i, "").trim())
    .refine((text) => text !== "", { error: `Enter ${words}` })
    .refine((text) => /^\d{1,3}(\.\d{1,2})?$/.test(text) && Number(text) <= 100, {
      error: `Enter ${words} as a number from 0 to 100, with up to 2 decimal places, like 5 or 2.5`,
    })
    .transform((text) => Number(text));
}

const words = (key: RatingKey) =>
  z
    .string()
    .trim()
    .max(60, { error: `The words for "${OUTCOME_WORDS[key]}" must be 60 characters or fewer` })
    .optional()
    .default("");

const colour = z.string().trim().optional().default("");

const printedAs = (key: RatingKey) =>
  z
    .string()
    .trim()
    .max(200, { error: `The other ways "${OUTCOME_WORDS[key]}" is printed must be 200 characters or fewer` })
    .optional()
    .default("");

export const schemeFormSchema = z
  .object({
    version: z.coerce
      .number({ error: MISSING_VERSION })
      .int({ error: MISSING_VERSION })
      .nonnegative({ error: MISSING_VERSION }),
    kind: z.enum(SCHEME_KINDS, { error: "Select the council's rating scheme" }),
    tolerancePercent: tolerance("the tolerance as a percentage of the target"),
    tolerancePoints: tolerance("the smallest tolerance for percentages, in percentage points"),
    ...Object.fromEntries(
      OUTCOMES.flatMap((key) => [
        [`${key}-words`, words(key)],
        [`${key}-colour`, colour],
        [`${key}-printedAs`, printedAs(key)],
      ]),
    ),
  })
  .superRefine((form, context) => {
    if (form.kind !== "custom") return;
    const values = form as unknown as Record<string, string>;
    for (const key of OUTCOMES) {
      if ((values[`${key}-words`] ?? "") === "") {
        context.addIssue({
          code: "custom",
          path: [`${key}-words`],
          message: `Enter the council's words for "${OUTCOME_WORDS[key]}"`,
        });
      }
      if (!(SCHEME_COLOURS as string[]).includes(values[`${key}-colour`] ?? "")) {
        context.addIssue({
          code: "custom",
          path: [`${key}-colour`],
          message: `Select the colour for "${OUTCOME_WORDS[key]}"`,
        });
      }
    }
  })
  .transform((form): SchemeEdit => {
    const values = form as unknown as Record<string, string>;
    const levels =
      form.kind === "custom"
        ? (Object.fromEntries(
            OUTCOMES.map((key) => [
              key,
              {
                label: (values[`${key}-words`] ?? "").replace(/\s+/g, " "),
                colour: values[`${key}-colour`] as SchemeLevel["colour"],
                printedAs: (values[`${key}-printedAs`] ?? "")
                  .split(",")
                  .map((one) => one.trim().replace(/\s+/g, " "))
                  .filter((one) => one !== ""),
              },
            ]),
          ) as unknown as Record<RatingKey, SchemeLevel>)
        : null;
    return {
      version: form.version,
      kind: form.kind,
      tolerancePercent: form.tolerancePercent,
      tolerancePoints: form.tolerancePoints,
      levels,
    };
  });

/** The form's fields for a scheme as saved: what the settings page shows before anything is typed. */
export function schemeFormValues(setting: SchemeSetting): Record<string, string> {
  const { scheme } = setting;
  const levels = scheme.kind === "custom" ? scheme.levels : PRESET_LEVELS[scheme.kind];
  return {
    version: String(setting.version),
    kind: scheme.kind,
    tolerancePercent: String(scheme.rules.tolerancePercentOfTarget),
    tolerancePoints: String(scheme.rules.tolerancePercentagePoints),
    ...Object.fromEntries(
      OUTCOMES.flatMap((key) => [
        [`${key}-words`, levels[key].label],
        [`${key}-colour`, levels[key].colour],
        [`${key}-printedAs`, levels[key].printedAs.join(", ")],
      ]),
    ),
  };
}
