import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import fc from "fast-check";
import { z } from "zod";
import type { CsvCell, PlannedProcurement, ThresholdRow } from "./procurement.ts";
import {
  contractEndDateOf,
  DEFAULT_THRESHOLD_TABLE,
  exactTermMonths,
  extendThresholdTable,
  neutraliseCsvText,
  PIPELINE_NOTICE_HEADER,
  ProcurementRuleError,
  pipelineNotice,
  pipelineNoticeRows,
  procurementBand,
  TRANSPARENCY_CODE_HEADER,
  thresholdInForce,
  transparencyCodeRows,
  validateThresholdTable,
  writeCsv,
} from "./procurement.ts";

const FLOOR = 5_000_000; // £50,000, the seed council's reporting floor

function services(estimatedValuePence: number, estimatedStartDate: string): PlannedProcurement {
  return {
    id: "P1",
    title: "Test contract",
    department: "Children's Services",
    category: "services",
    estimatedValuePence,
    estimatedStartDate,
    status: "planned",
  };
}

describe("thresholdInForce", () => {
  it("uses the row in force on the day, changing on the day a new row comes into force", () => {
    assert.equal(
      thresholdInForce(DEFAULT_THRESHOLD_TABLE, "2021-12-31", "services")?.amountPence,
      18_933_000,
    );
    assert.equal(thresholdInForce(DEFAULT_THRESHOLD_TABLE, "2022-01-01", "goods")?.amountPence, 21_347_700);
    assert.equal(
      thresholdInForce(DEFAULT_THRESHOLD_TABLE, "2025-03-01", "services")?.amountPence,
      21_490_400,
    );
    assert.equal(
      thresholdInForce(DEFAULT_THRESHOLD_TABLE, "2026-01-01", "services")?.amountPence,
      20_772_000,
    );
    assert.equal(thresholdInForce(DEFAULT_THRESHOLD_TABLE, "2026-01-01", "works")?.amountPence, 519_300_000);
    assert.equal(
      thresholdInForce(DEFAULT_THRESHOLD_TABLE, "2023-06-30", "light-touch-services")?.amountPence,
      66_354_000,
    );
  });

  it("has nothing before the table starts, and refuses a date that is not real", () => {
    assert.equal(thresholdInForce(DEFAULT_THRESHOLD_TABLE, "2019-12-31", "services"), undefined);
    assert.throws(() => thresholdInForce(DEFAULT_THRESHOLD_TABLE, "2023-02-29", "services"), RangeError);
  });

  it("stops at the end of a last row that has an end date", () => {
    const table: ThresholdRow[] = [
      { ...row("2024-01-01"), inForceUntil: "2025-12-31" },
      { ...row("2026-01-01", 100), inForceUntil: "2026-12-31" },
    ];
    assert.equal(thresholdInForce(table, "2026-12-31", "services")?.amountPence, 100);
    assert.equal(thresholdInForce(table, "2027-01-01", "services"), undefined);
  });

  it("on any row's first day gives that row, and on the day before gives the row before", () => {
    fc.assert(
      fc.property(validTable(), (table) => {
        table.forEach((current, index) => {
          assert.equal(
            thresholdInForce(table, current.inForceFrom, "works")?.amountPence,
            current.worksPence,
          );
          const before = table[index - 1];
          const dayBefore = new Date(`${current.inForceFrom}T00:00:00Z`);
          dayBefore.setUTCDate(dayBefore.getUTCDate() - 1);
          assert.equal(
            thresholdInForce(table, dayBefore.toISOString().slice(0, 10), "works")?.amountPence,
            before?.worksPence,
          );
        });
      }),
    );
  });
});

