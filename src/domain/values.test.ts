import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import type { MeasureUnit } from "./measure-types.ts";
import { financialYear, parsePeriod } from "./periods.ts";
import {
  formatFigure,
  formatValueCell,
  normaliseCellText,
  parseFigure,
  parseValueCell,
  periodFitsColumn,
  type ValueCell,
  type ValueCellOptions,
} from "./values.ts";

// ---------------------------------------------------------------------------
// Every value cell in the seeds' measure tables, as written, with the measure's unit and
// the column it sits in. Seed 000 (Service Plan 2021-2025) has six "Key Performance
// Measure" tables with Actual 2018/19, Actual 2019/20 and Latest 2020/21 value columns;
// seed 004 (the Q3 2020/21 report) has the "Performance Measures Against Target" table
// with 2018/2019, 2019/2020 and 2020/2021 columns. Seed 001 (the 2024-25 refresh) lists its
// measures as bullets with targets in words and has no value cells. Target columns are
// targets, not values, and are left to the targets module.

interface SeedCell {
  seed: "000" | "004";
  measure: string;
  unit: MeasureUnit;
  column: string;
  text: string;
}

const SEED_COLUMNS = {
  "000": ["2018/19", "2019/20", "2020/21"],
  "004": ["2018/2019", "2019/2020", "2020/2021"],
};

function row(seed: "000" | "004", measure: string, unit: MeasureUnit, cells: string[]): SeedCell[] {
  return cells.map((text, index) => ({ seed, measure, unit, column: SEED_COLUMNS[seed][index] ?? "", text }));
}

