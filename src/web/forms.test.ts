import assert from "node:assert/strict";
import { test } from "node:test";
import { z } from "zod";
import { parseForm, versionOf } from "./forms.ts";

const schema = z.object({
  narrative: z.string().trim().min(1, "Enter a narrative"),
  rating: z.enum(["good", "action"], { message: "Select a rating" }),
});

test("a valid form gives its values", () => {
  assert.deepEqual(parseForm(schema, { narrative: " On track ", rating: "good" }), {
    ok: true,
    value: { narrative: "On track", rating: "good" },
  });
});

test("each problem becomes one GOV.UK field error with the schema's message", () => {
  assert.deepEqual(parseForm(schema, { narrative: "", rating: "purple" }), {
    ok: false,
    errors: [
      { field: "narrative", message: "Enter a narrative" },
      { field: "rating", message: "Select a rating" },
    ],
  });
});

test("a version must be a positive whole number", () => {
  assert.equal(versionOf({ version: "3" }), 3);
  assert.equal(versionOf({ version: "3.5" }), null);
  assert.equal(versionOf({ version: "-1" }), null);
  assert.equal(versionOf({}), null);
});
