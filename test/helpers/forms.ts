import assert from "node:assert/strict";
import type { FastifyInstance } from "fastify";

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
 * Opens `page` as the person signed in by `cookie` (sessionCookieFor) and posts its form to
 * `action` with the fields given, carrying the form's own CSRF token and version as a browser would.
 */
export async function postPageForm(
  app: FastifyInstance,
  cookie: string,
  page: string,
  action: string,
  fields: Record<string, string>,
) {
  const opened = await app.inject({ url: page, headers: { cookie } });
  assert.equal(opened.statusCode, 200, opened.body);
  const form =
    new RegExp(`<form method="post" action="${action}"[\\s\\S]*?</form>`).exec(opened.body)?.[0] ?? "";
  assert.ok(form, `${page} has a form to ${action}`);
  const token = /name="_csrf" value="([^"]+)"/.exec(form)?.[1] ?? "";
  const version = /name="version" value="(\d+)"/.exec(form)?.[1] ?? "";
  const cookies = [cookie, ...opened.cookies.map((c) => `${c.name}=${c.value}`)].join("; ");
  return app.inject({
    method: "POST",
    url: action,
    payload: new URLSearchParams({ _csrf: token, version, ...fields }).toString(),
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookies },
  });
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
