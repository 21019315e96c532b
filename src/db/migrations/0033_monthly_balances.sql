-- A department monitored monthly enters savings achieved, earmarked reserve balances, debt by age
-- band and the debt written off for each month, not once a quarter (decision 0021). As for
-- forecasts (migration 0023), a row keeps its quarter and, for a month, the month too (1 to 12 of
-- the financial year, within that quarter); a quarter's own figures have no month. One row per
-- item and period: the quarter's own (month null) or each month's.
alter table savings_initiative_forecasts add column month smallint
  check (month between 1 and 12 and (month + 2) / 3 = quarter);
--> statement-breakpoint
alter table savings_initiative_forecasts drop constraint savings_initiative_forecasts_initiative_id_quarter_key;
--> statement-breakpoint
alter table savings_initiative_forecasts add constraint savings_initiative_forecasts_period_key
  unique nulls not distinct (initiative_id, quarter, month);
--> statement-breakpoint
alter table earmarked_reserve_balances add column month smallint
  check (month between 1 and 12 and (month + 2) / 3 = quarter);
--> statement-breakpoint
alter table earmarked_reserve_balances drop constraint earmarked_reserve_balances_reserve_id_quarter_key;
--> statement-breakpoint
alter table earmarked_reserve_balances add constraint earmarked_reserve_balances_period_key
  unique nulls not distinct (reserve_id, quarter, month);
--> statement-breakpoint
alter table debt_profile add column month smallint
  check (month between 1 and 12 and (month + 2) / 3 = quarter);
--> statement-breakpoint
alter table debt_profile drop constraint debt_profile_financial_year_id_quarter_band_key_key;
--> statement-breakpoint
alter table debt_profile add constraint debt_profile_period_key
  unique nulls not distinct (financial_year_id, quarter, month, band_key);
--> statement-breakpoint
alter table debt_write_offs add column month smallint
  check (month between 1 and 12 and (month + 2) / 3 = quarter);
--> statement-breakpoint
alter table debt_write_offs drop constraint debt_write_offs_financial_year_id_quarter_key;
--> statement-breakpoint
alter table debt_write_offs add constraint debt_write_offs_period_key
  unique nulls not distinct (financial_year_id, quarter, month);
