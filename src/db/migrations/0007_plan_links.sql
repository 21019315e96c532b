-- Measures a refreshed plan lists under a council outcome ("Linked to the Strategic Objectives").
-- The refresh names the outcome, not the objective, so the link is to the outcome within the plan;
-- measures are matched to the measures table by title when read, like deliverable links.
create table outcome_measure_links (
  id bigint generated always as identity primary key,
  plan_id bigint not null references plans (id),
  outcome_number integer not null,
  position integer not null,
  measure_title text not null,
  line_as_written text,
  target_as_written text,
  after_blank_line boolean not null default false,
  unique (plan_id, outcome_number, measure_title)
);
--> statement-breakpoint
-- Supporting activities' months become editable, so they carry a version for stale-edit checks.
alter table supporting_activities add column version integer not null default 1;
--> statement-breakpoint
alter table supporting_activities add column updated_at timestamptz not null default now();
