import type { Database } from "../../db/client.ts";
import {
  budgetPosition,
  type ControllableBudgetRow,
  describeReconciliation,
  grossBudget,
  netBudget,
  positionAfterFunding,
  reconcile,
  reconcileControllableBudget,
  roundedColumnCheck,
  SUBJECTIVE_HEADINGS,
  type SubjectiveHeading,
  totalPosition,
} from "../../domain/budget.ts";
import { formatPounds, formatTableMillions, type Pence, sumPence } from "../../domain/money.ts";
import {
  type MonitoringPeriod,
  monitoringPeriod,
  monitoringPeriodKey,
  parseFinancialYearCode,
} from "../../domain/periods.ts";
import { BadRequest, Conflict, NotFound } from "../../errors.ts";
import { latestAuditEvent, recordAuditEvent } from "../audit/audit.service.ts";
import { requireOwnerOf } from "../people/ownership.service.ts";
import * as repository from "./finance.repository.ts";
import type { ForecastEdit, ForecastNew } from "./finance.schemas.ts";
import { ratingSettings } from "./finance.settings.ts";
import {
  compact,
  type Disagreement,
  disagreementOf,
  type ForecastPeriod,
  figure,
  forecastPeriod,
  forecastPeriodSlug,
  forecastPeriodWords,
  type OpenForEntryCheck,
  positionView,
  requireQuarter,
  requireYear,
  THOUSAND_POUNDS,
} from "./finance.shared.ts";

// ---------------------------------------------------------------------------------------------
// Forecast outturn for a quarter
// ---------------------------------------------------------------------------------------------

export async function listReportQuarters(db: Database) {
  return repository.listReportQuarters(db);
}

/** The months with a forecast entered (a department monitored monthly), each year's in order. */
export async function listForecastMonths(
  db: Database,
): Promise<{ code: string; label: string; month: number }[]> {
  return (await repository.listForecastMonths(db)).flatMap((row) =>
    row.month === null ? [] : [{ code: row.code, label: row.label, month: row.month }],
  );
}

/**
 * The periods with budget monitoring, which pages look at when none is named (the periods
 * module's `defaultPeriod`): a quarter with a report in a year monitored quarterly, a month with
 * a forecast in a year monitored monthly (`monthlyYears`: those years' start years).
 */
export async function budgetMonitoredPeriods(
  db: Database,
  monthlyYears: ReadonlySet<number>,
): Promise<MonitoringPeriod[]> {
  return [
    ...(await listReportQuarters(db)).flatMap((row) => {
      const startYear = parseFinancialYearCode(row.code);
      return startYear === null || monthlyYears.has(startYear)
        ? []
        : [monitoringPeriod(startYear, "quarter", row.quarter)];
    }),
    ...(await listForecastMonths(db)).flatMap((row) => {
      const startYear = parseFinancialYearCode(row.code);
      return startYear === null ? [] : [monitoringPeriod(startYear, "month", row.month)];
    }),
  ];
}

/**
 * The forecast outturn at a quarter, from the quarter's own forecasts or, given a month, from that
 * month's (a department monitored monthly: its quarter-end month gives the quarter's figures).
 */