const SEED_CELLS: SeedCell[] = [
  // Seed 000, the table headed at line 158 (value columns 2018/19, 2019/20, 2020/21).
  row("000", "Percentage of year-end budget savings targets achieved", "percent", [
    "-",
    "63.5%",
    "77.1% (Dec 19)",
  ]),
  row("000", "Spending on agency staff", "money", ["£406,291", "£343,943", "£220,846 (Nov 20)"]),
  row("000", "New sickness absence measure (Dept figure)*", "count", [
    "New Measure",
    "New Measure",
    "New Measure",
  ]),
  row("000", "Average number of days lost to sickness absence (non-schools)", "days", [
    "7.9",
    "8.22",
    "5.82",
  ]),
  row("000", "Average cost of children in care placements", "money", [
    "£42,132",
    "£46,091",
    "n/a (annual only)",
  ]),
  row(
    "000",
    "Utilisation rate – DCC foster care - % of places filled (excluding places reserved for short breaks and those unavailable)",
    "percent",
    ["N/Av", "91.8%", "89.7% (Dec 20)"],
  ),
  row("000", "Utilisation rate – DCC residential children's homes", "percent", [
    "78%",
    "69%",
    "87.5% (Dec 20)",
  ]),
  row("000", "Average social worker caseload – children and families’ teams", "count", [
    "19",
    "17",
    "17 (Dec 20)",
  ]),
  row("000", "Average social worker caseload – specialist teams – fostering workers", "count", [
    "N/Av",
    "14",
    "13 (Dec 20)",
  ]),
  row("000", "Number of approved fostering households", "count", ["380", "336", "321 (Dec 20)"]),
  row("000", "Number of approved foster places", "count", ["650", "565", "531 (Dec 20)"]),
  row("000", "Percentage of children returning home after a period of being looked after", "percent", [
    "35%",
    "29% (P)",
    "22% (Dec 20)",
  ]),
  row(
    "000",
    "Percentage of children in care who have had 3 or more social workers in the last 12 months",
    "percent",
    ["13.3%", "20.3%", "14.9% (Dec 20)"],
  ),
  row("000", "Social work workforce stability measures (annual data as at 30 th Sept)", "count", [
    "",
    "",
    "",
  ]),
  row("000", "- % of social worker vacancies (including agency)", "percent", [
    "24.7%",
    "14.9% (national 16.4%)",
    "18.9% (Dec 20)",
  ]),
  row("000", "- % of social workers who are agency workers (based on FTE counts)", "percent", [
    "9.3%",
    "15.2% (national 15.8%)",
    "12.2% (Dec 20)",
  ]),
  row(
    "000",
    "Proportion of social care audits (including children and care and care leavers) graded good or better (n.b. individually graded sections of audits are graded for 2021/22 so will set a new baseline)",
    "percent",
    ["44%", "57.7%", "(Routine audits suspended due to COVID-19)"],
  ),
  row("000", "Percentage of DCC-run children's homes judged good or better*", "percent", [
    "100%",
    "81.8%",
    "(gradings suspended due to COVID-19)",
  ]),
  row("000", "Rate of child protection plans per 10k population", "rate-per-10k", [
    "61 per 10K pop",
    "63 per 10K pop",
    "64 per 10K pop",
  ]),
  row("000", "Rate of children in care per 10k population", "rate-per-10k", [
    "52 per 10K pop",
    "56 per 10K pop",
    "58 per 10K pop",
  ]),
  row("000", "Percentage of EHC plans completed within timescale (excluding exceptions)", "percent", [
    "34.0% (2018 calendar year)",
    "43.4% (2019 calendar year)",
    "77.1% (p) (2020 calendar year)",
  ]),
  row("000", "Percentage of pupils in good or better primary schools*", "percent", [
    "79.1% (31/08/19)",
    "80.7% (31/08/20)",
    "(gradings suspended due to COVID-19)",
  ]),
  row("000", "Percentage of pupils in good or better secondary schools*", "percent", [
    "57.9% (31/08/19)",
    "54.9% (31/08/20)",
    "(gradings suspended due to COVID-19)",
  ]),
  row("000", "Percentage of support centres judged good or better*", "percent", [
    "66.7% (31/08/19)",
    "66.7% (31/08/20)",
    "(gradings suspended due to COVID-19)",
  ]),
  row("000", "Percentage of special schools judged good or better*", "percent", [
    "90.0% (31/08/19)",
    "90.0% (31/08/20)",
    "(gradings suspended due to COVID-19)",
  ]),
  row("000", "Percentage of early years providers judged good or better*", "percent", [
    "96.6% (31/08/19)",
    "96.2% (31/08/20)",
    "(gradings suspended due to COVID-19)",
  ]),
  row("000", "Number of compliments received about council services (departmental figure)", "count", [
    "73",
    "139",
    "590 (Dec 20)",
  ]),
  row("000", "Percentage of complaints responded to within timescale", "percent", [
    "46.7%",
    "61% (stage 1)",
    "AD",
  ]),
  // Seed 000, the table headed at line 211 (value columns 2018/19, 2019/20, 2020/21).
  row(
    "000",
    "Percentage of children's centres audited as compliant with UNICEF Baby Friendly Standards (reported bi-annually)",
    "percent",
    ["100%", "100%", "AD"],
  ),
  row("000", "Percentage of children achieving a good level of development (EYFS)", "percent", [
    "70.8%",
    "70.8%",
    "N/Av (COVID-19)",
  ]),
  row(
    "000",
    "Percentage of women participating in the Pause programme who do not become pregnant during the 18 months",
    "percent",
    ["N/A", "N/A", "-"],
  ),
  row(
    "000",
    "Percentage of women participating in Pause who do not experience further care proceedings for 18 months following the programme",
    "percent",
    ["-", "-", "-"],
  ),
  // Seed 000, the table headed at line 229 (value columns 2018/19, 2019/20, 2020/21).
  row(
    "000",
    "Proportion of 16 and 17-year-olds not in education, employment or training (NEET) (3 month average)",
    "percent",
    ["2.8%", "2.9%", "1.9% (Dec 2020)"],
  ),
  row("000", "Proportion of 16 - 17-year-olds NEET and Not Known (3 month average)", "percent", [
    "3.5%",
    "7.4%",
    "11.6 (Dec 2020)",
  ]),
  row("000", "Percentage reduction in CO2e emissions from 2009-10 baseline", "percent", [
    "TBC",
    "TBC",
    "TBC",
  ]),
  row("000", "CO2e Emissions (tonnes) from Grey Fleet mileage", "count", ["TBC", "TBC", "TBC"]),
  // Seed 000, the table headed at line 243 (value columns 2018/19, 2019/20, 2020/21).
  row(
    "000",
    "Percentage of children participating in their initial child protection conference (rolling 12 months)",
    "percent",
    ["N/Av", "58.6%", "87.2% (Dec 20)"],
  ),
  row(
    "000",
    "Number of children going missing from home or care (overall total, rolling 12 months)",
    "count",
    ["380", "416", "380 (Dec 20)"],
  ),
  row("000", "Number of missing episodes (overall total, rolling 12 months)", "count", [
    "810",
    "828",
    "909 (Dec 20)",
  ]),
  // Seed 000, the table headed at line 263 (value columns 2018/19, 2019/20, 2020/21).
  row("000", "Percentage of children in care who had 3 or more placements within the year", "percent", [
    "8%",
    "6.7% (p)",
    "9.0% (Dec 20)",
  ]),
  row(
    "000",
    "Average time between a child entering care and moving in with its adoptive family adjusted for foster carer adoptions, for children who have been adopted (days) (A10) 3 year average (replaced A1)",
    "days",
    ["378", "404 (p)", "423 (Dec 20)"],
  ),
  row(
    "000",
    "Average time between a child entering care and moving in with its adoptive family adjusted for foster carer adoptions, for children who have been adopted (days) (A10) Rolling 12 months (replaced A1)",
    "days",
    ["322", "499 (p)", "438 (Dec 20)"],
  ),
  row(
    "000",
    "Average number of days between a local authority receiving court authority to place a child and the local authority deciding on a match to an adoptive family (A2) 3 year average",
    "days",
    ["246", "221 (p)", "212 (Dec 20)"],
  ),
  row(
    "000",
    "Average number of days between the local authority receiving court authority to place a child and the local authority deciding on a match to an adoptive family (A2) Rolling 12 months",
    "days",
    ["186", "247 (p)", "220 (Dec 20)"],
  ),
  row("000", "Percentage of CiC with at least one fixed term exclusion", "percent", [
    "10.76% (p) (2018/19 academic year)",
    "N/Av (COVID-19)",
    "N/Av (COVID-19)",
  ]),
  row("000", "Percentage of CiC classed as persistent absentees", "percent", [
    "9.9% (2018/19 academic year)",
    "N/Av (COVID-19)",
    "N/Av (COVID-19)",
  ]),
  row(
    "000",
    "Percentage point gap between children in care achieving a standard pass in English and Maths at GCSE and all pupils*",
    "percentage-points",
    ["46.8 (2018/19 academic year)", "N/Av (COVID-19)", "-"],
  ),
  row("000", "Percentage of care leavers in suitable accommodation (age 19-21)", "percent", [
    "93%",
    "96%",
    "96.3% (Dec 20)",
  ]),
  row("000", "Percentage of care leavers in education, employment or training (age 19-21)", "percent", [
    "46.2%",
    "48%",
    "55.2% (Dec 20)",
  ]),
  // Seed 000, the table headed at line 287 (value columns 2018/19, 2019/20, 2020/21).
  row("000", "Percentage achieving a standard pass (grades 4-9) in English and Maths at GCSE*", "percent", [
    "65.4% (2018/19 academic year)",
    "72.2% (p) (2019/20 academic year) Not comparable with previous years",
    "-",
  ]),
  row(
    "000",
    "Reduce the attainment gap between disadvantaged pupils in Derbyshire and other pupils nationally achieving a standard pass (grades 4-9) in English and Maths at GCSE*",
    "percentage-points",
    [
      "28.1 (2018/19 academic year)",
      "27.7% (p) (2019/20 academic year) Not comparable with previous years",
      "-",
    ],
  ),
  row("000", "Attendance at primary school", "percent", [
    "96.2% (2018/19 academic year)",
    "95.6%* ^C (Autumn Term 2019)",
    "-",
  ]),
  row("000", "Attendance at secondary school", "percent", [
    "94.5% (2018/19 academic year)",
    "93.9%* ^C (Autumn Term 2019)",
    "-",
  ]),
  row("000", "Secondary school persistent absence rate", "percent", [
    "13.3% (2018/19 academic year)",
    "16.2%* ^C (Autumn Term 2019)",
    "-",
  ]),
  row("000", "Rate of permanent exclusions from school", "decimal-rate", [
    "0.14 (2018/19 academic year)",
    "0.12 (p)",
    // The seed's table splitter broke this cell over two rows ("0.05 (Dec 20 - cumulative)" then
    // "over academic year)"); the cell as the officer wrote it, with the copied line break:
    "0.05 (Dec 20 - cumulative\nover academic year)",
  ]),
  row("000", "Rate of fixed term exclusions from school", "decimal-rate", [
    "4.70 (2018/19 academic year)",
    "3.67 (p)",
    "1.16 (Dec 20 - cumulative over academic year)",
  ]),
  row(
    "000",
    "Percentage of children and young people who are offered their first preference of primary school",
    "percent",
    ["83.2%* ²", "91.8%", "-"],
  ),
  row(
    "000",
    "Percentage of children and young people who are offered their first preference of secondary school",
    "percent",
    ["95.4%", "95.4%", "-"],
  ),
  // Seed 004, the table headed at line 45 (value columns 2018/2019, 2019/2020, 2020/2021).
  row(
    "004",
    "Percentage of Clients agreeing that care and support services help improve their quality of life",
    "percent",
    ["94.1%", "94.6%", ""],
  ),
  row("004", "Percentage of children achieving at least a Good Level of Development (EYFS)", "percent", [
    "70.8%",
    "70.8%",
    "",
  ]),
  row(
    "004",
    "Percentage of Council run children's homes rated as 'Good' or 'Outstanding' by Ofsted",
    "percent",
    ["100.0%", "81.8%", "81.8%"],
  ),
  row("004", "Percentage of pupils in good or better primary schools", "percent", [
    "77.7%",
    "80.7%",
    "81.2%",
  ]),
  row("004", "Percentage of pupils in good or better secondary schools", "percent", [
    "59.9%",
    "54.9%",
    "55.0%",
  ]),
].flat();

