/**
 * The demo plan data (data/demo/plan/) read through the domain rules: every start-finish
 * phrase is understood or flagged, and the files hold what the seed documents hold.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { formatPlanDates, parsePlanDates } from "./plan-dates.ts";
import { validateOptionalRiskRating } from "./risks.ts";

function load(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../../data/demo/plan/${name}`, import.meta.url), "utf8"));
}

interface Deliverable {
  id: string;
  order: number;
  section: "one" | "two";
  group: string;
  title: string;
  leadAsWritten: string;
  leadOfficers: { name: string; qualifier: string | null }[];
  startFinish: string;
  successMeasures: string[];
  successMeasuresSplit: string | null;
  councilPlanAsWritten: "Y" | "N" | null;
  inCouncilPlan: boolean | null;
}

interface DeliverablesFile {
  count: number;
  deliverables: Deliverable[];
}

/** The list under `key` in a demo file, checked to be a list. */
function counted(file: unknown, key: string): unknown[] {
  assert.ok(typeof file === "object" && file !== null && key in file, key);
  const list: unknown = (file as Record<string, unknown>)[key];
  assert.ok(Array.isArray(list), key);
  return list;
}

const deliverablesFile = load("deliverables.json") as DeliverablesFile;
const deliverables = deliverablesFile.deliverables;

describe("demo deliverables (2021-2025 plan)", () => {
  it("holds all 31 deliverables, once each, in document order", () => {
    assert.equal(deliverables.length, 31);
    assert.equal(deliverablesFile.count, 31);
    assert.deepEqual(
      deliverables.map((deliverable) => deliverable.order),
      Array.from({ length: 31 }, (_, index) => index + 1),
    );
    assert.equal(new Set(deliverables.map((deliverable) => deliverable.id)).size, 31);
    assert.equal(new Set(deliverables.map((deliverable) => deliverable.title)).size, 31);
    assert.equal(deliverables.filter((deliverable) => deliverable.section === "one").length, 22);
    assert.equal(deliverables.filter((deliverable) => deliverable.section === "two").length, 9);
  });

  it("reads every start-finish phrase, or flags it; none is silently dropped", () => {
    for (const deliverable of deliverables) {
      const dates = parsePlanDates(deliverable.startFinish);
      assert.equal(formatPlanDates(dates), deliverable.startFinish, deliverable.id);
      const understood =
        dates.start.status !== "none" || dates.finish.status !== "none" || dates.recurring !== null;
      assert.ok(understood || dates.flags.length > 0, `${deliverable.id}: "${deliverable.startFinish}"`);
    }
  });

  it("flags exactly the phrases a performance officer must look at", () => {
    const flagged = deliverables
      .map((deliverable) => ({ id: deliverable.id, dates: parsePlanDates(deliverable.startFinish) }))
      .filter(({ dates }) => dates.flags.length > 0)
      .map(({ id, dates }) => [id, dates.flags.map((flag) => flag.code).join(",")]);
    assert.deepEqual(flagged, [
      ["sp2021-d09", "blank"],
      ["sp2021-d10", "blank"],
      ["sp2021-d23", "year-only"],
    ]);
  });

  it("keeps the page-split start-finish cell whole", () => {
    const schools = deliverables.find((deliverable) => deliverable.id === "sp2021-d05");
    assert.equal(schools?.startFinish, "Started Mar 2025");
    assert.deepEqual(parsePlanDates(schools?.startFinish ?? "").finish, {
      status: "date",
      year: 2025,
      month: "2025-03",
    });
  });

  it("gives every deliverable a non-empty list of success measures, with no HTML or bullet left in", () => {
    // The seed has no deliverable with an empty success-measures cell; if one appears it must be
    // recorded as an explicit empty list, which this test would then need to name.
    for (const deliverable of deliverables) {
      assert.ok(Array.isArray(deliverable.successMeasures), deliverable.id);
      assert.ok(deliverable.successMeasures.length > 0, deliverable.id);
      for (const measure of deliverable.successMeasures) {
        assert.ok(measure.trim() === measure && measure !== "", deliverable.id);
        assert.doesNotMatch(measure, /[<>•]/, deliverable.id);
      }
    }
  });

  it("splits joint leads into names and keeps SMT", () => {
    const names = (id: string): string[] =>
      deliverables.find((deliverable) => deliverable.id === id)?.leadOfficers.map((lead) => lead.name) ?? [];
    assert.deepEqual(names("sp2021-d03"), ["SMT"]);
    assert.deepEqual(names("sp2021-d13"), ["Isobel Fleming", "Iain Peel"]);
    assert.deepEqual(names("sp2021-d15"), ["Isobel Fleming", "Mary Hague"]);
    for (const deliverable of deliverables) {
      assert.ok(deliverable.leadOfficers.length > 0, deliverable.id);
    }
  });

  it("has a Council Plan Y/N for Section One only", () => {
    for (const deliverable of deliverables) {
      if (deliverable.section === "one") {
        assert.ok(deliverable.councilPlanAsWritten === "Y" || deliverable.councilPlanAsWritten === "N");
        assert.equal(deliverable.inCouncilPlan, deliverable.councilPlanAsWritten === "Y");
      } else {
        assert.equal(deliverable.councilPlanAsWritten, null);
        assert.equal(deliverable.inCouncilPlan, null);
      }
    }
    assert.equal(deliverables.filter((deliverable) => deliverable.inCouncilPlan === true).length, 13);
  });
});

