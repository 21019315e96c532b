/**
 * Budget monitoring for a quarter from an uploaded spreadsheet: a dry run that shows every row
 * as written and as understood, then a save of all rows or none, through the forecast service
 * functions (so each change is version-checked and audited as a form's would be). A row whose
 * figures are already saved changes nothing, so uploading the same file again changes nothing.
 */
import type { Database } from "../../db/client.ts";
import { type BudgetTableReading, readBudgetTable, unitWords } from "../../domain/budget-import.ts";
import { formatPounds, type Pence } from "../../domain/money.ts";
import type { BracketsMean, MoneyUnit } from "../../domain/money-conventions.ts";
import { type MonitoringPeriod, monitoringPeriod, parseFinancialYearCode } from "../../domain/periods.ts";
import { NotOpenForEntry, PeriodLockedError, ValidationFailed } from "../../errors.ts";
import { createForecast, updateForecast } from "./finance.budget.ts";
import * as repository from "./finance.repository.ts";
import { moneyConventions } from "./finance.settings.ts";
import { forecastPeriod, periodView, requireQuarter, requireYear } from "./finance.shared.ts";

export interface BudgetUploadInput {
  readonly yearCode: string;
  readonly quarter: number;
  /** A month of the quarter, for a department monitored monthly: the forecasts saved are the month's. */
  readonly month?: number | null;
  /** The file's rows of cell text, and the row number in the file of each. */
  readonly rows: readonly (readonly string[])[];
  readonly rowNumbers: readonly number[];
  /** The unit of a column whose heading states none; the council's default unit when not given. */
  readonly unit: MoneyUnit | null;
  /** What brackets in the variance column mean; the council's convention when not given. */
  readonly bracketsMean: BracketsMean | null;
  readonly leaveOut: readonly number[];
  /**
   * Refuses a quarter not open for entry or signed off (the periods module's check, handed in by
   * the route): asked again inside the save's transaction, so a quarter closed, published or
   * signed off after the dry run takes nothing.
   */
  readonly requireOpenQuarter?: (db: Database, startYear: number, quarter: number) => Promise<void>;
  /** The same for a month (the periods module's `requireOpenPeriod`): only that month open takes entries. */
  readonly requireOpenPeriod?: (db: Database, period: MonitoringPeriod) => Promise<unknown>;
}

/** What saving a row would do to its line's forecast for the quarter (or month). */
export type RowChange = "new" | "change" | "unchanged" | "not-reported" | "left-out" | "total" | "error";

const pounds = (pence: Pence | null) => (pence === null ? "" : formatPounds(pence, { pence: true }));

/** The dry run: every row as written and as understood, with what saving it would change. */
export async function previewBudgetUpload(db: Database, input: BudgetUploadInput) {
  const year = await requireYear(db, input.yearCode);
  const quarter = requireQuarter(input.quarter);
  const at = forecastPeriod(quarter, input.month ?? null);
  const period = periodView(at);
  const settings = await moneyConventions(db);
  const unit = input.unit ?? settings.conventions.defaultUnit;
  const bracketsMean = input.bracketsMean ?? settings.conventions.bracketsMean;
  const lines = await repository.listYearLinesWithForecast(db, year.id, quarter, at.month);
  const reading: BudgetTableReading = readBudgetTable(input.rows, {
    unit,
    bracketsMean,
    lines: lines.map(({ line }) => ({ id: line.id, name: line.name })),
    rowNumbers: input.rowNumbers,
    leaveOut: new Set(input.leaveOut),
  });
  if (!reading.ok) {
    return { year, quarter, ...period, unit, bracketsMean, reading, rows: [], counts: null } as const;
  }
  const rows = reading.rows.map((row) => {
    const saved = row.line ? (lines.find((entry) => entry.line.id === row.line?.id)?.forecast ?? null) : null;
    const change: RowChange =
      row.status === "read"
        ? saved === null
          ? "new"
          : saved.controllableBudgetPence === row.budget && saved.forecastOutturnPence === row.forecast
            ? "unchanged"
            : "change"
        : row.status === "not-reported"
          ? "not-reported"
          : row.status === "left-out"
            ? "left-out"
            : row.status === "total"
              ? "total"
              : "error";
    return {
      ...row,
      change,
      understood: {
        line: row.line?.name ?? "",
        budget: pounds(row.budget),
        forecast: pounds(row.forecast),
        variance: row.budget !== null && row.forecast !== null ? pounds(row.forecast - row.budget) : "",
      },
      saved: saved
        ? {
            budget: pounds(saved.controllableBudgetPence),
            forecast: pounds(saved.forecastOutturnPence),
            version: saved.version,
          }
        : null,
    };
  });
  const count = (change: RowChange) => rows.filter((row) => row.change === change).length;
  return {
    year,
    quarter,
    ...period,
    unit,
    bracketsMean,
    reading,
    columns: reading.columns.map((column) => ({ ...column, unitWords: unitWords(column) })),
    rows,
    counts: {
      new: count("new"),
      change: count("change"),
      unchanged: count("unchanged"),
      notReported: count("not-reported"),
      leftOut: count("left-out"),
      total: count("total"),
      error: count("error"),
    },
  } as const;
}

