-- The update round: where each owned item stands in a monitoring period once its owner has
-- submitted it (submitted, returned with a reviewer's comment, approved). An item with no row is
-- not started (nothing recorded for the period) or a draft (recorded, not yet submitted).
-- Version-checked so that two reviewers cannot act on the same submission unknowingly.
create table update_round_items (
  id bigint generated always as identity primary key,
  period_id bigint not null references monitoring_periods (id),
  item_kind text not null,
  item_id bigint not null,
  status text not null,
  comment text,
  version integer not null default 1,
  updated_by text not null,
  updated_at timestamptz not null default now(),
  unique (period_id, item_kind, item_id)
);
