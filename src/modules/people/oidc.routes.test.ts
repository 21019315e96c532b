import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { FastifyInstance } from "fastify";
import { testApp } from "../../../test/helpers/app.ts";
import { buildCouncil } from "../../../test/helpers/builders.ts";
import { describeOnBothDatabases, TEST_ACTOR } from "../../../test/helpers/database.ts";
import {
  startTestProvider,
  type TestProvider,
  throughProvider,
} from "../../../test/helpers/oidc-provider.ts";
import { oidcSignIns } from "../../db/schema/index.ts";
import { listSignInAttemptsFrom } from "./people.repository.ts";
import { deactivatePerson, invitePerson } from "./people.service.ts";

const PRODUCTION = {
  NODE_ENV: "production",
  BASEPLAN_COOKIE_SECRET: "a-cookie-secret-for-the-oidc-route-tests",
  BASEPLAN_SESSION_SECRET: "a-session-secret-for-the-oidc-route-tests",
};
const REDIRECT = "http://127.0.0.1:39998/sign-in/oidc/callback";

function cookiesOf(response: { cookies: { name: string; value: string }[] }, names: string[]): string {
  const found = new Map<string, string>();
  for (const cookie of response.cookies) {
    if (names.includes(cookie.name) && cookie.value !== "") found.set(cookie.name, cookie.value);
  }
  return [...found].map(([name, value]) => `${name}=${value}`).join("; ");
}

/** Opens the sign-in page and follows "Sign in with ...": the provider's address and the browser's cookies. */
async function begin(app: FastifyInstance, next = "/") {
  const page = await app.inject({ url: `/sign-in?next=${encodeURIComponent(next)}` });
  const href = /href="(\/sign-in\/oidc\?next=[^"]*)"/.exec(page.body)?.[1] ?? "";
  assert.equal(href.replace(/&amp;/g, "&"), `/sign-in/oidc?next=${encodeURIComponent(next)}`);
  const started = await app.inject({ url: href.replace(/&amp;/g, "&") });
  assert.equal(started.statusCode, 303, started.body);
  const stateCookie = started.cookies.find((cookie) => cookie.name === "baseplan_oidc_state");
  assert.ok(stateCookie, "the browser keeps the state");
  assert.equal(stateCookie.httpOnly, true);
  assert.equal(stateCookie.sameSite, "Lax");
  assert.equal(stateCookie.path, "/sign-in/oidc");
  return { url: String(started.headers.location), cookie: cookiesOf(started, ["baseplan_oidc_state"]) };
}

function callback(app: FastifyInstance, query: string, cookie: string) {
  return app.inject({ url: `/sign-in/oidc/callback${query}`, headers: cookie ? { cookie } : {} });
}

