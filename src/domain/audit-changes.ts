import { formatPounds } from "./money.ts";
import { formatLongDate } from "./procurement.ts";

// What an audit event changed, field by field, in the words and formats a council reads:
// money as pounds and pence, dates as "31 January 2021", yes/no, "none" for nothing.

export interface FieldChange {
  /** "Forecast outturn", from the stored field name. */
  field: string;
  /** The value before, formatted; "none" when there was none (the record was new). */
  before: string;
  after: string;
}

/** Fields that say how a row is kept, not what it says: never listed as changes. */
const KEPT_OUT = new Set([
  "id",
  "version",
  "createdAt",
  "updatedAt",
  "recordedAt",
  "recordedBy",
  "occurredAt",
  "current",
  "supersededBy",
  "supersededById",
  "position",
]);

/** Field names that read better said differently than split from their camel case. */
const FIELD_WORDS: Readonly<Record<string, string>> = {
  leadAsWritten: "Lead officers",
  cellText: "Value as written",
  targetText: "Target as written",
  estimatedValueText: "Estimated value as written",
  dfeCode: "DfE code",
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Whether a field is listed: not one that says how a row is kept, and not a "source" object,
 * which records where loaded figures came from in the loader's terms, not the council's.
 */
function listed(name: string, value: unknown): boolean {
  return !KEPT_OUT.has(name) && !(name === "source" && isRecord(value));
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const LONGEST_VALUE = 200;

const dateTime = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "long",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  timeZone: "Europe/London",
});

/** "forecastOutturnPence" as "Forecast outturn"; "estimatedStartDate" as "Estimated start date". */
export function fieldWords(name: string): string {
  const known = FIELD_WORDS[name];
  if (known) return known;
  const words = name
    .replace(/Pence$/, "")
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/[_-]+/g, " ")
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function shorten(text: string): string {
  return text.length > LONGEST_VALUE ? `${text.slice(0, LONGEST_VALUE - 1)}…` : text;
}

/** One stored value as a reader writes it; `name` says whether a number is money in pence. */
export function formatValue(name: string, value: unknown): string {
  if (value === null || value === undefined || value === "") return "none";
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (typeof value === "number") {
    if (/Pence$/.test(name) && Number.isSafeInteger(value)) return formatPounds(value, { pence: true });
    return String(value);
  }
  if (typeof value === "string") {
    if (ISO_DATE.test(value)) return formatLongDate(value);
    if (ISO_TIMESTAMP.test(value)) {
      const when = new Date(value);
      if (!Number.isNaN(when.getTime())) return dateTime.format(when);
    }
    return shorten(value);
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return "none";
    return shorten(value.map((item) => formatValue(name, item)).join(", "));
  }
  return shorten(
    Object.entries(value as Record<string, unknown>)
      .filter(([key, item]) => listed(key, item))
      .map(([key, item]) => `${fieldWords(key).toLowerCase()}: ${formatValue(key, item)}`)
      .join("; "),
  );
}

/**
 * The fields an event changed, with the value before and after each. A new record (nothing
 * before) lists what it was created with; a field whose formatted value is the same both sides
 * is left out.
 */
export function describeChanges(before: unknown, after: unknown): FieldChange[] {
  if (!isRecord(before) && !isRecord(after)) {
    if ((before === null || before === undefined) && (after === null || after === undefined)) return [];
    const was = formatValue("value", before);
    const now = formatValue("value", after);
    return was === now ? [] : [{ field: "Value", before: was, after: now }];
  }
  const was = isRecord(before) ? before : {};
  const now = isRecord(after) ? after : {};
  const names = [...new Set([...Object.keys(now), ...Object.keys(was)])].filter(
    (name) => listed(name, now[name]) && listed(name, was[name]),
  );
  const changes: FieldChange[] = [];
  for (const name of names) {
    const from = formatValue(name, was[name]);
    const to = formatValue(name, now[name]);
    if (from !== to) changes.push({ field: fieldWords(name), before: from, after: to });
  }
  return changes;
}
