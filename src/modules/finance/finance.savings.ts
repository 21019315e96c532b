import type { Database } from "../../db/client.ts";
import { type Reconciliation, reconcile, savingsPosition } from "../../domain/budget.ts";
import { formatPounds, sumPence } from "../../domain/money.ts";
import { BadRequest, Conflict, NotFound } from "../../errors.ts";
import { latestAuditEvent, recordAuditEvent } from "../audit/audit.service.ts";
import { forecastPeriodKey } from "./finance.budget.ts";
import * as repository from "./finance.repository.ts";
import type { SavingsForecastEdit, SavingsForecastNew } from "./finance.schemas.ts";

import {
  compact,
  type Disagreement,
  disagreementOf,
  figure,
  forecastPeriod,
  forecastPeriodSlug,
  forecastPeriodWords,
  type OpenForEntryCheck,
  optionalFigure,
  periodView,
  requireQuarter,
  requireYear,
} from "./finance.shared.ts";

// ---------------------------------------------------------------------------------------------
// Savings
// ---------------------------------------------------------------------------------------------

/**
 * The savings position at a quarter (its own forecasts) or at a month (`month`): each initiative's
 * forecast achieved by the year end as at that period. A year monitored monthly reads a quarter's
 * position from its last month (decision 0021): a forecast to the year end, not a sum of months.
 */
