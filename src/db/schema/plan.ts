import {
  bigint,
  boolean,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  unique,
} from "drizzle-orm/pg-core";
import { measures } from "./measures.ts";

/** A wording and the plans (by slug) that use it. */
export interface PlanWording {
  text: string;
  plans: string[];
}

export interface LeadOfficer {
  name: string;
  qualifier: string | null;
}

export interface NestedItem {
  text: string;
  children: NestedItem[];
}

export const councils = pgTable("councils", {
  id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
  name: text("name").notNull().unique(),
  /** The area the council serves, as the ONS and the DfE name it (migration 0017). */
  areaName: text("area_name"),
  dfeCode: text("dfe_code"),
  onsCode: text("ons_code"),
  region: jsonb("region").$type<{ name: string; onsCode: string | null }>(),
  ambition: jsonb("ambition").$type<PlanWording[]>().notNull().default([]),
  valuesIntro: text("values_intro"),
  values: jsonb("values").$type<string[]>().notNull().default([]),
  outcomesIntro: text("outcomes_intro"),
  /** The month (1-12) the council's financial year starts in. */
  yearStartMonth: integer("year_start_month").notNull().default(4),
  version: integer("version").notNull().default(1),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export const councilOutcomes = pgTable(
  "council_outcomes",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    councilId: bigint("council_id", { mode: "number" })
      .notNull()
      .references(() => councils.id),
    number: integer("number").notNull(),
    wordings: jsonb("wordings").$type<PlanWording[]>().notNull().default([]),
    version: integer("version").notNull().default(1),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    archivedAt: timestamp("archived_at", { withTimezone: true }),
    archivedBy: text("archived_by"),
  },
  (table) => [unique().on(table.councilId, table.number)],
);

export const departments = pgTable(
  "departments",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    councilId: bigint("council_id", { mode: "number" })
      .notNull()
      .references(() => councils.id),
    name: text("name").notNull(),
    /** Unique within the council whatever the case (migration 0017). */
    shortName: text("short_name"),
    executiveDirectors: jsonb("executive_directors")
      .$type<{ name: string; titleAsWritten: string; document: string }[]>()
      .notNull()
      .default([]),
    appointmentsAsWritten: text("appointments_as_written"),
    fteAsWritten: text("fte_as_written"),
    annualBudgetAsWritten: text("annual_budget_as_written"),
    headlineParagraph: text("headline_paragraph"),
    monitoringFrequency: text("monitoring_frequency")
      .$type<"quarterly" | "monthly">()
      .notNull()
      .default("quarterly"),
    /** Who owns each section of the period page with no owner per item, by section key (migration 0047). */
    sectionOwners: jsonb("section_owners").$type<Record<string, string>>().notNull().default({}),
    version: integer("version").notNull().default(1),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [unique().on(table.councilId, table.name)],
);

export const departmentDivisions = pgTable("department_divisions", {
  id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
  departmentId: bigint("department_id", { mode: "number" })
    .notNull()
    .references(() => departments.id),
  position: integer("position").notNull(),
  name: text("name").notNull(),
  director: text("director"),
  directorAsWritten: text("director_as_written"),
  vacant: boolean("vacant").notNull().default(false),
  remit: text("remit"),
});

export const plans = pgTable("plans", {
  id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
  departmentId: bigint("department_id", { mode: "number" })
    .notNull()
    .references(() => departments.id),
  slug: text("slug").notNull().unique(),
  title: text("title").notNull(),
  planVersion: text("plan_version").$type<"original" | "refresh">().notNull(),
  refreshOfId: bigint("refresh_of_id", { mode: "number" }),
  periodAsWritten: text("period_as_written").notNull(),
  fromYear: integer("from_year").notNull(),
  toYear: integer("to_year").notNull(),
  status: text("status").$type<"draft" | "approved">(),
  statusAsWritten: text("status_as_written"),
  executiveDirector: text("executive_director"),
  foreword: jsonb("foreword").$type<string[]>(),
  vision: jsonb("vision").$type<{ intro: string; text: string }>(),
  departmentalOverview: jsonb("departmental_overview").$type<string[]>().notNull().default([]),
  keyAchievements: jsonb("key_achievements").$type<{ intro: string; items: NestedItem[] }>(),
  riskRegisterNote: text("risk_register_note"),
  /** The plan's own priorities in the one sentence it states them in, as written. */
  departmentalPrioritiesAsWritten: text("departmental_priorities_as_written"),
  version: integer("version").notNull().default(1),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  archivedAt: timestamp("archived_at", { withTimezone: true }),
  archivedBy: text("archived_by"),
});

export const planPriorities = pgTable(
  "plan_priorities",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    planId: bigint("plan_id", { mode: "number" })
      .notNull()
      .references(() => plans.id),
    position: integer("position").notNull(),
    /** "council": the council priorities a plan lists; "departmental": the plan's own. */
    kind: text("kind").$type<"council" | "departmental">().notNull().default("council"),
    title: text("title").notNull(),
    version: integer("version").notNull().default(1),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    archivedAt: timestamp("archived_at", { withTimezone: true }),
    archivedBy: text("archived_by"),
  },
  (table) => [unique().on(table.planId, table.title)],
);

