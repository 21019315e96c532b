import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import type { Database } from "../../db/client.ts";
import { DEMO_DIRECTORY, type DemoLoader } from "../../demo/demo-files.ts";
import {
  MONITORING_FREQUENCIES,
  type MonitoringFrequency,
  parseMonitoringPeriod,
} from "../../domain/periods.ts";
import { NOTHING_CARRIED } from "../finance/finance.years.ts";
import { closePeriod, findPeriod, openPeriod, openYear, publishPeriod } from "./periods.service.ts";

const periodsFile = z.object({
  years: z.array(
    z.object({
      year: z.string(),
      frequency: z.enum(MONITORING_FREQUENCIES as [MonitoringFrequency, ...MonitoringFrequency[]]),
      periods: z.record(z.string(), z.enum(["open", "closed", "published"])),
    }),
  ),
});

/**
 * The demo council's monitoring periods (data/demo/periods/periods.json): each year opened, its
 * periods opened, and those the council has published published, with whatever the documents
 * did not record listed as confirmed missing, as an officer publishing them would have to.
 */
export const periodsDemoLoader: DemoLoader = {
  name: "periods",
  async load(db: Database, actor: string) {
    const file = periodsFile.parse(
      JSON.parse(await readFile(join(DEMO_DIRECTORY, "periods", "periods.json"), "utf8")),
    );
    for (const year of file.years) {
      const first = parseMonitoringPeriod(year.year, "q1");
      if (first === null) throw new Error(`periods.json: ${year.year} is not a financial year`);
      await openYear(db, actor, {
        startYear: first.startYear,
        frequency: year.frequency,
        carryForward: NOTHING_CARRIED,
      });
      for (const [slug, status] of Object.entries(year.periods)) {
        const period = parseMonitoringPeriod(year.year, slug);
        if (period === null) throw new Error(`periods.json: ${slug} is not a period of ${year.year}`);
        await openPeriod(db, actor, period);
        if (status === "open") continue;
        const state = await findPeriod(db, period);
        if (!state) throw new Error(`periods.json: ${slug} of ${year.year} was not opened`);
        const change = { period, version: state.version, confirmMissing: true };
        if (status === "closed") await closePeriod(db, actor, change);
        else await publishPeriod(db, actor, change);
      }
    }
  },
};
