import type { Database } from "../../db/client.ts";
import { budgetRag, type ExplanationRequirement, mustExplain } from "../../domain/budget.ts";
import { financialYearCode, financialYearLabel } from "../../domain/periods.ts";
import { recordAuditEvent } from "../audit/audit.service.ts";
import * as entryRepository from "./finance.entry.repository.ts";
import * as repository from "./finance.repository.ts";
import { explanationRequirement, ratingSettings } from "./finance.settings.ts";
import { forecastPeriod, forecastPeriodPath, forecastPeriodSlug, isAt } from "./finance.shared.ts";

/**
 * Opening a financial year's budget monitoring, and what one quarter of it still needs. The
 * approved budget, the budget lines and the savings initiatives are carried forward from the
 * year before only where the officer says so; nothing is copied silently.
 */

export interface CarryForward {
  /** The approved budget, division by division and heading by heading. */
  approvedBudget: boolean;
  /** The budget lines (service areas) forecasts are entered against. */
  lines: boolean;
  /** The savings target's initiatives, with their amounts. */
  savingsInitiatives: boolean;
}

export const NOTHING_CARRIED: CarryForward = {
  approvedBudget: false,
  lines: false,
  savingsInitiatives: false,
};

/** What was carried forward, counted, for the success message and the audit trail. */
export interface CarriedForward {
  divisions: number;
  lines: number;
  initiatives: number;
}

/**
 * Records the financial year (if finance has not yet) and carries forward what the officer
 * chose from the year before. Called inside the caller's transaction; audited there.
 */
export async function openFinancialYear(
  tx: Database,
  actor: string,
  startYear: number,
  carry: CarryForward,
): Promise<CarriedForward> {
  const year = await repository.insertFinancialYear(
    tx,
    financialYearCode(startYear),
    financialYearLabel(startYear),
  );
  const previous = await repository.findFinancialYear(tx, financialYearCode(startYear - 1));
  const carried: CarriedForward = { divisions: 0, lines: 0, initiatives: 0 };
  if (previous === undefined) return carried;

  if (carry.approvedBudget && (await repository.listDivisions(tx, year.id)).length === 0) {
    const divisions = await repository.listDivisions(tx, previous.id);
    const cells = await repository.listBudgetCells(
      tx,
      divisions.map((division) => division.id),
    );
    for (const division of divisions) {
      const copy = await repository.insertDivision(tx, {
        financialYearId: year.id,
        name: division.name,
        position: division.position,
        statedTotal: false,
      });
      await repository.insertBudgetCells(
        tx,
        cells
          .filter((cell) => cell.divisionId === division.id)
          .map((cell) => ({
            divisionId: copy.id,
            headingKey: cell.headingKey,
            amountPence: cell.amountPence,
          })),
      );
      carried.divisions += 1;
    }
  }

  if (carry.lines) {
    for (const line of await repository.listYearLines(tx, previous.id)) {
      await repository.findOrInsertLine(tx, {
        financialYearId: year.id,
        portfolio: line.portfolio,
        name: line.name,
        position: line.position,
      });
      carried.lines += 1;
    }
  }

  const previousTarget = await repository.findSavingsTarget(tx, previous.id);
  if (
    carry.savingsInitiatives &&
    previousTarget !== undefined &&
    (await repository.findSavingsTarget(tx, year.id)) === undefined
  ) {
    const initiatives = await repository.listTargetInitiatives(tx, previousTarget.id);
    const target = await repository.insertSavingsTarget(tx, {
      financialYearId: year.id,
      portfolio: previousTarget.portfolio,
      currentYearPence: initiatives.reduce((sum, initiative) => sum + initiative.amountPence, 0),
      priorYearBroughtForwardPence: 0,
    });
    for (const initiative of initiatives) {
      await repository.insertSavingsInitiative(tx, {
        targetId: target.id,
        name: initiative.name,
        amountPence: initiative.amountPence,
        position: initiative.position,
      });
      carried.initiatives += 1;
    }
  }

  await recordAuditEvent(tx, {
    actor,
    action: "create",
    entityType: "financial-year",
    entityId: year.code,
    summary: `Opened ${year.label} for budget monitoring`,
    after: { carry, carried },
  });
  return carried;
}

