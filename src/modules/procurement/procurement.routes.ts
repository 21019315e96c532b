import type { FastifyPluginAsync, FastifyRequest } from "fastify";
import type { FieldError } from "../../errors.ts";
import { NotFound } from "../../errors.ts";
import { redirectWithBanner } from "../../web/banner.ts";
import { missingVersion, parseForm, versionOf } from "../../web/forms.ts";
import type { BaseplanModule, RoutesOptions } from "../../web/modules.ts";
import { recordHistory } from "../audit/audit.service.ts";
import { forwardPlanCsv, transparencyCsv } from "./procurement.exports.ts";
import { pipelineRoutes } from "./procurement.pipeline.routes.ts";
import {
  CATEGORIES,
  CATEGORY_NAMES,
  DATE_PARTS,
  type DateParts,
  datePartsOf,
  type ForwardPlanQuery,
  forwardPlanQuerySchema,
  gatherDateParts,
  PROCUREMENT_DATE_FIELDS,
  parseDateText,
  procurementFormSchema,
  readDateParts,
  STATUS_NAMES,
  STATUSES,
} from "./procurement.schemas.ts";
import {
  createProcurement,
  financialYearName,
  forwardPlan,
  getProcurement,
  updateProcurement,
} from "./procurement.service.ts";
import { thresholdRoutes } from "./procurement.thresholds.routes.ts";
import { formErrors, sendCsv, VIEWS } from "./procurement.web.ts";

const DATE_WHAT: Record<(typeof PROCUREMENT_DATE_FIELDS)[number], string> = {
  estimatedStartDate: "estimated start date",
  expectedCommencementDate: "expected commencement date",
};

/**
 * The GOV.UK date inputs of the add and edit form: the boxes with what was typed (or the saved
 * date), the error beside the date, and the boxes in error highlighted.
 */
function dateInputs(values: Record<string, unknown>, errors: FieldError[] = []) {
  const inputs: Record<string, { items: object[]; errorMessage?: { text: string } }> = {};
  for (const name of PROCUREMENT_DATE_FIELDS) {
    const value = values[name];
    const parts: DateParts =
      typeof value === "object" && value !== null
        ? (value as DateParts)
        : datePartsOf(typeof value === "string" ? parseDateText(value) : null);
    const error = errors.find(
      (candidate) => candidate.field === name || candidate.field.startsWith(`${name}-`),
    );
    const reading = error ? readDateParts(parts, DATE_WHAT[name], name === "estimatedStartDate") : null;
    const inError = new Set(reading && !reading.ok ? reading.parts : error ? DATE_PARTS : []);
    inputs[name] = {
      items: DATE_PARTS.map((part) => ({
        name: part,
        value: parts[part] ?? "",
        classes: `govuk-input--width-${part === "year" ? 4 : 2}${inError.has(part) ? " govuk-input--error" : ""}`,
      })),
      ...(error ? { errorMessage: { text: error.message } } : {}),
    };
  }
  return inputs;
}

/** A procurement's id as Baseplan makes them ("pp-82425789", "cs-fp-2021-t1-01"). */
const PROCUREMENT_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;

/** The id in the address, or a 404: a NUL byte or anything else no id holds never reaches the database. */
function procurementId(request: FastifyRequest): string {
  const id = (request.params as { id?: string }).id ?? "";
  if (!PROCUREMENT_ID.test(id)) throw new NotFound("The procurement");
  return id;
}

/** The choices of the add and edit form, in the shape GOV.UK macros take. */
const formChoices = {
  categories: CATEGORIES.map((value) => ({ value, text: CATEGORY_NAMES[value] })),
  statuses: STATUSES.map((value) => ({ value, text: STATUS_NAMES[value] })),
};

const SORTABLE = [
  ["title", "Contract title"],
  ["value", "Estimated value"],
  ["start", "Estimated start date"],
  ["status", "Status"],
] as const;

/** Column headings as GET links that keep the filters, so sorting works without JavaScript. */
function sortLinks(query: ForwardPlanQuery) {
  return Object.fromEntries(
    SORTABLE.map(([sort, label]) => {
      const current = query.sort === sort ? (query.order ?? "asc") : null;
      const params = new URLSearchParams();
      if (query.band) params.set("band", query.band);
      if (query.year) params.set("year", String(query.year));
      if (query.status) params.set("status", query.status);
      params.set("sort", sort);
      params.set("order", current === "asc" ? "desc" : "asc");
      return [
        sort,
        {
          label,
          href: `/procurement?${params.toString()}`,
          ariaSort: current === null ? "none" : current === "asc" ? "ascending" : "descending",
        },
      ];
    }),
  );
}

