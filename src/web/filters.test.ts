import assert from "node:assert/strict";
import { test } from "node:test";
import nunjucks from "nunjucks";
import { registerFilters, trim } from "./filters.ts";

/** Nunjucks' own trim filter, as it was before registerFilters replaced it. */
const nunjucksTrim = (value: string) => value.replace(/^\s*|\s*$/g, "");

test("trim removes what Nunjucks' own trim removes, from both ends only", () => {
  for (const text of [
    "",
    "   ",
    "plain",
    "  both ends  ",
    "\n\t  <dl>\n    <dt>Key</dt>   <dd>Value</dd>\n  </dl>\n\n",
    "inside   runs\n\n\nstay",
    "\u00a0non-breaking and ideographic\u3000",
    "\ufeffbyte order mark\u2028",
  ]) {
    assert.equal(trim(text), nunjucksTrim(text), JSON.stringify(text));
  }
});

test("trim keeps safe text safe and escapes the rest, as Nunjucks' trim does", () => {
  const ours = new nunjucks.Environment(null, { autoescape: true });
  registerFilters(ours);
  const theirs = new nunjucks.Environment(null, { autoescape: true });
  const context = { html: "  <b>bold</b>\n", text: "  <b>bold</b>\n" };
  const expected: [string, string][] = [
    ["[{{ html | safe | trim }}]", "[<b>bold</b>]"],
    ["[{{ text | trim }}]", "[&lt;b&gt;bold&lt;/b&gt;]"],
    // GOV.UK Frontend's macros trim their own output, which is safe: it is not escaped again.
    ["{% macro inner() %}\n  <p>Macro</p>\n{% endmacro %}[{{ inner() | trim }}]", "[<p>Macro</p>]"],
    ["{% set inner %}\n  <p>Set</p>\n{% endset %}[{{ inner | trim }}]", ""],
  ];
  for (const [source, output] of expected) {
    const before = theirs.renderString(source, context);
    assert.equal(ours.renderString(source, context), before, source);
    if (output) assert.equal(before, output, source);
  }
});
