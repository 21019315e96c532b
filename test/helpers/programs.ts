import { execFileSync } from "node:child_process";
import {
  type ChromiumPlaces,
  createSharedChromium,
  findChromium,
  type SharedChromium,
} from "../../src/reports/chromium.ts";

/**
 * The programs some tests use from the machine, and the setting that hides them:
 *
 *   BASEPLAN_TEST_HIDE=chromium,libreoffice,poppler,postgresql npm test
 *
 * runs the suite as on a machine with nothing but Node (.ci/run does, once). A hidden Chromium
 * means the one that comes with npm install; a hidden LibreOffice or PostgreSQL means those
 * tests report themselves skipped with the reason. Outside CI a missing program is a skip with
 * the reason; under CI=true it is a failure, so CI always runs everything it has not hidden.
 */
export type Program = "chromium" | "libreoffice" | "poppler" | "postgresql";

const PROGRAMS: readonly Program[] = ["chromium", "libreoffice", "poppler", "postgresql"];

const HIDDEN: ReadonlySet<string> = new Set(
  (process.env.BASEPLAN_TEST_HIDE ?? "")
    .split(",")
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean),
);
for (const name of HIDDEN) {
  if (!PROGRAMS.includes(name as Program)) {
    throw new Error(`BASEPLAN_TEST_HIDE names ${name}; it takes ${PROGRAMS.join(", ")}.`);
  }
}

export function isHidden(program: Program): boolean {
  return HIDDEN.has(program);
}

/** Where the tests look for Chromium: BASEPLAN_CHROMIUM and the system's, unless hidden; then npm's. */
export function testChromiumPlaces(): ChromiumPlaces {
  return isHidden("chromium") ? { configured: "npm" } : { configured: process.env.BASEPLAN_CHROMIUM };
}

/** One shared Chromium for a test file, found as above; close it in an after() hook. */
export function testChromium(): SharedChromium {
  return createSharedChromium({ places: testChromiumPlaces(), concurrency: 2, queue: 100 });
}

/**
 * false where a Chromium can be had (on Linux x64 npm install brings one); otherwise the reason
 * the browser and PDF tests skip, or under CI a failure.
 */
export function skipWithoutChromium(): string | false {
  const lookup = findChromium(testChromiumPlaces());
  if (lookup.found) return false;
  if (process.env.CI) throw new Error(`CI must run the browser and PDF tests: ${lookup.reason}`);
  return `browser and PDF tests skipped: ${lookup.reason} Install Chromium or Chrome, or set BASEPLAN_CHROMIUM.`;
}

function onPath(command: string): boolean {
  try {
    execFileSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

const NEEDS: Record<"libreoffice", { command: string; install: string; what: string }> = {
  libreoffice: {
    command: "soffice",
    install: "apt-get install libreoffice-writer-nogui libreoffice-calc-nogui",
    what: "opening the Word and Excel files in LibreOffice as a council's desktop would",
  },
};

/**
 * false where the program can be used; otherwise the reason to skip, naming what to install.
 * Under CI a program missing (rather than hidden) fails the suite instead.
 */
export function skipWithout(program: keyof typeof NEEDS): string | false {
  const need = NEEDS[program];
  if (isHidden(program)) return `${need.what}: skipped, ${program} hidden by BASEPLAN_TEST_HIDE`;
  if (onPath(need.command)) return false;
  if (process.env.CI)
    throw new Error(`CI must run the tests ${need.what}: ${need.command} is missing (${need.install}).`);
  return `${need.what}: skipped, ${need.command} is not installed (${need.install})`;
}
