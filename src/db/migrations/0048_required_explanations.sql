-- Which budget lines must explain their variance in a period (issue 9, decision 0040): a council
-- budget setting on the one-row finance settings, changed on the budget settings page. 'none'
-- (explanations optional, as decision 0034 left them), 'red' (a line rated Red by the council's
-- rating thresholds) or 'red-amber' (a line rated Red or Amber). A line that must explain and has
-- none is listed as missing on the period page.
alter table finance_settings add column explanations_required text not null default 'none'
  constraint finance_settings_explanations_required_check
  check (explanations_required in ('none', 'red', 'red-amber'));
