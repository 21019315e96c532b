import { parse } from "csv-parse/sync";
import { parquetMetadataAsync, parquetRead, parquetSchema } from "hyparquet";
import { readPublishedValue } from "../../domain/benchmark-data.ts";

/**
 * Reads the Department's files into plain rows, by their shape: the Local Authority Interactive
 * Tool's long data (Parquet as published, or a CSV extract of it), its data dictionary, its code
 * list, the statistical-neighbour models (2025 wide, April 2021 groupings), and the Department's
 * statistics files in the Explore Education Statistics shape (one row per period and area, one
 * column per indicator, with filter columns such as "category"). Formats are
 * parsed by libraries (hyparquet, csv-parse); this only recognises the columns. Every problem
 * names the file, row, column and value.
 */

export interface FileProblem {
  readonly file: string;
  /** Line in the file (a CSV's own line number; a Parquet file's data row), or null for the file as a whole. */
  readonly row: number | null;
  readonly column: string | null;
  readonly value: string | null;
  readonly message: string;
}

export interface UploadedFile {
  readonly name: string;
  readonly bytes: Uint8Array;
}

export interface LongRow {
  readonly row: number;
  readonly measure: string;
  readonly title: string | null;
  readonly period: string;
  readonly areaName: string;
  readonly areaCode: string;
  readonly value: string;
}

export interface DictionaryRow {
  readonly row: number;
  readonly code: string;
  readonly title: string;
  readonly chartTitle: string;
  readonly topic: string;
  readonly polarity: string;
  readonly unitWords: string;
  readonly status: string;
  readonly lastUpdate: string;
  readonly nextUpdate: string;
  readonly source: string;
  readonly decimals: string;
  readonly yearType: string;
  readonly noQuartile: string;
}

export interface CodeListRow {
  readonly row: number;
  readonly code: string;
  readonly name: string;
  readonly region: string;
  readonly type: string;
}

export interface NeighbourRow {
  readonly row: number;
  readonly model: string;
  readonly area: string;
  readonly name: string;
  readonly region: string;
  readonly neighbours: readonly { code: string; closeness: string }[];
}

/** One indicator's figure for one period and area of a statistics file (Explore Education Statistics shape). */
export interface StatisticsRow {
  readonly row: number;
  /** The measure: the indicator column, with the row's filter values where the file has several. */
  readonly measure: string;
  /** time_period as written: "2025", or "202425" for a financial or academic year. */
  readonly period: string;
  /** time_identifier: "Reporting year", "Financial year", "Academic year", "Calendar year". */
  readonly timeIdentifier: string;
  /** geographic_level: "National", "Regional" or "Local authority" (others are left out by the import). */
  readonly level: string;
  /** old_la_code: the 3-digit DfE code of a local authority row. */
  readonly laCode: string;
  readonly areaName: string;
  /** The indicator column the figure is in, for problems. */
  readonly column: string;
  readonly value: string;
}

export interface StatisticsMeasure {
  readonly code: string;
  readonly title: string;
}

export type ReadFile =
  | { readonly kind: "long"; readonly file: string; readonly rows: readonly LongRow[] }
  | { readonly kind: "dictionary"; readonly file: string; readonly rows: readonly DictionaryRow[] }
  | { readonly kind: "code-list"; readonly file: string; readonly rows: readonly CodeListRow[] }
  | { readonly kind: "neighbours"; readonly file: string; readonly rows: readonly NeighbourRow[] }
  | {
      readonly kind: "statistics";
      readonly file: string;
      readonly rows: readonly StatisticsRow[];
      readonly measures: readonly StatisticsMeasure[];
    };

export interface ReadResult {
  readonly files: readonly ReadFile[];
  readonly problems: readonly FileProblem[];
}

