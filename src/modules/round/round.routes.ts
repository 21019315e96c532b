import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import type { MonitoringPeriod } from "../../domain/periods.ts";
import { type FieldError, NotFound, ValidationFailed } from "../../errors.ts";
import { redirectWithBanner } from "../../web/banner.ts";
import { missingVersion, parseForm } from "../../web/forms.ts";
import type { BaseplanModule, RoutesOptions } from "../../web/modules.ts";
import { idParam } from "../../web/params.ts";
import { periodParams } from "../periods/periods.schemas.ts";
import { changeRoundDueDate, periodPath } from "../periods/periods.service.ts";
import { readDateParts } from "../plan/plan.schemas.ts";
import { chooseDigest, digestPreference, periodReminders, sendReminders } from "./reminders.service.ts";
import {
  actOnItem,
  changeItemDueDate,
  myUpdates,
  periodRound,
  type RoundAction,
  type RoundKind,
  roundProgress,
} from "./round.service.ts";

const actionForm = z.object({
  version: z.coerce.number().int().min(0),
  comment: z.string().max(20_000).optional(),
  from: z.enum(["my-updates", "round"]).optional(),
});

const remindForm = z.object({});

const digestForm = z.object({
  digest: z.enum(["per-item", "daily"], { message: "Choose how you would like to be reminded" }),
});

/** "Sent 3 reminder emails", with what could not be sent and what has nobody to send to. */
function remindedWords(result: Awaited<ReturnType<typeof sendReminders>>): string {
  if (!result.configured) return "Email is not set up on this Baseplan, so no reminders were sent.";
  const sentences = [
    result.sent === 0 && result.failed === 0
      ? "No reminders were sent: everyone with outstanding updates has already been reminded today, or nothing is outstanding."
      : `Sent ${result.sent} reminder email${result.sent === 1 ? "" : "s"}.`,
  ];
  if (result.failed > 0) {
    sentences.push(
      `${result.failed} could not be sent: the reminders sent below say why, and the next reminder tries again.`,
    );
  }
  if (result.nobodyToEmail.length > 0) {
    sentences.push(
      `Nobody with an account owns ${result.nobodyToEmail.length === 1 ? "this item" : "these items"}, so nobody was reminded: ${result.nobodyToEmail.join("; ")}.`,
    );
  }
  return sentences.join(" ");
}

const dueForm = z.object({
  version: z.coerce.number().int().min(0),
});

/** The due date typed, or the message naming the field. */
function dueDateOf(body: Record<string, unknown>, field: string): { ok: true; value: string } | FieldError {
  // Each date on the round page is named after its own field (due-period-day, due-measure-4-day...).
  const date = readDateParts(body[`${field}-day`], body[`${field}-month`], body[`${field}-year`]);
  if (date.ok && date.value !== null) return { ok: true, value: date.value };
  return {
    field,
    message: date.ok ? "Enter the due date" : "The due date must be a real date, for example 14 10 2033",
  };
}

/** A due-date form's errors: text no field may hold, named by its field, and a missing version. */
function formErrors(errors: FieldError[], field: string): FieldError[] {
  return errors.map((error) => (error.field === "version" ? missingVersion(field) : error));
}

const DONE: Record<RoundAction, string> = {
  submit: "The update was submitted for review.",
  return: "The update was returned to its owner with your comment.",
  approve: "The update was approved.",
};

