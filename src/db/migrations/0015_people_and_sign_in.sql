-- The people who use Baseplan and what each may do (docs/sign-in-and-roles.md). A person belongs
-- to one council; their email (kept in lower case) is unique within it. A person is invited,
-- becomes active when they set a password, and may be deactivated; never deleted, because the
-- audit trail names them. The password is kept only as a memory-hard hash (scrypt; the hash
-- string carries its own parameters).
create table people (
  id bigint generated always as identity primary key,
  council_id bigint not null references councils (id),
  email text not null check (email = lower(btrim(email)) and email like '%_@_%'),
  display_name text not null check (btrim(display_name) <> ''),
  status text not null default 'invited' check (status in ('invited', 'active', 'deactivated')),
  password_hash text,
  password_set_at timestamptz,
  created_by text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  version integer not null default 1 check (version >= 1),
  unique (council_id, email)
);
--> statement-breakpoint
create index people_email on people (email);
--> statement-breakpoint
-- A person's roles: for the whole council (no department) or for one department of it.
create table role_memberships (
  id bigint generated always as identity primary key,
  person_id bigint not null references people (id),
  council_id bigint not null references councils (id),
  department_id bigint references departments (id),
  role text not null check (
    role in ('administrator', 'performance-officer', 'finance-officer', 'owner', 'approver', 'viewer')
  ),
  created_by text not null,
  created_at timestamptz not null default now(),
  unique nulls not distinct (person_id, department_id, role)
);
--> statement-breakpoint
create index role_memberships_person on role_memberships (person_id);
--> statement-breakpoint
-- A link to set a password: only the SHA-256 of its random token is kept; used once, by a time.
create table invitations (
  id bigint generated always as identity primary key,
  person_id bigint not null references people (id),
  token_hash text not null unique,
  created_by text not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  used_at timestamptz
);
--> statement-breakpoint
-- Signed-in sessions. The cookie holds a random id; only its SHA-256 is kept here, so a copy of
-- the database does not sign anyone in. A session ends when signed out (ended_at), when idle too
-- long (last_seen_at) or at its absolute end (expires_at).
create table sessions (
  id_hash text primary key,
  person_id bigint not null references people (id),
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  expires_at timestamptz not null,
  ended_at timestamptz,
  address text not null default ''
);
--> statement-breakpoint
create index sessions_person on sessions (person_id);
--> statement-breakpoint
-- Every sign-in attempt, kept so that lock-out after repeated failures survives a restart and
-- several processes share it: by the email given and by the address it came from.
create table sign_in_attempts (
  id bigint generated always as identity primary key,
  occurred_at timestamptz not null default now(),
  email text not null,
  address text not null,
  succeeded boolean not null,
  reason text not null
);
--> statement-breakpoint
create index sign_in_attempts_email on sign_in_attempts (email, occurred_at);
--> statement-breakpoint
create index sign_in_attempts_address on sign_in_attempts (address, occurred_at);
