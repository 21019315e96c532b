import { readFileSync } from "node:fs";
import ajvDraft04 from "ajv-draft-04";
import { z } from "zod";
import { isIsoDate } from "../../src/domain/procurement.ts";

// The OCDS 1.1.5 schemas, validated offline: the package schema's $ref to the release schema
// resolves to the copy added under its own id.

function readSchema(name: string) {
  const url = new URL(`../../src/domain/ocds-schema/${name}`, import.meta.url);
  return z
    .object({ id: z.string() })
    .passthrough()
    .parse(JSON.parse(readFileSync(url, "utf8")));
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

// ajv-draft-04 is CommonJS; under NodeNext its class is the default export's `default`.
const Ajv = ajvDraft04.default;
const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false });
// OCDS annotates its schema with keywords of its own; they carry no validation.
ajv.addVocabulary([
  "codelist",
  "openCodelist",
  "omitWhenMerged",
  "deprecated",
  "wholeListMerge",
  "versionId",
]);
ajv.addFormat("date-time", (text: string) => RFC3339.test(text) && isIsoDate(text.slice(0, 10)));
ajv.addFormat("uri", (text: string) => URL.canParse(text));
ajv.addFormat("email", /^[^\s@]+@[^\s@]+$/);
const releaseSchema = readSchema("release-schema.json");
ajv.addSchema(releaseSchema);

/** Validates one OCDS release against the 1.1.5 release schema; errors in `validateRelease.errors`. */
export const validateRelease = ajv.compile(releaseSchema);
/** Validates an OCDS release package against the 1.1.5 package schema. */
export const validatePackage = ajv.compile(readSchema("release-package-schema.json"));
