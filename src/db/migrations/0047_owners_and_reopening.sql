-- Who owns each item the period page lists as missing (issue 9, decision 0039). A budget line,
-- a savings initiative and a growth item each gain a budget holder, set with the item on the
-- budget's set-up page; blank (null) when none is named. Sections whose items have no owner of
-- their own (earmarked reserves, debt, financial risks, the report narrative) are owned by a
-- named person per section, set by an administrator in the department's monitoring settings:
-- a JSON object from the section's key to the name, empty when none is set.
alter table monitoring_lines add column owner text;
--> statement-breakpoint
alter table savings_initiatives add column owner text;
--> statement-breakpoint
alter table growth_items add column owner text;
--> statement-breakpoint
alter table departments add column section_owners jsonb not null default '{}'::jsonb;
--> statement-breakpoint
-- A closed period reopened for entry keeps who reopened it, when and why in its audit trail;
-- the period remembers the latest reopening so its page can say so.
alter table monitoring_periods add column reopened_by text;
--> statement-breakpoint
alter table monitoring_periods add column reopened_at timestamptz;
--> statement-breakpoint
alter table monitoring_periods add column reopen_reason text;
