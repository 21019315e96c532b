import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import {
  academicTerm,
  academicYear,
  budgetMonth,
  calendarMonth,
  calendarYear,
  financialQuarter,
  financialYear,
  financialYearContaining,
  formatPeriod,
  PERIOD_KINDS,
  type Period,
  type PeriodContext,
  type PeriodKind,
  parsePeriod,
  periodWithin,
  sameKindAndSpan,
} from "./periods.ts";

function parsed(label: string, context?: PeriodContext): Period {
  const period = parsePeriod(label, context);
  assert.ok(period, `expected "${label}" to parse`);
  return period;
}

interface LabelCase {
  label: string;
  context?: PeriodContext;
  kind: PeriodKind;
  start: string | null;
  end: string | null;
  canonical: string;
  parts?: Record<string, unknown>;
}

// Every label form in docs/domain.md section 3 and the demo documents, with what a council means by it.
const LABELS: LabelCase[] = [
  // Financial year: 1 Apr - 31 Mar.
  { label: "2020/21", kind: "financial-year", start: "2020-04-01", end: "2021-03-31", canonical: "2020/21" },
  { label: "2020-21", kind: "financial-year", start: "2020-04-01", end: "2021-03-31", canonical: "2020/21" },
  { label: "2021-22", kind: "financial-year", start: "2021-04-01", end: "2022-03-31", canonical: "2021/22" },
  {
    label: "2020/2021",
    kind: "financial-year",
    start: "2020-04-01",
    end: "2021-03-31",
    canonical: "2020/21",
  },
  { label: "2024-25", kind: "financial-year", start: "2024-04-01", end: "2025-03-31", canonical: "2024/25" },
  {
    label: "2018/2019",
    kind: "financial-year",
    start: "2018-04-01",
    end: "2019-03-31",
    canonical: "2018/19",
  },
  { label: "2023–24", kind: "financial-year", start: "2023-04-01", end: "2024-03-31", canonical: "2023/24" },
  { label: "1999/00", kind: "financial-year", start: "1999-04-01", end: "2000-03-31", canonical: "1999/00" },
  // Financial quarter: Q1 Apr-Jun ... Q4 Jan-Mar.
  {
    label: "Q3 2020/21",
    kind: "financial-quarter",
    start: "2020-10-01",
    end: "2020-12-31",
    canonical: "Q3 2020/21",
    parts: { quarter: 3, startYear: 2020 },
  },
  {
    label: "Quarter 3",
    context: { financialYearStart: 2020 },
    kind: "financial-quarter",
    start: "2020-10-01",
    end: "2020-12-31",
    canonical: "Q3 2020/21",
    parts: { quarter: 3, startYear: 2020 },
  },
  {
    label: "Quarter 3",
    kind: "financial-quarter",
    start: null,
    end: null,
    canonical: "Q3",
    parts: { quarter: 3, startYear: null },
  },
  {
    label: "Q1 2021-22",
    kind: "financial-quarter",
    start: "2021-04-01",
    end: "2021-06-30",
    canonical: "Q1 2021/22",
  },
  {
    label: "Q2 2021/22",
    kind: "financial-quarter",
    start: "2021-07-01",
    end: "2021-09-30",
    canonical: "Q2 2021/22",
  },
  {
    label: "Quarter 4 2020/21",
    kind: "financial-quarter",
    start: "2021-01-01",
    end: "2021-03-31",
    canonical: "Q4 2020/21",
  },
  // Quarters as GOV.UK and other councils write them: each the quarter, never the whole year.
  {
    label: "Quarter 3, 2024 to 2025",
    kind: "financial-quarter",
    start: "2024-10-01",
    end: "2024-12-31",
    canonical: "Q3 2024/25",
    parts: { quarter: 3, startYear: 2024 },
  },
  {
    label: "Q3 2024/25",
    kind: "financial-quarter",
    start: "2024-10-01",
    end: "2024-12-31",
    canonical: "Q3 2024/25",
  },
  {
    label: "Q3 24/25",
    kind: "financial-quarter",
    start: "2024-10-01",
    end: "2024-12-31",
    canonical: "Q3 2024/25",
  },
  {
    label: "Q4 99/00",
    kind: "financial-quarter",
    start: "2100-01-01",
    end: "2100-03-31",
    canonical: "Q4 2099/00",
  },
  {
    label: "Q2 2024-25",
    kind: "financial-quarter",
    start: "2024-07-01",
    end: "2024-09-30",
    canonical: "Q2 2024/25",
  },
  {
    label: "Quarter 3 2024/2025",
    kind: "financial-quarter",
    start: "2024-10-01",
    end: "2024-12-31",
    canonical: "Q3 2024/25",
  },
  {
    label: "2024/25 Q3",
    kind: "financial-quarter",
    start: "2024-10-01",
    end: "2024-12-31",
    canonical: "Q3 2024/25",
  },
  {
    label: "24-25 Quarter 1",
    kind: "financial-quarter",
    start: "2024-04-01",
    end: "2024-06-30",
    canonical: "Q1 2024/25",
  },
  {
    label: "Oct-Dec 2024",
    kind: "financial-quarter",
    start: "2024-10-01",
    end: "2024-12-31",
    canonical: "Q3 2024/25",
    parts: { quarter: 3, startYear: 2024 },
  },
  {
    label: "Jan - Mar 25",
    kind: "financial-quarter",
    start: "2025-01-01",
    end: "2025-03-31",
    canonical: "Q4 2024/25",
    parts: { quarter: 4, startYear: 2024 },
  },
  {
    label: "April to June 2024",
    kind: "financial-quarter",
    start: "2024-04-01",
    end: "2024-06-30",
    canonical: "Q1 2024/25",
  },
  {
    label: "2024 to 2025",
    kind: "financial-year",
    start: "2024-04-01",
    end: "2025-03-31",
    canonical: "2024/25",
  },
  { label: "Sep 24", kind: "month", start: "2024-09-01", end: "2024-09-30", canonical: "Sep 2024" },
  {
    label: "30/09/2024",
    kind: "as-at-date",
    start: "2024-09-30",
    end: "2024-09-30",
    canonical: "30 Sep 2024",
  },
  {
    label: "as at 31 March 2025",
    kind: "as-at-date",
    start: "2025-03-31",
    end: "2025-03-31",
    canonical: "31 Mar 2025",
  },
  // Month, a value "as at" its end.
  {
    label: "Dec 20",
    kind: "month",
    start: "2020-12-01",
    end: "2020-12-31",
    canonical: "Dec 2020",
    parts: { year: 2020, month: 12 },
  },
  { label: "Dec 2020", kind: "month", start: "2020-12-01", end: "2020-12-31", canonical: "Dec 2020" },
  { label: "Nov 20", kind: "month", start: "2020-11-01", end: "2020-11-30", canonical: "Nov 2020" },
  { label: "Dec 19", kind: "month", start: "2019-12-01", end: "2019-12-31", canonical: "Dec 2019" },
  { label: "March 2022", kind: "month", start: "2022-03-01", end: "2022-03-31", canonical: "Mar 2022" },
  { label: "Sept 2021", kind: "month", start: "2021-09-01", end: "2021-09-30", canonical: "Sep 2021" },
  { label: "Feb 24", kind: "month", start: "2024-02-01", end: "2024-02-29", canonical: "Feb 2024" },
  { label: "Dec-20", kind: "month", start: "2020-12-01", end: "2020-12-31", canonical: "Dec 2020" },
  // Academic year: 1 Sep - 31 Aug.
  {
    label: "2018/19 academic year",
    kind: "academic-year",
    start: "2018-09-01",
    end: "2019-08-31",
    canonical: "2018/19 academic year",
    parts: { startYear: 2018 },
  },
  {
    label: "academic year 2019-20",
    kind: "academic-year",
    start: "2019-09-01",
    end: "2020-08-31",
    canonical: "2019/20 academic year",
  },
  // Academic terms: Autumn Sep-Dec, Spring Jan-Apr, Summer May-Aug.
  {
    label: "Autumn Term 2019",
    kind: "academic-term",
    start: "2019-09-01",
    end: "2019-12-31",
    canonical: "Autumn Term 2019",
    parts: { term: "autumn", academicStartYear: 2019 },
  },
  {
    label: "Spring Term 2020",
    kind: "academic-term",
    start: "2020-01-01",
    end: "2020-04-30",
    canonical: "Spring Term 2020",
    parts: { term: "spring", academicStartYear: 2019 },
  },
  {
    label: "Summer term 2020",
    kind: "academic-term",
    start: "2020-05-01",
    end: "2020-08-31",
    canonical: "Summer Term 2020",
    parts: { term: "summer", academicStartYear: 2019 },
  },
  {
    label: "Summer Term 2019/20",
    kind: "academic-term",
    start: "2020-05-01",
    end: "2020-08-31",
    canonical: "Summer Term 2020",
  },
  // Calendar year.
  {
    label: "2019 calendar year",
    kind: "calendar-year",
    start: "2019-01-01",
    end: "2019-12-31",
    canonical: "2019 calendar year",
  },
  {
    label: "2018 calendar year",
    kind: "calendar-year",
    start: "2018-01-01",
    end: "2018-12-31",
    canonical: "2018 calendar year",
  },
  {
    label: "calendar year 2020",
    kind: "calendar-year",
    start: "2020-01-01",
    end: "2020-12-31",
    canonical: "2020 calendar year",
  },
  // Budget month: month 1 = April.
  {
    label: "Month 7",
    context: { financialYearStart: 2020 },
    kind: "budget-month",
    start: "2020-10-01",
    end: "2020-10-31",
    canonical: "Month 7 2020/21",
    parts: { budgetMonth: 7, startYear: 2020 },
  },
  { label: "Month 7", kind: "budget-month", start: null, end: null, canonical: "Month 7" },
  {
    label: "Month 12 2020/21",
    kind: "budget-month",
    start: "2021-03-01",
    end: "2021-03-31",
    canonical: "Month 12 2020/21",
  },
  // As-at dates.
  {
    label: "31/08/19",
    kind: "as-at-date",
    start: "2019-08-31",
    end: "2019-08-31",
    canonical: "31 Aug 2019",
    parts: { day: 31, month: 8, year: 2019 },
  },
  { label: "31/08/20", kind: "as-at-date", start: "2020-08-31", end: "2020-08-31", canonical: "31 Aug 2020" },
  { label: "1/9/2021", kind: "as-at-date", start: "2021-09-01", end: "2021-09-01", canonical: "1 Sep 2021" },
  { label: "29/02/20", kind: "as-at-date", start: "2020-02-29", end: "2020-02-29", canonical: "29 Feb 2020" },
  {
    label: "30th Sept",
    kind: "as-at-date",
    start: null,
    end: null,
    canonical: "30 Sep",
    parts: { day: 30, month: 9, year: null },
  },
  {
    label: "30th Sept",
    context: { year: 2020 },
    kind: "as-at-date",
    start: "2020-09-30",
    end: "2020-09-30",
    canonical: "30 Sep 2020",
  },
  {
    label: "30 th Sept",
    context: { financialYearStart: 2019 },
    kind: "as-at-date",
    start: "2019-09-30",
    end: "2019-09-30",
    canonical: "30 Sep 2019",
  },
  {
    label: "31st Jan",
    context: { financialYearStart: 2020 },
    kind: "as-at-date",
    start: "2021-01-31",
    end: "2021-01-31",
    canonical: "31 Jan 2021",
  },
  {
    label: "as at 30 September 2020",
    kind: "as-at-date",
    start: "2020-09-30",
    end: "2020-09-30",
    canonical: "30 Sep 2020",
  },
  // Rolling 12 months ending a month.
  {
    label: "rolling 12 months to Dec 20",
    kind: "rolling-12-months",
    start: "2020-01-01",
    end: "2020-12-31",
    canonical: "rolling 12 months to Dec 2020",
  },
  {
    label: "Rolling 12 months ending March 2021",
    kind: "rolling-12-months",
    start: "2020-04-01",
    end: "2021-03-31",
    canonical: "rolling 12 months to Mar 2021",
  },
  {
    label: "Rolling 12 months",
    kind: "rolling-12-months",
    start: null,
    end: null,
    canonical: "rolling 12 months",
  },
  // 3-year average ending a year.
  {
    label: "3 year average to 2019/20",
    kind: "three-year-average",
    start: "2017-04-01",
    end: "2020-03-31",
    canonical: "3 year average to 2019/20",
  },
  {
    label: "3-year average ending 2018/19 academic year",
    kind: "three-year-average",
    start: "2016-09-01",
    end: "2019-08-31",
    canonical: "3 year average to 2018/19 academic year",
  },
  {
    label: "3 year average",
    kind: "three-year-average",
    start: null,
    end: null,
    canonical: "3 year average",
  },
  // 3-month average (NEET Dec-Feb).
  {
    label: "Dec-Feb",
    kind: "three-month-average",
    start: null,
    end: null,
    canonical: "Dec-Feb",
    parts: { firstMonth: 12, lastMonth: 2, lastYear: null },
  },
  {
    label: "Dec-Feb",
    context: { financialYearStart: 2020 },
    kind: "three-month-average",
    start: "2020-12-01",
    end: "2021-02-28",
    canonical: "Dec 2020-Feb 2021",
  },
  {
    label: "Dec 19 - Feb 20",
    kind: "three-month-average",
    start: "2019-12-01",
    end: "2020-02-29",
    canonical: "Dec 2019-Feb 2020",
  },
  {
    label: "Nov 2020-Jan 2021",
    kind: "three-month-average",
    start: "2020-11-01",
    end: "2021-01-31",
    canonical: "Nov 2020-Jan 2021",
  },
  {
    label: "Oct 2020-Dec 2020",
    kind: "three-month-average",
    start: "2020-10-01",
    end: "2020-12-31",
    canonical: "Oct 2020-Dec 2020",
  },
  // Cumulative to a month.
  {
    label: "Dec 20 - cumulative over academic year",
    kind: "cumulative",
    start: "2020-09-01",
    end: "2020-12-31",
    canonical: "Dec 2020 - cumulative over academic year",
    parts: { over: "academic-year" },
  },
  {
    label: "Dec 20 - cumulative over financial year",
    kind: "cumulative",
    start: "2020-04-01",
    end: "2020-12-31",
    canonical: "Dec 2020 - cumulative over financial year",
  },
  {
    label: "Feb 21 - cumulative over academic year",
    kind: "cumulative",
    start: "2020-09-01",
    end: "2021-02-28",
    canonical: "Feb 2021 - cumulative over academic year",
  },
  {
    label: "Dec 20 - cumulative",
    kind: "cumulative",
    start: null,
    end: "2020-12-31",
    canonical: "Dec 2020 - cumulative",
    parts: { over: null },
  },
];