export async function forecastOutturnReport(
  db: Database,
  yearCode: string,
  quarter: number,
  month: number | null = null,
) {
  const year = await requireYear(db, yearCode);
  const settings = await ratingSettings(db);
  const { thresholds, conventions } = settings;
  const at = forecastPeriod(requireQuarter(quarter), month);
  const report = await repository.findMonitoringReport(db, year.id, quarter);
  if (!report) return { year, quarter, at, report: null } as const;

  const rows = await repository.listQuarterForecasts(db, year.id, report.portfolio, quarter, at.month);
  const lines = rows.map(({ line, forecast }) => ({
    lineId: line.id,
    name: line.name,
    forecastId: forecast.id,
    version: forecast.version,
    explanation: forecast.explanation,
    explanationParagraphs: paragraphsOf(forecast.explanation),
    ...positionView(
      budgetPosition(forecast.controllableBudgetPence, forecast.forecastOutturnPence),
      "service-area",
      thresholds,
      conventions,
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
  const totalView = positionView(total, "fund", thresholds, conventions);
  const afterFundingView = positionView(afterFunding, "fund", thresholds, conventions);

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
    at,
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
  const { thresholds, conventions } = await ratingSettings(db);
  const view = (at: ForecastPeriod) => {
    const forecast = forecasts.find(
      (candidate) => candidate.quarter === at.quarter && candidate.month === at.month,
    );
    return {
      quarter: at.quarter,
      at,
      words: forecastPeriodWords(at),
      slug: forecastPeriodSlug(at),
      forecast: forecast
        ? {
            version: forecast.version,
            explanation: forecast.explanation,
            explanationParagraphs: paragraphsOf(forecast.explanation),
            ...positionView(
              budgetPosition(forecast.controllableBudgetPence, forecast.forecastOutturnPence),
              "service-area",
              thresholds,
              conventions,
            ),
          }
        : null,
    };
  };
  const quarters = [1, 2, 3, 4].map((quarter) => view(forecastPeriod(quarter)));
  const months = Array.from({ length: 12 }, (_, index) =>
    view(forecastPeriod(Math.ceil((index + 1) / 3), index + 1)),
  );
  const narratives = await repository.listLineNarratives(db, lineId);
  return {
    line: found.line,
    year: found.year,
    quarters,
    months,
    narratives: narratives.map(({ narrative, quarter }) => ({
      ...narrative,
      quarter,
      amount: figure(narrative.amountPence),
      paragraphs: narrative.narrative.split("\n\n"),
    })),
  };
}

/** An explanation's paragraphs: blocks of text separated by a blank line, each trimmed. */
function paragraphsOf(text: string): string[] {
  return text
    .split(/\r?\n\s*\r?\n/)
    .map((part) => part.trim())
    .filter(Boolean);
}

/** A forecast as its audit event records it: the figures, and the explanation where there is one. */
function forecastRecord(
  forecast: {
    controllableBudgetPence: number;
    forecastOutturnPence: number;
    version: number;
    explanation: string;
  },
  withExplanation: boolean,
) {
  return {
    controllableBudgetPence: forecast.controllableBudgetPence,
    forecastOutturnPence: forecast.forecastOutturnPence,
    ...(withExplanation ? { explanation: forecast.explanation } : {}),
    version: forecast.version,
  };
}

/** The conflict page's row for the explanation, when the saved and submitted ones differ. */
function explanationConflict(saved: string, submitted: string | undefined) {
  return submitted === undefined || submitted === saved
    ? []
    : [{ label: "Explanation of the variance", saved, submitted }];
}

/** The period key an audit event carries for a forecast: "2021-22-q3" or "2021-22-m7". */
export function forecastPeriodKey(yearCode: string, at: ForecastPeriod): string | null {
  const startYear = parseFinancialYearCode(yearCode);
  if (startYear === null) return null;
  return monitoringPeriodKey(
    at.month === null
      ? monitoringPeriod(startYear, "quarter", at.quarter)
      : monitoringPeriod(startYear, "month", at.month),
  );
}

/** A line's forecast at a quarter, or at a month of it, for the form that corrects it. */
export async function forecastForEdit(
  db: Database,
  lineId: number,
  quarter: number,
  month: number | null = null,
) {
  const found = await repository.findLine(db, lineId);
  if (!found) throw new NotFound(`Budget line ${lineId}`);
  refuseArchivedLine(found.line, found.year.code);
  const at = forecastPeriod(requireQuarter(quarter), month);
  const forecast = await repository.findForecast(db, lineId, at.quarter, at.month);
  if (!forecast) throw new NotFound(`The ${forecastPeriodWords(at)} forecast for ${found.line.name}`);
  return { line: found.line, year: found.year, at, words: forecastPeriodWords(at), forecast };
}

/**
 * Changes a budget line's controllable budget and full-year forecast at one quarter, in pence as
 * `forecastEditSchema` read them from what was typed; a form opened at an older version is
 * refused with Conflict and nothing is written.
 */
export async function updateForecast(
  db: Database,
  actor: string,
  options: {
    lineId: number;
    quarter: number;
    month?: number | null;
    edit: ForecastEdit;
    requireOpen?: OpenForEntryCheck;
  },
) {
  const { edit } = options;
  return db.transaction(async (tx) => {
    await options.requireOpen?.(tx);
    await requireOwnerOf(tx, actor, "budget-line", options.lineId);
    const { line, year, at, words, forecast } = await forecastForEdit(
      tx,
      options.lineId,
      options.quarter,
      options.month ?? null,
    );
    const updated = await repository.updateForecastIfVersion(tx, forecast.id, edit.version, {
      controllableBudgetPence: edit.controllableBudget,
      forecastOutturnPence: edit.forecastOutturn,
      ...(edit.explanation === undefined ? {} : { explanation: edit.explanation }),
      updatedAt: new Date(),
    });
    if (!updated) {
      const saved = await latestAuditEvent(tx, "monitoring-forecast", forecast.id);
      throw new Conflict(
        `The ${words} forecast for ${line.name}`,
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
          ...explanationConflict(forecast.explanation, edit.explanation),
        ],
        `/budget/lines/${line.id}/forecasts/${forecastPeriodSlug(at)}/edit`,
        saved ? { actor: saved.actor, at: saved.occurredAt } : undefined,
      );
    }
    await recordAuditEvent(tx, {
      actor,
      action: "update",
      entityType: "monitoring-forecast",
      entityId: forecast.id,
      record: { kind: "budget-line", id: line.id },
      period: forecastPeriodKey(year.code, at),
      summary: `Changed the ${year.label} ${words} forecast for ${line.name}`,
      // The explanation is in the record when either side has one.
      before: forecastRecord(forecast, forecast.explanation !== "" || updated.explanation !== ""),
      after: forecastRecord(updated, forecast.explanation !== "" || updated.explanation !== ""),
    });
    return { line, year, forecast: updated };
  });
}

/**
 * An archived line (the budget's set-up page) keeps its forecasts for history, but takes no new
 * or corrected one until it is restored.
 */
function refuseArchivedLine(line: { name: string; archivedAt: Date | null }, yearCode: string): void {
  if (line.archivedAt !== null) {
    throw new BadRequest(
      `The budget line "${line.name}" is archived, so no forecast can be entered for it. Restore it from the budget's set-up page (/budget/${yearCode}/structure) first. Nothing was saved.`,
    );
  }
}

/** A budget line and quarter (or month) with no forecast yet, for the form that enters the first one. */
export async function lineForNewForecast(
  db: Database,
  lineId: number,
  quarter: number,
  month: number | null = null,
) {
  const found = await repository.findLine(db, lineId);
  if (!found) throw new NotFound(`Budget line ${lineId}`);
  refuseArchivedLine(found.line, found.year.code);
  const at = forecastPeriod(requireQuarter(quarter), month);
  const existing = await repository.findForecast(db, lineId, at.quarter, at.month);
  return {
    line: found.line,
    year: found.year,
    quarter,
    at,
    words: forecastPeriodWords(at),
    slug: forecastPeriodSlug(at),
    existing: existing ?? null,
    carried: existing ? null : carriedBudget(await repository.listLineForecasts(db, lineId), at),
  };
}

/**
 * The controllable budget a new period's form starts from: the line's budget at the latest
 * earlier period of the same kind with a forecast (a month's before it, or a quarter's own
 * before it), with the words for that period; null when the line has none before.
 */
export function carriedBudget(
  forecasts: readonly { quarter: number; month: number | null; controllableBudgetPence: number }[],
  at: ForecastPeriod,
): { controllableBudgetPence: number; from: string } | null {
  const order = (entry: { quarter: number; month: number | null }) => entry.month ?? entry.quarter;
  const earlier = forecasts
    .filter((entry) => (entry.month === null) === (at.month === null) && order(entry) < order(at))
    .sort((a, b) => order(a) - order(b))
    .at(-1);
  if (!earlier) return null;
  return {
    controllableBudgetPence: earlier.controllableBudgetPence,
    from: forecastPeriodWords(forecastPeriod(earlier.quarter, earlier.month)),
  };
}

/**
 * Enters the first forecast for a budget line at a quarter that has none. If someone else
 * entered that quarter's forecast after this form was opened, nothing is overwritten: Conflict,
 * with their figures beside the ones submitted.
 */
export async function createForecast(
  db: Database,
  actor: string,
  options: {
    lineId: number;
    quarter: number;
    month?: number | null;
    entry: ForecastNew;
    requireOpen?: OpenForEntryCheck;
  },
) {
  const { entry } = options;
  const conflict = async (tx: Database, line: { id: number; name: string }, at: ForecastPeriod) => {
    const existing = await repository.findForecast(tx, line.id, at.quarter, at.month);
    const saved = existing ? await latestAuditEvent(tx, "monitoring-forecast", existing.id) : undefined;
    return new Conflict(
      `The ${forecastPeriodWords(at)} forecast for ${line.name}`,
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
        ...explanationConflict(existing?.explanation ?? "", entry.explanation),
      ],
      `/budget/lines/${line.id}/forecasts/${forecastPeriodSlug(at)}/edit`,
      saved ? { actor: saved.actor, at: saved.occurredAt } : undefined,
    );
  };
  return db.transaction(async (tx) => {
    await options.requireOpen?.(tx);
    await requireOwnerOf(tx, actor, "budget-line", options.lineId);
    const { line, year, quarter, at, words, existing } = await lineForNewForecast(
      tx,
      options.lineId,
      options.quarter,
      options.month ?? null,
    );
    if (existing) throw await conflict(tx, line, at);
    // The unique (line, quarter, month) key decides between two people entering the same period at
    // once: the second insert does nothing, and reads the first one's figures (committed by then).
    const created = await repository.insertForecastIfAbsent(tx, {
      lineId: line.id,
      quarter,
      month: at.month,
      controllableBudgetPence: entry.controllableBudget,
      forecastOutturnPence: entry.forecastOutturn,
      explanation: entry.explanation ?? "",
    });
    if (!created) throw await conflict(tx, line, at);
    // The first forecast of a quarter (or of a month of it) starts its budget monitoring: the quarter's report record,
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
      record: { kind: "budget-line", id: line.id },
      period: forecastPeriodKey(year.code, at),
      summary: `Entered the ${year.label} ${words} forecast for ${line.name}`,
      before: null,
      after: forecastRecord(created, created.explanation !== ""),
    });
    return { line, year, forecast: created };
  });
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

export async function listFinancialYears(db: Database) {
  return repository.listFinancialYears(db);
}
