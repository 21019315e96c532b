import { z } from "zod";
import type { Database } from "../../db/client.ts";
import {
  DEFAULT_DELIVERABLE_KEY,
  type DeliverableKey,
  deliverableKeyProblems,
  deliverableRatingMeta,
  levelOf,
} from "../../domain/deliverable-ratings.ts";
import {
  explainPlanDates,
  formatPlanMonth,
  type PlanDates,
  parsePlanDates,
} from "../../domain/plan-dates.ts";
import { RATINGS, type RatingColour, type RatingKey, ratingMeta } from "../../domain/ratings.ts";
import { Conflict, NotFound, ValidationFailed } from "../../errors.ts";
import { quarterPeriodKey, recordAuditEvent } from "../audit/audit.service.ts";
import { measureFigures, measureIdTitled } from "../measures/measures.service.ts";
import { refuseOwnerChange, requireOwnerOf } from "../people/ownership.service.ts";
import { readSettingAndVersion, saveSetting } from "../settings/settings.service.ts";
import type { Deliverable, DeliverableProgress, Plan, Risk, SupportingActivity } from "./plan.repository.ts";
import * as repository from "./plan.repository.ts";
import {
  type ActivityMonthsForm,
  type DeliverableKeyForm,
  isQuarterInPlan,
  type ProgressForm,
  planYearsLabel,
  quarterLabel,
  quarterValue,
  type ReportingQuarter,
  type RiskForm,
} from "./plan.schemas.ts";

/** Counts by a level of the rating key: the level's words on its stored rating's colour. */
export type RatingCounts = { key: RatingKey; label: string; colour: RatingColour; count: number }[];

/**
 * Counts by rating in the key's levels, best first, each in the key's words (the five levels
 * until a council writes its own key, decision 0042); a stored rating the key does not use is
 * listed after them, in the five-level words, only where an older entry holds it.
 */
export function countByRating(
  ratings: readonly string[],
  key: DeliverableKey = DEFAULT_DELIVERABLE_KEY,
): RatingCounts {
  const count = (rating: RatingKey) => ratings.filter((one) => one === rating).length;
  const used = key.levels.map((level) => level.rating);
  const older = RATINGS.filter((meta) => !used.includes(meta.key) && count(meta.key) > 0).map(
    (meta) => meta.key,
  );
  return [...used, ...older].map((rating) => {
    const meta = deliverableRatingMeta(key, rating);
    return { key: rating, label: meta.label, colour: meta.colour, count: count(rating) };
  });
}

/** Counts by rating that also say how many of each were inferred rather than stated. */
export type SourcedRatingCounts = (RatingCounts[number] & { inferred: number })[];

export function countUpdatesByRating(
  updates: readonly Pick<DeliverableProgress, "rating" | "ratingSource">[],
  key: DeliverableKey = DEFAULT_DELIVERABLE_KEY,
): SourcedRatingCounts {
  return countByRating(
    updates.map((update) => update.rating),
    key,
  ).map((count) => ({
    ...count,
    inferred: updates.filter((update) => update.rating === count.key && update.ratingSource === "inferred")
      .length,
  }));
}

/**
 * How an inferred rating was arrived at, for showing after "inferred:". The transcription's
 * sentence is kept whole in the database; only its own leading "Inferred:" is not repeated.
 */
export function inferenceBasis(
  update: Pick<DeliverableProgress, "ratingSource" | "ratingBasis">,
): string | null {
  if (update.ratingSource !== "inferred") return null;
  if (update.ratingBasis === null) return "no reason was recorded";
  return update.ratingBasis.replace(/^inferred:\s*/i, "");
}

/** The distinct reasons given for the inferred ratings among some updates, in order. */
function inferenceBases(updates: readonly DeliverableProgress[]): string[] {
  return [...new Set(updates.flatMap((update) => inferenceBasis(update) ?? []))];
}

/** The latest update per deliverable (or per unmatched title) in a quarter. */
function latestPerItem(updates: readonly DeliverableProgress[]): DeliverableProgress[] {
  const latest = new Map<string, DeliverableProgress>();
  for (const update of updates) {
    const key =
      update.deliverableId === null ? `title:${update.titleAsWritten}` : `id:${update.deliverableId}`;
    latest.set(key, update);
  }
  return [...latest.values()];
}

export async function reportedQuarters(db: Database): Promise<ReportingQuarter[]> {
  return repository.listReportedQuarters(db);
}

/**
 * Ambition -> outcomes -> priorities -> objectives -> deliverables, with each deliverable's
 * rating for the chosen quarter and counts by rating. Callers that show only the deliverables'
 * ratings (the dashboard, the quarterly report) pass `deliverablesOnly: true` to skip reading
 * the outline above them and rating the measures each outcome lists: `outcomes` is then empty
 * and each plan lists no priorities; the deliverable groups, counts and updates are the same.
 */
