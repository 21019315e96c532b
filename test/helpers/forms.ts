import assert from "node:assert/strict";
import type { FastifyInstance, LightMyRequestResponse } from "fastify";

/**
 * Opens a form page as a browser would and returns its CSRF token and cookie, so a test can
 * post the form the way a person submitting it would.
 */
export async function formSession(app: FastifyInstance, path: string) {
  const page = await app.inject({ method: "GET", url: path });
  const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
  const cookie = page.cookies.map((c) => `${c.name}=${c.value}`).join("; ");
  return { token, cookie, page };
}

/**
 * Posts `fields` to `url` as a browser would after opening `page`: with that page's CSRF token
 * and cookie (no version unless the fields carry one).
 */
export async function postForm(
  app: FastifyInstance,
  page: string,
  url: string,
  fields: Record<string, string>,
) {
  const { token, cookie } = await formSession(app, page);
  return app.inject({
    method: "POST",
    url,
    payload: new URLSearchParams({ _csrf: token ?? "", ...fields }).toString(),
    headers: { "content-type": "application/x-www-form-urlencoded", cookie },
  });
}

/** The hidden key, name and version fields of an entry form's rows, as the page sent them. */
export function hiddenRowFields(body: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const match of body.matchAll(
    /<input type="hidden" name="((?:key|name|version)-\d+)" value="([^"]*)"/g,
  )) {
    fields[match[1] ?? ""] = (match[2] ?? "").replace(/&amp;/g, "&");
  }
  return fields;
}

/** Opens `page` as the person signed in by `cookie` (from sessionCookieFor), expecting it to show. */
async function openAs(app: FastifyInstance, cookie: string, page: string) {
  const opened = await app.inject({ url: page, headers: { cookie } });
  assert.equal(opened.statusCode, 200, opened.body);
  return opened;
}

/** Posts the fields to `action` with a CSRF token and version, and the cookies the page set. */
function postAs(
  app: FastifyInstance,
  cookie: string,
  opened: LightMyRequestResponse,
  action: string,
  form: { token: string; version: string; fields: Record<string, string> },
) {
  const cookies = [cookie, ...opened.cookies.map((c) => `${c.name}=${c.value}`)].join("; ");
  return app.inject({
    method: "POST",
    url: action,
    payload: new URLSearchParams({ _csrf: form.token, version: form.version, ...form.fields }).toString(),
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookies },
  });
}

/**
 * Opens `page` as a signed-in person and posts its form to `action` with the fields given,
 * carrying the form's own CSRF token and version, as a browser would.
 */
export async function postPageForm(
  app: FastifyInstance,
  cookie: string,
  page: string,
  action: string,
  fields: Record<string, string>,
) {
  const opened = await openAs(app, cookie, page);
  const form =
    new RegExp(`<form method="post" action="${action}"[\\s\\S]*?</form>`).exec(opened.body)?.[0] ?? "";
  assert.ok(form, `${page} has a form to ${action}`);
  const token = /name="_csrf" value="([^"]+)"/.exec(form)?.[1] ?? "";
  const version = /name="version" value="(\d+)"/.exec(form)?.[1] ?? "";
  return postAs(app, cookie, opened, action, { token, version, fields });
}

/**
 * Posts to `action` as a signed-in person whom `page` shows no form to it: with the page's form
 * token (the sign-out form's) and its version, as a hand-made request would send them.
 */
export async function postWithoutPageForm(
  app: FastifyInstance,
  cookie: string,
  page: string,
  action: string,
  fields: Record<string, string>,
) {
  const opened = await openAs(app, cookie, page);
  assert.ok(!opened.body.includes(`action="${action}"`), `${page} shows no form to ${action}`);
  const token = /name="_csrf" value="([^"]+)"/.exec(opened.body)?.[1] ?? "";
  const version = /name="version" value="(\d+)"/.exec(opened.body)?.[1] ?? "1";
  return postAs(app, cookie, opened, action, { token, version, fields });
}

/** A multipart/form-data body with the given fields and, where given, one file in the field "file". */
export function multipart(fields: Record<string, string>, file: { name: string; bytes: Uint8Array } | null) {
  const boundary = "----baseplan-test-boundary";
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    );
  }
  if (file) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
      ),
      Buffer.from(file.bytes),
      Buffer.from("\r\n"),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}
