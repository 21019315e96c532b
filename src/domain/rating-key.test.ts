import assert from "node:assert/strict";
import { test } from "node:test";
import { keyLineText, RATING_SYMBOLS, readKeyLine } from "./rating-key.ts";

test("a key line's emoji become one text symbol per rating, each beside its words", () => {
  const line = "Key 🟦 Best 🟢 Good enough 🟡 Review 🔴 Action 🟡 Data not available/Target not set";
  assert.deepEqual(
    readKeyLine(line).map((entry) => entry.rating),
    [null, "good", "review", "action", "none"],
  );
  const text = keyLineText(line);
  assert.doesNotMatch(text, /\p{Extended_Pictographic}/u, "no emoji left");
  assert.match(text, new RegExp(`${RATING_SYMBOLS.review} Review`));
  assert.match(text, new RegExp(`${RATING_SYMBOLS.none} Data not available/Target not set`));
  assert.equal(new Set(Object.values(RATING_SYMBOLS)).size, 5, "one symbol for each meaning");
  assert.equal(keyLineText("Key: see the notes"), "Key: see the notes");
});
