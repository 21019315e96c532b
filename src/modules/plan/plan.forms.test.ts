import assert from "node:assert/strict";
import { test } from "node:test";
import type { FastifyInstance } from "fastify";
import { withApp } from "../../../test/helpers/app.ts";
import { buildCouncil } from "../../../test/helpers/builders.ts";
import {
  describeOnBothDatabases,
  type FreshOptions,
  TEST_ACTOR,
  type TestDatabase,
} from "../../../test/helpers/database.ts";
import type { Database } from "../../db/client.ts";
import { listAuditEvents } from "../audit/audit.service.ts";
import { measurePage } from "../measures/measures.service.ts";
import * as repository from "./plan.repository.ts";
import {
  basePlan,
  changeLeadOfficers,
  deliverableDetail,
  goldenThread,
  knownOfficers,
} from "./plan.service.ts";

/** Posts a form as a browser would: with the CSRF token and cookie from the page it came from. */
async function postForm(app: FastifyInstance, from: string, to: string, fields: Record<string, string>) {
  const page = await app.inject({ method: "GET", url: from });
  assert.equal(page.statusCode, 200, `${from} should render`);
  const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? "";
  const cookie = page.cookies.map((c) => `${c.name}=${c.value}`).join("; ");
  return app.inject({
    method: "POST",
    url: to,
    payload: new URLSearchParams({ _csrf: token, ...fields }).toString(),
    headers: { "content-type": "application/x-www-form-urlencoded", cookie },
  });
}

async function deliverableBySlug(db: Database, slug: string) {
  const deliverable = await repository.findDeliverableBySlug(db, slug);
  assert.ok(deliverable, `deliverable ${slug}`);
  return deliverable;
}

