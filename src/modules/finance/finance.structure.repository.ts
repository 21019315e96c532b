import { and, asc, eq, getTableColumns, inArray, isNotNull, isNull, sql } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import {
  approvedBudgetCells,
  budgetDivisions,
  earmarkedReserves,
  financialYears,
  growthItemSpend,
  growthItems,
  monitoringForecasts,
  monitoringLines,
  monitoringReports,
  savingsInitiativeForecasts,
  savingsInitiatives,
  savingsTargets,
} from "../../db/schema/index.ts";
import { versionedUpdate } from "../../db/versioning.ts";

/**
 * The SQL of setting up a year's budget structure through pages (finance.structure.ts): its
 * monitoring lines and the approved budget's divisions with their amounts. Live rows are those
 * not archived; names are compared ignoring letter case and the spaces around them.
 */

export type LineRow = typeof monitoringLines.$inferSelect;
export type DivisionRow = typeof budgetDivisions.$inferSelect;
export type ReserveRow = typeof earmarkedReserves.$inferSelect;
export type TargetRow = typeof savingsTargets.$inferSelect;
/** A growth item, its title read as the name every set-up kind has. */
export type GrowthRow = typeof growthItems.$inferSelect & { name: string };
/** A savings initiative with the year of the target it belongs to. */
export type InitiativeRow = typeof savingsInitiatives.$inferSelect & { financialYearId: number };

export async function findYear(db: Database, code: string) {
  const [year] = await db.select().from(financialYears).where(eq(financialYears.code, code));
  return year;
}

export async function findYearById(db: Database, id: number) {
  const [year] = await db.select().from(financialYears).where(eq(financialYears.id, id));
  return year;
}

// ---- monitoring lines --------------------------------------------------------------------------

export async function findLine(db: Database, id: number): Promise<LineRow | undefined> {
  const [row] = await db.select().from(monitoringLines).where(eq(monitoringLines.id, id));
  return row;
}

/** Updates a line if it is still at `version`, bumping it; null when someone else saved first. */
export const updateLineIfVersion = versionedUpdate(monitoringLines);

/** A year's live lines of one portfolio, in the order the report shows them. */
export function liveLines(db: Database, financialYearId: number, portfolio: string): Promise<LineRow[]> {
  return db
    .select()
    .from(monitoringLines)
    .where(
      and(
        eq(monitoringLines.financialYearId, financialYearId),
        eq(monitoringLines.portfolio, portfolio),
        isNull(monitoringLines.archivedAt),
      ),
    )
    .orderBy(asc(monitoringLines.position), asc(monitoringLines.id));
}

/** A year's live lines of every portfolio, each portfolio's in report order. */
export function allLiveLines(db: Database, financialYearId: number): Promise<LineRow[]> {
  return db
    .select()
    .from(monitoringLines)
    .where(and(eq(monitoringLines.financialYearId, financialYearId), isNull(monitoringLines.archivedAt)))
    .orderBy(asc(monitoringLines.portfolio), asc(monitoringLines.position), asc(monitoringLines.id));
}

export function archivedLines(db: Database, financialYearId: number): Promise<LineRow[]> {
  return db
    .select()
    .from(monitoringLines)
    .where(and(eq(monitoringLines.financialYearId, financialYearId), isNotNull(monitoringLines.archivedAt)))
    .orderBy(asc(monitoringLines.archivedAt), asc(monitoringLines.id));
}

/** A line of the year, archived or not, with this name (case and outer spaces ignored), other than `exceptId`. */
export async function lineNamed(
  db: Database,
  financialYearId: number,
  name: string,
  exceptId: number | null,
): Promise<LineRow | undefined> {
  const [row] = await db
    .select()
    .from(monitoringLines)
    .where(
      and(
        eq(monitoringLines.financialYearId, financialYearId),
        sql`lower(btrim(${monitoringLines.name})) = lower(btrim(${name}))`,
        exceptId === null ? undefined : sql`${monitoringLines.id} <> ${exceptId}`,
      ),
    );
  return row;
}

