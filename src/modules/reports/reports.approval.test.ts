import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { eq } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import JSZip from "jszip";
import { testApp } from "../../../test/helpers/app.ts";
import { buildCouncil } from "../../../test/helpers/builders.ts";
import {
  describeOnBothDatabases,
  freshDatabase,
  TEST_ACTOR,
  type TestDatabase,
} from "../../../test/helpers/database.ts";
import { formSession } from "../../../test/helpers/forms.ts";
import type { Database } from "../../db/client.ts";
import { people, plans } from "../../db/schema/index.ts";
import type { SharedChromium } from "../../reports/chromium.ts";
import { validForm } from "../../web/forms.ts";
import { listAuditEvents } from "../audit/audit.service.ts";
import { planForm } from "../plan/plan.edit.schemas.ts";
import { findPlanBySlug } from "../plan/plan.service.ts";
import { editPlan } from "../plan/plan.structure.ts";
import { freezeApprovedPlan, servicePlanDocument, servicePlanFile } from "./reports.service.ts";

// Word needs no browser; only a PDF would ask for one.
const NO_BROWSER = undefined as unknown as SharedChromium;

async function wordText(file: Buffer): Promise<string> {
  const found = (await JSZip.loadAsync(file)).file("word/document.xml");
  assert.ok(found, "the Word file has its document");
  return found.async("string");
}

/** Saves the plan's form as the edit page does: its title and status changed, the rest as saved. */
async function savePlan(db: Database, slug: string, change: { title?: string; status: string }) {
  const plan = await findPlanBySlug(db, slug);
  assert.ok(plan, `the plan ${slug} was built`);
  return editPlan(
    db,
    TEST_ACTOR,
    {
      id: plan.id,
      version: plan.version,
      form: validForm(planForm, {
        title: change.title ?? plan.title,
        slug: plan.slug,
        fromYear: String(plan.fromYear),
        toYear: String(plan.toYear),
        planVersion: plan.planVersion,
        status: change.status,
      }),
    },
    freezeApprovedPlan,
  );
}

describeOnBothDatabases("a service plan's document prints its status in Baseplan", (fresh) => {
  test("a plan loaded as its source's DRAFT prints it while draft, and who approved it and when once approved", async () => {
    const { db } = await fresh();
    const built = await buildCouncil(db, {
      plan: { title: "Moorland Parishes Plan", slug: "moorland-plan", fromYear: 2044, toYear: 2047 },
      deliverables: [{ title: "Reopen the moor road" }],
    });
    const slug = built.planSlug;
    // The source document called itself a draft; the approver is a person of the council.
    await db.update(plans).set({ statusAsWritten: "CONSULTATION DRAFT" }).where(eq(plans.id, built.planId));
    await db.insert(people).values({
      councilId: built.councilId,
      email: TEST_ACTOR,
      displayName: "Priya Okonkwo-Hale",
      status: "active",
      createdBy: TEST_ACTOR,
    });
    await savePlan(db, slug, { status: "draft" });
    const draft = await servicePlanDocument(db, slug);
    assert.ok(draft.report.meta.includes("CONSULTATION DRAFT"), draft.report.meta.join(" | "));
    assert.doesNotMatch(draft.report.meta.join(" | "), /Approved/);

    const before = new Date();
    await savePlan(db, slug, { status: "approved" });
    const approved = await servicePlanDocument(db, slug);
    assert.ok(approved.approval, "approving kept the document");
    const meta = approved.report.meta.join(" | ");
    assert.doesNotMatch(meta, /draft/i, "an approved plan no longer prints its source's status");
    const day = (at: Date) =>
      new Intl.DateTimeFormat("en-GB", {
        day: "numeric",
        month: "long",
        year: "numeric",
        timeZone: "Europe/London",
      }).format(at);
    // Approved today (or, run across midnight, the day before or after it began).
    const days = new Set([day(before), day(approved.approval.approvedAt)]);
    assert.ok(
      [...days].some((when) => approved.report.meta.includes(`Approved by Priya Okonkwo-Hale on ${when}`)),
      meta,
    );
    assert.match(
      await wordText(await servicePlanFile(db, slug, "docx", NO_BROWSER)),
      /Approved by Priya Okonkwo-Hale on /,
    );

    // Back to draft: the source gave no draft wording now, so Baseplan's own word.
    await db.update(plans).set({ statusAsWritten: "FINAL" }).where(eq(plans.id, built.planId));
    await savePlan(db, slug, { status: "draft" });
    const redrafted = await servicePlanDocument(db, slug);
    assert.ok(redrafted.report.meta.includes("Draft"), redrafted.report.meta.join(" | "));
    assert.doesNotMatch(redrafted.report.meta.join(" | "), /FINAL|Approved/);
  });

  test("a plan loaded as approved, never approved in Baseplan, prints Approved; an approver not among the council's people by address", async () => {
    const { db } = await fresh();
    const built = await buildCouncil(db, {
      plan: { title: "Estuary Towns Plan", slug: "estuary-plan", fromYear: 2051, toYear: 2054 },
      deliverables: [{ title: "Dredge the channel" }],
    });
    await db
      .update(plans)
      .set({ status: "approved", statusAsWritten: "DRAFT" })
      .where(eq(plans.id, built.planId));
    const loaded = await servicePlanDocument(db, built.planSlug);
    assert.equal(loaded.approval, null);
    assert.ok(loaded.report.meta.includes("Approved"), loaded.report.meta.join(" | "));
    assert.doesNotMatch(loaded.report.meta.join(" | "), /DRAFT/);

    await savePlan(db, built.planSlug, { status: "draft" });
    await savePlan(db, built.planSlug, { status: "approved" });
    const approved = await servicePlanDocument(db, built.planSlug);
    assert.match(
      approved.report.meta.join(" | "),
      new RegExp(`Approved by ${TEST_ACTOR.replace(/\./g, "\\.")} on \\d`),
    );
  });
});

