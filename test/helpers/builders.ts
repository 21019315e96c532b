import { and, eq } from "drizzle-orm";
import type { Database } from "../../src/db/client.ts";
import {
  councils,
  deliverables,
  departments,
  financialYears,
  monitoringLines,
  plans,
  risks,
} from "../../src/db/schema/index.ts";
import { type MonitoringPeriod, monitoringPeriod } from "../../src/domain/periods.ts";
import type { RatingKey } from "../../src/domain/ratings.ts";
import type { Role } from "../../src/domain/roles.ts";
import type { UploadedFile } from "../../src/modules/benchmarks/benchmarks.files.ts";
import { importBenchmarks } from "../../src/modules/benchmarks/benchmarks.import.ts";
import {
  createForecast,
  type DocumentSource,
  recordApprovedBudget,
  recordDebtProfile,
  recordEarmarkedReserves,
  recordFinancialRisks,
  recordGrowth,
  recordMonitoringReport,
  recordSavings,
} from "../../src/modules/finance/finance.service.ts";
import { type CarryForward, NOTHING_CARRIED } from "../../src/modules/finance/finance.years.ts";
import {
  createMeasure,
  type Measure,
  type NewMeasure,
  recordPeriodValue,
  saveImport,
} from "../../src/modules/measures/measures.service.ts";
import {
  openPeriod,
  openYear,
  quarterPeriod,
  requireOpenPeriod,
} from "../../src/modules/periods/periods.service.ts";
import {
  importPlanDocuments,
  type PlanDocuments,
  recordProgress,
} from "../../src/modules/plan/plan.service.ts";
import { procurementFormSchema } from "../../src/modules/procurement/procurement.schemas.ts";
import {
  createProcurement,
  type PublishedSource,
} from "../../src/modules/procurement/procurement.service.ts";
import { saveSetting } from "../../src/modules/settings/settings.service.ts";
import { AREA_NOT_LISTED, councilForm } from "../../src/modules/setup/setup.schemas.ts";
import { setUpCouncil } from "../../src/modules/setup/setup.service.ts";
import { parseForm } from "../../src/web/forms.ts";
import { everything as benchmarkFiles } from "./benchmark-files.ts";
import { TEST_ACTOR } from "./database.ts";
import { type BuiltPerson, buildPerson } from "./people.ts";

/**
 * Test-data builders: the few rows a rule needs, made up for the test, written through the
 * services so that their rules and audit apply as they do in use. Every name is invented (the
 * Borough of Anytown, its Place department): nothing here is the demo council's.
 *
 * Each builder takes the fields the test cares about and fills the rest with plain defaults, so a
 * test reads as the rule it checks: "a budget line of £100 forecast at £120 is an overspend".
 */

/** Where builder figures "come from": audited imports name a document and section. */
export const MADE_UP_SOURCE: DocumentSource = { document: "Made-up test report", section: "Test data" };

let serial = 0;
/** A name no other builder call in this process has used. */
export function unique(prefix: string): string {
  serial += 1;
  return `${prefix}-${serial}`;
}

/** "2030-31" and "2030/31" for 2030: the finance tables' code and label of a financial year. */
export function financialYearOf(startYear: number): { yearCode: string; yearLabel: string } {
  const next = String((startYear + 1) % 100).padStart(2, "0");
  return { yearCode: `${startYear}-${next}`, yearLabel: `${startYear}/${next}` };
}

// ---------------------------------------------------------------------------------------------
// Council, department and plan

export interface DeliverableSpec {
  title: string;
  slug?: string;
  groupTitle?: string;
  section?: string;
  sectionTitle?: string;
  leadAsWritten?: string;
  leadOfficers?: { name: string; qualifier: string | null }[];
  startFinish?: string;
  successMeasures?: string[];
  /** Measures it links to by their titles; a link waits for its measure until one has that title. */
  measureTitles?: string[];
}

export interface ProgressSpec {
  /** The deliverable's title (or slug) in `deliverables`. */
  deliverable: string;
  startYear: number;
  quarter: number;
  rating: RatingKey;
  narrative?: string;
  author?: string;
  ratingSource?: "stated" | "inferred";
}

export interface RiskSpec {
  description: string;
  slug?: string;
  owner?: string | null;
  category?: string | null;
  mitigations?: string[];
  inherent?: [likelihood: number, impact: number] | null;
  residual?: [likelihood: number, impact: number] | null;
  reviewDate?: string | null;
}

