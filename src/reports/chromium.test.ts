import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, test } from "node:test";
import { isHidden, testChromium, testChromiumPlaces } from "../../test/helpers/programs.ts";
import {
  ChromiumBusy,
  ChromiumUnavailable,
  chromiumExecutable,
  createSharedChromium,
  findChromium,
} from "./chromium.ts";

const work = mkdtempSync(join(tmpdir(), "baseplan-chromium-"));
after(() => rmSync(work, { recursive: true, force: true }));
const first = join(work, "first-chrome");
const second = join(work, "second-chrome");
writeFileSync(first, "");
writeFileSync(second, "");
const missing = join(work, "no-such-chrome");

test("BASEPLAN_CHROMIUM comes first; a path that does not exist is named, not passed over", () => {
  assert.deepEqual(findChromium({ configured: second, system: [first] }), {
    found: true,
    source: "BASEPLAN_CHROMIUM",
    path: second,
  });
  const lookup = findChromium({ configured: missing, system: [first] });
  assert.equal(lookup.found, false);
  assert.match(
    lookup.found ? "" : lookup.reason,
    /BASEPLAN_CHROMIUM is set to .*no-such-chrome, which does not exist/,
  );
});

test("then the first system Chromium that exists, then the npm package's", () => {
  assert.deepEqual(findChromium({ system: [missing, second, first] }), {
    found: true,
    source: "system",
    path: second,
  });
  const packaged = findChromium({ system: [missing] });
  if (process.platform === "linux" && process.arch === "x64") {
    assert.equal(packaged.found && packaged.source, "npm");
    assert.match(packaged.found ? packaged.path : "", /@sparticuz\/chromium\/bin\/chromium\.br$/);
  } else {
    assert.equal(packaged.found, false);
  }
  // "npm" skips the system's even where there is one.
  const npmOnly = findChromium({ configured: "npm", system: [first] });
  assert.notEqual(npmOnly.found && npmOnly.source, "system");
});

test("with none anywhere, the lookup says so and a job fails naming what to install", async () => {
  const places = { system: [missing], npm: false };
  assert.deepEqual(findChromium(places), { found: false, reason: "No Chromium was found on this server." });
  const chromium = createSharedChromium({ places, concurrency: 1, queue: 1 });
  await assert.rejects(
    chromium.withPage(async () => "printed"),
    (error: unknown) =>
      error instanceof ChromiumUnavailable &&
      /No Chromium was found/.test(error.message) &&
      /apt-get install chromium/.test(error.message) &&
      /BASEPLAN_CHROMIUM/.test(error.message),
  );
  await chromium.close();
});

test("one warm browser for every job, at most `concurrency` pages at once, `queue` waiting, the rest busy", async () => {
  const chromium = createSharedChromium({ places: testChromiumPlaces(), concurrency: 2, queue: 1 });
  try {
    const browser = await chromium.browser();
    let open = 0;
    let most = 0;
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const job = () =>
      chromium.withPage(async (page) => {
        open += 1;
        most = Math.max(most, open);
        assert.equal(page.context().browser(), browser, "the same browser");
        await gate;
        open -= 1;
        return 1;
      });
    const jobs = [job(), job(), job(), job(), job()].map((promise) =>
      promise.then(
        () => "printed",
        (error: unknown) => error,
      ),
    );
    // Both pages open (however slow the machine), then the jobs finish.
    while (open < 2) await new Promise((resolve) => setTimeout(resolve, 20));
    await new Promise((resolve) => setTimeout(resolve, 100));
    release();
    const outcomes = await Promise.all(jobs);
    assert.equal(
      outcomes.filter((outcome) => outcome === "printed").length,
      3,
      "two at once and one waiting",
    );
    const busy = outcomes.filter((outcome) => outcome instanceof ChromiumBusy) as ChromiumBusy[];
    assert.equal(busy.length, 2, "the rest are refused");
    assert.ok(busy.every((error) => (error.retryAfterSeconds ?? 0) >= 1));
    assert.equal(most, 2);
    assert.equal(browser.contexts().length, 0, "every page closed after its job");
    assert.equal(await chromium.browser(), browser, "still the same warm browser");
  } finally {
    await chromium.close();
  }
});

test("a browser that dies is replaced on the next job", async () => {
  const chromium = createSharedChromium({ places: testChromiumPlaces(), concurrency: 1, queue: 0 });
  try {
    const dead = await chromium.browser();
    await dead.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(await chromium.withPage(async (page) => page.context().browser() !== dead), true);
  } finally {
    await chromium.close();
  }
});

test("with the system's Chromium hidden, the tests print with the one npm install brings", {
  skip: isHidden("chromium") ? false : "runs where BASEPLAN_TEST_HIDE hides chromium (.ci/run does once)",
}, async () => {
  const chromium = testChromium();
  try {
    const lookup = chromium.lookup();
    assert.equal(lookup.found && lookup.source, "npm");
    // bin/chromium.br in the package folder, beside its package.json.
    const folder = dirname(dirname(lookup.found ? lookup.path : ""));
    const { version } = JSON.parse(readFileSync(join(folder, "package.json"), "utf8")) as { version: string };
    assert.equal((await chromium.browser()).version().split(".")[0], version.split(".")[0]);
  } finally {
    await chromium.close();
  }
});

test("a Chromium that crashes as it starts is started once more before it is given up", async () => {
  const real = await chromiumExecutable(testChromiumPlaces());
  const crashed = join(work, "crashed-once");
  const flaky = join(work, "crashes-once");
  writeFileSync(
    flaky,
    `#!/bin/sh\nif [ ! -e '${crashed}' ]; then : > '${crashed}'; exit 1; fi\nexec '${real}' "$@"\n`,
    { mode: 0o755 },
  );
  const chromium = createSharedChromium({ places: { configured: flaky }, concurrency: 1, queue: 0 });
  try {
    assert.equal(await chromium.withPage(async () => "printed"), "printed");
    assert.ok(existsSync(crashed), "the first start crashed");
  } finally {
    await chromium.close();
  }
});

test("a Chromium that will not start is reported as unavailable, with why", async () => {
  const chromium = createSharedChromium({ places: { configured: first }, concurrency: 1, queue: 0 });
  try {
    await assert.rejects(
      chromium.withPage(async () => "printed"),
      (error: unknown) =>
        error instanceof ChromiumUnavailable && /first-chrome did not start/.test(error.message),
    );
  } finally {
    await chromium.close();
  }
});
