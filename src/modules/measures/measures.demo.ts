import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Database } from "../../db/client.ts";
import type { StoredFootnote } from "../../db/schema/index.ts";
import { DEMO_DIRECTORY, type DemoLoader } from "../../demo/demo-files.ts";
import { isMeasureUnit, isPolarity } from "../../domain/measure-types.ts";
import { createMeasure, saveImport } from "./measures.service.ts";

interface CatalogueEntry {
  id: string;
  title: string;
  titles: string[];
  code: string | null;
  unit: string | null;
  decimals: number | null;
  polarity: string | null;
  frequency: string | null;
  basis: string | null;
  footnoteMarkers: string[];
  note: string | null;
}

export interface DemoTable {
  file: string;
  document: string;
  group: { kind: string; title: string };
  key: string | null;
  footnotes: StoredFootnote[];
}

// A function, not a constant: load-demo.ts imports the loaders, so its exports are not ready at import time.
const measuresDirectory = () => join(DEMO_DIRECTORY, "measures");

export async function readDemoTables(): Promise<DemoTable[]> {
  return JSON.parse(await readFile(join(measuresDirectory(), "tables.json"), "utf8")) as DemoTable[];
}

export function readDemoTableText(table: DemoTable): Promise<string> {
  return readFile(join(measuresDirectory(), table.file), "utf8");
}

/**
 * The catalogue gives each measure its unit, polarity and titles; every table is then read by
 * the paste import itself, so pasting a seed table gives the same rows and cells as the demo.
 */
export const measuresDemo: DemoLoader = {
  name: "measures",
  async load(db: Database, actor: string) {
    const catalogue = JSON.parse(await readFile(join(measuresDirectory(), "catalogue.json"), "utf8")) as {
      measures: CatalogueEntry[];
    };
    for (const entry of catalogue.measures) {
      const { unit, polarity } = entry;
      if (unit !== null && !isMeasureUnit(unit))
        throw new Error(`The catalogue's ${entry.id} has an unknown unit "${unit}"`);
      if (polarity !== null && !isPolarity(polarity)) {
        throw new Error(`The catalogue's ${entry.id} has an unknown polarity "${polarity}"`);
      }
      await createMeasure(db, actor, {
        slug: entry.id,
        title: entry.title,
        otherTitles: entry.titles,
        code: entry.code,
        unit,
        decimals: entry.decimals,
        polarity,
        frequency: entry.frequency,
        basis: entry.basis,
        footnoteMarkers: entry.footnoteMarkers,
        note: entry.note,
      });
    }
    for (const [position, table] of (await readDemoTables()).entries()) {
      await saveImport(db, actor, {
        text: await readDemoTableText(table),
        document: table.document,
        groupKind: table.group.kind,
        groupTitle: table.group.title,
        key: table.key,
        footnotes: table.footnotes,
        position,
      });
    }
  },
};
