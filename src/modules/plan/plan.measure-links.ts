import type { PlanLinks } from "../measures/measures.service.ts";
import * as repository from "./plan.measure-links.repository.ts";

/**
 * The plan's answer to what the measures module asks of it (`PlanLinks`): the plan owns the
 * tables that link its deliverables and outcomes to measures. The composition hands this to the
 * measures routes (`Services.planLinks`).
 */
export const measurePlanLinks: PlanLinks = {
  evidenceOf: (db, measureId) => repository.measureEvidence(db, measureId),
  linkWaiting: (tx, measure) =>
    repository.linkWaiting(tx, measure.id, [measure.title, ...measure.otherTitles]),
  linkWaitingAll: (tx, measures) =>
    repository.linkAllWaiting(
      tx,
      measures.flatMap((measure) =>
        [measure.title, ...measure.otherTitles].map((title) => ({ measureId: measure.id, title })),
      ),
    ),
  moveLinks: (tx, fromId, toId) => repository.moveLinks(tx, fromId, toId),
};
