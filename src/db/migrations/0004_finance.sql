-- Budget monitoring. Money is integer pence in bigint columns everywhere; a quarter is 1-4 of a
-- financial year. Quarters the documents do not give have no rows, so they stay empty.
create table financial_years (
  id integer generated always as identity primary key,
  code text not null unique,
  label text not null
);
--> statement-breakpoint
-- The approved budget's columns: eight subjective headings make the gross budget; income and
-- grants (negative) then give the net budget.
create table subjective_headings (
  key text primary key,
  title text not null,
  part text not null check (part in ('gross', 'income', 'grants')),
  position integer not null
);
--> statement-breakpoint
insert into subjective_headings (key, title, part, position) values
  ('employees', 'Employees', 'gross', 1),
  ('premises', 'Premises', 'gross', 2),
  ('transport', 'Transport', 'gross', 3),
  ('suppliesAndServices', 'Supplies and Services', 'gross', 4),
  ('agencyAndContractedServices', 'Agency and Contracted Services', 'gross', 5),
  ('transferPayments', 'Transfer payments', 'gross', 6),
  ('unallocatedBudget', 'Unallocated budget', 'gross', 7),
  ('controllableRecharges', 'Controllable Recharges', 'gross', 8),
  ('income', 'Income', 'income', 9),
  ('grants', 'Grants', 'grants', 10);
