import type { Database } from "../../db/client.ts";
import { monthName } from "../../domain/calendar.ts";
import { formatPounds, type Pence, sumPence } from "../../domain/money.ts";
import { DEFAULT_YEAR_START_MONTH, monitoringPeriod, monitoringPeriodDates } from "../../domain/periods.ts";
import { Conflict, NotFound, ValidationFailed } from "../../errors.ts";
import { recordAuditEvent } from "../audit/audit.service.ts";
import { forecastPeriodKey } from "./finance.budget.ts";
import * as entryRepository from "./finance.entry.repository.ts";
import * as repository from "./finance.repository.ts";
import {
  type Figure,
  type ForecastPeriod,
  figure,
  forecastPeriod,
  forecastPeriodPath,
  forecastPeriodWords,
  isAt,
  type OpenForEntryCheck,
  periodView,
  requireQuarter,
  requireYear,
} from "./finance.shared.ts";
import * as structure from "./finance.structure.repository.ts";

/**
 * Entering a period's balances through forms: each earmarked reserve's balance, the debt owed in
 * each age band with the debt written off in the year to date, and each growth item's spend to
 * date. A form sends every figure of its page at once with the version each had when the page
 * was opened (0 for a figure not entered then); the whole page is saved in one transaction, or,
 * if anyone saved one of its figures in between, nothing is saved and the conflict lists each
 * figure theirs beside the one submitted. Each figure changed is audited with the acting person.
 */

/** A figure as stored: the row, its amount and version. */
export interface StoredFigure {
  id: number;
  pence: Pence;
  version: number;
}

/** One row of an entry form: what it is, and its figure when the form was opened. */
export interface EntryRow {
  /** What identifies the row on the form and in saving: the reserve's or band's name, the item's id. */
  key: string;
  name: string;
  stored: StoredFigure | null;
}

/** A figure submitted for a row, with the version it had when the form was opened (0: none then). */
export interface EnteredFigure {
  key: string;
  name: string;
  pence: Pence;
  version: number;
}

interface FigureStore {
  find(tx: Database): Promise<StoredFigure | undefined>;
  /** Inserts the figure unless one exists for the row and period: undefined then. */
  insert(tx: Database, pence: Pence): Promise<StoredFigure | undefined>;
  update(tx: Database, id: number, version: number, pence: Pence): Promise<StoredFigure | null>;
}

type Saved =
  | { outcome: "unchanged" }
  | { outcome: "created" | "updated"; before: StoredFigure | null; after: StoredFigure }
  | { outcome: "conflict"; saved: StoredFigure | null };

/** Saves one figure if it is still as the person saw it; never overwrites a newer one. */
async function saveFigure(tx: Database, store: FigureStore, entered: EnteredFigure): Promise<Saved> {
  const stored = (await store.find(tx)) ?? null;
  if (entered.version === 0) {
    if (stored) return { outcome: "conflict", saved: stored };
    const created = await store.insert(tx, entered.pence);
    if (!created) return { outcome: "conflict", saved: (await store.find(tx)) ?? null };
    return { outcome: "created", before: null, after: created };
  }
  if (!stored || stored.version !== entered.version) return { outcome: "conflict", saved: stored };
  if (stored.pence === entered.pence) return { outcome: "unchanged" };
  const updated = await store.update(tx, stored.id, entered.version, entered.pence);
  if (!updated) return { outcome: "conflict", saved: (await store.find(tx)) ?? null };
  return { outcome: "updated", before: stored, after: updated };
}

interface SavePage {
  actor: string;
  year: { code: string; label: string };
  at: ForecastPeriod;
  /** "Earmarked reserve balances", for the conflict page. */
  what: string;
  entityType: string;
  returnUrl: string;
  figures: { entered: EnteredFigure; store: FigureStore; label: string }[];
}

