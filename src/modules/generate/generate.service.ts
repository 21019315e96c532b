import type { Database } from "../../db/client.ts";
import type { StoredColumn } from "../../db/schema/measures.ts";
import type { MeasureUnit, Polarity } from "../../domain/measure-types.ts";
import { MAX_AMOUNT_PENCE } from "../../domain/money.ts";
import {
  financialYearCode,
  financialYearLabel,
  monitoringPeriod,
  monitoringPeriodLabel,
} from "../../domain/periods.ts";
import { RATINGS } from "../../domain/ratings.ts";
import { parseTarget } from "../../domain/targets.ts";
import { BaseplanError } from "../../errors.ts";
import { recordAuditEvent } from "../audit/audit.service.ts";
import { NOTHING_CARRIED } from "../finance/finance.years.ts";
import { understandCell, valuePeriod } from "../measures/measures.cells.ts";
import { ENTERED_DOCUMENT, periodKey } from "../measures/measures.service.ts";
import { openPeriod, openYear } from "../periods/periods.service.ts";
import { readSettingValue, recordSetting } from "../settings/settings.service.ts";
import { AREA_NOT_LISTED } from "../setup/setup.schemas.ts";
import { addDepartment, councilSummary, setUpCouncil } from "../setup/setup.service.ts";
import * as repository from "./generate.repository.ts";

/**
 * A made-up council at a real council's size, for measuring Baseplan (`baseplan generate`): its
 * departments, ten years (or as asked) of monthly monitoring, plans with deliverables and their
 * quarterly progress, measures with a value every month and a target every year, budget lines
 * with a forecast every month, savings and financial risks. Everything comes from one seeded
 * pseudo-random sequence, so the same options give the same figures. It is written into an empty
 * database only, in one transaction, and marked as generated twice over: the council's name says
 * so and the `generated.council` setting records the options.
 */

export const GENERATED_MARKER = "generated.council";
export const GENERATED_COUNCIL_NAME = "Generated Borough Council (made-up data)";

/** Per department: about 2,000 measures, 1,000 deliverables and 500 budget lines for twelve. */
export const MEASURES_PER_DEPARTMENT = 167;
export const DELIVERABLES_PER_DEPARTMENT = 83;
export const BUDGET_LINES_PER_DEPARTMENT = 42;
const PRIORITIES_PER_PLAN = 4;
const OBJECTIVES_PER_PLAN = 5;
const RISKS_PER_PLAN = 8;
const INITIATIVES_PER_YEAR = 12;
const FINANCIAL_RISKS_PER_QUARTER = 5;
const OUTCOMES = [
  "Residents live healthy, independent lives",
  "Children and young people get the best start",
  "A clean, green and safe place",
  "A thriving local economy",
];

export interface GenerateOptions {
  departments: number;
  years: number;
  seed: number;
  /** The calendar year the first financial year starts in. */
  firstYear: number;
}

/** What was written, counted. */
export interface GeneratedCounts {
  departments: number;
  periods: number;
  measures: number;
  values: number;
  targets: number;
  deliverables: number;
  progress: number;
  risks: number;
  budgetLines: number;
  forecasts: number;
  savingsInitiatives: number;
  financialRisks: number;
}

/** The database already holds a council (or the demo): nothing is generated into it. */
export class NotEmpty extends BaseplanError {
  readonly code = "conflict";
}

