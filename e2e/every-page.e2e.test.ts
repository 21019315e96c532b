import assert from "node:assert/strict";
import { describe } from "node:test";
import { isNull } from "drizzle-orm";
import { measures } from "../src/db/schema/index.ts";
import { addFinancialRisk } from "../src/modules/finance/finance.service.ts";
import { setMeasurePublic } from "../src/modules/measures/measures.edit.ts";
import { publicMeasures } from "../src/modules/measures/measures.service.ts";
import { journeyTest, setUpJourney, visit } from "./harness.ts";

/**
 * Every page a person can reach by following links from the dashboard answers 200 and passes
 * axe (WCAG 2.0, 2.1 and 2.2 A and AA), not only the pages the journeys happen to visit. Each
 * link is fetched; in Chromium, two pages of each shape are checked (two measures, not all 58),
 * and each of those is measured on a phone (390 px) and a laptop (1280 px): no page may be wider
 * than the screen, so nothing but a table's own scroll box ever scrolls sideways.
 */

/** Files, table downloads and machine endpoints, which are not pages. */
const NOT_PAGES = /^\/(static|govuk|moj|assets|health)\/|\.(docx|xlsx|pdf|csv|json|html)(\?|$)|[?&]download=/;
const SCREEN_WIDTHS = [390, 1280];
/**
 * A bound on the crawl, to catch a link that generates new addresses without end. The demo has
 * about 1,500 links (each of its 70 measures has its own edit, archive, combine, target and
 * benchmark pages); fetching them all takes under a minute, the browser checks are per shape.
 */
const MOST_LINKS = 3000;
const PER_SHAPE = 2;

function linksIn(html: string): string[] {
  return [...html.matchAll(/href="(\/[^"#]*)"/g)]
    .map((match) => (match[1] ?? "").replaceAll("&amp;", "&"))
    .filter((href) => href !== "" && !NOT_PAGES.test(href));
}

/** "/measures/12/values/40/edit" and "/measures/3/values/7/edit" have one shape; so do queries with the same keys. */
function shapeOf(href: string): string {
  const url = new URL(href, "http://baseplan.test");
  const path = url.pathname
    .split("/")
    .map((segment) => (/\d/.test(segment) ? ":id" : segment))
    .join("/");
  return `${path}?${[...url.searchParams.keys()].sort().join("&")}`;
}

describe("every page", () => {
  const journey = setUpJourney();

  journeyTest("every page reachable from the dashboard answers and passes axe", journey, async () => {
    // A financial risk in a quarter open for entry, so its change and remove pages are linked.
    await addFinancialRisk(journey.database.db, "e2e.officer@demo-council.example", {
      yearCode: "2020-21",
      quarter: 4,
      entry: { service: "Every page", risk: "A risk to reach its forms", sensitivity: 100_00, likelihood: 2 },
    });
    // A measure marked public, so the public pages list one (they are linked from the Reports page).
    const db = journey.database.db;
    const [first] = await db.select().from(measures).where(isNull(measures.archivedAt)).limit(1);
    assert.ok(first, "the demo has measures");
    await setMeasurePublic(db, "e2e.officer@demo-council.example", {
      id: first.id,
      version: first.version,
      isPublic: true,
    });
    assert.equal((await publicMeasures(db)).length, 1);
    const seen = new Set<string>();
    const queue = ["/"];
    const perShape = new Map<string, number>();
    const toCheck: string[] = [];
    while (queue.length > 0 && seen.size < MOST_LINKS) {
      const href = queue.shift() ?? "/";
      if (seen.has(href)) continue;
      seen.add(href);
      const response = await journey.app.inject(href);
      assert.equal(response.statusCode, 200, `${href} answered ${response.statusCode}`);
      if (!String(response.headers["content-type"]).startsWith("text/html")) continue;
      const shape = shapeOf(href);
      const count = perShape.get(shape) ?? 0;
      perShape.set(shape, count + 1);
      if (count < PER_SHAPE) toCheck.push(href);
      for (const link of linksIn(response.body)) if (!seen.has(link)) queue.push(link);
    }
    assert.ok(seen.size < MOST_LINKS, `more than ${MOST_LINKS} links: is a link generating new addresses?`);
    // Pages of every module: the crawl reached them all.
    for (const start of [
      "/measures/",
      "/measures/groups",
      "/measures/archived",
      "/plan/deliverables/",
      "/risks",
      "/budget/",
      "/procurement/",
      "/reports/",
      "/audit",
      "/departments",
      "/periods/settings",
      "/my-updates",
      "/public",
      "/public/measures/",
      "/settings/public-pages",
    ]) {
      assert.ok(
        toCheck.some((href) => href.startsWith(start)),
        `no page under ${start} was reached`,
      );
    }
    // The entry forms of an open period, reached from its period page.
    for (const form of ["/reserves/edit", "/debt/edit"]) {
      assert.ok(
        toCheck.some((href) => href.endsWith(form)),
        `no ${form} form was reached`,
      );
    }
    // A financial risk's change and remove pages.
    for (const form of ["edit", "remove"]) {
      assert.ok(
        toCheck.some((href) => new RegExp(`^/budget/[^/]+/q\\d/risks/\\d+/${form}$`).test(href)),
        `no financial risk ${form} page was reached`,
      );
    }
    // A measure's page for linking it to one of the Department's measures.
    assert.ok(
      toCheck.some((href) => /^\/measures\/\d+\/benchmark$/.test(href)),
      "no page under /measures/:id/benchmark was reached",
    );
    assert.ok(
      toCheck.some((href) => /^\/periods\/[^/]+\/[^/]+\/round$/.test(href)),
      "no period's update round page was reached",
    );
    // One load per page: axe runs at the widest screen, and the page is measured at each width
    // by resizing the window, which lays it out again as loading it at that width would.
    const tooWide: string[] = [];
    const [widest = 1280] = [...SCREEN_WIDTHS].sort((a, b) => b - a);
    for (const href of toCheck) {
      await journey.page.setViewportSize({ width: widest, height: 900 });
      await visit(journey.page, href);
      for (const width of SCREEN_WIDTHS) {
        await journey.page.setViewportSize({ width, height: 900 });
        const pageWidth = await journey.page.evaluate(() => document.documentElement.scrollWidth);
        if (pageWidth > width) tooWide.push(`${href} is ${pageWidth} px wide on a ${width} px screen`);
      }
    }
    assert.deepEqual(tooWide, [], "every page fits the screen");
    console.log(
      `${seen.size} links answered; ${toCheck.length} pages of ${perShape.size} shapes passed axe and fit ${SCREEN_WIDTHS.join(" and ")} px`,
    );
  });
});
