import assert from "node:assert/strict";
import { test } from "node:test";
import { z } from "zod";
import { MAX_FIELD_LENGTH, parseForm, parseFormBody, versionOf } from "./forms.ts";

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

test("a form body is read as browsers send it: bytes that are not UTF-8 become U+FFFD, repeats an array", () => {
  const body = parseFormBody("title=caf%C3%A9+bar&bad=%FFx&tag=a&tag=b&empty=");
  assert.equal(body.title, "café bar");
  assert.equal(body.bad, "\ufffdx");
  assert.deepEqual(body.tag, ["a", "b"]);
  assert.equal(body.empty, "");
});

test("NUL, unreadable bytes and too long a text are errors beside their field, before the schema's", () => {
  const result = parseForm(
    schema,
    {
      narrative: "On\u0000track",
      rating: "purple",
      note: "\ufffd",
      long: "x".repeat(MAX_FIELD_LENGTH + 1),
      table: "x".repeat(MAX_FIELD_LENGTH + 1),
    },
    { longFields: { table: MAX_FIELD_LENGTH * 2 } },
  );
  assert.equal(result.ok, false);
  if (result.ok) return;
  assert.deepEqual(
    result.errors.map((error) => error.field),
    ["narrative", "note", "long", "rating"],
  );
  assert.match(result.errors[0]?.message ?? "", /^The narrative contains a null character/);
  assert.match(result.errors[1]?.message ?? "", /could not be read as text/);
  assert.match(result.errors[2]?.message ?? "", /10,000 characters or fewer; it has 10,001/);
});
