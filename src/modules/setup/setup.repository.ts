import { asc, count, desc, eq, or, sql } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import {
  approvedBudgetCells,
  councils,
  departments,
  financialYears,
  measures,
  monitoringLines,
  monitoringYears,
  plans,
} from "../../db/schema/index.ts";

export type Council = typeof councils.$inferSelect;
export type Department = typeof departments.$inferSelect;

/** Any number shared by every Baseplan process, so two set-ups never run at once. */
const SET_UP_LOCK_KEY = 720_430_217;

/** Held to the end of the transaction: a second set-up waits, then finds the first's council. */
export async function lockSetUp(tx: Database): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${SET_UP_LOCK_KEY})`);
}

/** The first council set up (an installation serves one), or undefined before set-up. */
export async function findFirstCouncil(db: Database): Promise<Council | undefined> {
  const [row] = await db.select().from(councils).orderBy(asc(councils.id)).limit(1);
  return row;
}

export async function insertCouncil(db: Database, values: typeof councils.$inferInsert): Promise<Council> {
  const [row] = await db.insert(councils).values(values).returning();
  if (!row) throw new Error("council insert returned nothing");
  return row;
}

export async function insertDepartment(
  db: Database,
  values: typeof departments.$inferInsert,
): Promise<Department> {
  const [row] = await db.insert(departments).values(values).returning();
  if (!row) throw new Error("department insert returned nothing");
  return row;
}

/** The council's departments in the order they were set up. */
export async function listDepartments(db: Database, councilId: number): Promise<Department[]> {
  return db
    .select()
    .from(departments)
    .where(eq(departments.councilId, councilId))
    .orderBy(asc(departments.id));
}

/** The council's departments whose name or short name is the one given, whatever the case. */
export async function departmentsNamed(
  db: Database,
  councilId: number,
  name: string,
  shortName: string,
): Promise<Department[]> {
  return db
    .select()
    .from(departments)
    .where(
      sql`${departments.councilId} = ${councilId} and ${or(
        sql`lower(${departments.name}) = lower(${name})`,
        sql`lower(${departments.shortName}) = lower(${shortName})`,
      )}`,
    );
}

/** The latest financial year opened, by its code ("2030-31"), if any: where its budget is set up. */
export async function latestFinancialYearCode(db: Database): Promise<string | undefined> {
  const [row] = await db
    .select({ code: financialYears.code })
    .from(financialYears)
    .orderBy(desc(financialYears.code))
    .limit(1);
  return row?.code;
}

/** How much of each first thing a department sets up it has: for the dashboard's next steps. */
export async function setUpCounts(db: Database, departmentId: number) {
  const [[years], [departmentPlans], [measureCount], [lines], [cells]] = await Promise.all([
    db.select({ n: count() }).from(monitoringYears).where(eq(monitoringYears.departmentId, departmentId)),
    db.select({ n: count() }).from(plans).where(eq(plans.departmentId, departmentId)),
    db.select({ n: count() }).from(measures),
    db.select({ n: count() }).from(monitoringLines),
    db.select({ n: count() }).from(approvedBudgetCells),
  ]);
  return {
    years: years?.n ?? 0,
    plans: departmentPlans?.n ?? 0,
    measures: measureCount?.n ?? 0,
    budgetLines: (lines?.n ?? 0) + (cells?.n ?? 0),
  };
}
