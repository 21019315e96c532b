-- Benchmark figures for a measure and period: "national 16.4%" written inside a value cell
-- ("14.9% (national 16.4%)") is kept as a figure, not only as the cell's words, so targets such
-- as "To remain lower than national average" can be assessed. source says where it came from
-- ("inline": read from a value cell of the document named); value_id is that cell.
create table measure_benchmarks (
  id bigint generated always as identity primary key,
  measure_id bigint not null references measures (id),
  value_id bigint references measure_values (id),
  document text not null,
  period_label text not null,
  period_key text not null,
  benchmark_group text not null,
  label text not null,
  amount numeric not null,
  decimals integer not null,
  source text not null default 'inline',
  current boolean not null default true,
  recorded_by text not null,
  recorded_at timestamptz not null default now(),
  version integer not null default 1
);
--> statement-breakpoint
create index measure_benchmarks_measure on measure_benchmarks (measure_id, current);
--> statement-breakpoint
create index measure_benchmarks_value on measure_benchmarks (value_id);
