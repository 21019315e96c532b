import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Database } from "../../db/client.ts";
import type { NestedItem, PlanWording } from "../../db/schema/index.ts";
import { DEMO_DIRECTORY, type DemoLoader } from "../../demo/demo-files.ts";
import { RATINGS, type RatingKey } from "../../domain/ratings.ts";
import { type ActivityInput, importPlanDocuments, type PlanDocuments } from "./plan.service.ts";

async function readJson<T>(file: string): Promise<T> {
  // DEMO_DIRECTORY is read when called, not at import: load-demo.ts imports the loaders.
  return JSON.parse(await readFile(join(DEMO_DIRECTORY, "plan", file), "utf8")) as T;
}

interface CouncilFile {
  name: string;
  dfeCode: string | null;
  onsCode: string | null;
  region: { name: string; onsCode: string | null } | null;
  ambition: PlanWording[];
  values: { intro: string; items: string[] };
  outcomesIntro: { text: string } | null;
  outcomes: { number: number; wordings: PlanWording[] }[];
}

interface DepartmentFile {
  name: string;
  executiveDirectors: { name: string; titleAsWritten: string; document: string }[];
  divisions: {
    name: string;
    directorAsWritten: string | null;
    director: string | null;
    vacant: boolean;
    remit: string | null;
  }[];
  headlineFacts: {
    paragraphAsWritten: string;
    appointmentsAsWritten: string;
    fteAsWritten: string;
    annualBudgetAsWritten: string;
  };
}

interface PlansFile {
  plans: {
    id: string;
    title: string;
    version: "original" | "refresh";
    refreshOf: string | null;
    period: { asWritten: string; fromYear: number; toYear: number };
    status: "draft" | "approved" | null;
    statusAsWritten: string | null;
    executiveDirector: { name: string } | null;
    foreword: { paragraphs: string[] } | null;
    vision: { intro: string; text: string } | null;
    departmentalOverview: string[] | null;
    keyAchievements: { intro: string; items: NestedItem[] } | null;
    councilPriorities: { intro: string; items: string[] } | null;
    departmentalPrioritiesAsWritten?: string | null;
  }[];
}

interface DeliverablesFile {
  plan: string;
  deliverables: {
    id: string;
    order: number;
    section: string;
    sectionTitle: string;
    groupKind: "priority" | "service-theme";
    group: string;
    title: string;
    leadAsWritten: string;
    leadOfficers: { name: string; qualifier: string | null }[];
    startFinish: string;
    successMeasures: string[];
    successMeasuresNote: string | null;
    councilPlanAsWritten: string | null;
    inCouncilPlan: boolean | null;
    councilPlanPriority: string | null;
  }[];
}

interface MeasureLinkEntry {
  titleAsWritten: string;
  children?: MeasureLinkEntry[];
}

interface OutcomeMeasureEntry {
  lineAsWritten: string;
  titleAsWritten: string;
  targetAsWritten: string | null;
  afterBlankLine?: boolean;
}

interface MeasureLinksFile {
  plans: Record<
    string,
    {
      groups?: { deliverableIds: string[]; measures: MeasureLinkEntry[] }[];
      outcomes?: { outcome: number; measures: OutcomeMeasureEntry[] }[];
    }
  >;
}

interface ActivityEntry {
  text: string;
  startMonth: string | null;
  endMonth: string | null;
  children: ActivityEntry[];
}

interface ObjectivesFile {
  plan: string;
  objectives: {
    number: number;
    title: string;
    outcome: number | null;
    leadDepartment: string;
    supportingActivities: ActivityEntry[];
  }[];
}

interface RisksFile {
  plan: string;
  registerNote: string | null;
  risks: {
    id: string;
    order: number;
    priorityAsWritten: string | null;
    priority: string | null;
    description: string;
    mitigations: string[];
    likelihood: number | null;
    impact: number | null;
  }[];
}

interface ProgressFile {
  document: string;
  reportingPeriod: { financialYear: string; quarter: number };
  updates: {
    titleAsWritten: string;
    rating: string;
    ratingSource: "stated" | "inferred";
    ratingBasis: string | null;
    flaggedRequiringReview: boolean;
    narrative: string[];
    match: { deliverableId: string; confidence: string } | null;
  }[];
}

