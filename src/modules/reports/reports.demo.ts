import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Database } from "../../db/client.ts";
import { DEMO_DIRECTORY, type DemoLoader } from "../../demo/demo-files.ts";
import { saveQuarterlyReportSettings } from "../../reports/report-settings.ts";

// Resolved when loading: load-demo.ts imports the loaders, so its constants are not ready yet.
const settingsFile = () => join(DEMO_DIRECTORY, "reports", "quarterly-2020-21-q3.json");

/** The quarterly report's settings (council, committee, officers, standard paragraphs) as data. */
export const reportsDemoLoader: DemoLoader = {
  name: "reports",
  async load(db: Database, actor: string) {
    const value: unknown = JSON.parse(await readFile(settingsFile(), "utf8"));
    await saveQuarterlyReportSettings(db, actor, value);
    await (await import("../../reports/service-plan-report.ts")).loadServicePlanReportSettings(
      db,
      actor,
      join(DEMO_DIRECTORY, "reports"),
    );
  },
};
