import assert from "node:assert/strict";
import { test } from "node:test";
import { footnotesInKey, parsePastedTable, ratingSymbolsOf } from "./measures.paste.ts";

const HEADER = ["Key Performance Measure\tActual\tLatest\tTarget", "\t2019/20\t2020/21\t2020/21"];

test("a footnote line's marker stops before its text: '*New measure' is '*', '*² Please' is '*²'", () => {
  const table = parsePastedTable(
    [
      ...HEADER,
      "New sickness absence measure (Dept figure)*\tNew Measure\tNew Measure\tNot Set",
      "*New measure being developed to enable benchmarking.",
      "Percentage of children and young people who are offered their first preference of primary school\t83.2%* ²\t-\t-",
      "*² Please note that there is a discrepancy.",
      "*^C outcomes for the full 2019-20 academic year not available.",
    ].join("\n"),
  );
  assert.deepEqual(table.footnotes, [
    { marker: "*", text: "New measure being developed to enable benchmarking." },
    { marker: "*²", text: "Please note that there is a discrepancy." },
    { marker: "*^C", text: "outcomes for the full 2019-20 academic year not available." },
  ]);
  assert.equal(table.rows.length, 2);
});

test("footnotes sharing the key line are split out, and the key line is kept whole", () => {
  const key =
    "Key: AD Awaiting Data; N/A Not Applicable; (p) Provisional; *measure subject to change; *^C outcomes not available as a result of Covid-19.";
  const table = parsePastedTable([...HEADER, "A measure\t1%\t2%\t3%", "", key].join("\n"));
  assert.equal(table.key, key);
  assert.deepEqual(table.footnotes, [
    { marker: "*", text: "measure subject to change" },
    { marker: "*^C", text: "outcomes not available as a result of Covid-19." },
  ]);
  assert.deepEqual(footnotesInKey("Key: AD Awaiting Data; (p) Provisional *measure subject to change"), [
    { marker: "*", text: "measure subject to change" },
  ]);
  assert.deepEqual(footnotesInKey("Key: AD Awaiting Data; * subject to inspections resuming"), [
    { marker: "*", text: "subject to inspections resuming" },
  ]);
  assert.deepEqual(footnotesInKey("Key: AD Awaiting Data; N/A Not Applicable; (p) Provisional"), []);
});

test("a cell Excel quoted for its line break is one cell, its lines joined with a space, and the row says so", () => {
  const table = parsePastedTable(
    [
      ...HEADER,
      'Number of missing episodes\t828\t"909\n(Dec 20)"\tLess than 810',
      'Children said to be ""safe""\t"She said ""yes""\nthen ""no"""\t12\t',
    ].join("\r\n"),
  );
  assert.deepEqual(
    table.rows.map((row) => [row.line, row.title, row.cells]),
    [
      [3, "Number of missing episodes", ["828", "909 (Dec 20)", "Less than 810"]],
      [5, 'Children said to be ""safe""', ['She said "yes" then "no"', "12", ""]],
    ],
  );
  assert.deepEqual(table.rows[0]?.lineBreaks, [{ column: 1, parts: ["909", "(Dec 20)"] }]);
  assert.deepEqual(table.rows[1]?.lineBreaks, [{ column: 0, parts: ['She said "yes"', 'then "no"'] }]);
});

test("a cell that only starts with a quote mark is kept as written", () => {
  const table = parsePastedTable(
    [...HEADER, '"Good" or better schools\t"80%" (p)\t81%\t"90%', "Next measure\t1\t2\t3"].join("\n"),
  );
  assert.deepEqual(
    table.rows.map((row) => [row.title, row.cells]),
    [
      ['"Good" or better schools', ['"80%" (p)', "81%", '"90%']],
      ["Next measure", ["1", "2", "3"]],
    ],
  );
});

test("the key's coloured symbols give rating words, and a symbol used twice gives both", () => {
  const symbols = ratingSymbolsOf(
    "Key 🟦 Strong 🟢 Good 🟡 Review 🔴 Action 🟡 Data not available/Target not set",
  );
  assert.deepEqual(symbols.get("🔴"), ["Action"]);
  assert.deepEqual(symbols.get("🟦"), ["Strong"]);
  assert.deepEqual(symbols.get("🟢"), ["Good"]);
  assert.deepEqual(symbols.get("🟡"), ["Review", "Data not available/Target not set"]);
  assert.equal(ratingSymbolsOf(null).size, 0);
  assert.deepEqual(ratingSymbolsOf("Key 🔴 Action 🟢 Good *^C autumn term only").get("🟢"), ["Good"]);
});
