import { isIP } from "node:net";
import { resolve } from "node:path";
import { z } from "zod";

const DEVELOPMENT_COOKIE_SECRET = "baseplan-development-only-cookie-secret-not-for-production";
const DEVELOPMENT_SESSION_SECRET = "baseplan-development-only-session-secret-not-for-production";
const DEMO_ACTING_USER = "performance.officer@demo-council.example";

/**
 * Configuration is read once, at start-up, from the environment. Development gets safe
 * defaults; production refuses to start without the secrets it needs.
 */
const environmentSchema = z
  .object({
    NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().min(1).default("127.0.0.1"),
    BASEPLAN_DATA_DIR: z.string().min(1).default("./data"),
    DATABASE_URL: z.string().url().optional(),
    BASEPLAN_ACTING_USER: z.string().min(1).optional(),
    BASEPLAN_COOKIE_SECRET: z.string().min(32).optional(),
    BASEPLAN_SESSION_SECRET: z.string().min(32).optional(),
    BASEPLAN_SESSION_IDLE_MINUTES: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(30),
    BASEPLAN_SESSION_HOURS: z.coerce
      .number()
      .int()
      .min(1)
      .max(7 * 24)
      .default(12),
    BASEPLAN_INVITATION_DAYS: z.coerce.number().int().min(1).max(60).default(7),
    BASEPLAN_LOCAL_ACCOUNTS: z.enum(["true", "false"]).default("true"),
    BASEPLAN_OIDC_ISSUER: z.string().url().optional(),
    BASEPLAN_OIDC_CLIENT_ID: z.string().min(1).optional(),
    BASEPLAN_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
    BASEPLAN_OIDC_REDIRECT_URL: z.string().url().optional(),
    BASEPLAN_OIDC_PROVIDER_NAME: z.string().min(1).max(80).default("your organisation's account"),
    BASEPLAN_LOAD_DEMO: z.enum(["true", "false"]).optional(),
    BASEPLAN_TRUST_PROXY: z.string().optional(),
    BASEPLAN_PAGE_CACHE: z.enum(["true", "false"]).default("true"),
    BASEPLAN_PAGE_CACHE_BYTES: z.coerce
      .number()
      .int()
      .min(0)
      .default(64 * 1024 * 1024),
    BASEPLAN_OCID_PREFIX: z.string().min(1).default("ocds-baseplan-"),
    BASEPLAN_CHROMIUM: z.string().min(1).optional(),
    BASEPLAN_PDF_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(2),
    BASEPLAN_PDF_QUEUE: z.coerce.number().int().min(0).max(1000).default(8),
    BASEPLAN_SMTP_URL: z.string().min(1).optional(),
    BASEPLAN_MAIL_FROM: z.string().min(1).optional(),
    BASEPLAN_BASE_URL: z.string().min(1).optional(),
    BASEPLAN_REMINDER_DAYS_BEFORE: z.coerce.number().int().min(0).max(60).default(3),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  })
  .superRefine((env, context) => {
    if (env.NODE_ENV === "production" && env.BASEPLAN_COOKIE_SECRET === DEVELOPMENT_COOKIE_SECRET) {
      context.addIssue({
        code: "custom",
        path: ["BASEPLAN_COOKIE_SECRET"],
        message: "is the development value printed in src/config.ts: set a secret of your own in production",
      });
    }
    for (const problem of oidcProblems(env)) context.addIssue({ code: "custom", ...problem });
    for (const problem of mailProblems(env)) context.addIssue({ code: "custom", ...problem });
    for (const entry of proxyAddresses(env.BASEPLAN_TRUST_PROXY)) {
      if (!isProxyAddress(entry)) {
        context.addIssue({
          code: "custom",
          path: ["BASEPLAN_TRUST_PROXY"],
          message: `has "${entry}", which is not an IP address or a range such as 10.0.0.0/8`,
        });
      }
    }
    if (env.NODE_ENV === "production" && env.BASEPLAN_ACTING_USER !== undefined) {
      context.addIssue({
        code: "custom",
        path: ["BASEPLAN_ACTING_USER"],
        message:
          "is for the demo and tests only and is refused in production: people sign in instead (unset it; see docs/sign-in-and-roles.md)",
      });
    }
    if (env.NODE_ENV === "production" && !env.BASEPLAN_SESSION_SECRET) {
      context.addIssue({
        code: "custom",
        path: ["BASEPLAN_SESSION_SECRET"],
        message: "is required in production (at least 32 characters): it signs the sign-in cookie",
      });
    }
    if (env.NODE_ENV === "production" && env.BASEPLAN_SESSION_SECRET === DEVELOPMENT_SESSION_SECRET) {
      context.addIssue({
        code: "custom",
        path: ["BASEPLAN_SESSION_SECRET"],
        message: "is the development value printed in src/config.ts: set a secret of your own in production",
      });
    }
    if (env.NODE_ENV === "production" && !env.BASEPLAN_COOKIE_SECRET) {
      context.addIssue({
        code: "custom",
        path: ["BASEPLAN_COOKIE_SECRET"],
        message: "is required in production (at least 32 characters)",
      });
    }
  });

