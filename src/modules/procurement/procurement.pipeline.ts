import type { Database } from "../../db/client.ts";
import { sumPence } from "../../domain/money.ts";
import { type PipelineNotice, pipelineNotice } from "../../domain/procurement.ts";
import { Conflict } from "../../errors.ts";
import { recordAuditEvent } from "../audit/audit.service.ts";
import {
  findExpectedPayments,
  insertExpectedPayments,
  updateExpectedPaymentsIfVersion,
} from "./procurement.repository.ts";
import {
  allEntries,
  financialYearName,
  type PlanEntry,
  poundsText,
  thresholdSettings,
} from "./procurement.service.ts";

// The pipeline notice: the payments a year expects and the contracts it must list.

/** Records what the council expects to pay under contracts in a financial year. */
export async function setExpectedPayments(
  db: Database,
  actor: string,
  financialYearStart: number,
  version: number | null,
  expectedPaymentsPence: number,
) {
  return db.transaction(async (tx) => {
    const before = await findExpectedPayments(tx, financialYearStart);
    const after = before
      ? await updateExpectedPaymentsIfVersion(tx, financialYearStart, version ?? -1, expectedPaymentsPence)
      : version === null
        ? await insertExpectedPayments(tx, financialYearStart, expectedPaymentsPence)
        : null;
    if (!after) {
      const saved = before ?? (await findExpectedPayments(tx, financialYearStart));
      throw new Conflict(
        `Expected payments for ${financialYearName(financialYearStart)}`,
        [
          {
            label: "Expected payments under contracts",
            saved: saved ? poundsText(saved.expectedPaymentsPence) : "",
            submitted: poundsText(expectedPaymentsPence),
          },
        ],
        `/procurement/pipeline?year=${financialYearStart}`,
      );
    }
    await recordAuditEvent(tx, {
      actor,
      action: before ? "update" : "create",
      entityType: "procurement-expected-payments",
      entityId: financialYearStart,
      summary: `Set expected payments under contracts in ${financialYearName(financialYearStart)} to ${poundsText(expectedPaymentsPence)}`,
      before: before ?? null,
      after,
    });
    return after;
  });
}

export interface PipelineView {
  notice: PipelineNotice<PlanEntry>;
  financialYearStart: number;
  expectedPaymentsEntered: boolean;
  expectedPaymentsVersion: number | null;
  totalPence: number;
}

/** The pipeline notice for the financial year starting 1 April `financialYearStart`. */
export async function pipeline(db: Database, financialYearStart: number): Promise<PipelineView> {
  const settings = await thresholdSettings(db);
  const [entries, payments] = await Promise.all([
    allEntries(db, settings),
    findExpectedPayments(db, financialYearStart),
  ]);
  const notice = pipelineNotice(entries, financialYearStart, payments?.expectedPaymentsPence, settings.table);
  return {
    notice,
    financialYearStart,
    expectedPaymentsEntered: payments !== undefined,
    expectedPaymentsVersion: payments?.version ?? null,
    totalPence: sumPence(notice.contracts.map((entry) => entry.estimatedValuePence)),
  };
}
