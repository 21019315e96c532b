import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";

/**
 * Opens a file in LibreOffice headless, as a council's desktop would, and converts it (`to` is a
 * LibreOffice filter: "pdf", "csv:…") into `outDirectory`; returns the converted file's path.
 * Each run has its own profile, set to recalculate every formula when a spreadsheet is loaded:
 * by default LibreOffice shows the results cached in an .xlsx file, which would let a wrong
 * formula pass behind a right cached figure.
 */
export function libreOffice(file: string, to: string, outDirectory: string): string {
  const profile = mkdtempSync(join(tmpdir(), "baseplan-lo-"));
  try {
    mkdirSync(join(profile, "user"), { recursive: true });
    writeFileSync(
      join(profile, "user", "registrymodifications.xcu"),
      `<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
`,
    );
    execFileSync(
      "soffice",
      [
        `-env:UserInstallation=file://${profile}`,
        "--headless",
        "--convert-to",
        to,
        "--outdir",
        outDirectory,
        file,
      ],
      { stdio: "pipe", timeout: 180_000 },
    );
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
  return join(outDirectory, basename(file).replace(/\.[a-z]+$/, `.${to.split(":")[0]}`));
}
