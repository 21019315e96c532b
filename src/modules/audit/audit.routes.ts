import type { FastifyPluginAsync } from "fastify";
import type { BaseplanModule, RoutesOptions } from "../../web/modules.ts";
import { auditQueryString, readAuditQuery } from "./audit.schemas.ts";
import { AUDIT_CSV_LIMIT, auditCsv, auditFilterChoices, auditTrail } from "./audit.service.ts";

const VIEWS = "audit/views";

const routes: FastifyPluginAsync<RoutesOptions> = async (app, { services }) => {
  const { db } = services;

  app.get("/audit", async (request, reply) => {
    const query = readAuditQuery(request.query);
    const choices = await auditFilterChoices(db);
    const select = (options: { value: string; text: string }[], chosen: string, all: string) => [
      { value: "", text: all, selected: chosen === "" },
      ...options.map((option) => ({ ...option, selected: option.value === chosen })),
    ];
    const form = {
      values: query.values,
      people: select(
        choices.actors.map((actor) => ({ value: actor, text: actor })),
        query.values.person,
        "Everyone",
      ),
      kinds: select(choices.kinds, query.values.kind, "Every kind of record"),
      periods: select(choices.periods, query.values.period, "Any period"),
    };
    if (!query.ok) {
      return reply.code(400).view(`${VIEWS}/index.njk`, {
        pageTitle: "Error: History of changes",
        form,
        errors: query.errors,
      });
    }
    const trail = await auditTrail(db, query.filter, query.page);
    const pageHref = (page: number) => `/audit${auditQueryString(query.values, page)}`;
    return reply.view(`${VIEWS}/index.njk`, {
      pageTitle:
        trail.page > 1 ? `History of changes (page ${trail.page} of ${trail.pages})` : "History of changes",
      form,
      trail,
      filtered: auditQueryString(query.values) !== "",
      csvHref: `/audit.csv${auditQueryString(query.values)}`,
      csvLimit: AUDIT_CSV_LIMIT,
      csvLimitText: AUDIT_CSV_LIMIT.toLocaleString("en-GB"),
      first: trail.total === 0 ? 0 : (trail.page - 1) * trail.pageSize + 1,
      last: Math.min(trail.total, trail.page * trail.pageSize),
      pagination: {
        ...(trail.page > 1 ? { previous: { href: pageHref(trail.page - 1) } } : {}),
        ...(trail.page < trail.pages ? { next: { href: pageHref(trail.page + 1) } } : {}),
        items: pageNumbers(trail.page, trail.pages).map((number) =>
          number === null
            ? { ellipsis: true }
            : { number, href: pageHref(number), current: number === trail.page },
        ),
      },
    });
  });

  app.get("/audit.csv", async (request, reply) => {
    const query = readAuditQuery(request.query);
    if (!query.ok) {
      return reply
        .code(400)
        .type("text/plain; charset=utf-8")
        .send(`${query.errors.map((error) => error.message).join("\n")}\n`);
    }
    return reply
      .type("text/csv; charset=utf-8")
      .header("content-disposition", 'attachment; filename="history-of-changes.csv"')
      .send(await auditCsv(db, query.filter));
  });
};

/** The page numbers the pagination shows: the first, the last, and two either side of this one. */
export function pageNumbers(page: number, pages: number): (number | null)[] {
  const shown: (number | null)[] = [];
  for (let number = 1; number <= pages; number += 1) {
    if (number === 1 || number === pages || Math.abs(number - page) <= 2) shown.push(number);
    else if (shown.at(-1) !== null) shown.push(null);
  }
  return shown;
}

export const auditModule: BaseplanModule = {
  name: "audit",
  navigation: [{ href: "/audit", text: "History" }],
  routes,
};
