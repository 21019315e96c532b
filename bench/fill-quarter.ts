/**
 * The bench's quarter 4 2020/21: on the demo, nothing is recorded for it, so its period page and
 * report would measure an empty quarter. This fills every item its period page lists as missing
 * with made-up figures and words, through the same form schemas and services the entry pages use
 * (so each save is checked, version-checked and audited as an officer's would be): every
 * deliverable's progress, a value for each measure due, every budget line's forecast, savings,
 * growth spend, reserve balances, debt and write-offs, a financial risk and the report narrative.
 * Only the bench's own throwaway database is written; the demo's documents are not touched.
 */
import type { Database } from "../src/db/client.ts";
import { financialYearCode, type MonitoringPeriod, monitoringPeriod } from "../src/domain/periods.ts";
import {
  financialRiskNewSchema,
  forecastNewSchema,
  savingsForecastNewSchema,
} from "../src/modules/finance/finance.schemas.ts";
import * as finance from "../src/modules/finance/finance.service.ts";
import { recordPeriodValue } from "../src/modules/measures/measures.service.ts";
import {
  NARRATIVE_FIELDS,
  type NarrativeText,
  saveReportNarrative,
} from "../src/modules/periods/periods.narrative.ts";
import {
  findPeriod,
  missingOf,
  openPeriod,
  periodSections,
  requireOpenPeriod,
} from "../src/modules/periods/periods.service.ts";
import { progressForm } from "../src/modules/plan/plan.schemas.ts";
import { deliverableDetail, recordProgress } from "../src/modules/plan/plan.service.ts";
import { validForm } from "../src/web/forms.ts";

const ACTOR = "bench@demo-council.example";

/** The id an entry link names, such as 12 in /budget/lines/12/forecasts/q4/new. */
function idIn(href: string, pattern: RegExp): number {
  const match = pattern.exec(href);
  if (!match?.[1]) throw new Error(`No id in ${href}`);
  return Number(match[1]);
}

/** Made-up pence for row `index`: different on each row, whole pounds. */
const made = (index: number) => (100_000 + index * 1_234) * 100;

/**
 * Opens the quarter if need be and records every item its period page lists as missing; returns
 * how many items were filled. Fails, naming them, if any remain.
 */
export async function fillQuarter(db: Database, startYear: number, quarter: number): Promise<number> {
  const period: MonitoringPeriod = monitoringPeriod(startYear, "quarter", quarter);
  const code = financialYearCode(startYear);
  if (!(await findPeriod(db, period))) await openPeriod(db, ACTOR, period);
  const sections = await periodSections(db, period);
  const filled = missingOf(sections).length;
  const missing = (key: string) => sections.find((section) => section.key === key)?.missing ?? [];

  const rating = progressForm.shape.rating.options[0];
  for (const item of missing("deliverables")) {
    const deliverableId = idIn(item.href, /\/plan\/deliverables\/(\d+)/);
    const { deliverable } = await deliverableDetail(db, deliverableId);
    await recordProgress(db, ACTOR, {
      deliverableId,
      version: deliverable.version,
      progress: validForm(progressForm, {
        quarter: `${code}-q${quarter}`,
        rating,
        narrative: `Made-up progress for the bench on ${item.name}.`,
      }),
    });
  }
  for (const item of missing("measures")) {
    await recordPeriodValue(
      db,
      ACTOR,
      {
        measureId: idIn(item.href, /\/measures\/(\d+)\//),
        period,
        text: "42",
        status: "final",
        notes: null,
        replacing: null,
      },
      requireOpenPeriod,
    );
  }
  for (const [index, item] of missing("budget-lines").entries()) {
    const amount = `£${(made(index) / 100).toLocaleString("en-GB")}`;
    await finance.createForecast(db, ACTOR, {
      lineId: idIn(item.href, /\/budget\/lines\/(\d+)\//),
      quarter,
      entry: validForm(forecastNewSchema, { controllableBudget: amount, forecastOutturn: amount }),
    });
  }
  if (missing("savings").length > 0) {
    const savings = await finance.savingsReport(db, code, quarter);
    // The page lists every initiative while none has a forecast for the quarter, as on the demo.
    const initiatives = ("unreported" in savings ? savings.unreported : undefined) ?? [];
    if (initiatives.length === 0)
      throw new Error("The bench fills savings only for a quarter with none entered");
    for (const initiative of initiatives) {
      await finance.createInitiativeForecast(db, ACTOR, {
        initiativeId: initiative.id,
        quarter,
        entry: validForm(savingsForecastNewSchema, { forecastAchieved: "£50,000" }),
      });
    }
  }
  const figures = (rows: { key: string; name: string; stored: { version: number } | null }[]) =>
    rows.map((row, index) => ({
      key: row.key,
      name: row.name,
      pence: made(index),
      version: row.stored?.version ?? 0,
    }));
  if (missing("growth").length > 0) {
    const { rows } = await finance.growthForEntry(db, code, quarter);
    await finance.saveGrowthSpend(db, ACTOR, { yearCode: code, quarter, figures: figures(rows) });
  }
  if (missing("reserves").length > 0) {
    const { rows } = await finance.reservesForEntry(db, code, quarter);
    await finance.saveReserveBalances(db, ACTOR, { yearCode: code, quarter, figures: figures(rows) });
  }
  if (missing("debt").length > 0) {
    const { bands, writeOff } = await finance.debtForEntry(db, code, quarter);
    await finance.saveDebt(db, ACTOR, {
      yearCode: code,
      quarter,
      bands: figures(bands),
      writeOff: { key: "write-off", name: "Written off", pence: made(7), version: writeOff?.version ?? 0 },
    });
  }
  if (missing("financial-risks").length > 0) {
    await finance.addFinancialRisk(db, ACTOR, {
      yearCode: code,
      quarter,
      entry: validForm(financialRiskNewSchema, {
        service: "Bench service",
        risk: "A made-up risk for the bench",
        sensitivity: "£250,000",
        likelihood: "3",
      }),
    });
  }
  if (missing("narrative").length > 0) {
    await saveReportNarrative(db, ACTOR, {
      period,
      version: 0,
      text: Object.fromEntries(
        NARRATIVE_FIELDS.map(({ key, label }) => [key, `Made-up ${label.toLowerCase()} for the bench.`]),
      ) as NarrativeText,
      returnUrl: `/periods/${code}/q${quarter}`,
    });
  }
  const left = missingOf(await periodSections(db, period));
  if (left.length > 0) {
    throw new Error(
      `The bench's quarter still misses: ${left.map((item) => `${item.section}: ${item.item}`).join("; ")}`,
    );
  }
  return filled;
}
