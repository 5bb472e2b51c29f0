// Storage of on-call schedules, their rotation members and overrides; who is on call.
#include "catalog/catalog_store.h"
#include "catalog/store_util.h"

namespace failsafe::catalog {
namespace {

using internal::RefuseDuplicate;
using internal::RefuseIfReferenced;

constexpr const char* kScheduleSelect =
    "SELECT id, key, name, rotation, handoff_minutes, time_zone, start_date FROM "
    "catalog_schedules ";

Result<Schedule> ScheduleFromRow(store::Tx& tx, const store::Row& r) {
  Schedule s;
  s.id = r.Int(0);
  s.key = r.Text(1);
  s.name = r.Text(2);
  FS_ASSIGN_OR_RETURN(s.rotation, ParseRotationKind(r.Text(3)));
  s.handoff_minutes = static_cast<int>(r.Int(4));
  s.time_zone = r.Text(5);
  s.start_date = r.Text(6);
  FS_ASSIGN_OR_RETURN(auto members,
                      tx.Query("SELECT p.handle FROM catalog_schedule_members m JOIN "
                               "catalog_people p ON p.id = m.person_id WHERE m.schedule_id = ? "
                               "ORDER BY m.position",
                               {s.id}));
  for (const auto& m : members) s.members.push_back(m.Text(0));
  return s;
}

Result<std::optional<Schedule>> FindScheduleWhere(store::Tx& tx, const std::string& where,
                                                  store::Value param) {
  FS_ASSIGN_OR_RETURN(
      auto row, tx.QueryOne(std::string(kScheduleSelect) + "WHERE " + where, {std::move(param)}));
  if (!row) return std::optional<Schedule>();
  FS_ASSIGN_OR_RETURN(Schedule s, ScheduleFromRow(tx, *row));
  return std::optional<Schedule>(std::move(s));
}

Status WriteMembers(store::Tx& tx, const Schedule& s, int64_t id) {
  FS_ASSIGN_OR_RETURN_STATUS(auto ids, PersonIds(tx, s.members, "members"));
  auto cleared = tx.Exec("DELETE FROM catalog_schedule_members WHERE schedule_id = ?", {id});
  if (!cleared) return cleared.error();
  for (size_t i = 0; i < ids.size(); ++i) {
    auto r = tx.Exec(
        "INSERT INTO catalog_schedule_members (schedule_id, position, person_id) VALUES (?, ?, ?)",
        {id, static_cast<int64_t>(i), ids[i]});
    if (!r) return r.error();
  }
  return Status::Ok();
}

RotationSpec SpecOf(const Schedule& s, std::vector<int64_t> member_ids) {
  RotationSpec spec;
  spec.kind = s.rotation;
  spec.handoff_minutes = s.handoff_minutes;
  spec.time_zone = s.time_zone;
  spec.start_date = s.start_date;
  spec.members = std::move(member_ids);
  return spec;
}

}  // namespace

Result<std::optional<Schedule>> FindScheduleByKey(store::Tx& tx, std::string_view key) {
  return FindScheduleWhere(tx, "key = ?", std::string(key));
}

Result<std::optional<Schedule>> FindScheduleById(store::Tx& tx, int64_t id) {
  return FindScheduleWhere(tx, "id = ?", id);
}

Result<std::vector<Schedule>> ListSchedules(store::Tx& tx, const Page& page) {
  FS_ASSIGN_OR_RETURN(auto rows,
                      tx.Query(std::string(kScheduleSelect) + "WHERE id > ? ORDER BY id LIMIT ?",
                               {page.after_id, static_cast<int64_t>(page.limit)}));
  std::vector<Schedule> out;
  for (const auto& r : rows) {
    FS_ASSIGN_OR_RETURN(Schedule s, ScheduleFromRow(tx, r));
    out.push_back(std::move(s));
  }
  return out;
}

Result<int64_t> InsertSchedule(store::Tx& tx, const Schedule& s, int64_t now_ms) {
  FS_RETURN_IF_ERROR(RefuseDuplicate(tx, "SELECT id FROM catalog_schedules WHERE key = ?", s.key, 0,
                                     "schedule", "key"));
  FS_ASSIGN_OR_RETURN(
      int64_t id,
      tx.Insert(
          "INSERT INTO catalog_schedules (key, name, rotation, handoff_minutes, time_zone, "
          "start_date, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
          {s.key, s.name, std::string(RotationKindName(s.rotation)),
           static_cast<int64_t>(s.handoff_minutes), s.time_zone, s.start_date, now_ms, now_ms}));
  FS_RETURN_IF_ERROR(WriteMembers(tx, s, id));
  return id;
}

Status UpdateSchedule(store::Tx& tx, const Schedule& s, int64_t now_ms) {
  FS_RETURN_STATUS_IF_ERROR(RefuseDuplicate(tx, "SELECT id FROM catalog_schedules WHERE key = ?",
                                            s.key, s.id, "schedule", "key"));
  auto r = tx.Exec(
      "UPDATE catalog_schedules SET key = ?, name = ?, rotation = ?, handoff_minutes = ?, "
      "time_zone = ?, start_date = ?, updated_at = ? WHERE id = ?",
      {s.key, s.name, std::string(RotationKindName(s.rotation)),
       static_cast<int64_t>(s.handoff_minutes), s.time_zone, s.start_date, now_ms, s.id});
  if (!r) return r.error();
  return WriteMembers(tx, s, s.id);
}

Status DeleteSchedule(store::Tx& tx, const Schedule& s) {
  FS_RETURN_STATUS_IF_ERROR(RefuseIfReferenced(
      tx, "schedule \"" + s.key + "\"",
      "SELECT 'escalation policy ' || p.key FROM catalog_policy_targets g JOIN catalog_policies p "
      "ON p.id = g.policy_id WHERE g.target_type = 'schedule' AND g.target_id = ?",
      {s.id}));
  for (const char* sql : {"DELETE FROM catalog_schedule_overrides WHERE schedule_id = ?",
                          "DELETE FROM catalog_schedule_members WHERE schedule_id = ?",
                          "DELETE FROM catalog_schedules WHERE id = ?"}) {
    auto r = tx.Exec(sql, {s.id});
    if (!r) return r.error();
  }
  return Status::Ok();
}

Result<std::vector<ScheduleOverride>> ListOverrides(store::Tx& tx, int64_t schedule_id,
                                                    int64_t from_ms, int64_t to_ms) {
  FS_ASSIGN_OR_RETURN(
      auto rows,
      tx.Query("SELECT o.id, p.handle, o.start_ms, o.end_ms FROM catalog_schedule_overrides o "
               "JOIN catalog_people p ON p.id = o.person_id WHERE o.schedule_id = ? AND "
               "o.end_ms > ? AND o.start_ms < ? ORDER BY o.start_ms, o.id",
               {schedule_id, from_ms, to_ms}));
  std::vector<ScheduleOverride> out;
  for (const auto& r : rows) out.push_back({r.Int(0), schedule_id, r.Text(1), r.Int(2), r.Int(3)});
  return out;
}

Result<int64_t> InsertOverride(store::Tx& tx, const ScheduleOverride& o, int64_t now_ms) {
  if (o.end_ms <= o.start_ms) return Err(InvalidArgument("end must be after start", "end"));
  FS_ASSIGN_OR_RETURN(auto ids, PersonIds(tx, {o.person}, "person"));
  return tx.Insert(
      "INSERT INTO catalog_schedule_overrides (schedule_id, person_id, start_ms, end_ms, "
      "created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
      {o.schedule_id, ids[0], o.start_ms, o.end_ms, now_ms});
}

Status DeleteOverride(store::Tx& tx, int64_t schedule_id, int64_t override_id) {
  auto r = tx.Exec("DELETE FROM catalog_schedule_overrides WHERE id = ? AND schedule_id = ?",
                   {override_id, schedule_id});
  if (!r) return r.error();
  if (*r == 0) return NotFound("override " + std::to_string(override_id) + " not found");
  return Status::Ok();
}

Result<std::vector<Shift>> ScheduleShifts(store::Tx& tx, const Schedule& s, int64_t from_ms,
                                          int64_t to_ms) {
  FS_ASSIGN_OR_RETURN(auto member_rows,
                      tx.Query("SELECT person_id FROM catalog_schedule_members WHERE "
                               "schedule_id = ? ORDER BY position",
                               {s.id}));
  std::vector<int64_t> members;
  for (const auto& r : member_rows) members.push_back(r.Int(0));
  FS_ASSIGN_OR_RETURN(auto rows,
                      tx.Query("SELECT id, person_id, start_ms, end_ms FROM "
                               "catalog_schedule_overrides WHERE schedule_id = ? AND end_ms > ? "
                               "AND start_ms < ?",
                               {s.id, from_ms, to_ms}));
  std::vector<OverrideSpan> overrides;
  for (const auto& r : rows) overrides.push_back({r.Int(0), r.Int(1), r.Int(2), r.Int(3)});
  return EffectiveShifts(SpecOf(s, std::move(members)), overrides, from_ms, to_ms);
}

Result<std::vector<Person>> OnCallAt(store::Tx& tx, int64_t schedule_id, int64_t at_ms) {
  FS_ASSIGN_OR_RETURN(auto schedule, FindScheduleById(tx, schedule_id));
  std::vector<Person> out;
  if (!schedule) return out;
  FS_ASSIGN_OR_RETURN(auto shifts, ScheduleShifts(tx, *schedule, at_ms, at_ms + 1));
  for (const Shift& s : shifts) {
    FS_ASSIGN_OR_RETURN(auto person, FindPersonById(tx, s.person_id));
    if (person) out.push_back(std::move(*person));
  }
  return out;
}

}  // namespace failsafe::catalog
