// Migrations() (declared in alerts_module.h): the alerts module's tables, versions 150..159
// (see app/migrations.cc). Released versions are never edited; add new ones at the end.
// Live alerts are not here: they are kept in memory (ADR 0008).
#include "watch/alerts/alerts_module.h"

namespace failsafe::watch::alerts {

std::vector<store::Migration> Migrations() {
  return {
      {150, "alerts", R"sql(
CREATE TABLE alert_sources (
  id {{id}},
  name TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  default_labels TEXT NOT NULL DEFAULT '{}',
  created_by TEXT NOT NULL,
  created_at {{int}} NOT NULL,
  last_seen_at {{int}}
);
CREATE TABLE alert_silences (
  id TEXT PRIMARY KEY,
  matchers TEXT NOT NULL,
  starts_at {{int}} NOT NULL,
  ends_at {{int}} NOT NULL,
  created_by TEXT NOT NULL,
  comment TEXT NOT NULL,
  updated_at {{int}} NOT NULL
);
CREATE TABLE alert_maintenance_windows (
  id {{id}},
  service TEXT NOT NULL,
  starts_at {{int}} NOT NULL,
  ends_at {{int}} NOT NULL,
  reason TEXT NOT NULL DEFAULT '',
  created_by TEXT NOT NULL,
  created_at {{int}} NOT NULL
);
CREATE INDEX alert_maintenance_service ON alert_maintenance_windows (service, ends_at);
CREATE TABLE alert_group_incidents (
  group_key TEXT PRIMARY KEY,
  route TEXT NOT NULL,
  incident_id {{int}} NOT NULL REFERENCES incidents(id),
  created_at {{int}} NOT NULL,
  updated_at {{int}} NOT NULL
);
CREATE INDEX alert_group_incidents_incident ON alert_group_incidents (incident_id)
)sql"},
  };
}

}  // namespace failsafe::watch::alerts