/** The key's word as the report prints it ("Review", "Data not available") to the stored key. */
export function ratingKeyFromWords(words: string): RatingKey {
  const wanted = words.trim().toLowerCase();
  const meta = RATINGS.find(
    (rating) => rating.label.toLowerCase() === wanted || rating.label.toLowerCase().startsWith(wanted),
  );
  if (meta === undefined) throw new Error(`"${words}" is not a rating in the council's key`);
  return meta.key;
}

function activityInputs(entries: ActivityEntry[]): ActivityInput[] {
  return entries.map((entry) => ({
    text: entry.text,
    startMonth: entry.startMonth,
    endMonth: entry.endMonth,
    children: activityInputs(entry.children ?? []),
  }));
}

/** Measure titles a table lists; a heading row stands for its children, not for a measure. */
function measureTitles(entries: MeasureLinkEntry[]): string[] {
  return entries.flatMap((entry) =>
    entry.children && entry.children.length > 0 ? measureTitles(entry.children) : [entry.titleAsWritten],
  );
}

/**
 * The priorities a plan names in one sentence ("These strategic objectives reflect our priorities
 * to: deliver ...; strengthen ...; and drive ..."), each in the sentence's own words. Only the list
 * after "priorities to:" is split, at its semicolons, dropping the joining "and" and the closing
 * full stop; a sentence not written that way gives none (the sentence itself is still kept).
 */
export function prioritiesNamedIn(sentence: string | null): string[] {
  if (sentence === null) return [];
  const list = /priorities to:\s*(.+)$/s.exec(sentence)?.[1];
  if (list === undefined || !list.includes(";")) return [];
  return list
    .split(";")
    .map((item) =>
      item
        .trim()
        .replace(/^and\s+/, "")
        .replace(/\.$/, "")
        .trim(),
    )
    .filter((item) => item.length > 0);
}