describeOnBothDatabases("a service plan's document is frozen when the plan is approved", (fresh) => {
  test("edits after approval change the plan, not its approved document; approving again freezes anew", async () => {
    const { db } = await fresh();
    const built = await buildCouncil(db, {
      plan: { title: "Riverside Neighbourhood Plan", slug: "riverside-plan", fromYear: 2037, toYear: 2040 },
      deliverables: [{ title: "Open the riverside path" }],
    });
    const slug = built.planSlug;
    await savePlan(db, slug, { status: "draft" });
    const draft = await servicePlanDocument(db, slug);
    assert.equal(draft.approval, null, "a draft's document is live");
    assert.deepEqual(draft.approvals, []);

    await savePlan(db, slug, { status: "approved" });
    const approved = await servicePlanDocument(db, slug);
    assert.ok(approved.approval, "approving kept the document");
    assert.equal(approved.approval.approvedBy, TEST_ACTOR);
    assert.match(JSON.stringify(approved.report), /Riverside Neighbourhood Plan/);
    const word = await servicePlanFile(db, slug, "docx", NO_BROWSER);
    assert.match(await wordText(word), /Riverside Neighbourhood Plan/);

    // Renamed while approved: the plan changes, the approved document does not, byte for byte.
    await savePlan(db, slug, { title: "Riverside and Docks Plan", status: "approved" });
    assert.equal((await findPlanBySlug(db, slug))?.title, "Riverside and Docks Plan");
    const stillApproved = await servicePlanDocument(db, slug);
    assert.equal(
      stillApproved.approval?.id,
      approved.approval.id,
      "saving an approved plan is no new approval",
    );
    assert.deepEqual(stillApproved.report, approved.report);
    assert.doesNotMatch(JSON.stringify(stillApproved.report), /Docks/);
    assert.deepEqual(await servicePlanFile(db, slug, "docx", NO_BROWSER), word);

    // Back to draft: the live plan is shown; approved again: the new words are frozen.
    await savePlan(db, slug, { status: "draft" });
    const redrafted = await servicePlanDocument(db, slug);
    assert.equal(redrafted.approval, null);
    assert.match(JSON.stringify(redrafted.report), /Riverside and Docks Plan/);
    await savePlan(db, slug, { status: "approved" });
    const again = await servicePlanDocument(db, slug);
    assert.ok(again.approval);
    assert.notEqual(again.approval.id, approved.approval.id);
    assert.match(JSON.stringify(again.report), /Riverside and Docks Plan/);
    assert.deepEqual(
      again.approvals.map((approval) => approval.id),
      [again.approval.id, approved.approval.id],
      "both approvals are kept, newest first",
    );
    // The earlier approval's document is kept as it was.
    const earlier = await servicePlanDocument(db, slug, approved.approval.id);
    assert.deepEqual(earlier.report, approved.report);
    assert.deepEqual(await servicePlanFile(db, slug, "docx", NO_BROWSER, approved.approval.id), word);

    // Each freezing is audited on the plan's history.
    const events = [
      ...(await listAuditEvents(db, "approved-plan-document", approved.approval.id)),
      ...(await listAuditEvents(db, "approved-plan-document", again.approval.id)),
    ];
    assert.equal(events.length, 2);
    assert.ok(
      events.every((event) => event.recordKind === "plan" && event.recordId === String(built.planId)),
    );
  });
});

