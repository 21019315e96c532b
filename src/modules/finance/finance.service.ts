import type { Database } from "../../db/client.ts";
import {
  BALANCE_TREND_WORDS,
  type BalanceTrend,
  type BudgetLevel,
  type BudgetPosition,
  type BudgetRagResult,
  balanceTrend,
  budgetPosition,
  budgetRag,
  type ControllableBudgetRow,
  describeReconciliation,
  formatPercentage,
  formatShare,
  grossBudget,
  netBudget,
  percentageShares,
  positionAfterFunding,
  type RagThresholds,
  type Reconciliation,
  reconcile,
  reconcileControllableBudget,
  roundedColumnCheck,
  SUBJECTIVE_HEADINGS,
  type SubjectiveHeading,
  savingsPosition,
  totalPosition,
} from "../../domain/budget.ts";
import {
  formatMillions,
  formatPounds,
  formatTableMillions,
  type Pence,
  sumPence,
} from "../../domain/money.ts";
import { Conflict, NotFound } from "../../errors.ts";
import { latestAuditEvent, recordAuditEvent } from "../audit/audit.service.ts";
import * as repository from "./finance.repository.ts";
import type {
  ForecastEdit,
  ForecastNew,
  RatingSettings,
  SavingsForecastEdit,
  SavingsForecastNew,
} from "./finance.schemas.ts";

/** £m to 3 decimals, as the quarterly report's tables print it; the step that display rounds to. */
const THOUSAND_POUNDS = 100_000;

export const RAG_WORDS = { red: "Red", amber: "Amber", green: "Green" } as const;
/** The shared rating styles: colour always beside the word. */
export const RAG_CLASSES = { red: "action", amber: "review", green: "good" } as const;

/** A figure with its exact pence and the way the report prints it. */
export interface Figure {
  pence: Pence;
  table: string;
  exact: string;
}

function figure(pence: Pence): Figure {
  return { pence, table: formatTableMillions(pence), exact: formatPounds(pence, { pence: true }) };
}

function optionalFigure(pence: Pence | null | undefined): Figure | null {
  return pence == null ? null : figure(pence);
}

export interface PositionView {
  controllableBudget: Figure;
  forecastOutturn: Figure;
  variance: Figure;
  percentage: string;
  rating: { rag: BudgetRagResult["rag"]; word: string; className: string; explanation: string };
}

type Thresholds = Readonly<Record<BudgetLevel, RagThresholds>>;

function positionView(position: BudgetPosition, level: BudgetLevel, thresholds: Thresholds): PositionView {
  const rating = budgetRag(position.controllableBudget, position.forecastOutturn, thresholds[level]);
  return {
    controllableBudget: figure(position.controllableBudget),
    forecastOutturn: figure(position.forecastOutturn),
    variance: figure(position.variance),
    percentage: formatPercentage(position.variancePercentage),
    rating: {
      rag: rating.rag,
      word: RAG_WORDS[rating.rag],
      className: RAG_CLASSES[rating.rag],
      explanation: rating.explanation,
    },
  };
}

/** A disagreement between stored parts and a stated total, in words, for the page to show. */
export interface Disagreement {
  label: string;
  message: string;
}

function disagreementOf(
  check: Reconciliation,
  describe: (pence: Pence) => string = formatMillions,
): Disagreement | null {
  if (check.agrees) return null;
  return {
    label: check.label,
    message: `${check.label}: the figures stored add to ${describe(check.computed)}, but the document states ${describe(check.stated)} (a difference of ${describe(check.difference)}).`,
  };
}

function compact<T>(values: (T | null)[]): T[] {
  return values.filter((value): value is T => value !== null);
}

async function requireYear(db: Database, code: string) {
  const year = await repository.findFinancialYear(db, code);
  if (!year) throw new NotFound(`Financial year ${code}`);
  return year;
}

function requireQuarter(quarter: number): number {
  if (!Number.isInteger(quarter) || quarter < 1 || quarter > 4) throw new NotFound(`Quarter ${quarter}`);
  return quarter;
}

// ---------------------------------------------------------------------------------------------
// Rating thresholds: a council setting
// ---------------------------------------------------------------------------------------------

/** "5%" from 500 basis points, "0.5%" from 50: exact, as a person would type it. */
function basisPointsText(basisPoints: number): string {
  const whole = Math.trunc(basisPoints / 100);
  const rest = basisPoints % 100;
  return rest === 0 ? `${whole}%` : `${whole}.${String(rest).padStart(2, "0").replace(/0$/, "")}%`;
}

function thresholdText(threshold: { basisPoints: number; pence: Pence }): string {
  return `${basisPointsText(threshold.basisPoints)} or ${formatPounds(threshold.pence, { pence: threshold.pence % 100 !== 0 })}`;
}

/**
 * The council's rating thresholds (migration 0008 creates the row with the defaults): a budget
 * line is red at an overspend reaching its percentage or amount, whichever is lower, and the
 * fund total at its own; any smaller overspend is amber, on budget or under is green.
 */
export async function ratingSettings(db: Database) {
  const row = await repository.findFinanceSettings(db);
  if (!row) throw new NotFound("The budget rating settings");
  const none = { basisPoints: 0, pence: 0 };
  const thresholds: Thresholds = {
    "service-area": {
      red: { basisPoints: row.serviceAreaRedBasisPoints, pence: row.serviceAreaRedPence },
      amber: none,
    },
    fund: { red: { basisPoints: row.fundRedBasisPoints, pence: row.fundRedPence }, amber: none },
  };
  return {
    row,
    thresholds,
    rule: `A budget line is Red at an overspend of ${thresholdText(thresholds["service-area"].red)}, whichever is lower, and the portfolio total at ${thresholdText(thresholds.fund.red)}; any smaller overspend is Amber; on budget or underspent is Green.`,
    values: {
      serviceAreaPercentage: basisPointsText(row.serviceAreaRedBasisPoints),
      serviceAreaAmount: formatPounds(row.serviceAreaRedPence, {
        pence: row.serviceAreaRedPence % 100 !== 0,
      }),
      fundPercentage: basisPointsText(row.fundRedBasisPoints),
      fundAmount: formatPounds(row.fundRedPence, { pence: row.fundRedPence % 100 !== 0 }),
    },
  };
}

/**
 * Changes the rating thresholds, as read by `ratingSettingsSchema`; a form opened at an older
 * version is refused with Conflict and nothing changes.
 */