export interface CouncilSpec {
  councilName?: string;
  /** The month (1-12) its financial year starts in; April when not given. */
  yearStartMonth?: number;
  departmentName?: string;
  frequency?: "quarterly" | "monthly";
  divisions?: string[];
  plan?: {
    title?: string;
    slug?: string;
    fromYear?: number;
    toYear?: number;
    priorities?: string[];
  };
  outcomes?: string[];
  objectives?: { title: string; outcomeNumber?: number | null; activities?: string[] }[];
  deliverables?: DeliverableSpec[];
  progress?: ProgressSpec[];
  risks?: RiskSpec[];
}

export interface BuiltCouncil {
  councilId: number;
  departmentId: number;
  planId: number;
  planSlug: string;
  /** Deliverable ids by title. */
  deliverableIds: Map<string, number>;
  /** Risk ids by description. */
  riskIds: Map<string, number>;
}

/**
 * A council with one department and one plan (2030 to 2033 unless given), with the objectives,
 * deliverables, progress and risks asked for and nothing else, through the plan import service.
 */
export async function buildCouncil(db: Database, spec: CouncilSpec = {}): Promise<BuiltCouncil> {
  const fromYear = spec.plan?.fromYear ?? 2030;
  const toYear = spec.plan?.toYear ?? fromYear + 3;
  const planSlug = spec.plan?.slug ?? unique("plan");
  const deliverableSpecs = (spec.deliverables ?? []).map((deliverable, index) => ({
    ...deliverable,
    slug: deliverable.slug ?? unique(`deliverable-${index + 1}`),
  }));
  const slugOf = (titleOrSlug: string): string => {
    const found = deliverableSpecs.find((d) => d.title === titleOrSlug || d.slug === titleOrSlug);
    if (!found) throw new Error(`No deliverable "${titleOrSlug}" in the builder's spec`);
    return found.slug;
  };
  const documents: PlanDocuments = {
    council: {
      name: spec.councilName ?? unique("Borough of Anytown"),
      ...(spec.yearStartMonth ? { yearStartMonth: spec.yearStartMonth } : {}),
    },
    outcomes: (spec.outcomes ?? []).map((text, index) => ({
      number: index + 1,
      wordings: [{ text, plans: [planSlug] }],
    })),
    department: {
      name: spec.departmentName ?? "Place",
      ...(spec.frequency ? { monitoringFrequency: spec.frequency } : {}),
    },
    divisions: (spec.divisions ?? []).map((name, index) => ({ name, position: index + 1 })),
    plans: [
      {
        slug: planSlug,
        title: spec.plan?.title ?? "Place Plan",
        planVersion: "original",
        refreshOf: null,
        periodAsWritten: `${fromYear}-${toYear}`,
        fromYear,
        toYear,
        priorities: spec.plan?.priorities ?? [],
      },
    ],
    objectives: (spec.objectives ?? []).map((objective, index) => ({
      plan: planSlug,
      number: index + 1,
      title: objective.title,
      outcomeNumber: objective.outcomeNumber ?? null,
      leadDepartment: spec.departmentName ?? "Place",
      activities: (objective.activities ?? []).map((text) => ({
        text,
        startMonth: null,
        endMonth: null,
        children: [],
      })),
    })),
    deliverables: deliverableSpecs.map((deliverable, index) => ({
      plan: planSlug,
      slug: deliverable.slug,
      position: index + 1,
      section: deliverable.section ?? "1",
      sectionTitle: deliverable.sectionTitle ?? "Streets and spaces",
      groupKind: "priority" as const,
      groupTitle: deliverable.groupTitle ?? "Clean streets",
      title: deliverable.title,
      leadAsWritten: deliverable.leadAsWritten ?? "Head of Highways",
      leadOfficers: deliverable.leadOfficers ?? [],
      startFinish: deliverable.startFinish ?? `${fromYear}-${toYear}`,
      successMeasures: deliverable.successMeasures ?? [],
      measureTitles: deliverable.measureTitles ?? [],
    })),
    progress: (spec.progress ?? []).map((progress) => ({
      deliverableSlug: slugOf(progress.deliverable),
      financialYear: financialYearOf(progress.startYear).yearLabel,
      quarter: progress.quarter,
      rating: progress.rating,
      ratingSource: progress.ratingSource ?? "stated",
      narrative: progress.narrative ?? "Work went as planned this quarter.",
      author: progress.author ?? "Head of Highways",
    })),
    risks: (spec.risks ?? []).map((risk, index) => ({
      plan: planSlug,
      slug: risk.slug ?? unique("risk"),
      position: index + 1,
      description: risk.description,
      mitigations: risk.mitigations ?? [],
      owner: risk.owner ?? null,
      category: risk.category ?? null,
      inherentLikelihood: risk.inherent?.[0] ?? null,
      inherentImpact: risk.inherent?.[1] ?? null,
      residualLikelihood: risk.residual?.[0] ?? null,
      residualImpact: risk.residual?.[1] ?? null,
      reviewDate: risk.reviewDate ?? null,
    })),
  };
  await importPlanDocuments(db, TEST_ACTOR, documents);

  const [council] = await db.select().from(councils).where(eq(councils.name, documents.council.name));
  const [plan] = await db.select().from(plans).where(eq(plans.slug, planSlug));
  if (!council || !plan) throw new Error("The builder's council was not saved");
  const [department] = await db.select().from(departments).where(eq(departments.councilId, council.id));
  if (!department) throw new Error("The builder's department was not saved");
  const deliverableIds = new Map<string, number>();
  for (const row of await db.select().from(deliverables).where(eq(deliverables.planId, plan.id))) {
    deliverableIds.set(row.title, row.id);
  }
  const riskIds = new Map<string, number>();
  for (const row of await db.select().from(risks).where(eq(risks.planId, plan.id))) {
    riskIds.set(row.description, row.id);
  }
  return {
    councilId: council.id,
    departmentId: department.id,
    planId: plan.id,
    planSlug,
    deliverableIds,
    riskIds,
  };
}

