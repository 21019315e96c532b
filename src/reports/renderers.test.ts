import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import ExcelJS from "exceljs";
import JSZip from "jszip";
import { libreOffice } from "../../test/helpers/libreoffice.ts";
import { isA4, readPdf } from "../../test/helpers/pdf.ts";
import { skipWithout, testChromium } from "../../test/helpers/programs.ts";
import { zipEntryText } from "../../test/helpers/zip.ts";
import { chartSize, timelinePieces } from "../charts/charts.ts";
import type { Block, Report } from "./model.ts";
import { renderDocx } from "./render-docx.ts";
import { renderStandaloneHtml } from "./render-html.ts";
import { renderPdf } from "./render-pdf.ts";
import { renderXlsx, withWords } from "./render-xlsx.ts";

const chromium = testChromium();
after(() => chromium.close());
const withoutLibreOffice = { skip: skipWithout("libreoffice") };

// A small report in the shape of the quarterly one: a money table with a total, a chart, a key.
const report: Report = {
  title: "Performance and budget monitoring: quarter 3",
  meta: ["Demo County Council", "Cabinet Member for Young People"],
  sections: [
    {
      id: "budget",
      title: "Budget forecast summary",
      blocks: [
        { kind: "subheading", text: "Key variances" },
        { kind: "paragraph", text: "The forecast is an overspend." },
        {
          kind: "table",
          id: "forecast",
          caption: "Forecast outturn against target budget",
          columns: [
            { heading: "Budget line", format: "text" },
            { heading: "Budget £m", format: "millions" },
            { heading: "Forecast £m", format: "millions" },
            { heading: "Rating", format: "rating" },
          ],
          rows: [
            {
              cells: [
                { text: "Placements" },
                { text: "50.100", value: 50.1 },
                { text: "61.200", value: 61.2 },
                { text: "Action", rating: "action" },
              ],
            },
            {
              cells: [
                { text: "Schools" },
                { text: "70.733", value: 70.733 },
                { text: "73.476", value: 73.476 },
                { text: "Review", rating: "review" },
              ],
            },
          ],
          totals: [
            {
              sumOfRows: true,
              cells: [
                { text: "Total" },
                { text: "120.833", value: 120.833 },
                { text: "134.676", value: 134.676 },
                { text: "" },
              ],
            },
          ],
        },
        {
          kind: "chart",
          id: "forecast-chart",
          title: "Budget against forecast",
          description: "Both lines are forecast to overspend.",
          unit: "£m",
          bars: [
            { category: "Placements", series: "Budget", value: 50.1, label: "50.100" },
            { category: "Placements", series: "Forecast", value: 61.2, label: "61.200" },
          ],
          table: {
            kind: "table",
            id: "forecast-chart-data",
            caption: "Budget against forecast: data",
            columns: [
              { heading: "Line", format: "text" },
              { heading: "Budget £m", format: "millions" },
            ],
            rows: [{ cells: [{ text: "Placements" }, { text: "50.100", value: 50.1 }] }],
          },
        },
      ],
    },
  ],
};

