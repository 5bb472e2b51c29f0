// Migrations() (declared in backup_service_module.h): the backup service's tables, block
// 170..179. Released versions are never edited; add new ones at the end.
//
// A policy's definition is kept as its canonical JSON (policy_json.h) so that adding a field
// needs no migration; what the scheduler and the status queries filter on (name, service,
// enabled) has columns. Runs and drills keep the policy's name and service key as text, so
// their history survives the policy's deletion.
#include "backup/service/backup_service_module.h"

namespace failsafe::backup::service {

std::vector<store::Migration> Migrations() {
  return {
      {170, "backup_policies", R"sql(
CREATE TABLE backup_policies (
  id {{id}},
  name TEXT NOT NULL UNIQUE,
  service_key TEXT NOT NULL,
  spec TEXT NOT NULL,
  secrets_sealed TEXT NOT NULL DEFAULT '',
  enabled {{int}} NOT NULL,
  created_at {{int}} NOT NULL,
  updated_at {{int}} NOT NULL
);
CREATE INDEX backup_policies_service ON backup_policies (service_key);
CREATE TABLE backup_schedule_state (
  policy_id {{int}} NOT NULL,
  kind TEXT NOT NULL,
  last_due_ms {{int}} NOT NULL,
  PRIMARY KEY (policy_id, kind)
)
)sql"},
      {171, "backup_runs_drills", R"sql(
CREATE TABLE backup_runs (
  id {{id}},
  policy_id {{int}} NOT NULL,
  policy_name TEXT NOT NULL,
  service_key TEXT NOT NULL,
  destination TEXT NOT NULL,
  trigger_kind TEXT NOT NULL,
  full_run {{int}} NOT NULL,
  scheduled_for {{int}} NOT NULL,
  snapshot_id TEXT NOT NULL DEFAULT '',
  started_at {{int}} NOT NULL,
  duration_ms {{int}} NOT NULL,
  bytes_read {{int}} NOT NULL,
  data_added {{int}} NOT NULL,
  files {{int}} NOT NULL,
  error_count {{int}} NOT NULL,
  errors TEXT NOT NULL,
  retention TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL
);
CREATE INDEX backup_runs_policy ON backup_runs (policy_id, started_at);
CREATE INDEX backup_runs_service ON backup_runs (service_key, started_at);
CREATE TABLE backup_drills (
  id {{id}},
  policy_id {{int}} NOT NULL,
  policy_name TEXT NOT NULL,
  service_key TEXT NOT NULL,
  destination TEXT NOT NULL,
  trigger_kind TEXT NOT NULL,
  snapshot_id TEXT NOT NULL DEFAULT '',
  started_at {{int}} NOT NULL,
  duration_ms {{int}} NOT NULL,
  restored_bytes {{int}} NOT NULL,
  verified_bytes {{int}} NOT NULL,
  snapshot_bytes {{int}} NOT NULL,
  files {{int}} NOT NULL,
  projected_ms {{int}} NOT NULL,
  rto_ms {{int}} NOT NULL,
  margin_ms {{int}},
  status TEXT NOT NULL,
  detail TEXT NOT NULL
);
CREATE INDEX backup_drills_policy ON backup_drills (policy_id, started_at);
CREATE INDEX backup_drills_service ON backup_drills (service_key, started_at)
)sql"},
  };
}

}  // namespace failsafe::backup::service
