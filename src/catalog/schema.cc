// Migrations() (declared in catalog_module.h): the catalog's tables, versions 100..109.
// Released versions are never edited; add new ones at the end.
//
// Children (members, contacts, levels, targets) are rewritten as a whole on every change of
// their parent, so they carry a `position` instead of their own identity. References between
// catalog rows are checked in code before a delete (to answer a 409 that names the referrer);
// the foreign keys stay as the backstop.
#include "catalog/catalog_module.h"

namespace failsafe::catalog {

std::vector<store::Migration> Migrations() {
  return {
      {100, "catalog_teams_people", R"sql(
CREATE TABLE catalog_teams (
  id {{id}},
  key TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  created_at {{int}} NOT NULL,
  updated_at {{int}} NOT NULL
);
CREATE TABLE catalog_people (
  id {{id}},
  handle TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  user_id {{int}} UNIQUE REFERENCES users(id),
  language TEXT NOT NULL,
  email TEXT NOT NULL DEFAULT '',
  phone TEXT NOT NULL DEFAULT '',
  dingtalk_user_id TEXT NOT NULL DEFAULT '',
  feishu_user_id TEXT NOT NULL DEFAULT '',
  wecom_user_id TEXT NOT NULL DEFAULT '',
  created_at {{int}} NOT NULL,
  updated_at {{int}} NOT NULL
);
CREATE TABLE catalog_team_members (
  team_id {{int}} NOT NULL REFERENCES catalog_teams(id),
  person_id {{int}} NOT NULL REFERENCES catalog_people(id),
  position {{int}} NOT NULL,
  PRIMARY KEY (team_id, person_id)
);
CREATE INDEX catalog_team_members_person ON catalog_team_members (person_id)
)sql"},
      {101, "catalog_services", R"sql(
CREATE TABLE catalog_services (
  id {{id}},
  key TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  tier TEXT NOT NULL,
  owner_team_id {{int}} REFERENCES catalog_teams(id),
  rto_ms {{int}} NOT NULL DEFAULT 0,
  rpo_ms {{int}} NOT NULL DEFAULT 0,
  status_group TEXT NOT NULL DEFAULT 'default',
  created_at {{int}} NOT NULL,
  updated_at {{int}} NOT NULL
);
CREATE TABLE catalog_service_dependencies (
  service_id {{int}} NOT NULL REFERENCES catalog_services(id),
  depends_on_id {{int}} NOT NULL REFERENCES catalog_services(id),
  PRIMARY KEY (service_id, depends_on_id)
);
CREATE INDEX catalog_service_dependencies_target ON catalog_service_dependencies (depends_on_id);
CREATE TABLE catalog_service_contacts (
  service_id {{int}} NOT NULL REFERENCES catalog_services(id),
  position {{int}} NOT NULL,
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  organisation TEXT NOT NULL DEFAULT '',
  role TEXT NOT NULL DEFAULT '',
  phone TEXT NOT NULL DEFAULT '',
  email TEXT NOT NULL DEFAULT '',
  notes TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (service_id, position)
)
)sql"},
      {102, "catalog_schedules", R"sql(
CREATE TABLE catalog_schedules (
  id {{id}},
  key TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  rotation TEXT NOT NULL,
  handoff_minutes {{int}} NOT NULL,
  time_zone TEXT NOT NULL,
  start_date TEXT NOT NULL,
  created_at {{int}} NOT NULL,
  updated_at {{int}} NOT NULL
);
CREATE TABLE catalog_schedule_members (
  schedule_id {{int}} NOT NULL REFERENCES catalog_schedules(id),
  position {{int}} NOT NULL,
  person_id {{int}} NOT NULL REFERENCES catalog_people(id),
  PRIMARY KEY (schedule_id, position)
);
CREATE INDEX catalog_schedule_members_person ON catalog_schedule_members (person_id);
CREATE TABLE catalog_schedule_overrides (
  id {{id}},
  schedule_id {{int}} NOT NULL REFERENCES catalog_schedules(id),
  person_id {{int}} NOT NULL REFERENCES catalog_people(id),
  start_ms {{int}} NOT NULL,
  end_ms {{int}} NOT NULL,
  created_at {{int}} NOT NULL
);
CREATE INDEX catalog_schedule_overrides_schedule ON catalog_schedule_overrides (schedule_id, end_ms);
CREATE INDEX catalog_schedule_overrides_person ON catalog_schedule_overrides (person_id)
)sql"},
      {103, "catalog_escalation_policies", R"sql(
CREATE TABLE catalog_policies (
  id {{id}},
  key TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  repeat_count {{int}} NOT NULL DEFAULT 0,
  created_at {{int}} NOT NULL,
  updated_at {{int}} NOT NULL
);
CREATE TABLE catalog_policy_levels (
  policy_id {{int}} NOT NULL REFERENCES catalog_policies(id),
  position {{int}} NOT NULL,
  delay_ms {{int}} NOT NULL,
  PRIMARY KEY (policy_id, position)
);
CREATE TABLE catalog_policy_targets (
  policy_id {{int}} NOT NULL REFERENCES catalog_policies(id),
  level_position {{int}} NOT NULL,
  position {{int}} NOT NULL,
  target_type TEXT NOT NULL,
  target_id {{int}},
  role TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (policy_id, level_position, position)
);
CREATE INDEX catalog_policy_targets_target ON catalog_policy_targets (target_type, target_id)
)sql"},
      {104, "catalog_severities", R"sql(
CREATE TABLE catalog_severities (
  level TEXT NOT NULL PRIMARY KEY,
  rank {{int}} NOT NULL,
  name_zh TEXT NOT NULL,
  name_en TEXT NOT NULL,
  criteria_zh TEXT NOT NULL,
  criteria_en TEXT NOT NULL,
  ack_target_ms {{int}} NOT NULL,
  update_cadence_ms {{int}} NOT NULL,
  resolve_target_ms {{int}} NOT NULL,
  audiences TEXT NOT NULL,
  escalation_policy_id {{int}} REFERENCES catalog_policies(id),
  updated_at {{int}} NOT NULL
);
INSERT INTO catalog_severities VALUES ('P1', 1, '一级', 'Critical',
  '核心业务中断：全员响应，立即通知管理层和重要客户。',
  'Core business is down: all hands respond; leadership and key customers are told at once.',
  300000, 1800000, 14400000, '["all-hands","leadership","key-customers"]', NULL, 0);
INSERT INTO catalog_severities VALUES ('P2', 2, '二级', 'Major',
  '部分业务功能降级，基本服务仍可用：优先修复，密切关注是否升级。',
  'Part of the business is degraded, basic service remains: fix first and watch for escalation.',
  900000, 3600000, 28800000, '["on-call-team","leadership"]', NULL, 0);
INSERT INTO catalog_severities VALUES ('P3', 3, '三级', 'Minor',
  '少数用户或单个次要功能受影响：工作时间内处理，记录并分析。',
  'A few users or one minor function are affected: handle in working hours, record and analyse.',
  3600000, 14400000, 259200000, '["on-call-team"]', NULL, 0);
INSERT INTO catalog_severities VALUES ('P4', 4, '四级', 'Cosmetic',
  '界面或文字等表面问题：方便时修复，并向用户说明。',
  'Cosmetic issue: fix when convenient and explain to users.',
  86400000, 0, 1209600000, '["service-owner"]', NULL, 0)
)sql"},
      // One audience vocabulary (catalog.h kAudiences): the seeded free words become
      // internal | customers | leadership. A word repeated by the mapping is read once
      // (severity_store.cc); a word outside the mapping stays as written until the next edit.
      {161, "catalog_severity_audiences", R"sql(
UPDATE catalog_severities SET audiences =
  REPLACE(REPLACE(REPLACE(REPLACE(audiences,
    '"all-hands"', '"internal"'), '"on-call-team"', '"internal"'),
    '"service-owner"', '"internal"'), '"key-customers"', '"customers"')
)sql"},
  };
}

}  // namespace failsafe::catalog
