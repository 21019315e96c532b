import { parseMonitoringPeriodKey } from "../../domain/periods.ts";
import type { FieldError } from "../../errors.ts";
import { formTextErrors } from "../../web/forms.ts";
import type { AuditFilter } from "./audit.repository.ts";

// The /audit filter form's GET parameters, read and checked: every problem names its field and
// what was given, and nothing unchecked reaches a query.

const DATE_PARTS = ["day", "month", "year"] as const;
type DatePart = (typeof DATE_PARTS)[number];

export interface AuditQueryValues {
  person: string;
  kind: string;
  record: string;
  period: string;
  from: Record<DatePart, string>;
  to: Record<DatePart, string>;
}

export type AuditQuery =
  | { ok: true; filter: AuditFilter; page: number; values: AuditQueryValues }
  | { ok: false; errors: FieldError[]; values: AuditQueryValues };

const DATE_WORDS = { from: "Date from", to: "Date to" } as const;

function text(query: Record<string, unknown>, name: string): string {
  const value = query[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === "string" ? first.trim() : "";
}

/** "2021-01-31" from day, month and year boxes; null with the message naming the field and value. */
function readDate(
  name: "from" | "to",
  parts: Record<DatePart, string>,
): { iso: string | null } | { error: FieldError } {
  const given = DATE_PARTS.filter((part) => parts[part] !== "");
  if (given.length === 0) return { iso: null };
  const written = `${parts.day || "?"}/${parts.month || "?"}/${parts.year || "?"}`;
  const missing = DATE_PARTS.find((part) => parts[part] === "");
  if (missing) {
    return {
      error: {
        field: `${name}-${missing}`,
        message: `${DATE_WORDS[name]} must include a ${missing}: "${written}" does not`,
      },
    };
  }
  const numbers = DATE_PARTS.map((part) =>
    /^\d{1,4}$/.test(parts[part]) ? Number(parts[part]) : Number.NaN,
  );
  const [day = Number.NaN, month = Number.NaN, year = Number.NaN] = numbers;
  const date = new Date(Date.UTC(year, month - 1, day));
  const real =
    Number.isInteger(day) &&
    year >= 1900 &&
    year <= 9999 &&
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day;
  if (!real) {
    return {
      error: {
        field: `${name}-day`,
        message: `${DATE_WORDS[name]} must be a real date, for example 27 3 2021: "${written}" is not`,
      },
    };
  }
  return {
    iso: `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`,
  };
}

/** Reads the filter form's parameters; never throws, whatever the address holds. */
export function readAuditQuery(raw: unknown): AuditQuery {
  const query = (typeof raw === "object" && raw !== null ? raw : {}) as Record<string, unknown>;
  const values: AuditQueryValues = {
    person: text(query, "person"),
    kind: text(query, "kind"),
    record: text(query, "record"),
    period: text(query, "period"),
    from: { day: text(query, "from-day"), month: text(query, "from-month"), year: text(query, "from-year") },
    to: { day: text(query, "to-day"), month: text(query, "to-month"), year: text(query, "to-year") },
  };
  const errors: FieldError[] = formTextErrors(query).map((error) => ({
    field: error.field,
    message: error.message,
  }));
  if (errors.length > 0) return { ok: false, errors, values };
  if (values.person.length > 320) {
    errors.push({
      field: "person",
      message: `Person must be 320 characters or fewer; it has ${values.person.length}`,
    });
  }
  if (values.kind !== "" && !/^[a-z0-9-]{1,60}$/.test(values.kind)) {
    errors.push({
      field: "kind",
      message: `Record kind "${values.kind.slice(0, 60)}" is not a kind of record Baseplan keeps`,
    });
  }
  if (values.record !== "" && (values.kind === "" || values.record.length > 100)) {
    errors.push({
      field: "kind",
      message: `Record "${values.record.slice(0, 100)}" needs its record kind: choose one`,
    });
  }
  if (values.period !== "" && parseMonitoringPeriodKey(values.period) === null) {
    errors.push({
      field: "period",
      message: `Period "${values.period.slice(0, 60)}" is not a monitoring period, such as 2020-21-q3`,
    });
  }
  const from = readDate("from", values.from);
  const to = readDate("to", values.to);
  if ("error" in from) errors.push(from.error);
  if ("error" in to) errors.push(to.error);
  const pageText = text(query, "page");
  const page = pageText === "" ? 1 : /^[1-9][0-9]{0,6}$/.test(pageText) ? Number(pageText) : Number.NaN;
  if (Number.isNaN(page)) {
    errors.push({ field: "page", message: `Page "${pageText.slice(0, 20)}" is not a page number` });
  }
  if ("iso" in from && "iso" in to && from.iso && to.iso && to.iso < from.iso) {
    errors.push({
      field: "to-day",
      message: `Date to (${values.to.day}/${values.to.month}/${values.to.year}) must be the same as or after date from (${values.from.day}/${values.from.month}/${values.from.year})`,
    });
  }
  if (errors.length > 0) return { ok: false, errors, values };
  const filter: AuditFilter = {};
  if (values.person) filter.actor = values.person;
  if (values.kind) filter.recordKind = values.kind;
  if (values.record) filter.recordId = values.record;
  if (values.period) filter.period = values.period;
  if ("iso" in from && from.iso) filter.from = from.iso;
  if ("iso" in to && to.iso) filter.to = to.iso;
  return { ok: true, filter, page, values };
}

/** The same filter as GET parameters, for the page links and the CSV link. */
export function auditQueryString(values: AuditQueryValues, page?: number): string {
  const params = new URLSearchParams();
  for (const name of ["person", "kind", "record", "period"] as const) {
    if (values[name]) params.set(name, values[name]);
  }
  for (const name of ["from", "to"] as const) {
    for (const part of DATE_PARTS) if (values[name][part]) params.set(`${name}-${part}`, values[name][part]);
  }
  if (page !== undefined && page > 1) params.set("page", String(page));
  const text = params.toString();
  return text === "" ? "" : `?${text}`;
}
