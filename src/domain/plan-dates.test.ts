import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import type { PlanDateEnd, PlanDateFlagCode, PlanDates } from "./plan-dates.ts";
import { explainPlanDates, formatPlanDates, formatPlanMonth, parsePlanDates } from "./plan-dates.ts";

interface SeedPhrase {
  written: string;
  /** Where it occurs in the seed plan (000_*.txt, Children's Services Service Plan 2021-2025). */
  occurs: string;
  start: PlanDateEnd;
  finish: PlanDateEnd;
  recurring: string | null;
  flags: PlanDateFlagCode[];
}

const none: PlanDateEnd = { status: "none" };
const started: PlanDateEnd = { status: "started" };
const month = (iso: string): PlanDateEnd => ({ status: "date", year: Number(iso.slice(0, 4)), month: iso });

/**
 * Every start-finish phrase in the seed documents, as written. Only the 2021-2025 plan has a
 * start-finish column; the 2024-25 refresh gives no dates and the quarterly report has none.
 */
const SEED_PHRASES: readonly SeedPhrase[] = [
  {
    written: "Reviewed annually with partners",
    occurs: "Section One, resilient communities: work with partners and communities",
    start: none,
    finish: none,
    recurring: "annually",
    flags: [],
  },
  {
    written: "Sep 2022",
    occurs: "Section One: strengthen the role of DACES",
    start: none,
    finish: month("2022-09"),
    recurring: null,
    flags: [],
  },
  {
    written: "Mar 2022",
    occurs: "Section One: respond rapidly to coronavirus; phased review of traded services",
    start: none,
    finish: month("2022-03"),
    recurring: null,
    flags: [],
  },
  {
    written: "Mar 2020 – Mar 2022",
    occurs: "Section One: worked with partners ... impacted by the pandemic",
    start: month("2020-03"),
    finish: month("2022-03"),
    recurring: null,
    flags: [],
  },
  {
    written: "Started",
    occurs: "Section One: 'Good' or 'Outstanding' schools, the part of the cell before the page break",
    start: started,
    finish: none,
    recurring: null,
    flags: ["no-finish"],
  },
  {
    written: "Mar 2025",
    occurs: "Section One: 'Good' or 'Outstanding' schools, the part of the cell after the page break",
    start: none,
    finish: month("2025-03"),
    recurring: null,
    flags: [],
  },
  {
    written: "Started Mar 2025",
    occurs: "Section One: 'Good' or 'Outstanding' schools, the two parts joined (as the demo data keeps it)",
    start: started,
    finish: month("2025-03"),
    recurring: null,
    flags: [],
  },
  {
    written: "Started Mar 2022",
    occurs: "Section One: foster carers; early help and safeguarding; evaluation recommendations",
    start: started,
    finish: month("2022-03"),
    recurring: null,
    flags: [],
  },
  {
    written: "",
    occurs: "Section One: social worker recruitment and retention; SEND services (cells left empty)",
    start: none,
    finish: none,
    recurring: null,
    flags: ["blank"],
  },
  {
    written: "Dec 2021",
    occurs: "Section One: value for money review pilot of traded services",
    start: none,
    finish: month("2021-12"),
    recurring: null,
    flags: [],
  },
  {
    written: "Started March 2022",
    occurs: "Section One: training on emotional wellbeing; inclusion expectations",
    start: started,
    finish: month("2022-03"),
    recurring: null,
    flags: [],
  },
  {
    written: "March 2022",
    occurs: "Section One and every Section Two action except 'Keep Children Safe'",
    start: none,
    finish: month("2022-03"),
    recurring: null,
    flags: [],
  },
  {
    written: "Sep 2024",
    occurs: "Section One: the 'Pause' programme",
    start: none,
    finish: month("2024-09"),
    recurring: null,
    flags: [],
  },
  {
    written: "Sep 2021 March 2022",
    occurs: "Section One: evaluation of early help support and training",
    start: month("2021-09"),
    finish: month("2022-03"),
    recurring: null,
    flags: [],
  },
  {
    written: "June 2021- June 2022",
    occurs: "Section One: catch-up on learning missed due to COVID-19",
    start: month("2021-06"),
    finish: month("2022-06"),
    recurring: null,
    flags: [],
  },
  {
    written: "January 2022",
    occurs: "Section One: participation in education, employment and training",
    start: none,
    finish: month("2022-01"),
    recurring: null,
    flags: [],
  },
  {
    written: "2022",
    occurs: "Section Two, Keep Children Safe: emerging areas of risk and vulnerability",
    start: none,
    finish: { status: "date", year: 2022, month: null },
    recurring: null,
    flags: ["year-only"],
  },
];

