import { eq } from "drizzle-orm";
import type { Database } from "../db/client.ts";
import { settings } from "../db/schema/index.ts";
import { DEMO_LOADERS } from "./loaders.ts";

export { DEMO_DIRECTORY, type DemoLoader } from "./demo-files.ts";

const DEMO_MARKER = "demo.loaded";

export async function demoLoaded(db: Database): Promise<boolean> {
  const rows = await db.select().from(settings).where(eq(settings.key, DEMO_MARKER));
  return rows.length > 0;
}

/**
 * Loads the seed council's data once. All of it lands in one transaction, so a failure part-way
 * leaves an empty database to try again, never half a demo.
 */
export async function loadDemo(db: Database, actor: string, loaders = DEMO_LOADERS): Promise<boolean> {
  if (await demoLoaded(db)) return false;
  await db.transaction(async (tx) => {
    for (const loader of loaders) await loader.load(tx, actor);
    await tx
      .insert(settings)
      .values({ key: DEMO_MARKER, value: { loadedAt: new Date().toISOString(), actor } });
  });
  return true;
}
