/**
 * Reporting periods as council documents write them: "2020/21", "Q3 2020/21", "Dec 20",
 * "2018/19 academic year", "Autumn Term 2019", "Month 7", "31/08/19", "30 th Sept",
 * "rolling 12 months to Dec 20", "Dec-Feb", "Dec 20 - cumulative over academic year".
 *
 * A parsed period keeps the way it was written (its `form`), so `formatPeriod` rebuilds the
 * label exactly from the parts: a service plan prints "2020-21" where the report printed
 * "2020/2021", and both must come back as written. `canonicalLabel` is the one spelling
 * Baseplan uses itself ("2020/21", "Q3 2020/21", "Dec 2020").
 *
 * Rules a council relies on:
 * - the financial year runs 1 April to 31 March; Q1 is Apr-Jun ... Q4 is Jan-Mar;
 *   budget month 1 is April;
 * - the academic year runs 1 September to 31 August;
 * - terms are whole months so that they tile the academic year with no gap or overlap:
 *   Autumn Sep-Dec, Spring Jan-Apr, Summer May-Aug. Real term dates move with Easter; a
 *   term is compared only with the same term, so the approximation never mixes terms;
 * - two-digit years are this century ("Dec 20" is December 2020);
 * - a label with no year ("Quarter 3", "30th Sept") takes its year from the context, or
 *   else has no dates: a year is never guessed.
 *
 * Parsing never throws: anything not recognised is null.
 */

/** A calendar date, "YYYY-MM-DD". ISO strings compare correctly as strings. */
export type IsoDate = string;

export type PeriodKind =
  | "financial-year"
  | "financial-quarter"
  | "month"
  | "academic-year"
  | "academic-term"
  | "calendar-year"
  | "budget-month"
  | "as-at-date"
  | "rolling-12-months"
  | "three-year-average"
  | "three-month-average"
  | "cumulative";

export const PERIOD_KINDS: readonly PeriodKind[] = [
  "financial-year",
  "financial-quarter",
  "month",
  "academic-year",
  "academic-term",
  "calendar-year",
  "budget-month",
  "as-at-date",
  "rolling-12-months",
  "three-year-average",
  "three-month-average",
  "cumulative",
];

/**
 * How a two-year span was written: "2020/21", "2020-21", "2020/2021", "2020–21", "2024 to 2025"
 * (GOV.UK's style), "24/25". startYearDigits is 4 where left out.
 */
export interface YearSpanForm {
  readonly separator: "/" | "-" | "–" | " to ";
  readonly endYearDigits: 2 | 4;
  readonly startYearDigits?: 2 | 4;
}

/** How a month was written: "Dec 20", "Dec 2020", "March 2022", "Sept-20". */
export interface MonthForm {
  /** The month's name exactly as written: "Dec", "Sept", "March". */
  readonly monthName: string;
  readonly separator: " " | "-";
  readonly yearDigits: 2 | 4;
}

interface PeriodCommon {
  /** The label exactly as written (or, for periods built in code, the canonical label). */
  readonly label: string;
  /** Baseplan's own spelling of the same period. */
  readonly canonicalLabel: string;
  /** First day, where known. */
  readonly start: IsoDate | null;
  /** Last day, where known. */
  readonly end: IsoDate | null;
}

export interface FinancialYearPeriod extends PeriodCommon {
  readonly kind: "financial-year";
  /** 2020 for 2020/21. */
  readonly startYear: number;
  readonly form: YearSpanForm;
}

export type QuarterNumber = 1 | 2 | 3 | 4;

export interface FinancialQuarterPeriod extends PeriodCommon {
  readonly kind: "financial-quarter";
  readonly quarter: QuarterNumber;
  /** The financial year's start year; null where neither the label nor the context says. */
  readonly startYear: number | null;
  /**
   * prefix: "Quarter ", "Q" or "Qtr " as written; year: null where no year was written; join:
   * what stands between the quarter and its year (" " where left out, ", " in "Quarter 3, 2024
   * to 2025"); yearFirst for "2024/25 Q3"; months for a quarter written as its months ("Oct-Dec
   * 2024"), in which case prefix and year are unused.
   */
  readonly form: {
    readonly prefix: string;
    readonly year: YearSpanForm | null;
    readonly join?: string;
    readonly yearFirst?: boolean;
    readonly months?: QuarterMonthsForm;
  };
}

/** A quarter written as its first and last month and the calendar year: "Oct-Dec 2024", "Jan - Mar 25". */
export interface QuarterMonthsForm {
  readonly firstMonthName: string;
  readonly separator: string;
  readonly lastMonthName: string;
  readonly yearDigits: 2 | 4;
}

export interface MonthPeriod extends PeriodCommon {
  readonly kind: "month";
  readonly year: number;
  /** 1 = January. */
  readonly month: number;
  readonly form: MonthForm;
}

export interface AcademicYearPeriod extends PeriodCommon {
  readonly kind: "academic-year";
  /** 2018 for 2018/19. */
  readonly startYear: number;
  /** words: "academic year" as written; wordsFirst for "academic year 2018/19". */
  readonly form: { readonly year: YearSpanForm; readonly words: string; readonly wordsFirst: boolean };
}

export type AcademicTerm = "autumn" | "spring" | "summer";

export interface AcademicTermPeriod extends PeriodCommon {
  readonly kind: "academic-term";
  readonly term: AcademicTerm;
  /** The academic year the term belongs to: 2019 for Autumn Term 2019 and for Spring Term 2020. */
  readonly academicStartYear: number;
  /**
   * termName and termWord ("Term", or null if left out) as written; academicYear is how an
   * academic year was written ("Autumn Term 2019/20"), or null where the term's own calendar
   * year was written ("Autumn Term 2019").
   */
  readonly form: {
    readonly termName: string;
    readonly termWord: string | null;
    readonly academicYear: YearSpanForm | null;
  };
}

export interface CalendarYearPeriod extends PeriodCommon {
  readonly kind: "calendar-year";
  readonly year: number;
  readonly form: { readonly words: string; readonly wordsFirst: boolean };
}

export interface BudgetMonthPeriod extends PeriodCommon {
  readonly kind: "budget-month";
  /** 1 = April. */
  readonly budgetMonth: number;
  /** The financial year's start year; null where neither the label nor the context says. */
  readonly startYear: number | null;
  readonly form: { readonly prefix: string; readonly year: YearSpanForm | null };
}

/** "31/08/19", "1/9/2019": day and month zero-padded or not, as written. */
export interface NumericDateForm {
  readonly style: "numeric";
  /** "as at " as written, or "". */
  readonly prefix: string;
  readonly dayPadded: boolean;
  readonly monthPadded: boolean;
  readonly yearDigits: 2 | 4;
}

/** "30th Sept", "30 th Sept", "30 September 2020". */
export interface WordsDateForm {
  readonly style: "words";
  readonly prefix: string;
  readonly dayPadded: boolean;
  /** The ordinal as written after the day, with any space: "th", " th", or "". */
  readonly ordinal: string;
  readonly monthName: string;
  /** null where no year was written. */
  readonly yearDigits: 2 | 4 | null;
}

export interface AsAtDatePeriod extends PeriodCommon {
  readonly kind: "as-at-date";
  readonly day: number;
  readonly month: number;
  /** null where neither the label nor the context gives a year. */
  readonly year: number | null;
  readonly form: NumericDateForm | WordsDateForm;
}