export async function savingsReport(
  db: Database,
  yearCode: string,
  quarter: number,
  month: number | null = null,
) {
  const year = await requireYear(db, yearCode);
  const at = forecastPeriod(requireQuarter(quarter), month);
  const { words, path, slug } = periodView(at);
  const target = await repository.findSavingsTarget(db, year.id);
  if (!target) return { year, quarter, at, words, path, slug, target: null, unreported: [] } as const;
  const rows = await repository.listInitiatives(db, target.id, quarter, month);
  const reported = rows.filter((row) => row.forecast !== null);
  if (reported.length === 0) {
    // Nothing reported for the period: the initiatives, so a first forecast can be entered.
    const unreported = rows.map((row) => ({ id: row.initiative.id, name: row.initiative.name }));
    return { year, quarter, at, words, path, slug, target: null, unreported } as const;
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
      // A document's stated totals are a quarter's own (or the year's); a month has none.
      .filter((row) => (row.quarter === quarter && month === null) || row.quarter === null)
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
      message: `No ${words} forecast is recorded for ${notReported.join(", ")}; they count as nothing achieved.`,
    });
  }
  const notes = await repository.listSavingsNotes(db, target.id);
  return {
    year,
    quarter,
    at,
    words,
    path,
    slug,
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

/**
 * An archived initiative (the budget's set-up page) keeps its forecasts for history, but takes no
 * new or corrected one until it is restored.
 */
function refuseArchivedInitiative(
  initiative: { name: string; archivedAt: Date | null },
  year: { code: string },
): void {
  if (initiative.archivedAt !== null) {
    throw new BadRequest(
      `The savings initiative "${initiative.name}" is archived, so no forecast can be entered for it. Restore it from the budget's set-up page (/budget/${year.code}/structure) first. Nothing was saved.`,
    );
  }
}

/** An initiative's forecast at a quarter (its own) or a month, for the form that corrects it. */
export async function initiativeForecastForEdit(
  db: Database,
  initiativeId: number,
  quarter: number,
  month: number | null = null,
) {
  const found = await repository.findInitiative(db, initiativeId);
  if (!found) throw new NotFound(`Savings initiative ${initiativeId}`);
  refuseArchivedInitiative(found.initiative, found.year);
  const at = forecastPeriod(requireQuarter(quarter), month);
  const forecast = await repository.findInitiativeForecast(db, initiativeId, quarter, month);
  if (!forecast) throw new NotFound(`The ${forecastPeriodWords(at)} forecast for ${found.initiative.name}`);
  return { ...found, ...periodView(at), forecast };
}

/** A savings initiative and a quarter (or month) with no forecast yet, for the form that enters the first one. */
export async function initiativeForNewForecast(
  db: Database,
  initiativeId: number,
  quarter: number,
  month: number | null = null,
) {
  const found = await repository.findInitiative(db, initiativeId);
  if (!found) throw new NotFound(`Savings initiative ${initiativeId}`);
  refuseArchivedInitiative(found.initiative, found.year);
  const at = forecastPeriod(requireQuarter(quarter), month);
  const existing = await repository.findInitiativeForecast(db, initiativeId, quarter, month);
  return { ...found, quarter, ...periodView(at), existing: existing ?? null };
}

/**
 * Enters an initiative's first forecast for a quarter that has none. If someone else entered that
 * quarter's forecast after this form was opened, nothing is overwritten: Conflict, with their
 * figure beside the one submitted.
 */
export async function createInitiativeForecast(
  db: Database,
  actor: string,
  options: {
    initiativeId: number;
    quarter: number;
    month?: number | null;
    entry: SavingsForecastNew;
    requireOpen?: OpenForEntryCheck;
  },
) {
  const { entry } = options;
  const month = options.month ?? null;
  const conflict = async (tx: Database, initiative: { id: number; name: string }, quarter: number) => {
    const at = forecastPeriod(quarter, month);
    const existing = await repository.findInitiativeForecast(tx, initiative.id, quarter, month);
    const saved = existing
      ? await latestAuditEvent(tx, "savings-initiative-forecast", existing.id)
      : undefined;
    return new Conflict(
      `The ${forecastPeriodWords(at)} savings forecast for ${initiative.name}`,
      [
        {
          label: "Forecast achieved by the year end",
          saved: existing ? formatPounds(existing.forecastAchievedPence, { pence: true }) : "",
          submitted: formatPounds(entry.forecastAchieved, { pence: true }),
        },
      ],
      `/budget/savings/initiatives/${initiative.id}/forecasts/${forecastPeriodSlug(at)}/edit`,
      saved ? { actor: saved.actor, at: saved.occurredAt } : undefined,
    );
  };
  return db.transaction(async (tx) => {
    await options.requireOpen?.(tx);
    const { initiative, year, quarter, at, words, existing } = await initiativeForNewForecast(
      tx,
      options.initiativeId,
      options.quarter,
      month,
    );
    if (existing) throw await conflict(tx, initiative, quarter);
    // The unique (initiative, quarter, month) key decides between two people entering it at once.
    const created = await repository.insertInitiativeForecastIfAbsent(tx, {
      initiativeId: initiative.id,
      quarter,
      month,
      forecastAchievedPence: entry.forecastAchieved,
    });
    if (!created) throw await conflict(tx, initiative, quarter);
    await recordAuditEvent(tx, {
      actor,
      action: "create",
      entityType: "savings-initiative-forecast",
      entityId: created.id,
      period: forecastPeriodKey(year.code, at),
      summary: `Entered the ${year.label} ${words} savings forecast for ${initiative.name}`,
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
  options: {
    initiativeId: number;
    quarter: number;
    month?: number | null;
    edit: SavingsForecastEdit;
    requireOpen?: OpenForEntryCheck;
  },
) {
  const { edit } = options;
  return db.transaction(async (tx) => {
    await options.requireOpen?.(tx);
    const { initiative, year, forecast, at, words, slug } = await initiativeForecastForEdit(
      tx,
      options.initiativeId,
      options.quarter,
      options.month ?? null,
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
        `The ${words} savings forecast for ${initiative.name}`,
        [
          {
            label: "Forecast achieved by the year end",
            saved: formatPounds(forecast.forecastAchievedPence, { pence: true }),
            submitted: formatPounds(edit.forecastAchieved, { pence: true }),
          },
        ],
        `/budget/savings/initiatives/${initiative.id}/forecasts/${slug}/edit`,
        saved ? { actor: saved.actor, at: saved.occurredAt } : undefined,
      );
    }
    await recordAuditEvent(tx, {
      actor,
      action: "update",
      entityType: "savings-initiative-forecast",
      entityId: forecast.id,
      period: forecastPeriodKey(year.code, at),
      summary: `Changed the ${year.label} ${words} savings forecast for ${initiative.name}`,
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
