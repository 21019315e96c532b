import assert from "node:assert/strict";
import { test } from "node:test";
import {
  englishCouncils,
  listedCouncilByGss,
  listedCouncilByLaNumber,
  parseCouncilList,
} from "./setup.councils.ts";

const HEADER = "gss_code,name,dfe_la_number,kind,region_code,region_name";

test("the list of English councils: every kind, each GSS code once, DfE LA numbers where councils have them", () => {
  const councils = englishCouncils();
  assert.equal(councils.length, 317);
  assert.equal(councils.filter((council) => council.laNumber !== null).length, 153);
  assert.equal(new Set(councils.map((council) => council.gssCode)).size, councils.length);
  const kinds = new Set(councils.map((council) => council.kind));
  assert.deepEqual([...kinds].sort(), [
    "County council",
    "District council",
    "London borough",
    "Metropolitan district",
    "Unitary authority",
  ]);
  // District councils have no DfE LA number; every other kind has one.
  for (const council of councils) {
    assert.equal(council.laNumber === null, council.kind === "District council", council.name);
  }
  assert.deepEqual(listedCouncilByGss("E06000010"), {
    gssCode: "E06000010",
    name: "Kingston upon Hull, City of",
    laNumber: "810",
    kind: "Unitary authority",
    region: { name: "Yorkshire and The Humber", onsCode: "E12000003" },
  });
  // Barnsley's code from May 2025, not the one it replaced.
  assert.equal(listedCouncilByLaNumber("370")?.gssCode, "E08000038");
  assert.equal(listedCouncilByGss("E08000016"), null);
  assert.equal(listedCouncilByGss("E99999999"), null);
});

test("a malformed row in the list is an error naming its line", () => {
  assert.throws(
    () =>
      parseCouncilList(
        `# a note\n${HEADER}\nE06000001,Hartlepool,805,Unitary authority,E12000001,North East\nX1,Nowhere,,District council,E12000001,North East\n`,
      ),
    /line 4: "X1" is not a GSS code/,
  );
  assert.throws(
    () => parseCouncilList(`${HEADER}\nE06000001,Hartlepool,8050,Unitary authority,E12000001,North East\n`),
    /line 2: "8050" is not a DfE LA number/,
  );
  assert.throws(
    () => parseCouncilList(`${HEADER}\nE06000001,Hartlepool,805,Parish,E12000001,North East\n`),
    /line 2: "Parish" is not a kind of council/,
  );
  assert.throws(
    () =>
      parseCouncilList(
        `${HEADER}\nE06000001,Hartlepool,805,Unitary authority,E12000001,North East\nE06000001,Hartlepool,805,Unitary authority,E12000001,North East\n`,
      ),
    /line 3: E06000001 is listed twice/,
  );
});