function optionsFor(cell: SeedCell): ValueCellOptions {
  const columnPeriod = parsePeriod(cell.column);
  assert.ok(columnPeriod, `column "${cell.column}" should be a period`);
  return { unit: cell.unit, columnPeriod };
}

/** The parts a reader of the cell cares about, in plain data, for one deepEqual per example. */
interface Parts {
  value: number | null;
  decimals: number | null;
  unit: string | null;
  provisional: boolean;
  period: string | null;
  periodKind: string | null;
  status: string | null;
  reason: string | null;
  benchmark: string | null;
  footnotes: string[];
  notes: string[];
}

const NOTHING: Parts = {
  value: null,
  decimals: null,
  unit: null,
  provisional: false,
  period: null,
  periodKind: null,
  status: null,
  reason: null,
  benchmark: null,
  footnotes: [],
  notes: [],
};

function partsOf(cell: ValueCell): Parts {
  return {
    value: cell.value,
    decimals: cell.figure?.decimals ?? null,
    unit: cell.figure?.unitSymbol ?? null,
    provisional: cell.provisional,
    period: cell.period?.text ?? null,
    periodKind: cell.period?.period.kind ?? null,
    status: cell.status?.code ?? null,
    reason: cell.status?.reason ?? null,
    benchmark: cell.benchmark
      ? `${cell.benchmark.group}: ${cell.benchmark.label} ${cell.benchmark.figure.value}${cell.benchmark.figure.unitSymbol ?? ""}`
      : null,
    footnotes: cell.footnotes.map((footnote) => footnote.marker),
    notes: [...cell.notes],
  };
}

