import assert from "node:assert/strict";
import { test } from "node:test";
import { placeLabel, TIMELINE_WIDTH } from "./plan.timeline.ts";

const WORDS = "Form and implement a monthly Placement Board, with supporting workstreams, to govern delivery";

test("a label that fits goes inside its bar", () => {
  assert.deepEqual(placeLabel("Safeguarding", " (Apr 2024 to Mar 2025)", 0, TIMELINE_WIDTH), {
    label: "Safeguarding (Apr 2024 to Mar 2025)",
    labelX: 6,
    labelAnchor: "start",
  });
});

test("a label beside a short bar goes after it, or before it near the end of the year", () => {
  const early = placeLabel("Aligning capacity", " (May 2024 to May 2024)", 80, 80);
  assert.equal(early.labelAnchor, "start");
  assert.equal(early.labelX, 166);
  const late = placeLabel("Governing the model", " (Jan 2025 to Mar 2025)", 720, 240);
  assert.equal(late.labelAnchor, "end");
  assert.equal(late.labelX, 714);
});

test("when neither side has room the words are shortened, never the months", () => {
  for (const [x, width] of [
    [400, 160],
    [320, 320],
    [300, 360],
  ] as const) {
    const placed = placeLabel(WORDS, " (Jul 2024 to Oct 2024)", x, width);
    assert.match(placed.label, /… \(Jul 2024 to Oct 2024\)$/);
    const extent = placed.label.length * 6.4;
    const left = placed.labelAnchor === "start" ? placed.labelX : placed.labelX - extent;
    assert.ok(left >= 0 && left + extent <= TIMELINE_WIDTH, `label at ${x},${width} stays in the picture`);
  }
});
