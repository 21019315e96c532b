import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { isNull } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { loadConfig } from "../src/config.ts";
import { measures } from "../src/db/schema/index.ts";
import { addFinancialRisk } from "../src/modules/finance/finance.service.ts";
import { setMeasurePublic } from "../src/modules/measures/measures.edit.ts";
import { publicMeasures } from "../src/modules/measures/measures.service.ts";
import { createServices } from "../src/services.ts";
import { createApp } from "../src/web/app.ts";
import { type CrawledPage, crawl, MOST_LINKS } from "../test/helpers/crawl.ts";
import { freshDatabase, type TestDatabase } from "../test/helpers/database.ts";
import { fileText, importWordingIn, pageText } from "../test/helpers/wording.ts";
import { assertAccessible, journeyTest, setUpJourney } from "./harness.ts";

/**
 * Every page a person can reach by following links from the dashboard, not only the pages the
 * journeys happen to visit, crawled once (decision 0028) and each page of the crawl checked:
 * - every link answers 200;
 * - no page, and no file the pages link to (Word, Excel, PDF, CSV), uses the import process's
 *   words (test/helpers/wording.ts);
 * - in Chromium, two pages of each shape (two measures, not all 70) pass axe (WCAG 2.0, 2.1 and
 *   2.2 A and AA), and each of those is measured on a phone (390 px) and a laptop (1280 px): no
 *   page may be wider than the screen, so nothing but a table's own scroll box ever scrolls
 *   sideways.
 * Where no Chromium can be had at all, the browser check reports itself skipped and the others
 * still run, on an app of their own.
 */

const SCREEN_WIDTHS = [390, 1280];
const PER_SHAPE = 2;
const ACTOR = "e2e.officer@demo-council.example";

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
  let app: FastifyInstance;
  let own: TestDatabase | undefined;
  let pages: CrawledPage[] = [];
  let files: string[] = [];
  /** The pages the browser checks: the first PER_SHAPE pages of each shape the crawl reached. */
  const toCheck: string[] = [];
  const perShape = new Map<string, number>();

  before(async () => {
    if (journey.app) app = journey.app;
    else {
      own = await freshDatabase("pglite", { demo: true });
      app = await createApp(
        createServices(own.db, loadConfig({ NODE_ENV: "test", BASEPLAN_ACTING_USER: ACTOR })),
      );
    }
    const db = (own ?? journey.database).db;
    // A financial risk in a quarter open for entry, so its change and remove pages are linked.
    await addFinancialRisk(db, ACTOR, {
      yearCode: "2020-21",
      quarter: 4,
      entry: { service: "Every page", risk: "A risk to reach its forms", sensitivity: 100_00, likelihood: 2 },
    });
    // A measure marked public, so the public pages list one (they are linked from the Reports page).
    const [first] = await db.select().from(measures).where(isNull(measures.archivedAt)).limit(1);
    assert.ok(first, "the demo has measures");
    await setMeasurePublic(db, ACTOR, { id: first.id, version: first.version, isPublic: true });
    assert.equal((await publicMeasures(db)).length, 1);

    ({ pages, files } = await crawl(app));
    for (const page of pages) {
      if (page.status !== 200 || !page.contentType.startsWith("text/html")) continue;
      const shape = shapeOf(page.href);
      const count = perShape.get(shape) ?? 0;
      perShape.set(shape, count + 1);
      if (count < PER_SHAPE) toCheck.push(page.href);
    }
  });

  after(async () => {
    if (!own) return;
    await app.close();
    await own.close();
  });

  test("every page reachable from the dashboard answers", () => {
    assert.ok(
      pages.length < MOST_LINKS,
      `more than ${MOST_LINKS} links: is a link generating new addresses?`,
    );
    assert.deepEqual(
      pages.filter((page) => page.status !== 200).map((page) => `${page.href} answered ${page.status}`),
      [],
    );
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
  });

  test("no page talks about the import process", () => {
    const found = pages
      .filter((page) => page.status === 200)
      .flatMap((page) => importWordingIn(page.href, pageText(page.body)));
    assert.deepEqual(found, []);
  });

  test("no file the pages link to talks about the import process", async () => {
    // Without a Chromium the app has none to print PDFs with; the other formats are still read.
    const documents = journey.app ? files : files.filter((file) => !file.includes(".pdf"));
    const found: string[] = [];
    for (const file of documents) {
      const response = await app.inject(file);
      assert.equal(response.statusCode, 200, `${file} answered ${response.statusCode}`);
      found.push(...importWordingIn(file, await fileText(file, response.rawPayload)));
    }
    assert.deepEqual(found, []);
    assert.ok(
      ["docx", "xlsx", ...(journey.app ? ["pdf"] : []), "csv"].every((format) =>
        documents.some((file) => file.includes(`.${format}`)),
      ),
      `every document format was reached: ${documents.join(", ")}`,
    );
  });

  journeyTest("two pages of each shape pass axe and fit the screen", journey, async () => {
    // One load and one resize per page: each page is measured at the width it loaded at, then at
    // the other, which lays it out again as loading it at that width would; axe runs at the
    // widest. The next page loads at the width the last was left at, so pages alternate between
    // loading narrow and loading wide. Every page is checked whatever another page's failure.
    const [narrowest = 390, widest = 1280] = [...SCREEN_WIDTHS].sort((a, b) => a - b);
    const failures: string[] = [];
    await journey.page.setViewportSize({ width: widest, height: 900 });
    let width = widest;
    for (const href of toCheck) {
      try {
        const response = await journey.page.goto(href);
        if (response?.status() !== 200) throw new Error(`answered ${response?.status()} in the browser`);
        const widths = width === widest ? [widest, narrowest] : [narrowest, widest];
        for (const [index, screen] of widths.entries()) {
          if (index > 0) {
            await journey.page.setViewportSize({ width: screen, height: 900 });
            width = screen;
          }
          if (screen === widest) await assertAccessible(journey.page);
          const pageWidth = await journey.page.evaluate(() => document.documentElement.scrollWidth);
          if (pageWidth > screen) failures.push(`${href} is ${pageWidth} px wide on a ${screen} px screen`);
        }
      } catch (error) {
        failures.push(`${href}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    assert.deepEqual(failures, [], "every page passes axe and fits the screen");
    console.log(
      `${pages.length} links answered; ${toCheck.length} pages of ${perShape.size} shapes passed axe and fit ${SCREEN_WIDTHS.join(" and ")} px`,
    );
  });
});