export async function updateRatingSettings(db: Database, actor: string, edit: RatingSettings) {
  return db.transaction(async (tx) => {
    const before = await ratingSettings(tx);
    const updated = await repository.updateRatingSettingsIfVersion(tx, 1, edit.version, {
      serviceAreaRedBasisPoints: edit.serviceAreaPercentage,
      serviceAreaRedPence: edit.serviceAreaAmount,
      fundRedBasisPoints: edit.fundPercentage,
      fundRedPence: edit.fundAmount,
      updatedAt: new Date(),
    });
    if (!updated) {
      const saved = await latestAuditEvent(tx, "finance-settings", 1);
      const submitted = (basisPoints: number, pence: Pence) => thresholdText({ basisPoints, pence });
      throw new Conflict(
        "The budget rating thresholds",
        [
          {
            label: "A budget line is Red at",
            saved: thresholdText(before.thresholds["service-area"].red),
            submitted: submitted(edit.serviceAreaPercentage, edit.serviceAreaAmount),
          },
          {
            label: "The portfolio total is Red at",
            saved: thresholdText(before.thresholds.fund.red),
            submitted: submitted(edit.fundPercentage, edit.fundAmount),
          },
        ],
        "/budget/settings",
        saved ? { actor: saved.actor, at: saved.occurredAt } : undefined,
      );
    }
    const after = await ratingSettings(tx);
    await recordAuditEvent(tx, {
      actor,
      action: "update",
      entityType: "finance-settings",
      entityId: 1,
      summary: `Changed the budget rating thresholds: ${after.rule}`,
      before: { ...before.values, version: before.row.version },
      after: { ...after.values, version: updated.version },
    });
    return after;
  });
}

// ---------------------------------------------------------------------------------------------
// Forecast outturn for a quarter
// ---------------------------------------------------------------------------------------------

export async function listReportQuarters(db: Database) {
  return repository.listReportQuarters(db);
}

/** The latest quarter with a monitoring report, for the Budget landing page. */
export async function latestReportQuarter(db: Database) {
  const quarters = await repository.listReportQuarters(db);
  return quarters.at(-1);
}

export async function forecastOutturnReport(db: Database, yearCode: string, quarter: number) {
  const year = await requireYear(db, yearCode);
  const settings = await ratingSettings(db);
  const thresholds = settings.thresholds;
  requireQuarter(quarter);
  const report = await repository.findMonitoringReport(db, year.id, quarter);
  if (!report) return { year, quarter, report: null } as const;

  const rows = await repository.listQuarterForecasts(db, year.id, report.portfolio, quarter);
  const lines = rows.map(({ line, forecast }) => ({
    lineId: line.id,
    name: line.name,
    forecastId: forecast.id,
    version: forecast.version,
    ...positionView(
      budgetPosition(forecast.controllableBudgetPence, forecast.forecastOutturnPence),
      "service-area",
      thresholds,
    ),
  }));
  const exactLines = rows.map(({ line, forecast }) => ({
    name: line.name,
    controllableBudget: forecast.controllableBudgetPence,
    forecastOutturn: forecast.forecastOutturnPence,
  }));
  const total = totalPosition(exactLines);
  const funding = await repository.listAdditionalFunding(db, report.id);
  const fundingTotal = sumPence(funding.map((item) => item.amountPence));
  const afterFunding = positionAfterFunding(total, fundingTotal);
  const totalView = positionView(total, "fund", thresholds);
  const afterFundingView = positionView(afterFunding, "fund", thresholds);

  // Where the stored lines and the document's stated totals disagree, the page says so.
  const disagreements: Disagreement[] = compact([
    report.statedBudgetPence == null
      ? null
      : disagreementOf(
          reconcile("Total controllable budget", total.controllableBudget, report.statedBudgetPence),
        ),
    report.statedForecastPence == null
      ? null
      : disagreementOf(
          reconcile("Total full year forecast", total.forecastOutturn, report.statedForecastPence),
        ),
    report.statedVariancePence == null
      ? null
      : disagreementOf(reconcile("Total variance", total.variance, report.statedVariancePence)),
    report.statedPercentage == null || report.statedPercentage === totalView.percentage
      ? null
      : {
          label: "Total percentage",
          message: `Total percentage: the figures stored give ${totalView.percentage}, but the document states ${report.statedPercentage}.`,
        },
    report.statedBudgetAfterFundingPence == null
      ? null
      : disagreementOf(
          reconcile(
            "Budget after additional funding",
            afterFunding.controllableBudget,
            report.statedBudgetAfterFundingPence,
          ),
        ),
    report.statedVarianceAfterFundingPence == null
      ? null
      : disagreementOf(
          reconcile(
            "Variance after additional funding",
            afterFunding.variance,
            report.statedVarianceAfterFundingPence,
          ),
        ),
    report.statedPercentageAfterFunding == null ||
    report.statedPercentageAfterFunding === afterFundingView.percentage
      ? null
      : {
          label: "Percentage after additional funding",
          message: `Percentage after additional funding: the figures stored give ${afterFundingView.percentage}, but the document states ${report.statedPercentageAfterFunding}.`,
        },
  ]);
  // Lines entered to the penny can print, at £m to 3 decimals, as a column that misses its total.
  for (const [label, pick] of [
    ["Controllable budget", (line: (typeof exactLines)[number]) => line.controllableBudget],
    ["Full year forecast", (line: (typeof exactLines)[number]) => line.forecastOutturn],
  ] as const) {
    const check = roundedColumnCheck(exactLines.map(pick), THOUSAND_POUNDS);
    if (!check.adds) {
      disagreements.push({
        label: `${label} column`,
        message: `${label} column: the rounded lines add to ${formatTableMillions(check.sumOfDisplayedParts)} but the total shows ${formatTableMillions(check.displayedTotal)}, because each figure is rounded on its own. The total is exact.`,
      });
    }
  }

  const narratives = await repository.listNarratives(db, report.id);
  const oneOffIncome = await repository.listOneOffIncome(db, report.id);
  return {
    year,
    quarter,
    report,
    ratingRule: settings.rule,
    lines,
    total: totalView,
    funding: funding.map((item) => ({ name: item.name, amount: figure(item.amountPence) })),
    fundingTotal: figure(fundingTotal),
    afterFunding: afterFundingView,
    disagreements,
    narratives: narratives.map((narrative) => ({
      ...narrative,
      amount: figure(narrative.amountPence),
      paragraphs: narrative.narrative.split("\n\n"),
    })),
    oneOffIncome: oneOffIncome.map((item) => ({
      description: item.description,
      amount: figure(item.amountPence),
    })),
  };
}

export type ForecastOutturnReport = Awaited<ReturnType<typeof forecastOutturnReport>>;

/** A budget line with its forecast at each quarter (empty where none was reported) and narratives. */
export async function budgetLineDetail(db: Database, lineId: number) {
  const found = await repository.findLine(db, lineId);
  if (!found) throw new NotFound(`Budget line ${lineId}`);
  const forecasts = await repository.listLineForecasts(db, lineId);
  const { thresholds } = await ratingSettings(db);
  const quarters = [1, 2, 3, 4].map((quarter) => {
    const forecast = forecasts.find((candidate) => candidate.quarter === quarter);
    return {
      quarter,
      forecast: forecast
        ? {
            version: forecast.version,
            ...positionView(
              budgetPosition(forecast.controllableBudgetPence, forecast.forecastOutturnPence),
              "service-area",
              thresholds,
            ),
          }
        : null,
    };
  });
  const narratives = await repository.listLineNarratives(db, lineId);
  return {
    line: found.line,
    year: found.year,
    quarters,
    narratives: narratives.map(({ narrative, quarter }) => ({
      ...narrative,
      quarter,
      amount: figure(narrative.amountPence),
      paragraphs: narrative.narrative.split("\n\n"),
    })),
  };
}