export async function goldenThread(
  db: Database,
  quarter: ReportingQuarter | null,
  options: { deliverablesOnly?: boolean } = {},
) {
  const council = await repository.findCouncil(db);
  if (!council) return null;
  const outline = options.deliverablesOnly !== true;
  const [
    outcomes,
    planList,
    priorities,
    objectives,
    activities,
    deliverableList,
    measuresByOutcome,
    ratingKey,
  ] = await Promise.all([
    outline ? repository.listOutcomes(db, council.id) : [],
    repository.listPlans(db),
    outline ? repository.listPriorities(db) : [],
    outline ? repository.listObjectives(db) : [],
    outline ? repository.listActivities(db) : [],
    repository.listDeliverables(db),
    outline ? outcomeMeasures(db) : [],
    deliverableRatingKey(db),
  ]);
  // Every rating shown in the council's key's words (decision 0042), on its stored colour.
  const metaOf = (rating: string) => deliverableRatingMeta(ratingKey, rating as RatingKey);
  // Updates on archived deliverables are left out with them.
  const current = new Set(deliverableList.map((deliverable) => deliverable.id));
  const updates = quarter
    ? latestPerItem(
        await repository.listProgressInQuarter(db, quarter.financialYear, quarter.quarter),
      ).filter((update) => update.deliverableId === null || current.has(update.deliverableId))
    : [];
  const ratingFor = new Map(updates.filter((u) => u.deliverableId !== null).map((u) => [u.deliverableId, u]));
  const planSlug = new Map(planList.map((plan) => [plan.id, plan.slug]));

  const groups: { kind: string; title: string; plan: string; deliverables: ThreadDeliverable[] }[] = [];
  for (const deliverable of deliverableList) {
    const group =
      groups.find((g) => g.title === deliverable.groupTitle && g.kind === deliverable.groupKind) ??
      groups[
        groups.push({
          kind: deliverable.groupKind,
          title: deliverable.groupTitle,
          plan: planSlug.get(deliverable.planId) ?? "",
          deliverables: [],
        }) - 1
      ];
    const update = ratingFor.get(deliverable.id);
    group?.deliverables.push({
      id: deliverable.id,
      title: deliverable.title,
      inCouncilPlan: deliverable.inCouncilPlan,
      rating: update ? metaOf(update.rating) : null,
      ratingInferred: update?.ratingSource === "inferred",
    });
  }
  const threadGroups = groups.map((group) => ({
    ...group,
    counts: countUpdatesByRating(
      group.deliverables.flatMap((d) =>
        d.rating ? [{ rating: d.rating.key, ratingSource: d.ratingInferred ? "inferred" : "stated" }] : [],
      ),
      ratingKey,
    ),
    notReported: group.deliverables.filter((d) => d.rating === null).length,
  }));

  return {
    council,
    outcomes: outcomes.map((outcome) => ({
      ...outcome,
      objectives: objectives
        .filter((objective) => objective.outcomeNumber === outcome.number)
        .map((objective) => ({
          ...objective,
          activityCount: activities.filter((activity) => activity.objectiveId === objective.id).length,
        })),
      measures: planList.flatMap((plan) => {
        const listed = measuresByOutcome.filter(
          (link) => link.planId === plan.id && link.outcomeNumber === outcome.number,
        );
        return listed.length > 0 ? [{ plan, measures: listed }] : [];
      }),
    })),
    plans: planList.map((plan) => ({
      ...plan,
      priorities: priorities.filter((priority) => priority.planId === plan.id && priority.kind === "council"),
      departmentalPriorities: priorities.filter(
        (priority) => priority.planId === plan.id && priority.kind === "departmental",
      ),
    })),
    planTitles: Object.fromEntries(planList.map((plan) => [plan.slug, plan.title])),
    planSlugs: Object.fromEntries(planList.map((plan) => [plan.id, plan.slug])),
    groups: threadGroups,
    /** The council's key for deliverable progress the ratings and counts are in. */
    ratingKey,
    quarterCounts: countUpdatesByRating(updates, ratingKey),
    updateCount: updates.length,
    inferredCount: updates.filter((update) => update.ratingSource === "inferred").length,
    inferenceBases: inferenceBases(updates),
    unmatchedUpdates: updates
      .filter((update) => update.deliverableId === null)
      .map((update) => ({
        ...update,
        ratingMeta: metaOf(update.rating),
        inferredFrom: inferenceBasis(update),
      })),
    deliverableCount: deliverableList.length,
  };
}

export interface ThreadDeliverable {
  id: number;
  title: string;
  inCouncilPlan: boolean | null;
  rating: ReturnType<typeof ratingMeta> | null;
  /** The rating was inferred from a report's other words, not stated (see the update's ratingBasis). */
  ratingInferred: boolean;
}

/** The setting that holds the council's key for deliverable progress (decision 0042). */
export const DELIVERABLE_KEY_SETTING = "deliverable-rating-key";

const deliverableKeyValue = z.object({
  levels: z
    .array(
      z.object({
        rating: z.enum(RATINGS.map((meta) => meta.key) as [RatingKey, ...RatingKey[]]),
        words: z.string().min(1).max(60),
        meaning: z.string().max(500),
      }),
    )
    .min(2)
    .max(RATINGS.length),
});

