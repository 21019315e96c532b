import assert from "node:assert/strict";
import { test } from "node:test";
import type { FastifyInstance } from "fastify";
import { testApp } from "../../../test/helpers/app.ts";
import { buildCouncil } from "../../../test/helpers/builders.ts";
import { describeOnBothDatabases } from "../../../test/helpers/database.ts";
import { buildPerson, sessionCookieFor, TEST_PASSWORD } from "../../../test/helpers/people.ts";
import { loadConfig } from "../../config.ts";
import type { Database } from "../../db/client.ts";
import { listSignInAttempts } from "./people.repository.ts";
import { findPerson, listPeople } from "./people.service.ts";

const PRODUCTION = {
  NODE_ENV: "production",
  BASEPLAN_COOKIE_SECRET: "a-cookie-secret-for-the-people-route-tests",
  BASEPLAN_SESSION_SECRET: "a-session-secret-for-the-people-route-tests",
};

/** GETs a form page with the cookies given and posts it back with its CSRF token and cookies. */
async function post(
  app: FastifyInstance,
  page: string,
  url: string,
  fields: Record<string, string>,
  cookie = "",
) {
  const opened = await app.inject({ url: page, headers: cookie ? { cookie } : {} });
  const token = /name="_csrf" value="([^"]+)"/.exec(opened.body)?.[1] ?? "";
  const cookies = [cookie, ...opened.cookies.map((c) => `${c.name}=${c.value}`)].filter(Boolean).join("; ");
  return app.inject({
    method: "POST",
    url,
    payload: new URLSearchParams({ _csrf: token, ...fields }).toString(),
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookies },
  });
}

function sessionFrom(response: { cookies: { name: string; value: string }[] }): string {
  const found = response.cookies.find((c) => c.name === "baseplan_session");
  return found ? `baseplan_session=${found.value}` : "";
}

async function inviteThroughPages(app: FastifyInstance, db: Database, councilId: number, email: string) {
  const invited = await post(app, "/people/invite", "/people/invite", {
    displayName: "Rowan Park",
    email,
    councilId: String(councilId),
    role: "viewer",
    departmentId: "",
  });
  assert.equal(invited.statusCode, 200, invited.body);
  const link = /data-testid="invitation-link"><code>[^<]*(\/invitation\/[A-Za-z0-9_-]+)<\/code>/.exec(
    invited.body,
  )?.[1];
  assert.ok(link, "the page shows the link once");
  const person = (await listPeople(db, councilId)).find((p) => p.email === email);
  assert.ok(person);
  return { link, person };
}

