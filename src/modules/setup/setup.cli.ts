import { parseArgs } from "node:util";
import type { Database } from "../../db/client.ts";
import { ValidationFailed } from "../../errors.ts";
import { parseForm } from "../../web/forms.ts";
import { listedCouncilByGss, listedCouncilByLaNumber } from "./setup.councils.ts";
import { AREA_NOT_LISTED, councilForm } from "./setup.schemas.ts";
import { CouncilAlreadySetUp, setUpCouncil } from "./setup.service.ts";

export const NEW_COUNCIL_USAGE = `Usage: baseplan new-council --name NAME --department NAME [options]

Sets up the council and its first department in an empty database, as /setup does.

  --name NAME            the council's name, e.g. "Anytown Borough Council"
  --gss CODE             the area's ONS GSS code, e.g. E10000007: an English council's code
                         fills in its area, DfE LA number and region from Baseplan's list
  --la NUMBER            the DfE LA number, e.g. 830 (alone, it also finds the area in the list)
  --area NAME            the area's name, for a council not in the list
  --department NAME      the first department's name
  --short-name TEXT      its short name (default: the initials of its name)
  --frequency quarterly|monthly   how often it is monitored (default: quarterly)
`;

/** Each form field's option, so a message names what to change on the command line. */
const OPTION_OF: Record<string, string> = {
  councilName: "--name",
  area: "--gss",
  areaName: "--area",
  gssCode: "--gss",
  laNumber: "--la",
  departmentName: "--department",
  departmentShortName: "--short-name",
  frequency: "--frequency",
};

/** "Children's Services" is "CS": the capital letters that start its words. */
export function initialsOf(name: string): string {
  return name
    .split(/\s+/)
    .map((word) => word.charAt(0))
    .filter((letter) => /\p{Lu}/u.test(letter))
    .join("")
    .slice(0, 20);
}

/**
 * The set-up form as the command line fills it in. A GSS code (or, without one, a DfE LA number)
 * in the list chooses that listed area; otherwise the area is one not in the list, named by --area.
 */
export function newCouncilForm(args: string[]): Record<string, string> {
  const { values } = parseArgs({
    args,
    options: {
      name: { type: "string" },
      gss: { type: "string" },
      la: { type: "string" },
      area: { type: "string" },
      department: { type: "string" },
      "short-name": { type: "string" },
      frequency: { type: "string" },
    },
  });
  const gss = (values.gss ?? "").trim().toUpperCase();
  const la = (values.la ?? "").trim();
  const listed = gss !== "" ? listedCouncilByGss(gss) : la !== "" ? listedCouncilByLaNumber(la) : null;
  const department = values.department ?? "";
  return {
    councilName: values.name ?? "",
    area: listed && !values.area ? listed.gssCode : AREA_NOT_LISTED,
    areaName: values.area ?? "",
    gssCode: gss,
    laNumber: la,
    departmentName: department,
    departmentShortName: values["short-name"] ?? initialsOf(department),
    frequency: values.frequency ?? "quarterly",
  };
}

/** `baseplan new-council`: 0 when set up, 1 when refused (each problem on its own line), 2 for usage. */
export async function runNewCouncil(
  db: Database,
  actor: string,
  args: string[],
  out: (line: string) => void,
  err: (line: string) => void,
): Promise<number> {
  let body: Record<string, string>;
  try {
    body = newCouncilForm(args);
  } catch (error) {
    if (!(error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) throw error;
    err(`${(error as Error).message}\n\n${NEW_COUNCIL_USAGE}`);
    return 2;
  }
  const form = parseForm(councilForm, body);
  const problems = (errors: { field: string; message: string }[]) => {
    err("Nothing was set up:");
    for (const error of errors) err(`  ${OPTION_OF[error.field] ?? error.field}: ${error.message}`);
  };
  if (!form.ok) {
    problems(form.errors);
    return 1;
  }
  try {
    const { council, department } = await setUpCouncil(db, actor, form.value);
    const codes = [
      council.onsCode ? `GSS code ${council.onsCode}` : "no GSS code",
      council.dfeCode ? `DfE LA number ${council.dfeCode}` : "no DfE LA number",
    ].join(", ");
    out(`Set up ${council.name} (${council.areaName}; ${codes}).`);
    out(
      `Its first department: ${department.name} (short name ${department.shortName}), monitored ${department.monitoringFrequency}.`,
    );
    out("Next: serve Baseplan (npx baseplan serve) and open a financial year on the Periods page.");
    return 0;
  } catch (error) {
    if (error instanceof ValidationFailed) {
      problems(error.errors);
      return 1;
    }
    if (error instanceof CouncilAlreadySetUp) {
      err(`Nothing was set up: ${error.message}`);
      return 1;
    }
    throw error;
  }
}
