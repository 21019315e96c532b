import { readFile } from "node:fs/promises";
import { basename, resolve } from "node:path";
import type { Database } from "../../db/client.ts";
import type { Polarity } from "../../domain/measure-types.ts";
import type { FileProblem } from "./benchmarks.files.ts";
import { importBenchmarks, REPORTING_YEARS } from "./benchmarks.import.ts";
import { readDirection } from "./benchmarks.schemas.ts";

export const IMPORT_BENCHMARKS_USAGE = `Usage: baseplan import-benchmarks [--dry-run] [--reporting-year=WHAT] [--direction=CODE:WAY]... FILE...

Imports the Department for Education's benchmarking files: the LAIT long data file (Parquet as
published, or a CSV extract), the LAIT data dictionary, the LA code list, the statistical
neighbour models, and statistics files in the Explore Education Statistics shape. Everything is
checked first; any problem is listed by file, row, column and value and nothing is saved.
--dry-run checks and reports without saving. --reporting-year says what a statistics file's
"Reporting year" is: ${REPORTING_YEARS.map((choice) => `${choice.value} (${choice.words})`).join("; ")}.
--direction=CODE:WAY says which way is better for a statistics file's indicator CODE (the files do
not say): higher, lower or none. Given once, it is kept at later imports of the indicator.
`;

export function problemLine(problem: FileProblem): string {
  const where = [
    problem.file,
    problem.row === null ? null : `row ${problem.row}`,
    problem.column === null ? null : `column ${problem.column}`,
    problem.value === null ? null : `value "${problem.value}"`,
  ]
    .filter(Boolean)
    .join(", ");
  return `${where}: ${problem.message}`;
}

/** Runs the command; returns the exit code and writes what happened to the given streams. */
export async function runImportBenchmarks(
  db: Database,
  actor: string,
  args: readonly string[],
  out: (line: string) => void,
  err: (line: string) => void,
): Promise<number> {
  const dryRun = args.includes("--dry-run");
  const yearArgument = args.find((a) => a.startsWith("--reporting-year="));
  const directionArguments = args.filter((a) => a.startsWith("--direction="));
  const paths = args.filter(
    (a) => a !== "--dry-run" && a !== yearArgument && !directionArguments.includes(a),
  );
  const directions: Record<string, Polarity> = {};
  for (const argument of directionArguments) {
    const read = readDirection(argument.slice("--direction=".length));
    if (read === null) {
      err(`${argument}: write --direction=CODE:higher, --direction=CODE:lower or --direction=CODE:none.`);
      return 2;
    }
    directions[read.code] = read.polarity;
  }
  const asked = yearArgument?.slice("--reporting-year=".length);
  const reportingYear = REPORTING_YEARS.find((choice) => choice.value === asked)?.value;
  if (asked !== undefined && reportingYear === undefined) {
    err(
      `--reporting-year=${asked}: choose one of ${REPORTING_YEARS.map((choice) => choice.value).join(", ")}.`,
    );
    return 2;
  }
  if (paths.length === 0 || args.includes("--help")) {
    err(IMPORT_BENCHMARKS_USAGE);
    return paths.length === 0 && !args.includes("--help") ? 2 : 0;
  }
  const files = [];
  for (const path of paths) {
    try {
      files.push({ name: basename(path), bytes: new Uint8Array(await readFile(resolve(path))) });
    } catch {
      err(`${path}: the file cannot be read.`);
      return 1;
    }
  }
  const outcome = await importBenchmarks(db, actor, files, {
    dryRun,
    ...(reportingYear === undefined ? {} : { reportingYear }),
    ...(directionArguments.length === 0 ? {} : { directions }),
  });
  if (!outcome.ok) {
    err(`Nothing was saved. ${outcome.problems.length} problem${outcome.problems.length === 1 ? "" : "s"}:`);
    for (const problem of outcome.problems) err(`  ${problemLine(problem)}`);
    return 1;
  }
  const s = outcome.summary;
  for (const f of s.files) out(`${f.name}: ${f.kind}, ${f.rows} rows`);
  for (const note of s.notes) out(note);
  const counts = `${s.added} figures added, ${s.restated} restated, ${s.unchanged} unchanged`;
  out(
    dryRun
      ? `Dry run, nothing saved: ${counts}.`
      : s.saved
        ? `Saved: ${counts}.`
        : `Nothing changed: ${counts}.`,
  );
  return 0;
}
