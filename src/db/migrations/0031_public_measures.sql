-- Measures the council marks public (docs/decisions/0017-public-pages.md): a public measure is
-- shown on the pages anyone can read without signing in (/public), with its values and ratings
-- for published periods only. Off for every measure until a performance officer or an
-- administrator marks it; the change is version-checked and audited like any measure detail.
alter table measures add column public boolean not null default false;
