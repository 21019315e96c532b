import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import type { Database } from "../../db/client.ts";
import { DEMO_DIRECTORY, type DemoLoader } from "../../demo/demo-files.ts";
import { parseForm } from "../../web/forms.ts";
import { findSettings } from "./procurement.repository.ts";
import { procurementFormSchema } from "./procurement.schemas.ts";
import { createProcurement, recordPublishedPlan } from "./procurement.service.ts";
import { updateProcurementSettings } from "./procurement.thresholds.ts";

// Resolved when loading: load-demo.ts imports the loaders, so its constants are not ready yet.
const forwardPlanFile = () => join(DEMO_DIRECTORY, "procurement", "forward-plan-2021-2023.json");

const demoFileSchema = z.object({
  department: z.string(),
  buyer: z.object({ id: z.string(), name: z.string() }),
  reportingFloorPence: z.number().int(),
  source: z.object({ document: z.string() }),
  seedStatedThreshold: z.object({ pence: z.number().int() }),
  procurements: z.array(
    z.object({
      id: z.string(),
      table: z.string(),
      rowInTable: z.number().int(),
      seedBand: z.enum(["floor-to-threshold", "above-threshold"]),
      title: z.string(),
      estimatedValueText: z.string(),
      estimatedValuePence: z.number().int(),
      estimatedStartDate: z.string(),
      durationText: z.string().optional(),
      durationMonths: z.number().int().optional(),
      department: z.string(),
      category: z.enum(["goods", "services", "works", "light-touch-services"]),
      categoryBasis: z.string().optional(),
      status: z.literal("planned"),
    }),
  ),
});

/**
 * The seed's Appendix B, both tables, every row as written. The thresholds themselves come from
 * migration 0005 (the table in docs/domain.md section 9), so the demo only sets the floor and the buyer.
 */
export const procurementDemoLoader: DemoLoader = {
  name: "procurement",
  async load(db: Database, actor: string) {
    const file = demoFileSchema.parse(JSON.parse(await readFile(forwardPlanFile(), "utf8")));
    const settings = await findSettings(db);
    if (!settings) throw new Error("The procurement settings row is missing: run the migrations");
    await updateProcurementSettings(db, actor, settings.version, {
      reportingFloorPence: file.reportingFloorPence,
      buyerId: file.buyer.id,
      buyerName: file.buyer.name,
    });
    // The plan banded every row by one threshold; its rows keep that band (decision 0003).
    await recordPublishedPlan(db, actor, {
      document: file.source.document,
      thresholdPence: file.seedStatedThreshold.pence,
    });
    for (const row of file.procurements) {
      // Through the same form schema a person uses, so the demo obeys the same rules.
      const form = parseForm(procurementFormSchema, {
        title: row.title,
        estimatedValue: row.estimatedValueText,
        durationText: row.durationText ?? "",
        estimatedStartDate: row.estimatedStartDate,
        category: row.category === "light-touch-services" ? "light-touch" : row.category,
        department: row.department,
        status: row.status,
        notes: row.categoryBasis ?? "",
      });
      if (!form.ok) throw new Error(`Demo procurement ${row.id}: ${JSON.stringify(form.errors)}`);
      if (form.value.estimatedValue.pence !== row.estimatedValuePence) {
        throw new Error(
          `Demo procurement ${row.id}: "${row.estimatedValueText}" is not ${row.estimatedValuePence}p`,
        );
      }
      await createProcurement(db, actor, form.value, {
        id: row.id,
        band: row.seedBand,
        table: row.table,
        row: row.rowInTable,
        ...(row.durationMonths !== undefined ? { durationMonths: row.durationMonths } : {}),
      });
    }
  },
};
