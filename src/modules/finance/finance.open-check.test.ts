import assert from "node:assert/strict";
import { test } from "node:test";
import { buildCouncil, buildMonitoringYear, buildOpenQuarter } from "../../../test/helpers/builders.ts";
import { describeOnBothDatabases, TEST_ACTOR } from "../../../test/helpers/database.ts";
import type { Database } from "../../db/client.ts";
import { monitoringPeriod } from "../../domain/periods.ts";
import { closePeriod, findPeriod, PeriodNotOpen, requireOpenQuarter } from "../periods/periods.service.ts";
import { addFinancialRisk } from "./finance.balances.ts";
import { createForecast } from "./finance.budget.ts";
import { saveReserveBalances } from "./finance.entry.ts";
import type { OpenForEntryCheck } from "./finance.shared.ts";
import { addRecord } from "./finance.structure.ts";
import { quarterCompleteness } from "./finance.years.ts";

// The open-period check runs inside the transaction that writes (decision 0039): made-up council.

describeOnBothDatabases("finance entry checks the period inside its transaction", (fresh) => {
  test("a period closed before the write is refused by the check the service runs, nothing written", async () => {
    const { db } = await fresh();
    await buildCouncil(db, { departmentName: "Parks", plan: { fromYear: 2036, toYear: 2039 } });
    await buildMonitoringYear(db, 2037);
    await buildOpenQuarter(db, 2037, 1);
    const line = await addRecord(db, TEST_ACTOR, "line", {
      yearCode: "2037-38",
      form: { name: "Play areas" },
    });
    const seen: Database[] = [];
    const requireOpen: OpenForEntryCheck = async (tx) => {
      seen.push(tx);
      await requireOpenQuarter(tx, 2037, 1);
    };

    // Open: the check passes, inside the service's own transaction, and the forecast is written.
    await createForecast(db, TEST_ACTOR, {
      lineId: line.id,
      quarter: 1,
      entry: { controllableBudget: 10_000_00, forecastOutturn: 10_500_01 },
      requireOpen,
    });
    assert.equal(seen.length, 1);
    assert.notEqual(seen[0], db, "the check is handed the transaction, not the pool");

    const state = await findPeriod(db, monitoringPeriod(2037, "quarter", 1));
    assert.ok(state);
    await closePeriod(db, TEST_ACTOR, {
      period: state.period,
      version: state.version,
      confirmMissing: true,
    });

    await assert.rejects(
      saveReserveBalances(db, TEST_ACTOR, {
        yearCode: "2037-38",
        quarter: 1,
        figures: [{ key: "new", name: "Tree fund", pence: 5_000_00, version: 0 }],
        requireOpen,
      }),
      PeriodNotOpen,
    );
    await assert.rejects(
      addFinancialRisk(db, TEST_ACTOR, {
        yearCode: "2037-38",
        quarter: 1,
        entry: { service: "Parks", risk: "Storm damage", sensitivity: 20_000_00, likelihood: 2 },
        requireOpen,
      }),
      PeriodNotOpen,
    );
    const sections = await quarterCompleteness(db, 2037, 1);
    const done = (key: string) =>
      sections.find((part) => part.key === key)?.items.filter((item) => item.done);
    assert.deepEqual(done("reserves"), []);
    assert.deepEqual(done("financial-risks"), []);
    assert.equal(done("budget-lines")?.length, 1);
  });
});
