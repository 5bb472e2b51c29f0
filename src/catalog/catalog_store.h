#pragma once
// Module-internal: the catalog's storage beyond the public reads of catalog.h: lists, inserts,
// updates and deletes, used by the route files and tests. Every function runs inside the
// caller's transaction. Entities arrive validated field by field (catalog_input.h); these
// functions check what needs the database: unknown references (kInvalidArgument naming the
// field), duplicates (kAlreadyExists naming the key field), dependency cycles, and deletes of
// rows still referenced (kConflict naming who refers to them).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "catalog/rotation.h"

namespace failsafe::catalog {

struct Team {
  int64_t id = 0;
  std::string key, name;
  std::vector<std::string> members;  // person handles, in order
};

struct Schedule {
  int64_t id = 0;
  std::string key, name;
  RotationKind rotation = RotationKind::kWeekly;
  int handoff_minutes = 9 * 60;
  std::string time_zone = "UTC";
  std::string start_date;
  std::vector<std::string> members;  // person handles in rotation order
};

struct ScheduleOverride {
  int64_t id = 0;
  int64_t schedule_id = 0;
  std::string person;  // handle
  int64_t start_ms = 0, end_ms = 0;
};

// Keyset pages: rows with id > after_id, at most `limit`, by id.
struct Page {
  int64_t after_id = 0;
  int limit = 50;
};

// Teams.
Result<std::optional<Team>> FindTeamByKey(store::Tx& tx, std::string_view key);
Result<std::vector<Team>> ListTeams(store::Tx& tx, const Page& page);
Result<int64_t> InsertTeam(store::Tx& tx, const Team& team, int64_t now_ms);
Status UpdateTeam(store::Tx& tx, const Team& team, int64_t now_ms);  // by team.id
Status DeleteTeam(store::Tx& tx, const Team& team);

// People.
Result<std::vector<Person>> ListPeople(store::Tx& tx, const Page& page);
Result<int64_t> InsertPerson(store::Tx& tx, const Person& person, int64_t now_ms);
Status UpdatePerson(store::Tx& tx, const Person& person, int64_t now_ms);
Status DeletePerson(store::Tx& tx, const Person& person);
// Handles -> ids in order; kInvalidArgument naming `field` for an unknown handle.
Result<std::vector<int64_t>> PersonIds(store::Tx& tx, const std::vector<std::string>& handles,
                                       const std::string& field);

// Services. `owner_team_key` and `depends_on` (keys) are resolved here.
Result<std::vector<Service>> ListServices(store::Tx& tx, const Page& page);
Result<int64_t> InsertService(store::Tx& tx, const Service& service, int64_t now_ms);
Status UpdateService(store::Tx& tx, const Service& service, int64_t now_ms);
Status DeleteService(store::Tx& tx, const Service& service);

// Schedules.
Result<std::optional<Schedule>> FindScheduleByKey(store::Tx& tx, std::string_view key);
Result<std::optional<Schedule>> FindScheduleById(store::Tx& tx, int64_t id);
Result<std::vector<Schedule>> ListSchedules(store::Tx& tx, const Page& page);
Result<int64_t> InsertSchedule(store::Tx& tx, const Schedule& schedule, int64_t now_ms);
Status UpdateSchedule(store::Tx& tx, const Schedule& schedule, int64_t now_ms);
Status DeleteSchedule(store::Tx& tx, const Schedule& schedule);
// Overrides of a schedule overlapping [from_ms, to_ms), by start.
Result<std::vector<ScheduleOverride>> ListOverrides(store::Tx& tx, int64_t schedule_id,
                                                    int64_t from_ms, int64_t to_ms);
Result<int64_t> InsertOverride(store::Tx& tx, const ScheduleOverride& o, int64_t now_ms);
// kNotFound when the schedule has no such override.
Status DeleteOverride(store::Tx& tx, int64_t schedule_id, int64_t override_id);
// The schedule's effective shifts over [from_ms, to_ms) (rotation + overrides).
Result<std::vector<Shift>> ScheduleShifts(store::Tx& tx, const Schedule& schedule, int64_t from_ms,
                                          int64_t to_ms);

// Escalation policies. Target keys (person handle, schedule key, team key) are resolved here.
Result<std::vector<EscalationPolicy>> ListPolicies(store::Tx& tx, const Page& page);
Result<int64_t> InsertPolicy(store::Tx& tx, const EscalationPolicy& policy, int64_t now_ms);
Status UpdatePolicy(store::Tx& tx, const EscalationPolicy& policy, int64_t now_ms);
Status DeletePolicy(store::Tx& tx, const EscalationPolicy& policy);

// Severities: only updates (the four levels are seeded by the migration).
// `escalation_policy_key` is resolved here ("" clears it).
Status UpdateSeverity(store::Tx& tx, const SeverityLevel& level, int64_t now_ms);

}  // namespace failsafe::catalog
