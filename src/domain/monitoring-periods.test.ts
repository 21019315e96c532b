import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import {
  compareMonitoringPeriods,
  financialYearCode,
  financialYearLabel,
  financialYearStartOfDate,
  isQuarterEnd,
  monitoringPeriod,
  monitoringPeriodAsPeriod,
  monitoringPeriodDates,
  monitoringPeriodKey,
  monitoringPeriodLabel,
  monitoringPeriodOf,
  monitoringPeriodPath,
  monthsOfQuarter,
  parseFinancialYearCode,
  parseMonitoringPeriod,
  parseMonitoringPeriodKey,
  parsePeriod,
  parseQuarterNumber,
  periodsOfYear,
  previousMonitoringPeriod,
  quarterOf,
} from "./periods.ts";

const anyPeriod = fc
  .tuple(fc.integer({ min: 1990, max: 2090 }), fc.boolean(), fc.integer({ min: 1, max: 12 }))
  .map(([year, quarterly, n]) =>
    quarterly ? monitoringPeriod(year, "quarter", ((n - 1) % 4) + 1) : monitoringPeriod(year, "month", n),
  );

describe("monitoring periods", () => {
  it("writes a period one way for each use: key, address and words", () => {
    const q = monitoringPeriod(2031, "quarter", 2);
    assert.equal(monitoringPeriodKey(q), "2031-32-q2");
    assert.equal(monitoringPeriodPath(q), "2031-32/q2");
    assert.equal(monitoringPeriodLabel(q), "Quarter 2 2031/32");
    const m = monitoringPeriod(2099, "month", 11);
    assert.equal(monitoringPeriodKey(m), "2099-00-m11");
    assert.equal(monitoringPeriodLabel(m), "Month 11 2099/00");
    assert.equal(financialYearCode(2009), "2009-10");
    assert.equal(financialYearLabel(2009), "2009/10");
  });

  it("reads back every key and address it writes", () => {
    fc.assert(
      fc.property(anyPeriod, (period) => {
        assert.deepEqual(parseMonitoringPeriodKey(monitoringPeriodKey(period)), period);
        const [year, slug] = monitoringPeriodPath(period).split("/");
        assert.deepEqual(parseMonitoringPeriod(year, slug), period);
      }),
    );
  });

  it("refuses what is not a period rather than guessing", () => {
    for (const [year, part] of [
      ["2020-22", "q1"],
      ["2020-21", "q5"],
      ["2020-21", "q0"],
      ["2020-21", "m13"],
      ["2020-21", "m07"],
      ["2020-21", "3"],
      ["20-21", "q1"],
      ["2020-21", ""],
      [undefined, "q1"],
    ] as const) {
      assert.equal(parseMonitoringPeriod(year, part), null, `${year} ${part}`);
    }
    assert.equal(parseMonitoringPeriodKey("2020-21-q3 extra"), null);
    assert.equal(parseMonitoringPeriodKey(42), null);
    assert.equal(parseFinancialYearCode("2020/21"), 2020);
    assert.equal(parseFinancialYearCode("1999-00"), 1999);
    assert.equal(parseFinancialYearCode("1999-01"), null);
    assert.throws(() => monitoringPeriod(2020, "quarter", 5), RangeError);
    assert.throws(() => monitoringPeriod(2020, "month", 0), RangeError);
  });

  it("dates a period from the council's year start, April unless set", () => {
    assert.deepEqual(monitoringPeriodDates(monitoringPeriod(2023, "quarter", 4)), {
      start: "2024-01-01",
      end: "2024-03-31",
    });
    assert.deepEqual(monitoringPeriodDates(monitoringPeriod(2023, "month", 11)), {
      start: "2024-02-01",
      end: "2024-02-29",
    });
    // A council whose year starts in July: quarter 1 is July to September.
    assert.deepEqual(monitoringPeriodDates(monitoringPeriod(2023, "quarter", 1), 7), {
      start: "2023-07-01",
      end: "2023-09-30",
    });
    assert.deepEqual(monitoringPeriodDates(monitoringPeriod(2023, "month", 12), 1), {
      start: "2023-12-01",
      end: "2023-12-31",
    });
    assert.throws(() => monitoringPeriodDates(monitoringPeriod(2023, "month", 1), 13), RangeError);
  });

  it("orders periods by date, a month before the quarter it ends", () => {
    const periods = [
      monitoringPeriod(2022, "quarter", 1),
      monitoringPeriod(2021, "month", 12),
      monitoringPeriod(2022, "month", 3),
      monitoringPeriod(2022, "month", 1),
      monitoringPeriod(2021, "quarter", 4),
    ];
    assert.deepEqual(periods.sort(compareMonitoringPeriods).map(monitoringPeriodKey), [
      "2021-22-m12",
      "2021-22-q4",
      "2022-23-m1",
      "2022-23-m3",
      "2022-23-q1",
    ]);
    fc.assert(
      fc.property(anyPeriod, anyPeriod, (a, b) => {
        const ab = compareMonitoringPeriods(a, b);
        const ba = compareMonitoringPeriods(b, a);
        assert.equal(Math.sign(ab) + Math.sign(ba), 0);
        if (ab < 0) assert.ok(monitoringPeriodDates(a).end <= monitoringPeriodDates(b).end);
      }),
    );
  });

  it("lists a year's periods and relates months to quarters", () => {
    assert.equal(periodsOfYear(2040, "quarterly").length, 4);
    const months = periodsOfYear(2040, "monthly");
    assert.deepEqual(
      months.filter(isQuarterEnd).map((m) => m.number),
      [3, 6, 9, 12],
    );
    assert.deepEqual(quarterOf(monitoringPeriod(2040, "month", 8)), monitoringPeriod(2040, "quarter", 3));
    assert.deepEqual(monthsOfQuarter(monitoringPeriod(2040, "quarter", 4)).map(monitoringPeriodKey), [
      "2040-41-m10",
      "2040-41-m11",
      "2040-41-m12",
    ]);
    assert.deepEqual(
      previousMonitoringPeriod(monitoringPeriod(2040, "quarter", 1)),
      monitoringPeriod(2039, "quarter", 4),
    );
    assert.deepEqual(
      previousMonitoringPeriod(monitoringPeriod(2040, "month", 5)),
      monitoringPeriod(2040, "month", 4),
    );
  });

  it("is the same period as the general model's quarter or budget month", () => {
    fc.assert(
      fc.property(anyPeriod, (period) => {
        const general = monitoringPeriodAsPeriod(period);
        assert.deepEqual(monitoringPeriodOf(general), period);
        assert.equal(general.start, monitoringPeriodDates(period).start);
        assert.equal(general.end, monitoringPeriodDates(period).end);
      }),
    );
    const written = parsePeriod("Quarter 2 2017/18");
    assert.ok(written);
    assert.deepEqual(monitoringPeriodOf(written), monitoringPeriod(2017, "quarter", 2));
    const noYear = parsePeriod("Quarter 2");
    assert.ok(noYear);
    assert.equal(monitoringPeriodOf(noYear), null);
  });
});

describe("dates and quarter numbers", () => {
  it("finds the financial year of a date from the year start month", () => {
    assert.equal(financialYearStartOfDate("2031-03-31"), 2030);
    assert.equal(financialYearStartOfDate("2031-04-01"), 2031);
    assert.equal(financialYearStartOfDate("2031-06-30", 7), 2030);
    assert.equal(financialYearStartOfDate("2031-07-01", 7), 2031);
    assert.equal(financialYearStartOfDate("2031-02-30"), null);
  });

  it("reads a quarter number as addresses give it", () => {
    assert.deepEqual(["q1", "Q4", "3"].map(parseQuarterNumber), [1, 4, 3]);
    for (const text of ["q5", "0", "m3", "q03", "", "33", undefined])
      assert.equal(parseQuarterNumber(text), null, String(text));
  });
});