export async function readPlanDocuments(actor: string): Promise<PlanDocuments> {
  const [council, department, planFile, deliverableFile, links, objectiveFile, riskFile, progressFile] =
    await Promise.all([
      readJson<CouncilFile>("council.json"),
      readJson<DepartmentFile>("department.json"),
      readJson<PlansFile>("plans.json"),
      readJson<DeliverablesFile>("deliverables.json"),
      readJson<MeasureLinksFile>("measure-links.json"),
      readJson<ObjectivesFile>("objectives.json"),
      readJson<RisksFile>("risks.json"),
      readJson<ProgressFile>("progress-2020-21-q3.json"),
    ]);

  const linkedTitles = new Map<string, string[]>();
  for (const group of links.plans[deliverableFile.plan]?.groups ?? []) {
    for (const id of group.deliverableIds) {
      linkedTitles.set(id, [...(linkedTitles.get(id) ?? []), ...measureTitles(group.measures)]);
    }
  }

  const outcomeMeasures = Object.entries(links.plans).flatMap(([plan, entry]) =>
    (entry.outcomes ?? []).flatMap((outcome) =>
      outcome.measures.map((measure, position) => ({
        plan,
        outcomeNumber: outcome.outcome,
        position,
        measureTitle: measure.titleAsWritten,
        lineAsWritten: measure.lineAsWritten,
        targetAsWritten: measure.targetAsWritten,
        afterBlankLine: measure.afterBlankLine === true,
      })),
    ),
  );

  return {
    outcomeMeasures,
    council: {
      name: council.name,
      dfeCode: council.dfeCode,
      onsCode: council.onsCode,
      region: council.region,
      ambition: council.ambition,
      valuesIntro: council.values.intro,
      values: council.values.items,
      outcomesIntro: council.outcomesIntro?.text ?? null,
    },
    outcomes: council.outcomes,
    department: {
      name: department.name,
      executiveDirectors: department.executiveDirectors.map(({ name, titleAsWritten, document }) => ({
        name,
        titleAsWritten,
        document,
      })),
      appointmentsAsWritten: department.headlineFacts.appointmentsAsWritten,
      fteAsWritten: department.headlineFacts.fteAsWritten,
      annualBudgetAsWritten: department.headlineFacts.annualBudgetAsWritten,
      headlineParagraph: department.headlineFacts.paragraphAsWritten,
    },
    divisions: department.divisions.map((division, position) => ({
      position,
      name: division.name,
      director: division.director,
      directorAsWritten: division.directorAsWritten,
      vacant: division.vacant,
      remit: division.remit,
    })),
    plans: planFile.plans.map((plan) => ({
      slug: plan.id,
      title: plan.title,
      planVersion: plan.version,
      refreshOf: plan.refreshOf,
      periodAsWritten: plan.period.asWritten,
      fromYear: plan.period.fromYear,
      toYear: plan.period.toYear,
      status: plan.status,
      statusAsWritten: plan.statusAsWritten,
      executiveDirector: plan.executiveDirector?.name ?? null,
      foreword: plan.foreword?.paragraphs ?? null,
      vision: plan.vision ? { intro: plan.vision.intro, text: plan.vision.text } : null,
      departmentalOverview: plan.departmentalOverview ?? [],
      keyAchievements: plan.keyAchievements,
      riskRegisterNote: plan.id === riskFile.plan ? riskFile.registerNote : null,
      priorities: plan.councilPriorities?.items ?? [],
      departmentalPrioritiesAsWritten: plan.departmentalPrioritiesAsWritten ?? null,
      departmentalPriorities: prioritiesNamedIn(plan.departmentalPrioritiesAsWritten ?? null),
    })),
    objectives: objectiveFile.objectives.map((objective) => ({
      plan: objectiveFile.plan,
      number: objective.number,
      title: objective.title,
      outcomeNumber: objective.outcome,
      leadDepartment: objective.leadDepartment,
      activities: activityInputs(objective.supportingActivities),
    })),
    deliverables: deliverableFile.deliverables.map((deliverable) => ({
      plan: deliverableFile.plan,
      slug: deliverable.id,
      position: deliverable.order,
      section: deliverable.section,
      sectionTitle: deliverable.sectionTitle,
      groupKind: deliverable.groupKind,
      groupTitle: deliverable.group,
      title: deliverable.title,
      leadAsWritten: deliverable.leadAsWritten,
      leadOfficers: deliverable.leadOfficers,
      startFinish: deliverable.startFinish,
      successMeasures: deliverable.successMeasures,
      successMeasuresNote: deliverable.successMeasuresNote,
      councilPlanAsWritten: deliverable.councilPlanAsWritten,
      inCouncilPlan: deliverable.inCouncilPlan,
      councilPlanPriority: deliverable.councilPlanPriority,
      measureTitles: [...new Set(linkedTitles.get(deliverable.id) ?? [])],
    })),
    progress: progressFile.updates.map((update) => ({
      deliverableSlug: update.match?.deliverableId ?? null,
      titleAsWritten: update.titleAsWritten,
      financialYear: progressFile.reportingPeriod.financialYear,
      quarter: progressFile.reportingPeriod.quarter,
      rating: ratingKeyFromWords(update.rating),
      ratingSource: update.ratingSource,
      ratingBasis: update.ratingBasis,
      flaggedRequiringReview: update.flaggedRequiringReview,
      narrative: update.narrative.join("\n\n"),
      // The report is the source; who typed it in is the person loading it.
      author: actor,
      sourceDocument: progressFile.document,
      matchConfidence: update.match?.confidence ?? null,
    })),
    risks: riskFile.risks.map((risk) => ({
      plan: riskFile.plan,
      slug: risk.id,
      position: risk.order,
      priorityAsWritten: risk.priorityAsWritten,
      priority: risk.priority,
      description: risk.description,
      mitigations: risk.mitigations,
      // The seed says neither whether a score is inherent or residual, nor gives one.
      inherentLikelihood: null,
      inherentImpact: null,
      residualLikelihood: risk.likelihood,
      residualImpact: risk.impact,
      category: null,
      owner: null,
      reviewDate: null,
    })),
  };
}

export const planDemoLoader: DemoLoader = {
  name: "plan",
  async load(db: Database, actor: string) {
    await importPlanDocuments(db, actor, await readPlanDocuments(actor));
  },
};