export async function forecastForEdit(db: Database, lineId: number, quarter: number) {
  const found = await repository.findLine(db, lineId);
  if (!found) throw new NotFound(`Budget line ${lineId}`);
  const forecast = await repository.findForecast(db, lineId, requireQuarter(quarter));
  if (!forecast) throw new NotFound(`The quarter ${quarter} forecast for ${found.line.name}`);
  return { line: found.line, year: found.year, forecast };
}

/**
 * Changes a budget line's controllable budget and full-year forecast at one quarter, in pence as
 * `forecastEditSchema` read them from what was typed; a form opened at an older version is
 * refused with Conflict and nothing is written.
 */
export async function updateForecast(
  db: Database,
  actor: string,
  options: { lineId: number; quarter: number; edit: ForecastEdit },
) {
  const { edit } = options;
  return db.transaction(async (tx) => {
    const { line, year, forecast } = await forecastForEdit(tx, options.lineId, options.quarter);
    const updated = await repository.updateForecastIfVersion(tx, forecast.id, edit.version, {
      controllableBudgetPence: edit.controllableBudget,
      forecastOutturnPence: edit.forecastOutturn,
      updatedAt: new Date(),
    });
    if (!updated) {
      const saved = await latestAuditEvent(tx, "monitoring-forecast", forecast.id);
      throw new Conflict(
        `The quarter ${forecast.quarter} forecast for ${line.name}`,
        [
          {
            label: "Controllable budget",
            saved: formatPounds(forecast.controllableBudgetPence, { pence: true }),
            submitted: formatPounds(edit.controllableBudget, { pence: true }),
          },
          {
            label: "Full year forecast",
            saved: formatPounds(forecast.forecastOutturnPence, { pence: true }),
            submitted: formatPounds(edit.forecastOutturn, { pence: true }),
          },
        ],
        `/budget/lines/${line.id}/forecasts/${forecast.quarter}/edit`,
        saved ? { actor: saved.actor, at: saved.occurredAt } : undefined,
      );
    }
    await recordAuditEvent(tx, {
      actor,
      action: "update",
      entityType: "monitoring-forecast",
      entityId: forecast.id,
      summary: `Changed the ${year.label} quarter ${forecast.quarter} forecast for ${line.name}`,
      before: {
        controllableBudgetPence: forecast.controllableBudgetPence,
        forecastOutturnPence: forecast.forecastOutturnPence,
        version: forecast.version,
      },
      after: {
        controllableBudgetPence: updated.controllableBudgetPence,
        forecastOutturnPence: updated.forecastOutturnPence,
        version: updated.version,
      },
    });
    return { line, year, forecast: updated };
  });
}

/** A budget line and quarter with no forecast yet, for the form that enters the first one. */
export async function lineForNewForecast(db: Database, lineId: number, quarter: number) {
  const found = await repository.findLine(db, lineId);
  if (!found) throw new NotFound(`Budget line ${lineId}`);
  const existing = await repository.findForecast(db, lineId, requireQuarter(quarter));
  return { line: found.line, year: found.year, quarter, existing: existing ?? null };
}

/**
 * Enters the first forecast for a budget line at a quarter that has none. If someone else
 * entered that quarter's forecast after this form was opened, nothing is overwritten: Conflict,
 * with their figures beside the ones submitted.
 */
export async function createForecast(
  db: Database,
  actor: string,
  options: { lineId: number; quarter: number; entry: ForecastNew },
) {
  const { entry } = options;
  const conflict = async (tx: Database, line: { id: number; name: string }, quarter: number) => {
    const existing = await repository.findForecast(tx, line.id, quarter);
    const saved = existing ? await latestAuditEvent(tx, "monitoring-forecast", existing.id) : undefined;
    return new Conflict(
      `The quarter ${quarter} forecast for ${line.name}`,
      [
        {
          label: "Controllable budget",
          saved: existing ? formatPounds(existing.controllableBudgetPence, { pence: true }) : "",
          submitted: formatPounds(entry.controllableBudget, { pence: true }),
        },
        {
          label: "Full year forecast",
          saved: existing ? formatPounds(existing.forecastOutturnPence, { pence: true }) : "",
          submitted: formatPounds(entry.forecastOutturn, { pence: true }),
        },
      ],
      `/budget/lines/${line.id}/forecasts/${quarter}/edit`,
      saved ? { actor: saved.actor, at: saved.occurredAt } : undefined,
    );
  };
  return db.transaction(async (tx) => {
    const { line, year, quarter, existing } = await lineForNewForecast(tx, options.lineId, options.quarter);
    if (existing) throw await conflict(tx, line, quarter);
    // The unique (line, quarter) key decides between two people entering the same quarter at once:
    // the second insert does nothing, and reads the first one's figures (committed by then).
    const created = await repository.insertForecastIfAbsent(tx, {
      lineId: line.id,
      quarter,
      controllableBudgetPence: entry.controllableBudget,
      forecastOutturnPence: entry.forecastOutturn,
    });
    if (!created) throw await conflict(tx, line, quarter);
    // The first forecast of a quarter starts its budget monitoring: the quarter's report record,
    // titled as the year's latest, with no totals stated (Baseplan works them out from the lines).
    if (!(await repository.findMonitoringReport(tx, year.id, quarter))) {
      const latest = (await repository.listYearReports(tx, year.id)).at(-1);
      await repository.insertMonitoringReportIfAbsent(tx, {
        financialYearId: year.id,
        quarter,
        portfolio: line.portfolio,
        title: latest?.title ?? `${line.portfolio} budget monitoring`,
      });
    }
    await recordAuditEvent(tx, {
      actor,
      action: "create",
      entityType: "monitoring-forecast",
      entityId: created.id,
      summary: `Entered the ${year.label} quarter ${quarter} forecast for ${line.name}`,
      before: null,
      after: {
        controllableBudgetPence: created.controllableBudgetPence,
        forecastOutturnPence: created.forecastOutturnPence,
        version: created.version,
      },
    });
    return { line, year, forecast: created };
  });
}

// ---------------------------------------------------------------------------------------------
// Savings
// ---------------------------------------------------------------------------------------------

