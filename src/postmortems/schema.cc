// Migrations() (declared in postmortems_module.h): the postmortems module's tables, versions
// 140..149 (see app/migrations.cc). Released versions are never edited; add new ones at the end.
#include "postmortems/postmortems_module.h"

namespace failsafe::postmortems {

std::vector<store::Migration> Migrations() {
  return {
      {140, "postmortems", R"sql(
CREATE TABLE postmortems (
  id {{id}},
  incident_id {{int}} NOT NULL UNIQUE REFERENCES incidents(id),
  incident_ref TEXT NOT NULL,
  title TEXT NOT NULL,
  status TEXT NOT NULL,
  summary TEXT NOT NULL DEFAULT '',
  impact TEXT NOT NULL DEFAULT '',
  impacted_services TEXT NOT NULL DEFAULT '[]',
  users_affected TEXT NOT NULL DEFAULT '',
  users_affected_count {{int}},
  root_causes TEXT NOT NULL DEFAULT '[]',
  went_well TEXT NOT NULL DEFAULT '[]',
  went_badly TEXT NOT NULL DEFAULT '[]',
  step_evaluations TEXT NOT NULL DEFAULT '[]',
  extra_revisions TEXT NOT NULL DEFAULT '[]',
  timeline TEXT NOT NULL DEFAULT '[]',
  timeline_refreshed_at {{int}} NOT NULL,
  plan_version_id {{int}},
  plan_key TEXT NOT NULL DEFAULT '',
  plan_version {{int}} NOT NULL DEFAULT 0,
  created_by TEXT NOT NULL,
  created_at {{int}} NOT NULL,
  updated_at {{int}} NOT NULL,
  published_at {{int}},
  published_by TEXT NOT NULL DEFAULT ''
);
CREATE INDEX postmortems_status ON postmortems (status, id);
CREATE TABLE postmortem_actions (
  id {{id}},
  postmortem_id {{int}} NOT NULL REFERENCES postmortems(id),
  title TEXT NOT NULL,
  owner TEXT NOT NULL,
  due_date TEXT NOT NULL,
  status TEXT NOT NULL,
  notes TEXT NOT NULL DEFAULT '',
  created_by TEXT NOT NULL,
  created_at {{int}} NOT NULL,
  updated_at {{int}} NOT NULL,
  done_at {{int}}
);
CREATE INDEX postmortem_actions_postmortem ON postmortem_actions (postmortem_id, id);
CREATE INDEX postmortem_actions_due ON postmortem_actions (status, due_date)
)sql"},
  };
}

}  // namespace failsafe::postmortems
