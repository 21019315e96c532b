import assert from "node:assert/strict";
import { test } from "node:test";
import type { z } from "zod";
import { parseForm } from "../../web/forms.ts";
import {
  datePartsOf,
  expectedPaymentsFormSchema,
  gatherDateParts,
  procurementFormSchema,
  readDateParts,
  reportingFloorFormSchema,
  thresholdFormSchema,
} from "./procurement.schemas.ts";

const read = (day: string, month: string, year: string, required = true) =>
  readDateParts({ day, month, year }, "estimated start date", required);

test("a date from the date input's boxes, with a month as a number or a name", () => {
  assert.deepEqual(read("1", "4", "2025"), { ok: true, iso: "2025-04-01" });
  assert.deepEqual(read(" 01 ", "04", "2025"), { ok: true, iso: "2025-04-01" });
  assert.deepEqual(read("1", "Sept", "2021"), { ok: true, iso: "2021-09-01" });
  assert.deepEqual(read("29", "february", "2024"), { ok: true, iso: "2024-02-29" });
  assert.deepEqual(read("", "", "", false), { ok: true, iso: null });
});

test("GOV.UK's messages for a date, with the boxes to highlight", () => {
  assert.deepEqual(read("", "", ""), {
    ok: false,
    message: "Enter the estimated start date",
    parts: ["day", "month", "year"],
  });
  assert.deepEqual(read("1", "", ""), {
    ok: false,
    message: "Estimated start date must include a month and year",
    parts: ["month", "year"],
  });
  assert.deepEqual(read("", "4", "2025"), {
    ok: false,
    message: "Estimated start date must include a day",
    parts: ["day"],
  });
  assert.deepEqual(read("29", "2", "2025"), {
    ok: false,
    message: "Estimated start date must be a real date",
    parts: ["day"],
  });
  assert.deepEqual(read("1", "13", "2025"), {
    ok: false,
    message: "Estimated start date must be a real date",
    parts: ["month"],
  });
  assert.deepEqual(read("1", "marsh", "2025"), {
    ok: false,
    message: "Estimated start date must be a real date",
    parts: ["month"],
  });
  assert.deepEqual(read("1", "4", "25"), {
    ok: false,
    message: "Year must include 4 numbers",
    parts: ["year"],
  });
  assert.deepEqual(read("first", "4", "2025").ok, false);
});

test("the boxes are gathered per date, and a date typed as one text is kept", () => {
  assert.deepEqual(
    gatherDateParts(
      {
        title: "A",
        "estimatedStartDate-day": "1",
        "estimatedStartDate-month": "4",
        "estimatedStartDate-year": "2025",
      },
      ["estimatedStartDate", "expectedCommencementDate"],
    ),
    {
      title: "A",
      "estimatedStartDate-day": "1",
      "estimatedStartDate-month": "4",
      "estimatedStartDate-year": "2025",
      estimatedStartDate: { day: "1", month: "4", year: "2025" },
    },
  );
  assert.deepEqual(gatherDateParts({ estimatedStartDate: "1/4/2025" }, ["estimatedStartDate"]), {
    estimatedStartDate: "1/4/2025",
  });
  assert.deepEqual(datePartsOf("2025-04-01"), { day: "1", month: "4", year: "2025" });
  assert.deepEqual(datePartsOf(null), { day: "", month: "", year: "" });
});

test("every amount above the largest Baseplan holds, and a negative floor or payment, is a field error", () => {
  const tooLarge = "£10,000,000,000.01";
  const cases: [z.ZodType, Record<string, string>, string, RegExp][] = [
    [reportingFloorFormSchema, { reportingFloor: tooLarge }, "reportingFloor", /largest amount/],
    [reportingFloorFormSchema, { reportingFloor: "-£5,000" }, "reportingFloor", /must not be negative/],
    [expectedPaymentsFormSchema, { expectedPayments: tooLarge }, "expectedPayments", /largest amount/],
    [expectedPaymentsFormSchema, { expectedPayments: "(100)" }, "expectedPayments", /must not be negative/],
    [
      thresholdFormSchema,
      { inForceFrom: "1/1/2030", goodsAndServices: tooLarge, works: "1", lightTouchServices: "1" },
      "goodsAndServices",
      /largest amount/,
    ],
    [
      procurementFormSchema,
      {
        title: "A made-up contract",
        estimatedValue: tooLarge,
        estimatedStartDate: "1/4/2030",
        category: "works",
        department: "A department",
        status: "planned",
      },
      "estimatedValue",
      /largest amount/,
    ],
  ];
  for (const [schema, body, field, message] of cases) {
    const result = parseForm(schema, body);
    assert.equal(result.ok, false, JSON.stringify(body));
    if (result.ok) continue;
    const error = result.errors.find((each) => each.field === field);
    assert.match(error?.message ?? JSON.stringify(result.errors), message);
  }
});
