import "../demo/loaders.ts";
import assert from "node:assert/strict";
import { test } from "node:test";
import { everything } from "../../test/helpers/benchmark-files.ts";
import { buildCouncil } from "../../test/helpers/builders.ts";
import { describeOnBothDatabases, TEST_ACTOR } from "../../test/helpers/database.ts";
import { importBenchmarks } from "../modules/benchmarks/benchmarks.import.ts";
import { saveBenchmarkSettings, setMeasureLink } from "../modules/benchmarks/benchmarks.service.ts";
import { listRows, saveImport } from "../modules/measures/measures.service.ts";
import type { Block, Report } from "./model.ts";
import { renderDocx } from "./render-docx.ts";
import { renderStandaloneHtml } from "./render-html.ts";
import { buildServicePlanReport } from "./service-plan-report.ts";

const HEADER = "Indicator\tDescription\tLast quarter\tThis quarter\tTarget\tStatus";

function blocks(report: Report): Block[] {
  return report.sections.flatMap((section) => section.blocks);
}

describeOnBothDatabases("the service plan: benchmark targets judged by Baseplan", (fresh) => {
  test("a linked measure's benchmark targets are judged under its table; no cell the council wrote changes", async () => {
    const { db } = await fresh();
    const { planSlug } = await buildCouncil(db);
    await saveImport(db, TEST_ACTOR, {
      text: [
        HEADER,
        "W-1\tWidgets put right\t19.0%\t20.5%\ttop quartile\t",
        "W-2\tWidgets late\t4\t3\tTo remain lower than national average\t",
        "W-3\tWidgets counted\t40\t41\t45\t",
      ].join("\n"),
      document: planSlug,
      groupKind: "priority",
      groupTitle: "Widget measures",
      reportingPeriod: "Q4 2023/24",
    });
    const plain = await buildServicePlanReport(db, { plan: planSlug });
    const tablesOf = (report: Report) => blocks(report).filter((block) => block.kind === "table");
    assert.equal(tablesOf(plain).length, 1);
    assert.ok(!JSON.stringify(plain).includes("Baseplan's assessment"));

    assert.ok((await importBenchmarks(db, TEST_ACTOR, everything)).ok);
    await saveBenchmarkSettings(db, TEST_ACTOR, { dfeCode: "101", tolerance: "1" });
    const rows = await listRows(db);
    const idOf = (title: string) => rows.find((row) => row.titleAsWritten === title)?.measureId ?? 0;
    await setMeasureLink(db, TEST_ACTOR, idOf("Widgets put right"), { code: "WIDG", version: 0 });
    // Linked, but its target names no benchmark: nothing is added for it.
    await setMeasureLink(db, TEST_ACTOR, idOf("Widgets counted"), { code: "COUNT", version: 0 });

    const judged = await buildServicePlanReport(db, { plan: planSlug });
    const councils = (report: Report) =>
      tablesOf(report).filter((block) => !block.id.endsWith("benchmark-targets"));
    assert.deepEqual(councils(judged), tablesOf(plain), "the council's table is printed as it wrote it");
    const all = blocks(judged);
    const lead = all.findIndex(
      (block) =>
        block.kind === "paragraph" && block.text.startsWith("Baseplan's assessment of the benchmark targets"),
    );
    assert.ok(lead > 0, "a paragraph names the judgements as Baseplan's");
    const table = all[lead + 1];
    assert.ok(table?.kind === "table");
    // Alphaton (DfE code 101) published 18.9 for financial year 2023-24; the council's own 20.5%
    // sits below the top quartile of 18.9, 20.1, 20.1 and 25. "Widgets late" is not linked.
    assert.equal(table.rows.length, 1);
    const cells = table.rows[0]?.cells.map((cell) => cell.text) ?? [];
    assert.deepEqual(cells.slice(0, 3), ["Widgets put right", "top quartile", "Q4 2023/24"]);
    assert.match(
      cells[4] ?? "",
      /^.+ Judged against Widgets mended \(DfE, LAIT\), financial year 2023-24\.$/,
    );

    const html = renderStandaloneHtml(judged);
    assert.match(html, /Baseplan(&#39;|')s assessment of the benchmark targets/);
    assert.match(html, /Judged against Widgets mended \(DfE, LAIT\), financial year 2023-24\./);
    const docx = await renderDocx(judged);
    const { default: JSZip } = await import("jszip");
    const xml = await (await JSZip.loadAsync(docx)).file("word/document.xml")?.async("string");
    assert.match(xml ?? "", /Judged against Widgets mended \(DfE, LAIT\), financial year 2023-24\./);
  });
});