export async function savingsReport(db: Database, yearCode: string, quarter: number) {
  const year = await requireYear(db, yearCode);
  requireQuarter(quarter);
  const target = await repository.findSavingsTarget(db, year.id);
  if (!target) return { year, quarter, target: null, unreported: [] } as const;
  const rows = await repository.listInitiatives(db, target.id, quarter);
  const reported = rows.filter((row) => row.forecast !== null);
  if (reported.length === 0) {
    // Nothing reported for the quarter: the initiatives, so a first forecast can be entered.
    const unreported = rows.map((row) => ({ id: row.initiative.id, name: row.initiative.name }));
    return { year, quarter, target: null, unreported } as const;
  }
  const position = savingsPosition(
    target.currentYearPence,
    target.priorYearBroughtForwardPence,
    rows.map((row) => ({
      name: row.initiative.name,
      amount: row.initiative.amountPence,
      forecastAchieved: row.forecast?.forecastAchievedPence ?? 0,
    })),
  );
  const stated = new Map(
    (await repository.listStatedTotals(db, year.id))
      .filter((row) => row.quarter === quarter || row.quarter === null)
      .map((row) => [row.key, row]),
  );
  const checks: (Reconciliation | null)[] = [
    target.statedTargetPence == null
      ? null
      : reconcile("Budget savings target", position.target, target.statedTargetPence),
  ];
  for (const [key, label, computed] of [
    ["savings-identified", "Budget reduction amount (total position)", position.identified],
    ["savings-achieved", "Forecast to be achieved (total position)", position.forecastAchieved],
    ["savings-shortfall", "Shortfall (total position)", position.shortfall],
    [
      "savings-shortfall-identified",
      "Shortfall of identified savings",
      position.shortfallOfIdentifiedSavings,
    ],
  ] as const) {
    const statedTotal = stated.get(key);
    checks.push(statedTotal ? reconcile(label, computed, statedTotal.amountPence) : null);
  }
  const disagreements = compact(checks.map((check) => (check ? disagreementOf(check) : null)));
  const notReported = rows.filter((row) => row.forecast === null).map((row) => row.initiative.name);
  if (notReported.length > 0) {
    disagreements.push({
      label: "Initiatives without a forecast",
      message: `No quarter ${quarter} forecast is recorded for ${notReported.join(", ")}; they count as nothing achieved.`,
    });
  }
  const notes = await repository.listSavingsNotes(db, target.id);
  return {
    year,
    quarter,
    target: {
      ...target,
      currentYear: figure(target.currentYearPence),
      priorYearBroughtForward: figure(target.priorYearBroughtForwardPence),
      total: figure(position.target),
    },
    initiatives: rows.map((row, index) => {
      const computed = position.initiatives[index];
      const mark = computed?.onTrack ? "✓" : "✗";
      return {
        id: row.initiative.id,
        name: row.initiative.name,
        noteMarker: row.initiative.noteMarker,
        amount: figure(row.initiative.amountPence),
        forecastAchieved: optionalFigure(row.forecast?.forecastAchievedPence),
        shortfall: figure(computed?.shortfall ?? 0),
        onTrack: computed?.onTrack ?? false,
        mark,
        markWords: computed?.onTrack ? "Achieved" : "Shortfall",
        statedMark: row.forecast?.statedMark ?? null,
        statedMarkWords:
          row.forecast?.statedMark == null
            ? null
            : row.forecast.statedMark === "✓"
              ? "Achieved"
              : "Shortfall",
        statedMarkDiffers: row.forecast?.statedMark != null && row.forecast.statedMark !== mark,
        version: row.forecast?.version ?? null,
      };
    }),
    position: {
      identified: figure(position.identified),
      forecastAchieved: figure(position.forecastAchieved),
      shortfall: figure(position.shortfall),
      shortfallOfIdentifiedSavings: figure(position.shortfallOfIdentifiedSavings),
      onTrack: position.onTrack,
      mark: position.onTrack ? "✓" : "✗",
      markWords: position.onTrack ? "Achieved" : "Shortfall",
    },
    disagreements,
    notes,
  } as const;
}

export async function initiativeForecastForEdit(db: Database, initiativeId: number, quarter: number) {
  const found = await repository.findInitiative(db, initiativeId);
  if (!found) throw new NotFound(`Savings initiative ${initiativeId}`);
  const forecast = await repository.findInitiativeForecast(db, initiativeId, requireQuarter(quarter));
  if (!forecast) throw new NotFound(`The quarter ${quarter} forecast for ${found.initiative.name}`);
  return { ...found, forecast };
}

/** A savings initiative and a quarter with no forecast yet, for the form that enters the first one. */
export async function initiativeForNewForecast(db: Database, initiativeId: number, quarter: number) {
  const found = await repository.findInitiative(db, initiativeId);
  if (!found) throw new NotFound(`Savings initiative ${initiativeId}`);
  const existing = await repository.findInitiativeForecast(db, initiativeId, requireQuarter(quarter));
  return { ...found, quarter, existing: existing ?? null };
}

/**
 * Enters an initiative's first forecast for a quarter that has none. If someone else entered that
 * quarter's forecast after this form was opened, nothing is overwritten: Conflict, with their
 * figure beside the one submitted.
 */
export async function createInitiativeForecast(
  db: Database,
  actor: string,
  options: { initiativeId: number; quarter: number; entry: SavingsForecastNew },
) {
  const { entry } = options;
  const conflict = async (tx: Database, initiative: { id: number; name: string }, quarter: number) => {
    const existing = await repository.findInitiativeForecast(tx, initiative.id, quarter);
    const saved = existing
      ? await latestAuditEvent(tx, "savings-initiative-forecast", existing.id)
      : undefined;
    return new Conflict(
      `The quarter ${quarter} savings forecast for ${initiative.name}`,
      [
        {
          label: "Forecast achieved by the year end",
          saved: existing ? formatPounds(existing.forecastAchievedPence, { pence: true }) : "",
          submitted: formatPounds(entry.forecastAchieved, { pence: true }),
        },
      ],
      `/budget/savings/initiatives/${initiative.id}/forecasts/${quarter}/edit`,
      saved ? { actor: saved.actor, at: saved.occurredAt } : undefined,
    );
  };
  return db.transaction(async (tx) => {
    const { initiative, year, quarter, existing } = await initiativeForNewForecast(
      tx,
      options.initiativeId,
      options.quarter,
    );
    if (existing) throw await conflict(tx, initiative, quarter);
    // The unique (initiative, quarter) key decides between two people entering it at once.
    const created = await repository.insertInitiativeForecastIfAbsent(tx, {
      initiativeId: initiative.id,
      quarter,
      forecastAchievedPence: entry.forecastAchieved,
    });
    if (!created) throw await conflict(tx, initiative, quarter);
    await recordAuditEvent(tx, {
      actor,
      action: "create",
      entityType: "savings-initiative-forecast",
      entityId: created.id,
      summary: `Entered the ${year.label} quarter ${quarter} savings forecast for ${initiative.name}`,
      before: null,
      after: { forecastAchievedPence: created.forecastAchievedPence, version: created.version },
    });
    return { initiative, year, forecast: created };
  });
}

