import { type Config, loadConfig } from "./config.ts";
import { BackupRefused, restoreBackup, writeBackup } from "./db/backup.ts";
import { connect, type Database } from "./db/client.ts";
import { databaseErrorMessage, duringStartUp } from "./db/start-up.ts";
import { demoState, loadDemo } from "./demo/load-demo.ts";
import { runImportBenchmarks } from "./modules/benchmarks/benchmarks.cli.ts";
import { loadDemoBenchmarks } from "./modules/benchmarks/benchmarks.demo.ts";
import {
  GENERATE_USAGE,
  GenerateUsageError,
  parseGenerateArgs,
  runGenerate,
} from "./modules/generate/generate.cli.ts";
import { inviteFirstAdministrator } from "./modules/people/people.cli.ts";
import {
  parseReportCommand,
  REPORT_USAGE,
  runReportCommand,
  UsageError,
} from "./modules/reports/reports.cli.ts";
import { smtpMailer } from "./modules/round/mailer.ts";
import { sendReminders } from "./modules/round/reminders.service.ts";
import { NEW_COUNCIL_USAGE, runNewCouncil } from "./modules/setup/setup.cli.ts";
import { ChromiumUnavailable } from "./reports/chromium.ts";
import { startServer } from "./server.ts";
import { chromiumFor, migrateAndFill } from "./services.ts";

const USAGE = `Usage: baseplan <command>

Commands:
  serve     migrate the database, load the demo council on first run, and serve on PORT (default 3000);
            with BASEPLAN_LOAD_DEMO=false an empty database starts at /setup instead
  migrate   apply any new database migrations and stop
  demo      load the demo council into an empty database and stop (refused where a council is set up)
  new-council --name NAME --gss CODE --la NUMBER --department NAME
            set up a council and its first department in an empty database, as /setup does
            (baseplan new-council --help for the options)
  generate [--departments N] [--years N] [--seed N]
            build a made-up council with monthly monitoring in an empty database, for measuring
            Baseplan at size (baseplan generate --help for the options)
  backup FILE
            write everything in the database to FILE (one format for PGlite and PostgreSQL)
  restore FILE
            restore a backup into an empty database, then bring it up to date
  import-benchmarks [--dry-run] FILE...
            import the Department for Education's benchmarking files (LAIT data, dictionary,
            LA code list, statistical neighbours)
  invite-administrator EMAIL NAME...
            invite the first administrator of the (first) council and print the link that sets
            their password; administrators invite everyone else from the People page
  send-reminders
            email each owner the update round's reminders due today (before and after due
            dates, returned items), once each; for a daily cron. Needs BASEPLAN_SMTP_URL,
            BASEPLAN_MAIL_FROM and BASEPLAN_BASE_URL
  report    write a report as HTML, Word, Excel or PDF, e.g.
            report quarterly --year 2020/21 --quarter 3 --format docx --out q3.docx
            report service-plan --plan service-plan-2021-2025 --format pdf --out plan.pdf
            (baseplan report --help for the options)
`;

