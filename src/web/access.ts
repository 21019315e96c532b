import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { meets, type Requirement, ROLES, type Role, requirementFor } from "../domain/roles.ts";
import { RoleRequired, SignInRequired } from "../errors.ts";
import { API_PATHS } from "./acting-person.ts";
import type { NavigationItem } from "./views.ts";

/** The roles a request holds: every role for the configured demo user, none for nobody. */
function heldRoles(request: { acting: { kind: string; person?: { roles: Role[] } } }): readonly Role[] {
  if (request.acting.kind === "configured") return ROLES;
  return request.acting.person?.roles ?? [];
}

/**
 * The one place every request's roles are checked, before any route runs (so a new route is
 * covered without being listed): the rule is `requirementFor` in src/domain/roles.ts, by method
 * and address. Nobody signed in: a page redirects to /sign-in, a form is refused (401), and so
 * is a JSON API request without a valid token. Signed in (or holding a token) without the role:
 * 403, naming the roles that may, and nothing changed.
 */
export function setUpAccess(app: FastifyInstance): void {
  app.addHook("onRequest", async (request, reply) => {
    const held = heldRoles(request);
    showWhatThisPersonMayOpen(reply, held, request.acting);
    const path = request.url.split("?")[0] ?? "/";
    const requirement: Requirement = requirementFor(request.method, path);
    if (requirement === "public") return;
    if (request.acting.kind === "nobody") {
      if ((request.method === "GET" || request.method === "HEAD") && !API_PATHS.test(path)) {
        const next = path === "/" ? "" : `?next=${encodeURIComponent(request.url)}`;
        return reply.redirect(`/sign-in${next}`, 303);
      }
      throw new SignInRequired();
    }
    if (meets(requirement, held)) return;
    throw new RoleRequired(requirement as readonly Role[], held.length === 0);
  });
}

/**
 * Whether the person making this request may send `method` to `path` by the one role rule: for
 * pages that show a form only to people whose roles can use it (the rest read what it did).
 */
export function mayUse(request: FastifyRequest, method: string, path: string): boolean {
  return meets(requirementFor(method, path), heldRoles(request));
}

/**
 * The service navigation lists only the pages this person may open, and the header says who is
 * signed in: set before the check, so the page refusing a request has them too.
 */
function showWhatThisPersonMayOpen(
  reply: FastifyReply,
  held: readonly Role[],
  acting: FastifyRequest["acting"],
): void {
  const navigation = reply.locals?.navigation as NavigationItem[] | undefined;
  if (!navigation) return;
  reply.locals = {
    ...reply.locals,
    navigation: navigation.filter((item) => meets(requirementFor("GET", item.href), held)),
    signedIn: acting.kind === "session" ? { displayName: acting.person.displayName } : null,
  };
}
