import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import ExcelJS from "exceljs";
import { describeOnBothDatabases, freshDatabase, type TestDatabase } from "../../test/helpers/database.ts";
import { libreOffice } from "../../test/helpers/libreoffice.ts";
import { isA4, pdfTags, readPdf } from "../../test/helpers/pdf.ts";
import { skipWithout, testChromium } from "../../test/helpers/programs.ts";
import type { Report } from "./model.ts";
import { buildQuarterlyReport, yearCode } from "./quarterly-report.ts";
import { renderDocx } from "./render-docx.ts";
import { renderStandaloneHtml } from "./render-html.ts";
import { renderPdf } from "./render-pdf.ts";
import { renderXlsx } from "./render-xlsx.ts";
import { fillTemplate } from "./report-settings.ts";

const chromium = testChromium();
after(() => chromium.close());
const withoutLibreOffice = { skip: skipWithout("libreoffice") };

/**
 * Every figure of every table in seed 004 (the quarter 3 2020/21 report to the Cabinet Member for
 * Young People), row by row as the document prints it. A row is its figures in order; where the
 * rendered page has the row's name, the name comes first.
 */
const BUDGET_ITEMS: [string, ...string[]][] = [
  ["Placements for Children in Care/unable to remain at home", "37.875", "47.937", "10.062", "26.6%"],
  ["Potential additional placement costs", "0.000", "1.300", "1.300", "100.0%"],
  ["Support for Children with Disabilities", "5.716", "5.867", "0.151", "2.6%"],
  ["Children's Safeguarding services", "37.976", "37.319", "-0.657", "-1.7%"],
  ["Early Help & Preventative Services", "6.885", "6.142", "-0.743", "-10.8%"],
  ["Home to School Transport", "15.491", "16.830", "1.339", "8.6%"],
  ["Education support services", "4.420", "8.666", "4.246", "96.1%"],
  ["Management, Finance, ICT and other support services", "8.261", "7.627", "-0.634", "-7.7%"],
  ["Pensions payable to former teachers and other staff", "4.538", "4.873", "0.335", "7.4%"],
  ["Redundancy", "0.033", "0.033", "0.000", "0.0%"],
  ["Grant income", "-3.795", "-3.796", "-0.001", "0.0%"],
  ["Unallocated budget", "2.562", "0.077", "-2.485", "-97.0%"],
  ["Specific Covid 19 costs", "0.871", "1.801", "0.930", "106.8%"],
  ["Total", "120.833", "134.676", "13.843", "11.5%"],
  ["Covid-19 Funding", "9.599"],
  ["Total after use of additional funding", "130.432", "134.676", "4.244", "3.3%"],
];

const SAVINGS: [string, ...string[]][] = [
  ["Care Leavers Employment project", "0.162", "0.162", "0.000"],
  ["Donut Centre", "0.081", "0.081", "0.000"],
  ["Early Help", "0.167", "0.167", "0.000"],
  ["Outdoor Education", "1", "0.130", "0.000", "-0.130"],
  ["Education Psychology", "1", "0.039", "0.000", "-0.039"],
  ["PAUSE contract", "2", "0.143", "0.143", "0.000"],
  ["Local Children's Safeguarding Board", "0.025", "0.000", "-0.025"],
  ["Remote & Mobile working", "0.235", "0.235", "0.000"],
  ["Home to School Transport (3 initiatives)", "0.160", "0.000", "-0.160"],
  ["Pensions", "0.236", "0.236", "0.000"],
  ["Accommodation of Children in care", "0.450", "0.000", "-0.450"],
  ["Finance", "0.037", "0.033", "-0.004"],
  ["Business Services Support", "0.150", "0.150", "0.000"],
  ["Information & ICT", "1", "0.035", "0.000", "-0.035"],
  ["Disability – Step Down", "3", "0.300", "0.000", "-0.300"],
  ["Total Position", "2.350", "1.207", "-1.143"],
  ["Shortfall/(Surplus) of Identified Savings", "0.829"],
  ["Budget Savings Target", "3.179"],
  ["Prior Year B/f", "0.829"],
  ["Current Year", "2.350"],
];

const MEASURES: [string, ...string[]][] = [
  [
    "Percentage of Clients agreeing that care and support services help improve their quality of life",
    "94.1%",
    "94.6%",
  ],
  ["Percentage of children achieving at least a Good Level of Development (EYFS)", "70.8%", "70.8%"],
  [
    "Percentage of Council run children's homes rated as 'Good' or 'Outstanding' by Ofsted",
    "100.0%",
    "81.8%",
    "81.8%",
    "100.0%",
    "Action",
  ],
  ["Percentage of pupils in good or better primary schools", "77.7%", "80.7%", "81.2%", "91.0%", "Action"],
  ["Percentage of pupils in good or better secondary schools", "59.9%", "54.9%", "55.0%", "81.0%", "Action"],
];

