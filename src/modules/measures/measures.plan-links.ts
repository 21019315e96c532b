import type { Database } from "../../db/client.ts";
import type { Measure } from "./measures.repository.ts";

/**
 * What the measures module asks of the plan. The tables that link deliverables and council
 * outcomes to measures are the plan module's; the measures module never reads or writes them.
 * The plan module answers these (plan.measure-links.ts) and the composition hands its answer in
 * (`Services.planLinks`): the plan imports the measures service, so measures cannot import the plan.
 */
export interface PlanLinks {
  /** The deliverables and outcomes that name the measure, for its page. */
  evidenceOf(db: Database, measureId: number): Promise<MeasureEvidence>;
  /** Links that wait for a measure under one of its titles take its id (in the caller's transaction). */
  linkWaiting(tx: Database, measure: Pick<Measure, "id" | "title" | "otherTitles">): Promise<void>;
  /**
   * The same for several new measures at once (an import's), in a few statements: a link waiting
   * for a title two of them have takes the one added first, as one call each in that order would.
   */
  linkWaitingAll(
    tx: Database,
    measures: readonly Pick<Measure, "id" | "title" | "otherTitles">[],
  ): Promise<void>;
  /** The links to one measure move to another, when the two are combined (in the caller's transaction). */
  moveLinks(tx: Database, fromId: number, toId: number): Promise<void>;
}

export interface EvidencedDeliverable {
  id: number;
  title: string;
  section: string;
  sectionTitle: string;
  groupTitle: string;
  /** The title the deliverable named the measure by. */
  linkedAs: string;
}

export interface EvidencedOutcome {
  number: number;
  /** The council outcome's wording, where the plan records one. */
  title: string | null;
  /** The plan that lists the measure under the outcome. */
  planTitle: string;
  planSlug: string;
  /** The plan's strategic objectives under that outcome. */
  objectives: { id: number; number: number; title: string }[];
}

/** What a measure evidences in the plan. */
export interface MeasureEvidence {
  deliverables: EvidencedDeliverable[];
  outcomes: EvidencedOutcome[];
}