export async function insertLine(
  db: Database,
  values: typeof monitoringLines.$inferInsert,
): Promise<LineRow> {
  const [row] = await db.insert(monitoringLines).values(values).returning();
  if (!row) throw new Error("The budget line was not saved");
  return row;
}

/** Numbers these lines' positions 1, 2, 3, ... in the order given. */
export async function renumberLines(db: Database, ids: readonly number[]): Promise<void> {
  for (const [index, id] of ids.entries()) {
    await db
      .update(monitoringLines)
      .set({ position: index + 1 })
      .where(eq(monitoringLines.id, id));
  }
}

/** The portfolio a year's lines already belong to (its first line's, archived or not), if any. */
export async function portfolioOfLines(db: Database, financialYearId: number): Promise<string | undefined> {
  const [row] = await db
    .select({ portfolio: monitoringLines.portfolio })
    .from(monitoringLines)
    .where(eq(monitoringLines.financialYearId, financialYearId))
    .orderBy(asc(monitoringLines.position), asc(monitoringLines.id))
    .limit(1);
  return row?.portfolio;
}

/** The portfolio of the year's first monitoring report, if budget monitoring has started. */
export async function portfolioOfReports(db: Database, financialYearId: number): Promise<string | undefined> {
  const [row] = await db
    .select({ portfolio: monitoringReports.portfolio })
    .from(monitoringReports)
    .where(eq(monitoringReports.financialYearId, financialYearId))
    .orderBy(asc(monitoringReports.quarter))
    .limit(1);
  return row?.portfolio;
}

/** How many forecasts each of these lines has (an archived line keeps them). */
export async function forecastCounts(db: Database, lineIds: readonly number[]): Promise<Map<number, number>> {
  if (lineIds.length === 0) return new Map();
  const rows = await db
    .select({ lineId: monitoringForecasts.lineId, n: sql<number>`count(*)::int` })
    .from(monitoringForecasts)
    .where(inArray(monitoringForecasts.lineId, [...lineIds]))
    .groupBy(monitoringForecasts.lineId);
  return new Map(rows.map((row) => [row.lineId, Number(row.n)]));
}

// ---- the approved budget's divisions -----------------------------------------------------------

export async function findDivision(db: Database, id: number): Promise<DivisionRow | undefined> {
  const [row] = await db.select().from(budgetDivisions).where(eq(budgetDivisions.id, id));
  return row;
}

/** Updates a division if it is still at `version`, bumping it; null when someone else saved first. */
export const updateDivisionIfVersion = versionedUpdate(budgetDivisions);

/** A year's live divisions in table order, without a document's own total row. */
export function liveDivisions(db: Database, financialYearId: number): Promise<DivisionRow[]> {
  return db
    .select()
    .from(budgetDivisions)
    .where(
      and(
        eq(budgetDivisions.financialYearId, financialYearId),
        eq(budgetDivisions.statedTotal, false),
        isNull(budgetDivisions.archivedAt),
      ),
    )
    .orderBy(asc(budgetDivisions.position), asc(budgetDivisions.id));
}

export function archivedDivisions(db: Database, financialYearId: number): Promise<DivisionRow[]> {
  return db
    .select()
    .from(budgetDivisions)
    .where(and(eq(budgetDivisions.financialYearId, financialYearId), isNotNull(budgetDivisions.archivedAt)))
    .orderBy(asc(budgetDivisions.archivedAt), asc(budgetDivisions.id));
}

/** A division of the year, archived or not, with this name (case and outer spaces ignored), other than `exceptId`. */
export async function divisionNamed(
  db: Database,
  financialYearId: number,
  name: string,
  exceptId: number | null,
): Promise<DivisionRow | undefined> {
  const [row] = await db
    .select()
    .from(budgetDivisions)
    .where(
      and(
        eq(budgetDivisions.financialYearId, financialYearId),
        sql`lower(btrim(${budgetDivisions.name})) = lower(btrim(${name}))`,
        exceptId === null ? undefined : sql`${budgetDivisions.id} <> ${exceptId}`,
      ),
    );
  return row;
}