export interface Config {
  environment: "development" | "test" | "production";
  port: number;
  host: string;
  dataDirectory: string;
  databaseUrl: string | undefined;
  /**
   * BASEPLAN_ACTING_USER, for the demo and tests only (refused in production): a request with no
   * signed-in session acts as this person, with every role. Unset: nobody, and pages ask to sign in.
   */
  actingUser: string | undefined;
  /** Who changes made from the command line (loading the demo, importing files) are recorded against. */
  commandLineActor: string;
  cookieSecret: string;
  /** Signs the session cookie (BASEPLAN_SESSION_SECRET). */
  sessionSecret: string;
  /** A session ends after this many minutes without a request, and this many hours after sign-in. */
  sessionIdleMinutes: number;
  sessionHours: number;
  /** An invitation link works for this many days. */
  invitationDays: number;
  /** People may sign in with an email and password (BASEPLAN_LOCAL_ACCOUNTS, on by default). */
  localAccounts: boolean;
  /** Sign-in with the council's identity provider by OpenID Connect, when configured. */
  oidc: OidcSettings | undefined;
  /** Cookies carry `Secure` (sent over HTTPS only): in production. */
  secureCookies: boolean;
  /** Load the demo council into an empty database: by default except in production. */
  loadDemo: boolean;
  /**
   * BASEPLAN_TRUST_PROXY: the addresses (or ranges) of the proxies whose X-Forwarded-* headers
   * are believed, comma separated. Empty: none, so no client can choose its logged address or
   * the address published in the OCDS export.
   */
  trustProxy: string[];
  /** Keep rendered pages until data changes (src/web/page-cache.ts). */
  pageCache: boolean;
  /** The most the kept pages may take, in bytes; the least recently used go first. */
  pageCacheBytes: number;
  ocidPrefix: string;
  /** BASEPLAN_CHROMIUM: a Chromium for PDF files, or "npm"; unset, the system's, then npm's. */
  chromium: string | undefined;
  /** PDF files printed at once by the one shared Chromium, and how many may wait their turn. */
  pdfConcurrency: number;
  pdfQueue: number;
  /** Email reminders of the update round, when BASEPLAN_SMTP_URL is given; unset, nothing is sent. */
  mail: MailSettings | undefined;
  /** Reminders go this many days before an item's due date (BASEPLAN_REMINDER_DAYS_BEFORE). */
  reminderDaysBefore: number;
  logLevel: string;
}

