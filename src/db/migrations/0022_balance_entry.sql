-- Entering a period's balances through forms (src/modules/finance/finance.entry.ts). A reserve's
-- balance, a debt band's amount and a write-off are version-checked as a forecast is, so nobody
-- overwrites another's figure unknowingly. A growth item's spend to date at a quarter end is
-- kept beside the item, one row per item and quarter, entered the same way.
alter table earmarked_reserve_balances
  add column version integer not null default 1,
  add column updated_at timestamptz not null default now();
--> statement-breakpoint
alter table debt_profile
  add column version integer not null default 1,
  add column updated_at timestamptz not null default now();
--> statement-breakpoint
alter table debt_write_offs
  add column version integer not null default 1,
  add column updated_at timestamptz not null default now();
--> statement-breakpoint
create table growth_item_spend (
  id integer generated always as identity primary key,
  growth_item_id integer not null references growth_items (id),
  quarter smallint not null check (quarter between 1 and 4),
  spent_pence bigint not null,
  version integer not null default 1,
  updated_at timestamptz not null default now(),
  unique (growth_item_id, quarter)
);