/** The id of a built deliverable or risk, failing clearly when the test names one it did not build. */
export function idOf(ids: Map<string, number>, name: string): number {
  const id = ids.get(name);
  if (id === undefined) throw new Error(`Nothing called "${name}" was built`);
  return id;
}

/** A council setting (key-value) saved and audited as the settings pages save it. */
export async function buildSetting(db: Database, key: string, value: unknown): Promise<void> {
  await saveSetting(db, TEST_ACTOR, { key, value, summary: `Set ${key} for a test` });
}

// ---------------------------------------------------------------------------------------------
// Monitoring years and periods

/** A financial year opened for monitoring (needs a council from `buildCouncil`), carrying nothing unless asked. */
export async function buildMonitoringYear(
  db: Database,
  startYear: number,
  options: { frequency?: "quarterly" | "monthly"; carryForward?: CarryForward } = {},
) {
  return openYear(db, TEST_ACTOR, {
    startYear,
    ...(options.frequency ? { frequency: options.frequency } : {}),
    carryForward: options.carryForward ?? NOTHING_CARRIED,
  });
}

/** A made-up council monitored month by month (see `buildMonthlyCouncil`). */
export interface MonthlyCouncilSpec {
  /** The year monitored monthly; the council's plan runs from the year before to two after. */
  startYear: number;
  /** The month (1-12) its financial year starts in; April when not given. */
  yearStartMonth?: number;
  /**
   * Budget lines the year before reported (monitored quarterly), carried into the monthly year.
   * None given: the year opens with nothing carried.
   */
  linesBefore?: BudgetLineSpec[];
  /** The quarters of the year before that reported those lines: quarter 4 unless given. */
  quartersBefore?: readonly number[];
  /** Anything else of the year before (savings, reserves, debt), built before the year opens. */
  yearBefore?: (db: Database) => Promise<void>;
  /** Carry the year before's savings initiatives forward too. */
  carrySavings?: boolean;
  /** The months of the year opened for entry: none unless given. */
  openMonths?: readonly number[];
}

/**
 * A council with one department monitored monthly, its year opened with last year's lines
 * carried where given, and the months asked for opened for entry. Its year code ("2048-49").
 */