describe("parsePeriod: every label form", () => {
  for (const example of LABELS) {
    const where = example.context ? ` with ${JSON.stringify(example.context)}` : "";
    it(`reads "${example.label}"${where} as ${example.kind} ${example.start ?? "?"} to ${example.end ?? "?"}`, () => {
      const period = parsed(example.label, example.context);
      assert.equal(period.kind, example.kind);
      assert.equal(period.start, example.start);
      assert.equal(period.end, example.end);
      assert.equal(period.label, example.label);
      assert.equal(formatPeriod(period), example.label);
      assert.equal(period.canonicalLabel, example.canonical);
      for (const [key, value] of Object.entries(example.parts ?? {})) {
        assert.deepEqual((period as unknown as Record<string, unknown>)[key], value, key);
      }
    });
  }

  it("covers every period kind", () => {
    const covered = new Set(LABELS.map((example) => example.kind));
    assert.deepEqual(
      PERIOD_KINDS.filter((kind) => !covered.has(kind)),
      [],
    );
  });

  it("keeps the written spelling so the label prints back exactly", () => {
    for (const label of [
      "DEC 20",
      "dec 2020",
      "Q3 2020-21",
      "qtr 2 2020/21",
      "AUTUMN TERM 2019",
      "30TH Sept",
    ]) {
      assert.equal(formatPeriod(parsed(label)), label);
    }
  });
});

