import type { FastifyInstance } from "fastify";
import { type Config, loadConfig, startupWarnings } from "./config.ts";
import { connect, type DatabaseConnection } from "./db/client.ts";
import { loadDemo } from "./demo/load-demo.ts";
import { loadDemoBenchmarks } from "./modules/benchmarks/benchmarks.demo.ts";
import { createServices, prepareDatabase } from "./services.ts";
import { createApp } from "./web/app.ts";

export interface RunningServer {
  app: FastifyInstance;
  connection: DatabaseConnection;
  url: string;
  stop(): Promise<void>;
}

/** Connects, migrates, loads the demo council on first run, and serves. */
export async function startServer(config: Config = loadConfig(), logger = true): Promise<RunningServer> {
  const connection = await connect({ databaseUrl: config.databaseUrl, dataDirectory: config.dataDirectory });
  await prepareDatabase(connection.db);
  if (config.loadDemo && (await loadDemo(connection.db, config.actingUser))) {
    // Once, on the first start of an empty database: the whole LAIT file takes a while.
    if (logger) console.log("Loading the Department for Education's benchmarking data (first start only)...");
    await loadDemoBenchmarks(connection.db, config.actingUser);
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
