import multipart from "@fastify/multipart";
import type { FastifyInstance } from "fastify";

/** The largest file a form may send; a larger one is refused (413) before it is read. */
export const UPLOAD_LIMIT_BYTES = 5 * 1024 * 1024;

/** An uploaded file as a route receives it in the form's body. */
export interface UploadedFile {
  filename: string;
  mimetype: string;
  bytes: Buffer;
}

/**
 * File upload forms (multipart/form-data): the fields arrive in the body as plain values, as an
 * ordinary form's do (so the CSRF check reads its token the same way), and each file as an
 * `UploadedFile`. One file per request, at most UPLOAD_LIMIT_BYTES: a request that says it is
 * larger is refused before its body is read, and one that turns out larger is cut off at the
 * limit and refused.
 */
export async function setUpUploads(app: FastifyInstance): Promise<void> {
  await app.register(multipart, {
    attachFieldsToBody: "keyValues",
    limits: { fileSize: UPLOAD_LIMIT_BYTES, files: 1, fields: 20, fieldSize: 1024 * 1024, parts: 24 },
    async onFile(part) {
      const bytes = await part.toBuffer();
      const file: UploadedFile = { filename: part.filename, mimetype: part.mimetype, bytes };
      (part as unknown as { value: UploadedFile }).value = file;
    },
  });
  app.addHook("onRequest", async (request) => {
    if (!request.headers["content-type"]?.startsWith("multipart/form-data")) return;
    const length = Number(request.headers["content-length"] ?? "0");
    // The form's other fields and the multipart framing take a little more than the file.
    if (length > UPLOAD_LIMIT_BYTES + 256 * 1024) {
      const error = new Error("The file is too large") as Error & { statusCode: number; code: string };
      error.statusCode = 413;
      error.code = "FST_REQ_FILE_TOO_LARGE";
      throw error;
    }
  });
}

/** The uploaded file in a form field, or null where none was chosen. */
export function uploadedFile(value: unknown): UploadedFile | null {
  if (value === null || typeof value !== "object") return null;
  const file = value as Partial<UploadedFile>;
  if (typeof file.filename !== "string" || !Buffer.isBuffer(file.bytes)) return null;
  if (file.filename === "" && file.bytes.length === 0) return null;
  return file as UploadedFile;
}