/** Saves a form's figures in the transaction given, all or none, auditing each one changed. */
async function savePage(tx: Database, page: SavePage): Promise<{ changed: number }> {
  const conflicts: { label: string; saved: string; submitted: string }[] = [];
  const changes: { label: string; result: Extract<Saved, { after: StoredFigure }> }[] = [];
  for (const { entered, store, label } of page.figures) {
    const result = await saveFigure(tx, store, entered);
    if (result.outcome === "conflict") {
      conflicts.push({
        label,
        saved: result.saved ? formatPounds(result.saved.pence, { pence: true }) : "Not entered",
        submitted: formatPounds(entered.pence, { pence: true }),
      });
    } else if (result.outcome !== "unchanged") {
      changes.push({ label, result });
    }
  }
  if (conflicts.length > 0) {
    throw new Conflict(
      `The ${page.year.label} ${forecastPeriodWords(page.at)} ${page.what.toLowerCase()}`,
      conflicts,
      page.returnUrl,
    );
  }
  for (const { label, result } of changes) {
    await recordAuditEvent(tx, {
      actor: page.actor,
      action: result.outcome === "created" ? "create" : "update",
      entityType: page.entityType,
      entityId: result.after.id,
      period: forecastPeriodKey(page.year.code, page.at),
      summary: `${result.outcome === "created" ? "Entered" : "Changed"} the ${page.year.label} ${forecastPeriodWords(page.at)} figure for ${label}`,
      before: result.before ? { pence: result.before.pence, version: result.before.version } : null,
      after: { pence: result.after.pence, version: result.after.version },
    });
  }
  return { changed: changes.length };
}

/** The financial year before the one given, if recorded. */
async function previousYear(db: Database, yearId: number) {
  const years = await repository.listFinancialYears(db);
  const at = years.findIndex((candidate) => candidate.id === yearId);
  return at > 0 ? years[at - 1] : undefined;
}

// ---------------------------------------------------------------------------------------------
// Earmarked reserves
// ---------------------------------------------------------------------------------------------

/**
 * Each earmarked reserve of the year with its balance at the quarter end (or, given a month, the
 * month end) if entered. A year with reserves not yet named lists the previous year's, so a new
 * year starts from last year's list.
 */
export async function reservesForEntry(
  db: Database,
  yearCode: string,
  quarter: number,
  month: number | null = null,
) {
  const year = await requireYear(db, yearCode);
  const at = forecastPeriod(requireQuarter(quarter), month);
  const rows: EntryRow[] = [];
  for (const reserve of await entryRepository.listReserves(db, year.id)) {
    const balance = await entryRepository.findReserveBalance(db, reserve.id, at.quarter, at.month);
    rows.push({ key: reserve.name, name: reserve.name, stored: balance ? reserveFigure(balance) : null });
  }
  const before = rows.length === 0 ? await previousYear(db, year.id) : undefined;
  if (before) {
    for (const reserve of await entryRepository.listReserves(db, before.id)) {
      rows.push({ key: reserve.name, name: reserve.name, stored: null });
    }
  }
  return { year, quarter, ...periodView(at), rows };
}

function reserveFigure(row: entryRepository.ReserveBalance): StoredFigure {
  return { id: row.id, pence: row.balancePence, version: row.version };
}

/**
 * Saves the balances entered for a quarter's earmarked reserves, naming a reserve the year does
 * not have yet (added after the others). The routes refuse a quarter not open for entry first.
 */
export async function saveReserveBalances(
  db: Database,
  actor: string,
  input: {
    yearCode: string;
    quarter: number;
    month?: number | null;
    figures: EnteredFigure[];
    requireOpen?: OpenForEntryCheck;
  },
) {
  return db.transaction(async (tx) => {
    await input.requireOpen?.(tx);
    const year = await requireYear(tx, input.yearCode);
    const quarter = requireQuarter(input.quarter);
    const at = forecastPeriod(quarter, input.month ?? null);
    const figures = [];
    for (const entered of input.figures) {
      const known = await entryRepository.listReserves(tx, year.id);
      const reserve = await repository.findOrInsertReserve(tx, {
        financialYearId: year.id,
        name: entered.name,
        position: Math.max(0, ...known.map((row) => row.position)) + 1,
      });
      // A form opened before the reserve was archived on the budget's set-up page.
      if (reserve.archivedAt !== null) {
        throw new ValidationFailed([
          {
            field: "form",
            message: `The reserve "${reserve.name}" is archived: restore it on the budget's set-up page before entering its balance. Nothing was saved.`,
          },
        ]);
      }
      figures.push({
        entered,
        label: `the ${entered.name} balance`,
        store: {
          find: async (db: Database) => {
            const row = await entryRepository.findReserveBalance(db, reserve.id, quarter, at.month);
            return row ? reserveFigure(row) : undefined;
          },
          insert: async (db: Database, pence: Pence) => {
            const row = await entryRepository.insertReserveBalanceIfAbsent(db, {
              reserveId: reserve.id,
              quarter,
              month: at.month,
              balancePence: pence,
            });
            return row ? reserveFigure(row) : undefined;
          },
          update: async (db: Database, id: number, version: number, pence: Pence) => {
            // A balance entered here replaces the direction a document printed; it is computed.
            const row = await entryRepository.updateReserveBalanceIfVersion(db, id, version, {
              balancePence: pence,
              statedTrend: null,
              updatedAt: new Date(),
            });
            return row ? reserveFigure(row) : null;
          },
        },
      });
    }
    const saved = await savePage(tx, {
      actor,
      year,
      at,
      what: "Earmarked reserve balances",
      entityType: "earmarked-reserve-balance",
      returnUrl: `/budget/${year.code}/${forecastPeriodPath(at)}/reserves/edit`,
      figures,
    });
    return { year, quarter, ...saved };
  });
}

