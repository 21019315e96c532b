import type { Database } from "../../db/client.ts";
import type { Pence } from "../../domain/money.ts";
import { recordAuditEvent } from "../audit/audit.service.ts";
import * as repository from "./finance.repository.ts";

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
