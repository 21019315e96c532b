import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import fc from "fast-check";
import { z } from "zod";
import { validatePackage, validateRelease } from "../../test/helpers/ocds.ts";
import type { OcdsPlanningRelease, PlanningReleaseOptions } from "./ocds.ts";
import { penceToOcdsAmount, planningRelease, releasePackage, ukEndOfDay, ukStartOfDay } from "./ocds.ts";
import type { PlannedProcurement } from "./procurement.ts";
import { penceToDecimalPounds, pipelineNotice } from "./procurement.ts";

function readJson(relative: string): unknown {
  return JSON.parse(readFileSync(new URL(relative, import.meta.url), "utf8"));
}

function schemaErrors(errors: typeof validateRelease.errors): string {
  return JSON.stringify(errors, null, 2);
}

// ---------------------------------------------------------------------------------------------

const options: PlanningReleaseOptions = {
  ocidPrefix: "ocds-demo01",
  buyer: { id: "derbyshire-county-council", name: "Derbyshire County Council" },
  releaseDate: "2021-03-01T09:00:00Z",
};

const daces: PlannedProcurement = {
  id: "cs-fp-2021-t1-12",
  title: "Procurement of DACES Learner Management Information System (MIS) (up to 4 years)",
  department: "Children's Services",
  category: "services",
  estimatedValuePence: 15_000_000,
  estimatedStartDate: "2021-04-01",
  durationMonths: 48,
  status: "planned",
};

describe("penceToOcdsAmount", () => {
  it("gives pounds as a number", () => {
    assert.equal(penceToOcdsAmount(15_000_000), 150_000);
    assert.equal(penceToOcdsAmount(1), 0.01);
    assert.equal(JSON.stringify({ amount: penceToOcdsAmount(12_345) }), '{"amount":123.45}');
  });

  it("serialises to exactly the decimal number of pounds, for any whole pence below £10 trillion", () => {
    fc.assert(
      fc.property(fc.integer({ min: -999_999_999_999_999, max: 999_999_999_999_999 }), (pence) => {
        const exact = penceToDecimalPounds(pence).replace(/\.?0+$/, "");
        assert.equal(JSON.stringify(penceToOcdsAmount(pence)), exact === "-0" || exact === "" ? "0" : exact);
      }),
    );
  });

  it("refuses amounts it cannot write exactly", () => {
    assert.throws(() => penceToOcdsAmount(1_000_000_000_000_000), RangeError);
    assert.throws(() => penceToOcdsAmount(10.5), RangeError);
  });
});

describe("UK days as OCDS date-times", () => {
  it("gives midnight with the offset the UK is on at that moment", () => {
    assert.equal(ukStartOfDay("2021-01-01"), "2021-01-01T00:00:00Z");
    assert.equal(ukStartOfDay("2021-06-01"), "2021-06-01T00:00:00+01:00");
    // 2021's clock changes: forward 01:00 GMT on Sunday 28 March, back 02:00 BST on Sunday 31 October.
    assert.equal(ukStartOfDay("2021-03-28"), "2021-03-28T00:00:00Z");
    assert.equal(ukEndOfDay("2021-03-28"), "2021-03-28T23:59:59+01:00");
    assert.equal(ukStartOfDay("2021-10-31"), "2021-10-31T00:00:00+01:00");
    assert.equal(ukEndOfDay("2021-10-31"), "2021-10-31T23:59:59Z");
    assert.equal(ukStartOfDay("2024-02-29"), "2024-02-29T00:00:00Z");
  });
});

