import assert from "node:assert/strict";
import { test } from "node:test";
import { remindersDue } from "./reminders.ts";

const due = "2040-03-10";

test("an item still with its owner is due soon from the days before until its due date, then overdue", () => {
  const item = { state: "draft", dueOn: due, version: 0 };
  assert.deepEqual(remindersDue(item, "2040-03-06", 3, "daily"), []);
  assert.deepEqual(remindersDue(item, "2040-03-07", 3, "daily"), [{ reason: "due-soon", occasion: due }]);
  assert.deepEqual(remindersDue(item, due, 3, "daily"), [{ reason: "due-soon", occasion: due }]);
  assert.deepEqual(remindersDue(item, "2040-03-11", 3, "daily"), [{ reason: "overdue", occasion: due }]);
  assert.deepEqual(remindersDue(item, "2040-03-09", 0, "daily"), [], "0 days: only on the day");
  assert.deepEqual(remindersDue(item, due, 0, "daily"), [{ reason: "due-soon", occasion: due }]);
});

test("a returned item is reminded once per return; submitted and approved ones never", () => {
  assert.deepEqual(remindersDue({ state: "returned", dueOn: null, version: 3 }, due, 3, "daily"), [
    { reason: "returned", occasion: "return-3" },
  ]);
  for (const state of ["submitted", "approved"]) {
    assert.deepEqual(remindersDue({ state, dueOn: due, version: 1 }, "2040-04-01", 3, "daily"), []);
    assert.deepEqual(remindersDue({ state, dueOn: due, version: 1 }, due, 3, "all-outstanding"), []);
  }
  assert.deepEqual(remindersDue({ state: "not-started", dueOn: null, version: 0 }, due, 3, "daily"), []);
  assert.deepEqual(
    remindersDue({ state: "not-started", dueOn: null, version: 0 }, due, 3, "all-outstanding"),
    [{ reason: "outstanding", occasion: due }],
  );
});
