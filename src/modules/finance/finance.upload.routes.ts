import type { FastifyInstance, FastifyReply } from "fastify";
import { z } from "zod";
import { MONEY_UNIT_LABELS } from "../../domain/money-conventions.ts";
import { type FieldError, NotFound, ValidationFailed } from "../../errors.ts";
import { redirectWithBanner } from "../../web/banner.ts";
import { parseForm } from "../../web/forms.ts";
import { uploadedFile } from "../../web/middleware/uploads.ts";
import type { RoutesOptions } from "../../web/modules.ts";
import { readUploadedRows } from "../../web/upload-tables.ts";
import {
  budgetPeriodParam,
  type Params,
  quarterEndMonthOf,
  requireForecastPeriodOpen,
  yearParam,
} from "./finance.pages.ts";
import * as finance from "./finance.service.ts";
import { type ForecastPeriod, forecastPeriodPath, periodView } from "./finance.shared.ts";

/** The most characters of a file's rows carried from the dry run to the save. */
const MAX_CARRIED_TABLE = 1_000_000;

/** The template's headings and its one example row (a made-up line, in £000). */
const TEMPLATE_ROWS = [
  ["Budget line", "Controllable budget £000", "Forecast outturn £000", "Variance £000"],
  ["Example service (replace this row with your own lines)", "1,250.50", "1,190.00", "(60.50)"],
];

const choices = {
  unit: z
    .enum(["pounds", "thousands", "millions"], {
      error: "Choose the unit of the figures whose heading does not say",
    })
    .optional(),
  bracketsMean: z
    .enum(["underspend", "overspend"], {
      error: "Choose whether brackets in the variance column mean an underspend or an overspend",
    })
    .optional(),
};

const uploadSchema = z.object(choices);

const carriedTable = z.object({
  fileName: z.string(),
  rows: z.array(z.array(z.string())),
  rowNumbers: z.array(z.number().int().positive()),
});

const saveSchema = z.object({
  ...choices,
  table: z.string({ error: "The file's rows were not sent back: upload the file again" }),
  expected: z.string().optional(),
  leaveOut: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value])),
  action: z.enum(["check", "save"]).optional(),
});

function csvCell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * Budget monitoring uploaded for a quarter, or for a month in a year monitored monthly ("q3",
 * "m7": decision 0024): the form, the dry run, the save and the templates.
 */
