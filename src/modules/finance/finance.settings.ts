import type { Database } from "../../db/client.ts";
import { formatPounds, type Pence } from "../../domain/money.ts";
import { Conflict, NotFound } from "../../errors.ts";
import { latestAuditEvent, recordAuditEvent } from "../audit/audit.service.ts";
import * as repository from "./finance.repository.ts";
import type { RatingSettings } from "./finance.schemas.ts";

import type { Thresholds } from "./finance.shared.ts";

// ---------------------------------------------------------------------------------------------
// Rating thresholds: a council setting
// ---------------------------------------------------------------------------------------------

/** "5%" from 500 basis points, "0.5%" from 50: exact, as a person would type it. */
function basisPointsText(basisPoints: number): string {
  const whole = Math.trunc(basisPoints / 100);
  const rest = basisPoints % 100;
  return rest === 0 ? `${whole}%` : `${whole}.${String(rest).padStart(2, "0").replace(/0$/, "")}%`;
}

function thresholdText(threshold: { basisPoints: number; pence: Pence }): string {
  return `${basisPointsText(threshold.basisPoints)} or ${formatPounds(threshold.pence, { pence: threshold.pence % 100 !== 0 })}`;
}

/**
 * The council's rating thresholds (migration 0008 creates the row with the defaults): a budget
 * line is red at an overspend reaching its percentage or amount, whichever is lower, and the
 * fund total at its own; any smaller overspend is amber, on budget or under is green.
 */
export async function ratingSettings(db: Database) {
  const row = await repository.findFinanceSettings(db);
  if (!row) throw new NotFound("The budget rating settings");
  const none = { basisPoints: 0, pence: 0 };
  const thresholds: Thresholds = {
    "service-area": {
      red: { basisPoints: row.serviceAreaRedBasisPoints, pence: row.serviceAreaRedPence },
      amber: none,
    },
    fund: { red: { basisPoints: row.fundRedBasisPoints, pence: row.fundRedPence }, amber: none },
  };
  return {
    row,
    thresholds,
    rule: `A budget line is Red at an overspend of ${thresholdText(thresholds["service-area"].red)}, whichever is lower, and the portfolio total at ${thresholdText(thresholds.fund.red)}; any smaller overspend is Amber; on budget or underspent is Green.`,
    values: {
      serviceAreaPercentage: basisPointsText(row.serviceAreaRedBasisPoints),
      serviceAreaAmount: formatPounds(row.serviceAreaRedPence, {
        pence: row.serviceAreaRedPence % 100 !== 0,
      }),
      fundPercentage: basisPointsText(row.fundRedBasisPoints),
      fundAmount: formatPounds(row.fundRedPence, { pence: row.fundRedPence % 100 !== 0 }),
    },
  };
}

/**
 * Changes the rating thresholds, as read by `ratingSettingsSchema`; a form opened at an older
 * version is refused with Conflict and nothing changes.
 */
export async function updateRatingSettings(db: Database, actor: string, edit: RatingSettings) {
  return db.transaction(async (tx) => {
    const before = await ratingSettings(tx);
    const updated = await repository.updateRatingSettingsIfVersion(tx, 1, edit.version, {
      serviceAreaRedBasisPoints: edit.serviceAreaPercentage,
      serviceAreaRedPence: edit.serviceAreaAmount,
      fundRedBasisPoints: edit.fundPercentage,
      fundRedPence: edit.fundAmount,
      updatedAt: new Date(),
    });
    if (!updated) {
      const saved = await latestAuditEvent(tx, "finance-settings", 1);
      const submitted = (basisPoints: number, pence: Pence) => thresholdText({ basisPoints, pence });
      throw new Conflict(
        "The budget rating thresholds",
        [
          {
            label: "A budget line is Red at",
            saved: thresholdText(before.thresholds["service-area"].red),
            submitted: submitted(edit.serviceAreaPercentage, edit.serviceAreaAmount),
          },
          {
            label: "The portfolio total is Red at",
            saved: thresholdText(before.thresholds.fund.red),
            submitted: submitted(edit.fundPercentage, edit.fundAmount),
          },
        ],
        "/budget/settings",
        saved ? { actor: saved.actor, at: saved.occurredAt } : undefined,
      );
    }
    const after = await ratingSettings(tx);
    await recordAuditEvent(tx, {
      actor,
      action: "update",
      entityType: "finance-settings",
      entityId: 1,
      summary: `Changed the budget rating thresholds: ${after.rule}`,
      before: { ...before.values, version: before.row.version },
      after: { ...after.values, version: updated.version },
    });
    return after;
  });
}
