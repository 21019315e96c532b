#!/usr/bin/env node
// Runs Node's test runner over an explicit list of test files, the same way on Node 20, 22 and 24.
// What differs between those versions is handled here, once:
// - Node 20 neither expands globs in `--test` arguments nor finds .ts files by itself (a bare
//   --test would run nothing and pass), so the files are listed: every *.test.ts under the folders
//   given (default: all of them). TypeScript is loaded by tsx on every version (Node 22.6+ can strip
//   types itself, but not the same way on each version).
// - The default reporter is TAP when the output is not a terminal on Node 20 and 22, but spec on
//   Node 23 and later; it is chosen here (TAP unless a terminal), so CI reads the same closing
//   lines (`# tests N`, `# pass N`...) whatever the version.
// Files start longest first (scripts/test-durations.json, seconds per file from a CI run; a file not
// listed there, say a new one, counts as long), so no long file starts last and runs alone at the
// end while the other slot idles. `node --test` sorts its files by path whatever order they are
// given in, so the files are run through node:test's run(), which keeps the order, in a child
// process that loads tsx. The output closes with one `# file <seconds> <path>` line per file,
// from which `node scripts/test-durations.mjs <output>` writes test-durations.json again.
// At the end it lists the reasons any tests were skipped (a missing or hidden program, no
// PostgreSQL server) and closes with one line: `tests: N passed, N failed, N skipped`.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** Seconds of tests (scripts/test-durations.json) packed into one process; see plan(). */
const BUNDLE_SECONDS = Number(process.env.BASEPLAN_TEST_BUNDLE_SECONDS ?? "60");
const BUNDLE_SUFFIX = ".bundle.test.mjs";

if (process.argv[2] === "--run-files") {
  await runFiles(process.argv.slice(3));
} else {
  main();
}

/** In the child process (tsx loaded): runs the files in the order given. */
async function runFiles(files) {
  const { run } = await import("node:test");
  const reporters = await import("node:test/reporters");
  const stream = run({
    files: files.map((file) => resolve(file)),
    concurrency: Number(process.env.BASEPLAN_TEST_CONCURRENCY ?? "2"),
  });
  // A test event's `file` is where test() or describe() was called, so a suite declared through a
  // helper (describeOnBothDatabases) names the helper. The events of one test file are reported
  // together, in order, whatever the concurrency, and the tests declared inside such a suite name
  // their own file: so a top-level test that names a file not being run counts for the test file
  // whose tests were reported last.
  const running = new Set(files.flatMap((file) => membersOf(resolve(file))));
  let reporting;
  const seconds = new Map();
  const note = (data) => {
    // The file's own entry (named by its path) is queued as the file starts, not as it reports.
    if (running.has(data.file) && data.name !== data.file) reporting = data.file;
  };
  const record = (data) => {
    note(data);
    if (data.nesting !== 0) return;
    const path = running.has(data.file) ? data.file : (reporting ?? data.file);
    if (!path) return;
    const file = relative(process.cwd(), path).replaceAll("\\", "/");
    seconds.set(file, (seconds.get(file) ?? 0) + (data.details?.duration_ms ?? 0) / 1000);
  };
  stream.on("test:start", note);
  stream.on("test:pass", record);
  stream.on("test:fail", (data) => {
    if (!data.todo) process.exitCode = 1;
    record(data);
  });
  const output = stream.compose(
    process.env.BASEPLAN_TEST_REPORTER === "spec" ? reporters.spec : reporters.tap,
  );
  output.pipe(process.stdout, { end: false });
  await new Promise((done) => output.on("end", done));
  for (const [file, value] of seconds) process.stdout.write(`# file ${value.toFixed(1)} ${file}\n`);
}

/**
 * Each test process first spends about 6 s of CPU loading the application's modules through tsx
 * and compiling PGlite's WebAssembly (Node 20 has no compile cache), which for a file of a few
 * seconds' tests is most of its cost. So the files under src/ that run under the same folder are
 * run together, several to a process: a bundle file imports them one after another, and their
 * tests report under their own files as before. A file stays in its own process when it is not
 * under src/ (the e2e journeys and the whole-application tests start servers and browsers, set
 * the environment, or time start-up), when its duration is not known yet, or when it declares a
 * root-level before/beforeEach/afterEach hook (a hook registered once other files' tests have
 * started would not run where it was meant to). See docs/decisions/0047.
 */