export interface Rolling12MonthsPeriod extends PeriodCommon {
  readonly kind: "rolling-12-months";
  /** The last month of the twelve; null for the bare basis "rolling 12 months". */
  readonly ending: MonthPeriod | null;
  /** words: "rolling 12 months" as written; link: " to " or " ending " as written, or "". */
  readonly form: { readonly words: string; readonly link: string };
}

export interface ThreeYearAveragePeriod extends PeriodCommon {
  readonly kind: "three-year-average";
  /** The last of the three years; null for the bare basis "3 year average". */
  readonly ending: FinancialYearPeriod | AcademicYearPeriod | CalendarYearPeriod | null;
  readonly form: { readonly words: string; readonly link: string };
}

export interface ThreeMonthAveragePeriod extends PeriodCommon {
  readonly kind: "three-month-average";
  readonly firstMonth: number;
  readonly lastMonth: number;
  /** The year of the last month; null where neither the label nor the context says. */
  readonly lastYear: number | null;
  /** Years are null where not written ("Dec-Feb"). */
  readonly form: {
    readonly firstMonthName: string;
    readonly firstYearDigits: 2 | 4 | null;
    readonly separator: string;
    readonly lastMonthName: string;
    readonly lastYearDigits: 2 | 4 | null;
  };
}

export type CumulativeBasis = "academic-year" | "financial-year";

export interface CumulativePeriod extends PeriodCommon {
  readonly kind: "cumulative";
  /** The month the running total is taken to. */
  readonly to: MonthPeriod;
  /** The year being accumulated over; null where the label does not say ("Dec 20 - cumulative"). */
  readonly over: CumulativeBasis | null;
  /** separator: " - " as written; words: "cumulative over academic year" as written. */
  readonly form: { readonly separator: string; readonly words: string };
}

export type Period =
  | FinancialYearPeriod
  | FinancialQuarterPeriod
  | MonthPeriod
  | AcademicYearPeriod
  | AcademicTermPeriod
  | CalendarYearPeriod
  | BudgetMonthPeriod
  | AsAtDatePeriod
  | Rolling12MonthsPeriod
  | ThreeYearAveragePeriod
  | ThreeMonthAveragePeriod
  | CumulativePeriod;

/** Supplies the year a label leaves out. */
export interface PeriodContext {
  /** The financial year (by start year) that "Quarter 3", "Month 7", "Dec-Feb" or "30th Sept" falls in. */
  readonly financialYearStart?: number;
  /** The calendar year of a day and month written without one ("30th Sept"); wins over financialYearStart. */
  readonly year?: number;
}

/** A period's parts and form, before its label and dates are worked out. */
type Draft<P> = P extends Period ? Omit<P, "label" | "canonicalLabel" | "start" | "end"> : never;
type PeriodDraft = Draft<Period>;

// ---------------------------------------------------------------------------
// Calendar arithmetic, in whole integers (no Date objects, no time zones).

const MONTH_ABBREVIATIONS = [
  "Jan",
  "Feb",
  "Mar",
  "Apr",
  "May",
  "Jun",
  "Jul",
  "Aug",
  "Sep",
  "Oct",
  "Nov",
  "Dec",
];

const MONTH_NUMBERS: ReadonlyMap<string, number> = new Map([
  ["january", 1],
  ["jan", 1],
  ["february", 2],
  ["feb", 2],
  ["march", 3],
  ["mar", 3],
  ["april", 4],
  ["apr", 4],
  ["may", 5],
  ["june", 6],
  ["jun", 6],
  ["july", 7],
  ["jul", 7],
  ["august", 8],
  ["aug", 8],
  ["september", 9],
  ["sept", 9],
  ["sep", 9],
  ["october", 10],
  ["oct", 10],
  ["november", 11],
  ["nov", 11],
  ["december", 12],
  ["dec", 12],
]);

const MONTH_NAME =
  "(january|february|march|april|may|june|july|august|september|october|november|december|sept|jan|feb|mar|apr|jun|jul|aug|sep|oct|nov|dec)";

function pad2(n: number): string {
  return String(n).padStart(2, "0");
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function isoDate(year: number, month: number, day: number): IsoDate {
  return `${String(year).padStart(4, "0")}-${pad2(month)}-${pad2(day)}`;
}

function firstDayOf(year: number, month: number): IsoDate {
  return isoDate(year, month, 1);
}

function lastDayOf(year: number, month: number): IsoDate {
  return isoDate(year, month, daysInMonth(year, month));
}

/** The month `delta` months from (year, month). */
function shiftMonth(year: number, month: number, delta: number): { year: number; month: number } {
  const index = year * 12 + (month - 1) + delta;
  return { year: Math.floor(index / 12), month: (index % 12) + 1 };
}

function parseIsoDate(text: string): { year: number; month: number; day: number } | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return null;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return { year, month, day };
}

/** A year written with two digits is this century; four digits as written. */
function yearFromDigits(text: string): number {
  return text.length === 2 ? 2000 + Number(text) : Number(text);
}

function writeYear(year: number, digits: 2 | 4): string {
  return digits === 2 ? pad2(year % 100) : String(year);
}

function monthNumber(name: string): number | null {
  return MONTH_NUMBERS.get(name.toLowerCase()) ?? null;
}

/** The month (1-12) of budget month n (1 = April) and how many years after the start year it falls. */
function budgetMonthToCalendar(startYear: number, budgetMonth: number): { year: number; month: number } {
  return shiftMonth(startYear, 4, budgetMonth - 1);
}

function financialYearStartOf(year: number, month: number): number {
  return month >= 4 ? year : year - 1;
}

function academicYearStartOf(year: number, month: number): number {
  return month >= 9 ? year : year - 1;
}

// ---------------------------------------------------------------------------
// Writing labels from parts and form.

function writeYearSpan(startYear: number, form: YearSpanForm): string {
  const start = writeYear(startYear, form.startYearDigits ?? 4);
  return `${start}${form.separator}${writeYear(startYear + 1, form.endYearDigits)}`;
}

function writeMonth(year: number, form: MonthForm): string {
  return `${form.monthName}${form.separator}${writeYear(year, form.yearDigits)}`;
}

const TERM_CALENDAR_OFFSET: Readonly<Record<AcademicTerm, number>> = { autumn: 0, spring: 1, summer: 1 };

