import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { FastifyInstance } from "fastify";
import { testApp } from "../../../test/helpers/app.ts";
import { type BuiltCouncil, buildCouncil, buildMeasure, idOf } from "../../../test/helpers/builders.ts";
import { freshDatabase, type TestDatabase } from "../../../test/helpers/database.ts";
import { formSession } from "../../../test/helpers/forms.ts";
import * as repository from "./plan.repository.ts";

describe("the plan's editing pages", () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let built: BuiltCouncil;

  before(async () => {
    database = await freshDatabase("pglite");
    built = await buildCouncil(database.db, {
      plan: { title: "Anytown Place Plan", priorities: ["Clean streets"] },
      outcomes: ["Thriving places"],
      objectives: [{ title: "Greener streets", activities: ["Plant trees"] }],
      deliverables: [{ title: "Sweep the market square", slug: "sweep" }, { title: "Plant street trees" }],
      risks: [{ description: "Flooding of the high street" }],
    });
    app = await testApp(database.db);
  });
  after(async () => {
    await app.close();
    await database.close();
  });

  async function post(path: string, form: string, fields: Record<string, string>) {
    const { token, cookie } = await formSession(app, form);
    assert.ok(token, `no form on ${form}`);
    return app.inject({
      method: "POST",
      url: path,
      payload: new URLSearchParams({ _csrf: token, ...fields }).toString(),
      headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
    });
  }

  test("the editing page lists the plan's records with Edit, Move and Archive, and each add and edit page opens", async () => {
    const page = await app.inject(`/plan/edit?plan=${built.planSlug}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Anytown Place Plan/);
    assert.match(page.body, /Move up<span class="govuk-visually-hidden"> Sweep the market square/);
    assert.match(page.body, /Archive<span class="govuk-visually-hidden"> Flooding of the high street/);
    const [objective] = await repository.listObjectives(database.db, built.planId);
    assert.ok(objective);
    for (const path of [
      "/plan/edit/plan/new",
      "/plan/edit/outcome/new",
      `/plan/edit/priority/new?plan=${built.planId}`,
      `/plan/edit/objective/new?plan=${built.planId}`,
      `/plan/edit/activity/new?objective=${objective.id}`,
      `/plan/edit/deliverable/new?plan=${built.planId}`,
      `/plan/edit/risk/new?plan=${built.planId}`,
      `/plan/edit/deliverable/${idOf(built.deliverableIds, "Sweep the market square")}`,
      `/plan/edit/risk/${idOf(built.riskIds, "Flooding of the high street")}`,
      `/plan/edit/objective/${objective.id}`,
      `/plan/edit/plan/${built.planId}`,
      `/plan/edit/deliverable/${idOf(built.deliverableIds, "Plant street trees")}/archive`,
      "/plan/archived",
    ]) {
      const response = await app.inject(path);
      assert.equal(response.statusCode, 200, path);
    }
    assert.equal((await app.inject("/plan/edit/widget/new")).statusCode, 404);
  });

  test("a deliverable added through the form links a measure chosen by id and lands at the end of the plan", async () => {
    const measure = await buildMeasure(database.db, { title: "Streets graded clean" });
    const response = await post(
      `/plan/edit/deliverable/new?plan=${built.planId}`,
      `/plan/edit/deliverable/new?plan=${built.planId}`,
      {
        title: "Deep-clean the bus station",
        section: "1",
        sectionTitle: "Streets and spaces",
        groupKind: "priority",
        groupTitle: "Clean streets",
        leads: "Head of Highways",
        inCouncilPlan: "no",
        measureIds: String(measure.id),
      },
    );
    assert.equal(response.statusCode, 303, response.body.slice(0, 500));
    const added = (await repository.listDeliverables(database.db)).at(-1);
    assert.equal(added?.title, "Deep-clean the bus station");
    assert.ok(added);
    const links = await repository.listLinkedMeasures(database.db, added.id);
    assert.deepEqual(
      links.map((link) => link.measureId),
      [measure.id],
    );
  });

  test("bad input is shown again with a 400 and messages naming the field and value, and nothing is saved", async () => {
    const count = (await repository.listDeliverables(database.db)).length;
    const duplicate = await post(
      `/plan/edit/deliverable/new?plan=${built.planId}`,
      `/plan/edit/deliverable/new?plan=${built.planId}`,
      {
        title: "Another",
        slug: "sweep",
        section: "1",
        sectionTitle: "Streets",
        groupKind: "priority",
        groupTitle: "Clean streets",
        leads: "",
        inCouncilPlan: "yes",
      },
    );
    assert.equal(duplicate.statusCode, 400);
    assert.match(duplicate.body, /There is a problem/);
    assert.match(duplicate.body, /href="#leads">Enter at least one lead officer/);
    const slugOnly = await post(
      `/plan/edit/deliverable/new?plan=${built.planId}`,
      `/plan/edit/deliverable/new?plan=${built.planId}`,
      {
        title: "Another",
        slug: "sweep",
        section: "1",
        sectionTitle: "Streets",
        groupKind: "priority",
        groupTitle: "Clean streets",
        leads: "Head of Highways",
        inCouncilPlan: "yes",
        measureIds: "99999",
      },
    );
    assert.equal(slugOnly.statusCode, 400);
    assert.match(
      slugOnly.body,
      /href="#slug">The reference &quot;sweep&quot; is already used by another deliverable/,
    );
    const years = await post("/plan/edit/plan/new", "/plan/edit/plan/new", {
      title: "Backwards plan",
      fromYear: "2034",
      toYear: "2030",
      planVersion: "original",
      status: "draft",
    });
    assert.equal(years.statusCode, 400);
    assert.match(years.body, /The last year \(2030\) must not be before the first year \(2034\)/);
    assert.match(years.body, /value="Backwards plan"/, "what was typed is kept");
    assert.equal((await repository.listDeliverables(database.db)).length, count);
  });

  test("Move up, Archive with confirmation and Restore work as forms, and a stale form is a conflict", async () => {
    const plant = idOf(built.deliverableIds, "Plant street trees");
    const editPage = `/plan/edit?plan=${built.planSlug}`;
    const moved = await post(`/plan/edit/deliverable/${plant}/move`, editPage, {
      version: "1",
      direction: "up",
    });
    assert.equal(moved.statusCode, 303);
    assert.deepEqual(
      (await repository.listDeliverables(database.db)).slice(0, 2).map((row) => row.title),
      ["Plant street trees", "Sweep the market square"],
    );
    const first = await post(`/plan/edit/deliverable/${plant}/move`, editPage, {
      version: "2",
      direction: "up",
    });
    assert.equal(first.statusCode, 400);
    assert.match(first.body, /is already first/);

    const stale = await post(
      `/plan/edit/deliverable/${plant}/archive`,
      `/plan/edit/deliverable/${plant}/archive`,
      {
        version: "1",
      },
    );
    assert.equal(stale.statusCode, 409);
    const archived = await post(
      `/plan/edit/deliverable/${plant}/archive`,
      `/plan/edit/deliverable/${plant}/archive`,
      {
        version: "2",
      },
    );
    assert.equal(archived.statusCode, 303);
    assert.doesNotMatch((await app.inject("/plan")).body, /Plant street trees/);
    const list = await app.inject("/plan/archived");
    assert.match(list.body, /The deliverable &quot;Plant street trees&quot;/);
    const restored = await post(`/plan/edit/deliverable/${plant}/restore`, "/plan/archived", {
      version: "3",
    });
    assert.equal(restored.statusCode, 303);
    assert.match((await app.inject("/plan")).body, /Plant street trees/);
  });
});

describe("the plan's editing pages on the demo", () => {
  let database: TestDatabase;
  let app: FastifyInstance;

  before(async () => {
    database = await freshDatabase("pglite", { demo: true });
    app = await testApp(database.db);
  });
  after(async () => {
    await app.close();
    await database.close();
  });

  const steady = (body: string) => body.replace(/_csrf[^>]*>/g, "").replace(/nonce="[^"]*"/g, "");

  async function saveUnchanged(path: string) {
    const { token, cookie, page } = await formSession(app, path);
    assert.ok(token);
    const fields = new URLSearchParams({ _csrf: token });
    for (const match of page.body.matchAll(/<input[^>]*name="([^"]+)"[^>]*>/g)) {
      const tag = match[0];
      const name = match[1] ?? "";
      if (name === "_csrf") continue;
      const value = /value="([^"]*)"/.exec(tag)?.[1] ?? "";
      const unescaped = (text: string) =>
        text
          .replaceAll("&quot;", '"')
          .replaceAll("&#39;", "'")
          .replaceAll("&lt;", "<")
          .replaceAll("&gt;", ">")
          .replaceAll("&amp;", "&");
      if (/type="(radio|checkbox)"/.test(tag) && !/ checked/.test(tag)) continue;
      fields.append(name, unescaped(value));
    }
    for (const match of page.body.matchAll(/<textarea[^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/textarea>/g)) {
      fields.append(
        match[1] ?? "",
        (match[2] ?? "")
          .replace(/^\n/, "")
          .replaceAll("&quot;", '"')
          .replaceAll("&#39;", "'")
          .replaceAll("&amp;", "&"),
      );
    }
    for (const match of page.body.matchAll(/<select[^>]*name="([^"]+)"[\s\S]*?<\/select>/g)) {
      const selected = /<option value="([^"]*)" selected/.exec(match[0])?.[1] ?? "";
      fields.append(match[1] ?? "", selected);
    }
    const response = await app.inject({
      method: "POST",
      url: path,
      payload: fields.toString(),
      headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
    });
    assert.equal(response.statusCode, 303, `${path}: ${response.body.slice(0, 2000)}`);
  }

  test("saving the demo's deliverables and risks unchanged leaves the plan pages and the service plan unchanged", async () => {
    const pages = ["/plan", "/risks", "/plan/base-plan", "/reports/service-plan/service-plan-2021-2025"];
    const before = await Promise.all(pages.map(async (path) => steady((await app.inject(path)).body)));
    for (const deliverable of (await repository.listDeliverables(database.db)).slice(0, 6)) {
      await saveUnchanged(`/plan/edit/deliverable/${deliverable.id}`);
    }
    for (const risk of await repository.listRisks(database.db))
      await saveUnchanged(`/plan/edit/risk/${risk.id}`);
    const after = await Promise.all(pages.map(async (path) => steady((await app.inject(path)).body)));
    for (const [index, path] of pages.entries()) assert.equal(after[index], before[index], path);
  });

  test("an archived deliverable leaves the plan page but stays in the published quarter's report", async () => {
    const published = steady((await app.inject("/reports/quarterly/2020-21/q3")).body);
    // Reported in quarter 3 2020/21, so counted in that quarter's report.
    const deliverable = await repository.findDeliverableBySlug(database.db, "sp2021-d05");
    assert.ok(deliverable);
    assert.match(published, /Council Plan deliverables by progress rating/);
    const { token, cookie } = await formSession(app, `/plan/edit/deliverable/${deliverable.id}/archive`);
    const archived = await app.inject({
      method: "POST",
      url: `/plan/edit/deliverable/${deliverable.id}/archive`,
      payload: new URLSearchParams({ _csrf: token ?? "", version: String(deliverable.version) }).toString(),
      headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
    });
    assert.equal(archived.statusCode, 303);
    assert.ok(!(await app.inject("/plan")).body.includes(`href="/plan/deliverables/${deliverable.id}"`));
    assert.equal(steady((await app.inject("/reports/quarterly/2020-21/q3")).body), published);
    assert.match(
      (await app.inject(`/plan/deliverables/${deliverable.id}`)).body,
      /This deliverable was archived on/,
    );
  });
});