function runsAlone(file, seconds) {
  if (!file.replaceAll("\\", "/").startsWith("src/")) return true;
  if (!Number.isFinite(seconds)) return true;
  return /^(before|beforeEach|afterEach)\(/m.test(readFileSync(file, "utf8"));
}

/** The test files a bundle imports (or the file itself). */
function membersOf(file) {
  if (!file.endsWith(BUNDLE_SUFFIX)) return [file];
  return [...readFileSync(file, "utf8").matchAll(/^await import\("(.*)"\);$/gm)].map((match) =>
    fileURLToPath(match[1]),
  );
}

/**
 * The processes to run, longest first: each lone file, and per folder under src/ its files
 * packed into bundles of about BUNDLE_SECONDS (a file longer than that is a bundle of one).
 */
function plan(files, durationOf, directory) {
  const units = [];
  const folders = new Map();
  for (const file of files) {
    if (runsAlone(file, durationOf(file))) units.push({ files: [file], seconds: durationOf(file) });
    else folders.set(dirname(file), [...(folders.get(dirname(file)) ?? []), file]);
  }
  for (const [folder, members] of folders) {
    const bundles = [];
    for (const file of members.sort((a, b) => durationOf(b) - durationOf(a))) {
      const bundle = bundles.find((candidate) => candidate.seconds + durationOf(file) <= BUNDLE_SECONDS);
      if (bundle) {
        bundle.files.push(file);
        bundle.seconds += durationOf(file);
      } else bundles.push({ files: [file], seconds: durationOf(file), folder });
    }
    units.push(...bundles);
  }
  units.sort((a, b) => b.seconds - a.seconds);
  return units.map((unit, index) => {
    if (unit.files.length === 1) return unit.files[0];
    const name = `${String(index + 1).padStart(3, "0")}-${unit.folder.replaceAll(/[\\/]/g, "-")}${BUNDLE_SUFFIX}`;
    const path = join(directory, name);
    const imports = unit.files.map(
      (file) => `await import(${JSON.stringify(pathToFileURL(resolve(file)).href)});`,
    );
    writeFileSync(
      path,
      `// ${unit.files.length} test files run in one process by scripts/run-tests.mjs\n${imports.join("\n")}\n`,
    );
    return path;
  });
}

function main() {
  const roots = process.argv.slice(2).length ? process.argv.slice(2) : ["src", "test", "e2e"];
  const files = roots
    .flatMap((root) =>
      root.endsWith(".ts")
        ? [root]
        : readdirSync(root, { recursive: true }).map((entry) => join(root, String(entry))),
    )
    .filter((file) => file.endsWith(".test.ts") && !file.includes("node_modules"))
    .sort();

  const DURATIONS = new URL("test-durations.json", import.meta.url);
  const seconds = existsSync(DURATIONS) ? JSON.parse(readFileSync(DURATIONS, "utf8")) : {};
  const UNKNOWN = Number.POSITIVE_INFINITY;
  const durationOf = (file) => seconds[file.replaceAll("\\", "/")] ?? UNKNOWN;
  // Stable: files of equal (or unknown) duration keep their alphabetical order.
  files.sort((a, b) => durationOf(b) - durationOf(a) || (a < b ? -1 : a > b ? 1 : 0));

  if (files.length === 0) {
    console.error(`No test files found under ${roots.join(", ")}`);
    process.exit(1);
  }

  const directory = mkdtempSync(join(tmpdir(), "baseplan-test-bundles-"));
  const units = plan(files, durationOf, directory);

  const concurrency = process.env.BASEPLAN_TEST_CONCURRENCY ?? "2";
  const reporter = process.stdout.isTTY ? "spec" : "tap";
  const hidden = process.env.BASEPLAN_TEST_HIDE ? `, hiding ${process.env.BASEPLAN_TEST_HIDE}` : "";
  console.log(
    `# Node.js ${process.version} (${process.execPath}): ${files.length} test files in ${units.length} processes${hidden}`,
  );

  const child = spawn(
    process.execPath,
    ["--import", "tsx", fileURLToPath(import.meta.url), "--run-files", ...units],
    {
      stdio: ["inherit", "pipe", "inherit"],
      env: { ...process.env, BASEPLAN_TEST_CONCURRENCY: concurrency, BASEPLAN_TEST_REPORTER: reporter },
    },
  );

  // Watch the TAP lines go by for the skip reasons and the closing counts.
  const skipped = new Map();
  const counts = {};
  let partial = "";
  function read(line) {
    const skip = /^\s*ok \d+ - (.*?) # SKIP ?(.*)$/.exec(line);
    if (skip) {
      const reason = skip[2] || "(no reason given)";
      skipped.set(reason, (skipped.get(reason) ?? 0) + 1);
    }
    const count = /^# (tests|pass|fail|cancelled|skipped|todo) (\d+)$/.exec(line);
    if (count) counts[count[1]] = Number(count[2]);
  }
  child.stdout.on("data", (chunk) => {
    process.stdout.write(chunk);
    const lines = (partial + chunk.toString("utf8")).split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) read(line);
  });

  child.on("close", (code, signal) => {
    rmSync(directory, { recursive: true, force: true });
    if (partial) read(partial);
    if (skipped.size > 0) {
      console.log("\n# Skipped, with the reason (tests or suites):");
      for (const [reason, count] of [...skipped].sort((a, b) => b[1] - a[1]))
        console.log(`#   ${count} x ${reason}`);
    }
    if (reporter === "tap") {
      const failed = (counts.fail ?? 0) + (counts.cancelled ?? 0);
      console.log(`\n# Node.js ${process.version}: ${counts.tests ?? 0} tests`);
      console.log(`tests: ${counts.pass ?? 0} passed, ${failed} failed, ${counts.skipped ?? 0} skipped`);
    }
    process.exit(code ?? (signal ? 1 : 0));
  });
}
