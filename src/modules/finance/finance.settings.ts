import type { Database } from "../../db/client.ts";
import type { ExplanationRequirement } from "../../domain/budget.ts";
import { formatPounds, type Pence } from "../../domain/money.ts";
import {
  type BracketsMean,
  conventionProblems,
  MONEY_UNIT_LABELS,
  type MoneyConventions,
  type MoneyUnit,
  type NegativeBaseSign,
  type ZeroBase,
} from "../../domain/money-conventions.ts";
import { Conflict, NotFound, ValidationFailed } from "../../errors.ts";
import { latestAuditEvent, recordAuditEvent } from "../audit/audit.service.ts";
import * as repository from "./finance.repository.ts";
import type { ExplanationRequirementEdit, MoneyConventionsEdit, RatingSettings } from "./finance.schemas.ts";

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
    conventions: conventionsOf(row),
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

// ---------------------------------------------------------------------------------------------
// Money conventions: how the council prints money (src/domain/money-conventions.ts)
// ---------------------------------------------------------------------------------------------

/** The council's money conventions and the unit an import reads a column in when its heading says none. */
export interface CouncilMoneyConventions extends MoneyConventions {
  readonly defaultUnit: MoneyUnit;
}

type SettingsRow = NonNullable<Awaited<ReturnType<typeof repository.findFinanceSettings>>>;

function conventionsOf(row: SettingsRow): CouncilMoneyConventions {
  return {
    defaultUnit: row.defaultImportUnit as MoneyUnit,
    bracketsMean: row.varianceBracketsMean as BracketsMean,
    negativeBase: row.negativeBaseSign as NegativeBaseSign,
    percentageDecimals: row.percentageDecimals,
    zeroBase: row.zeroBaseText as ZeroBase,
  };
}

/** Each convention in words, as the settings page, a conflict and the audit trail say it. */
export function conventionWords(conventions: CouncilMoneyConventions) {
  return {
    defaultUnit: `Imported figures are in ${MONEY_UNIT_LABELS[conventions.defaultUnit]} unless the heading says`,
    bracketsMean: `Brackets in a variance column mean ${conventions.bracketsMean === "underspend" ? "an underspend" : "an overspend"}`,
    negativeBase:
      conventions.negativeBase === "against-size"
        ? "On a negative budget, a variance percentage is worked out against the budget's size (an income shortfall is positive)"
        : "On a negative budget, a variance percentage is worked out against the budget as signed (an income shortfall is negative)",
    percentageDecimals: `Variance percentages to ${conventions.percentageDecimals} decimal place${conventions.percentageDecimals === 1 ? "" : "s"}`,
    zeroBase:
      conventions.zeroBase === "100%"
        ? "A percentage on a zero budget prints as 100% with the variance's sign (0% where nothing is spent)"
        : `A percentage on a zero budget prints as "${conventions.zeroBase}"`,
  };
}

/** The council's money conventions, as the settings row holds them. */
export async function moneyConventions(db: Database) {
  const row = await repository.findFinanceSettings(db);
  if (!row) throw new NotFound("The budget settings");
  const conventions = conventionsOf(row);
  return { conventions, version: row.version, words: conventionWords(conventions) };
}

/**
 * Changes the money conventions, as read by `moneyConventionsSchema`; a form opened at an older
 * version of the settings is refused with Conflict and nothing changes.
 */
