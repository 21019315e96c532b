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
