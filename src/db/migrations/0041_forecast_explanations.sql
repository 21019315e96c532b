-- A budget line's explanation of its variance for a period, written by the officer on the same
-- form as the line's controllable budget and forecast, and saved, version-checked and audited
-- with them (decision 0034). Optional: blank when nothing has been written.
alter table monitoring_forecasts add column explanation text not null default '';
