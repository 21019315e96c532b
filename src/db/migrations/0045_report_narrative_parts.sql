-- The rest of a committee report's parts, written on the period's narrative form with the rest of
-- its words: whether the report's decision is a key decision (and its reference), whether call-in
-- is to be waived (and why), the background papers (one a line), the report's author (name, job
-- title, contact) and the date of the report. Blank, or no date, where not written.
alter table report_narratives
  add column key_decision text not null default '' check (key_decision in ('', 'yes', 'no')),
  add column key_decision_reference text not null default '',
  add column call_in_waived text not null default '' check (call_in_waived in ('', 'yes', 'no')),
  add column call_in_reason text not null default '',
  add column background_papers text not null default '',
  add column author_name text not null default '',
  add column author_job_title text not null default '',
  add column author_contact text not null default '',
  add column report_date date;