// The service plan's new shapes: a Base Plan timeline, a measure trend, a landscape section whose
// table has a cell of bullet lines.
const planReport: Report = {
  title: "Service plan refresh",
  meta: ["Demo County Council"],
  sections: [
    {
      id: "objectives",
      title: "Strategic objectives and Base Plan",
      blocks: [
        {
          kind: "chart",
          chart: "timeline",
          id: "base-plan-chart",
          title: "Base Plan 2024-25",
          description: "Two activities across the year; one has no months given.",
          months: ["Apr 24", "May 24", "Jun 24", "Jul 24", "Aug 24", "Sep 24"],
          rows: [
            { label: "1 Keep children safe", group: true, start: 0, end: 3, when: "Apr – Jul 2024" },
            { label: "Review the front door", start: 0, end: 3, when: "Apr – Jul 2024" },
            { label: "Recruit foster carers" },
          ],
          table: {
            kind: "table",
            id: "base-plan-data",
            caption: "Base Plan: data",
            columns: [
              { heading: "Activity", format: "text" },
              { heading: "Months", format: "text" },
            ],
            rows: [{ cells: [{ text: "Review the front door" }, { text: "Apr – Jul 2024" }] }],
          },
        },
        {
          kind: "chart",
          chart: "line",
          id: "trend-chart",
          title: "Measure trends",
          description: "Re-referrals fell from 24.1% to 19.8%.",
          periods: ["2019-20", "2020-21"],
          series: [
            {
              name: "Re-referrals within 12 months",
              points: [
                { period: "2019-20", value: 24.1, label: "24.1%" },
                { period: "2020-21", value: 19.8, label: "19.8%" },
              ],
            },
          ],
          table: {
            kind: "table",
            id: "trend-data",
            caption: "Measure trends: data",
            columns: [
              { heading: "Measure", format: "text" },
              { heading: "2019-20", format: "text" },
            ],
            rows: [{ cells: [{ text: "Re-referrals" }, { text: "24.1%" }] }],
          },
        },
      ],
    },
    {
      id: "wide",
      title: "Appendix A: approved budget",
      landscape: true,
      newPage: true,
      blocks: [
        {
          kind: "table",
          id: "wide-table",
          caption: "Actions",
          columns: [
            { heading: "Action", format: "text" },
            { heading: "Success measures", format: "text" },
          ],
          rows: [
            {
              cells: [
                { text: "Review the front door" },
                {
                  text: "• Fewer re-referrals • Quicker decisions",
                  lines: ["Fewer re-referrals", "Quicker decisions"],
                  bullets: true,
                },
              ],
            },
          ],
        },
      ],
    },
  ],
};

const work = mkdtempSync(join(tmpdir(), "baseplan-render-"));
after(() => rmSync(work, { recursive: true, force: true }));

test(
  "the Word document opens in LibreOffice and converts to PDF with its figures",
  withoutLibreOffice,
  async () => {
    const file = join(work, "report.docx");
    writeFileSync(file, await renderDocx(report));
    const { text } = await readPdf(readFileSync(libreOffice(file, "pdf", work)));
    assert.match(text, /Budget forecast summary/);
    assert.match(text, /Placements\s+50\.100\s+61\.200\s+Action/);
    assert.match(text, /Total\s+120\.833\s+134\.676/);
  },
);

test("a numbered part of a section is a heading one level down, and so are its sub-headings, in Word and HTML", async () => {
  const parts: Report = {
    title: "Monitoring report",
    meta: [],
    sections: [
      {
        id: "analysis",
        title: "2. Information and Analysis",
        blocks: [{ kind: "subheading", text: "2.1 Integrated" }],
      },
      {
        id: "summary",
        title: "2.2 Performance Summary",
        level: 2,
        blocks: [
          { kind: "subheading", text: "Key areas of success" },
          { kind: "subheading", text: "Children in care", level: 4 },
        ],
      },
    ],
  };
  const file = join(work, "parts.docx");
  writeFileSync(file, await renderDocx(parts));
  const xml = await zipEntryText(file, "word/document.xml");
  const styleOf = (text: string) =>
    [...xml.matchAll(new RegExp(`<w:pStyle w:val="(\\w+)"/>(?:(?!</w:p>).)*?${text}`, "g"))].at(-1)?.[1];
  assert.deepEqual(
    ["2. Information", "2.1 Integrated", "2.2 Performance", "Key areas of success", "Children in care"].map(
      styleOf,
    ),
    ["Heading1", "Heading2", "Heading2", "Heading3", "Heading4"],
  );
  const html = renderStandaloneHtml(parts);
  assert.deepEqual(
    [...html.matchAll(/<(h\d)[^>]*>([^<]+)</g)].map(([, tag, text]) => `${tag} ${text}`).slice(-5),
    [
      "h2 2. Information and Analysis",
      "h3 2.1 Integrated",
      "h3 2.2 Performance Summary",
      "h4 Key areas of success",
      "h5 Children in care",
    ],
  );
});

