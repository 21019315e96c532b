import type { FastifyPluginAsync, FastifyReply } from "fastify";
import { type FieldError, ValidationFailed } from "../../errors.ts";
import { redirectWithBanner } from "../../web/banner.ts";
import { parseForm } from "../../web/forms.ts";
import { uploadedFile } from "../../web/middleware/uploads.ts";
import type { BaseplanModule, RoutesOptions } from "../../web/modules.ts";
import { idParam } from "../../web/params.ts";
import { comparisonView, segment } from "./benchmarks.comparison.ts";
import {
  importFormSchema,
  linkFormSchema,
  searchQuerySchema,
  settingsFormSchema,
  tableQuerySchema,
} from "./benchmarks.schemas.ts";
import {
  benchmarkSettings,
  councilComparison,
  DIRECTIONS_SOURCE,
  findMeasure,
  findMeasures,
  importBenchmarks,
  linkPage,
  ourCouncil,
  POLARITY_WORDS,
  periodsOf,
  periodTableCsv,
  periodTableFor,
  REPORTING_YEARS,
  saveBenchmarkSettings,
  setMeasureLink,
  sourceWords,
} from "./benchmarks.service.ts";

const VIEWS = "benchmarks/views";

function sendCsv(reply: FastifyReply, filename: string, body: string) {
  return reply
    .type("text/csv; charset=utf-8")
    .header("content-disposition", `attachment; filename="${filename.replace(/[^A-Za-z0-9._-]+/g, "-")}"`)
    .send(body);
}

const SORTABLE = [
  ["name", "Council"],
  ["region", "Region"],
  ["value", "Value"],
  ["rank", "Rank"],
] as const;

function sortLinks(base: string, sort: string, order: string) {
  return Object.fromEntries(
    SORTABLE.map(([key, label]) => {
      const current = sort === key ? order : null;
      const next = current === "asc" ? "desc" : "asc";
      return [
        key,
        {
          label,
          href: `${base}?sort=${key}&order=${next}`,
          ariaSort: current === null ? "none" : current === "asc" ? "ascending" : "descending",
        },
      ];
    }),
  );
}

