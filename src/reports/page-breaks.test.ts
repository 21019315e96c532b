/** Where printed documents break pages: headings kept with their text, charts cut where they may be. */
import assert from "node:assert/strict";
import { after, test } from "node:test";
import JSZip from "jszip";
import { readPdf } from "../../test/helpers/pdf.ts";
import { testChromium } from "../../test/helpers/programs.ts";
import type { Block, ChartBlock, Report } from "./model.ts";
import { renderDocx } from "./render-docx.ts";
import { renderPdf } from "./render-pdf.ts";

const chromium = testChromium();
after(() => chromium.close());

/**
 * A section of made-up variances: before each, between one and seven paragraphs of differing
 * length, so that over forty of them some heading falls at the foot of a page wherever the page
 * breaks fall; each heading long enough to take two lines, every third four, and a paragraph under it.
 */
function variances(count: number): Block[] {
  const blocks: Block[] = [];
  for (let index = 1; index <= count; index += 1) {
    for (let filler = 0; filler <= (index * 3) % 7; filler += 1) {
      blocks.push({
        kind: "paragraph",
        text: `Filler ${index}.${filler}. ${"The position on this line moved during the quarter. ".repeat(1 + ((index + filler) % 4))}`,
      });
    }
    blocks.push({
      kind: "subheading",
      text: `Opening${index} 3.${index} Residential placements for older young people leaving the care of the council${
        index % 3 === 0
          ? ", with the placements made in neighbouring authorities, the independent sector and the council's own homes, and those pending a move into supported lodgings or to foster carers"
          : ""
      }, overspend £1.${index}m Closing${index}`,
    });
    blocks.push({ kind: "paragraph", text: `Underneath${index} the explanation of variance ${index}.` });
  }
  return blocks;
}

test("a PDF keeps every heading whole and on the page of what follows it", async () => {
  const count = 40;
  const report: Report = {
    title: "Made-up monitoring report",
    meta: ["Made-up Borough Council"],
    sections: [{ id: "variances", title: "3.4 Variances", blocks: variances(count) }],
  };
  const { pages } = await readPdf(await renderPdf(report, chromium));
  assert.ok(pages.length > 5, `a report of ${pages.length} pages`);
  const pageOf = (word: string) => pages.findIndex((page) => new RegExp(`\\b${word}\\b`).test(page.text));
  let atFoot = 0;
  for (let index = 1; index <= count; index += 1) {
    const opening = pageOf(`Opening${index}`);
    assert.ok(opening >= 0, `heading ${index} is printed`);
    assert.equal(pageOf(`Closing${index}`), opening, `heading ${index} is on one page`);
    assert.equal(pageOf(`Underneath${index}`), opening, `heading ${index} is on the page of its text`);
    // The heading moved to the next page when it would have ended one: the case this is about.
    const before = pages[opening - 1]?.text ?? "";
    if (new RegExp(`Filler ${index}\\.`).test(before)) atFoot += 1;
  }
  assert.ok(atFoot > 0, "some heading came at a page's foot (else the test proves nothing)");
});

/** A grid of made-up trends, three panels a row: far taller than a landscape page. */
function trends(count: number): ChartBlock {
  const periods = ["2041/42", "2042/43", "2043/44"];
  const series = Array.from({ length: count }, (_, index) => ({
    name: `Panel${index + 1} made-up measure`,
    points: periods.map((period, at) => ({
      period,
      value: 10 + index + at,
      label: at === 2 ? `${index + 1}0${index + 1}.5` : String(10 + index + at),
    })),
  }));
  return {
    kind: "chart",
    chart: "line",
    id: "trends",
    title: "Made-up trends",
    description: "How each made-up measure moved.",
    periods,
    series,
    table: {
      kind: "table",
      id: "trends-data",
      caption: "Made-up trends: data",
      columns: [
        { heading: "Measure", format: "text" },
        ...periods.map((_, at) => ({ heading: `Year ${at + 1}`, format: "text" as const })),
      ],
      // The data under the chart names each row by number only: the names are looked for in the panels.
      rows: series.map((one, index) => ({
        cells: [{ text: `Row ${index + 1}` }, ...one.points.map((point) => ({ text: String(point.value) }))],
      })),
    },
  };
}

test("a PDF breaks a grid of trend panels between rows, never through a panel", async () => {
  const count = 18;
  const report: Report = {
    title: "Made-up service plan",
    meta: [],
    sections: [
      {
        id: "trends",
        title: "Trends",
        landscape: true,
        blocks: [{ kind: "paragraph", text: "The measures over three years." }, trends(count)],
      },
    ],
  };
  const { pages } = await readPdf(await renderPdf(report, chromium));
  const pagesWith = (text: string) =>
    pages.flatMap((page, index) => (page.text.includes(text) ? [index + 1] : []));
  const printedOn = new Set<number>();
  for (let index = 1; index <= count; index += 1) {
    const title = pagesWith(`Panel${index} made-up`);
    // The panel's title and its last point's label on one page, and on that page only.
    assert.equal(title.length, 1, `panel ${index}'s title is on pages ${title.join(", ")}`);
    assert.deepEqual(pagesWith(`${index}0${index}.5`), title, `panel ${index} is whole on page ${title[0]}`);
    printedOn.add(title[0] ?? 0);
  }
  // Every panel's years along its foot are on its title's page: as many as there are titles.
  for (const [index, page] of pages.entries()) {
    const titles = (page.text.match(/Panel\d+ made-up/g) ?? []).length;
    const feet = (page.text.match(/2041\/42/g) ?? []).length;
    assert.equal(feet, titles, `page ${index + 1}: ${titles} panels, the feet of ${feet}`);
  }
  assert.ok(printedOn.size > 1, "the grid runs over more than one page (else the test proves nothing)");
});

test("Word cuts a grid of trend panels too tall for a page into pictures of whole rows, as wide as the page", async () => {
  const report: Report = {
    title: "Made-up service plan",
    meta: [],
    sections: [{ id: "trends", title: "Trends", landscape: true, blocks: [trends(18)] }],
  };
  const xml = await (await JSZip.loadAsync(await renderDocx(report)))
    .file("word/document.xml")
    ?.async("string");
  assert.ok(xml, "the Word file has its document");
  // Six rows of three panels: more than one picture, each no taller than a landscape page's text.
  const pictures = [...xml.matchAll(/<wp:extent cx="(\d+)" cy="(\d+)"\/>/g)].map((match) => ({
    width: Number(match[1]),
    height: Number(match[2]),
  }));
  assert.ok(pictures.length > 1, `${pictures.length} picture(s)`);
  const landscapeTextHeight = (11906 - 2 * 1134) * 635; // twips to EMU; A4 short side less margins
  for (const picture of pictures) assert.ok(picture.height < landscapeTextHeight, JSON.stringify(picture));
  // Names stay distinct: a piece after the first says the chart continues.
  assert.match(xml, /Made-up trends \(continued\)/);
});