function render(draft: PeriodDraft): string {
  switch (draft.kind) {
    case "financial-year":
      return writeYearSpan(draft.startYear, draft.form);
    case "financial-quarter": {
      const { form, startYear } = draft;
      if (form.months !== undefined && startYear !== null) {
        const { firstMonthName, separator, lastMonthName, yearDigits } = form.months;
        // The calendar year of the quarter's months: Q4 (Jan-Mar) falls in the year after the start.
        const calendarYear = draft.quarter === 4 ? startYear + 1 : startYear;
        return `${firstMonthName}${separator}${lastMonthName} ${writeYear(calendarYear, yearDigits)}`;
      }
      const quarter = `${form.prefix}${draft.quarter}`;
      if (form.year === null || startYear === null) return quarter;
      const span = writeYearSpan(startYear, form.year);
      return form.yearFirst ? `${span} ${quarter}` : `${quarter}${form.join ?? " "}${span}`;
    }
    case "month":
      return writeMonth(draft.year, draft.form);
    case "academic-year": {
      const span = writeYearSpan(draft.startYear, draft.form.year);
      return draft.form.wordsFirst ? `${draft.form.words} ${span}` : `${span} ${draft.form.words}`;
    }
    case "academic-term": {
      const { termName, termWord, academicYear } = draft.form;
      const year =
        academicYear === null
          ? String(draft.academicStartYear + TERM_CALENDAR_OFFSET[draft.term])
          : writeYearSpan(draft.academicStartYear, academicYear);
      return termWord === null ? `${termName} ${year}` : `${termName} ${termWord} ${year}`;
    }
    case "calendar-year":
      return draft.form.wordsFirst
        ? `${draft.form.words} ${draft.year}`
        : `${draft.year} ${draft.form.words}`;
    case "budget-month": {
      const year =
        draft.form.year !== null && draft.startYear !== null
          ? ` ${writeYearSpan(draft.startYear, draft.form.year)}`
          : "";
      return `${draft.form.prefix}${draft.budgetMonth}${year}`;
    }
    case "as-at-date": {
      const form = draft.form;
      const day = form.dayPadded ? pad2(draft.day) : String(draft.day);
      if (form.style === "numeric") {
        const month = form.monthPadded ? pad2(draft.month) : String(draft.month);
        return `${form.prefix}${day}/${month}/${writeYear(draft.year ?? 0, form.yearDigits)}`;
      }
      const year =
        form.yearDigits !== null && draft.year !== null ? ` ${writeYear(draft.year, form.yearDigits)}` : "";
      return `${form.prefix}${day}${form.ordinal} ${form.monthName}${year}`;
    }
    case "rolling-12-months":
    case "three-year-average":
      return draft.ending === null
        ? draft.form.words
        : `${draft.form.words}${draft.form.link}${render(draft.ending)}`;
    case "three-month-average": {
      const { form, lastYear } = draft;
      const firstYear =
        lastYear === null ? null : draft.firstMonth > draft.lastMonth ? lastYear - 1 : lastYear;
      const first =
        form.firstYearDigits !== null && firstYear !== null
          ? `${form.firstMonthName} ${writeYear(firstYear, form.firstYearDigits)}`
          : form.firstMonthName;
      const last =
        form.lastYearDigits !== null && lastYear !== null
          ? `${form.lastMonthName} ${writeYear(lastYear, form.lastYearDigits)}`
          : form.lastMonthName;
      return `${first}${form.separator}${last}`;
    }
    case "cumulative":
      return `${render(draft.to)}${draft.form.separator}${draft.form.words}`;
  }
}

// ---------------------------------------------------------------------------
// Dates each kind covers.

function spanOf(draft: PeriodDraft): { start: IsoDate | null; end: IsoDate | null } {
  switch (draft.kind) {
    case "financial-year":
      return { start: firstDayOf(draft.startYear, 4), end: lastDayOf(draft.startYear + 1, 3) };
    case "financial-quarter": {
      if (draft.startYear === null) return { start: null, end: null };
      const first = shiftMonth(draft.startYear, 4, (draft.quarter - 1) * 3);
      const last = shiftMonth(first.year, first.month, 2);
      return { start: firstDayOf(first.year, first.month), end: lastDayOf(last.year, last.month) };
    }
    case "month":
      return { start: firstDayOf(draft.year, draft.month), end: lastDayOf(draft.year, draft.month) };
    case "academic-year":
      return { start: firstDayOf(draft.startYear, 9), end: lastDayOf(draft.startYear + 1, 8) };
    case "academic-term": {
      const y = draft.academicStartYear;
      if (draft.term === "autumn") return { start: firstDayOf(y, 9), end: lastDayOf(y, 12) };
      if (draft.term === "spring") return { start: firstDayOf(y + 1, 1), end: lastDayOf(y + 1, 4) };
      return { start: firstDayOf(y + 1, 5), end: lastDayOf(y + 1, 8) };
    }
    case "calendar-year":
      return { start: firstDayOf(draft.year, 1), end: lastDayOf(draft.year, 12) };
    case "budget-month": {
      if (draft.startYear === null) return { start: null, end: null };
      const { year, month } = budgetMonthToCalendar(draft.startYear, draft.budgetMonth);
      return { start: firstDayOf(year, month), end: lastDayOf(year, month) };
    }
    case "as-at-date": {
      if (draft.year === null) return { start: null, end: null };
      const day = isoDate(draft.year, draft.month, draft.day);
      return { start: day, end: day };
    }
    case "rolling-12-months": {
      if (draft.ending === null) return { start: null, end: null };
      const first = shiftMonth(draft.ending.year, draft.ending.month, -11);
      return {
        start: firstDayOf(first.year, first.month),
        end: lastDayOf(draft.ending.year, draft.ending.month),
      };
    }
    case "three-year-average": {
      if (draft.ending === null) return { start: null, end: null };
      const last = spanOf(draft.ending);
      const firstYear = last.start === null ? null : parseIsoDate(last.start);
      if (firstYear === null || last.end === null) return { start: null, end: null };
      return { start: isoDate(firstYear.year - 2, firstYear.month, 1), end: last.end };
    }
    case "three-month-average": {
      if (draft.lastYear === null) return { start: null, end: null };
      const first = shiftMonth(draft.lastYear, draft.lastMonth, -2);
      return { start: firstDayOf(first.year, first.month), end: lastDayOf(draft.lastYear, draft.lastMonth) };
    }
    case "cumulative": {
      const { year, month } = draft.to;
      const end = lastDayOf(year, month);
      if (draft.over === "academic-year")
        return { start: firstDayOf(academicYearStartOf(year, month), 9), end };
      if (draft.over === "financial-year")
        return { start: firstDayOf(financialYearStartOf(year, month), 4), end };
      return { start: null, end };
    }
  }
}

// ---------------------------------------------------------------------------
// Canonical spelling.

const CANONICAL_YEAR_SPAN: YearSpanForm = { separator: "/", endYearDigits: 2 };

function canonicalMonthForm(month: number): MonthForm {
  return { monthName: MONTH_ABBREVIATIONS[month - 1] ?? "", separator: " ", yearDigits: 4 };
}

function canonicalDraft(draft: PeriodDraft): PeriodDraft {
  switch (draft.kind) {
    case "financial-year":
      return { ...draft, form: CANONICAL_YEAR_SPAN };
    case "financial-quarter":
      return { ...draft, form: { prefix: "Q", year: draft.startYear === null ? null : CANONICAL_YEAR_SPAN } };
    case "month":
      return { ...draft, form: canonicalMonthForm(draft.month) };
    case "academic-year":
      return { ...draft, form: { year: CANONICAL_YEAR_SPAN, words: "academic year", wordsFirst: false } };
    case "academic-term": {
      const termName = draft.term === "autumn" ? "Autumn" : draft.term === "spring" ? "Spring" : "Summer";
      return { ...draft, form: { termName, termWord: "Term", academicYear: null } };
    }
    case "calendar-year":
      return { ...draft, form: { words: "calendar year", wordsFirst: false } };
    case "budget-month":
      return {
        ...draft,
        form: { prefix: "Month ", year: draft.startYear === null ? null : CANONICAL_YEAR_SPAN },
      };
    case "as-at-date":
      return {
        ...draft,
        form: {
          style: "words",
          prefix: "",
          dayPadded: false,
          ordinal: "",
          monthName: MONTH_ABBREVIATIONS[draft.month - 1] ?? "",
          yearDigits: draft.year === null ? null : 4,
        },
      };
    case "rolling-12-months":
      return {
        ...draft,
        ending: draft.ending === null ? null : build(canonicalDraft(draft.ending) as Draft<MonthPeriod>),
        form: { words: "rolling 12 months", link: draft.ending === null ? "" : " to " },
      };
    case "three-year-average":
      return {
        ...draft,
        ending:
          draft.ending === null
            ? null
            : build<FinancialYearPeriod | AcademicYearPeriod | CalendarYearPeriod>(
                canonicalDraft(draft.ending) as Draft<
                  FinancialYearPeriod | AcademicYearPeriod | CalendarYearPeriod
                >,
              ),
        form: { words: "3 year average", link: draft.ending === null ? "" : " to " },
      };
    case "three-month-average":
      return {
        ...draft,
        form: {
          firstMonthName: MONTH_ABBREVIATIONS[draft.firstMonth - 1] ?? "",
          firstYearDigits: draft.lastYear === null ? null : 4,
          separator: "-",
          lastMonthName: MONTH_ABBREVIATIONS[draft.lastMonth - 1] ?? "",
          lastYearDigits: draft.lastYear === null ? null : 4,
        },
      };
    case "cumulative": {
      const words =
        draft.over === "academic-year"
          ? "cumulative over academic year"
          : draft.over === "financial-year"
            ? "cumulative over financial year"
            : "cumulative";
      return {
        ...draft,
        to: build(canonicalDraft(draft.to) as Draft<MonthPeriod>),
        form: { separator: " - ", words },
      };
    }
  }
}