describe("procurementBand", () => {
  it("puts a £210,000 services contract commencing in March 2025 below the £214,904 threshold", () => {
    const banding = procurementBand(services(21_000_000, "2025-03-01"), DEFAULT_THRESHOLD_TABLE, FLOOR);
    assert.equal(banding.band, "floor-to-threshold");
    assert.equal(banding.threshold.amountPence, 21_490_400);
    assert.equal(
      banding.explanation,
      "£210,000 is below the goods and services threshold of £214,904 in force on 1 March 2025.",
    );
  });

  it("puts the same contract commencing in February 2026 above the £207,720 threshold", () => {
    const banding = procurementBand(services(21_000_000, "2026-02-01"), DEFAULT_THRESHOLD_TABLE, FLOOR);
    assert.equal(banding.band, "above-threshold");
    assert.equal(banding.threshold.amountPence, 20_772_000);
    assert.equal(banding.threshold.inForceFrom, "2026-01-01");
    assert.equal(
      banding.explanation,
      "£210,000 is above the goods and services threshold of £207,720 in force on 1 February 2026.",
    );
  });

  it("treats a value exactly at the threshold as above it, since the regulations apply at the threshold", () => {
    const at = procurementBand(services(21_490_400, "2025-03-01"), DEFAULT_THRESHOLD_TABLE, FLOOR);
    assert.equal(at.band, "above-threshold");
    assert.match(at.explanation, /^£214,904 is exactly the goods and services threshold of £214,904/);
    const penny = procurementBand(services(21_490_399, "2025-03-01"), DEFAULT_THRESHOLD_TABLE, FLOOR);
    assert.equal(penny.band, "floor-to-threshold");
    assert.match(penny.explanation, /^£214,903\.99 is below/);
  });

  it("includes a value exactly at the reporting floor in the plan, and leaves one a penny under out", () => {
    assert.equal(
      procurementBand(services(FLOOR, "2025-03-01"), DEFAULT_THRESHOLD_TABLE, FLOOR).band,
      "floor-to-threshold",
    );
    const under = procurementBand(services(FLOOR - 1, "2025-03-01"), DEFAULT_THRESHOLD_TABLE, FLOOR);
    assert.equal(under.band, "below-floor");
    assert.equal(
      under.explanation,
      "£49,999.99 is below the reporting floor of £50,000, so it is not in the forward plan.",
    );
  });

  it("goes by the expected commencement date where one is given, not the estimated start date", () => {
    const contract = { ...services(21_000_000, "2026-02-01"), expectedCommencementDate: "2025-10-01" };
    const banding = procurementBand(contract, DEFAULT_THRESHOLD_TABLE, FLOOR);
    assert.equal(banding.band, "floor-to-threshold");
    assert.equal(banding.commencementDate, "2025-10-01");
    assert.equal(banding.commencementDateFrom, "expected-commencement-date");
    assert.equal(
      procurementBand(services(21_000_000, "2026-02-01"), DEFAULT_THRESHOLD_TABLE, FLOOR)
        .commencementDateFrom,
      "estimated-start-date",
    );
  });

  it("uses the works and light-touch columns for those categories", () => {
    const works = { ...services(300_000_000, "2025-03-01"), category: "works" as const };
    assert.equal(procurementBand(works, DEFAULT_THRESHOLD_TABLE, FLOOR).band, "floor-to-threshold");
    assert.match(
      procurementBand(works, DEFAULT_THRESHOLD_TABLE, FLOOR).explanation,
      /works threshold of £5,372,609/,
    );
    const care = { ...services(60_000_000, "2025-03-01"), category: "light-touch-services" as const };
    assert.equal(procurementBand(care, DEFAULT_THRESHOLD_TABLE, FLOOR).band, "floor-to-threshold");
    assert.match(
      procurementBand(care, DEFAULT_THRESHOLD_TABLE, FLOOR).explanation,
      /light-touch services threshold of £663,540/,
    );
  });

  it("refuses with a coded error when no threshold is in force on the day", () => {
    assert.throws(
      () => procurementBand(services(21_000_000, "2019-06-01"), DEFAULT_THRESHOLD_TABLE, FLOOR),
      (error: unknown) =>
        error instanceof ProcurementRuleError &&
        error.code === "no-threshold-in-force" &&
        error.message.includes("1 June 2019"),
    );
  });

  it("refuses a negative value or floor", () => {
    assert.throws(
      () => procurementBand(services(-1, "2025-03-01"), DEFAULT_THRESHOLD_TABLE, FLOOR),
      RangeError,
    );
    assert.throws(() => procurementBand(services(1, "2025-03-01"), DEFAULT_THRESHOLD_TABLE, -1), RangeError);
  });

  it("refuses with a coded error when the table is invalid", () => {
    const broken = [row("2024-01-01"), row("2022-01-01")];
    assert.throws(
      () => procurementBand(services(21_000_000, "2025-03-01"), broken, FLOOR),
      (error: unknown) => error instanceof ProcurementRuleError && error.code === "invalid-threshold-table",
    );
  });
});

