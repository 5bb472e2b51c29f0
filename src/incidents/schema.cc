// Migrations() (declared in incidents_module.h): the incidents module's tables, versions
// 130..139, then 160.. (see app/migrations.cc). Released versions are never edited; add new ones at
// the end.
#include "incidents/incidents_module.h"

namespace failsafe::incidents {

std::vector<store::Migration> Migrations() {
  return {
      {130, "incidents", R"sql(
CREATE TABLE incident_counters (
  year {{int}} PRIMARY KEY,
  last_seq {{int}} NOT NULL
);
CREATE TABLE incidents (
  id {{id}},
  ref TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL,
  severity TEXT NOT NULL,
  status TEXT NOT NULL,
  summary TEXT NOT NULL DEFAULT '',
  plan_version_id {{int}},
  plan_key TEXT NOT NULL DEFAULT '',
  plan_version {{int}} NOT NULL DEFAULT 0,
  declared_by TEXT NOT NULL,
  declared_at {{int}} NOT NULL,
  acknowledged_at {{int}},
  mitigating_at {{int}},
  recovered_at {{int}},
  verified_at {{int}},
  closed_at {{int}},
  merged_into_id {{int}},
  last_update_at {{int}},
  updated_at {{int}} NOT NULL
);
CREATE INDEX incidents_status ON incidents (status);
CREATE INDEX incidents_declared_at ON incidents (declared_at);
CREATE TABLE incident_services (
  incident_id {{int}} NOT NULL REFERENCES incidents(id),
  service_key TEXT NOT NULL,
  PRIMARY KEY (incident_id, service_key)
);
CREATE INDEX incident_services_key ON incident_services (service_key);
CREATE TABLE incident_roles (
  incident_id {{int}} NOT NULL REFERENCES incidents(id),
  role TEXT NOT NULL,
  role_name TEXT NOT NULL,
  person_id {{int}},
  person_handle TEXT NOT NULL DEFAULT '',
  person_name TEXT NOT NULL DEFAULT '',
  assigned_at {{int}} NOT NULL,
  PRIMARY KEY (incident_id, role)
);
CREATE TABLE incident_checklist (
  id {{id}},
  incident_id {{int}} NOT NULL REFERENCES incidents(id),
  position {{int}} NOT NULL,
  step_key TEXT NOT NULL,
  phase TEXT NOT NULL,
  role TEXT NOT NULL,
  title TEXT NOT NULL,
  instructions TEXT NOT NULL DEFAULT '',
  expected_duration_ms {{int}} NOT NULL DEFAULT 0,
  required {{int}} NOT NULL DEFAULT 1,
  done_at {{int}},
  done_by TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '',
  UNIQUE (incident_id, step_key)
);
CREATE TABLE incident_timeline (
  id {{id}},
  incident_id {{int}} NOT NULL REFERENCES incidents(id),
  at {{int}} NOT NULL,
  actor TEXT NOT NULL,
  kind TEXT NOT NULL,
  text TEXT NOT NULL,
  detail TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX incident_timeline_incident ON incident_timeline (incident_id, id);
CREATE TABLE incident_status_updates (
  id {{id}},
  incident_id {{int}} NOT NULL REFERENCES incidents(id),
  at {{int}} NOT NULL,
  author TEXT NOT NULL,
  stage TEXT NOT NULL,
  audience TEXT NOT NULL,
  language TEXT NOT NULL,
  title TEXT NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX incident_status_updates_incident ON incident_status_updates (incident_id, id);
CREATE TABLE incident_links (
  incident_id {{int}} NOT NULL REFERENCES incidents(id),
  other_id {{int}} NOT NULL REFERENCES incidents(id),
  kind TEXT NOT NULL,
  created_at {{int}} NOT NULL,
  PRIMARY KEY (incident_id, other_id)
)
)sql"},
      {131, "incident_timers", R"sql(
CREATE TABLE incident_timers (
  id {{id}},
  incident_id {{int}} NOT NULL REFERENCES incidents(id),
  kind TEXT NOT NULL,
  due_at {{int}} NOT NULL,
  level {{int}} NOT NULL DEFAULT 0,
  round {{int}} NOT NULL DEFAULT 0,
  fired_at {{int}},
  cancelled_at {{int}}
);
CREATE INDEX incident_timers_due ON incident_timers (due_at) WHERE fired_at IS NULL AND cancelled_at IS NULL;
CREATE INDEX incident_timers_incident ON incident_timers (incident_id);
CREATE TABLE incident_ack_tokens (
  token_hash TEXT PRIMARY KEY,
  incident_id {{int}} NOT NULL REFERENCES incidents(id),
  person_id {{int}},
  created_at {{int}} NOT NULL,
  expires_at {{int}} NOT NULL,
  used_at {{int}}
)
)sql"},
      // A checklist step may be assigned to one person (issue 4: "tick, assign").
      {160, "incident_checklist_assignee", R"sql(
ALTER TABLE incident_checklist ADD COLUMN assignee_id {{int}};
ALTER TABLE incident_checklist ADD COLUMN assignee_handle TEXT NOT NULL DEFAULT '';
ALTER TABLE incident_checklist ADD COLUMN assignee_name TEXT NOT NULL DEFAULT ''
)sql"},
  };
}

}  // namespace failsafe::incidents
