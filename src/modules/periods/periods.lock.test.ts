import assert from "node:assert/strict";
import { test } from "node:test";
import {
  buildBudgetMonitoring,
  buildCouncil,
  buildForecastEntry,
  buildMonitoringYear,
  buildOpenRound,
  idOf,
} from "../../../test/helpers/builders.ts";
import { describeOnBothDatabases, TEST_ACTOR } from "../../../test/helpers/database.ts";
import type { Database } from "../../db/client.ts";
import { monitoringPeriod, monitoringPeriodKey } from "../../domain/periods.ts";
import { Conflict, PeriodLockedError, RoleRequired, ValidationFailed } from "../../errors.ts";
import { listAuditEvents } from "../audit/audit.service.ts";
import { recordPeriodValue } from "../measures/measures.service.ts";
import { recordProgress } from "../plan/plan.service.ts";
import { actOnItem } from "../round/round.service.ts";
import { saveReportNarrative } from "./periods.narrative.ts";
import {
  findPeriod,
  openPeriod,
  openQuarters,
  PeriodRefused,
  requireOpenPeriod,
  requireOpenQuarter,
  signOffPeriod,
  unlockPeriod,
} from "./periods.service.ts";

const Q2 = monitoringPeriod(2033, "quarter", 2);

/** A made-up council with quarter 2 of 2033/34 open, an owner with a deliverable and a measure, and the roles that sign off. */
async function setUp(db: Database) {
  const built = await buildOpenRound(db, {
    departmentName: "Leisure",
    startYear: 2033,
    quarter: 2,
    deliverables: [{ title: "Reopen the pool", leadOfficers: [{ name: "Sol Mbeki", qualifier: null }] }],
    measure: { title: "Pool visits", owner: "Sol Mbeki" },
    people: {
      owner: { roles: ["owner"], name: "Sol Mbeki" },
      approver: { roles: ["approver"], name: "Ida Approver" },
      officer: { roles: ["performance-officer"], name: "Ola Officer" },
      admin: { roles: ["administrator"], name: "Ari Admin" },
    },
  });
  const { owner, approver, officer, admin } = built.people;
  return {
    ...built,
    owner,
    approver,
    officer,
    admin,
    deliverable: idOf(built.deliverableIds, "Reopen the pool"),
  };
}

async function version(db: Database, period = Q2): Promise<number> {
  const state = await findPeriod(db, period);
  assert.ok(state);
  return state.version;
}