--> statement-breakpoint
-- A division of the approved budget, or (stated_total) the document's own total row.
create table budget_divisions (
  id integer generated always as identity primary key,
  financial_year_id integer not null references financial_years (id),
  name text not null,
  position integer not null,
  stated_total boolean not null default false,
  stated_gross_pence bigint,
  stated_net_pence bigint,
  unique (financial_year_id, name)
);
--> statement-breakpoint
create table approved_budget_cells (
  id integer generated always as identity primary key,
  division_id integer not null references budget_divisions (id),
  heading_key text not null references subjective_headings (key),
  amount_pence bigint not null,
  version integer not null default 1,
  unique (division_id, heading_key)
);
--> statement-breakpoint
-- One quarter's monitoring report for a portfolio, with the totals the document states, so a
-- disagreement with the lines can be shown rather than hidden.
create table monitoring_reports (
  id integer generated always as identity primary key,
  financial_year_id integer not null references financial_years (id),
  quarter smallint not null check (quarter between 1 and 4),
  portfolio text not null,
  title text not null,
  stated_budget_pence bigint,
  stated_forecast_pence bigint,
  stated_variance_pence bigint,
  stated_percentage text,
  stated_budget_after_funding_pence bigint,
  stated_variance_after_funding_pence bigint,
  stated_percentage_after_funding text,
  overview text,
  unique (financial_year_id, quarter, portfolio)
);
--> statement-breakpoint
create table monitoring_lines (
  id integer generated always as identity primary key,
  financial_year_id integer not null references financial_years (id),
  portfolio text not null,
  name text not null,
  position integer not null,
  unique (financial_year_id, portfolio, name)
);
--> statement-breakpoint
-- A line's controllable budget and full-year forecast as reported at one quarter.
create table monitoring_forecasts (
  id integer generated always as identity primary key,
  line_id integer not null references monitoring_lines (id),
  quarter smallint not null check (quarter between 1 and 4),
  controllable_budget_pence bigint not null,
  forecast_outturn_pence bigint not null,
  version integer not null default 1,
  updated_at timestamptz not null default now(),
  unique (line_id, quarter)
);
--> statement-breakpoint
create table variance_narratives (
  id integer generated always as identity primary key,
  report_id integer not null references monitoring_reports (id),
  ref text not null,
  heading text not null,
  direction text not null check (direction in ('overspend', 'underspend')),
  amount_pence bigint not null,
  narrative text not null,
  note text,
  position integer not null
);
--> statement-breakpoint
create table variance_narrative_lines (
  narrative_id integer not null references variance_narratives (id),
  line_id integer not null references monitoring_lines (id),
  primary key (narrative_id, line_id)
);
--> statement-breakpoint
create table additional_funding (
  id integer generated always as identity primary key,
  report_id integer not null references monitoring_reports (id),
  name text not null,
  amount_pence bigint not null
);
--> statement-breakpoint
create table one_off_income (
  id integer generated always as identity primary key,
  report_id integer not null references monitoring_reports (id),
  description text not null,
  amount_pence bigint not null
);
--> statement-breakpoint
-- A year's savings target: current-year reductions plus prior-year reductions brought forward.
create table savings_targets (
  id integer generated always as identity primary key,
  financial_year_id integer not null references financial_years (id),
  portfolio text not null,
  current_year_pence bigint not null,
  prior_year_brought_forward_pence bigint not null,
  stated_target_pence bigint,
  version integer not null default 1,
  unique (financial_year_id, portfolio)
);
--> statement-breakpoint
create table savings_initiatives (
  id integer generated always as identity primary key,
  target_id integer not null references savings_targets (id),
  name text not null,
  note_marker text,
  amount_pence bigint not null,
  position integer not null
);
--> statement-breakpoint
create table savings_initiative_forecasts (
  id integer generated always as identity primary key,
  initiative_id integer not null references savings_initiatives (id),
  quarter smallint not null check (quarter between 1 and 4),
  forecast_achieved_pence bigint not null,
  stated_mark text,
  version integer not null default 1,
  updated_at timestamptz not null default now(),
  unique (initiative_id, quarter)
);
--> statement-breakpoint
create table savings_notes (
  id integer generated always as identity primary key,
  target_id integer not null references savings_targets (id),
  marker text not null,
  text text not null
);
--> statement-breakpoint
-- Savings proposed for a coming year (the 2024-25 list), each in whole pounds as stated.
create table savings_proposals (
  id integer generated always as identity primary key,
  financial_year_id integer not null references financial_years (id),
  title text not null,
  description text,
  amount_pence bigint not null,
  position integer not null
);
--> statement-breakpoint
create table growth_items (
  id integer generated always as identity primary key,
  financial_year_id integer not null references financial_years (id),
  ref text not null,
  title text not null,
  ongoing_pence bigint,
  one_off_pence bigint,
  narrative text not null,
  position integer not null
);
--> statement-breakpoint
create table pressure_funding (
  id integer generated always as identity primary key,
  financial_year_id integer not null references financial_years (id),
  name text not null,
  kind text not null check (kind in ('ongoing', 'one-off')),
  amount_pence bigint not null,
  position integer not null
);
--> statement-breakpoint
create table financial_risks (
  id integer generated always as identity primary key,
  financial_year_id integer not null references financial_years (id),
  quarter smallint not null check (quarter between 1 and 4),
  service text not null,
  risk text not null,
  sensitivity_pence bigint not null,
  likelihood smallint not null check (likelihood between 1 and 5),
  position integer not null
);
--> statement-breakpoint
create table earmarked_reserves (
  id integer generated always as identity primary key,
  financial_year_id integer not null references financial_years (id),
  name text not null,
  position integer not null,
  unique (financial_year_id, name)
);
--> statement-breakpoint
-- A reserve's balance at a quarter. stated_trend is the direction the document reports, kept
-- where the earlier balance is unknown and the trend cannot be computed.
create table earmarked_reserve_balances (
  id integer generated always as identity primary key,
  reserve_id integer not null references earmarked_reserves (id),
  quarter smallint not null check (quarter between 1 and 4),
  balance_pence bigint not null,
  stated_trend text check (stated_trend in ('up', 'unchanged', 'down')),
  unique (reserve_id, quarter)
);
--> statement-breakpoint
create table debt_profile (
  id integer generated always as identity primary key,
  financial_year_id integer not null references financial_years (id),
  quarter smallint not null check (quarter between 1 and 4),
  band_key text not null,
  band text not null,
  position integer not null,
  amount_pence bigint not null,
  stated_share text,
  stated_trend text check (stated_trend in ('up', 'unchanged', 'down')),
  unique (financial_year_id, quarter, band_key)
);
--> statement-breakpoint
create table debt_write_offs (
  id integer generated always as identity primary key,
  financial_year_id integer not null references financial_years (id),
  quarter smallint not null check (quarter between 1 and 4),
  period_from date not null,
  period_to date not null,
  amount_pence bigint not null,
  unique (financial_year_id, quarter)
);
--> statement-breakpoint
-- Totals a document states for a set of stored parts (debt, reserves, proposed savings, budget),
-- kept beside the parts so the pages can say where they disagree.
create table stated_totals (
  id integer generated always as identity primary key,
  financial_year_id integer not null references financial_years (id),
  quarter smallint check (quarter between 1 and 4),
  key text not null,
  amount_pence bigint not null,
  stated_text text,
  stated_trend text check (stated_trend in ('up', 'unchanged', 'down'))
);
