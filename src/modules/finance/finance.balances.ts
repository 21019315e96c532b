import type { Database } from "../../db/client.ts";
import {
  BALANCE_TREND_WORDS,
  type BalanceTrend,
  balanceTrend,
  formatShare,
  percentageShares,
  reconcile,
} from "../../domain/budget.ts";
import { formatPounds, type Pence, sumPence } from "../../domain/money.ts";
import { BadRequest, Conflict, NotFound } from "../../errors.ts";
import { latestAuditEvent, recordAuditEvent } from "../audit/audit.service.ts";
import { forecastPeriodKey } from "./finance.budget.ts";
import * as repository from "./finance.repository.ts";
import type { FinancialRiskEdit, FinancialRiskNew } from "./finance.schemas.ts";

import {
  compact,
  type Disagreement,
  disagreementOf,
  type ForecastPeriod,
  figure,
  forecastPeriod,
  forecastPeriodPath,
  forecastPeriodWords,
  isAt,
  monthForecastPeriod,
  type OpenForEntryCheck,
  periodBefore,
  periodView,
  requireQuarter,
  requireYear,
} from "./finance.shared.ts";

// ---------------------------------------------------------------------------------------------
// Financial risks
// ---------------------------------------------------------------------------------------------

/**
 * The financial risks of a quarter (its own list) or, given a month, of that month: a department
 * monitored monthly keeps a list each month (decision 0024).
 */
export async function financialRisksReport(
  db: Database,
  yearCode: string,
  quarter: number,
  month: number | null = null,
) {
  const year = await requireYear(db, yearCode);
  const at = forecastPeriod(requireQuarter(quarter), month);
  const risks = await repository.listFinancialRisks(db, year.id, at.quarter, at.month);
  return {
    year,
    quarter,
    ...periodView(at),
    risks: risks.map((risk) => ({ ...risk, sensitivity: figure(risk.sensitivityPence) })),
  };
}

/**
 * Adds a financial risk to a quarter's (or a month's) list, after the risks already there,
 * audited. The routes refuse a period that is not open for entry before this is called.
 */
export async function addFinancialRisk(
  db: Database,
  actor: string,
  input: {
    yearCode: string;
    quarter: number;
    month?: number | null;
    entry: FinancialRiskNew;
    requireOpen?: OpenForEntryCheck;
  },
) {
  return db.transaction(async (tx) => {
    await input.requireOpen?.(tx);
    const year = await requireYear(tx, input.yearCode);
    const quarter = requireQuarter(input.quarter);
    const at = forecastPeriod(quarter, input.month ?? null);
    const existing = await repository.listFinancialRisks(tx, year.id, quarter, at.month);
    const risk = await repository.insertFinancialRisk(tx, {
      financialYearId: year.id,
      quarter,
      month: at.month,
      service: input.entry.service,
      risk: input.entry.risk,
      sensitivityPence: input.entry.sensitivity,
      likelihood: input.entry.likelihood,
      position: Math.max(0, ...existing.map((row) => row.position)) + 1,
    });
    await recordAuditEvent(tx, {
      actor,
      action: "create",
      entityType: "financial-risk",
      entityId: risk.id,
      period: forecastPeriodKey(year.code, at),
      summary: `Added a ${forecastPeriodWords(at)} ${year.label} financial risk for ${risk.service}`,
      after: risk,
    });
    return { year, risk };
  });
}

type FinancialRiskRow = Awaited<ReturnType<typeof repository.listFinancialRisks>>[number];

/**
 * The version of a period's list of financial risks that a form carries: each risk's id and
 * version in the list's order, so that any risk added, changed, removed or moved changes it.
 */
export function financialRisksVersion(risks: readonly { id: number; version: number }[]): string {
  return risks.length === 0 ? "none" : risks.map((risk) => `${risk.id}.${risk.version}`).join("-");
}

/**
 * What the risks page of a month offers to copy: the month before's risks, when that month (of
 * the same year) has some and this one has none yet; null otherwise.
 */