/** Mulberry32: a small, well-known 32-bit generator; the same seed gives the same sequence. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const DEPARTMENT_NAMES = [
  "Adult Social Care",
  "Children and Families",
  "Education and Skills",
  "Environment and Streets",
  "Housing",
  "Public Health",
  "Planning and Regeneration",
  "Resources",
  "Culture and Leisure",
  "Community Safety",
  "Transport",
  "Customer Services",
];
const SUBJECTS = [
  "assessments completed on time",
  "residents satisfied with the service",
  "requests resolved at first contact",
  "visits made within the standard",
  "cases reviewed in the month",
  "complaints answered in 20 working days",
  "applications decided in time",
  "people supported to live at home",
  "repairs completed right first time",
  "households helped",
];
const WORK = ["Review", "Deliver", "Redesign", "Launch", "Improve", "Extend", "Commission", "Modernise"];
const THINGS = [
  "the front door service",
  "the digital offer",
  "the partnership agreement",
  "the workforce plan",
  "the estate strategy",
  "the early help pathway",
  "the data platform",
  "the customer charter",
];
const SERVICES = [
  "Management and support",
  "Commissioned services",
  "Staffing",
  "Premises",
  "Transport",
  "Grants",
  "Supplies and services",
];

/** Department n's name: the list's, then numbered once the list is used up. */
export function departmentName(index: number): string {
  const base = DEPARTMENT_NAMES[index % DEPARTMENT_NAMES.length] ?? "Department";
  const round = Math.floor(index / DEPARTMENT_NAMES.length);
  return round === 0 ? base : `${base} ${round + 1}`;
}

function shortNameOf(index: number): string {
  return `D${String(index + 1).padStart(2, "0")}`;
}

