import type { FastifyInstance, FastifyReply } from "fastify";
import type { z } from "zod";
import type { Database } from "../../db/client.ts";
import { NotFound, ValidationFailed } from "../../errors.ts";
import { redirectWithBanner } from "../../web/banner.ts";
import { requiredVersion, validForm } from "../../web/forms.ts";
import type { RoutesOptions } from "../../web/modules.ts";
import { idParam } from "../../web/params.ts";
import {
  type FormField,
  type FormValues,
  fieldText,
  radioItems,
  selectItems,
} from "../../web/record-form.ts";
import { listMeasures } from "../measures/measures.service.ts";
import {
  activityForm,
  deliverableForm,
  moveForm,
  objectiveForm,
  outcomeForm,
  planForm,
  priorityForm,
  riskEditForm,
} from "./plan.edit.schemas.ts";
import { findCouncil, findDepartment, listOutcomes, type Plan } from "./plan.service.ts";
import type { PlanApproved, StructureKind } from "./plan.structure.ts";
import * as structure from "./plan.structure.ts";

/**
 * The pages that edit the plan's structure: a page listing what each plan holds with Edit,
 * Move up, Move down and Archive; an add and an edit form for each kind; a confirmation before
 * archiving; and the Archived items page with Restore. HTTP and form reading only: the rules are
 * plan.structure.ts's.
 */

type Values = FormValues;
type Errors = { field: string; message: string }[];
type Field = FormField;
const text = fieldText;
const choices = radioItems;

const BACK_TEXT = "Back to editing the plan";

const lines = (items: readonly string[] | null | undefined) => (items ?? []).join("\n");
const paragraphs = (items: readonly string[] | null | undefined) => (items ?? []).join("\n\n");

interface Context {
  db: Database;
  /** The parent's id on an add form (plan or objective), or the record on an edit form. */
  planId: number | null;
  objectiveId: number | null;
  row: Values | null;
}

interface KindPage {
  schema: z.ZodType<unknown>;
  /** The query parameter naming the parent on an add page. */
  parent: "plan" | "objective" | null;
  /** The saved record as form values. */
  valuesOf(row: Values): Values;
  /** Starting values on an add page. */
  defaults(context: Context): Promise<Values>;
  fields(values: Values, context: Context): Promise<Field[]>;
  /** `whenApproved`: what approving a plan sets off (its document frozen); only plans use it. */
  create(
    db: Database,
    actor: string,
    parentId: number,
    form: never,
    whenApproved: PlanApproved,
  ): Promise<{ id: number }>;
  edit(
    db: Database,
    actor: string,
    id: number,
    version: number,
    form: never,
    whenApproved: PlanApproved,
  ): Promise<{ id: number }>;
}

const STATUS: [string, string][] = [
  ["draft", "Draft"],
  ["approved", "Approved"],
  ["none", "Not stated"],
];

