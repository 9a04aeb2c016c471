-- Subject profile for the monitoring console (issue 13): who supervises the subject and the numbers an operator
-- calls. All optional; the case-management system remains the source (provisioning or the subjects API fill them).
alter table subjects
    add column phone          text,   -- the subject's own phone
    add column officer_name   text,   -- assigned probation officer
    add column officer_phone  text;   -- the officer's duty phone
