// Budget monitoring tables (src/db/migrations/0004_finance.sql). Money is integer pence.
import {
  bigint,
  boolean,
  date,
  integer,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
} from "drizzle-orm/pg-core";

const pence = (name: string) => bigint(name, { mode: "number" });

export const financialYears = pgTable("financial_years", {
  id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
  code: text("code").notNull().unique(),
  label: text("label").notNull(),
});

export const subjectiveHeadings = pgTable("subjective_headings", {
  key: text("key").primaryKey(),
  title: text("title").notNull(),
  part: text("part").notNull(),
  position: integer("position").notNull(),
});

export const budgetDivisions = pgTable("budget_divisions", {
  id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
  financialYearId: integer("financial_year_id").notNull(),
  name: text("name").notNull(),
  position: integer("position").notNull(),
  statedTotal: boolean("stated_total").notNull().default(false),
  statedGrossPence: pence("stated_gross_pence"),
  statedNetPence: pence("stated_net_pence"),
  /** Archived through the budget's set-up page (migration 0039): hidden from current pages, kept. */
  archivedAt: timestamp("archived_at", { withTimezone: true }),
  archivedBy: text("archived_by"),
  version: integer("version").notNull().default(1),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export const approvedBudgetCells = pgTable("approved_budget_cells", {
  id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
  divisionId: integer("division_id").notNull(),
  headingKey: text("heading_key").notNull(),
  amountPence: pence("amount_pence").notNull(),
  version: integer("version").notNull().default(1),
});

export const monitoringReports = pgTable("monitoring_reports", {
  id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
  financialYearId: integer("financial_year_id").notNull(),
  quarter: smallint("quarter").notNull(),
  portfolio: text("portfolio").notNull(),
  title: text("title").notNull(),
  statedBudgetPence: pence("stated_budget_pence"),
  statedForecastPence: pence("stated_forecast_pence"),
  statedVariancePence: pence("stated_variance_pence"),
  statedPercentage: text("stated_percentage"),
  statedBudgetAfterFundingPence: pence("stated_budget_after_funding_pence"),
  statedVarianceAfterFundingPence: pence("stated_variance_after_funding_pence"),
  statedPercentageAfterFunding: text("stated_percentage_after_funding"),
  overview: text("overview"),
});

export const monitoringLines = pgTable("monitoring_lines", {
  id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
  financialYearId: integer("financial_year_id").notNull(),
  portfolio: text("portfolio").notNull(),
  name: text("name").notNull(),
  position: integer("position").notNull(),
  /** Its budget holder, the officer responsible, by name; null when none is named (migration 0047). */
  owner: text("owner"),
  /** Archived through the budget's set-up page (migration 0039): hidden from current pages, kept. */
  archivedAt: timestamp("archived_at", { withTimezone: true }),
  archivedBy: text("archived_by"),
  version: integer("version").notNull().default(1),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export const monitoringForecasts = pgTable("monitoring_forecasts", {
  id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
  lineId: integer("line_id").notNull(),
  quarter: smallint("quarter").notNull(),
  /** A month's forecast (1 to 12 of the year, within the quarter); null for the quarter's own (migration 0023). */
  month: smallint("month"),
  controllableBudgetPence: pence("controllable_budget_pence").notNull(),
  forecastOutturnPence: pence("forecast_outturn_pence").notNull(),
  /** The officer's explanation of the line's variance for the period; blank when none (migration 0041). */
  explanation: text("explanation").notNull().default(""),
  version: integer("version").notNull().default(1),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export const varianceNarratives = pgTable("variance_narratives", {
  id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
  reportId: integer("report_id").notNull(),
  ref: text("ref").notNull(),
  heading: text("heading").notNull(),
  direction: text("direction").notNull(),
  amountPence: pence("amount_pence").notNull(),
  narrative: text("narrative").notNull(),
  note: text("note"),
  position: integer("position").notNull(),
});

export const varianceNarrativeLines = pgTable(
  "variance_narrative_lines",
  {
    narrativeId: integer("narrative_id").notNull(),
    lineId: integer("line_id").notNull(),
  },
  (table) => [primaryKey({ columns: [table.narrativeId, table.lineId] })],
);

export const additionalFunding = pgTable("additional_funding", {
  id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
  reportId: integer("report_id").notNull(),
  name: text("name").notNull(),
  amountPence: pence("amount_pence").notNull(),
});

export const oneOffIncome = pgTable("one_off_income", {
  id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
  reportId: integer("report_id").notNull(),
  description: text("description").notNull(),
  amountPence: pence("amount_pence").notNull(),
});

export const savingsTargets = pgTable("savings_targets", {
  id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
  financialYearId: integer("financial_year_id").notNull(),
  portfolio: text("portfolio").notNull(),
  currentYearPence: pence("current_year_pence").notNull(),
  priorYearBroughtForwardPence: pence("prior_year_brought_forward_pence").notNull(),
  statedTargetPence: pence("stated_target_pence"),
  version: integer("version").notNull().default(1),
  /** When its amounts were last set on the budget's set-up page (migration 0042). */
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export const savingsInitiatives = pgTable("savings_initiatives", {
  id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
  targetId: integer("target_id").notNull(),
  name: text("name").notNull(),
  noteMarker: text("note_marker"),
  amountPence: pence("amount_pence").notNull(),
  position: integer("position").notNull(),
  /** Its budget holder, the officer responsible, by name; null when none is named (migration 0047). */
  owner: text("owner"),
  /** Archived through the budget's set-up page (migration 0042): hidden from current pages, kept. */
  archivedAt: timestamp("archived_at", { withTimezone: true }),
  archivedBy: text("archived_by"),
  version: integer("version").notNull().default(1),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export const savingsInitiativeForecasts = pgTable("savings_initiative_forecasts", {
  id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
  initiativeId: integer("initiative_id").notNull(),
  quarter: smallint("quarter").notNull(),
  /** A month's figure (1 to 12 of the year, within the quarter); null for the quarter's own (migration 0033). */
  month: smallint("month"),
  forecastAchievedPence: pence("forecast_achieved_pence").notNull(),
  statedMark: text("stated_mark"),
  version: integer("version").notNull().default(1),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export const savingsNotes = pgTable("savings_notes", {
  id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
  targetId: integer("target_id").notNull(),
  marker: text("marker").notNull(),
  text: text("text").notNull(),
});

export const savingsProposals = pgTable("savings_proposals", {
  id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
  financialYearId: integer("financial_year_id").notNull(),
  title: text("title").notNull(),
  description: text("description"),
  amountPence: pence("amount_pence").notNull(),
  position: integer("position").notNull(),
});

export const growthItems = pgTable("growth_items", {
  id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
  financialYearId: integer("financial_year_id").notNull(),
  ref: text("ref").notNull(),
  title: text("title").notNull(),
  ongoingPence: pence("ongoing_pence"),
  oneOffPence: pence("one_off_pence"),
  narrative: text("narrative").notNull(),
  position: integer("position").notNull(),
  /** Its budget holder, the officer responsible, by name; null when none is named (migration 0047). */
  owner: text("owner"),
  /** Archived through the budget's set-up page (migration 0042): hidden from current pages, kept. */
  archivedAt: timestamp("archived_at", { withTimezone: true }),
  archivedBy: text("archived_by"),
  version: integer("version").notNull().default(1),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/** A growth item's spend to date at a quarter end (migration 0022), or a month end (migration 0034). */
export const growthItemSpend = pgTable("growth_item_spend", {
  id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
  growthItemId: integer("growth_item_id").notNull(),
  quarter: smallint("quarter").notNull(),
  /** A month's figure (1 to 12 of the year, within the quarter); null for the quarter's own (migration 0034). */
  month: smallint("month"),
  spentPence: pence("spent_pence").notNull(),
  version: integer("version").notNull().default(1),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export const pressureFunding = pgTable("pressure_funding", {
  id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
  financialYearId: integer("financial_year_id").notNull(),
  name: text("name").notNull(),
  kind: text("kind").notNull(),
  amountPence: pence("amount_pence").notNull(),
  position: integer("position").notNull(),
});

export const financialRisks = pgTable("financial_risks", {
  id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
  financialYearId: integer("financial_year_id").notNull(),
  quarter: smallint("quarter").notNull(),
  /** A month's risk (1 to 12 of the year, within the quarter); null for the quarter's own (migration 0034). */
  month: smallint("month"),
  service: text("service").notNull(),
  risk: text("risk").notNull(),
  sensitivityPence: pence("sensitivity_pence").notNull(),
  likelihood: smallint("likelihood").notNull(),
  position: integer("position").notNull(),
  version: integer("version").notNull().default(1),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export const earmarkedReserves = pgTable("earmarked_reserves", {
  id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
  financialYearId: integer("financial_year_id").notNull(),
  name: text("name").notNull(),
  position: integer("position").notNull(),
  /** Archived through the budget's set-up page (migration 0040): hidden from current pages, kept. */
  archivedAt: timestamp("archived_at", { withTimezone: true }),
  archivedBy: text("archived_by"),
  version: integer("version").notNull().default(1),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export const earmarkedReserveBalances = pgTable("earmarked_reserve_balances", {
  id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
  reserveId: integer("reserve_id").notNull(),
  quarter: smallint("quarter").notNull(),
  /** A month's figure (1 to 12 of the year, within the quarter); null for the quarter's own (migration 0033). */
  month: smallint("month"),
  balancePence: pence("balance_pence").notNull(),
  statedTrend: text("stated_trend"),
  version: integer("version").notNull().default(1),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export const debtProfile = pgTable("debt_profile", {
  id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
  financialYearId: integer("financial_year_id").notNull(),
  quarter: smallint("quarter").notNull(),
  /** A month's figure (1 to 12 of the year, within the quarter); null for the quarter's own (migration 0033). */
  month: smallint("month"),
  bandKey: text("band_key").notNull(),
  band: text("band").notNull(),
  position: integer("position").notNull(),
  amountPence: pence("amount_pence").notNull(),
  statedShare: text("stated_share"),
  statedTrend: text("stated_trend"),
  version: integer("version").notNull().default(1),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export const debtWriteOffs = pgTable("debt_write_offs", {
  id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
  financialYearId: integer("financial_year_id").notNull(),
  quarter: smallint("quarter").notNull(),
  /** A month's figure (1 to 12 of the year, within the quarter); null for the quarter's own (migration 0033). */
  month: smallint("month"),
  periodFrom: date("period_from").notNull(),
  periodTo: date("period_to").notNull(),
  amountPence: pence("amount_pence").notNull(),
  version: integer("version").notNull().default(1),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export const statedTotals = pgTable("stated_totals", {
  id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
  financialYearId: integer("financial_year_id").notNull(),
  quarter: smallint("quarter"),
  key: text("key").notNull(),
  amountPence: pence("amount_pence").notNull(),
  statedText: text("stated_text"),
  statedTrend: text("stated_trend"),
});

/** One row (id 1): the council's budget rating thresholds (migration 0008). */
export const financeSettings = pgTable("finance_settings", {
  id: integer("id").primaryKey(),
  serviceAreaRedBasisPoints: integer("service_area_red_basis_points").notNull(),
  serviceAreaRedPence: pence("service_area_red_pence").notNull(),
  fundRedBasisPoints: integer("fund_red_basis_points").notNull(),
  fundRedPence: pence("fund_red_pence").notNull(),
  defaultImportUnit: text("default_import_unit").notNull().default("pounds"),
  varianceBracketsMean: text("variance_brackets_mean").notNull().default("underspend"),
  negativeBaseSign: text("negative_base_sign").notNull().default("against-size"),
  percentageDecimals: integer("percentage_decimals").notNull().default(1),
  zeroBaseText: text("zero_base_text").notNull().default("100%"),
  /** Which lines must explain their variance in a period: none, red or red-amber (migration 0048). */
  explanationsRequired: text("explanations_required").notNull().default("none"),
  version: integer("version").notNull().default(1),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});
