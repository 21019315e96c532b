import { readFile } from "node:fs/promises";
import type { Database } from "../../db/client.ts";
import { recordAuditEvent } from "../audit/audit.service.ts";
import * as settings from "../settings/settings.service.ts";
import type { UploadedFile } from "./benchmarks.files.ts";
import { importBenchmarks } from "./benchmarks.import.ts";
import * as repository from "./benchmarks.repository.ts";
import { COUNCIL_DFE_CODE } from "./benchmarks.service.ts";

/**
 * The demo council's benchmarking data: the Department's files kept in data/benchmarks, the
 * council's DfE code and its measures linked to their LAIT counterparts. Loaded once, apart from
 * the rest of the demo, because the whole LAIT file is 641,070 rows: `npm start` and `baseplan
 * demo` load it into an empty database; the tests' demo template does not (see
 * docs/decisions/0006-benchmarks-outside-the-test-template.md).
 */
export const BENCHMARK_DIRECTORY = new URL("../../../data/benchmarks/", import.meta.url);

export const DEMO_BENCHMARK_FILES = [
  "dfe_lait_data_dictionary.csv",
  "dfe_lait_la_code_list.csv",
  "dfe_statistical_neighbours_2025_model_wide.csv",
  "dfe_statistical_neighbours_april2021_groupings.csv",
  "lait_bds_long_0.parquet",
];

interface DemoLinks {
  dfeCode: string;
  links: Record<string, string>;
}

/**
 * Loads the demo's benchmarking data where none has been imported yet; true when it did. Files
 * are named in data/benchmarks, or given with their bytes (a test's extract of the LAIT file).
 */
export async function loadDemoBenchmarks(
  db: Database,
  actor: string,
  files: readonly (string | UploadedFile)[] = DEMO_BENCHMARK_FILES,
): Promise<boolean> {
  if ((await repository.countImports(db)) > 0) return false;
  const uploads = await Promise.all(
    files.map(async (file) =>
      typeof file === "string"
        ? { name: file, bytes: new Uint8Array(await readFile(new URL(file, BENCHMARK_DIRECTORY))) }
        : file,
    ),
  );
  const outcome = await importBenchmarks(db, actor, uploads);
  if (!outcome.ok) {
    throw new Error(
      `The demo's benchmarking files did not import: ${outcome.problems[0]?.message ?? "unknown"}`,
    );
  }
  const demo = JSON.parse(
    await readFile(new URL("demo-links.json", BENCHMARK_DIRECTORY), "utf8"),
  ) as DemoLinks;
  await db.transaction(async (tx) => {
    if ((await settings.readSettingValue(tx, COUNCIL_DFE_CODE)) === null) {
      await settings.recordSetting(tx, COUNCIL_DFE_CODE, demo.dfeCode);
    }
    const linked = await repository.linkMeasuresBySlug(tx, demo.links);
    await recordAuditEvent(tx, {
      actor,
      action: "load-demo",
      entityType: "benchmark-links",
      entityId: "demo",
      summary: `Linked ${linked} of the council's measures to the Department's benchmark measures.`,
    });
  });
  return true;
}
