import assert from "node:assert/strict";
import { test } from "node:test";
import { NotFound } from "../errors.ts";
import { idParam, LARGEST_ID } from "./params.ts";

test("an id is a whole number from 1 to the largest a database integer holds", () => {
  assert.equal(idParam("1", "Measure"), 1);
  assert.equal(idParam("42", "Measure"), 42);
  assert.equal(idParam(String(LARGEST_ID), "Measure"), LARGEST_ID);
});

test("anything else is a page that does not exist, naming what was asked for", () => {
  for (const raw of [
    undefined,
    "",
    "0",
    "-1",
    "+1",
    "1.5",
    "1e3",
    " 7",
    "abc",
    "0x10",
    "2147483648",
    "99999999999",
  ]) {
    assert.throws(
      () => idParam(raw, "Measure"),
      (error: unknown) => error instanceof NotFound && error.message === "Measure could not be found.",
      `"${raw}" is refused`,
    );
  }
});