/**
 * The council's key for deliverable progress: the levels it set, in its words with its meanings,
 * or, until it sets one (or where the saved one cannot be used), the five levels with Baseplan's
 * suggested meanings.
 */
export async function deliverableRatingKey(db: Database): Promise<DeliverableKey> {
  const { value } = await readSettingAndVersion(db, DELIVERABLE_KEY_SETTING);
  const parsed = deliverableKeyValue.safeParse(value);
  if (!parsed.success || deliverableKeyProblems(parsed.data.levels).length > 0)
    return DEFAULT_DELIVERABLE_KEY;
  return { levels: parsed.data.levels, councils: true };
}

/** The council's key for deliverable progress with the setting's version (0 before it is first saved). */
export async function deliverableRatingKeySetting(
  db: Database,
): Promise<{ key: DeliverableKey; version: number }> {
  const { version } = await readSettingAndVersion(db, DELIVERABLE_KEY_SETTING);
  return { key: await deliverableRatingKey(db), version };
}

/** A key in words, for the audit trail and a conflict: "Sailing (Going as agreed); Sinking". */
export function deliverableKeyWords(key: DeliverableKey): string {
  return key.levels
    .map((level) => (level.meaning ? `${level.words} (${level.meaning})` : level.words))
    .join("; ");
}

/**
 * Changes the council's key for deliverable progress (decision 0042). Refused naming the field
 * where the key cannot be used; refused with Conflict, nothing changed, where someone saved it
 * after the form was opened; audited with the key before and after.
 */
export async function changeDeliverableRatingKey(
  db: Database,
  actor: string,
  edit: DeliverableKeyForm,
): Promise<DeliverableKey> {
  const problems = deliverableKeyProblems(edit.levels);
  if (problems.length > 0) {
    throw new ValidationFailed(problems.map((message) => ({ field: `${RATINGS[0]?.key}-words`, message })));
  }
  const key: DeliverableKey = { levels: edit.levels, councils: true };
  await db.transaction(async (tx) => {
    const current = await deliverableRatingKeySetting(tx);
    if (current.version !== edit.version) {
      throw new Conflict(
        "The key for deliverable progress",
        [
          {
            label: "The council's key for deliverable progress",
            saved: deliverableKeyWords(current.key),
            submitted: deliverableKeyWords(key),
          },
        ],
        "/settings/deliverable-ratings",
      );
    }
    await saveSetting(tx, actor, {
      key: DELIVERABLE_KEY_SETTING,
      value: { levels: edit.levels },
      summary: `Changed the key for deliverable progress: ${deliverableKeyWords(key)}`,
    });
  });
  return key;
}

/** "Strong, Good or Review": a key's words, as a refusal names them. */
function keyWords(key: DeliverableKey): string {
  const words = key.levels.map((level) => level.words);
  return words.length > 1 ? `${words.slice(0, -1).join(", ")} or ${words.at(-1)}` : (words[0] ?? "");
}

export interface DeliverableDetail {
  deliverable: Deliverable;
  plan: Plan | undefined;
  dates: PlanDates;
  datesExplained: string;
  linkedMeasures: MeasureSummary[];
  /** The council's key the progress form offers and the history is shown in. */
  ratingKey: DeliverableKey;
  progress: (DeliverableProgress & {
    ratingMeta: ReturnType<typeof ratingMeta>;
    /** Why the rating was inferred, where it was not stated; null for a stated rating. */
    inferredFrom: string | null;
    quarterLabel: string;
    paragraphs: string[];
    /**
     * The quarter's current entry (the latest recorded for it); false for one a later entry for
     * the same quarter corrected, which is kept as history.
     */
    current: boolean;
  })[];
}

export async function deliverableDetail(db: Database, id: number): Promise<DeliverableDetail> {
  const deliverable = await repository.findDeliverable(db, id);
  if (!deliverable) throw new NotFound(`Deliverable ${id}`);
  const [planList, linkedMeasures, progress, ratingKey] = await Promise.all([
    repository.listPlans(db),
    repository.listLinkedMeasures(db, id),
    repository.listProgressFor(db, id),
    deliverableRatingKey(db),
  ]);
  const dates = parsePlanDates(deliverable.startFinish);
  return {
    deliverable,
    plan: planList.find((plan) => plan.id === deliverable.planId),
    dates,
    datesExplained: explainPlanDates(dates),
    linkedMeasures: await summariseMeasures(db, linkedMeasures),
    ratingKey,
    progress: progress.map((update, index) => ({
      ...update,
      ratingMeta: deliverableRatingMeta(ratingKey, update.rating as RatingKey),
      inferredFrom: inferenceBasis(update),
      quarterLabel: quarterLabel(update),
      paragraphs: update.narrative.split(/\n\s*\n/),
      // Latest first within a quarter (listProgressFor's order), as quarterProgress reads it.
      current: !progress
        .slice(0, index)
        .some(
          (earlier) => earlier.financialYear === update.financialYear && earlier.quarter === update.quarter,
        ),
    })),
  };
}