async function main(argv: string[]): Promise<number> {
  const [command] = argv;
  const config = loadConfig();
  switch (command) {
    case "serve": {
      const server = await startServer(config);
      const engine =
        server.connection.engine === "pglite" ? `embedded PGlite in ${config.dataDirectory}` : "PostgreSQL";
      console.log(`Baseplan is serving on http://localhost:${config.port} (database: ${engine})`);
      const stop = async () => {
        await server.stop();
        process.exit(0);
      };
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
      return -1;
    }
    case "migrate": {
      const connection = await connect({
        databaseUrl: config.databaseUrl,
        dataDirectory: config.dataDirectory,
      });
      try {
        const ran = await duringStartUp(connection, () => migrateAndFill(connection.db));
        console.log(ran.length ? `Applied ${ran.join(", ")}` : "The database is up to date.");
      } finally {
        await connection.close();
      }
      return 0;
    }
    case "demo": {
      return withDatabase(config, "first load", async (db) => {
        const state = await demoState(db);
        if (state.kind === "council-set-up") {
          process.stderr.write(
            `Nothing was loaded: this database already has a council, ${state.councilName}. The demo council loads only into an empty database (a new BASEPLAN_DATA_DIR or database).\n`,
          );
          return 1;
        }
        const loaded = await loadDemo(db, config.commandLineActor);
        console.log(loaded ? "Loaded the demo council." : "The demo council is already loaded.");
        const benchmarks = await loadDemoBenchmarks(db, config.commandLineActor);
        console.log(
          benchmarks
            ? "Loaded the Department for Education's benchmarking data."
            : "Benchmarking data is already loaded.",
        );
        return 0;
      });
    }
    case "new-council": {
      if (argv.includes("--help") || argv.length === 1) {
        process.stdout.write(NEW_COUNCIL_USAGE);
        return argv.length === 1 ? 2 : 0;
      }
      return withDatabase(config, "first load", (db) =>
        runNewCouncil(db, config.commandLineActor, argv.slice(1), printLine, printError),
      );
    }
    case "generate": {
      if (argv.includes("--help")) {
        process.stdout.write(GENERATE_USAGE);
        return 0;
      }
      // The options are checked before the database is opened: a mistyped command touches nothing.
      let options: ReturnType<typeof parseGenerateArgs>;
      try {
        options = parseGenerateArgs(argv.slice(1));
      } catch (error) {
        if (!(error instanceof GenerateUsageError)) throw error;
        process.stderr.write(`Nothing was generated: ${error.message}\n\n${GENERATE_USAGE}`);
        return 2;
      }
      return withDatabase(config, "first load", (db) =>
        runGenerate(db, config.commandLineActor, options, printLine, printError),
      );
    }
    case "backup":
    case "restore": {
      const file = argv[1];
      if (!file || argv.length > 2) {
        process.stderr.write(`Usage: baseplan ${command} FILE\n`);
        return 2;
      }
      const connection = await connect({
        databaseUrl: config.databaseUrl,
        dataDirectory: config.dataDirectory,
      });
      try {
        if (command === "backup") {
          const rows = await writeBackup(connection.db, file);
          console.log(`Wrote ${file}: ${describeRows(rows)}.`);
        } else {
          const rows = await duringStartUp(connection, () => restoreBackup(connection.db, file));
          console.log(`Restored ${file}: ${describeRows(rows)}.`);
        }
        return 0;
      } catch (error) {
        if (!(error instanceof BackupRefused)) throw error;
        process.stderr.write(`${error.message}\n`);
        return 1;
      } finally {
        await connection.close();
      }
    }
    case "import-benchmarks": {
      return withDatabase(config, "after start-up", (db) =>
        runImportBenchmarks(db, config.commandLineActor, argv.slice(1), printLine, printError),
      );
    }
    case "invite-administrator": {
      const [, email, ...name] = argv;
      if (!email || name.length === 0) {
        process.stderr.write("Usage: baseplan invite-administrator EMAIL NAME...\n");
        return 2;
      }
      return withDatabase(config, "after start-up", async (db) => {
        const invited = await inviteFirstAdministrator(db, config, email, name.join(" "));
        if (typeof invited === "string") {
          process.stderr.write(`${invited}\n`);
          return 1;
        }
        console.log(
          `Invited ${invited.person.displayName} (${invited.person.email}) as Administrator. Open this address on Baseplan's site to set the password, before ${invited.expiresAt.toISOString()}:\n/invitation/${invited.token}`,
        );
        return 0;
      });
    }
    case "send-reminders": {
      if (argv.length > 1) {
        process.stderr.write("Usage: baseplan send-reminders\n");
        return 2;
      }
      if (!config.mail) {
        process.stderr.write(
          "Email is not set up, so nothing was sent: set BASEPLAN_SMTP_URL, BASEPLAN_MAIL_FROM and BASEPLAN_BASE_URL (see README.md).\n",
        );
        return 1;
      }
      const mail = config.mail;
      return withDatabase(config, "after start-up", async (db) => {
        const result = await sendReminders(db, smtpMailer(mail), {
          actor: config.commandLineActor,
          run: "daily",
          daysBefore: config.reminderDaysBefore,
        });
        if (!result.configured) return 1;
        console.log(
          `Sent ${result.sent} reminder email${result.sent === 1 ? "" : "s"}${result.failed > 0 ? `; ${result.failed} could not be sent (the round page says why)` : ""}.`,
        );
        if (result.nobodyToEmail.length > 0) {
          console.log(
            `No owner of these has an account, so nobody was reminded of them: ${result.nobodyToEmail.join("; ")}.`,
          );
        }
        return result.failed > 0 ? 1 : 0;
      });
    }
    case "report": {
      if (argv.includes("--help") || argv.length === 1) {
        process.stdout.write(REPORT_USAGE);
        return 0;
      }
      let command: ReturnType<typeof parseReportCommand>;
      try {
        command = parseReportCommand(argv.slice(1));
      } catch (error) {
        if (!(error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")))
          throw error;
        process.stderr.write(`${(error as Error).message}\n\n${REPORT_USAGE}`);
        return 2;
      }
      const connection = await connect({
        databaseUrl: config.databaseUrl,
        dataDirectory: config.dataDirectory,
      });
      const chromium = chromiumFor(config);
      try {
        await duringStartUp(connection, async () => {
          await migrateAndFill(connection.db);
          if (config.loadDemo) await loadDemo(connection.db, config.commandLineActor);
        });
        const written = await runReportCommand(connection.db, command, chromium);
        console.log(`Wrote ${written.path} (${Math.ceil(written.bytes / 1024)} KB).`);
      } catch (error) {
        if (!(error instanceof ChromiumUnavailable)) throw error;
        process.stderr.write(`${error.message}\n`);
        return 1;
      } finally {
        await chromium.close();
        await connection.close();
      }
      return 0;
    }
    default:
      process.stderr.write(USAGE);
      return command ? 2 : 0;
  }
}

const printLine = (line: string) => console.log(line);
const printError = (line: string) => console.error(line);

/**
 * Opens the configured database, brings it up to date and runs a command's work on it, then
 * closes it. A first load (the demo, a new or generated council) runs while this process holds
 * the start-up turn, so processes started together never load twice; other work runs after it.
 */
async function withDatabase<T>(
  config: Config,
  when: "first load" | "after start-up",
  work: (db: Database) => Promise<T>,
): Promise<T> {
  const connection = await connect({
    databaseUrl: config.databaseUrl,
    dataDirectory: config.dataDirectory,
  });
  try {
    if (when === "first load") {
      return await duringStartUp(connection, async () => {
        await migrateAndFill(connection.db);
        return work(connection.db);
      });
    }
    await duringStartUp(connection, () => migrateAndFill(connection.db));
    return await work(connection.db);
  } finally {
    await connection.close();
  }
}

function describeRows(rows: Record<string, number>): string {
  const total = Object.values(rows).reduce((sum, count) => sum + count, 0);
  return `${Object.keys(rows).length} tables, ${total.toLocaleString("en-GB")} rows`;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (error: unknown) => {
    console.error(databaseErrorMessage(error));
    process.exit(1);
  },
);