/** Completes a draft with its label, canonical label and dates. */
function build<P extends Period>(draft: Draft<P>): P {
  const period = {
    ...draft,
    label: render(draft),
    canonicalLabel: render(canonicalDraft(draft)),
    ...spanOf(draft),
  };
  return period as unknown as P;
}

// ---------------------------------------------------------------------------
// Reading labels.

/**
 * A two-year span: "2020/21", "2020-2021", "2024 to 2025". With `shortStart`, also "24/25" (two
 * digits each): only where the words around it say it is a year, as in "Q3 24/25", because a
 * bare "12/13" could as well be a score.
 */
function parseYearSpan(
  text: string,
  options: { shortStart?: boolean } = {},
): { startYear: number; form: YearSpanForm } | null {
  const long = /^(\d{4})([/\-–]| to )(\d{2}|\d{4})$/.exec(text);
  const short = options.shortStart ? /^(\d{2})([/\-–])(\d{2})$/.exec(text) : null;
  const match = long ?? short;
  if (!match) return null;
  const separator = match[2] as YearSpanForm["separator"];
  const startText = match[1] ?? "";
  const startYear = yearFromDigits(startText);
  const end = match[3] ?? "";
  const endYearDigits = end.length === 2 ? 2 : 4;
  // "2024 to 25" is not how anyone writes GOV.UK's style.
  if (separator === " to " && endYearDigits === 2) return null;
  const expectedEnd = endYearDigits === 2 ? (startYear + 1) % 100 : startYear + 1;
  if (Number(end) !== expectedEnd) return null;
  const form: YearSpanForm =
    startText.length === 2 ? { separator, endYearDigits, startYearDigits: 2 } : { separator, endYearDigits };
  return { startYear, form };
}

function parseFinancialYear(text: string): FinancialYearPeriod | null {
  const span = parseYearSpan(text);
  return span === null ? null : build<FinancialYearPeriod>({ kind: "financial-year", ...span });
}

/** The quarter each run of three months is, with the months written: Apr-Jun is Q1 ... Jan-Mar Q4. */
const QUARTER_OF_FIRST_MONTH: ReadonlyMap<number, QuarterNumber> = new Map([
  [4, 1],
  [7, 2],
  [10, 3],
  [1, 4],
]);

function parseFinancialQuarter(text: string, context: PeriodContext): FinancialQuarterPeriod | null {
  const yearFirst = /^(.+?) (quarter |qtr |q)([1-4])$/i.exec(text);
  if (yearFirst) {
    const span = parseYearSpan(yearFirst[1] ?? "", { shortStart: true });
    if (span === null) return null;
    return build<FinancialQuarterPeriod>({
      kind: "financial-quarter",
      quarter: Number(yearFirst[3]) as QuarterNumber,
      startYear: span.startYear,
      form: { prefix: yearFirst[2] ?? "", year: span.form, yearFirst: true },
    });
  }
  const match = /^(quarter |qtr |q)([1-4])(?:(,? )(.+))?$/i.exec(text);
  if (!match) return parseQuarterMonths(text);
  const quarter = Number(match[2]) as QuarterNumber;
  if (match[4] === undefined) {
    return build<FinancialQuarterPeriod>({
      kind: "financial-quarter",
      quarter,
      startYear: context.financialYearStart ?? null,
      form: { prefix: match[1] ?? "", year: null },
    });
  }
  const span = parseYearSpan(match[4], { shortStart: true });
  if (span === null) return null;
  const join = match[3] ?? " ";
  return build<FinancialQuarterPeriod>({
    kind: "financial-quarter",
    quarter,
    startYear: span.startYear,
    form:
      join === " "
        ? { prefix: match[1] ?? "", year: span.form }
        : { prefix: match[1] ?? "", year: span.form, join },
  });
}

/**
 * A quarter written as its months and the calendar year they fall in: "Oct-Dec 2024" is Q3
 * 2024/25, "Jan-Mar 2025" Q4 2024/25. Only the financial year's own quarters: "Dec-Feb 2021"
 * is three months but not a quarter, and is read as a three-month average.
 */
function parseQuarterMonths(text: string): FinancialQuarterPeriod | null {
  const match = new RegExp(`^${MONTH_NAME}(-| - |–| – | to )${MONTH_NAME} (\\d{2}|\\d{4})$`, "i").exec(text);
  if (!match) return null;
  const [, firstMonthName = "", separator = "", lastMonthName = "", yearText = ""] = match;
  const firstMonth = monthNumber(firstMonthName);
  const lastMonth = monthNumber(lastMonthName);
  if (firstMonth === null || lastMonth === null || lastMonth !== firstMonth + 2) return null;
  const quarter = QUARTER_OF_FIRST_MONTH.get(firstMonth);
  if (quarter === undefined) return null;
  const calendarYear = yearFromDigits(yearText);
  return build<FinancialQuarterPeriod>({
    kind: "financial-quarter",
    quarter,
    startYear: quarter === 4 ? calendarYear - 1 : calendarYear,
    form: {
      prefix: "Q",
      year: CANONICAL_YEAR_SPAN,
      months: { firstMonthName, separator, lastMonthName, yearDigits: yearText.length === 2 ? 2 : 4 },
    },
  });
}

function parseMonth(text: string): MonthPeriod | null {
  const match = new RegExp(`^${MONTH_NAME}([ -])(\\d{2}|\\d{4})$`, "i").exec(text);
  if (!match) return null;
  const month = monthNumber(match[1] ?? "");
  const yearText = match[3] ?? "";
  if (month === null) return null;
  return build<MonthPeriod>({
    kind: "month",
    year: yearFromDigits(yearText),
    month,
    form: {
      monthName: match[1] ?? "",
      separator: match[2] === "-" ? "-" : " ",
      yearDigits: yearText.length === 2 ? 2 : 4,
    },
  });
}

function parseAcademicYear(text: string): AcademicYearPeriod | null {
  const after = /^(.+) (academic year)$/i.exec(text);
  const before = /^(academic year) (.+)$/i.exec(text);
  const spanText = after?.[1] ?? before?.[2];
  const words = after?.[2] ?? before?.[1];
  if (spanText === undefined || words === undefined) return null;
  const span = parseYearSpan(spanText);
  if (span === null) return null;
  return build<AcademicYearPeriod>({
    kind: "academic-year",
    startYear: span.startYear,
    form: { year: span.form, words, wordsFirst: before !== null },
  });
}

