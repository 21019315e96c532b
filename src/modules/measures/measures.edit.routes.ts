import type { FastifyPluginAsync, FastifyReply } from "fastify";
import { type FieldError, ValidationFailed } from "../../errors.ts";
import { redirectWithBanner } from "../../web/banner.ts";
import { MISSING_VERSION_MESSAGE, parseForm, requiredVersion, validForm } from "../../web/forms.ts";
import type { RoutesOptions } from "../../web/modules.ts";
import { idParam } from "../../web/params.ts";
import {
  type FormField,
  type FormValues,
  fieldText,
  radioItems,
  selectItems,
} from "../../web/record-form.ts";
import {
  addGroup,
  addMeasure,
  archivedMeasureItems,
  archiveGroup,
  archiveMeasure,
  combinableWith,
  combineMeasures,
  currentGroups,
  enteredTargetFor,
  findGroup,
  moveGroup,
  renameGroup,
  restoreGroup,
  restoreMeasure,
  setMeasurePublic,
  setTarget,
} from "./measures.edit.ts";
import {
  GROUP_KINDS,
  groupSchema,
  moveSchema,
  newMeasureSchema,
  POLARITY_CHOICES,
  publicSchema,
  targetSetSchema,
  UNIT_CHOICES,
} from "./measures.schemas.ts";
import { measurePage, periodKey } from "./measures.service.ts";

/**
 * The pages that add and archive measures, keep the measure groups, and set targets: the same
 * add-or-edit form, archive confirmation and version checks as editing the plan. HTTP and form
 * reading only: the rules are measures.edit.ts's.
 */

const GROUPS_HREF = "/measures/groups";
const ARCHIVED_HREF = "/measures/archived";

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

function groupFields(values: FormValues): FormField[] {
  return [
    {
      type: "text",
      name: "title",
      label: "Title",
      hint: "The priority, theme, outcome or report section the measures sit under",
      value: fieldText(values, "title"),
    },
    { type: "radios", name: "kind", label: "The group is", items: radioItems(values, "kind", GROUP_KINDS) },
  ];
}

function failed(error: unknown): FieldError[] {
  if (error instanceof ValidationFailed) return [...error.errors];
  throw error;
}

