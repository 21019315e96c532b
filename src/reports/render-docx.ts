import {
  AlignmentType,
  Bookmark,
  Document,
  Footer,
  HeadingLevel,
  ImageRun,
  InternalHyperlink,
  LevelFormat,
  Packer,
  PageNumber,
  PageOrientation,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  WidthType,
} from "docx";
import { chartPng, chartSize, linePieces, timelinePieces } from "../charts/charts.ts";
import { RATING_FILLS } from "../domain/rating-key.ts";
import { columnWidths } from "./column-widths.ts";
import {
  type Block,
  type ChartBlock,
  CONTENTS_NOTE,
  headingDepth,
  type Report,
  type TableCell as ReportCell,
  type ReportSection,
  type TableBlock,
} from "./model.ts";

/** A4 in twentieths of a point, with 2 cm margins: the committee system's paper. */
const A4 = { width: 11906, height: 16838, margin: 1134 };

/** The width between the margins: portrait A4, or landscape A4 for a wide section. */
const textWidth = (landscape: boolean) => (landscape ? A4.height : A4.width) - 2 * A4.margin;

/**
 * A table of many figure columns (the approved budget's twelve) is set in 8 point with narrow
 * cell margins, so "89,524,176" fits its column on one line; other tables in 9 point.
 */
const isWide = (table: TableBlock) =>
  table.columns.filter((column) => column.format !== "text" && column.format !== "rating").length > 6;

/** A bullet in a table cell, indented a little, not the body text's half inch. */
const BULLET_INDENT = { left: 220, hanging: 180 };

/**
 * One bullet for every list and cell, at every depth: a deeper item is set in further, not given
 * another glyph (Word's own list style draws ●, ○ and ■ by depth, and the plans' text used •).
 */
const BULLETS = "bullets";
const BULLET_LEVELS = [0, 1, 2].map((level) => ({
  level,
  format: LevelFormat.BULLET,
  text: "•",
  alignment: AlignmentType.LEFT,
  style: {
    paragraph: { indent: { left: 720 * (level + 1), hanging: 360 } },
    run: { font: "Arial" },
  },
}));
const bullet = (level = 0) => ({ numbering: { reference: BULLETS, level: Math.min(level, 2) } });

function cellParagraph(cell: ReportCell, numeric: boolean, bold = false, size = 18): Paragraph {
  return new Paragraph({
    alignment: numeric ? AlignmentType.RIGHT : AlignmentType.LEFT,
    // 9 point in tables, so headings like "Controllable Budget £m" break between words.
    children: [new TextRun({ text: cell.text, bold, size })],
  });
}

/**
 * A cell of several lines is a paragraph (or bullet) each, a lead-in line before its bullets
 * not one; any other cell one paragraph.
 */
function cellParagraphs(cell: ReportCell, numeric: boolean, bold = false, size = 18): Paragraph[] {
  if (!cell.lines || cell.lines.length === 0) return [cellParagraph(cell, numeric, bold, size)];
  return cell.lines.map(
    (line, index) =>
      new Paragraph({
        ...(cell.bullets && !(cell.lead && index === 0) ? { ...bullet(), indent: BULLET_INDENT } : {}),
        spacing: { after: 40 },
        children: [new TextRun({ text: line, bold, size })],
      }),
  );
}

function wordTable(table: TableBlock, landscape: boolean): (Paragraph | Table)[] {
  const numeric = table.columns.map((column) => column.format !== "text" && column.format !== "rating");
  const size = isWide(table) ? 16 : 18;
  const widths = columnWidths(table, textWidth(landscape), {
    em: size * 10, // size is in half-points; an em is 20 twips a point
    padding: isWide(table) ? 100 : 230,
    bulletIndent: BULLET_INDENT.left,
  });
  const width = (index: number) => ({ size: widths[index] ?? 0, type: WidthType.DXA });
  const header = new TableRow({
    tableHeader: true, // repeats at the top of each page
    cantSplit: true,
    children: table.columns.map(
      (column, index) =>
        new TableCell({
          width: width(index),
          shading: { type: ShadingType.CLEAR, color: "auto", fill: "F3F2F1" },
          children: [cellParagraph({ text: column.heading }, numeric[index] ?? false, true, size)],
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
                width: width(index),
                ...(cell.rating
                  ? { shading: { type: ShadingType.CLEAR, color: "auto", fill: RATING_FILLS[cell.rating] } }
                  : {}),
                children: cellParagraphs(cell, numeric[index] ?? false, bold, size),
              }),
          ),
    });
  const rows = [
    header,
    ...table.rows.map((row) => bodyRow(row.cells, false, row.heading)),
    ...(table.totals ?? []).map((row) => bodyRow(row.cells, true)),
  ];
  return [
    new Paragraph({ text: table.caption, style: "Caption", keepNext: true }),
    new Table({
      rows,
      columnWidths: widths,
      layout: TableLayoutType.FIXED,
      width: { size: textWidth(landscape), type: WidthType.DXA },
      ...(isWide(table) ? { margins: { left: 50, right: 50 } } : {}),
    }),
    ...(table.notes ?? []).map(
      (note) => new Paragraph({ children: [new TextRun({ text: note, size: 18 })] }),
    ),
    new Paragraph({ text: "" }),
  ];
}

