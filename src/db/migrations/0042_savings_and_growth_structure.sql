-- Savings initiatives and growth items join a year's budget lines, divisions and reserves on the budget's set-up
-- page (0039, 0040): added, renamed, given their amount, reordered, archived and restored, never
-- deleted, each change version-checked. An archived initiative leaves the period's list of what
-- is still needed and new reports, and keeps its forecasts. A savings target's amounts are set on
-- the same page, version-checked (its version is 0004's); it gains the time of its last change.
alter table savings_initiatives add column archived_at timestamptz;
--> statement-breakpoint
alter table savings_initiatives add column archived_by text;
--> statement-breakpoint
alter table savings_initiatives add column version integer not null default 1;
--> statement-breakpoint
alter table savings_initiatives add column updated_at timestamptz not null default now();
--> statement-breakpoint
alter table savings_initiatives add constraint savings_initiatives_version_positive check (version >= 1);
--> statement-breakpoint
alter table savings_targets add column updated_at timestamptz not null default now();
--> statement-breakpoint
-- Growth items join them the same way: added, changed, reordered, archived and restored.
alter table growth_items add column archived_at timestamptz;
--> statement-breakpoint
alter table growth_items add column archived_by text;
--> statement-breakpoint
alter table growth_items add column version integer not null default 1;
--> statement-breakpoint
alter table growth_items add column updated_at timestamptz not null default now();
--> statement-breakpoint
alter table growth_items add constraint growth_items_version_positive check (version >= 1);