/** A deliverable's latest update in a quarter, with its narrative in paragraphs. */
export type QuarterUpdate = DeliverableProgress & { paragraphs: string[] };

/**
 * The latest update of each deliverable in a quarter, keyed by deliverable id, in one read: the
 * same update deliverableDetail lists first for that quarter (newest recorded, then highest id).
 */
export async function quarterProgress(
  db: Database,
  quarter: ReportingQuarter,
): Promise<Map<number, QuarterUpdate>> {
  const updates = latestPerItem(
    await repository.listProgressInQuarter(db, quarter.financialYear, quarter.quarter),
  );
  const byDeliverable = new Map<number, QuarterUpdate>();
  for (const update of updates) {
    if (update.deliverableId === null) continue;
    byDeliverable.set(update.deliverableId, { ...update, paragraphs: update.narrative.split(/\n\s*\n/) });
  }
  return byDeliverable;
}

export interface RecordProgressInput {
  deliverableId: number;
  /** The deliverable's version when the form was opened. */
  version: number;
  /** The quarter, a rating from the key and the narrative, as read by `progressForm`. */
  progress: ProgressForm;
  /**
   * Refuses a quarter not open for entry, run inside the transaction that writes, so a period
   * closed or published meanwhile is refused rather than written to (decision 0039). Routes pass
   * one; a test's builder or an import only writes.
   */
  requireOpen?: (tx: Database) => Promise<void>;
}

/**
 * Records a quarter's progress on a deliverable: a rating from the council's key and a narrative
 * (`progressForm` has read both). Refused, with nothing changed, when the quarter is outside the
 * plan's years or someone else recorded progress on the deliverable after this form was opened.
 */
export async function recordProgress(
  db: Database,
  actor: string,
  input: RecordProgressInput,
): Promise<DeliverableProgress> {
  const { quarter, rating, narrative } = input.progress;
  const version = input.version;
  return db.transaction(async (tx) => {
    const before = await repository.findDeliverable(tx, input.deliverableId);
    if (!before) throw new NotFound(`Deliverable ${input.deliverableId}`);
    await requireOwnerOf(tx, actor, "deliverable", before.id);
    const ratingKey = await deliverableRatingKey(tx);
    if (!levelOf(ratingKey, rating)) {
      throw new ValidationFailed([
        { field: "rating", message: `Select a rating from the council's key: ${keyWords(ratingKey)}` },
      ]);
    }
    const words = (key: string) => deliverableRatingMeta(ratingKey, key as RatingKey).label;
    const plan = await repository.findPlan(tx, before.planId);
    if (plan && !isQuarterInPlan(quarter, plan)) {
      throw new ValidationFailed([
        {
          field: "quarter",
          message: `${quarterLabel(quarter)} is outside the ${plan.title} period (${planYearsLabel(plan)}): select a quarter in the plan's period`,
        },
      ]);
    }
    await input.requireOpen?.(tx);
    const updated = await repository.updateDeliverableIfVersion(tx, before.id, version, {
      updatedAt: new Date(),
    });
    if (updated === null) {
      const [latest] = await repository.listProgressFor(tx, before.id);
      throw new Conflict(
        `Progress on "${before.title}"`,
        [
          {
            label: "Quarter",
            saved: latest ? quarterLabel(latest) : "None recorded",
            submitted: quarterLabel(quarter),
          },
          {
            label: "Rating",
            saved: latest ? words(latest.rating) : "None recorded",
            submitted: words(rating),
          },
          { label: "Narrative", saved: latest?.narrative ?? "None recorded", submitted: narrative },
        ],
        `/plan/deliverables/${before.id}`,
        latest ? { actor: latest.author, at: latest.recordedAt } : undefined,
      );
    }
    const [previous] = (await repository.listProgressFor(tx, before.id)).filter(
      (update) => update.financialYear === quarter.financialYear && update.quarter === quarter.quarter,
    );
    const recorded = await repository.insertProgress(tx, {
      deliverableId: before.id,
      financialYear: quarter.financialYear,
      quarter: quarter.quarter,
      rating,
      ratingSource: "stated",
      narrative,
      author: actor,
    });
    await recordAuditEvent(tx, {
      actor,
      action: "create",
      entityType: "deliverable-progress",
      entityId: before.id,
      record: { kind: "deliverable", id: before.id },
      period: quarterPeriodKey(quarter.financialYear, quarter.quarter),
      summary: `${previous ? "Corrected" : "Recorded"} ${quarterLabel(quarter)} progress on "${before.title}": ${words(rating)}`,
      before: previous ?? null,
      after: recorded,
    });
    return recorded;
  });
}

