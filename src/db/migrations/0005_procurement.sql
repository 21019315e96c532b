-- The procurement forward plan (docs/domain.md, section 9). Thresholds are a dated table an
-- administrator extends; the band of each planned procurement is computed from it, never stored,
-- except the band the published plan listed a demo row in (source_band), kept as evidence.
create table procurement_thresholds (
  id bigint generated always as identity primary key,
  in_force_from date not null unique,
  in_force_until date,
  goods_and_services_pence bigint not null check (goods_and_services_pence > 0),
  works_pence bigint not null check (works_pence > 0),
  light_touch_services_pence bigint not null check (light_touch_services_pence > 0),
  note text,
  version integer not null default 1,
  created_at timestamptz not null default now()
);
--> statement-breakpoint
-- One row: the council's own reporting floor for the forward plan.
create table procurement_settings (
  id integer primary key check (id = 1),
  reporting_floor_pence bigint not null check (reporting_floor_pence >= 0),
  buyer_id text,
  buyer_name text,
  version integer not null default 1,
  updated_at timestamptz not null default now()
);
--> statement-breakpoint
-- Inserted as docs/domain.md section 9 gives them, so every council starts with a usable table; the
-- same rows as DEFAULT_THRESHOLD_TABLE in src/domain/procurement.ts.
insert into procurement_thresholds
  (in_force_from, goods_and_services_pence, works_pence, light_touch_services_pence, note)
values
  ('2020-01-01', 18933000, 473325200, 66354000, null),
  ('2022-01-01', 21347700, 533693700, 66354000, 'Values include VAT from here on.'),
  ('2024-01-01', 21490400, 537260900, 66354000, 'Unchanged when the Procurement Act 2023 came into force on 24 February 2025.'),
  ('2026-01-01', 20772000, 519300000, 66354000, null)
--> statement-breakpoint
insert into procurement_settings (id, reporting_floor_pence) values (1, 5000000)
--> statement-breakpoint
-- What the council expects to pay under contracts in a financial year (decides whether a
-- pipeline notice must be published). Keyed by the year it starts in: 2025 is 2025/26.
create table procurement_expected_payments (
  id integer primary key check (id between 1000 and 9998),
  expected_payments_pence bigint not null check (expected_payments_pence >= 0),
  version integer not null default 1,
  updated_at timestamptz not null default now()
);
--> statement-breakpoint
create table planned_procurements (
  id text primary key,
  title text not null,
  description text,
  estimated_value_pence bigint not null check (estimated_value_pence >= 0),
  estimated_value_text text not null,
  value_basis text,
  duration_text text,
  duration_months integer,
  estimated_start_date date not null,
  expected_commencement_date date,
  category text not null check (category in ('goods', 'services', 'works', 'light-touch')),
  department text not null,
  division text,
  status text not null check (status in ('planned', 'advertised', 'awarded', 'withdrawn')),
  notes text,
  source_band text check (source_band in ('floor-to-threshold', 'above-threshold')),
  source_table text,
  source_row integer,
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
--> statement-breakpoint
create index planned_procurements_start on planned_procurements (estimated_start_date);
