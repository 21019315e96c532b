import assert from "node:assert/strict";
import { test } from "node:test";
import { describeChanges, fieldWords, formatValue } from "./audit-changes.ts";

test("money in pence reads as pounds and pence, dates as the council writes them", () => {
  assert.equal(formatValue("forecastOutturnPence", 123_456_789), "£1,234,567.89");
  assert.equal(formatValue("forecastOutturnPence", -50), "-£0.50");
  assert.equal(formatValue("estimatedStartDate", "2025-03-01"), "1 March 2025");
  assert.equal(formatValue("open", true), "yes");
  assert.equal(formatValue("note", null), "none");
  assert.equal(formatValue("quarter", 3), "3");
});

test("field names read as words", () => {
  assert.equal(fieldWords("forecastOutturnPence"), "Forecast outturn");
  assert.equal(fieldWords("estimatedStartDate"), "Estimated start date");
  assert.equal(fieldWords("leadAsWritten"), "Lead officers");
});

test("only what changed is listed, with its value before and after", () => {
  const changes = describeChanges(
    { id: 7, version: 1, forecastOutturnPence: 100_00, controllableBudgetPence: 500_00 },
    { id: 7, version: 2, forecastOutturnPence: 125_50, controllableBudgetPence: 500_00 },
  );
  assert.deepEqual(changes, [{ field: "Forecast outturn", before: "£100.00", after: "£125.50" }]);
});

test("a new record lists what it was created with; nothing before reads as none", () => {
  const changes = describeChanges(null, { title: "Short breaks", status: "planned" });
  assert.deepEqual(changes, [
    { field: "Title", before: "none", after: "Short breaks" },
    { field: "Status", before: "none", after: "planned" },
  ]);
  assert.deepEqual(describeChanges(null, null), []);
  assert.deepEqual(describeChanges("a", "b"), [{ field: "Value", before: "a", after: "b" }]);
});

test("where loaded figures came from is not listed; a nested record reads field by field", () => {
  const changes = describeChanges(null, {
    source: { document: "Made-up report", note: "How it was loaded" },
    carried: { lines: 2, divisions: 0 },
  });
  assert.deepEqual(changes, [{ field: "Carried", before: "none", after: "lines: 2; divisions: 0" }]);
  assert.deepEqual(describeChanges({ source: "Made-up report" }, { source: "Another report" }), [
    { field: "Source", before: "Made-up report", after: "Another report" },
  ]);
});