export async function financialRisksToCopy(db: Database, yearCode: string, month: number) {
  if (month < 2) return null;
  const year = await requireYear(db, yearCode);
  const target = monthForecastPeriod(month);
  if ((await repository.listFinancialRisks(db, year.id, target.quarter, target.month)).length > 0)
    return null;
  const source = monthForecastPeriod(month - 1);
  const risks = await repository.listFinancialRisks(db, year.id, source.quarter, source.month);
  if (risks.length === 0) return null;
  return { words: forecastPeriodWords(source), count: risks.length, version: financialRisksVersion(risks) };
}

/**
 * Starts a month's financial risks from the month before's: each risk copied as it stands, in
 * its order, as the month's own rows, audited one by one. Refused, nothing copied, when the month
 * already has risks, when the month before has none, and (the conflict page) when the month
 * before's risks changed after the page offering the copy was opened. The routes refuse a month
 * not open for entry first.
 */
export async function copyPreviousMonthRisks(
  db: Database,
  actor: string,
  input: { yearCode: string; month: number; sourceVersion: string; requireOpen?: OpenForEntryCheck },
) {
  return db.transaction(async (tx) => {
    await input.requireOpen?.(tx);
    const year = await requireYear(tx, input.yearCode);
    const target = monthForecastPeriod(input.month);
    const targetWords = `${forecastPeriodWords(target)} ${year.label}`;
    if (input.month < 2) {
      throw new BadRequest(
        `Month 1 is the first month of ${year.label}: there is no month before it to copy financial risks from. Nothing was copied.`,
      );
    }
    const source = monthForecastPeriod(input.month - 1);
    const sourceWords = `${forecastPeriodWords(source)} ${year.label}`;
    const existing = await repository.listFinancialRisks(tx, year.id, target.quarter, target.month);
    if (existing.length > 0) {
      throw new BadRequest(
        `The ${targetWords} financial risks have already been started (${existing.length} entered), so ${sourceWords}'s were not copied. Change or add them on the ${targetWords} financial risks page.`,
      );
    }
    const risks = await repository.listFinancialRisks(tx, year.id, source.quarter, source.month);
    if (financialRisksVersion(risks) !== input.sourceVersion) {
      const event = await latestAuditEvent(tx, "financial-risk", risks.at(-1)?.id ?? 0);
      throw new Conflict(
        `The ${sourceWords} financial risks`,
        [
          {
            label: `The ${sourceWords} financial risks`,
            saved:
              risks.length === 0
                ? "None"
                : risks
                    .map(
                      (risk) =>
                        `${risk.service}: ${risk.risk} (${formatPounds(risk.sensitivityPence, { pence: true })}, likelihood ${risk.likelihood})`,
                    )
                    .join("; "),
            submitted: "As they were when the page offering the copy was opened",
          },
        ],
        `/budget/${year.code}/${forecastPeriodPath(target)}/risks`,
        event ? { actor: event.actor, at: event.occurredAt } : undefined,
      );
    }
    const copied: FinancialRiskRow[] = [];
    for (const risk of risks) {
      const copy = await repository.insertFinancialRisk(tx, {
        financialYearId: year.id,
        quarter: target.quarter,
        month: target.month,
        service: risk.service,
        risk: risk.risk,
        sensitivityPence: risk.sensitivityPence,
        likelihood: risk.likelihood,
        position: risk.position,
      });
      await recordAuditEvent(tx, {
        actor,
        action: "create",
        entityType: "financial-risk",
        entityId: copy.id,
        period: forecastPeriodKey(year.code, target),
        summary: `Copied a ${sourceWords} financial risk for ${copy.service} to ${targetWords}`,
        after: { ...copy, copiedFrom: risk.id },
      });
      copied.push(copy);
    }
    return { year, copied, sourceWords, targetWords };
  });
}

/**
 * One risk of a quarter's (or a month's) list, for its change and remove forms; a 404 for a risk
 * not in that period's list.
 */
