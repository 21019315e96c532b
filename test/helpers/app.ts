import type { FastifyInstance } from "fastify";
import { loadConfig } from "../../src/config.ts";
import type { Database } from "../../src/db/client.ts";
import type { SharedChromium } from "../../src/reports/chromium.ts";
import { createServices } from "../../src/services.ts";
import { createApp } from "../../src/web/app.ts";

/**
 * The app as `npm start` builds it, on a test's database, with the test configuration (plus any
 * settings given, as environment variables would give them).
 */
export async function testApp(
  db: Database,
  env: Record<string, string> = {},
  chromium?: SharedChromium,
): Promise<FastifyInstance> {
  const config = loadConfig({ NODE_ENV: "test", ...env });
  return createApp(chromium ? createServices(db, config, chromium) : createServices(db, config));
}

/** Runs `body` against an app on the database and closes the app after, whatever happens. */
export async function withApp(db: Database, body: (app: FastifyInstance) => Promise<void>): Promise<void> {
  const app = await testApp(db);
  try {
    await body(app);
  } finally {
    await app.close();
  }
}