const routes: FastifyPluginAsync<RoutesOptions> = async (app, { services }) => {
  const { db } = services;

  app.get("/procurement", async (request, reply) => {
    const query = forwardPlanQuerySchema.parse(request.query ?? {});
    const plan = await forwardPlan(db, query);
    return reply.view(`${VIEWS}/forward-plan.njk`, {
      pageTitle: "Procurement forward plan",
      plan,
      query,
      filterItems: {
        band: [
          { value: "", text: "All bands" },
          { value: "floor-to-threshold", text: "Below the threshold" },
          { value: "above-threshold", text: "At or above the threshold" },
          { value: "below-floor", text: "Below the reporting floor" },
        ].map((item) => ({ ...item, selected: item.value === (query.band ?? "") })),
        year: [
          { value: "", text: "All years", selected: query.year === undefined },
          ...plan.years.map((year) => ({
            value: String(year),
            text: financialYearName(year),
            selected: year === query.year,
          })),
        ],
        status: [
          { value: "", text: "All statuses", selected: query.status === undefined },
          ...formChoices.statuses.map((item) => ({ ...item, selected: item.value === query.status })),
        ],
      },
      sortLinks: sortLinks(query),
    });
  });

  app.get("/procurement/forward-plan.csv", async (_request, reply) =>
    sendCsv(reply, "procurement-forward-plan.csv", await forwardPlanCsv(db)),
  );

  app.get("/procurement/invitations-to-tender.csv", async (_request, reply) =>
    sendCsv(reply, "procurement-invitations-to-tender.csv", await transparencyCsv(db)),
  );

  app.get("/procurement/new", async (_request, reply) =>
    reply.view(`${VIEWS}/edit.njk`, {
      pageTitle: "Add a planned procurement",
      values: { status: "planned", department: "" },
      dates: dateInputs({}),
      ...formChoices,
    }),
  );

  app.post("/procurement/new", async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, string>;
    const render = (errors: FieldError[]) =>
      reply.code(400).view(`${VIEWS}/edit.njk`, {
        pageTitle: "Add a planned procurement",
        values: body,
        dates: dateInputs(gatherDateParts(body, PROCUREMENT_DATE_FIELDS) as Record<string, unknown>, errors),
        errors,
        ...formChoices,
      });
    const parsed = parseForm(procurementFormSchema, body);
    if (!parsed.ok) return render(parsed.errors);
    try {
      const row = await createProcurement(db, request.actor, parsed.value);
      return redirectWithBanner(
        reply,
        `/procurement/${encodeURIComponent(row.id)}`,
        "The procurement was added.",
      );
    } catch (error) {
      const errors = formErrors(error);
      if (errors) return render(errors);
      throw error;
    }
  });

  thresholdRoutes(app, services);
  pipelineRoutes(app, services);

  app.get("/procurement/:id", async (request, reply) => {
    const id = procurementId(request);
    const entry = await getProcurement(db, id);
    return reply.view(`${VIEWS}/procurement.njk`, {
      pageTitle: entry.title,
      entry,
      categoryName: CATEGORY_NAMES[entry.record.category as keyof typeof CATEGORY_NAMES],
      statusName: STATUS_NAMES[entry.record.status as keyof typeof STATUS_NAMES],
      financialYear: financialYearName(entry.financialYearStart),
      recordChanges: await recordHistory(db, "planned-procurement", id),
    });
  });

  app.get("/procurement/:id/edit", async (request, reply) => {
    const id = procurementId(request);
    const entry = await getProcurement(db, id);
    const row = entry.record;
    return reply.view(`${VIEWS}/edit.njk`, {
      pageTitle: `Change ${row.title}`,
      entry,
      values: {
        ...row,
        estimatedValue: row.estimatedValueText,
        expectedCommencementDate: row.expectedCommencementDate ?? "",
      },
      dates: dateInputs({
        estimatedStartDate: datePartsOf(row.estimatedStartDate),
        expectedCommencementDate: datePartsOf(row.expectedCommencementDate),
      }),
      ...formChoices,
    });
  });

  app.post("/procurement/:id/edit", async (request, reply) => {
    const id = procurementId(request);
    const body = (request.body ?? {}) as Record<string, string>;
    const version = versionOf(body);
    const render = async (errors: FieldError[]) => {
      const entry = await getProcurement(db, id);
      return reply.code(400).view(`${VIEWS}/edit.njk`, {
        pageTitle: `Change ${entry.title}`,
        entry,
        values: { ...body, version: body.version },
        dates: dateInputs(gatherDateParts(body, PROCUREMENT_DATE_FIELDS) as Record<string, unknown>, errors),
        errors,
        ...formChoices,
      });
    };
    const parsed = parseForm(procurementFormSchema, body);
    if (!parsed.ok) return render(parsed.errors);
    if (version === null) return render([missingVersion("title")]);
    try {
      await updateProcurement(db, request.actor, id, version, parsed.value);
    } catch (error) {
      const errors = formErrors(error);
      if (errors) return render(errors);
      throw error;
    }
    return redirectWithBanner(reply, `/procurement/${encodeURIComponent(id)}`, "The procurement was saved.");
  });
};

export const procurementModule: BaseplanModule = {
  name: "procurement",
  navigation: [{ href: "/procurement", text: "Procurement" }],
  routes,
};
