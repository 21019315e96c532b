import type { Database } from "../db/client.ts";
import { hasSetting, recordSetting } from "../modules/settings/settings.service.ts";
import { councilSummary } from "../modules/setup/setup.service.ts";
import { DEMO_LOADERS } from "./loaders.ts";

export { DEMO_DIRECTORY, type DemoLoader } from "./demo-files.ts";

const DEMO_MARKER = "demo.loaded";

async function demoLoaded(db: Database): Promise<boolean> {
  return hasSetting(db, DEMO_MARKER);
}

/** Whether the demo may be loaded: into an empty database only. */
export type DemoState =
  | { kind: "empty" }
  | { kind: "demo-loaded" }
  | { kind: "council-set-up"; councilName: string };

export async function demoState(db: Database): Promise<DemoState> {
  if (await demoLoaded(db)) return { kind: "demo-loaded" };
  const summary = await councilSummary(db);
  return summary ? { kind: "council-set-up", councilName: summary.council.name } : { kind: "empty" };
}

/**
 * Loads the seed council's data once, into an empty database only: a council set up by its own
 * officers is never mixed with the demo. All of it lands in one transaction, so a failure
 * part-way leaves an empty database to try again, never half a demo.
 */
export async function loadDemo(db: Database, actor: string, loaders = DEMO_LOADERS): Promise<boolean> {
  if ((await demoState(db)).kind !== "empty") return false;
  await db.transaction(async (tx) => {
    for (const loader of loaders) await loader.load(tx, actor);
    await recordSetting(tx, DEMO_MARKER, { loadedAt: new Date().toISOString(), actor });
  });
  return true;
}