/** Changes what a savings initiative is forecast to achieve by the year end, as at one quarter. */
export async function updateInitiativeForecast(
  db: Database,
  actor: string,
  options: { initiativeId: number; quarter: number; edit: SavingsForecastEdit },
) {
  const { edit } = options;
  return db.transaction(async (tx) => {
    const { initiative, year, forecast } = await initiativeForecastForEdit(
      tx,
      options.initiativeId,
      options.quarter,
    );
    // A figure entered here replaces the document's tick or cross, which is then computed.
    const updated = await repository.updateInitiativeForecastIfVersion(tx, forecast.id, edit.version, {
      forecastAchievedPence: edit.forecastAchieved,
      statedMark: null,
      updatedAt: new Date(),
    });
    if (!updated) {
      const saved = await latestAuditEvent(tx, "savings-initiative-forecast", forecast.id);
      throw new Conflict(
        `The quarter ${forecast.quarter} savings forecast for ${initiative.name}`,
        [
          {
            label: "Forecast achieved by the year end",
            saved: formatPounds(forecast.forecastAchievedPence, { pence: true }),
            submitted: formatPounds(edit.forecastAchieved, { pence: true }),
          },
        ],
        `/budget/savings/initiatives/${initiative.id}/forecasts/${forecast.quarter}/edit`,
        saved ? { actor: saved.actor, at: saved.occurredAt } : undefined,
      );
    }
    await recordAuditEvent(tx, {
      actor,
      action: "update",
      entityType: "savings-initiative-forecast",
      entityId: forecast.id,
      summary: `Changed the ${year.label} quarter ${forecast.quarter} savings forecast for ${initiative.name}`,
      before: {
        forecastAchievedPence: forecast.forecastAchievedPence,
        statedMark: forecast.statedMark,
        version: forecast.version,
      },
      after: {
        forecastAchievedPence: updated.forecastAchievedPence,
        statedMark: null,
        version: updated.version,
      },
    });
    return { initiative, year, forecast: updated };
  });
}

// ---------------------------------------------------------------------------------------------
// Growth, pressure funding and proposed savings
// ---------------------------------------------------------------------------------------------

export async function growthReport(db: Database, yearCode: string) {
  const year = await requireYear(db, yearCode);
  const growth = await repository.listGrowthItems(db, year.id);
  const pressures = await repository.listPressureFunding(db, year.id);
  const proposals = await repository.listSavingsProposals(db, year.id);
  const stated = await repository.listStatedTotals(db, year.id);
  const statedOf = (key: string) => stated.find((row) => row.key === key);
  const proposalsTotal = sumPence(proposals.map((proposal) => proposal.amountPence));
  const disagreements: Disagreement[] = [];
  const statedProposals = statedOf("proposed-savings");
  if (statedProposals) {
    const found = disagreementOf(
      reconcile("Proposed savings", proposalsTotal, statedProposals.amountPence),
      (pence) => formatPounds(pence),
    );
    if (found) disagreements.push(found);
  }
  const headlines = stated
    .filter((row) => ["budget", "pay-and-price-inflation", "contingency"].includes(row.key))
    .map((row) => ({ key: row.key, stated: row.statedText, amount: figure(row.amountPence) }));
  return {
    year,
    growth: growth.map((item) => ({
      ...item,
      ongoing: optionalFigure(item.ongoingPence),
      oneOff: optionalFigure(item.oneOffPence),
      paragraphs: item.narrative.split("\n\n"),
    })),
    growthTotals: {
      ongoing: figure(sumPence(growth.map((item) => item.ongoingPence ?? 0))),
      oneOff: figure(sumPence(growth.map((item) => item.oneOffPence ?? 0))),
    },
    pressures: pressures.map((item) => ({ ...item, amount: figure(item.amountPence) })),
    proposals: proposals.map((proposal) => ({ ...proposal, amount: figure(proposal.amountPence) })),
    proposalsTotal: { ...figure(proposalsTotal), pounds: formatPounds(proposalsTotal) },
    statedProposals: statedProposals
      ? { text: statedProposals.statedText, amount: figure(statedProposals.amountPence) }
      : null,
    headlines,
    disagreements,
  };
}

// ---------------------------------------------------------------------------------------------
// Financial risks
// ---------------------------------------------------------------------------------------------

export async function financialRisksReport(db: Database, yearCode: string, quarter: number) {
  const year = await requireYear(db, yearCode);
  const risks = await repository.listFinancialRisks(db, year.id, requireQuarter(quarter));
  return {
    year,
    quarter,
    risks: risks.map((risk) => ({ ...risk, sensitivity: figure(risk.sensitivityPence) })),
  };
}

// ---------------------------------------------------------------------------------------------
// Earmarked reserves and debt
// ---------------------------------------------------------------------------------------------

/** A trend computed from the previous quarter's balance, or the direction the document reported. */
function trendView(current: Pence, previous: Pence | undefined, stated: string | null) {
  const computed: BalanceTrend = balanceTrend(current, previous);
  const trend = computed !== "unknown" ? computed : ((stated as BalanceTrend | null) ?? "unknown");
  return {
    trend,
    words: BALANCE_TREND_WORDS[trend],
    asReported: computed === "unknown" && stated !== null,
  };
}

export async function reservesReport(db: Database, yearCode: string, quarter: number) {
  const year = await requireYear(db, yearCode);
  requireQuarter(quarter);
  const rows = await repository.listReserveBalances(db, year.id);
  const byReserve = new Map<
    number,
    { name: string; balances: Map<number, (typeof rows)[number]["balance"]> }
  >();
  for (const row of rows) {
    const entry = byReserve.get(row.reserve.id) ?? { name: row.reserve.name, balances: new Map() };
    if (row.balance) entry.balances.set(row.balance.quarter, row.balance);
    byReserve.set(row.reserve.id, entry);
  }
  const reserves = [...byReserve.values()]
    .filter((entry) => entry.balances.has(quarter))
    .map((entry) => {
      const current = entry.balances.get(quarter);
      const previous = entry.balances.get(quarter - 1);
      const balance = current?.balancePence ?? 0;
      return {
        name: entry.name,
        balance: figure(balance),
        ...trendView(balance, previous?.balancePence, current?.statedTrend ?? null),
      };
    });
  const total = sumPence(reserves.map((reserve) => reserve.balance.pence));
  const stated = (await repository.listStatedTotals(db, year.id)).find(
    (row) => row.key === "earmarked-reserves" && row.quarter === quarter,
  );
  const previousTotal = [...byReserve.values()].every((entry) => entry.balances.has(quarter - 1))
    ? sumPence([...byReserve.values()].map((entry) => entry.balances.get(quarter - 1)?.balancePence ?? 0))
    : undefined;
  const disagreements = compact([
    stated ? disagreementOf(reconcile("Total reserves", total, stated.amountPence)) : null,
  ]);
  return {
    year,
    quarter,
    reserves,
    total: { balance: figure(total), ...trendView(total, previousTotal, stated?.statedTrend ?? null) },
    disagreements,
  };
}