function parseAcademicTerm(text: string): AcademicTermPeriod | null {
  const match = /^(autumn|spring|summer)(?: (term))? (\d{4}(?:[/\-–]\d{2}|[/\-–]\d{4})?)$/i.exec(text);
  if (!match) return null;
  const termName = match[1] ?? "";
  const term = termName.toLowerCase() as AcademicTerm;
  const yearText = match[3] ?? "";
  const form = { termName, termWord: match[2] ?? null };
  if (/^\d{4}$/.test(yearText)) {
    return build<AcademicTermPeriod>({
      kind: "academic-term",
      term,
      academicStartYear: Number(yearText) - TERM_CALENDAR_OFFSET[term],
      form: { ...form, academicYear: null },
    });
  }
  const span = parseYearSpan(yearText);
  if (span === null) return null;
  return build<AcademicTermPeriod>({
    kind: "academic-term",
    term,
    academicStartYear: span.startYear,
    form: { ...form, academicYear: span.form },
  });
}

function parseCalendarYear(text: string): CalendarYearPeriod | null {
  const after = /^(\d{4}) (calendar year)$/i.exec(text);
  const before = /^(calendar year) (\d{4})$/i.exec(text);
  const yearText = after?.[1] ?? before?.[2];
  const words = after?.[2] ?? before?.[1];
  if (yearText === undefined || words === undefined) return null;
  return build<CalendarYearPeriod>({
    kind: "calendar-year",
    year: Number(yearText),
    form: { words, wordsFirst: before !== null },
  });
}

function parseBudgetMonth(text: string, context: PeriodContext): BudgetMonthPeriod | null {
  // Budget months 1-12 only: "Month 13" year-end adjustments are not a month of the year.
  const match = /^(month )([1-9]|1[0-2])(?: (.+))?$/i.exec(text);
  if (!match) return null;
  const budgetMonth = Number(match[2]);
  const prefix = match[1] ?? "";
  if (match[3] === undefined) {
    return build<BudgetMonthPeriod>({
      kind: "budget-month",
      budgetMonth,
      startYear: context.financialYearStart ?? null,
      form: { prefix, year: null },
    });
  }
  const span = parseYearSpan(match[3]);
  if (span === null) return null;
  return build<BudgetMonthPeriod>({
    kind: "budget-month",
    budgetMonth,
    startYear: span.startYear,
    form: { prefix, year: span.form },
  });
}

function ordinalSuffix(day: number): string {
  if (day % 100 >= 11 && day % 100 <= 13) return "th";
  return day % 10 === 1 ? "st" : day % 10 === 2 ? "nd" : day % 10 === 3 ? "rd" : "th";
}

/** The year of a day-and-month written without one, from the context, or null. */
function yearFromContext(month: number, context: PeriodContext): number | null {
  if (context.year !== undefined) return context.year;
  if (context.financialYearStart !== undefined) {
    return month >= 4 ? context.financialYearStart : context.financialYearStart + 1;
  }
  return null;
}

function parseAsAtDate(text: string, context: PeriodContext): AsAtDatePeriod | null {
  const prefixMatch = /^as at /i.exec(text);
  const prefix = prefixMatch?.[0] ?? "";
  const rest = text.slice(prefix.length);

  const numeric = /^(\d{1,2})\/(\d{1,2})\/(\d{2}|\d{4})$/.exec(rest);
  if (numeric) {
    const [, dayText = "", monthText = "", yearText = ""] = numeric;
    const day = Number(dayText);
    const month = Number(monthText);
    const year = yearFromDigits(yearText);
    if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
    return build<AsAtDatePeriod>({
      kind: "as-at-date",
      day,
      month,
      year,
      form: {
        style: "numeric",
        prefix,
        dayPadded: dayText.startsWith("0"),
        monthPadded: monthText.startsWith("0"),
        yearDigits: yearText.length === 2 ? 2 : 4,
      },
    });
  }

  const words = new RegExp(`^(\\d{1,2})( ?(?:st|nd|rd|th))? ${MONTH_NAME}(?: (\\d{2}|\\d{4}))?$`, "i").exec(
    rest,
  );
  if (!words) return null;
  const [, dayText = "", ordinal = "", monthName = "", yearText] = words;
  const day = Number(dayText);
  const month = monthNumber(monthName);
  if (month === null || day < 1) return null;
  if (ordinal !== "" && ordinal.trim().toLowerCase() !== ordinalSuffix(day)) return null;
  const year = yearText === undefined ? yearFromContext(month, context) : yearFromDigits(yearText);
  // Without a year, 29 February is allowed: it exists in some year.
  if (day > (year === null ? daysInMonth(2000, month) : daysInMonth(year, month))) return null;
  return build<AsAtDatePeriod>({
    kind: "as-at-date",
    day,
    month,
    year,
    form: {
      style: "words",
      prefix,
      dayPadded: dayText.startsWith("0"),
      ordinal,
      monthName,
      yearDigits: yearText === undefined ? null : yearText.length === 2 ? 2 : 4,
    },
  });
}

function parseRolling12Months(text: string): Rolling12MonthsPeriod | null {
  const match = /^(rolling 12 months)(?:( to | ending )(.+))?$/i.exec(text);
  if (!match) return null;
  const words = match[1] ?? "";
  if (match[3] === undefined) {
    return build<Rolling12MonthsPeriod>({
      kind: "rolling-12-months",
      ending: null,
      form: { words, link: "" },
    });
  }
  const ending = parseMonth(match[3]);
  if (ending === null) return null;
  return build<Rolling12MonthsPeriod>({
    kind: "rolling-12-months",
    ending,
    form: { words, link: match[2] ?? "" },
  });
}

function parseThreeYearAverage(text: string): ThreeYearAveragePeriod | null {
  const match = /^(3[ -]year average)(?:( to | ending )(.+))?$/i.exec(text);
  if (!match) return null;
  const words = match[1] ?? "";
  if (match[3] === undefined) {
    return build<ThreeYearAveragePeriod>({
      kind: "three-year-average",
      ending: null,
      form: { words, link: "" },
    });
  }
  const ending = parseFinancialYear(match[3]) ?? parseAcademicYear(match[3]) ?? parseCalendarYear(match[3]);
  if (ending === null) return null;
  return build<ThreeYearAveragePeriod>({
    kind: "three-year-average",
    ending,
    form: { words, link: match[2] ?? "" },
  });
}

function parseThreeMonthAverage(text: string, context: PeriodContext): ThreeMonthAveragePeriod | null {
  const match = new RegExp(
    `^${MONTH_NAME}(?: (\\d{2}|\\d{4}))?(-| - |–| – | to )${MONTH_NAME}(?: (\\d{2}|\\d{4}))?$`,
    "i",
  ).exec(text);
  if (!match) return null;
  const [, firstMonthName = "", firstYearText, separator = "", lastMonthName = "", lastYearText] = match;
  const firstMonth = monthNumber(firstMonthName);
  const lastMonth = monthNumber(lastMonthName);
  if (firstMonth === null || lastMonth === null) return null;
  // Three months, counting both ends: Dec-Feb, Oct-Dec.
  if ((lastMonth - firstMonth + 12) % 12 !== 2) return null;
  // A year on the first month only would leave the last month's year to be guessed.
  if (firstYearText !== undefined && lastYearText === undefined) return null;
  let lastYear: number | null;
  if (lastYearText !== undefined) {
    lastYear = yearFromDigits(lastYearText);
    if (firstYearText !== undefined) {
      const expectedFirstYear = firstMonth > lastMonth ? lastYear - 1 : lastYear;
      if (yearFromDigits(firstYearText) !== expectedFirstYear) return null;
    }
  } else if (context.year !== undefined) {
    lastYear = context.year;
  } else if (context.financialYearStart !== undefined) {
    lastYear = lastMonth >= 4 ? context.financialYearStart : context.financialYearStart + 1;
  } else {
    lastYear = null;
  }
  const digits = (t: string | undefined): 2 | 4 | null => (t === undefined ? null : t.length === 2 ? 2 : 4);
  return build<ThreeMonthAveragePeriod>({
    kind: "three-month-average",
    firstMonth,
    lastMonth,
    lastYear,
    form: {
      firstMonthName,
      firstYearDigits: digits(firstYearText),
      separator,
      lastMonthName,
      lastYearDigits: digits(lastYearText),
    },
  });
}