const WORD_HEADINGS = [
  HeadingLevel.HEADING_1,
  HeadingLevel.HEADING_2,
  HeadingLevel.HEADING_3,
  HeadingLevel.HEADING_4,
] as const;
const wordHeading = (depth: number) => WORD_HEADINGS[Math.min(depth, WORD_HEADINGS.length) - 1];

function wordBlocks(block: Block, section: ReportSection, landscape: boolean): (Paragraph | Table)[] {
  switch (block.kind) {
    case "subheading":
      return [
        new Paragraph({
          text: block.text,
          // One level below its section's heading: none skipped in the navigation pane.
          heading: wordHeading(headingDepth(section, block)),
          // Kept whole, and on the page of what follows it.
          keepNext: true,
          keepLines: true,
        }),
      ];
    case "paragraph":
      // Space after each paragraph, as a committee report is set.
      return [
        new Paragraph({
          spacing: { after: 120 },
          children: [new TextRun({ text: block.text, bold: block.warning ?? false })],
        }),
      ];
    case "list":
      return block.items.map(
        (item, index) =>
          new Paragraph({ text: item, ...bullet(block.levels?.[index]), spacing: { after: 80 } }),
      );
    case "table":
      return wordTable(block, landscape);
    case "key":
      // Each rating's word on its colour, so the key reads without the colour too.
      return [
        new Paragraph({
          children: [
            ...(block.items.length > 1 ? [new TextRun({ text: "Key: " })] : []),
            ...block.items.flatMap((item, index) => [
              ...(index > 0 ? [new TextRun({ text: "  " })] : []),
              new TextRun({
                text: ` ${item.label} `,
                bold: true,
                shading: { type: ShadingType.CLEAR, color: "auto", fill: RATING_FILLS[item.rating] },
              }),
            ]),
          ],
        }),
      ];
    case "chart": {
      const size = chartSize(block);
      // Pixels at 96 dpi across the text width (642 portrait), a little narrower; a tall chart
      // is kept within a page's height instead, except a timeline (a long Base Plan), which keeps
      // its width and is cut into page-high pieces, each with the months across its top.
      const across = Math.round((textWidth(landscape) / 1440) * 96) - 22;
      const down = Math.round((((landscape ? A4.width : A4.height) - 2 * A4.margin) / 1440) * 96) - 90;
      const fitted = Math.min(across / size.width, down / size.height);
      // A grid of trend panels likewise keeps its width across the page, cut between rows of
      // panels, so no panel is shrunk to fit the grid on one page.
      const scale =
        block.chart === "timeline"
          ? Math.min(across / size.width, 1)
          : block.chart === "line"
            ? across / size.width
            : fitted;
      const pieces: ChartBlock[] =
        block.chart === "timeline"
          ? timelinePieces(block, down / scale)
          : block.chart === "line"
            ? linePieces(block, down / scale)
            : [block];
      // A chart across the page is drawn 1,440 pixels wide; one kept within a page's height (a
      // budget of many lines) is narrower on the page, so it is drawn at the same density, not
      // drawn full width for Word to shrink (most of a long report's time went on those pixels).
      const pixels = (width: number) =>
        block.chart !== "timeline" && scale < across / size.width
          ? Math.max(1, Math.round((1440 * width * scale) / across))
          : 1440;
      return [
        // A chart's title is its caption, as a table's is (and as the page's figure caption).
        new Paragraph({ text: block.title, style: "Caption", keepNext: true }),
        ...pieces.map((piece) => {
          const pieceSize = chartSize(piece);
          return new Paragraph({
            keepNext: true,
            children: [
              new ImageRun({
                type: "png",
                data: chartPng(piece, pixels(pieceSize.width)),
                transformation: {
                  width: Math.round(pieceSize.width * scale),
                  height: Math.round(pieceSize.height * scale),
                },
                altText: { title: piece.title, description: block.description, name: piece.id },
              }),
            ],
          });
        }),
        new Paragraph({ text: block.description }),
        ...wordTable(block.table, landscape),
      ];
    }
  }
}

