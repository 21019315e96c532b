/**
 * What the measures module keeps of a value cell as written ("909 (Dec 20)", "29% (P)",
 * "N/Av (COVID-19)"): the figure, its status and annotations in plain words, its own period, and
 * warnings. The reading itself is parseValueCell's (src/domain/values.ts); this only flattens it
 * for storage and display, and keeps the cell word for word.
 */
import type { MeasureUnit } from "../../domain/measure-types.ts";
import { formatPeriod, parsePeriod, periodSpan } from "../../domain/periods.ts";
import { DATA_STATUS_MEANINGS, formatFigure, parseValueCell, periodFitsColumn } from "../../domain/values.ts";

export interface UnderstoodCell {
  /** The cell exactly as written. */
  text: string;
  amount: number | null;
  decimals: number | null;
  /** A data status as written ("AD", "N/Av", "-"), its meaning where written without words, "unparsed", or null for a figure. */
  status: string | null;
  /** Provisional, footnote markers, own period, inline benchmark and free notes, in plain words. */
  annotations: string[];
  /** The period the cell gives itself ("Dec 20"), when it has one. */
  ownPeriod: string | null;
  /**
   * The cell's own period in Baseplan's words ("December 2024"), where an import saves the value
   * for it rather than for its column's period (see `understandCell`); null otherwise.
   */
  ownPeriodSaved: string | null;

  warnings: string[];
  /** A benchmark written in the cell ("national 16.4%"), as a figure with its decimals. */
  benchmark: CellBenchmark | null;
}

export interface CellBenchmark {
  group: string;
  /** As written: "national", "England average". */
  label: string;
  /** The figure exactly as written, without separators: "16.4". */
  amount: string;
  decimals: number;
}

/** Columns for one quarter or month: a value for another period under one is saved for its own. */
const SHORT_COLUMN_KINDS: ReadonlySet<string> = new Set(["financial-quarter", "month", "budget-month"]);

export function understandCell(
  text: string,
  options: {
    unit: MeasureUnit | null;
    columnPeriod: string | null;
    columnHeading: string;
    /**
     * An import saves a value for its own period where the cell gives one outside its column's
     * quarter or month ("1,234 (Dec 24)" under last quarter's column), and the cell says so
     * instead of warning that it sits in the wrong column. Under a year's column a cell for
     * another period stays the year's latest figure as the document printed it, with the warning
     * (a plan's "Latest 2020/21" column showing "77.1% (Dec 19)", the latest figure to hand).
     */
    savedForOwnPeriod?: boolean;
  },
): UnderstoodCell {
  const columnPeriod = options.columnPeriod ? parsePeriod(options.columnPeriod) : null;
  const cell = parseValueCell(text, {
    ...(options.unit ? { unit: options.unit } : {}),
    ...(columnPeriod ? { columnPeriod } : {}),
  });
  const annotations: string[] = [];
  if (cell.status?.reason) annotations.push(cell.status.reason);
  for (const marker of cell.footnotes) annotations.push(`Footnote ${marker.marker}`);
  for (const annotation of cell.annotations) {
    if (annotation.kind === "provisional") annotations.push("Provisional");
    else if (annotation.kind === "period") annotations.push(`Period: ${annotation.text}`);
    else if (annotation.kind === "benchmark") {
      annotations.push(
        `Benchmark: ${annotation.benchmark.label} ${formatFigure(annotation.benchmark.figure)}`,
      );
    } else annotations.push(annotation.text);
  }
  const own = cell.period?.period ?? null;
  const outside =
    own !== null &&
    own.start !== null &&
    own.end !== null &&
    columnPeriod !== null &&
    !periodFitsColumn(own, columnPeriod)
      ? formatPeriod(own)
      : null;
  const moved =
    outside !== null &&
    options.savedForOwnPeriod === true &&
    columnPeriod !== null &&
    SHORT_COLUMN_KINDS.has(columnPeriod.kind);
  if (moved && columnPeriod !== null) {
    annotations.push(`Column period: ${formatPeriod(columnPeriod)} (the value is saved for its own period)`);
  }
  let status: string | null = null;
  if (cell.status) status = cell.status.written || DATA_STATUS_MEANINGS[cell.status.code];
  else if (cell.value === null) status = "unparsed";
  if (cell.status?.code === "blank") status = "blank";
  return {
    text,
    amount: cell.value,
    decimals: cell.figure?.decimals ?? null,
    status,
    annotations,
    ownPeriod: cell.period?.text ?? null,
    ownPeriodSaved: moved && own !== null ? own.canonicalLabel : null,
    warnings: cell.warnings
      .filter((warning) => !(moved && warning.code === "period-outside-column"))
      .map((warning) => warning.message),
    benchmark: cell.benchmark
      ? {
          group: cell.benchmark.group,
          label: cell.benchmark.label,
          amount: cell.benchmark.figure.decimalText,
          decimals: cell.benchmark.figure.decimals,
        }
      : null,
  };
}

/** A value's own period as stored beside it: as written, and its kind and span (`periodSpan`). */
export interface ValuePeriod {
  label: string;
  span: string;
}

/**
 * The period a value is for: the one its cell gives itself ("909 (Dec 20)"), else its column's
 * (the stored period label); null when neither can be read. Worked out once, when the value is
 * written, so pages compare like periods without reading the cell again.
 */
export function valuePeriod(text: string, periodLabel: string): ValuePeriod | null {
  const column = parsePeriod(periodLabel);
  const period = parseValueCell(text, column ? { columnPeriod: column } : {}).period?.period ?? column;
  return period ? { label: formatPeriod(period), span: periodSpan(period) } : null;
}
