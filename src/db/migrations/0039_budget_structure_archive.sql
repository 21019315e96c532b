-- The budget's structure is set up and kept through pages (issue 10): a year's monitoring lines
-- and the approved budget's divisions are added, renamed, reordered, archived and restored, never
-- deleted, as plan records are (0018) and measure groups (0024). An archived row is hidden from
-- current pages and new documents, kept with its forecasts and figures for history, and can be
-- restored. Each row carries a version so a form opened before someone else saved is refused.
alter table monitoring_lines add column archived_at timestamptz;
--> statement-breakpoint
alter table monitoring_lines add column archived_by text;
--> statement-breakpoint
alter table monitoring_lines add column version integer not null default 1;
--> statement-breakpoint
alter table monitoring_lines add column updated_at timestamptz not null default now();
--> statement-breakpoint
alter table monitoring_lines add constraint monitoring_lines_version_positive check (version >= 1);
--> statement-breakpoint
alter table budget_divisions add column archived_at timestamptz;
--> statement-breakpoint
alter table budget_divisions add column archived_by text;
--> statement-breakpoint
alter table budget_divisions add column version integer not null default 1;
--> statement-breakpoint
alter table budget_divisions add column updated_at timestamptz not null default now();
--> statement-breakpoint
alter table budget_divisions add constraint budget_divisions_version_positive check (version >= 1);
