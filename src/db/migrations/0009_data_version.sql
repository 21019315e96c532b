-- One number that changes whenever any data changes, so a process can tell cheaply whether what
-- it rendered earlier is still true. Every write records an audit event in its transaction, so
-- the audit insert bumps it; the row lock orders concurrent writers, so a reader can never see
-- a version that a slower, earlier transaction will later commit under.
create table data_version (
  id integer primary key check (id = 1),
  version bigint not null
);
--> statement-breakpoint
insert into data_version (id, version) values (1, 0);
--> statement-breakpoint
create function bump_data_version() returns trigger language plpgsql as $$
begin
  update data_version set version = version + 1 where id = 1;
  return null;
end;
$$;
--> statement-breakpoint
create trigger audit_events_bump_data_version
  after insert on audit_events
  for each statement execute function bump_data_version();
