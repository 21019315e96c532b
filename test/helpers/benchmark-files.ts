import type { UploadedFile } from "../../src/modules/benchmarks/benchmarks.files.ts";

// Files made up for the test, in the Department's shapes: made-up measures and councils, so the
// rules are tested on data that is no council's.

export function file(name: string, lines: readonly string[]): UploadedFile {
  return { name, bytes: new TextEncoder().encode(`${lines.join("\n")}\n`) };
}

const DICTIONARY_HEADER =
  "Measure_code,Topic,Measure,Chart_title,Measure_short,Polarity,y_axis_name,state_funded_flag,Table_status,Last Update,Next Update,Data Owner (DO) /Supplier and Contact Details,Hyperlink(s),dps,Year_Type,No_Quartile";

export function dictionary(rows: readonly string[]): UploadedFile {
  return file("dictionary.csv", ["# made up for a test", DICTIONARY_HEADER, ...rows]);
}

export const standardDictionary = dictionary([
  "1,Care,Widgets mended,Widgets mended %,WIDG,High,%,NA,Live,45809,46174,DfE,https://example.org/a#b,1,Financial Year,NA",
  "2,Care,Waiting days,Waiting days,WAIT,Low,days,NA,Live,45809,TBC,DfE,,0,Academic Year,NA",
  "3,Care,Children counted,Children counted,COUNT,-,number,NA,Live,45809,46174,DfE,,NA,Annual,NA",
  "4,Care,Scaled score,Scaled score,SCORE,High,score,NA,Live,45809,46174,DfE,,NA,Annual (end of Sept),N",
]);

export const codeList = file("codes.csv", [
  "LA Number,LA Name,Region,Type",
  "101,Alphaton,North,UA",
  "102,Betaford,North,UA",
  "103,Gammaley,South,SC",
  "104,Deltaham,South,SC",
  "105,Epsilon Vale,South,MD",
  "970,England,NA,NA",
  "981,North,NA,NA",
  "982,South,NA,NA",
]);

export const neighbours = file("neighbours.csv", [
  "old_la_code,la_name,region_ind,region_name,SN_1,SN_1P,SN_2,SN_2P",
  "101,Alphaton,1,North,102,Very close,103,Close ",
  "102,Betaford,1,North,101,Very close,104,Close ",
]);

const LONG_HEADER = "Short Desc,Data item,Years,LA and Regions,Values,LA Number,Region";

export function long(name: string, rows: readonly string[]): UploadedFile {
  return file(name, [LONG_HEADER, ...rows]);
}

export const firstRelease = long("long-1.csv", [
  "WIDG,Widgets mended,2024,Alphaton,18.899999999999999,101,North",
  "WIDG,,2024,Betaford,20.1,102,North",
  "WIDG,,2024,Gammaley,20.1,103,South",
  "WIDG,,2024,Deltaham,c,104,South",
  "WIDG,,2024,Epsilon Vale,25,105,South",
  "WIDG,,2024,England,21.3,970,NA",
  "WIDG,,2024,North,19.5,981,NA",
  "WAIT,Waiting days,2018/19,Alphaton,30,101,North",
  "WAIT,,2018/19,Betaford,12,102,North",
  "WAIT,,2018/19,Gammaley,x,103,South",
  "COUNT,Children counted,2025,Alphaton,400,101,North",
  "COUNT,,2025,Betaford,300,102,North",
  "SCORE,Scaled score,2025,Alphaton,104,101,North",
  "SCORE,,2025,Betaford,103,102,North",
]);

export const everything = [standardDictionary, codeList, neighbours, firstRelease];
