-- A monitoring period's report narrative: the words an officer writes for the period's quarterly
-- report (purpose, overview of performance, progress summary, key areas of success, for
-- consideration and to note, explanations of the variances, the officer's recommendations), one
-- row per period, version-checked so that nobody overwrites another's words unknowingly. Key
-- areas are kept one a line, as typed.
create table report_narratives (
  id bigint generated always as identity primary key,
  period_id bigint not null references monitoring_periods (id),
  purpose text not null default '',
  overview text not null default '',
  progress_summary text not null default '',
  key_success text not null default '',
  key_consideration text not null default '',
  key_note text not null default '',
  variance_explanations text not null default '',
  recommendations text not null default '',
  version integer not null default 1,
  updated_by text not null,
  updated_at timestamptz not null default now(),
  unique (period_id)
);
