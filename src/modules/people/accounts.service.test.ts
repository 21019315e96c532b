import assert from "node:assert/strict";
import { test } from "node:test";
import { buildCouncil } from "../../../test/helpers/builders.ts";
import { describeOnBothDatabases, TEST_ACTOR } from "../../../test/helpers/database.ts";
import { buildPerson, TEST_PASSWORD } from "../../../test/helpers/people.ts";
import { listAuditEvents } from "../audit/audit.service.ts";
import {
  acceptInvitation,
  invitationState,
  LOCK_OUT,
  PasswordRefused,
  sessionPerson,
  signIn,
  signOut,
  signOutEverywhere,
  startSession,
} from "./accounts.service.ts";
import { hashPassword, passwordProblem, verifyPassword } from "./passwords.ts";
import { listSignInAttempts } from "./people.repository.ts";
import { deactivatePerson, findPerson, invitePerson } from "./people.service.ts";

const TIMES = { idleMinutes: 30, absoluteHours: 12 };
const minutes = (from: Date, n: number) => new Date(from.getTime() + n * 60 * 1000);

test("passwords: scrypt hashes with their parameters, salted, checked; weak ones refused with a reason", async () => {
  const hash = await hashPassword("a long enough passphrase");
  assert.match(hash, /^scrypt\$15\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
  assert.notEqual(hash, await hashPassword("a long enough passphrase"), "each hash has its own salt");
  assert.equal(await verifyPassword("a long enough passphrase", hash), true);
  assert.equal(await verifyPassword("a long enough passphrasE", hash), false);
  assert.equal(await verifyPassword("anything", "not a hash"), false);
  const person = { email: "jo.bloggs@anytown.example", displayName: "Jo Bloggs" };
  assert.match(passwordProblem("short1", person) ?? "", /at least 12 characters; this one has 6/);
  for (const common of [
    "password1234",
    "Password12345!",
    "qwertyuiop12",
    "iloveyou!!!!!",
    "aaaaaaaaaaaaaa",
  ]) {
    assert.match(passwordProblem(common, person) ?? "", /most commonly used/, common);
  }
  assert.match(passwordProblem("jo.bloggs-secret-99", person) ?? "", /email address or name/);
  assert.equal(passwordProblem("violet ledger harbour 7", person), null);
});

describeOnBothDatabases("local accounts and sessions", (fresh) => {
  test("an invitation link sets the password once; a replayed or expired link is refused", async () => {
    const { db } = await fresh();
    const { councilId } = await buildCouncil(db);
    const now = new Date("2040-01-10T09:00:00Z");
    const invited = await invitePerson(
      db,
      TEST_ACTOR,
      { councilId, email: "kim@anytown.example", displayName: "Kim Lee", role: "viewer", departmentId: null },
      { invitationDays: 7, now },
    );
    await assert.rejects(acceptInvitation(db, invited.token, "password1234", now), PasswordRefused);
    assert.equal((await findPerson(db, invited.person.id))?.status, "invited", "nothing changed");
    assert.deepEqual(await acceptInvitation(db, `${invited.token}x`, TEST_PASSWORD, now), {
      ok: false,
      reason: "unknown",
    });
    assert.deepEqual(await acceptInvitation(db, invited.token, TEST_PASSWORD, now), {
      ok: true,
      personId: invited.person.id,
    });
    assert.equal((await findPerson(db, invited.person.id))?.status, "active");
    assert.deepEqual(await acceptInvitation(db, invited.token, "another good passphrase 9", now), {
      ok: false,
      reason: "used",
    });
    const signedIn = await signIn(
      db,
      { email: "KIM@anytown.example", password: TEST_PASSWORD, address: "192.0.2.1" },
      TIMES,
      now,
    );
    assert.equal(signedIn.ok, true, "the first password still works; the replay changed nothing");

    const late = await invitePerson(
      db,
      TEST_ACTOR,
      { councilId, email: "lou@anytown.example", displayName: "Lou", role: "viewer", departmentId: null },
      { invitationDays: 7, now },
    );
    assert.deepEqual(await invitationState(db, late.token, minutes(now, 7 * 24 * 60 + 1)), {
      ok: false,
      reason: "expired",
    });
    assert.deepEqual(await acceptInvitation(db, late.token, TEST_PASSWORD, minutes(now, 7 * 24 * 60 + 1)), {
      ok: false,
      reason: "expired",
    });
    const events = await listAuditEvents(db, "person", invited.person.id);
    assert.equal(events[0]?.summary, "Kim Lee set their password from an invitation link");
  });

  test("sessions end when idle, at their absolute end, on sign-out, everywhere, and on deactivation", async () => {
    const { db } = await fresh();
    const { councilId } = await buildCouncil(db);
    const person = await buildPerson(db, { councilId, roles: ["viewer", "administrator"] });
    await buildPerson(db, { councilId, roles: ["administrator"] });
    const start = new Date("2040-02-01T08:00:00Z");
    const session = await startSession(db, person.id, "192.0.2.2", TIMES, start);
    const seen = await sessionPerson(db, session, TIMES, minutes(start, 29));
    assert.deepEqual(seen?.roles.sort(), ["administrator", "viewer"]);
    // Each request within the idle time moves it on: 29 + 29 minutes is still signed in.
    assert.ok(await sessionPerson(db, session, TIMES, minutes(start, 58)));
    assert.equal(await sessionPerson(db, session, TIMES, minutes(start, 58 + 31)), null, "idle too long");
    assert.equal(
      await sessionPerson(db, session, TIMES, minutes(start, 59)),
      null,
      "an ended session stays ended",
    );

    let busy = await startSession(db, person.id, "192.0.2.2", TIMES, start);
    for (let at = 20; at < 12 * 60; at += 20)
      assert.ok(await sessionPerson(db, busy, TIMES, minutes(start, at)));
    assert.equal(await sessionPerson(db, busy, TIMES, minutes(start, 12 * 60)), null, "absolute end");

    busy = await startSession(db, person.id, "192.0.2.2", TIMES, start);
    await signOut(db, busy, start);
    assert.equal(await sessionPerson(db, busy, TIMES, start), null);

    const one = await startSession(db, person.id, "192.0.2.2", TIMES, start);
    const two = await startSession(db, person.id, "198.51.100.7", TIMES, start);
    assert.equal(await signOutEverywhere(db, person.id, start), 2);
    assert.equal(await sessionPerson(db, one, TIMES, start), null);
    assert.equal(await sessionPerson(db, two, TIMES, start), null);

    const three = await startSession(db, person.id, "192.0.2.2", TIMES, start);
    await deactivatePerson(db, TEST_ACTOR, { personId: person.id, version: person.version });
    assert.equal(await sessionPerson(db, three, TIMES, start), null);
    const refused = await signIn(
      db,
      { email: person.email, password: TEST_PASSWORD, address: "192.0.2.2" },
      TIMES,
      start,
    );
    assert.deepEqual(refused, { ok: false, reason: "wrong" });
  });

  test("repeated failures lock the account, even for the right password, until the window has passed; each is recorded", async () => {
    const { db } = await fresh();
    const { councilId } = await buildCouncil(db);
    const person = await buildPerson(db, { councilId, roles: ["viewer"] });
    const start = new Date("2040-03-01T10:00:00Z");
    for (let n = 0; n < LOCK_OUT.perAccount; n += 1) {
      const failed = await signIn(
        db,
        { email: person.email, password: `wrong guess number ${n}`, address: `192.0.2.${n}` },
        TIMES,
        minutes(start, n),
      );
      assert.deepEqual(failed, { ok: false, reason: "wrong" });
    }
    const locked = await signIn(
      db,
      { email: person.email, password: TEST_PASSWORD, address: "192.0.2.99" },
      TIMES,
      minutes(start, 5),
    );
    assert.equal(locked.ok, false);
    assert.equal(!locked.ok && locked.reason, "account-locked");
    assert.equal(!locked.ok && locked.retryAfterMinutes, LOCK_OUT.windowMinutes - 1);
    const after = await signIn(
      db,
      { email: person.email, password: TEST_PASSWORD, address: "192.0.2.99" },
      TIMES,
      minutes(start, 4 + LOCK_OUT.windowMinutes + 1),
    );
    assert.equal(after.ok, true);
    const attempts = await listSignInAttempts(db, person.email);
    assert.deepEqual(
      attempts.map((attempt) => [attempt.succeeded, attempt.reason]),
      [
        ...Array.from({ length: LOCK_OUT.perAccount }, () => [false, "wrong password"]),
        [false, "account locked"],
        [true, "signed in"],
      ],
    );
  });

  test("many failures from one address lock that address for every account, and unknown emails count too", async () => {
    const { db } = await fresh();
    const { councilId } = await buildCouncil(db);
    const person = await buildPerson(db, { councilId, roles: ["viewer"] });
    const start = new Date("2040-04-01T10:00:00Z");
    for (let n = 0; n < LOCK_OUT.perAddress; n += 1) {
      const failed = await signIn(
        db,
        { email: `nobody${n}@anytown.example`, password: "not a real password", address: "203.0.113.5" },
        TIMES,
        start,
      );
      assert.deepEqual(
        failed,
        { ok: false, reason: "wrong" },
        "the answer does not say whether the email exists",
      );
    }
    const fromThere = await signIn(
      db,
      { email: person.email, password: TEST_PASSWORD, address: "203.0.113.5" },
      TIMES,
      start,
    );
    assert.equal(!fromThere.ok && fromThere.reason, "address-locked");
    const elsewhere = await signIn(
      db,
      { email: person.email, password: TEST_PASSWORD, address: "203.0.113.6" },
      TIMES,
      start,
    );
    assert.equal(elsewhere.ok, true);
  });
});