export const strategicObjectives = pgTable(
  "strategic_objectives",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    planId: bigint("plan_id", { mode: "number" })
      .notNull()
      .references(() => plans.id),
    number: integer("number").notNull(),
    title: text("title").notNull(),
    outcomeNumber: integer("outcome_number"),
    leadDepartment: text("lead_department").notNull(),
    version: integer("version").notNull().default(1),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    archivedAt: timestamp("archived_at", { withTimezone: true }),
    archivedBy: text("archived_by"),
  },
  (table) => [unique().on(table.planId, table.number)],
);

export const supportingActivities = pgTable("supporting_activities", {
  id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
  objectiveId: bigint("objective_id", { mode: "number" })
    .notNull()
    .references(() => strategicObjectives.id),
  parentId: bigint("parent_id", { mode: "number" }),
  position: integer("position").notNull(),
  text: text("text").notNull(),
  startMonth: text("start_month"),
  endMonth: text("end_month"),
  version: integer("version").notNull().default(1),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  archivedAt: timestamp("archived_at", { withTimezone: true }),
  archivedBy: text("archived_by"),
});

export const deliverables = pgTable("deliverables", {
  id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
  planId: bigint("plan_id", { mode: "number" })
    .notNull()
    .references(() => plans.id),
  slug: text("slug").notNull().unique(),
  position: integer("position").notNull(),
  section: text("section").notNull(),
  sectionTitle: text("section_title").notNull(),
  groupKind: text("group_kind").$type<"priority" | "service-theme">().notNull(),
  groupTitle: text("group_title").notNull(),
  title: text("title").notNull(),
  leadAsWritten: text("lead_as_written").notNull(),
  leadOfficers: jsonb("lead_officers").$type<LeadOfficer[]>().notNull().default([]),
  startFinish: text("start_finish").notNull(),
  successMeasures: jsonb("success_measures").$type<string[]>().notNull().default([]),
  successMeasuresNote: text("success_measures_note"),
  councilPlanAsWritten: text("council_plan_as_written"),
  inCouncilPlan: boolean("in_council_plan"),
  councilPlanPriority: text("council_plan_priority"),
  version: integer("version").notNull().default(1),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  archivedAt: timestamp("archived_at", { withTimezone: true }),
  archivedBy: text("archived_by"),
});

export const deliverableMeasureLinks = pgTable(
  "deliverable_measure_links",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    deliverableId: bigint("deliverable_id", { mode: "number" })
      .notNull()
      .references(() => deliverables.id),
    position: integer("position").notNull(),
    /** The measure as the plan words it; printed as written. */
    measureTitle: text("measure_title").notNull(),
    /** The measure linked; null while no measure has that title (the plan still lists it, unlinked). */
    measureId: bigint("measure_id", { mode: "number" }).references(() => measures.id),
  },
  (table) => [
    unique().on(table.deliverableId, table.measureTitle),
    index("deliverable_measure_links_measure").on(table.measureId),
  ],
);

/** A measure a plan lists under a council outcome (the 2024-25 refresh's "Linked to the Strategic Objectives"). */
export const outcomeMeasureLinks = pgTable(
  "outcome_measure_links",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    planId: bigint("plan_id", { mode: "number" })
      .notNull()
      .references(() => plans.id),
    outcomeNumber: integer("outcome_number").notNull(),
    position: integer("position").notNull(),
    measureTitle: text("measure_title").notNull(),
    measureId: bigint("measure_id", { mode: "number" }).references(() => measures.id),
    lineAsWritten: text("line_as_written"),
    targetAsWritten: text("target_as_written"),
    afterBlankLine: boolean("after_blank_line").notNull().default(false),
  },
  (table) => [
    unique().on(table.planId, table.outcomeNumber, table.measureTitle),
    index("outcome_measure_links_measure").on(table.measureId),
  ],
);

export const deliverableProgress = pgTable("deliverable_progress", {
  id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
  deliverableId: bigint("deliverable_id", { mode: "number" }).references(() => deliverables.id),
  titleAsWritten: text("title_as_written"),
  financialYear: text("financial_year").notNull(),
  quarter: integer("quarter").notNull(),
  rating: text("rating").notNull(),
  /** "stated" where the report or officer gives the rating; "inferred" where it was read from other words. */
  ratingSource: text("rating_source").$type<"stated" | "inferred">().notNull().default("stated"),
  /** How a rating read from a document was arrived at, as the transcription explains it. */
  ratingBasis: text("rating_basis"),
  flaggedRequiringReview: boolean("flagged_requiring_review").notNull().default(false),
  narrative: text("narrative").notNull(),
  author: text("author").notNull(),
  recordedAt: timestamp("recorded_at", { withTimezone: true }).notNull().defaultNow(),
  sourceDocument: text("source_document"),
  matchConfidence: text("match_confidence"),
});

export const risks = pgTable("risks", {
  id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
  planId: bigint("plan_id", { mode: "number" })
    .notNull()
    .references(() => plans.id),
  slug: text("slug").notNull().unique(),
  position: integer("position").notNull(),
  priorityAsWritten: text("priority_as_written"),
  priority: text("priority"),
  description: text("description").notNull(),
  mitigations: jsonb("mitigations").$type<string[]>().notNull().default([]),
  inherentLikelihood: integer("inherent_likelihood"),
  inherentImpact: integer("inherent_impact"),
  residualLikelihood: integer("residual_likelihood"),
  residualImpact: integer("residual_impact"),
  category: text("category"),
  owner: text("owner"),
  reviewDate: date("review_date"),
  version: integer("version").notNull().default(1),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  archivedAt: timestamp("archived_at", { withTimezone: true }),
  archivedBy: text("archived_by"),
});