describeOnBothDatabases(
  "signing off a period locks it; an administrator unlocks it with a reason",
  (fresh) => {
    test("after sign-off every entry for the period is refused, naming who can unlock; unlocking takes entry again", async () => {
      const { db } = await fresh();
      const set = await setUp(db);
      await recordProgress(db, set.owner.email, {
        deliverableId: set.deliverable,
        version: 1,
        progress: {
          quarter: { financialYear: "2033/34", quarter: 2 },
          rating: "good",
          narrative: "Tiles ordered.",
        },
      });
      await actOnItem(db, set.owner.email, "submit", {
        period: Q2,
        kind: "deliverable",
        id: set.deliverable,
        version: 0,
      });

      // Only an approver (or an administrator) signs off.
      await assert.rejects(
        signOffPeriod(db, set.officer.email, { period: Q2, version: await version(db) }),
        RoleRequired,
      );
      await assert.rejects(signOffPeriod(db, set.approver.email, { period: Q2, version: 99 }), Conflict);
      await signOffPeriod(db, set.approver.email, { period: Q2, version: await version(db) });
      const locked = await findPeriod(db, Q2);
      assert.equal(locked?.locked, true);
      assert.equal(locked?.signedOffBy, set.approver.email);
      assert.equal(locked?.status, "open", "signing off keeps the period's status");
      await assert.rejects(
        signOffPeriod(db, set.approver.email, { period: Q2, version: await version(db) }),
        PeriodRefused,
      );

      // Each kind of entry is refused with the lock, which names the administrators.
      const refusal = await requireOpenPeriod(db, Q2).then(
        () => assert.fail("a locked period took entry"),
        (error: unknown) => error,
      );
      assert.ok(refusal instanceof PeriodLockedError);
      assert.deepEqual(refusal.unlockers, ["Ari Admin"]);
      assert.equal(refusal.signedOffBy, set.approver.email);
      await assert.rejects(requireOpenQuarter(db, 2033, 2), PeriodLockedError);
      assert.deepEqual(await openQuarters(db, 2033), []);
      await assert.rejects(
        recordPeriodValue(
          db,
          set.owner.email,
          {
            measureId: set.measure.id,
            period: Q2,
            text: "120",
            status: "final",
            notes: null,
            replacing: null,
          },
          requireOpenPeriod,
        ),
        PeriodLockedError,
      );
      await assert.rejects(
        actOnItem(db, set.officer.email, "approve", {
          period: Q2,
          kind: "deliverable",
          id: set.deliverable,
          version: 1,
        }),
        PeriodLockedError,
      );
      await assert.rejects(
        saveReportNarrative(db, set.officer.email, {
          period: Q2,
          version: 0,
          text: {
            purpose: "",
            overview: "Locked words",
            progressSummary: "",
            keySuccess: "",
            keyConsideration: "",
            keyNote: "",
            varianceExplanations: "",
            recommendations: "",
          },
          returnUrl: "/",
        }),
        PeriodLockedError,
      );

      // Unlocking: an administrator only, with a reason, recorded.
      await assert.rejects(
        unlockPeriod(db, set.approver.email, {
          period: Q2,
          version: await version(db),
          reason: "A late figure",
        }),
        RoleRequired,
      );
      await assert.rejects(
        unlockPeriod(db, set.admin.email, { period: Q2, version: await version(db), reason: "   " }),
        (error: unknown) => error instanceof ValidationFailed && error.errors[0]?.field === "reason",
      );
      assert.equal((await findPeriod(db, Q2))?.locked, true, "a refused unlock changes nothing");
      await unlockPeriod(db, set.admin.email, {
        period: Q2,
        version: await version(db),
        reason: "The pool visits figure arrived late",
      });
      assert.equal((await findPeriod(db, Q2))?.locked, false);
      await requireOpenPeriod(db, Q2);
      await actOnItem(db, set.officer.email, "approve", {
        period: Q2,
        kind: "deliverable",
        id: set.deliverable,
        version: 1,
      });
      await assert.rejects(
        unlockPeriod(db, set.admin.email, { period: Q2, version: await version(db), reason: "Again" }),
        PeriodRefused,
      );

      const events = await listAuditEvents(db, "monitoring-period", monitoringPeriodKey(Q2));
      const summaries = events.map((event) => event.summary);
      assert.ok(
        summaries.some((summary) => summary.startsWith("Signed off")),
        summaries.join("\n"),
      );
      const unlock = events.find((event) => event.summary.startsWith("Unlocked"));
      assert.equal(unlock?.actor, set.admin.email);
      assert.match(unlock?.summary ?? "", /The pool visits figure arrived late/);
      assert.deepEqual(unlock?.after, { signedOff: false, reason: "The pool visits figure arrived late" });
    });

    test("a monthly year's signed-off month locks what its quarter holds until another month of it is open", async () => {
      const { db } = await fresh();
      await buildCouncil(db, { departmentName: "Waste" });
      await buildMonitoringYear(db, 2034, { frequency: "monthly" });
      const May = monitoringPeriod(2034, "month", 2);
      await openPeriod(db, TEST_ACTOR, May);
      await buildBudgetMonitoring(db, {
        startYear: 2034,
        quarter: 1,
        lines: [{ name: "Collections", budget: 1_000_00, forecast: 1_000_00 }],
      });
      await buildForecastEntry(db, {
        startYear: 2034,
        quarter: 1,
        month: 2,
        line: "Collections",
        budget: 1_000_00,
        forecast: 1_100_00,
      });
      await signOffPeriod(db, TEST_ACTOR, { period: May, version: await version(db, May) });
      await assert.rejects(requireOpenQuarter(db, 2034, 1), PeriodLockedError);
      // Another month of the quarter, open and not signed off, takes the quarter's entries again.
      await openPeriod(db, TEST_ACTOR, monitoringPeriod(2034, "month", 3));
      await requireOpenQuarter(db, 2034, 1);
      await assert.rejects(requireOpenPeriod(db, May), PeriodLockedError);
    });
  },
);
