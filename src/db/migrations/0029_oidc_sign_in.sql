-- Sign-in with the council's identity provider by OpenID Connect (docs/sign-in-and-roles.md).
-- Each sign-in begun is a row until the provider sends the person back: only the SHA-256 of its
-- random state is kept as the key (the browser holds the state in a cookie), with the nonce and
-- the PKCE code verifier the callback needs. A row is used once: marking it used is one
-- conditional update, so a replayed callback is refused.
create table oidc_sign_ins (
  state_hash text primary key,
  nonce text not null,
  code_verifier text not null,
  next_path text not null default '/',
  address text not null default '',
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  used_at timestamptz,
  check (expires_at > created_at)
);
--> statement-breakpoint
-- How each attempt was made: a password, or the identity provider. Lock-out counts only
-- password attempts (the identity provider limits its own).
alter table sign_in_attempts
  add column method text not null default 'password' check (method in ('password', 'oidc'));
