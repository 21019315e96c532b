import assert from "node:assert/strict";
import { test } from "node:test";
import { loadConfig, startupWarnings } from "../src/config.ts";
import { councils } from "../src/db/schema/index.ts";
import { createServices } from "../src/services.ts";
import { createApp } from "../src/web/app.ts";
import { describeOnBothDatabases } from "./helpers/database.ts";
import { buildPerson, sessionCookieFor } from "./helpers/people.ts";

const SECRET = "a-production-secret-of-more-than-32-characters";
const SESSION_SECRET = "a-production-session-secret-of-32-characters-or-more";
const production = {
  NODE_ENV: "production",
  BASEPLAN_COOKIE_SECRET: SECRET,
  BASEPLAN_SESSION_SECRET: SESSION_SECRET,
} as const;

test("production refuses a short secret as well as the development one", () => {
  assert.throws(
    () => loadConfig({ ...production, BASEPLAN_COOKIE_SECRET: "s".repeat(31) }),
    /BASEPLAN_COOKIE_SECRET/,
  );
  assert.equal(loadConfig({ ...production, BASEPLAN_COOKIE_SECRET: "s".repeat(32) }).cookieSecret.length, 32);
});

test("production loads the demo into an empty database only when BASEPLAN_LOAD_DEMO=true is set", () => {
  assert.equal(loadConfig(production).loadDemo, false);
  assert.equal(loadConfig({ ...production, BASEPLAN_LOAD_DEMO: "true" }).loadDemo, true);
  assert.equal(loadConfig({ NODE_ENV: "development" }).loadDemo, true);
  assert.equal(loadConfig({ NODE_ENV: "development", BASEPLAN_LOAD_DEMO: "false" }).loadDemo, false);
});

test("BASEPLAN_TRUST_PROXY takes addresses and ranges, none by default, and refuses anything else", () => {
  assert.deepEqual(loadConfig({}).trustProxy, []);
  assert.deepEqual(loadConfig({ BASEPLAN_TRUST_PROXY: "10.0.0.1, 192.168.0.0/16,::1" }).trustProxy, [
    "10.0.0.1",
    "192.168.0.0/16",
    "::1",
  ]);
  assert.throws(() => loadConfig({ BASEPLAN_TRUST_PROXY: "true" }), /BASEPLAN_TRUST_PROXY has "true"/);
  assert.throws(() => loadConfig({ BASEPLAN_TRUST_PROXY: "10.0.0.0/33" }), /BASEPLAN_TRUST_PROXY/);
});

test("listening beyond this computer while acting for the demo user gives a warning; loopback and production do not", () => {
  for (const host of ["127.0.0.1", "localhost", "::1"]) {
    assert.deepEqual(startupWarnings(loadConfig({ HOST: host })), []);
  }
  const [warning] = startupWarnings(loadConfig({ HOST: "0.0.0.0" }));
  assert.match(
    warning ?? "",
    /0\.0\.0\.0.*acts for .* when nobody has signed in: anyone on the network .* can change the figures/,
  );
  assert.deepEqual(startupWarnings(loadConfig({ ...production, HOST: "0.0.0.0" })), []);
});

test("production refuses BASEPLAN_ACTING_USER and needs a session secret of its own", () => {
  assert.throws(
    () => loadConfig({ ...production, BASEPLAN_ACTING_USER: "someone@council.example" }),
    /BASEPLAN_ACTING_USER is for the demo and tests only and is refused in production/,
  );
  const { BASEPLAN_SESSION_SECRET: _unset, ...withoutSession } = production;
  assert.throws(() => loadConfig(withoutSession), /BASEPLAN_SESSION_SECRET is required in production/);
  assert.throws(
    () =>
      loadConfig({
        ...production,
        BASEPLAN_SESSION_SECRET: "baseplan-development-only-session-secret-not-for-production",
      }),
    /BASEPLAN_SESSION_SECRET is the development value/,
  );
  assert.equal(loadConfig(production).actingUser, undefined);
  assert.equal(loadConfig({ NODE_ENV: "test" }).actingUser, "performance.officer@demo-council.example");
  const defaults = loadConfig(production);
  assert.deepEqual(
    [defaults.sessionIdleMinutes, defaults.sessionHours, defaults.invitationDays],
    [30, 12, 7],
  );
  assert.throws(() => loadConfig({ BASEPLAN_SESSION_IDLE_MINUTES: "0" }), /BASEPLAN_SESSION_IDLE_MINUTES/);
});

