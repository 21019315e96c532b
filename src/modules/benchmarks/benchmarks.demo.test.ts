import "../../demo/loaders.ts";
import assert from "node:assert/strict";
import { test } from "node:test";
import { sql } from "drizzle-orm";
import { describeOnBothDatabases, TEST_ACTOR } from "../../../test/helpers/database.ts";
import { queryRows } from "../../db/client.ts";
import { loadDemoBenchmarks } from "./benchmarks.demo.ts";
import { councilComparison, ourCouncil, periodTableFor } from "./benchmarks.service.ts";

// The demo's benchmarking load, with the Department's headline extract (12 measures, every
// council, latest three periods) in place of the whole LAIT file, which benchmarks.lait.test.ts
// imports on its own.
const FILES = [
  "dfe_lait_data_dictionary.csv",
  "dfe_lait_la_code_list.csv",
  "dfe_statistical_neighbours_2025_model_wide.csv",
  "dfe_statistical_neighbours_april2021_groupings.csv",
  "dfe_lait_bds_long_headline_measures_all_areas.csv",
];

describeOnBothDatabases("benchmarks: the demo council's data", (fresh) => {
  test("the demo council is ours by its DfE code, with its region, neighbours and linked measures", async () => {
    const { db } = await fresh({ demo: true });
    assert.equal(await loadDemoBenchmarks(db, TEST_ACTOR, FILES), true);
    assert.equal(await loadDemoBenchmarks(db, TEST_ACTOR, FILES), false, "loaded once");
    const ours = await ourCouncil(db);
    assert.equal(ours.area?.name, "Derbyshire");
    assert.equal(ours.regionArea?.name, "East Midlands");
    assert.equal(ours.neighbourModel, "2025");
    assert.equal(ours.neighbours.length, 10);
    assert.ok(ours.neighbours.some((n) => n.name === "Nottinghamshire"));

    const links = await queryRows<{ slug: string; code: string }>(
      db,
      sql`select m.slug, l.benchmark_code as code from measure_benchmark_links l join measures m on m.id = l.measure_id`,
    );
    assert.ok(links.length >= 10, `linked ${links.length}`);
    assert.ok(links.some((l) => l.slug === "care-leavers-eet" && l.code === "CareLeaverEET"));

    // Every council in the table, ours among them, ranked with the rest.
    const table = await periodTableFor(db, "CareLeaverEET", "2025");
    const derbyshire = table.entries.find((e) => e.isOurs);
    assert.equal(derbyshire?.areaName, "Derbyshire");
    assert.ok(derbyshire?.rank !== null && derbyshire?.rankOf !== null);
    assert.ok(table.entries.length > 140);
    const comparison = await councilComparison(db, "CareLeaverEET");
    const latest = comparison?.rows.at(-1);
    assert.equal(latest?.period.label, "2025");
    assert.ok(latest?.england !== null && latest?.region !== null && latest?.neighbourAverage !== null);
  });
});
