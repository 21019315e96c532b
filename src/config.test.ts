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

test("email reminders are configured whole and checked, or not at all", () => {
  const production = {
    NODE_ENV: "production",
    BASEPLAN_COOKIE_SECRET: "x".repeat(40),
    BASEPLAN_SESSION_SECRET: "y".repeat(40),
  };
  const mail = {
    BASEPLAN_SMTP_URL: "smtp://reminders:p%40ss@mail.riverside.example:587",
    BASEPLAN_MAIL_FROM: "performance@riverside.example",
    BASEPLAN_BASE_URL: "https://baseplan.riverside.example/",
  };
  assert.equal(loadConfig(production).mail, undefined, "unset: nothing is sent");
  assert.equal(loadConfig(production).reminderDaysBefore, 3);
  const configured = loadConfig({ ...production, ...mail, BASEPLAN_REMINDER_DAYS_BEFORE: "5" });
  assert.deepEqual(configured.mail, {
    smtpUrl: mail.BASEPLAN_SMTP_URL,
    from: "performance@riverside.example",
    baseUrl: "https://baseplan.riverside.example",
  });
  assert.equal(configured.reminderDaysBefore, 5);
  assert.throws(
    () => loadConfig({ ...production, BASEPLAN_SMTP_URL: mail.BASEPLAN_SMTP_URL }),
    (error: Error) =>
      /BASEPLAN_MAIL_FROM is needed with BASEPLAN_SMTP_URL/.test(error.message) &&
      /BASEPLAN_BASE_URL is needed/.test(error.message) &&
      !error.message.includes("p%40ss"),
  );
  assert.throws(
    () => loadConfig({ ...production, ...mail, BASEPLAN_SMTP_URL: "mail.riverside.example:25" }),
    /BASEPLAN_SMTP_URL is not an SMTP server's address: write it as smtp:\/\//,
  );
  assert.throws(
    () => loadConfig({ ...production, ...mail, BASEPLAN_MAIL_FROM: "Performance team" }),
    /BASEPLAN_MAIL_FROM is "Performance team", which is not an email address/,
  );
  assert.throws(
    () => loadConfig({ ...production, ...mail, BASEPLAN_BASE_URL: "baseplan.riverside.example" }),
    /BASEPLAN_BASE_URL is "baseplan.riverside.example": it must be this site's address/,
  );
  assert.throws(
    () => loadConfig({ ...production, ...mail, BASEPLAN_REMINDER_DAYS_BEFORE: "a week" }),
    /BASEPLAN_REMINDER_DAYS_BEFORE/,
  );
});