test("a committee paper's heading block comes before its title; a cover stands on its own page", async () => {
  const paper: Report = {
    header: [
      "Authors: A Clerk",
      "Northshire Council",
      "Scrutiny Committee",
      "1 May 2031",
      "Report of the Director",
    ],
    title: "Monitoring report",
    meta: [],
    sections: [{ id: "one", title: "1. Purpose", blocks: [] }],
  };
  const file = join(work, "paper.docx");
  writeFileSync(file, await renderDocx(paper));
  const xml = await zipEntryText(file, "word/document.xml");
  const order = [
    "Authors: A Clerk",
    "Northshire Council",
    "Scrutiny Committee",
    "1 May 2031",
    "Report of the Director",
    "Monitoring report",
    "Contents",
  ];
  const positions = order.map((text) => xml.indexOf(`>${text}<`));
  assert.deepEqual(
    [...positions].sort((a, b) => a - b),
    positions,
    "in this order",
  );
  assert.ok(positions.every((at) => at > 0));
  assert.match(xml, /<w:b\/>(?:(?!<\/w:p>).)*Report of the Director/, "whose report it is, in bold");
  assert.doesNotMatch(xml, /w:pageBreakBefore/, "no cover: the contents follow on the same page");
  const html = renderStandaloneHtml(paper);
  assert.ok(html.indexOf("Report of the Director") < html.indexOf("<h1"));
  assert.match(html, /<nav class="bp-report-contents"/, "the PDF has a contents");

  const plan: Report = {
    title: "Service Plan 2031-2035",
    meta: ["Northshire Council", "Adult Care"],
    cover: true,
    sections: paper.sections,
  };
  const planFile = join(work, "plan-cover.docx");
  writeFileSync(planFile, await renderDocx(plan));
  const planXml = await zipEntryText(planFile, "word/document.xml");
  assert.match(
    planXml,
    /<w:pageBreakBefore\/>(?:(?!<\/w:p>).)*>Contents</,
    "the contents start a new page after the cover",
  );
  assert.match(renderStandaloneHtml(plan), /bp-report-front--cover/);
});

test("Word headings: a section is Heading 1 and its sub-headings Heading 2; the contents links to each section", async () => {
  const file = join(work, "headings.docx");
  writeFileSync(file, await renderDocx(report));
  const xml = await zipEntryText(file, "word/document.xml");
  // The style of the paragraph that holds the text (the last: the contents may list it first).
  const styleOf = (text: string) =>
    [...xml.matchAll(new RegExp(`<w:pStyle w:val="(\\w+)"/>(?:(?!</w:p>).)*?${text}`, "g"))].at(-1)?.[1];
  assert.equal(styleOf("Budget forecast summary"), "Heading1");
  assert.equal(styleOf("Key variances"), "Heading2");
  // Every heading is kept whole (keepLines) and on the page of what follows it (keepNext).
  const headings = [
    ...xml.matchAll(/<w:p>(?:(?!<\/w:p>).)*?<w:pStyle w:val="Heading\d"\/>(?:(?!<\/w:p>).)*?<\/w:pPr>/g),
  ];
  assert.ok(headings.length >= 2, "the headings are found");
  for (const [heading] of headings) {
    assert.match(heading, /<w:keepNext\/>/, heading);
    assert.match(heading, /<w:keepLines\/>/, heading);
  }
  // The contents is written out as links, not a field Word must update (and asks to, on opening).
  assert.doesNotMatch(xml, /TOC \\|w:fldChar|w:instrText[^>]*>\s*TOC/);
  const settings = await zipEntryText(file, "word/settings.xml");
  assert.doesNotMatch(settings, /updateFields/);
  const anchors = [...xml.matchAll(/<w:hyperlink [^>]*w:anchor="([^"]+)"/g)].map((match) => match[1]);
  assert.equal(anchors.length, report.sections.length);
  for (const anchor of anchors) assert.match(xml, new RegExp(`<w:bookmarkStart [^>]*w:name="${anchor}"`));
});

// A nested list (an achievement, its examples under it) and a cell whose note leads its bullets.
const listsReport: Report = {
  title: "Service plan",
  meta: [],
  sections: [
    {
      id: "overview",
      title: "1. Overview",
      blocks: [
        {
          kind: "list",
          items: ["Kept services running", "Laptops for pupils", "Food boxes", "Fewer exclusions"],
          levels: [0, 1, 1, 0],
        },
        {
          kind: "table",
          id: "deliverables",
          caption: "Deliverables",
          columns: [
            { heading: "Deliverable", format: "text" },
            { heading: "Success measures", format: "text" },
          ],
          rows: [
            {
              cells: [
                { text: "Review the front door" },
                {
                  text: "Once inspections resume: • Fewer re-referrals • Quicker decisions",
                  lines: ["Once inspections resume:", "Fewer re-referrals", "Quicker decisions"],
                  bullets: true,
                  lead: true,
                },
              ],
            },
            {
              cells: [
                { text: "Open two hubs" },
                {
                  text: "• Hubs open • Families use them",
                  lines: ["Hubs open", "Families use them"],
                  bullets: true,
                },
              ],
            },
          ],
        },
      ],
    },
  ],
};

