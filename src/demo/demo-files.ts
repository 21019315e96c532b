import { fileURLToPath } from "node:url";
import type { Database } from "../db/client.ts";

/**
 * Where the demo council's files are, and the shape of a capability's loader. Kept apart from
 * load-demo.ts, which imports every loader, so loaders can import this without a cycle.
 */
export const DEMO_DIRECTORY = fileURLToPath(new URL("../../data/demo/", import.meta.url));

/** A capability's demo loader: reads its files under data/demo and writes through its services. */
export interface DemoLoader {
  name: string;
  load(db: Database, actor: string): Promise<void>;
}
