-- Monitoring periods as data. The council's financial year starts in year_start_month (April
-- unless the council says otherwise); a department monitors quarterly or monthly. A year is
-- opened for a department with the frequency its periods use, and each period (stored as its key,
-- "2020-21-q3" or "2021-22-m7", src/domain/periods.ts) is open for entry, closed for entry or
-- published. What was confirmed missing when a period was closed or published is kept with it.
alter table councils add column year_start_month integer not null default 4
  check (year_start_month between 1 and 12);
--> statement-breakpoint
alter table departments add column monitoring_frequency text not null default 'quarterly'
  check (monitoring_frequency in ('quarterly', 'monthly'));
--> statement-breakpoint
create table monitoring_years (
  id bigint generated always as identity primary key,
  department_id bigint not null references departments (id),
  start_year integer not null check (start_year between 1000 and 9998),
  frequency text not null check (frequency in ('quarterly', 'monthly')),
  opened_by text not null,
  opened_at timestamptz not null default now(),
  unique (department_id, start_year)
);
--> statement-breakpoint
create table monitoring_periods (
  id bigint generated always as identity primary key,
  year_id bigint not null references monitoring_years (id),
  period text not null check (period ~ '^[0-9]{4}-[0-9]{2}-(q[1-4]|m([1-9]|1[0-2]))$'),
  status text not null check (status in ('open', 'closed', 'published')),
  missing_when_closed jsonb,
  missing_when_published jsonb,
  published_by text,
  published_at timestamptz,
  version integer not null default 1,
  updated_at timestamptz not null default now(),
  unique (year_id, period)
);
--> statement-breakpoint
-- A published period's documents, frozen: the report model as it stood when the period was
-- published, and each file's bytes as first produced from it, served byte for byte after.
create table published_documents (
  id bigint generated always as identity primary key,
  period_id bigint not null references monitoring_periods (id),
  document text not null,
  format text not null check (format in ('model', 'docx', 'xlsx', 'pdf')),
  content bytea not null,
  created_at timestamptz not null default now(),
  unique (period_id, document, format)
);
