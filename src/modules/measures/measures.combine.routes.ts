import type { FastifyPluginAsync, FastifyReply } from "fastify";
import { type FieldError, ValidationFailed } from "../../errors.ts";
import { redirectWithBanner } from "../../web/banner.ts";
import { MISSING_VERSION_MESSAGE, requiredVersion } from "../../web/forms.ts";
import type { RoutesOptions } from "../../web/modules.ts";
import { idParam } from "../../web/params.ts";
import { type FormValues, fieldText } from "../../web/record-form.ts";
import { failed } from "./measures.edit.shared.ts";
import { combinableWith, combineMeasures } from "./measures.edit.ts";
import { measurePage } from "./measures.service.ts";

/** Combining another measure into this one. */
export const combineMeasureRoutes: FastifyPluginAsync<RoutesOptions> = async (app, { services }) => {
  const db = services.db;

  // -------------------------------------------------------------------------------------------
  // Combining two measures

  async function renderCombine(
    reply: FastifyReply,
    measureId: number,
    otherId: number | null,
    errors: FieldError[] = [],
  ) {
    const { measure } = await measurePage(db, measureId);
    const choices = await combinableWith(db, measureId);
    const other = otherId === null ? null : (choices.find((candidate) => candidate.id === otherId) ?? null);
    const problems =
      otherId !== null && other === null && errors.length === 0
        ? [
            {
              field: "otherId",
              message: `Measure ${otherId} is not a current measure: choose one from the list`,
            },
          ]
        : errors;
    return reply.code(problems.length > 0 ? 400 : 200).view("measures/views/combine.njk", {
      pageTitle: `${problems.length > 0 ? "Error: " : ""}Combine another measure into ${measure.title}`.slice(
        0,
        200,
      ),
      measure,
      other: problems.length > 0 ? null : other,
      choices,
      errors: problems,
    });
  }

  app.get<{ Params: { id: string }; Querystring: { other?: string } }>(
    "/measures/:id/combine",
    async (request, reply) => {
      const measureId = idParam(request.params.id, "Measure");
      const raw = typeof request.query.other === "string" ? request.query.other.trim() : "";
      if (raw === "") return renderCombine(reply, measureId, null);
      if (!/^\d{1,15}$/.test(raw)) {
        return renderCombine(reply, measureId, null, [
          { field: "otherId", message: `"${raw.slice(0, 60)}" is not a measure: choose one from the list` },
        ]);
      }
      return renderCombine(reply, measureId, Number(raw));
    },
  );

  app.post<{ Params: { id: string }; Body: FormValues }>("/measures/:id/combine", async (request, reply) => {
    const keepId = idParam(request.params.id, "Measure");
    const body = request.body ?? {};
    try {
      const otherText = fieldText(body, "otherId");
      if (!/^\d{1,15}$/.test(otherText)) {
        throw new ValidationFailed([
          { field: "otherId", message: "Choose the measure to combine into this one" },
        ]);
      }
      const otherVersion = Number(fieldText(body, "otherVersion"));
      if (!Number.isSafeInteger(otherVersion) || otherVersion < 1) {
        throw new ValidationFailed([{ field: "otherId", message: MISSING_VERSION_MESSAGE }]);
      }
      const kept = await combineMeasures(
        db,
        request.actor,
        {
          keepId,
          keepVersion: requiredVersion(body),
          otherId: Number(otherText),
          otherVersion,
        },
        services.planLinks,
      );
      return redirectWithBanner(
        reply,
        `/measures/${keepId}`,
        `The measures were combined into "${kept.title}".`,
      );
    } catch (error) {
      return renderCombine(reply, keepId, null, failed(error));
    }
  });
};