const flagCodes = (dates: PlanDates): PlanDateFlagCode[] => dates.flags.map((flag) => flag.code);

describe("parsePlanDates: every start-finish phrase in the seed plans", () => {
  for (const phrase of SEED_PHRASES) {
    it(`reads "${phrase.written}" (${phrase.occurs})`, () => {
      const dates = parsePlanDates(phrase.written);
      assert.equal(dates.written, phrase.written);
      assert.deepEqual(dates.start, phrase.start);
      assert.deepEqual(dates.finish, phrase.finish);
      assert.equal(dates.recurring?.frequency ?? null, phrase.recurring);
      assert.deepEqual(flagCodes(dates), phrase.flags);
      assert.equal(formatPlanDates(dates), phrase.written);
    });
  }

  it("keeps the recurring words as written", () => {
    assert.deepEqual(parsePlanDates("Reviewed annually with partners").recurring, {
      frequency: "annually",
      words: "Reviewed annually with partners",
    });
  });

  it("says in plain English why a year on its own is flagged", () => {
    const [flag] = parsePlanDates("2022").flags;
    assert.equal(
      flag?.message,
      "The finish is given as a year only (2022), with no month, so it cannot be placed on a monthly timeline.",
    );
  });
});

describe("parsePlanDates: other ways of writing dates", () => {
  it("reads every dash and 'to' between two dates", () => {
    for (const written of [
      "Sep 2021 - Mar 2022",
      "Sep 2021—Mar 2022",
      "Sep 2021 to Mar 2022",
      "from Sep 2021 until Mar 2022",
    ]) {
      const dates = parsePlanDates(written);
      assert.deepEqual([dates.start, dates.finish], [month("2021-09"), month("2022-03")], written);
      assert.deepEqual(dates.flags, [], written);
    }
  });

  it("ignores case, extra spaces and abbreviation stops", () => {
    assert.deepEqual(parsePlanDates("  STARTED   sept. 2021 ").finish, month("2021-09"));
    assert.deepEqual(parsePlanDates("started - Mar 2022").start, started);
    assert.deepEqual(parsePlanDates("By May 2023").finish, month("2023-05"));
  });

  it("flags a year at either end of a range without inventing a month", () => {
    const dates = parsePlanDates("2021 - Mar 2022");
    assert.deepEqual(dates.start, { status: "date", year: 2021, month: null });
    assert.deepEqual(dates.finish, month("2022-03"));
    assert.deepEqual(flagCodes(dates), ["year-only"]);
    assert.match(dates.flags[0]?.message ?? "", /^The start is given as a year only \(2021\)/);
  });

  it("flags a finish before the start and keeps both dates as written", () => {
    const dates = parsePlanDates("Mar 2022 - Sep 2021");
    assert.deepEqual([dates.start, dates.finish], [month("2022-03"), month("2021-09")]);
    assert.deepEqual(flagCodes(dates), ["finish-before-start"]);
    assert.equal(
      dates.flags[0]?.message,
      "The finish (September 2021) is before the start (March 2022). Check which date is which.",
    );
  });

  it("does not call a same-year range with one year-only end back to front", () => {
    assert.deepEqual(flagCodes(parsePlanDates("Mar 2022 - 2022")), ["year-only"]);
  });

  it("reads other recurrences, and flags dates it did not read inside one", () => {
    assert.equal(parsePlanDates("Reported quarterly to SMT").recurring?.frequency, "quarterly");
    assert.equal(parsePlanDates("Monthly").recurring?.frequency, "monthly");
    assert.deepEqual(parsePlanDates("Started, reviewed annually").start, started);
    const withDates = parsePlanDates("Reviewed annually from Apr 2021");
    assert.equal(withDates.recurring?.frequency, "annually");
    assert.deepEqual([withDates.start, withDates.finish], [none, none]);
    assert.deepEqual(flagCodes(withDates), ["recurring-dates-not-read"]);
  });

  it("flags what it cannot read, with the words in the message, and guesses nothing", () => {
    for (const written of [
      "Ongoing",
      "Spring 2022",
      "Q3 2021/22",
      "Mar 22",
      "31/03/2022",
      "Mar2022",
      "Started Sep 2021 - Mar 2022",
      "Smarch 2022",
      "Mar 3022",
      "20212022",
    ]) {
      const dates = parsePlanDates(written);
      assert.deepEqual(flagCodes(dates), ["unrecognised"], written);
      assert.deepEqual([dates.start, dates.finish, dates.recurring], [none, none, null], written);
      assert.ok(dates.flags[0]?.message.includes(`"${written}"`), written);
    }
  });

  it("treats a cell of only spaces as blank but keeps the spaces as written", () => {
    const dates = parsePlanDates(" \t ");
    assert.equal(dates.written, " \t ");
    assert.deepEqual(flagCodes(dates), ["blank"]);
  });
});

