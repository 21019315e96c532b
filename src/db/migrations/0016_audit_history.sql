-- The audit trail as a reader sees it: each event names the record whose page shows it (a
-- measure for a change to one of its values or targets, a budget line for one of its forecasts,
-- a deliverable for its progress) and the monitoring period it belongs to, where it has one.
alter table audit_events add column record_kind text;
--> statement-breakpoint
alter table audit_events add column record_id text;
--> statement-breakpoint
alter table audit_events add column period text;
--> statement-breakpoint
-- Events written before this migration: the record is the entity itself unless its kind says
-- otherwise below.
update audit_events set record_kind = entity_type, record_id = entity_id;
--> statement-breakpoint
update audit_events
   set record_kind = 'measure',
       record_id = coalesce(after ->> 'measureId', before ->> 'measureId')
 where entity_type in ('measure-value', 'measure-target')
   and coalesce(after ->> 'measureId', before ->> 'measureId') is not null;
--> statement-breakpoint
update audit_events
   set record_kind = 'deliverable',
       period = case
         when coalesce(after ->> 'financialYear', '') ~ '^\d{4}[-/]\d{2}$'
          and coalesce(after ->> 'quarter', '') ~ '^[1-4]$'
         then replace(after ->> 'financialYear', '/', '-') || '-q' || (after ->> 'quarter')
       end
 where entity_type = 'deliverable-progress';
--> statement-breakpoint
update audit_events e
   set record_kind = 'budget-line',
       record_id = f.line_id::text,
       period = case when y.code ~ '^\d{4}-\d{2}$' then y.code || '-q' || f.quarter end
  from monitoring_forecasts f
  join monitoring_lines l on l.id = f.line_id
  join financial_years y on y.id = l.financial_year_id
 where e.entity_type = 'monitoring-forecast'
   and e.entity_id = f.id::text;
--> statement-breakpoint
update audit_events e
   set period = case when y.code ~ '^\d{4}-\d{2}$' then y.code || '-q' || f.quarter end
  from savings_initiative_forecasts f
  join savings_initiatives i on i.id = f.initiative_id
  join savings_targets t on t.id = i.target_id
  join financial_years y on y.id = t.financial_year_id
 where e.entity_type = 'savings-initiative-forecast'
   and e.entity_id = f.id::text;
--> statement-breakpoint
update audit_events set period = entity_id
 where entity_type = 'monitoring-period' and entity_id ~ '^\d{4}-\d{2}-[qm]\d{1,2}$';
--> statement-breakpoint
create index audit_events_record on audit_events (record_kind, record_id, occurred_at);
--> statement-breakpoint
create index audit_events_occurred on audit_events (occurred_at, id);
--> statement-breakpoint
-- Append-only: no statement may change or remove an event once written. A row trigger, so it
-- holds for every role on PGlite and PostgreSQL alike; TRUNCATE is not a row event, so restoring
-- a backup into an empty database (which truncates every table in its own transaction) still
-- works. On a PostgreSQL server the installation also revokes UPDATE, DELETE and TRUNCATE from
-- the application's role (docs/audit-trail.md).
create function refuse_audit_event_change() returns trigger language plpgsql as $$
begin
  raise exception 'The audit trail is append-only: % of an audit event is refused.', lower(tg_op)
    using errcode = '42501';
end;
$$;
--> statement-breakpoint
create trigger audit_events_append_only
  before update or delete on audit_events
  for each row execute function refuse_audit_event_change();
