-- Plans link to measures by the measure's id, not by matching its title on every read. The
-- plan's own wording of the measure stays in measure_title (pages print it as the plan wrote it).
-- Existing links take the id of the measure whose title, or one of whose former titles, is the
-- link's wording (the lowest id where two match, as the title match chose). A link that matches
-- no measure is kept with no id, so the plan still lists it as written, unlinked; it takes the
-- id of the first measure later added under that title.
alter table deliverable_measure_links add column measure_id bigint references measures (id);
--> statement-breakpoint
update deliverable_measure_links l set measure_id = (
  select m.id from measures m
  where m.title = l.measure_title or m.other_titles @> jsonb_build_array(l.measure_title)
  order by m.id limit 1
);
--> statement-breakpoint
create index deliverable_measure_links_measure on deliverable_measure_links (measure_id);
--> statement-breakpoint
alter table outcome_measure_links add column measure_id bigint references measures (id);
--> statement-breakpoint
update outcome_measure_links l set measure_id = (
  select m.id from measures m
  where m.title = l.measure_title or m.other_titles @> jsonb_build_array(l.measure_title)
  order by m.id limit 1
);
--> statement-breakpoint
create index outcome_measure_links_measure on outcome_measure_links (measure_id);
