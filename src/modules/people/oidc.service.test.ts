import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { CustomFetch } from "openid-client";
import { buildCouncil } from "../../../test/helpers/builders.ts";
import { describeOnBothDatabases, TEST_ACTOR } from "../../../test/helpers/database.ts";
import {
  startTestProvider,
  type TestProvider,
  throughProvider,
} from "../../../test/helpers/oidc-provider.ts";
import { loadConfig } from "../../config.ts";
import type { Database } from "../../db/client.ts";
import { oidcSignIns } from "../../db/schema/index.ts";
import { listAuditEvents } from "../audit/audit.service.ts";
import { sessionPerson } from "./accounts.service.ts";
import { emailFromClaims, type OidcResult, OidcSignIn } from "./oidc.service.ts";
import { listSignInAttemptsFrom } from "./people.repository.ts";
import { deactivatePerson, findPerson, invitePerson } from "./people.service.ts";

const TIMES = { idleMinutes: 30, absoluteHours: 12 };
const REDIRECT = "http://127.0.0.1:39999/sign-in/oidc/callback";

test("the email an ID token names: email, else an email-shaped preferred_username (Entra ID), never an unverified one", () => {
  assert.equal(emailFromClaims({ email: "Sam.Lee@Anytown.example" }), "sam.lee@anytown.example");
  assert.equal(emailFromClaims({ preferred_username: "sam.lee@anytown.example" }), "sam.lee@anytown.example");
  assert.equal(emailFromClaims({ preferred_username: "samlee" }), undefined);
  assert.equal(emailFromClaims({ email: "sam@anytown.example", email_verified: false }), undefined);
  assert.equal(emailFromClaims({}), undefined);
});

test("OpenID Connect settings come whole, over https, with Baseplan's callback address", () => {
  const whole = {
    NODE_ENV: "test",
    BASEPLAN_OIDC_ISSUER: "https://login.microsoftonline.com/00000000-1111-2222-3333-444444444444/v2.0",
    BASEPLAN_OIDC_CLIENT_ID: "client",
    BASEPLAN_OIDC_CLIENT_SECRET: "secret",
    BASEPLAN_OIDC_REDIRECT_URL: "https://baseplan.anytown.example/sign-in/oidc/callback",
    BASEPLAN_OIDC_PROVIDER_NAME: "Anytown account",
  };
  assert.equal(loadConfig(whole).oidc?.providerName, "Anytown account");
  assert.equal(loadConfig({ NODE_ENV: "test" }).oidc, undefined);
  assert.throws(
    () => loadConfig({ ...whole, BASEPLAN_OIDC_CLIENT_SECRET: undefined }),
    /BASEPLAN_OIDC_CLIENT_SECRET is needed/,
  );
  assert.throws(
    () => loadConfig({ ...whole, BASEPLAN_OIDC_ISSUER: "http://idp.anytown.example" }),
    /BASEPLAN_OIDC_ISSUER is http:\/\/idp.anytown.example: it must use https/,
  );
  assert.throws(
    () => loadConfig({ ...whole, BASEPLAN_OIDC_REDIRECT_URL: "https://baseplan.anytown.example/callback" }),
    /must be Baseplan's own address ending in \/sign-in\/oidc\/callback/,
  );
  assert.throws(
    () => loadConfig({ NODE_ENV: "test", BASEPLAN_LOCAL_ACCOUNTS: "false" }),
    /nobody could sign in/,
  );
  assert.equal(loadConfig({ ...whole, BASEPLAN_LOCAL_ACCOUNTS: "false" }).localAccounts, false);
});

