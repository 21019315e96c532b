-- The council: ambition, values and outcomes, each wording tied to the plans that use it.
create table councils (
  id bigint generated always as identity primary key,
  name text not null unique,
  dfe_code text,
  ons_code text,
  region jsonb,
  ambition jsonb not null default '[]'::jsonb,
  values_intro text,
  values jsonb not null default '[]'::jsonb,
  outcomes_intro text,
  version integer not null default 1,
  updated_at timestamptz not null default now()
);
--> statement-breakpoint
-- Council outcomes 1..5; the wording can differ by plan, so every wording is kept with its plans.
create table council_outcomes (
  id bigint generated always as identity primary key,
  council_id bigint not null references councils (id),
  number integer not null,
  wordings jsonb not null default '[]'::jsonb,
  unique (council_id, number)
);
--> statement-breakpoint
-- A department with its headline facts kept as written ("over 2,410 FTEs"), never turned into numbers.
create table departments (
  id bigint generated always as identity primary key,
  council_id bigint not null references councils (id),
  name text not null,
  executive_directors jsonb not null default '[]'::jsonb,
  appointments_as_written text,
  fte_as_written text,
  annual_budget_as_written text,
  headline_paragraph text,
  version integer not null default 1,
  updated_at timestamptz not null default now(),
  unique (council_id, name)
);
--> statement-breakpoint
create table department_divisions (
  id bigint generated always as identity primary key,
  department_id bigint not null references departments (id),
  position integer not null,
  name text not null,
  director text,
  director_as_written text,
  vacant boolean not null default false,
  remit text
);
--> statement-breakpoint
-- A service plan: original or refresh, draft or approved (null when the document says neither).
create table plans (
  id bigint generated always as identity primary key,
  department_id bigint not null references departments (id),
  slug text not null unique,
  title text not null,
  plan_version text not null check (plan_version in ('original', 'refresh')),
  refresh_of_id bigint references plans (id),
  period_as_written text not null,
  from_year integer not null,
  to_year integer not null,
  status text check (status in ('draft', 'approved')),
  status_as_written text,
  executive_director text,
  foreword jsonb,
  vision jsonb,
  departmental_overview jsonb not null default '[]'::jsonb,
  key_achievements jsonb,
  risk_register_note text,
  version integer not null default 1,
  updated_at timestamptz not null default now()
);
--> statement-breakpoint
create table plan_priorities (
  id bigint generated always as identity primary key,
  plan_id bigint not null references plans (id),
  position integer not null,
  title text not null,
  unique (plan_id, title)
);
--> statement-breakpoint
-- Council-wide strategic objectives (numbered across the council), each led by one department.
create table strategic_objectives (
  id bigint generated always as identity primary key,
  plan_id bigint not null references plans (id),
  number integer not null,
  title text not null,
  outcome_number integer,
  lead_department text not null,
  unique (plan_id, number)
);
--> statement-breakpoint
-- Supporting activities on the Base Plan timeline; months are null where the plan gives none.
create table supporting_activities (
  id bigint generated always as identity primary key,
  objective_id bigint not null references strategic_objectives (id),
  parent_id bigint references supporting_activities (id),
  position integer not null,
  text text not null,
  start_month text,
  end_month text
);
--> statement-breakpoint
-- A departmental action. Start-finish is kept as the plan wrote it and read with parsePlanDates
-- when shown, so the words and the reading cannot drift apart.
create table deliverables (
  id bigint generated always as identity primary key,
  plan_id bigint not null references plans (id),
  slug text not null unique,
  position integer not null,
  section text not null,
  section_title text not null,
  group_kind text not null check (group_kind in ('priority', 'service-theme')),
  group_title text not null,
  title text not null,
  lead_as_written text not null,
  lead_officers jsonb not null default '[]'::jsonb,
  start_finish text not null,
  success_measures jsonb not null default '[]'::jsonb,
  success_measures_note text,
  council_plan_as_written text,
  in_council_plan boolean,
  council_plan_priority text,
  version integer not null default 1,
  updated_at timestamptz not null default now()
);
--> statement-breakpoint
-- Measures that evidence a deliverable, by title: resolved against the measures table when read.
create table deliverable_measure_links (
  id bigint generated always as identity primary key,
  deliverable_id bigint not null references deliverables (id),
  position integer not null,
  measure_title text not null,
  unique (deliverable_id, measure_title)
);
--> statement-breakpoint
-- A quarter's progress on a deliverable. A report's update that matches no plan deliverable keeps
-- its own title and a null deliverable rather than being forced onto one.
create table deliverable_progress (
  id bigint generated always as identity primary key,
  deliverable_id bigint references deliverables (id),
  title_as_written text,
  financial_year text not null,
  quarter integer not null check (quarter between 1 and 4),
  rating text not null check (rating in ('strong', 'good', 'review', 'action', 'not-available')),
  rating_source text not null default 'stated',
  flagged_requiring_review boolean not null default false,
  narrative text not null,
  author text not null,
  recorded_at timestamptz not null default now(),
  source_document text,
  match_confidence text
);
--> statement-breakpoint
create index deliverable_progress_quarter on deliverable_progress (financial_year, quarter);
--> statement-breakpoint
-- Key risks; likelihood and impact 1-5, inherent and residual, null where not assessed.
create table risks (
  id bigint generated always as identity primary key,
  plan_id bigint not null references plans (id),
  slug text not null unique,
  position integer not null,
  priority_as_written text,
  priority text,
  description text not null,
  mitigations jsonb not null default '[]'::jsonb,
  inherent_likelihood integer check (inherent_likelihood between 1 and 5),
  inherent_impact integer check (inherent_impact between 1 and 5),
  residual_likelihood integer check (residual_likelihood between 1 and 5),
  residual_impact integer check (residual_impact between 1 and 5),
  category text,
  owner text,
  review_date date,
  version integer not null default 1,
  updated_at timestamptz not null default now()
);