const RISKS: [string, ...string[]][] = [
  ["Increased number of children requiring placements.", "1.300", "4"],
  ["Ex gratia or other payments to close disputes.", "0.020", "1"],
  ["Data security breach resulting in fine.", "0.500", "3"],
];

// The trend column sits between the name and the figure.
const RESERVES: [string, string][] = [
  ["Troubled Families", "3.612"],
  ["Standards Fund (Schools)", "0.726"],
  ["Rates refunds (schools)", "0.721"],
  ["Children's Services ICT Improvements", "0.706"],
  ["Other reserves", "1.336"],
  ["Total Reserves", "7.101"],
];

// Amount, then (after the trend) the share from the amounts and the share as printed.
const DEBT: [string, string, string, string][] = [
  ["0 - 30 Days", "0.151", "31.3%", "31.3%"],
  ["31 - 365 Days", "0.204", "42.3%", "42.3%"],
  ["1 - 2 Years", "0.087", "18.1%", "18.0%"],
  ["2 - 3 Years", "0.014", "2.9%", "2.9%"],
  ["3 - 4 Years", "0.013", "2.7%", "2.7%"],
  ["Over 4 Years", "0.013", "2.7%", "2.7%"],
];

/** Figures the seed writes in its prose and headings, each in £m. */
const PROSE = [
  "£120.833m",
  "£9.599m",
  "£130.432m",
  "£13.843m",
  "£4.244m",
  "£1.207m",
  "£3.179m",
  "£2.350m",
  "£0.829m",
  "£1.390m",
  "£11.362m",
  "£7.101m",
  "£0.035m",
];

const SECTION_TITLES = [
  "1. Purpose of the Report",
  "2. Information and Analysis",
  "2.2 Performance Summary",
  "2.3 Budget Forecast Summary",
  "2.4 Key Variances",
  "2.5 Budget Savings",
  "2.6 Growth Items and One-Off Funding",
  "2.7 Financial Risks",
  "2.8 Earmarked Reserves",
  "2.9 Debt Position",
  "3. Financial Considerations",
  "4. Other Considerations",
  "5. Key Decision",
  "6. Call-In",
  "7. Background Papers",
  "8. Officer Recommendations",
  "Appendix A: Deliverable Progress",
];

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

/** A row's figures in order with only spacing (and, for names, non-digits) between them. */
function rowPattern(cells: readonly string[], withName: boolean): RegExp {
  const [name, ...figures] = cells;
  const numbers = figures.map(escapeRegExp).join("\\s+");
  return withName ? new RegExp(`${escapeRegExp(name ?? "")}\\s+${numbers}`) : new RegExp(numbers);
}

