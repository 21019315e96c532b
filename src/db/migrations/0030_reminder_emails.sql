-- Email reminders of the update round (docs/update-round.md#email-reminders).
-- reminder_preferences: a person's choice of one email per item (the default) or one daily digest.
-- reminder_emails: what was sent, one row per item an email was about, so one email about three
-- items (a digest) is three rows sharing its message_id. The row is written before the email is
-- handed to the SMTP server (outcome 'sending') and then given the outcome ('sent' or 'failed',
-- with the server's answer or the error in detail). The partial unique index is what makes
-- sending idempotent: the same reminder (person, item, reason, occasion) is claimed once, however
-- often or however many times at once the sender runs; a failed one may be tried again.
-- occasion: the due date for 'due-soon' and 'overdue', the round item's version for 'returned',
-- the day for 'outstanding' (a performance officer's "remind all outstanding").
create table reminder_preferences (
  person_id bigint primary key references people (id),
  daily_digest boolean not null default false,
  updated_by text not null,
  updated_at timestamptz not null default now()
);
--> statement-breakpoint
create table reminder_emails (
  id bigint generated always as identity primary key,
  message_id text not null,
  period_id bigint not null references monitoring_periods (id),
  person_id bigint not null references people (id),
  recipient text not null,
  item_kind text not null,
  item_id bigint not null,
  item_title text not null,
  reason text not null,
  occasion text not null,
  digest boolean not null default false,
  sent_on date not null,
  outcome text not null default 'sending',
  detail text,
  created_by text not null,
  created_at timestamptz not null default now(),
  constraint reminder_emails_reason_check check (reason in ('due-soon', 'overdue', 'returned', 'outstanding')),
  constraint reminder_emails_outcome_check check (outcome in ('sending', 'sent', 'failed'))
);
--> statement-breakpoint
create unique index reminder_emails_once on reminder_emails (person_id, period_id, item_kind, item_id, reason, occasion)
  where outcome <> 'failed';
--> statement-breakpoint
create index reminder_emails_period on reminder_emails (period_id, created_at);
--> statement-breakpoint
-- Kept pages showing what was sent (the round page, My updates) go stale when these change, as
-- they do when an audit event is recorded (migration 0009).
create trigger reminder_emails_bump_data_version
  after insert or update on reminder_emails
  for each statement execute function bump_data_version();
--> statement-breakpoint
create trigger reminder_preferences_bump_data_version
  after insert or update on reminder_preferences
  for each statement execute function bump_data_version();
