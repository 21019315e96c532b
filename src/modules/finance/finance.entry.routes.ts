import type { FastifyInstance, FastifyReply } from "fastify";
import { formatPounds, parseMoney } from "../../domain/money.ts";
import { redirectWithBanner } from "../../web/banner.ts";
import { formTextErrors, MISSING_VERSION_MESSAGE } from "../../web/forms.ts";
import type { RoutesOptions } from "../../web/modules.ts";
import type { EnteredFigure, EntryRow } from "./finance.entry.ts";
import {
  budgetPeriodParam,
  openForEntryCheck,
  type Params,
  quarterEndMonthOf,
  requireBalancePeriodOpen,
  yearParam,
} from "./finance.pages.ts";
import * as finance from "./finance.service.ts";
import { type ForecastPeriod, forecastPeriodPath, periodView } from "./finance.shared.ts";

const RESERVES = "earmarked reserve balances";
const DEBT = "debt figures";
const GROWTH = "growth item spend figures";

/** The most rows one entry form takes: far more than any council's reserves or debt bands. */
const MOST_ROWS = 500;

/** The longest name of a reserve, debt band or growth item a form saves. */
const LONGEST_NAME = 200;

interface FieldError {
  field: string;
  message: string;
}

/** A form row as shown: its figure as typed (or as stored), with its version. */
interface FormRow {
  index: number;
  key: string;
  name: string;
  version: number;
  value: string;
}

function rowsOf(rows: readonly EntryRow[]): FormRow[] {
  return rows.map((row, index) => ({
    index,
    key: row.key,
    name: row.name,
    version: row.stored?.version ?? 0,
    value: row.stored ? formatPounds(row.stored.pence, { pence: true }) : "",
  }));
}

/** The rows a form sent back: each row's key, name, version and figure as typed. */
function submittedRows(body: Params): FormRow[] {
  const rows: FormRow[] = [];
  for (let index = 0; index < MOST_ROWS && body[`key-${index}`] !== undefined; index += 1) {
    rows.push({
      index,
      key: body[`key-${index}`] ?? "",
      name: body[`name-${index}`] ?? "",
      version: /^\d+$/.test(body[`version-${index}`] ?? "") ? Number(body[`version-${index}`]) : -1,
      value: body[`amount-${index}`] ?? "",
    });
  }
  return rows;
}

/**
 * A form's errors with the checks every posted text passes first (no null character, nothing
 * unreadable, not too long): one message per field, the text check's where both have one.
 */
function withTextErrors(body: Params, errors: readonly FieldError[]): FieldError[] {
  const textErrors = formTextErrors(body);
  return [...textErrors, ...errors.filter((error) => !textErrors.some((text) => text.field === error.field))];
}

/** An amount typed in pounds, exactly into pence, or the reason it cannot be read, naming what and the text. */
function amountOf(text: string, what: string): { pence: number } | { message: string } {
  const parsed = parseMoney(text, { unit: "pounds", allowNote: false });
  if (parsed.ok) return { pence: parsed.pence };
  return { message: `The ${what}, "${text.trim()}", could not be read: ${parsed.reason}` };
}

/**
 * The figures a form's rows give, or the errors naming each field and the text in it. A row left
 * blank is not entered; a row with a figure saved before must keep one (it cannot be emptied).
 */
function figuresOf(
  rows: readonly FormRow[],
  what: (name: string) => string,
): { figures: EnteredFigure[]; errors: FieldError[] } {
  const figures: EnteredFigure[] = [];
  const errors: FieldError[] = [];
  for (const row of rows) {
    const field = `amount-${row.index}`;
    if (row.version < 0 || row.name.trim() === "") {
      errors.push({ field, message: MISSING_VERSION_MESSAGE });
      continue;
    }
    // The row's name travels with the form, so it is checked as a typed one would be.
    if (row.name.trim().length > LONGEST_NAME) {
      errors.push({
        field,
        message: `The name "${row.name.trim().slice(0, 40)}…" must be ${LONGEST_NAME} characters or fewer`,
      });
      continue;
    }
    if (row.value.trim() === "") {
      if (row.version > 0) {
        errors.push({
          field,
          message: `Enter the ${what(row.name)}: a figure entered before cannot be left blank`,
        });
      }
      continue;
    }
    const amount = amountOf(row.value, what(row.name));
    if ("message" in amount) errors.push({ field, message: amount.message });
    else figures.push({ key: row.key, name: row.name.trim(), pence: amount.pence, version: row.version });
  }
  return { figures, errors };
}

