import { comparePeriodLabels, parsePeriod } from "../../domain/periods.ts";
import { valuePeriod } from "./measures.cells.ts";
import type { MeasureValue } from "./measures.repository.ts";

/** What the parts of the measures service share: a period's key, a value's own period, grouping. */

/** Baseplan's own spelling of a period label, so "2020/2021" and "2020/21" are the same year. */
export function periodKey(label: string): string {
  return parsePeriod(label.trim())?.canonicalLabel ?? label.trim();
}

/** The own-period columns of a value row. */
export function storedPeriod(text: string, periodLabel: string) {
  const period = valuePeriod(text, periodLabel);
  return { ownPeriod: period?.label ?? null, ownPeriodSpan: period?.span ?? null };
}

export function groupedBy<T>(items: readonly T[], key: (item: T) => number | null): Map<number, T[]> {
  const grouped = new Map<number, T[]>();
  for (const item of items) {
    const id = key(item);
    if (id === null) continue;
    const list = grouped.get(id);
    if (list) list.push(item);
    else grouped.set(id, [item]);
  }
  return grouped;
}

/** A measure's current values in date order, as its trend chart: "Q4 2023/24" before "Q1 2024/25", Sep before Dec. */
export function currentInDateOrder(values: readonly MeasureValue[]): MeasureValue[] {
  return values
    .filter((value) => value.current)
    .sort((a, b) => comparePeriodLabels(a.periodKey, b.periodKey) || a.id - b.id);
}
