import type { Database } from "../db/client.ts";
import { hasSetting, recordSetting } from "../modules/settings/settings.service.ts";
import { DEMO_LOADERS } from "./loaders.ts";

export { DEMO_DIRECTORY, type DemoLoader } from "./demo-files.ts";

const DEMO_MARKER = "demo.loaded";

async function demoLoaded(db: Database): Promise<boolean> {
  return hasSetting(db, DEMO_MARKER);
}

/**
 * Loads the seed council's data once. All of it lands in one transaction, so a failure part-way
 * leaves an empty database to try again, never half a demo.
 */
export async function loadDemo(db: Database, actor: string, loaders = DEMO_LOADERS): Promise<boolean> {
  if (await demoLoaded(db)) return false;
  await db.transaction(async (tx) => {
    for (const loader of loaders) await loader.load(tx, actor);
    await recordSetting(tx, DEMO_MARKER, { loadedAt: new Date().toISOString(), actor });
  });
  return true;
}
