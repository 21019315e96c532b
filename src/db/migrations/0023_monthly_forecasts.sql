-- A department monitored monthly enters each budget line's forecast for each month, not once a
-- quarter. A forecast row keeps its quarter and, for a month, the month too (1 to 12 of the
-- financial year, within that quarter); a quarter's own figures have no month. One row per line
-- and period: the quarter's own (month null) or each month's.
alter table monitoring_forecasts add column month smallint
  check (month between 1 and 12 and (month + 2) / 3 = quarter);
--> statement-breakpoint
alter table monitoring_forecasts drop constraint monitoring_forecasts_line_id_quarter_key;
--> statement-breakpoint
alter table monitoring_forecasts add constraint monitoring_forecasts_line_period_key
  unique nulls not distinct (line_id, quarter, month);
