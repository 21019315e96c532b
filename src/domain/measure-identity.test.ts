import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  answersSearch,
  type IdentifiableMeasure,
  matchMeasure,
  normaliseCode,
  normaliseTitle,
  printedRatingAgreement,
  readTrendWords,
  titleLikeness,
} from "./measure-identity.ts";

const measure = (id: number, title: string, code: string | null = null, otherTitles: string[] = []) => ({
  id,
  title,
  code,
  otherTitles,
});

describe("normaliseTitle", () => {
  it("treats quotes, dashes, spaces and case as the same", () => {
    assert.equal(
      normaliseTitle("Children’s  centres – “Audited”\u00a0rate"),
      normaliseTitle('children\'s centres - "audited" RATE'),
    );
  });
  it("keeps different words different", () => {
    assert.notEqual(normaliseTitle("Children in care"), normaliseTitle("Children in need"));
  });
  it("reads codes without their spaces, dashes and case", () => {
    assert.equal(normaliseCode("PI 12"), normaliseCode("pi-12"));
    assert.notEqual(normaliseCode("PI 12"), normaliseCode("PI 13"));
  });
});

describe("matchMeasure", () => {
  const known: IdentifiableMeasure[] = [
    measure(1, "Average days to relet a home", "HX2"),
    measure(2, "Percentage of tenants' repairs done on time", null, ["Repairs on time"]),
    measure(3, "Number of households in temporary accommodation", "HX5"),
  ];

  it("matches by code even where the title was reworded", () => {
    const found = matchMeasure(known, {
      code: "hx 2",
      title: "Average number of days to re-let a council home",
    });
    assert.deepEqual(found.by === "none" ? null : [found.by, found.measure.id], ["code", 1]);
  });

  it("matches a title written with a curly apostrophe, and a former title", () => {
    const curly = matchMeasure(known, { title: "Percentage of tenants’ repairs done on time" });
    assert.equal(curly.by !== "none" && curly.measure.id, 2);
    const former = matchMeasure(known, { title: "REPAIRS  on time" });
    assert.equal(former.by !== "none" && former.measure.id, 2);
  });

  it("does not match a title under a different code", () => {
    const found = matchMeasure(known, {
      code: "HX9",
      title: "Number of households in temporary accommodation",
    });
    assert.equal(found.by, "none");
  });

  it("offers close matches, closest first, and none for an unrelated title", () => {
    const found = matchMeasure(known, { title: "Average number of days to relet a council home" });
    assert.equal(found.by, "none");
    assert.deepEqual(found.by === "none" && found.closest.map((candidate) => candidate.id), [1]);
    const unrelated = matchMeasure(known, { title: "Library visits per head" });
    assert.deepEqual(unrelated.by === "none" && unrelated.closest, []);
    assert.equal(titleLikeness("", "anything"), 0);
  });
});

describe("readTrendWords", () => {
  const cases: [string, string | null][] = [
    ["Getting better", "better"],
    ["Better", "better"],
    ["Improving", "better"],
    ["No change", "same"],
    ["Stable", "same"],
    ["Getting worse", "worse"],
    ["Declining.", "worse"],
    ["↑", null],
    ["Up", null],
    ["", null],
  ];
  for (const [text, direction] of cases) {
    it(`reads "${text}" as ${direction ?? "not read"}`, () => assert.equal(readTrendWords(text), direction));
  }
});

describe("printedRatingAgreement", () => {
  const key = ["Strong", "Good", "Review", "Action"];
  it("compares a printed word on the same key, in any case", () => {
    assert.equal(printedRatingAgreement("ACTION", "Action", key), "agrees");
    assert.equal(printedRatingAgreement("Good", "Review", key), "differs");
  });
  it("does not compare a rating on the document's own key, nor a blank", () => {
    assert.equal(printedRatingAgreement("Amber", "Review", key), "other key");
    assert.equal(printedRatingAgreement(" ", "Review", key), null);
    assert.equal(printedRatingAgreement(null, "Review", key), null);
  });
});

describe("answersSearch", () => {
  const measure = { titles: ["Children’s centres – audited", "Centres audited"], code: "PI 12" };
  it("finds words of any title, now or before, whatever the quotes, dashes and case", () => {
    assert.equal(answersSearch("children's centres - AUDITED", measure), true);
    assert.equal(answersSearch("centres audited", measure), true);
    assert.equal(answersSearch("libraries", measure), false);
  });
  it("finds a code written another way, and part of one", () => {
    assert.equal(answersSearch("pi-12", measure), true);
    assert.equal(answersSearch("PI1", measure), true);
    assert.equal(answersSearch("PI 13", measure), false);
    assert.equal(answersSearch("PI 12", { titles: ["Visits"], code: null }), false);
  });
  it("an empty search answers every measure", () => {
    assert.equal(answersSearch("  ", measure), true);
  });
});
