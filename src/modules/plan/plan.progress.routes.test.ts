import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { FastifyInstance } from "fastify";
import { testApp } from "../../../test/helpers/app.ts";
import {
  type BuiltCouncil,
  buildCouncil,
  buildMonitoringYear,
  buildOpenQuarter,
  buildSetting,
  idOf,
} from "../../../test/helpers/builders.ts";
import { freshDatabase, TEST_ACTOR, type TestDatabase } from "../../../test/helpers/database.ts";
import { formSession } from "../../../test/helpers/forms.ts";
import { monitoringPeriod } from "../../domain/periods.ts";
import { listAuditEvents } from "../audit/audit.service.ts";
import { openPeriod } from "../periods/periods.service.ts";
import * as repository from "./plan.repository.ts";
import { DELIVERABLE_KEY_SETTING } from "./plan.service.ts";

/** The part of a page from its first h1 up to the heading named, for "what comes before what". */
function before_(body: string, heading: string): string {
  const end = body.indexOf(heading);
  assert.ok(end > 0, `no "${heading}" on the page`);
  return body.slice(body.indexOf("<h1"), end);
}

/** The option the quarter select starts at, by its value. */
function selectedQuarter(body: string): string | undefined {
  return /<option value="([^"]*)" selected>/.exec(body)?.[1];
}