export async function financialRiskForEdit(
  db: Database,
  yearCode: string,
  quarter: number,
  riskId: number,
  month: number | null = null,
) {
  const year = await requireYear(db, yearCode);
  const at = forecastPeriod(requireQuarter(quarter), month);
  const risk = await repository.findFinancialRisk(db, riskId);
  if (!risk || risk.financialYearId !== year.id || !isAt(risk, at)) {
    throw new NotFound(`Financial risk ${riskId} of ${year.label} ${forecastPeriodWords(at)}`);
  }
  return { year, quarter, ...periodView(at), risk: { ...risk, sensitivity: figure(risk.sensitivityPence) } };
}

/** A risk's fields as the conflict page compares them: what is saved beside what was sent. */
function riskFields(saved: FinancialRiskRow | null, sent: FinancialRiskNew | null) {
  const likelihood = (level: number | undefined) => (level === undefined ? "" : String(level));
  const removed = "Removed";
  return [
    { label: "Service", saved: saved?.service ?? removed, submitted: sent?.service ?? removed },
    { label: "Risk", saved: saved?.risk ?? removed, submitted: sent?.risk ?? removed },
    {
      label: "Sensitivity",
      saved: saved ? formatPounds(saved.sensitivityPence, { pence: true }) : removed,
      submitted: sent ? formatPounds(sent.sensitivity, { pence: true }) : removed,
    },
    {
      label: "Likelihood",
      saved: saved ? likelihood(saved.likelihood) : removed,
      submitted: sent ? likelihood(sent.likelihood) : removed,
    },
  ];
}

/** The conflict raised when a risk changed (or went) after the person opened its form. */
async function riskConflict(
  tx: Database,
  riskId: number,
  what: { year: { code: string; label: string }; at: ForecastPeriod; sent: FinancialRiskNew | null },
) {
  const saved = (await repository.findFinancialRisk(tx, riskId)) ?? null;
  const event = await latestAuditEvent(tx, "financial-risk", riskId);
  const back = `/budget/${what.year.code}/${forecastPeriodPath(what.at)}/risks`;
  return new Conflict(
    `The ${what.year.label} ${forecastPeriodWords(what.at)} financial risk`,
    riskFields(saved, what.sent),
    saved ? `${back}/${riskId}/edit` : back,
    event ? { actor: event.actor, at: event.occurredAt } : undefined,
  );
}

/**
 * A change to one of a quarter's financial risks, saved only if the risk is still at the version
 * the person saw (else the conflict page, with what was sent: null for a removal), and audited:
 * what changing and removing a risk share.
 */
async function changeRiskAtVersion(
  db: Database,
  actor: string,
  input: {
    yearCode: string;
    quarter: number;
    month?: number | null;
    riskId: number;
    requireOpen?: OpenForEntryCheck;
  },
  change: {
    sent: FinancialRiskNew | null;
    save: (tx: Database, riskId: number) => Promise<FinancialRiskRow | null | undefined>;
    /** What the audit event keeps: the risk as it was found and as saved (or as removed). */
    audit: (risk: FinancialRiskRow, saved: FinancialRiskRow) => { before: unknown; after?: unknown };
  },
) {
  return db.transaction(async (tx) => {
    await input.requireOpen?.(tx);
    const found = await financialRiskForEdit(
      tx,
      input.yearCode,
      input.quarter,
      input.riskId,
      input.month ?? null,
    );
    const { year, at } = found;
    const { sensitivity: _shown, ...risk } = found.risk;
    const saved = await change.save(tx, risk.id);
    if (!saved) throw await riskConflict(tx, risk.id, { year, at, sent: change.sent });
    await recordAuditEvent(tx, {
      actor,
      action: change.sent ? "update" : "delete",
      entityType: "financial-risk",
      entityId: risk.id,
      period: forecastPeriodKey(year.code, at),
      summary: `${change.sent ? "Changed" : "Removed"} a ${forecastPeriodWords(at)} ${year.label} financial risk for ${saved.service}`,
      ...change.audit(risk, saved),
    });
    return { year, risk: saved };
  });
}