export async function buildMonthlyCouncil(db: Database, spec: MonthlyCouncilSpec): Promise<{ code: string }> {
  const { startYear } = spec;
  await buildCouncil(db, {
    frequency: "monthly",
    ...(spec.yearStartMonth === undefined ? {} : { yearStartMonth: spec.yearStartMonth }),
    plan: { fromYear: startYear - 1, toYear: startYear + 2 },
  });
  const lines = spec.linesBefore ?? [];
  for (const quarter of lines.length > 0 ? (spec.quartersBefore ?? [4]) : []) {
    await buildBudgetMonitoring(db, { startYear: startYear - 1, quarter, lines });
  }
  await spec.yearBefore?.(db);
  await buildMonitoringYear(db, startYear, {
    carryForward:
      lines.length > 0 || spec.carrySavings
        ? { approvedBudget: false, lines: lines.length > 0, savingsInitiatives: spec.carrySavings ?? false }
        : NOTHING_CARRIED,
  });
  for (const month of spec.openMonths ?? []) {
    await openPeriod(db, TEST_ACTOR, monitoringPeriod(startYear, "month", month));
  }
  return { code: financialYearOf(startYear).yearCode };
}

/** A quarter of an opened year, opened for entry. */
export async function buildOpenQuarter(db: Database, startYear: number, quarter: number) {
  return openPeriod(db, TEST_ACTOR, quarterPeriod(startYear, quarter));
}

// ---------------------------------------------------------------------------------------------
// Finance (all amounts in pence)

export interface BudgetLineSpec {
  name: string;
  budget: number;
  forecast: number;
}

/**
 * A quarter's budget monitoring: lines with their controllable budget and forecast outturn, and
 * the totals the document states (`statedForecast`, in pence) when a test needs one to disagree with.
 */
export async function buildBudgetMonitoring(
  db: Database,
  spec: {
    startYear?: number;
    quarter?: number;
    portfolio?: string;
    lines: BudgetLineSpec[];
    statedBudget?: number;
    statedForecast?: number;
  },
) {
  return recordMonitoringReport(db, TEST_ACTOR, MADE_UP_SOURCE, {
    ...financialYearOf(spec.startYear ?? 2030),
    quarter: spec.quarter ?? 1,
    portfolio: spec.portfolio ?? "Place",
    title: "Budget monitoring",
    overview: null,
    lines: spec.lines.map((line) => ({
      name: line.name,
      controllableBudget: line.budget,
      forecastOutturn: line.forecast,
    })),
    stated: {
      budget: spec.statedBudget ?? null,
      forecast: spec.statedForecast ?? null,
      variance: null,
      percentage: null,
      budgetAfterFunding: null,
      varianceAfterFunding: null,
      percentageAfterFunding: null,
    },
    additionalFunding: [],
    oneOffIncome: [],
    narratives: [],
  });
}

/**
 * A quarter's forecast for a budget line entered as the budget page's form enters it (the line
 * is found by name in the year; the quarter must be open): the first forecast of a quarter starts
 * its budget monitoring.
 */
export async function buildForecastEntry(
  db: Database,
  spec: {
    startYear?: number;
    quarter: number;
    /** A month of the quarter, for a department monitored monthly (the month must be open). */
    month?: number;
    line: string;
    budget: number;
    forecast: number;
  },
) {
  const { yearCode } = financialYearOf(spec.startYear ?? 2030);
  const [line] = await db
    .select({ id: monitoringLines.id })
    .from(monitoringLines)
    .innerJoin(financialYears, eq(financialYears.id, monitoringLines.financialYearId))
    .where(and(eq(financialYears.code, yearCode), eq(monitoringLines.name, spec.line)));
  if (!line) throw new Error(`No budget line "${spec.line}" in ${yearCode} was built`);
  return createForecast(db, TEST_ACTOR, {
    lineId: line.id,
    quarter: spec.quarter,
    month: spec.month ?? null,
    entry: { controllableBudget: spec.budget, forecastOutturn: spec.forecast },
  });
}

/** An approved budget: each division's amounts by subjective heading key (such as "employees"). */
export async function buildApprovedBudget(
  db: Database,
  spec: { startYear?: number; divisions: { name: string; amounts: Record<string, number> }[] },
) {
  return recordApprovedBudget(db, TEST_ACTOR, MADE_UP_SOURCE, {
    ...financialYearOf(spec.startYear ?? 2030),
    divisions: spec.divisions.map((division) => ({
      name: division.name,
      statedTotal: false,
      amounts: division.amounts,
      statedGross: null,
      statedNet: null,
    })),
  });
}