function parseCumulative(text: string): CumulativePeriod | null {
  const match = /^(.+?)( - | – |-|–)(cumulative(?: over (academic|financial) year)?)$/i.exec(text);
  if (!match) return null;
  const to = parseMonth(match[1] ?? "");
  if (to === null) return null;
  const basis = match[4]?.toLowerCase();
  return build<CumulativePeriod>({
    kind: "cumulative",
    to,
    over: basis === "academic" ? "academic-year" : basis === "financial" ? "financial-year" : null,
    form: { separator: match[2] ?? "", words: match[3] ?? "" },
  });
}

/**
 * Reads a period label as written. Returns null for anything not recognised, and never
 * throws. The label must already be tidy (see `normaliseCellText` in values.ts): no
 * leading or trailing spaces, single spaces between words.
 */
export function parsePeriod(label: string, context: PeriodContext = {}): Period | null {
  if (typeof label !== "string" || label.length === 0 || label.length > 120) return null;
  const period =
    parseFinancialYear(label) ??
    parseFinancialQuarter(label, context) ??
    parseMonth(label) ??
    parseAcademicYear(label) ??
    parseAcademicTerm(label) ??
    parseCalendarYear(label) ??
    parseBudgetMonth(label, context) ??
    parseAsAtDate(label, context) ??
    parseRolling12Months(label) ??
    parseThreeYearAverage(label) ??
    parseThreeMonthAverage(label, context) ??
    parseCumulative(label);
  // Only a label that can be written back exactly counts as read.
  return period !== null && period.label === label ? period : null;
}

/** Writes the period back from its parts, exactly as it was written. */
export function formatPeriod(period: Period): string {
  return render(period as PeriodDraft);
}

// ---------------------------------------------------------------------------
// Building periods in code (canonical spelling). These throw RangeError on arguments
// no label could produce, because that is a programming mistake, not officers' data.

function assertYear(year: number, what: string): void {
  if (!Number.isInteger(year) || year < 1000 || year > 9998) {
    throw new RangeError(`${what} must be a four-digit year, not ${year}`);
  }
}

/** The financial year 1 April startYear to 31 March startYear + 1, labelled "2020/21". */
export function financialYear(startYear: number): FinancialYearPeriod {
  assertYear(startYear, "A financial year's start year");
  return build<FinancialYearPeriod>({ kind: "financial-year", startYear, form: CANONICAL_YEAR_SPAN });
}

/** Quarter q (1 = Apr-Jun ... 4 = Jan-Mar) of the financial year starting in startYear: "Q3 2020/21". */
export function financialQuarter(startYear: number, quarter: number): FinancialQuarterPeriod {
  assertYear(startYear, "A financial year's start year");
  if (!Number.isInteger(quarter) || quarter < 1 || quarter > 4) {
    throw new RangeError(`A financial quarter is 1 to 4, not ${quarter}`);
  }
  return build<FinancialQuarterPeriod>({
    kind: "financial-quarter",
    quarter: quarter as QuarterNumber,
    startYear,
    form: { prefix: "Q", year: CANONICAL_YEAR_SPAN },
  });
}

/** Budget month n (1 = April ... 12 = March) of the financial year starting in startYear: "Month 7 2020/21". */
export function budgetMonth(startYear: number, n: number): BudgetMonthPeriod {
  assertYear(startYear, "A financial year's start year");
  if (!Number.isInteger(n) || n < 1 || n > 12) throw new RangeError(`A budget month is 1 to 12, not ${n}`);
  return build<BudgetMonthPeriod>({
    kind: "budget-month",
    budgetMonth: n,
    startYear,
    form: { prefix: "Month ", year: CANONICAL_YEAR_SPAN },
  });
}

/** A calendar month (1 = January): "Dec 2020". */
export function calendarMonth(year: number, month: number): MonthPeriod {
  assertYear(year, "A month's year");
  if (!Number.isInteger(month) || month < 1 || month > 12)
    throw new RangeError(`A month is 1 to 12, not ${month}`);
  return build<MonthPeriod>({ kind: "month", year, month, form: canonicalMonthForm(month) });
}

/** The academic year 1 September startYear to 31 August startYear + 1: "2018/19 academic year". */
export function academicYear(startYear: number): AcademicYearPeriod {
  assertYear(startYear, "An academic year's start year");
  return build<AcademicYearPeriod>({
    kind: "academic-year",
    startYear,
    form: { year: CANONICAL_YEAR_SPAN, words: "academic year", wordsFirst: false },
  });
}

/** A term of the academic year starting in academicStartYear: "Autumn Term 2019", "Spring Term 2020". */
export function academicTerm(academicStartYear: number, term: AcademicTerm): AcademicTermPeriod {
  assertYear(academicStartYear, "An academic year's start year");
  const termName = term === "autumn" ? "Autumn" : term === "spring" ? "Spring" : "Summer";
  return build<AcademicTermPeriod>({
    kind: "academic-term",
    term,
    academicStartYear,
    form: { termName, termWord: "Term", academicYear: null },
  });
}

/** 1 January to 31 December: "2019 calendar year". */
export function calendarYear(year: number): CalendarYearPeriod {
  assertYear(year, "A calendar year");
  return build<CalendarYearPeriod>({
    kind: "calendar-year",
    year,
    form: { words: "calendar year", wordsFirst: false },
  });
}

/** The financial year a date falls in, or null if the date is not a real "YYYY-MM-DD" date. */
export function financialYearContaining(date: IsoDate): FinancialYearPeriod | null {
  const parts = typeof date === "string" ? parseIsoDate(date) : null;
  if (parts === null || parts.year < 1001) return null;
  return financialYear(financialYearStartOf(parts.year, parts.month));
}

// ---------------------------------------------------------------------------
// Comparing periods.

/**
 * Whether `inner` lies wholly within `outer` ("Dec 20" within 2020/21: yes; "Dec 19": no).
 * False when either has no known dates: we cannot show that it does.
 */
export function periodWithin(inner: Period, outer: Period): boolean {
  if (inner.start === null || inner.end === null || outer.start === null || outer.end === null) return false;
  return outer.start <= inner.start && inner.end <= outer.end;
}

/** What has to match, beyond the kind, for two periods to cover like spans. */
function spanKey(period: Period): string {
  switch (period.kind) {
    case "academic-term":
      // Real terms differ in length and season, so only the same term compares.
      return period.term;
    case "cumulative":
      // A running total to December is not like one to March, nor an academic-year total like a financial one.
      return `${period.over ?? "unstated"} to month ${period.to.month}`;
    case "three-year-average":
      return period.ending?.kind ?? "unstated";
    default:
      // Every other kind has one fixed length: a month, a quarter, a year, twelve months, one day.
      return "";
  }
}