describe("the service plan's pages after approval", () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let slug: string;
  let planId: number;

  before(async () => {
    database = await freshDatabase("pglite");
    const built = await buildCouncil(database.db, {
      plan: { title: "Hillside Services Plan", fromYear: 2044, toYear: 2047 },
      deliverables: [{ title: "Rebuild the hillside library" }],
    });
    slug = built.planSlug;
    planId = built.planId;
    app = await testApp(database.db);
  });
  after(async () => {
    await app.close();
    await database.close();
  });

  async function postPlan(fields: Record<string, string>) {
    const page = `/plan/edit/plan/${planId}`;
    const { token, cookie } = await formSession(app, page);
    assert.ok(token, `no form on ${page}`);
    const plan = await findPlanBySlug(database.db, slug);
    assert.ok(plan);
    return app.inject({
      method: "POST",
      url: page,
      payload: new URLSearchParams({
        _csrf: token,
        version: String(plan.version),
        title: plan.title,
        slug: plan.slug,
        fromYear: String(plan.fromYear),
        toYear: String(plan.toYear),
        planVersion: plan.planVersion,
        ...fields,
      }).toString(),
      headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
    });
  }

  test("approving on the plan's form freezes the document the report page serves, labelled with the date", async () => {
    assert.equal((await postPlan({ status: "draft" })).statusCode, 303);
    const live = await app.inject(`/reports/service-plan/${slug}`);
    assert.equal(live.statusCode, 200);
    assert.doesNotMatch(live.body, /data-testid="approved-document"/);

    assert.equal((await postPlan({ status: "approved" })).statusCode, 303);
    assert.equal((await postPlan({ status: "approved", title: "Hillside Plan, renamed" })).statusCode, 303);
    const page = await app.inject(`/reports/service-plan/${slug}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /The plan as approved on \d{1,2} \w+ \d{4}[^<.]* by /);
    assert.match(page.body, /Hillside Services Plan/);
    assert.doesNotMatch(page.body, /Hillside Plan, renamed/);
    const word = await app.inject(`/reports/service-plan/${slug}.docx`);
    assert.equal(word.statusCode, 200);
    assert.match(await wordText(word.rawPayload), /Hillside Services Plan/);

    // Approved again after a draft: the earlier copy is listed and still served.
    assert.equal((await postPlan({ status: "draft" })).statusCode, 303);
    assert.equal((await postPlan({ status: "approved" })).statusCode, 303);
    const current = await app.inject(`/reports/service-plan/${slug}`);
    assert.match(current.body, /Hillside Plan, renamed/);
    const earlierHref = /href="(\/reports\/service-plan\/[^"]+\/approvals\/\d+)"/.exec(current.body)?.[1];
    assert.ok(earlierHref, "the earlier approval is listed");
    const earlier = await app.inject(earlierHref);
    assert.equal(earlier.statusCode, 200);
    assert.match(earlier.body, /An earlier approved copy/);
    assert.match(earlier.body, /Hillside Services Plan/);
    const earlierWord = await app.inject(`${earlierHref}.docx`);
    assert.deepEqual(earlierWord.rawPayload, word.rawPayload, "the earlier copy's Word file, byte for byte");

    for (const missing of ["approvals/999999", "approvals/0", "approvals/abc", "approvals/1.odt"]) {
      assert.equal((await app.inject(`/reports/service-plan/${slug}/${missing}`)).statusCode, 404, missing);
    }
  });
});