test("Word: one bullet glyph at every depth, a nested item set a level in, a note before its bullets not one", async () => {
  const file = join(work, "lists.docx");
  writeFileSync(file, await renderDocx(listsReport));
  const xml = await zipEntryText(file, "word/document.xml");
  const numbering = await zipEntryText(file, "word/numbering.xml");
  // Every bullet paragraph draws from one list definition, whose every level is "•".
  const numIds = new Set([...xml.matchAll(/<w:numId w:val="(\d+)"\/>/g)].map((match) => match[1]));
  assert.equal(numIds.size, 1, "one list definition for every bullet");
  const glyphs = new Set(
    [...numbering.matchAll(/<w:abstractNum [^>]*>(?:(?!<\/w:abstractNum>).)*<\/w:abstractNum>/gs)]
      .filter((abstract) => {
        const num = [
          ...numbering.matchAll(/<w:num w:numId="(\d+)"[^>]*><w:abstractNumId w:val="(\d+)"/g),
        ].find((found) => numIds.has(found[1]));
        return num && abstract[0].includes(`w:abstractNumId="${num[2]}"`);
      })
      .flatMap((abstract) =>
        [...abstract[0].matchAll(/<w:lvlText w:val="([^"]*)"\/>/g)].map((found) => found[1]),
      ),
  );
  assert.deepEqual([...glyphs], ["•"]);
  // The paragraph that holds a text: its list level, or none where it is not a bullet.
  const levelOf = (text: string) => {
    const paragraph = [...xml.matchAll(/<w:p>(?:(?!<\/w:p>).)*<\/w:p>/gs)].find((found) =>
      found[0].includes(`>${text}<`),
    )?.[0];
    assert.ok(paragraph, text);
    return paragraph.match(/<w:ilvl w:val="(\d)"\/>/)?.[1] ?? "none";
  };
  assert.deepEqual(
    ["Kept services running", "Laptops for pupils", "Food boxes", "Fewer exclusions"].map(levelOf),
    ["0", "1", "1", "0"],
  );
  assert.deepEqual(
    ["Once inspections resume:", "Fewer re-referrals", "Quicker decisions", "Hubs open"].map(levelOf),
    ["none", "0", "0", "0"],
  );
  // No bullet is written into the text itself, and no contents page waits for page numbers.
  assert.doesNotMatch(xml, /<w:t[^>]*>[•–-] /);
  assert.match(xml, /Each title links to its section\. The list gives no page numbers/);
});

test("HTML: a nested item is a list inside its item; a note before bullets is a paragraph", () => {
  const html = renderStandaloneHtml(listsReport);
  const compact = html.replace(/\s+</g, "<");
  assert.match(
    compact,
    /<li>Kept services running<ul class="govuk-list govuk-list--bullet"><li>Laptops for pupils<\/li><li>Food boxes<\/li><\/ul><\/li><li>Fewer exclusions<\/li><\/ul>/,
  );
  assert.match(
    compact,
    /<p class="govuk-body govuk-!-margin-bottom-1">Once inspections resume:<\/p><ul class="govuk-list govuk-list--bullet bp-cell-lines"><li>Fewer re-referrals<\/li><li>Quicker decisions<\/li><\/ul>/,
  );
  assert.match(html, /Each title links to its section\. The list gives no page numbers/);
});

test("Excel: a chart's sheet shows its picture under its data, and its title and description in words", async () => {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load((await renderXlsx(report)) as unknown as ArrayBuffer);
  const sheet = workbook.worksheets.find((candidate) => candidate.name.startsWith("Budget against forecast"));
  assert.ok(sheet, "the chart's data sheet");
  const pictures = sheet.getImages();
  assert.equal(pictures.length, 1, "one picture");
  // Under the table, its title above it and its description in words below it.
  const tableRows = 2 + 2; // caption, headings, two rows
  const top = pictures[0]?.range.tl.nativeRow ?? 0;
  assert.ok(top > tableRows, "under the table");
  assert.equal(sheet.getCell(top, 1).value, "Chart: Budget against forecast");
  let described = 0;
  sheet.eachRow((row, number) => {
    if (row.getCell(1).text === "Both lines are forecast to overspend.") described = number;
  });
  assert.ok(described > top + 1, "the description is below the picture");
  const media = workbook.getImage(Number(pictures[0]?.imageId));
  assert.equal(media.extension, "png");
  // A sheet of a plain table has no picture.
  const plain = workbook.worksheets.find((candidate) => candidate.name.startsWith("Forecast outturn"));
  assert.equal(plain?.getImages().length, 0);
});

