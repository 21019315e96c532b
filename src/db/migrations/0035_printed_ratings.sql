-- The rating a document printed for a measure, kept per measure, period and document
-- (docs/decisions/0025-printed-ratings-by-period.md). Until now only a table row's latest printed
-- rating was kept (measure_rows.printed_rating), so importing the next quarter's edition of a
-- table lost the quarter before's. A rating is read as the key gives it ("Action" for a symbol
-- the key names so); the cell as written is kept where it is known. A later edition printing a
-- different rating for the same period supersedes it, audited, and the old one is kept.
create table measure_printed_ratings (
  id bigint generated always as identity primary key,
  measure_id bigint not null references measures (id),
  group_id bigint references measure_groups (id),
  document text not null,
  period_label text not null,
  period_key text not null,
  rating_text text not null,
  cell_text text,
  current boolean not null default true,
  superseded_by bigint,
  recorded_by text not null,
  recorded_at timestamptz not null default now()
);
--> statement-breakpoint
create index measure_printed_ratings_measure on measure_printed_ratings (measure_id, current);
--> statement-breakpoint
-- Each row's printed rating so far becomes the rating for its table's rating column's period (the
-- table's latest period, as the import read it). The period's key is the one Baseplan already
-- stored for that label on a value or target, else the label itself. Rows whose table has no
-- period keep their rating on the row only, as before.
insert into measure_printed_ratings
  (measure_id, group_id, document, period_label, period_key, rating_text, recorded_by, recorded_at)
select r.measure_id, g.id, g.document, col.period,
  coalesce(
    (select v.period_key from measure_values v where v.period_label = col.period order by v.id limit 1),
    (select t.period_key from measure_targets t where t.period_label = col.period order by t.id limit 1),
    col.period
  ),
  btrim(r.printed_rating),
  coalesce(
    (select v.recorded_by from measure_values v where v.group_id = g.id order by v.id limit 1),
    'Baseplan'
  ),
  g.updated_at
from measure_rows r
join measure_groups g on g.id = r.group_id
cross join lateral (
  select c.value ->> 'period' as period
  from jsonb_array_elements(g.columns) with ordinality as c (value, position)
  where c.value ->> 'role' = 'rating' and coalesce(c.value ->> 'period', '') <> ''
  order by c.position
  limit 1
) col
where r.measure_id is not null
  and r.printed_rating is not null
  and btrim(r.printed_rating) <> ''
order by r.id;
