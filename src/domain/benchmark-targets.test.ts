import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  benchmarkUsed,
  matchPublishedPeriod,
  namesBenchmark,
  type PublishedBenchmark,
  type PublishedPeriodFigures,
  publishedContext,
  publishedOwnFigure,
} from "./benchmark-targets.ts";
import { evaluateTarget, parseTarget } from "./targets.ts";

function period(
  label: string,
  starts: string,
  ends: string,
  figures: Partial<PublishedPeriodFigures> = {},
): PublishedPeriodFigures {
  return {
    label,
    description: `made-up ${label}`,
    starts,
    ends,
    ours: null,
    england: null,
    region: null,
    neighbourAverage: null,
    rank: null,
    ...figures,
  };
}

const academic = [
  period("2030", "2029-09-01", "2030-08-31", { england: 40, rank: 12 }),
  period("2031", "2030-09-01", "2031-08-31", { england: 42.5, region: 41, neighbourAverage: 43.25 }),
];

function published(periods: readonly PublishedPeriodFigures[]): PublishedBenchmark {
  return {
    title: "Widgets mended",
    source: "Test Office, Tool",
    regionName: "Northern Shire",
    expected: "March 2032",
    tolerance: 0.5,
    periods,
  };
}

describe("matching a council's period to a published period", () => {
  it("takes the one-year period that overlaps it most, the later on a tie", () => {
    // Financial year 2030/31: April 2030 to March 2031; academic 2030/31 overlaps seven months.
    assert.equal(matchPublishedPeriod({ start: "2030-04-01", end: "2031-03-31" }, academic)?.label, "2031");
    // A quarter inside academic 2029/30.
    assert.equal(matchPublishedPeriod({ start: "2030-04-01", end: "2030-06-30" }, academic)?.label, "2030");
    // Calendar years: 2030 overlaps financial 2030/31 for nine months, 2031 for three.
    const calendar = [period("2030", "2030-01-01", "2030-12-31"), period("2031", "2031-01-01", "2031-12-31")];
    assert.equal(matchPublishedPeriod({ start: "2030-04-01", end: "2031-03-31" }, calendar)?.label, "2030");
    // A position at a date answers the year it falls in; a rolling three-year figure never answers.
    const mixed = [period("2031", "2031-03-31", "2031-03-31"), period("2028-30", "2028-01-01", "2030-12-31")];
    assert.equal(matchPublishedPeriod({ start: "2030-04-01", end: "2031-03-31" }, mixed)?.label, "2031");
    assert.equal(matchPublishedPeriod({ start: "2029-04-01", end: "2030-03-31" }, mixed), null);
    // Equal overlap: the later one.
    const halves = [period("a", "2030-01-01", "2030-06-30"), period("b", "2030-07-01", "2030-12-31")];
    assert.equal(matchPublishedPeriod({ start: "2030-04-01", end: "2030-09-29" }, halves)?.label, "b");
  });
});

describe("published figures as a target's context", () => {
  it("gives the matched figures, the previous period's and the source to cite", () => {
    const found = publishedContext(published(academic), { start: "2030-04-01", end: "2031-03-31" });
    assert.deepEqual(found?.benchmarks, {
      source: {
        name: "Test Office, Tool",
        period: "made-up 2031",
        previousPeriod: "made-up 2030",
        regionName: "Northern Shire",
      },
      national: { current: 42.5, previous: 40 },
      regional: { current: 41, previous: null },
      statisticalNeighbours: { current: 43.25, previous: null },
      tolerance: 0.5,
    });
    assert.equal(found?.previousRank, 12);
    const verdict = evaluateTarget("to exceed the national average", {
      value: 44,
      unit: "percent",
      decimals: 0,
      polarity: "higher-is-better",
      period: "2030/31",
      ...found,
    });
    assert.equal(
      verdict.explanation,
      "44% is above the England figure of 42.5% for made-up 2031 (Test Office, Tool).",
    );
  });

  it("says a later period is not published yet, and has nothing for an earlier one", () => {
    const later = publishedContext(published(academic), { start: "2031-04-01", end: "2032-03-31" });
    assert.deepEqual(later?.benchmarks?.unpublished, {
      what: "Widgets mended (Test Office, Tool)",
      expected: "March 2032",
      latest: "made-up 2031",
    });
    assert.equal(publishedContext(published(academic), { start: "2020-04-01", end: "2021-03-31" }), null);
    assert.equal(publishedContext(published(academic), null), null);
    // Nothing published at all: every period is still to come.
    assert.equal(
      publishedContext(published([]), { start: "2020-04-01", end: "2021-03-31" })?.benchmarks?.unpublished
        ?.latest,
      null,
    );
  });
});

describe("the council's own published figure", () => {
  it("is the matched period's, with a note saying where it came from", () => {
    const periods = [period("2031", "2030-09-01", "2031-08-31", { ours: 41.5 })];
    assert.deepEqual(publishedOwnFigure(published(periods), { start: "2030-04-01", end: "2031-03-31" }), {
      value: 41.5,
      note: "The value is the council's figure for made-up 2031 as published (Test Office, Tool); its own tables give none for the period.",
    });
    assert.equal(publishedOwnFigure(published(academic), { start: "2030-04-01", end: "2031-03-31" }), null);
    assert.equal(publishedOwnFigure(published(periods), null), null);
  });
});

describe("which targets are judged against benchmarks, and against which published period", () => {
  it("names quartile, rank, gap and average targets, not a plain figure or an earlier period", () => {
    const named = [
      "Achieve top-quartile performance",
      "To remain lower than national average",
      "in line with statistical neighbours",
      "ranked in the top 50 nationally",
    ];
    for (const words of named) assert.equal(namesBenchmark(parseTarget(words)), true, words);
    for (const words of ["95%", "Maintain 2019/20 performance", "monitor only"])
      assert.equal(namesBenchmark(parseTarget(words)), false, words);
  });

  it("says the published period used, or that it is not published yet and when it is expected", () => {
    const figures = published(academic);
    assert.deepEqual(benchmarkUsed(figures, { start: "2030-04-01", end: "2031-03-31" }), {
      kind: "published",
      source: "Widgets mended (Test Office, Tool)",
      period: "made-up 2031",
    });
    assert.deepEqual(benchmarkUsed(figures, { start: "2033-04-01", end: "2034-03-31" }), {
      kind: "unpublished",
      source: "Widgets mended (Test Office, Tool)",
      expected: "March 2032",
      latest: "made-up 2031",
    });
    assert.deepEqual(benchmarkUsed(figures, { start: "2001-04-01", end: "2002-03-31" }), {
      kind: "none",
      source: "Widgets mended (Test Office, Tool)",
    });
  });
});