/** A savings target and its initiatives with their quarter's forecast achieved. */
export async function buildSavings(
  db: Database,
  spec: {
    startYear?: number;
    quarter?: number;
    currentYear?: number;
    broughtForward?: number;
    initiatives: { name: string; amount: number; forecastAchieved: number }[];
  },
) {
  const total = spec.initiatives.reduce((sum, initiative) => sum + initiative.amount, 0);
  return recordSavings(db, TEST_ACTOR, MADE_UP_SOURCE, {
    ...financialYearOf(spec.startYear ?? 2030),
    quarter: spec.quarter ?? 1,
    portfolio: "Place",
    currentYear: spec.currentYear ?? total,
    priorYearBroughtForward: spec.broughtForward ?? 0,
    statedTarget: null,
    initiatives: spec.initiatives.map((initiative) => ({
      name: initiative.name,
      noteMarker: null,
      amount: initiative.amount,
      forecastAchieved: initiative.forecastAchieved,
      statedMark: null,
    })),
    statedTotals: [],
    notes: [],
  });
}

/** Growth items of a year: ongoing and one-off amounts. */
export async function buildGrowth(
  db: Database,
  spec: { startYear?: number; items: { title: string; ongoing?: number | null; oneOff?: number | null }[] },
) {
  return recordGrowth(db, TEST_ACTOR, MADE_UP_SOURCE, {
    ...financialYearOf(spec.startYear ?? 2030),
    items: spec.items.map((item, index) => ({
      ref: `G${index + 1}`,
      title: item.title,
      ongoing: item.ongoing ?? null,
      oneOff: item.oneOff ?? null,
      paragraphs: [],
    })),
  });
}

/** Earmarked reserve balances at a quarter. */
export async function buildReserves(
  db: Database,
  spec: { startYear?: number; quarter?: number; reserves: { name: string; balance: number }[] },
) {
  return recordEarmarkedReserves(db, TEST_ACTOR, MADE_UP_SOURCE, {
    ...financialYearOf(spec.startYear ?? 2030),
    quarter: spec.quarter ?? 1,
    reserves: spec.reserves.map((reserve) => ({ ...reserve, statedTrend: null })),
    statedTotal: null,
  });
}

/** An aged debt profile at a quarter: one amount per age band. */
export async function buildDebt(
  db: Database,
  spec: { startYear?: number; quarter?: number; bands: { band: string; amount: number }[] },
) {
  return recordDebtProfile(db, TEST_ACTOR, MADE_UP_SOURCE, {
    ...financialYearOf(spec.startYear ?? 2030),
    quarter: spec.quarter ?? 1,
    bands: spec.bands.map((band, index) => ({
      key: `band-${index + 1}`,
      band: band.band,
      amount: band.amount,
      statedShare: null,
      statedTrend: null,
    })),
    statedTotal: null,
    writeOff: null,
  });
}

/** Financial risks at a quarter: a sensitivity in pence and a likelihood. */
export async function buildFinancialRisks(
  db: Database,
  spec: {
    startYear?: number;
    quarter?: number;
    risks: { service: string; risk: string; sensitivity: number; likelihood: number }[];
  },
) {
  return recordFinancialRisks(db, TEST_ACTOR, MADE_UP_SOURCE, {
    ...financialYearOf(spec.startYear ?? 2030),
    quarter: spec.quarter ?? 1,
    risks: spec.risks,
  });
}

// ---------------------------------------------------------------------------------------------
// Measures

/** One measure with no values, through the measures service. */
export async function buildMeasure(db: Database, fields: Partial<NewMeasure> & { title: string }) {
  return createMeasure(db, TEST_ACTOR, { slug: unique("measure"), ...fields });
}

export interface MeasureRowSpec {
  code: string;
  title: string;
  /** The value cells as a council prints them: "81.0%", "38". */
  last: string;
  current: string;
  target: string;
  status?: string;
}

const MEASURE_HEADER = "Indicator\tDescription\tLast quarter\tThis quarter\tTarget\tStatus";

/**
 * A group of measures with their values and targets, pasted as a council's quarterly table is
 * (code, description, last and this quarter, target, status) and saved through the import service.
 */
export async function buildMeasureGroup(
  db: Database,
  spec: { title?: string; reportingPeriod?: string; rows: MeasureRowSpec[] },
) {
  const lines = spec.rows.map((row) =>
    [row.code, row.title, row.last, row.current, row.target, row.status ?? ""].join("\t"),
  );
  return saveImport(db, TEST_ACTOR, {
    text: [MEASURE_HEADER, ...lines].join("\n"),
    document: MADE_UP_SOURCE.document,
    groupKind: "priority",
    groupTitle: spec.title ?? unique("Measures"),
    reportingPeriod: spec.reportingPeriod ?? "Q2 2030/31",
  });
}

