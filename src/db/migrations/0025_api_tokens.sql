-- API tokens (docs/api.md): an administrator issues one per system that reads Baseplan's JSON
-- API. A token acts as the person it is issued for, with that person's roles, so the one access
-- rule applies to it as to a signed-in person. Only the SHA-256 of the token is kept (it is
-- shown once, when issued); a token ends at its expiry, when revoked, or when its person is
-- deactivated. Issuing and revoking are recorded in the audit trail.
create table api_tokens (
  id bigint generated always as identity primary key,
  person_id bigint not null references people (id),
  name text not null check (btrim(name) <> '' and length(name) <= 120),
  token_hash text not null unique,
  created_by text not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  revoked_at timestamptz,
  revoked_by text,
  last_used_at timestamptz,
  check (expires_at > created_at),
  check ((revoked_at is null) = (revoked_by is null))
);
--> statement-breakpoint
create index api_tokens_person on api_tokens (person_id);