export function loadConfig(environment: NodeJS.ProcessEnv = process.env): Config {
  const parsed = environmentSchema.safeParse(environment);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")} ${issue.message}`);
    throw new Error(`Baseplan cannot start: the configuration is not valid.\n- ${problems.join("\n- ")}`);
  }
  const env = parsed.data;
  return {
    environment: env.NODE_ENV,
    port: env.PORT,
    host: env.HOST,
    dataDirectory: resolve(env.BASEPLAN_DATA_DIR),
    databaseUrl: env.DATABASE_URL,
    actingUser: env.NODE_ENV === "production" ? undefined : (env.BASEPLAN_ACTING_USER ?? DEMO_ACTING_USER),
    commandLineActor:
      env.BASEPLAN_ACTING_USER ?? (env.NODE_ENV === "production" ? "command line" : DEMO_ACTING_USER),
    cookieSecret: env.BASEPLAN_COOKIE_SECRET ?? DEVELOPMENT_COOKIE_SECRET,
    sessionSecret: env.BASEPLAN_SESSION_SECRET ?? DEVELOPMENT_SESSION_SECRET,
    sessionIdleMinutes: env.BASEPLAN_SESSION_IDLE_MINUTES,
    sessionHours: env.BASEPLAN_SESSION_HOURS,
    invitationDays: env.BASEPLAN_INVITATION_DAYS,
    localAccounts: env.BASEPLAN_LOCAL_ACCOUNTS === "true",
    oidc:
      env.BASEPLAN_OIDC_ISSUER &&
      env.BASEPLAN_OIDC_CLIENT_ID &&
      env.BASEPLAN_OIDC_CLIENT_SECRET &&
      env.BASEPLAN_OIDC_REDIRECT_URL
        ? {
            issuer: env.BASEPLAN_OIDC_ISSUER,
            clientId: env.BASEPLAN_OIDC_CLIENT_ID,
            clientSecret: env.BASEPLAN_OIDC_CLIENT_SECRET,
            redirectUrl: env.BASEPLAN_OIDC_REDIRECT_URL,
            providerName: env.BASEPLAN_OIDC_PROVIDER_NAME,
          }
        : undefined,
    secureCookies: env.NODE_ENV === "production",
    loadDemo: env.BASEPLAN_LOAD_DEMO ? env.BASEPLAN_LOAD_DEMO === "true" : env.NODE_ENV !== "production",
    trustProxy: proxyAddresses(env.BASEPLAN_TRUST_PROXY),
    pageCache: env.BASEPLAN_PAGE_CACHE === "true",
    pageCacheBytes: env.BASEPLAN_PAGE_CACHE_BYTES,
    ocidPrefix: env.BASEPLAN_OCID_PREFIX,
    chromium: env.BASEPLAN_CHROMIUM,
    pdfConcurrency: env.BASEPLAN_PDF_CONCURRENCY,
    pdfQueue: env.BASEPLAN_PDF_QUEUE,
    mail:
      env.BASEPLAN_SMTP_URL && env.BASEPLAN_MAIL_FROM && env.BASEPLAN_BASE_URL
        ? {
            smtpUrl: env.BASEPLAN_SMTP_URL,
            from: env.BASEPLAN_MAIL_FROM,
            baseUrl: env.BASEPLAN_BASE_URL.replace(/\/+$/, ""),
          }
        : undefined,
    reminderDaysBefore: env.BASEPLAN_REMINDER_DAYS_BEFORE,
    logLevel: env.LOG_LEVEL,
  };
}

/** Where the identity provider sends people back to: Baseplan's one callback address. */
export const OIDC_CALLBACK_PATH = "/sign-in/oidc/callback";

export interface OidcSettings {
  /** BASEPLAN_OIDC_ISSUER: for Microsoft Entra ID, https://login.microsoftonline.com/<tenant id>/v2.0 */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** BASEPLAN_OIDC_REDIRECT_URL: this site's address ending in OIDC_CALLBACK_PATH. */
  redirectUrl: string;
  /** Shown on the sign-in button: "Sign in with <providerName>". */
  providerName: string;
}

const OIDC_SETTINGS = [
  "BASEPLAN_OIDC_ISSUER",
  "BASEPLAN_OIDC_CLIENT_ID",
  "BASEPLAN_OIDC_CLIENT_SECRET",
  "BASEPLAN_OIDC_REDIRECT_URL",
] as const;

/** Whether an address is this computer's own: the only place an identity provider may use http. */
export function isLoopbackUrl(url: URL): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  return LOOPBACK_HOSTS.has(host) || /^127\./.test(host);
}

/** OpenID Connect is configured whole or not at all, over https (http only on this computer). */
function oidcProblems(
  env: Partial<Record<(typeof OIDC_SETTINGS)[number] | "BASEPLAN_LOCAL_ACCOUNTS", string>>,
): { path: string[]; message: string }[] {
  const given = OIDC_SETTINGS.filter((name) => env[name] !== undefined);
  if (given.length === 0) {
    return env.BASEPLAN_LOCAL_ACCOUNTS === "false"
      ? [
          {
            path: ["BASEPLAN_LOCAL_ACCOUNTS"],
            message:
              "is false, but OpenID Connect is not configured either, so nobody could sign in: set the BASEPLAN_OIDC_ settings, or leave local accounts on",
          },
        ]
      : [];
  }
  const problems = OIDC_SETTINGS.filter((name) => env[name] === undefined).map((name) => ({
    path: [name],
    message: `is needed with ${given.join(", ")}: OpenID Connect needs all four of ${OIDC_SETTINGS.join(", ")}`,
  }));
  for (const name of ["BASEPLAN_OIDC_ISSUER", "BASEPLAN_OIDC_REDIRECT_URL"] as const) {
    const value = env[name];
    if (!value || !URL.canParse(value)) continue;
    const url = new URL(value);
    if (url.protocol !== "https:" && !(url.protocol === "http:" && isLoopbackUrl(url))) {
      problems.push({
        path: [name],
        message: `is ${value}: it must use https (http only for this computer)`,
      });
    }
    if (name === "BASEPLAN_OIDC_REDIRECT_URL" && url.pathname !== OIDC_CALLBACK_PATH) {
      problems.push({
        path: [name],
        message: `is ${value}: it must be Baseplan's own address ending in ${OIDC_CALLBACK_PATH}`,
      });
    }
  }
  return problems;
}

