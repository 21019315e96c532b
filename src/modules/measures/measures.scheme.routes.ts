import type { FastifyPluginAsync, FastifyReply } from "fastify";
import {
  COLOUR_WORDS,
  OUTCOME_WORDS,
  OUTCOMES,
  SCHEME_COLOURS,
  SCHEME_KIND_WORDS,
  schemeKey,
  schemeWords,
} from "../../domain/rating-schemes.ts";
import { type FieldError, ValidationFailed } from "../../errors.ts";
import { redirectWithBanner } from "../../web/banner.ts";
import { parseForm } from "../../web/forms.ts";
import type { RoutesOptions } from "../../web/modules.ts";
import {
  changeRatingScheme,
  ratingSchemeSetting,
  schemeFormSchema,
  schemeFormValues,
} from "./measures.scheme.ts";

const PAGE = "/settings/ratings";

/** The form's fields as they were posted (text only), to show them again beside their errors. */
function postedValues(body: unknown): Record<string, string> {
  const posted = (body ?? {}) as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(posted).flatMap(([name, value]) => (typeof value === "string" ? [[name, value]] : [])),
  );
}

/** The council's rating scheme, chosen and changed by an administrator (decision 0036). */
export const ratingSchemeRoutes: FastifyPluginAsync<RoutesOptions> = async (app, { services }) => {
  const { db } = services;

  async function render(
    reply: FastifyReply,
    values: Record<string, string> | null,
    errors: FieldError[] = [],
  ) {
    const setting = await ratingSchemeSetting(db);
    const shown = values ?? schemeFormValues(setting);
    return reply.code(errors.length > 0 ? 400 : 200).view("measures/views/rating-scheme.njk", {
      pageTitle: "Rating scheme",
      key: schemeKey(setting.scheme),
      words: schemeWords(setting.scheme),
      values: shown,
      kinds: Object.entries(SCHEME_KIND_WORDS).map(([value, text]) => ({
        value,
        text,
        checked: shown.kind === value,
      })),
      outcomes: OUTCOMES.map((key) => ({
        key,
        words: OUTCOME_WORDS[key],
        colours: SCHEME_COLOURS.map((colour) => ({
          value: colour,
          text: COLOUR_WORDS[colour],
          selected: shown[`${key}-colour`] === colour,
        })),
      })),
      errors,
    });
  }

  app.get(PAGE, async (_request, reply) => render(reply, null));

  app.post(PAGE, async (request, reply) => {
    const values = postedValues(request.body);
    const form = parseForm(schemeFormSchema, request.body);
    if (!form.ok) {
      // A form without its version has no field of its own: the message goes beside the choice.
      const errors = form.errors.map((error) =>
        error.field === "version" ? { ...error, field: "kind" } : error,
      );
      return render(reply, values, errors);
    }
    try {
      await changeRatingScheme(db, request.actor, form.value);
    } catch (error) {
      if (error instanceof ValidationFailed) return render(reply, values, error.errors);
      throw error;
    }
    return redirectWithBanner(reply, PAGE, "The rating scheme was saved.");
  });
};
