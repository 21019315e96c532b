import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { promisify } from "node:util";
import { parseReportCommand, UsageError } from "./reports.cli.ts";

const run = promisify(execFile);
const root = new URL("../../../", import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), "baseplan-cli-"));
// Its own embedded database in the temporary folder, whatever the environment points at.
const { DATABASE_URL: _unused, ...environment } = process.env;
const env = { ...environment, BASEPLAN_DATA_DIR: join(work, "data") };
after(() => rmSync(work, { recursive: true, force: true }));

/** `baseplan report quarterly` for quarter 3 2020/21, run through the bin file from `cwd`. */
function quarterlyReport(format: string, out: string, cwd: string) {
  const args = [
    "report",
    "quarterly",
    "--year",
    "2020/21",
    "--quarter",
    "3",
    "--format",
    format,
    "--out",
    out,
  ];
  return run(process.execPath, [join(root, "bin/baseplan.js"), ...args], { cwd, env, timeout: 170_000 });
}

test("the report command reads 2020/21 and 2020-21, and takes the format from --out", () => {
  const command = parseReportCommand([
    "quarterly",
    "--year",
    "2020/21",
    "--quarter",
    "3",
    "--out",
    "q3.xlsx",
  ]);
  assert.deepEqual(command, {
    kind: "quarterly",
    year: "2020/21",
    quarter: 3,
    format: "xlsx",
    out: "q3.xlsx",
  });
  const dashed = parseReportCommand(["quarterly", "--year", "2020-21", "--quarter", "3", "--format", "pdf"]);
  assert.equal(dashed.out, "quarterly-report-2020-21-q3.pdf");
  assert.throws(() => parseReportCommand(["quarterly", "--year", "2020/21", "--quarter", "5"]), UsageError);
  assert.throws(() => parseReportCommand(["quarterly", "--year", "20/21", "--quarter", "3"]), UsageError);
  assert.throws(
    () => parseReportCommand(["quarterly", "--year", "2020/21", "--quarter", "3", "--format", "odt"]),
    UsageError,
  );
  assert.throws(() => parseReportCommand(["annual"]), UsageError);
  assert.deepEqual(
    parseReportCommand(["service-plan", "--plan", "service-plan-2021-2025", "--format", "docx"]),
    {
      kind: "service-plan",
      plan: "service-plan-2021-2025",
      format: "docx",
      out: "service-plan-2021-2025.docx",
    },
  );
  assert.throws(() => parseReportCommand(["service-plan"]), UsageError);
});

test("npx baseplan report quarterly writes the Word file to the path given", {
  timeout: 180_000,
}, async () => {
  const out = join(work, "q3.docx");
  const { stdout } = await quarterlyReport("docx", out, root);
  assert.match(stdout, /Wrote .*q3\.docx/);
  const file = readFileSync(out);
  assert.equal(file.subarray(0, 4).toString("latin1"), "PK\u0003\u0004");
  assert.ok(file.includes(Buffer.from("word/document.xml")), "a Word document");
});

test("the command runs from outside the project, finding tsx beside the bin file", {
  timeout: 180_000,
}, async () => {
  // The working directory is a temporary folder with no node_modules: `--import tsx` would fail
  // there with ERR_MODULE_NOT_FOUND. A relative --out is written in that folder.
  const { stdout } = await quarterlyReport("html", "q3-from-tmp.html", work);
  assert.match(stdout, /Wrote .*q3-from-tmp\.html/);
  assert.match(readFileSync(join(work, "q3-from-tmp.html"), "utf8"), /<html/i);
});

test("a mistaken report command says what is wrong and exits 2", async () => {
  await assert.rejects(
    run(process.execPath, [join(root, "bin/baseplan.js"), "report", "quarterly", "--year", "2020/21"], {
      cwd: root,
      env,
    }),
    (error: { code?: number; stderr?: string }) => {
      assert.equal(error.code, 2);
      assert.match(error.stderr ?? "", /Give the quarter/);
      return true;
    },
  );
});