export async function updateMoneyConventions(db: Database, actor: string, edit: MoneyConventionsEdit) {
  const { version, ...conventions } = edit;
  const problems = conventionProblems(conventions);
  if (problems.length > 0) {
    throw new ValidationFailed(problems.map((message) => ({ field: "form", message })));
  }
  return db.transaction(async (tx) => {
    const before = await moneyConventions(tx);
    const updated = await repository.updateRatingSettingsIfVersion(tx, 1, version, {
      defaultImportUnit: conventions.defaultUnit,
      varianceBracketsMean: conventions.bracketsMean,
      negativeBaseSign: conventions.negativeBase,
      percentageDecimals: conventions.percentageDecimals,
      zeroBaseText: conventions.zeroBase,
      updatedAt: new Date(),
    });
    const submitted = conventionWords(conventions);
    if (!updated) {
      const saved = await latestAuditEvent(tx, "finance-settings", 1);
      throw new Conflict(
        "The money conventions",
        (Object.keys(submitted) as (keyof typeof submitted)[]).map((key) => ({
          label: MONEY_CONVENTION_LABELS[key],
          saved: before.words[key],
          submitted: submitted[key],
        })),
        "/budget/settings",
        saved ? { actor: saved.actor, at: saved.occurredAt } : undefined,
      );
    }
    await recordAuditEvent(tx, {
      actor,
      action: "update",
      entityType: "finance-settings",
      entityId: 1,
      summary: `Changed the money conventions: ${Object.values(submitted).join("; ")}.`,
      before: { ...before.conventions, version: before.version },
      after: { ...conventions, version: updated.version },
    });
    return { conventions: conventionsOf(updated), version: updated.version };
  });
}

/** The settings page's name for each convention. */
export const MONEY_CONVENTION_LABELS = {
  defaultUnit: "Unit of imported figures",
  bracketsMean: "Brackets in a variance column",
  negativeBase: "Variance percentage on a negative budget",
  percentageDecimals: "Decimal places of a variance percentage",
  zeroBase: "Percentage on a zero budget",
} as const;

// ---------------------------------------------------------------------------------------------
// Which budget lines must explain their variance (decision 0040)
// ---------------------------------------------------------------------------------------------

/** The setting in words, as the settings page, a conflict, the audit trail and the period page say it. */
export const EXPLANATION_REQUIREMENT_WORDS: Readonly<Record<ExplanationRequirement, string>> = {
  none: "No budget line has to explain its variance: explanations are optional",
  red: "A budget line rated Red must explain its variance",
  "red-amber": "A budget line rated Red or Amber must explain its variance",
};

/** The settings page's name for the setting. */
export const EXPLANATION_REQUIREMENT_LABEL = "Budget lines that must explain their variance";

/** Which budget lines must explain their variance in a period, as the settings row holds it. */
export async function explanationRequirement(db: Database) {
  const row = await repository.findFinanceSettings(db);
  if (!row) throw new NotFound("The budget settings");
  const requirement = row.explanationsRequired as ExplanationRequirement;
  return { requirement, version: row.version, words: EXPLANATION_REQUIREMENT_WORDS[requirement] };
}

/**
 * Changes which budget lines must explain their variance, as read by
 * `explanationRequirementSchema`; a form opened at an older version of the settings is refused
 * with Conflict and nothing changes.
 */
export async function updateExplanationRequirement(
  db: Database,
  actor: string,
  edit: ExplanationRequirementEdit,
) {
  return db.transaction(async (tx) => {
    const before = await explanationRequirement(tx);
    const updated = await repository.updateRatingSettingsIfVersion(tx, 1, edit.version, {
      explanationsRequired: edit.explanationsRequired,
      updatedAt: new Date(),
    });
    const submitted = EXPLANATION_REQUIREMENT_WORDS[edit.explanationsRequired];
    if (!updated) {
      const saved = await latestAuditEvent(tx, "finance-settings", 1);
      throw new Conflict(
        "Which budget lines must explain their variance",
        [{ label: EXPLANATION_REQUIREMENT_LABEL, saved: before.words, submitted }],
        "/budget/settings",
        saved ? { actor: saved.actor, at: saved.occurredAt } : undefined,
      );
    }
    await recordAuditEvent(tx, {
      actor,
      action: "update",
      entityType: "finance-settings",
      entityId: 1,
      summary: `Changed which budget lines must explain their variance: ${submitted}.`,
      before: { explanationsRequired: before.requirement, version: before.version },
      after: { explanationsRequired: edit.explanationsRequired, version: updated.version },
    });
    return explanationRequirement(tx);
  });
}
