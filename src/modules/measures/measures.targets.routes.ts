import type { FastifyPluginAsync, FastifyReply } from "fastify";
import { type FieldError, ValidationFailed } from "../../errors.ts";
import { redirectWithBanner } from "../../web/banner.ts";
import { MISSING_VERSION_MESSAGE, requiredVersion, validForm } from "../../web/forms.ts";
import type { RoutesOptions } from "../../web/modules.ts";
import { idParam } from "../../web/params.ts";
import { type FormField, type FormValues, fieldText } from "../../web/record-form.ts";
import { failed } from "./measures.edit.shared.ts";
import { enteredTargetFor, setTarget } from "./measures.edit.ts";
import { targetSetSchema } from "./measures.schemas.ts";
import { measurePage, periodKey } from "./measures.service.ts";

/** Setting a target for a period, shown before it replaces one already entered. */
export const targetSetRoutes: FastifyPluginAsync<RoutesOptions> = async (app, { services }) => {
  const db = services.db;

  // -------------------------------------------------------------------------------------------
  // Setting a target for a period

  async function renderTargetForm(
    reply: FastifyReply,
    measureId: number,
    values: FormValues,
    errors: FieldError[] = [],
  ) {
    const { measure } = await measurePage(db, measureId);
    const period = fieldText(values, "period").trim();
    const current = period === "" ? null : await enteredTargetFor(db, measureId, period);
    // What the form replaces is fixed when it is opened for a period, so a save after someone
    // else's is a conflict rather than an overwrite.
    const opened = typeof values.replacing === "string";
    const replacing = opened
      ? fieldText(values, "replacing")
      : current === null
        ? "none"
        : String(current.id);
    const version = opened ? fieldText(values, "version") : current === null ? "" : String(current.version);
    return reply.code(errors.length > 0 ? 400 : 200).view("record-form.njk", {
      pageTitle: `${errors.length > 0 ? "Error: " : ""}Set a target: ${measure.title}`.slice(0, 200),
      caption: "Targets",
      introLines: [
        current
          ? `The target entered for ${current.periodLabel} is "${current.targetText}". Saving replaces it; the earlier one is kept in the history.`
          : "A target set here sits beside any target a document gave for the same period; the measure page shows both.",
      ],
      action: `/measures/${measure.id}/targets/new`,
      hidden: [
        { name: "replacing", value: replacing },
        { name: "openedFor", value: opened ? fieldText(values, "openedFor") : period },
        ...(version === "" ? [] : [{ name: "version", value: version }]),
      ],
      fields: [
        {
          type: "text",
          name: "period",
          label: "Period",
          hint: "A financial year like 2024/25, a quarter like Q3 2024/25 or a month like December 2024",
          value: period,
          classes: "govuk-input--width-10",
        },
        {
          type: "text",
          name: "target",
          label: "Target",
          hint: "As the plan would write it, for example 95% or above, Less than 810, Between 10% and 12%, In line with national or Top quartile",
          value: fieldText(values, "target"),
        },
      ] satisfies FormField[],
      submitText: "Set the target",
      backText: "Back to the measure",
      backHref: `/measures/${measure.id}`,
      errors,
    });
  }

  app.get<{ Params: { id: string }; Querystring: { period?: string } }>(
    "/measures/:id/targets/new",
    async (request, reply) => {
      const measureId = idParam(request.params.id, "Measure");
      const period = typeof request.query.period === "string" ? request.query.period.slice(0, 60) : "";
      const current = period === "" ? null : await enteredTargetFor(db, measureId, period);
      return renderTargetForm(reply, measureId, { period, target: current?.targetText ?? "" });
    },
  );

  app.post<{ Params: { id: string }; Body: FormValues }>(
    "/measures/:id/targets/new",
    async (request, reply) => {
      const measureId = idParam(request.params.id, "Measure");
      const body = request.body ?? {};
      try {
        const form = validForm(targetSetSchema, body);
        let replacing: { id: number; version: number } | null;
        if (periodKey(fieldText(body, "openedFor")) !== periodKey(form.period)) {
          // The period was changed on the form: it cannot know what that period holds, so a target
          // already entered for it is shown before it is replaced.
          const current = await enteredTargetFor(db, measureId, form.period);
          if (current) {
            return await renderTargetForm(
              reply,
              measureId,
              {
                ...body,
                replacing: String(current.id),
                version: String(current.version),
                openedFor: form.period,
              },
              [
                {
                  field: "period",
                  message: `A target for ${current.periodLabel} is already entered: "${current.targetText}". Check it, then set the target again to replace it`,
                },
              ],
            );
          }
          replacing = null;
        } else {
          const replacingText = fieldText(body, "replacing");
          if (replacingText !== "none" && !/^\d{1,15}$/.test(replacingText)) {
            throw new ValidationFailed([{ field: "target", message: MISSING_VERSION_MESSAGE }]);
          }
          replacing =
            replacingText === "none"
              ? null
              : { id: Number(replacingText), version: requiredVersion(body, "target") };
        }
        const target = await setTarget(db, request.actor, { measureId, form, replacing });
        return redirectWithBanner(
          reply,
          `/measures/${measureId}`,
          `The ${target.periodLabel} target was set to "${target.targetText}".`,
        );
      } catch (error) {
        return renderTargetForm(reply, measureId, body, failed(error));
      }
    },
  );
};
