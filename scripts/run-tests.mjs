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
// end while the other slot idles.
// At the end it lists the reasons any tests were skipped (a missing or hidden program, no
// PostgreSQL server) and closes with one line: `tests: N passed, N failed, N skipped`.
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

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

const concurrency = process.env.BASEPLAN_TEST_CONCURRENCY ?? "2";
const reporter = process.stdout.isTTY ? "spec" : "tap";
const hidden = process.env.BASEPLAN_TEST_HIDE ? `, hiding ${process.env.BASEPLAN_TEST_HIDE}` : "";
console.log(`# Node.js ${process.version} (${process.execPath}): ${files.length} test files${hidden}`);

const child = spawn(
  process.execPath,
  [
    "--import",
    "tsx",
    "--test",
    `--test-concurrency=${concurrency}`,
    `--test-reporter=${reporter}`,
    "--test-reporter-destination=stdout",
    ...files,
  ],
  { stdio: ["inherit", "pipe", "inherit"] },
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