describe("normaliseCellText", () => {
  it("folds a line break copied into a cell to a single space", () => {
    assert.equal(
      normaliseCellText("0.05 (Dec 20 - cumulative\nover academic year)"),
      "0.05 (Dec 20 - cumulative over academic year)",
    );
    assert.equal(
      normaliseCellText("0.05 (Dec 20 - cumulative\r\nover academic year)"),
      "0.05 (Dec 20 - cumulative over academic year)",
    );
  });

  it("folds tabs, non-breaking spaces and runs of spaces, and trims the ends", () => {
    assert.equal(
      normaliseCellText("  95.6%*\t^C   (Autumn\u00a0Term 2019) \n"),
      "95.6%* ^C (Autumn Term 2019)",
    );
    assert.equal(normaliseCellText(" \n\t "), "");
    assert.equal(normaliseCellText("61 per 10K pop"), "61 per 10K pop");
  });

  it("is idempotent and leaves no doubled or edge whitespace", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom("a", "1", " ", "\n", "\t", "\u00a0", "(", "%") }),
        (text) => {
          const once = normaliseCellText(text);
          assert.equal(normaliseCellText(once), once);
          assert.equal(/\s\s|^\s|\s$|[\n\t\u00a0]/.test(once), false);
        },
      ),
    );
  });
});

describe("every value cell in the seed measure tables", () => {
  it("has the cells of all seven tables", () => {
    assert.equal(SEED_CELLS.length, 189);
  });

  for (const seedCell of SEED_CELLS) {
    it(`${seedCell.seed} ${seedCell.column}: reads and prints back ${JSON.stringify(seedCell.text)}`, () => {
      const cell = parseValueCell(seedCell.text, optionsFor(seedCell));
      assert.equal(cell.raw, seedCell.text);
      assert.equal(cell.unrecognisedText, null);
      assert.deepEqual(
        cell.warnings.filter((warning) => warning.code === "unrecognised"),
        [],
      );
      assert.equal(formatValueCell(cell), normaliseCellText(seedCell.text));
      if (!seedCell.text.includes("\n")) assert.equal(formatValueCell(cell), seedCell.text);
      // A cell either has a figure or says why it has none.
      assert.equal(cell.figure === null, cell.status !== null);
    });
  }

  it("flags only the cells a performance officer should look at", () => {
    const flagged = SEED_CELLS.flatMap((seedCell) =>
      parseValueCell(seedCell.text, optionsFor(seedCell)).warnings.map((warning) => [
        seedCell.text,
        warning.code,
      ]),
    );
    assert.deepEqual(flagged, [
      // The 2020/21 "Latest" column holds a December 2019 figure.
      ["77.1% (Dec 19)", "period-outside-column"],
      // A percentage written without its % sign.
      ["11.6 (Dec 2020)", "missing-unit"],
      // A percentage-point gap written as a percentage (the year before says 28.1).
      ["27.7% (p) (2019/20 academic year) Not comparable with previous years", "unit-mismatch"],
    ]);
  });

  it("reads the data statuses the seed key lists", () => {
    const statuses = new Map<string, string>();
    for (const seedCell of SEED_CELLS) {
      const cell = parseValueCell(seedCell.text, optionsFor(seedCell));
      if (cell.status) statuses.set(seedCell.text, cell.status.code);
    }
    assert.deepEqual(Object.fromEntries(statuses), {
      "-": "no-value",
      "New Measure": "new-measure",
      "n/a (annual only)": "not-applicable",
      "N/Av": "not-available",
      "": "blank",
      "(Routine audits suspended due to COVID-19)": "suspended",
      "(gradings suspended due to COVID-19)": "suspended",
      AD: "awaiting-data",
      "N/Av (COVID-19)": "not-available",
      "N/A": "not-applicable",
      TBC: "to-be-confirmed",
    });
  });
});

