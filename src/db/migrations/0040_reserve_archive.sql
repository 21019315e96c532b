-- Earmarked reserves join a year's budget lines and divisions on the budget's set-up page (0039):
-- added, renamed, reordered, archived and restored, never deleted, each change version-checked.
alter table earmarked_reserves add column archived_at timestamptz;
--> statement-breakpoint
alter table earmarked_reserves add column archived_by text;
--> statement-breakpoint
alter table earmarked_reserves add column version integer not null default 1;
--> statement-breakpoint
alter table earmarked_reserves add column updated_at timestamptz not null default now();
--> statement-breakpoint
alter table earmarked_reserves add constraint earmarked_reserves_version_positive check (version >= 1);