describeOnBothDatabases("sign-in and people pages", (fresh) => {
  test("an administrator invites through the pages; the link sets a password once and signs the person in", async () => {
    const { db } = await fresh();
    const { councilId } = await buildCouncil(db);
    const app = await testApp(db);

    const bad = await post(app, "/people/invite", "/people/invite", {
      displayName: "",
      email: "not an email",
      councilId: String(councilId),
      departmentId: "",
    });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /Enter the person&#39;s name/);
    assert.match(bad.body, /Enter an email address in the correct format/);
    assert.match(bad.body, /Select the role/);
    assert.equal((await listPeople(db, councilId)).length, 0);

    const { link, person } = await inviteThroughPages(app, db, councilId, "rowan@anytown.example");
    assert.match(
      (await app.inject("/people")).body,
      /rowan@anytown\.example[\s\S]*Invited[\s\S]*Viewer \(Whole council\)/,
    );

    const form = await app.inject(link);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /Set your password/);
    const weak = await post(app, link, link, { password: "password1234", confirm: "password1234" });
    assert.equal(weak.statusCode, 400);
    assert.match(weak.body, /one of the most commonly used/);
    const differ = await post(app, link, link, { password: TEST_PASSWORD, confirm: `${TEST_PASSWORD}!` });
    assert.equal(differ.statusCode, 400);
    assert.match(differ.body, /The two passwords are not the same/);
    assert.equal((await findPerson(db, person.id))?.status, "invited", "nothing changed");

    const set = await post(app, link, link, { password: TEST_PASSWORD, confirm: TEST_PASSWORD });
    assert.equal(set.statusCode, 303);
    const cookieLine = [set.headers["set-cookie"]]
      .flat()
      .find((line) => String(line).startsWith("baseplan_session="));
    assert.match(String(cookieLine), /HttpOnly/);
    assert.match(String(cookieLine), /SameSite=Lax/);
    assert.doesNotMatch(String(cookieLine), /Secure/, "not Secure outside production");
    const account = await app.inject({
      url: "/account?done=password-set",
      headers: { cookie: sessionFrom(set) },
    });
    assert.match(account.body, /Your password was set and you are signed in/);
    assert.match(account.body, /Signed in as <a class="govuk-link" href="\/account">Rowan Park/);

    const replay = await app.inject(link);
    assert.equal(replay.statusCode, 410);
    assert.match(replay.body, /This link has already been used/);
    // The refusal page has no form: the token comes from another page, as a replaying script's would.
    const replayPost = await post(app, "/sign-in", link, {
      password: "a different passphrase 77",
      confirm: "a different passphrase 77",
    });
    assert.equal(replayPost.statusCode, 410);
    assert.equal((await app.inject("/invitation/made-up-token")).statusCode, 410);
    await app.close();
  });

  test("production: nobody signed in is sent to sign in; a form is refused; sign-in, lock-out and sign-out work through the pages", async () => {
    const { db } = await fresh();
    const { councilId } = await buildCouncil(db);
    const person = await buildPerson(db, { councilId, roles: ["performance-officer"], name: "Morgan Reed" });
    const app = await testApp(db, PRODUCTION);

    const page = await app.inject("/plan");
    assert.equal(page.statusCode, 303);
    assert.equal(page.headers.location, "/sign-in?next=%2Fplan");
    const form = await app.inject({ method: "POST", url: "/periods/years", payload: {} });
    assert.equal(form.statusCode, 401);
    assert.match(form.body, /Sign in to do this/);
    assert.equal((await app.inject("/health/live")).statusCode, 200);
    assert.equal((await app.inject("/static/stylesheets/application.css")).statusCode, 200);
    const signInPage = await app.inject("/sign-in?next=%2Fplan");
    assert.equal(signInPage.statusCode, 200);
    assert.match(signInPage.body, /Sign in to Baseplan/);

    const wrong = await post(app, "/sign-in", "/sign-in", {
      email: person.email,
      password: "not the password at all",
      next: "/plan",
    });
    assert.equal(wrong.statusCode, 401);
    assert.match(wrong.body, /the ones given do not match one/);
    assert.equal(sessionFrom(wrong), "");

    const right = await post(app, "/sign-in", "/sign-in", {
      email: person.email,
      password: TEST_PASSWORD,
      next: "/plan",
    });
    assert.equal(right.statusCode, 303);
    assert.equal(right.headers.location, "/plan");
    assert.match(
      String([right.headers["set-cookie"]].flat().find((l) => String(l).startsWith("baseplan_session="))),
      /Secure/,
    );
    const session = sessionFrom(right);
    const plan = await app.inject({ url: "/plan", headers: { cookie: session } });
    assert.equal(plan.statusCode, 200);
    assert.match(plan.body, /Morgan Reed/);

    // A cookie whose signature does not match is nobody.
    const tampered = session.replace(/.$/, (c) => (c === "A" ? "B" : "A"));
    assert.equal((await app.inject({ url: "/plan", headers: { cookie: tampered } })).statusCode, 303);
    // Another site is never the next page.
    const offsite = await post(app, "/sign-in", "/sign-in", {
      email: person.email,
      password: TEST_PASSWORD,
      next: "//evil.example/",
    });
    assert.equal(offsite.headers.location, "/");

    const signedOut = await post(app, "/plan", "/sign-out", {}, session);
    assert.equal(signedOut.statusCode, 303);
    assert.equal(
      (await app.inject({ url: "/plan", headers: { cookie: session } })).statusCode,
      303,
      "the session ended",
    );

    for (let n = 0; n < 5; n += 1) {
      await post(app, "/sign-in", "/sign-in", { email: person.email, password: `wrong ${n} password here` });
    }
    await app.close();
    // Stored: a restart does not forget.
    const restarted = await testApp(db, PRODUCTION);
    const locked = await post(restarted, "/sign-in", "/sign-in", {
      email: person.email,
      password: TEST_PASSWORD,
    });
    assert.equal(locked.statusCode, 429);
    assert.match(locked.body, /too many failed attempts to sign in to this account/);
    assert.equal(sessionFrom(locked), "");
    assert.ok((await listSignInAttempts(db, person.email)).length >= 8);
    await restarted.close();
  });

  test("sign out everywhere ends every session; each person's pages are their own in the page cache", async () => {
    const { db } = await fresh();
    const { councilId } = await buildCouncil(db);
    const config = loadConfig({ ...PRODUCTION });
    const one = await buildPerson(db, { councilId, roles: ["viewer"], name: "Nico One" });
    const two = await buildPerson(db, { councilId, roles: ["administrator"], name: "Tess Two" });
    const app = await testApp(db, PRODUCTION);
    const first = await sessionCookieFor(db, config, one.id);
    const second = await sessionCookieFor(db, config, one.id);
    const other = await sessionCookieFor(db, config, two.id);
    const asOne = await app.inject({ url: "/plan", headers: { cookie: first } });
    const asTwo = await app.inject({ url: "/plan", headers: { cookie: other } });
    assert.match(asOne.body, /Nico One/);
    assert.doesNotMatch(asOne.body, /href="\/people"/, "a viewer is not shown the people page");
    assert.match(asTwo.body, /Tess Two/);
    assert.match(asTwo.body, /href="\/people"/);
    // A page the viewer may not open is refused on a page that keeps their navigation and name.
    const refused = await app.inject({ url: "/people", headers: { cookie: first } });
    assert.equal(refused.statusCode, 403);
    assert.match(refused.body, /You do not have permission/);
    assert.match(refused.body, /govuk-service-navigation__link" href="\/plan"/);
    assert.match(refused.body, /Nico One/);
    assert.doesNotMatch(refused.body, /href="\/people"/);
    const again = await app.inject({ url: "/plan", headers: { cookie: first } });
    assert.equal(again.headers["x-baseplan-cache"], "hit");
    assert.match(again.body, /Nico One/);
    assert.doesNotMatch(again.body, /Tess Two/);

    const everywhere = await post(app, "/account", "/sign-out", { everywhere: "yes" }, first);
    assert.equal(everywhere.statusCode, 303);
    for (const cookie of [first, second]) {
      assert.equal((await app.inject({ url: "/plan", headers: { cookie } })).statusCode, 303);
    }
    assert.equal((await app.inject({ url: "/plan", headers: { cookie: other } })).statusCode, 200);
    await app.close();
  });
});