// ---------------------------------------------------------------------------------------------
// Debt by age band and write-offs
// ---------------------------------------------------------------------------------------------

/**
 * The debt owed in each age band at the quarter end, and the debt written off in the year up to
 * it. The bands are the quarter's own when entered, else those of the latest quarter before it
 * (this year's, else the previous year's), so the council's own bands carry forward.
 */
export async function debtForEntry(
  db: Database,
  yearCode: string,
  quarter: number,
  month: number | null = null,
) {
  const year = await requireYear(db, yearCode);
  const at = forecastPeriod(requireQuarter(quarter), month);
  const all = await entryRepository.listDebtBands(db, year.id);
  let bands: EntryRow[] = all
    .filter((band) => isAt(band, at))
    .map((band) => ({ key: band.bandKey, name: band.band, stored: debtFigure(band) }));
  if (bands.length === 0) {
    // The latest period before this one with bands: a quarter's own figures stand at its last month.
    const order = (row: { quarter: number; month: number | null }) => row.month ?? row.quarter * 3;
    const latest = all
      .filter((band) => order(band) < order(at))
      .sort((a, b) => order(a) - order(b))
      .at(-1);
    let source = latest ? all.filter((band) => isAt(band, latest)) : [];
    if (source.length === 0) {
      const before = await previousYear(db, year.id);
      const theirs = before ? await entryRepository.listDebtBands(db, before.id) : [];
      const last = [...theirs].sort((a, b) => order(a) - order(b)).at(-1);
      source = last ? theirs.filter((band) => isAt(band, last)) : [];
    }
    bands = source.map((band) => ({ key: band.bandKey, name: band.band, stored: null }));
  }
  const writeOff = await entryRepository.findWriteOff(db, year.id, at.quarter, at.month);
  return {
    year,
    quarter,
    ...periodView(at),
    bands,
    writeOff: writeOff ? writeOffFigure(writeOff) : null,
    writeOffPeriod: await writeOffPeriod(db, year.code, at),
  };
}

/** The year up to the quarter (or month) end: the span a write-off entered for the period covers. */
async function writeOffPeriod(db: Database, yearCode: string, at: ForecastPeriod) {
  const startMonth = (await entryRepository.findYearStartMonth(db)) ?? DEFAULT_YEAR_START_MONTH;
  const startYear = Number(yearCode.slice(0, 4));
  const end =
    at.month === null
      ? monitoringPeriod(startYear, "quarter", at.quarter)
      : monitoringPeriod(startYear, "month", at.month);
  return {
    from: monitoringPeriodDates(monitoringPeriod(startYear, "quarter", 1), startMonth).start,
    to: monitoringPeriodDates(end, startMonth).end,
  };
}

/**
 * Each month of a financial year as a page names it, "Month 7 (October 2031)", from the month the
 * council's year starts in; 1 to 12.
 */