export async function debtReport(db: Database, yearCode: string, quarter: number) {
  const year = await requireYear(db, yearCode);
  requireQuarter(quarter);
  const all = await repository.listDebtProfile(db, year.id);
  const bands = all.filter((band) => band.quarter === quarter);
  const previous = all.filter((band) => band.quarter === quarter - 1);
  const amounts = bands.map((band) => band.amountPence);
  const total = sumPence(amounts);
  // Largest-remainder shares always add to 100.0%; shares a document rounded one by one may not.
  const shares = bands.some((band) => band.amountPence < 0) ? bands.map(() => 0) : percentageShares(amounts);
  const statedTotals = await repository.listStatedTotals(db, year.id);
  const stated = statedTotals.find((row) => row.key === "debt" && row.quarter === quarter);
  const disagreements: Disagreement[] = compact([
    stated ? disagreementOf(reconcile("Total debt", total, stated.amountPence)) : null,
  ]);
  const statedShareUnits = bands.map((band) => shareUnits(band.statedShare));
  if (statedShareUnits.every((units) => units !== null) && bands.length > 0) {
    const sum = statedShareUnits.reduce<number>((acc, units) => acc + (units ?? 0), 0);
    if (sum !== 1000) {
      disagreements.push({
        label: "Shares of the total",
        message: `The shares the document prints add to ${formatShare(sum)}, not 100.0%, because each was rounded on its own. The shares shown here are from the amounts by largest-remainder rounding and add to 100.0%.`,
      });
    }
    bands.forEach((band, index) => {
      const computedShare = formatShare(shares[index] ?? 0);
      if (band.statedShare !== null && band.statedShare !== computedShare) {
        disagreements.push({
          label: band.band,
          message: `${band.band}: the document prints ${band.statedShare}; from the amounts it is ${computedShare}.`,
        });
      }
    });
  }
  const writeOff = await repository.findDebtWriteOff(db, year.id, quarter);
  const previousTotal = previous.length > 0 ? sumPence(previous.map((band) => band.amountPence)) : undefined;
  return {
    year,
    quarter,
    bands: bands.map((band, index) => ({
      band: band.band,
      amount: figure(band.amountPence),
      share: formatShare(shares[index] ?? 0),
      statedShare: band.statedShare,
      ...trendView(
        band.amountPence,
        previous.find((candidate) => candidate.bandKey === band.bandKey)?.amountPence,
        band.statedTrend,
      ),
    })),
    total: {
      amount: figure(total),
      share: bands.length > 0 ? "100.0%" : "",
      ...trendView(total, previousTotal, stated?.statedTrend ?? null),
    },
    writeOff: writeOff ? { ...writeOff, amount: figure(writeOff.amountPence) } : null,
    disagreements,
  };
}

function shareUnits(text: string | null): number | null {
  const match = /^(\d+)\.(\d)%$/.exec(text ?? "");
  return match ? Number(match[1]) * 10 + Number(match[2]) : null;
}

// ---------------------------------------------------------------------------------------------
// Approved controllable budget
// ---------------------------------------------------------------------------------------------

export async function approvedBudgetReport(db: Database, yearCode: string) {
  const year = await requireYear(db, yearCode);
  const headings = await repository.listSubjectiveHeadings(db);
  const divisions = await repository.listDivisions(db, year.id);
  const cells = await repository.listBudgetCells(
    db,
    divisions.map((division) => division.id),
  );
  const rowOf = (division: (typeof divisions)[number]): ControllableBudgetRow => {
    const amount = (key: string) =>
      cells.find((cell) => cell.divisionId === division.id && cell.headingKey === key)?.amountPence ?? 0;
    const headingAmounts = Object.fromEntries(SUBJECTIVE_HEADINGS.map((key) => [key, amount(key)])) as Record<
      SubjectiveHeading,
      Pence
    >;
    return {
      division: division.name,
      headings: headingAmounts,
      income: amount("income"),
      grants: amount("grants"),
      ...(division.statedGrossPence == null ? {} : { statedGross: division.statedGrossPence }),
      ...(division.statedNetPence == null ? {} : { statedNet: division.statedNetPence }),
    };
  };
  const divisionRows = divisions.filter((division) => !division.statedTotal).map(rowOf);
  const statedTotalDivision = divisions.find((division) => division.statedTotal);
  const statedTotalRow = statedTotalDivision ? rowOf(statedTotalDivision) : undefined;
  const reconciliation = reconcileControllableBudget(divisionRows, statedTotalRow);
  const pounds = (pence: Pence) => ({ pence, text: formatPounds(pence, { symbol: false }) });
  // The matrix is shown as printed; a cell is marked exactly where one of the listed checks
  // failed (a printed net is checked against the printed gross, as a reader adds it up), never
  // corrected.
  const failed = new Set(reconciliation.disagreements.map((check) => check.label));
  const viewRow = (row: ControllableBudgetRow) => {
    const gross = grossBudget(row.headings);
    const net = netBudget(row);
    return {
      division: row.division,
      cells: headings.map((heading) =>
        pounds(
          heading.key === "income"
            ? row.income
            : heading.key === "grants"
              ? row.grants
              : row.headings[heading.key as SubjectiveHeading],
        ),
      ),
      gross: { ...pounds(row.statedGross ?? gross), differs: failed.has(`${row.division}: Gross Budget`) },
      net: { ...pounds(row.statedNet ?? net), differs: failed.has(`${row.division}: Net Budget`) },
    };
  };
  const computedTotal: ControllableBudgetRow = {
    division: "Total controllable budget",
    headings: Object.fromEntries(
      SUBJECTIVE_HEADINGS.map((key) => [key, sumPence(divisionRows.map((row) => row.headings[key]))]),
    ) as Record<SubjectiveHeading, Pence>,
    income: sumPence(divisionRows.map((row) => row.income)),
    grants: sumPence(divisionRows.map((row) => row.grants)),
  };
  const columnDiffers = new Set(
    reconciliation.disagreements
      .filter((check) => check.label.startsWith("Total: "))
      .map((check) => check.label.slice("Total: ".length)),
  );
  const totalView = viewRow(statedTotalRow ?? computedTotal);
  return {
    year,
    headings,
    grossHeadings: headings.filter((heading) => heading.part === "gross"),
    divisions: divisionRows.map(viewRow),
    total: {
      ...totalView,
      cells: totalView.cells.map((cell, index) => ({
        ...cell,
        differs: columnDiffers.has(headings[index]?.title ?? ""),
      })),
      gross: { ...totalView.gross, differs: totalView.gross.differs || columnDiffers.has("Gross Budget") },
      net: { ...totalView.net, differs: totalView.net.differs || columnDiffers.has("Net Budget") },
    },
    computedTotal: {
      gross: pounds(grossBudget(computedTotal.headings)),
      net: pounds(netBudget(computedTotal)),
    },
    reconciliation,
    disagreements: reconciliation.disagreements.map((check) => ({
      label: check.label,
      message: describeReconciliation(check),
    })),
  };
}

// ---------------------------------------------------------------------------------------------
// Recording documents (the demo loader, and later imports, write through these)
// ---------------------------------------------------------------------------------------------

export interface DocumentSource {
  document: string;
  section: string;
}

async function audited(
  tx: Database,
  actor: string,
  source: DocumentSource,
  entityType: string,
  entityId: string | number,
  summary: string,
  after: unknown,
) {
  await recordAuditEvent(tx, {
    actor,
    action: "import",
    entityType,
    entityId,
    summary: `${summary} from ${source.document} (${source.section})`,
    after,
  });
}

export async function recordFinancialYear(db: Database, code: string, label: string) {
  return repository.insertFinancialYear(db, code, label);
}

export interface ApprovedBudgetInput {
  yearCode: string;
  yearLabel: string;
  divisions: {
    name: string;
    statedTotal: boolean;
    amounts: Record<string, Pence>;
    statedGross: Pence | null;
    statedNet: Pence | null;
  }[];
}

