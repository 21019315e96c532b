-- Reports read the values of the periods they show, not every value ever recorded: the current
-- values by period key, then measure. The quarterly report finds which periods have values by
-- skipping along this index one key at a time, and reads one period's values for many measures
-- from it, so its cost grows with what it shows rather than with years of monthly history.
create index measure_values_current_period on measure_values (period_key, measure_id) where current;
