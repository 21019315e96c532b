import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import { ROLE_WORDS, ROLES } from "../../domain/roles.ts";
import { NotFound, ValidationFailed } from "../../errors.ts";
import { parseForm, requiredVersion } from "../../web/forms.ts";
import type { BaseplanModule, RoutesOptions } from "../../web/modules.ts";
import { idParam } from "../../web/params.ts";
import { accountRoutes } from "./accounts.routes.ts";
import * as apiTokens from "./api-tokens.service.ts";
import { addRoleForm, inviteForm } from "./people.schemas.ts";
import * as people from "./people.service.ts";

type Body = Record<string, string | string[] | undefined>;

const DONE_MESSAGES: Record<string, string> = {
  "role-added": "The role was given.",
  "role-removed": "The role was taken away.",
  deactivated: "The person was deactivated. They can no longer sign in; their history stays.",
  "token-revoked": "The API token was revoked. It no longer works.",
};

const TOKEN_STATE_WORDS: Record<apiTokens.ApiTokenState, string> = {
  active: "Works until",
  expired: "Expired",
  revoked: "Revoked",
};

const ROLE_ITEMS = ROLES.map((role) => ({
  value: role,
  text: ROLE_WORDS[role].name,
  hint: ROLE_WORDS[role].description,
}));

/** The council a signed-in administrator manages; the demo user (no session) sees every council. */
function councilScope(request: FastifyRequest): number | undefined {
  return request.acting.kind === "session" ? request.acting.person.councilId : undefined;
}

const dayFormat = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "long",
  year: "numeric",
  timeZone: "Europe/London",
});

function dateWords(date: Date): string {
  return dayFormat.format(date);
}

