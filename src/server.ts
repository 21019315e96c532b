import type { FastifyInstance } from "fastify";
import { type Config, loadConfig, startupWarnings } from "./config.ts";
import { connect, type DatabaseConnection } from "./db/client.ts";
import { duringStartUp } from "./db/start-up.ts";
import { loadDemo } from "./demo/load-demo.ts";
import { loadDemoBenchmarks } from "./modules/benchmarks/benchmarks.demo.ts";
import { createServices, migrateAndFill } from "./services.ts";
import { createApp } from "./web/app.ts";

export interface RunningServer {
  app: FastifyInstance;
  connection: DatabaseConnection;
  url: string;
  stop(): Promise<void>;
}

/**
 * Migrates and, where asked, loads the demo council into an empty database, one process at a
 * time (several may start together on one PostgreSQL database). Gives the migrations applied.
 */
export async function prepareDatabase(
  connection: DatabaseConnection,
  config: Pick<Config, "loadDemo" | "commandLineActor">,
  say: (line: string) => void = () => {},
): Promise<string[]> {
  return duringStartUp(connection, async () => {
    const ran = await migrateAndFill(connection.db);
    if (config.loadDemo && (await loadDemo(connection.db, config.commandLineActor))) {
      // Once, on the first start of an empty database: the whole LAIT file takes a while.
      say("Loading the Department for Education's benchmarking data (first start only)...");
      await loadDemoBenchmarks(connection.db, config.commandLineActor);
    }
    return ran;
  });
}

/** Connects, migrates, loads the demo council on first run, and serves. */
export async function startServer(config: Config = loadConfig(), logger = true): Promise<RunningServer> {
  const connection = await connect({ databaseUrl: config.databaseUrl, dataDirectory: config.dataDirectory });
  try {
    await prepareDatabase(connection, config, logger ? (line) => console.log(line) : undefined);
  } catch (error) {
    await connection.close();
    throw error;
  }
  const app = await createApp(createServices(connection.db, config), { logger });
  for (const warning of startupWarnings(config)) app.log.warn(warning);
  const url = await app.listen({ port: config.port, host: config.host });
  return {
    app,
    connection,
    url,
    async stop() {
      await app.close();
      await connection.close();
    },
  };
}
