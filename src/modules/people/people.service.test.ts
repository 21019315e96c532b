import assert from "node:assert/strict";
import { test } from "node:test";
import { buildCouncil } from "../../../test/helpers/builders.ts";
import { describeOnBothDatabases, TEST_ACTOR } from "../../../test/helpers/database.ts";
import { buildPerson } from "../../../test/helpers/people.ts";
import { Conflict, ValidationFailed } from "../../errors.ts";
import { listAuditEvents } from "../audit/audit.service.ts";
import {
  addRole,
  deactivatePerson,
  findPerson,
  invitePerson,
  listPeople,
  reinvitePerson,
  removeRole,
} from "./people.service.ts";

const DAYS = { invitationDays: 7 };

describeOnBothDatabases("people and their roles", (fresh) => {
  test("an administrator invites a person, gives and takes away roles; each change is audited", async () => {
    const { db } = await fresh();
    const { councilId, departmentId } = await buildCouncil(db, { departmentName: "Adults" });
    const invited = await invitePerson(
      db,
      TEST_ACTOR,
      {
        councilId,
        email: "  Sam.Jones@Anytown.Example ",
        displayName: "Sam Jones",
        role: "owner",
        departmentId,
      },
      DAYS,
    );
    assert.equal(invited.person.email, "sam.jones@anytown.example");
    assert.equal(invited.person.status, "invited");
    assert.deepEqual(
      invited.person.memberships.map((m) => [m.role, m.place]),
      [["owner", "Adults"]],
    );
    assert.ok(invited.token.length >= 40, "the link's token is long and random");

    const withRole = await addRole(db, TEST_ACTOR, {
      personId: invited.person.id,
      version: invited.person.version,
      role: "finance-officer",
      departmentId: null,
    });
    assert.deepEqual(
      withRole.memberships.map((m) => [m.role, m.place]),
      [
        ["owner", "Adults"],
        ["finance-officer", "Whole council"],
      ],
    );
    assert.equal(withRole.version, invited.person.version + 1);

    const owner = withRole.memberships.find((m) => m.role === "owner");
    const without = await removeRole(db, TEST_ACTOR, {
      personId: withRole.id,
      version: withRole.version,
      membershipId: owner?.id ?? 0,
    });
    assert.deepEqual(
      without.memberships.map((m) => m.role),
      ["finance-officer"],
    );

    const events = await listAuditEvents(db, "person", invited.person.id);
    assert.deepEqual(events.map((event) => event.summary).reverse(), [
      "Invited Sam Jones (sam.jones@anytown.example) as Owner",
      "Gave Sam Jones the role Finance officer (Whole council)",
      "Took away Sam Jones's role Owner (Adults)",
    ]);
    assert.ok(events.every((event) => event.actor === TEST_ACTOR));
    assert.deepEqual((events[0]?.after as { roles: string[] } | undefined)?.roles, [
      "Finance officer (Whole council)",
    ]);
    assert.doesNotMatch(JSON.stringify(events), /scrypt|password/i, "no password or hash in the audit trail");
  });

  test("a stale version is refused and nothing changes", async () => {
    const { db } = await fresh();
    const { councilId } = await buildCouncil(db);
    const { person } = await invitePerson(
      db,
      TEST_ACTOR,
      { councilId, email: "a@anytown.example", displayName: "Alex", role: "viewer", departmentId: null },
      DAYS,
    );
    await addRole(db, TEST_ACTOR, {
      personId: person.id,
      version: person.version,
      role: "approver",
      departmentId: null,
    });
    await assert.rejects(
      addRole(db, TEST_ACTOR, {
        personId: person.id,
        version: person.version,
        role: "owner",
        departmentId: null,
      }),
      Conflict,
    );
    await assert.rejects(
      deactivatePerson(db, TEST_ACTOR, { personId: person.id, version: person.version }),
      Conflict,
    );
    const now = await findPerson(db, person.id);
    assert.deepEqual(
      now?.memberships.map((m) => m.role),
      ["viewer", "approver"],
    );
    assert.equal(now?.status, "invited");
    assert.equal((await listAuditEvents(db, "person", person.id)).length, 2);
  });

  test("bad input is refused by field: a second invitation for one email, a department of another council", async () => {
    const { db } = await fresh();
    const one = await buildCouncil(db);
    const other = await buildCouncil(db, { departmentName: "Elsewhere" });
    const input = {
      councilId: one.councilId,
      email: "b@anytown.example",
      displayName: "Bo",
      role: "viewer" as const,
      departmentId: null,
    };
    await invitePerson(db, TEST_ACTOR, input, DAYS);
    await assert.rejects(
      invitePerson(db, TEST_ACTOR, { ...input, email: "B@anytown.example" }, DAYS),
      (error: unknown) => {
        assert.ok(error instanceof ValidationFailed);
        assert.equal(error.errors[0]?.field, "email");
        assert.match(
          error.errors[0]?.message ?? "",
          /b@anytown\.example is already on the list of people \(invited\)/,
        );
        return true;
      },
    );
    // The same email in another council is another person.
    await invitePerson(db, TEST_ACTOR, { ...input, councilId: other.councilId }, DAYS);
    await assert.rejects(
      invitePerson(
        db,
        TEST_ACTOR,
        { ...input, email: "c@anytown.example", departmentId: other.departmentId },
        DAYS,
      ),
      (error: unknown) => error instanceof ValidationFailed && error.errors[0]?.field === "departmentId",
    );
    assert.deepEqual(
      (await listPeople(db, one.councilId)).map((person) => person.email),
      ["b@anytown.example"],
    );
  });

  test("deactivating keeps the person and their history; the last administrator is kept", async () => {
    const { db } = await fresh();
    const { councilId } = await buildCouncil(db);
    const admin = await buildPerson(db, { councilId, roles: ["administrator"], name: "Ada Admin" });
    await assert.rejects(
      deactivatePerson(db, TEST_ACTOR, { personId: admin.id, version: admin.version }),
      (error: unknown) => {
        assert.ok(error instanceof ValidationFailed);
        assert.match(error.message + (error.errors[0]?.message ?? ""), /only active administrator/);
        return true;
      },
    );
    const second = await buildPerson(db, {
      councilId,
      roles: ["administrator", "viewer"],
      name: "Bea Admin",
    });
    const gone = await deactivatePerson(db, TEST_ACTOR, { personId: admin.id, version: admin.version });
    assert.equal(gone.status, "deactivated");
    assert.equal((await listPeople(db, councilId)).length, 2, "nobody is deleted");
    const adminRole = (await findPerson(db, second.id))?.memberships.find((m) => m.role === "administrator");
    await assert.rejects(
      removeRole(db, TEST_ACTOR, {
        personId: second.id,
        version: second.version,
        membershipId: adminRole?.id ?? 0,
      }),
      ValidationFailed,
    );
    const events = await listAuditEvents(db, "person", admin.id);
    assert.equal(events[0]?.summary, "Deactivated Ada Admin");
  });

  test("a new invitation link replaces the old one, only while the person is invited", async () => {
    const { db } = await fresh();
    const { councilId } = await buildCouncil(db);
    const { person, token } = await invitePerson(
      db,
      TEST_ACTOR,
      { councilId, email: "d@anytown.example", displayName: "Dee", role: "viewer", departmentId: null },
      DAYS,
    );
    const again = await reinvitePerson(
      db,
      TEST_ACTOR,
      { personId: person.id, version: person.version },
      DAYS,
    );
    assert.notEqual(again.token, token);
    const active = await buildPerson(db, { councilId, roles: ["viewer"] });
    await assert.rejects(
      reinvitePerson(db, TEST_ACTOR, { personId: active.id, version: active.version }, DAYS),
      ValidationFailed,
    );
  });
});