describe("the deliverable page's progress form, on a made-up council", () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let built: BuiltCouncil;
  let page: string;

  before(async () => {
    database = await freshDatabase("pglite");
    built = await buildCouncil(database.db, {
      plan: { title: "Anytown Place Plan", fromYear: 2040, toYear: 2043 },
      deliverables: [{ title: "Resurface the ring road" }],
    });
    page = `/plan/deliverables/${idOf(built.deliverableIds, "Resurface the ring road")}`;
    app = await testApp(database.db);
  });
  after(async () => {
    await app.close();
    await database.close();
  });

  async function post(fields: Record<string, string>, from = page) {
    const { token, cookie, page: opened } = await formSession(app, from);
    assert.ok(token, `no form on ${from}`);
    const version = /name="version" value="(\d+)"/.exec(opened.body)?.[1] ?? "";
    return app.inject({
      method: "POST",
      url: `${page}/progress`,
      payload: new URLSearchParams({ _csrf: token, version, ...fields }).toString(),
      headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
    });
  }

  test("with no quarter open, the page says so and how to open one, with no form", async () => {
    const response = await app.inject(page);
    assert.equal(response.statusCode, 200);
    assert.match(response.body, /data-testid="no-quarter-open"/);
    assert.match(response.body, /No quarter is open for entry/);
    assert.match(response.body, /href="\/periods"/);
    assert.doesNotMatch(response.body, /data-testid="progress-form"/);
  });

  test("the form is at the top, starting at the latest open quarter, with no ?quarter= needed", async () => {
    await buildMonitoringYear(database.db, 2041);
    await buildOpenQuarter(database.db, 2041, 1);
    await buildOpenQuarter(database.db, 2041, 2);
    const response = await app.inject(page);
    assert.equal(response.statusCode, 200);
    const top = before_(response.body, "Progress history");
    assert.match(top, /data-testid="deliverable-summary">In Anytown Place Plan, priority/);
    assert.match(top, /data-testid="progress-form"/);
    assert.doesNotMatch(top, /About this deliverable|Success measures|Linked key performance measures/);
    assert.equal(selectedQuarter(response.body), "2041-42-q2");
    assert.match(response.body, /Quarter 2 2041\/42 \(open for entry\)/);
    assert.match(response.body, /Quarter 1 2041\/42 \(open for entry\)/);
    assert.doesNotMatch(response.body, /Quarter 3 2041\/42 \(open for entry\)/);
    assert.doesNotMatch(response.body, /data-testid="quarter-not-open"/);
  });

  test("?quarter= is honoured, and a quarter not open is said to be so", async () => {
    const open = await app.inject(`${page}?quarter=2041-42-q1`);
    assert.equal(selectedQuarter(open.body), "2041-42-q1");
    assert.doesNotMatch(open.body, /data-testid="quarter-not-open"/);
    const closed = await app.inject(`${page}?quarter=2042-43-q4`);
    assert.equal(closed.statusCode, 200);
    assert.equal(selectedQuarter(closed.body), "2042-43-q4");
    assert.match(closed.body, /Quarter 4 2042\/43 is not open for entry/);
    const nonsense = await app.inject(`${page}?quarter=next-tuesday`);
    assert.equal(nonsense.statusCode, 200);
    assert.equal(selectedQuarter(nonsense.body), "2041-42-q2");
  });

  test("the rating choice shows each level of the council's key with its meaning as written", async () => {
    const suggested = await app.inject(page);
    assert.match(suggested.body, /the meaning Baseplan suggests until the council writes its own/);
    await buildSetting(database.db, DELIVERABLE_KEY_SETTING, {
      levels: [
        { rating: "good", words: "Sailing", meaning: "Going as the project board agreed" },
        { rating: "review", words: "Wobbling", meaning: "Slipping by up to a month" },
        { rating: "action", words: "Sinking", meaning: "" },
      ],
    });
    const response = await app.inject(page);
    const radios = [...response.body.matchAll(/name="rating" type="radio" value="([^"]+)"/g)].map(
      (m) => m[1],
    );
    assert.deepEqual(radios, ["good", "review", "action"]);
    assert.match(
      response.body,
      /Sailing\s*<\/label>\s*<div[^>]*govuk-radios__hint">\s*Going as the project board agreed/,
    );
    assert.match(
      response.body,
      /Wobbling\s*<\/label>\s*<div[^>]*govuk-radios__hint">\s*Slipping by up to a month/,
    );
    assert.match(response.body, /the council wrote it/);
    assert.doesNotMatch(response.body, /Strong|Data not available|five-level/);
  });

  test("a rating the key does not use, or no narrative, is refused naming the field, the values kept", async () => {
    const response = await post({ quarter: "2041-42-q2", rating: "strong", narrative: "  " });
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /govuk-error-summary/);
    assert.match(response.body, /href="#narrative"/);
    const wrongLevel = await post({ quarter: "2041-42-q2", rating: "strong", narrative: "Lane 1 done." });
    assert.equal(wrongLevel.statusCode, 400);
    assert.match(
      wrongLevel.body,
      /Select a rating from the council(&#39;|’|')s key: Sailing, Wobbling or Sinking/,
    );
    assert.match(wrongLevel.body, /Lane 1 done\./);
    assert.equal(selectedQuarter(wrongLevel.body), "2041-42-q2");
    // The page of errors fits a phone as the page does: its tables scroll sideways in their own
    // boxes, with no download links (the answer to a POST has no address to download from).
    const tables = (wrongLevel.body.match(/<table\b/g) ?? []).length;
    assert.ok(tables > 0);
    assert.equal(
      (wrongLevel.body.match(/<div class="bp-table-scroll"[^>]*>\s*<table\b/g) ?? []).length,
      tables,
    );
    assert.doesNotMatch(wrongLevel.body, /download=csv/);
    assert.deepEqual(
      await repository.listProgressFor(database.db, idOf(built.deliverableIds, "Resurface the ring road")),
      [],
    );
  });

  test("saving, then correcting the same quarter: the form holds the current entry, history keeps both", async () => {
    const first = await post({ quarter: "2041-42-q2", rating: "good", narrative: "Lane 1 resurfaced." });
    assert.equal(first.statusCode, 303);
    const saved = await app.inject({
      url: page,
      headers: { cookie: first.cookies.map((c) => `${c.name}=${c.value}`).join("; ") },
    });
    assert.match(saved.body, /The progress update was saved/);
    assert.match(saved.body, /data-testid="current-entry"/);
    assert.match(saved.body, /value="good" checked/);
    assert.match(saved.body, /Lane 1 resurfaced\.<\/textarea>/);
    const second = await post({
      quarter: "2041-42-q2",
      rating: "review",
      narrative: "Lane 2 slipped a week.",
    });
    assert.equal(second.statusCode, 303);
    const corrected = await app.inject(page);
    assert.match(corrected.body, /value="review" checked/);
    assert.equal((corrected.body.match(/data-testid="progress-replaced"/g) ?? []).length, 1);
    const history = corrected.body.slice(corrected.body.indexOf('data-testid="progress-history"'));
    assert.ok(history.indexOf("Lane 2 slipped a week.") < history.indexOf("Lane 1 resurfaced."));
    assert.match(history, /Wobbling/);
    assert.match(history, /Sailing/);
  });
});

