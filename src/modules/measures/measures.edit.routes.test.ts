import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { FastifyInstance } from "fastify";
import { testApp } from "../../../test/helpers/app.ts";
import { buildCouncil } from "../../../test/helpers/builders.ts";
import { freshDatabase, type TestDatabase } from "../../../test/helpers/database.ts";
import { formSession } from "../../../test/helpers/forms.ts";
import { listAuditEvents } from "../audit/audit.service.ts";
import { currentGroups } from "./measures.edit.ts";
import { listMeasures, measurePage } from "./measures.service.ts";

describe("the measures' editing pages", () => {
  let database: TestDatabase;
  let app: FastifyInstance;

  before(async () => {
    database = await freshDatabase("pglite");
    await buildCouncil(database.db, {});
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

  const measureFields = (groupId: number, overrides: Record<string, string> = {}) => ({
    title: "Streets graded clean",
    code: "ST1",
    unit: "percent",
    decimals: "1",
    polarity: "higher-is-better",
    frequency: "quarterly",
    owner: "Head of Street Scene",
    groupId: String(groupId),
    ...overrides,
  });

  async function hidden(path: string, name: string): Promise<string> {
    const page = await app.inject(path);
    const found = new RegExp(`name="${name}" value="([^"]*)"`).exec(page.body);
    assert.ok(found, `no ${name} on ${path}`);
    return found[1] ?? "";
  }

  test("a group and a measure are added through the forms, bad input names the field and value and changes nothing", async () => {
    const db = database.db;
    assert.equal((await app.inject("/measures/groups")).statusCode, 200);
    const badGroup = await post("/measures/groups/new", "/measures/groups/new", {
      title: "",
      kind: "planet",
    });
    assert.equal(badGroup.statusCode, 400);
    assert.match(badGroup.body, /Enter the group&#39;s title/);
    assert.match(badGroup.body, /Choose what the group is/);
    assert.equal((await currentGroups(db)).length, 0);

    const added = await post("/measures/groups/new", "/measures/groups/new", {
      title: "Clean streets",
      kind: "priority",
    });
    assert.equal(added.statusCode, 303);
    const [group] = await currentGroups(db);
    assert.ok(group);

    const badMeasure = await post(
      "/measures/new",
      "/measures/new",
      measureFields(group.id, { unit: "furlongs", decimals: "twelve" }),
    );
    assert.equal(badMeasure.statusCode, 400);
    assert.match(badMeasure.body, /Choose the unit the measure/);
    assert.match(badMeasure.body, /Decimal places must be a whole number from 0 to 9/);
    assert.match(badMeasure.body, /value="Streets graded clean"/, "what was typed is kept");
    assert.equal((await listMeasures(db)).length, 0);

    const created = await post("/measures/new", "/measures/new", measureFields(group.id));
    assert.equal(created.statusCode, 303);
    const [measure] = await listMeasures(db);
    assert.ok(measure);
    assert.equal(created.headers.location, `/measures/${measure.id}`);
    const list = await app.inject("/measures");
    assert.match(list.body, /Streets graded clean/);

    const duplicate = await post(
      "/measures/new",
      "/measures/new",
      measureFields(group.id, { title: "Other", code: "st1" }),
    );
    assert.equal(duplicate.statusCode, 400);
    assert.match(
      duplicate.body,
      /The code &quot;st1&quot; is already used by the measure &quot;Streets graded clean&quot;/,
    );
    assert.equal((await listMeasures(db)).length, 1);
  });

  test("a measure is archived after a confirmation, leaves the list and is restored; a stale form changes nothing", async () => {
    const db = database.db;
    const [measure] = await listMeasures(db);
    assert.ok(measure);
    const confirm = await app.inject(`/measures/${measure.id}/archive`);
    assert.equal(confirm.statusCode, 200);
    assert.match(
      confirm.body,
      /Are you sure you want to archive the measure &quot;Streets graded clean&quot;/,
    );

    const stale = await post(`/measures/${measure.id}/archive`, `/measures/${measure.id}/archive`, {
      version: String(measure.version + 5),
    });
    assert.equal(stale.statusCode, 409);
    assert.equal((await measurePage(db, measure.id)).measure.archivedAt, null);

    const archived = await post(`/measures/${measure.id}/archive`, `/measures/${measure.id}/archive`, {
      version: String(measure.version),
    });
    assert.equal(archived.statusCode, 303);
    assert.doesNotMatch((await app.inject("/measures")).body, /Streets graded clean/);
    const page = await app.inject(`/measures/${measure.id}`);
    assert.match(page.body, /This measure is archived/);
    const archivedList = await app.inject("/measures/archived");
    assert.match(archivedList.body, /Streets graded clean/);

    const version = await hidden("/measures/archived", "version");
    const restored = await post(`/measures/${measure.id}/restore`, "/measures/archived", { version });
    assert.equal(restored.statusCode, 303);
    assert.match((await app.inject("/measures")).body, /Streets graded clean/);
    assert.deepEqual(
      (await listAuditEvents(db, "measure", measure.id)).map((event) => event.action).reverse(),
      ["create", "archive", "restore"],
    );
  });

  test("a target is set through the form; a period or target that cannot be read is named and nothing is saved", async () => {
    const db = database.db;
    const [measure] = await listMeasures(db);
    assert.ok(measure);
    const form = `/measures/${measure.id}/targets/new`;
    assert.equal((await app.inject(form)).statusCode, 200);

    const badPeriod = await post(form, form, {
      period: "soon",
      target: "90% or above",
      replacing: "none",
      openedFor: "",
    });
    assert.equal(badPeriod.statusCode, 400);
    assert.match(badPeriod.body, /The period &quot;soon&quot; could not be read/);
    const badTarget = await post(form, form, {
      period: "2030/31",
      target: "do our best",
      replacing: "none",
      openedFor: "",
    });
    assert.equal(badTarget.statusCode, 400);
    assert.match(badTarget.body, /The target &quot;do our best&quot; could not be read/);
    assert.equal((await measurePage(db, measure.id)).targets.length, 0);

    const saved = await post(form, form, {
      period: "2030/31",
      target: "90% or above",
      replacing: "none",
      openedFor: "",
    });
    assert.equal(
      saved.statusCode,
      303,
      saved.body.match(/govuk-error-message[^<]*<[^<]*<\/span>([^<]*)/g)?.join(" "),
    );
    assert.deepEqual(
      (await measurePage(db, measure.id)).targets.map((verdict) => verdict.target.targetText),
      ["90% or above"],
    );

    // A form opened on no period, then given one that already has a target: shown, not overwritten.
    const shown = await post(form, form, {
      period: "2030/31",
      target: "95% or above",
      replacing: "none",
      openedFor: "",
    });
    assert.equal(shown.statusCode, 400);
    assert.match(shown.body, /A target for 2030\/31 is already entered: &quot;90% or above&quot;/);
    assert.deepEqual(
      (await measurePage(db, measure.id)).targets.map((verdict) => verdict.target.targetText),
      ["90% or above"],
    );

    const opened = `${form}?period=2030/31`;
    const replaced = await post(form, opened, {
      period: "2030/31",
      target: "95% or above",
      openedFor: "2030/31",
      replacing: await hidden(opened, "replacing"),
      version: await hidden(opened, "version"),
    });
    assert.equal(replaced.statusCode, 303);
    assert.deepEqual(
      (await measurePage(db, measure.id)).targets.map((verdict) => verdict.target.targetText),
      ["95% or above"],
    );
  });

  test("groups are renamed, moved and archived through the pages", async () => {
    const db = database.db;
    await post("/measures/groups/new", "/measures/groups/new", { title: "Green spaces", kind: "theme" });
    const [first, second] = await currentGroups(db);
    assert.ok(first && second);
    const page = await app.inject("/measures/groups");
    assert.match(page.body, /Move up<span class="govuk-visually-hidden"> Green spaces/);

    const clash = await post(`/measures/groups/${second.id}`, `/measures/groups/${second.id}`, {
      title: "clean streets",
      kind: "theme",
      version: String(second.version),
    });
    assert.equal(clash.statusCode, 400);
    assert.match(clash.body, /There is already a group titled &quot;Clean streets&quot;/);

    const moved = await post(`/measures/groups/${second.id}/move`, "/measures/groups", {
      direction: "up",
      version: String(second.version),
    });
    assert.equal(moved.statusCode, 303);
    assert.deepEqual(
      (await currentGroups(db)).map((group) => group.title),
      ["Green spaces", "Clean streets"],
    );
    const stale = await post(`/measures/groups/${second.id}/move`, "/measures/groups", {
      direction: "down",
      version: String(second.version),
    });
    assert.equal(stale.statusCode, 409);

    assert.equal((await app.inject(`/measures/groups/${second.id}/archive`)).statusCode, 200);
    const [now] = await currentGroups(db);
    assert.ok(now);
    const archived = await post(`/measures/groups/${now.id}/archive`, `/measures/groups/${now.id}/archive`, {
      version: String(now.version),
    });
    assert.equal(archived.statusCode, 303);
    assert.deepEqual(
      (await currentGroups(db)).map((group) => group.title),
      ["Clean streets"],
    );
  });

  test("another measure is combined into one after choosing it and confirming; a bad choice is named and changes nothing", async () => {
    const db = database.db;
    const [group] = await currentGroups(db);
    assert.ok(group);
    await post(
      "/measures/new",
      "/measures/new",
      measureFields(group.id, { title: "Streets found clean", code: "ST2" }),
    );
    const all = await listMeasures(db);
    const keep = all.find((measure) => measure.code === "ST1");
    const other = all.find((measure) => measure.code === "ST2");
    assert.ok(keep && other);
    const choose = await app.inject(`/measures/${keep.id}/combine`);
    assert.equal(choose.statusCode, 200);
    assert.match(choose.body, /ST2: Streets found clean/);
    const bad = await app.inject(`/measures/${keep.id}/combine?other=lots`);
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /&quot;lots&quot; is not a measure/);
    const itself = await app.inject(`/measures/${keep.id}/combine?other=${keep.id}`);
    assert.equal(itself.statusCode, 400);
    assert.match(itself.body, new RegExp(`Measure ${keep.id} is not a current measure`));

    const confirm = `/measures/${keep.id}/combine?other=${other.id}`;
    const stale = await post(`/measures/${keep.id}/combine`, confirm, {
      version: String(keep.version),
      otherId: String(other.id),
      otherVersion: String(other.version + 3),
    });
    assert.equal(stale.statusCode, 409);
    assert.equal((await measurePage(db, other.id)).measure.archivedAt, null);

    const combined = await post(`/measures/${keep.id}/combine`, confirm, {
      version: await hidden(confirm, "version"),
      otherId: await hidden(confirm, "otherId"),
      otherVersion: await hidden(confirm, "otherVersion"),
    });
    assert.equal(combined.statusCode, 303);
    const kept = (await measurePage(db, keep.id)).measure;
    assert.deepEqual(kept.otherTitles, ["Streets found clean"]);
    const archived = await app.inject(`/measures/${other.id}`);
    assert.match(archived.body, /combined into <a class="govuk-link" href="\/measures\/\d+">another measure/);
  });
});
