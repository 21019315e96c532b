import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { FieldError } from "../../errors.ts";
import type { Services } from "../../services.ts";
import { redirectWithBanner } from "../../web/banner.ts";
import { missingVersion, parseForm, versionOf } from "../../web/forms.ts";
import type { RoutesOptions } from "../../web/modules.ts";
import { listThresholds } from "./procurement.repository.ts";
import { reportingFloorFormSchema, thresholdFormSchema } from "./procurement.schemas.ts";
import { thresholdSettings } from "./procurement.service.ts";
import { addThreshold, updateProcurementSettings } from "./procurement.thresholds.ts";
import { amountText, formErrors, VIEWS } from "./procurement.web.ts";

async function renderThresholds(
  request: FastifyRequest,
  reply: FastifyReply,
  services: RoutesOptions["services"],
  extra: Record<string, unknown> = {},
) {
  const [rows, settings] = await Promise.all([listThresholds(services.db), thresholdSettings(services.db)]);
  return reply.view(`${VIEWS}/thresholds.njk`, {
    pageTitle: "Procurement thresholds",
    rows,
    reportingFloorPence: settings.reportingFloorPence,
    reportingFloorText: amountText(settings.reportingFloorPence),
    settingsVersion: settings.settingsVersion,
    values: request.body ?? {},
    ...extra,
  });
}

/** The threshold table and the reporting floor: /procurement/thresholds and its forms. */
export function thresholdRoutes(app: FastifyInstance, services: Services): void {
  const { db } = services;

  app.get("/procurement/thresholds", async (request, reply) => renderThresholds(request, reply, services));

  app.post("/procurement/thresholds", async (request, reply) => {
    const parsed = parseForm(thresholdFormSchema, request.body);
    const failed = (errors: FieldError[]) =>
      renderThresholds(request, reply.code(400), services, { errors, thresholdErrors: errors });
    if (!parsed.ok) return failed(parsed.errors);
    try {
      await addThreshold(db, request.actor, parsed.value);
    } catch (error) {
      const errors = formErrors(error);
      if (errors) return failed(errors);
      throw error;
    }
    return redirectWithBanner(reply, "/procurement/thresholds", "The threshold was added.");
  });

  app.post("/procurement/reporting-floor", async (request, reply) => {
    const parsed = parseForm(reportingFloorFormSchema, request.body);
    const version = versionOf(request.body);
    if (!parsed.ok || version === null) {
      const errors = parsed.ok ? [missingVersion("reportingFloor")] : parsed.errors;
      return renderThresholds(request, reply.code(400), services, { errors, floorErrors: errors });
    }
    await updateProcurementSettings(db, request.actor, version, {
      reportingFloorPence: parsed.value.reportingFloor,
    });
    return redirectWithBanner(reply, "/procurement/thresholds", "The reporting floor was saved.");
  });
}