describe("the key for deliverable progress, on its settings page", () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  const PAGE = "/settings/deliverable-ratings";

  before(async () => {
    database = await freshDatabase("pglite");
    await buildCouncil(database.db, { deliverables: [{ title: "Light the underpass" }] });
    app = await testApp(database.db);
  });
  after(async () => {
    await app.close();
    await database.close();
  });

  async function post(fields: Record<string, string>, version?: string) {
    const { token, cookie, page } = await formSession(app, PAGE);
    assert.ok(token);
    const opened = /name="version" value="(\d+)"/.exec(page.body)?.[1] ?? "";
    return app.inject({
      method: "POST",
      url: PAGE,
      payload: new URLSearchParams({ _csrf: token, version: version ?? opened, ...fields }).toString(),
      headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
    });
  }

  test("before any is saved it shows the five levels with Baseplan's suggested meanings, labelled so", async () => {
    const response = await app.inject(PAGE);
    assert.equal(response.statusCode, 200);
    assert.match(
      response.body,
      /No key has been saved: the progress form offers the five levels with meanings Baseplan suggests/,
    );
    assert.match(response.body, /name="strong-words" type="text" spellcheck="false" value="Strong"/);
    assert.match(response.body, />Ahead of plan: delivering more, or sooner, than planned<\/textarea>/);
  });

  test("bad input names the field and keeps what was typed; nothing is saved", async () => {
    const one = await post({ "good-words": "Grand", "good-meaning": "All fine" });
    assert.equal(one.statusCode, 400);
    assert.match(one.body, /href="#strong-words">Enter the words for at least two levels/);
    assert.match(one.body, /value="Grand"/);
    const same = await post({ "good-words": "Grand", "action-words": "grand" });
    assert.equal(same.statusCode, 400);
    assert.match(same.body, /href="#action-words">&quot;grand&quot; already names another level/);
    const orphan = await post({ "good-words": "Grand", "action-words": "Dire", "review-meaning": "Hmm" });
    assert.equal(orphan.statusCode, 400);
    assert.match(orphan.body, /href="#review-words">Enter the words for this level, or clear its meaning/);
    assert.match(orphan.body, />Hmm<\/textarea>/);
    assert.match((await app.inject(PAGE)).body, /No key has been saved/);
  });

  test("a key is saved with 303 and a banner, audited, offered on the progress form; a stale form is a 409", async () => {
    const saved = await post({
      "good-words": "Grand",
      "good-meaning": "As the board agreed",
      "action-words": "Dire",
      "action-meaning": "Needs the board's help",
    });
    assert.equal(saved.statusCode, 303);
    const page = await app.inject({
      url: PAGE,
      headers: { cookie: saved.cookies.map((c) => `${c.name}=${c.value}`).join("; ") },
    });
    assert.match(page.body, /The key for deliverable progress was saved/);
    assert.match(page.body, /The council(&#39;|')s key now:/);
    const stale = await post({ "good-words": "Fine", "action-words": "Bad" }, "0");
    assert.equal(stale.statusCode, 409);
    assert.match(stale.body, /Grand \(As the board agreed\); Dire \(Needs the board(&#39;|')s help\)/);
    const [event] = await listAuditEvents(database.db, "setting", DELIVERABLE_KEY_SETTING);
    assert.match(
      event?.summary ?? "",
      /Changed the key for deliverable progress: Grand \(As the board agreed\); Dire/,
    );
    await buildMonitoringYear(database.db, 2031);
    await buildOpenQuarter(database.db, 2031, 3);
    const [deliverable] = await repository.listDeliverables(database.db);
    const form = await app.inject(`/plan/deliverables/${deliverable?.id}`);
    const radios = [...form.body.matchAll(/name="rating" type="radio" value="([^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(radios, ["good", "action"]);
    assert.match(form.body, /Grand\s*<\/label>\s*<div[^>]*govuk-radios__hint">\s*As the board agreed/);
    assert.match(form.body, /href="\/settings\/deliverable-ratings"/);
  });
});

describe("the progress form for a year monitored monthly", () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let id: number;

  before(async () => {
    database = await freshDatabase("pglite");
    const built = await buildCouncil(database.db, {
      frequency: "monthly",
      plan: { fromYear: 2045, toYear: 2048 },
      deliverables: [{ title: "Open the new library" }],
    });
    id = idOf(built.deliverableIds, "Open the new library");
    await buildMonitoringYear(database.db, 2046);
    for (const month of [4, 5])
      await openPeriod(database.db, TEST_ACTOR, monitoringPeriod(2046, "month", month));
    app = await testApp(database.db);
  });
  after(async () => {
    await app.close();
    await database.close();
  });

  test("the form starts at the quarter of the open months", async () => {
    const response = await app.inject(`/plan/deliverables/${id}`);
    assert.equal(response.statusCode, 200);
    assert.equal(selectedQuarter(response.body), "2046-47-q2");
    assert.match(response.body, /Quarter 2 2046\/47 \(open for entry\)/);
    assert.doesNotMatch(response.body, /Quarter 1 2046\/47 \(open for entry\)/);
  });
});