// The value cells docs/domain.md section 4 lists, each with every part we expect to read from it.
const DOMAIN_EXAMPLES: [string, Partial<Parts>][] = [
  ["2.8%", { value: 2.8, decimals: 1, unit: "%" }],
  ["1.9% (Dec 2020)", { value: 1.9, decimals: 1, unit: "%", period: "Dec 2020", periodKind: "month" }],
  ["11.6 (Dec 2020)", { value: 11.6, decimals: 1, period: "Dec 2020", periodKind: "month" }],
  ["N/Av", { status: "not-available" }],
  ["6.7% (p)", { value: 6.7, decimals: 1, unit: "%", provisional: true }],
  ["29% (P)", { value: 29, decimals: 0, unit: "%", provisional: true }],
  ["404 (p)", { value: 404, decimals: 0, provisional: true }],
  ["380 (Dec 20)", { value: 380, decimals: 0, period: "Dec 20", periodKind: "month" }],
  [
    "10.76% (p) (2018/19 academic year)",
    {
      value: 10.76,
      decimals: 2,
      unit: "%",
      provisional: true,
      period: "2018/19 academic year",
      periodKind: "academic-year",
    },
  ],
  ["N/Av (COVID-19)", { status: "not-available", reason: "COVID-19" }],
  ["-", { status: "no-value" }],
  [
    "72.2% (p) (2019/20 academic year) Not comparable with previous years",
    {
      value: 72.2,
      decimals: 1,
      unit: "%",
      provisional: true,
      period: "2019/20 academic year",
      periodKind: "academic-year",
      notes: ["Not comparable with previous years"],
    },
  ],
  [
    "95.6%* ^C (Autumn Term 2019)",
    {
      value: 95.6,
      decimals: 1,
      unit: "%",
      footnotes: ["*", "^C"],
      period: "Autumn Term 2019",
      periodKind: "academic-term",
    },
  ],
  [
    "0.05 (Dec 20 - cumulative over academic year)",
    { value: 0.05, decimals: 2, period: "Dec 20 - cumulative over academic year", periodKind: "cumulative" },
  ],
  ["83.2%* ²", { value: 83.2, decimals: 1, unit: "%", footnotes: ["*", "²"] }],
  ["£406,291", { value: 406291, decimals: 0, unit: "£" }],
  ["£220,846 (Nov 20)", { value: 220846, decimals: 0, unit: "£", period: "Nov 20", periodKind: "month" }],
  ["New Measure", { status: "new-measure" }],
  ["n/a (annual only)", { status: "not-applicable", reason: "annual only" }],
  ["14.9% (national 16.4%)", { value: 14.9, decimals: 1, unit: "%", benchmark: "national: national 16.4%" }],
  [
    "(Routine audits suspended due to COVID-19)",
    { status: "suspended", reason: "Routine audits suspended due to COVID-19" },
  ],
  ["61 per 10K pop", { value: 61, decimals: 0, unit: "per 10K pop" }],
  [
    "34.0% (2018 calendar year)",
    { value: 34, decimals: 1, unit: "%", period: "2018 calendar year", periodKind: "calendar-year" },
  ],
  ["79.1% (31/08/19)", { value: 79.1, decimals: 1, unit: "%", period: "31/08/19", periodKind: "as-at-date" }],
  ["AD", { status: "awaiting-data" }],
  ["61% (stage 1)", { value: 61, decimals: 0, unit: "%", notes: ["stage 1"] }],
  [
    "(gradings suspended due to COVID-19)",
    { status: "suspended", reason: "gradings suspended due to COVID-19" },
  ],
  ["Baseline year", { status: "baseline-year" }],
  // More from the seed tables.
  [
    "4.70 (2018/19 academic year)",
    { value: 4.7, decimals: 2, period: "2018/19 academic year", periodKind: "academic-year" },
  ],
  ["100.0%", { value: 100, decimals: 1, unit: "%" }],
  ["TBC", { status: "to-be-confirmed" }],
  ["N/A", { status: "not-applicable" }],
  ["", { status: "blank" }],
  ["15.2% (national 15.8%)", { value: 15.2, decimals: 1, unit: "%", benchmark: "national: national 15.8%" }],
  [
    "77.1% (p) (2020 calendar year)",
    {
      value: 77.1,
      decimals: 1,
      unit: "%",
      provisional: true,
      period: "2020 calendar year",
      periodKind: "calendar-year",
    },
  ],
];

describe("the value cells docs/domain.md section 4 lists", () => {
  for (const [text, expected] of DOMAIN_EXAMPLES) {
    it(`reads ${JSON.stringify(text)} into its parts and prints it back`, () => {
      const cell = parseValueCell(text);
      assert.deepEqual(partsOf(cell), { ...NOTHING, ...expected });
      assert.equal(formatValueCell(cell), text);
      assert.deepEqual(cell.warnings, []);
    });
  }

  it("keeps the decimals and separators exactly as written", () => {
    const cell = parseValueCell("4.70 (2018/19 academic year)");
    assert.equal(cell.figure?.decimalText, "4.70");
    assert.equal(parseValueCell("£406,291").figure?.grouped, true);
    assert.equal(parseValueCell("90.0% (31/08/19)").figure?.decimalText, "90.0");
  });

  it("records where footnote markers sit", () => {
    assert.deepEqual(parseValueCell("95.6%* ^C (Autumn Term 2019)").footnotes, [
      { marker: "*", attached: true },
      { marker: "^C", attached: false },
    ]);
  });

  it("reads the value's own period as a period", () => {
    const cell = parseValueCell("87.2% (Dec 20)");
    assert.equal(cell.period?.period.start, "2020-12-01");
    assert.equal(cell.period?.period.end, "2020-12-31");
    const cumulative = parseValueCell("1.16 (Dec 20 - cumulative over academic year)");
    assert.equal(cumulative.period?.period.start, "2020-09-01");
  });

  it("keeps the raw text exactly, and prints back the tidied text", () => {
    const raw = "0.05 (Dec 20 - cumulative\nover academic year)";
    const cell = parseValueCell(raw);
    assert.equal(cell.raw, raw);
    assert.equal(cell.value, 0.05);
    assert.equal(cell.period?.period.kind, "cumulative");
    assert.equal(formatValueCell(cell), "0.05 (Dec 20 - cumulative over academic year)");
    assert.equal(parseValueCell("  61%  ").raw, "  61%  ");
    assert.equal(formatValueCell(parseValueCell("  61%  ")), "61%");
  });

  it("rebuilds the text from the parts, not from the raw text", () => {
    const cell = parseValueCell("£406,291 (Nov 20)");
    const restated: ValueCell = {
      ...cell,
      raw: "ignored",
      figure: cell.figure ? { ...cell.figure, decimalText: "1234567", value: 1234567 } : null,
    };
    assert.equal(formatValueCell(restated), "£1,234,567 (Nov 20)");
  });
});

