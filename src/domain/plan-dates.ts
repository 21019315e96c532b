/**
 * A deliverable's "Start – Finish dates" as service plans write them.
 *
 * Plans write this column as free text: "Started", "Started Mar 2022", "Mar 2022",
 * "Sep 2021 March 2022", "June 2021- June 2022", "2022", "Reviewed annually with partners",
 * or nothing at all. We keep the words exactly as written (they are what the plan says and
 * what gets printed back), and read from them only what they say for certain. Anything we
 * cannot read, or can read only in part, carries a flag with a plain-English message, so a
 * performance officer can put it right; we never fill in a month or a year that is not there.
 *
 * How the phrases are read:
 * - a single date ("Mar 2022", "2022") is the finish: plans use this column for when an
 *   action is due, and every single date in the seed plans is an end point ("Sep 2024" for
 *   an 18-month programme, "Mar 2022" for a one-year plan). The start is then "none";
 * - "Started" means the action was already under way when the plan was written; any date
 *   after it is the finish ("Started Mar 2022");
 * - two dates, with or without a dash or "to" between them, are start then finish;
 * - a phrase with "annually", "quarterly", "monthly" or "weekly" (and no figures) is a
 *   recurring activity with no start or finish;
 * - a year on its own is a year, not a month: it is kept with no month and flagged, never
 *   stretched to January or December.
 */

import { monthName } from "./calendar.ts";

export type PlanDateEnd =
  /** Nothing said about this end. */
  | { status: "none" }
  /** Already under way when the plan was written ("Started"); no month given. */
  | { status: "started" }
  /** A month ("YYYY-MM") and its year, or only a year (month null, and flagged). */
  | { status: "date"; year: number; month: string | null };

export type PlanRecurrenceFrequency = "annually" | "quarterly" | "monthly" | "weekly";

export interface PlanRecurrence {
  frequency: PlanRecurrenceFrequency;
  /** The phrase as written, trimmed: "Reviewed annually with partners". */
  words: string;
}

export type PlanDateFlagCode =
  | "blank"
  | "unrecognised"
  | "year-only"
  | "no-finish"
  | "finish-before-start"
  | "recurring-dates-not-read";

export interface PlanDateFlag {
  code: PlanDateFlagCode;
  message: string;
}

export interface PlanDates {
  /** Exactly what the plan says, untouched. */
  written: string;
  start: PlanDateEnd;
  finish: PlanDateEnd;
  recurring: PlanRecurrence | null;
  flags: PlanDateFlag[];
}

const MONTH_NUMBERS: Readonly<Record<string, number>> = {
  jan: 1,
  january: 1,
  feb: 2,
  february: 2,
  mar: 3,
  march: 3,
  apr: 4,
  april: 4,
  may: 5,
  jun: 6,
  june: 6,
  jul: 7,
  july: 7,
  aug: 8,
  august: 8,
  sep: 9,
  sept: 9,
  september: 9,
  oct: 10,
  october: 10,
  nov: 11,
  november: 11,
  dec: 12,
  december: 12,
};

// Longest names first so "september" is not read as "sep" followed by "tember".
const MONTH_PATTERN = Object.keys(MONTH_NUMBERS)
  .sort((a, b) => b.length - a.length)
  .join("|");
// A date is an optional month (optionally abbreviated with a full stop) and a four-digit year.
// Only 1900-2099: a "year" such as 3022 is a typing slip, not a plan date.
const DATE_PATTERN = `(?:(${MONTH_PATTERN})\\.?,?\\s+)?((?:19|20)\\d{2})`;
const SINGLE_DATE = new RegExp(`^(?:by\\s+)?${DATE_PATTERN}$`);
const STARTED = new RegExp(`^started(?:(?:\\s*[-:,]\\s*|\\s+)${DATE_PATTERN})?$`);
// Between the two dates: a dash, "to" or "until", or at least a space ("Sep 2021 March 2022").
const RANGE_SEPARATOR = "(?:\\s*-\\s*|\\s+(?:to|until)\\s+|\\s+)";
const RANGE = new RegExp(`^(?:from\\s+)?${DATE_PATTERN}${RANGE_SEPARATOR}${DATE_PATTERN}$`);

const RECURRENCES: readonly { frequency: PlanRecurrenceFrequency; pattern: RegExp }[] = [
  { frequency: "annually", pattern: /\b(annually|annual|yearly|every year|each year)\b/ },
  { frequency: "quarterly", pattern: /\b(quarterly|every quarter|each quarter)\b/ },
  { frequency: "monthly", pattern: /\b(monthly|every month|each month)\b/ },
  { frequency: "weekly", pattern: /\b(weekly|every week|each week)\b/ },
];

const NONE: PlanDateEnd = { status: "none" };
const STARTED_END: PlanDateEnd = { status: "started" };

/** Lower case, one space between words, every kind of dash as "-". */
function normalise(written: string): string {
  return written
    .replace(/[\u2010-\u2015\u2212]/g, "-")
    .replace(/\s+/g, " ")
    .trim()
    .toLowerCase();
}

function dateEnd(monthWord: string | undefined, yearText: string | undefined): PlanDateEnd {
  const year = Number(yearText);
  if (monthWord === undefined) {
    return { status: "date", year, month: null };
  }
  const monthNumber = MONTH_NUMBERS[monthWord];
  if (monthNumber === undefined) {
    // The pattern only admits known month words, so this cannot happen; fail loudly if it does.
    throw new Error(`Unknown month word "${monthWord}"`);
  }
  return { status: "date", year, month: `${year}-${String(monthNumber).padStart(2, "0")}` };
}

