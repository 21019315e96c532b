-- A service plan's document frozen when the plan is approved: each approval (who, when), and the
-- plan's report model as it stood then, with each file's bytes as first produced from that model.
-- While the plan stays approved its document is served from its latest approval; an edit changes
-- the plan's pages and the next approval's document, never this one. Setting the plan back to
-- draft and approving it again makes a new approval; the earlier ones are kept.
create table plan_approvals (
  id bigint generated always as identity primary key,
  plan_id bigint not null references plans (id),
  approved_by text not null,
  approved_at timestamptz not null default now()
);
--> statement-breakpoint
create index plan_approvals_plan on plan_approvals (plan_id, approved_at);
--> statement-breakpoint
create table approved_plan_documents (
  id bigint generated always as identity primary key,
  approval_id bigint not null references plan_approvals (id),
  format text not null check (format in ('model', 'docx', 'xlsx', 'pdf')),
  content bytea not null,
  created_at timestamptz not null default now(),
  unique (approval_id, format)
);