export async function insertDivision(
  db: Database,
  values: typeof budgetDivisions.$inferInsert,
): Promise<DivisionRow> {
  const [row] = await db.insert(budgetDivisions).values(values).returning();
  if (!row) throw new Error("The division was not saved");
  return row;
}

/**
 * Numbers these divisions' positions 1, 2, 3, ... in the order given; a document's own total row
 * of the year stays after them.
 */
export async function renumberDivisions(db: Database, financialYearId: number, ids: readonly number[]) {
  for (const [index, id] of ids.entries()) {
    await db
      .update(budgetDivisions)
      .set({ position: index + 1 })
      .where(eq(budgetDivisions.id, id));
  }
  await db
    .update(budgetDivisions)
    .set({ position: ids.length + 1 })
    .where(and(eq(budgetDivisions.financialYearId, financialYearId), eq(budgetDivisions.statedTotal, true)));
}

export function cellsOf(db: Database, divisionId: number) {
  return db.select().from(approvedBudgetCells).where(eq(approvedBudgetCells.divisionId, divisionId));
}

/** Sets a division's amount under one heading (null removes it: nothing there). */
export async function setCell(
  db: Database,
  divisionId: number,
  headingKey: string,
  amountPence: number | null,
) {
  if (amountPence === null) {
    await db
      .delete(approvedBudgetCells)
      .where(
        and(eq(approvedBudgetCells.divisionId, divisionId), eq(approvedBudgetCells.headingKey, headingKey)),
      );
    return;
  }
  await db
    .insert(approvedBudgetCells)
    .values({ divisionId, headingKey, amountPence })
    .onConflictDoUpdate({
      target: [approvedBudgetCells.divisionId, approvedBudgetCells.headingKey],
      set: { amountPence, version: sql`${approvedBudgetCells.version} + 1` },
    });
}

// ---- earmarked reserves --------------------------------------------------------------------------

export async function findReserve(db: Database, id: number): Promise<ReserveRow | undefined> {
  const [row] = await db.select().from(earmarkedReserves).where(eq(earmarkedReserves.id, id));
  return row;
}

/** Updates a reserve if it is still at `version`, bumping it; null when someone else saved first. */
export const updateReserveIfVersion = versionedUpdate(earmarkedReserves);

/** A year's live earmarked reserves, in the order the reserves table shows them. */
export function liveReserves(db: Database, financialYearId: number): Promise<ReserveRow[]> {
  return db
    .select()
    .from(earmarkedReserves)
    .where(and(eq(earmarkedReserves.financialYearId, financialYearId), isNull(earmarkedReserves.archivedAt)))
    .orderBy(asc(earmarkedReserves.position), asc(earmarkedReserves.id));
}

export function archivedReserves(db: Database, financialYearId: number): Promise<ReserveRow[]> {
  return db
    .select()
    .from(earmarkedReserves)
    .where(
      and(eq(earmarkedReserves.financialYearId, financialYearId), isNotNull(earmarkedReserves.archivedAt)),
    )
    .orderBy(asc(earmarkedReserves.archivedAt), asc(earmarkedReserves.id));
}

/** A reserve of the year, archived or not, with this name (case and outer spaces ignored), other than `exceptId`. */
export async function reserveNamed(
  db: Database,
  financialYearId: number,
  name: string,
  exceptId: number | null,
): Promise<ReserveRow | undefined> {
  const [row] = await db
    .select()
    .from(earmarkedReserves)
    .where(
      and(
        eq(earmarkedReserves.financialYearId, financialYearId),
        sql`lower(btrim(${earmarkedReserves.name})) = lower(btrim(${name}))`,
        exceptId === null ? undefined : sql`${earmarkedReserves.id} <> ${exceptId}`,
      ),
    );
  return row;
}

export async function insertReserve(
  db: Database,
  values: typeof earmarkedReserves.$inferInsert,
): Promise<ReserveRow> {
  const [row] = await db.insert(earmarkedReserves).values(values).returning();
  if (!row) throw new Error("The reserve was not saved");
  return row;
}

/** Numbers these reserves' positions 1, 2, 3, ... in the order given. */
export async function renumberReserves(db: Database, ids: readonly number[]): Promise<void> {
  for (const [index, id] of ids.entries()) {
    await db
      .update(earmarkedReserves)
      .set({ position: index + 1 })
      .where(eq(earmarkedReserves.id, id));
  }
}

