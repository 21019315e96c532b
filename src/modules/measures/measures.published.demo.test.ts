import "../../demo/loaders.ts";
import assert from "node:assert/strict";
import { test } from "node:test";
import { describeOnBothDatabases, TEST_ACTOR } from "../../../test/helpers/database.ts";
import { demoBenchmarkExtract } from "../../../test/helpers/lait-extract.ts";
import { publishedContext, publishedOwnFigure } from "../../domain/benchmark-targets.ts";
import { evaluateTarget, type Verdict } from "../../domain/targets.ts";
import { loadDemoBenchmarks } from "../benchmarks/benchmarks.demo.ts";
import { councilComparison, publishedBenchmarks } from "../benchmarks/benchmarks.service.ts";
import { listMeasureGroups, measurePage } from "./measures.service.ts";

describeOnBothDatabases(
  "measures: the demo's benchmark targets assessed from the Department's data",
  (fresh) => {
    test("targets naming a benchmark are assessed from the imported figures, citing them; the rest say why not", async () => {
      const { db } = await fresh({ demo: true });
      assert.equal(await loadDemoBenchmarks(db, TEST_ACTOR, await demoBenchmarkExtract()), true);
      const ids = (await listMeasureGroups(db)).flatMap((l) =>
        l.rows.flatMap((r) => ("measure" in r ? [r.measure.id] : [])),
      );
      const verdicts = new Map<string, Verdict>();
      const slugs = new Map<string, number>();
      for (const id of new Set(ids)) {
        const page = await measurePage(db, id);
        slugs.set(page.measure.slug, id);
        for (const { target, rating } of page.targets) {
          verdicts.set(`${page.measure.slug} ${target.periodLabel} ${target.targetText}`, rating.verdict);
        }
      }
      const verdict = (key: string) => {
        const found = verdicts.get(key);
        assert.ok(found, `no target ${key}`);
        return [found.outcome, found.explanation, ...found.caveats];
      };
      const published = (what: string) =>
        `The value is the council's figure for ${what} as published (DfE, LAIT); its own tables give none for the period.`;

      // The council's own figure, placed among every council's for the period its cell names.
      assert.deepEqual(
        verdict(
          "ehc-plans-within-timescale-excluding-exceptions 2020/21 To achieve lower middle quartile performance",
        ),
        [
          "met",
          "77.1% is in the upper-middle quartile (band B) of 151 councils for calendar year 2020 (DfE, LAIT), better than the lower-middle quartile sought.",
        ],
      );
      // Periods the council's tables give no value for: its figure as the Department published it.
      assert.deepEqual(verdict("social-worker-vacancies 2021/22 To remain lower than national average"), [
        "met",
        "9.6% is below the England figure of 16.7% for 30 September 2021 (DfE, LAIT).",
        published("30 September 2021"),
      ]);
      assert.deepEqual(verdict("neet-16-17 2021/22 Achieve top-quartile performance"), [
        "met",
        "1.7% is in the top quartile (band A) of 152 councils for financial year 2021-22 (DfE, LAIT).",
        published("financial year 2021-22"),
      ]);
      assert.deepEqual(
        verdict("gcse-english-maths-grade-4 2021/22 To remain in upper-middle national quartile"),
        [
          "not-met",
          "67.8% is in the lower-middle quartile (band C) of 151 councils for academic year 2021/22 (DfE, LAIT), short of the upper-middle quartile.",
          published("academic year 2021/22"),
        ],
      );
      assert.deepEqual(verdict("gcse-english-maths-grade-4 2020/21 To remain better than national figures"), [
        "not-met",
        "71.6% is not better than the England figure of 72.2% for academic year 2020/21 (DfE, LAIT); higher is better.",
        published("academic year 2020/21"),
      ]);
      assert.deepEqual(
        verdict(
          "social-work-assessments-within-45-days 2024-25 maintain upper-middle or better national quartile performance",
        ).slice(0, 2),
        [
          "met",
          "92.8% is in the top quartile (band A) of 152 councils for financial year 2024-25 (DfE, LAIT), better than the upper-middle quartile sought.",
        ],
      );
      assert.equal(
        verdict(
          "icpc-within-15-days 2024-25 maintain upper-middle or better national quartile performance",
        )[0],
        "not-met",
      );
      assert.deepEqual(
        verdict(
          "ehc-plans-within-timescale-excluding-exceptions 2024-25 to exceed the national average",
        ).slice(0, 2),
        ["not-met", "37.8% is not above the England figure of 46.4% for calendar year 2024 (DfE, LAIT)."],
      );
      assert.equal(
        verdict("children-in-care-persistent-absence 2021/22 To be better than the national average")[0],
        "not-met",
      );

      // The band a verdict finds is the band stored at import for the council's published figure.
      const neet = await councilComparison(db, "16-17 NEET");
      assert.equal(neet?.rows.find((r) => r.period.description === "financial year 2021-22")?.band, "A");

      // The rest say why not: measures with no Department counterpart, periods with no figure anywhere.
      assert.deepEqual(verdict("children-returning-home-percent 2020/21 To be above national"), [
        "cannot-assess",
        "Cannot assess: no national figure for 2020/21.",
      ]);
      assert.deepEqual(verdict("primary-attendance 2020/21 Maintain top quartile national performance"), [
        "cannot-assess",
        "Cannot assess: no value for 2020/21.",
      ]);
      const benchmarkWords = /quartile|national|neighbour|rank|in line/i;
      let assessed = 0;
      for (const [key, found] of verdicts) {
        if (!benchmarkWords.test(key)) continue;
        if (found.outcome === "met" || found.outcome === "not-met") {
          assessed += 1;
          assert.match(found.explanation, /\(DfE, LAIT\)/, key);
        } else assert.match(found.explanation, /^Cannot assess: .+\.$/, key);
      }
      assert.ok(assessed >= 10, `assessed ${assessed}`);

      // Wordings the demo's tables do not use, on the demo council's own published figures.
      const eetId = slugs.get("care-leavers-eet");
      assert.ok(eetId !== undefined);
      const eet = (await publishedBenchmarks(db, [eetId])).get(eetId);
      assert.ok(eet);
      const year = { start: "2023-04-01", end: "2024-03-31" };
      const own = publishedOwnFigure(eet, year);
      assert.ok(own);
      const ask = (text: string, span = year, period = "2023/24") =>
        evaluateTarget(text, {
          value: own.value,
          unit: "percent",
          decimals: 1,
          polarity: "higher-is-better",
          period,
          ...publishedContext(eet, span),
        });
      const stored = (await councilComparison(db, "CareLeaverEET"))?.rows.find(
        (r) => r.period.ends === "2024-03-31",
      );
      assert.ok(stored?.rank && stored.neighbourAverage !== null);
      const ranked = ask(`To be ranked in the top ${stored.rank} nationally`);
      assert.equal(ranked.outcome, "met");
      assert.match(
        ranked.explanation,
        new RegExp(`ranks ${stored.rank} of ${stored.rankOf} councils .*\\(DfE, LAIT\\)`),
      );
      assert.equal(ask(`To be ranked in the top ${stored.rank - 1} nationally`).outcome, "not-met");
      const inLine = ask("in line with statistical neighbours");
      assert.match(inLine.explanation, /statistical-neighbour average of .* \(DfE, LAIT\)/);
      const apart = Math.abs(own.value - Number(stored.neighbourAverage));
      assert.equal(inLine.outcome, apart <= 1 ? "met" : "not-met");
      assert.match(ask("in line with the national average").explanation, /England figure/);
      // A year the Department has not published yet.
      const later = ask(
        "to exceed the national average",
        { start: "2030-04-01", end: "2031-03-31" },
        "2030/31",
      );
      assert.equal(later.missing, "benchmark-unpublished");
      assert.match(
        later.explanation,
        /has not been published for 2030\/31 yet \(the latest published is .+\); its data dictionary/,
      );
    });
  },
);