/**
 * How many of the period's forecasts carry an explanation of their variance. Unless the council's
 * setting requires them (decision 0040), explanations are optional, so they are counted beside the
 * section, never as missing (decision 0034); where it does, the lines it asks are listed as items.
 */
export function explanationsNote(
  forecasts: readonly ({ explanation: string } | null)[],
  requirement: ExplanationRequirement = "none",
): string | undefined {
  const entered = forecasts.filter((forecast) => forecast !== null);
  if (entered.length === 0) return undefined;
  const explained = entered.filter((forecast) => forecast.explanation.trim() !== "").length;
  const counted = entered.length === 1 ? "forecast entered has" : "forecasts entered have";
  const rule =
    requirement === "none"
      ? "Explanations are optional, so a forecast without one is not counted as missing."
      : `The council requires an explanation from each line rated ${requirement === "red" ? "Red" : "Red or Amber"}, listed below; for other lines it is optional.`;
  return `${explained} of ${entered.length} ${counted} an explanation of the variance. ${rule}`;
}

/**
 * The explanations the council's setting requires (decision 0040): one item per line with a
 * forecast whose rating, by the council's thresholds, must be explained; done when it is.
 */
function requiredExplanations(
  lines: Awaited<ReturnType<typeof repository.listYearLinesWithForecast>>,
  requirement: ExplanationRequirement,
  thresholds: Awaited<ReturnType<typeof ratingSettings>>["thresholds"],
  forecastSlug: string,
): FinanceItem[] {
  if (requirement === "none") return [];
  return lines.flatMap(({ line, forecast }) => {
    if (forecast === null) return [];
    const { rag } = budgetRag(
      forecast.controllableBudgetPence,
      forecast.forecastOutturnPence,
      thresholds["service-area"],
    );
    if (!mustExplain(requirement, rag)) return [];
    return [
      {
        name: `${line.name}: explanation of its variance (rated ${rag === "red" ? "Red" : "Amber"})`,
        done: forecast.explanation.trim() !== "",
        owner: line.owner,
        href: `/budget/lines/${line.id}/forecasts/${forecastSlug}/edit`,
      },
    ];
  });
}

export interface FinanceItem {
  /** What the item is: a budget line's or an initiative's name. */
  name: string;
  done: boolean;
  /** Its budget holder by name, where the item has one of its own; null otherwise (decision 0039). */
  owner: string | null;
  /** Where to enter or change it. */
  href: string;
}

export interface FinanceSection {
  key: "budget-lines" | "savings" | "growth" | "reserves" | "debt" | "financial-risks" | "budget-report";
  title: string;
  items: FinanceItem[];
  /** What the section counts beside its items, in words: for budget lines, their explanations. */
  note?: string;
}

/**
 * What budget monitoring has recorded for one quarter of a year, section by section: every line
 * with or without its forecast, every savings initiative with or without its forecast, every
 * growth item with or without its spend to date, every reserve with or without its balance, and
 * whether the debt profile, the debt written off and financial risks are in.
 */
