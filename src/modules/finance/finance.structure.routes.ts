import type { FastifyInstance, FastifyReply } from "fastify";
import { type FieldError, NotFound, ValidationFailed } from "../../errors.ts";
import { redirectWithBanner } from "../../web/banner.ts";
import { requiredVersion, validForm } from "../../web/forms.ts";
import type { RoutesOptions } from "../../web/modules.ts";
import { idParam } from "../../web/params.ts";
import { type FormField, type FormValues, fieldText } from "../../web/record-form.ts";
import { capitalise } from "../audit/audit.archive.ts";
import { type Params, yearParam } from "./finance.pages.ts";
import {
  divisionAmountsSchema,
  type StructureNameForm,
  savingsTargetSchema,
  structureMoveSchema,
  structureRecordSchema,
} from "./finance.schemas.ts";
import {
  addRecord,
  archiveRecord,
  BUDGET_STRUCTURE_KINDS,
  type BudgetStructureKind,
  budgetStructure,
  divisionAmountsForm,
  findRecord,
  KIND_NAMES,
  moveRecord,
  openedYear,
  recordFormValues,
  renameRecord,
  restoreRecord,
  savingsTargetForm,
  setDivisionAmounts,
  setSavingsTarget,
  structureHref,
} from "./finance.structure.ts";

/**
 * The budget's set-up page for a year (`/budget/<year>/structure`) and its forms: add, rename,
 * move up or down, archive (after a confirmation) and restore a monitoring line or a division of
 * the approved budget, and enter a division's amounts. One set of routes for every kind, by the
 * kind's key in the address (`/budget/2030-31/structure/line/4`). HTTP and form reading only: the
 * rules are finance.structure.ts's.
 */

/** What each kind is called on the pages, and what its name field asks for. */
const PAGES: Record<BudgetStructureKind, { label: string; hint: string; addText: string; anchor: string }> = {
  line: {
    label: "Name of the budget line",
    hint: "As the budget monitoring report names it, for example Highways maintenance.",
    addText: "Add a budget line",
    anchor: "lines",
  },
  division: {
    label: "Name of the division",
    hint: "A row of the approved budget, for example Schools and Learning.",
    addText: "Add a division",
    anchor: "divisions",
  },
  reserve: {
    label: "Name of the earmarked reserve",
    hint: "As the reserves table names it, for example Winter maintenance reserve.",
    addText: "Add an earmarked reserve",
    anchor: "reserves",
  },
  initiative: {
    label: "Name of the savings initiative",
    hint: "As the savings table names it, for example Review of library opening hours.",
    addText: "Add a savings initiative",
    anchor: "savings",
  },
  growth: {
    label: "Title of the growth item",
    hint: "As the report names it, for example Social worker recruitment.",
    addText: "Add a growth item",
    anchor: "growth",
  },
};

/** A kind's form as sent: its name, and its other fields read (money in pence) by their keys. */
function formOf(kind: BudgetStructureKind, body: FormValues): StructureNameForm {
  const { name, ...values } = validForm(structureRecordSchema(KIND_NAMES[kind].fields), body) as {
    name: string;
  } & Record<string, string | number | null>;
  return { name, values };
}

function kindParam(text: string | undefined): BudgetStructureKind {
  const kind = BUDGET_STRUCTURE_KINDS.find((candidate) => candidate === text);
  if (!kind) throw new NotFound(`Budget record kind ${text ?? ""}`);
  return kind;
}

function failed(error: unknown): FieldError[] {
  if (error instanceof ValidationFailed) return [...error.errors];
  throw error;
}