/**
 * Whether two periods are like for like: the same kind covering the same length of time
 * (Q3 2020/21 and Q3 2019/20; "Dec 20" and "Dec 19"; cumulative to December over the
 * academic year in two different years). Says nothing about which years they are.
 */
export function sameKindAndSpan(a: Period, b: Period): boolean {
  return periodSpan(a) === periodSpan(b);
}

/**
 * A period's kind and span as one string ("financial-quarter", "academic-term:autumn"), stored
 * beside a value so that two values compare like for like without reading their periods again:
 * two periods are like for like exactly when their spans are equal.
 */
export function periodSpan(period: Period): string {
  const key = spanKey(period);
  return key === "" ? period.kind : `${period.kind}:${key}`;
}

// ---------------------------------------------------------------------------
// Monitoring periods: the quarter or month of a financial year a council monitors and reports.
//
// One value, one parser, one formatter and one stored form for every module, route and report:
// - the value: { startYear, kind, number } (quarter 1-4 or month 1-12 of the financial year
//   that starts in startYear);
// - addresses: "/periods/2020-21/q3", "/reports/quarterly/2021-22/q1" (year code, then "q3" or
//   "m7"); forms and the database: the key "2020-21-q3" or "2021-22-m7";
// - words: "Quarter 3 2020/21", "Month 7 2021/22".
// The financial year starts in the council's year start month (a council setting; April unless
// the council says otherwise). Month 1 is the year's first month, and the quarters end at months
// 3, 6, 9 and 12. The year start changes the dates a period covers, never its key.

/** April: the UK local government financial year. A council's own setting overrides it. */
export const DEFAULT_YEAR_START_MONTH = 4;

export type MonitoringPeriodKind = "quarter" | "month";

/** How often a department monitors: the periods its years are opened in. */
export type MonitoringFrequency = "quarterly" | "monthly";

export const MONITORING_FREQUENCIES: readonly MonitoringFrequency[] = ["quarterly", "monthly"];

export interface MonitoringPeriod {
  /** The calendar year the financial year starts in: 2020 for 2020/21. */
  readonly startYear: number;
  readonly kind: MonitoringPeriodKind;
  /** 1-4 for a quarter, 1-12 for a month (1 = the year's first month). */
  readonly number: number;
}

/** Builds a monitoring period; throws RangeError on parts no council period has (a programming mistake). */
export function monitoringPeriod(
  startYear: number,
  kind: MonitoringPeriodKind,
  number: number,
): MonitoringPeriod {
  assertYear(startYear, "A financial year's start year");
  const last = kind === "quarter" ? 4 : 12;
  if (!Number.isInteger(number) || number < 1 || number > last) {
    throw new RangeError(`A ${kind} of a financial year is 1 to ${last}, not ${number}`);
  }
  return { startYear, kind, number };
}

/** "2020-21": the year as addresses, forms and keys write it. */
export function financialYearCode(startYear: number): string {
  return `${startYear}-${pad2((startYear + 1) % 100)}`;
}

/** "2020/21": the year as the council writes it. */
export function financialYearLabel(startYear: number): string {
  return `${startYear}/${pad2((startYear + 1) % 100)}`;
}

/** The start year of "2020-21" or "2020/21" (the second year must follow the first), or null. */
export function parseFinancialYearCode(text: unknown): number | null {
  if (typeof text !== "string") return null;
  const match = /^(\d{4})[-/](\d{2})$/.exec(text.trim());
  if (!match) return null;
  const startYear = Number(match[1]);
  if (startYear < 1000 || (startYear + 1) % 100 !== Number(match[2])) return null;
  return startYear;
}

const PERIOD_PART = /^([qm])(\d{1,2})$/i;

/**
 * Reads a period from its two address parts: ("2020-21", "q3"), ("2021-22", "m7"). Null for
 * anything else, including quarter 5 and month 13. Never throws.
 */
export function parseMonitoringPeriod(yearText: unknown, periodText: unknown): MonitoringPeriod | null {
  const startYear = parseFinancialYearCode(yearText);
  if (startYear === null || typeof periodText !== "string") return null;
  const match = PERIOD_PART.exec(periodText.trim());
  if (!match) return null;
  const kind: MonitoringPeriodKind = match[1]?.toLowerCase() === "q" ? "quarter" : "month";
  const number = Number(match[2]);
  if (String(number) !== match[2]) return null;
  if (number < 1 || number > (kind === "quarter" ? 4 : 12)) return null;
  return { startYear, kind, number };
}

/** Reads the stored and form key "2020-21-q3" or "2021-22-m7"; null for anything else. */
export function parseMonitoringPeriodKey(key: unknown): MonitoringPeriod | null {
  if (typeof key !== "string") return null;
  const match = /^(\d{4}-\d{2})-([qm]\d{1,2})$/i.exec(key.trim());
  return match ? parseMonitoringPeriod(match[1], match[2]) : null;
}

/** "q3" or "m7": the period's part of an address or key. */
export function monitoringPeriodSlug(period: MonitoringPeriod): string {
  return `${period.kind === "quarter" ? "q" : "m"}${period.number}`;
}

/** "2020-21-q3": how forms and the database hold a period. */
export function monitoringPeriodKey(period: MonitoringPeriod): string {
  return `${financialYearCode(period.startYear)}-${monitoringPeriodSlug(period)}`;
}

/** "2020-21/q3": how addresses hold a period. */
export function monitoringPeriodPath(period: MonitoringPeriod): string {
  return `${financialYearCode(period.startYear)}/${monitoringPeriodSlug(period)}`;
}

/** "Quarter 3" or "Month 7", without the year. */
export function monitoringPeriodShortLabel(period: MonitoringPeriod): string {
  return `${period.kind === "quarter" ? "Quarter" : "Month"} ${period.number}`;
}

/** "Quarter 3 2020/21" or "Month 7 2021/22". */
export function monitoringPeriodLabel(period: MonitoringPeriod): string {
  return `${monitoringPeriodShortLabel(period)} ${financialYearLabel(period.startYear)}`;
}

export function sameMonitoringPeriod(a: MonitoringPeriod, b: MonitoringPeriod): boolean {
  return a.startYear === b.startYear && a.kind === b.kind && a.number === b.number;
}

/** The last month of the year (1-12 from the year's start) a period covers. */
function lastMonthOfYear(period: MonitoringPeriod): number {
  return period.kind === "quarter" ? period.number * 3 : period.number;
}

/**
 * Date order: by the period's end, and a month before the quarter that ends with it (month 3
 * before quarter 1). Negative when a comes first.
 */
export function compareMonitoringPeriods(a: MonitoringPeriod, b: MonitoringPeriod): number {
  if (a.startYear !== b.startYear) return a.startYear - b.startYear;
  const byEnd = lastMonthOfYear(a) - lastMonthOfYear(b);
  if (byEnd !== 0) return byEnd;
  if (a.kind !== b.kind) return a.kind === "month" ? -1 : 1;
  return a.number - b.number;
}

function assertYearStartMonth(yearStartMonth: number): void {
  if (!Number.isInteger(yearStartMonth) || yearStartMonth < 1 || yearStartMonth > 12) {
    throw new RangeError(`A year start month is 1 to 12, not ${yearStartMonth}`);
  }
}