const LONG_COLUMNS = ["Short Desc", "Years", "LA and Regions", "Values", "LA Number"] as const;
const DICTIONARY_COLUMNS = [
  "Measure_short",
  "Measure",
  "Polarity",
  "dps",
  "Year_Type",
  "No_Quartile",
] as const;
const CODE_LIST_COLUMNS = ["LA Number", "LA Name", "Region", "Type"] as const;
/** The columns every Explore Education Statistics data file has. */
const STATISTICS_COLUMNS = ["time_period", "time_identifier", "geographic_level"] as const;
/** Its time and geography columns: neither an indicator nor a filter. */
const STATISTICS_PLACE_AND_TIME = new Set([
  "time_period",
  "time_identifier",
  "geographic_level",
  "country_code",
  "country_name",
  "region_code",
  "region_name",
  "old_la_code",
  "new_la_code",
  "la_name",
]);

function isParquet(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 8 && bytes[0] === 0x50 && bytes[1] === 0x41 && bytes[2] === 0x52 && bytes[3] === 0x31
  );
}

/** A code as the Department writes it: "830", or 830 read from a Parquet double. */
function codeText(value: unknown): string {
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : String(value);
  if (typeof value === "bigint") return String(value);
  return typeof value === "string" ? value.trim() : "";
}

function text(value: unknown): string {
  if (value === null || value === undefined) return "";
  return typeof value === "string" ? value : String(value);
}

/** The long file's columns the import reads (the file has others, such as the region's name). */
const LONG_READ = [...LONG_COLUMNS, "Data item"] as const;

async function readParquet(file: UploadedFile, problems: FileProblem[]): Promise<ReadFile | null> {
  const buffer = file.bytes.buffer.slice(
    file.bytes.byteOffset,
    file.bytes.byteOffset + file.bytes.byteLength,
  ) as ArrayBuffer;
  // Read column by column into arrays, not as one object per row: 641,070 rows of objects that
  // are dropped again at once cost more in the garbage collector than the reading itself.
  const columns = new Map<string, unknown[]>();
  let rowCount = 0;
  try {
    const metadata = await parquetMetadataAsync(buffer);
    rowCount = Number(metadata.num_rows);
    const present = new Set(parquetSchema(metadata).children.map((c) => c.element.name));
    const missing = LONG_COLUMNS.filter((column) => !present.has(column));
    if (rowCount === 0 || missing.length > 0) {
      problems.push({
        file: file.name,
        row: null,
        column: missing.join(", ") || null,
        value: null,
        message:
          rowCount === 0
            ? "The Parquet file has no rows."
            : `This is not the Department's LAIT long data file: it has no column ${missing.map((m) => `"${m}"`).join(", ")}.`,
      });
      return null;
    }
    const wanted = LONG_READ.filter((column) => present.has(column));
    for (const column of wanted) columns.set(column, new Array<unknown>(rowCount));
    await parquetRead({
      file: buffer,
      metadata,
      columns: [...wanted],
      onChunk: ({ columnName, columnData, rowStart }) => {
        const into = columns.get(columnName);
        if (into === undefined) return;
        for (let i = 0; i < columnData.length; i++) into[rowStart + i] = columnData[i];
      },
    });
  } catch (error) {
    problems.push({
      file: file.name,
      row: null,
      column: null,
      value: null,
      message: `The file could not be read as Parquet (${error instanceof Error ? error.message : "unreadable"}).`,
    });
    return null;
  }
  const column = (name: string): unknown[] => columns.get(name) ?? [];
  const [measures, titles, periods, areaNames, areaCodes, values] = [
    column("Short Desc"),
    column("Data item"),
    column("Years"),
    column("LA and Regions"),
    column("LA Number"),
    column("Values"),
  ];
  const rows: LongRow[] = new Array(rowCount);
  for (let index = 0; index < rowCount; index++) {
    const title = titles[index];
    rows[index] = {
      row: index + 1,
      measure: text(measures[index]).trim(),
      title: title === null || title === undefined ? null : text(title),
      period: text(periods[index]).trim(),
      areaName: text(areaNames[index]).trim(),
      areaCode: codeText(areaCodes[index]),
      value: text(values[index]),
    };
  }
  return { kind: "long", file: file.name, rows };
}

interface CsvTable {
  readonly header: readonly string[];
  readonly records: readonly { line: number; cells: readonly string[] }[];
}