describe("planningRelease", () => {
  it("builds a planning release from a planned procurement", () => {
    const release = planningRelease(daces, { ...options, rationale: "The current contract ends." });
    assert.deepEqual(release, {
      ocid: "ocds-demo01-cs-fp-2021-t1-12",
      id: "planning-2021-03-01T09:00:00Z",
      date: "2021-03-01T09:00:00Z",
      tag: ["planning"],
      initiationType: "tender",
      language: "en",
      parties: [{ id: "derbyshire-county-council", name: "Derbyshire County Council", roles: ["buyer"] }],
      buyer: { id: "derbyshire-county-council", name: "Derbyshire County Council" },
      planning: { rationale: "The current contract ends." },
      tender: {
        id: "cs-fp-2021-t1-12",
        title: "Procurement of DACES Learner Management Information System (MIS) (up to 4 years)",
        status: "planned",
        value: { amount: 150_000, currency: "GBP" },
        mainProcurementCategory: "services",
        tenderPeriod: { startDate: "2021-04-01T00:00:00+01:00" },
        // Up to four years from 1 April 2021 is up to 1 April 2025: 1,461 days.
        contractPeriod: { startDate: "2021-04-01T00:00:00+01:00", durationInDays: 1461 },
      },
    });
    assert.deepEqual(validateRelease(release), true, schemaErrors(validateRelease.errors));
  });

  it("takes the tender date from the expected commencement date, and ends the contract on its end date", () => {
    const release = planningRelease(
      {
        ...daces,
        category: "light-touch-services",
        description: "Learner records for adult community education.",
        expectedCommencementDate: "2020-11-02",
        contractEndDate: "2025-03-31",
      },
      { ...options, releaseId: "r1" },
    );
    assert.equal(release.id, "r1");
    assert.equal(release.planning, undefined);
    assert.equal(release.tender.mainProcurementCategory, "services");
    assert.equal(release.tender.description, "Learner records for adult community education.");
    assert.deepEqual(release.tender.tenderPeriod, { startDate: "2020-11-02T00:00:00Z" });
    assert.deepEqual(release.tender.contractPeriod, {
      startDate: "2021-04-01T00:00:00+01:00",
      endDate: "2025-03-31T23:59:59+01:00",
    });
  });

  it("leaves out the contract length when none is known", () => {
    const { durationMonths: _unknown, ...noDuration } = daces;
    assert.deepEqual(planningRelease(noDuration, options).tender.contractPeriod, {
      startDate: "2021-04-01T00:00:00+01:00",
    });
  });

  it("refuses a release date without a time zone, and an empty prefix", () => {
    assert.throws(() => planningRelease(daces, { ...options, releaseDate: "2021-03-01" }), RangeError);
    assert.throws(
      () => planningRelease(daces, { ...options, releaseDate: "2021-03-01T09:00:00" }),
      RangeError,
    );
    assert.throws(() => planningRelease(daces, { ...options, ocidPrefix: " " }), RangeError);
  });

  it("is checked by a validator that does reject releases outside the schema", () => {
    const release = planningRelease(daces, options);
    const wrong: unknown[] = [
      { ...release, tag: ["pipeline"] },
      { ...release, tender: { ...release.tender, mainProcurementCategory: "light-touch-services" } },
      { ...release, tender: { ...release.tender, tenderPeriod: { startDate: "2021-04-01" } } },
      { ...release, ocid: undefined },
    ];
    for (const candidate of wrong) assert.equal(validateRelease(candidate), false, JSON.stringify(candidate));
  });
});

describe("releasePackage", () => {
  const release = planningRelease(daces, options);
  const packageOptions = {
    uri: "https://example.gov.uk/procurement/pipeline-2021.json",
    publishedDate: "2021-03-01T09:00:00Z",
    publisher: { name: "Derbyshire County Council" },
  };

  it("wraps releases with the package metadata and version 1.1", () => {
    const pack = releasePackage([release], {
      ...packageOptions,
      license: "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
    });
    assert.equal(pack.version, "1.1");
    assert.equal(pack.releases.length, 1);
    assert.equal(validatePackage(pack), true, schemaErrors(validatePackage.errors));
  });

  it("refuses an empty list and a release given twice", () => {
    assert.throws(() => releasePackage([], packageOptions), RangeError);
    assert.throws(() => releasePackage([release, release], packageOptions), /appears twice/);
  });
});

// ---------------------------------------------------------------------------------------------
// Every demo row, as a release and as one package

const demo = z
  .object({
    buyer: z.object({ id: z.string(), name: z.string() }),
    procurements: z.array(
      z.object({
        id: z.string(),
        title: z.string(),
        department: z.string(),
        category: z.enum(["goods", "services", "works", "light-touch-services"]),
        estimatedValuePence: z.number().int(),
        estimatedStartDate: z.string(),
        durationMonths: z.number().int().optional(),
        status: z.literal("planned"),
      }),
    ),
  })
  .parse(readJson("../../data/demo/procurement/forward-plan-2021-2023.json"));

describe("the demo forward plan as OCDS", () => {
  const releases: OcdsPlanningRelease[] = demo.procurements.map((p) =>
    planningRelease(p, { ...options, buyer: demo.buyer }),
  );

  it("gives 33 releases, each valid against the OCDS 1.1.5 release schema", () => {
    assert.equal(releases.length, 33);
    for (const release of releases) {
      assert.equal(
        validateRelease(release),
        true,
        `${release.tender.title}: ${schemaErrors(validateRelease.errors)}`,
      );
    }
  });

  it("keeps every value exact in pounds", () => {
    demo.procurements.forEach((p, i) => {
      assert.equal(Math.round((releases[i]?.tender.value.amount ?? Number.NaN) * 100), p.estimatedValuePence);
    });
  });

  it("packages them validly against the release package schema", () => {
    const pack = releasePackage(releases, {
      uri: "https://example.gov.uk/procurement/forward-plan-2021-2023.json",
      publishedDate: "2021-03-01T09:00:00Z",
      publisher: { name: demo.buyer.name },
    });
    assert.equal(validatePackage(pack), true, schemaErrors(validatePackage.errors));
  });

  it("publishes the 2022/23 pipeline notice as a valid package of five releases", () => {
    const notice = pipelineNotice(demo.procurements, 2022, 0);
    const pack = releasePackage(
      notice.contracts.map((p) =>
        planningRelease(p, { ...options, releaseDate: "2022-04-01T09:00:00+01:00" }),
      ),
      {
        uri: "https://example.gov.uk/procurement/pipeline-2022-23.json",
        publishedDate: "2022-04-01T09:00:00+01:00",
        publisher: { name: demo.buyer.name },
      },
    );
    assert.equal(pack.releases.length, 5);
    assert.equal(validatePackage(pack), true, schemaErrors(validatePackage.errors));
  });
});
