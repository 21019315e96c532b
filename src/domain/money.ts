/**
 * Money as the council writes it, kept exactly as integer pence.
 *
 * Every amount is a JavaScript number that must be a safe integer count of pence. Text is parsed
 * exactly (no floating-point pounds, no parseFloat) or refused with a reason an officer can act on,
 * and the style it was written in is kept so that it prints back the same way.
 *
 * Display rounding rule: half away from zero, applied once to the exact pence value
 * (£0.0005m shows as "£0.001m", -£0.0005m as "-£0.001m"). A figure that rounds to zero is shown
 * without a sign ("0.000", never "-0.000"), as the council's tables do.
 *
 * Largest amount: every single amount is at most £10,000,000,000.00 (ten billion pounds,
 * `MAX_AMOUNT_PENCE`) either way, far above any one figure a council budgets, forecasts or buys.
 * Totals are exact up to 2^53 - 1 pence, so any total of up to 9,007 amounts at the maximum can
 * be held, printed and exported (OCDS takes amounts up to £10 trillion). Every entry point (forms,
 * pasted or imported tables, the command line) reads amounts through `parseMoney`, which refuses a
 * larger one with a reason, so no stored amount can make a page's total overflow.
 */

/** An amount of money in whole pence; always a safe integer. */
export type Pence = number;

/** The scale a figure is written in: "£6,994,969" is pounds, "£0.151m" millions, "£50K" thousands. */
export type MoneyScale = "pounds" | "thousands" | "millions";

/** How negative amounts are written: "-0.657" or "(0.657)". */
export type NegativeStyle = "minus" | "brackets";

/** Everything needed to print an amount back the way it was written. */
export type MoneyStyle = {
  readonly scale: MoneyScale;
  /** Digits after the decimal point as written ("60,000.00" has 2, "£0.151m" has 3). */
  readonly decimals: number;
  /** Whether a "£" sign is shown. */
  readonly symbol: boolean;
  /** The unit word or letter after the figure exactly as written, including any space: "m", " million". */
  readonly suffix: string;
  readonly negative: NegativeStyle;
  /** Whether thousands are grouped with commas ("1,100,000" rather than "1100000"). */
  readonly grouping: boolean;
  /** Words written before the figure, such as "Approx. Lifetime costs": the basis of the amount. */
  readonly note?: string;
  /** A negative written "£(1,234)": the pound sign outside the brackets. */
  readonly symbolOutsideBrackets?: boolean;
};

/** An amount parsed exactly from text. */
export type ParsedMoney = {
  readonly ok: true;
  readonly text: string;
  readonly pence: Pence;
  /**
   * The value of one unit in the last digit written, in pence: 1 for "60,000.00", 100 for
   * "£6,994,969", 100,000 for "£0.151m". Anything above 1 means the true amount may differ from
   * `pence` by up to half of this: the document gave a rounded figure.
   */
  readonly resolutionPence: number;
  /** Words before the figure ("Approx. Lifetime costs"), kept as the basis of the amount. */
  readonly note?: string;
  /** True when the note says the amount is an approximation ("Approx.", "approximately", "c.", "est."). */
  readonly approximate: boolean;
  readonly style: MoneyStyle;
};

/** Text that is not an exact amount of money, with the reason in plain English. */
export type MoneyRefusal = {
  readonly ok: false;
  readonly text: string;
  readonly reason: string;
};

export type MoneyParseResult = ParsedMoney | MoneyRefusal;

export type ParseMoneyOptions = {
  /**
   * The unit of the table or column the text sits in. A bare figure such as "-0.657" in a table
   * headed "£m" is millions; a figure with its own unit ("£0.151m", "£50K") keeps that unit.
   * Defaults to pounds.
   */
  readonly unit?: MoneyScale;
  /** Whether words before the figure are kept as a note (the default) or refused. */
  readonly allowNote?: boolean;
};

/** How many decimal places of a pound each scale holds before reaching a penny. */
const PENNY_PLACES: Readonly<Record<MoneyScale, number>> = { pounds: 2, thousands: 5, millions: 8 };

