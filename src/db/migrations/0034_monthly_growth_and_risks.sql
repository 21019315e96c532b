-- A department monitored monthly enters the spend to date on each growth item and its financial
-- risks for each month, not once a quarter (decision 0024), as migration 0033 did for savings,
-- reserves and debt: a row keeps its quarter and, for a month, the month too (1 to 12 of the
-- financial year, within that quarter); a quarter's own rows have no month. One spend row per
-- growth item and period: the quarter's own (month null) or each month's.
alter table growth_item_spend add column month smallint
  check (month between 1 and 12 and (month + 2) / 3 = quarter);
--> statement-breakpoint
alter table growth_item_spend drop constraint growth_item_spend_growth_item_id_quarter_key;
--> statement-breakpoint
alter table growth_item_spend add constraint growth_item_spend_period_key
  unique nulls not distinct (growth_item_id, quarter, month);
--> statement-breakpoint
alter table financial_risks add column month smallint
  check (month between 1 and 12 and (month + 2) / 3 = quarter);