describe("parsePlanDates: properties", () => {
  it("never throws, keeps the words, and either understands something or says why not", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (written) => {
        const dates = parsePlanDates(written);
        assert.equal(formatPlanDates(dates), written);
        const understood =
          dates.start.status !== "none" || dates.finish.status !== "none" || dates.recurring !== null;
        assert.ok(understood || dates.flags.length > 0);
        for (const flag of dates.flags) {
          assert.ok(flag.message.length > 0);
        }
      }),
    );
  });

  it("reads any month and year written in full or short, alone or as a range", () => {
    const monthWords: readonly (readonly [string, string])[] = [
      ["Jan", "January"],
      ["Feb", "February"],
      ["Mar", "March"],
      ["Apr", "April"],
      ["May", "May"],
      ["Jun", "June"],
      ["Jul", "July"],
      ["Aug", "August"],
      ["Sep", "September"],
      ["Oct", "October"],
      ["Nov", "November"],
      ["Dec", "December"],
    ];
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1900, max: 2099 }),
        fc.boolean(),
        fc.constantFrom(" ", " - ", "- ", " – ", " to "),
        (monthNumber, year, long, separator) => {
          const words = monthWords[monthNumber - 1];
          assert.ok(words);
          const word = long ? words[1] : words[0];
          const iso = `${year}-${String(monthNumber).padStart(2, "0")}`;
          assert.deepEqual(parsePlanDates(`${word} ${year}`).finish, month(iso));
          const range = parsePlanDates(`${word} ${year}${separator}${word} ${year}`);
          assert.deepEqual([range.start, range.finish, range.flags], [month(iso), month(iso), []]);
        },
      ),
    );
  });
});

describe("formatPlanMonth and explainPlanDates", () => {
  it("writes a month in full", () => {
    assert.equal(formatPlanMonth("2022-03"), "March 2022");
    assert.throws(() => formatPlanMonth("2022-13"), RangeError);
    assert.throws(() => formatPlanMonth("March 2022"), RangeError);
  });

  it("explains each kind of reading in one sentence", () => {
    assert.equal(
      explainPlanDates(parsePlanDates("Started Mar 2022")),
      "Already started; due to finish in March 2022.",
    );
    assert.equal(
      explainPlanDates(parsePlanDates("Sep 2021 March 2022")),
      "Starts in September 2021; due to finish in March 2022.",
    );
    assert.equal(explainPlanDates(parsePlanDates("2022")), "No start given; due to finish in 2022.");
    assert.equal(explainPlanDates(parsePlanDates("Started")), "Already started; no finish given.");
    assert.equal(
      explainPlanDates(parsePlanDates("Reviewed annually with partners")),
      "Recurring (annually); no finish.",
    );
    assert.equal(
      explainPlanDates(parsePlanDates("Started, reviewed annually")),
      "Already started; recurring (annually); no finish.",
    );
    assert.equal(explainPlanDates(parsePlanDates("")), "No start or finish given.");
    assert.equal(explainPlanDates(parsePlanDates("Ongoing")), "Not understood; see the flag.");
  });
});