/** A new row the form offers (a reserve or band the list does not have yet): both parts or neither. */
function newRowOf(
  body: Params,
  names: readonly string[],
  what: { name: string; amount: (name: string) => string },
): { figure: EnteredFigure | null; errors: FieldError[] } {
  const name = (body.newName ?? "").trim();
  const value = (body.newAmount ?? "").trim();
  if (name === "" && value === "") return { figure: null, errors: [] };
  if (name === "")
    return { figure: null, errors: [{ field: "newName", message: `Enter the name of the ${what.name}` }] };
  if (name.length > LONGEST_NAME) {
    return {
      figure: null,
      errors: [
        {
          field: "newName",
          message: `The name of the ${what.name} must be ${LONGEST_NAME} characters or fewer`,
        },
      ],
    };
  }
  if (names.some((known) => known.toLowerCase() === name.toLowerCase())) {
    return {
      figure: null,
      errors: [{ field: "newName", message: `"${name}" is already in the list: enter its figure there` }],
    };
  }
  if (value === "") {
    return { figure: null, errors: [{ field: "newAmount", message: `Enter the ${what.amount(name)}` }] };
  }
  const amount = amountOf(value, what.amount(name));
  if ("message" in amount) return { figure: null, errors: [{ field: "newAmount", message: amount.message }] };
  return { figure: { key: "", name, pence: amount.pence, version: 0 }, errors: [] };
}

/**
 * The forms that enter a quarter's earmarked reserve balances, its debt by age band and
 * write-offs, and the spend to date on each growth item of the year.
 */