/** The Base Plan for a plan: objectives and their activities (nested), in order. */
export async function basePlan(db: Database, planSlug?: string) {
  const planList = await repository.listPlans(db);
  const objectivesAll = await repository.listObjectives(db);
  const withObjectives = planList.filter((plan) => objectivesAll.some((o) => o.planId === plan.id));
  const plan = withObjectives.find((p) => p.slug === planSlug) ?? withObjectives.at(-1);
  if (!plan) return null;
  const [activities, measuresByOutcome] = await Promise.all([
    repository.listActivities(db),
    outcomeMeasures(db),
  ]);
  const objectives = objectivesAll
    .filter((objective) => objective.planId === plan.id)
    .map((objective) => {
      const own = activities
        .filter((activity) => activity.objectiveId === objective.id)
        .map((activity) => ({
          ...activity,
          startLabel: activity.startMonth ? formatPlanMonth(activity.startMonth) : null,
          endLabel: activity.endMonth ? formatPlanMonth(activity.endMonth) : null,
        }));
      const top = own.filter((activity) => activity.parentId === null);
      return {
        ...objective,
        activities: top.map((activity) => ({
          ...activity,
          children: own.filter((child) => child.parentId === activity.id),
        })),
        activityCount: own.length,
        outcomeMeasures: measuresByOutcome.filter(
          (link) => link.planId === plan.id && link.outcomeNumber === objective.outcomeNumber,
        ),
      };
    });
  return { plan, plans: withObjectives, objectives };
}

type Insert<K extends keyof typeof repository> = (typeof repository)[K] extends (
  db: Database,
  values: infer V,
) => unknown
  ? V
  : never;

export interface PlanDocuments {
  outcomeMeasures?: (Omit<Insert<"insertOutcomeMeasureLink">, "planId"> & { plan: string })[];
  council: Insert<"insertCouncil">;
  outcomes: { number: number; wordings: { text: string; plans: string[] }[] }[];
  department: Omit<Insert<"insertDepartment">, "councilId">;
  divisions: Omit<Insert<"insertDivision">, "departmentId">[];
  plans: (Omit<Insert<"insertPlan">, "departmentId" | "refreshOfId"> & {
    refreshOf: string | null;
    priorities: string[];
    /** The plan's own priorities, each as the sentence kept in departmentalPrioritiesAsWritten names it. */
    departmentalPriorities?: string[];
  })[];
  objectives: {
    plan: string;
    number: number;
    title: string;
    outcomeNumber: number | null;
    leadDepartment: string;
    activities: ActivityInput[];
  }[];
  deliverables: (Omit<Insert<"insertDeliverable">, "planId"> & { plan: string; measureTitles: string[] })[];
  progress: (Omit<Insert<"insertProgress">, "deliverableId"> & { deliverableSlug: string | null })[];
  risks: (Omit<Insert<"insertRisk">, "planId"> & { plan: string })[];
}

export interface ActivityInput {
  text: string;
  startMonth: string | null;
  endMonth: string | null;
  children: ActivityInput[];
}

/**
 * Writes a council's plan documents (council, department, plans, objectives, deliverables,
 * progress and risks) in the caller's transaction, auditing each record as it is created.
 */
export async function importPlanDocuments(
  db: Database,
  actor: string,
  documents: PlanDocuments,
): Promise<void> {
  const audit = (entityType: string, entityId: number, summary: string, after: unknown) =>
    recordAuditEvent(db, { actor, action: "load-demo", entityType, entityId, summary, after });

  const council = await repository.insertCouncil(db, documents.council);
  await audit("council", council.id, `Loaded council ${council.name}`, council);
  for (const outcome of documents.outcomes) {
    await repository.insertCouncilOutcome(db, { councilId: council.id, ...outcome });
  }
  const department = await repository.insertDepartment(db, {
    ...documents.department,
    councilId: council.id,
  });
  await audit("department", department.id, `Loaded department ${department.name}`, department);
  for (const division of documents.divisions) {
    await repository.insertDivision(db, { ...division, departmentId: department.id });
  }

  const planIds = new Map<string, number>();
  for (const { refreshOf, priorities, departmentalPriorities = [], ...values } of documents.plans) {
    const refreshOfId = refreshOf === null ? null : (planIds.get(refreshOf) ?? null);
    const plan = await repository.insertPlan(db, { ...values, departmentId: department.id, refreshOfId });
    planIds.set(plan.slug, plan.id);
    await audit("plan", plan.id, `Loaded plan ${plan.title}`, plan);
    for (const [position, title] of priorities.entries()) {
      await repository.insertPriority(db, { planId: plan.id, position, kind: "council", title });
    }
    for (const [position, title] of departmentalPriorities.entries()) {
      await repository.insertPriority(db, { planId: plan.id, position, kind: "departmental", title });
    }
  }
  const planId = (slug: string) => {
    const id = planIds.get(slug);
    if (id === undefined) throw new Error(`Plan ${slug} is not in the documents`);
    return id;
  };

  for (const { plan, activities, ...values } of documents.objectives) {
    const objective = await repository.insertObjective(db, { ...values, planId: planId(plan) });
    await audit("strategic-objective", objective.id, `Loaded objective ${objective.number}`, {
      objective,
      activities,
    });
    const insertActivities = async (list: ActivityInput[], parentId: number | null) => {
      for (const [position, activity] of list.entries()) {
        const row = await repository.insertActivity(db, {
          objectiveId: objective.id,
          parentId,
          position,
          text: activity.text,
          startMonth: activity.startMonth,
          endMonth: activity.endMonth,
        });
        await insertActivities(activity.children, row.id);
      }
    };
    await insertActivities(activities, null);
  }

  const deliverableIds = new Map<string, number>();
  for (const { plan, measureTitles, ...values } of documents.deliverables) {
    const deliverable = await repository.insertDeliverable(db, { ...values, planId: planId(plan) });
    deliverableIds.set(deliverable.slug, deliverable.id);
    await audit("deliverable", deliverable.id, `Loaded deliverable "${deliverable.title}"`, {
      deliverable,
      measureTitles,
    });
    for (const [position, measureTitle] of measureTitles.entries()) {
      await repository.insertMeasureLink(db, {
        deliverableId: deliverable.id,
        position,
        measureTitle,
        measureId: await measureIdTitled(db, measureTitle),
      });
    }
  }

  for (const { deliverableSlug, ...values } of documents.progress) {
    const deliverableId = deliverableSlug === null ? null : (deliverableIds.get(deliverableSlug) ?? null);
    const update = await repository.insertProgress(db, { ...values, deliverableId });
    await audit(
      "deliverable-progress",
      deliverableId ?? update.id,
      `Loaded ${quarterLabel(update)} progress: ${ratingMeta(update.rating as RatingKey).label}`,
      update,
    );
  }

  for (const { plan, ...values } of documents.outcomeMeasures ?? []) {
    await repository.insertOutcomeMeasureLink(db, {
      ...values,
      planId: planId(plan),
      measureId: await measureIdTitled(db, values.measureTitle),
    });
  }
  if (documents.outcomeMeasures?.length) {
    await audit(
      "outcome-measure-links",
      council.id,
      `Loaded ${documents.outcomeMeasures.length} measures linked to council outcomes`,
      documents.outcomeMeasures,
    );
  }

  for (const { plan, ...values } of documents.risks) {
    const risk = await repository.insertRisk(db, { ...values, planId: planId(plan) });
    await audit("risk", risk.id, `Loaded risk ${risk.slug}`, risk);
  }
}