describe("validateThresholdTable", () => {
  it("accepts the default table", () => {
    assert.deepEqual(validateThresholdTable(DEFAULT_THRESHOLD_TABLE), []);
    assert.equal(DEFAULT_THRESHOLD_TABLE.length, 4);
  });

  it("refuses duplicate dates, naming both rows", () => {
    const problems = validateThresholdTable([row("2024-01-01"), row("2026-01-01"), row("2026-01-01")]);
    assert.deepEqual(
      problems.map((p) => [p.rowNumber, p.field, p.message]),
      [
        [
          3,
          "inForceFrom",
          'Row 3 has the same "in force from" date as row 2 (1 January 2026): each date may appear only once.',
        ],
      ],
    );
  });

  it("refuses rows out of date order", () => {
    const [problem] = validateThresholdTable([row("2024-01-01"), row("2022-01-01")]);
    assert.equal(
      problem?.message,
      "Row 2 (in force from 1 January 2022) is dated before row 1 (1 January 2024): list rows in date order, earliest first.",
    );
  });

  it("refuses amounts that are zero, negative or not whole pence, one message per field", () => {
    const problems = validateThresholdTable([
      { inForceFrom: "2024-01-01", goodsAndServicesPence: 0, worksPence: -5, lightTouchServicesPence: 12.5 },
    ]);
    assert.deepEqual(
      problems.map((p) => p.message),
      [
        "Row 1 (in force from 1 January 2024): the goods and services threshold must be more than £0; it is £0.",
        "Row 1 (in force from 1 January 2024): the works threshold must be more than £0; it is -£0.05.",
        "Row 1 (in force from 1 January 2024): the light-touch services threshold must be a whole number of pence; it is 12.5.",
      ],
    );
  });

  it("refuses a date that is not real, and an empty table", () => {
    const [problem] = validateThresholdTable([row("2026-02-30")]);
    assert.equal(problem?.field, "inForceFrom");
    assert.match(problem?.message ?? "", /^Row 1: "2026-02-30" is not a real date/);
    assert.equal(validateThresholdTable([])[0]?.rowNumber, null);
  });

  it("refuses a row whose end date overlaps the next row, or leaves a gap before it", () => {
    const overlap = validateThresholdTable([
      { ...row("2024-01-01"), inForceUntil: "2026-01-01" },
      row("2026-01-01"),
    ]);
    assert.deepEqual(
      overlap.map((p) => [p.rowNumber, p.field, p.message]),
      [
        [
          1,
          "inForceUntil",
          "Row 1 (in force from 1 January 2024 to 1 January 2026) overlaps row 2, which comes into force on 1 January 2026: row 1 must end by 31 December 2025.",
        ],
      ],
    );
    const gap = validateThresholdTable([
      { ...row("2024-01-01"), inForceUntil: "2025-06-30" },
      row("2026-01-01"),
    ]);
    assert.match(gap[0]?.message ?? "", /leaves a gap .* from 1 July 2025 to 31 December 2025\.$/);
    assert.deepEqual(
      validateThresholdTable([{ ...row("2024-01-01"), inForceUntil: "2025-12-31" }, row("2026-01-01")]),
      [],
    );
    assert.match(
      validateThresholdTable([{ ...row("2024-01-01"), inForceUntil: "2023-12-31" }])[0]?.message ?? "",
      /ends on 31 December 2023, before it comes into force/,
    );
  });

  it("lets an administrator add a later row, and refuses an earlier one", () => {
    const later = extendThresholdTable(DEFAULT_THRESHOLD_TABLE, row("2028-01-01", 21_000_000));
    assert.equal(later.ok, true);
    if (later.ok) assert.equal(thresholdInForce(later.table, "2028-06-01", "goods")?.amountPence, 21_000_000);
    const earlier = extendThresholdTable(DEFAULT_THRESHOLD_TABLE, row("2025-01-01"));
    assert.equal(earlier.ok, false);
    if (!earlier.ok) assert.equal(earlier.problems[0]?.rowNumber, 5);
  });

  it("accepts any table of distinct dates in order, and refuses it once two rows are swapped", () => {
    fc.assert(
      fc.property(validTable(2), fc.nat(), (table, pick) => {
        assert.deepEqual(validateThresholdTable(table), []);
        const i = pick % (table.length - 1);
        const swapped = [...table];
        [swapped[i], swapped[i + 1]] = [table[i + 1] as ThresholdRow, table[i] as ThresholdRow];
        const problems = validateThresholdTable(swapped);
        assert.equal(problems.length, 1);
        assert.equal(problems[0]?.rowNumber, i + 2);
      }),
    );
  });
});

