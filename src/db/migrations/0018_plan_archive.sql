-- Plan records are archived, never deleted: an archived row is hidden from current pages and new
-- documents, kept for history and published documents, and can be restored. Who archived it and
-- when are kept on the row (the audit trail has the full story).
alter table plans add column archived_at timestamptz;
--> statement-breakpoint
alter table plans add column archived_by text;
--> statement-breakpoint
alter table council_outcomes add column archived_at timestamptz;
--> statement-breakpoint
alter table council_outcomes add column archived_by text;
--> statement-breakpoint
alter table plan_priorities add column archived_at timestamptz;
--> statement-breakpoint
alter table plan_priorities add column archived_by text;
--> statement-breakpoint
alter table strategic_objectives add column archived_at timestamptz;
--> statement-breakpoint
alter table strategic_objectives add column archived_by text;
--> statement-breakpoint
alter table supporting_activities add column archived_at timestamptz;
--> statement-breakpoint
alter table supporting_activities add column archived_by text;
--> statement-breakpoint
alter table deliverables add column archived_at timestamptz;
--> statement-breakpoint
alter table deliverables add column archived_by text;
--> statement-breakpoint
alter table risks add column archived_at timestamptz;
--> statement-breakpoint
alter table risks add column archived_by text;
--> statement-breakpoint
-- Outcomes, priorities and objectives become editable, so they carry a version for stale-edit checks.
alter table council_outcomes add column version integer not null default 1;
--> statement-breakpoint
alter table council_outcomes add column updated_at timestamptz not null default now();
--> statement-breakpoint
alter table plan_priorities add column version integer not null default 1;
--> statement-breakpoint
alter table plan_priorities add column updated_at timestamptz not null default now();
--> statement-breakpoint
alter table strategic_objectives add column version integer not null default 1;
--> statement-breakpoint
alter table strategic_objectives add column updated_at timestamptz not null default now();
