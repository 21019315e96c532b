// People, their roles, invitations, sessions and sign-in attempts (src/db/migrations/0015_people_and_sign_in.sql).
import { bigint, boolean, index, integer, pgTable, text, timestamp, unique } from "drizzle-orm/pg-core";
import { councils, departments } from "./plan.ts";

export type PersonStatus = "invited" | "active" | "deactivated";

export const people = pgTable(
  "people",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    councilId: bigint("council_id", { mode: "number" })
      .notNull()
      .references(() => councils.id),
    email: text("email").notNull(),
    displayName: text("display_name").notNull(),
    status: text("status").$type<PersonStatus>().notNull().default("invited"),
    passwordHash: text("password_hash"),
    passwordSetAt: timestamp("password_set_at", { withTimezone: true }),
    createdBy: text("created_by").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    version: integer("version").notNull().default(1),
  },
  (table) => [unique().on(table.councilId, table.email), index("people_email").on(table.email)],
);

export const roleMemberships = pgTable(
  "role_memberships",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    personId: bigint("person_id", { mode: "number" })
      .notNull()
      .references(() => people.id),
    councilId: bigint("council_id", { mode: "number" })
      .notNull()
      .references(() => councils.id),
    departmentId: bigint("department_id", { mode: "number" }).references(() => departments.id),
    role: text("role").notNull(),
    createdBy: text("created_by").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    unique().on(table.personId, table.departmentId, table.role).nullsNotDistinct(),
    index("role_memberships_person").on(table.personId),
  ],
);

export const invitations = pgTable("invitations", {
  id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
  personId: bigint("person_id", { mode: "number" })
    .notNull()
    .references(() => people.id),
  tokenHash: text("token_hash").notNull().unique(),
  createdBy: text("created_by").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  usedAt: timestamp("used_at", { withTimezone: true }),
});

export const sessions = pgTable(
  "sessions",
  {
    idHash: text("id_hash").primaryKey(),
    personId: bigint("person_id", { mode: "number" })
      .notNull()
      .references(() => people.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    endedAt: timestamp("ended_at", { withTimezone: true }),
    address: text("address").notNull().default(""),
  },
  (table) => [index("sessions_person").on(table.personId)],
);

export const signInAttempts = pgTable(
  "sign_in_attempts",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    occurredAt: timestamp("occurred_at", { withTimezone: true }).notNull().defaultNow(),
    email: text("email").notNull(),
    address: text("address").notNull(),
    succeeded: boolean("succeeded").notNull(),
    reason: text("reason").notNull(),
    method: text("method").$type<"password" | "oidc">().notNull().default("password"),
  },
  (table) => [
    index("sign_in_attempts_email").on(table.email, table.occurredAt),
    index("sign_in_attempts_address").on(table.address, table.occurredAt),
  ],
);

// API tokens (src/db/migrations/0025_api_tokens.sql): only the SHA-256 of each token is kept.
export const apiTokens = pgTable(
  "api_tokens",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    personId: bigint("person_id", { mode: "number" })
      .notNull()
      .references(() => people.id),
    name: text("name").notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    createdBy: text("created_by").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    revokedBy: text("revoked_by"),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
  },
  (table) => [index("api_tokens_person").on(table.personId)],
);

// Sign-ins begun with the identity provider (src/db/migrations/0029_oidc_sign_in.sql).
export const oidcSignIns = pgTable("oidc_sign_ins", {
  stateHash: text("state_hash").primaryKey(),
  nonce: text("nonce").notNull(),
  codeVerifier: text("code_verifier").notNull(),
  nextPath: text("next_path").notNull().default("/"),
  address: text("address").notNull().default(""),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  usedAt: timestamp("used_at", { withTimezone: true }),
});
