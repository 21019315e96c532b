import type nunjucks from "nunjucks";
import { formatMillions, formatPounds } from "../domain/money.ts";
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
  environment.addFilter("json", (value: unknown) => JSON.stringify(value, null, 2));
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
