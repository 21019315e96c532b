#!/usr/bin/env node
// The command-line entry point: runs the TypeScript CLI through tsx. `--import tsx` would make
// Node look for tsx from the current directory, so run anywhere but the project it fails with
// ERR_MODULE_NOT_FOUND; tsx is resolved from this file instead and passed as a file URL.
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const tsxLoader = import.meta.resolve("tsx");
const result = spawnSync(
  process.execPath,
  ["--import", tsxLoader, join(root, "src/cli.ts"), ...process.argv.slice(2)],
  {
    stdio: "inherit",
  },
);
process.exit(result.status ?? 1);
