import type { Database } from "../../db/client.ts";
import { BaseplanError, type FieldError, ValidationFailed } from "../../errors.ts";
import { recordAuditEvent } from "../audit/audit.service.ts";
import { type ListedCouncil, listedCouncilByGss, listedCouncilByLaNumber } from "./setup.councils.ts";
import * as repository from "./setup.repository.ts";
import { AREA_NOT_LISTED, type CouncilForm, type DepartmentForm } from "./setup.schemas.ts";

/**
 * A council sets itself up: its name, the area it serves with its ONS GSS code and DfE LA number
 * (from the list of English councils, or typed for a council not in it), and its first
 * department; then further departments. Every write is audited in its own transaction. An
 * installation serves one council: a second set-up is refused, naming the council there is.
 */

export { englishCouncils, type ListedCouncil } from "./setup.councils.ts";
export type { Council, Department } from "./setup.repository.ts";

/** A set-up asked for where a council is already set up: nothing is changed. */
export class CouncilAlreadySetUp extends BaseplanError {
  readonly code = "conflict";
  constructor(readonly councilName: string) {
    super(
      `${councilName} is already set up here. Baseplan serves one council: add a department to it instead of setting up another council.`,
    );
  }
}

/** A department added before any council is set up. */
export class NoCouncilYet extends BaseplanError {
  readonly code = "bad-request";
  constructor() {
    super("No council is set up yet: set up the council and its first department first.");
  }
}

/** Whether a council has been set up (by an officer, the command line or the demo). */
export async function isSetUp(db: Database): Promise<boolean> {
  return (await repository.findFirstCouncil(db)) !== undefined;
}

export interface CouncilSummary {
  council: repository.Council;
  /** The area as the list names it, where the council's GSS code is in the list. */
  listed: ListedCouncil | null;
  /** The area's name: as recorded at set-up, else the list's name for the council's GSS code. */
  areaName: string | null;
  departments: repository.Department[];
}

/** The council set up here with its departments, or null before set-up. */
export async function councilSummary(db: Database): Promise<CouncilSummary | null> {
  const council = await repository.findFirstCouncil(db);
  if (!council) return null;
  const listed = council.onsCode ? listedCouncilByGss(council.onsCode) : null;
  return {
    council,
    listed,
    areaName: council.areaName ?? listed?.name ?? null,
    departments: await repository.listDepartments(db, council.id),
  };
}

interface ResolvedArea {
  name: string;
  gssCode: string | null;
  laNumber: string | null;
  region: { name: string; onsCode: string | null } | null;
}

/** The area from the list, or as typed for a council not in it; problems named by field. */
function resolveArea(form: CouncilForm): ResolvedArea | FieldError[] {
  if (form.area !== AREA_NOT_LISTED) {
    const listed = listedCouncilByGss(form.area);
    if (!listed) {
      return [
        {
          field: "area",
          message: "Select the area the council serves from the list, or that it is not in the list",
        },
      ];
    }
    // Codes typed as well must be the listed area's own, never quietly dropped or mixed.
    const errors: FieldError[] = [];
    if (form.gssCode && form.gssCode !== listed.gssCode) {
      errors.push({
        field: "gssCode",
        message: `${listed.name}'s ONS GSS code is ${listed.gssCode}, not ${form.gssCode}: leave the GSS code blank, or select the area it belongs to`,
      });
    }
    if (form.laNumber && form.laNumber !== listed.laNumber) {
      errors.push({
        field: "laNumber",
        message: listed.laNumber
          ? `${listed.name}'s DfE LA number is ${listed.laNumber}, not ${form.laNumber}: leave the DfE LA number blank, or select the area it belongs to`
          : `${listed.name} is a district council, which has no DfE LA number: leave it blank`,
      });
    }
    if (errors.length > 0) return errors;
    return { name: listed.name, gssCode: listed.gssCode, laNumber: listed.laNumber, region: listed.region };
  }
  const errors: FieldError[] = [];
  if (form.areaName === "") {
    errors.push({ field: "areaName", message: "Enter the name of the area the council serves" });
  }
  const byGss = form.gssCode ? listedCouncilByGss(form.gssCode) : null;
  if (byGss) {
    errors.push({
      field: "gssCode",
      message: `${form.gssCode} is ${byGss.name}'s GSS code: select ${byGss.name} from the list instead`,
    });
  }
  const byLa = form.laNumber ? listedCouncilByLaNumber(form.laNumber) : null;
  if (byLa) {
    errors.push({
      field: "laNumber",
      message: `${form.laNumber} is ${byLa.name}'s DfE LA number: select ${byLa.name} from the list instead`,
    });
  }
  if (errors.length > 0) return errors;
  return { name: form.areaName, gssCode: form.gssCode, laNumber: form.laNumber, region: null };
}

export interface SetUpResult {
  council: repository.Council;
  department: repository.Department;
}

