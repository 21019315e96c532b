import type { FastifyPluginAsync, FastifyReply } from "fastify";
import { z } from "zod";
import { type FieldError, NotFound, ValidationFailed } from "../../errors.ts";
import { drawCharts } from "../../reports/render-html.ts";
import { redirectWithBanner } from "../../web/banner.ts";
import { parseForm, versionField } from "../../web/forms.ts";
import type { BaseplanModule, RoutesOptions } from "../../web/modules.ts";
import { idParam } from "../../web/params.ts";
import { FORMATS, isReportFormat, type ReportFormat } from "../reports/reports.service.ts";
import {
  changePublicPagesSetting,
  publicMeasure,
  publicMeasureFigures,
  publicOrganisation,
  publicPagesSetting,
  publishedReport,
  publishedReportFile,
  publishedReports,
} from "./public.service.ts";

/**
 * The pages anyone can read without signing in, all under /public (the role rule in
 * src/domain/roles.ts lets nobody-signed-in read them and nothing else), with a layout of their
 * own: the published quarterly reports and their files, and the measures the council marks
 * public. And the staff page where an administrator chooses whether officers' names are shown.
 */

type Params = Record<string, string | undefined>;

const DOWNLOADS: Exclude<ReportFormat, "html">[] = ["docx", "xlsx", "pdf"];

const settingForm = z.object({
  version: versionField(0),
  showOfficerNames: z.enum(["yes", "no"], {
    error: "Select whether officers' names are shown on the public pages",
  }),
});

const routes: FastifyPluginAsync<RoutesOptions> = async (app, { services }) => {
  const { db, chromium } = services;

  /** Every public page's shared parts: whom it is about and the public navigation. */
  async function publicView(reply: FastifyReply, template: string, context: Record<string, unknown>) {
    const path = (reply.request.url.split("?")[0] ?? "/").replace(/\/$/, "");
    const navigation = [
      { href: "/public", text: "Published reports" },
      { href: "/public/measures", text: "Measures" },
    ].map((item) => ({
      ...item,
      active:
        item.href === "/public"
          ? path === "/public" || path.startsWith("/public/reports")
          : path.startsWith(item.href),
    }));
    return reply.view(template, {
      organisation: await publicOrganisation(db),
      publicNavigation: navigation,
      ...context,
    });
  }

  function downloads(href: string, stem: string) {
    const pdfReady = chromium.lookup().found;
    return DOWNLOADS.map((format) => ({
      href: `${href}.${format}`,
      label: FORMATS[format].label,
      file: `${stem}.${FORMATS[format].extension}`,
      unavailable: format === "pdf" && !pdfReady ? "not available on this server" : null,
    }));
  }

  app.get("/public", async (_request, reply) => {
    const { showOfficerNames } = await publicPagesSetting(db);
    const reports = (await publishedReports(db, showOfficerNames)).map((report) => ({
      ...report,
      downloads: downloads(report.href, report.fileStem),
    }));
    return publicView(reply, "public/views/index.njk", { pageTitle: "Published reports", reports });
  });

  app.get("/public/reports/quarterly/:year/:quarter", async (request, reply) => {
    const params = request.params as Params;
    const [slug = "", format = null, extra] = (params.quarter ?? "").split(".");
    const quarter = /^q([1-4])$/.exec(slug)?.[1];
    if (!quarter || extra !== undefined)
      throw new NotFound(`Quarter ${params.year ?? ""} ${params.quarter ?? ""}`);
    const year = params.year ?? "";
    if (format !== null) {
      if (!isReportFormat(format) || format === "html") throw new NotFound(`Format ${format}`);
      const file = await publishedReportFile(db, year, Number(quarter), format, chromium);
      const { contentType, extension } = FORMATS[format];
      const stem = (await publishedReports(db, false)).find((report) =>
        report.href.endsWith(`/${year}/q${quarter}`),
      )?.fileStem;
      return reply
        .header("content-type", contentType)
        .header("content-disposition", `attachment; filename="${stem ?? "report"}.${extension}"`)
        .send(file);
    }
    const report = await publishedReport(db, year, Number(quarter));
    const { showOfficerNames } = await publicPagesSetting(db);
    const entry = (await publishedReports(db, showOfficerNames)).find((candidate) =>
      candidate.href.endsWith(`/${year}/q${quarter}`),
    );
    if (!entry) throw new NotFound(`A published report for ${year} quarter ${quarter}`);
    return publicView(reply, "public/views/report.njk", {
      pageTitle: report.title,
      report: drawCharts(report),
      entry,
      downloads: downloads(entry.href, entry.fileStem),
    });
  });

  app.get("/public/measures", async (_request, reply) => {
    const { showOfficerNames } = await publicPagesSetting(db);
    const measures = await publicMeasureFigures(db, showOfficerNames);
    return publicView(reply, "public/views/measures.njk", { pageTitle: "Measures", measures });
  });

  app.get("/public/measures/:id", async (request, reply) => {
    const id = idParam((request.params as Params).id, "Public measure");
    const { showOfficerNames } = await publicPagesSetting(db);
    const measure = await publicMeasure(db, id, showOfficerNames);
    return publicView(reply, "public/views/measure.njk", { pageTitle: measure.title, measure });
  });

  // -------------------------------------------------------------------------------------------
  // The council's choice: whether officers' names are shown (administrators change it)

  async function renderSetting(
    reply: FastifyReply,
    values: Record<string, unknown> | null,
    errors: FieldError[] = [],
  ) {
    const setting = await publicPagesSetting(db);
    return reply.code(errors.length > 0 ? 400 : 200).view("public/views/settings.njk", {
      pageTitle: "Public pages",
      setting,
      values: values ?? {
        showOfficerNames: setting.showOfficerNames ? "yes" : "no",
        version: String(setting.version),
      },
      errors,
    });
  }

  app.get("/settings/public-pages", async (_request, reply) => renderSetting(reply, null));

  app.post("/settings/public-pages", async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const values = {
      showOfficerNames: typeof body.showOfficerNames === "string" ? body.showOfficerNames : "",
      version: typeof body.version === "string" ? body.version : "",
    };
    const form = parseForm(settingForm, body);
    if (!form.ok) {
      // A form without its version has no field of its own: the message goes beside the choice.
      const errors = form.errors.map((error) =>
        error.field === "version" ? { ...error, field: "showOfficerNames" } : error,
      );
      return renderSetting(reply, values, errors);
    }
    try {
      await changePublicPagesSetting(db, request.actor, {
        showOfficerNames: form.value.showOfficerNames === "yes",
        version: form.value.version,
      });
    } catch (error) {
      if (error instanceof ValidationFailed) return renderSetting(reply, values, error.errors);
      throw error;
    }
    return redirectWithBanner(reply, "/settings/public-pages", "The public pages setting was saved.");
  });
};

export const publicModule: BaseplanModule = {
  name: "public",
  routes,
};
