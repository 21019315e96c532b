-- A council measure's link to a Department measure can be removed from its page. Removing it
-- keeps the row with no benchmark code and a higher version, so a form opened before the link was
-- made, changed or removed is refused as out of date rather than silently overwriting it.
alter table measure_benchmark_links alter column benchmark_code drop not null
