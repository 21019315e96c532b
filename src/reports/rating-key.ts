/** The council's five-level key as reports show it: a word always, a colour as well. */
export type RatingKey = "strong" | "good" | "review" | "action" | "none";

export const RATING_WORDS: Record<RatingKey, string> = {
  strong: "Strong",
  good: "Good",
  review: "Review",
  action: "Action",
  none: "Data not available / target not set",
};

/** Fill colours for documents (GOV.UK palette tints), always paired with the word. */
export const RATING_FILLS: Record<RatingKey, string> = {
  strong: "D2E2F1",
  good: "CCE2D8",
  review: "FFF7BF",
  action: "F4CDC6",
  none: "E5E6E7",
};