describeOnBothDatabases("production mode at the edge", (fresh) => {
  test("every cookie is Secure in production, and not in development", async () => {
    const database = await fresh({ demo: true });
    const config = loadConfig(production);
    const app = await createApp(createServices(database.db, config));
    const [council] = await database.db.select().from(councils).limit(1);
    const officer = await buildPerson(database.db, {
      councilId: council?.id ?? 0,
      roles: ["performance-officer"],
    });
    const session = await sessionCookieFor(database.db, config, officer.id);
    const page = await app.inject({ url: "/procurement/pipeline?year=2022", headers: { cookie: session } });
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
    const cookie = [session, ...page.cookies.map((c) => `${c.name}=${c.value}`)].join("; ");
    assert.ok(page.cookies.length > 0, "the form page sets the CSRF cookie");
    const lines = [page.headers["set-cookie"]].flat().map(String);
    for (const line of lines) assert.match(line, /; Secure/);
    const names = lines.map((line) => line.split("=")[0]);
    assert.deepEqual(names, [...new Set(names)], "each cookie is set once");
    // A save sets the banner cookie: it is Secure too.
    const saved = await app.inject({
      method: "POST",
      url: "/measures/import",
      payload: new URLSearchParams({ _csrf: token ?? "", table: "" }).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded", cookie },
    });
    for (const line of [saved.headers["set-cookie"] ?? []].flat()) assert.match(String(line), /; Secure/);
    await app.close();

    const development = await createApp(createServices(database.db, loadConfig({ NODE_ENV: "test" })));
    const plain = await development.inject("/procurement/pipeline?year=2022");
    for (const line of [plain.headers["set-cookie"]].flat()) assert.doesNotMatch(String(line), /Secure/);
    await development.close();
  });

  test("the forwarded host and address are believed only from the proxies configured", async () => {
    const database = await fresh({ demo: true });
    const forwarded = {
      "x-forwarded-host": "attacker.example",
      "x-forwarded-proto": "https",
      "x-forwarded-for": "203.0.113.9",
    };
    const untrusting = await createApp(createServices(database.db, loadConfig({ NODE_ENV: "test" })));
    let seenIp = "";
    untrusting.addHook("onRequest", async (request) => {
      seenIp = request.ip;
    });
    const plain = await untrusting.inject({ url: "/procurement/pipeline/2022.json", headers: forwarded });
    assert.equal(plain.statusCode, 200);
    assert.doesNotMatch(plain.body, /attacker\.example/);
    assert.equal(seenIp, "127.0.0.1");
    await untrusting.close();

    // inject() comes from 127.0.0.1: trusted when configured.
    const trusting = await createApp(
      createServices(database.db, loadConfig({ NODE_ENV: "test", BASEPLAN_TRUST_PROXY: "127.0.0.1" })),
    );
    const proxied = await trusting.inject({ url: "/procurement/pipeline/2022.json", headers: forwarded });
    assert.match(proxied.body, /https:\/\/attacker\.example\/procurement\/pipeline\/2022\.json/);
    await trusting.close();
  });

  test("pages say no-store; static files keep their own caching", async () => {
    const database = await fresh({ demo: true });
    const app = await createApp(createServices(database.db, loadConfig({ NODE_ENV: "test" })));
    for (const url of [
      "/",
      "/procurement/pipeline?year=2022",
      "/procurement/pipeline/2022.csv",
      "/nowhere",
    ]) {
      assert.equal((await app.inject(url)).headers["cache-control"], "no-store", url);
    }
    const css = await app.inject("/govuk/govuk-frontend.min.css");
    assert.equal(css.statusCode, 200);
    assert.match(String(css.headers["cache-control"]), /max-age=86400/);
    await app.close();
  });

  test("a method an address does not take is 405 with Allow, not a form that could not be sent", async () => {
    const database = await fresh({ demo: true });
    const app = await createApp(createServices(database.db, loadConfig({ NODE_ENV: "test" })));
    const post = await app.inject({ method: "POST", url: "/procurement/pipeline/2022.json" });
    assert.equal(post.statusCode, 405);
    assert.equal(post.headers.allow, "GET, HEAD");
    assert.doesNotMatch(post.body, /could not be sent/);
    const del = await app.inject({ method: "DELETE", url: "/measures/import" });
    assert.equal(del.statusCode, 405);
    assert.match(String(del.headers.allow), /POST/);
    assert.equal((await app.inject({ method: "POST", url: "/no/such/address" })).statusCode, 403);
    assert.equal((await app.inject({ method: "GET", url: "/no/such/address" })).statusCode, 404);
    await app.close();
  });
});
