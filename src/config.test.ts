import assert from "node:assert/strict";
import { test } from "node:test";
import { loadConfig } from "./config.ts";

test("production refuses to start with the development cookie secret or a short one", () => {
  const production = { NODE_ENV: "production" };
  assert.throws(
    () =>
      loadConfig({
        ...production,
        BASEPLAN_COOKIE_SECRET: "baseplan-development-only-cookie-secret-not-for-production",
      }),
    /development value/,
  );
  assert.throws(
    () => loadConfig({ ...production, BASEPLAN_COOKIE_SECRET: "short" }),
    /BASEPLAN_COOKIE_SECRET/,
  );
  assert.throws(() => loadConfig(production), /BASEPLAN_COOKIE_SECRET/);
  assert.equal(
    loadConfig({
      ...production,
      BASEPLAN_COOKIE_SECRET: "x".repeat(40),
      BASEPLAN_SESSION_SECRET: "y".repeat(40),
    }).cookieSecret,
    "x".repeat(40),
  );
});