describe("pipelineNotice", () => {
  const over2m = 200_000_001;
  const candidates: PlannedProcurement[] = [
    { ...services(over2m, "2025-04-01"), id: "first-day", title: "First day" },
    { ...services(over2m, "2026-09-30"), id: "last-day", title: "Last day" },
    { ...services(over2m, "2026-10-01"), id: "day-after", title: "Day after" },
    { ...services(over2m, "2025-03-31"), id: "day-before", title: "Day before" },
    { ...services(200_000_000, "2025-06-01"), id: "exactly-2m", title: "Exactly £2m" },
    { ...services(900_000_000, "2025-07-01"), id: "advertised", title: "Already out", status: "advertised" },
    {
      ...services(300_000_000, "2025-06-01"),
      id: "small-works",
      title: "Small works",
      category: "works",
    },
    {
      ...services(300_000_000, "2027-01-01"),
      id: "tender-early",
      title: "Starts later, advertised in the period",
      expectedCommencementDate: "2026-06-01",
    },
  ];

  it("lists planned contracts over £2m to be advertised in the 18 months from 1 April, both end days included", () => {
    const notice = pipelineNotice(candidates, 2025, 15_000_000_000);
    assert.deepEqual(
      notice.contracts.map((p) => p.id),
      ["first-day", "tender-early", "last-day"],
    );
    assert.deepEqual(notice.reportingPeriod, { from: "2025-04-01", to: "2026-09-30" });
    assert.equal(notice.financialYear, "2025/26");
  });

  it("says why each contract over £2m was left out, including works below the works threshold", () => {
    const notice = pipelineNotice(candidates, 2025, 15_000_000_000);
    assert.deepEqual(
      notice.excluded.map((e) => [e.procurement.id, e.reason]),
      [
        [
          "day-after",
          "Expected to be advertised on 1 October 2026, outside 1 April 2025 to 30 September 2026.",
        ],
        [
          "day-before",
          "Expected to be advertised on 31 March 2025, outside 1 April 2025 to 30 September 2026.",
        ],
        [
          "small-works",
          "Not a public contract: £3,000,000 is below the works threshold of £5,372,609 in force on 1 June 2025.",
        ],
      ],
    );
  });

  it("must be published by 26 May when expected payments are more than £100m", () => {
    const notice = pipelineNotice(candidates, 2025, 10_000_000_001);
    assert.equal(notice.mustPublish, true);
    assert.equal(notice.publicationDeadline, "2025-05-26");
    assert.equal(
      notice.explanation,
      "Expected payments of £100,000,000.01 in 2025/26 are more than £100,000,000, so a pipeline notice must be published by 26 May 2025 listing 3 planned contracts over £2,000,000 to be advertised from 1 April 2025 to 30 September 2026.",
    );
  });

  it("is not required at exactly £100m, nor for years before the Act's duty began", () => {
    assert.equal(pipelineNotice(candidates, 2025, 10_000_000_000).mustPublish, false);
    const before = pipelineNotice(candidates, 2024, 90_000_000_000);
    assert.equal(before.statutoryDutyApplies, false);
    assert.equal(before.mustPublish, false);
    assert.match(before.explanation, /applies from 2025\/26, so for 2024\/25 a notice is voluntary/);
  });

  it("writes its contracts as CSV rows under its own heading", () => {
    const notice = pipelineNotice(candidates, 2025, 15_000_000_000);
    const rows = pipelineNoticeRows(notice);
    assert.equal(rows.length, 3);
    assert.equal(PIPELINE_NOTICE_HEADER.length, rows[0]?.length);
    assert.deepEqual(rows[1], [
      "tender-early",
      "Starts later, advertised in the period",
      "Children's Services",
      "Services",
      "3000000.00",
      "2026-06-01",
      "2027-01-01",
    ]);
  });
});

