// Migrations() (declared in plans_module.h): the plans module's tables, versions 110..119.
// Released versions are never edited; add new ones at the end.
#include "plans/plans_module.h"

namespace failsafe::plans {

std::vector<store::Migration> Migrations() {
  return {
      {110, "plans_tables", R"sql(
CREATE TABLE plans (
  id {{id}},
  key TEXT NOT NULL UNIQUE,
  latest_version {{int}} NOT NULL DEFAULT 0,
  created_at {{int}} NOT NULL,
  updated_at {{int}} NOT NULL
);
CREATE TABLE plan_versions (
  id {{id}},
  plan_id {{int}} NOT NULL REFERENCES plans(id),
  version {{int}} NOT NULL,
  status TEXT NOT NULL,
  title_en TEXT NOT NULL,
  title_zh TEXT NOT NULL,
  owner TEXT NOT NULL DEFAULT '',
  content TEXT NOT NULL,
  review_interval_days {{int}} NOT NULL,
  next_review_at {{int}} NOT NULL DEFAULT 0,
  created_at {{int}} NOT NULL,
  created_by TEXT NOT NULL DEFAULT '',
  submitted_at {{int}} NOT NULL DEFAULT 0,
  submitted_by TEXT NOT NULL DEFAULT '',
  approved_at {{int}} NOT NULL DEFAULT 0,
  approved_by TEXT NOT NULL DEFAULT '',
  retired_at {{int}} NOT NULL DEFAULT 0,
  retired_by TEXT NOT NULL DEFAULT '',
  UNIQUE (plan_id, version)
);
CREATE UNIQUE INDEX plan_versions_one_approved ON plan_versions (plan_id) WHERE status = 'approved';
CREATE INDEX plan_versions_review ON plan_versions (status, next_review_at)
)sql"},
  };
}

}  // namespace failsafe::plans