const routes: FastifyPluginAsync<RoutesOptions> = async (app, options) => {
  const { services } = options;
  const { db } = services;

  async function personInScope(request: FastifyRequest): Promise<people.Person> {
    const id = idParam((request.params as { id?: string }).id, "That person");
    const person = await people.findPerson(db, id);
    const scope = councilScope(request);
    if (!person || (scope !== undefined && person.councilId !== scope)) throw new NotFound("That person");
    return person;
  }

  async function places(request: FastifyRequest) {
    const scope = councilScope(request);
    const { councils, departments } = await people.rolePlaces(db);
    return {
      councils: councils.filter((council) => scope === undefined || council.id === scope),
      departments: departments.filter((department) => scope === undefined || department.councilId === scope),
    };
  }

  function departmentItems(
    departments: { id: number; councilId: number; name: string }[],
    councilCount: number,
    councilNames: Map<number, string>,
    selected: string,
  ) {
    return [
      { value: "", text: "Whole council", selected: selected === "" },
      ...departments.map((department) => ({
        value: String(department.id),
        text:
          councilCount > 1
            ? `${department.name} (${councilNames.get(department.councilId)})`
            : department.name,
        selected: selected === String(department.id),
      })),
    ];
  }

  async function renderInvite(
    request: FastifyRequest,
    reply: FastifyReply,
    values: Body = {},
    errors: unknown[] = [],
    status = 200,
  ) {
    const { councils, departments } = await places(request);
    const names = new Map(councils.map((council) => [council.id, council.name]));
    return reply.code(status).view("people/views/invite.njk", {
      pageTitle: "Invite a person",
      values,
      errors,
      roleItems: ROLE_ITEMS.map((item) => ({
        ...item,
        hint: { text: item.hint },
        checked: values.role === item.value,
      })),
      councilItems: councils.map((council) => ({
        value: String(council.id),
        text: council.name,
        selected: String(values.councilId ?? councils[0]?.id ?? "") === String(council.id),
      })),
      departmentItems: departmentItems(
        departments,
        councils.length,
        names,
        String(values.departmentId ?? ""),
      ),
    });
  }

  async function renderPerson(
    request: FastifyRequest,
    reply: FastifyReply,
    person: people.Person,
    extra: Record<string, unknown> = {},
    status = 200,
  ) {
    const { councils, departments } = await places(request);
    const names = new Map(councils.map((council) => [council.id, council.name]));
    const done = (request.query as Record<string, string | undefined>).done;
    const tokens = await apiTokens.listApiTokens(db, person.id);
    return reply.code(status).view("people/views/person.njk", {
      pageTitle: person.displayName,
      apiTokens: tokens.map((token) => ({
        ...token,
        stateWords:
          token.state === "active"
            ? `${TOKEN_STATE_WORDS.active} ${dateWords(token.expiresAt)}`
            : token.state === "revoked"
              ? `${TOKEN_STATE_WORDS.revoked} by ${token.revokedBy}`
              : `${TOKEN_STATE_WORDS.expired} ${dateWords(token.expiresAt)}`,
      })),
      tokenMaxDays: apiTokens.API_TOKEN_MAX_DAYS,
      values: {},
      person,
      statusWords: people.statusWords(person.status),
      success: done ? DONE_MESSAGES[done] : undefined,
      roleItems: ROLE_ITEMS.map((item) => ({ ...item, hint: { text: item.hint } })),
      departmentItems: departmentItems(
        departments.filter((department) => department.councilId === person.councilId),
        1,
        names,
        "",
      ),
      ...extra,
    });
  }

  app.get("/people", async (request, reply) => {
    const list = await people.listPeople(db, councilScope(request));
    return reply.view("people/views/index.njk", {
      pageTitle: "People",
      people: list.map((person) => ({ ...person, statusWords: people.statusWords(person.status) })),
    });
  });

  app.get("/people/invite", async (request, reply) => renderInvite(request, reply));

  app.post("/people/invite", async (request, reply) => {
    const body = (request.body ?? {}) as Body;
    const form = parseForm(inviteForm, body);
    if (!form.ok) return renderInvite(request, reply, body, form.errors, 400);
    const scope = councilScope(request);
    if (scope !== undefined && form.value.councilId !== scope) {
      return renderInvite(
        request,
        reply,
        body,
        [{ field: "councilId", message: "Select your own council" }],
        400,
      );
    }
    try {
      const invited = await people.invitePerson(db, request.actor, form.value, {
        invitationDays: services.config.invitationDays,
      });
      return reply.view("people/views/invited.njk", {
        pageTitle: `${invited.person.displayName} was invited`,
        person: invited.person,
        link: `${request.protocol}://${request.host}/invitation/${invited.token}`,
        expiresAt: invited.expiresAt,
      });
    } catch (error) {
      if (!(error instanceof ValidationFailed)) throw error;
      return renderInvite(request, reply, body, error.errors, 400);
    }
  });

  app.get("/people/:id", async (request, reply) =>
    renderPerson(request, reply, await personInScope(request)),
  );

  app.post("/people/:id/roles", async (request, reply) => {
    const person = await personInScope(request);
    const form = parseForm(addRoleForm, request.body);
    if (!form.ok) return renderPerson(request, reply, person, { errors: form.errors }, 400);
    try {
      await people.addRole(db, request.actor, { personId: person.id, ...form.value });
    } catch (error) {
      if (!(error instanceof ValidationFailed)) throw error;
      return renderPerson(request, reply, person, { errors: error.errors }, 400);
    }
    return reply.redirect(`/people/${person.id}?done=role-added`, 303);
  });

  app.post("/people/:id/roles/:membershipId/remove", async (request, reply) => {
    const person = await personInScope(request);
    const membershipId = idParam((request.params as { membershipId?: string }).membershipId, "That role");
    try {
      const version = requiredVersion(request.body);
      await people.removeRole(db, request.actor, { personId: person.id, version, membershipId });
    } catch (error) {
      if (!(error instanceof ValidationFailed)) throw error;
      return renderPerson(request, reply, person, { errors: error.errors }, 400);
    }
    return reply.redirect(`/people/${person.id}?done=role-removed`, 303);
  });

  app.post("/people/:id/deactivate", async (request, reply) => {
    const person = await personInScope(request);
    const body = (request.body ?? {}) as Body;
    try {
      const version = requiredVersion(body);
      if (body.confirm !== "yes") {
        throw new ValidationFailed([
          { field: "confirm", message: `Confirm that you want to deactivate ${person.displayName}` },
        ]);
      }
      await people.deactivatePerson(db, request.actor, { personId: person.id, version });
    } catch (error) {
      if (!(error instanceof ValidationFailed)) throw error;
      return renderPerson(request, reply, person, { errors: error.errors }, 400);
    }
    return reply.redirect(`/people/${person.id}?done=deactivated`, 303);
  });

  app.post("/people/:id/invitation", async (request, reply) => {
    const person = await personInScope(request);
    try {
      const version = requiredVersion(request.body);
      const invited = await people.reinvitePerson(
        db,
        request.actor,
        { personId: person.id, version },
        { invitationDays: services.config.invitationDays },
      );
      return reply.view("people/views/invited.njk", {
        pageTitle: `A new link for ${invited.person.displayName}`,
        person: invited.person,
        link: `${request.protocol}://${request.host}/invitation/${invited.token}`,
        expiresAt: invited.expiresAt,
        again: true,
      });
    } catch (error) {
      if (!(error instanceof ValidationFailed)) throw error;
      return renderPerson(request, reply, person, { errors: error.errors }, 400);
    }
  });

  app.post("/people/:id/api-tokens", async (request, reply) => {
    const person = await personInScope(request);
    const body = (request.body ?? {}) as Body;
    const name = typeof body.tokenName === "string" ? body.tokenName : "";
    const daysText = typeof body.tokenDays === "string" ? body.tokenDays.trim() : "";
    try {
      const days = /^[0-9]{1,4}$/.test(daysText) ? Number(daysText) : Number.NaN;
      const issued = await apiTokens.issueApiToken(db, request.actor, { personId: person.id, name, days });
      return reply.view("people/views/api-token-issued.njk", {
        pageTitle: `An API token for ${person.displayName}`,
        person,
        apiToken: issued.apiToken,
        token: issued.token,
      });
    } catch (error) {
      if (!(error instanceof ValidationFailed)) throw error;
      return renderPerson(request, reply, person, { errors: error.errors, values: body }, 400);
    }
  });

  app.post("/people/:id/api-tokens/:tokenId/revoke", async (request, reply) => {
    const person = await personInScope(request);
    const tokenId = idParam((request.params as { tokenId?: string }).tokenId, "That API token");
    await apiTokens.revokeApiToken(db, request.actor, { personId: person.id, tokenId });
    return reply.redirect(`/people/${person.id}?done=token-revoked`, 303);
  });

  await app.register(accountRoutes, options);
};

export const peopleModule: BaseplanModule = {
  name: "people",
  navigation: [{ href: "/people", text: "People" }],
  routes,
};