const routes: FastifyPluginAsync<RoutesOptions> = async (app, { services }) => {
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
      return renderArchived(reply, failed(error));
    }
  });

  app.post<{ Params: { id: string }; Body: FormValues }>("/measures/:id/restore", async (request, reply) => {
    const id = idParam(request.params.id, "Measure");
    try {
      const measure = await restoreMeasure(db, request.actor, { id, version: requiredVersion(request.body) });
      return redirectWithBanner(reply, `/measures/${id}`, `The measure "${measure.title}" was restored.`);
    } catch (error) {
      return renderArchived(reply, failed(error));
    }
  });

  async function renderArchived(reply: FastifyReply, errors: FieldError[] = []) {
    return reply.code(errors.length > 0 ? 400 : 200).view("measures/views/archived.njk", {
      pageTitle: `${errors.length > 0 ? "Error: " : ""}Archived measures`,
      ...(await archivedMeasureItems(db)),
      errors,
    });
  }

  app.get("/measures/archived", async (_request, reply) => renderArchived(reply));

  // -------------------------------------------------------------------------------------------
  // Measure groups

  async function renderGroups(reply: FastifyReply, errors: FieldError[] = []) {
    return reply.code(errors.length > 0 ? 400 : 200).view("measures/views/groups.njk", {
      pageTitle: `${errors.length > 0 ? "Error: " : ""}Measure groups`,
      groups: await currentGroups(db),
      kindWords: Object.fromEntries(GROUP_KINDS),
      errors,
    });
  }

  app.get(GROUPS_HREF, async (_request, reply) => renderGroups(reply));

  async function renderGroupForm(
    reply: FastifyReply,
    id: number | null,
    values: FormValues,
    errors: FieldError[] = [],
  ) {
    const group = id === null ? null : await findGroup(db, id);
    return reply.code(errors.length > 0 ? 400 : 200).view("record-form.njk", {
      pageTitle:
        `${errors.length > 0 ? "Error: " : ""}${group ? `Change the measure group "${group.title}"` : "Add a measure group"}`.slice(
          0,
          200,
        ),
      caption: group?.archivedAt ? "Archived: restore it to change it" : null,
      action: group ? `${GROUPS_HREF}/${group.id}` : `${GROUPS_HREF}/new`,
      version: group ? (typeof values.version === "string" ? values.version : String(group.version)) : null,
      fields: groupFields(values),
      submitText: group ? "Save changes" : "Add the group",
      backText: "Back to measure groups",
      backHref: GROUPS_HREF,
      errors,
    });
  }

  app.get(`${GROUPS_HREF}/new`, async (_request, reply) =>
    renderGroupForm(reply, null, { kind: "priority" }),
  );

  app.post<{ Body: FormValues }>(`${GROUPS_HREF}/new`, async (request, reply) => {
    const body = request.body ?? {};
    try {
      const group = await addGroup(db, request.actor, validForm(groupSchema, body));
      return redirectWithBanner(
        reply,
        `${GROUPS_HREF}#group-${group.id}`,
        `The group "${group.title}" was added.`,
      );
    } catch (error) {
      return renderGroupForm(reply, null, body, failed(error));
    }
  });

  app.get<{ Params: { id: string } }>(`${GROUPS_HREF}/:id`, async (request, reply) => {
    const group = await findGroup(db, idParam(request.params.id, "Measure group"));
    return renderGroupForm(reply, group.id, { title: group.title, kind: group.kind });
  });

  app.post<{ Params: { id: string }; Body: FormValues }>(`${GROUPS_HREF}/:id`, async (request, reply) => {
    const id = idParam(request.params.id, "Measure group");
    const body = request.body ?? {};
    try {
      const form = validForm(groupSchema, body);
      const group = await renameGroup(db, request.actor, {
        id,
        version: requiredVersion(body, "title"),
        form,
      });
      return redirectWithBanner(reply, `${GROUPS_HREF}#group-${id}`, `The group "${group.title}" was saved.`);
    } catch (error) {
      return renderGroupForm(reply, id, body, failed(error));
    }
  });

  app.post<{ Params: { id: string }; Body: FormValues }>(
    `${GROUPS_HREF}/:id/move`,
    async (request, reply) => {
      const id = idParam(request.params.id, "Measure group");
      const body = request.body ?? {};
      try {
        const { direction } = validForm(moveSchema, body);
        await moveGroup(db, request.actor, { id, version: requiredVersion(body), direction });
        const group = await findGroup(db, id);
        return redirectWithBanner(
          reply,
          `${GROUPS_HREF}#group-${id}`,
          `The group "${group.title}" was moved ${direction}.`,
        );
      } catch (error) {
        return renderGroups(
          reply,
          failed(error).map((problem) => ({ ...problem, field: `group-${id}` })),
        );
      }
    },
  );

  app.get<{ Params: { id: string } }>(`${GROUPS_HREF}/:id/archive`, async (request, reply) => {
    const group = await findGroup(db, idParam(request.params.id, "Measure group"));
    return reply.view("record-archive.njk", {
      pageTitle: `Archive the measure group "${group.title}"`.slice(0, 200),
      noun: "measure group",
      name: `the measure group "${group.title}"`,
      hidesChildren: true,
      action: `${GROUPS_HREF}/${group.id}/archive`,
      version: String(group.version),
      backText: "Back to measure groups",
      backHref: GROUPS_HREF,
      archivedHref: ARCHIVED_HREF,
      archivedText: "Archived measures",
    });
  });

  app.post<{ Params: { id: string }; Body: FormValues }>(
    `${GROUPS_HREF}/:id/archive`,
    async (request, reply) => {
      const id = idParam(request.params.id, "Measure group");
      try {
        const group = await archiveGroup(db, request.actor, { id, version: requiredVersion(request.body) });
        return redirectWithBanner(
          reply,
          GROUPS_HREF,
          `The group "${group.title}" was archived. It can be restored from Archived measures.`,
        );
      } catch (error) {
        return renderArchived(reply, failed(error));
      }
    },
  );

  app.post<{ Params: { id: string }; Body: FormValues }>(
    `${GROUPS_HREF}/:id/restore`,
    async (request, reply) => {
      const id = idParam(request.params.id, "Measure group");
      try {
        const group = await restoreGroup(db, request.actor, { id, version: requiredVersion(request.body) });
        return redirectWithBanner(
          reply,
          `${GROUPS_HREF}#group-${id}`,
          `The group "${group.title}" was restored.`,
        );
      } catch (error) {
        return renderArchived(reply, failed(error));
      }
    },
  );

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

export const measureEditRoutes = routes;