export async function monthNamesOf(db: Database, yearCode: string): Promise<Map<number, string>> {
  const startMonth = (await entryRepository.findYearStartMonth(db)) ?? DEFAULT_YEAR_START_MONTH;
  const startYear = Number(yearCode.slice(0, 4));
  const names = new Map<number, string>();
  for (let month = 1; month <= 12; month += 1) {
    const first = monitoringPeriodDates(monitoringPeriod(startYear, "month", month), startMonth).start;
    const calendar = monthName(Number(first.slice(5, 7))) ?? first.slice(0, 7);
    names.set(month, `Month ${month} (${calendar} ${first.slice(0, 4)})`);
  }
  return names;
}

function debtFigure(row: entryRepository.DebtBand): StoredFigure {
  return { id: row.id, pence: row.amountPence, version: row.version };
}

function writeOffFigure(row: entryRepository.DebtWriteOff): StoredFigure {
  return { id: row.id, pence: row.amountPence, version: row.version };
}

/** A band's key from its name, for a band the council adds: "Over 1 year" is "over-1-year". */
export function bandKeyOf(name: string): string {
  const key = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return key === "" ? "band" : key;
}

/**
 * Saves the debt owed in each age band at a quarter end (a band keyed by its name when new) and,
 * if given, the debt written off in the year up to it. The routes refuse a quarter not open first.
 */
export async function saveDebt(
  db: Database,
  actor: string,
  input: {
    yearCode: string;
    quarter: number;
    month?: number | null;
    bands: EnteredFigure[];
    writeOff: EnteredFigure | null;
    requireOpen?: OpenForEntryCheck;
  },
) {
  return db.transaction(async (tx) => {
    await input.requireOpen?.(tx);
    const year = await requireYear(tx, input.yearCode);
    const quarter = requireQuarter(input.quarter);
    const at = forecastPeriod(quarter, input.month ?? null);
    const figures: SavePage["figures"] = input.bands.map((entered, index) => {
      const bandKey = entered.key === "" ? bandKeyOf(entered.name) : entered.key;
      const find = async (db: Database) => {
        const row = (await entryRepository.listDebtBands(db, year.id)).find(
          (band) => isAt(band, at) && band.bandKey === bandKey,
        );
        return row ? debtFigure(row) : undefined;
      };
      return {
        entered,
        label: `debt ${entered.name}`,
        store: {
          find,
          insert: async (db: Database, pence: Pence) => {
            const row = await entryRepository.insertDebtBandIfAbsent(db, {
              financialYearId: year.id,
              quarter,
              month: at.month,
              bandKey,
              band: entered.name,
              position: index + 1,
              amountPence: pence,
            });
            return row ? debtFigure(row) : undefined;
          },
          update: async (db: Database, id: number, version: number, pence: Pence) => {
            // An amount entered here replaces what a document printed for its share and trend.
            const row = await entryRepository.updateDebtBandIfVersion(db, id, version, {
              amountPence: pence,
              statedShare: null,
              statedTrend: null,
              updatedAt: new Date(),
            });
            return row ? debtFigure(row) : null;
          },
        },
      };
    });
    if (input.writeOff) {
      const period = await writeOffPeriod(tx, year.code, at);
      figures.push({
        entered: input.writeOff,
        label: "debt written off in the year",
        store: {
          find: async (db: Database) => {
            const row = await entryRepository.findWriteOff(db, year.id, quarter, at.month);
            return row ? writeOffFigure(row) : undefined;
          },
          insert: async (db: Database, pence: Pence) => {
            const row = await entryRepository.insertWriteOffIfAbsent(db, {
              financialYearId: year.id,
              quarter,
              month: at.month,
              periodFrom: period.from,
              periodTo: period.to,
              amountPence: pence,
            });
            return row ? writeOffFigure(row) : undefined;
          },
          update: async (db: Database, id: number, version: number, pence: Pence) => {
            const row = await entryRepository.updateWriteOffIfVersion(db, id, version, {
              amountPence: pence,
              updatedAt: new Date(),
            });
            return row ? writeOffFigure(row) : null;
          },
        },
      });
    }
    const saved = await savePage(tx, {
      actor,
      year,
      at,
      what: "Debt",
      entityType: "debt-profile",
      returnUrl: `/budget/${year.code}/${forecastPeriodPath(at)}/debt/edit`,
      figures,
    });
    return { year, quarter, ...saved };
  });
}

// ---------------------------------------------------------------------------------------------
// Growth item spend
// ---------------------------------------------------------------------------------------------

function spendFigure(row: entryRepository.GrowthSpend): StoredFigure {
  return { id: row.id, pence: row.spentPence, version: row.version };
}