const routes: FastifyPluginAsync<RoutesOptions> = async (app, { services }) => {
  const db = services.db;

  async function renderMine(
    request: FastifyRequest,
    reply: FastifyReply,
    errors: FieldError[] = [],
    status = 200,
  ) {
    const mine = await myUpdates(db, request.actor);
    const digest = await digestPreference(db, request.actor);
    return reply.code(status).view("round/views/my-updates.njk", {
      pageTitle: "My updates",
      person: mine.person,
      periods: mine.periods,
      digest: digest ? "daily" : "per-item",
      emailSetUp: services.mailer !== undefined,
      errors,
    });
  }

  async function renderRound(
    reply: FastifyReply,
    period: MonitoringPeriod,
    extra: {
      errors?: FieldError[];
      comments?: Record<string, string>;
      dates?: Record<string, Record<string, unknown>>;
    } = {},
    status = 200,
  ) {
    const round = await periodRound(db, period);
    return reply.code(status).view("round/views/round.njk", {
      pageTitle: `The ${round.state.label} update round`,
      round,
      progress: roundProgress(round.items),
      reminders: await periodReminders(db, round.state),
      emailSetUp: services.mailer !== undefined,
      path: periodPath(period),
      errors: extra.errors ?? [],
      comments: extra.comments ?? {},
      dates: extra.dates ?? {},
    });
  }

  app.get("/my-updates", async (request, reply) => renderMine(request, reply));

  app.get("/periods/:year/:period/round", async (request, reply) =>
    renderRound(reply, periodParams(request.params)),
  );

  app.post("/my-updates/reminders", async (request, reply) => {
    const form = parseForm(digestForm, request.body);
    if (!form.ok) return renderMine(request, reply, form.errors, 400);
    await chooseDigest(db, request.actor, form.value.digest === "daily");
    return redirectWithBanner(
      reply,
      "/my-updates",
      form.value.digest === "daily"
        ? "You will get one email a day listing all your outstanding updates."
        : "You will get one email for each update that needs you.",
    );
  });

  app.post("/periods/:year/:period/round/remind", async (request, reply) => {
    const period = periodParams(request.params);
    const form = parseForm(remindForm, request.body);
    if (!form.ok) return renderRound(reply, period, { errors: form.errors }, 400);
    const result = await sendReminders(db, services.mailer, {
      actor: request.actor,
      run: "all-outstanding",
      daysBefore: services.config.reminderDaysBefore,
      period,
    });
    return redirectWithBanner(reply, `/periods/${periodPath(period)}/round`, remindedWords(result));
  });

  app.post("/periods/:year/:period/round/due-date", async (request, reply) => {
    const period = periodParams(request.params);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const form = parseForm(dueForm, body);
    const field = "due-period";
    const due = dueDateOf(body, field);
    const refuse = (errors: FieldError[]) =>
      renderRound(reply, period, { errors, dates: { [field]: body } }, 400);
    if (!form.ok) return refuse(formErrors(form.errors, field));
    if (!("ok" in due)) return refuse([due]);
    await changeRoundDueDate(db, request.actor, { period, version: form.value.version, dueOn: due.value });
    return redirectWithBanner(
      reply,
      `/periods/${periodPath(period)}/round`,
      "The round's due date was changed.",
    );
  });

  app.post<{ Params: { year: string; period: string; kind: string; id: string } }>(
    "/periods/:year/:period/round/:kind/:id/due-date",
    async (request, reply) => {
      const period = periodParams(request.params);
      const { kind } = request.params;
      if (kind !== "deliverable" && kind !== "measure") throw new NotFound("That update round item");
      const id = idParam(request.params.id, "That update round item");
      const body = (request.body ?? {}) as Record<string, unknown>;
      const form = parseForm(dueForm, body);
      const field = `due-${kind}-${id}`;
      const due = dueDateOf(body, field);
      const refuse = (errors: FieldError[]) =>
        renderRound(reply, period, { errors, dates: { [field]: body } }, 400);
      if (!form.ok) return refuse(formErrors(form.errors, field));
      if (!("ok" in due)) return refuse([due]);
      await changeItemDueDate(db, request.actor, {
        period,
        kind,
        id,
        version: form.value.version,
        dueOn: due.value,
      });
      return redirectWithBanner(
        reply,
        `/periods/${periodPath(period)}/round`,
        "The item's due date was changed.",
      );
    },
  );

  app.post<{ Params: { year: string; period: string; kind: string; id: string; action: string } }>(
    "/periods/:year/:period/round/:kind/:id/:action",
    async (request, reply) => {
      const period = periodParams(request.params);
      const { kind, action } = request.params;
      if (
        (kind !== "deliverable" && kind !== "measure") ||
        !["submit", "return", "approve"].includes(action)
      ) {
        throw new NotFound("That update round item");
      }
      const id = idParam(request.params.id, "That update round item");
      const form = parseForm(actionForm, request.body);
      const from = form.ok ? (form.value.from ?? "round") : "round";
      const fieldId = `comment-${kind}-${id}`;
      const refuse = (errors: FieldError[]) =>
        from === "my-updates"
          ? renderMine(request, reply, errors, 400)
          : renderRound(
              reply,
              period,
              {
                errors,
                comments: { [fieldId]: form.ok ? (form.value.comment ?? "") : "" },
              },
              400,
            );
      if (!form.ok) {
        return refuse([missingVersion("round")]);
      }
      try {
        await actOnItem(db, request.actor, action as RoundAction, {
          period,
          kind: kind as RoundKind,
          id,
          version: form.value.version,
          ...(form.value.comment !== undefined ? { comment: form.value.comment } : {}),
        });
      } catch (error) {
        if (error instanceof ValidationFailed) {
          return refuse(
            error.errors.map((field) => (field.field === "comment" ? { ...field, field: fieldId } : field)),
          );
        }
        throw error;
      }
      let emailed = "";
      if (action === "return" && services.mailer) {
        // The owner hears of the return at once, with the comment; the round page lists the email.
        const result = await sendReminders(db, services.mailer, {
          actor: request.actor,
          run: "daily",
          daysBefore: services.config.reminderDaysBefore,
          period,
          item: { kind: kind as RoundKind, id },
        });
        if (result.configured && result.sent > 0) emailed = " Its owner was emailed the comment.";
        else if (result.configured && result.failed > 0)
          emailed = " The email to its owner could not be sent: the reminders sent below say why.";
      }
      return redirectWithBanner(
        reply,
        from === "my-updates" ? "/my-updates" : `/periods/${periodPath(period)}/round`,
        `${DONE[action as RoundAction]}${emailed}`,
      );
    },
  );
};

export const roundModule: BaseplanModule = {
  name: "round",
  navigation: [{ href: "/my-updates", text: "My updates" }],
  routes,
};