const SUFFIX_SCALES: Readonly<Record<string, MoneyScale>> = {
  m: "millions",
  mn: "millions",
  million: "millions",
  millions: "millions",
  k: "thousands",
};

const APPROXIMATE_NOTE =
  /^(approx\b|approx\.|approximately\b|c\.|circa\b|est\.|estimated\b|about\b|around\b)/i;

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** The largest amount, either way, that Baseplan accepts: £10,000,000,000.00 (see the top of this file). */
export const MAX_AMOUNT_PENCE: Pence = 1_000_000_000_000;

/** The largest amount as an officer reads it, for messages. */
export const MAX_AMOUNT_TEXT = "£10,000,000,000";

function refuse(text: string, reason: string): MoneyRefusal {
  return { ok: false, text, reason };
}

function describe(text: string): string {
  return `"${text}"`;
}

/**
 * Parse an amount of money exactly, or refuse it with a reason.
 *
 * Accepts "£6,994,969", "60,000.00", "-439,928", "£0.151m", "£6.464 million", "£50K",
 * "-0.657" and "(0.657)" (with `unit: "millions"` in a table stated in £m), and
 * "Approx. Lifetime costs 150,000.00" (the words are kept as `note`). Refuses fractions of a
 * penny, misplaced thousands separators, more than one decimal point, empty text and text with no
 * figure.
 */
