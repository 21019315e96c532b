import {
  AlignmentType,
  Document,
  Footer,
  HeadingLevel,
  ImageRun,
  Packer,
  PageNumber,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableOfContents,
  TableRow,
  TextRun,
  WidthType,
} from "docx";
import { chartPng } from "./charts.ts";
import type { Block, Report, TableCell as ReportCell, TableBlock } from "./model.ts";
import { RATING_FILLS } from "./rating-key.ts";

/** A4 in twentieths of a point, with 2 cm margins: the committee system's paper. */
const A4 = { width: 11906, height: 16838, margin: 1134 };

function cellParagraph(cell: ReportCell, numeric: boolean, bold = false): Paragraph {
  return new Paragraph({
    alignment: numeric ? AlignmentType.RIGHT : AlignmentType.LEFT,
    children: [new TextRun({ text: cell.text, bold })],
  });
}

function wordTable(table: TableBlock): (Paragraph | Table)[] {
  const numeric = table.columns.map((column) => column.format !== "text" && column.format !== "rating");
  const header = new TableRow({
    tableHeader: true, // repeats at the top of each page
    cantSplit: true,
    children: table.columns.map(
      (column, index) =>
        new TableCell({
          shading: { type: ShadingType.CLEAR, color: "auto", fill: "F3F2F1" },
          children: [cellParagraph({ text: column.heading }, numeric[index] ?? false, true)],
        }),
    ),
  });
  const bodyRow = (cells: ReportCell[], bold: boolean, heading?: boolean) =>
    new TableRow({
      cantSplit: true,
      children: heading
        ? [
            new TableCell({
              columnSpan: table.columns.length,
              children: [cellParagraph(cells[0] ?? { text: "" }, false, true)],
            }),
          ]
        : cells.map(
            (cell, index) =>
              new TableCell({
                ...(cell.rating
                  ? { shading: { type: ShadingType.CLEAR, color: "auto", fill: RATING_FILLS[cell.rating] } }
                  : {}),
                children: [cellParagraph(cell, numeric[index] ?? false, bold)],
              }),
          ),
    });
  const rows = [
    header,
    ...table.rows.map((row) => bodyRow(row.cells, false, row.heading)),
    ...(table.totals ?? []).map((row) => bodyRow(row.cells, true)),
  ];
  return [
    new Paragraph({ text: table.caption, style: "Caption" }),
    new Table({ rows, width: { size: 100, type: WidthType.PERCENTAGE } }),
    ...(table.notes ?? []).map(
      (note) => new Paragraph({ children: [new TextRun({ text: note, size: 18 })] }),
    ),
    new Paragraph({ text: "" }),
  ];
}

function wordBlocks(block: Block): (Paragraph | Table)[] {
  switch (block.kind) {
    case "subheading":
      return [new Paragraph({ text: block.text, heading: HeadingLevel.HEADING_3 })];
    case "paragraph":
      return [new Paragraph({ children: [new TextRun({ text: block.text, bold: block.warning ?? false })] })];
    case "list":
      return block.items.map((item) => new Paragraph({ text: item, bullet: { level: 0 } }));
    case "table":
      return wordTable(block);
    case "key":
      return [new Paragraph({ text: `Key: ${block.items.map((item) => item.label).join("; ")}` })];
    case "chart":
      return [
        new Paragraph({ text: block.title, heading: HeadingLevel.HEADING_3 }),
        new Paragraph({
          children: [
            new ImageRun({
              type: "png",
              data: chartPng(block),
              transformation: { width: 600, height: Math.round(600 * ((50 + 26 * block.bars.length) / 720)) },
              altText: { title: block.title, description: block.description, name: block.id },
            }),
          ],
        }),
        new Paragraph({ text: block.description }),
        ...wordTable(block.table),
      ];
  }
}

/**
 * Word for the committee system: real heading styles (so the navigation pane and the table of
 * contents work), real tables whose header rows repeat on each page and whose rows never split,
 * charts as images with alternative text, A4, page numbers.
 */
export async function renderDocx(report: Report): Promise<Buffer> {
  const children: (Paragraph | Table | TableOfContents)[] = [
    new Paragraph({ text: report.title, heading: HeadingLevel.TITLE }),
    ...(report.subtitle ? [new Paragraph({ text: report.subtitle, heading: HeadingLevel.HEADING_2 })] : []),
    ...report.meta.map((line) => new Paragraph({ text: line })),
    new TableOfContents("Contents", { hyperlink: true, headingStyleRange: "1-2" }),
  ];
  for (const section of report.sections) {
    children.push(new Paragraph({ text: section.title, heading: HeadingLevel.HEADING_1 }));
    for (const block of section.blocks) children.push(...wordBlocks(block));
  }
  const document = new Document({
    title: report.title,
    creator: "Baseplan",
    features: { updateFields: true },
    styles: { default: { document: { run: { font: "Arial", size: 22 } } } },
    sections: [
      {
        properties: {
          page: {
            size: { width: A4.width, height: A4.height },
            margin: { top: A4.margin, bottom: A4.margin, left: A4.margin, right: A4.margin },
          },
        },
        footers: {
          default: new Footer({
            children: [
              new Paragraph({
                alignment: AlignmentType.CENTER,
                children: [
                  new TextRun({ children: ["Page ", PageNumber.CURRENT, " of ", PageNumber.TOTAL_PAGES] }),
                ],
              }),
            ],
          }),
        },
        children,
      },
    ],
  });
  return Packer.toBuffer(document);
}