describeOnBothDatabases("linked measures with their ratings", (fresh) => {
  test("a deliverable's linked measures carry the latest value, target and rating the measure's own page gives", async () => {
    const { db } = await fresh({ demo: true });
    const deliverable = await deliverableBySlug(db, "sp2021-d05");
    const detail = await deliverableDetail(db, deliverable.id);
    const resolved = detail.linkedMeasures.filter((link) => link.measureId !== null);
    assert.ok(resolved.length > 10, "most of the priority table's measures are in the measures list");
    for (const link of resolved) {
      assert.ok(link.rating, `${link.measureTitle} has a rating`);
      const page = await measurePage(db, link.measureId ?? 0);
      const row = page.rows.find((candidate) => candidate.latest !== null) ?? page.rows[0];
      assert.equal(link.rating.key, row?.rating.rating);
      assert.equal(link.latestText, row?.latest?.cellText ?? null);
      assert.equal(link.targetText, row?.target?.targetText ?? null);
    }
    await withApp(db, async (app) => {
      const response = await app.inject(`/plan/deliverables/${deliverable.id}`);
      assert.equal(response.statusCode, 200);
      const first = resolved[0];
      assert.ok(first?.rating);
      assert.ok(response.body.includes(`href="/measures/${first.measureId}"`));
      assert.match(response.body, /data-testid="linked-measures"/);
      const rows = response.body.split('data-testid="linked-measure"').slice(1);
      assert.equal(rows.length, detail.linkedMeasures.length);
      assert.ok(rows.filter((row) => /class="bp-rating bp-rating--/.test(row)).length >= resolved.length);
    });
  });

  test("the refresh's measures are linked to outcomes 2, 4 and 5 and shown under them and their objectives", async () => {
    const { db } = await fresh({ demo: true });
    assert.equal(await repository.countOutcomeMeasureLinks(db), 18);
    const thread = await goldenThread(db, null);
    assert.ok(thread);
    const counts = thread.outcomes.map((outcome) =>
      outcome.measures.reduce((sum, listed) => sum + listed.measures.length, 0),
    );
    assert.deepEqual(
      thread.outcomes.map((outcome, index) => [outcome.number, counts[index]]),
      [
        [1, 0],
        [2, 5],
        [3, 0],
        [4, 2],
        [5, 11],
      ],
    );
    const outcome5 = thread.outcomes.find((outcome) => outcome.number === 5);
    const listed = outcome5?.measures[0]?.measures ?? [];
    assert.equal(listed.filter((link) => link.afterBlankLine).length, 7);
    // Every measure the catalogue has is resolved; a rating is shown only where there is a value.
    for (const link of listed) {
      if (link.summary.hasValue) assert.ok(link.summary.rating);
    }
    const base = await basePlan(db);
    assert.ok(base);
    assert.deepEqual(
      base.objectives.map((objective) => [objective.number, objective.outcomeMeasures.length]),
      [
        [10, 5],
        [11, 5],
        [12, 5],
        [20, 2],
        [21, 11],
        [26, 11],
        [27, 11],
      ],
    );
    await withApp(db, async (app) => {
      const plan = await app.inject("/plan");
      assert.equal((plan.body.match(/data-testid="outcome-measure"/g) ?? []).length, 18);
      assert.match(plan.body, /The number of children returning home from care/);
      const basePage = await app.inject("/plan/base-plan");
      assert.equal((basePage.body.match(/data-testid="objective-measures"/g) ?? []).length, 7);
    });
  });
});

describeOnBothDatabases("the risk assessment form", (fresh) => {
  test("a half-given rating and an impossible review date are refused with 400 and nothing changes", async () => {
    const { db } = await aRiskRegister(fresh);
    const risk = await repository.findRiskBySlug(db, "ay-r2");
    assert.ok(risk);
    await withApp(db, async (app) => {
      const response = await postForm(app, `/risks/${risk.id}/edit`, `/risks/${risk.id}`, {
        version: String(risk.version),
        inherentLikelihood: "4",
        inherentImpact: "",
        residualLikelihood: "7",
        residualImpact: "2",
        owner: "",
        "reviewDate-day": "31",
        "reviewDate-month": "2",
        "reviewDate-year": "2025",
      });
      assert.equal(response.statusCode, 400);
      assert.match(response.body, /<title>Error: /);
      assert.match(response.body, /govuk-error-summary/);
      assert.match(response.body, /href="#inherentImpact"/);
      assert.match(response.body, /href="#residualLikelihood"/);
      assert.match(response.body, /href="#reviewDate"/);
      assert.match(response.body, /The review date must be a real date/);
      // What was typed is kept.
      assert.match(response.body, /name="reviewDate-day" type="text" value="31"|value="31"/);
    });
    const after = await repository.findRiskBySlug(db, "ay-r2");
    assert.deepEqual(after, risk);
    assert.equal((await listAuditEvents(db, "risk", risk.id)).filter((e) => e.action === "update").length, 0);
  });

  test("an assessment is saved with 303, audited, placed on the grid; a stale form is a 409", async () => {
    const { db } = await aRiskRegister(fresh);
    const risk = await repository.findRiskBySlug(db, "ay-r1");
    assert.ok(risk);
    const fields = {
      version: String(risk.version),
      inherentLikelihood: "4",
      inherentImpact: "5",
      residualLikelihood: "3",
      residualImpact: "4",
      owner: "Head of Highways",
      "reviewDate-day": "31",
      "reviewDate-month": "3",
      "reviewDate-year": "2025",
    };
    await withApp(db, async (app) => {
      const saved = await postForm(app, `/risks/${risk.id}/edit`, `/risks/${risk.id}`, fields);
      assert.equal(saved.statusCode, 303);
      assert.equal(saved.headers.location, "/risks#risk-ay-r1");
      const register = await app.inject("/risks");
      assert.match(register.body, /Inherent: likelihood 4 × impact 5 = 20 \(High\)/);
      assert.match(register.body, /Residual: likelihood 3 × impact 4 = 12 \(Medium\)/);
      // The grid places R1 at residual likelihood 3, impact 4; two risks are still unassessed.
      const impact4 = /<th scope="row" class="govuk-table__header">Impact 4<\/th>(.*?)<\/tr>/s.exec(
        register.body,
      )?.[1];
      const cells = impact4?.split("<td").slice(1) ?? [];
      assert.match(cells[2] ?? "", /R1/);
      assert.equal(
        (register.body.match(/data-testid="risks-not-assessed"[\s\S]*?<\/ul>/)?.[0].match(/<li>/g) ?? [])
          .length,
        2,
      );
      const stale = await postForm(app, `/risks/${risk.id}/edit`, `/risks/${risk.id}`, {
        ...fields,
        owner: "Someone from an old form",
      });
      assert.equal(stale.statusCode, 409);
      assert.match(stale.body, /Someone else changed this/);
    });
    const after = await repository.findRiskBySlug(db, "ay-r1");
    assert.equal(after?.residualLikelihood, 3);
    assert.equal(after?.owner, "Head of Highways");
    assert.equal(after?.reviewDate, "2025-03-31");
    assert.equal(after?.version, risk.version + 1);
    const [event] = await listAuditEvents(db, "risk", risk.id);
    assert.equal(event?.action, "update");
    assert.match(
      event?.summary ?? "",
      /inherent Likelihood 4 × impact 5 = 20, residual Likelihood 3 × impact 4 = 12/,
    );
  });
});

describeOnBothDatabases("the supporting activity months form", (fresh) => {
  async function firstActivity(db: Database) {
    const base = await basePlan(db);
    const activity = base?.objectives[0]?.activities[0];
    assert.ok(activity);
    return activity;
  }

  test("an end before the start, a month outside the plan or only one month is refused with 400", async () => {
    const { db } = await aPlanWithActivities(fresh);
    const activity = await firstActivity(db);
    await withApp(db, async (app) => {
      const post = (startMonth: string, endMonth: string) =>
        postForm(
          app,
          `/plan/base-plan/activities/${activity.id}/edit`,
          `/plan/base-plan/activities/${activity.id}`,
          {
            version: String(activity.version),
            startMonth,
            endMonth,
          },
        );
      const backwards = await post("2030-09", "2030-06");
      assert.equal(backwards.statusCode, 400);
      assert.match(backwards.body, /<title>Error: /);
      assert.match(backwards.body, /href="#endMonth"/);
      assert.match(backwards.body, /The end month must be the same as or after the start month/);
      const outside = await post("2019-04", "2019-05");
      assert.equal(outside.statusCode, 400);
      assert.match(outside.body, /The start month must be within/);
      const half = await post("2030-04", "");
      assert.equal(half.statusCode, 400);
      assert.match(half.body, /href="#endMonth"/);
    });
    const after = await repository.findActivity(db, activity.id);
    assert.equal(after?.startMonth, null);
    assert.equal(after?.version, activity.version);
  });

  test("months are saved with 303 and audited, the Base Plan shows them; a stale form is a 409", async () => {
    const { db } = await aPlanWithActivities(fresh);
    const activity = await firstActivity(db);
    await withApp(db, async (app) => {
      const fields = { version: String(activity.version), startMonth: "2030-06", endMonth: "2030-09" };
      const from = `/plan/base-plan/activities/${activity.id}/edit`;
      const saved = await postForm(app, from, `/plan/base-plan/activities/${activity.id}`, fields);
      assert.equal(saved.statusCode, 303);
      assert.equal(saved.headers.location, `/plan/base-plan?plan=ay-plan#activity-${activity.id}`);
      const page = await app.inject("/plan/base-plan");
      assert.match(page.body, /no start or end months for 2 of its 3 supporting activities/);
      assert.match(page.body, /June 2030 to September 2030/);
      assert.match(page.body, /<td class="govuk-table__cell">June 2030<\/td>/);
      const stale = await postForm(app, from, `/plan/base-plan/activities/${activity.id}`, {
        ...fields,
        endMonth: "2031-03",
      });
      assert.equal(stale.statusCode, 409);
    });
    const after = await repository.findActivity(db, activity.id);
    assert.equal(after?.startMonth, "2030-06");
    assert.equal(after?.endMonth, "2030-09");
    const [event] = await listAuditEvents(db, "supporting-activity", activity.id);
    assert.equal(event?.action, "update");
    assert.match(event?.summary ?? "", /June 2030 to September 2030/);
  });
});

describeOnBothDatabases("the lead officers form", (fresh) => {
  test("an unknown lead is refused with 400, naming the officers the plan knows; nothing changes", async () => {
    const { db } = await aPlanWithLeads(fresh);
    const deliverable = await deliverableBySlug(db, "ay-d1");
    await withApp(db, async (app) => {
      const from = `/plan/deliverables/${deliverable.id}/leads`;
      const response = await postForm(app, from, from, {
        version: String(deliverable.version),
        leads: "Nobody Known",
      });
      assert.equal(response.statusCode, 400);
      assert.match(response.body, /<title>Error: /);
      assert.match(response.body, /href="#leads"/);
      assert.match(response.body, /Nobody Known is not an officer the plan knows/);
      const empty = await postForm(app, from, from, { version: String(deliverable.version), leads: "  \n " });
      assert.equal(empty.statusCode, 400);
      assert.match(empty.body, /Enter at least one lead officer/);
    });
    assert.deepEqual(await deliverableBySlug(db, "ay-d1"), deliverable);
  });

  test("a known lead is saved with 303 and audited; a stale form is a 409", async () => {
    const { db } = await aPlanWithLeads(fresh);
    const deliverable = await deliverableBySlug(db, "ay-d1");
    const known = await knownOfficers(db);
    const chosen = known
      .filter((name) => !deliverable.leadOfficers.some((lead) => lead.name === name))
      .slice(0, 2);
    assert.equal(chosen.length, 2);
    await withApp(db, async (app) => {
      const from = `/plan/deliverables/${deliverable.id}/leads`;
      const fields = { version: String(deliverable.version), leads: chosen.join("\r\n") };
      const saved = await postForm(app, from, from, fields);
      assert.equal(saved.statusCode, 303);
      assert.equal(saved.headers.location, `/plan/deliverables/${deliverable.id}`);
      const page = await app.inject(`/plan/deliverables/${deliverable.id}`);
      assert.ok(page.body.includes(chosen.join(" and ").replaceAll("'", "&#39;")));
      const stale = await postForm(app, from, from, fields);
      assert.equal(stale.statusCode, 409);
    });
    const after = await deliverableBySlug(db, "ay-d1");
    assert.deepEqual(
      after.leadOfficers.map((lead) => lead.name),
      chosen,
    );
    const [event] = await listAuditEvents(db, "deliverable", deliverable.id);
    assert.equal(event?.action, "update");
  });

  test("a lead kept from before keeps the plan's qualifier", async () => {
    const { db } = await aPlanWithLeads(fresh);
    const deliverable = await deliverableBySlug(db, "ay-d2");
    assert.equal(deliverable.leadAsWritten, "Pat Jones and Sam Okafor (PH)");
    const changed = await changeLeadOfficers(db, TEST_ACTOR, {
      deliverableId: deliverable.id,
      version: deliverable.version,
      leads: ["Sam Okafor", "Pat Jones"],
    });
    assert.equal(changed.leadAsWritten, "Sam Okafor (PH) and Pat Jones");
  });
});

type Fresh = (options?: FreshOptions) => Promise<TestDatabase>;

/** A made-up plan with three unassessed risks. */
async function aRiskRegister(fresh: Fresh) {
  const database = await fresh();
  await buildCouncil(database.db, {
    risks: [
      { slug: "ay-r1", description: "Sweepers arrive late" },
      { slug: "ay-r2", description: "The depot floods" },
      { slug: "ay-r3", description: "Fuel costs rise" },
    ],
  });
  return database;
}

/** A made-up plan (2030 to 2033) with one objective of three supporting activities, none with months. */
async function aPlanWithActivities(fresh: Fresh) {
  const database = await fresh();
  await buildCouncil(database.db, {
    plan: { slug: "ay-plan", fromYear: 2030, toYear: 2033 },
    objectives: [{ title: "Cleaner streets", activities: ["Buy sweepers", "Hire crews", "Map the routes"] }],
  });
  return database;
}

/** A made-up plan whose deliverables name four officers, one with the plan's qualifier. */
async function aPlanWithLeads(fresh: Fresh) {
  const database = await fresh();
  await buildCouncil(database.db, {
    deliverables: [
      {
        slug: "ay-d1",
        title: "Sweep the market square",
        leadOfficers: [{ name: "Pat Jones", qualifier: null }],
      },
      {
        slug: "ay-d2",
        title: "Mend the benches",
        leadAsWritten: "Pat Jones and Sam Okafor (PH)",
        leadOfficers: [
          { name: "Pat Jones", qualifier: null },
          { name: "Sam Okafor", qualifier: "(PH)" },
        ],
      },
      { slug: "ay-d3", title: "Plant trees", leadOfficers: [{ name: "Lee Chan", qualifier: null }] },
    ],
  });
  return database;
}
