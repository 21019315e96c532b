import type { Database } from "../../db/client.ts";
import {
  expectedTenderDate,
  extendThresholdTable,
  formatLongDate,
  ProcurementRuleError,
  procurementBand,
  type ThresholdRow,
} from "../../domain/procurement.ts";
import { Conflict, ValidationFailed } from "../../errors.ts";
import { recordAuditEvent } from "../audit/audit.service.ts";
import {
  findSettings,
  insertThreshold,
  listProcurements,
  type PlannedProcurementRow,
  updateSettingsIfVersion,
} from "./procurement.repository.ts";
import type { ThresholdForm } from "./procurement.schemas.ts";
import { poundsText, thresholdSettings, toPlannedProcurement } from "./procurement.service.ts";

// The threshold table and the forward plan's settings: adding a threshold, the floor and the buyer.

/**
 * Adds a row at the end of the threshold table. Refused, with nothing changed, when the table
 * would have overlapping or unordered dates, or when a planned procurement would be left with no
 * threshold in force on its commencement date.
 */
export async function addThreshold(db: Database, actor: string, form: ThresholdForm) {
  return db.transaction(async (tx) => {
    const settings = await thresholdSettings(tx);
    const row: ThresholdRow = {
      inForceFrom: form.inForceFrom ?? "",
      ...(form.inForceUntil ? { inForceUntil: form.inForceUntil } : {}),
      goodsAndServicesPence: form.goodsAndServices,
      worksPence: form.works,
      lightTouchServicesPence: form.lightTouchServices,
      ...(form.note ? { note: form.note } : {}),
    };
    const extended = extendThresholdTable(settings.table, row);
    if (!extended.ok) {
      const rowCount = settings.table.length + 1;
      throw new ValidationFailed(
        extended.problems.map((problem) => ({
          // A problem with an earlier row is caused by the new one's dates.
          field:
            problem.rowNumber === rowCount && problem.field ? fieldOfThreshold(problem.field) : "inForceFrom",
          message: problem.message,
        })),
        "The threshold table was not changed.",
      );
    }
    const entries = await listProcurements(tx);
    const uncovered = entries.filter((entry) => {
      try {
        procurementBand(toPlannedProcurement(entry), extended.table, settings.reportingFloorPence);
        return false;
      } catch (error) {
        if (error instanceof ProcurementRuleError) return true;
        throw error;
      }
    });
    if (uncovered.length > 0) {
      throw new ValidationFailed([
        {
          field: "inForceUntil",
          message: `With that end date no threshold would be in force for ${uncovered.length} planned ${uncovered.length === 1 ? "procurement" : "procurements"}, such as "${uncovered[0]?.title}" commencing ${formatLongDate(expectedTenderDate(toPlannedProcurement(uncovered[0] as PlannedProcurementRow)))}: leave the end date blank or make it later.`,
        },
      ]);
    }
    const inserted = await insertThreshold(tx, {
      inForceFrom: row.inForceFrom,
      inForceUntil: row.inForceUntil ?? null,
      goodsAndServicesPence: row.goodsAndServicesPence,
      worksPence: row.worksPence,
      lightTouchServicesPence: row.lightTouchServicesPence,
      note: row.note ?? null,
    });
    await recordAuditEvent(tx, {
      actor,
      action: "create",
      entityType: "procurement-threshold",
      entityId: inserted.id,
      summary: `Added thresholds in force from ${formatLongDate(inserted.inForceFrom)}`,
      after: inserted,
    });
    return inserted;
  });
}

function fieldOfThreshold(field: keyof ThresholdRow): string {
  const fields: Partial<Record<keyof ThresholdRow, string>> = {
    inForceFrom: "inForceFrom",
    inForceUntil: "inForceUntil",
    goodsAndServicesPence: "goodsAndServices",
    worksPence: "works",
    lightTouchServicesPence: "lightTouchServices",
  };
  return fields[field] ?? "note";
}

export async function updateProcurementSettings(
  db: Database,
  actor: string,
  version: number,
  values: { reportingFloorPence?: number; buyerId?: string; buyerName?: string },
) {
  return db.transaction(async (tx) => {
    const before = await findSettings(tx);
    const after = await updateSettingsIfVersion(tx, version, values);
    if (!before || !after) {
      throw new Conflict(
        "The procurement settings",
        [
          {
            label: "Reporting floor",
            saved: before ? poundsText(before.reportingFloorPence) : "",
            submitted: values.reportingFloorPence === undefined ? "" : poundsText(values.reportingFloorPence),
          },
        ],
        "/procurement/thresholds",
      );
    }
    await recordAuditEvent(tx, {
      actor,
      action: "update",
      entityType: "procurement-settings",
      entityId: 1,
      summary: `Set the procurement reporting floor to ${poundsText(after.reportingFloorPence)}`,
      before,
      after,
    });
    return after;
  });
}
