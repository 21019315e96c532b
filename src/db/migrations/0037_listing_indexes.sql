-- The measures list and the dashboard read, for each row they show, the value for the period its
-- table shows, the value recorded before it and the target beside it
-- (src/modules/measures/measures.repository.ts, listedFigures). These indexes find each in a few
-- index entries, so reading them does not grow with the years of values behind a measure.
create index measure_values_listed on measure_values (measure_id, document, column_role, period_key, id)
  where current;
--> statement-breakpoint
create index measure_values_listed_order on measure_values (measure_id, document, id)
  where current and column_role = 'value';
--> statement-breakpoint
create index measure_targets_listed on measure_targets (measure_id, document, period_key, id)
  where current;
