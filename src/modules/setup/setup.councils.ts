import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "csv-parse/sync";

/**
 * The English councils a set-up chooses from: data/councils/english-councils.csv (where it comes
 * from is in data/councils/README.md). Read once, on first use; the list is the project's own
 * copy, so it never changes while Baseplan runs.
 */

export const COUNCIL_LIST_FILE = fileURLToPath(
  new URL("../../../data/councils/english-councils.csv", import.meta.url),
);

export type CouncilKind =
  | "County council"
  | "Unitary authority"
  | "Metropolitan district"
  | "London borough"
  | "District council";

const KINDS: readonly CouncilKind[] = [
  "County council",
  "Unitary authority",
  "Metropolitan district",
  "London borough",
  "District council",
];

export interface ListedCouncil {
  /** The ONS GSS code, "E10000007". */
  gssCode: string;
  /** The area's name as the ONS and the DfE write it, "Derbyshire". */
  name: string;
  /** The DfE LA number, "830"; null for a district council, which has none. */
  laNumber: string | null;
  kind: CouncilKind;
  region: { name: string; onsCode: string };
}

/** An ONS GSS code for an English area: E, then eight digits. */
export const GSS_CODE = /^E\d{8}$/;
/** A DfE LA number: three digits. */
export const LA_NUMBER = /^\d{3}$/;

/** Reads and checks the list's text; a malformed row is an error naming its line. */
export function parseCouncilList(text: string): ListedCouncil[] {
  const records = parse(text, {
    comment: "#",
    comment_no_infix: true,
    columns: true,
    skip_empty_lines: true,
    info: true,
  }) as unknown as { record: Record<string, string>; info: { lines: number } }[];
  const councils: ListedCouncil[] = [];
  const seen = new Set<string>();
  for (const { record, info } of records) {
    const problem = (what: string) => new Error(`english-councils.csv line ${info.lines}: ${what}`);
    const gssCode = record.gss_code ?? "";
    const laNumber = record.dfe_la_number ?? "";
    const kind = KINDS.find((candidate) => candidate === record.kind);
    if (!GSS_CODE.test(gssCode)) throw problem(`"${gssCode}" is not a GSS code`);
    if (laNumber !== "" && !LA_NUMBER.test(laNumber)) throw problem(`"${laNumber}" is not a DfE LA number`);
    if (!kind) throw problem(`"${record.kind}" is not a kind of council`);
    if (!record.name || !record.region_name || !GSS_CODE.test(record.region_code ?? "")) {
      throw problem("a council needs a name, a region and the region's GSS code");
    }
    if (seen.has(gssCode)) throw problem(`${gssCode} is listed twice`);
    seen.add(gssCode);
    councils.push({
      gssCode,
      name: record.name,
      laNumber: laNumber === "" ? null : laNumber,
      kind,
      region: { name: record.region_name ?? "", onsCode: record.region_code ?? "" },
    });
  }
  return councils;
}

let list: readonly ListedCouncil[] | null = null;

/** Every English council in the list, by name. */
export function englishCouncils(): readonly ListedCouncil[] {
  list ??= parseCouncilList(readFileSync(COUNCIL_LIST_FILE, "utf8"));
  return list;
}

/** The listed council with this GSS code, or null. */
export function listedCouncilByGss(gssCode: string): ListedCouncil | null {
  return englishCouncils().find((council) => council.gssCode === gssCode) ?? null;
}

/** The listed council with this DfE LA number, or null. */
export function listedCouncilByLaNumber(laNumber: string): ListedCouncil | null {
  return englishCouncils().find((council) => council.laNumber === laNumber) ?? null;
}