// ---- savings targets and their initiatives -------------------------------------------------------

/** The year's savings target (one per year: the year's portfolio's), if set. */
export async function findTarget(db: Database, financialYearId: number): Promise<TargetRow | undefined> {
  const [row] = await db
    .select()
    .from(savingsTargets)
    .where(eq(savingsTargets.financialYearId, financialYearId))
    .orderBy(asc(savingsTargets.id))
    .limit(1);
  return row;
}

export async function insertTarget(
  db: Database,
  values: typeof savingsTargets.$inferInsert,
): Promise<TargetRow> {
  const [row] = await db.insert(savingsTargets).values(values).returning();
  if (!row) throw new Error("The savings target was not saved");
  return row;
}

/** Updates a savings target if it is still at `version`, bumping it; null when someone else saved first. */
export const updateTargetIfVersion = versionedUpdate(savingsTargets);

const initiativeColumns = {
  ...getTableColumns(savingsInitiatives),
  financialYearId: savingsTargets.financialYearId,
};

function initiatives(db: Database) {
  return db
    .select(initiativeColumns)
    .from(savingsInitiatives)
    .innerJoin(savingsTargets, eq(savingsTargets.id, savingsInitiatives.targetId));
}

export async function findInitiative(db: Database, id: number): Promise<InitiativeRow | undefined> {
  const [row] = await initiatives(db).where(eq(savingsInitiatives.id, id));
  return row;
}

/** Updates an initiative if it is still at `version`, bumping it; null when someone else saved first. */
export async function updateInitiativeIfVersion(
  db: Database,
  id: number,
  version: number,
  values: Partial<typeof savingsInitiatives.$inferInsert>,
): Promise<InitiativeRow | null> {
  const updated = await versionedUpdate(savingsInitiatives)(db, id, version, values);
  return updated ? ((await findInitiative(db, id)) ?? null) : null;
}

/** A year's live savings initiatives, in the order the savings table shows them. */
export function liveInitiatives(db: Database, financialYearId: number): Promise<InitiativeRow[]> {
  return initiatives(db)
    .where(and(eq(savingsTargets.financialYearId, financialYearId), isNull(savingsInitiatives.archivedAt)))
    .orderBy(asc(savingsInitiatives.position), asc(savingsInitiatives.id));
}

export function archivedInitiatives(db: Database, financialYearId: number): Promise<InitiativeRow[]> {
  return initiatives(db)
    .where(and(eq(savingsTargets.financialYearId, financialYearId), isNotNull(savingsInitiatives.archivedAt)))
    .orderBy(asc(savingsInitiatives.archivedAt), asc(savingsInitiatives.id));
}

/** An initiative of the year, archived or not, with this name (case and outer spaces ignored), other than `exceptId`. */
export async function initiativeNamed(
  db: Database,
  financialYearId: number,
  name: string,
  exceptId: number | null,
): Promise<InitiativeRow | undefined> {
  const [row] = await initiatives(db).where(
    and(
      eq(savingsTargets.financialYearId, financialYearId),
      sql`lower(btrim(${savingsInitiatives.name})) = lower(btrim(${name}))`,
      exceptId === null ? undefined : sql`${savingsInitiatives.id} <> ${exceptId}`,
    ),
  );
  return row;
}

export async function insertInitiative(
  db: Database,
  values: typeof savingsInitiatives.$inferInsert,
): Promise<InitiativeRow> {
  const [row] = await db.insert(savingsInitiatives).values(values).returning();
  if (!row) throw new Error("The savings initiative was not saved");
  const found = await findInitiative(db, row.id);
  if (!found) throw new Error("The savings initiative was not saved");
  return found;
}

/** Numbers these initiatives' positions 1, 2, 3, ... in the order given. */
export async function renumberInitiatives(db: Database, ids: readonly number[]): Promise<void> {
  for (const [index, id] of ids.entries()) {
    await db
      .update(savingsInitiatives)
      .set({ position: index + 1 })
      .where(eq(savingsInitiatives.id, id));
  }
}