export function budgetUploadRoutes(app: FastifyInstance, services: RoutesOptions["services"]) {
  app.get("/budget/upload-template.csv", async (_request, reply) =>
    reply
      .type("text/csv; charset=utf-8")
      .header("content-disposition", 'attachment; filename="budget-monitoring-template.csv"')
      .send(`${TEMPLATE_ROWS.map((row) => row.map(csvCell).join(",")).join("\r\n")}\r\n`),
  );

  app.get("/budget/upload-template.xlsx", async (_request, reply) => {
    const { default: ExcelJS } = await import("exceljs");
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet("Budget monitoring");
    for (const row of TEMPLATE_ROWS) sheet.addRow(row);
    sheet.getRow(1).font = { bold: true };
    sheet.columns.forEach((column, index) => {
      column.width = index === 0 ? 50 : 26;
    });
    const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
    return reply
      .type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
      .header("content-disposition", 'attachment; filename="budget-monitoring-template.xlsx"')
      .send(bytes);
  });

  async function uploadForm(
    reply: FastifyReply,
    at: { yearCode: string; quarter: number; month: number | null },
    entered: Params = {},
    errors?: FieldError[],
  ) {
    const settings = await finance.moneyConventions(services.db);
    const year = (await finance.listFinancialYears(services.db)).find((entry) => entry.code === at.yearCode);
    const period = periodView(at);
    return reply.code(errors ? 400 : 200).view("finance/views/upload.njk", {
      pageTitle: `Upload budget monitoring for ${year?.label ?? at.yearCode} ${period.words}`,
      year,
      quarter: at.quarter,
      ...period,
      form: {
        unit: entered.unit ?? settings.conventions.defaultUnit,
        bracketsMean: entered.bracketsMean ?? settings.conventions.bracketsMean,
      },
      unitLabels: MONEY_UNIT_LABELS,
      errors,
    });
  }

  /** The year and period an address names: a year not held is not found. */
  async function periodAt(params: Params) {
    const yearCode = yearParam(params.year);
    const at: ForecastPeriod = budgetPeriodParam(params.quarter);
    const year = (await finance.listFinancialYears(services.db)).find((entry) => entry.code === yearCode);
    if (!year) throw new NotFound(`Financial year ${yearCode}`);
    return { year, yearCode, quarter: at.quarter, month: at.month };
  }

  /**
   * The period an address names, refused with its page when not open for entry: a quarter as
   * every quarter's form; a month only while open; a quarter of a year monitored monthly never.
   */
  async function openAt(params: Params) {
    const { year, ...at } = await periodAt(params);
    await requireForecastPeriodOpen(services, year, at);
    return at;
  }

  function previewPage(
    reply: FastifyReply,
    preview: finance.BudgetUploadPreview,
    carried: { fileName: string; table: string; notes: string[] },
    errors: FieldError[],
  ) {
    const expected = Object.fromEntries(
      preview.rows.flatMap((row) => (row.line ? [[String(row.line.id), row.saved?.version ?? 0]] : [])),
    );
    return reply.code(errors.length > 0 ? 400 : 200).view("finance/views/upload-preview.njk", {
      pageTitle: `Check the budget monitoring upload for ${preview.year.label} ${preview.words}`,
      preview,
      fileName: carried.fileName,
      table: carried.table,
      notes: carried.notes,
      expected: JSON.stringify(expected),
      unitLabels: MONEY_UNIT_LABELS,
      errors,
    });
  }

  function problemsOf(preview: finance.BudgetUploadPreview): FieldError[] {
    if (!preview.reading.ok) return [{ field: "table", message: preview.reading.message }];
    return preview.reading.errors.map((problem) => ({ field: "table", message: problem.message }));
  }

  app.get("/budget/:year/:quarter/upload", async (request, reply) => {
    const params = request.params as Params;
    const { year, ...at } = await periodAt(params);
    // A quarter of a year monitored monthly takes its forecasts from its last month: that month's upload.
    const monthForm = await quarterEndMonthOf(services, year, at);
    if (monthForm) return reply.redirect(`/budget/${year.code}/${forecastPeriodPath(monthForm)}/upload`, 303);
    return uploadForm(reply, await openAt(params));
  });

  // The dry run: the file is read and every row shown; nothing is saved.
  app.post("/budget/:year/:quarter/upload", async (request, reply) => {
    const at = await openAt(request.params as Params);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const { file: _file, ...fields } = body;
    const form = parseForm(uploadSchema, fields);
    const file = uploadedFile(body.file);
    const errors: FieldError[] = form.ok ? [] : [...form.errors];
    if (file === null) errors.push({ field: "file", message: "Choose an .xlsx or .csv file to upload" });
    const reading =
      file === null ? null : await readUploadedRows(file.filename, file.bytes, { numbers: "exact" });
    if (reading !== null && !reading.ok) errors.push({ field: "file", message: reading.message });
    if (!form.ok || file === null || reading === null || !reading.ok || errors.length > 0) {
      return uploadForm(reply, at, fields as Params, errors);
    }
    const table = JSON.stringify({
      fileName: file.filename,
      rows: reading.rows,
      rowNumbers: reading.rowNumbers,
    });
    if (table.length > MAX_CARRIED_TABLE) {
      return uploadForm(reply, at, fields as Params, [
        {
          field: "file",
          message: `The table in "${file.filename}" is too large to check in one go. Split it into smaller files.`,
        },
      ]);
    }
    const preview = await finance.previewBudgetUpload(services.db, {
      ...at,
      rows: reading.rows,
      rowNumbers: reading.rowNumbers,
      unit: form.value.unit ?? null,
      bracketsMean: form.value.bracketsMean ?? null,
      leaveOut: [],
    });
    return previewPage(
      reply,
      preview,
      {
        fileName: file.filename,
        table,
        notes: [`Read ${reading.rows.length} rows from "${file.filename}".`, ...reading.notes],
      },
      problemsOf(preview),
    );
  });

  // Check again with rows left out, or save all rows or none.
  app.post("/budget/:year/:quarter/upload/save", async (request, reply) => {
    const at = await openAt(request.params as Params);
    const form = parseForm(saveSchema, request.body, { longFields: { table: MAX_CARRIED_TABLE } });
    const carried = form.ok ? carriedTable.safeParse(safeJson(form.value.table)) : null;
    if (!form.ok || carried === null || !carried.success) {
      return uploadForm(
        reply,
        at,
        {},
        form.ok
          ? [{ field: "file", message: "The file's rows could not be read back: upload the file again" }]
          : form.errors,
      );
    }
    const expectedParsed = z
      .record(z.string(), z.number().int().nonnegative())
      .safeParse(safeJson(form.value.expected ?? "{}"));
    const input = {
      ...at,
      rows: carried.data.rows,
      rowNumbers: carried.data.rowNumbers,
      unit: form.value.unit ?? null,
      bracketsMean: form.value.bracketsMean ?? null,
      leaveOut: form.value.leaveOut.map(Number).filter(Number.isSafeInteger),
    };
    const pageCarried = { fileName: carried.data.fileName, table: form.value.table, notes: [] };
    if (form.value.action === "save" && expectedParsed.success) {
      try {
        const saved = await finance.saveBudgetUpload(services.db, request.actor, {
          ...input,
          expected: expectedParsed.data,
          requireOpenQuarter: services.requireOpenQuarter,
          requireOpenPeriod: services.requireOpenPeriod,
        });
        const done = saved.created + saved.changed;
        return redirectWithBanner(
          reply,
          `/budget/${saved.year.code}/${forecastPeriodPath(saved.at)}`,
          done === 0
            ? `Nothing changed: every line in "${carried.data.fileName}" already has these figures.`
            : `Saved ${done} forecast${done === 1 ? "" : "s"} from "${carried.data.fileName}" (${saved.created} new, ${saved.changed} changed).`,
        );
      } catch (error) {
        if (!(error instanceof ValidationFailed)) throw error;
        const preview = await finance.previewBudgetUpload(services.db, input);
        return previewPage(reply, preview, pageCarried, error.errors);
      }
    }
    const preview = await finance.previewBudgetUpload(services.db, input);
    return previewPage(reply, preview, pageCarried, problemsOf(preview));
  });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
