import type { Database } from "../../db/client.ts";
import {
  excelSerialDate,
  placeCouncils,
  plainDecimal,
  polarityFromDictionary,
  readPeriodLabel,
  readPublishedValue,
  type YearType,
  yearTypeFromDictionary,
} from "../../domain/benchmark-data.ts";
import type { Polarity } from "../../domain/measure-types.ts";
import { recordAuditEvent } from "../audit/audit.service.ts";
import {
  type FileProblem,
  type LongRow,
  type ReadFile,
  readBenchmarkFiles,
  type UploadedFile,
} from "./benchmarks.files.ts";
import * as repository from "./benchmarks.repository.ts";

/**
 * Imports the Department's benchmarking files: everything is read and checked first, each
 * problem named by file, row, column and value; then, only if there is none, everything is saved
 * in one transaction. A figure that differs from the stored one is restated (the old row kept as
 * history); the same file imported twice changes nothing.
 */

export interface ImportSummary {
  readonly files: readonly { name: string; kind: ReadFile["kind"]; rows: number }[];
  readonly measures: number;
  readonly areas: number;
  readonly neighbourModels: readonly string[];
  readonly added: number;
  readonly restated: number;
  readonly unchanged: number;
  /** Rows read but not kept, with why (a period label "0" carrying no figure). */
  readonly notes: readonly string[];
  readonly saved: boolean;
}

export type ImportOutcome =
  | { readonly ok: true; readonly summary: ImportSummary }
  | { readonly ok: false; readonly problems: readonly FileProblem[] };

/** How explanations cite figures imported from a statistics file rather than the LAIT. */
export const STATISTICS_SOURCE = "DfE, Explore Education Statistics";

/** What a "Reporting year" in a statistics file can mean, for the import page and the command line. */
export const REPORTING_YEARS: readonly { value: YearType; words: string }[] = [
  {
    value: "financial",
    words: "the year ending 31 March (children in need, child protection, looked-after children)",
  },
  { value: "as-at-31-march", words: "the position at 31 March" },
  { value: "as-at-30-september", words: "the position at 30 September (the social work workforce)" },
];

/**
 * A statistics file's time_identifier as a year type: a reporting year is what the person
 * importing says it is, since the file does not say where the year ends; null where unknown.
 */
function statisticsYearType(identifier: string, reportingYear: YearType | undefined): YearType | null {
  const words = identifier.trim().toLowerCase();
  if (words === "financial year") return "financial";
  if (words === "academic year") return "academic";
  if (words === "calendar year") return "calendar";
  if (words === "reporting year") return reportingYear ?? null;
  return null;
}

/** A statistics file's "202425" (a financial or academic year) as the LAIT writes it, "2024-25"; else as written. */
function statisticsPeriodLabel(period: string): string {
  const m = /^(\d{4})(\d{2})$/.exec(period.trim());
  return m === null ? period.trim() : `${m[1]}-${m[2]}`;
}

/** A region's name as the code list and a statistics file both mean it: "Inner London" is "London (Inner)". */
function regionKey(name: string): string {
  return name
    .toLowerCase()
    .replace(/^(inner|outer) london$/, "london ($1)")
    .replace(/\s+/g, " ")
    .trim();
}

/** Problems reported at most, so a file of the wrong shape does not produce 641,070 lines. */
const MAX_PROBLEMS = 200;

interface MeasureMeta {
  polarity: Polarity;
  yearType: ReturnType<typeof yearTypeFromDictionary> & string;
  noQuartile: boolean;
}

/** A measure and period, as one map key. */
function periodKey(measure: string, period: string): string {
  return `${measure}\u0000${period}`;
}

/** A figure kept from a file, with where it came from for a duplicate's message. */
interface Kept {
  readonly row: LongRow;
  readonly file: string;
  readonly amount: string | null;
  readonly code: string | null;
}

/** A council has a region; England and the regions have none ("NA") in the code list. */
function areaKind(name: string, region: string): repository.AreaRecord["kind"] {
  if (region !== "" && !/^na$/i.test(region)) return "council";
  return /^england\b/i.test(name) ? "england" : "region";
}

function orNull(text: string): string | null {
  const t = text.trim();
  return t === "" || /^na$/i.test(t) ? null : t;
}

