import assert from "node:assert/strict";
import { test } from "node:test";
import { monthAndYear, monthName } from "./calendar.ts";

test("month names, January first, none outside 1-12", () => {
  assert.equal(monthName(1), "January");
  assert.equal(monthName(12), "December");
  assert.equal(monthName(13), undefined);
});

test("a next-update date in words, or null where there is no readable date", () => {
  assert.equal(monthAndYear("2026-06-01"), "June 2026");
  assert.equal(monthAndYear("2027-13-01"), null);
  assert.equal(monthAndYear("June 2026"), null);
  assert.equal(monthAndYear(null), null);
});
