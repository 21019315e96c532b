import { and, asc, eq, inArray, isNotNull, isNull, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import type { Database } from "../../db/client.ts";
import {
  additionalFunding,
  approvedBudgetCells,
  budgetDivisions,
  debtProfile,
  debtWriteOffs,
  earmarkedReserveBalances,
  earmarkedReserves,
  financeSettings,
  financialRisks,
  financialYears,
  growthItems,
  monitoringForecasts,
  monitoringLines,
  monitoringReports,
  oneOffIncome,
  pressureFunding,
  savingsInitiativeForecasts,
  savingsInitiatives,
  savingsNotes,
  savingsProposals,
  savingsTargets,
  statedTotals,
  subjectiveHeadings,
  varianceNarrativeLines,
  varianceNarratives,
} from "../../db/schema/index.ts";
import { versionedUpdate } from "../../db/versioning.ts";

// All the SQL of budget monitoring. Each function takes the Database (or transaction) it is handed.

export type FinancialYear = typeof financialYears.$inferSelect;

export async function findFinancialYear(db: Database, code: string): Promise<FinancialYear | undefined> {
  const [year] = await db.select().from(financialYears).where(eq(financialYears.code, code));
  return year;
}

export async function listFinancialYears(db: Database): Promise<FinancialYear[]> {
  return db.select().from(financialYears).orderBy(asc(financialYears.code));
}

export async function insertFinancialYear(db: Database, code: string, label: string): Promise<FinancialYear> {
  const existing = await findFinancialYear(db, code);
  if (existing) return existing;
  const [year] = await db.insert(financialYears).values({ code, label }).returning();
  if (!year) throw new Error("The financial year was not saved");
  return year;
}

// ---- approved budget -------------------------------------------------------------------------

export async function listSubjectiveHeadings(db: Database) {
  return db.select().from(subjectiveHeadings).orderBy(asc(subjectiveHeadings.position));
}

export async function insertDivision(db: Database, values: typeof budgetDivisions.$inferInsert) {
  const [division] = await db.insert(budgetDivisions).values(values).returning();
  if (!division) throw new Error("The division was not saved");
  return division;
}

export async function insertBudgetCells(db: Database, values: (typeof approvedBudgetCells.$inferInsert)[]) {
  if (values.length > 0) await db.insert(approvedBudgetCells).values(values);
}

export async function listDivisions(db: Database, financialYearId: number) {
  return (
    db
      .select()
      .from(budgetDivisions)
      // Archived divisions (the budget's set-up page) are left out of current pages and new documents.
      .where(and(eq(budgetDivisions.financialYearId, financialYearId), isNull(budgetDivisions.archivedAt)))
      .orderBy(asc(budgetDivisions.position))
  );
}

export async function listBudgetCells(db: Database, divisionIds: number[]) {
  if (divisionIds.length === 0) return [];
  return db.select().from(approvedBudgetCells).where(inArray(approvedBudgetCells.divisionId, divisionIds));
}

// ---- monitoring ------------------------------------------------------------------------------

export async function insertMonitoringReport(db: Database, values: typeof monitoringReports.$inferInsert) {
  const [report] = await db.insert(monitoringReports).values(values).returning();
  if (!report) throw new Error("The monitoring report was not saved");
  return report;
}

export async function findMonitoringReport(db: Database, financialYearId: number, quarter: number) {
  const [report] = await db
    .select()
    .from(monitoringReports)
    .where(
      and(eq(monitoringReports.financialYearId, financialYearId), eq(monitoringReports.quarter, quarter)),
    );
  return report;
}

export async function listReportQuarters(db: Database) {
  return db
    .select({ code: financialYears.code, label: financialYears.label, quarter: monitoringReports.quarter })
    .from(monitoringReports)
    .innerJoin(financialYears, eq(financialYears.id, monitoringReports.financialYearId))
    .orderBy(asc(financialYears.code), asc(monitoringReports.quarter));
}

/** The months with at least one forecast (a department monitored monthly), each year's in order. */
export async function listForecastMonths(db: Database) {
  return db
    .selectDistinct({
      code: financialYears.code,
      label: financialYears.label,
      month: monitoringForecasts.month,
    })
    .from(monitoringForecasts)
    .innerJoin(monitoringLines, eq(monitoringLines.id, monitoringForecasts.lineId))
    .innerJoin(financialYears, eq(financialYears.id, monitoringLines.financialYearId))
    .where(isNotNull(monitoringForecasts.month))
    .orderBy(asc(financialYears.code), asc(monitoringForecasts.month));
}

export async function findOrInsertLine(db: Database, values: typeof monitoringLines.$inferInsert) {
  const [existing] = await db
    .select()
    .from(monitoringLines)
    .where(
      and(
        eq(monitoringLines.financialYearId, values.financialYearId),
        eq(monitoringLines.portfolio, values.portfolio),
        eq(monitoringLines.name, values.name),
      ),
    );
  if (existing) return existing;
  const [line] = await db.insert(monitoringLines).values(values).returning();
  if (!line) throw new Error("The budget line was not saved");
  return line;
}

/** A row's month as asked: null asks for a quarter's own row, which has no month. */
export function monthIs(column: AnyPgColumn, month: number | null): SQL {
  return month === null ? isNull(column) : eq(column, month);
}

/** A forecast row at one period: the quarter's own (no month) or one month's. */
function forecastAt(quarter: number, month: number | null): SQL | undefined {
  return and(
    eq(monitoringForecasts.quarter, quarter),
    month === null ? isNull(monitoringForecasts.month) : eq(monitoringForecasts.month, month),
  );
}

export async function insertForecast(db: Database, values: typeof monitoringForecasts.$inferInsert) {
  const [forecast] = await db.insert(monitoringForecasts).values(values).returning();
  if (!forecast) throw new Error("The forecast was not saved");
  return forecast;
}

/**
 * The lines of a portfolio with their forecast at one quarter, or one month of it (lines without
 * one are left out).
 */
export async function listQuarterForecasts(
  db: Database,
  financialYearId: number,
  portfolio: string,
  quarter: number,
  month: number | null = null,
) {
  return db
    .select({ line: monitoringLines, forecast: monitoringForecasts })
    .from(monitoringLines)
    .innerJoin(
      monitoringForecasts,
      and(eq(monitoringForecasts.lineId, monitoringLines.id), forecastAt(quarter, month)),
    )
    .where(
      and(
        eq(monitoringLines.financialYearId, financialYearId),
        eq(monitoringLines.portfolio, portfolio),
        isNull(monitoringLines.archivedAt),
      ),
    )
    .orderBy(asc(monitoringLines.position));
}

export async function findLine(db: Database, lineId: number) {
  const [row] = await db
    .select({ line: monitoringLines, year: financialYears })
    .from(monitoringLines)
    .innerJoin(financialYears, eq(financialYears.id, monitoringLines.financialYearId))
    .where(eq(monitoringLines.id, lineId));
  return row;
}

export async function listLineForecasts(db: Database, lineId: number) {
  return db
    .select()
    .from(monitoringForecasts)
    .where(eq(monitoringForecasts.lineId, lineId))
    .orderBy(asc(monitoringForecasts.quarter), asc(monitoringForecasts.month));
}

/** A line's forecast at a quarter (its own, month null) or at one month of it. */
export async function findForecast(
  db: Database,
  lineId: number,
  quarter: number,
  month: number | null = null,
) {
  const [forecast] = await db
    .select()
    .from(monitoringForecasts)
    .where(and(eq(monitoringForecasts.lineId, lineId), forecastAt(quarter, month)));
  return forecast;
}

/**
 * Inserts a forecast unless the line already has one for that period (the unique line, quarter
 * and month, nulls not distinct); undefined if it had.
 */
export async function insertForecastIfAbsent(db: Database, values: typeof monitoringForecasts.$inferInsert) {
  const [created] = await db.insert(monitoringForecasts).values(values).onConflictDoNothing().returning();
  return created;
}

export async function insertNarrative(
  db: Database,
  values: typeof varianceNarratives.$inferInsert,
  lineIds: number[],
) {
  const [narrative] = await db.insert(varianceNarratives).values(values).returning();
  if (!narrative) throw new Error("The narrative was not saved");
  if (lineIds.length > 0) {
    await db
      .insert(varianceNarrativeLines)
      .values(lineIds.map((lineId) => ({ narrativeId: narrative.id, lineId })));
  }
  return narrative;
}

export async function listNarratives(db: Database, reportId: number) {
  const narratives = await db
    .select()
    .from(varianceNarratives)
    .where(eq(varianceNarratives.reportId, reportId))
    .orderBy(asc(varianceNarratives.position));
  const links =
    narratives.length === 0
      ? []
      : await db
          .select()
          .from(varianceNarrativeLines)
          .where(
            inArray(
              varianceNarrativeLines.narrativeId,
              narratives.map((narrative) => narrative.id),
            ),
          );
  return narratives.map((narrative) => ({
    ...narrative,
    lineIds: links.filter((link) => link.narrativeId === narrative.id).map((link) => link.lineId),
  }));
}

/** Narratives, with their report's quarter, that speak about a line. */
export async function listLineNarratives(db: Database, lineId: number) {
  return db
    .select({ narrative: varianceNarratives, quarter: monitoringReports.quarter })
    .from(varianceNarrativeLines)
    .innerJoin(varianceNarratives, eq(varianceNarratives.id, varianceNarrativeLines.narrativeId))
    .innerJoin(monitoringReports, eq(monitoringReports.id, varianceNarratives.reportId))
    .where(eq(varianceNarrativeLines.lineId, lineId))
    .orderBy(asc(monitoringReports.quarter), asc(varianceNarratives.position));
}

export async function insertAdditionalFunding(db: Database, values: typeof additionalFunding.$inferInsert) {
  await db.insert(additionalFunding).values(values);
}

export async function listAdditionalFunding(db: Database, reportId: number) {
  return db
    .select()
    .from(additionalFunding)
    .where(eq(additionalFunding.reportId, reportId))
    .orderBy(asc(additionalFunding.id));
}

export async function insertOneOffIncome(db: Database, values: typeof oneOffIncome.$inferInsert) {
  await db.insert(oneOffIncome).values(values);
}

export async function listOneOffIncome(db: Database, reportId: number) {
  return db
    .select()
    .from(oneOffIncome)
    .where(eq(oneOffIncome.reportId, reportId))
    .orderBy(asc(oneOffIncome.id));
}

// ---- savings ---------------------------------------------------------------------------------

export async function insertSavingsTarget(db: Database, values: typeof savingsTargets.$inferInsert) {
  const [target] = await db.insert(savingsTargets).values(values).returning();
  if (!target) throw new Error("The savings target was not saved");
  return target;
}

export async function findSavingsTarget(db: Database, financialYearId: number) {
  const [target] = await db
    .select()
    .from(savingsTargets)
    .where(eq(savingsTargets.financialYearId, financialYearId))
    .orderBy(asc(savingsTargets.id));
  return target;
}

export async function insertSavingsInitiative(db: Database, values: typeof savingsInitiatives.$inferInsert) {
  const [initiative] = await db.insert(savingsInitiatives).values(values).returning();
  if (!initiative) throw new Error("The savings initiative was not saved");
  return initiative;
}

export async function insertInitiativeForecast(
  db: Database,
  values: typeof savingsInitiativeForecasts.$inferInsert,
) {
  const [forecast] = await db.insert(savingsInitiativeForecasts).values(values).returning();
  if (!forecast) throw new Error("The savings forecast was not saved");
  return forecast;
}

/** Inserts a quarter's first forecast for an initiative; nothing (undefined) if one exists already. */
export async function insertInitiativeForecastIfAbsent(
  db: Database,
  values: typeof savingsInitiativeForecasts.$inferInsert,
) {
  const [created] = await db
    .insert(savingsInitiativeForecasts)
    .values(values)
    // Unique on initiative, quarter and month, nulls not distinct (migration 0033).
    .onConflictDoNothing()
    .returning();
  return created;
}

/** The initiatives of a target with their forecast at a quarter (its own) or at one month of it. */
export async function listInitiatives(
  db: Database,
  targetId: number,
  quarter: number,
  month: number | null = null,
) {
  return (
    db
      .select({ initiative: savingsInitiatives, forecast: savingsInitiativeForecasts })
      .from(savingsInitiatives)
      .leftJoin(
        savingsInitiativeForecasts,
        and(
          eq(savingsInitiativeForecasts.initiativeId, savingsInitiatives.id),
          eq(savingsInitiativeForecasts.quarter, quarter),
          monthIs(savingsInitiativeForecasts.month, month),
        ),
      )
      // Archived initiatives (the budget's set-up page) leave current pages and new documents.
      .where(and(eq(savingsInitiatives.targetId, targetId), isNull(savingsInitiatives.archivedAt)))
      .orderBy(asc(savingsInitiatives.position), asc(savingsInitiatives.id))
  );
}

export async function findInitiative(db: Database, initiativeId: number) {
  const [row] = await db
    .select({ initiative: savingsInitiatives, target: savingsTargets, year: financialYears })
    .from(savingsInitiatives)
    .innerJoin(savingsTargets, eq(savingsTargets.id, savingsInitiatives.targetId))
    .innerJoin(financialYears, eq(financialYears.id, savingsTargets.financialYearId))
    .where(eq(savingsInitiatives.id, initiativeId));
  return row;
}

export async function findInitiativeForecast(
  db: Database,
  initiativeId: number,
  quarter: number,
  month: number | null = null,
) {
  const [forecast] = await db
    .select()
    .from(savingsInitiativeForecasts)
    .where(
      and(
        eq(savingsInitiativeForecasts.initiativeId, initiativeId),
        eq(savingsInitiativeForecasts.quarter, quarter),
        monthIs(savingsInitiativeForecasts.month, month),
      ),
    );
  return forecast;
}

export async function insertSavingsNote(db: Database, values: typeof savingsNotes.$inferInsert) {
  await db.insert(savingsNotes).values(values);
}

export async function listSavingsNotes(db: Database, targetId: number) {
  return db
    .select()
    .from(savingsNotes)
    .where(eq(savingsNotes.targetId, targetId))
    .orderBy(asc(savingsNotes.marker));
}

export async function insertSavingsProposal(db: Database, values: typeof savingsProposals.$inferInsert) {
  await db.insert(savingsProposals).values(values);
}

export async function listSavingsProposals(db: Database, financialYearId: number) {
  return db
    .select()
    .from(savingsProposals)
    .where(eq(savingsProposals.financialYearId, financialYearId))
    .orderBy(asc(savingsProposals.position));
}

// ---- growth, pressures, risks ----------------------------------------------------------------

export async function insertGrowthItem(db: Database, values: typeof growthItems.$inferInsert) {
  await db.insert(growthItems).values(values);
}

export async function listGrowthItems(db: Database, financialYearId: number) {
  return (
    db
      .select()
      .from(growthItems)
      // Archived growth items (the budget's set-up page) leave current pages and new documents.
      .where(and(eq(growthItems.financialYearId, financialYearId), isNull(growthItems.archivedAt)))
      .orderBy(asc(growthItems.position), asc(growthItems.id))
  );
}

export async function insertPressureFunding(db: Database, values: typeof pressureFunding.$inferInsert) {
  await db.insert(pressureFunding).values(values);
}

export async function listPressureFunding(db: Database, financialYearId: number) {
  return db
    .select()
    .from(pressureFunding)
    .where(eq(pressureFunding.financialYearId, financialYearId))
    .orderBy(asc(pressureFunding.position));
}

export async function insertFinancialRisk(db: Database, values: typeof financialRisks.$inferInsert) {
  const [risk] = await db.insert(financialRisks).values(values).returning();
  if (!risk) throw new Error("The financial risk was not saved");
  return risk;
}

/** A year's financial risks at one quarter (its own list) or one month of it (that month's list). */
export async function listFinancialRisks(
  db: Database,
  financialYearId: number,
  quarter: number,
  month: number | null = null,
) {
  return db
    .select()
    .from(financialRisks)
    .where(
      and(
        eq(financialRisks.financialYearId, financialYearId),
        eq(financialRisks.quarter, quarter),
        monthIs(financialRisks.month, month),
      ),
    )
    .orderBy(asc(financialRisks.position));
}

export async function findFinancialRisk(db: Database, id: number) {
  const [risk] = await db.select().from(financialRisks).where(eq(financialRisks.id, id));
  return risk;
}

export const updateFinancialRiskIfVersion = versionedUpdate(financialRisks);

/** Deletes a risk only if it is still at the version the person saw: the row deleted, else null. */
export async function deleteFinancialRiskIfVersion(db: Database, id: number, expectedVersion: number) {
  const [deleted] = await db
    .delete(financialRisks)
    .where(and(eq(financialRisks.id, id), eq(financialRisks.version, expectedVersion)))
    .returning();
  return deleted ?? null;
}

// ---- reserves and debt -----------------------------------------------------------------------

export async function findOrInsertReserve(db: Database, values: typeof earmarkedReserves.$inferInsert) {
  const [existing] = await db
    .select()
    .from(earmarkedReserves)
    .where(
      and(
        eq(earmarkedReserves.financialYearId, values.financialYearId),
        eq(earmarkedReserves.name, values.name),
      ),
    );
  if (existing) return existing;
  const [reserve] = await db.insert(earmarkedReserves).values(values).returning();
  if (!reserve) throw new Error("The reserve was not saved");
  return reserve;
}

export async function insertReserveBalance(
  db: Database,
  values: typeof earmarkedReserveBalances.$inferInsert,
) {
  await db.insert(earmarkedReserveBalances).values(values);
}

/** Every reserve of a year with all its quarterly balances (quarters not given have no row). */
export async function listReserveBalances(db: Database, financialYearId: number) {
  return (
    db
      .select({ reserve: earmarkedReserves, balance: earmarkedReserveBalances })
      .from(earmarkedReserves)
      .leftJoin(earmarkedReserveBalances, eq(earmarkedReserveBalances.reserveId, earmarkedReserves.id))
      // Archived reserves (the budget's set-up page) are left out of current pages and new documents.
      .where(
        and(eq(earmarkedReserves.financialYearId, financialYearId), isNull(earmarkedReserves.archivedAt)),
      )
      .orderBy(
        asc(earmarkedReserves.position),
        asc(earmarkedReserveBalances.quarter),
        asc(earmarkedReserveBalances.month),
      )
  );
}

export async function insertDebtBand(db: Database, values: typeof debtProfile.$inferInsert) {
  await db.insert(debtProfile).values(values);
}

export async function listDebtProfile(db: Database, financialYearId: number) {
  return db
    .select()
    .from(debtProfile)
    .where(eq(debtProfile.financialYearId, financialYearId))
    .orderBy(asc(debtProfile.quarter), asc(debtProfile.position));
}

export async function insertDebtWriteOff(db: Database, values: typeof debtWriteOffs.$inferInsert) {
  await db.insert(debtWriteOffs).values(values);
}

export async function findDebtWriteOff(
  db: Database,
  financialYearId: number,
  quarter: number,
  month: number | null = null,
) {
  const [row] = await db
    .select()
    .from(debtWriteOffs)
    .where(
      and(
        eq(debtWriteOffs.financialYearId, financialYearId),
        eq(debtWriteOffs.quarter, quarter),
        monthIs(debtWriteOffs.month, month),
      ),
    );
  return row;
}

// ---- stated totals ---------------------------------------------------------------------------

export async function insertStatedTotal(db: Database, values: typeof statedTotals.$inferInsert) {
  await db.insert(statedTotals).values(values);
}

export async function listStatedTotals(db: Database, financialYearId: number) {
  return db.select().from(statedTotals).where(eq(statedTotals.financialYearId, financialYearId));
}

/** The one settings row is created by migration 0008; only its values change. */
export async function findFinanceSettings(db: Database) {
  const [row] = await db.select().from(financeSettings).where(eq(financeSettings.id, 1));
  return row;
}

// ---- a year's records, for carrying forward and for what a period still needs -------------

export async function listYearLines(db: Database, financialYearId: number) {
  return (
    db
      .select()
      .from(monitoringLines)
      // Archived lines (the budget's set-up page) are left out of current pages and new documents.
      .where(and(eq(monitoringLines.financialYearId, financialYearId), isNull(monitoringLines.archivedAt)))
      .orderBy(asc(monitoringLines.portfolio), asc(monitoringLines.position))
  );
}

/** A year's lines, each with its forecast for one quarter or month of it (null where none is recorded). */
export async function listYearLinesWithForecast(
  db: Database,
  financialYearId: number,
  quarter: number,
  month: number | null = null,
) {
  return (
    db
      .select({ line: monitoringLines, forecast: monitoringForecasts })
      .from(monitoringLines)
      .leftJoin(
        monitoringForecasts,
        and(eq(monitoringForecasts.lineId, monitoringLines.id), forecastAt(quarter, month)),
      )
      // Archived lines (the budget's set-up page) are left out of current pages and new documents.
      .where(and(eq(monitoringLines.financialYearId, financialYearId), isNull(monitoringLines.archivedAt)))
      .orderBy(asc(monitoringLines.portfolio), asc(monitoringLines.position))
  );
}

/** A target's live initiatives in order (an archived one is not carried forward). */
export async function listTargetInitiatives(db: Database, targetId: number) {
  return db
    .select()
    .from(savingsInitiatives)
    .where(and(eq(savingsInitiatives.targetId, targetId), isNull(savingsInitiatives.archivedAt)))
    .orderBy(asc(savingsInitiatives.position), asc(savingsInitiatives.id));
}

/** A year's monitoring reports, in quarter order. */
export async function listYearReports(db: Database, financialYearId: number) {
  return db
    .select()
    .from(monitoringReports)
    .where(eq(monitoringReports.financialYearId, financialYearId))
    .orderBy(asc(monitoringReports.quarter));
}

/** Starts a quarter's report record; nothing if another entry started it first. */
export async function insertMonitoringReportIfAbsent(
  db: Database,
  values: typeof monitoringReports.$inferInsert,
) {
  await db.insert(monitoringReports).values(values).onConflictDoNothing();
}

/** Updates the budget rating settings row if it is still at `version`, bumping it; null when someone else saved first. */
export const updateRatingSettingsIfVersion = versionedUpdate(financeSettings);

/** Updates a monitoring forecast if it is still at `version`, bumping it; null when someone else saved first. */
export const updateForecastIfVersion = versionedUpdate(monitoringForecasts);

/** Updates a savings initiative's forecast if it is still at `version`, bumping it; null when someone else saved first. */
export const updateInitiativeForecastIfVersion = versionedUpdate(savingsInitiativeForecasts);