export async function recordApprovedBudget(
  db: Database,
  actor: string,
  source: DocumentSource,
  input: ApprovedBudgetInput,
) {
  return db.transaction(async (tx) => {
    const year = await repository.insertFinancialYear(tx, input.yearCode, input.yearLabel);
    let position = 0;
    for (const row of input.divisions) {
      position += 1;
      const division = await repository.insertDivision(tx, {
        financialYearId: year.id,
        name: row.name,
        position,
        statedTotal: row.statedTotal,
        statedGrossPence: row.statedGross,
        statedNetPence: row.statedNet,
      });
      await repository.insertBudgetCells(
        tx,
        Object.entries(row.amounts).map(([headingKey, amountPence]) => ({
          divisionId: division.id,
          headingKey,
          amountPence,
        })),
      );
      await audited(
        tx,
        actor,
        source,
        "budget-division",
        division.id,
        `Recorded the ${year.label} approved budget of ${row.name}`,
        row,
      );
    }
  });
}

export interface MonitoringReportInput {
  yearCode: string;
  yearLabel: string;
  quarter: number;
  portfolio: string;
  title: string;
  overview: string | null;
  lines: { name: string; controllableBudget: Pence; forecastOutturn: Pence }[];
  stated: {
    budget: Pence | null;
    forecast: Pence | null;
    variance: Pence | null;
    percentage: string | null;
    budgetAfterFunding: Pence | null;
    varianceAfterFunding: Pence | null;
    percentageAfterFunding: string | null;
  };
  additionalFunding: { name: string; amount: Pence }[];
  oneOffIncome: { description: string; amount: Pence }[];
  narratives: {
    ref: string;
    heading: string;
    direction: "overspend" | "underspend";
    amount: Pence;
    paragraphs: string[];
    note: string | null;
    lines: string[];
  }[];
}

export async function recordMonitoringReport(
  db: Database,
  actor: string,
  source: DocumentSource,
  input: MonitoringReportInput,
) {
  return db.transaction(async (tx) => {
    const year = await repository.insertFinancialYear(tx, input.yearCode, input.yearLabel);
    const report = await repository.insertMonitoringReport(tx, {
      financialYearId: year.id,
      quarter: input.quarter,
      portfolio: input.portfolio,
      title: input.title,
      overview: input.overview,
      statedBudgetPence: input.stated.budget,
      statedForecastPence: input.stated.forecast,
      statedVariancePence: input.stated.variance,
      statedPercentage: input.stated.percentage,
      statedBudgetAfterFundingPence: input.stated.budgetAfterFunding,
      statedVarianceAfterFundingPence: input.stated.varianceAfterFunding,
      statedPercentageAfterFunding: input.stated.percentageAfterFunding,
    });
    await audited(
      tx,
      actor,
      source,
      "monitoring-report",
      report.id,
      `Recorded the ${year.label} quarter ${input.quarter} monitoring report`,
      input.stated,
    );
    const lineIds = new Map<string, number>();
    let position = 0;
    for (const entry of input.lines) {
      position += 1;
      const line = await repository.findOrInsertLine(tx, {
        financialYearId: year.id,
        portfolio: input.portfolio,
        name: entry.name,
        position,
      });
      lineIds.set(entry.name.toLowerCase(), line.id);
      const forecast = await repository.insertForecast(tx, {
        lineId: line.id,
        quarter: input.quarter,
        controllableBudgetPence: entry.controllableBudget,
        forecastOutturnPence: entry.forecastOutturn,
      });
      await audited(
        tx,
        actor,
        source,
        "monitoring-forecast",
        forecast.id,
        `Recorded the quarter ${input.quarter} forecast for ${entry.name}`,
        entry,
      );
    }
    for (const funding of input.additionalFunding) {
      await repository.insertAdditionalFunding(tx, {
        reportId: report.id,
        name: funding.name,
        amountPence: funding.amount,
      });
    }
    for (const income of input.oneOffIncome) {
      await repository.insertOneOffIncome(tx, {
        reportId: report.id,
        description: income.description,
        amountPence: income.amount,
      });
    }
    let narrativePosition = 0;
    for (const narrative of input.narratives) {
      narrativePosition += 1;
      const ids = narrative.lines.map((name) => {
        const id = lineIds.get(name.toLowerCase());
        if (id === undefined)
          throw new Error(`Narrative ${narrative.ref} names an unknown budget line: ${name}`);
        return id;
      });
      await repository.insertNarrative(
        tx,
        {
          reportId: report.id,
          ref: narrative.ref,
          heading: narrative.heading,
          direction: narrative.direction,
          amountPence: narrative.amount,
          narrative: narrative.paragraphs.join("\n\n"),
          note: narrative.note,
          position: narrativePosition,
        },
        ids,
      );
    }
    return report;
  });
}

export interface SavingsInput {
  yearCode: string;
  yearLabel: string;
  quarter: number;
  portfolio: string;
  currentYear: Pence;
  priorYearBroughtForward: Pence;
  statedTarget: Pence | null;
  initiatives: {
    name: string;
    noteMarker: string | null;
    amount: Pence;
    forecastAchieved: Pence;
    statedMark: string | null;
  }[];
  statedTotals: { key: string; amount: Pence }[];
  notes: { marker: string; text: string }[];
}

export async function recordSavings(
  db: Database,
  actor: string,
  source: DocumentSource,
  input: SavingsInput,
) {
  return db.transaction(async (tx) => {
    const year = await repository.insertFinancialYear(tx, input.yearCode, input.yearLabel);
    const target = await repository.insertSavingsTarget(tx, {
      financialYearId: year.id,
      portfolio: input.portfolio,
      currentYearPence: input.currentYear,
      priorYearBroughtForwardPence: input.priorYearBroughtForward,
      statedTargetPence: input.statedTarget,
    });
    await audited(
      tx,
      actor,
      source,
      "savings-target",
      target.id,
      `Recorded the ${year.label} savings target`,
      target,
    );
    let position = 0;
    for (const entry of input.initiatives) {
      position += 1;
      const initiative = await repository.insertSavingsInitiative(tx, {
        targetId: target.id,
        name: entry.name,
        noteMarker: entry.noteMarker,
        amountPence: entry.amount,
        position,
      });
      const forecast = await repository.insertInitiativeForecast(tx, {
        initiativeId: initiative.id,
        quarter: input.quarter,
        forecastAchievedPence: entry.forecastAchieved,
        statedMark: entry.statedMark,
      });
      await audited(
        tx,
        actor,
        source,
        "savings-initiative-forecast",
        forecast.id,
        `Recorded the savings initiative ${entry.name}`,
        entry,
      );
    }
    for (const total of input.statedTotals) {
      await repository.insertStatedTotal(tx, {
        financialYearId: year.id,
        quarter: input.quarter,
        key: total.key,
        amountPence: total.amount,
      });
    }
    for (const note of input.notes) await repository.insertSavingsNote(tx, { targetId: target.id, ...note });
    return target;
  });
}