export function balanceEntryRoutes(app: FastifyInstance, services: RoutesOptions["services"]) {
  async function reservesForm(
    reply: FastifyReply,
    yearCode: string,
    at: ForecastPeriod,
    sent: { rows: FormRow[]; newName: string; newAmount: string } | null,
    errors: FieldError[] = [],
  ) {
    const found = await finance.reservesForEntry(services.db, yearCode, at.quarter, at.month);
    return reply.code(errors.length > 0 ? 400 : 200).view("finance/views/reserves-edit.njk", {
      pageTitle: `Enter earmarked reserve balances, ${found.words} ${found.year.label}`,
      year: found.year,
      quarter: at.quarter,
      ...periodView(at),
      rows: sent?.rows ?? rowsOf(found.rows),
      newName: sent?.newName ?? "",
      newAmount: sent?.newAmount ?? "",
      errors,
    });
  }

  app.get("/budget/:year/:quarter/reserves/edit", async (request, reply) => {
    const params = request.params as Params;
    const yearCode = yearParam(params.year);
    const at = budgetPeriodParam(params.quarter);
    await finance.reservesForEntry(services.db, yearCode, at.quarter, at.month);
    const monthForm = await quarterEndMonthOf(services, { code: yearCode }, at);
    if (monthForm)
      return reply.redirect(`/budget/${yearCode}/${forecastPeriodPath(monthForm)}/reserves/edit`, 303);
    await requireBalancePeriodOpen(services, { code: yearCode }, at, RESERVES);
    return reservesForm(reply, yearCode, at, null);
  });

  app.post("/budget/:year/:quarter/reserves/edit", async (request, reply) => {
    const params = request.params as Params;
    const yearCode = yearParam(params.year);
    const at = budgetPeriodParam(params.quarter);
    const body = (request.body ?? {}) as Params;
    await finance.reservesForEntry(services.db, yearCode, at.quarter, at.month);
    await requireBalancePeriodOpen(services, { code: yearCode }, at, RESERVES);
    const rows = submittedRows(body);
    const amount = (name: string) => `balance of ${name}`;
    const listed = figuresOf(rows, amount);
    const added = newRowOf(
      body,
      rows.map((row) => row.name),
      { name: "reserve", amount },
    );
    const errors = withTextErrors(body, [...listed.errors, ...added.errors]);
    if (errors.length > 0) {
      const sent = { rows, newName: body.newName ?? "", newAmount: body.newAmount ?? "" };
      return reservesForm(reply, yearCode, at, sent, errors);
    }
    const figures = added.figure ? [...listed.figures, added.figure] : listed.figures;
    await finance.saveReserveBalances(services.db, request.actor, {
      yearCode,
      quarter: at.quarter,
      month: at.month,
      figures,
      requireOpen: openForEntryCheck(services, { code: yearCode }, at, RESERVES),
    });
    return redirectWithBanner(
      reply,
      `/budget/${yearCode}/${forecastPeriodPath(at)}/reserves`,
      "The earmarked reserve balances were saved.",
    );
  });

  async function debtForm(
    reply: FastifyReply,
    yearCode: string,
    at: ForecastPeriod,
    sent: {
      rows: FormRow[];
      newName: string;
      newAmount: string;
      writeOff: string;
      writeOffVersion: string;
    } | null,
    errors: FieldError[] = [],
  ) {
    const found = await finance.debtForEntry(services.db, yearCode, at.quarter, at.month);
    return reply.code(errors.length > 0 ? 400 : 200).view("finance/views/debt-edit.njk", {
      pageTitle: `Enter debt by age band, ${found.words} ${found.year.label}`,
      year: found.year,
      quarter: at.quarter,
      ...periodView(at),
      rows: sent?.rows ?? rowsOf(found.bands),
      newName: sent?.newName ?? "",
      newAmount: sent?.newAmount ?? "",
      writeOff: sent?.writeOff ?? (found.writeOff ? formatPounds(found.writeOff.pence, { pence: true }) : ""),
      writeOffVersion: sent?.writeOffVersion ?? String(found.writeOff?.version ?? 0),
      writeOffPeriod: found.writeOffPeriod,
      errors,
    });
  }

  app.get("/budget/:year/:quarter/debt/edit", async (request, reply) => {
    const params = request.params as Params;
    const yearCode = yearParam(params.year);
    const at = budgetPeriodParam(params.quarter);
    await finance.debtForEntry(services.db, yearCode, at.quarter, at.month);
    const monthForm = await quarterEndMonthOf(services, { code: yearCode }, at);
    if (monthForm)
      return reply.redirect(`/budget/${yearCode}/${forecastPeriodPath(monthForm)}/debt/edit`, 303);
    await requireBalancePeriodOpen(services, { code: yearCode }, at, DEBT);
    return debtForm(reply, yearCode, at, null);
  });

  app.post("/budget/:year/:quarter/debt/edit", async (request, reply) => {
    const params = request.params as Params;
    const yearCode = yearParam(params.year);
    const at = budgetPeriodParam(params.quarter);
    const body = (request.body ?? {}) as Params;
    await finance.debtForEntry(services.db, yearCode, at.quarter, at.month);
    await requireBalancePeriodOpen(services, { code: yearCode }, at, DEBT);
    const rows = submittedRows(body);
    const amount = (name: string) => `debt ${name}`;
    const listed = figuresOf(rows, amount);
    const added = newRowOf(
      body,
      rows.map((row) => row.name),
      { name: "age band", amount },
    );
    const writeOffText = body.writeOff ?? "";
    const writeOffVersionText = body.writeOffVersion ?? "";
    const writeOffVersion = /^\d+$/.test(writeOffVersionText) ? Number(writeOffVersionText) : -1;
    const errors = [...listed.errors, ...added.errors];
    let writeOff: EnteredFigure | null = null;
    if (writeOffVersion < 0) {
      errors.push({ field: "writeOff", message: MISSING_VERSION_MESSAGE });
    } else if (writeOffText.trim() === "") {
      if (writeOffVersion > 0) {
        errors.push({
          field: "writeOff",
          message: "Enter the debt written off in the year: a figure entered before cannot be left blank",
        });
      }
    } else {
      const read = amountOf(writeOffText, "debt written off in the year");
      if ("message" in read) errors.push({ field: "writeOff", message: read.message });
      else writeOff = { key: "write-off", name: "Written off", pence: read.pence, version: writeOffVersion };
    }
    const allErrors = withTextErrors(body, errors);
    if (allErrors.length > 0) {
      const sent = {
        rows,
        newName: body.newName ?? "",
        newAmount: body.newAmount ?? "",
        writeOff: writeOffText,
        writeOffVersion: writeOffVersionText,
      };
      return debtForm(reply, yearCode, at, sent, allErrors);
    }
    const bands = added.figure ? [...listed.figures, added.figure] : listed.figures;
    await finance.saveDebt(services.db, request.actor, {
      yearCode,
      quarter: at.quarter,
      month: at.month,
      bands,
      writeOff,
      requireOpen: openForEntryCheck(services, { code: yearCode }, at, DEBT),
    });
    return redirectWithBanner(
      reply,
      `/budget/${yearCode}/${forecastPeriodPath(at)}/debt`,
      "The debt figures were saved.",
    );
  });

  async function growthForm(
    reply: FastifyReply,
    yearCode: string,
    at: ForecastPeriod,
    sent: FormRow[] | null,
    errors: FieldError[] = [],
  ) {
    const found = await finance.growthForEntry(services.db, yearCode, at.quarter, at.month);
    return reply.code(errors.length > 0 ? 400 : 200).view("finance/views/growth-edit.njk", {
      pageTitle: `Enter growth item spend, ${found.words} ${found.year.label}`,
      year: found.year,
      quarter: at.quarter,
      ...periodView(at),
      rows: sent ?? rowsOf(found.rows),
      errors,
    });
  }

  // A quarter or a month ("q3", "m7"); in a year monitored monthly a quarter's form goes to its
  // last month's, and a post to it is refused (decision 0024).
  app.get("/budget/:year/:quarter/growth/edit", async (request, reply) => {
    const params = request.params as Params;
    const yearCode = yearParam(params.year);
    const at = budgetPeriodParam(params.quarter);
    await finance.growthForEntry(services.db, yearCode, at.quarter, at.month);
    const monthForm = await quarterEndMonthOf(services, { code: yearCode }, at);
    if (monthForm)
      return reply.redirect(`/budget/${yearCode}/${forecastPeriodPath(monthForm)}/growth/edit`, 303);
    await requireBalancePeriodOpen(services, { code: yearCode }, at, GROWTH);
    return growthForm(reply, yearCode, at, null);
  });

  app.post("/budget/:year/:quarter/growth/edit", async (request, reply) => {
    const params = request.params as Params;
    const yearCode = yearParam(params.year);
    const at = budgetPeriodParam(params.quarter);
    const body = (request.body ?? {}) as Params;
    await finance.growthForEntry(services.db, yearCode, at.quarter, at.month);
    await requireBalancePeriodOpen(services, { code: yearCode }, at, GROWTH);
    const rows = submittedRows(body);
    const listed = figuresOf(rows, (name) => `spend to date on ${name}`);
    const errors = withTextErrors(body, listed.errors);
    if (errors.length > 0) return growthForm(reply, yearCode, at, rows, errors);
    const { figures } = listed;
    await finance.saveGrowthSpend(services.db, request.actor, {
      yearCode,
      quarter: at.quarter,
      month: at.month,
      figures,
      requireOpen: openForEntryCheck(services, { code: yearCode }, at, GROWTH),
    });
    return redirectWithBanner(reply, `/budget/${yearCode}/growth`, "The growth item spend was saved.");
  });
}