export interface MailSettings {
  /** BASEPLAN_SMTP_URL: smtp://user:password@host:587 (STARTTLS when offered) or smtps://host:465. */
  smtpUrl: string;
  /** BASEPLAN_MAIL_FROM: the address reminders come from, for example performance@council.example. */
  from: string;
  /** BASEPLAN_BASE_URL: this site's address, for the links in emails (no trailing slash). */
  baseUrl: string;
}

const MAIL_SETTINGS = ["BASEPLAN_SMTP_URL", "BASEPLAN_MAIL_FROM", "BASEPLAN_BASE_URL"] as const;

/** An email address as a From line takes it: one @, no spaces or angle brackets. */
const MAIL_ADDRESS = /^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/;

/** Email is configured whole (SMTP server, From address, site address) or not at all. */
function mailProblems(
  env: Partial<Record<(typeof MAIL_SETTINGS)[number], string>>,
): { path: string[]; message: string }[] {
  const given = MAIL_SETTINGS.filter((name) => env[name] !== undefined);
  if (given.length === 0) return [];
  const problems = MAIL_SETTINGS.filter((name) => env[name] === undefined).map((name) => ({
    path: [name],
    message: `is needed with ${given.join(", ")}: email reminders need all three of ${MAIL_SETTINGS.join(", ")}`,
  }));
  const smtp = env.BASEPLAN_SMTP_URL;
  if (smtp !== undefined) {
    const url = URL.canParse(smtp) ? new URL(smtp) : null;
    if (!url || !["smtp:", "smtps:"].includes(url.protocol) || url.hostname === "") {
      problems.push({
        path: ["BASEPLAN_SMTP_URL"],
        message:
          "is not an SMTP server's address: write it as smtp://user:password@host:587 or smtps://user:password@host:465 (user and password URL-encoded)",
      });
    }
  }
  const from = env.BASEPLAN_MAIL_FROM;
  if (from !== undefined && !MAIL_ADDRESS.test(from)) {
    problems.push({
      path: ["BASEPLAN_MAIL_FROM"],
      message: `is "${from}", which is not an email address such as performance@council.example`,
    });
  }
  const base = env.BASEPLAN_BASE_URL;
  if (base !== undefined) {
    const url = URL.canParse(base) ? new URL(base) : null;
    if (!url || !["http:", "https:"].includes(url.protocol) || url.search !== "" || url.hash !== "") {
      problems.push({
        path: ["BASEPLAN_BASE_URL"],
        message: `is "${base}": it must be this site's address as people reach it, such as https://baseplan.council.example`,
      });
    }
  }
  return problems;
}

function proxyAddresses(setting: string | undefined): string[] {
  return (setting ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
}

function isProxyAddress(entry: string): boolean {
  const [address = "", prefix, extra] = entry.split("/");
  if (extra !== undefined || isIP(address) === 0) return false;
  if (prefix === undefined) return true;
  const bits = /^\d{1,3}$/.test(prefix) ? Number(prefix) : -1;
  return bits >= 0 && bits <= (isIP(address) === 4 ? 32 : 128);
}

const LOOPBACK_HOSTS = new Set(["localhost", "::1"]);

/**
 * What the person starting Baseplan should know before anyone uses it. Outside production a
 * request with no session acts as BASEPLAN_ACTING_USER with every role, so listening beyond this
 * machine lets anyone who can reach it change the figures.
 */
export function startupWarnings(config: Config): string[] {
  const warnings: string[] = [];
  const loopback = LOOPBACK_HOSTS.has(config.host) || /^127\./.test(config.host);
  if (!loopback && config.actingUser !== undefined) {
    warnings.push(
      `Baseplan is listening on ${config.host}, beyond this computer, and acts for ${config.actingUser} when nobody has signed in: anyone on the network who can reach it can change the figures. Set HOST=127.0.0.1, or run it with NODE_ENV=production so that everyone signs in.`,
    );
  }
  return warnings;
}