describeOnBothDatabases("sign-in pages with an identity provider", (fresh) => {
  let provider: TestProvider;
  before(async () => {
    provider = await startTestProvider({ redirectUrl: REDIRECT, providerName: "Anytown Council account" });
  });
  after(() => provider.close());

  async function setUp(env: Record<string, string> = {}) {
    const { db } = await fresh();
    const { councilId } = await buildCouncil(db);
    const invited = await invitePerson(
      db,
      TEST_ACTOR,
      {
        councilId,
        email: "ali.khan@anytown.example",
        displayName: "Ali Khan",
        role: "viewer",
        departmentId: null,
      },
      { invitationDays: 7 },
    );
    // In production nobody acts without signing in.
    const app = await testApp(db, { ...PRODUCTION, ...provider.env, ...env });
    return { db, app, person: invited.person };
  }

  test("the sign-in page offers the provider by name; signing in through it opens the page asked for", async () => {
    const { db, app } = await setUp();
    try {
      const page = await app.inject({ url: "/sign-in" });
      assert.match(page.body, /Sign in with Anytown Council account/);
      assert.match(page.body, /Or sign in with an email address and password/);
      assert.match(page.body, /name="password"/);

      const { url, cookie } = await begin(app, "/measures");
      assert.ok(url.startsWith(`${provider.issuer}/`), url);
      const query = await throughProvider(url, REDIRECT, { login: "Ali.Khan@Anytown.example" });
      const signedIn = await callback(app, query, cookie);
      assert.equal(signedIn.statusCode, 303, signedIn.body);
      assert.equal(signedIn.headers.location, "/measures");
      const session = cookiesOf(signedIn, ["baseplan_session"]);
      assert.ok(session);
      const account = await app.inject({ url: "/account", headers: { cookie: session } });
      assert.match(account.body, /Ali Khan/);

      // The same callback again, with the same cookie: refused, recorded, no session.
      const replayed = await callback(app, query, cookie);
      assert.equal(replayed.statusCode, 400);
      assert.match(replayed.body, /This sign-in has already been used/);
      assert.equal(cookiesOf(replayed, ["baseplan_session"]), "");
      assert.deepEqual(
        (await listSignInAttemptsFrom(db, "oidc")).map((attempt) => attempt.succeeded),
        [true, false],
      );
    } finally {
      await app.close();
    }
  });

  test("refusal pages: unknown or deactivated person, forged or missing state, a provider error, a wrong nonce", async () => {
    const { db, app, person } = await setUp();
    try {
      const signInAs = async (login: string) => {
        const { url, cookie } = await begin(app);
        return callback(app, await throughProvider(url, REDIRECT, { login }), cookie);
      };
      const unknown = await signInAs("nobody@anytown.example");
      assert.equal(unknown.statusCode, 403);
      assert.match(unknown.body, /You have not been added to Baseplan/);
      assert.match(unknown.body, /signed you in as nobody@anytown.example/);
      assert.match(unknown.body, /Ask an administrator of your council&#39;s Baseplan to add you/);

      const first = await begin(app);
      const firstQuery = await throughProvider(first.url, REDIRECT, { login: "ali.khan@anytown.example" });
      const noCookie = await callback(app, firstQuery, "");
      assert.equal(noCookie.statusCode, 400);
      assert.match(noCookie.body, /This sign-in could not be checked/);
      const other = await begin(app);
      const forged = await callback(app, firstQuery, other.cookie);
      assert.equal(forged.statusCode, 400);
      assert.match(forged.body, /This sign-in was not begun here/);
      const tampered = await callback(app, firstQuery, `${first.cookie.replace(/\.[^.]*$/, "")}.forged`);
      assert.equal(tampered.statusCode, 400, "a cookie with a bad signature is no state");

      const cancelled = await begin(app);
      const error = await callback(
        app,
        await throughProvider(cancelled.url, REDIRECT, { abort: true }),
        cancelled.cookie,
      );
      assert.equal(error.statusCode, 400);
      assert.match(error.body, /Anytown Council account did not sign you in/);
      assert.match(error.body, /access_denied/);

      const nonce = await begin(app);
      const nonceQuery = await throughProvider(nonce.url, REDIRECT, { login: "ali.khan@anytown.example" });
      await db.update(oidcSignIns).set({ nonce: "not-the-nonce-sent" });
      const wrongNonce = await callback(app, nonceQuery, nonce.cookie);
      assert.equal(wrongNonce.statusCode, 400);
      assert.match(wrongNonce.body, /it was not issued for this sign-in/);

      await deactivatePerson(db, TEST_ACTOR, { personId: person.id, version: person.version });
      const deactivated = await signInAs("ali.khan@anytown.example");
      assert.equal(deactivated.statusCode, 403);
      assert.match(deactivated.body, /Your account has been deactivated/);

      for (const response of [unknown, noCookie, forged, tampered, error, wrongNonce, deactivated]) {
        assert.equal(cookiesOf(response, ["baseplan_session"]), "", "nobody signed in");
        assert.doesNotMatch(response.body, /at \w+ \(|Error:/, "no stack trace");
      }
      const attempts = await listSignInAttemptsFrom(db, "oidc");
      assert.equal(attempts.length, 7);
      assert.ok(attempts.every((attempt) => !attempt.succeeded));
    } finally {
      await app.close();
    }
  });

  test("with local accounts off the page offers only the provider, and a password is refused", async () => {
    const { app } = await setUp({ BASEPLAN_LOCAL_ACCOUNTS: "false" });
    try {
      const page = await app.inject({ url: "/sign-in" });
      assert.match(page.body, /Sign in with Anytown Council account/);
      assert.doesNotMatch(page.body, /name="password"/);
      // The page has no password form (so no form token either): a password posted anyway is refused.
      const refused = await app.inject({
        method: "POST",
        url: "/sign-in",
        payload: new URLSearchParams({ email: "ali.khan@anytown.example", password: "x" }).toString(),
        headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookiesOf(page, ["_csrf"]) },
      });
      assert.equal(refused.statusCode, 403);
      assert.equal(cookiesOf(refused, ["baseplan_session"]), "");
    } finally {
      await app.close();
    }
  });
});

test("without OpenID Connect settings the sign-in page has no provider button and its addresses are not found", async () => {
  const { freshDatabase } = await import("../../../test/helpers/database.ts");
  const database = await freshDatabase("pglite");
  const app = await testApp(database.db);
  try {
    const page = await app.inject({ url: "/sign-in" });
    assert.doesNotMatch(page.body, /Sign in with /);
    assert.match(page.body, /name="password"/);
    assert.equal((await app.inject({ url: "/sign-in/oidc/callback?state=x&code=y" })).statusCode, 404);
  } finally {
    await app.close();
    await database.close();
  }
});
