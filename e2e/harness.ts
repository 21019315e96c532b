import { readFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { createRequire } from "node:module";
import { after, before, test } from "node:test";
import type { FastifyInstance } from "fastify";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { loadConfig } from "../src/config.ts";
import type { SharedChromium } from "../src/reports/chromium.ts";
import { createServices } from "../src/services.ts";
import { createApp } from "../src/web/app.ts";
import { freshDatabase, type TestDatabase } from "../test/helpers/database.ts";
import { skipWithoutChromium, testChromium } from "../test/helpers/programs.ts";

/** Where no Chromium can be had at all, every journey reports itself skipped with the reason. */
const SKIP = skipWithoutChromium();

/**
 * Browser journeys: the real application on a loopback port with its own copy of the demo
 * database, driven by Chromium found as the PDF files find it (src/reports/chromium.ts: the
 * system's, else the one npm installs). One warm browser per test file serves both the journeys
 * and the app's PDF downloads. Every page a journey visits is checked with axe-core
 * against WCAG 2.0, 2.1 and 2.2 A and AA; any violation fails the test, and a failing test
 * leaves a screenshot in test-results/.
 */

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"];

export interface Journey {
  baseUrl: string;
  app: FastifyInstance;
  database: TestDatabase;
  /** A page with JavaScript on (axe needs it); the pages themselves must not. */
  page: Page;
  /** A page with JavaScript off, to prove forms work without it. */
  pageWithoutJavaScript: Page;
}

/**
 * Starts the app and a browser once for a test file; the returned object fills in before the
 * tests. On a copy of the demo database unless `demo: false` asks for an empty one (a first start).
 */
export function setUpJourney(
  options: {
    demo?: boolean;
    /** More settings, read when the journey starts (after the test file's own `before` hooks). */
    env?: () => Record<string, string>;
    /** The port to listen on, when a test must know it first (an identity provider's redirect). */
    port?: number;
  } = {},
): Journey {
  const journey = {} as Journey;
  let chromium: SharedChromium;
  let contexts: BrowserContext[] = [];
  before(async () => {
    if (SKIP) return;
    journey.database = await freshDatabase("pglite", { demo: options.demo ?? true });
    const config = loadConfig({
      NODE_ENV: "test",
      BASEPLAN_ACTING_USER: "e2e.officer@demo-council.example",
      ...options.env?.(),
    });
    chromium = testChromium();
    journey.app = await createApp(createServices(journey.database.db, config, chromium));
    const address = await journey.app.listen({ port: options.port ?? 0, host: "127.0.0.1" });
    journey.baseUrl = address;
    const browser: Browser = await chromium.browser();
    // axe is injected as an inline script, which the page's own policy rightly forbids.
    const withJavaScript = await browser.newContext({ bypassCSP: true, baseURL: address });
    // Given to every document as it starts, axe is compiled once for the browser and not again on
    // each page: evaluating its half-megabyte source on every page cost more than running it.
    await withJavaScript.addInitScript({ content: AXE_SOURCE });
    const withoutJavaScript = await browser.newContext({ javaScriptEnabled: false, baseURL: address });
    contexts = [withJavaScript, withoutJavaScript];
    journey.page = await withJavaScript.newPage();
    journey.pageWithoutJavaScript = await withoutJavaScript.newPage();
  });
  after(async () => {
    for (const context of contexts) await context.close();
    // Closing the app closes the shared Chromium with it.
    await journey.app?.close();
    await journey.database?.close();
  });
  return journey;
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/** Runs axe on the page as it stands and fails with every violation listed. */
export async function assertAccessible(page: Page): Promise<void> {
  // A journey's pages have axe from the start (setUpJourney); any other page gets it evaluated
  // here, rather than added as a script tag: the same script, in half the time.
  const hasAxe = await page.evaluate(
    () => typeof (window as unknown as { axe?: { run?: unknown } }).axe?.run === "function",
  );
  if (!hasAxe) await page.evaluate(AXE_SOURCE);
  const violations = (await page.evaluate(async (tags) => {
    const axe = (
      window as unknown as {
        axe: { run: (context: unknown, options: unknown) => Promise<{ violations: unknown[] }> };
      }
    ).axe;
    // Only the violations are read, so axe is asked to gather only them in full.
    const results = await axe.run(document, {
      runOnly: { type: "tag", values: tags },
      resultTypes: ["violations"],
    });
    return results.violations;
  }, WCAG_TAGS)) as AxeViolation[];
  if (violations.length > 0) {
    const lines = violations.map(
      (violation) =>
        `${violation.id} (${violation.impact}): ${violation.help}\n${violation.nodes
          .slice(0, 5)
          .map((node) => `    at ${node.target.join(" ")}: ${node.failureSummary ?? ""}`)
          .join("\n")}`,
    );
    throw new Error(
      `axe found ${violations.length} accessibility violation(s) on ${page.url()}:\n${lines.join("\n")}`,
    );
  }
}

/** Opens a path, checks the status, and runs axe on it. */
export async function visit(page: Page, path: string, expectedStatus = 200): Promise<void> {
  const response = await page.goto(path);
  if (!response) throw new Error(`No response for ${path}`);
  if (response.status() !== expectedStatus) {
    throw new Error(`${path} answered ${response.status()}, expected ${expectedStatus}`);
  }
  await assertAccessible(page);
}

/** A browser test that leaves a screenshot of every open page in test-results/ when it fails. */
export function journeyTest(name: string, journey: Journey, body: () => Promise<void>): void {
  test(name, { skip: SKIP }, async () => {
    try {
      await body();
    } catch (error) {
      await mkdir("test-results", { recursive: true });
      const slug = name.replace(/[^a-z0-9]+/gi, "-").toLowerCase();
      for (const [which, page] of [
        ["js", journey.page],
        ["nojs", journey.pageWithoutJavaScript],
      ] as const) {
        await page?.screenshot({ path: `test-results/${slug}-${which}.png`, fullPage: true }).catch(() => {});
      }
      throw error;
    }
  });
}
