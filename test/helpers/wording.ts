import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { readPdf } from "./pdf.ts";
import { zipEntryText } from "./zip.ts";

/**
 * Users read the council's words. No page, and no document in any format (HTML, Word, Excel,
 * PDF, CSV), may talk about how the demo council's documents were brought in: seeds,
 * conversion, extraction, merged cells read from the row above, how figures were keyed.
 * test/wording.test.ts proves the pattern; e2e/every-page.e2e.test.ts reads every page and every
 * file those pages link to with it, on the one crawl of the demo (decision 0028).
 */
export const IMPORT_WORDING =
  /\bseeds?\b|\bconver(sion|ted)\b|\bextract(ion|ed)\b|read from the row above|\bmerged\b|\bkey(ed|ing)\b|\bdemo (loader|data)\b|\bpage[- ]break|\b(seed )?lines? \d+\b(?! of)/i;

/** Each use of the import process's words in `text`, with the words around it, named by `where`. */
export function importWordingIn(where: string, text: string): string[] {
  const found: string[] = [];
  const pattern = new RegExp(IMPORT_WORDING.source, "gi");
  for (const match of text.matchAll(pattern)) {
    const at = match.index ?? 0;
    found.push(`${where}: "…${text.slice(Math.max(0, at - 60), at + 60).replace(/\s+/g, " ")}…"`);
  }
  return found;
}

/** What a reader sees of a page: its text and its attributes people hear (labels, titles, alt). */
export function pageText(html: string): string {
  return html
    .replace(/<script\b[\s\S]*?<\/script>|<style\b[\s\S]*?<\/style>/g, " ")
    .replace(/\s(aria-label|title|alt)="([^"]*)"/g, " >$2< ")
    .replace(/<[^>]+>/g, " ")
    .replaceAll("&quot;", '"')
    .replaceAll("&#39;", "'")
    .replaceAll("&amp;", "&");
}

/** The text of a downloaded file (Word, Excel, PDF, HTML, or plain text such as CSV), as a reader would see it. */
export async function fileText(path: string, body: Buffer): Promise<string> {
  const directory = mkdtempSync(join(tmpdir(), "baseplan-wording-"));
  try {
    const file = join(directory, `file${/\.[a-z]+(?=\?|$)/.exec(path)?.[0] ?? ""}`);
    writeFileSync(file, body);
    if (path.includes(".docx")) {
      const xml = await zipEntryText(file, "word/document.xml");
      return xml.replace(/<\/w:p>/g, "\n").replace(/<[^>]+>/g, "");
    }
    if (path.includes(".pdf")) return (await readPdf(body)).text;
    if (path.includes(".xlsx")) {
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(body as unknown as ArrayBuffer);
      const texts: string[] = [];
      for (const sheet of workbook.worksheets) {
        texts.push(sheet.name);
        sheet.eachRow((row) => {
          row.eachCell((cell) => {
            texts.push(String(cell.text ?? ""));
            if (cell.note) texts.push(JSON.stringify(cell.note));
          });
        });
      }
      return texts.join("\n");
    }
    return path.includes(".html") ? pageText(body.toString("utf8")) : body.toString("utf8");
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
