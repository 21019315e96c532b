import type { Config } from "./config.ts";
import type { Database } from "./db/client.ts";

/**
 * A plain, typed container of the services the routes call. No framework: each service is a
 * set of functions over the database it is handed and the configuration.
 */
export interface Services {
  db: Database;
  config: Config;
}

export function createServices(db: Database, config: Config): Services {
  return { db, config };
}