/** A whole number of pence between the two, never beyond the largest amount Baseplan holds. */
function pence(random: () => number, low: number, high: number): number {
  const amount = low + Math.floor(random() * (high - low));
  if (!Number.isSafeInteger(amount) || Math.abs(amount) > MAX_AMOUNT_PENCE) {
    throw new RangeError(`A generated amount (${amount} pence) is beyond the largest amount`);
  }
  return amount;
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

interface GeneratedMeasure {
  id: number;
  title: string;
  unit: MeasureUnit;
  polarity: Polarity;
  /** Where its values start, and how far they move from month to month. */
  level: number;
  step: number;
}

/** The value as an officer would write it, for the measure's unit. */
function valueText(measure: GeneratedMeasure, value: number): string {
  return measure.unit === "percent" ? `${value.toFixed(1)}%` : String(Math.round(value));
}

/**
 * The columns of every generated table, as a council's KPI table prints them for the last month
 * of the last year: the month before and the month (the periods its values are entered for), the
 * year's target and the status. The measures list shows each row's value for the month and the
 * year's target, rated against them and the month before.
 */
export function tableColumns(lastYear: number): StoredColumn[] {
  const [before, shown] = [11, 12].map((month) =>
    monitoringPeriodLabel(monitoringPeriod(lastYear, "month", month)),
  ) as [string, string];
  const year = financialYearLabel(lastYear);
  return [
    { heading: before, role: "value", period: before },
    { heading: shown, role: "value", period: shown },
    { heading: `Target ${year}`, role: "target", period: year },
    { heading: "Status", role: "rating", period: shown },
  ];
}

/**
 * Builds the council into an empty database, reporting each step through `progress`. Refused
 * with NotEmpty, nothing written, where a council (the demo or any other) is set up already.
 */
export async function generateCouncil(
  db: Database,
  actor: string,
  options: GenerateOptions,
  progress: (line: string) => void = () => {},
): Promise<GeneratedCounts> {
  const existing = await councilSummary(db);
  if (existing) {
    throw new NotEmpty(
      `Nothing was generated: this database already has a council, ${existing.council.name}. A generated council is made only in an empty database (a new BASEPLAN_DATA_DIR or database), never mixed with another council's data.`,
    );
  }
  const random = seededRandom(options.seed);
  const { departments: departmentCount, years, firstYear } = options;
  const counts: GeneratedCounts = {
    departments: departmentCount,
    periods: 0,
    measures: 0,
    values: 0,
    targets: 0,
    deliverables: 0,
    progress: 0,
    risks: 0,
    budgetLines: 0,
    forecasts: 0,
    savingsInitiatives: 0,
    financialRisks: 0,
  };
  // Each distinct figure read once, as the measure page's form reads it: a plain figure reads the
  // same whatever its month.
  const readings = new Map<string, ReturnType<typeof understandCell>>();
  const readFigure = (unit: MeasureUnit, text: string, label: string) => {
    const key = `${unit} ${text}`;
    let reading = readings.get(key);
    if (!reading) {
      reading = understandCell(text, { unit, columnPeriod: label, columnHeading: label });
      readings.set(key, reading);
    }
    return reading;
  };
  const startYears = Array.from({ length: years }, (_, index) => firstYear + index);

  return db.transaction(async (tx) => {
    // The council and its departments, through the set-up service, monitored monthly.
    const names = Array.from({ length: departmentCount }, (_, index) => departmentName(index));
    const { council } = await setUpCouncil(tx, actor, {
      councilName: GENERATED_COUNCIL_NAME,
      area: AREA_NOT_LISTED,
      areaName: "Generated Borough (made-up data)",
      gssCode: "",
      laNumber: "",
      departmentName: names[0] ?? "Department",
      departmentShortName: shortNameOf(0),
      frequency: "monthly",
    });
    for (let index = 1; index < departmentCount; index += 1) {
      await addDepartment(tx, actor, {
        departmentName: names[index] ?? `Department ${index + 1}`,
        departmentShortName: shortNameOf(index),
        frequency: "monthly",
      });
    }
    await recordSetting(tx, GENERATED_MARKER, {
      departments: departmentCount,
      years,
      seed: options.seed,
      firstYear,
    });
    progress(`Set up ${council.name} with ${departmentCount} departments.`);

    // Each year opened for monthly monitoring and its months opened, through the periods service.
    for (const startYear of startYears) {
      await openYear(tx, actor, { startYear, frequency: "monthly", carryForward: NOTHING_CARRIED });
      for (let month = 1; month <= 12; month += 1) {
        await openPeriod(tx, actor, monitoringPeriod(startYear, "month", month));
        counts.periods += 1;
      }
    }
    progress(`Opened ${years} years, ${counts.periods} months.`);

    // The plan: council outcomes, then one plan per department.
    await repository.insertOutcomes(
      tx,
      OUTCOMES.map((text, index) => ({
        councilId: council.id,
        number: index + 1,
        wordings: [{ text, plans: [] }],
      })),
    );
    const summary = await councilSummary(tx);
    const departments = summary?.departments ?? [];
    const planIds = await repository.insertPlans(
      tx,
      departments.map((department, index) => ({
        departmentId: department.id,
        slug: `generated-plan-${index + 1}`,
        title: `${department.name} Plan ${firstYear} to ${firstYear + years}`,
        planVersion: "original" as const,
        periodAsWritten: `${firstYear}-${firstYear + years}`,
        fromYear: firstYear,
        toYear: firstYear + years,
        status: "approved" as const,
      })),
    );
    const priorityTitles = (department: number) =>
      Array.from(
        { length: PRIORITIES_PER_PLAN },
        (_, index) => `${OUTCOMES[index % OUTCOMES.length]} (${shortNameOf(department)})`,
      );
    await repository.insertPriorities(
      tx,
      planIds.flatMap((planId, department) =>
        priorityTitles(department).map((title, index) => ({
          planId,
          position: index + 1,
          kind: "departmental" as const,
          title,
        })),
      ),
    );
    await repository.insertObjectives(
      tx,
      planIds.flatMap((planId, department) =>
        Array.from({ length: OBJECTIVES_PER_PLAN }, (_, index) => ({
          planId,
          number: index + 1,
          title: `${pick(random, WORK)} ${pick(random, THINGS)}`,
          outcomeNumber: (index % OUTCOMES.length) + 1,
          leadDepartment: departments[department]?.name ?? "",
        })),
      ),
    );

    // Measures: a group per department, each measure with a value every month and a target a year.
    // Each group is a council's KPI table for the latest month: its columns name the periods the
    // measures list shows and rates (the month before, the month, the year's target, the status).
    const columns = tableColumns(startYears.at(-1) ?? firstYear);
    const groupIds = await repository.insertGroups(
      tx,
      departments.map((department, index) => ({
        document: ENTERED_DOCUMENT,
        kind: "priority",
        title: `${department.name} measures`,
        columns,
        position: index + 1,
      })),
    );
    const measuresByDepartment: GeneratedMeasure[][] = [];
    for (const [department, row] of departments.entries()) {
      const specs = Array.from({ length: MEASURES_PER_DEPARTMENT }, (_, index) => {
        const unit: MeasureUnit = random() < 0.6 ? "percent" : "count";
        const polarity: Polarity = random() < 0.75 ? "higher-is-better" : "lower-is-better";
        const level = unit === "percent" ? 40 + random() * 50 : 20 + Math.floor(random() * 900);
        return {
          title: `${shortNameOf(department)}-${String(index + 1).padStart(3, "0")} ${pick(random, SUBJECTS)}`,
          unit,
          polarity,
          level,
          step: unit === "percent" ? 1.5 : Math.max(1, level * 0.04),
        };
      });
      const ids = await repository.insertMeasures(
        tx,
        specs.map((spec, index) => ({
          slug: `generated-${shortNameOf(department).toLowerCase()}-${index + 1}`,
          title: spec.title,
          code: `${shortNameOf(department)}-${String(index + 1).padStart(3, "0")}`,
          unit: spec.unit,
          decimals: spec.unit === "percent" ? 1 : 0,
          polarity: spec.polarity,
          frequency: "monthly",
          owner: `Head of service, ${row.name}`,
        })),
      );
      const made = specs.map((spec, index) => ({ ...spec, id: ids[index] as number }));
      measuresByDepartment.push(made);
      await repository.insertRows(
        tx,
        made.map((measure, index) => ({
          groupId: groupIds[department] as number,
          measureId: measure.id,
          position: index + 1,
          kind: "measure",
          titleAsWritten: measure.title,
        })),
      );
      counts.measures += made.length;
    }
    progress(`Added ${counts.measures.toLocaleString("en-GB")} measures.`);

    for (const startYear of startYears) {
      const yearLabel = financialYearLabel(startYear);
      const targets = measuresByDepartment.flat().map((measure) => {
        // Set near where the measure starts the year, from a little beyond it to a few months'
        // movement short of it, so most measures meet their target by the year's end and some
        // do not, as in a council's table.
        const better = measure.polarity === "higher-is-better" ? 1 : -1;
        const aim = measure.level - better * measure.step * (random() * 4 - 1);
        const figure =
          measure.unit === "percent"
            ? `${Math.min(99, Math.max(1, Math.round(aim)))}%`
            : String(Math.max(1, Math.round(aim)));
        const text = measure.polarity === "higher-is-better" ? `${figure} or above` : `${figure} or below`;
        const target = parseTarget(text);
        return {
          measureId: measure.id,
          groupId: null,
          document: ENTERED_DOCUMENT,
          periodLabel: yearLabel,
          periodKey: periodKey(yearLabel),
          targetText: text,
          kind: target.kind,
          warnings: [...target.warnings],
          recordedBy: actor,
        };
      });
      await repository.insertTargets(tx, targets);
      counts.targets += targets.length;
      for (let month = 1; month <= 12; month += 1) {
        const label = monitoringPeriodLabel(monitoringPeriod(startYear, "month", month));
        const key = periodKey(label);
        // The figures are plain ("87.2%", "412"), so every cell's own period is the month's.
        const own = valuePeriod("1", label);
        const rows = measuresByDepartment.flat().map((measure) => {
          measure.level += (random() - 0.5) * 2 * measure.step;
          if (measure.unit === "percent") measure.level = Math.min(100, Math.max(0, measure.level));
          else measure.level = Math.max(0, measure.level);
          const text = valueText(measure, measure.level);
          const understood = readFigure(measure.unit, text, label);
          return {
            measureId: measure.id,
            groupId: null,
            document: ENTERED_DOCUMENT,
            columnHeading: label,
            columnRole: "value",
            periodLabel: label,
            periodKey: key,
            cellText: text,
            amount: understood.amount === null ? null : String(understood.amount),
            decimals: understood.decimals,
            status: understood.status,
            ownPeriod: own?.label ?? null,
            ownPeriodSpan: own?.span ?? null,
            annotations: understood.annotations,
            warnings: understood.warnings,
            recordedBy: actor,
          };
        });
        await repository.insertValues(tx, rows);
        counts.values += rows.length;
      }
      progress(`Recorded ${yearLabel}: ${counts.values.toLocaleString("en-GB")} values so far.`);
    }

    // Deliverables, linked to their department's measures, with progress every quarter; risks.
    const ratingKeys = RATINGS.map((rating) => rating.key).filter((key) => key !== "not-available");
    for (const [department, planId] of planIds.entries()) {
      const priorities = priorityTitles(department);
      const slugs = Array.from(
        { length: DELIVERABLES_PER_DEPARTMENT },
        (_, index) => `generated-${shortNameOf(department).toLowerCase()}-deliverable-${index + 1}`,
      );
      const ids = await repository.insertDeliverables(
        tx,
        slugs.map((slug, index) => {
          const objective = (index % OBJECTIVES_PER_PLAN) + 1;
          return {
            planId,
            slug,
            position: index + 1,
            section: String(objective),
            sectionTitle: `Objective ${objective}`,
            groupKind: "priority" as const,
            groupTitle: priorities[index % priorities.length] ?? "",
            title: `${pick(random, WORK)} ${pick(random, THINGS)} (${shortNameOf(department)} ${index + 1})`,
            leadAsWritten: `Head of service, ${departments[department]?.name ?? ""}`,
            startFinish: `${firstYear}-${firstYear + years}`,
          };
        }),
      );
      const departmentMeasures = measuresByDepartment[department] ?? [];
      await repository.insertMeasureLinks(
        tx,
        ids.flatMap((deliverableId, index) =>
          [0, 1].map((offset) => {
            const measure = departmentMeasures[(index * 2 + offset) % departmentMeasures.length];
            return {
              deliverableId,
              position: offset + 1,
              measureTitle: measure?.title ?? "",
              measureId: measure?.id ?? null,
            };
          }),
        ),
      );
      const progressRows = ids.flatMap((deliverableId) =>
        startYears.flatMap((startYear) =>
          [1, 2, 3, 4].map((quarter) => ({
            deliverableId,
            financialYear: financialYearLabel(startYear),
            quarter,
            rating: pick(random, ratingKeys),
            narrative: `Quarter ${quarter} ${financialYearLabel(startYear)}: work went ${pick(random, ["as planned", "slower than planned", "faster than planned"])}.`,
            author: `Head of service, ${departments[department]?.name ?? ""}`,
          })),
        ),
      );
      await repository.insertProgress(tx, progressRows);
      await repository.insertRisks(
        tx,
        Array.from({ length: RISKS_PER_PLAN }, (_, index) => ({
          planId,
          slug: `generated-${shortNameOf(department).toLowerCase()}-risk-${index + 1}`,
          position: index + 1,
          description: `The ${pick(random, THINGS).replace(/^the /, "")} is delayed or costs more than planned`,
          mitigations: ["Monthly review by the department's management team"],
          inherentLikelihood: 1 + Math.floor(random() * 5),
          inherentImpact: 1 + Math.floor(random() * 5),
          residualLikelihood: 1 + Math.floor(random() * 3),
          residualImpact: 1 + Math.floor(random() * 3),
          owner: `Head of service, ${departments[department]?.name ?? ""}`,
        })),
      );
      counts.deliverables += ids.length;
      counts.progress += progressRows.length;
      counts.risks += RISKS_PER_PLAN;
    }
    progress(
      `Added ${counts.deliverables.toLocaleString("en-GB")} deliverables with ${counts.progress.toLocaleString("en-GB")} quarterly updates.`,
    );

    // Budget monitoring: the department monitored's portfolio, its lines forecast every month.
    const portfolio = departments[0]?.name ?? "";
    const lineCount = BUDGET_LINES_PER_DEPARTMENT * departmentCount;
    const budgets = Array.from({ length: lineCount }, () => pence(random, 5_000_000, 2_000_000_000));
    const yearIds = await repository.financialYearIds(
      tx,
      startYears.map((startYear) => financialYearCode(startYear)),
    );
    for (const startYear of startYears) {
      const financialYearId = yearIds.get(financialYearCode(startYear));
      if (financialYearId === undefined) throw new Error(`${financialYearLabel(startYear)} was not opened`);
      const lineIds = await repository.insertLines(
        tx,
        budgets.map((_, index) => ({
          financialYearId,
          portfolio,
          name: `${departmentName(index % departmentCount)}: ${SERVICES[Math.floor(index / departmentCount) % SERVICES.length]} ${Math.floor(index / departmentCount) + 1}`,
          position: index + 1,
        })),
      );
      const forecasts = lineIds.flatMap((lineId, index) => {
        const budget = budgets[index] as number;
        let outturn = budget;
        return Array.from({ length: 12 }, (_, month) => {
          outturn += pence(random, -Math.floor(budget / 50), Math.floor(budget / 50) + 1);
          return {
            lineId,
            quarter: Math.floor(month / 3) + 1,
            month: month + 1,
            controllableBudgetPence: budget,
            forecastOutturnPence: Math.max(0, outturn),
          };
        });
      });
      await repository.insertForecasts(tx, forecasts);
      await repository.insertReports(
        tx,
        [1, 2, 3, 4].map((quarter) => ({
          financialYearId,
          quarter,
          portfolio,
          title: `${portfolio} budget monitoring`,
        })),
      );
      // A savings target of initiatives, each forecast at every quarter end.
      const amounts = Array.from({ length: INITIATIVES_PER_YEAR }, () =>
        pence(random, 1_000_000, 200_000_000),
      );
      const [targetId] = await repository.insertSavingsTargets(tx, [
        {
          financialYearId,
          portfolio,
          currentYearPence: amounts.reduce((sum, amount) => sum + amount, 0),
          priorYearBroughtForwardPence: 0,
        },
      ]);
      const initiativeIds = await repository.insertInitiatives(
        tx,
        amounts.map((amountPence, index) => ({
          targetId: targetId as number,
          name: `${pick(random, WORK)} ${pick(random, THINGS)} (saving ${index + 1})`,
          amountPence,
          position: index + 1,
        })),
      );
      await repository.insertInitiativeForecasts(
        tx,
        initiativeIds.flatMap((initiativeId, index) =>
          [1, 2, 3, 4].map((quarter) => ({
            initiativeId,
            quarter,
            // A year monitored monthly keeps a quarter's figures at its last month (decision 0021).
            month: quarter * 3,
            forecastAchievedPence: Math.floor(
              ((amounts[index] as number) * (60 + Math.floor(random() * 41))) / 100,
            ),
          })),
        ),
      );
      await repository.insertFinancialRisks(
        tx,
        [1, 2, 3, 4].flatMap((quarter) =>
          Array.from({ length: FINANCIAL_RISKS_PER_QUARTER }, (_, index) => ({
            financialYearId,
            quarter,
            // The risks standing at each quarter's last month (decision 0024).
            month: quarter * 3,
            service: departmentName(index % departmentCount),
            risk: `Demand for ${pick(random, SUBJECTS).split(" ")[0]} services rises above the budget`,
            sensitivityPence: pence(random, 1_000_000, 500_000_000),
            likelihood: 1 + Math.floor(random() * 5),
            position: index + 1,
          })),
        ),
      );
      counts.budgetLines += lineIds.length;
      counts.forecasts += forecasts.length;
      counts.savingsInitiatives += initiativeIds.length;
      counts.financialRisks += 4 * FINANCIAL_RISKS_PER_QUARTER;
    }
    progress(
      `Added ${lineCount} budget lines a year with ${counts.forecasts.toLocaleString("en-GB")} monthly forecasts.`,
    );

    await recordAuditEvent(tx, {
      actor,
      action: "create",
      entityType: "council",
      entityId: council.id,
      summary: `Generated ${council.name}: ${departmentCount} ${departmentCount === 1 ? "department" : "departments"}, ${years} ${years === 1 ? "year" : "years"} of monthly monitoring (seed ${options.seed})`,
      after: { options, counts },
    });
    return counts;
  });
}

/** The options a generated council was made with, or null where the council was not generated. */
export async function generatedWith(db: Database): Promise<GenerateOptions | null> {
  const value = await readSettingValue(db, GENERATED_MARKER);
  return value === undefined || value === null ? null : (value as GenerateOptions);
}