export interface GrowthInput {
  yearCode: string;
  yearLabel: string;
  items: { ref: string; title: string; ongoing: Pence | null; oneOff: Pence | null; paragraphs: string[] }[];
}

export async function recordGrowth(db: Database, actor: string, source: DocumentSource, input: GrowthInput) {
  return db.transaction(async (tx) => {
    const year = await repository.insertFinancialYear(tx, input.yearCode, input.yearLabel);
    let position = 0;
    for (const item of input.items) {
      position += 1;
      await repository.insertGrowthItem(tx, {
        financialYearId: year.id,
        ref: item.ref,
        title: item.title,
        ongoingPence: item.ongoing,
        oneOffPence: item.oneOff,
        narrative: item.paragraphs.join("\n\n"),
        position,
      });
    }
    await audited(
      tx,
      actor,
      source,
      "growth-items",
      year.code,
      `Recorded ${input.items.length} growth items for ${year.label}`,
      input.items,
    );
  });
}

export interface BudgetPlanInput {
  yearCode: string;
  yearLabel: string;
  headlines: { key: "budget" | "pay-and-price-inflation" | "contingency"; stated: string; amount: Pence }[];
  pressures: { name: string; kind: "ongoing" | "one-off"; amount: Pence }[];
  proposals: { title: string; description: string | null; amount: Pence }[];
  statedProposalsTotal: { stated: string; amount: Pence } | null;
}

export async function recordBudgetPlan(
  db: Database,
  actor: string,
  source: DocumentSource,
  input: BudgetPlanInput,
) {
  return db.transaction(async (tx) => {
    const year = await repository.insertFinancialYear(tx, input.yearCode, input.yearLabel);
    for (const headline of input.headlines) {
      await repository.insertStatedTotal(tx, {
        financialYearId: year.id,
        key: headline.key,
        amountPence: headline.amount,
        statedText: headline.stated,
      });
    }
    let position = 0;
    for (const pressure of input.pressures) {
      position += 1;
      await repository.insertPressureFunding(tx, {
        financialYearId: year.id,
        name: pressure.name,
        kind: pressure.kind,
        amountPence: pressure.amount,
        position,
      });
    }
    position = 0;
    for (const proposal of input.proposals) {
      position += 1;
      await repository.insertSavingsProposal(tx, {
        financialYearId: year.id,
        title: proposal.title,
        description: proposal.description,
        amountPence: proposal.amount,
        position,
      });
    }
    if (input.statedProposalsTotal) {
      await repository.insertStatedTotal(tx, {
        financialYearId: year.id,
        key: "proposed-savings",
        amountPence: input.statedProposalsTotal.amount,
        statedText: input.statedProposalsTotal.stated,
      });
    }
    await audited(
      tx,
      actor,
      source,
      "budget-plan",
      year.code,
      `Recorded the ${year.label} budget, pressure funding and proposed savings`,
      input,
    );
  });
}

export interface FinancialRisksInput {
  yearCode: string;
  yearLabel: string;
  quarter: number;
  risks: { service: string; risk: string; sensitivity: Pence; likelihood: number }[];
}

export async function recordFinancialRisks(
  db: Database,
  actor: string,
  source: DocumentSource,
  input: FinancialRisksInput,
) {
  return db.transaction(async (tx) => {
    const year = await repository.insertFinancialYear(tx, input.yearCode, input.yearLabel);
    let position = 0;
    for (const risk of input.risks) {
      position += 1;
      await repository.insertFinancialRisk(tx, {
        financialYearId: year.id,
        quarter: input.quarter,
        service: risk.service,
        risk: risk.risk,
        sensitivityPence: risk.sensitivity,
        likelihood: risk.likelihood,
        position,
      });
    }
    await audited(
      tx,
      actor,
      source,
      "financial-risks",
      `${year.code}-q${input.quarter}`,
      `Recorded ${input.risks.length} financial risks`,
      input.risks,
    );
  });
}

type Trend = "up" | "unchanged" | "down";

export interface ReservesInput {
  yearCode: string;
  yearLabel: string;
  quarter: number;
  reserves: { name: string; balance: Pence; statedTrend: Trend | null }[];
  statedTotal: { amount: Pence; trend: Trend | null } | null;
}

export async function recordEarmarkedReserves(
  db: Database,
  actor: string,
  source: DocumentSource,
  input: ReservesInput,
) {
  return db.transaction(async (tx) => {
    const year = await repository.insertFinancialYear(tx, input.yearCode, input.yearLabel);
    let position = 0;
    for (const entry of input.reserves) {
      position += 1;
      const reserve = await repository.findOrInsertReserve(tx, {
        financialYearId: year.id,
        name: entry.name,
        position,
      });
      await repository.insertReserveBalance(tx, {
        reserveId: reserve.id,
        quarter: input.quarter,
        balancePence: entry.balance,
        statedTrend: entry.statedTrend,
      });
    }
    if (input.statedTotal) {
      await repository.insertStatedTotal(tx, {
        financialYearId: year.id,
        quarter: input.quarter,
        key: "earmarked-reserves",
        amountPence: input.statedTotal.amount,
        statedTrend: input.statedTotal.trend,
      });
    }
    await audited(
      tx,
      actor,
      source,
      "earmarked-reserves",
      `${year.code}-q${input.quarter}`,
      `Recorded ${input.reserves.length} earmarked reserve balances`,
      input,
    );
  });
}

export interface DebtInput {
  yearCode: string;
  yearLabel: string;
  quarter: number;
  bands: {
    key: string;
    band: string;
    amount: Pence;
    statedShare: string | null;
    statedTrend: Trend | null;
  }[];
  statedTotal: { amount: Pence; trend: Trend | null } | null;
  writeOff: { from: string; to: string; amount: Pence } | null;
}

export async function recordDebtProfile(
  db: Database,
  actor: string,
  source: DocumentSource,
  input: DebtInput,
) {
  return db.transaction(async (tx) => {
    const year = await repository.insertFinancialYear(tx, input.yearCode, input.yearLabel);
    let position = 0;
    for (const band of input.bands) {
      position += 1;
      await repository.insertDebtBand(tx, {
        financialYearId: year.id,
        quarter: input.quarter,
        bandKey: band.key,
        band: band.band,
        position,
        amountPence: band.amount,
        statedShare: band.statedShare,
        statedTrend: band.statedTrend,
      });
    }
    if (input.statedTotal) {
      await repository.insertStatedTotal(tx, {
        financialYearId: year.id,
        quarter: input.quarter,
        key: "debt",
        amountPence: input.statedTotal.amount,
        statedTrend: input.statedTotal.trend,
      });
    }
    if (input.writeOff) {
      await repository.insertDebtWriteOff(tx, {
        financialYearId: year.id,
        quarter: input.quarter,
        periodFrom: input.writeOff.from,
        periodTo: input.writeOff.to,
        amountPence: input.writeOff.amount,
      });
    }
    await audited(
      tx,
      actor,
      source,
      "debt-profile",
      `${year.code}-q${input.quarter}`,
      "Recorded the aged debt profile",
      input,
    );
  });
}

export async function listFinancialYears(db: Database) {
  return repository.listFinancialYears(db);
}
