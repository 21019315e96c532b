import assert from "node:assert/strict";
import { test } from "node:test";
import { columnWidths, spreadsheetWidths, textEms, wrappedLines } from "./column-widths.ts";
import type { TableBlock } from "./model.ts";

const metrics = { em: 180, padding: 200, bulletIndent: 220 };

const activities: TableBlock = {
  kind: "table",
  id: "activities",
  caption: "Base Plan activities",
  columns: [
    { heading: "Objective", format: "text" },
    { heading: "Supporting activity", format: "text" },
    { heading: "Start month", format: "text" },
    { heading: "End month", format: "text" },
  ],
  rows: [
    {
      cells: [
        { text: "10" },
        { text: "Governing the effectiveness of the Stronger Families model and identifying the savings" },
        { text: "Not set" },
        { text: "Not set" },
      ],
    },
    {
      cells: [
        { text: "11" },
        { text: "Form and implement a monthly Placement Board" },
        { text: "Apr 2024" },
        { text: "Not set" },
      ],
    },
  ],
};

test("a column of long text gets the room; short columns keep their longest word whole", () => {
  const widths = columnWidths(activities, 9000, metrics);
  assert.ok(widths.reduce((sum, width) => sum + width, 0) <= 9000);
  const [objective = 0, activity = 0, start = 0, end = 0] = widths;
  assert.ok(activity > objective + start + end, `activity ${activity} of ${widths}`);
  // "Objective", "Apr 2024"'s "2024" and "month" are whole, with the cell's margins.
  assert.ok(objective >= textEms("Objective") * 180 + 200);
  assert.ok(start >= textEms("month") * 180 + 200 && end >= textEms("month") * 180 + 200);
});

test("a text's width counts wide and narrow characters: 100.0% is wider than 100.01", () => {
  assert.ok(textEms("100.0%") > textEms("100.01"));
  assert.ok(textEms("mmm") > textEms("iii"));
});

test("a figure never wraps: a figure column is as wide as its longest figure", () => {
  const budget: TableBlock = {
    ...activities,
    columns: [
      { heading: "Division", format: "text" },
      { heading: "Gross", format: "pounds" },
    ],
    rows: [{ cells: [{ text: "Early Help and Safeguarding" }, { text: "987,654,321" }] }],
  };
  const [, gross = 0] = columnWidths(budget, 3000, metrics);
  assert.ok(gross >= textEms("987,654,321") * 180 + 200, `gross ${gross}`);
});

test("when the longest words alone overflow, every column shrinks in proportion", () => {
  const widths = columnWidths(activities, 1000, metrics);
  assert.ok(widths.reduce((sum, width) => sum + width, 0) <= 1000);
  assert.ok(widths.every((width) => width > 0));
});

test("a bulleted column leaves room for the bullet's indent", () => {
  const measures = (bullets: boolean): TableBlock => ({
    ...activities,
    columns: [
      { heading: "Measures", format: "text" },
      { heading: "Lead", format: "text" },
    ],
    rows: [{ cells: [{ text: "a b", lines: ["a", "b"], bullets }, { text: "x" }] }],
  });
  // Squeezed below the least widths, columns share in proportion to them: 1 character + margins
  // + indent against 4 characters ("Lead") + margins.
  const [bulleted = 0] = columnWidths(measures(true), 1000, metrics);
  const [plain = 0] = columnWidths(measures(false), 1000, metrics);
  assert.ok(bulleted > plain, `${bulleted} > ${plain}`);
});

test("a spreadsheet column is as wide as its text asks, within 8 and 60 characters", () => {
  const [objective = 0, activity = 0, start = 0] = spreadsheetWidths(activities);
  assert.ok(activity > 40 && activity <= 60, `activity ${activity}`);
  assert.ok(objective >= 8 && objective < 20, `objective ${objective}`);
  assert.ok(start >= 8 && start < 20, `start ${start}`);
});

test("wrapped text: words kept whole, a line break starts a line", () => {
  assert.equal(wrappedLines("Not set", 12), 1);
  assert.equal(wrappedLines("Governing the effectiveness of the Stronger Families model", 20), 4);
  assert.equal(wrappedLines("• one\n• two", 40), 2);
  // A word longer than the column takes its own line, never zero.
  assert.equal(wrappedLines("Derbyshire", 3), 1);
});
