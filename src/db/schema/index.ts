// Every module's tables, for Drizzle's typed queries. The SQL that creates them is in
// src/db/migrations; test/schema-drift.test.ts checks that the two agree.

export * from "./benchmarks.ts";
export * from "./finance.ts";
export * from "./foundation.ts";
export * from "./measures.ts";
export * from "./people.ts";
export * from "./periods.ts";
export * from "./plan.ts";
export * from "./procurement.ts";
export * from "./reminders.ts";
export * from "./reports.ts";
