import type { FastifyPluginAsync, FastifyReply } from "fastify";
import type { FieldError } from "../../errors.ts";
import { redirectWithBanner } from "../../web/banner.ts";
import { requiredVersion, validForm } from "../../web/forms.ts";
import type { RoutesOptions } from "../../web/modules.ts";
import { idParam } from "../../web/params.ts";
import { type FormField, type FormValues, fieldText, radioItems } from "../../web/record-form.ts";
import { ARCHIVED_HREF, failed, GROUPS_HREF, renderArchived } from "./measures.edit.shared.ts";
import {
  addGroup,
  archiveGroup,
  currentGroups,
  findGroup,
  moveGroup,
  renameGroup,
  restoreGroup,
} from "./measures.edit.ts";
import { GROUP_KINDS, groupSchema, moveSchema } from "./measures.schemas.ts";

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

/** The measure groups: listed, added, renamed, moved, archived and restored. */
export const measureGroupRoutes: FastifyPluginAsync<RoutesOptions> = async (app, { services }) => {
  const db = services.db;

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
        return renderArchived(reply, db, failed(error));
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
        return renderArchived(reply, db, failed(error));
      }
    },
  );
};