describeOnBothDatabases("sign-in with an identity provider (OpenID Connect)", (fresh) => {
  let provider: TestProvider;
  /** Claims to change in the next ID token the token endpoint returns (re-signed with its key). */
  let tamper: Record<string, unknown> | undefined;
  const tampering: CustomFetch = async (url, options) => {
    const response = await fetch(url, options as RequestInit);
    if (!tamper || !url.endsWith("/token")) return response;
    const body = (await response.json()) as { id_token: string };
    body.id_token = provider.resign(body.id_token, tamper);
    return new Response(JSON.stringify(body), {
      status: response.status,
      headers: { "content-type": "application/json" },
    });
  };
  let oidc: OidcSignIn;
  before(async () => {
    provider = await startTestProvider({ redirectUrl: REDIRECT });
    const settings = loadConfig({ NODE_ENV: "test", ...provider.env }).oidc;
    assert.ok(settings);
    oidc = new OidcSignIn(settings, { fetch: tampering });
  });
  after(() => provider.close());

  async function setUp() {
    const { db } = await fresh();
    const { councilId } = await buildCouncil(db);
    const invited = await invitePerson(
      db,
      TEST_ACTOR,
      {
        councilId,
        email: "Sam.Lee@Anytown.example",
        displayName: "Sam Lee",
        role: "viewer",
        departmentId: null,
      },
      { invitationDays: 7 },
    );
    return { db, councilId, person: invited.person };
  }

  /** Begins a sign-in, goes through the provider as `login`, and completes it in the same browser. */
  async function signInAs(db: Database, login: string): Promise<OidcResult> {
    const begun = await oidc.begin(db, { next: "/measures", address: "192.0.2.1" });
    const query = await throughProvider(begun.url, REDIRECT, { login });
    return oidc.complete(db, { query, browserState: begun.state, address: "192.0.2.1" }, TIMES);
  }

  test("a person an administrator added signs in (email matched ignoring case), becomes active, and it is recorded", async () => {
    const { db, person } = await setUp();
    const begun = await oidc.begin(db, { next: "/measures", address: "192.0.2.1" });
    const authorisation = new URL(begun.url);
    assert.equal(authorisation.origin, provider.issuer);
    assert.equal(authorisation.searchParams.get("code_challenge_method"), "S256");
    assert.match(authorisation.searchParams.get("code_challenge") ?? "", /^[A-Za-z0-9_-]{43}$/);
    assert.equal(authorisation.searchParams.get("state"), begun.state);
    assert.ok(authorisation.searchParams.get("nonce"));
    const query = await throughProvider(begun.url, REDIRECT, { login: "SAM.LEE@anytown.example" });
    const result = await oidc.complete(db, { query, browserState: begun.state, address: "192.0.2.1" }, TIMES);
    assert.equal(result.ok, true, JSON.stringify(result));
    if (!result.ok) return;
    assert.equal(result.personId, person.id);
    assert.equal(result.next, "/measures");
    assert.equal((await sessionPerson(db, result.sessionId, TIMES))?.email, "sam.lee@anytown.example");
    assert.equal((await findPerson(db, person.id))?.status, "active");
    const audit = await listAuditEvents(db, "person", person.id);
    assert.ok(
      audit.some((event) =>
        /Sam Lee signed in for the first time with Test Council account/.test(event.summary),
      ),
    );
    const attempts = await listSignInAttemptsFrom(db, "oidc");
    assert.deepEqual(
      attempts.map((attempt) => [attempt.email, attempt.succeeded, attempt.reason, attempt.address]),
      [["sam.lee@anytown.example", true, "signed in with the identity provider", "192.0.2.1"]],
    );

    // The same callback again: refused as replayed, recorded, no new session.
    const replayed = await oidc.complete(
      db,
      { query, browserState: begun.state, address: "192.0.2.1" },
      TIMES,
    );
    assert.deepEqual(replayed, { ok: false, reason: "replayed" });
    assert.match((await listSignInAttemptsFrom(db, "oidc")).at(-1)?.reason ?? "", /callback already used/);
  });

  test("Microsoft Entra ID style: only preferred_username names the email", async () => {
    const { db, person } = await setUp();
    const entra = await startTestProvider({
      redirectUrl: REDIRECT,
      claimsFor: (login) => ({ preferred_username: login, name: "Sam Lee", tid: "tenant" }),
    });
    try {
      const settings = loadConfig({ NODE_ENV: "test", ...entra.env }).oidc;
      assert.ok(settings);
      const client = new OidcSignIn(settings);
      const begun = await client.begin(db, { next: "/", address: "192.0.2.1" });
      const query = await throughProvider(begun.url, REDIRECT, { login: "sam.lee@anytown.example" });
      const result = await client.complete(
        db,
        { query, browserState: begun.state, address: "192.0.2.1" },
        TIMES,
      );
      assert.equal(result.ok && result.personId, person.id);
    } finally {
      await entra.close();
    }
  });

  test("someone nobody added, a deactivated person and an account with no email are refused and recorded", async () => {
    const { db, person } = await setUp();
    assert.deepEqual(await signInAs(db, "stranger@elsewhere.example"), {
      ok: false,
      reason: "unknown-person",
      email: "stranger@elsewhere.example",
    });
    assert.deepEqual(await signInAs(db, "no-email-here"), { ok: false, reason: "no-email" });
    await deactivatePerson(db, TEST_ACTOR, { personId: person.id, version: person.version });
    assert.deepEqual(await signInAs(db, "sam.lee@anytown.example"), {
      ok: false,
      reason: "deactivated",
      email: "sam.lee@anytown.example",
    });
    const attempts = await listSignInAttemptsFrom(db, "oidc");
    assert.deepEqual(
      attempts.map((attempt) => [attempt.email, attempt.succeeded, attempt.reason]),
      [
        ["stranger@elsewhere.example", false, "identity provider: nobody with this email"],
        ["", false, "identity provider: no email address in the ID token"],
        ["sam.lee@anytown.example", false, "identity provider: person deactivated"],
      ],
    );
  });

  test("a missing or forged state, a provider's error, a wrong nonce, another audience or issuer: refused, recorded, nobody signed in", async () => {
    const { db, person } = await setUp();
    const complete = (query: string, browserState: string | undefined) =>
      oidc.complete(db, { query, browserState, address: "192.0.2.9" }, TIMES);

    // No state cookie in this browser (the callback opened elsewhere), and no state at all.
    const first = await oidc.begin(db, { next: "/", address: "192.0.2.9" });
    const firstQuery = await throughProvider(first.url, REDIRECT, { login: "sam.lee@anytown.example" });
    assert.equal((await complete(firstQuery, undefined)).ok, false);
    assert.deepEqual(await complete("?code=abc", first.state), { ok: false, reason: "missing-state" });
    // A state this browser did not begin: an attacker's callback pasted into the victim's browser.
    const attacker = await oidc.begin(db, { next: "/", address: "192.0.2.66" });
    const attackerQuery = await throughProvider(attacker.url, REDIRECT, { login: "sam.lee@anytown.example" });
    assert.deepEqual(await complete(attackerQuery, first.state), { ok: false, reason: "forged-state" });
    // A state that was never begun, even if the cookie says the same.
    assert.deepEqual(await complete("?code=abc&state=made-up", "made-up"), {
      ok: false,
      reason: "forged-state",
    });

    // The provider returns an error (the person cancelled at the provider).
    const cancelled = await oidc.begin(db, { next: "/", address: "192.0.2.9" });
    const cancelledQuery = await throughProvider(cancelled.url, REDIRECT, { abort: true });
    const cancel = await complete(cancelledQuery, cancelled.state);
    assert.equal(cancel.ok, false);
    assert.equal(!cancel.ok && cancel.reason, "provider-error");
    assert.match((!cancel.ok && cancel.detail) || "", /access_denied/);

    // An ID token whose nonce is not the one this sign-in sent.
    const nonce = await oidc.begin(db, { next: "/", address: "192.0.2.9" });
    const nonceQuery = await throughProvider(nonce.url, REDIRECT, { login: "sam.lee@anytown.example" });
    await db.update(oidcSignIns).set({ nonce: "a-nonce-this-sign-in-did-not-send" });
    assert.deepEqual(await complete(nonceQuery, nonce.state), { ok: false, reason: "wrong-nonce" });

    // ID tokens signed by the provider's own key but for another client, or naming another issuer.
    for (const [changes, reason] of [
      [{ aud: "another-application" }, "wrong-audience"],
      [{ iss: "https://idp.elsewhere.example" }, "wrong-issuer"],
    ] as const) {
      const begun = await oidc.begin(db, { next: "/", address: "192.0.2.9" });
      const query = await throughProvider(begun.url, REDIRECT, { login: "sam.lee@anytown.example" });
      tamper = changes;
      try {
        assert.deepEqual(await complete(query, begun.state), { ok: false, reason });
      } finally {
        tamper = undefined;
      }
    }

    const attempts = await listSignInAttemptsFrom(db, "oidc");
    assert.deepEqual(
      attempts.map((attempt) => [attempt.succeeded, attempt.reason.replace(/ \(.*\)$/, "")]),
      [
        [false, "identity provider: no state, or no sign-in begun in this browser"],
        [false, "identity provider: no state, or no sign-in begun in this browser"],
        [false, "identity provider: state not one this browser began"],
        [false, "identity provider: state not one this browser began"],
        [false, "identity provider: returned an error"],
        [false, "identity provider: ID token nonce not the one sent"],
        [false, "identity provider: ID token for another audience"],
        [false, "identity provider: ID token from another issuer"],
      ],
    );
    assert.ok(attempts.every((attempt) => attempt.address === "192.0.2.9"));
    // Nothing changed: Sam was never signed in and is still only invited.
    assert.equal((await findPerson(db, person.id))?.status, "invited");
    assert.equal(
      (await listAuditEvents(db, "person", person.id)).filter((e) => /signed in/.test(e.summary)).length,
      0,
    );

    // A sign-in begun too long ago.
    const late = await oidc.begin(db, { next: "/", address: "192.0.2.9" });
    const lateQuery = await throughProvider(late.url, REDIRECT, { login: "sam.lee@anytown.example" });
    const later = new Date(Date.now() + 11 * 60 * 1000);
    assert.deepEqual(
      await oidc.complete(
        db,
        { query: lateQuery, browserState: late.state, address: "192.0.2.9" },
        TIMES,
        later,
      ),
      { ok: false, reason: "expired" },
    );
  });
});
