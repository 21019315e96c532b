import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { rolesInWords } from "../domain/roles.ts";
import {
  BaseplanError,
  Conflict,
  NotOpenForEntry,
  NotTheOwner,
  PeriodLockedError,
  RoleRequired,
  ServiceUnavailable,
  SignInRequired,
  ValidationFailed,
} from "../errors.ts";
import { API_PATHS } from "./acting-person.ts";

interface ErrorPage {
  status: number;
  title: string;
  message: string;
}

/**
 * PostgreSQL's SQLSTATE for an error, from the driver's error or the query error wrapping it.
 * Classes 22 (data exception: a NUL byte, a number out of range, text that is not text) and 54
 * (a value too large for an index) mean the request carried a value no column holds: the person
 * is told so (400) and nothing was saved, instead of a 500. Validation at the edge refuses these
 * first with a field error; this is the net for any path it does not reach.
 */
function databaseValueError(error: unknown): boolean {
  for (let cause = error, depth = 0; cause && depth < 3; depth += 1) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === "string" && /^(22|54)[0-9A-Z]{3}$/.test(code)) return true;
    cause = (cause as { cause?: unknown }).cause;
  }
  return false;
}

/** What a person is told for errors that come from Fastify or its plugins rather than a service. */
function pageForFrameworkError(error: FastifyError): ErrorPage {
  const code = error.code ?? "";
  if (databaseValueError(error)) {
    return {
      status: 400,
      title: "There is a problem with the request",
      message:
        "Something in the request is a value Baseplan cannot hold, such as a character that is not text or a number too large. Nothing was saved. Go back, check what you entered and try again.",
    };
  }
  if (code.startsWith("FST_CSRF")) {
    return {
      status: 403,
      title: "Your form could not be sent",
      message:
        "The form was missing its security token or the token had expired. Nothing was saved. Go back, reload the page and try again.",
    };
  }
  if (code === "FST_ERR_CTP_BODY_TOO_LARGE") {
    return {
      status: 413,
      title: "What you sent is too large",
      message: "Nothing was saved. Send a smaller table or file, or split it into parts.",
    };
  }
  if (code === "FST_REQ_FILE_TOO_LARGE" || code === "FST_FILES_LIMIT" || code === "FST_PARTS_LIMIT") {
    return {
      status: 413,
      title: "The file is too large",
      message:
        "Files of up to 5 MB can be uploaded, one at a time. Nothing was read or saved. Split the table into smaller files and upload each.",
    };
  }
  if (code === "FST_ERR_CTP_INVALID_MEDIA_TYPE") {
    return {
      status: 415,
      title: "That kind of request is not accepted",
      message: "Forms must be sent as ordinary web forms. Nothing was saved.",
    };
  }
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return {
      status: error.statusCode,
      title: "There is a problem with the request",
      message: "The request could not be understood. Nothing was saved. Go back and try again.",
    };
  }
  return {
    status: 500,
    title: "Sorry, there is a problem with the service",
    message: "Nothing was saved. Try again later. If it keeps happening, tell your system administrator.",
  };
}

/**
 * An error for the JSON API as problem details (RFC 9457, `application/problem+json`): the
 * status, a title, what to do, and where a field is at fault its name, the value sent and why.
 */
export interface ApiProblem {
  type: "about:blank";
  status: number;
  title: string;
  detail: string;
  errors?: { field: string; value?: unknown; message: string }[];
  rolesNeeded?: string[];
}

function isApiRequest(request: FastifyRequest): boolean {
  return API_PATHS.test(request.url.split("?")[0] ?? "/");
}

function sendProblem(reply: FastifyReply, problem: Omit<ApiProblem, "type">) {
  return reply
    .code(problem.status)
    .type("application/problem+json; charset=utf-8")
    .send(JSON.stringify({ type: "about:blank", ...problem }));
}

/** The value a request sent for a field of its query string or path, for an error to name. */
function sentValue(request: FastifyRequest, context: string | undefined, field: string): unknown {
  const source =
    context === "params" ? request.params : context === "querystring" ? request.query : undefined;
  return source && typeof source === "object" ? (source as Record<string, unknown>)[field] : undefined;
}