/**
 * Each growth item of the year with what has been spent on it to the quarter end (or, given a
 * month, the month end: decision 0024), if entered.
 */
export async function growthForEntry(
  db: Database,
  yearCode: string,
  quarter: number,
  month: number | null = null,
) {
  const year = await requireYear(db, yearCode);
  const at = forecastPeriod(requireQuarter(quarter), month);
  const rows: EntryRow[] = (await entryRepository.listGrowthWithSpend(db, year.id, at.quarter, at.month)).map(
    ({ item, spend }) => ({
      key: String(item.id),
      name: `${item.ref} ${item.title}`,
      stored: spend ? spendFigure(spend) : null,
    }),
  );
  return { year, quarter, ...periodView(at), rows };
}

/**
 * The spend to date at a quarter end (or a month end) of each growth item of the year, by item
 * id, as printed, with the total of those entered; an empty map and no total when none is entered.
 */
export async function growthSpendByItem(
  db: Database,
  yearCode: string,
  quarter: number,
  month: number | null = null,
) {
  const { rows } = await growthForEntry(db, yearCode, quarter, month);
  const byItem = new Map<number, Figure>();
  for (const row of rows) if (row.stored) byItem.set(Number(row.key), figure(row.stored.pence));
  const total = byItem.size > 0 ? figure(sumPence([...byItem.values()].map((spent) => spent.pence))) : null;
  return { byItem, total };
}

/** Saves the spend to date at a quarter end (or a month end) of growth items of the year (by id). */
export async function saveGrowthSpend(
  db: Database,
  actor: string,
  input: {
    yearCode: string;
    quarter: number;
    month?: number | null;
    figures: EnteredFigure[];
    requireOpen?: OpenForEntryCheck;
  },
) {
  return db.transaction(async (tx) => {
    await input.requireOpen?.(tx);
    const year = await requireYear(tx, input.yearCode);
    const quarter = requireQuarter(input.quarter);
    const at = forecastPeriod(quarter, input.month ?? null);
    const items = new Map(
      (await entryRepository.listGrowthWithSpend(tx, year.id, quarter, at.month)).map(({ item }) => [
        String(item.id),
        item,
      ]),
    );
    for (const entered of input.figures) {
      if (items.has(entered.key) || !/^[0-9]{1,9}$/.test(entered.key)) continue;
      // A form opened before the item was archived on the budget's set-up page.
      const archived = await structure.findGrowthItem(tx, Number(entered.key));
      if (archived?.archivedAt && archived.financialYearId === year.id) {
        throw new ValidationFailed([
          {
            field: "form",
            message: `The growth item "${archived.ref} ${archived.name}" is archived: restore it on the budget's set-up page before entering its spend. Nothing was saved.`,
          },
        ]);
      }
    }
    const figures: SavePage["figures"] = input.figures.map((entered) => {
      const item = items.get(entered.key);
      if (!item) throw new NotFound(`Growth item ${entered.key} of ${year.label}`);
      const find = async (db: Database) => {
        const row = (await entryRepository.listGrowthWithSpend(db, year.id, quarter, at.month)).find(
          (candidate) => candidate.item.id === item.id,
        )?.spend;
        return row ? spendFigure(row) : undefined;
      };
      return {
        entered,
        label: `the spend on ${item.ref} ${item.title}`,
        store: {
          find,
          insert: async (db: Database, pence: Pence) => {
            const row = await entryRepository.insertGrowthSpendIfAbsent(db, {
              growthItemId: item.id,
              quarter,
              month: at.month,
              spentPence: pence,
            });
            return row ? spendFigure(row) : undefined;
          },
          update: async (db: Database, id: number, version: number, pence: Pence) => {
            const row = await entryRepository.updateGrowthSpendIfVersion(db, id, version, {
              spentPence: pence,
              updatedAt: new Date(),
            });
            return row ? spendFigure(row) : null;
          },
        },
      };
    });
    const saved = await savePage(tx, {
      actor,
      year,
      at,
      what: "Growth item spend",
      entityType: "growth-item-spend",
      returnUrl: `/budget/${year.code}/${forecastPeriodPath(at)}/growth/edit`,
      figures,
    });
    return { year, quarter, ...saved };
  });
}