/**
 * A council's table of measures pasted as written, header lines then rows (each a list of cells),
 * and saved through the import service: for rules that turn on a table's own columns (its years,
 * a "Latest" column, a cell that names its own period).
 */
export async function buildMeasureTable(
  db: Database,
  spec: { header: string[][]; rows: string[][]; document?: string; title?: string },
) {
  return saveImport(db, TEST_ACTOR, {
    text: [...spec.header, ...spec.rows].map((cells) => cells.join("\t")).join("\n"),
    document: spec.document ?? MADE_UP_SOURCE.document,
    groupKind: "priority",
    groupTitle: spec.title ?? unique("Measures"),
  });
}

/** A measure's value for a period, entered as the measure page's form enters it (the period must be open). */
export async function buildMeasureValue(
  db: Database,
  spec: { measureId: number; period: MonitoringPeriod; text: string; notes?: string | null },
) {
  return recordPeriodValue(
    db,
    TEST_ACTOR,
    {
      measureId: spec.measureId,
      period: spec.period,
      text: spec.text,
      status: "final",
      notes: spec.notes ?? null,
      replacing: null,
    },
    requireOpenPeriod,
  );
}

/** A quarter's progress on a deliverable, recorded as the deliverable page's form records it. */
export async function buildProgressEntry(
  db: Database,
  spec: { deliverableId: number; startYear: number; quarter: number; rating: RatingKey; narrative: string },
) {
  const [deliverable] = await db.select().from(deliverables).where(eq(deliverables.id, spec.deliverableId));
  if (!deliverable) throw new Error(`No deliverable ${spec.deliverableId} was built`);
  return recordProgress(db, TEST_ACTOR, {
    deliverableId: deliverable.id,
    version: deliverable.version,
    progress: {
      quarter: { financialYear: financialYearOf(spec.startYear).yearLabel, quarter: spec.quarter },
      rating: spec.rating,
      narrative: spec.narrative,
    },
  });
}

/** The figures `buildRecordedQuarter` entered, as the report should show them. */
export interface RecordedQuarter {
  period: MonitoringPeriod;
  deliverable: string;
  narrative: string;
  measure: string;
  value: string;
  line: string;
}

/**
 * A council whose plan covers the year, with one budget line monitored in the quarter before
 * (none before quarter 1), the quarter opened and its entries made through the services as the
 * forms make them: a deliverable's progress, a quarterly measure's value and the line's forecast
 * (£4,200,000 budget, £4,765,000 forecast), unless `forecast` is false.
 */
export async function buildRecordedQuarter(
  db: Database,
  spec: { startYear: number; quarter: number; forecast?: boolean },
): Promise<RecordedQuarter> {
  const { startYear, quarter } = spec;
  const recorded: RecordedQuarter = {
    period: monitoringPeriod(startYear, "quarter", quarter),
    deliverable: "Resurface the high street",
    narrative: `The high street was resurfaced in quarter ${quarter}.`,
    measure: "Potholes repaired within 48 hours",
    value: "87.5%",
    line: "Highways maintenance",
  };
  const council = await buildCouncil(db, {
    plan: { fromYear: startYear, toYear: startYear + 3 },
    deliverables: [{ title: recorded.deliverable }],
  });
  await buildMonitoringYear(db, startYear);
  await buildOpenQuarter(db, startYear, quarter);
  if (spec.forecast !== false) {
    // The line is made by a first quarter's monitoring as a document gives it, then forecast.
    await buildBudgetMonitoring(db, {
      startYear,
      quarter: quarter === 1 ? 1 : quarter - 1,
      lines: [
        { name: recorded.line, budget: 420_000_000, forecast: quarter === 1 ? 476_500_000 : 420_000_000 },
      ],
    });
    if (quarter !== 1) {
      await buildForecastEntry(db, {
        startYear,
        quarter,
        line: recorded.line,
        budget: 420_000_000,
        forecast: 476_500_000,
      });
    }
  }
  const measure = await buildMeasure(db, {
    title: recorded.measure,
    unit: "percent",
    polarity: "higher-is-better",
    frequency: "quarterly",
  });
  await buildMeasureValue(db, { measureId: measure.id, period: recorded.period, text: recorded.value });
  await buildProgressEntry(db, {
    deliverableId: idOf(council.deliverableIds, recorded.deliverable),
    startYear,
    quarter,
    rating: "good",
    narrative: recorded.narrative,
  });
  return recorded;
}

