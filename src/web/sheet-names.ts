/**
 * Excel's rules for a sheet name: at most 31 characters, none of : \ / ? * [ ], and no two
 * sheets of a workbook with the same name (letter case ignored).
 */
const MAX = 31;

/** Words a cut name should not end on ("Forecast against" reads as cut short). */
const DANGLING = /\s+(?:and|by|of|the|to|for|in|on|at|against|with|from)$/i;

/** Cut at the last whole word within `length`, never mid-word, dropping dangling punctuation. */
function cutAtWord(name: string, length: number): string {
  if (name.length <= length) return name;
  const cut = name.slice(0, length + 1);
  const lastSpace = cut.lastIndexOf(" ");
  let kept = lastSpace > 10 ? cut.slice(0, lastSpace) : name.slice(0, length);
  for (let before = ""; before !== kept; ) {
    before = kept;
    kept = kept.replace(/[\s,;.\-–]+$/, "").replace(DANGLING, "");
  }
  return kept;
}

/**
 * A sheet name for a table's caption. A caption that fits is kept as written (forbidden
 * characters as spaces, "2020/21" as "2020-21"). A longer one is shortened as a reader would
 * ("Quarter 4" to "Q4", "Month 10" to "M10", commas dropped), then cut at a word. Where `used`
 * is given, a name already taken gets " 2", " 3" ..., cut to make room rather than mid-word.
 */
export function sheetName(caption: string, fallback: string, used?: Set<string>): string {
  let name =
    caption
      .replace(/(\d)\/(\d)/g, "$1-$2")
      .replace(/[:\\/?*[\]]/g, " ")
      .replace(/\s+/g, " ")
      .trim() || fallback;
  if (name.length > MAX) {
    name = name
      .replace(/\bQuarter (\d)\b/g, "Q$1")
      .replace(/\bMonth (\d{1,2})\b/g, "M$1")
      .replace(/,/g, "")
      .replace(/\s+/g, " ");
  }
  name = cutAtWord(name, MAX) || fallback.slice(0, MAX);
  if (!used) return name;
  let unique = name;
  for (let n = 2; used.has(unique.toLowerCase()); n += 1) {
    const suffix = ` ${n}`;
    unique = `${cutAtWord(name, MAX - suffix.length)}${suffix}`;
  }
  used.add(unique.toLowerCase());
  return unique;
}
