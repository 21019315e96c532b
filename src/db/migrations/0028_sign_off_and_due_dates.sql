-- Sign-off and the round's due dates (docs/update-round.md, decision 0018).
-- An approver signs off a department's period: signed_off_by and signed_off_at are set, and the
-- period is locked: every entry for it is refused until an administrator unlocks it, with a
-- reason kept in the audit trail, which clears them.
-- round_due_on: when the period's round items are due, set when the period is opened for entry;
-- update_round_due_dates: an item's own due date where a performance officer changed it.
alter table monitoring_periods add column signed_off_by text;
--> statement-breakpoint
alter table monitoring_periods add column signed_off_at timestamptz;
--> statement-breakpoint
alter table monitoring_periods add column round_due_on date;
--> statement-breakpoint
alter table monitoring_periods
  add constraint monitoring_periods_signed_off_check check ((signed_off_by is null) = (signed_off_at is null));
--> statement-breakpoint
create table update_round_due_dates (
  id bigint generated always as identity primary key,
  period_id bigint not null references monitoring_periods (id),
  item_kind text not null,
  item_id bigint not null,
  due_on date not null,
  version integer not null default 1,
  updated_by text not null,
  updated_at timestamptz not null default now(),
  unique (period_id, item_kind, item_id)
);