describe("cells it will not guess at", () => {
  const unreadable = [
    "12 to 15",
    "approx 40",
    "40 approx",
    "<5",
    "c.40%",
    "95%x",
    "1,23",
    "£5%",
    "Good",
    "N/Avx",
    "(national 16.4%)",
    "(p)",
    "(stage 1)",
    "61% (stage 1",
    "61% ()",
    "61%(p)",
    "5.5.5",
    "- 5",
    "Not Set",
  ];
  for (const text of unreadable) {
    it(`keeps ${JSON.stringify(text)} verbatim with no value and an "unrecognised" warning`, () => {
      const cell = parseValueCell(text, { unit: "percent", columnPeriod: financialYear(2020) });
      assert.equal(cell.value, null);
      assert.equal(cell.figure, null);
      assert.equal(cell.status, null);
      assert.equal(cell.unrecognisedText, text);
      assert.equal(formatValueCell(cell), text);
      assert.deepEqual(
        cell.warnings.map((warning) => warning.code),
        ["unrecognised"],
      );
      assert.match(cell.warnings[0]?.message ?? "", /kept exactly as written/);
    });
  }
});

describe("warnings", () => {
  const year2020 = financialYear(2020);

  it("warns when a percentage is written without %, and does not assume it", () => {
    const cell = parseValueCell("11.6 (Dec 2020)", { unit: "percent", columnPeriod: year2020 });
    assert.equal(cell.value, 11.6);
    assert.equal(cell.figure?.unit, null);
    assert.deepEqual(
      cell.warnings.map((warning) => warning.code),
      ["missing-unit"],
    );
    assert.match(cell.warnings[0]?.message ?? "", /11\.6 has no % sign/);
  });

  it("does not ask for a unit on measures that are written bare", () => {
    for (const unit of ["count", "days", "decimal-rate", "percentage-points"] as const) {
      assert.deepEqual(parseValueCell("46.8", { unit }).warnings, []);
    }
  });

  it("warns when the written unit is not the measure's", () => {
    const cell = parseValueCell("27.7% (p)", { unit: "percentage-points" });
    assert.deepEqual(
      cell.warnings.map((warning) => warning.code),
      ["unit-mismatch"],
    );
    assert.match(cell.warnings[0]?.message ?? "", /percentage points/);
    assert.equal(parseValueCell("£406,291", { unit: "count" }).warnings[0]?.code, "unit-mismatch");
    assert.deepEqual(parseValueCell("61 per 10K pop", { unit: "rate-per-10k" }).warnings, []);
  });

  it('flags "77.1% (Dec 19)" shown as the 2020/21 latest figure', () => {
    const cell = parseValueCell("77.1% (Dec 19)", { unit: "percent", columnPeriod: year2020 });
    assert.deepEqual(
      cell.warnings.map((warning) => warning.code),
      ["period-outside-column"],
    );
    assert.match(cell.warnings[0]?.message ?? "", /Dec 19.*outside the 2020\/21 column/);
    assert.deepEqual(
      parseValueCell("87.2% (Dec 20)", { unit: "percent", columnPeriod: year2020 }).warnings,
      [],
    );
  });

  it("lets academic-year and calendar-year measures report under the year that starts with them", () => {
    const year2018 = financialYear(2018);
    for (const text of ["34.0% (2018 calendar year)", "79.1% (31/08/19)", "9.9% (2018/19 academic year)"]) {
      assert.deepEqual(parseValueCell(text, { columnPeriod: year2018 }).warnings, [], text);
    }
    for (const text of ["43.4% (2019 calendar year)", "65.4% (2017/18 academic year)", "80.7% (31/08/20)"]) {
      assert.equal(
        parseValueCell(text, { columnPeriod: year2018 }).warnings[0]?.code,
        "period-outside-column",
        text,
      );
    }
    assert.equal(periodFitsColumn(financialYear(2019), year2018), false);
  });

  it("takes a missing year from the column, and never flags a period with no known dates", () => {
    const cell = parseValueCell("18.9% (30th Sept)", { columnPeriod: year2020 });
    assert.equal(cell.period?.period.start, "2020-09-30");
    assert.deepEqual(cell.warnings, []);
    assert.equal(parseValueCell("18.9% (30th Sept)").period?.period.start, null);
    assert.deepEqual(parseValueCell("0.05 (Dec 19 - cumulative)", { columnPeriod: year2020 }).warnings, []);
  });

  it("gives no warnings when it is not told the measure's unit or column", () => {
    assert.deepEqual(parseValueCell("77.1% (Dec 19)").warnings, []);
    assert.deepEqual(parseValueCell("11.6 (Dec 2020)").warnings, []);
  });
});