/** The first and last day a period covers, for a year starting in yearStartMonth (April unless set). */
export function monitoringPeriodDates(
  period: MonitoringPeriod,
  yearStartMonth: number = DEFAULT_YEAR_START_MONTH,
): { start: IsoDate; end: IsoDate } {
  assertYearStartMonth(yearStartMonth);
  const lastMonth = lastMonthOfYear(period);
  const firstMonth = period.kind === "quarter" ? lastMonth - 2 : lastMonth;
  const first = shiftMonth(period.startYear, yearStartMonth, firstMonth - 1);
  const last = shiftMonth(period.startYear, yearStartMonth, lastMonth - 1);
  return { start: firstDayOf(first.year, first.month), end: lastDayOf(last.year, last.month) };
}

/** Every period of a year, in order: four quarters, or twelve months. */
export function periodsOfYear(startYear: number, frequency: MonitoringFrequency): MonitoringPeriod[] {
  const kind: MonitoringPeriodKind = frequency === "quarterly" ? "quarter" : "month";
  const count = kind === "quarter" ? 4 : 12;
  return Array.from({ length: count }, (_, index) => monitoringPeriod(startYear, kind, index + 1));
}

/** The quarter a period falls in: itself for a quarter, quarter 1 for months 1-3. */
export function quarterOf(period: MonitoringPeriod): MonitoringPeriod {
  if (period.kind === "quarter") return period;
  return monitoringPeriod(period.startYear, "quarter", Math.ceil(period.number / 3));
}

/** Whether a quarterly report can be made at this period: a quarter, or a month ending one (3, 6, 9, 12). */
export function isQuarterEnd(period: MonitoringPeriod): boolean {
  return period.kind === "quarter" || period.number % 3 === 0;
}

/** The three months of a quarter, in order. */
export function monthsOfQuarter(quarter: MonitoringPeriod): MonitoringPeriod[] {
  const q = quarterOf(quarter);
  return [1, 2, 3].map((offset) => monitoringPeriod(q.startYear, "month", (q.number - 1) * 3 + offset));
}

/** The period just before, within the same kind (quarter 4 of the year before precedes quarter 1). */
export function previousMonitoringPeriod(period: MonitoringPeriod): MonitoringPeriod {
  if (period.number > 1) return monitoringPeriod(period.startYear, period.kind, period.number - 1);
  return monitoringPeriod(period.startYear - 1, period.kind, period.kind === "quarter" ? 4 : 12);
}

/**
 * The same period in the general model, for rules that compare periods of any kind (values,
 * targets, ratings): quarter 3 of 2020/21 is "Q3 2020/21"; month 7 is "Month 7 2020/21".
 */
export function monitoringPeriodAsPeriod(
  period: MonitoringPeriod,
): FinancialQuarterPeriod | BudgetMonthPeriod {
  return period.kind === "quarter"
    ? financialQuarter(period.startYear, period.number)
    : budgetMonth(period.startYear, period.number);
}

/**
 * The monitoring period a parsed label names, if it is a quarter or a budget month whose year is
 * known ("Quarter 3 2020/21", "Month 7 2021/22"); null for any other period.
 */
export function monitoringPeriodOf(period: Period): MonitoringPeriod | null {
  if (period.kind === "financial-quarter" && period.startYear !== null) {
    return monitoringPeriod(period.startYear, "quarter", period.quarter);
  }
  if (period.kind === "budget-month" && period.startYear !== null) {
    return monitoringPeriod(period.startYear, "month", period.budgetMonth);
  }
  return null;
}

/** The start year of the financial year a date falls in, for a year starting in yearStartMonth. */
export function financialYearStartOfDate(
  date: IsoDate,
  yearStartMonth: number = DEFAULT_YEAR_START_MONTH,
): number | null {
  assertYearStartMonth(yearStartMonth);
  const parts = typeof date === "string" ? parseIsoDate(date) : null;
  if (parts === null) return null;
  return parts.month >= yearStartMonth ? parts.year : parts.year - 1;
}

/**
 * The quarter number an address gives under a year it already names: "q3", "Q3" or "3"
 * (older addresses carry the bare number). Null for anything else.
 */
export function parseQuarterNumber(text: unknown): number | null {
  if (typeof text !== "string") return null;
  const match = PERIOD_PART.exec(/^\d$/.test(text) ? `q${text}` : text);
  if (match?.[1]?.toLowerCase() !== "q") return null;
  const number = Number(match[2]);
  return String(number) === match[2] && number >= 1 && number <= 4 ? number : null;
}

// ---------------------------------------------------------------------------
// Periods named relative to a report ("This quarter", "Last period", "Year to date").

/**
 * The period a heading names relative to the period a report is made for: "this" is the
 * reporting period itself; "previous" the one before it of the same kind (Q1 2024/25 before
 * Q2; Q4 2023/24 before Q1 2024/25; Aug 2024 before Sep 2024); "year-to-date" the running
 * total over the financial year to the reporting period's last month. Null where the reporting
 * period has no dates or is not a quarter or month.
 */
export function relativePeriod(
  reporting: Period,
  which: "this" | "previous" | "year-to-date",
): FinancialQuarterPeriod | MonthPeriod | BudgetMonthPeriod | CumulativePeriod | null {
  let current: FinancialQuarterPeriod | MonthPeriod | BudgetMonthPeriod;
  if (reporting.kind === "financial-quarter" && reporting.startYear !== null) {
    current = financialQuarter(reporting.startYear, reporting.quarter);
  } else if (reporting.kind === "month") {
    current = calendarMonth(reporting.year, reporting.month);
  } else if (reporting.kind === "budget-month" && reporting.startYear !== null) {
    current = budgetMonth(reporting.startYear, reporting.budgetMonth);
  } else {
    return null;
  }
  if (which === "this") return current;
  if (which === "previous") {
    if (current.kind === "financial-quarter") {
      const startYear = current.startYear ?? 0;
      return current.quarter === 1
        ? financialQuarter(startYear - 1, 4)
        : financialQuarter(startYear, current.quarter - 1);
    }
    if (current.kind === "month") {
      const before = shiftMonth(current.year, current.month, -1);
      return calendarMonth(before.year, before.month);
    }
    const startYear = current.startYear ?? 0;
    return current.budgetMonth === 1
      ? budgetMonth(startYear - 1, 12)
      : budgetMonth(startYear, current.budgetMonth - 1);
  }
  const end = current.end === null ? null : parseIsoDate(current.end);
  if (end === null) return null;
  const to = calendarMonth(end.year, end.month);
  return build<CumulativePeriod>({
    kind: "cumulative",
    to,
    over: "financial-year",
    form: { separator: " - ", words: "cumulative over financial year" },
  });
}

/**
 * Date order for period labels as stored ("Q4 2023/24" before "Q1 2024/25", "Sep 2024" before
 * "Dec 2024"): by the last day covered, then the first; a label with no dates goes after those
 * with dates, in text order. Negative when a comes first.
 */
export function comparePeriodLabels(a: string, b: string): number {
  const first = parsePeriod(a);
  const second = parsePeriod(b);
  const firstEnd = first?.end ?? null;
  const secondEnd = second?.end ?? null;
  if (firstEnd !== null && secondEnd !== null) {
    if (firstEnd !== secondEnd) return firstEnd < secondEnd ? -1 : 1;
    const firstStart = first?.start ?? "";
    const secondStart = second?.start ?? "";
    // The longer span first when two end together (a year before its last quarter).
    if (firstStart !== secondStart) return firstStart < secondStart ? -1 : 1;
  } else if (firstEnd !== null) return -1;
  else if (secondEnd !== null) return 1;
  return a.localeCompare(b);
}