/** Everyone the plan names as a lead, director or executive director: the officers a lead can be. */
export async function knownOfficers(db: Database): Promise<string[]> {
  // One after another: this also runs inside a transaction, whose one client takes one query at a time.
  const deliverableList = await repository.listDeliverables(db);
  const department = await repository.findDepartment(db);
  const divisions = department ? await repository.listDivisions(db, department.id) : [];
  const names = [
    ...deliverableList.flatMap((deliverable) => deliverable.leadOfficers.map((lead) => lead.name)),
    ...divisions.flatMap((division) => (division.director ? [division.director] : [])),
    ...(department?.executiveDirectors.map((director) => director.name) ?? []),
  ];
  return [...new Set(names)].sort();
}

/**
 * Changes a deliverable's lead officers. A name the council does not know is refused with the
 * names it does know, and nothing changes; a stale edit is a conflict.
 */
export async function changeLeadOfficers(
  db: Database,
  actor: string,
  input: { deliverableId: number; version: number; leads: string[] },
): Promise<Deliverable> {
  const leads = input.leads.map((lead) => lead.trim()).filter((lead) => lead.length > 0);
  if (leads.length === 0) {
    throw new ValidationFailed([{ field: "leads", message: "Enter at least one lead officer" }]);
  }
  return db.transaction(async (tx) => {
    const known = await knownOfficers(tx);
    const unknown = leads.filter((lead) => !known.includes(lead));
    if (unknown.length > 0) {
      throw new ValidationFailed([
        {
          field: "leads",
          message: `${unknown.join(", ")} ${unknown.length === 1 ? "is" : "are"} not an officer the plan knows. Choose from: ${known.join(", ")}`,
        },
      ]);
    }
    const before = await repository.findDeliverable(tx, input.deliverableId);
    if (!before) throw new NotFound(`Deliverable ${input.deliverableId}`);
    // A lead kept from before keeps the plan's qualifier, such as "(PH)".
    const leadOfficers = leads.map((name) => ({
      name,
      qualifier: before.leadOfficers.find((lead) => lead.name === name)?.qualifier ?? null,
    }));
    const updated = await repository.updateDeliverableIfVersion(tx, before.id, input.version, {
      leadOfficers,
      leadAsWritten: leadOfficers
        .map((lead) => (lead.qualifier ? `${lead.name} ${lead.qualifier}` : lead.name))
        .join(" and "),
      updatedAt: new Date(),
    });
    if (updated === null) {
      throw new Conflict(
        `Lead officers of "${before.title}"`,
        [{ label: "Lead officers", saved: before.leadAsWritten, submitted: leads.join(" and ") }],
        `/plan/deliverables/${before.id}`,
      );
    }
    await recordAuditEvent(tx, {
      actor,
      action: "update",
      entityType: "deliverable",
      entityId: before.id,
      summary: `Changed the lead officers of "${before.title}" to ${updated.leadAsWritten}`,
      before,
      after: updated,
    });
    return updated;
  });
}

