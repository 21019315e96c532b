#!/usr/bin/env node
// Runs Node's test runner over an explicit list of test files. Node 20 neither expands globs
// in `--test` arguments nor finds .ts files by itself (a bare --test would run nothing and pass),
// so the files are listed here: every *.test.ts under the folders given (default: all of them).
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
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

if (files.length === 0) {
  console.error(`No test files found under ${roots.join(", ")}`);
  process.exit(1);
}

const concurrency = process.env.BASEPLAN_TEST_CONCURRENCY ?? "2";
const result = spawnSync(
  process.execPath,
  ["--import", "tsx", "--test", `--test-concurrency=${concurrency}`, ...files],
  { stdio: "inherit" },
);
process.exit(result.status ?? 1);
