-- Set-up of a council by its own officers. The area a council serves as the ONS and the DfE name
-- it ("Derbyshire", "Kingston upon Hull, City of"), beside the council's own name; and a
-- department's short name for navigation ("CS"), unique within its council whatever the case.
-- Rows written before this migration keep no area or short name until an officer gives one.
alter table councils add column area_name text;
--> statement-breakpoint
alter table departments add column short_name text;
--> statement-breakpoint
create unique index departments_short_name on departments (council_id, lower(short_name));