export function parseMoney(text: string, options: ParseMoneyOptions = {}): MoneyParseResult {
  const cleaned = text.replace(/[\u00a0\u2007\u202f]/g, " ").trim();
  if (cleaned === "") return refuse(text, "The amount is empty: enter a figure such as £1,250 or £0.151m.");

  // Words before the figure are a note ("Approx. Lifetime costs 150,000.00"). The figure is the
  // last part, starting with a sign, bracket, pound sign or digit; the unit may follow after a space.
  const split = /^(?:(.*\S)\s+)?([(\-−£0-9.].*)$/u.exec(cleaned);
  if (split === null) {
    return refuse(text, `${describe(cleaned)} is not an amount of money: it contains no figure.`);
  }
  const note = split[1];
  const amountText = split[2] ?? "";
  if (note !== undefined) {
    if (options.allowNote === false) {
      return refuse(
        text,
        `${describe(cleaned)} has words before the figure ("${note}"); enter the figure alone.`,
      );
    }
    if (/[0-9]/.test(note)) {
      return refuse(
        text,
        `${describe(cleaned)} has more than one figure in it; enter one amount, such as £1,250.`,
      );
    }
  }

  const match = /^(£)?\s*(\()?\s*([-−])?\s*(£)?\s*([-−])?\s*([0-9.,]+)(\s*)([A-Za-z]+)?\s*(\))?$/u.exec(
    amountText,
  );
  if (match === null) {
    return refuse(
      text,
      `${describe(cleaned)} is not an amount of money: write it like £1,250, 1,250.00, £0.151m or (0.657).`,
    );
  }
  const [
    ,
    poundOutside,
    open,
    minusBefore,
    poundInside,
    minusAfter,
    digits = "",
    space = "",
    suffixWord,
    close,
  ] = match;
  if (poundOutside !== undefined && poundInside !== undefined) {
    return refuse(text, `${describe(cleaned)} has two pound signs.`);
  }
  const pound = poundOutside ?? poundInside;
  const symbolOutsideBrackets = poundOutside !== undefined && open !== undefined;

  if ((open === undefined) !== (close === undefined)) {
    return refuse(text, `${describe(cleaned)} has an opening or closing bracket without its partner.`);
  }
  const brackets = open !== undefined;
  const minus = minusBefore !== undefined || minusAfter !== undefined;
  if (minusBefore !== undefined && minusAfter !== undefined) {
    return refuse(text, `${describe(cleaned)} has two minus signs.`);
  }
  if (brackets && minus) {
    return refuse(
      text,
      `${describe(cleaned)} is marked negative twice, with brackets and a minus sign; use one of them.`,
    );
  }

  const points = digits.split(".").length - 1;
  if (points > 1) {
    return refuse(text, `${describe(cleaned)} has more than one decimal point.`);
  }
  const [wholeWritten = "", fraction = ""] = digits.split(".");
  if (points === 1 && fraction === "") {
    return refuse(
      text,
      `${describe(cleaned)} ends with a decimal point; give the pence or leave the point out.`,
    );
  }
  if (fraction.includes(",")) {
    return refuse(text, `${describe(cleaned)} has a comma after the decimal point.`);
  }
  const grouping = wholeWritten.includes(",");
  if (grouping && !/^[0-9]{1,3}(,[0-9]{3})+$/.test(wholeWritten)) {
    return refuse(
      text,
      `${describe(cleaned)} has misplaced thousands separators: commas must split the figure into groups of three digits, as in 1,234,567.`,
    );
  }
  const whole = wholeWritten.replace(/,/g, "");
  if (whole === "" && fraction === "") {
    return refuse(text, `${describe(cleaned)} is not an amount of money: it contains no figure.`);
  }

  let scale: MoneyScale = options.unit ?? "pounds";
  if (suffixWord !== undefined) {
    const suffixScale = SUFFIX_SCALES[suffixWord.toLowerCase()];
    if (suffixScale === undefined) {
      return refuse(
        text,
        `${describe(cleaned)} ends in "${suffixWord}", which is not a unit of money; use m or million for millions, or K for thousands.`,
      );
    }
    scale = suffixScale;
  }

  const places = PENNY_PLACES[scale];
  if (fraction.length > places && /[1-9]/.test(fraction.slice(places))) {
    const where = scale === "pounds" ? "after the pence" : "beyond the nearest penny";
    return refuse(
      text,
      `${describe(cleaned)} has digits ${where}: amounts are kept in whole pence, so a fraction of a penny cannot be stored.`,
    );
  }
  const kept = fraction.slice(0, places);
  const magnitude = BigInt(`${whole === "" ? "0" : whole}${kept.padEnd(places, "0")}`);
  if (magnitude > BigInt(MAX_AMOUNT_PENCE)) {
    return refuse(
      text,
      `${describe(cleaned)} is more than ${MAX_AMOUNT_TEXT}, the largest amount Baseplan holds; check the figure and its unit.`,
    );
  }
  const negative = (minus || brackets) && magnitude !== 0n;
  const pence = Number(negative ? -magnitude : magnitude);
  const resolutionPence = 10 ** Math.max(0, places - fraction.length);

  const style: MoneyStyle = {
    scale,
    decimals: fraction.length,
    symbol: pound !== undefined,
    suffix: suffixWord === undefined ? "" : `${space === "" ? "" : " "}${suffixWord}`,
    negative: brackets ? "brackets" : "minus",
    grouping: grouping || whole.length <= 3,
    ...(note === undefined ? {} : { note }),
    ...(symbolOutsideBrackets ? { symbolOutsideBrackets } : {}),
  };
  return {
    ok: true,
    text,
    pence,
    resolutionPence,
    ...(note === undefined ? {} : { note }),
    approximate: note !== undefined && APPROXIMATE_NOTE.test(note),
    style,
  };
}

/** Whether an amount is whole pence within the largest amount either way (a stored figure, not a total). */
export function isAllowedAmount(value: number): value is Pence {
  return Number.isSafeInteger(value) && Math.abs(value) <= MAX_AMOUNT_PENCE;
}

/** Throw unless the value is a safe integer count of pence; guards arithmetic against floats. */
export function assertPence(value: number, what = "amount"): Pence {
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(`The ${what} must be a whole number of pence within the safe range; got ${value}.`);
  }
  return value;
}

/**
 * Divide two integers and round half away from zero: 5/2 = 3, -5/2 = -3, 7/2 = 4, 1/3 = 0.
 * The single rounding rule for display throughout Baseplan.
 */
export function divideRoundHalfAwayFromZero(numerator: bigint, denominator: bigint): bigint {
  if (denominator === 0n) throw new RangeError("Cannot divide by zero.");
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const quotient = n / d;
  const rounded = (n % d) * 2n >= d ? quotient + 1n : quotient;
  return negative ? -rounded : rounded;
}

/**
 * Round an amount to a multiple of `resolutionPence`, half away from zero: the value a document
 * showing that resolution would print (100,000 pence = £0.001m).
 */
