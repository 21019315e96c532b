-- Plans link to measures by the measure's id, not by matching its title on every read. The
-- plan's own wording of the measure stays in measure_title (pages print it as the plan wrote it).
-- Existing links take the id of the measure whose title, or one of whose former titles, is the
-- link's wording (the lowest id where two match, as the title match chose). A link that matches
-- no measure is kept with no id, so the plan still lists it as written, unlinked; it takes the
-- id of the first measure later added under that title.
alter table deliverable_measure_links add column measure_id bigint references measures (id);
--> statement-breakpoint
update deliverable_measure_links l set measure_id = (
  select m.id from measures m
  where m.title = l.measure_title or m.other_titles @> jsonb_build_array(l.measure_title)
  order by m.id limit 1
);
--> statement-breakpoint
create index deliverable_measure_links_measure on deliverable_measure_links (measure_id);
--> statement-breakpoint
alter table outcome_measure_links add column measure_id bigint references measures (id);
--> statement-breakpoint
update outcome_measure_links l set measure_id = (
  select m.id from measures m
  where m.title = l.measure_title or m.other_titles @> jsonb_build_array(l.measure_title)
  order by m.id limit 1
);
--> statement-breakpoint
create index outcome_measure_links_measure on outcome_measure_links (measure_id);
--> statement-breakpoint
-- A value's own period (the one its cell gives, "Dec 20", else its column's) and that period's
-- kind and span, stored when the value is written beside the cell as written, its figure and its
-- status, so pages compare like periods without reading the cell again. Rows written before this
-- are filled when Baseplan next starts (reading a cell is Baseplan's code, not SQL's).
alter table measure_values add column own_period text;
--> statement-breakpoint
alter table measure_values add column own_period_span text;
--> statement-breakpoint
-- An officer's notes on a value entered for a monitoring period (a document's values have none).
alter table measure_values add column notes text;
--> statement-breakpoint
-- The measures tables refuse what no page or import could mean, as the other modules' tables do:
-- a blank title or document, a unit or polarity Baseplan does not know (src/domain/measure-types.ts
-- lists them), a column role or row kind the tables never print, negative decimals or positions,
-- and a value or target marked current after a later one replaced it.
alter table measures
  add constraint measures_slug_given check (btrim(slug) <> ''),
  add constraint measures_title_given check (btrim(title) <> ''),
  add constraint measures_unit_known check (
    unit in ('percent', 'count', 'days', 'money', 'rate-per-10k', 'percentage-points', 'decimal-rate')
  ),
  add constraint measures_polarity_known check (
    polarity in ('higher-is-better', 'lower-is-better', 'within-range', 'monitor')
  ),
  add constraint measures_decimals_range check (decimals between 0 and 9),
  add constraint measures_other_titles_list check (jsonb_typeof(other_titles) = 'array'),
  add constraint measures_version_positive check (version >= 1);
--> statement-breakpoint
alter table measure_groups
  add constraint measure_groups_document_given check (btrim(document) <> ''),
  add constraint measure_groups_kind_given check (btrim(kind) <> ''),
  add constraint measure_groups_title_given check (btrim(title) <> ''),
  add constraint measure_groups_columns_list check (jsonb_typeof(columns) = 'array'),
  add constraint measure_groups_position_not_negative check (position >= 0);
--> statement-breakpoint
alter table measure_rows
  add constraint measure_rows_kind_known check (kind in ('measure', 'sub-heading')),
  add constraint measure_rows_position_not_negative check (position >= 0),
  add constraint measure_rows_measure_given check (kind <> 'measure' or measure_id is not null);
--> statement-breakpoint
alter table measure_values
  add constraint measure_values_document_given check (btrim(document) <> ''),
  add constraint measure_values_role_known check (
    column_role in ('value', 'latest', 'target', 'rating', 'trend', 'owner', 'comment')
  ),
  add constraint measure_values_period_given check (btrim(period_key) <> ''),
  add constraint measure_values_decimals_range check (decimals between 0 and 9),
  add constraint measure_values_superseded_not_current check (superseded_by is null or not current),
  add constraint measure_values_version_positive check (version >= 1);
--> statement-breakpoint
alter table measure_targets
  add constraint measure_targets_document_given check (btrim(document) <> ''),
  add constraint measure_targets_period_given check (btrim(period_key) <> ''),
  add constraint measure_targets_kind_given check (btrim(kind) <> ''),
  add constraint measure_targets_superseded_not_current check (superseded_by is null or not current),
  add constraint measure_targets_version_positive check (version >= 1);
--> statement-breakpoint
alter table measure_benchmarks
  add constraint measure_benchmarks_document_given check (btrim(document) <> ''),
  add constraint measure_benchmarks_group_given check (btrim(benchmark_group) <> ''),
  add constraint measure_benchmarks_period_given check (btrim(period_key) <> ''),
  add constraint measure_benchmarks_decimals_range check (decimals between 0 and 9),
  add constraint measure_benchmarks_version_positive check (version >= 1);
