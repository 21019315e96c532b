import type { Config } from "./config.ts";
import type { Database } from "./db/client.ts";
import { migrate } from "./db/migrate.ts";
import { fillValuePeriods, type PlanLinks } from "./modules/measures/measures.service.ts";
import { OidcSignIn } from "./modules/people/oidc.service.ts";
import {
  defaultPeriod,
  listPeriods,
  openQuarters,
  requireOpenPeriod,
  requireOpenQuarter,
} from "./modules/periods/periods.service.ts";
import { measurePlanLinks } from "./modules/plan/plan.service.ts";
import type { PlanApproved } from "./modules/plan/plan.structure.ts";
import { freezeApprovedPlan } from "./modules/reports/reports.service.ts";
import { type Mailer, smtpMailer } from "./modules/round/mailer.ts";
import { createSharedChromium, type SharedChromium } from "./reports/chromium.ts";

/**
 * A plain, typed container of the services the routes call. No framework: each service is a
 * set of functions over the database it is handed and the configuration. The one shared
 * Chromium (PDF files) is started on first use and closed with the app. The period a page shows
 * when none is named, and the check that a period is open for entry, are handed in here, because
 * the periods module itself builds on finance and the plan (opening a year carries its budget
 * forward; a period counts progress): they ask for these without importing periods.
 */
export interface Services {
  db: Database;
  config: Config;
  chromium: SharedChromium;
  defaultPeriod: typeof defaultPeriod;
  /** Refuses entry for a quarter that is not open (the periods module says which are). */
  requireOpenQuarter: typeof requireOpenQuarter;
  /** The quarters of a year open for entry, so pages link only to forms that can be saved. */
  openQuarters: typeof openQuarters;
  /** Every opened period and its state, for pages that link to entry in any open period (measures). */
  listPeriods: typeof listPeriods;
  /** Refuses entry for a period (quarter or month) that is not open. */
  requireOpenPeriod: typeof requireOpenPeriod;
  /**
   * Freezes a service plan's document when the plan becomes approved (the reports module builds
   * documents; the plan module, which approves, cannot import it).
   */
  planApproved: PlanApproved;
  /** The plan's links to measures, which the measures pages read and keep (the plan imports measures). */
  planLinks: PlanLinks;
  /** Sign-in with the council's identity provider, when BASEPLAN_OIDC_ settings are given. */
  oidc: OidcSignIn | undefined;
  /** Email through the council's SMTP server, when BASEPLAN_SMTP_URL is given; unset, nothing is sent. */
  mailer: Mailer | undefined;
}

/**
 * Brings a database up to date: the numbered migrations, then what only Baseplan's code can
 * fill in for rows written before a migration added a column (a stored value's own period).
 * Returns the migrations applied.
 */
export async function migrateAndFill(db: Database): Promise<string[]> {
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
  return {
    db,
    config,
    chromium,
    defaultPeriod,
    requireOpenQuarter,
    openQuarters,
    listPeriods,
    requireOpenPeriod,
    planApproved: freezeApprovedPlan,
    planLinks: measurePlanLinks,
    oidc: config.oidc ? new OidcSignIn(config.oidc) : undefined,
    mailer: config.mail ? smtpMailer(config.mail) : undefined,
  };
}