describe("parsePeriod: invalid input", () => {
  const invalid = [
    "",
    " ",
    " 2020/21",
    "2020/21 ",
    "2020/22",
    "2020/2022",
    "2020/1",
    "20/21",
    "2019",
    "Q5",
    "Q0 2020/21",
    "Quarter 3 2020",
    "Q3 2024 to 25",
    "Q3 24/2025",
    "Q3 24/26",
    "Quarter 3; 2024/25",
    "2024/25 Q5",
    "2024 Q3",
    "24/25",
    "Oct-Dec 2024 Q3",
    "Oct-Dec 202",
    "Month 0",
    "Month 13",
    "Month 07",
    "31/02/20",
    "29/02/21",
    "31/13/20",
    "00/12/20",
    "32nd Jan",
    "31st Sept",
    "30st Sept",
    "29th Feb 2021",
    "Decc 20",
    "Dec 202",
    "Dec  20",
    "Dec-Mar",
    "Dec 20-Feb 22",
    "Dec 20-Feb",
    "rolling 12 months to 2020/21",
    "rolling 12 months to",
    "3 year average to Dec 20",
    "Winter Term 2019",
    "Autumn Term 19",
    "2019 financial calendar year",
    "Dec 20 - cumulative over the decade",
    "cumulative",
    "as at",
    "N/Av",
    "COVID-19",
    "stage 1",
    "national 16.4%",
  ];
  for (const label of invalid) {
    it(`returns null for ${JSON.stringify(label)}`, () => {
      assert.equal(parsePeriod(label), null);
    });
  }

  it("returns null rather than throwing for values that are not strings", () => {
    assert.equal(parsePeriod(undefined as unknown as string), null);
    assert.equal(parsePeriod(42 as unknown as string), null);
  });

  it("never throws on arbitrary text, and anything it reads prints back exactly", () => {
    const periodish = fc.string({
      unit: fc.constantFrom(..."0123456789/-– QqMonthDecFebSeptrmAutumnacdemiyl".split("")),
      maxLength: 30,
    });
    fc.assert(
      fc.property(fc.oneof(fc.string(), periodish), (label) => {
        const period = parsePeriod(label, { financialYearStart: 2020 });
        if (period !== null) {
          assert.equal(period.label, label);
          assert.equal(formatPeriod(period), label);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe("building periods in code", () => {
  it("labels a financial year 2020/21, 1 April to 31 March", () => {
    const year = financialYear(2020);
    assert.equal(year.label, "2020/21");
    assert.equal(formatPeriod(year), "2020/21");
    assert.equal(year.start, "2020-04-01");
    assert.equal(year.end, "2021-03-31");
  });

  it("places the quarters Apr-Jun, Jul-Sep, Oct-Dec, Jan-Mar", () => {
    const spans = [1, 2, 3, 4].map((q) => {
      const quarter = financialQuarter(2020, q);
      return [quarter.label, quarter.start, quarter.end];
    });
    assert.deepEqual(spans, [
      ["Q1 2020/21", "2020-04-01", "2020-06-30"],
      ["Q2 2020/21", "2020-07-01", "2020-09-30"],
      ["Q3 2020/21", "2020-10-01", "2020-12-31"],
      ["Q4 2020/21", "2021-01-01", "2021-03-31"],
    ]);
  });

  it("counts budget months from April", () => {
    assert.equal(budgetMonth(2020, 1).start, "2020-04-01");
    assert.equal(budgetMonth(2020, 7).end, "2020-10-31");
    assert.equal(budgetMonth(2020, 10).start, "2021-01-01");
    assert.equal(budgetMonth(2020, 12).end, "2021-03-31");
    assert.equal(budgetMonth(2020, 7).label, "Month 7 2020/21");
  });

  it("builds the other kinds with their canonical labels", () => {
    assert.equal(calendarMonth(2020, 12).label, "Dec 2020");
    assert.equal(academicYear(2018).label, "2018/19 academic year");
    assert.equal(academicTerm(2019, "spring").label, "Spring Term 2020");
    assert.equal(calendarYear(2019).label, "2019 calendar year");
  });

  it("refuses arguments no label could produce", () => {
    assert.throws(() => financialQuarter(2020, 5), RangeError);
    assert.throws(() => budgetMonth(2020, 13), RangeError);
    assert.throws(() => financialYear(20), RangeError);
    assert.throws(() => calendarMonth(2020, 0), RangeError);
  });

  it("finds the financial year a date falls in", () => {
    assert.equal(financialYearContaining("2021-03-31")?.label, "2020/21");
    assert.equal(financialYearContaining("2021-04-01")?.label, "2021/22");
    assert.equal(financialYearContaining("2020-12-31")?.label, "2020/21");
    assert.equal(financialYearContaining("2021-02-30"), null);
    assert.equal(financialYearContaining("31/03/2021"), null);
    assert.equal(financialYearContaining(""), null);
  });
});

describe("periodWithin", () => {
  it('puts "Dec 20" within 2020/21 and "Dec 19" outside it', () => {
    const year = parsed("2020/21");
    assert.equal(periodWithin(parsed("Dec 20"), year), true);
    assert.equal(periodWithin(parsed("Dec 19"), year), false);
  });

  it("compares by dates, whatever the spelling", () => {
    assert.equal(periodWithin(parsed("Q3 2020/21"), parsed("2020-21")), true);
    assert.equal(periodWithin(parsed("2020/21"), parsed("Q3 2020/21")), false);
    assert.equal(periodWithin(parsed("Mar 21"), parsed("2020/2021")), true);
    assert.equal(periodWithin(parsed("Apr 21"), parsed("2020/2021")), false);
    assert.equal(periodWithin(parsed("Autumn Term 2019"), parsed("2019/20 academic year")), true);
    assert.equal(periodWithin(parsed("Summer Term 2020"), parsed("2019/20")), false);
    assert.equal(periodWithin(parsed("Dec 20 - cumulative over academic year"), parsed("2020/21")), true);
    assert.equal(
      periodWithin(parsed("Feb 21 - cumulative over academic year"), parsed("2020 calendar year")),
      false,
    );
    assert.equal(periodWithin(parsed("2020/21"), parsed("2020/21")), true);
  });

  it("cannot place a period with no known dates", () => {
    assert.equal(periodWithin(parsed("Quarter 3"), parsed("2020/21")), false);
    assert.equal(periodWithin(parsed("Dec 20"), parsed("Quarter 3")), false);
    assert.equal(periodWithin(parsed("Dec 20 - cumulative"), parsed("2020/21")), false);
  });
});

describe("sameKindAndSpan", () => {
  const like: [string, string][] = [
    ["Q3 2020/21", "Q3 2019/20"],
    ["Q3 2020/21", "Quarter 2"],
    ["Dec 20", "Dec 19"],
    ["Dec 20", "Nov 2020"],
    ["2020/21", "2019-20"],
    ["2019/20 academic year", "2018/19 academic year"],
    ["Autumn Term 2019", "Autumn Term 2020"],
    ["Dec 20 - cumulative over academic year", "Dec 19 - cumulative over academic year"],
    ["rolling 12 months to Dec 20", "rolling 12 months to Dec 19"],
    ["3 year average to 2019/20", "3 year average to 2018/19"],
    ["31/08/19", "31/08/20"],
  ];
  for (const [a, b] of like) {
    it(`compares "${a}" with "${b}"`, () => assert.equal(sameKindAndSpan(parsed(a), parsed(b)), true));
  }

  it("reads the four quarters of one year, however written, as four periods in date order", () => {
    const quarters = ["Apr-Jun 2024", "Q2 24/25", "Quarter 3, 2024 to 2025", "2024/25 Q4"].map((label) =>
      parsed(label),
    );
    assert.deepEqual(
      quarters.map((period) => period.canonicalLabel),
      ["Q1 2024/25", "Q2 2024/25", "Q3 2024/25", "Q4 2024/25"],
    );
    const starts = quarters.map((period) => period.start ?? "");
    assert.deepEqual([...starts].sort(), starts);
    assert.equal(new Set(starts).size, 4);
    assert.ok(sameKindAndSpan(parsed("Oct-Dec 2023"), parsed("Q3 24/25")));
  });

  const unlike: [string, string][] = [
    ["Dec 20", "Month 9 2020/21"],
    ["2020/21", "2020/21 academic year"],
    ["2020/21", "2020 calendar year"],
    ["Q3 2020/21", "Oct 2020-Dec 2020"],
    ["Autumn Term 2019", "Spring Term 2020"],
    ["Dec 20 - cumulative over academic year", "Nov 20 - cumulative over academic year"],
    ["Dec 20 - cumulative over academic year", "Dec 20 - cumulative over financial year"],
    ["3 year average to 2019/20", "3 year average to 2019/20 academic year"],
  ];
  for (const [a, b] of unlike) {
    it(`does not compare "${a}" with "${b}"`, () =>
      assert.equal(sameKindAndSpan(parsed(a), parsed(b)), false));
  }
});

// ---------------------------------------------------------------------------
// Property-based round trips: labels for every kind, written every way the grammar allows.

const MONTH_NAMES: readonly (readonly string[])[] = [
  ["January", "Jan", "JAN"],
  ["February", "Feb", "feb"],
  ["March", "Mar", "MARCH"],
  ["April", "Apr"],
  ["May", "MAY"],
  ["June", "Jun"],
  ["July", "Jul"],
  ["August", "Aug"],
  ["September", "Sep", "Sept", "sept"],
  ["October", "Oct"],
  ["November", "Nov"],
  ["December", "Dec", "dec"],
];

function daysIn(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function ordinalFor(day: number): string {
  if (day >= 11 && day <= 13) return "th";
  return day % 10 === 1 ? "st" : day % 10 === 2 ? "nd" : day % 10 === 3 ? "rd" : "th";
}

const year = fc.integer({ min: 2000, max: 2097 });
const monthNumber = fc.integer({ min: 1, max: 12 });
const monthName = (month: number) => fc.constantFrom(...(MONTH_NAMES[month - 1] ?? []));
const writtenYear = (y: number) => fc.constantFrom(String(y), String(y % 100).padStart(2, "0"));

const yearSpan = (startYear: number) =>
  fc
    .record({ separator: fc.constantFrom("/", "-", "–"), long: fc.boolean() })
    .map(
      ({ separator, long }) =>
        `${startYear}${separator}${long ? startYear + 1 : String((startYear + 1) % 100).padStart(2, "0")}`,
    );

/** Every way a quarter's year is written: the spans above, "2024 to 2025" and "24/25". */
const quarterYearSpan = (startYear: number) =>
  fc.oneof(
    yearSpan(startYear),
    fc.constant(`${startYear} to ${startYear + 1}`),
    fc
      .constantFrom("/", "-", "–")
      .map(
        (separator) =>
          `${String(startYear % 100).padStart(2, "0")}${separator}${String((startYear + 1) % 100).padStart(2, "0")}`,
      ),
  );

const monthLabel = fc
  .record({ y: year, m: monthNumber })
  .chain(({ y, m }) =>
    fc
      .tuple(monthName(m), fc.constantFrom(" ", "-"), writtenYear(y))
      .map(([name, separator, written]) => ({ label: `${name}${separator}${written}`, y, m })),
  );

const yearLabel = year.chain((y) =>
  fc.oneof(
    yearSpan(y),
    yearSpan(y).map((span) => `${span} academic year`),
    fc.constant(`${y} calendar year`),
  ),
);

interface Generated {
  label: string;
  context: PeriodContext;
  kind: PeriodKind;
  parts: Record<string, unknown>;
}

const generators: Record<PeriodKind, fc.Arbitrary<Generated>> = {
  "financial-year": year.chain((y) =>
    yearSpan(y).map((label) => ({ label, context: {}, kind: "financial-year", parts: { startYear: y } })),
  ),
  "financial-quarter": fc
    .record({
      y: year,
      q: fc.integer({ min: 1, max: 4 }),
      prefix: fc.constantFrom("Quarter ", "Q", "Qtr ", "quarter ", "q"),
      written: fc.constantFrom("no year", "year after", "year after, comma", "year first", "months"),
    })
    .chain(({ y, q, prefix, written }) =>
      fc
        .tuple(
          quarterYearSpan(y),
          monthName(((q * 3 + 0) % 12) + 1),
          monthName(((q * 3 + 2) % 12) + 1),
          fc.constantFrom("-", " - ", "–", " to "),
          fc.boolean(),
        )
        .map(([span, firstName, lastName, separator, shortYear]) => {
          const calendarYear = q === 4 ? y + 1 : y;
          const monthsYear = shortYear ? String(calendarYear % 100).padStart(2, "0") : String(calendarYear);
          const label =
            written === "no year"
              ? `${prefix}${q}`
              : written === "year after"
                ? `${prefix}${q} ${span}`
                : written === "year after, comma"
                  ? `${prefix}${q}, ${span}`
                  : written === "year first"
                    ? `${span} ${prefix}${q}`
                    : `${firstName}${separator}${lastName} ${monthsYear}`;
          return {
            label,
            context: written === "no year" ? { financialYearStart: y } : {},
            kind: "financial-quarter" as const,
            parts: { quarter: q, startYear: y },
          };
        }),
    ),
  month: monthLabel.map(({ label, y, m }) => ({
    label,
    context: {},
    kind: "month",
    parts: { year: y, month: m },
  })),
  "academic-year": fc
    .record({ y: year, words: fc.constantFrom("academic year", "Academic Year"), wordsFirst: fc.boolean() })
    .chain(({ y, words, wordsFirst }) =>
      yearSpan(y).map((span) => ({
        label: wordsFirst ? `${words} ${span}` : `${span} ${words}`,
        context: {},
        kind: "academic-year" as const,
        parts: { startYear: y },
      })),
    ),
  "academic-term": fc
    .record({
      y: year,
      term: fc.constantFrom("autumn", "spring", "summer"),
      capitalised: fc.boolean(),
      termWord: fc.constantFrom(null, "Term", "term"),
      academicYearWritten: fc.boolean(),
    })
    .chain(({ y, term, capitalised, termWord, academicYearWritten }) =>
      yearSpan(y).map((span) => {
        const name = capitalised ? `${term.charAt(0).toUpperCase()}${term.slice(1)}` : term;
        const written = academicYearWritten ? span : String(term === "autumn" ? y : y + 1);
        return {
          label: termWord === null ? `${name} ${written}` : `${name} ${termWord} ${written}`,
          context: {},
          kind: "academic-term" as const,
          parts: { term, academicStartYear: y },
        };
      }),
    ),
  "calendar-year": fc
    .record({ y: year, words: fc.constantFrom("calendar year", "Calendar Year"), wordsFirst: fc.boolean() })
    .map(({ y, words, wordsFirst }) => ({
      label: wordsFirst ? `${words} ${y}` : `${y} ${words}`,
      context: {},
      kind: "calendar-year",
      parts: { year: y },
    })),
  "budget-month": fc
    .record({
      y: year,
      n: fc.integer({ min: 1, max: 12 }),
      prefix: fc.constantFrom("Month ", "month "),
      withYear: fc.boolean(),
    })
    .chain(({ y, n, prefix, withYear }) =>
      yearSpan(y).map((span) => ({
        label: withYear ? `${prefix}${n} ${span}` : `${prefix}${n}`,
        context: withYear ? {} : { financialYearStart: y },
        kind: "budget-month" as const,
        parts: { budgetMonth: n, startYear: y },
      })),
    ),
  "as-at-date": fc
    .record({
      y: year,
      m: monthNumber,
      dayFraction: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
      padded: fc.boolean(),
      numeric: fc.boolean(),
      prefix: fc.constantFrom("", "as at ", "As at "),
      ordinal: fc.constantFrom("none", "attached", "spaced"),
      yearWritten: fc.boolean(),
    })
    .chain(({ y, m, dayFraction, padded, numeric, prefix, ordinal, yearWritten }) => {
      const day = 1 + Math.floor(dayFraction * daysIn(y, m));
      const dayText = padded && day < 10 ? `0${day}` : String(day);
      if (numeric) {
        const monthText = padded && m < 10 ? `0${m}` : String(m);
        return writtenYear(y).map((written) => ({
          label: `${prefix}${dayText}/${monthText}/${written}`,
          context: {},
          kind: "as-at-date" as const,
          parts: { day, month: m, year: y },
        }));
      }
      const suffix =
        ordinal === "none" ? "" : ordinal === "attached" ? ordinalFor(day) : ` ${ordinalFor(day)}`;
      return fc.tuple(monthName(m), writtenYear(y)).map(([name, written]) => ({
        label: `${prefix}${dayText}${suffix} ${name}${yearWritten ? ` ${written}` : ""}`,
        context: yearWritten ? {} : { year: y },
        kind: "as-at-date" as const,
        parts: { day, month: m, year: y },
      }));
    }),
  "rolling-12-months": fc
    .record({
      words: fc.constantFrom("rolling 12 months", "Rolling 12 months"),
      link: fc.constantFrom(" to ", " ending "),
      ending: fc.option(monthLabel, { nil: null }),
    })
    .map(({ words, link, ending }) => ({
      label: ending === null ? words : `${words}${link}${ending.label}`,
      context: {},
      kind: "rolling-12-months",
      parts: {},
    })),
  "three-year-average": fc
    .record({
      words: fc.constantFrom("3 year average", "3-year average", "3 Year Average"),
      link: fc.constantFrom(" to ", " ending "),
      ending: fc.option(yearLabel, { nil: null }),
    })
    .map(({ words, link, ending }) => ({
      label: ending === null ? words : `${words}${link}${ending}`,
      context: {},
      kind: "three-year-average",
      parts: {},
    })),
  "three-month-average": fc
    .record({
      // From 2001, so a first month in the year before is still written with this century's two digits.
      lastYear: fc.integer({ min: 2001, max: 2097 }),
      lastMonth: monthNumber,
      years: fc.constantFrom("none", "last", "both"),
      separator: fc.constantFrom("-", " - ", "–", " to "),
    })
    // A quarter's own months with only the last year written are a quarter ("Oct-Dec 2024").
    .filter(({ lastMonth, years }) => years !== "last" || lastMonth % 3 !== 0)
    .chain(({ lastYear, lastMonth, years, separator }) => {
      const firstMonth = ((lastMonth + 9) % 12) + 1;
      const firstYear = firstMonth > lastMonth ? lastYear - 1 : lastYear;
      return fc
        .tuple(monthName(firstMonth), monthName(lastMonth), fc.constantFrom(2, 4))
        .map(([firstName, lastName, digits]) => {
          const write = (y: number) => (digits === 2 ? String(y % 100).padStart(2, "0") : String(y));
          const first = years === "both" ? `${firstName} ${write(firstYear)}` : firstName;
          const last = years === "none" ? lastName : `${lastName} ${write(lastYear)}`;
          return {
            label: `${first}${separator}${last}`,
            context: years === "none" ? { year: lastYear } : {},
            kind: "three-month-average" as const,
            parts: { firstMonth, lastMonth, lastYear },
          };
        });
    }),
  cumulative: fc
    .record({
      to: monthLabel,
      separator: fc.constantFrom(" - ", "-", " – "),
      words: fc.constantFrom(
        "cumulative",
        "cumulative over academic year",
        "cumulative over financial year",
        "Cumulative over Academic Year",
      ),
    })
    .map(({ to, separator, words }) => ({
      label: `${to.label}${separator}${words}`,
      context: {},
      kind: "cumulative",
      parts: {
        over: /academic/i.test(words) ? "academic-year" : /financial/i.test(words) ? "financial-year" : null,
      },
    })),
};

describe("round trips (property-based)", () => {
  for (const kind of PERIOD_KINDS) {
    it(`parses and formats every way of writing a ${kind} back to the same period and label`, () => {
      fc.assert(
        fc.property(generators[kind], (generated) => {
          const period = parsePeriod(generated.label, generated.context);
          assert.ok(period, `"${generated.label}" should parse`);
          assert.equal(period.kind, generated.kind);
          assert.equal(period.label, generated.label);
          for (const [key, value] of Object.entries(generated.parts)) {
            assert.deepEqual((period as unknown as Record<string, unknown>)[key], value, key);
          }
          const formatted = formatPeriod(period);
          assert.equal(formatted, generated.label);
          assert.deepEqual(parsePeriod(formatted, generated.context), period);
          if (period.start !== null && period.end !== null) assert.ok(period.start <= period.end);

          // The canonical label is itself a label of the same period, and is its own canonical form.
          const canonical = parsePeriod(period.canonicalLabel);
          assert.ok(canonical, `canonical "${period.canonicalLabel}" should parse`);
          assert.equal(canonical.kind, period.kind);
          assert.equal(canonical.start, period.start);
          assert.equal(canonical.end, period.end);
          assert.equal(canonical.canonicalLabel, period.canonicalLabel);
          assert.equal(formatPeriod(canonical), period.canonicalLabel);
          assert.ok(sameKindAndSpan(canonical, period));
        }),
        { numRuns: 300 },
      );
    });
  }

  it("periods built in code parse back from their labels unchanged", () => {
    fc.assert(
      fc.property(year, fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 12 }), (y, q, n) => {
        for (const period of [
          financialYear(y),
          financialQuarter(y, q),
          budgetMonth(y, n),
          calendarMonth(y, n),
          academicYear(y),
          calendarYear(y),
          academicTerm(y, "spring"),
        ]) {
          assert.deepEqual(parsePeriod(formatPeriod(period)), period);
        }
      }),
    );
  });

  it("nests months in quarters and quarters in years", () => {
    fc.assert(
      fc.property(year, fc.integer({ min: 1, max: 12 }), (y, n) => {
        const month = budgetMonth(y, n);
        const quarter = financialQuarter(y, Math.ceil(n / 3));
        assert.ok(periodWithin(month, quarter));
        assert.ok(periodWithin(quarter, financialYear(y)));
        assert.equal(periodWithin(month, financialYear(y + 1)), false);
        assert.equal(financialYearContaining(month.start ?? "")?.label, financialYear(y).label);
      }),
    );
  });

  it("tiles the academic year with its three terms", () => {
    fc.assert(
      fc.property(year, (y) => {
        const [autumn, spring, summer] = (["autumn", "spring", "summer"] as const).map((term) =>
          academicTerm(y, term),
        );
        const whole = academicYear(y);
        assert.equal(autumn?.start, whole.start);
        assert.equal(summer?.end, whole.end);
        assert.equal(autumn?.end, `${y}-12-31`);
        assert.equal(spring?.start, `${y + 1}-01-01`);
        assert.equal(spring?.end, `${y + 1}-04-30`);
        assert.equal(summer?.start, `${y + 1}-05-01`);
      }),
    );
  });
});
