-- The documents figures and words come from (a service plan, a quarterly report, an import),
-- so pages can name a document by its title rather than the slug other records carry.
create table source_documents (
  slug text primary key,
  title text not null,
  kind text not null,
  published_on date,
  version integer not null default 1
);
