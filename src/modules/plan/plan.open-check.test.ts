import assert from "node:assert/strict";
import { test } from "node:test";
import { buildCouncil, buildMonitoringYear, buildOpenQuarter, idOf } from "../../../test/helpers/builders.ts";
import { describeOnBothDatabases, TEST_ACTOR } from "../../../test/helpers/database.ts";
import type { Database } from "../../db/client.ts";
import { monitoringPeriod } from "../../domain/periods.ts";
import { validForm } from "../../web/forms.ts";
import { closePeriod, findPeriod, PeriodNotOpen, requireOpenQuarter } from "../periods/periods.service.ts";
import * as repository from "./plan.repository.ts";
import { progressForm } from "./plan.schemas.ts";
import { recordProgress } from "./plan.service.ts";

// Deliverable progress checks its quarter is open inside the transaction that writes, as finance's
// entries do (decision 0039): a made-up council.

describeOnBothDatabases("deliverable progress checks the quarter inside its transaction", (fresh) => {
  test("a quarter closed before the write is refused by the check the service runs, nothing written", async () => {
    const { db } = await fresh();
    const built = await buildCouncil(db, {
      departmentName: "Harbours",
      plan: { fromYear: 2036, toYear: 2039 },
      deliverables: [{ title: "Dredge the inner harbour" }],
    });
    await buildMonitoringYear(db, 2037);
    await buildOpenQuarter(db, 2037, 2);
    const id = idOf(built.deliverableIds, "Dredge the inner harbour");
    const seen: Database[] = [];
    const requireOpen = async (tx: Database) => {
      seen.push(tx);
      await requireOpenQuarter(tx, 2037, 2);
    };
    const progress = (narrative: string) =>
      validForm(progressForm, { quarter: "2037-38-q2", rating: "good", narrative });

    // Open: the check passes, inside the service's own transaction, and the progress is written.
    const first = await repository.findDeliverable(db, id);
    assert.ok(first);
    await recordProgress(db, TEST_ACTOR, {
      deliverableId: id,
      version: first.version,
      progress: progress("Dredger booked."),
      requireOpen,
    });
    assert.equal(seen.length, 1);
    assert.notEqual(seen[0], db, "the check is handed the transaction, not the pool");

    const state = await findPeriod(db, monitoringPeriod(2037, "quarter", 2));
    assert.ok(state);
    await closePeriod(db, TEST_ACTOR, { period: state.period, version: state.version, confirmMissing: true });

    // Closed meanwhile: the same form, with the deliverable's current version, is refused.
    const second = await repository.findDeliverable(db, id);
    assert.ok(second);
    await assert.rejects(
      recordProgress(db, TEST_ACTOR, {
        deliverableId: id,
        version: second.version,
        progress: progress("Dredging finished."),
        requireOpen,
      }),
      PeriodNotOpen,
    );
    assert.equal(seen.length, 2);
    const after = await repository.findDeliverable(db, id);
    assert.equal(after?.version, second.version, "the deliverable is unchanged");
    assert.deepEqual(
      (await repository.listProgressFor(db, id)).map((entry) => entry.narrative),
      ["Dredger booked."],
    );
  });
});
