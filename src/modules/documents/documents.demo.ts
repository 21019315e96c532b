import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { DEMO_DIRECTORY, type DemoLoader } from "../../demo/demo-files.ts";
import { recordSourceDocument } from "./documents.service.ts";

const documentsFile = z.object({
  documents: z.array(
    z.object({
      slug: z.string().min(1),
      title: z.string().min(1),
      kind: z.string().min(1),
      publishedOn: z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}$/)
        .nullable(),
    }),
  ),
});

export const documentsDemoLoader: DemoLoader = {
  name: "documents",
  async load(db, actor) {
    const file = documentsFile.parse(
      JSON.parse(await readFile(join(DEMO_DIRECTORY, "documents.json"), "utf8")),
    );
    for (const document of file.documents) await recordSourceDocument(db, actor, document);
  },
};
