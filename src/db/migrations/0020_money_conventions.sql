-- How the council prints money, as its finance settings (one row, id 1, beside the rating
-- thresholds): the unit an imported column is read in when its heading states none; what
-- brackets in a variance column mean; how a variance percentage on a negative budget is signed,
-- its decimal places and what it prints on a zero budget. The defaults are Baseplan's own
-- (DEFAULT_MONEY_CONVENTIONS in src/domain/money-conventions.ts), so nothing printed changes
-- until the council chooses otherwise.
alter table finance_settings
  add column default_import_unit text not null default 'pounds'
    check (default_import_unit in ('pounds', 'thousands', 'millions')),
  add column variance_brackets_mean text not null default 'underspend'
    check (variance_brackets_mean in ('underspend', 'overspend')),
  add column negative_base_sign text not null default 'against-size'
    check (negative_base_sign in ('against-size', 'as-signed')),
  add column percentage_decimals integer not null default 1
    check (percentage_decimals between 0 and 4),
  add column zero_base_text text not null default '100%'
    check (zero_base_text in ('-', 'n/a', '100%'))
