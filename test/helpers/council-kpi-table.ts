/**
 * A made-up council's quarterly KPI table, headed as many councils head theirs (a code, a
 * description, the directorate, last and this quarter, target, status, trend), for tests that
 * import several successive editions of it. Nothing here is the demo council's.
 */
import type { Database } from "../../src/db/client.ts";
import type { MeasureUnit, Polarity } from "../../src/domain/measure-types.ts";
import { createMeasure, type ImportInput, saveImport } from "../../src/modules/measures/measures.service.ts";
import { KPI_HEADINGS } from "./council-kpi-headings.ts";
import { TEST_ACTOR } from "./database.ts";

export { KPI_HEADINGS };

export interface KpiRowSpec {
  code: string;
  title: string;
  directorate?: string;
  lastQuarter: string;
  thisQuarter: string;
  target: string;
  /** The rating the edition printed, as written ("" for none). */
  status: string;
  trend?: string;
}

/** One quarter's edition of the table: the quarter it reports on and its rows. */
export interface KpiEdition {
  reportingPeriod: string;
  rows: KpiRowSpec[];
}

/** The table as an officer pastes it: tab-separated, header first. */
export function kpiTableText(rows: readonly KpiRowSpec[]): string {
  return [
    KPI_HEADINGS.join("\t"),
    ...rows.map((row) =>
      [
        row.code,
        row.title,
        row.directorate ?? "Made-up directorate",
        row.lastQuarter,
        row.thisQuarter,
        row.target,
        row.status,
        row.trend ?? "",
      ].join("\t"),
    ),
  ].join("\n");
}

/** The import of one edition, as the paste form gives it. */
export function kpiImportInput(
  edition: KpiEdition,
  where: { document: string; groupTitle: string },
): ImportInput {
  return {
    text: kpiTableText(edition.rows),
    document: where.document,
    groupKind: "report",
    groupTitle: where.groupTitle,
    reportingPeriod: edition.reportingPeriod,
  };
}

/** Imports one edition through the paste import's save. */
export function importKpiEdition(
  db: Database,
  edition: KpiEdition,
  where: { document: string; groupTitle: string },
) {
  return saveImport(db, TEST_ACTOR, kpiImportInput(edition, where));
}

/** The table's measures set up beforehand with their units and direction, matched by code on import. */
export async function buildKpiMeasures(
  db: Database,
  specs: readonly {
    code: string;
    title: string;
    unit: MeasureUnit;
    polarity: Polarity;
    decimals?: number;
    /** "quarterly" for a measure due each quarter (a quarterly report lists it). */
    frequency?: string;
  }[],
) {
  const built = [];
  for (const spec of specs) {
    built.push(
      await createMeasure(db, TEST_ACTOR, {
        slug: `kpi-${spec.code.toLowerCase()}`,
        title: spec.title,
        code: spec.code,
        unit: spec.unit,
        polarity: spec.polarity,
        decimals: spec.decimals ?? 0,
        ...(spec.frequency ? { frequency: spec.frequency } : {}),
      }),
    );
  }
  return built;
}