/**
 * Sets up the council and its first department in one transaction, audited. Refused with
 * CouncilAlreadySetUp where a council exists (two set-ups at once: the second waits for the
 * first, then is refused), and with ValidationFailed naming each field otherwise.
 */
export async function setUpCouncil(db: Database, actor: string, form: CouncilForm): Promise<SetUpResult> {
  const area = resolveArea(form);
  if (Array.isArray(area)) throw new ValidationFailed(area);
  return db.transaction(async (tx) => {
    await repository.lockSetUp(tx);
    const existing = await repository.findFirstCouncil(tx);
    if (existing) throw new CouncilAlreadySetUp(existing.name);
    const council = await repository.insertCouncil(tx, {
      name: form.councilName,
      areaName: area.name,
      onsCode: area.gssCode,
      dfeCode: area.laNumber,
      region: area.region,
    });
    await recordAuditEvent(tx, {
      actor,
      action: "create",
      entityType: "council",
      entityId: council.id,
      summary: `Set up ${council.name}, serving ${area.name}`,
      after: {
        name: council.name,
        areaName: area.name,
        gssCode: area.gssCode,
        laNumber: area.laNumber,
        region: area.region?.name ?? null,
      },
    });
    const department = await insertDepartment(tx, actor, council, form);
    return { council, department };
  });
}

async function insertDepartment(
  tx: Database,
  actor: string,
  council: repository.Council,
  form: DepartmentForm,
): Promise<repository.Department> {
  const clashes = await repository.departmentsNamed(
    tx,
    council.id,
    form.departmentName,
    form.departmentShortName,
  );
  const errors: FieldError[] = [];
  const sameName = clashes.find((row) => row.name.toLowerCase() === form.departmentName.toLowerCase());
  if (sameName) {
    errors.push({
      field: "departmentName",
      message: `${council.name} already has a department called ${sameName.name}: enter another name`,
    });
  }
  const sameShort = clashes.find(
    (row) => row.shortName?.toLowerCase() === form.departmentShortName.toLowerCase(),
  );
  if (sameShort) {
    errors.push({
      field: "departmentShortName",
      message: `The short name ${sameShort.shortName} is already used by ${sameShort.name}: enter another short name`,
    });
  }
  if (errors.length > 0) throw new ValidationFailed(errors);
  const department = await repository.insertDepartment(tx, {
    councilId: council.id,
    name: form.departmentName,
    shortName: form.departmentShortName,
    monitoringFrequency: form.frequency,
  });
  await recordAuditEvent(tx, {
    actor,
    action: "create",
    entityType: "department",
    entityId: department.id,
    summary: `Added the department ${department.name} (${form.departmentShortName}) to ${council.name}`,
    after: {
      name: department.name,
      shortName: department.shortName,
      frequency: department.monitoringFrequency,
    },
  });
  return department;
}

/** Adds a department to the council set up here, audited; refused where its names are taken. */
export async function addDepartment(
  db: Database,
  actor: string,
  form: DepartmentForm,
): Promise<repository.Department> {
  return db.transaction(async (tx) => {
    await repository.lockSetUp(tx);
    const council = await repository.findFirstCouncil(tx);
    if (!council) throw new NoCouncilYet();
    return insertDepartment(tx, actor, council, form);
  });
}

export interface NextStep {
  key: "year" | "plan" | "measures" | "budget";
  title: string;
  hint: string;
  href: string;
  done: boolean;
}

/**
 * What the first department sets up next, in order, each with the page to do it on and whether
 * it has been done; null before set-up or once everything has been started.
 */
export async function nextSteps(db: Database): Promise<NextStep[] | null> {
  const council = await repository.findFirstCouncil(db);
  if (!council) return null;
  const [department] = await repository.listDepartments(db, council.id);
  if (!department) return null;
  const counts = await repository.setUpCounts(db, department.id);
  const budgetYear = await repository.latestFinancialYearCode(db);
  const steps: NextStep[] = [
    {
      key: "year",
      title: "Open a financial year for monitoring",
      hint: "Choose the year and whether it is monitored quarterly or monthly.",
      href: "/periods",
      done: counts.years > 0,
    },
    {
      key: "plan",
      title: "Add the department's plan",
      hint: "Its outcomes, priorities, objectives and deliverables.",
      href: "/plan",
      done: counts.plans > 0,
    },
    {
      key: "measures",
      title: "Add the key performance measures",
      hint: "Paste a table copied from Word or Excel, or upload a spreadsheet.",
      href: "/measures/import",
      done: counts.measures > 0,
    },
    {
      key: "budget",
      title: "Set up the budget",
      hint: "The budget lines and the approved budget.",
      // The latest open year's set-up page; before a year is open, the budget page.
      href: budgetYear ? `/budget/${budgetYear}/structure` : "/budget",
      done: counts.budgetLines > 0,
    },
  ];
  return steps.every((step) => step.done) ? null : steps;
}