describe("figures", () => {
  it("reads a figure and nothing else", () => {
    assert.equal(parseFigure("£155,000")?.value, 155000);
    assert.equal(parseFigure("-0.657")?.decimalText, "-0.657");
    assert.equal(parseFigure("1,234.50")?.decimals, 2);
    assert.equal(parseFigure("16.4%")?.unit, "percent");
    assert.equal(parseFigure("3.2pp")?.unit, "percentage-points");
    assert.equal(parseFigure("12 days")?.unit, "days");
    assert.equal(parseFigure("1,23"), null);
    assert.equal(parseFigure("16.4% "), null);
    assert.equal(parseFigure("£"), null);
  });

  it("writes a figure back as written", () => {
    for (const text of [
      "£155,000",
      "-0.657",
      "1,234.50",
      "007",
      "95 %",
      "-£1,000",
      "61 per 10K pop",
      "3.2pp",
    ]) {
      const figure = parseFigure(text);
      assert.ok(figure, text);
      assert.equal(formatFigure(figure), text);
    }
  });
});

// ---------------------------------------------------------------------------
// Property-based round trips: cells built from parts, written the ways officers write them.

function group(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+$)/g, ",");
}

const figureArb = fc
  .record({
    negative: fc.boolean(),
    integer: fc.integer({ min: 0, max: 99_999_999 }),
    fraction: fc.option(fc.stringMatching(/^[0-9]{1,3}$/), { nil: null }),
    grouped: fc.boolean(),
    unit: fc.constantFrom(null, "%", "£", " per 10K pop", " days", "pp", " ppts", " %"),
  })
  .map(({ negative, integer, fraction, grouped, unit }) => {
    const integerText = grouped ? group(String(integer)) : String(integer);
    const number = `${integerText}${fraction === null ? "" : `.${fraction}`}`;
    const text =
      unit === "£" ? `${negative ? "-" : ""}£${number}` : `${negative ? "-" : ""}${number}${unit ?? ""}`;
    return {
      text,
      value: Number(`${negative ? "-" : ""}${integer}${fraction === null ? "" : `.${fraction}`}`),
      decimals: fraction?.length ?? 0,
      unit: unit === null ? null : unit.trim(),
    };
  });

const markersArb = fc
  .subarray(["*", "^C", "²", "†"])
  .chain((markers) => fc.tuple(...markers.map((marker) => fc.tuple(fc.constant(marker), fc.boolean()))));

type AnnotationChoice =
  | { kind: "provisional"; text: string }
  | { kind: "period"; text: string; label: string }
  | { kind: "benchmark"; text: string; summary: string }
  | { kind: "note"; text: string; note: string; bracketed: boolean };

const annotationArb: fc.Arbitrary<AnnotationChoice> = fc.oneof(
  fc.constantFrom("p", "P").map((marker) => ({ kind: "provisional" as const, text: `(${marker})` })),
  fc
    .constantFrom(
      "Dec 20",
      "Dec 2020",
      "Nov 20",
      "2018/19 academic year",
      "Autumn Term 2019",
      "2019 calendar year",
      "31/08/19",
      "30 th Sept",
      "Dec 20 - cumulative over academic year",
      "Q3 2020/21",
      "rolling 12 months to Dec 20",
    )
    .map((label) => ({ kind: "period" as const, text: `(${label})`, label })),
  fc
    .tuple(
      fc.constantFrom("national", "England", "regional", "statistical neighbours", "national average"),
      figureArb,
    )
    .map(([label, figure]) => ({
      kind: "benchmark" as const,
      text: `(${label} ${figure.text})`,
      summary: `${label} ${figure.value}${figure.unit ?? ""}`,
    })),
  fc
    .constantFrom("stage 1", "excluding exceptions", "see note 3")
    .map((note) => ({ kind: "note" as const, text: `(${note})`, note, bracketed: true })),
  fc
    .constantFrom("Not comparable with previous years", "Revised", "Data from DfE")
    .map((note) => ({ kind: "note" as const, text: note, note, bracketed: false })),
);

/** Unbracketed words only after a bracketed annotation, and never two in a row (they would read as one note). */
function allowedOrder(annotations: AnnotationChoice[]): AnnotationChoice[] {
  const kept: AnnotationChoice[] = [];
  for (const annotation of annotations) {
    const unbracketed = annotation.kind === "note" && !annotation.bracketed;
    const previous = kept[kept.length - 1];
    const previousUnbracketed = previous?.kind === "note" && !previous.bracketed;
    if (unbracketed && (kept.length === 0 || previousUnbracketed)) continue;
    kept.push(annotation);
  }
  return kept;
}

const STATUS_CODES: Record<string, string> = {
  AD: "awaiting-data",
  "N/Av": "not-available",
  "N/A": "not-applicable",
  "n/a": "not-applicable",
  TBC: "to-be-confirmed",
  "New Measure": "new-measure",
  "Baseline year": "baseline-year",
  "-": "no-value",
};

interface GeneratedCell {
  text: string;
  parts: Parts;
}

const figureCellArb: fc.Arbitrary<GeneratedCell> = fc
  .record({ figure: figureArb, markers: markersArb, annotations: fc.array(annotationArb, { maxLength: 4 }) })
  .map(({ figure, markers, annotations }) => {
    const kept = allowedOrder(annotations);
    const markerText = markers.map(([marker, attached]) => `${attached ? "" : " "}${marker}`).join("");
    const firstPeriod = kept.find((annotation) => annotation.kind === "period");
    const firstBenchmark = kept.find((annotation) => annotation.kind === "benchmark");
    return {
      text: `${figure.text}${markerText}${kept.map((annotation) => ` ${annotation.text}`).join("")}`,
      parts: {
        ...NOTHING,
        value: figure.value,
        decimals: figure.decimals,
        unit: figure.unit,
        provisional: kept.some((annotation) => annotation.kind === "provisional"),
        period: firstPeriod?.kind === "period" ? firstPeriod.label : null,
        periodKind: firstPeriod?.kind === "period" ? (parsePeriod(firstPeriod.label)?.kind ?? null) : null,
        benchmark: firstBenchmark?.kind === "benchmark" ? `national: ${firstBenchmark.summary}` : null,
        footnotes: markers.map(([marker]) => marker),
        notes: kept.flatMap((annotation) => (annotation.kind === "note" ? [annotation.note] : [])),
      },
    };
  });