function yearOnlyFlag(end: PlanDateEnd, which: "start" | "finish"): PlanDateFlag[] {
  if (end.status !== "date" || end.month !== null) {
    return [];
  }
  return [
    {
      code: "year-only",
      message: `The ${which} is given as a year only (${end.year}), with no month, so it cannot be placed on a monthly timeline.`,
    },
  ];
}

function noFinishFlag(): PlanDateFlag {
  return {
    code: "no-finish",
    message: "No finish date is given. Add the month and year the action is due to finish.",
  };
}

/** Whether finish is certainly earlier than start. A year-only end is compared by year alone. */
function finishesBeforeStart(start: PlanDateEnd, finish: PlanDateEnd): boolean {
  if (start.status !== "date" || finish.status !== "date") {
    return false;
  }
  if (finish.year !== start.year) {
    return finish.year < start.year;
  }
  return start.month !== null && finish.month !== null && finish.month < start.month;
}

function result(
  written: string,
  start: PlanDateEnd,
  finish: PlanDateEnd,
  recurring: PlanRecurrence | null,
  flags: PlanDateFlag[],
): PlanDates {
  return { written, start, finish, recurring, flags };
}

/** Read a deliverable's start and finish from the words the plan uses. Never throws. */
export function parsePlanDates(written: string): PlanDates {
  const text = normalise(written);

  if (text === "") {
    return result(written, NONE, NONE, null, [
      { code: "blank", message: "No start or finish dates are given." },
    ]);
  }

  const recurrence = RECURRENCES.find(({ pattern }) => pattern.test(text));
  if (recurrence !== undefined) {
    const recurring = { frequency: recurrence.frequency, words: written.trim() };
    // "Started, reviewed annually" still says the work is under way.
    const start = /\bstarted\b/.test(text) ? STARTED_END : NONE;
    if (/\d/.test(text)) {
      return result(written, start, NONE, recurring, [
        {
          code: "recurring-dates-not-read",
          message: `"${written.trim()}" is read as recurring ${recurrence.frequency}, but the dates in it were not read. Give the start and finish separately if they matter.`,
        },
      ]);
    }
    return result(written, start, NONE, recurring, []);
  }

  const started = STARTED.exec(text);
  if (started !== null) {
    if (started[2] === undefined) {
      return result(written, STARTED_END, NONE, null, [noFinishFlag()]);
    }
    const finish = dateEnd(started[1], started[2]);
    return result(written, STARTED_END, finish, null, yearOnlyFlag(finish, "finish"));
  }

  const single = SINGLE_DATE.exec(text);
  if (single !== null) {
    const finish = dateEnd(single[1], single[2]);
    return result(written, NONE, finish, null, yearOnlyFlag(finish, "finish"));
  }

  const range = RANGE.exec(text);
  if (range !== null) {
    const start = dateEnd(range[1], range[2]);
    const finish = dateEnd(range[3], range[4]);
    const flags = [...yearOnlyFlag(start, "start"), ...yearOnlyFlag(finish, "finish")];
    if (finishesBeforeStart(start, finish)) {
      flags.push({
        code: "finish-before-start",
        message: `The finish (${describeEnd(finish)}) is before the start (${describeEnd(start)}). Check which date is which.`,
      });
    }
    return result(written, start, finish, null, flags);
  }

  return result(written, NONE, NONE, null, [
    {
      code: "unrecognised",
      message: `We could not read "${written.trim()}" as a start or finish date. Write a month and year such as "Mar 2022", a range such as "Sep 2021 - Mar 2022", or "Started Mar 2022".`,
    },
  ]);
}

/** The start and finish exactly as the plan wrote them: what a printed plan shows. */
export function formatPlanDates(dates: PlanDates): string {
  return dates.written;
}

/** "2022-03" as "March 2022". */
export function formatPlanMonth(month: string): string {
  const match = /^(\d{4})-(\d{2})$/.exec(month);
  const name = match === null ? undefined : monthName(Number(match[2]));
  if (match === null || name === undefined) {
    throw new RangeError(`"${month}" is not a month written as YYYY-MM`);
  }
  return `${name} ${match[1]}`;
}

function describeEnd(end: PlanDateEnd): string {
  if (end.status === "date") {
    return end.month === null ? String(end.year) : formatPlanMonth(end.month);
  }
  return end.status === "started" ? "already started" : "not given";
}

/**
 * How the words were understood, in one plain sentence, so an officer can confirm the reading
 * before it is saved: "Already started; due to finish in March 2022."
 */
export function explainPlanDates(dates: PlanDates): string {
  if (dates.recurring !== null) {
    const already = dates.start.status === "started" ? "Already started; recurring" : "Recurring";
    return `${already} (${dates.recurring.frequency}); no finish.`;
  }
  const { start, finish } = dates;
  if (start.status === "none" && finish.status === "none") {
    return dates.flags.some((flag) => flag.code === "blank")
      ? "No start or finish given."
      : "Not understood; see the flag.";
  }
  const startPart =
    start.status === "started"
      ? "Already started"
      : start.status === "date"
        ? `Starts in ${describeEnd(start)}`
        : "No start given";
  const finishPart = finish.status === "date" ? `due to finish in ${describeEnd(finish)}` : "no finish given";
  return `${startPart}; ${finishPart}.`;
}
