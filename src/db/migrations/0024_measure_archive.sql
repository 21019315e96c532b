-- Measures and measure groups are archived, never deleted, as plan records are (0018): an
-- archived row is hidden from current pages and new documents, kept for history and published
-- documents, and can be restored. Groups become editable (renamed, reordered), so they carry a
-- version for stale-edit checks. A measure merged into another keeps its row, archived, with the
-- id of the measure it was merged into.
alter table measures add column archived_at timestamptz;
--> statement-breakpoint
alter table measures add column archived_by text;
--> statement-breakpoint
alter table measures add column merged_into bigint references measures (id);
--> statement-breakpoint
alter table measure_groups add column archived_at timestamptz;
--> statement-breakpoint
alter table measure_groups add column archived_by text;
--> statement-breakpoint
alter table measure_groups add column version integer not null default 1;
--> statement-breakpoint
alter table measure_groups add column updated_at timestamptz not null default now();
--> statement-breakpoint
alter table measure_groups add constraint measure_groups_version_positive check (version >= 1);
