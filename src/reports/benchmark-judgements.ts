/**
 * Baseplan's judgements of targets that name a benchmark ("top quartile", "better than the
 * national average"), as documents print them under a council's measure table: a sentence saying
 * the judgements are Baseplan's, not the council's, then a table with a row per target: the
 * measure as the table above writes it, the target and its period, Baseplan's rating (in words,
 * never colour alone), and why: the explanation, which names the benchmark, its period and its
 * source, and the published measure and period it was judged against. A table, so every renderer
 * prints it (HTML, Word, PDF, and Excel, which prints tables only). The service plan and the
 * quarterly report both print them with this.
 */
import { type RatingKey, reportKeyOfColour } from "../domain/rating-key.ts";
import type { BenchmarkJudgement } from "../modules/measures/measures.service.ts";
import type { Block, TableBlock } from "./model.ts";
import { paragraph, textCell } from "./model.ts";

/** The sentence before the judgements: they are Baseplan's, worked out from published figures. */
export const JUDGEMENTS_LEAD =
  "Baseplan's assessment of the benchmark targets in this table, against the Department for Education's published figures";

/** Which published figures a judgement used, in a sentence. */
export function againstWords(used: BenchmarkJudgement["used"]): string {
  if (used.kind === "published") return `Judged against ${used.source}, ${used.period}.`;
  if (used.kind === "unpublished") {
    return `${used.source} is not published for this period yet${used.expected ? ` (expected ${used.expected})` : ""}.`;
  }
  return `${used.source} has no published period that matches this one.`;
}

export interface TitledJudgement {
  /** The measure as the table above writes it. */
  title: string;
  judgement: BenchmarkJudgement;
}

/**
 * The blocks under a measure table (`table`: its id and caption): the lead sentence and the
 * judgements' table; nothing when there are none. `tableNote` follows the lead in brackets (the
 * service plan's "the table above is as the council wrote it").
 */
export function benchmarkJudgementBlocks(
  table: { id: string; caption: string },
  judgements: readonly TitledJudgement[],
  tableNote?: string,
): Block[] {
  if (judgements.length === 0) return [];
  const judged: TableBlock = {
    kind: "table",
    id: `${table.id}-benchmark-targets`,
    caption: `${table.caption}: benchmark targets (assessed by Baseplan)`,
    columns: [
      { heading: "Measure", format: "text" },
      { heading: "Target", format: "text" },
      { heading: "Period", format: "text" },
      { heading: "Baseplan's assessment", format: "rating" },
      { heading: "Why (worked out by Baseplan)", format: "text" },
    ],
    rows: judgements.map(({ title, judgement: { judged, used } }) => {
      // The council's scheme's words, on its level's colour.
      const rating: RatingKey = reportKeyOfColour(judged.rating.meta.colour);
      return {
        cells: [
          textCell(title),
          textCell(judged.target.targetText),
          textCell(judged.target.periodLabel),
          { text: judged.rating.meta.label, rating },
          textCell(`${judged.rating.verdict.explanation} ${againstWords(used)}`),
        ],
      };
    }),
  };
  return [paragraph(`${JUDGEMENTS_LEAD}${tableNote ? ` (${tableNote})` : ""}:`), judged];
}