export function budgetStructureRoutes(app: FastifyInstance, services: RoutesOptions["services"]) {
  const db = services.db;
  const base = "/budget/:year/structure";

  /** The record named in the address, refused (404) when it is of another year. */
  async function recordOf(params: Params) {
    const yearCode = yearParam(params.year);
    const kind = kindParam(params.kind);
    const found = await findRecord(db, kind, idParam(params.id, capitalise(KIND_NAMES[kind].noun)));
    if (found.year.code !== yearCode || found.row.statedTotal) {
      throw new NotFound(`${capitalise(KIND_NAMES[kind].noun)} ${params.id}`);
    }
    return { yearCode, kind, ...found };
  }

  /**
   * A page of a year not opened for monitoring: what to do about it (open it in Monitoring
   * periods), rather than a plain page not found. Null when the year is open.
   */
  async function notOpen(reply: FastifyReply, yearCode: string) {
    if (await openedYear(db, yearCode)) return null;
    const label = yearCode.replace("-", "/");
    return reply.code(404).view("finance/views/structure-not-open.njk", {
      pageTitle: `The financial year ${label} is not open`,
      label,
    });
  }

  async function renderPage(reply: FastifyReply, yearCode: string, errors: FieldError[] = []) {
    const model = await budgetStructure(db, yearCode);
    return reply.code(errors.length > 0 ? 400 : 200).view("finance/views/structure.njk", {
      pageTitle: `${errors.length > 0 ? "Error: " : ""}Set up the budget ${model.year.label}`,
      model,
      href: structureHref(yearCode),
      errors,
    });
  }

  app.get(base, async (request, reply) => {
    const yearCode = yearParam((request.params as Params).year);
    return (await notOpen(reply, yearCode)) ?? renderPage(reply, yearCode);
  });

  async function renderNameForm(
    reply: FastifyReply,
    input: { yearCode: string; kind: BudgetStructureKind; id: number | null },
    values: FormValues,
    errors: FieldError[] = [],
  ) {
    const { yearCode, kind, id } = input;
    const noun = KIND_NAMES[kind].noun;
    const found = id === null ? null : await findRecord(db, kind, id);
    const href = structureHref(yearCode);
    const extra = KIND_NAMES[kind].fields;
    const fields: FormField[] = [
      {
        type: "text",
        name: "name",
        label: PAGES[kind].label,
        hint: PAGES[kind].hint,
        value: fieldText(values, "name"),
      },
      ...extra.map(
        (field): FormField =>
          field.type === "money"
            ? {
                type: "text",
                name: field.key,
                label: field.label,
                hint: field.hint,
                value: fieldText(values, field.key),
                classes: "govuk-input--width-10",
                inputmode: "decimal",
              }
            : {
                type: field.type,
                name: field.key,
                label: field.label,
                hint: field.hint,
                value: fieldText(values, field.key),
                ...(field.type === "textarea" ? { rows: 5 } : {}),
              },
      ),
    ];
    const title = found
      ? `${extra.length === 0 ? "Rename" : "Change"} the ${noun} "${found.row.name}"`
      : `${PAGES[kind].addText}`;
    return reply.code(errors.length > 0 ? 400 : 200).view("record-form.njk", {
      pageTitle: `${errors.length > 0 ? "Error: " : ""}${title}`.slice(0, 200),
      caption: found?.row.archivedAt ? "Archived: restore it to change it" : `Set up the budget`,
      action: found ? `${href}/${kind}/${found.row.id}` : `${href}/${kind}/new`,
      version: found
        ? typeof values.version === "string"
          ? values.version
          : String(found.row.version)
        : null,
      fields,
      submitText: found ? (extra.length === 0 ? "Save the name" : `Save the ${noun}`) : PAGES[kind].addText,
      backText: "Back to setting up the budget",
      backHref: `${href}#${PAGES[kind].anchor}`,
      errors,
    });
  }

  app.get(`${base}/:kind/new`, async (request, reply) => {
    const params = request.params as Params;
    const yearCode = yearParam(params.year);
    const kind = kindParam(params.kind);
    return (await notOpen(reply, yearCode)) ?? renderNameForm(reply, { yearCode, kind, id: null }, {});
  });

  app.post(`${base}/:kind/new`, async (request, reply) => {
    const params = request.params as Params;
    const yearCode = yearParam(params.year);
    const kind = kindParam(params.kind);
    const body = (request.body ?? {}) as FormValues;
    try {
      const row = await addRecord(db, request.actor, kind, {
        yearCode,
        form: formOf(kind, body),
      });
      return redirectWithBanner(
        reply,
        `${structureHref(yearCode)}#${kind}-${row.id}`,
        `The ${KIND_NAMES[kind].noun} "${row.name}" was added.`,
      );
    } catch (error) {
      return renderNameForm(reply, { yearCode, kind, id: null }, body, failed(error));
    }
  });

  app.get(`${base}/:kind/:id`, async (request, reply) => {
    const { yearCode, kind, row } = await recordOf(request.params as Params);
    return renderNameForm(reply, { yearCode, kind, id: row.id }, recordFormValues(kind, row));
  });

  app.post(`${base}/:kind/:id`, async (request, reply) => {
    const { yearCode, kind, row } = await recordOf(request.params as Params);
    const body = (request.body ?? {}) as FormValues;
    try {
      const form = formOf(kind, body);
      const saved = await renameRecord(db, request.actor, kind, {
        id: row.id,
        version: requiredVersion(body, "name"),
        form,
      });
      return redirectWithBanner(
        reply,
        `${structureHref(yearCode)}#${kind}-${row.id}`,
        `The ${KIND_NAMES[kind].noun} "${saved.name}" was saved.`,
      );
    } catch (error) {
      return renderNameForm(reply, { yearCode, kind, id: row.id }, body, failed(error));
    }
  });

  app.post(`${base}/:kind/:id/move`, async (request, reply) => {
    const { yearCode, kind, row } = await recordOf(request.params as Params);
    const body = (request.body ?? {}) as FormValues;
    try {
      const { direction } = validForm(structureMoveSchema, body);
      await moveRecord(db, request.actor, kind, { id: row.id, version: requiredVersion(body), direction });
      return redirectWithBanner(
        reply,
        `${structureHref(yearCode)}#${kind}-${row.id}`,
        `The ${KIND_NAMES[kind].noun} "${row.name}" was moved ${direction}.`,
      );
    } catch (error) {
      return renderPage(
        reply,
        yearCode,
        failed(error).map((problem) => ({ ...problem, field: `${kind}-${row.id}` })),
      );
    }
  });

  app.get(`${base}/:kind/:id/archive`, async (request, reply) => {
    const { yearCode, kind, row } = await recordOf(request.params as Params);
    const noun = KIND_NAMES[kind].noun;
    const href = structureHref(yearCode);
    return reply.view("record-archive.njk", {
      pageTitle: `Archive the ${noun} "${row.name}"`.slice(0, 200),
      noun,
      name: `the ${noun} "${row.name}"`,
      hidesChildren: false,
      action: `${href}/${kind}/${row.id}/archive`,
      version: String(row.version),
      backText: "Back to setting up the budget",
      backHref: `${href}#${PAGES[kind].anchor}`,
      archivedHref: `${href}#archived`,
      archivedText: "Archived, on the budget's set-up page",
    });
  });

  app.post(`${base}/:kind/:id/archive`, async (request, reply) => {
    const { yearCode, kind, row } = await recordOf(request.params as Params);
    try {
      const saved = await archiveRecord(db, request.actor, kind, {
        id: row.id,
        version: requiredVersion(request.body),
      });
      return redirectWithBanner(
        reply,
        `${structureHref(yearCode)}#${PAGES[kind].anchor}`,
        `The ${KIND_NAMES[kind].noun} "${saved.name}" was archived. It can be restored from Archived below.`,
      );
    } catch (error) {
      return renderPage(
        reply,
        yearCode,
        failed(error).map((problem) => ({ ...problem, field: `${kind}-${row.id}` })),
      );
    }
  });

  app.post(`${base}/:kind/:id/restore`, async (request, reply) => {
    const { yearCode, kind, row } = await recordOf(request.params as Params);
    try {
      const saved = await restoreRecord(db, request.actor, kind, {
        id: row.id,
        version: requiredVersion(request.body, `restore-${kind}-${row.id}`),
      });
      return redirectWithBanner(
        reply,
        `${structureHref(yearCode)}#${kind}-${row.id}`,
        `The ${KIND_NAMES[kind].noun} "${saved.name}" was restored.`,
      );
    } catch (error) {
      return renderPage(
        reply,
        yearCode,
        failed(error).map((problem) => ({ ...problem, field: `restore-${kind}-${row.id}` })),
      );
    }
  });

  // The year's savings target, which its savings initiatives are to meet.

  async function renderTarget(
    reply: FastifyReply,
    yearCode: string,
    posted: FormValues | null,
    errors: FieldError[] = [],
  ) {
    const form = await savingsTargetForm(db, yearCode);
    const href = structureHref(yearCode);
    const values = posted ?? form.values;
    return reply.code(errors.length > 0 ? 400 : 200).view("record-form.njk", {
      pageTitle: `${errors.length > 0 ? "Error: " : ""}Savings target ${form.year.label}`,
      caption: `Set up the budget ${form.year.label}`,
      introLines: [
        "The savings the budget plans to make this year, and the savings brought forward from earlier years that are still to be made. Together they are the year's savings target, which the savings initiatives are to meet.",
      ],
      action: `${href}/savings-target`,
      version: posted
        ? typeof posted.version === "string"
          ? posted.version
          : null
        : form.target
          ? String(form.target.version)
          : null,
      fields: [
        {
          type: "text",
          name: "currentYear",
          label: "Current year reductions",
          hint: "The savings the budget plans to make this year, in pounds, as the budget book writes it, for example £1,500,000 or £1.5m.",
          value: fieldText(values, "currentYear"),
          classes: "govuk-input--width-10",
          inputmode: "decimal",
        },
        {
          type: "text",
          name: "broughtForward",
          label: "Prior year reductions brought forward",
          hint: "Savings of earlier years not yet made, in pounds. Leave blank if there are none.",
          value: fieldText(values, "broughtForward"),
          classes: "govuk-input--width-10",
          inputmode: "decimal",
        },
      ] satisfies FormField[],
      submitText: "Save the savings target",
      backText: "Back to setting up the budget",
      backHref: `${href}#savings`,
      errors,
    });
  }

  app.get(`${base}/savings-target`, async (request, reply) => {
    const yearCode = yearParam((request.params as Params).year);
    return (await notOpen(reply, yearCode)) ?? renderTarget(reply, yearCode, null);
  });

  app.post(`${base}/savings-target`, async (request, reply) => {
    const yearCode = yearParam((request.params as Params).year);
    const body = (request.body ?? {}) as FormValues;
    try {
      const form = validForm(savingsTargetSchema, body);
      const version = typeof body.version === "string" && body.version !== "" ? requiredVersion(body) : null;
      await setSavingsTarget(db, request.actor, { yearCode, version, form });
      return redirectWithBanner(reply, `${structureHref(yearCode)}#savings`, "The savings target was saved.");
    } catch (error) {
      const errors = failed(error);
      return (await notOpen(reply, yearCode)) ?? renderTarget(reply, yearCode, body, errors);
    }
  });

  // A division's amounts under each subjective heading.

  async function renderAmounts(
    reply: FastifyReply,
    yearCode: string,
    id: number,
    posted: FormValues | null,
    errors: FieldError[] = [],
  ) {
    const form = await divisionAmountsForm(db, id);
    const href = structureHref(yearCode);
    return reply.code(errors.length > 0 ? 400 : 200).view("record-form.njk", {
      pageTitle: `${errors.length > 0 ? "Error: " : ""}Approved budget of ${form.division.name}`.slice(
        0,
        200,
      ),
      caption: `Set up the budget ${form.year.label}`,
      introLines: [
        "Enter the approved budget under each heading in pounds, as the budget book writes it, for example £1,234,567.89 or 1234567. Enter income and grants as negative amounts, for example -250,000. Leave a heading blank where the division has nothing under it.",
      ],
      action: `${href}/division/${id}/amounts`,
      version: posted && typeof posted.version === "string" ? posted.version : String(form.division.version),
      fields: form.headings.map(
        (heading): FormField => ({
          type: "text",
          name: `amount-${heading.key}`,
          label: heading.title,
          value: posted ? fieldText(posted, `amount-${heading.key}`) : heading.value,
          classes: "govuk-input--width-10",
          inputmode: "decimal",
        }),
      ),
      submitText: "Save the amounts",
      backText: "Back to setting up the budget",
      backHref: `${href}#division-${id}`,
      errors,
    });
  }

  app.get(`${base}/division/:id/amounts`, async (request, reply) => {
    const { yearCode, row } = await recordOf({ ...(request.params as Params), kind: "division" });
    return renderAmounts(reply, yearCode, row.id, null);
  });

  app.post(`${base}/division/:id/amounts`, async (request, reply) => {
    const { yearCode, row } = await recordOf({ ...(request.params as Params), kind: "division" });
    const body = (request.body ?? {}) as FormValues;
    try {
      const { headings } = await divisionAmountsForm(db, row.id);
      const parsed = validForm(divisionAmountsSchema(headings), body) as Record<string, number | null>;
      const saved = await setDivisionAmounts(db, request.actor, {
        id: row.id,
        version: requiredVersion(body),
        amounts: Object.fromEntries(
          headings.map((heading) => [heading.key, parsed[`amount-${heading.key}`] ?? null]),
        ),
      });
      return redirectWithBanner(
        reply,
        `${structureHref(yearCode)}#division-${row.id}`,
        `The approved budget of ${saved.name} was saved.`,
      );
    } catch (error) {
      return renderAmounts(reply, yearCode, row.id, body, failed(error));
    }
  });
}
