-- A financial risk entered for a period can be changed or removed through a form
-- (src/modules/finance/finance.risks.routes.ts). Each change is version-checked as a forecast is,
-- so nobody overwrites or removes a risk someone else changed after they opened it.
alter table financial_risks
  add column version integer not null default 1,
  add column updated_at timestamptz not null default now();
