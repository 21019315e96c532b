import type { FastifyInstance } from "fastify";

/**
 * One crawl of every page a person can reach by following links from the dashboard, made once
 * and read by every check that is about every page (decision 0028): that each answers, that
 * none uses the import process's words, which of them the browser checks, and which files they
 * link to. Each page costs the app a dozen queries and a render, and the demo has about 1,600
 * of them, so no test crawls them twice.
 */

/** Files the pages link to (reports, exports): read by the wording check, not crawled. */
export const FILES = /\.(docx|xlsx|pdf|csv|json|html)(\?|$)/;
/** Assets, machine endpoints and table downloads, which are neither pages nor documents. */
const NOT_LINKS = /^\/(static|govuk|moj|assets|health)\/|^\/health$|[?&]download=/;
/**
 * A bound on the crawl, to catch a link that generates new addresses without end. The demo has
 * about 1,600 links (each of its 70 measures has its own edit, archive, combine, target and
 * benchmark pages), all of which are read: a bound under that would leave the last unread.
 */
export const MOST_LINKS = 3000;

export interface CrawledPage {
  href: string;
  status: number;
  contentType: string;
  body: string;
}

export interface Crawl {
  /** Every page reached, in the order it was first linked (breadth first from the dashboard). */
  pages: CrawledPage[];
  /** Every file a page links to, in the order first linked. */
  files: string[];
}

/** The page and file links in a page, as written (`&amp;` read as `&`). */
export function linksIn(html: string): string[] {
  return [...html.matchAll(/href="(\/[^"#]*)"/g)]
    .map((match) => (match[1] ?? "").replaceAll("&amp;", "&"))
    .filter((href) => href !== "" && !NOT_LINKS.test(href));
}

/**
 * Fetches every page reachable from `start`, each once, up to MOST_LINKS (a crawl that reaches
 * the bound has more pages than that). A page that does not answer 200 is kept, not followed.
 */
export async function crawl(app: FastifyInstance, start = "/"): Promise<Crawl> {
  const seen = new Set<string>();
  const files = new Set<string>();
  const pages: CrawledPage[] = [];
  const queue = [start];
  while (queue.length > 0 && seen.size < MOST_LINKS) {
    const href = queue.shift() ?? start;
    if (seen.has(href)) continue;
    seen.add(href);
    const response = await app.inject(href);
    const contentType = String(response.headers["content-type"] ?? "");
    pages.push({ href, status: response.statusCode, contentType, body: response.body });
    if (response.statusCode !== 200 || !contentType.startsWith("text/html")) continue;
    for (const link of linksIn(response.body)) {
      if (FILES.test(link)) files.add(link);
      else if (!seen.has(link)) queue.push(link);
    }
  }
  return { pages, files: [...files] };
}
