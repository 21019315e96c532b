import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import type { Database } from "../../db/client.ts";
import type { SharedChromium } from "../../reports/chromium.ts";
import {
  FORMATS,
  isReportFormat,
  quarterlyFileStem,
  quarterlyReport,
  quarterlyReportFile,
  renderReport,
  servicePlanReport,
} from "./reports.service.ts";

export const REPORT_USAGE = `Usage: baseplan report <kind> [options]

Kinds:
  quarterly      the performance and budget monitoring report for a quarter
                 --year 2020/21 (or 2020-21) --quarter 3
  service-plan   the service plan document for a plan
                 --plan service-plan-2021-2025

Options:
  --format html|docx|xlsx|pdf   the file to produce (default: from --out's extension, else html)
  --out <file>                  where to write it (default: e.g. quarterly-report-2020-21-q3.docx)

Example:
  npx baseplan report quarterly --year 2020/21 --quarter 3 --format docx --out q3.docx
  npx baseplan report service-plan --plan service-plan-2021-2025 --format pdf
`;

/** A report command that cannot run as given: the message says what to change. */
export class UsageError extends Error {}

export type ReportCommand =
  | { kind: "quarterly"; year: string; quarter: number; format: keyof typeof FORMATS; out: string }
  | { kind: "service-plan"; plan: string; format: keyof typeof FORMATS; out: string };

/** Reads `report <kind> --option value ...` into a command, or explains what is wrong. */
export function parseReportCommand(args: string[]): ReportCommand {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      year: { type: "string" },
      quarter: { type: "string" },
      format: { type: "string" },
      out: { type: "string" },
      plan: { type: "string" },
    },
  });
  const [kind] = positionals;
  if (kind !== "quarterly" && kind !== "service-plan") {
    throw new UsageError(kind ? `There is no report called "${kind}".` : "Say which report.");
  }
  const fromOut = values.out?.split(".").pop()?.toLowerCase();
  const format = values.format ?? (fromOut && isReportFormat(fromOut) ? fromOut : "html");
  if (!isReportFormat(format)) {
    throw new UsageError(`Choose a format of html, docx, xlsx or pdf, not "${format}".`);
  }
  if (kind === "service-plan") {
    if (!values.plan || !/^[a-z0-9-]+$/.test(values.plan)) {
      throw new UsageError("Give the plan, like --plan service-plan-2021-2025.");
    }
    return {
      kind,
      plan: values.plan,
      format,
      out: values.out ?? `${values.plan}.${FORMATS[format].extension}`,
    };
  }
  if (!values.year) throw new UsageError("Give the financial year, like --year 2020/21.");
  const quarter = Number(values.quarter);
  if (!/^[1-4]$/.test(values.quarter ?? ""))
    throw new UsageError("Give the quarter, 1 to 4, like --quarter 3.");
  let stem: string;
  try {
    stem = quarterlyFileStem(values.year, quarter);
  } catch {
    throw new UsageError(`"${values.year}" is not a financial year; write it like 2020/21.`);
  }
  return {
    kind,
    year: values.year,
    quarter,
    format,
    out: values.out ?? `${stem}.${FORMATS[format].extension}`,
  };
}

/** Builds the report, renders it and writes the file; returns where and how big. */
export async function runReportCommand(
  db: Database,
  command: ReportCommand,
  chromium: SharedChromium,
): Promise<{ path: string; bytes: number }> {
  // A published quarter's files are its frozen copies, as the Reports page serves them.
  const file =
    command.kind === "quarterly" && command.format !== "html"
      ? await quarterlyReportFile(db, command.year, command.quarter, command.format, chromium)
      : await renderReport(
          command.kind === "quarterly"
            ? await quarterlyReport(db, command.year, command.quarter)
            : await servicePlanReport(db, command.plan),
          command.format,
          chromium,
        );
  const path = resolve(command.out);
  await writeFile(path, file);
  return { path, bytes: file.length };
}
