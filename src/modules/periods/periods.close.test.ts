import assert from "node:assert/strict";
import { test } from "node:test";
import {
  buildCouncil,
  buildMonitoringYear,
  buildOpenQuarter,
  buildOpenRound,
  idOf,
} from "../../../test/helpers/builders.ts";
import { describeOnBothDatabases, TEST_ACTOR } from "../../../test/helpers/database.ts";
import { monitoringPeriod } from "../../domain/periods.ts";
import { listAuditEvents } from "../audit/audit.service.ts";
import { recordProgress } from "../plan/plan.service.ts";
import { actOnItem, itemsInFlight } from "../round/round.service.ts";
import { closePeriod, findPeriod, MissingItems, requireOpenPeriod } from "./periods.service.ts";

// Closing a period with update-round items in flight (recorded, not approved): made-up council.

const Q1 = monitoringPeriod(2039, "quarter", 1);

describeOnBothDatabases("closing a period with updates in flight", (fresh) => {
  test("drafts and submitted updates are listed with who holds them; closing needs the confirmation", async () => {
    const { db } = await fresh();
    const built = await buildOpenRound(db, {
      departmentName: "Waste",
      plan: { fromYear: 2038, toYear: 2041 },
      startYear: 2039,
      quarter: 1,
      deliverables: [
        {
          title: "New recycling depot",
          leadAsWritten: "Bo Binman",
          leadOfficers: [{ name: "Bo Binman", qualifier: null }],
        },
        {
          title: "Food waste collections",
          leadAsWritten: "Cy Caddy",
          leadOfficers: [{ name: "Cy Caddy", qualifier: null }],
        },
      ],
      // A measure with nothing recorded is missing, not in flight.
      measure: { title: "Tonnes recycled", owner: "Cy Caddy" },
      people: { bo: { roles: ["owner"], name: "Bo Binman" } },
    });
    const { bo } = built.people;
    const depot = idOf(built.deliverableIds, "New recycling depot");
    const food = idOf(built.deliverableIds, "Food waste collections");
    const progress = (id: number) =>
      recordProgress(db, TEST_ACTOR, {
        deliverableId: id,
        version: 1,
        progress: {
          quarter: { financialYear: "2039/40", quarter: 1 },
          rating: "good",
          narrative: "On track.",
        },
      });
    await progress(depot);
    await progress(food);
    await actOnItem(db, bo.email, "submit", { period: Q1, kind: "deliverable", id: depot, version: 0 });

    const inFlight = await itemsInFlight(db, Q1);
    assert.deepEqual(
      inFlight.map((item) => [item.item, item.stateWords, item.heldBy]),
      [
        [
          "New recycling depot",
          "Submitted",
          "a reviewer (performance officer, approver or administrator) to approve or return",
        ],
        ["Food waste collections", "Draft", "Cy Caddy"],
      ],
    );

    const state = await findPeriod(db, Q1);
    assert.ok(state);
    const refused = await closePeriod(
      db,
      TEST_ACTOR,
      { period: Q1, version: state.version, confirmMissing: false },
      itemsInFlight,
    ).then(
      () => null,
      (error: unknown) => error,
    );
    assert.ok(refused instanceof MissingItems);
    assert.deepEqual(
      refused.inFlight.map((item) => item.item),
      ["New recycling depot", "Food waste collections"],
    );
    assert.equal((await findPeriod(db, Q1))?.status, "open", "nothing changed");

    await closePeriod(
      db,
      TEST_ACTOR,
      { period: Q1, version: state.version, confirmMissing: true },
      itemsInFlight,
    );
    const closed = await findPeriod(db, Q1);
    assert.equal(closed?.status, "closed");
    assert.ok(
      closed?.missingWhenClosed?.some(
        (kept) =>
          kept.section === "Deliverable progress: not yet approved" &&
          kept.item === "Food waste collections (draft, with Cy Caddy)",
      ),
      "the confirmed list is kept with the period",
    );
    const [event] = await listAuditEvents(db, "monitoring-period", "2039-40-q1");
    assert.match(
      event?.summary ?? "",
      /Closed Quarter 1 2039\/40 with \d+ items missing and 2 updates not yet approved/,
    );
    await assert.rejects(requireOpenPeriod(db, Q1));
  });

  test("with nothing missing and nothing in flight, a period closes without a confirmation", async () => {
    const { db } = await fresh();
    await buildCouncil(db, { departmentName: "Empty", plan: { fromYear: 2038, toYear: 2041 } });
    await buildMonitoringYear(db, 2039);
    await buildOpenQuarter(db, 2039, 1);
    // No deliverables, measures or budget: only debt, risks and the narrative are expected.
    const refused = await closePeriod(
      db,
      TEST_ACTOR,
      { period: Q1, version: (await findPeriod(db, Q1))?.version ?? 0, confirmMissing: false },
      itemsInFlight,
    ).catch((error: unknown) => error);
    assert.ok(refused instanceof MissingItems);
    assert.deepEqual(refused.inFlight, []);
  });
});
