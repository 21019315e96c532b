import { readFile } from "node:fs/promises";
import { parquetReadObjects } from "hyparquet";
import type { UploadedFile } from "../../src/modules/benchmarks/benchmarks.files.ts";

const DIRECTORY = new URL("../../data/benchmarks/", import.meta.url);
const COLUMNS = ["Short Desc", "Data item", "Years", "LA and Regions", "Values", "LA Number", "Region"];

/**
 * The demo's benchmarking files, with the LAIT file cut down to the rows of the measures the
 * demo links (24,140 of 641,070), written in the Department's long CSV shape: the same figures,
 * imported in seconds rather than minutes.
 */
export async function demoBenchmarkExtract(): Promise<(string | UploadedFile)[]> {
  const links = JSON.parse(await readFile(new URL("demo-links.json", DIRECTORY), "utf8")) as {
    links: Record<string, string>;
  };
  const codes = new Set(Object.values(links.links));
  const bytes = await readFile(new URL("lait_bds_long_0.parquet", DIRECTORY));
  const rows = (await parquetReadObjects({
    file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
  })) as Record<string, unknown>[];
  const cell = (v: unknown) => {
    const text = v === null || v === undefined ? "" : String(v);
    return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const lines = [COLUMNS.join(",")];
  for (const row of rows) {
    if (codes.has(String(row["Short Desc"]))) lines.push(COLUMNS.map((c) => cell(row[c])).join(","));
  }
  return [
    "dfe_lait_data_dictionary.csv",
    "dfe_lait_la_code_list.csv",
    "dfe_statistical_neighbours_2025_model_wide.csv",
    "dfe_statistical_neighbours_april2021_groupings.csv",
    { name: "lait_linked_measures.csv", bytes: new TextEncoder().encode(`${lines.join("\n")}\n`) },
  ];
}