test("Excel: a note before bullets is written without one, each bullet with one", async () => {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load((await renderXlsx(listsReport)) as unknown as ArrayBuffer);
  const sheet = workbook.worksheets.find((candidate) => candidate.name === "Deliverables");
  assert.ok(sheet);
  assert.equal(
    sheet.getCell("B3").value,
    "Once inspections resume:\n• Fewer re-referrals\n• Quicker decisions",
  );
  assert.equal(sheet.getCell("B4").value, "• Hubs open\n• Families use them");
});

test(
  "the Excel workbook stores numbers and formula totals whose results equal the displayed totals",
  withoutLibreOffice,
  async () => {
    const file = join(work, "report.xlsx");
    writeFileSync(file, await renderXlsx(report));
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(readFileSync(file) as unknown as ArrayBuffer);
    const sheet = workbook.worksheets.find((candidate) => candidate.name.startsWith("Forecast outturn"));
    assert.ok(sheet, "a sheet per table");
    assert.equal(sheet.getCell("B3").value, 50.1);
    assert.deepEqual(sheet.getCell("B5").value, { formula: "SUM(B3:B4)", result: 120.833 });
    assert.equal(sheet.views[0]?.state, "frozen");
    assert.equal(sheet.pageSetup.paperSize, 9);
    // LibreOffice recalculates the formulas: its totals must be the report's totals.
    libreOffice(file, "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1", work);
    const sheetCsv = readdirSync(work).find((name) => name.startsWith("report-Forecast outturn"));
    assert.ok(sheetCsv, "LibreOffice wrote the sheet");
    const csv = readFileSync(join(work, sheetCsv), "utf8");
    assert.match(csv, /Total,120\.833,134\.676/);
  },
);

test("the PDF is A4 with every section and the chart", async () => {
  const html = renderStandaloneHtml(report);
  assert.match(html, /<svg[^>]*role="img"/);
  const file = join(work, "report.pdf");
  writeFileSync(file, await renderPdf(report, chromium));
  const { pages, text } = await readPdf(readFileSync(file));
  assert.ok(
    pages.every((page) => isA4(page)),
    "every page A4 portrait",
  );
  assert.match(text, /Budget forecast summary/);
  assert.match(text, /Placements — Forecast/);
});

