import type { SharedChromium } from "./chromium.ts";
import type { Report } from "./model.ts";
import { renderStandaloneHtml } from "./render-html.ts";

/**
 * PDF is Chromium printing the report's own HTML with the print stylesheet: A4, page numbers,
 * table rows kept whole, the same SVG charts as the page.
 */
export async function renderPdf(report: Report, chromium: SharedChromium): Promise<Buffer> {
  return chromium.withPage(async (page) => {
    await page.setContent(renderStandaloneHtml(report), { waitUntil: "load" });
    await page.emulateMedia({ media: "print" });
    return await page.pdf({
      format: "A4",
      // The stylesheet's named landscape page (wide sections) turns those pages sideways.
      preferCSSPageSize: true,
      printBackground: true,
      displayHeaderFooter: true,
      headerTemplate: "<span></span>",
      footerTemplate:
        '<div style="font-size:9px;width:100%;text-align:center;">Page <span class="pageNumber"></span> of <span class="totalPages"></span></div>',
      margin: { top: "18mm", bottom: "18mm", left: "15mm", right: "15mm" },
    });
  });
}
