-- The Department for Education's benchmarking data (the Local Authority Interactive Tool's long
-- file, its data dictionary, its code list and the statistical-neighbour models), imported from the
-- files the Department publishes. Figures are exact decimals (numeric), suppression codes are kept
-- as codes, and every council's rank and quartile band is stored at import, not worked out per page.
create table benchmark_areas (
  code text primary key,
  name text not null,
  region text,
  area_type text,
  kind text not null,
  version integer not null default 1
);
--> statement-breakpoint
create table benchmark_measures (
  code text primary key,
  title text not null,
  chart_title text,
  topic text,
  polarity text not null,
  year_type text not null,
  decimals integer,
  no_quartile boolean not null default false,
  unit_words text,
  status text,
  last_update date,
  next_update date,
  next_update_words text,
  source text,
  version integer not null default 1
);
--> statement-breakpoint
create table benchmark_neighbours (
  model text not null,
  area_code text not null,
  position integer not null,
  neighbour_code text not null,
  closeness text,
  primary key (model, area_code, position)
);
--> statement-breakpoint
create table benchmark_imports (
  id bigint generated always as identity primary key,
  files jsonb not null,
  added integer not null,
  restated integer not null,
  recorded_by text not null,
  recorded_at timestamptz not null default now()
);
--> statement-breakpoint
create table benchmark_periods (
  measure_code text not null references benchmark_measures (code),
  label text not null,
  description text not null,
  starts date not null,
  ends date not null,
  status text,
  q25 numeric,
  q50 numeric,
  q75 numeric,
  councils_with_value integer not null default 0,
  primary key (measure_code, label)
);
--> statement-breakpoint
-- One row per measure, period and area as published; a restated figure keeps the row it replaces
-- (current = false, replaced_by_import set), so the history of every figure stays readable.
create table benchmark_values (
  id bigint generated always as identity primary key,
  measure_code text not null,
  period_label text not null,
  area_code text not null,
  amount numeric,
  code text,
  rank integer,
  rank_of integer,
  band text,
  current boolean not null default true,
  import_id bigint not null,
  replaced_by_import bigint
);
--> statement-breakpoint
create unique index benchmark_values_current on benchmark_values (measure_code, period_label, area_code) where current;
--> statement-breakpoint
create table measure_benchmark_links (
  measure_id bigint primary key references measures (id),
  benchmark_code text not null references benchmark_measures (code),
  version integer not null default 1
);
