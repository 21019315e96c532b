import { parseArgs } from "node:util";
import type { Database } from "../../db/client.ts";
import {
  BUDGET_LINES_PER_DEPARTMENT,
  DELIVERABLES_PER_DEPARTMENT,
  type GenerateOptions,
  generateCouncil,
  MEASURES_PER_DEPARTMENT,
  NotEmpty,
} from "./generate.service.ts";

export const GENERATE_LIMITS = {
  departments: { min: 1, max: 30 },
  years: { min: 1, max: 15 },
  seed: { min: 0, max: 2_147_483_647 },
  firstYear: { min: 2000, max: 2080 },
} as const;

export const GENERATE_DEFAULTS: GenerateOptions = { departments: 12, years: 10, seed: 1, firstYear: 2016 };

export const GENERATE_USAGE = `Usage: baseplan generate [--departments N] [--years N] [--seed N] [--first-year YYYY]

Builds a made-up council, "Generated Borough Council (made-up data)", with monthly monitoring, in
an empty database: for measuring Baseplan at a real council's size, never for real use. Refused
where the database already has a council (the demo or any other).

Per department: ${MEASURES_PER_DEPARTMENT} measures with a value every month and a target every year,
${DELIVERABLES_PER_DEPARTMENT} deliverables with progress every quarter, ${BUDGET_LINES_PER_DEPARTMENT} budget lines with a forecast every month.

  --departments N     ${GENERATE_LIMITS.departments.min} to ${GENERATE_LIMITS.departments.max} (default ${GENERATE_DEFAULTS.departments})
  --years N           years of monthly monitoring, ${GENERATE_LIMITS.years.min} to ${GENERATE_LIMITS.years.max} (default ${GENERATE_DEFAULTS.years})
  --seed N            the pseudo-random seed, ${GENERATE_LIMITS.seed.min} to ${GENERATE_LIMITS.seed.max} (default ${GENERATE_DEFAULTS.seed}):
                      the same options give the same figures
  --first-year YYYY   the calendar year the first financial year starts in, ${GENERATE_LIMITS.firstYear.min} to ${GENERATE_LIMITS.firstYear.max}
                      (default ${GENERATE_DEFAULTS.firstYear})
`;

/** A command line that cannot be run: the message names the option and what it takes. */
export class GenerateUsageError extends Error {}

function wholeNumber(
  option: string,
  text: string | undefined,
  limits: { min: number; max: number },
  fallback: number,
) {
  if (text === undefined) return fallback;
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) {
    throw new GenerateUsageError(
      `--${option}: "${text}" is not a whole number; give one from ${limits.min} to ${limits.max}`,
    );
  }
  const value = Number(trimmed);
  if (value < limits.min || value > limits.max) {
    throw new GenerateUsageError(`--${option}: ${trimmed} is outside ${limits.min} to ${limits.max}`);
  }
  return value;
}

/** The options from the command line, checked; throws GenerateUsageError naming the option. */
export function parseGenerateArgs(args: string[]): GenerateOptions {
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        departments: { type: "string" },
        years: { type: "string" },
        seed: { type: "string" },
        "first-year": { type: "string" },
      },
    }));
  } catch (error) {
    if (!(error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) throw error;
    throw new GenerateUsageError((error as Error).message);
  }
  return {
    departments: wholeNumber(
      "departments",
      values.departments,
      GENERATE_LIMITS.departments,
      GENERATE_DEFAULTS.departments,
    ),
    years: wholeNumber("years", values.years, GENERATE_LIMITS.years, GENERATE_DEFAULTS.years),
    seed: wholeNumber("seed", values.seed, GENERATE_LIMITS.seed, GENERATE_DEFAULTS.seed),
    firstYear: wholeNumber(
      "first-year",
      values["first-year"],
      GENERATE_LIMITS.firstYear,
      GENERATE_DEFAULTS.firstYear,
    ),
  };
}

/** `baseplan generate` with its options checked: 0 when generated, 1 when refused (a council is there). */
export async function runGenerate(
  db: Database,
  actor: string,
  options: GenerateOptions,
  out: (line: string) => void,
  err: (line: string) => void,
): Promise<number> {
  const started = performance.now();
  const seconds = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;
  try {
    const counts = await generateCouncil(db, actor, options, (line) => out(`${line} (${seconds()})`));
    out(
      `Generated in ${seconds()}: ${counts.departments} ${counts.departments === 1 ? "department" : "departments"}, ${counts.periods} months, ${counts.measures.toLocaleString("en-GB")} measures, ${counts.values.toLocaleString("en-GB")} values, ${counts.deliverables.toLocaleString("en-GB")} deliverables with ${counts.progress.toLocaleString("en-GB")} progress updates, ${(counts.budgetLines / options.years).toLocaleString("en-GB")} budget lines a year with ${counts.forecasts.toLocaleString("en-GB")} monthly forecasts.`,
    );
    return 0;
  } catch (error) {
    if (!(error instanceof NotEmpty)) throw error;
    err(error.message);
    return 1;
  }
}
