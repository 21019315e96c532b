/**
 * A council's measures file of 10,000 rows, uploaded as an officer uploads one: read from CSV,
 * the dry run (every row and cell read, matched and checked), then the save (all or nothing, in
 * one transaction, audited). Its ceiling is PostgreSQL's COPY of the same rows into an unindexed
 * table of text columns in the same database, the least any loading of the rows can cost.
 * The save reads what the rows may restate once and writes each kind of record with multi-row
 * statements, a thousand rows a statement (decision 0044); before that it wrote row by row, about
 * a dozen statements a row, and 1,000 rows took 51-139 s to save on PGlite on the loaded machine.
 * The rows are made up: a code, a description, a directorate, last and this quarter, a target, a
 * status and a trend, the shape many councils publish their KPI tables in.
 */
import { performance } from "node:perf_hooks";
import { sql } from "drizzle-orm";
import type { DatabaseConnection } from "../src/db/client.ts";
import { previewImport, saveImport } from "../src/modules/measures/measures.service.ts";
import { readUploadedTable } from "../src/modules/measures/measures.upload.ts";
import { councilForm } from "../src/modules/setup/setup.schemas.ts";
import { setUpCouncil } from "../src/modules/setup/setup.service.ts";
import { parseForm } from "../src/web/forms.ts";
import { KPI_HEADINGS } from "../test/helpers/council-kpi-headings.ts";

/** The tests' KPI table headings (test/helpers/council-kpi-headings.ts), not a copy of them. */
const HEADER: readonly string[] = KPI_HEADINGS;
const DIRECTORATES = ["Housing", "Environment", "Adult Care", "Resources"];
const STATUSES = ["Red", "Amber", "Green"];
const TRENDS = ["Better", "No change", "Worse"];

/** The made-up file's rows: percentages with one decimal place, so every value parses exactly. */
function measureRows(count: number): string[][] {
  const rows: string[][] = [];
  for (let index = 0; index < count; index += 1) {
    const last = 400 + ((index * 37) % 600);
    const now = 400 + ((index * 53) % 600);
    rows.push([
      `KPI${String(index + 1).padStart(5, "0")}`,
      `Percentage of cases of kind ${index + 1} completed on time`,
      DIRECTORATES[index % DIRECTORATES.length] ?? "",
      `${(last / 10).toFixed(1)}%`,
      `${(now / 10).toFixed(1)}%`,
      `${75 + (index % 20)}%`,
      STATUSES[index % STATUSES.length] ?? "",
      TRENDS[index % TRENDS.length] ?? "",
    ]);
  }
  return rows;
}

/** One CSV field per cell, quoted, quotes doubled: as a spreadsheet writes it and COPY reads it. */
function csvLine(fields: readonly string[]): string {
  return fields.map((field) => `"${field.replaceAll('"', '""')}"`).join(",");
}

export interface ImportFigures {
  rows: number;
  copy: number;
  dryRun: number;
  save: number;
}

/**
 * Times the COPY, the dry run and the save on one fresh, migrated database. `copyCsv` runs the
 * engine's COPY of `csv` into `bench_measures_copy` (PGlite reads it from a blob, a server from
 * a file), so each engine's fastest way in is the ceiling.
 */
export async function benchMeasuresImport(
  connection: DatabaseConnection,
  rows: number,
  copyCsv: (csv: string) => Promise<void>,
): Promise<ImportFigures> {
  const csv = `${[HEADER, ...measureRows(rows)].map(csvLine).join("\n")}\n`;
  const form = parseForm(councilForm, {
    councilName: "Borough of Benchford",
    area: "not-listed",
    areaName: "Benchford",
    departmentName: "Corporate Performance",
    departmentShortName: "CP",
    frequency: "quarterly",
  });
  if (!form.ok) throw new Error(`The bench council was refused: ${JSON.stringify(form.errors)}`);
  await setUpCouncil(connection.db, "bench", form.value);

  await connection.db.execute(
    sql.raw(`create table bench_measures_copy (${HEADER.map((_, index) => `c${index} text`).join(", ")})`),
  );
  let started = performance.now();
  await copyCsv(csv);
  const copy = performance.now() - started;

  const input = async () => {
    const reading = await readUploadedTable("measures.csv", new TextEncoder().encode(csv));
    if (!reading.ok) throw new Error(`The bench file was refused: ${reading.message}`);
    return {
      text: reading.text,
      document: "Corporate performance report Q3 2031/32",
      groupKind: "report",
      groupTitle: "Corporate performance",
      reportingPeriod: "Q3 2031/32",
    };
  };
  started = performance.now();
  const preview = await previewImport(connection.db, await input());
  const dryRun = performance.now() - started;
  if (preview.problems.length > 0) {
    throw new Error(`The bench file's dry run found problems: ${preview.problems[0]?.message}`);
  }
  started = performance.now();
  await saveImport(connection.db, "bench", await input());
  const save = performance.now() - started;
  return { rows, copy, dryRun, save };
}
