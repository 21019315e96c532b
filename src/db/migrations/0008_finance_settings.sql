-- The council's budget rating thresholds: a budget line (service area) or the whole fund is red
-- at an overspend reaching its percentage of the budget or its amount, whichever is lower; any
-- smaller overspend is amber. One row (id 1), with the defaults of docs/domain.md section 8
-- (DEFAULT_RAG_THRESHOLDS in src/domain/budget.ts); a percentage is in basis points (500 = 5%).
create table finance_settings (
  id integer primary key check (id = 1),
  service_area_red_basis_points integer not null check (service_area_red_basis_points >= 0),
  service_area_red_pence bigint not null check (service_area_red_pence >= 0),
  fund_red_basis_points integer not null check (fund_red_basis_points >= 0),
  fund_red_pence bigint not null check (fund_red_pence >= 0),
  version integer not null default 1,
  updated_at timestamptz not null default now()
);
--> statement-breakpoint
insert into finance_settings
  (id, service_area_red_basis_points, service_area_red_pence, fund_red_basis_points, fund_red_pence)
values (1, 500, 10000000, 50, 100000000)