const PAGES: Record<StructureKind, KindPage> = {
  plan: {
    schema: planForm,
    parent: null,
    valuesOf: (row) => ({
      title: row.title,
      slug: row.slug,
      fromYear: String(row.fromYear),
      toYear: String(row.toYear),
      planVersion: row.planVersion,
      status: row.status ?? "none",
      foreword: paragraphs(row.foreword as string[] | null),
    }),
    defaults: async () => ({ planVersion: "original", status: "draft" }),
    fields: async (values) => [
      { type: "text", name: "title", label: "Title", value: text(values, "title") },
      {
        type: "text",
        name: "slug",
        label: "Reference (optional)",
        hint: "Used in addresses, for example place-plan-2030. Left blank, Baseplan makes one from the title and years.",
        value: text(values, "slug"),
        classes: "govuk-!-width-two-thirds",
      },
      {
        type: "text",
        name: "fromYear",
        label: "First year",
        hint: "For example 2030",
        value: text(values, "fromYear"),
        classes: "govuk-input--width-4",
        inputmode: "numeric",
      },
      {
        type: "text",
        name: "toYear",
        label: "Last year",
        hint: "For example 2034",
        value: text(values, "toYear"),
        classes: "govuk-input--width-4",
        inputmode: "numeric",
      },
      {
        type: "radios",
        name: "planVersion",
        label: "Version",
        items: choices(values, "planVersion", [
          ["original", "Original plan"],
          ["refresh", "Refresh of an earlier plan"],
        ]),
      },
      { type: "radios", name: "status", label: "Status", items: choices(values, "status", STATUS) },
      {
        type: "textarea",
        name: "foreword",
        label: "Foreword (optional)",
        hint: "Leave a blank line between paragraphs.",
        value: text(values, "foreword"),
        rows: 8,
      },
    ],
    create: (db, actor, departmentId, form, whenApproved) =>
      structure.createPlan(db, actor, { departmentId, form }, whenApproved),
    edit: (db, actor, id, version, form, whenApproved) =>
      structure.editPlan(db, actor, { id, version, form }, whenApproved),
  },
  outcome: {
    schema: outcomeForm,
    parent: null,
    valuesOf: (row) => ({ number: String(row.number), wording: structure.outcomeWording(row as never) }),
    defaults: async () => ({}),
    fields: async (values) => [
      {
        type: "text",
        name: "number",
        label: "Outcome number",
        value: text(values, "number"),
        classes: "govuk-input--width-3",
        inputmode: "numeric",
      },
      { type: "textarea", name: "wording", label: "Wording", value: text(values, "wording"), rows: 3 },
    ],
    create: (db, actor, councilId, form) => structure.createOutcome(db, actor, { councilId, form }),
    edit: (db, actor, id, version, form) => structure.editOutcome(db, actor, { id, version, form }),
  },
  priority: {
    schema: priorityForm,
    parent: "plan",
    valuesOf: (row) => ({ title: row.title, kind: row.kind }),
    defaults: async () => ({ kind: "council" }),
    fields: async (values) => [
      { type: "text", name: "title", label: "Priority", value: text(values, "title") },
      {
        type: "radios",
        name: "kind",
        label: "Whose priority is it?",
        items: choices(values, "kind", [
          ["council", "A council priority the plan lists"],
          ["departmental", "The plan's own priority"],
        ]),
      },
    ],
    create: (db, actor, planId, form) => structure.createPriority(db, actor, { planId, form }),
    edit: (db, actor, id, version, form) => structure.editPriority(db, actor, { id, version, form }),
  },
  objective: {
    schema: objectiveForm,
    parent: "plan",
    valuesOf: (row) => ({
      number: String(row.number),
      title: row.title,
      outcomeNumber: row.outcomeNumber === null ? "" : String(row.outcomeNumber),
      leadDepartment: row.leadDepartment,
    }),
    defaults: async ({ db }) => ({ leadDepartment: (await findDepartment(db))?.name ?? "" }),
    fields: async (values, { db }) => {
      const council = await findCouncil(db);
      const outcomes = council ? await listOutcomes(db, council.id) : [];
      return [
        {
          type: "text",
          name: "number",
          label: "Objective number",
          hint: "Objectives are numbered across the council.",
          value: text(values, "number"),
          classes: "govuk-input--width-3",
          inputmode: "numeric",
        },
        { type: "textarea", name: "title", label: "Title", value: text(values, "title"), rows: 3 },
        {
          type: "select",
          name: "outcomeNumber",
          label: "Council outcome",
          items: selectItems(values, "outcomeNumber", [
            ["", "None"],
            ...outcomes.map((outcome): [string, string] => [
              String(outcome.number),
              `${outcome.number}. ${structure.outcomeWording(outcome)}`,
            ]),
          ]),
        },
        {
          type: "text",
          name: "leadDepartment",
          label: "Lead department",
          value: text(values, "leadDepartment"),
        },
      ];
    },
    create: (db, actor, planId, form) => structure.createObjective(db, actor, { planId, form }),
    edit: (db, actor, id, version, form) => structure.editObjective(db, actor, { id, version, form }),
  },
  activity: {
    schema: activityForm,
    parent: "objective",
    valuesOf: (row) => ({ text: row.text, parentId: row.parentId === null ? "" : String(row.parentId) }),
    defaults: async () => ({}),
    fields: async (values, { db, objectiveId, row }) => {
      const model = objectiveId === null ? null : await structure.activitiesOf(db, objectiveId);
      return [
        {
          type: "textarea",
          name: "text",
          label: "Supporting activity",
          value: text(values, "text"),
          rows: 3,
        },
        {
          type: "select",
          name: "parentId",
          label: "Sits under",
          hint: "An activity can sit under one of the objective's top-level activities.",
          items: selectItems(values, "parentId", [
            ["", "The objective itself"],
            ...(model ?? [])
              .filter((activity) => activity.parentId === null && activity.id !== row?.id)
              .map((activity): [string, string] => [String(activity.id), activity.text]),
          ]),
        },
      ];
    },
    create: (db, actor, objectiveId, form) => structure.createActivity(db, actor, { objectiveId, form }),
    edit: (db, actor, id, version, form) => structure.editActivity(db, actor, { id, version, form }),
  },
  deliverable: {
    schema: deliverableForm,
    parent: "plan",
    valuesOf: (row) => ({
      title: row.title,
      slug: row.slug,
      section: row.section,
      sectionTitle: row.sectionTitle,
      groupKind: row.groupKind,
      groupTitle: row.groupTitle,
      leads: lines((row.leadOfficers as { name: string }[]).map((lead) => lead.name)),
      startFinish: row.startFinish,
      successMeasures: lines(row.successMeasures as string[]),
      inCouncilPlan: row.inCouncilPlan === null ? "unknown" : row.inCouncilPlan ? "yes" : "no",
      councilPlanPriority: row.councilPlanPriority ?? "",
      measureIds: row.measureIds,
    }),
    defaults: async ({ db, planId }) => {
      const last = planId === null ? undefined : await structure.lastDeliverableOf(db, planId);
      return {
        section: last?.section ?? "",
        sectionTitle: last?.sectionTitle ?? "",
        groupKind: last?.groupKind ?? "priority",
        groupTitle: last?.groupTitle ?? "",
        inCouncilPlan: "unknown",
      };
    },
    fields: async (values, { db }) => {
      const chosen = new Set(
        (Array.isArray(values.measureIds) ? values.measureIds : [values.measureIds]).map((id) => String(id)),
      );
      const measures = await listMeasures(db);
      return [
        { type: "textarea", name: "title", label: "Title", value: text(values, "title"), rows: 3 },
        {
          type: "text",
          name: "slug",
          label: "Reference (optional)",
          hint: "For example pp2030-d07. Left blank, Baseplan makes one.",
          value: text(values, "slug"),
          classes: "govuk-!-width-two-thirds",
        },
        {
          type: "text",
          name: "section",
          label: "Section",
          hint: "The section of the plan's action tables, for example one",
          value: text(values, "section"),
          classes: "govuk-!-width-one-third",
        },
        { type: "text", name: "sectionTitle", label: "Section title", value: text(values, "sectionTitle") },
        {
          type: "radios",
          name: "groupKind",
          label: "The group is",
          items: choices(values, "groupKind", [
            ["priority", "A priority"],
            ["service-theme", "A service theme"],
          ]),
        },
        {
          type: "text",
          name: "groupTitle",
          label: "Group",
          hint: "The priority or service theme the deliverable sits under",
          value: text(values, "groupTitle"),
        },
        {
          type: "textarea",
          name: "leads",
          label: "Lead officers",
          hint: "One name per line.",
          value: text(values, "leads"),
          rows: 3,
        },
        {
          type: "text",
          name: "startFinish",
          label: "Start and finish dates (optional)",
          hint: "As the plan writes them, for example April 2030 - March 2031",
          value: text(values, "startFinish"),
        },
        {
          type: "textarea",
          name: "successMeasures",
          label: "Success measures (optional)",
          hint: "One per line.",
          value: text(values, "successMeasures"),
          rows: 5,
        },
        {
          type: "radios",
          name: "inCouncilPlan",
          label: "Is it in the Council Plan?",
          items: choices(values, "inCouncilPlan", [
            ["yes", "Yes"],
            ["no", "No"],
            ["unknown", "Not stated"],
          ]),
        },
        {
          type: "text",
          name: "councilPlanPriority",
          label: "Council Plan priority (optional)",
          value: text(values, "councilPlanPriority"),
        },
        {
          type: "checkboxes",
          name: "measureIds",
          label: "Linked measures (optional)",
          hint: "The measures that evidence this deliverable. The link is kept if a measure's title changes.",
          items: measures.map((measure) => ({
            value: String(measure.id),
            text: measure.code ? `${measure.code}: ${measure.title}` : measure.title,
            checked: chosen.has(String(measure.id)),
          })),
        },
      ];
    },
    create: (db, actor, planId, form) => structure.createDeliverable(db, actor, { planId, form }),
    edit: (db, actor, id, version, form) => structure.editDeliverable(db, actor, { id, version, form }),
  },
  risk: {
    schema: riskEditForm,
    parent: "plan",
    valuesOf: (row) => ({
      description: row.description,
      slug: row.slug,
      priority: row.priority ?? "",
      mitigations: lines(row.mitigations as string[]),
      category: row.category ?? "",
      owner: row.owner ?? "",
    }),
    defaults: async () => ({}),
    fields: async (values) => [
      {
        type: "textarea",
        name: "description",
        label: "Key risk",
        value: text(values, "description"),
        rows: 3,
      },
      {
        type: "text",
        name: "slug",
        label: "Reference (optional)",
        hint: "Left blank, Baseplan makes one.",
        value: text(values, "slug"),
        classes: "govuk-!-width-two-thirds",
      },
      {
        type: "text",
        name: "priority",
        label: "Priority (optional)",
        hint: "The priority the risk is listed under",
        value: text(values, "priority"),
      },
      {
        type: "textarea",
        name: "mitigations",
        label: "Mitigations (optional)",
        hint: "One per line.",
        value: text(values, "mitigations"),
        rows: 4,
      },
      { type: "text", name: "category", label: "Category (optional)", value: text(values, "category") },
      { type: "text", name: "owner", label: "Risk owner (optional)", value: text(values, "owner") },
    ],
    create: (db, actor, planId, form) => structure.createRisk(db, actor, { planId, form }),
    edit: (db, actor, id, version, form) => structure.editRisk(db, actor, { id, version, form }),
  },
};