export async function importBenchmarks(
  db: Database,
  actor: string,
  uploads: readonly UploadedFile[],
  options: {
    dryRun?: boolean;
    reportingYear?: YearType;
    /**
     * Which way is better for indicators in statistics files, by indicator code (the files do not
     * say): an indicator given none keeps the direction it was given before, else has none.
     */
    directions?: Readonly<Record<string, Polarity>>;
  } = {},
): Promise<ImportOutcome> {
  const { files, problems: readProblems } = await readBenchmarkFiles(uploads);
  const problems: FileProblem[] = [...readProblems];
  const notes: string[] = [];
  const report = (problem: FileProblem): void => {
    if (problems.length < MAX_PROBLEMS) problems.push(problem);
  };

  // --- The dictionary: measures, with duplicate codes merged where they agree ------------------
  const measures = new Map<string, repository.MeasureRecord>();
  const metas = new Map<string, MeasureMeta>();
  for (const file of files) {
    if (file.kind !== "dictionary") continue;
    for (const row of file.rows) {
      const at = { file: file.file, row: row.row };
      if (row.code === "") {
        report({ ...at, column: "Measure_short", value: "", message: "The measure code is blank." });
        continue;
      }
      const polarity = polarityFromDictionary(row.polarity);
      if (polarity === null) {
        report({
          ...at,
          column: "Polarity",
          value: row.polarity,
          message: "The polarity is not High, Low, - or NA.",
        });
        continue;
      }
      const yearType = yearTypeFromDictionary(row.yearType);
      if (yearType === null) {
        report({
          ...at,
          column: "Year_Type",
          value: row.yearType,
          message: "The year type is not one the dictionary uses.",
        });
        continue;
      }
      const decimals = orNull(row.decimals);
      if (decimals !== null && !/^\d$/.test(decimals)) {
        report({
          ...at,
          column: "dps",
          value: row.decimals,
          message: "The decimal places are not a whole number from 0 to 9.",
        });
        continue;
      }
      const noQuartile = row.noQuartile.trim().toUpperCase() === "N";
      const record: repository.MeasureRecord = {
        code: row.code,
        title: row.title || row.code,
        chartTitle: orNull(row.chartTitle),
        topic: orNull(row.topic),
        polarity,
        yearType,
        decimals: decimals === null ? null : Number(decimals),
        noQuartile,
        unitWords: orNull(row.unitWords),
        status: orNull(row.status),
        lastUpdate: excelSerialDate(row.lastUpdate),
        nextUpdate: excelSerialDate(row.nextUpdate),
        nextUpdateWords: excelSerialDate(row.nextUpdate) === null ? orNull(row.nextUpdate) : null,
        source: orNull(row.source),
      };
      const earlier = measures.get(row.code);
      if (earlier !== undefined) {
        // The Department's dictionary lists some measures twice, the later row renamed (LAC to
        // CLA) or with its decimals filled in. They must agree on what decides ranks and periods.
        if (earlier.polarity !== polarity || earlier.yearType !== yearType) {
          report({
            ...at,
            column: earlier.polarity !== polarity ? "Polarity" : "Year_Type",
            value: earlier.polarity !== polarity ? row.polarity : row.yearType,
            message: `The measure ${row.code} is listed twice with a different ${earlier.polarity !== polarity ? "polarity" : "year type"}.`,
          });
          continue;
        }
        measures.set(row.code, {
          ...earlier,
          decimals: earlier.decimals ?? record.decimals,
          noQuartile: earlier.noQuartile || noQuartile,
        });
        metas.set(row.code, { polarity, yearType, noQuartile: earlier.noQuartile || noQuartile });
        continue;
      }
      measures.set(row.code, record);
      metas.set(row.code, { polarity, yearType, noQuartile });
    }
  }

  // --- The code list: councils, regions and England -----------------------------------------
  const areas = new Map<string, repository.AreaRecord>();
  for (const file of files) {
    if (file.kind !== "code-list") continue;
    for (const row of file.rows) {
      if (!/^\d{3,4}$/.test(row.code)) {
        report({
          file: file.file,
          row: row.row,
          column: "LA Number",
          value: row.code,
          message: "The LA number is not a DfE code (3 digits).",
        });
        continue;
      }
      if (row.name === "") {
        report({
          file: file.file,
          row: row.row,
          column: "LA Name",
          value: "",
          message: "The name is blank.",
        });
        continue;
      }
      areas.set(row.code, {
        code: row.code,
        name: row.name,
        region: orNull(row.region),
        areaType: orNull(row.type),
        kind: areaKind(row.name, row.region),
      });
    }
  }

  // What is already stored counts as known: a later file may bring data for earlier measures.
  const storedMeasures = await repository.listMeasures(db);
  for (const m of storedMeasures) {
    if (!metas.has(m.code)) {
      const yearType = yearTypeFromDictionary(m.yearType) ?? (m.yearType as MeasureMeta["yearType"]);
      metas.set(m.code, { polarity: m.polarity as Polarity, yearType, noQuartile: m.noQuartile });
    }
  }
  const storedByCode = new Map(storedMeasures.map((m) => [m.code, m]));
  const storedAreas = await repository.listAreas(db);
  const knownAreas = new Map<string, repository.AreaRecord>(storedAreas.map((a) => [a.code, a]));
  for (const [code, area] of areas) knownAreas.set(code, area);

  // --- Statistical neighbours --------------------------------------------------------------
  // An older model names councils since reorganised ("Poole (Pre LG)"), which the current code
  // list no longer has: the model's own row names them, so they are kept as councils from it.
  for (const file of files) {
    if (file.kind !== "neighbours") continue;
    for (const row of file.rows) {
      if (/^\d{3}$/.test(row.area) && !knownAreas.has(row.area) && row.name !== "") {
        const area: repository.AreaRecord = {
          code: row.area,
          name: row.name,
          region: orNull(row.region),
          areaType: null,
          kind: "council",
        };
        areas.set(row.area, area);
        knownAreas.set(row.area, area);
      }
    }
  }
  const neighbourModels = new Map<string, repository.NeighbourRecord[]>();
  for (const file of files) {
    if (file.kind !== "neighbours") continue;
    for (const row of file.rows) {
      const at = { file: file.file, row: row.row };
      // A heading line inside the file ("Old SNs:") names no council and no neighbours.
      if (row.area === "" && row.neighbours.length === 0) continue;
      if (!knownAreas.has(row.area)) {
        report({
          ...at,
          column: "LA number",
          value: row.area,
          message: "This council is not in the LA code list.",
        });
        continue;
      }
      const list = neighbourModels.get(row.model) ?? [];
      if (list.some((n) => n.areaCode === row.area)) {
        report({
          ...at,
          column: "LA number",
          value: row.area,
          message: `This council's neighbours are listed twice in the ${row.model} model.`,
        });
        continue;
      }
      row.neighbours.forEach((n, index) => {
        if (!knownAreas.has(n.code)) {
          report({
            ...at,
            column: `SN${index + 1}`,
            value: n.code,
            message: "This neighbour is not in the LA code list.",
          });
          return;
        }
        list.push({
          model: row.model,
          areaCode: row.area,
          position: index + 1,
          neighbourCode: n.code,
          closeness: orNull(n.closeness),
        });
      });
      neighbourModels.set(row.model, list);
    }
  }

  // --- The long data -------------------------------------------------------------------------
  // Grouped by measure and period, then by area: the grouping ranks and quartiles need, and far
  // fewer keys than one per figure (641,070 in the whole LAIT file).
  const incoming = new Map<string, { measure: string; label: string; figures: Map<string, Kept> }>();
  let skippedUnreadable = 0;
  /** Keeps one figure, or reports it where the same measure, period and area came with another. */
  const keep = (
    fileName: string,
    row: LongRow,
    value: NonNullable<ReturnType<typeof readPublishedValue>>,
    column: string,
  ): void => {
    const pk = periodKey(row.measure, row.period);
    let group = incoming.get(pk);
    if (group === undefined) {
      group = { measure: row.measure, label: row.period, figures: new Map() };
      incoming.set(pk, group);
    }
    const amount = value.kind === "figure" ? value.text : null;
    const code = value.kind === "code" ? value.code : null;
    const earlier = group.figures.get(row.areaCode);
    if (earlier !== undefined) {
      if (earlier.amount !== amount || earlier.code !== code) {
        report({
          file: fileName,
          row: row.row,
          column,
          value: row.value,
          message: `A duplicate of ${earlier.file} row ${earlier.row.row} (${row.measure}, ${row.period}, ${row.areaName}) with a different value (${earlier.amount ?? earlier.code}).`,
        });
      }
      return;
    }
    group.figures.set(row.areaCode, { row, file: fileName, amount, code });
  };

  // --- Statistics files (Explore Education Statistics shape) -------------------------------
  // Each indicator is a measure of its own. The file does not say which way is better: the person
  // importing says so (directions), or the direction given at an earlier import is kept; with
  // none, no rank or band. England's, the regions' and every council's figures as published.
  const directed = new Set<string>();
  const undirected = new Set<string>();
  const readStatisticsFiles = (): void => {
    const areaList = [...knownAreas.values()];
    const england =
      areaList.find((a) => a.kind === "england" && /^england$/i.test(a.name)) ??
      areaList.find((a) => a.kind === "england");
    const regions = new Map(areaList.filter((a) => a.kind === "region").map((a) => [regionKey(a.name), a]));
    let blank = 0;
    const otherLevels = new Set<string>();
    for (const file of files) {
      if (file.kind !== "statistics") continue;
      const titles = new Map(file.measures.map((m) => [m.code, m.title]));
      const reportedOnce = new Set<string>();
      const once = (what: string, problem: FileProblem): void => {
        if (reportedOnce.has(what)) return;
        reportedOnce.add(what);
        report(problem);
      };
      for (const row of file.rows) {
        const at = { file: file.file, row: row.row };
        if (row.value === "") {
          blank += 1;
          continue;
        }
        if (!["national", "regional", "local authority"].includes(row.level.toLowerCase())) {
          otherLevels.add(row.level);
          continue;
        }
        const yearType = statisticsYearType(row.timeIdentifier, options.reportingYear);
        if (yearType === null) {
          once(`time ${row.timeIdentifier}`, {
            ...at,
            column: "time_identifier",
            value: row.timeIdentifier,
            message: /^reporting year$/i.test(row.timeIdentifier.trim())
              ? "The file does not say when its reporting year ends: choose whether it is the year ending 31 March or a position at 31 March or 30 September, and import it again."
              : "The period is not a financial, academic, calendar or reporting year.",
          });
          continue;
        }
        // A measure the dictionary knows keeps the dictionary's meaning; any other is the file's own.
        if (!measures.has(row.measure)) {
          const stored = storedByCode.get(row.measure);
          if (stored === undefined || stored.source === STATISTICS_SOURCE) {
            const held = metas.get(row.measure)?.yearType ?? yearType;
            const polarity: Polarity =
              options.directions?.[row.measure] ?? (stored ? (stored.polarity as Polarity) : "monitor");
            (polarity === "monitor" ? undirected : directed).add(row.measure);
            measures.set(row.measure, {
              code: row.measure,
              title: titles.get(row.measure) ?? row.measure,
              chartTitle: null,
              topic: file.file.replace(/\.csv$/i, "").replace(/[_-]+/g, " "),
              polarity,
              yearType: held,
              decimals: null,
              noQuartile: polarity === "monitor",
              unitWords: null,
              status: null,
              lastUpdate: null,
              nextUpdate: null,
              nextUpdateWords: null,
              source: STATISTICS_SOURCE,
            });
            metas.set(row.measure, { polarity, yearType: held, noQuartile: polarity === "monitor" });
          }
        }
        const meta = metas.get(row.measure);
        if (meta === undefined) continue;
        if (meta.yearType !== yearType) {
          once(`year ${row.measure}`, {
            ...at,
            column: "time_identifier",
            value: row.timeIdentifier,
            message: `The measure ${row.measure} is already held with another year type (${meta.yearType}).`,
          });
          continue;
        }
        const level = row.level.toLowerCase();
        const area =
          level === "national"
            ? england
            : level === "regional"
              ? regions.get(regionKey(row.areaName))
              : knownAreas.get(row.laCode);
        if (area === undefined) {
          report({
            ...at,
            column:
              level === "local authority"
                ? "old_la_code"
                : level === "regional"
                  ? "region_name"
                  : "geographic_level",
            value:
              level === "local authority" ? row.laCode : row.level === "National" ? row.level : row.areaName,
            message:
              level === "national"
                ? "The LA code list has no England row to hold the national figures."
                : `The LA code list has no ${level === "regional" ? "region" : "authority"} ${level === "regional" ? row.areaName : `${row.laCode} (${row.areaName})`}.`,
          });
          continue;
        }
        const value = readPublishedValue(row.value);
        if (value === null) {
          report({
            ...at,
            column: row.column,
            value: row.value,
            message: "The value is neither a number nor a suppression code (x, c, u, z, low, -).",
          });
          continue;
        }
        const label = statisticsPeriodLabel(row.period);
        if (readPeriodLabel(label, yearType) === null) {
          report({
            ...at,
            column: "time_period",
            value: row.period,
            message: "The period cannot be read as a year.",
          });
          continue;
        }
        keep(
          file.file,
          {
            row: row.row,
            measure: row.measure,
            title: null,
            period: label,
            areaName: area.name,
            areaCode: area.code,
            value: row.value,
          },
          value,
          row.column,
        );
      }
    }
    for (const code of Object.keys(options.directions ?? {})) {
      if (directed.has(code) || undirected.has(code)) continue;
      report({
        file: "directions",
        row: null,
        column: "indicator",
        value: code,
        message: `No statistics file in this import has the indicator ${code}: a direction is given only for an indicator a statistics file brings (the LAIT dictionary gives its own measures theirs).`,
      });
    }
    if (undirected.size > 0) {
      notes.push(
        `No direction is known for ${[...undirected].sort().join(", ")} (statistics files do not say whether higher or lower is better): their councils get no rank or quartile band, and quartile and rank targets against them cannot be judged, until a direction is given at import.`,
      );
    }
    if (blank > 0) notes.push(`${blank} empty cells in statistics files carry no figure and were left out.`);
    if (otherLevels.size > 0)
      notes.push(
        `Rows for ${[...otherLevels].join(", ")} areas in statistics files were left out: only England, regions and local authorities are compared.`,
      );
  };
  // The whole LAIT file has 641,070 cells but far fewer distinct cell texts and period labels:
  // each is read once.
  const valuesRead = new Map<string, ReturnType<typeof readPublishedValue>>();
  const periodsRead = new Map<string, ReturnType<typeof readPeriodLabel>>();
  for (const file of files) {
    if (file.kind !== "long") continue;
    for (const row of file.rows) {
      const at = { file: file.file, row: row.row };
      const meta = metas.get(row.measure);
      if (meta === undefined) {
        report({
          ...at,
          column: "Short Desc",
          value: row.measure,
          message: "The data dictionary does not know this measure code.",
        });
        continue;
      }
      if (!knownAreas.has(row.areaCode)) {
        report({
          ...at,
          column: "LA Number",
          value: row.areaCode,
          message: `The LA code list has no authority ${row.areaCode} (${row.areaName}).`,
        });
        continue;
      }
      let value = valuesRead.get(row.value);
      if (value === undefined) {
        value = readPublishedValue(row.value);
        valuesRead.set(row.value, value);
      }
      if (value === null) {
        report({
          ...at,
          column: "Values",
          value: row.value,
          message: "The value is neither a number nor a suppression code (x, c, u, z, low, -).",
        });
        continue;
      }
      const labelKey = periodKey(meta.yearType, row.period);
      let period = periodsRead.get(labelKey);
      if (period === undefined) {
        period = readPeriodLabel(row.period, meta.yearType);
        periodsRead.set(labelKey, period);
      }
      if (period === null) {
        if (value.kind === "code") {
          // The published file has a label "0" on rows with nothing published: nothing to keep.
          skippedUnreadable += 1;
          continue;
        }
        report({
          ...at,
          column: "Years",
          value: row.period,
          message: "The period label cannot be read for this measure's year type.",
        });
        continue;
      }
      keep(file.file, row, value, "Values");
    }
  }
  readStatisticsFiles();
  if (skippedUnreadable > 0) {
    notes.push(
      `${skippedUnreadable} rows with a period label that is not a period and no figure (only "-") were left out.`,
    );
  }
  if (problems.length > 0) return { ok: false, problems };

  const summaryBase = {
    files: files.map((f) => ({ name: f.file, kind: f.kind, rows: f.rows.length })),
    measures: measures.size,
    areas: areas.size,
    neighbourModels: [...neighbourModels.keys()],
    notes,
  };

  // --- Compare with what is stored ---------------------------------------------------------
  const touchedMeasures = [...new Set([...incoming.values()].map((g) => g.measure))];
  const stored = await repository.currentValuesFor(db, touchedMeasures);
  const storedByPeriod = new Map<string, Map<string, repository.StoredValue>>();
  for (const v of stored) {
    const pk = periodKey(v.measureCode, v.periodLabel);
    let group = storedByPeriod.get(pk);
    if (group === undefined) {
      group = new Map();
      storedByPeriod.set(pk, group);
    }
    group.set(v.areaCode, v);
  }
  const added: repository.StoredValue[] = [];
  const restated: repository.StoredValue[] = [];
  /** The new and restated figures, by measure and period, then by area. */
  const changedByPeriod = new Map<string, Map<string, repository.StoredValue>>();
  let unchanged = 0;
  for (const [pk, group] of incoming) {
    const before = storedByPeriod.get(pk);
    for (const [areaCode, value] of group.figures) {
      const was = before?.get(areaCode);
      if (was !== undefined && sameFigure(was.amount, value.amount) && was.code === value.code) {
        unchanged += 1;
        continue;
      }
      const next: repository.StoredValue = {
        measureCode: group.measure,
        periodLabel: group.label,
        areaCode,
        amount: value.amount,
        code: value.code,
        rank: null,
        rankOf: null,
        band: null,
      };
      (was === undefined ? added : restated).push(next);
      let changed = changedByPeriod.get(pk);
      if (changed === undefined) {
        changed = new Map();
        changedByPeriod.set(pk, changed);
      }
      changed.set(areaCode, next);
    }
  }
  const metadataChanged = measuresChanged(storedMeasures, measures);
  if (options.dryRun) {
    return {
      ok: true,
      summary: { ...summaryBase, added: added.length, restated: restated.length, unchanged, saved: false },
    };
  }
  if (
    added.length === 0 &&
    restated.length === 0 &&
    metadataChanged.length === 0 &&
    areasChanged(storedAreas, areas) === 0 &&
    !(await neighboursChanged(db, neighbourModels))
  ) {
    return { ok: true, summary: { ...summaryBase, added: 0, restated: 0, unchanged, saved: false } };
  }

  await db.transaction(async (tx) => {
    await repository.upsertAreas(tx, [...areas.values()]);
    await repository.upsertMeasures(tx, [...measures.values()]);
    for (const [model, rows] of neighbourModels) await repository.replaceNeighbours(tx, model, rows);

    // Every measure and period with a new or restated figure, or whose measure's polarity or
    // quartile flag changed, is placed again from the final figures of all its councils.
    const affected = new Set<string>(changedByPeriod.keys());
    const metadataChangedCodes = new Set(metadataChanged);
    for (const [pk, group] of storedByPeriod) {
      const measureCode = group.values().next().value?.measureCode;
      if (measureCode !== undefined && metadataChangedCodes.has(measureCode)) affected.add(pk);
    }
    const periods: repository.PeriodRecord[] = [];
    const replacedPlacings: repository.StoredValue[] = [];
    for (const pk of affected) {
      const changed = changedByPeriod.get(pk);
      const values: repository.StoredValue[] = [];
      for (const [areaCode, v] of storedByPeriod.get(pk) ?? []) {
        if (changed?.has(areaCode) !== true) values.push({ ...v });
      }
      if (changed !== undefined) values.push(...changed.values());
      const [measureCode = "", label = ""] = pk.split("\u0000");
      const meta = metas.get(measureCode);
      if (meta === undefined) continue;
      const councils = values.filter((v) => knownAreas.get(v.areaCode)?.kind === "council");
      const placed = placeCouncils(
        councils.map((v) => ({ area: v.areaCode, amount: v.amount === null ? null : Number(v.amount) })),
        meta.polarity,
        !meta.noQuartile,
      );
      const byArea = new Map(placed.placings.map((p) => [p.area, p]));
      for (const v of values) {
        const p = byArea.get(v.areaCode);
        const rank = p?.rank ?? null;
        const rankOf = p?.rankOf ?? null;
        const band = p?.band ?? null;
        const isNew = changed?.has(v.areaCode) === true;
        if (!isNew && (v.rank !== rank || v.rankOf !== rankOf || v.band !== band)) {
          replacedPlacings.push({ ...v, rank, rankOf, band });
        }
        v.rank = rank;
        v.rankOf = rankOf;
        v.band = band;
      }
      const period = readPeriodLabel(label, meta.yearType);
      if (period === null) continue;
      periods.push({
        measureCode,
        label,
        description: period.description,
        starts: period.starts,
        ends: period.ends,
        status: period.status,
        q25: placed.cutPoints === null ? null : plainDecimal(placed.cutPoints.q25),
        q50: placed.cutPoints === null ? null : plainDecimal(placed.cutPoints.q50),
        q75: placed.cutPoints === null ? null : plainDecimal(placed.cutPoints.q75),
        councilsWithValue: placed.councilsWithValue,
      });
    }
    // Written in the order of the index on measure, period and area: a database adds index
    // entries in order several times faster than scattered.
    const toInsert: repository.StoredValue[] = [];
    for (const pk of [...changedByPeriod.keys()].sort(codeUnitOrder)) {
      const changed = changedByPeriod.get(pk);
      if (changed === undefined) continue;
      for (const areaCode of [...changed.keys()].sort(codeUnitOrder)) {
        const v = changed.get(areaCode);
        if (v !== undefined) toInsert.push(v);
      }
    }
    const importId = await repository.insertImport(tx, {
      files: uploads.map((u) => u.name),
      added: added.length,
      restated: restated.length,
      actor,
    });
    await repository.retireValues(tx, restated, importId);
    await repository.insertValues(tx, toInsert, importId);
    await repository.updatePlacings(tx, replacedPlacings);
    await repository.upsertPeriods(tx, periods);
    await recordAuditEvent(tx, {
      actor,
      action: "import",
      entityType: "benchmark-import",
      entityId: importId,
      summary: `Imported the Department's benchmarking data (${uploads.map((u) => u.name).join(", ")}): ${added.length} figures added, ${restated.length} restated.`,
      after: { files: uploads.map((u) => u.name), added: added.length, restated: restated.length },
    });
  });
  return {
    ok: true,
    summary: { ...summaryBase, added: added.length, restated: restated.length, unchanged, saved: true },
  };
}

function codeUnitOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Two stored decimals are the same figure whatever their trailing zeros ("18.90" and "18.9"). */
function sameFigure(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return a === b;
  return a === b || Number(a) === Number(b);
}

function measuresChanged(
  stored: readonly repository.MeasureRecord[],
  incoming: ReadonlyMap<string, repository.MeasureRecord>,
): string[] {
  const byCode = new Map(stored.map((m) => [m.code, m]));
  const changed: string[] = [];
  for (const [code, m] of incoming) {
    const before = byCode.get(code);
    if (
      before === undefined ||
      before.polarity !== m.polarity ||
      before.noQuartile !== m.noQuartile ||
      before.yearType !== m.yearType ||
      before.title !== m.title ||
      before.decimals !== m.decimals ||
      before.nextUpdate !== m.nextUpdate
    ) {
      changed.push(code);
    }
  }
  return changed;
}

function areasChanged(
  stored: readonly repository.AreaRecord[],
  incoming: ReadonlyMap<string, repository.AreaRecord>,
): number {
  const byCode = new Map(stored.map((a) => [a.code, a]));
  let changed = 0;
  for (const [code, a] of incoming) {
    const b = byCode.get(code);
    if (
      b === undefined ||
      b.name !== a.name ||
      b.region !== a.region ||
      b.areaType !== a.areaType ||
      b.kind !== a.kind
    )
      changed += 1;
  }
  return changed;
}

async function neighboursChanged(
  db: Database,
  models: ReadonlyMap<string, readonly repository.NeighbourRecord[]>,
): Promise<boolean> {
  if (models.size === 0) return false;
  const stored = await repository.listNeighbours(db);
  for (const [model, rows] of models) {
    const before = stored.filter((r) => r.model === model);
    if (before.length !== rows.length) return true;
    const text = (r: repository.NeighbourRecord) =>
      `${r.areaCode}|${r.position}|${r.neighbourCode}|${r.closeness}`;
    const set = new Set(before.map(text));
    if (rows.some((r) => !set.has(text(r)))) return true;
  }
  return false;
}