function readCsv(file: UploadedFile, problems: FileProblem[]): CsvTable | null {
  // The Department's extracts start with "# " provenance lines; '#' inside a field (a URL) is data.
  const source = Buffer.from(file.bytes)
    .toString("utf8")
    .replace(/^\uFEFF/, "");
  try {
    const parsed = parse(source, {
      comment: "#",
      comment_no_infix: true,
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
      relax_column_count: true,
      info: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
    const [head, ...rest] = parsed;
    if (head === undefined) {
      problems.push({ file: file.name, row: null, column: null, value: null, message: "The file is empty." });
      return null;
    }
    return {
      header: head.record.map((cell) => cell.trim()),
      records: rest.map((r) => ({ line: r.info.lines, cells: r.record })),
    };
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? null;
    problems.push({
      file: file.name,
      row: line,
      column: null,
      value: null,
      message: `The file could not be read as CSV (${error instanceof Error ? error.message : "unreadable"}).`,
    });
    return null;
  }
}

function columnsOf(header: readonly string[]): (record: readonly string[], column: string) => string {
  const index = new Map<string, number>();
  header.forEach((name, i) => {
    if (!index.has(name)) index.set(name, i);
  });
  return (record, column) => (record[index.get(column) ?? -1] ?? "").trim();
}

function hasAll(header: readonly string[], columns: readonly string[]): boolean {
  return columns.every((column) => header.includes(column));
}

function readCsvFile(file: UploadedFile, problems: FileProblem[]): ReadFile | null {
  const table = readCsv(file, problems);
  if (table === null) return null;
  const { header, records } = table;
  const cell = columnsOf(header);
  if (hasAll(header, LONG_COLUMNS)) {
    return {
      kind: "long",
      file: file.name,
      rows: records.map(({ line, cells }) => ({
        row: line,
        measure: cell(cells, "Short Desc"),
        title: cell(cells, "Data item") || null,
        period: cell(cells, "Years"),
        areaName: cell(cells, "LA and Regions"),
        areaCode: cell(cells, "LA Number"),
        value: cell(cells, "Values"),
      })),
    };
  }
  if (hasAll(header, DICTIONARY_COLUMNS)) {
    return {
      kind: "dictionary",
      file: file.name,
      rows: records.map(({ line, cells }) => ({
        row: line,
        code: cell(cells, "Measure_short"),
        title: cell(cells, "Measure"),
        chartTitle: cell(cells, "Chart_title"),
        topic: cell(cells, "Topic"),
        polarity: cell(cells, "Polarity"),
        unitWords: cell(cells, "y_axis_name"),
        status: cell(cells, "Table_status"),
        lastUpdate: cell(cells, "Last Update"),
        nextUpdate: cell(cells, "Next Update"),
        source: cell(cells, "Data Owner (DO) /Supplier and Contact Details"),
        decimals: cell(cells, "dps"),
        yearType: cell(cells, "Year_Type"),
        noQuartile: cell(cells, "No_Quartile"),
      })),
    };
  }
  if (hasAll(header, CODE_LIST_COLUMNS)) {
    return {
      kind: "code-list",
      file: file.name,
      rows: records.map(({ line, cells }) => ({
        row: line,
        code: cell(cells, "LA Number"),
        name: cell(cells, "LA Name"),
        region: cell(cells, "Region"),
        type: cell(cells, "Type"),
      })),
    };
  }
  if (hasAll(header, STATISTICS_COLUMNS)) return readStatistics(file.name, header, records, cell);
  if (hasAll(header, ["old_la_code", "SN_1", "SN_1P"])) {
    return {
      kind: "neighbours",
      file: file.name,
      rows: records.map(({ line, cells }) => {
        const neighbours: { code: string; closeness: string }[] = [];
        for (let k = 1; header.includes(`SN_${k}`); k++) {
          const code = cell(cells, `SN_${k}`);
          if (code !== "") neighbours.push({ code, closeness: cell(cells, `SN_${k}P`) });
        }
        return {
          row: line,
          model: "2025",
          area: cell(cells, "old_la_code"),
          name: cell(cells, "la_name"),
          region: cell(cells, "region_name"),
          neighbours,
        };
      }),
    };
  }
  if (hasAll(header, ["LA num", "SN1"])) {
    // The April 2021 groupings repeat the heading "SNP" after every neighbour: read by position.
    return {
      kind: "neighbours",
      file: file.name,
      rows: records.map(({ line, cells }) => {
        const neighbours: { code: string; closeness: string }[] = [];
        for (let k = 1; header.includes(`SN${k}`); k++) {
          const at = header.indexOf(`SN${k}`);
          const code = (cells[at] ?? "").trim();
          if (code !== "") neighbours.push({ code, closeness: (cells[at + 1] ?? "").trim() });
        }
        return {
          row: line,
          model: "April 2021",
          area: cell(cells, "LA num"),
          name: cell(cells, "LA Name"),
          region: cell(cells, "GOReg"),
          neighbours,
        };
      }),
    };
  }
  problems.push({
    file: file.name,
    row: 1,
    column: null,
    value: header.slice(0, 6).join(","),
    message:
      "This is not one of the Department's benchmarking files: its columns are not those of the LAIT long data, the data dictionary, the LA code list, a statistical-neighbour model or a statistics file (time_period, time_identifier, geographic_level).",
  });
  return null;
}

/** "rereferral_percent" as words: "Rereferral percent". */
function indicatorWords(column: string): string {
  const words = column.replace(/_+/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * A statistics file in the Explore Education Statistics shape. Columns other than time and
 * geography are indicators where a cell holds a figure (or every filled cell a suppression code),
 * and filters (such as "category" or "population_type") otherwise. Each indicator is a measure; where a filter
 * takes more than one value in the file, each value is a measure of its own
 * ("children_count (Children looked after on 31 March each year)"). Empty cells carry nothing.
 */
function readStatistics(
  name: string,
  header: readonly string[],
  records: CsvTable["records"],
  cell: (record: readonly string[], column: string) => string,
): ReadFile {
  const others = header.filter((column) => column !== "" && !STATISTICS_PLACE_AND_TIME.has(column));
  // An indicator has a figure somewhere (a cell that is neither is then reported by the import,
  // not taken as a filter), or is all suppression codes; a filter has words.
  const indicators = others.filter((column) => {
    const read = records.map(({ cells }) => cell(cells, column)).filter((text) => text !== "");
    const values = read.map((text) => readPublishedValue(text));
    return (
      values.some((value) => value?.kind === "figure") ||
      (read.length > 0 && values.every((value) => value !== null))
    );
  });
  const filters = others.filter((column) => !indicators.includes(column));
  const varying = filters.filter(
    (column) => new Set(records.map(({ cells }) => cell(cells, column))).size > 1,
  );
  const measures = new Map<string, StatisticsMeasure>();
  const rows: StatisticsRow[] = [];
  for (const { line, cells } of records) {
    const level = cell(cells, "geographic_level");
    const filterValues = varying.map((column) => cell(cells, column).replace(/\//g, "-"));
    const areaName =
      level === "National"
        ? cell(cells, "country_name")
        : level === "Regional"
          ? cell(cells, "region_name")
          : cell(cells, "la_name");
    for (const column of indicators) {
      const code = filterValues.length > 0 ? `${column} (${filterValues.join(", ")})` : column;
      if (!measures.has(code)) {
        const words = indicatorWords(column);
        measures.set(code, {
          code,
          title: filterValues.length > 0 ? `${filterValues.join(", ")}: ${words.toLowerCase()}` : words,
        });
      }
      rows.push({
        row: line,
        measure: code,
        period: cell(cells, "time_period"),
        timeIdentifier: cell(cells, "time_identifier"),
        level,
        laCode: cell(cells, "old_la_code"),
        areaName,
        column,
        value: cell(cells, column),
      });
    }
  }
  return { kind: "statistics", file: name, rows, measures: [...measures.values()] };
}

/** Read every uploaded file by its shape; problems say which file, row, column and value. */
export async function readBenchmarkFiles(files: readonly UploadedFile[]): Promise<ReadResult> {
  const problems: FileProblem[] = [];
  const read: ReadFile[] = [];
  for (const file of files) {
    const result = isParquet(file.bytes) ? await readParquet(file, problems) : readCsvFile(file, problems);
    if (result !== null) read.push(result);
  }
  return { files: read, problems };
}