export function roundToResolution(pence: Pence, resolutionPence: number): Pence {
  assertPence(pence);
  if (!Number.isSafeInteger(resolutionPence) || resolutionPence <= 0) {
    throw new RangeError(`The resolution must be a positive whole number of pence; got ${resolutionPence}.`);
  }
  const steps = divideRoundHalfAwayFromZero(BigInt(pence), BigInt(resolutionPence));
  return Number(steps * BigInt(resolutionPence));
}

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** Print an amount in a given style. Rounds half away from zero to the style's decimals. */
export function formatMoney(pence: Pence, style: MoneyStyle): string {
  assertPence(pence);
  const places = PENNY_PLACES[style.scale];
  // Work in units of 10^-decimals of the scale: exact when decimals >= places, rounded otherwise.
  const shift = style.decimals - places;
  const units =
    shift >= 0
      ? BigInt(pence) * 10n ** BigInt(shift)
      : divideRoundHalfAwayFromZero(BigInt(pence), 10n ** BigInt(-shift));
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(style.decimals + 1, "0");
  const whole = digits.slice(0, digits.length - style.decimals);
  const fraction = digits.slice(digits.length - style.decimals);
  const figure = `${style.grouping ? groupThousands(whole) : whole}${style.decimals > 0 ? `.${fraction}` : ""}`;
  const body = `${style.symbol ? "£" : ""}${figure}${style.suffix}`;
  const bracketed =
    style.symbol && style.symbolOutsideBrackets === true ? `£(${figure}${style.suffix})` : `(${body})`;
  const signed = !negative ? body : style.negative === "brackets" ? bracketed : `-${body}`;
  return style.note === undefined ? signed : `${style.note} ${signed}`;
}

/** Print a parsed amount back as it was written (the round trip the council relies on). */
export function formatParsedMoney(parsed: ParsedMoney): string {
  return formatMoney(parsed.pence, parsed.style);
}

export type FormatPoundsOptions = {
  /** Show pence: "£1,250.50". Without it the amount is rounded to whole pounds. */
  readonly pence?: boolean;
  /** Show the "£" sign (default true); tables headed "(£)" leave it out. */
  readonly symbol?: boolean;
  readonly negative?: NegativeStyle;
};

/** "£6,994,969"; "-439,928" with `symbol: false`; "£60,000.00" with `pence: true`. */
export function formatPounds(pence: Pence, options: FormatPoundsOptions = {}): string {
  return formatMoney(pence, {
    scale: "pounds",
    decimals: options.pence === true ? 2 : 0,
    symbol: options.symbol ?? true,
    suffix: "",
    negative: options.negative ?? "minus",
    grouping: true,
  });
}

export type FormatMillionsOptions = {
  /** "m" (default) or " million". */
  readonly suffix?: "m" | " million";
  readonly negative?: NegativeStyle;
};

/** "£0.151m", "£13.843m", "-£0.657m"; "£6.464 million" with `suffix: " million"`. */
export function formatMillions(pence: Pence, decimals = 3, options: FormatMillionsOptions = {}): string {
  return formatMoney(pence, {
    scale: "millions",
    decimals,
    symbol: true,
    suffix: options.suffix ?? "m",
    negative: options.negative ?? "minus",
    grouping: true,
  });
}

/** A cell in a table stated in £m: "13.843", "-0.657" (or "(0.657)"), "0.000". */
export function formatTableMillions(
  pence: Pence,
  decimals = 3,
  options: { readonly negative?: NegativeStyle } = {},
): string {
  return formatMoney(pence, {
    scale: "millions",
    decimals,
    symbol: false,
    suffix: "",
    negative: options.negative ?? "minus",
    grouping: true,
  });
}

/** Add amounts exactly, refusing any that is not a safe whole number of pence or a total that overflows. */
export function sumPence(amounts: readonly Pence[]): Pence {
  let total = 0n;
  for (const amount of amounts) total += BigInt(assertPence(amount));
  if (total > MAX_SAFE || total < -MAX_SAFE) throw new RangeError("The total is too large to hold exactly.");
  return Number(total);
}