function pageText(html: string): string {
  return html
    .replace(/<style[\s\S]*?<\/style>/g, " ")
    .replace(/<svg[\s\S]*?<\/svg>/g, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");
}

function assertEveryFigure(text: string, withNames: boolean) {
  for (const rows of [BUDGET_ITEMS, SAVINGS, MEASURES, RISKS]) {
    for (const row of rows) {
      // Note markers and names are in their own cells in the page; in a PDF a long name wraps.
      const cells = withNames
        ? row
        : [row[0], ...row.slice(1).filter((cell) => /\./.test(cell) || /%/.test(cell))];
      assert.match(text, rowPattern(cells, withNames), `row ${row[0]}`);
    }
  }
  for (const [name, amount] of RESERVES) {
    assert.match(
      text,
      new RegExp(`${withNames ? escapeRegExp(name) : ""}[^0-9]*${escapeRegExp(amount)}`),
      `reserve ${name}`,
    );
  }
  for (const [band, amount, share, printed] of DEBT) {
    assert.match(
      text,
      new RegExp(
        `${withNames ? `${escapeRegExp(band)}\\s+` : ""}${escapeRegExp(amount)}[^0-9%]*${escapeRegExp(share)}\\s+${escapeRegExp(printed)}`,
      ),
      `debt ${band}`,
    );
  }
  assert.match(text, /Total\s+0\.482[^0-9%]*100\.0%/);
  for (const figure of PROSE) assert.ok(text.includes(figure), `the report writes ${figure}`);
}

test("year codes: 2020/21, 2020-21 and 2020/2021 are the finance module's 2020-21", () => {
  assert.equal(yearCode("2020/21"), "2020-21");
  assert.equal(yearCode("2020-21"), "2020-21");
  assert.equal(yearCode("2020/2021"), "2020-21");
  assert.throws(() => yearCode("2020/22"));
});

test("templates are filled from values, and a missing value is an error, never left in a report", () => {
  assert.equal(
    fillTemplate("an {direction} of {variance}", { direction: "overspend", variance: "£4.244m" }),
    "an overspend of £4.244m",
  );
  assert.throws(() => fillTemplate("{missing}", {}), /missing/);
});

describeOnBothDatabases("the quarter 3 2020/21 report from the demo data", (fresh) => {
  test("has every section of seed 004 in order and every figure of every table", async () => {
    const { db } = await fresh({ demo: true });
    const report = await buildQuarterlyReport(db, { year: "2020/21", quarter: 3 });
    assert.deepEqual(
      report.sections.map((section) => section.title),
      SECTION_TITLES,
    );
    assert.equal(
      report.title,
      "Performance and Budget Monitoring/Forecast Outturn 2020/2021 as at Quarter 3",
    );
    // The committee paper's heading block, in the order the report sets it out, before the title.
    assert.deepEqual(report.header, [
      "Authors: Karen Gurney/Sara Lewis (38755/36444)",
      "Derbyshire County Council",
      "Cabinet Member for Young People",
      "2 March 2021",
      "Joint Report of the Executive Director of Children's Services and the Director of Finance & ICT",
    ]);
    const text = pageText(renderStandaloneHtml(report));
    assertEveryFigure(text, true);
    // The standard paragraphs come from the settings, word for word.
    assert.ok(
      text.includes(
        "Is it required that call-in be waived in respect of the decisions proposed in the report? No.",
      ),
    );
    assert.ok(text.includes("Jane Parfremment, Executive Director, Children's Services"));
    // What Baseplan works out is labelled as Baseplan's, never as the council's.
    assert.match(text, /Budget Performance \(worked out by Baseplan\)/);
    assert.doesNotMatch(text, /council's limits/);
    // The shares the document printed do not add to 100.0%: the report says so.
    assert.match(text, /add to 99\.9%, not 100\.0%/);
    // Every deliverable update of the quarter, with its narrative, in the appendix.
    const appendix = report.sections.at(-1);
    assert.ok(appendix);
    const headings = appendix.blocks.flatMap((block) => (block.kind === "subheading" ? [block] : []));
    assert.deepEqual(
      headings.filter((heading) => heading.level !== 4).map((heading) => heading.text),
      ["A focus on prevention and early intervention", "High performing council services"],
    );
    assert.equal(headings.filter((heading) => heading.level === 4).length, 7);
    assert.ok(text.includes("Pause Derbyshire team continues despite challenges"));
    // A rating the report did not print but was inferred from it says so, with the reason.
    const ratings = appendix.blocks.find(
      (block) => block.kind === "table" && block.id === "deliverable-ratings",
    );
    assert.ok(ratings && ratings.kind === "table");
    const words = ratings.rows.map((row) => row.cells[1]?.text);
    assert.equal(words.filter((word) => word === "Good (inferred)").length, 4);
    assert.equal(words.filter((word) => word === "Review").length, 3);
    assert.match(ratings.notes?.[0] ?? "", /^Inferred: section 2\.1 says progress is "good"/);
  });

  test("the Excel totals are formulas over exact pounds whose results are the displayed totals", async () => {
    const { db } = await fresh({ demo: true });
    const report = await buildQuarterlyReport(db, { year: "2020-21", quarter: 3 });
    const budget = report.sections
      .flatMap((section) => section.blocks)
      .find((block) => block.kind === "table" && block.id === "budget-items");
    assert.ok(budget && budget.kind === "table");
    const total = budget.totals?.[0];
    assert.equal(total?.sumOfRows, true);
    assert.equal(total?.cells[1]?.value, 120_833_000);
    const sum = budget.rows.reduce((acc, row) => acc + Math.round((row.cells[1]?.value ?? 0) * 100), 0);
    assert.equal(sum, 12_083_300_000);
  });
});

// ---------------------------------------------------------------------------------------------
// The files, opened as a council's desktop would open them (LibreOffice, poppler).

const work = mkdtempSync(join(tmpdir(), "baseplan-quarterly-"));
after(() => rmSync(work, { recursive: true, force: true }));

describe("the quarter 3 2020/21 report as files", () => {
  let database: TestDatabase;
  let report: Report;
  before(async () => {
    database = await freshDatabase("pglite", { demo: true });
    report = await buildQuarterlyReport(database.db, { year: "2020/21", quarter: 3 });
  });
  after(async () => {
    await database.close();
  });

  test(
    "the Word file opens in LibreOffice and converts to a PDF with every figure",
    withoutLibreOffice,
    async () => {
      const file = join(work, "q3.docx");
      writeFileSync(file, await renderDocx(report));
      const { text } = await readPdf(readFileSync(libreOffice(file, "pdf", work)));
      assertEveryFigure(text, false);
      for (const title of SECTION_TITLES) assert.ok(text.includes(title), title);
      assert.match(
        text.replace(/\s+/g, " "),
        /worked out by Baseplan from each variance, not printed by the council/,
      );
    },
  );

  test(
    "the Excel file opens in LibreOffice and its formula totals equal the displayed totals",
    withoutLibreOffice,
    async () => {
      const file = join(work, "q3.xlsx");
      writeFileSync(file, await renderXlsx(report));
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(readFileSync(file) as unknown as ArrayBuffer);
      const sheet = workbook.getWorksheet("Young People Budget Items");
      assert.ok(sheet, "a sheet per table");
      assert.equal(sheet.getCell("B3").value, 37_875_000);
      assert.deepEqual(sheet.getCell("B16").value, { formula: "SUM(B3:B15)", result: 120_833_000 });
      // The position after funding is worked out from the total and the funding rows above it.
      assert.deepEqual(sheet.getCell("B18").value, { formula: "B16+B17", result: 130_432_000 });
      assert.deepEqual(sheet.getCell("D18").value, { formula: "D16-B17", result: 4_244_000 });
      assert.equal(sheet.views[0]?.state, "frozen");
      // Sheet names are cut at a word, never mid-word, with no double space; the contents links to each.
      for (const found of workbook.worksheets) {
        assert.doesNotMatch(found.name, / {2}/, found.name);
        assert.ok(found.name.length <= 31, found.name);
      }
      const links = workbook
        .getWorksheet("Contents")
        ?.getColumn(1)
        .values.filter((value) => typeof value === "object" && value !== null && "hyperlink" in value);
      assert.equal(links?.length, workbook.worksheets.length - 1, "a link to every sheet");
      libreOffice(file, "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1", work);
      const csv = (name: string) => {
        const found = readdirSync(work).find((candidate) => candidate === `q3-${name}.csv`);
        assert.ok(found, `LibreOffice wrote the sheet ${name}`);
        return readFileSync(join(work, found), "utf8");
      };
      // LibreOffice recalculates each SUM: shown as the report shows it, it is the report's total.
      assert.match(csv("Young People Budget Items"), /\nTotal,120\.833,134\.676,13\.843,11\.5%,Red/);
      assert.match(csv("Young People Budget Items"), /Budget Performance \(worked out by Baseplan\)/);
      assert.match(csv("Budget Savings Initiatives"), /\nTotal Position,,2\.350,1\.207,-1\.143,/);
      assert.match(
        csv("Young People Budget Items"),
        /\nTotal after use of additional funding,130\.432,134\.676,4\.244,/,
      );
      assert.match(
        csv("Budget Savings Initiatives"),
        /\nShortfall\/\(Surplus\) of Identified Savings,,0\.829,/,
      );
      assert.match(csv("Budget Savings Initiatives"), /\nBudget Savings Target,,3\.179,/);
      assert.match(csv("Earmarked reserves"), /\nTotal Reserves,[^,]*,7\.101/);
      assert.match(csv("Debt profile"), /\nTotal,0\.482,/);
    },
  );

  test("the PDF is produced with every section heading, in order", async () => {
    const file = join(work, "q3-chromium.pdf");
    writeFileSync(file, await renderPdf(report, chromium));
    const { pages, text } = await readPdf(readFileSync(file));
    assert.ok(pages[0] && isA4(pages[0]), "A4");
    // Tagged, with its title and language, headings, tables and figures in the structure tree.
    const tags = await pdfTags(readFileSync(file));
    assert.equal(tags.marked, true, "tagged");
    assert.match(tags.title, /^Performance and Budget Monitoring/);
    assert.equal(tags.language, "en");
    for (const role of ["H1", "H2", "Table", "TH", "Figure"])
      assert.ok(tags.roles.has(role), `a ${role} in the structure`);
    let from = 0;
    for (const title of SECTION_TITLES) {
      const at = text.indexOf(title, from);
      assert.ok(at >= 0, `section ${title} after the one before`);
      from = at + title.length;
    }
    assertEveryFigure(text, false);
  });
});