function kindParam(raw: string): StructureKind {
  const kind = structure.STRUCTURE_KINDS.find((candidate) => candidate === raw);
  if (!kind) throw new NotFound("Page");
  return kind;
}

function editHref(plan: Plan | null, anchor?: string): string {
  return `/plan/edit${plan ? `?plan=${encodeURIComponent(plan.slug)}` : ""}${anchor ? `#${anchor}` : ""}`;
}

export function planEditRoutes(app: FastifyInstance, services: RoutesOptions["services"]) {
  const db = services.db;

  app.get<{ Querystring: { plan?: string } }>("/plan/edit", async (request, reply) => {
    const model = await structure.structureOf(db, request.query.plan);
    return reply.view("plan/views/structure.njk", {
      pageTitle: "Edit the plan",
      model,
      planItems: model.plans.map((plan) => ({
        value: plan.slug,
        text: plan.title,
        selected: plan.id === model.plan?.id,
      })),
    });
  });

  /** The add page's parent: the plan or objective named in the query, the council or department otherwise. */
  async function parentOf(kind: StructureKind, query: Record<string, string | undefined>) {
    const page = PAGES[kind];
    if (page.parent === "plan") {
      const planId = idParam(query.plan, "Plan");
      const plan = await structure.findRecord(db, "plan", planId);
      return { parentId: planId, plan: plan as unknown as Plan, objectiveId: null };
    }
    if (page.parent === "objective") {
      const objectiveId = idParam(query.objective, "Strategic objective");
      const objective = await structure.findRecord(db, "objective", objectiveId);
      const plan = await structure.planOfRecord(db, "objective", objective);
      return { parentId: objectiveId, plan, objectiveId };
    }
    if (kind === "outcome") {
      const council = await findCouncil(db);
      if (!council) throw new NotFound("Council");
      return { parentId: council.id, plan: null, objectiveId: null };
    }
    const department = await findDepartment(db);
    if (!department) throw new NotFound("Department");
    return { parentId: department.id, plan: null, objectiveId: null };
  }

  async function renderAdd(
    reply: FastifyReply,
    kind: StructureKind,
    query: Record<string, string | undefined>,
    values: Values | null,
    errors: Errors = [],
  ) {
    const { plan, objectiveId } = await parentOf(kind, query);
    const context: Context = { db, planId: plan?.id ?? null, objectiveId, row: null };
    const form = values ?? (await PAGES[kind].defaults(context));
    const search = new URLSearchParams(
      Object.entries(query).filter((entry): entry is [string, string] => typeof entry[1] === "string"),
    ).toString();
    return reply.code(errors.length > 0 ? 400 : 200).view("record-form.njk", {
      backText: BACK_TEXT,
      pageTitle: `Add a ${structure.KIND_NAMES[kind].noun}`,
      caption: plan && kind !== "plan" ? plan.title : null,
      action: `/plan/edit/${kind}/new${search ? `?${search}` : ""}`,
      fields: await PAGES[kind].fields(form, context),
      submitText: `Add the ${structure.KIND_NAMES[kind].noun}`,
      backHref: editHref(plan),
      errors,
    });
  }

  app.get<{ Params: { kind: string }; Querystring: Record<string, string | undefined> }>(
    "/plan/edit/:kind/new",
    async (request, reply) => renderAdd(reply, kindParam(request.params.kind), request.query, null),
  );

  app.post<{ Params: { kind: string }; Querystring: Record<string, string | undefined>; Body: Values }>(
    "/plan/edit/:kind/new",
    async (request, reply) => {
      const kind = kindParam(request.params.kind);
      const body = request.body ?? {};
      const { parentId } = await parentOf(kind, request.query);
      let created: { id: number };
      try {
        const form = validForm(PAGES[kind].schema, body);
        created = await PAGES[kind].create(db, request.actor, parentId, form as never, services.planApproved);
      } catch (error) {
        if (error instanceof ValidationFailed)
          return renderAdd(reply, kind, request.query, body, error.errors);
        throw error;
      }
      const row = await structure.findRecord(db, kind, created.id);
      const plan = await structure.planOfRecord(db, kind, row);
      return redirectWithBanner(
        reply,
        editHref(plan, `${kind}-${created.id}`),
        `${capitalise(structure.recordName(kind, row))} was added.`,
      );
    },
  );

  async function renderEdit(
    reply: FastifyReply,
    kind: StructureKind,
    id: number,
    values: Values | null,
    errors: Errors = [],
  ) {
    const row = await structure.findRecord(db, kind, id);
    const plan = await structure.planOfRecord(db, kind, row);
    const saved =
      kind === "deliverable" ? { ...row, measureIds: await structure.linkedMeasureIds(db, id) } : row;
    const context: Context = {
      db,
      planId: plan?.id ?? null,
      objectiveId: kind === "activity" ? Number(row.objectiveId) : null,
      row,
    };
    const form = values ?? PAGES[kind].valuesOf(saved);
    return reply.code(errors.length > 0 ? 400 : 200).view("record-form.njk", {
      backText: BACK_TEXT,
      pageTitle: `Edit ${structure.recordName(kind, row)}`.slice(0, 200),
      caption: row.archivedAt
        ? "Archived: restore it to change it"
        : plan && kind !== "plan"
          ? plan.title
          : null,
      action: `/plan/edit/${kind}/${id}`,
      version: typeof values?.version === "string" ? values.version : String(row.version),
      fields: await PAGES[kind].fields(form, context),
      submitText: "Save changes",
      backHref: editHref(plan, `${kind}-${id}`),
      errors,
    });
  }

  app.get<{ Params: { kind: string; id: string } }>("/plan/edit/:kind/:id", async (request, reply) => {
    const kind = kindParam(request.params.kind);
    return renderEdit(reply, kind, idParam(request.params.id, "Record"), null);
  });

  app.post<{ Params: { kind: string; id: string }; Body: Values }>(
    "/plan/edit/:kind/:id",
    async (request, reply) => {
      const kind = kindParam(request.params.kind);
      const id = idParam(request.params.id, "Record");
      const body = request.body ?? {};
      try {
        const form = validForm(PAGES[kind].schema, body);
        await PAGES[kind].edit(
          db,
          request.actor,
          id,
          requiredVersion(body),
          form as never,
          services.planApproved,
        );
      } catch (error) {
        if (error instanceof ValidationFailed) return renderEdit(reply, kind, id, body, error.errors);
        throw error;
      }
      const row = await structure.findRecord(db, kind, id);
      const plan = await structure.planOfRecord(db, kind, row);
      return redirectWithBanner(
        reply,
        editHref(plan, `${kind}-${id}`),
        `${capitalise(structure.recordName(kind, row))} was saved.`,
      );
    },
  );

  app.post<{ Params: { kind: string; id: string }; Body: Values }>(
    "/plan/edit/:kind/:id/move",
    async (request, reply) => {
      const kind = kindParam(request.params.kind);
      const id = idParam(request.params.id, "Record");
      const body = request.body ?? {};
      const row = await structure.findRecord(db, kind, id);
      const plan = await structure.planOfRecord(db, kind, row);
      try {
        const { direction } = validForm(moveForm, body);
        await structure.moveRecord(db, request.actor, kind, {
          id,
          version: requiredVersion(body),
          direction,
        });
      } catch (error) {
        if (!(error instanceof ValidationFailed)) throw error;
        const model = await structure.structureOf(db, plan?.slug);
        return reply.code(400).view("plan/views/structure.njk", {
          pageTitle: "Edit the plan",
          model,
          planItems: model.plans.map((candidate) => ({
            value: candidate.slug,
            text: candidate.title,
            selected: candidate.id === model.plan?.id,
          })),
          errors: error.errors.map((problem) => ({ ...problem, field: `${kind}-${id}` })),
        });
      }
      return redirectWithBanner(
        reply,
        editHref(plan, `${kind}-${id}`),
        `${capitalise(structure.recordName(kind, row))} was moved ${body.direction === "up" ? "up" : "down"}.`,
      );
    },
  );

  app.get<{ Params: { kind: string; id: string } }>(
    "/plan/edit/:kind/:id/archive",
    async (request, reply) => {
      const kind = kindParam(request.params.kind);
      const id = idParam(request.params.id, "Record");
      const row = await structure.findRecord(db, kind, id);
      const plan = await structure.planOfRecord(db, kind, row);
      return reply.view("record-archive.njk", {
        backText: BACK_TEXT,
        archivedHref: "/plan/archived",
        archivedText: "Archived items",
        pageTitle: `Archive ${structure.recordName(kind, row)}`.slice(0, 200),
        noun: structure.KIND_NAMES[kind].noun,
        name: structure.recordName(kind, row),
        hidesChildren: kind === "plan" || kind === "objective",
        action: `/plan/edit/${kind}/${id}/archive`,
        version: String(row.version),
        backHref: editHref(plan, `${kind}-${id}`),
      });
    },
  );

  app.post<{ Params: { kind: string; id: string }; Body: Values }>(
    "/plan/edit/:kind/:id/archive",
    async (request, reply) => {
      const kind = kindParam(request.params.kind);
      const id = idParam(request.params.id, "Record");
      const body = request.body ?? {};
      const row = await structure.findRecord(db, kind, id);
      const plan = await structure.planOfRecord(db, kind, row);
      try {
        await structure.archiveRecord(db, request.actor, kind, { id, version: requiredVersion(body) });
      } catch (error) {
        if (error instanceof ValidationFailed) return renderArchived(reply, error.errors);
        throw error;
      }
      return redirectWithBanner(
        reply,
        kind === "plan" ? "/plan/edit" : editHref(plan),
        `${capitalise(structure.recordName(kind, row))} was archived. It can be restored from Archived items.`,
      );
    },
  );

  async function renderArchived(reply: FastifyReply, errors: Errors = []) {
    return reply.code(errors.length > 0 ? 400 : 200).view("plan/views/structure-archived.njk", {
      pageTitle: "Archived items",
      sections: await structure.archivedRecords(db),
      errors,
    });
  }

  app.get("/plan/archived", async (_request, reply) => renderArchived(reply));

  app.post<{ Params: { kind: string; id: string }; Body: Values }>(
    "/plan/edit/:kind/:id/restore",
    async (request, reply) => {
      const kind = kindParam(request.params.kind);
      const id = idParam(request.params.id, "Record");
      const body = request.body ?? {};
      try {
        await structure.restoreRecord(db, request.actor, kind, { id, version: requiredVersion(body) });
      } catch (error) {
        if (error instanceof ValidationFailed) return renderArchived(reply, error.errors);
        throw error;
      }
      const row = await structure.findRecord(db, kind, id);
      const plan = await structure.planOfRecord(db, kind, row);
      return redirectWithBanner(
        reply,
        editHref(plan, `${kind}-${id}`),
        `${capitalise(structure.recordName(kind, row))} was restored.`,
      );
    },
  );
}

function capitalise(words: string): string {
  return words.charAt(0).toUpperCase() + words.slice(1);
}
