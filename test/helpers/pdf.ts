import { getDocumentProxy } from "unpdf";

/**
 * Reads a PDF as a person sees it, with pdf.js (the unpdf package) instead of poppler, so the
 * PDF tests need nothing installed: each page's size in points and its text, line by line as
 * printed (words on one baseline joined, a space where the page leaves a gap), pages separated
 * by form feeds as `pdftotext -layout` does.
 */
export interface PdfPage {
  width: number;
  height: number;
  text: string;
}

export interface PdfContents {
  pages: PdfPage[];
  text: string;
}

interface Placed {
  text: string;
  x: number;
  y: number;
  width: number;
}

/** Lines from the text items: same baseline (within 2 points) left to right, top to bottom. */
function lines(items: Placed[]): string {
  const rows: { y: number; items: Placed[] }[] = [];
  for (const item of items) {
    if (item.text === "") continue;
    const row = rows.find((candidate) => Math.abs(candidate.y - item.y) <= 2);
    if (row) row.items.push(item);
    else rows.push({ y: item.y, items: [item] });
  }
  rows.sort((a, b) => b.y - a.y);
  return rows
    .map((row) => {
      const sorted = row.items.sort((a, b) => a.x - b.x);
      let line = "";
      let end = Number.NEGATIVE_INFINITY;
      for (const item of sorted) {
        if (line !== "" && item.x - end > 1 && !line.endsWith(" ") && !item.text.startsWith(" ")) line += " ";
        line += item.text;
        end = item.x + item.width;
      }
      return line;
    })
    .join("\n");
}

export async function readPdf(file: Uint8Array): Promise<PdfContents> {
  const document = await getDocumentProxy(new Uint8Array(file));
  try {
    const pages: PdfPage[] = [];
    for (let number = 1; number <= document.numPages; number += 1) {
      const page = await document.getPage(number);
      const viewport = page.getViewport({ scale: 1 });
      const content = await page.getTextContent();
      const placed = content.items.flatMap((item) =>
        "str" in item
          ? [
              {
                text: item.str,
                x: item.transform[4] as number,
                y: item.transform[5] as number,
                width: item.width,
              },
            ]
          : [],
      );
      pages.push({ width: viewport.width, height: viewport.height, text: lines(placed) });
    }
    return { pages, text: pages.map((page) => page.text).join("\n\f") };
  } finally {
    await document.destroy();
  }
}

/** A4 portrait (about 595 x 842 points) or landscape. */
export function isA4(page: PdfPage, orientation: "portrait" | "landscape" = "portrait"): boolean {
  const [short, long] = orientation === "portrait" ? [page.width, page.height] : [page.height, page.width];
  return Math.abs(short - 595.3) < 1.5 && Math.abs(long - 841.9) < 1.5;
}
