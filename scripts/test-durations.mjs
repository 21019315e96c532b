#!/usr/bin/env node
// Writes scripts/test-durations.json, the seconds each test file took, longest first, from the
// output of a full run (`npm test > output.txt`, or CI's test-output.txt):
//     node scripts/test-durations.mjs output.txt
// scripts/run-tests.mjs closes its output with one `# file <seconds> <path>` line per file, which
// is read when present. Older output has only the top-level tests' names and durations, in the
// order of the files' paths (Node 20 and 22 run them so): each name is then found in the first
// test file, from the last one matched onwards, that spells it out; a name built at run time
// counts for the file before it.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const [input] = process.argv.slice(2);
if (!input) {
  console.error("Usage: node scripts/test-durations.mjs <output of a full test run>");
  process.exit(1);
}
const lines = readFileSync(input, "utf8").split("\n");
const seconds = new Map();
const add = (file, value) => seconds.set(file, (seconds.get(file) ?? 0) + value);

for (const line of lines) {
  const match = /^# file (\d+(?:\.\d+)?) (\S+)$/.exec(line);
  if (match) add(match[2], Number(match[1]));
}

if (seconds.size === 0) {
  const files = ["e2e", "src", "test"]
    .flatMap((root) => readdirSync(root, { recursive: true }).map((entry) => join(root, String(entry))))
    .filter((file) => file.endsWith(".test.ts") && !file.includes("node_modules"))
    .map((file) => file.replaceAll("\\", "/"))
    .sort();
  const sources = files.map((file) => readFileSync(file, "utf8"));
  let current = 0;
  for (let index = 0; index < lines.length; index++) {
    const test = /^(?:not )?ok \d+ - (.*?)(?: # .*)?$/.exec(lines[index] ?? "");
    if (!test) continue;
    const duration = /duration_ms: ([\d.]+)/.exec(lines[index + 2] ?? "");
    if (!duration) continue;
    const name = (test[1] ?? "").replace(/ \[(pglite|postgresql)\]$/, "");
    const spelled = (source) =>
      [`"${name}"`, `'${name}'`, `\`${name}\``].some((quoted) => source.includes(quoted));
    const found = sources.findIndex((source, at) => at >= current && spelled(source));
    if (found >= 0) current = found;
    add(files[current], Number(duration[1]) / 1000);
  }
}

const sorted = [...seconds].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
const json = Object.fromEntries(sorted.map(([file, value]) => [file, Math.max(1, Math.round(value))]));
writeFileSync(new URL("test-durations.json", import.meta.url), `${JSON.stringify(json, null, 2)}\n`);
console.log(
  `${sorted.length} files, ${Math.round(sorted.reduce((sum, [, value]) => sum + value, 0))} s in all`,
);
