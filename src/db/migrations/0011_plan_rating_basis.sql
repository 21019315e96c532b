-- A quarter's rating read from a report may be inferred rather than printed (the 2020/21 quarter 3
-- report shows no symbol beside some deliverables); the sentence saying how it was read is kept so
-- pages can say the rating is inferred and why. An officer's rating from the form has none.
alter table deliverable_progress add column rating_basis text;
--> statement-breakpoint
-- A plan may state its own (departmental) priorities in one sentence rather than list the
-- council's: the sentence is kept as written and each priority it names is a row of its own kind.
alter table plans add column departmental_priorities_as_written text;
--> statement-breakpoint
alter table plan_priorities add column kind text not null default 'council';
