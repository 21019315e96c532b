import assert from "node:assert/strict";
import { test } from "node:test";
import { z } from "zod";
import { describeOnBothDatabases, TEST_ACTOR } from "../../../test/helpers/database.ts";
import { readSetting, readSettingAndVersion, readSettingValue, saveSetting } from "./settings.service.ts";

describeOnBothDatabases("settings kept as data", (fresh) => {
  test("a value comes back exactly as saved, text that looks like a number or a word of JSON included", async () => {
    const { db } = await fresh();
    const values: Record<string, unknown> = {
      "made-up-code": "101",
      "made-up-flag-word": "true",
      "made-up-null-word": "null",
      "made-up-number": 0.5,
      "made-up-words": { heading: "Widgets", lines: ["One", "2"] },
    };
    for (const [key, value] of Object.entries(values)) {
      await saveSetting(db, TEST_ACTOR, { key, value, summary: `Set ${key}` });
    }
    for (const [key, value] of Object.entries(values)) {
      assert.deepEqual(await readSettingValue(db, key), value, key);
    }
    assert.equal(await readSetting(db, "made-up-code", z.string()), "101");
    assert.equal(await readSetting(db, "never-saved", z.string()), null);
  });

  test("each save bumps the version, from 0 for a setting never saved", async () => {
    const { db } = await fresh();
    assert.deepEqual(await readSettingAndVersion(db, "made-up-code"), { value: null, version: 0 });
    await saveSetting(db, TEST_ACTOR, { key: "made-up-code", value: "101", summary: "Set" });
    await saveSetting(db, TEST_ACTOR, { key: "made-up-code", value: "202", summary: "Changed" });
    assert.deepEqual(await readSettingAndVersion(db, "made-up-code"), { value: "202", version: 2 });
  });
});