function apiProblemFor(error: FastifyError, request: FastifyRequest): Omit<ApiProblem, "type"> {
  if (error instanceof RoleRequired) {
    return {
      status: 403,
      title: "You do not have permission to do this",
      detail: `This needs the role ${rolesInWords(error.roles)}. The token's person has ${error.hasNoRole ? "no role" : "other roles"}.`,
      rolesNeeded: [...error.roles],
    };
  }
  if (error instanceof SignInRequired) {
    return {
      status: 401,
      title: "An API token is needed",
      detail:
        "Send a valid API token in the Authorization header, as `Authorization: Bearer <token>`. The token was missing, unknown, expired or revoked, or its person is deactivated.",
    };
  }
  if (error instanceof ValidationFailed) {
    return {
      status: 400,
      title: "There is a problem with the request",
      detail: error.message,
      errors: error.errors.map((fault) => ({ field: fault.field, message: fault.message })),
    };
  }
  if (error.validation) {
    const errors = error.validation.map((fault) => {
      const path = fault.instancePath.replace(/^\//, "");
      const missing = (fault.params as { missingProperty?: string } | undefined)?.missingProperty;
      const field = path || missing || "";
      return {
        field,
        value: sentValue(request, error.validationContext, field),
        message: fault.message ?? "",
      };
    });
    return {
      status: 400,
      title: "There is a problem with the request",
      detail: errors.map((fault) => `${fault.field}: ${fault.message}`).join("; "),
      errors,
    };
  }
  if (error instanceof BaseplanError) {
    const statuses = { "not-found": 404, forbidden: 403, conflict: 409, unavailable: 503 } as const;
    const status = statuses[error.code as keyof typeof statuses] ?? 400;
    return { status, title: status === 404 ? "Not found" : "The request was refused", detail: error.message };
  }
  const page = pageForFrameworkError(error);
  if (error.code === "BASEPLAN_METHOD_NOT_ALLOWED") {
    return { status: 405, title: "That method is not accepted here", detail: error.message };
  }
  return { status: page.status, title: page.title, detail: page.message };
}

async function renderError(reply: FastifyReply, page: ErrorPage) {
  return reply.code(page.status).view("errors/error.njk", page);
}

/**
 * One place maps every error to a GOV.UK error page and status code. A person never sees a stack
 * trace; unexpected errors are logged in full for the administrator.
 */
export function setUpErrorHandling(app: FastifyInstance): void {
  app.setNotFoundHandler(async (request, reply) => {
    if (isApiRequest(request)) {
      return sendProblem(reply, {
        status: 404,
        title: "Not found",
        detail: `Nothing is at ${request.method} ${request.url.split("?")[0]}. The addresses are listed in /api/v1/openapi.json.`,
      });
    }
    return renderError(reply, {
      status: 404,
      title: "Page not found",
      message:
        "If you typed the web address, check it is correct. If you pasted it, check you copied all of it.",
    });
  });

  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    if (isApiRequest(request)) {
      const problem = apiProblemFor(error, request);
      if (problem.status === 401) reply.header("www-authenticate", 'Bearer realm="baseplan"');
      if (problem.status >= 500) request.log.error({ err: error }, "unexpected error");
      return sendProblem(reply, problem);
    }
    if (error instanceof Conflict) {
      return reply.code(409).view("errors/conflict.njk", { conflict: error });
    }
    if (error instanceof NotOpenForEntry) {
      return reply.code(409).view("errors/not-open.njk", { refusal: error });
    }
    if (error instanceof PeriodLockedError) {
      return reply.code(403).view("errors/locked.njk", { refusal: error });
    }
    if (error instanceof RoleRequired) {
      return reply.code(403).view("errors/forbidden.njk", {
        status: 403,
        title: "You do not have permission to do this",
        rolesNeeded: rolesInWords(error.roles),
        hasNoRole: error.hasNoRole,
      });
    }
    if (error instanceof NotTheOwner) {
      return renderError(reply, {
        status: 403,
        title: "This is not yours to update",
        message: error.message,
      });
    }
    if (error instanceof SignInRequired) {
      return reply.code(401).view("errors/forbidden.njk", {
        status: 401,
        title: "Sign in to do this",
        signIn: true,
      });
    }
    if (error instanceof ValidationFailed) {
      return reply.code(400).view("errors/error.njk", {
        status: 400,
        title: "There is a problem",
        message: error.message,
        errors: error.errors,
      });
    }
    if (error instanceof ServiceUnavailable) {
      if (error.retryAfterSeconds !== undefined) reply.header("retry-after", String(error.retryAfterSeconds));
      request.log.warn({ status: 503 }, error.message);
      return renderError(reply, { status: 503, title: error.title, message: error.message });
    }
    if (error instanceof BaseplanError) {
      const pages = {
        "not-found": { status: 404, title: "Page not found" },
        forbidden: { status: 403, title: "You do not have permission to do this" },
        "bad-request": { status: 400, title: "There is a problem with the request" },
      } as const;
      const page = pages[error.code as keyof typeof pages] ?? pages["bad-request"];
      return renderError(reply, { ...page, message: error.message });
    }
    const page = pageForFrameworkError(error);
    if (page.status >= 500) request.log.error({ err: error }, "unexpected error");
    else request.log.info({ code: error.code, status: page.status }, error.message);
    return renderError(reply, page);
  });
}