// ---------------------------------------------------------------------------------------------
// Linked measures with their current ratings, read through the measures module's service.

export interface MeasureSummary {
  measureTitle: string;
  measureId: number | null;
  /** The latest value as the document wrote it, and its period; null when none is recorded. */
  latestText: string | null;
  latestPeriod: string | null;
  targetText: string | null;
  targetPeriod: string | null;
  /** The rating from the measures module; null when the measure is not in the measures list. */
  rating: ReturnType<typeof ratingMeta> | null;
  explanation: string | null;
  /** True when a value is recorded, so a rating means something more than "no data". */
  hasValue: boolean;
}

/** Each linked measure's latest value, target and rating, as the measure's own page rates it. */
export async function summariseMeasures(
  db: Database,
  links: readonly { measureTitle: string; measureId: number | null }[],
): Promise<MeasureSummary[]> {
  const pages = await measureFigures(
    db,
    links.flatMap((link) => (link.measureId === null ? [] : [link.measureId])),
  );
  const summaries: MeasureSummary[] = [];
  for (const link of links) {
    const page = link.measureId === null ? null : (pages.get(link.measureId) ?? null);
    const row = page?.rows.find((candidate) => candidate.latest !== null) ?? page?.rows[0] ?? null;
    const latest = row?.latest ?? null;
    summaries.push({
      measureTitle: link.measureTitle,
      measureId: page ? link.measureId : null,
      latestText: latest?.cellText ?? null,
      latestPeriod: latest?.periodLabel ?? null,
      targetText: row?.target?.targetText ?? null,
      targetPeriod: row?.target?.periodLabel ?? null,
      rating: row ? row.rating.meta : null,
      explanation: row?.rating.explanation ?? null,
      hasValue: latest !== null && latest.cellText.trim() !== "",
    });
  }
  return summaries;
}

/** Measures each plan lists under each council outcome, summarised, keyed by plan id and outcome. */
async function outcomeMeasures(db: Database) {
  const links = await repository.listOutcomeMeasureLinks(db);
  const summaries = await summariseMeasures(db, links);
  return links.map((link, index) => ({ ...link, summary: summaries[index] as MeasureSummary }));
}

// ---------------------------------------------------------------------------------------------
// Risks: likelihood and impact (inherent and residual), owner and review date.

export interface AssessRiskInput {
  riskId: number;
  version: number;
  /** Likelihoods, impacts, owner and review date, as read by `riskForm`. */
  assessment: RiskForm;
}

function describeRating(likelihood: number | null, impact: number | null): string {
  return likelihood === null || impact === null
    ? "Not assessed"
    : `Likelihood ${likelihood} × impact ${impact} = ${likelihood * impact}`;
}

/**
 * Records or changes a key risk's assessment, as `riskForm` read it (likelihood and impact in
 * pairs, levels 1-5, a real review date). A stale form is a conflict and nothing changes.
 */
export async function assessRisk(db: Database, actor: string, input: AssessRiskInput): Promise<Risk> {
  const values = input.assessment;
  const version = input.version;
  return db.transaction(async (tx) => {
    const before = await repository.findRisk(tx, input.riskId);
    if (!before) throw new NotFound(`Risk ${input.riskId}`);
    const allowedAs = await requireOwnerOf(tx, actor, "risk", before.id);
    if (allowedAs === "owner") refuseOwnerChange("risk", before.owner, values.owner);
    const updated = await repository.updateRiskIfVersion(tx, before.id, version, {
      ...values,
      updatedAt: new Date(),
    });
    if (updated === null) {
      const saved = await repository.findRisk(tx, before.id);
      throw new Conflict(
        `The assessment of risk "${before.description}"`,
        [
          {
            label: "Inherent",
            saved: describeRating(saved?.inherentLikelihood ?? null, saved?.inherentImpact ?? null),
            submitted: describeRating(values.inherentLikelihood, values.inherentImpact),
          },
          {
            label: "Residual",
            saved: describeRating(saved?.residualLikelihood ?? null, saved?.residualImpact ?? null),
            submitted: describeRating(values.residualLikelihood, values.residualImpact),
          },
          { label: "Owner", saved: saved?.owner ?? "None", submitted: values.owner ?? "None" },
          {
            label: "Review date",
            saved: saved?.reviewDate ?? "None",
            submitted: values.reviewDate ?? "None",
          },
        ],
        `/risks/${before.id}/edit`,
      );
    }
    await recordAuditEvent(tx, {
      actor,
      action: "update",
      entityType: "risk",
      entityId: before.id,
      summary: `Assessed risk ${before.slug}: inherent ${describeRating(updated.inherentLikelihood, updated.inherentImpact)}, residual ${describeRating(updated.residualLikelihood, updated.residualImpact)}`,
      before,
      after: updated,
    });
    return updated;
  });
}

// ---------------------------------------------------------------------------------------------
// Supporting activities' months on the Base Plan.

