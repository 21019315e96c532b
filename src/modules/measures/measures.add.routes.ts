import type { FastifyPluginAsync, FastifyReply } from "fastify";
import type { FieldError } from "../../errors.ts";
import { redirectWithBanner } from "../../web/banner.ts";
import { validForm } from "../../web/forms.ts";
import type { RoutesOptions } from "../../web/modules.ts";
import {
  type FormField,
  type FormValues,
  fieldText,
  radioItems,
  selectItems,
} from "../../web/record-form.ts";
import { failed } from "./measures.edit.shared.ts";
import { addMeasure, currentGroups } from "./measures.edit.ts";
import { newMeasureSchema, POLARITY_CHOICES, UNIT_CHOICES } from "./measures.schemas.ts";

function detailFields(values: FormValues): FormField[] {
  return [
    {
      type: "text",
      name: "title",
      label: "Title",
      hint: "As the documents write it.",
      value: fieldText(values, "title"),
    },
    {
      type: "text",
      name: "code",
      label: "Code (optional)",
      hint: "For example A10. No two measures share a code.",
      value: fieldText(values, "code"),
      classes: "govuk-input--width-10",
    },
    {
      type: "textarea",
      name: "definition",
      label: "Definition (optional)",
      value: fieldText(values, "definition"),
      rows: 3,
    },
    {
      type: "radios",
      name: "unit",
      label: "Unit",
      items: radioItems(
        values,
        "unit",
        UNIT_CHOICES.map((choice) => [choice.value, choice.text]),
      ),
    },
    {
      type: "text",
      name: "decimals",
      label: "Decimal places (optional)",
      hint: "How many decimals the values are written with, like 1 for 87.2%",
      value: fieldText(values, "decimals"),
      classes: "govuk-input--width-2",
      inputmode: "numeric",
    },
    {
      type: "radios",
      name: "polarity",
      label: "Which direction is good",
      items: radioItems(
        values,
        "polarity",
        POLARITY_CHOICES.map((choice) => [choice.value, choice.text]),
      ),
    },
    {
      type: "text",
      name: "frequency",
      label: "Frequency (optional)",
      hint: "For example annual, quarterly or monthly",
      value: fieldText(values, "frequency"),
      classes: "govuk-input--width-20",
    },
    {
      type: "text",
      name: "basis",
      label: "Period basis (optional)",
      hint: "For example financial-year, academic-year or rolling 12 months",
      value: fieldText(values, "basis"),
      classes: "govuk-input--width-20",
    },
    { type: "text", name: "source", label: "Source (optional)", value: fieldText(values, "source") },
    { type: "text", name: "owner", label: "Owner (optional)", value: fieldText(values, "owner") },
  ];
}

/** Adding a measure: its details and the group whose table lists it. */
export const addMeasureRoutes: FastifyPluginAsync<RoutesOptions> = async (app, { services }) => {
  const db = services.db;

  // -------------------------------------------------------------------------------------------
  // Adding a measure

  async function renderNewMeasure(reply: FastifyReply, values: FormValues, errors: FieldError[] = []) {
    const groups = await currentGroups(db);
    const fields: FormField[] = [
      ...detailFields(values),
      {
        type: "select",
        name: "groupId",
        label: "Listed under",
        hint:
          groups.length === 0
            ? "There are no measure groups yet: add one from Measure groups first."
            : "The group whose table lists the measure. It goes at the end of the table.",
        items: selectItems(values, "groupId", [
          ["", "Choose a group"],
          ...groups.map((group): [string, string] => [String(group.id), group.title]),
        ]),
      },
    ];
    return reply.code(errors.length > 0 ? 400 : 200).view("record-form.njk", {
      pageTitle: `${errors.length > 0 ? "Error: " : ""}Add a measure`,
      action: "/measures/new",
      fields,
      submitText: "Add the measure",
      backText: "Back to measures",
      backHref: "/measures",
      errors,
    });
  }

  app.get<{ Querystring: { group?: string } }>("/measures/new", async (request, reply) =>
    renderNewMeasure(reply, {
      unit: "percent",
      polarity: "higher-is-better",
      groupId: request.query.group ?? "",
    }),
  );

  app.post<{ Body: FormValues }>("/measures/new", async (request, reply) => {
    const body = request.body ?? {};
    try {
      const measure = await addMeasure(
        db,
        request.actor,
        validForm(newMeasureSchema, body),
        services.planLinks,
      );
      return redirectWithBanner(
        reply,
        `/measures/${measure.id}`,
        `The measure "${measure.title}" was added.`,
      );
    } catch (error) {
      return renderNewMeasure(reply, body, failed(error));
    }
  });
};
