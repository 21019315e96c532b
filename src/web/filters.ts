import nunjucks from "nunjucks";
import { formatMillions, formatPounds } from "../domain/money.ts";
import { badgeFor, RATING_SYMBOLS, readKeyLine } from "../domain/rating-key.ts";
import type { FieldError } from "../errors.ts";

const dateTimeFormat = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "long",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  timeZone: "Europe/London",
});

const dateFormat = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "long",
  year: "numeric",
  timeZone: "Europe/London",
});

/** Small pure formatting functions the templates use; each is tested in filters.test.ts. */
export function registerFilters(environment: nunjucks.Environment): void {
  environment.addFilter("trim", trim);
  environment.addFilter("errorSummaryList", errorSummaryList);
  environment.addFilter("fieldError", fieldErrorMessage);
  environment.addFilter("dateTime", (value: Date | string | null | undefined) =>
    value ? dateTimeFormat.format(new Date(value)) : "",
  );
  environment.addFilter("date", (value: Date | string | null | undefined) =>
    value ? dateFormat.format(new Date(value)) : "",
  );
  environment.addFilter("pounds", (pence: number | null | undefined) =>
    pence == null ? "" : formatPounds(pence),
  );
  environment.addFilter("millions", (pence: number | null | undefined, decimals = 3) =>
    pence == null ? "" : formatMillions(pence, decimals),
  );
  environment.addFilter(
    "documentTitle",
    (slug: string, titles: Record<string, string> | undefined) => titles?.[slug] ?? slug,
  );
  environment.addFilter("measureAmount", measureAmount);
  environment.addFilter("ratingKey", (line: string) =>
    readKeyLine(line).map((entry) => ({
      ...entry,
      symbol: entry.rating ? RATING_SYMBOLS[entry.rating] : "",
    })),
  );
  environment.addFilter("ratingBadge", badgeFor);
  environment.addFilter("json", (value: unknown) => JSON.stringify(value, null, 2));
}

/**
 * Nunjucks' own `trim`, faster. Its version, `replace(/^\s*|\s*$/g, "")`, tries `\s*$` at every
 * run of white space in the text and scans each run to its end before failing; GOV.UK Frontend's
 * macros trim the whole HTML of what they wrap (a summary list, a table, a page's worth of
 * indented markup), so on the long pages that was about 5% of rendering. `String.prototype.trim`
 * removes the same characters (white space and line ends, as `\s` matches), from the ends only.
 * Like Nunjucks', it keeps text marked safe as safe, so it is not escaped again.
 */
export function trim(value: unknown): unknown {
  const trimmed = String.prototype.trim.call(value);
  return value instanceof nunjucks.runtime.SafeString ? new nunjucks.runtime.SafeString(trimmed) : trimmed;
}

/** The GOV.UK error summary's list: each message links to its field. */
export function errorSummaryList(errors: FieldError[] | undefined) {
  return (errors ?? []).map((error) => ({ text: error.message, href: `#${error.field}` }));
}

/** The message beside one field, in the shape GOV.UK macros take. */
export function fieldErrorMessage(errors: FieldError[] | undefined, field: string) {
  const error = (errors ?? []).find((candidate) => candidate.field === field);
  return error ? { text: error.message } : undefined;
}

/**
 * A measure's figure as a reader writes it, from the exact decimal text it is stored as:
 * "406291" of a money measure is "£406,291", of a percentage "14.9%". Text, never a float.
 */
export function measureAmount(amount: string | null | undefined, unit: string | null | undefined): string {
  if (amount === null || amount === undefined || amount === "") return "";
  const match = /^(-?)(\d+)(\.\d+)?$/.exec(amount);
  if (!match) return amount;
  const [, sign = "", whole = "", fraction = ""] = match;
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const number = `${grouped}${fraction}`;
  switch (unit) {
    case "money":
      return `${sign}£${number}`;
    case "percent":
      return `${sign}${number}%`;
    case "percentage-points":
      return `${sign}${number} percentage points`;
    case "days":
      return `${sign}${number} days`;
    case "rate-per-10k":
      return `${sign}${number} per 10,000`;
    default:
      return `${sign}${number}`;
  }
}
