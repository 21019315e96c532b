import type { Config } from "./config.ts";
import type { Database } from "./db/client.ts";
import { migrate } from "./db/migrate.ts";
import { fillValuePeriods } from "./modules/measures/measures.service.ts";
import { defaultPeriod, listPeriods, requireOpenPeriod } from "./modules/periods/periods.service.ts";
import { createSharedChromium, type SharedChromium } from "./reports/chromium.ts";

/**
 * A plain, typed container of the services the routes call. No framework: each service is a
 * set of functions over the database it is handed and the configuration. The one shared
 * Chromium (PDF files) is started on first use and closed with the app. The period a page shows
 * when none is named is handed in here, because the periods module itself builds on finance
 * (opening a year carries its budget forward): finance asks for it without importing periods.
 */
export interface Services {
  db: Database;
  config: Config;
  chromium: SharedChromium;
  defaultPeriod: typeof defaultPeriod;
  /**
   * Which periods are opened and their states, and the rule refusing entry for one not open:
   * handed to modules whose entries the periods module itself counts (measures), which so
   * cannot import it.
   */
  listPeriods: typeof listPeriods;
  requireOpenPeriod: typeof requireOpenPeriod;
}

/**
 * Brings a database up to date: the numbered migrations, then what only Baseplan's code can
 * fill in for rows written before a migration added a column (a stored value's own period).
 * Returns the migrations applied.
 */
export async function prepareDatabase(db: Database): Promise<string[]> {
  const ran = await migrate(db);
  await fillValuePeriods(db);
  return ran;
}

export function chromiumFor(config: Config): SharedChromium {
  return createSharedChromium({
    places: { configured: config.chromium },
    concurrency: config.pdfConcurrency,
    queue: config.pdfQueue,
  });
}

export function createServices(
  db: Database,
  config: Config,
  chromium: SharedChromium = chromiumFor(config),
): Services {
  return { db, config, chromium, defaultPeriod, listPeriods, requireOpenPeriod };
}