describe("demo plan files: counts and cross-references", () => {
  const ids = new Set(deliverables.map((deliverable) => deliverable.id));

  it("holds 7 key risks, none scored, each valid as unassessed", () => {
    const risks = counted(load("risks.json"), "risks") as { likelihood: unknown; impact: unknown }[];
    assert.equal(risks.length, 7);
    for (const risk of risks) {
      assert.deepEqual(validateOptionalRiskRating(risk), { ok: true, rating: null });
    }
  });

  it("holds 7 strategic objectives, numbered as the refresh numbers them", () => {
    const objectives = counted(load("objectives.json"), "objectives") as {
      number: number;
      outcome: number;
    }[];
    assert.deepEqual(
      objectives.map((objective) => [objective.number, objective.outcome]),
      [
        [10, 2],
        [11, 2],
        [12, 2],
        [20, 4],
        [21, 5],
        [26, 5],
        [27, 5],
      ],
    );
  });

  it("holds 7 quarter 3 progress updates, each matched to a real deliverable or left unmatched", () => {
    const updates = counted(load("progress-2020-21-q3.json"), "updates") as {
      rating: string;
      flaggedRequiringReview: boolean;
      match: { deliverableId: string } | null;
    }[];
    assert.equal(updates.length, 7);
    for (const update of updates) {
      assert.ok(["Strong", "Good", "Review", "Action", "Data not available"].includes(update.rating));
      assert.equal(update.rating === "Review", update.flaggedRequiringReview);
      if (update.match !== null) {
        assert.ok(ids.has(update.match.deliverableId), update.match.deliverableId);
      }
    }
    assert.equal(updates.filter((update) => update.flaggedRequiringReview).length, 3);
  });

  it("links every deliverable to exactly one priority or theme table of measures", () => {
    const links = load("measure-links.json") as {
      plans: Record<string, { groups?: { group: string; deliverableIds: string[] }[] }>;
    };
    const groups = links.plans["service-plan-2021-2025"]?.groups ?? [];
    assert.equal(groups.length, 7);
    const linked = groups.flatMap((group) => group.deliverableIds);
    assert.deepEqual([...linked].sort(), [...ids].sort());
    for (const group of groups) {
      for (const id of group.deliverableIds) {
        assert.equal(deliverables.find((deliverable) => deliverable.id === id)?.group, group.group);
      }
    }
  });
});
