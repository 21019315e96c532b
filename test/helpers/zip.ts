import { readFile } from "node:fs/promises";
import JSZip from "jszip";

/** One file from inside a Word or Excel file (a zip), as text: no unzip program needed. */
export async function zipEntryText(file: string, entry: string): Promise<string> {
  const zip = await JSZip.loadAsync(await readFile(file));
  const found = zip.file(entry);
  if (!found) throw new Error(`${file} has no ${entry}`);
  return found.async("string");
}