export async function quarterCompleteness(
  db: Database,
  startYear: number,
  quarter: number,
  /** A month of the quarter, for a department monitored monthly: its budget lines' forecasts are the month's. */
  month: number | null = null,
): Promise<FinanceSection[]> {
  const code = financialYearCode(startYear);
  const year = await repository.findFinancialYear(db, code);
  const budget = `/budget/${code}/q${quarter}`;
  if (year === undefined) {
    return [
      { key: "budget-lines", title: "Budget lines and their forecasts", items: [] },
      { key: "savings", title: "Savings achieved", items: [] },
      { key: "growth", title: "Growth item spend", items: [] },
      { key: "reserves", title: "Earmarked reserves", items: [] },
      {
        key: "debt",
        title: "Debt",
        items: [{ name: "Debt by age band", done: false, owner: null, href: `${budget}/debt` }],
      },
      {
        key: "financial-risks",
        title: "Financial risks",
        items: [{ name: "Financial risks", done: false, owner: null, href: `${budget}/risks/new` }],
      },
    ];
  }
  const lines = await repository.listYearLinesWithForecast(db, year.id, quarter, month);
  const forecastSlug = forecastPeriodSlug(forecastPeriod(quarter, month));
  const { requirement } = await explanationRequirement(db);
  const explanations =
    requirement === "none"
      ? []
      : requiredExplanations(lines, requirement, (await ratingSettings(db)).thresholds, forecastSlug);
  const target = await repository.findSavingsTarget(db, year.id);
  // Savings, reserves and debt (decision 0021), growth spend and financial risks (decision 0024)
  // are a month's own in a year monitored monthly.
  const at = forecastPeriod(quarter, month);
  const balances = `/budget/${code}/${forecastPeriodPath(at)}`;
  const initiatives = target ? await repository.listInitiatives(db, target.id, quarter, month) : [];
  const reserves = await repository.listReserveBalances(db, year.id);
  const debt = await repository.listDebtProfile(db, year.id);
  const risks = await repository.listFinancialRisks(db, year.id, quarter, month);
  const growth = await entryRepository.listGrowthWithSpend(db, year.id, quarter, month);
  const writeOff = await entryRepository.findWriteOff(db, year.id, quarter, month);
  const reserveNames = new Map<number, { name: string; done: boolean }>();
  for (const { reserve, balance } of reserves) {
    const seen = reserveNames.get(reserve.id) ?? { name: reserve.name, done: false };
    if (balance && isAt(balance, at)) seen.done = true;
    reserveNames.set(reserve.id, seen);
  }
  return [
    {
      key: "budget-lines",
      title: "Budget lines and their forecasts",
      items: [
        ...lines.map(({ line, forecast }) => ({
          name: line.name,
          done: forecast !== null,
          owner: line.owner,
          href: forecast
            ? `/budget/lines/${line.id}/forecasts/${forecastSlug}/edit`
            : `/budget/lines/${line.id}/forecasts/${forecastSlug}/new`,
        })),
        ...explanations,
      ],
      note: explanationsNote(
        lines.map(({ forecast }) => forecast),
        requirement,
      ),
    },
    {
      key: "savings",
      title: "Savings achieved",
      items: initiatives.map(({ initiative, forecast }) => ({
        name: initiative.name,
        done: forecast !== null,
        owner: initiative.owner,
        href: `${balances}/savings`,
      })),
    },
    {
      key: "growth",
      title: "Growth item spend",
      items: growth.map(({ item, spend }) => ({
        name: `${item.ref} ${item.title}`,
        done: spend !== null,
        owner: item.owner,
        href: `${balances}/growth/edit`,
      })),
    },
    {
      key: "reserves",
      title: "Earmarked reserves",
      items: [...reserveNames.values()].map((reserve) => ({
        name: reserve.name,
        done: reserve.done,
        owner: null,
        href: `${balances}/reserves/edit`,
      })),
    },
    {
      key: "debt",
      title: "Debt",
      items: [
        {
          name: "Debt by age band",
          done: debt.some((band) => isAt(band, at)),
          owner: null,
          href: `${balances}/debt/edit`,
        },
        {
          name: "Debt written off in the year",
          done: writeOff !== undefined,
          owner: null,
          href: `${balances}/debt/edit`,
        },
      ],
    },
    {
      key: "financial-risks",
      title: "Financial risks",
      items: [
        {
          name: "Financial risks",
          done: risks.length > 0,
          owner: null,
          href: risks.length > 0 ? `${balances}/risks` : `${balances}/risks/new`,
        },
      ],
    },
  ];
}