/** How many forecasts each of these initiatives has (an archived one keeps them). */
export async function initiativeForecastCounts(
  db: Database,
  ids: readonly number[],
): Promise<Map<number, number>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ id: savingsInitiativeForecasts.initiativeId, n: sql<number>`count(*)::int` })
    .from(savingsInitiativeForecasts)
    .where(inArray(savingsInitiativeForecasts.initiativeId, [...ids]))
    .groupBy(savingsInitiativeForecasts.initiativeId);
  return new Map(rows.map((row) => [row.id, Number(row.n)]));
}

// ---- growth items --------------------------------------------------------------------------------

const growthColumns = { ...getTableColumns(growthItems), name: growthItems.title };

export async function findGrowthItem(db: Database, id: number): Promise<GrowthRow | undefined> {
  const [row] = await db.select(growthColumns).from(growthItems).where(eq(growthItems.id, id));
  return row;
}

/** Updates a growth item if it is still at `version` (its name is its title); null when someone else saved first. */
export async function updateGrowthItemIfVersion(
  db: Database,
  id: number,
  version: number,
  values: Partial<typeof growthItems.$inferInsert> & { name?: string },
): Promise<GrowthRow | null> {
  const { name, ...rest } = values;
  const updated = await versionedUpdate(growthItems)(db, id, version, {
    ...rest,
    ...(name === undefined ? {} : { title: name }),
  });
  return updated ? ((await findGrowthItem(db, id)) ?? null) : null;
}

/** A year's live growth items, in the order the growth table shows them. */
export function liveGrowthItems(db: Database, financialYearId: number): Promise<GrowthRow[]> {
  return db
    .select(growthColumns)
    .from(growthItems)
    .where(and(eq(growthItems.financialYearId, financialYearId), isNull(growthItems.archivedAt)))
    .orderBy(asc(growthItems.position), asc(growthItems.id));
}

export function archivedGrowthItems(db: Database, financialYearId: number): Promise<GrowthRow[]> {
  return db
    .select(growthColumns)
    .from(growthItems)
    .where(and(eq(growthItems.financialYearId, financialYearId), isNotNull(growthItems.archivedAt)))
    .orderBy(asc(growthItems.archivedAt), asc(growthItems.id));
}

/** A growth item of the year, archived or not, with this title (case and outer spaces ignored), other than `exceptId`. */
export async function growthItemNamed(
  db: Database,
  financialYearId: number,
  name: string,
  exceptId: number | null,
): Promise<GrowthRow | undefined> {
  const [row] = await db
    .select(growthColumns)
    .from(growthItems)
    .where(
      and(
        eq(growthItems.financialYearId, financialYearId),
        sql`lower(btrim(${growthItems.title})) = lower(btrim(${name}))`,
        exceptId === null ? undefined : sql`${growthItems.id} <> ${exceptId}`,
      ),
    );
  return row;
}

export async function insertGrowthItem(
  db: Database,
  values: typeof growthItems.$inferInsert,
): Promise<GrowthRow> {
  const [row] = await db.insert(growthItems).values(values).returning({ id: growthItems.id });
  const found = row ? await findGrowthItem(db, row.id) : undefined;
  if (!found) throw new Error("The growth item was not saved");
  return found;
}

/** Numbers these growth items' positions 1, 2, 3, ... in the order given. */
export async function renumberGrowthItems(db: Database, ids: readonly number[]): Promise<void> {
  for (const [index, id] of ids.entries()) {
    await db
      .update(growthItems)
      .set({ position: index + 1 })
      .where(eq(growthItems.id, id));
  }
}

/** How many spend figures each of these growth items has (an archived one keeps them). */
export async function growthSpendCounts(db: Database, ids: readonly number[]): Promise<Map<number, number>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ id: growthItemSpend.growthItemId, n: sql<number>`count(*)::int` })
    .from(growthItemSpend)
    .where(inArray(growthItemSpend.growthItemId, [...ids]))
    .groupBy(growthItemSpend.growthItemId);
  return new Map(rows.map((row) => [row.id, Number(row.n)]));
}
