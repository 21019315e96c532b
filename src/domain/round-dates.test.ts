import assert from "node:assert/strict";
import { test } from "node:test";
import { addDays, defaultRoundDueOn, isOverdue, ukToday } from "./round-dates.ts";

test("days are added across months, years and a leap day", () => {
  assert.equal(addDays("2036-02-20", 14), "2036-03-05");
  assert.equal(addDays("2035-02-20", 14), "2035-03-06");
  assert.equal(addDays("2037-12-25", 10), "2038-01-04");
  assert.equal(addDays("2037-01-03", -5), "2036-12-29");
  assert.equal(defaultRoundDueOn("2033-09-30"), "2033-10-14");
});

test("an item is overdue only while it waits for its owner after its due date", () => {
  assert.equal(isOverdue("2033-10-14", "not-started", "2033-10-15"), true);
  assert.equal(isOverdue("2033-10-14", "returned", "2033-10-15"), true);
  assert.equal(isOverdue("2033-10-14", "draft", "2033-10-14"), false, "due today is not overdue");
  assert.equal(isOverdue("2033-10-14", "submitted", "2033-11-01"), false);
  assert.equal(isOverdue("2033-10-14", "approved", "2033-11-01"), false);
  assert.equal(isOverdue(null, "draft", "2033-11-01"), false);
});

test("today is the UK's date, not UTC's", () => {
  assert.equal(ukToday(new Date("2034-06-30T23:30:00Z")), "2034-07-01");
  assert.equal(ukToday(new Date("2034-12-31T23:30:00Z")), "2034-12-31");
});
