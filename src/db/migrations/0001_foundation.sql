-- Every write in Baseplan records who did what, when, and the record before and after.
create table audit_events (
  id bigint generated always as identity primary key,
  occurred_at timestamptz not null default now(),
  actor text not null,
  action text not null,
  entity_type text not null,
  entity_id text not null,
  summary text not null,
  before jsonb,
  after jsonb
);
--> statement-breakpoint
create index audit_events_entity on audit_events (entity_type, entity_id, occurred_at);
--> statement-breakpoint
-- Council-wide settings (council name, department, current reporting period, officers).
create table settings (
  key text primary key,
  value jsonb not null,
  version integer not null default 1,
  updated_at timestamptz not null default now()
);