describe("transparencyCodeRows", () => {
  it("lists only advertised procurements over £5,000, in the code's column order", () => {
    const rows = transparencyCodeRows([
      {
        ...services(500_001, "2025-04-01"),
        id: "advertised-over",
        status: "advertised",
        durationText: "12 months",
        description: 'Says "hello", twice',
      },
      { ...services(500_000, "2025-04-01"), id: "advertised-exactly", status: "advertised" },
      { ...services(9_000_000, "2025-04-01"), id: "planned" },
      { ...services(9_000_000, "2025-04-01"), id: "awarded", status: "awarded" },
      { ...services(9_000_000, "2025-04-01"), id: "cancelled", status: "cancelled" },
    ]);
    assert.deepEqual(rows, [
      [
        "advertised-over",
        "Test contract",
        'Says "hello", twice',
        "2025-04-01",
        "2026-03-31",
        "",
        "Children's Services",
        "5000.01",
      ],
    ]);
    assert.equal(TRANSPARENCY_CODE_HEADER.length, rows[0]?.length);
    assert.deepEqual(TRANSPARENCY_CODE_HEADER.slice(0, 7), [
      "Reference number",
      "Title",
      "Description of the goods and/or services sought",
      "Start date",
      "End date",
      "Review date",
      "Local authority department responsible",
    ]);
  });

  it("leaves the end date blank when the duration is only an upper bound", () => {
    const [row] = transparencyCodeRows([
      {
        ...services(9_000_000, "2022-04-01"),
        status: "advertised",
        durationText: "(up to 4 years)",
        durationMonths: 48,
      },
    ]);
    assert.equal(row?.[4], "");
  });
});

describe("exactTermMonths and contractEndDateOf", () => {
  it("reads only exact terms", () => {
    assert.equal(exactTermMonths("4 years"), 48);
    assert.equal(exactTermMonths("(18 months)"), 18);
    assert.equal(exactTermMonths("1 year"), 12);
    assert.equal(exactTermMonths("(up to 4 years)"), null);
    assert.equal(exactTermMonths("3 + 1 years"), null);
    assert.equal(exactTermMonths("about 2 years"), null);
    assert.equal(exactTermMonths("0 months"), null);
  });

  it("prefers a recorded end date and otherwise ends the day before the term is up", () => {
    const base = services(1_000_000, "2024-01-31");
    assert.equal(contractEndDateOf({ ...base, durationText: "1 month" }), "2024-02-28");
    assert.equal(contractEndDateOf({ ...base, durationText: "2 years" }), "2026-01-30");
    assert.equal(
      contractEndDateOf({ ...base, durationText: "2 years", contractEndDate: "2025-12-31" }),
      "2025-12-31",
    );
    assert.equal(contractEndDateOf({ ...base, durationText: "(up to 4 years)" }), undefined);
    assert.equal(contractEndDateOf(base), undefined);
  });
});

