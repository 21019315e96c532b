import assert from "node:assert/strict";
import { after, test } from "node:test";
import { readPdf } from "../../test/helpers/pdf.ts";
import { testChromium } from "../../test/helpers/programs.ts";
import type { Block, Report } from "./model.ts";
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