const statusCellArb: fc.Arbitrary<GeneratedCell> = fc
  .record({
    written: fc.constantFrom(...Object.keys(STATUS_CODES)),
    reason: fc.option(fc.constantFrom("COVID-19", "annual only"), { nil: null }),
    annotations: fc.array(annotationArb, { maxLength: 3 }),
  })
  .map(({ written, reason, annotations }) => {
    let kept = allowedOrder(annotations);
    // With no reason given, a bracketed note straight after the status is its reason ("N/Av (COVID-19)").
    let readReason: string | null = reason;
    const first = kept[0];
    if (reason === null && first?.kind === "note" && first.bracketed) {
      readReason = first.note;
      kept = allowedOrder(kept.slice(1));
    }
    const firstPeriod = kept.find((annotation) => annotation.kind === "period");
    const firstBenchmark = kept.find((annotation) => annotation.kind === "benchmark");
    return {
      text: `${written}${readReason === null ? "" : ` (${readReason})`}${kept.map((annotation) => ` ${annotation.text}`).join("")}`,
      parts: {
        ...NOTHING,
        status: STATUS_CODES[written] ?? null,
        reason: readReason,
        provisional: kept.some((annotation) => annotation.kind === "provisional"),
        period: firstPeriod?.kind === "period" ? firstPeriod.label : null,
        periodKind: firstPeriod?.kind === "period" ? (parsePeriod(firstPeriod.label)?.kind ?? null) : null,
        benchmark: firstBenchmark?.kind === "benchmark" ? `national: ${firstBenchmark.summary}` : null,
        notes: kept.flatMap((annotation) => (annotation.kind === "note" ? [annotation.note] : [])),
      },
    };
  });

const suspendedCellArb: fc.Arbitrary<GeneratedCell> = fc
  .constantFrom("Routine audits", "gradings", "Inspections")
  .map((what) => {
    const reason = `${what} suspended due to COVID-19`;
    return { text: `(${reason})`, parts: { ...NOTHING, status: "suspended", reason } };
  });

/** Benchmark groups are not part of the generated summary; map them back for comparison. */
function comparable(parts: Parts): Parts {
  return {
    ...parts,
    benchmark: parts.benchmark === null ? null : parts.benchmark.replace(/^[a-z-]+: /, "national: "),
  };
}

describe("value round trips (property-based)", () => {
  const cellArb = fc.oneof(figureCellArb, statusCellArb, suspendedCellArb);

  it("reads every generated cell into the parts it was built from and prints it back exactly", () => {
    fc.assert(
      fc.property(cellArb, ({ text, parts }) => {
        const cell = parseValueCell(text);
        assert.deepEqual(cell.warnings, [], text);
        assert.deepEqual(comparable(partsOf(cell)), parts);
        assert.equal(formatValueCell(cell), text);
        assert.deepEqual(parseValueCell(formatValueCell(cell)), cell);
      }),
      { numRuns: 1000 },
    );
  });

  it("reads the same parts whatever stray line breaks and spaces were copied in", () => {
    const noisy = cellArb.chain(({ text, parts }) =>
      fc
        .array(fc.constantFrom(" ", "  ", "\n", " \n ", "\r\n", "\t", "\u00a0"), {
          minLength: text.split(" ").length + 1,
          maxLength: text.split(" ").length + 1,
        })
        .map((gaps) => {
          const words = text.split(" ");
          const edges = gaps.map((gap, index) => (index === 0 || index === words.length ? gap.trim() : gap));
          const messy = `${edges[0] ?? ""}${words.map((word, index) => `${word}${edges[index + 1] ?? ""}`).join("")}`;
          return { text, parts, messy };
        }),
    );
    fc.assert(
      fc.property(noisy, ({ text, parts, messy }) => {
        const cell = parseValueCell(messy);
        assert.equal(cell.raw, messy);
        assert.equal(normaliseCellText(messy), text);
        assert.deepEqual(comparable(partsOf(cell)), parts);
        assert.equal(formatValueCell(cell), text);
      }),
    );
  });

  it("never throws, and prints back any text as its tidied self", () => {
    const cellish = fc.string({
      unit: fc.constantFrom(..."0123456789.,%£()-/ *^²pPNAvTBCDec\n".split("")),
      maxLength: 30,
    });
    fc.assert(
      fc.property(fc.oneof(fc.string(), cellish), (text) => {
        const cell = parseValueCell(text, { unit: "percent", columnPeriod: financialYear(2020) });
        assert.equal(cell.raw, text);
        assert.equal(formatValueCell(cell), normaliseCellText(text));
        if (cell.unrecognisedText !== null) assert.equal(cell.value, null);
      }),
      { numRuns: 3000 },
    );
  });
});