describe("writeCsv", () => {
  it("quotes only fields that need it, doubles quotes and ends every record with CRLF", () => {
    assert.equal(
      writeCsv([
        ["Title", "Value"],
        ['Say "hi", then go', 1.5],
        ["two\nlines", null],
        ["plain", 0],
      ]),
      'Title,Value\r\n"Say ""hi"", then go",1.5\r\n"two\nlines",\r\nplain,0\r\n',
    );
  });

  it("refuses numbers that cannot be written", () => {
    assert.throws(() => writeCsv([[Number.NaN]]), RangeError);
  });

  it("neutralises text a spreadsheet would run as a formula, as OWASP recommends", () => {
    assert.equal(
      writeCsv([
        ['=HYPERLINK("http://x")', "+1+2", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd", "-439928.00", "a=b", -5],
      ]),
      '"\'=HYPERLINK(""http://x"")","\'+1+2","\'-2+3","\'@SUM(A1)","\'\tcmd","\'\rcmd",-439928.00,a=b,-5\r\n',
    );
  });

  it("reads back exactly as written, whatever the text", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.array(fc.string({ unit: fc.constantFrom("a", " ", ",", '"', "\r", "\n", "£", "é", "=", "-") }), {
            minLength: 1,
            maxLength: 4,
          }),
          { minLength: 1, maxLength: 5 },
        ),
        (rows) => {
          assert.deepEqual(
            parseCsv(writeCsv(rows)),
            rows.map((row) => row.map(neutraliseCsvText)),
          );
        },
      ),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// The seed council's forward plan (000 seed, Appendix B), as kept in data/demo/procurement

const demoFile = z.object({
  department: z.string(),
  reportingFloorPence: z.number().int(),
  seedStatedThreshold: z.object({ text: z.string(), pence: z.number().int() }),
  thresholdsInForce: z.array(
    z.object({
      inForceFrom: z.string(),
      goodsAndServicesPence: z.number().int(),
      worksPence: z.number().int(),
      lightTouchServicesPence: z.number().int(),
      note: z.string().optional(),
    }),
  ),
  tables: z.array(
    z.object({ table: z.string(), seedBand: z.string(), heading: z.string(), rowCount: z.number() }),
  ),
  procurements: z.array(
    z.object({
      id: z.string(),
      table: z.enum(["Table One", "Table Two"]),
      rowInTable: z.number().int(),
      seedBand: z.enum(["floor-to-threshold", "above-threshold"]),
      title: z.string(),
      estimatedValueText: z.string(),
      estimatedValuePence: z.number().int(),
      estimatedStartDateText: z.string(),
      estimatedStartDate: z.string(),
      durationText: z.string().optional(),
      durationMonths: z.number().int().optional(),
      department: z.string(),
      category: z.enum(["goods", "services", "works", "light-touch-services"]),
      categoryInferred: z.boolean(),
      categoryBasis: z.string(),
      status: z.literal("planned"),
    }),
  ),
});

const demo = demoFile.parse(
  JSON.parse(
    readFileSync(new URL("../../data/demo/procurement/forward-plan-2021-2023.json", import.meta.url), "utf8"),
  ),
);
const byId = (id: string) => demo.procurements.find((p) => p.id === id);

describe("the demo forward plan (seed Appendix B)", () => {
  it("holds every row of both tables once: 15 in Table One and 18 in Table Two", () => {
    const count = (table: string) => demo.procurements.filter((p) => p.table === table).length;
    assert.equal(count("Table One"), 15);
    assert.equal(count("Table Two"), 18);
    assert.equal(new Set(demo.procurements.map((p) => p.id)).size, 33);
    assert.equal(new Set(demo.procurements.map((p) => p.title)).size, 33);
    assert.deepEqual(
      demo.tables.map((t) => [t.table, t.rowCount]),
      [
        ["Table One", 15],
        ["Table Two", 18],
      ],
    );
  });

  it("keeps the text as written and agrees with it in pence and ISO dates", () => {
    for (const p of demo.procurements) {
      const value = /^(?:Approx\. Lifetime costs )?(\d{1,3}(?:,\d{3})*)\.(\d{2})$/.exec(p.estimatedValueText);
      assert.ok(value, `${p.title}: value "${p.estimatedValueText}"`);
      assert.equal(
        p.estimatedValuePence,
        Number(value[1]?.replaceAll(",", "")) * 100 + Number(value[2]),
        p.title,
      );
      const [day, month, year] = p.estimatedStartDateText.split("/");
      assert.equal(p.estimatedStartDate, `${year}-${month}-${day}`, p.title);
      assert.equal(p.department, "Children's Services");
      assert.equal(p.categoryInferred, true);
      if (p.durationText !== undefined) assert.ok(p.title.includes(p.durationText), p.title);
    }
    const daces = demo.procurements.find((p) => p.title.startsWith("Procurement of DACES"));
    assert.equal(daces?.estimatedValueText, "Approx. Lifetime costs 150,000.00");
    assert.equal(daces?.durationText, "(up to 4 years)");
    assert.equal(daces?.durationMonths, 48);
    assert.equal(demo.procurements.filter((p) => p.durationText !== undefined).length, 1);
  });

  it("stores the same thresholds as the default table, and the £50,000 reporting floor", () => {
    assert.deepEqual(demo.thresholdsInForce, DEFAULT_THRESHOLD_TABLE);
    assert.equal(demo.reportingFloorPence, 5_000_000);
  });

  it("bands every row into the table the seed put it in, by the threshold in force on its start date", () => {
    const moved = demo.procurements.filter(
      (p) => procurementBand(p, DEFAULT_THRESHOLD_TABLE, demo.reportingFloorPence).band !== p.seedBand,
    );
    assert.deepEqual(
      moved.map((p) => p.title),
      [],
    );
  });

  it("names the 16 rows the seed banded by £189,330 though a higher threshold was in force, none of which moves", () => {
    // The seed uses the 2020 figure throughout; from 1 January 2022 the threshold was £213,477
    // (£214,904 from 2024). No row is valued between £189,330 and £214,904, so no row changes band.
    const differing = demo.procurements.filter(
      (p) =>
        thresholdInForce(DEFAULT_THRESHOLD_TABLE, p.estimatedStartDate, p.category)?.amountPence !==
        18_933_000,
    );
    assert.deepEqual(
      differing.map((p) => p.id),
      [
        "cs-fp-2021-t1-05",
        "cs-fp-2021-t1-06",
        "cs-fp-2021-t1-10",
        "cs-fp-2021-t1-15",
        "cs-fp-2021-t2-03",
        "cs-fp-2021-t2-05",
        "cs-fp-2021-t2-07",
        "cs-fp-2021-t2-08",
        "cs-fp-2021-t2-09",
        "cs-fp-2021-t2-11",
        "cs-fp-2021-t2-12",
        "cs-fp-2021-t2-13",
        "cs-fp-2021-t2-15",
        "cs-fp-2021-t2-16",
        "cs-fp-2021-t2-17",
        "cs-fp-2021-t2-18",
      ],
    );
    assert.ok(differing.every((p) => p.estimatedStartDate >= "2022-01-01"));
    const nearLine = demo.procurements.filter(
      (p) => p.estimatedValuePence >= 18_933_000 && p.estimatedValuePence < 21_490_400,
    );
    assert.deepEqual(
      nearLine.map((p) => [p.title, p.estimatedStartDate]),
      [["Supply and delivery of Light Equipment", "2021-10-01"]],
      "the only row that would move band had it started in 2022 or later starts in 2021",
    );
  });

  it("names the five Table Two rows that start after the heading's 'prior to April 2023'", () => {
    assert.deepEqual(
      demo.procurements
        .filter((p) => p.estimatedStartDate >= "2023-04-01")
        .map((p) => [p.table, p.estimatedStartDateText]),
      [
        ["Table Two", "01/04/2023"],
        ["Table Two", "01/04/2024"],
        ["Table Two", "01/09/2023"],
        ["Table Two", "29/02/2024"],
        ["Table Two", "01/05/2023"],
      ],
    );
  });

  it("infers goods only from supply-and-delivery titles", () => {
    const goods = demo.procurements.filter((p) => p.category === "goods").map((p) => p.title);
    assert.equal(goods.length, 8);
    assert.ok(goods.every((title) => /^Supply(,| and) delivery/i.test(title)));
    assert.ok(demo.procurements.every((p) => p.category === "goods" || p.category === "services"));
  });

  it("puts five planned contracts over £2m in the 2022/23 pipeline notice", () => {
    const notice = pipelineNotice(demo.procurements, 2022, 0);
    assert.deepEqual(
      notice.contracts.map((p) => [p.title, p.estimatedStartDateText, p.estimatedValueText]),
      [
        ["EDP40 Transportation of Schools Meals", "01/04/2022", "3,600,000.00"],
        ["Supported Accommodation for young people", "01/10/2022", "20,000,000.00"],
        ["Supply and Delivery of Fresh Produce and Potatoes", "01/01/2023", "4,000,000.00"],
        ["Supply and Delivery of Frozen Food", "01/05/2023", "16,000,000.00"],
        [
          "Emotional Health and Wellbeing for Children in Care and Care Leavers",
          "01/09/2023",
          "8,000,000.00",
        ],
      ],
    );
    assert.deepEqual(
      notice.excluded.map((e) => e.procurement.title),
      ["Framework for Disabled Children and Young People", "Supply and Delivery of Groceries and Provisions"],
    );
    assert.deepEqual(notice.reportingPeriod, { from: "2022-04-01", to: "2023-09-30" });
    // 2022/23 predates the Procurement Act 2023, so the notice is illustrative only.
    assert.equal(notice.statutoryDutyApplies, false);
    assert.equal(byId("cs-fp-2021-t2-12")?.estimatedStartDate, "2022-04-01");
  });

  it("exports no invitations to tender, as every row of the plan is still planned", () => {
    const csv = writeCsv([TRANSPARENCY_CODE_HEADER, ...transparencyCodeRows(demo.procurements)]);
    assert.equal(csv, `${TRANSPARENCY_CODE_HEADER.join(",")}\r\n`);
  });
});

// ---------------------------------------------------------------------------------------------
// helpers

function row(inForceFrom: string, amountPence = 21_490_400): ThresholdRow {
  return {
    inForceFrom,
    goodsAndServicesPence: amountPence,
    worksPence: amountPence * 25,
    lightTouchServicesPence: amountPence * 3,
  };
}

/** Tables of distinct dates in order, with positive amounts. */
function validTable(minLength = 1) {
  return fc
    .uniqueArray(fc.integer({ min: 0, max: 20_000 }), { minLength, maxLength: 6 })
    .chain((offsets) =>
      fc.tuple(
        fc.constant([...offsets].sort((a, b) => a - b)),
        fc.array(fc.integer({ min: 1, max: 1_000_000_000 }), {
          minLength: offsets.length,
          maxLength: offsets.length,
        }),
      ),
    )
    .map(([offsets, amounts]) =>
      offsets.map((offset, i): ThresholdRow => {
        const date = new Date(Date.UTC(2000, 0, 1 + offset)).toISOString().slice(0, 10);
        const amount = amounts[i] ?? 1;
        return {
          inForceFrom: date,
          goodsAndServicesPence: amount,
          worksPence: amount + 1,
          lightTouchServicesPence: amount + 2,
        };
      }),
    );
}

/** A strict RFC 4180 reader, to prove the writer round-trips. */
function parseCsv(text: string): CsvCell[][] {
  const rows: string[][] = [];
  let fields: string[] = [];
  let field = "";
  let i = 0;
  while (i < text.length) {
    if (text[i] === '"') {
      i++;
      for (;;) {
        const end = text.indexOf('"', i);
        assert.ok(end >= 0, "unterminated quoted field");
        field += text.slice(i, end);
        i = end + 1;
        if (text[i] === '"') {
          field += '"';
          i++;
        } else break;
      }
    }
    const comma = text.indexOf(",", i);
    const crlf = text.indexOf("\r\n", i);
    const stop = Math.min(
      comma < 0 ? Number.POSITIVE_INFINITY : comma,
      crlf < 0 ? Number.POSITIVE_INFINITY : crlf,
    );
    assert.ok(Number.isFinite(stop), "record not ended with CRLF");
    field += text.slice(i, stop);
    fields.push(field);
    field = "";
    if (stop === crlf) {
      rows.push(fields);
      fields = [];
      i = stop + 2;
    } else i = stop + 1;
  }
  return rows;
}
