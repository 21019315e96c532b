import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { IMPORT_WORDING, importWordingIn, pageText } from "./helpers/wording.ts";

/**
 * Users read the council's words: no page or document may talk about how the demo council's
 * documents were brought in (test/helpers/wording.ts). Every page reachable from the dashboard,
 * and every file those pages link to, is read for these words by e2e/every-page.e2e.test.ts, on
 * the one crawl of the demo it shares with the other every-page checks (decision 0028); this
 * file proves the pattern and the reading of a page.
 */
describe("no page or document talks about the import process", () => {
  test("the pattern catches the words it is for, and not ordinary ones", () => {
    for (const words of [
      "The seed shows no rating symbol",
      "symbols were lost in conversion",
      "(read from the row above: the plan's cell is merged)",
      "as keyed",
      "seed line 105",
      "did not survive extraction",
    ]) {
      assert.match(words, IMPORT_WORDING, words);
    }
    for (const words of [
      "Seedlings nursery",
      "merge the two teams",
      "key performance measures",
      "Key line",
    ]) {
      assert.doesNotMatch(words, IMPORT_WORDING, words);
    }
  });

  test("a page's text includes what people hear, not its scripts", () => {
    const html = `<main><h1>Measures</h1><script>const seed = 1;</script>
      <a href="/m/1" aria-label="Figures as keyed">Open</a><img alt="merged cells" src="/x.png"></main>`;
    assert.deepEqual(
      importWordingIn("/m", pageText(html)).map((hit) => hit.split(":")[0]),
      ["/m", "/m"],
    );
    assert.doesNotMatch(pageText(html), /const seed/);
  });
});