/**
 * Changes a quarter's financial risk if it is still as the person saw it (its version), audited
 * with what it was and what it became. Refused, with nothing changed, when `requireOpen` finds the period not open.
 */
export async function updateFinancialRisk(
  db: Database,
  actor: string,
  input: {
    yearCode: string;
    quarter: number;
    month?: number | null;
    riskId: number;
    edit: FinancialRiskEdit;
    requireOpen?: OpenForEntryCheck;
  },
) {
  const { version, ...sent } = input.edit;
  return changeRiskAtVersion(db, actor, input, {
    sent,
    save: (tx, riskId) =>
      repository.updateFinancialRiskIfVersion(tx, riskId, version, {
        service: sent.service,
        risk: sent.risk,
        sensitivityPence: sent.sensitivity,
        likelihood: sent.likelihood,
        updatedAt: new Date(),
      }),
    audit: (risk, updated) => ({ before: risk, after: updated }),
  });
}

/**
 * Removes a financial risk from a quarter's list if it is still as the person saw it, audited
 * with what it was; the risks after it keep their order. Refused when `requireOpen` finds the period not open.
 */
export async function removeFinancialRisk(
  db: Database,
  actor: string,
  input: {
    yearCode: string;
    quarter: number;
    month?: number | null;
    riskId: number;
    version: number;
    requireOpen?: OpenForEntryCheck;
  },
) {
  return changeRiskAtVersion(db, actor, input, {
    sent: null,
    save: (tx, riskId) => repository.deleteFinancialRiskIfVersion(tx, riskId, input.version),
    audit: (_risk, removed) => ({ before: removed }),
  });
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

/** A period as a map key: "3:" for a quarter's own, "3:7" for month 7. */
const periodKey = (at: { quarter: number; month: number | null }) => `${at.quarter}:${at.month ?? ""}`;

/**
 * Each earmarked reserve's balance at a quarter end (the quarter's own figures) or at a month end
 * (`month`), with its trend against the period before (the quarter before, the month before, or
 * `previousMonth` where given: the quarterly report of a year monitored monthly reads the
 * quarter-end month and compares it with the previous quarter end).
 */
export async function reservesReport(
  db: Database,
  yearCode: string,
  quarter: number,
  month: number | null = null,
  previousMonth?: number | null,
) {
  const year = await requireYear(db, yearCode);
  const at = forecastPeriod(requireQuarter(quarter), month);
  const before = periodBefore(at, previousMonth);
  const rows = await repository.listReserveBalances(db, year.id);
  const byReserve = new Map<
    number,
    { name: string; balances: Map<string, NonNullable<(typeof rows)[number]["balance"]>> }
  >();
  for (const row of rows) {
    const entry = byReserve.get(row.reserve.id) ?? { name: row.reserve.name, balances: new Map() };
    if (row.balance) entry.balances.set(periodKey(row.balance), row.balance);
    byReserve.set(row.reserve.id, entry);
  }
  const beforeKey = before ? periodKey(before) : "none";
  const reserves = [...byReserve.values()]
    .filter((entry) => entry.balances.has(periodKey(at)))
    .map((entry) => {
      const current = entry.balances.get(periodKey(at));
      const previous = entry.balances.get(beforeKey);
      const balance = current?.balancePence ?? 0;
      return {
        name: entry.name,
        balance: figure(balance),
        ...trendView(balance, previous?.balancePence, current?.statedTrend ?? null),
      };
    });
  const total = sumPence(reserves.map((reserve) => reserve.balance.pence));
  // A document's stated totals are a quarter's own; a month has none.
  const stated = (await repository.listStatedTotals(db, year.id)).find(
    (row) => row.key === "earmarked-reserves" && row.quarter === quarter && month === null,
  );
  const previousTotal = [...byReserve.values()].every((entry) => entry.balances.has(beforeKey))
    ? sumPence([...byReserve.values()].map((entry) => entry.balances.get(beforeKey)?.balancePence ?? 0))
    : undefined;
  const disagreements = compact([
    stated ? disagreementOf(reconcile("Total reserves", total, stated.amountPence)) : null,
  ]);
  return {
    year,
    quarter,
    ...periodView(at),
    reserves,
    total: { balance: figure(total), ...trendView(total, previousTotal, stated?.statedTrend ?? null) },
    disagreements,
  };
}

/**
 * The debt owed in each age band at a quarter end (the quarter's own figures) or a month end
 * (`month`), with the trend against the period before as for reserves, and the debt written off.
 */
export async function debtReport(
  db: Database,
  yearCode: string,
  quarter: number,
  month: number | null = null,
  previousMonth?: number | null,
) {
  const year = await requireYear(db, yearCode);
  const at = forecastPeriod(requireQuarter(quarter), month);
  const before = periodBefore(at, previousMonth);
  const all = await repository.listDebtProfile(db, year.id);
  const bands = all.filter((band) => isAt(band, at));
  const previous = before ? all.filter((band) => isAt(band, before)) : [];
  const amounts = bands.map((band) => band.amountPence);
  const total = sumPence(amounts);
  // Largest-remainder shares always add to 100.0%; shares a document rounded one by one may not.
  const shares = bands.some((band) => band.amountPence < 0) ? bands.map(() => 0) : percentageShares(amounts);
  const statedTotals = await repository.listStatedTotals(db, year.id);
  const stated = statedTotals.find((row) => row.key === "debt" && row.quarter === quarter && month === null);
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
  const writeOff = await repository.findDebtWriteOff(db, year.id, quarter, month);
  const previousTotal = previous.length > 0 ? sumPence(previous.map((band) => band.amountPence)) : undefined;
  return {
    year,
    quarter,
    ...periodView(at),
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

/** One quarter's total on a balances trend. */
export interface QuarterTotal {
  yearLabel: string;
  quarter: number;
  pence: Pence;
}

/**
 * Total earmarked reserves and total debt at each quarter end reported, from the first quarter of
 * the previous financial year to the quarter shown, oldest first, for the trend charts. A quarter
 * with nothing reported is left out, not drawn as zero.
 */
export async function balanceTotalsByQuarter(
  db: Database,
  yearCode: string,
  quarter: number,
): Promise<{ reserves: QuarterTotal[]; debt: QuarterTotal[] }> {
  const year = await requireYear(db, yearCode);
  requireQuarter(quarter);
  const years = await repository.listFinancialYears(db);
  const at = years.findIndex((candidate) => candidate.id === year.id);
  const shown = years.slice(Math.max(0, at - 1), at + 1);
  const reserves: QuarterTotal[] = [];
  const debt: QuarterTotal[] = [];
  for (const each of shown) {
    const last = each.id === year.id ? quarter : 4;
    const balances = (await repository.listReserveBalances(db, each.id)).flatMap((row) =>
      row.balance ? [row.balance] : [],
    );
    const bands = await repository.listDebtProfile(db, each.id);
    // A quarter's own figures, else (a year monitored monthly) its quarter-end month's.
    const atQuarterEnd = <T extends { quarter: number; month: number | null }>(rows: T[], q: number) => {
      const own = rows.filter((row) => isAt(row, forecastPeriod(q)));
      return own.length > 0 ? own : rows.filter((row) => isAt(row, forecastPeriod(q, q * 3)));
    };
    for (let q = 1; q <= last; q += 1) {
      const inQuarter = atQuarterEnd(balances, q);
      if (inQuarter.length > 0) {
        reserves.push({
          yearLabel: each.label,
          quarter: q,
          pence: sumPence(inQuarter.map((b) => b.balancePence)),
        });
      }
      const owed = atQuarterEnd(bands, q);
      if (owed.length > 0) {
        debt.push({
          yearLabel: each.label,
          quarter: q,
          pence: sumPence(owed.map((band) => band.amountPence)),
        });
      }
    }
  }
  return { reserves, debt };
}