/** The months of a plan's years, April of its first year to March after its last: what a form offers. */
export function planMonths(plan: Pick<Plan, "fromYear" | "toYear">): string[] {
  const months: string[] = [];
  for (let year = plan.fromYear; year < Math.max(plan.toYear, plan.fromYear + 1); year += 1) {
    for (let index = 0; index < 12; index += 1) {
      const month = ((index + 3) % 12) + 1;
      months.push(`${index < 9 ? year : year + 1}-${String(month).padStart(2, "0")}`);
    }
  }
  return months;
}

export async function activityDetail(db: Database, id: number) {
  const activity = await repository.findActivity(db, id);
  if (!activity) throw new NotFound(`Supporting activity ${id}`);
  const objective = await repository.findObjective(db, activity.objectiveId);
  if (!objective) throw new NotFound(`Strategic objective ${activity.objectiveId}`);
  const plan = await repository.findPlan(db, objective.planId);
  if (!plan) throw new NotFound(`Plan ${objective.planId}`);
  const parent = activity.parentId === null ? null : await repository.findActivity(db, activity.parentId);
  return { activity, objective, plan, parent: parent ?? null, months: planMonths(plan) };
}

export interface SetActivityMonthsInput {
  activityId: number;
  version: number;
  /** Start and end months, both or neither, as read by `activityMonthsForm`. */
  months: ActivityMonthsForm;
}

/**
 * Sets (or clears) a supporting activity's start and end months (`activityMonthsForm` has checked
 * both or neither, the end not before the start); both must be within the plan's years. A stale
 * form is a conflict.
 */
export async function setActivityMonths(
  db: Database,
  actor: string,
  input: SetActivityMonthsInput,
): Promise<SupportingActivity> {
  const { startMonth, endMonth } = input.months;
  const version = input.version;
  return db.transaction(async (tx) => {
    const { activity: before, plan } = await activityDetail(tx, input.activityId);
    const months = planMonths(plan);
    const outside = [
      ...(startMonth !== null && !months.includes(startMonth)
        ? [{ field: "startMonth", message: `The start month must be within ${plan.periodAsWritten}` }]
        : []),
      ...(endMonth !== null && !months.includes(endMonth)
        ? [{ field: "endMonth", message: `The end month must be within ${plan.periodAsWritten}` }]
        : []),
    ];
    if (outside.length > 0) throw new ValidationFailed(outside);
    const updated = await repository.updateActivityIfVersion(tx, before.id, version, {
      startMonth,
      endMonth,
      updatedAt: new Date(),
    });
    const describe = (start: string | null, end: string | null) =>
      start === null || end === null ? "Not given" : `${formatPlanMonth(start)} to ${formatPlanMonth(end)}`;
    if (updated === null) {
      const saved = await repository.findActivity(tx, before.id);
      throw new Conflict(
        `The months of "${before.text}"`,
        [
          {
            label: "Months",
            saved: describe(saved?.startMonth ?? null, saved?.endMonth ?? null),
            submitted: describe(startMonth, endMonth),
          },
        ],
        `/plan/base-plan/activities/${before.id}/edit`,
      );
    }
    await recordAuditEvent(tx, {
      actor,
      action: "update",
      entityType: "supporting-activity",
      entityId: before.id,
      summary: `Set the months of "${before.text}" to ${describe(startMonth, endMonth)}`,
      before,
      after: updated,
    });
    return updated;
  });
}

export interface DeliverableCompleteness {
  id: number;
  title: string;
  done: boolean;
  /** The lead officers as the plan names them. */
  owner: string;
  href: string;
}

/**
 * Every deliverable of the plans that cover a quarter, with whether progress is recorded for
 * it in that quarter: what the period page counts and lists as missing.
 */
export async function quarterProgressCompleteness(
  db: Database,
  quarter: ReportingQuarter,
): Promise<DeliverableCompleteness[]> {
  // One after another: this also runs inside a transaction, whose one client takes one query at a time.
  const plans = await repository.listPlans(db);
  const items = await repository.listDeliverables(db);
  const progress = await quarterProgress(db, quarter);
  const covering = new Set(plans.filter((plan) => isQuarterInPlan(quarter, plan)).map((plan) => plan.id));
  return items
    .filter((deliverable) => covering.has(deliverable.planId))
    .map((deliverable) => ({
      id: deliverable.id,
      title: deliverable.title,
      done: progress.has(deliverable.id),
      owner: deliverable.leadAsWritten,
      href: `/plan/deliverables/${deliverable.id}?quarter=${quarterValue(quarter)}#record-progress`,
    }));
}

// ---------------------------------------------------------------------------------------------
// What other modules and the documents read of the plan: through this service, never the
// repository, so the plan's tables stay the plan module's own.

export { measurePlanLinks } from "./plan.measure-links.ts";
export {
  type Council,
  type CouncilOutcome,
  type Department,
  type DepartmentDivision,
  findCouncil,
  findDepartment,
  findPlanBySlug,
  listDeliverables,
  listDivisions,
  listOutcomes,
  listPlans,
  listPriorities,
  listRisks,
  type Plan,
} from "./plan.repository.ts";