const routes: FastifyPluginAsync<RoutesOptions> = async (app, { services }) => {
  const { db } = services;

  async function renderLinkPage(
    reply: FastifyReply,
    measureId: number,
    search: string,
    extra: { code?: number; errors?: FieldError[]; chosen?: string } = {},
  ) {
    const page = await linkPage(db, measureId, search);
    return reply.code(extra.code ?? 200).view(`${VIEWS}/link.njk`, {
      pageTitle: `Compare "${page.title}" with other councils`,
      page,
      q: search,
      chosen: extra.chosen ?? page.linked?.code ?? "",
      errors: extra.errors ?? [],
    });
  }

  // A council's own measure and the Department's measure it is compared with.
  app.get("/measures/:id/benchmark", async (request, reply) => {
    const id = idParam((request.params as { id?: string }).id, "This measure");
    const parsed = parseForm(searchQuerySchema, request.query);
    return renderLinkPage(reply, id, parsed.ok ? parsed.value.q : "", {
      ...(parsed.ok ? {} : { code: 400, errors: parsed.errors }),
    });
  });

  app.post("/measures/:id/benchmark", async (request, reply) => {
    const id = idParam((request.params as { id?: string }).id, "This measure");
    const parsed = parseForm(linkFormSchema, request.body);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const search = typeof body.q === "string" ? body.q.slice(0, 200) : "";
    const chosen = typeof body.code === "string" ? body.code : "";
    try {
      if (!parsed.ok) throw new ValidationFailed(parsed.errors);
      const { action, code, version } = parsed.value;
      await setMeasureLink(db, request.actor, id, {
        code: action === "remove" ? null : code,
        version: Number(version),
      });
      return redirectWithBanner(
        reply,
        `/measures/${id}#other-councils`,
        action === "remove"
          ? "The link to the Department's measure was removed."
          : `Linked to the Department's measure ${code}.`,
      );
    } catch (error) {
      if (!(error instanceof ValidationFailed)) throw error;
      return renderLinkPage(reply, id, search, { code: 400, errors: error.errors, chosen });
    }
  });

  app.get("/benchmarks", async (request, reply) => {
    const parsed = parseForm(searchQuerySchema, request.query);
    const q = parsed.ok ? parsed.value.q : "";
    const [measures, ours] = await Promise.all([findMeasures(db, q), ourCouncil(db)]);
    return reply.code(parsed.ok ? 200 : 400).view(`${VIEWS}/list.njk`, {
      pageTitle: "Benchmarks",
      q,
      measures: measures.map((m) => ({ ...m, href: `/benchmarks/${segment(m.code)}` })),
      ours,
      errors: parsed.ok ? [] : parsed.errors,
    });
  });

  app.get("/benchmarks/import", async (_request, reply) =>
    reply.view(`${VIEWS}/import.njk`, {
      pageTitle: "Import the Department's benchmarking files",
      mode: "check",
      reportingYears: REPORTING_YEARS,
      reportingYear: "",
      directions: "",
    }),
  );

  app.post("/benchmarks/import", async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const { file: _file, ...fields } = body;
    const form = parseForm(importFormSchema, fields);
    const file = uploadedFile(body.file);
    const errors: FieldError[] = form.ok ? [] : [...form.errors];
    if (file === null) errors.unshift({ field: "file", message: "Choose a .parquet or .csv file to import" });
    const typed = (name: string): string =>
      typeof fields[name] === "string" ? (fields[name] as string) : "";
    const reportingYear = REPORTING_YEARS.find((choice) => choice.value === typed("reportingYear"))?.value;
    const view = (code: number, extra: Record<string, unknown>) =>
      reply.code(code).view(`${VIEWS}/import.njk`, {
        pageTitle: "Import the Department's benchmarking files",
        mode: typed("mode") === "save" ? "save" : "check",
        reportingYears: REPORTING_YEARS,
        reportingYear: reportingYear ?? "",
        directions: typed("directions"),
        ...extra,
      });
    if (!form.ok || file === null) return view(400, { errors });
    const outcome = await importBenchmarks(db, request.actor, [{ name: file.filename, bytes: file.bytes }], {
      dryRun: form.value.mode === "check",
      directions: form.value.directions,
      ...(reportingYear === undefined ? {} : { reportingYear }),
    });
    if (!outcome.ok) {
      // A direction for an indicator the file does not bring is the directions field's problem.
      const given = outcome.problems.filter((p) => p.file === DIRECTIONS_SOURCE);
      const problems = outcome.problems.filter((p) => p.file !== DIRECTIONS_SOURCE);
      return view(400, {
        errors: [
          ...(problems.length === 0
            ? []
            : [
                {
                  field: "file",
                  message: `${file.filename} has ${problems.length} problem${problems.length === 1 ? "" : "s"}, listed below; nothing was saved`,
                },
              ]),
          ...(given.length === 0
            ? []
            : [{ field: "directions", message: given.map((p) => p.message).join(" ") }]),
        ],
        problems,
      });
    }
    return view(200, { summary: outcome.summary, dryRun: form.value.mode === "check" });
  });

  app.get("/benchmarks/settings", async (_request, reply) => {
    const settings = await benchmarkSettings(db);
    return reply.view(`${VIEWS}/settings.njk`, {
      pageTitle: "Benchmarking settings",
      values: { dfeCode: settings.dfeCode ?? "", tolerance: settings.tolerance },
      version: settings.version,
    });
  });

  app.post("/benchmarks/settings", async (request, reply) => {
    const parsed = parseForm(settingsFormSchema, request.body);
    try {
      if (!parsed.ok) throw new ValidationFailed(parsed.errors);
      await saveBenchmarkSettings(db, request.actor, parsed.value);
      return reply.code(303).redirect("/benchmarks");
    } catch (error) {
      if (!(error instanceof ValidationFailed)) throw error;
      const settings = await benchmarkSettings(db);
      return reply.code(400).view(`${VIEWS}/settings.njk`, {
        pageTitle: "Benchmarking settings",
        values: request.body ?? {},
        version: settings.version,
        errors: error.errors,
      });
    }
  });

  app.get("/benchmarks/:code", async (request, reply) => {
    const { code } = request.params as { code: string };
    const measure = await findMeasure(db, code);
    const [periods, comparison] = await Promise.all([periodsOf(db, code), councilComparison(db, code)]);
    const periodHref = (label: string) => `/benchmarks/${segment(code)}/${segment(label)}`;
    return reply.view(`${VIEWS}/measure.njk`, {
      pageTitle: measure.title,
      measure,
      polarityWords: POLARITY_WORDS[measure.polarity] ?? measure.polarity,
      sourceWords: sourceWords(measure),
      periods: periods.map((p) => ({ ...p, href: periodHref(p.label) })),
      comparison: comparison === null ? null : comparisonView(comparison),
    });
  });

  // "/benchmarks/<code>/<period>" and "/benchmarks/<code>/<period>.csv"; a period label may hold a
  // slash ("2018/19"), so the rest of the path is the period.
  app.get("/benchmarks/:code/*", async (request, reply) => {
    const { code, "*": rest } = request.params as { code: string; "*": string };
    const csv = rest.endsWith(".csv");
    const label = csv ? rest.slice(0, -4) : rest;
    if (csv) {
      const table = await periodTableFor(db, code, label, { key: "name", descending: false });
      return sendCsv(reply, `${code}-${label}.csv`, periodTableCsv(table));
    }
    const parsed = parseForm(tableQuerySchema, request.query);
    const query = parsed.ok ? parsed.value : { sort: "rank" as const, order: "asc" as const };
    const table = await periodTableFor(db, code, label, {
      key: query.sort,
      descending: query.order === "desc",
    });
    const base = `/benchmarks/${segment(code)}/${segment(label)}`;
    return reply.code(parsed.ok ? 200 : 400).view(`${VIEWS}/table.njk`, {
      pageTitle: `${table.measure.title}, ${table.period.description}`,
      table,
      measureHref: `/benchmarks/${segment(code)}`,
      csvHref: `${base}.csv`,
      sortLinks: sortLinks(base, query.sort, query.order),
      errors: parsed.ok ? [] : parsed.errors,
    });
  });
};

export const benchmarksModule: BaseplanModule = {
  name: "benchmarks",
  navigation: [{ href: "/benchmarks", text: "Benchmarks" }],
  routes,
};
