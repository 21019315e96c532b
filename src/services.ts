import type { Config } from "./config.ts";
import type { Database } from "./db/client.ts";
import { defaultPeriod } from "./modules/periods/periods.service.ts";
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
  return { db, config, chromium, defaultPeriod };
}