/**
 * Word for the committee system: real heading styles (so the navigation pane works), real
 * tables whose header rows repeat on each page and whose rows never split, charts as images with
 * alternative text, A4, page numbers. The contents is a list of links to the sections, written
 * out, not a Word field: a field has no entries until Word updates it, and asks to on opening.
 * It gives no page numbers, and says so (decision 0031): only a layout knows them.
 */
export async function renderDocx(report: Report): Promise<Buffer> {
  const bookmarkOf = (section: ReportSection) =>
    `s_${section.id.replace(/[^A-Za-z0-9_]/g, "_")}`.slice(0, 40);
  const opening: Paragraph[] = [
    // A committee paper's heading block, its last line (whose report it is) in bold, as set.
    ...(report.header ?? []).map(
      (line, index, lines) =>
        new Paragraph({
          children: [new TextRun({ text: line, bold: index === lines.length - 1 })],
          spacing: { after: index === lines.length - 1 ? 240 : 60 },
        }),
    ),
    new Paragraph({
      text: report.title,
      heading: HeadingLevel.TITLE,
      // A cover sets its title a third of the way down the page.
      ...(report.cover ? { spacing: { before: 3600 } } : {}),
    }),
    // The subtitle is not a heading: the contents list only the report's sections.
    ...(report.subtitle ? [new Paragraph({ text: report.subtitle, style: "Subtitle" })] : []),
    ...report.meta.map(
      (line) =>
        new Paragraph({
          ...(report.cover ? { children: [new TextRun({ text: line, size: 28 })] } : { text: line }),
        }),
    ),
    new Paragraph({
      children: [new TextRun({ text: "Contents", bold: true, size: 28 })],
      spacing: { before: 240, after: 120 },
      ...(report.cover ? { pageBreakBefore: true } : {}),
    }),
    new Paragraph({ children: [new TextRun({ text: CONTENTS_NOTE, size: 18 })], spacing: { after: 120 } }),
    ...report.sections.map(
      (section) =>
        new Paragraph({
          spacing: { after: 60 },
          // A part of a section is set in under it, as the numbering reads.
          indent: { left: 360 * (headingDepth(section) - 1) },
          children: [
            new InternalHyperlink({
              anchor: bookmarkOf(section),
              children: [new TextRun({ text: section.title, style: "Hyperlink" })],
            }),
          ],
        }),
    ),
  ];
  // A Word section per run of portrait or landscape report sections: a wide table's pages turn.
  const runs: { landscape: boolean; sections: ReportSection[] }[] = [];
  for (const section of report.sections) {
    const landscape = section.landscape ?? false;
    const last = runs.at(-1);
    if (last && last.landscape === landscape) last.sections.push(section);
    else runs.push({ landscape, sections: [section] });
  }
  if (runs.length === 0) runs.push({ landscape: false, sections: [] });
  const footer = () =>
    new Footer({
      children: [
        new Paragraph({
          alignment: AlignmentType.CENTER,
          children: [
            new TextRun({ children: ["Page ", PageNumber.CURRENT, " of ", PageNumber.TOTAL_PAGES] }),
          ],
        }),
      ],
    });
  const wordSections = runs.map((run, index) => {
    const children: (Paragraph | Table)[] = index === 0 ? [...opening] : [];
    for (const [position, section] of run.sections.entries()) {
      children.push(
        new Paragraph({
          children: [new Bookmark({ id: bookmarkOf(section), children: [new TextRun(section.title)] })],
          heading: wordHeading(headingDepth(section)),
          keepNext: true,
          keepLines: true,
          // A new Word section already starts a new page.
          ...(section.newPage && (position > 0 || index === 0) ? { pageBreakBefore: true } : {}),
        }),
      );
      for (const block of section.blocks) children.push(...wordBlocks(block, section, run.landscape));
    }
    return {
      properties: {
        page: {
          size: {
            width: A4.width,
            height: A4.height,
            orientation: run.landscape ? PageOrientation.LANDSCAPE : PageOrientation.PORTRAIT,
          },
          margin: { top: A4.margin, bottom: A4.margin, left: A4.margin, right: A4.margin },
        },
      },
      footers: { default: footer() },
      children,
    };
  });
  const document = new Document({
    title: report.title,
    creator: "Baseplan",
    styles: { default: { document: { run: { font: "Arial", size: 22 } } } },
    numbering: { config: [{ reference: BULLETS, levels: BULLET_LEVELS }] },
    sections: wordSections,
  });
  return Packer.toBuffer(document);
}
