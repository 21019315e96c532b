/**
 * What the measures module needs from a value cell as written ("909 (Dec 20)", "29% (P)",
 * "N/Av (COVID-19)"): the figure, its status and annotations, its own period, and warnings.
 *
 * STAND-IN: src/domain/values.ts (parseValueCell) was not there when this module was written.
 * This reads only what the pages and ratings need and keeps every cell word for word; once
 * values.ts lands, `understandCell` should call parseValueCell and map its result here.
 */
import { type Period, parsePeriod } from "../../domain/periods.ts";

export interface UnderstoodCell {
  /** The cell exactly as written. */
  text: string;
  amount: number | null;
  decimals: number | null;
  /** A data status ("AD", "N/Av", "TBC", "New Measure", "suspended", "-", "blank") or null for a figure. */
  status: string | null;
  /** Provisional, footnote markers, own period, inline benchmark and free notes, in plain words. */
  annotations: string[];
  /** The period the cell gives itself ("Dec 20"), when it differs from its column. */
  ownPeriod: string | null;
  warnings: string[];
}

const STATUS_WORDS = new Map<string, string>([
  ["ad", "AD"],
  ["n/av", "N/Av"],
  ["n/a", "N/A"],
  ["tbc", "TBC"],
  ["-", "-"],
  ["new measure", "New Measure"],
  ["baseline year", "Baseline year"],
  ["not set", "Not Set"],
]);

const FIGURE = /^(£)?(-?\d[\d,]*(?:\.\d+)?)(%)?(\s*per 10K pop)?/i;

function periodOf(label: string): Period | null {
  return parsePeriod(label.trim().replace(/\s+/g, " "));
}

/** A year label such as "2020/21" read as the span from its financial year's start to its academic year's end. */
function columnSpan(column: string): { start: string; end: string } | null {
  const period = periodOf(column);
  if (period === null || period.start === null || period.end === null) return null;
  if (period.kind !== "financial-year") return { start: period.start, end: period.end };
  const endYear = Number(period.end.slice(0, 4));
  return { start: period.start, end: `${endYear}-08-31` };
}

export function understandCell(
  text: string,
  options: { unit: string | null; columnPeriod: string | null; columnHeading: string },
): UnderstoodCell {
  const cell: UnderstoodCell = {
    text,
    amount: null,
    decimals: null,
    status: null,
    annotations: [],
    ownPeriod: null,
    warnings: [],
  };
  let rest = text.trim().replace(/\s+/g, " ");
  if (rest === "") {
    cell.status = "blank";
    return cell;
  }
  const status = STATUS_WORDS.get(rest.toLowerCase().replace(/\s*\(.*$/, ""));
  if (status) {
    cell.status = status;
    rest = rest.replace(/^[^(]*/, "").trim();
  } else {
    const figure = FIGURE.exec(rest);
    if (figure) {
      const digits = (figure[2] ?? "").replace(/,/g, "");
      cell.amount = Number(digits);
      cell.decimals = digits.includes(".") ? (digits.split(".")[1] ?? "").length : 0;
      rest = rest.slice(figure[0].length).trim();
      if (options.unit === "percent" && !figure[3]) {
        cell.warnings.push(`"${text}" has no % sign, but the measure is a percentage.`);
      }
      const markers = /^([*^²³¹C\s]+?)(?=\s*\(|$)/u.exec(rest);
      if (markers?.[1]?.trim()) {
        cell.annotations.push(`Footnote ${markers[1].trim()}`);
        rest = rest.slice(markers[1].length).trim();
      }
    } else if (/suspended/i.test(rest)) {
      cell.status = "suspended";
    } else {
      cell.status = "unparsed";
      cell.warnings.push(`"${text}" is not a figure or a status Baseplan knows; it is kept as written.`);
      return cell;
    }
  }
  for (const group of rest.matchAll(/\(([^)]*)\)/g)) {
    const inner = (group[1] ?? "").trim();
    if (/^p$/i.test(inner)) cell.annotations.push("Provisional");
    else if (/^national /i.test(inner)) cell.annotations.push(`Benchmark: ${inner}`);
    else if (periodOf(inner)) {
      cell.ownPeriod = inner;
      cell.annotations.push(`Period: ${inner}`);
    } else cell.annotations.push(inner);
  }
  const trailing = rest.replace(/\([^)]*\)/g, "").trim();
  if (trailing) cell.annotations.push(trailing);
  if (cell.ownPeriod && options.columnPeriod) {
    const own = periodOf(cell.ownPeriod);
    const span = columnSpan(options.columnPeriod);
    if (own?.start && own.end && span && (own.end < span.start || own.start > span.end)) {
      cell.warnings.push(
        `"${text}" is for ${cell.ownPeriod}, which does not match its column ${options.columnHeading}.`,
      );
    }
  }
  return cell;
}