export type BudgetUploadPreview = Awaited<ReturnType<typeof previewBudgetUpload>>;

/**
 * Saves every row of the upload or none. `expected` is the forecast version each line had when
 * the dry run was shown (0 where it had none): a line changed by someone else since is refused
 * with Conflict, and so is any error in the file; nothing is saved in either case.
 */
export async function saveBudgetUpload(
  db: Database,
  actor: string,
  input: BudgetUploadInput & { readonly expected: Readonly<Record<string, number>> },
) {
  return db.transaction(async (tx) => {
    const preview = await previewBudgetUpload(tx, input);
    if (!preview.reading.ok) {
      throw new ValidationFailed([{ field: "file", message: preview.reading.message }]);
    }
    if (preview.reading.errors.length > 0) {
      throw new ValidationFailed(
        preview.reading.errors.map((problem) => ({ field: "table", message: problem.message })),
      );
    }
    await refuseUnlessOpen(tx, input, preview);
    let created = 0;
    let changed = 0;
    for (const row of preview.rows) {
      if (row.line === null || row.budget === null || row.forecast === null) continue;
      if (row.change !== "new" && row.change !== "change") continue;
      const entry = { controllableBudget: row.budget, forecastOutturn: row.forecast };
      const expected = input.expected[String(row.line.id)];
      if (row.change === "new" || expected === 0 || expected === undefined) {
        // A line with no forecast at the dry run: createForecast refuses if one appeared since.
        await createForecast(tx, actor, {
          lineId: row.line.id,
          quarter: preview.quarter,
          month: preview.at.month,
          entry,
        });
        created += 1;
      } else {
        await updateForecast(tx, actor, {
          lineId: row.line.id,
          quarter: preview.quarter,
          month: preview.at.month,
          edit: { ...entry, version: expected },
        });
        changed += 1;
      }
    }
    return {
      year: preview.year,
      quarter: preview.quarter,
      at: preview.at,
      created,
      changed,
      counts: preview.counts,
    };
  });
}

/**
 * Asks whether the upload's quarter (or month) takes entries; when it does not, every row that
 * would be saved is refused, naming its row, line, forecast and the period's state. Nothing is saved.
 */
async function refuseUnlessOpen(tx: Database, input: BudgetUploadInput, preview: BudgetUploadPreview) {
  const startYear = parseFinancialYearCode(preview.year.code);
  if (startYear === null) return;
  const month = preview.at.month;
  try {
    if (month === null) await input.requireOpenQuarter?.(tx, startYear, preview.quarter);
    else await input.requireOpenPeriod?.(tx, monitoringPeriod(startYear, "month", month));
  } catch (error) {
    if (!(error instanceof NotOpenForEntry || error instanceof PeriodLockedError)) throw error;
    const saving = preview.rows.filter((row) => row.change === "new" || row.change === "change");
    const state = error.message.replace(/\.$/, "");
    throw new ValidationFailed(
      (saving.length > 0 ? saving : preview.rows.slice(0, 1)).map((row) => ({
        field: "table",
        message: `Row ${row.rowNumber} ("${row.name}"), forecast outturn, "${row.understood.forecast}": ${state}. Nothing was saved.`,
      })),
      "Nothing was saved.",
    );
  }
}