test("timeline and line charts are SVG images named by title and description, with their labels", () => {
  const html = renderStandaloneHtml(planReport);
  assert.match(html, /<svg[^>]*role="img"[^>]*aria-labelledby="base-plan-chart-title base-plan-chart-desc"/);
  assert.match(html, /<title id="base-plan-chart-title">Base Plan 2024-25<\/title>/);
  assert.match(html, /<desc id="base-plan-chart-desc">Two activities/);
  assert.match(html, /\(months not given\)/);
  assert.match(html, /stroke-dasharray/);
  assert.match(html, />Apr – Jul 2024</);
  assert.match(html, /<title id="trend-chart-title">Measure trends<\/title>/);
  assert.match(html, />24\.1%</);
  assert.match(html, />19\.8%</);
  // A cell of lines is a list; the wide section prints on the named landscape page.
  assert.match(html, /<ul class="govuk-list govuk-list--bullet bp-cell-lines"><li>Fewer re-referrals<\/li>/);
  assert.match(html, /bp-report-section--landscape/);
  assert.match(html, /@page landscape \{ size: A4 landscape/);
  // A table's caption is never split across pages, and stays with the table's heading row.
  assert.match(html, /\.govuk-table__caption \{ break-inside: avoid; \}/);
});

test(
  "a landscape section is its own landscape Word section; cell lines are bullets",
  withoutLibreOffice,
  async () => {
    const file = join(work, "plan.docx");
    writeFileSync(file, await renderDocx(planReport));
    const xml = await zipEntryText(file, "word/document.xml");
    assert.match(xml, /<w:pgSz w:w="16838" w:h="11906" w:orient="landscape"\/>/);
    assert.match(xml, /<w:pgSz w:w="11906" w:h="16838"( w:orient="portrait")?\/>/);
    assert.equal((xml.match(/<pic:pic\b/g) ?? []).length, 2, "both charts are pictures");
    const { pages } = await readPdf(readFileSync(libreOffice(file, "pdf", work)));
    assert.ok(pages[0] && isA4(pages[0]), "page 1 portrait");
    assert.ok(
      pages.some((page) => isA4(page, "landscape")),
      "a landscape page",
    );
  },
);

test("the PDF prints a landscape section on landscape A4", async () => {
  const file = join(work, "plan.pdf");
  writeFileSync(file, await renderPdf(planReport, chromium));
  const { pages, text } = await readPdf(readFileSync(file));
  assert.ok(pages[0] && isA4(pages[0]), "page 1 portrait");
  assert.ok(
    pages.some((page) => isA4(page, "landscape")),
    "a landscape page",
  );
  assert.match(text, /months not given/);
});

test("Excel: a cell of lines keeps each on its own line, wrapped; a landscape section's sheet is landscape", async () => {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load((await renderXlsx(planReport)) as unknown as ArrayBuffer);
  const sheet = workbook.worksheets.find((candidate) => candidate.name === "Actions");
  assert.ok(sheet);
  assert.equal(sheet.getCell("B3").value, "• Fewer re-referrals\n• Quicker decisions");
  assert.equal(sheet.getCell("B3").alignment?.wrapText, true);
  // Two lines: the row is set two lines tall, since a spreadsheet does not grow it on opening.
  assert.equal(sheet.getRow(3).height, 30);
  assert.equal(sheet.pageSetup.orientation, "landscape");
});

test("Excel: words after a figure are set in from it; a rating is filled in its colour", async () => {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load((await renderXlsx(report)) as unknown as ArrayBuffer);
  const sheet = workbook.worksheets.find((candidate) => candidate.name.startsWith("Forecast outturn"));
  assert.ok(sheet);
  // Column D (rating) follows a £m column; column B (a figure) follows words and is not set in.
  assert.equal(sheet.getCell("D3").alignment?.indent, 1);
  assert.equal(sheet.getCell("D2").alignment?.indent, 1);
  assert.equal(sheet.getCell("B3").alignment?.indent, undefined);
  assert.equal(sheet.getCell("A3").alignment?.indent, undefined);
  // The rating's cell is filled in its colour and keeps its word.
  assert.equal(sheet.getCell("D3").value, "Action");
  assert.deepEqual(sheet.getCell("D3").fill, {
    type: "pattern",
    pattern: "solid",
    fgColor: { argb: "FFF4CDC6" },
  });
  assert.doesNotMatch(JSON.stringify(sheet.getCell("C3").fill ?? {}), /solid/);
});

test("Excel keeps the words written around a figure in its number format, the number still a number", () => {
  const cell = (text: string, value?: number) =>
    withWords('"£"#,##0;-"£"#,##0', { text, ...(value === undefined ? {} : { value }) });
  assert.equal(
    cell("Approx. Lifetime costs 150,000.00", 150000),
    '"Approx. Lifetime costs ""£"#,##0;"Approx. Lifetime costs "-"£"#,##0',
  );
  assert.equal(cell("£12,345", 12345), '"£"#,##0;-"£"#,##0');
  assert.equal(cell("(1,234)", -1234), '"£"#,##0;-"£"#,##0');
  assert.equal(cell("1,200 per year", 1200), '"£"#,##0" per year";-"£"#,##0" per year"');
  // Words that carry another figure than the cell's are not turned into a format.
  assert.equal(cell("Dec 20: 909", 909), '"£"#,##0;-"£"#,##0');
  assert.equal(cell("Less than £155,000"), '"£"#,##0;-"£"#,##0');
});

test(
  "Excel: a money cell with words before its figure shows them in LibreOffice, and the column still adds up",
  withoutLibreOffice,
  async () => {
    const file = join(work, "procurement.xlsx");
    const table: Report = {
      title: "Forward plan",
      meta: [],
      sections: [
        {
          id: "plan",
          title: "Forward plan",
          blocks: [
            {
              kind: "table",
              id: "pipeline",
              caption: "Pipeline",
              columns: [
                { heading: "Contract title", format: "text" },
                { heading: "Estimated value (£)", format: "pounds" },
              ],
              rows: [
                {
                  cells: [
                    { text: "Records system" },
                    { text: "Approx. Lifetime costs 150,000.00", value: 150000 },
                  ],
                },
                { cells: [{ text: "Transport" }, { text: "20,000", value: 20000 }] },
              ],
              totals: [{ sumOfRows: true, cells: [{ text: "Total" }, { text: "170,000", value: 170000 }] }],
            },
          ],
        },
      ],
    };
    writeFileSync(file, await renderXlsx(table));
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(readFileSync(file) as unknown as ArrayBuffer);
    assert.equal(
      workbook.worksheets.find((sheet) => sheet.name.startsWith("Pipeline"))?.getCell("B3").value,
      150000,
    );
    // The ninth option saves each cell as shown, number format included.
    libreOffice(file, "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1", work);
    const csv = readFileSync(
      join(work, readdirSync(work).find((name) => name.startsWith("procurement-Pipeline")) ?? "missing"),
      "utf8",
    );
    assert.match(csv, /Records system,"?Approx\. Lifetime costs £150,000"?/);
    assert.match(csv, /Total,"?£170,000"?/);
  },
);

// A made-up plan whose Base Plan is too long for one page: five objectives of eight activities.
const longTimeline: Report = {
  title: "Anytown service plan",
  meta: ["Anytown Borough Council"],
  sections: [
    { id: "intro", title: "Introduction", blocks: [{ kind: "paragraph", text: "A short introduction." }] },
    {
      id: "base-plan",
      title: "Base Plan",
      landscape: true,
      blocks: [
        {
          kind: "chart",
          chart: "timeline",
          id: "long-plan",
          title: "Base Plan 2031-32",
          description: "Five objectives and their forty activities by month.",
          months: ["Apr 31", "May 31", "Jun 31", "Jul 31", "Aug 31", "Sep 31", "Oct 31", "Nov 31", "Dec 31"],
          rows: Array.from({ length: 5 }, (_, objective) => [
            { label: `${objective + 1} Objective ${objective + 1}`, group: true, start: 0, end: 8 },
            ...Array.from({ length: 8 }, (_, activity) => ({
              label: `Activity ${objective + 1}.${activity + 1}`,
              start: activity,
              end: activity,
              when: `Month ${activity + 1}`,
            })),
          ]).flat(),
          table: {
            kind: "table",
            id: "long-plan-data",
            caption: "Base Plan 2031-32: data",
            columns: [{ heading: "Activity", format: "text" }],
            rows: [{ cells: [{ text: "Activity 1.1" }] }],
          },
        },
      ],
    },
  ],
};

test("a timeline taller than a page prints in landscape pieces, each with its months, at a size to read", async () => {
  const whole = longTimeline.sections[1]?.blocks[0] as Extract<Block, { kind: "chart"; chart: "timeline" }>;
  const pieces = timelinePieces(whole, 560);
  assert.ok(pieces.length > 1, "cut into pieces");
  // An objective is never parted from its activities where it fits on a piece.
  for (const piece of pieces) assert.equal(piece.rows[0]?.group, true);
  assert.deepEqual(
    pieces.flatMap((piece) => piece.rows.map((row) => row.label)),
    whole.rows.map((row) => row.label),
  );
  const html = renderStandaloneHtml(longTimeline);
  assert.equal((html.match(/class="bp-chart-piece"/g) ?? []).length, pieces.length);
  assert.match(html, /<title id="long-plan-part-2-title">Base Plan 2031-32 \(continued\)<\/title>/);
  assert.equal((html.match(/>Apr 31</g) ?? []).length, pieces.length, "the months over each piece");
});

test(
  "Word prints a long timeline on landscape pages in pieces no smaller than the chart is drawn",
  withoutLibreOffice,
  async () => {
    const file = join(work, "long-timeline.docx");
    writeFileSync(file, await renderDocx(longTimeline));
    const xml = await zipEntryText(file, "word/document.xml");
    const pictures = [...xml.matchAll(/<wp:extent cx="(\d+)" cy="(\d+)"\/>/g)].map((match) => ({
      width: Number(match[1]) / 9525, // EMU per pixel at 96 dpi
      height: Number(match[2]) / 9525,
    }));
    assert.ok(pictures.length > 1, "several pictures");
    // Landscape A4's text area is 971 by 642 pixels: each piece fits it and none is shrunk.
    for (const picture of pictures) assert.ok(picture.width <= 971 && picture.height <= 642);
    const drawn = chartSize(longTimeline.sections[1]?.blocks[0] as Extract<Block, { kind: "chart" }>);
    assert.ok(Math.abs((pictures[0]?.width ?? 0) - drawn.width) <= 1, "drawn at full size");
    const { pages, text } = await readPdf(readFileSync(libreOffice(file, "pdf", work)));
    assert.ok(pages[0] && isA4(pages[0]), "page 1 portrait");
    assert.ok(
      pages.slice(1).every((page) => isA4(page, "landscape")),
      "the Base Plan's pages landscape",
    );
    assert.match(text, /Base Plan 2031-32/);
  },
);

test("Word draws a chart kept within a page's height at the density of one across the page", async () => {
  const barChart = (id: string, lines: number): Block => ({
    kind: "chart",
    id,
    title: `Budget against forecast (${lines} lines)`,
    description: "Each line's budget and forecast.",
    unit: "£m",
    bars: Array.from({ length: lines }, (_, index) => [
      {
        category: `Service line ${index + 1}`,
        series: "Budget",
        value: 10 + index,
        label: `${10 + index}.000`,
      },
      {
        category: `Service line ${index + 1}`,
        series: "Forecast",
        value: 11 + index,
        label: `${11 + index}.000`,
      },
    ]).flat(),
    table: {
      kind: "table",
      id: `${id}-data`,
      caption: "Data",
      columns: [{ heading: "Line", format: "text" }],
      rows: [{ cells: [{ text: "Service line 1" }] }],
    },
  });
  const file = join(work, "tall-chart.docx");
  writeFileSync(
    file,
    await renderDocx({
      title: "Many budget lines",
      meta: [],
      sections: [{ id: "budget", title: "Budget", blocks: [barChart("short", 3), barChart("tall", 120)] }],
    }),
  );
  const zip = await JSZip.loadAsync(readFileSync(file));
  const xml = await zipEntryText(file, "word/document.xml");
  // Each picture as shown (pixels at 96 dpi) beside the pixels its PNG is drawn with.
  const shown = [...xml.matchAll(/<wp:extent cx="(\d+)" cy="(\d+)"\/>/g)].map((match) => ({
    width: Number(match[1]) / 9525,
    height: Number(match[2]) / 9525,
  }));
  const embedded = [...xml.matchAll(/r:embed="([^"]+)"/g)].map((match) => match[1] as string);
  const rels = await zipEntryText(file, "word/_rels/document.xml.rels");
  const drawn = await Promise.all(
    embedded.map(async (id) => {
      const target = new RegExp(`Id="${id}"[^>]*Target="([^"]+)"|Target="([^"]+)"[^>]*Id="${id}"`).exec(rels);
      const png = await zip.file(`word/${target?.[1] ?? target?.[2]}`)?.async("nodebuffer");
      assert.ok(png, `the picture ${id}`);
      return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
    }),
  );
  assert.equal(shown.length, 2);
  const [short, tall] = [0, 1].map((index) => ({ shown: shown[index], drawn: drawn[index] }));
  // The short chart spans the page's width and is drawn 1,440 pixels wide; the tall one is kept
  // within a page's height, so narrower, and drawn with as many pixels to each shown pixel.
  assert.equal(short?.drawn?.width, 1440);
  assert.ok(
    (tall?.shown?.width ?? 0) < (short?.shown?.width ?? 0) / 2,
    "the tall chart is narrower on the page",
  );
  const density = (chart: { shown?: { width: number }; drawn?: { width: number } } | undefined) =>
    (chart?.drawn?.width ?? 0) / (chart?.shown?.width ?? 1);
  assert.ok(Math.abs(density(tall) - density(short)) < 0.05, `${density(tall)} against ${density(short)}`);
  assert.ok((tall?.drawn?.height ?? 0) / (tall?.shown?.height ?? 1) - density(short) < 0.05);
});
