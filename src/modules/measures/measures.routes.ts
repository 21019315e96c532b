import type { FastifyPluginAsync, FastifyReply } from "fastify";
import type { z } from "zod";
import { chartSvg } from "../../charts/charts.ts";
import { MEASURE_UNIT_WORDS, POLARITY_WORDS } from "../../domain/measure-types.ts";
import { isOutcome, sameLevelAs, schemeKey } from "../../domain/rating-schemes.ts";
import { isOffTarget, RATINGS } from "../../domain/ratings.ts";
import { type FieldError, NotFound, ValidationFailed } from "../../errors.ts";
import { redirectWithBanner } from "../../web/banner.ts";
import { missingVersion, parseForm, versionOf } from "../../web/forms.ts";
import { uploadedFile } from "../../web/middleware/uploads.ts";
import type { BaseplanModule, RoutesOptions } from "../../web/modules.ts";
import { idParam } from "../../web/params.ts";
import { recordHistory } from "../audit/audit.service.ts";
import { comparisonView } from "../benchmarks/benchmarks.comparison.ts";
import { comparisonForMeasure } from "../benchmarks/benchmarks.service.ts";
import { measureTrend } from "./measures.chart.ts";
import { measureEditRoutes } from "./measures.edit.routes.ts";
import { periodValueRoutes } from "./measures.period-values.routes.ts";
import {
  importSchema,
  listFilterSchema,
  MAX_PASTED_TABLE_LENGTH,
  measureDetailsSchema,
  POLARITY_CHOICES,
  targetEditSchema,
  UNIT_CHOICES,
  uploadSchema,
  valueEditSchema,
} from "./measures.schemas.ts";
import { ratingSchemeRoutes } from "./measures.scheme.routes.ts";
import { ratingScheme } from "./measures.scheme.ts";
import {
  editMeasureDetails,
  editTarget,
  editValue,
  filterListings,
  type ImportInput,
  type ListFilters,
  listMeasureGroups,
  type MeasurePage,
  measurePage,
  previewImport,
  printedDisagreementCount,
  ratedRowCount,
  ratingCounts,
  saveImport,
} from "./measures.service.ts";
import { MEASURES_TEMPLATE_CSV, readUploadedTable } from "./measures.upload.ts";

function trendOf(page: MeasurePage) {
  const trend = measureTrend(
    "trend",
    page.measure.title,
    page.values.flatMap((value) =>
      value.amount === null || value.columnRole === "rating"
        ? []
        : [
            {
              periodKey: value.periodKey,
              amount: Number(value.amount),
              cellText: value.cellText,
              ownPeriod: value.ownPeriod,
              ownPeriodSpan: value.ownPeriodSpan,
            },
          ],
    ),
  );
  return { trend: trend === null ? null : { ...trend, svg: chartSvg(trend, 1.5) } };
}

/** The measure beside every English council, where it is linked to one of the Department's measures. */
async function benchmarkOf(db: RoutesOptions["services"]["db"], id: number) {
  const found = await comparisonForMeasure(db, id);
  return {
    benchmarkComparison: found === null ? null : comparisonView(found.comparison, found.latest),
  };
}

async function renderMeasure(reply: FastifyReply, services: RoutesOptions["services"], id: number) {
  const [page, periods, evidences] = await Promise.all([
    measurePage(services.db, id),
    services.listPeriods(services.db),
    services.planLinks.evidenceOf(services.db, id),
  ]);
  return reply.view("measures/views/measure.njk", {
    pageTitle: page.measure.title,
    ...page,
    evidences,
    // The choice without its example: "Percentage", not "Percentage (87.2%)".
    unitText: page.measure.unit === null ? undefined : MEASURE_UNIT_WORDS[page.measure.unit].name,
    polarityText: page.measure.polarity === null ? undefined : POLARITY_WORDS[page.measure.polarity],
    ...trendOf(page),
    openPeriods: periods.filter((state) => state.status === "open"),
    ...(await benchmarkOf(services.db, id)),
    recordChanges: await recordHistory(services.db, "measure", id),
  });
}

