-- Key performance measures: one row per distinct measure, however many documents list it.
create table measures (
  id bigint generated always as identity primary key,
  slug text not null unique,
  title text not null,
  other_titles jsonb not null default '[]'::jsonb,
  code text,
  definition text,
  unit text,
  decimals integer,
  polarity text,
  frequency text,
  basis text,
  source text,
  owner text,
  footnote_markers jsonb not null default '[]'::jsonb,
  note text,
  version integer not null default 1,
  updated_at timestamptz not null default now()
);
--> statement-breakpoint
-- A measure table as a document printed it: the document, the priority/theme/outcome it sits under, its key and footnotes.
create table measure_groups (
  id bigint generated always as identity primary key,
  document text not null,
  kind text not null,
  title text not null,
  key_line text,
  footnotes jsonb not null default '[]'::jsonb,
  columns jsonb not null default '[]'::jsonb,
  position integer not null default 0,
  unique (document, title)
);
--> statement-breakpoint
-- A row of a measure table: which measure, under which title, and the rating the document printed.
create table measure_rows (
  id bigint generated always as identity primary key,
  group_id bigint not null references measure_groups (id),
  measure_id bigint references measures (id),
  position integer not null,
  kind text not null default 'measure',
  title_as_written text not null,
  printed_rating text
);
--> statement-breakpoint
create index measure_rows_group on measure_rows (group_id, position);
--> statement-breakpoint
-- What a document said a measure's value was for a period. An edit or restatement adds a row and
-- marks the old one superseded, so the history is kept.
create table measure_values (
  id bigint generated always as identity primary key,
  measure_id bigint not null references measures (id),
  group_id bigint references measure_groups (id),
  document text not null,
  column_heading text not null,
  column_role text not null,
  period_label text not null,
  period_key text not null,
  cell_text text not null,
  amount numeric,
  decimals integer,
  status text,
  annotations jsonb not null default '[]'::jsonb,
  warnings jsonb not null default '[]'::jsonb,
  current boolean not null default true,
  superseded_by bigint,
  recorded_by text not null,
  recorded_at timestamptz not null default now(),
  version integer not null default 1
);
--> statement-breakpoint
create index measure_values_measure on measure_values (measure_id, current);
--> statement-breakpoint
-- A target for a year, in the words written, with the parsed kind. A different target for the
-- same year in a later document is flagged.
create table measure_targets (
  id bigint generated always as identity primary key,
  measure_id bigint not null references measures (id),
  group_id bigint references measure_groups (id),
  document text not null,
  period_label text not null,
  period_key text not null,
  target_text text not null,
  kind text not null,
  warnings jsonb not null default '[]'::jsonb,
  changed_from text,
  current boolean not null default true,
  superseded_by bigint,
  recorded_by text not null,
  recorded_at timestamptz not null default now(),
  version integer not null default 1
);
--> statement-breakpoint
create index measure_targets_measure on measure_targets (measure_id, current);