/** A made-up update round (see `buildOpenRound`); `P` names the people the test acts as. */
export interface OpenRoundSpec<P extends string> {
  councilName?: string;
  departmentName?: string;
  /** The year opened for monitoring; the plan runs from it to two years after unless `plan` is given. */
  startYear: number;
  /** The quarter of that year opened for entry. */
  quarter: number;
  plan?: { fromYear: number; toYear: number };
  /** The plan's deliverables, with the officers who lead them. */
  deliverables: DeliverableSpec[];
  /** The one quarterly measure (a count), and the officer who owns it, by name. */
  measure: { title: string; owner: string };
  /** The council's people, by the names the test calls them, built in this order. */
  people: Record<P, { roles: Role[]; name?: string; email?: string }>;
}

/**
 * A council with a quarter open for its update round: a plan's deliverables led by named
 * officers, one quarterly measure owned by one of them, and the people asked for with their
 * roles, who can sign in. Nothing is recorded for the quarter yet.
 */
export async function buildOpenRound<P extends string>(
  db: Database,
  spec: OpenRoundSpec<P>,
): Promise<BuiltCouncil & { measure: Measure; people: Record<P, BuiltPerson> }> {
  const built = await buildCouncil(db, {
    councilName: spec.councilName,
    departmentName: spec.departmentName,
    plan: spec.plan ?? { fromYear: spec.startYear, toYear: spec.startYear + 2 },
    deliverables: spec.deliverables,
  });
  await buildMonitoringYear(db, spec.startYear);
  await buildOpenQuarter(db, spec.startYear, spec.quarter);
  const measure = await buildMeasure(db, {
    title: spec.measure.title,
    unit: "count",
    frequency: "quarterly",
    owner: spec.measure.owner,
  });
  const people = {} as Record<P, BuiltPerson>;
  for (const [key, person] of Object.entries(spec.people) as [P, OpenRoundSpec<P>["people"][P]][]) {
    people[key] = await buildPerson(db, { councilId: built.councilId, ...person });
  }
  return { ...built, measure, people };
}

// ---------------------------------------------------------------------------------------------
// Procurement and benchmarks

/**
 * A planned procurement through the same form schema and service as the page; the fields are the
 * form's, so `{ estimatedValue: "£90,000" }` reads as an officer would type it. A `source` makes it a
 * row of a published plan, with the band that plan gave it.
 */
export async function buildProcurement(
  db: Database,
  fields: Record<string, string> = {},
  source?: PublishedSource,
) {
  const parsed = parseForm(procurementFormSchema, {
    title: unique("Grounds maintenance"),
    estimatedValue: "£210,000",
    estimatedStartDate: "2030-06-01",
    category: "services",
    department: "Place",
    status: "planned",
    ...fields,
  });
  if (!parsed.ok)
    throw new Error(`The builder's procurement form is invalid: ${JSON.stringify(parsed.errors)}`);
  return createProcurement(db, TEST_ACTOR, parsed.value, source);
}

/** Benchmark rows imported from made-up files in the Department's shapes (test/helpers/benchmark-files.ts). */
export async function buildBenchmarks(db: Database, files: readonly UploadedFile[] = benchmarkFiles) {
  const outcome = await importBenchmarks(db, TEST_ACTOR, files);
  if (!outcome.ok)
    throw new Error(`The builder's benchmark files did not import: ${JSON.stringify(outcome)}`);
  return outcome;
}

// ---------------------------------------------------------------------------------------------
// A council set up as a new installation's officers set it up: nothing but the council and its
// first department.

/** A made-up council and its first department, through the set-up service, and nothing else. */
export async function buildSetUpCouncil(
  db: Database,
  spec: { councilName?: string; departmentName?: string; departmentShortName?: string } = {},
) {
  const form = parseForm(councilForm, {
    councilName: spec.councilName ?? unique("Borough of Anytown"),
    area: AREA_NOT_LISTED,
    areaName: "Anytown",
    departmentName: spec.departmentName ?? "Place",
    departmentShortName: spec.departmentShortName ?? "PL",
    frequency: "quarterly",
  });
  if (!form.ok) throw new Error(`The builder's set-up form was refused: ${JSON.stringify(form.errors)}`);
  return setUpCouncil(db, TEST_ACTOR, form.value);
}