const routes: FastifyPluginAsync<RoutesOptions> = async (app, { services }) => {
  app.get("/measures", async (request, reply) => {
    const parsed = listFilterSchema.safeParse(request.query ?? {});
    const allListings = await listMeasureGroups(services.db);
    const groups = allListings.map((listing) => listing.group);
    // A filter that names no rating or group (an edited or old address) says so, rather than
    // quietly showing every measure as if it had been applied.
    const errors: FieldError[] = parsed.success
      ? []
      : parsed.error.issues.map((issue) => ({
          field: String(issue.path[0] ?? "q"),
          message: issue.path[0] === "q" ? issue.message : "This filter could not be read: choose again",
        }));
    const asked = parsed.success
      ? parsed.data
      : { rating: [], group: undefined, q: undefined, printed: undefined };
    for (const key of asked.rating) {
      if (!RATINGS.some((rating) => rating.key === key)) {
        errors.push({
          field: "rating",
          message: `There is no rating called "${key}": choose one from the list`,
        });
      }
    }
    const group = asked.group ?? "";
    if (group !== "" && !groups.some((known) => String(known.id) === group)) {
      errors.push({
        field: "group",
        message: `There is no group numbered "${group}": choose one from the list`,
      });
    }
    // A level of the council's key may stand for more than one outcome of the rule (Green for
    // met, and for met and improved): asking for one asks for the level.
    const scheme = await ratingScheme(services.db);
    const key = schemeKey(scheme);
    const askedLevels = [
      ...new Set(asked.rating.flatMap((one) => (isOutcome(one) ? sameLevelAs(scheme, one) : []))),
    ];
    const filters: ListFilters =
      errors.length > 0
        ? {}
        : {
            ratings: askedLevels,
            group: group || undefined,
            search: asked.q || undefined,
            printed: asked.printed,
          };
    const listings = filterListings(allListings, filters);
    // Rows whose council's printed rating for the period shown disagrees with Baseplan's (same key),
    // among those the group and search leave, with the address that shows only them.
    const differing = printedDisagreementCount(allListings, filters);
    const differingHref = `/measures?${new URLSearchParams([
      ["printed", "differs"],
      ...(filters.group ? [["group", filters.group]] : []),
      ...(filters.search ? [["q", filters.search]] : []),
    ]).toString()}`;
    const counts = ratingCounts(allListings, filters);
    const offTargetRatings = key.filter((level) => isOffTarget(level.colour));
    return reply.code(errors.length > 0 ? 400 : 200).view("measures/views/list.njk", {
      pageTitle: "Key performance measures",
      listings,
      differing,
      differingHref,
      groups,
      ratings: key.map((level) => ({
        key: level.outcomes[0],
        label: level.label,
        checked: level.outcomes.some((outcome) => filters.ratings?.includes(outcome)),
        count: level.outcomes.reduce((sum, outcome) => sum + (counts.byRating.get(outcome) ?? 0), 0),
      })),
      offTarget: {
        count: counts.offTarget,
        words: offTargetRatings.map((meta) => meta.label).join(" or "),
        href: `/measures?${new URLSearchParams([
          ...offTargetRatings.map((level) => ["rating", level.outcomes[0] as string]),
          ...(filters.group ? [["group", filters.group]] : []),
          ...(filters.search ? [["q", filters.search]] : []),
        ]).toString()}`,
      },
      shown: ratedRowCount(listings),
      total: ratedRowCount(allListings),
      filters: {
        ratings: filters.ratings ?? [],
        group: filters.group ?? "",
        q: filters.search ?? "",
        printed: filters.printed ?? "",
      },
      errors,
    });
  });

  app.get("/measures/import", async (_request, reply) =>
    reply.view("measures/views/import.njk", {
      pageTitle: "Paste a measure table",
      form: { groupKind: "priority" },
    }),
  );

  app.get("/measures/upload", async (_request, reply) =>
    reply.view("measures/views/upload.njk", {
      pageTitle: "Upload a measure table",
      form: { groupKind: "report" },
    }),
  );

  app.get("/measures/template.csv", async (_request, reply) =>
    reply
      .type("text/csv; charset=utf-8")
      .header("content-disposition", 'attachment; filename="measures-template.csv"')
      .send(MEASURES_TEMPLATE_CSV),
  );

  // A dry run: the file is read into the same table a paste gives and shown as the paste preview,
  // whose "Save all rows" saves it, all or nothing.
  app.post("/measures/upload", async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const { file: _file, ...fields } = body;
    const form = parseForm(uploadSchema, fields);
    const file = uploadedFile(body.file);
    const errors = form.ok ? [] : [...form.errors];
    if (file === null) errors.push({ field: "file", message: "Choose an .xlsx or .csv file to upload" });
    const reading = file === null ? null : await readUploadedTable(file.filename, file.bytes);
    if (reading !== null && !reading.ok) errors.push({ field: "file", message: reading.message });
    if (!form.ok || reading === null || !reading.ok || errors.length > 0) {
      return reply.code(400).view("measures/views/upload.njk", {
        pageTitle: "Upload a measure table",
        form: fields,
        errors,
      });
    }
    const input: ImportInput = {
      text: reading.text,
      document: form.value.document,
      groupKind: form.value.groupKind,
      groupTitle: form.value.groupTitle,
      reportingPeriod: form.value.reportingPeriod,
      periodStates: services.listPeriods,
      planLinks: services.planLinks,
    };
    const preview = await previewImport(services.db, input);
    const problems = preview.problems.map((problem) => ({
      ...problem,
      field: problem.field === "reportingPeriod" ? "reportingPeriod" : "table",
    }));
    return reply.code(problems.length > 0 ? 400 : 200).view("measures/views/import.njk", {
      pageTitle: "Paste a measure table",
      form: { ...fields, table: reading.text },
      preview,
      fileNotes: [`Read ${reading.rows} rows from "${file?.filename}".`, ...reading.notes],
      errors: problems,
    });
  });

  app.post("/measures/import", async (request, reply) => {
    const form = parseForm(importSchema, request.body, { longFields: { table: MAX_PASTED_TABLE_LENGTH } });
    const body = (request.body ?? {}) as Record<string, unknown>;
    if (!form.ok) {
      return reply.code(400).view("measures/views/import.njk", {
        pageTitle: "Paste a measure table",
        form: body,
        errors: form.errors,
      });
    }
    const input: ImportInput = {
      text: form.value.table,
      document: form.value.document,
      groupKind: form.value.groupKind,
      groupTitle: form.value.groupTitle,
      reportingPeriod: form.value.reportingPeriod,
      periodStates: services.listPeriods,
      planLinks: services.planLinks,
    };
    const preview = await previewImport(services.db, input);
    const problems = preview.problems.map((problem) => ({
      ...problem,
      field: problem.field === "reportingPeriod" ? "reportingPeriod" : "table",
    }));
    if (form.value.action === "save" && problems.length === 0) {
      try {
        await saveImport(services.db, request.actor, input);
      } catch (error) {
        if (!(error instanceof ValidationFailed)) throw error;
        return reply.code(400).view("measures/views/import.njk", {
          pageTitle: "Paste a measure table",
          form: body,
          preview,
          errors: error.errors,
        });
      }
      return redirectWithBanner(reply, "/measures", "The measure table was imported.");
    }
    return reply.code(problems.length > 0 ? 400 : 200).view("measures/views/import.njk", {
      pageTitle: "Paste a measure table",
      form: body,
      preview,
      errors: problems,
    });
  });

  app.get<{ Params: { id: string } }>("/measures/:id", async (request, reply) =>
    renderMeasure(reply, services, idParam(request.params.id, "Measure")),
  );

  function detailsForm(
    reply: FastifyReply,
    measure: MeasurePage["measure"],
    entered: unknown,
    errors?: unknown,
  ) {
    return reply.view("measures/views/details.njk", {
      pageTitle: `Change the measure's details: ${measure.title}`,
      measure,
      entered,
      units: UNIT_CHOICES,
      polarities: POLARITY_CHOICES,
      ...(errors ? { errors } : {}),
    });
  }

  app.get<{ Params: { id: string } }>("/measures/:id/edit", async (request, reply) => {
    const { measure } = await measurePage(services.db, idParam(request.params.id, "Measure"));
    return detailsForm(reply, measure, {
      ...measure,
      decimals: measure.decimals === null ? "" : String(measure.decimals),
    });
  });

  app.post<{ Params: { id: string } }>("/measures/:id/details", async (request, reply) => {
    const measureId = idParam(request.params.id, "Measure");
    const body = (request.body ?? {}) as Record<string, unknown>;
    const form = parseForm(measureDetailsSchema, body);
    const version = versionOf(body);
    if (!form.ok || version === null) {
      const errors = form.ok ? [] : [...form.errors];
      if (version === null) {
        errors.push(missingVersion("title"));
      }
      const { measure } = await measurePage(services.db, measureId);
      return detailsForm(reply.code(400), measure, body, errors);
    }
    await editMeasureDetails(services.db, request.actor, {
      measureId,
      version,
      details: form.value,
    });
    return redirectWithBanner(reply, `/measures/${measureId}`, "The measure's details were saved.");
  });

  for (const kind of ["values", "targets"] as const) {
    const field = kind === "values" ? "cellText" : "targetText";
    // Both forms have one text field; reading it by name keeps one handler for values and targets.
    const schema = (kind === "values" ? valueEditSchema : targetEditSchema) as z.ZodType<
      Record<string, string>
    >;

    async function editForm(
      reply: FastifyReply,
      measureId: number,
      recordId: number,
      extra: Record<string, unknown>,
    ) {
      const page = await measurePage(services.db, measureId);
      const record =
        kind === "values"
          ? page.values.find((value) => value.id === recordId)
          : page.targets.find((verdict) => verdict.target.id === recordId)?.target;
      if (!record) throw new NotFound(kind === "values" ? "Value" : "Target");
      const current = "cellText" in record ? record.cellText : record.targetText;
      return reply.view("measures/views/edit.njk", {
        pageTitle: `Change ${kind === "values" ? "a value" : "a target"}: ${page.measure.title}`,
        kind,
        field,
        measure: page.measure,
        record,
        entered: current,
        ...extra,
      });
    }

    app.get<{ Params: { id: string; recordId: string } }>(
      `/measures/:id/${kind}/:recordId/edit`,
      async (request, reply) =>
        editForm(
          reply,
          idParam(request.params.id, "Measure"),
          idParam(request.params.recordId, "Record"),
          {},
        ),
    );

    app.post<{ Params: { id: string; recordId: string } }>(
      `/measures/:id/${kind}/:recordId`,
      async (request, reply) => {
        const measureId = idParam(request.params.id, "Measure");
        const recordId = idParam(request.params.recordId, "Record");
        const body = (request.body ?? {}) as Record<string, unknown>;
        const form = parseForm(schema, body);
        const version = versionOf(body);
        if (!form.ok || version === null) {
          const errors = form.ok ? [] : [...form.errors];
          if (version === null) errors.push(missingVersion(field));
          reply.code(400);
          return editForm(reply, measureId, recordId, { errors, entered: body[field] ?? "" });
        }
        const text = form.value[field] ?? "";
        const edit = { measureId, recordId, version, text };
        if (kind === "values") await editValue(services.db, request.actor, edit);
        else await editTarget(services.db, request.actor, edit);
        return redirectWithBanner(
          reply,
          `/measures/${measureId}`,
          kind === "values" ? "The value was saved." : "The target was saved.",
        );
      },
    );
  }
};

export const measuresModule: BaseplanModule = {
  name: "measures",
  navigation: [{ href: "/measures", text: "Measures" }],
  routes: async (app, options) => {
    // The editing pages first: their fixed addresses (/measures/new) sit beside /measures/:id.
    await measureEditRoutes(app, options);
    await routes(app, options);
    await periodValueRoutes(app, options);
    await ratingSchemeRoutes(app, options);
  },
};
