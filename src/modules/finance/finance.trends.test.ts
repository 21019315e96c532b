import "../../demo/loaders.ts";
import assert from "node:assert/strict";
import { test } from "node:test";
import { withApp } from "../../../test/helpers/app.ts";
import { buildDebt, buildReserves, buildSetUpCouncil } from "../../../test/helpers/builders.ts";
import { describeOnBothDatabases } from "../../../test/helpers/database.ts";
import { balanceTotalsByQuarter } from "./finance.service.ts";

const pounds = (amount: number) => Math.round(amount * 100);

describeOnBothDatabases("reserves and debt across quarters", (fresh) => {
  test("totals each quarter reported, from the previous year's first quarter to the one shown, leaving gaps out", async () => {
    const { db } = await fresh();
    // A made-up council: two reserves reported in three quarters over two years, debt in two.
    await buildReserves(db, {
      startYear: 2031,
      quarter: 4,
      reserves: [
        { name: "Road repairs", balance: pounds(1_250_000.01) },
        { name: "Flood defence", balance: pounds(300_000) },
      ],
    });
    await buildReserves(db, {
      startYear: 2032,
      quarter: 1,
      reserves: [
        { name: "Road repairs", balance: pounds(1_000_000) },
        { name: "Flood defence", balance: pounds(450_000.5) },
      ],
    });
    await buildReserves(db, {
      startYear: 2032,
      quarter: 3,
      reserves: [{ name: "Road repairs", balance: pounds(900_000) }],
    });
    await buildDebt(db, {
      startYear: 2032,
      quarter: 1,
      bands: [{ band: "Under 30 days", amount: pounds(10) }],
    });
    await buildDebt(db, {
      startYear: 2032,
      quarter: 2,
      bands: [
        { band: "Under 30 days", amount: pounds(20) },
        { band: "Over a year", amount: pounds(5.55) },
      ],
    });

    const at = await balanceTotalsByQuarter(db, "2032-33", 2);
    assert.deepEqual(
      at.reserves.map((total) => [total.yearLabel, total.quarter, total.pence]),
      [
        ["2031/32", 4, 155_000_001],
        ["2032/33", 1, 145_000_050],
      ],
    );
    assert.deepEqual(
      at.debt.map((total) => [total.yearLabel, total.quarter, total.pence]),
      [
        ["2032/33", 1, 1_000],
        ["2032/33", 2, 2_555],
      ],
    );
    // A later quarter is not shown on an earlier quarter's page.
    assert.equal((await balanceTotalsByQuarter(db, "2032-33", 3)).reserves.length, 3);
  });
});

test("the reserves page draws the trend with its figures once two quarters are reported", async () => {
  const { freshDatabase } = await import("../../../test/helpers/database.ts");
  const database = await freshDatabase("pglite");
  try {
    await buildSetUpCouncil(database.db);
    await buildReserves(database.db, {
      startYear: 2032,
      quarter: 1,
      reserves: [{ name: "Road repairs", balance: pounds(1_000_000) }],
    });
    await withApp(database.db, async (app) => {
      const one = await app.inject("/budget/2032-33/q1/reserves");
      assert.equal(one.statusCode, 200);
      assert.doesNotMatch(one.body, /data-testid="balance-trend"/);
    });
    await buildReserves(database.db, {
      startYear: 2032,
      quarter: 2,
      reserves: [{ name: "Road repairs", balance: pounds(1_500_000) }],
    });
    await withApp(database.db, async (app) => {
      const two = await app.inject("/budget/2032-33/q2/reserves");
      assert.equal(two.statusCode, 200);
      assert.match(two.body, /data-testid="balance-trend"[\s\S]*<svg [^>]*role="img"/);
      assert.match(two.body, /Total earmarked reserves at each quarter end, Q1 2032\/33 to Q2 2032\/33, £m/);
      assert.match(
        two.body,
        /<th scope="row" class="govuk-table__header">Q1 2032\/33<\/th>\s*<td[^>]*>1\.000<\/td>/,
      );
      assert.match(
        two.body,
        /<th scope="row" class="govuk-table__header">Q2 2032\/33<\/th>\s*<td[^>]*>1\.500<\/td>/,
      );
    });
  } finally {
    await database.close();
  }
});
