import assert from "node:assert/strict";
import { test } from "node:test";
import { sql } from "drizzle-orm";
import { buildCouncil } from "../../../test/helpers/builders.ts";
import { describeOnBothDatabases, TEST_ACTOR } from "../../../test/helpers/database.ts";
import { buildPerson } from "../../../test/helpers/people.ts";
import { queryRows } from "../../db/client.ts";
import { ValidationFailed } from "../../errors.ts";
import { listAuditEvents } from "../audit/audit.service.ts";
import {
  API_TOKEN_PREFIX,
  apiTokenPerson,
  issueApiToken,
  listApiTokens,
  revokeApiToken,
} from "./api-tokens.service.ts";
import { deactivatePerson, findPerson, tokenHash } from "./people.service.ts";

const DAY = 24 * 60 * 60 * 1000;

describeOnBothDatabases("API tokens", (fresh) => {
  test("a token is kept only as its hash, acts as its person with their roles, and is audited", async () => {
    const { db } = await fresh();
    const { councilId } = await buildCouncil(db);
    const person = await buildPerson(db, { councilId, roles: ["viewer", "finance-officer"] });
    const issued = await issueApiToken(db, TEST_ACTOR, {
      personId: person.id,
      name: "Data warehouse",
      days: 30,
    });

    assert.ok(issued.token.startsWith(API_TOKEN_PREFIX));
    assert.ok(issued.token.length > 40, "the token carries 32 random bytes");
    const stored = await queryRows<{ token_hash: string }>(db, sql.raw("select token_hash from api_tokens"));
    assert.deepEqual(
      stored.map((row) => row.token_hash),
      [tokenHash(issued.token)],
    );
    const everything = JSON.stringify(await queryRows(db, sql.raw("select * from api_tokens")));
    assert.ok(!everything.includes(issued.token), "the token itself is nowhere in the table");

    const acting = await apiTokenPerson(db, issued.token);
    assert.equal(acting?.id, person.id);
    assert.equal(acting?.email, person.email);
    assert.deepEqual([...(acting?.roles ?? [])].sort(), ["finance-officer", "viewer"]);
    assert.equal(acting?.tokenId, issued.apiToken.id);
    const [listed] = await listApiTokens(db, person.id);
    assert.ok(listed?.lastUsedAt, "its use is noted");

    const events = await listAuditEvents(db, "api-token", issued.apiToken.id);
    assert.equal(events.length, 1);
    assert.match(events[0]?.summary ?? "", /Issued the API token "Data warehouse"/);
  });

  test("an unknown, altered, expired or revoked token, or one whose person is deactivated, acts for nobody", async () => {
    const { db } = await fresh();
    const { councilId } = await buildCouncil(db);
    const person = await buildPerson(db, { councilId, roles: ["viewer"] });
    const other = await buildPerson(db, { councilId, roles: ["administrator"] });
    const now = new Date("2031-06-01T12:00:00Z");
    const issued = await issueApiToken(
      db,
      TEST_ACTOR,
      { personId: person.id, name: "Dashboard", days: 7 },
      now,
    );

    assert.equal(await apiTokenPerson(db, "bpt_not-a-real-token", now), null);
    assert.equal(await apiTokenPerson(db, `${issued.token}x`, now), null);
    assert.equal(await apiTokenPerson(db, issued.token.slice(API_TOKEN_PREFIX.length), now), null);
    assert.ok(await apiTokenPerson(db, issued.token, new Date(now.getTime() + 7 * DAY - 1000)));
    assert.equal(await apiTokenPerson(db, issued.token, new Date(now.getTime() + 7 * DAY)), null, "expired");
    assert.equal(
      (await listApiTokens(db, person.id, new Date(now.getTime() + 8 * DAY)))[0]?.state,
      "expired",
    );

    const second = await issueApiToken(db, TEST_ACTOR, { personId: person.id, name: "Second", days: 7 });
    assert.ok(await apiTokenPerson(db, second.token));
    assert.equal(
      await revokeApiToken(db, "revoker@anytown.example", {
        personId: person.id,
        tokenId: second.apiToken.id,
      }),
      true,
    );
    assert.equal(await apiTokenPerson(db, second.token), null, "revoked");
    assert.equal(
      await revokeApiToken(db, TEST_ACTOR, { personId: person.id, tokenId: second.apiToken.id }),
      false,
      "revoking again changes nothing",
    );
    const revoked = (await listApiTokens(db, person.id)).find((token) => token.id === second.apiToken.id);
    assert.equal(revoked?.state, "revoked");
    assert.equal(revoked?.revokedBy, "revoker@anytown.example");
    await assert.rejects(
      revokeApiToken(db, TEST_ACTOR, { personId: other.id, tokenId: second.apiToken.id }),
      /could not be found/,
      "a token is revoked only through its own person",
    );
    const revocations = (await listAuditEvents(db, "api-token", second.apiToken.id)).filter((event) =>
      /Revoked the API token/.test(event.summary),
    );
    assert.equal(revocations.length, 1);

    const third = await issueApiToken(db, TEST_ACTOR, { personId: person.id, name: "Third", days: 7 });
    const current = await findPerson(db, person.id);
    assert.ok(current);
    await deactivatePerson(db, TEST_ACTOR, { personId: person.id, version: current.version });
    assert.equal(await apiTokenPerson(db, third.token), null, "deactivated");
    await assert.rejects(
      issueApiToken(db, TEST_ACTOR, { personId: person.id, name: "Fourth", days: 7 }),
      (error: unknown) =>
        error instanceof ValidationFailed && error.errors.some((fault) => /deactivated/.test(fault.message)),
    );
  });

  test("a name and an expiry within limits are needed, and nothing is saved otherwise", async () => {
    const { db } = await fresh();
    const { councilId } = await buildCouncil(db);
    const person = await buildPerson(db, { councilId, roles: ["viewer"] });
    for (const [input, field] of [
      [{ name: " ", days: 30 }, "tokenName"],
      [{ name: "x".repeat(121), days: 30 }, "tokenName"],
      [{ name: "Warehouse", days: 0 }, "tokenDays"],
      [{ name: "Warehouse", days: 367 }, "tokenDays"],
      [{ name: "Warehouse", days: 1.5 }, "tokenDays"],
      [{ name: "Warehouse", days: Number.NaN }, "tokenDays"],
    ] as const) {
      await assert.rejects(
        issueApiToken(db, TEST_ACTOR, { personId: person.id, ...input }),
        (error: unknown) =>
          error instanceof ValidationFailed && error.errors.some((fault) => fault.field === field),
      );
    }
    assert.deepEqual(await listApiTokens(db, person.id), []);
  });
});
