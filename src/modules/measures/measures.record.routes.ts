import type { FastifyPluginAsync, FastifyReply } from "fastify";
import { type FieldError, ValidationFailed } from "../../errors.ts";
import { redirectWithBanner } from "../../web/banner.ts";
import { parseForm, requiredVersion } from "../../web/forms.ts";
import type { RoutesOptions } from "../../web/modules.ts";
import { idParam } from "../../web/params.ts";
import { type FormField, type FormValues, fieldText, radioItems } from "../../web/record-form.ts";
import { ARCHIVED_HREF, failed, renderArchived } from "./measures.edit.shared.ts";
import { archiveMeasure, restoreMeasure, setMeasurePublic } from "./measures.edit.ts";
import { publicSchema } from "./measures.schemas.ts";
import { measurePage } from "./measures.service.ts";

/** A measure shown on the public pages or not, archived and restored, and the archived list. */
export const measureRecordRoutes: FastifyPluginAsync<RoutesOptions> = async (app, { services }) => {
  const db = services.db;

  // -------------------------------------------------------------------------------------------
  // Whether the measure is shown on the public pages

  async function renderPublicForm(
    reply: FastifyReply,
    id: number,
    values: FormValues,
    errors: FieldError[] = [],
  ) {
    const { measure } = await measurePage(db, id);
    const opened = errors.length > 0;
    return reply.code(opened ? 400 : 200).view("record-form.njk", {
      pageTitle: `${opened ? "Error: " : ""}Public pages: ${measure.title}`.slice(0, 200),
      caption: "Public pages",
      introLines: [
        "A public measure is shown on the council's public pages, which anyone can read without signing in, with its values, targets and ratings for published periods only. Nothing from a period that is not yet published is shown.",
        measure.isPublic
          ? "This measure is shown on the public pages now."
          : "This measure is not shown on the public pages now.",
      ],
      action: `/measures/${measure.id}/public`,
      version: opened ? fieldText(values, "version") : String(measure.version),
      fields: [
        {
          type: "radios",
          name: "public",
          label: "Show this measure on the public pages?",
          items: radioItems(opened ? values : { public: measure.isPublic ? "yes" : "no" }, "public", [
            ["yes", "Yes, with its figures for published periods"],
            ["no", "No"],
          ]),
        },
      ] satisfies FormField[],
      submitText: "Save",
      backText: "Back to the measure",
      backHref: `/measures/${measure.id}`,
      errors,
    });
  }

  app.get<{ Params: { id: string } }>("/measures/:id/public", async (request, reply) =>
    renderPublicForm(reply, idParam(request.params.id, "Measure"), {}),
  );

  app.post<{ Params: { id: string }; Body: FormValues }>("/measures/:id/public", async (request, reply) => {
    const id = idParam(request.params.id, "Measure");
    const body = request.body ?? {};
    try {
      const parsed = parseForm(publicSchema, body);
      if (!parsed.ok) {
        // A form without its version has no field of its own: the message goes beside the choice.
        throw new ValidationFailed(
          parsed.errors.map((error) => (error.field === "version" ? { ...error, field: "public" } : error)),
        );
      }
      const measure = await setMeasurePublic(db, request.actor, {
        id,
        version: parsed.value.version,
        isPublic: parsed.value.public === "yes",
      });
      return redirectWithBanner(
        reply,
        `/measures/${id}`,
        measure.isPublic
          ? `"${measure.title}" is shown on the public pages, with its figures for published periods.`
          : `"${measure.title}" is not shown on the public pages.`,
      );
    } catch (error) {
      return renderPublicForm(reply, id, body, failed(error));
    }
  });

  // -------------------------------------------------------------------------------------------
  // Archiving and restoring a measure

  app.get<{ Params: { id: string } }>("/measures/:id/archive", async (request, reply) => {
    const { measure } = await measurePage(db, idParam(request.params.id, "Measure"));
    return reply.view("record-archive.njk", {
      pageTitle: `Archive the measure "${measure.title}"`.slice(0, 200),
      noun: "measure",
      name: `the measure "${measure.title}"`,
      hidesChildren: false,
      action: `/measures/${measure.id}/archive`,
      version: String(measure.version),
      backText: "Back to the measure",
      backHref: `/measures/${measure.id}`,
      archivedHref: ARCHIVED_HREF,
      archivedText: "Archived measures",
    });
  });

  app.post<{ Params: { id: string }; Body: FormValues }>("/measures/:id/archive", async (request, reply) => {
    const id = idParam(request.params.id, "Measure");
    try {
      const measure = await archiveMeasure(db, request.actor, { id, version: requiredVersion(request.body) });
      return redirectWithBanner(
        reply,
        "/measures",
        `The measure "${measure.title}" was archived. It can be restored from Archived measures.`,
      );
    } catch (error) {
      return renderArchived(reply, db, failed(error));
    }
  });

  app.post<{ Params: { id: string }; Body: FormValues }>("/measures/:id/restore", async (request, reply) => {
    const id = idParam(request.params.id, "Measure");
    try {
      const measure = await restoreMeasure(db, request.actor, { id, version: requiredVersion(request.body) });
      return redirectWithBanner(reply, `/measures/${id}`, `The measure "${measure.title}" was restored.`);
    } catch (error) {
      return renderArchived(reply, db, failed(error));
    }
  });

  app.get("/measures/archived", async (_request, reply) => renderArchived(reply, db));
};
