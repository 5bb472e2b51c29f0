// Storage of people and teams.
#include <set>

#include "catalog/catalog_store.h"
#include "catalog/store_util.h"

namespace failsafe::catalog {
namespace {

using internal::RefuseDuplicate;
using internal::RefuseIfReferenced;

constexpr const char* kPersonColumns =
    "id, handle, name, language, email, phone, dingtalk_user_id, feishu_user_id, wecom_user_id, "
    "user_id";

Person PersonFromRow(const store::Row& r) {
  Person p;
  p.id = r.Int(0);
  p.handle = r.Text(1);
  p.name = r.Text(2);
  p.language = r.Text(3);
  p.email = r.Text(4);
  p.phone = r.Text(5);
  p.dingtalk_user_id = r.Text(6);
  p.feishu_user_id = r.Text(7);
  p.wecom_user_id = r.Text(8);
  p.user_id = r.OptInt(9);
  return p;
}

Result<std::optional<Person>> FindPersonWhere(store::Tx& tx, const std::string& where,
                                              store::Value param) {
  FS_ASSIGN_OR_RETURN(auto row, tx.QueryOne(std::string("SELECT ") + kPersonColumns +
                                                " FROM catalog_people WHERE " + where,
                                            {std::move(param)}));
  if (!row) return std::optional<Person>();
  return std::optional<Person>(PersonFromRow(*row));
}

Status CheckPersonUnique(store::Tx& tx, const Person& p) {
  FS_RETURN_STATUS_IF_ERROR(RefuseDuplicate(tx, "SELECT id FROM catalog_people WHERE handle = ?",
                                            p.handle, p.id, "person", "handle"));
  if (!p.user_id) return Status::Ok();
  auto user = tx.QueryOne("SELECT id FROM users WHERE id = ?", {*p.user_id});
  if (!user) return user.error();
  if (!*user) {
    return InvalidArgument("user " + std::to_string(*p.user_id) + " does not exist", "user_id");
  }
  auto other = tx.QueryOne("SELECT handle, id FROM catalog_people WHERE user_id = ?", {*p.user_id});
  if (!other) return other.error();
  if (*other && (*other)->Int(1) != p.id) {
    return AlreadyExists(
        "user " + std::to_string(*p.user_id) + " is already person \"" + (*other)->Text(0) + "\"",
        "user_id");
  }
  return Status::Ok();
}

// The person's columns in table order, then `tail_a` and `tail_b` (built in one go: growing a
// vector of variants trips g++ 12's -Wmaybe-uninitialized false positive at -O2).
std::vector<store::Value> PersonParams(const Person& p, int64_t tail_a, int64_t tail_b) {
  return {p.handle,         p.name,          p.language,
          p.email,          p.phone,         p.dingtalk_user_id,
          p.feishu_user_id, p.wecom_user_id, store::OptionalInt(p.user_id),
          tail_a,           tail_b};
}

Result<std::vector<std::string>> TeamMembers(store::Tx& tx, int64_t team_id) {
  FS_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT p.handle FROM catalog_team_members m JOIN "
                                          "catalog_people p ON p.id = m.person_id WHERE "
                                          "m.team_id = ? ORDER BY m.position",
                                          {team_id}));
  std::vector<std::string> out;
  for (const auto& r : rows) out.push_back(r.Text(0));
  return out;
}

Status WriteTeamMembers(store::Tx& tx, const Team& team, int64_t team_id) {
  FS_ASSIGN_OR_RETURN_STATUS(auto ids, PersonIds(tx, team.members, "members"));
  std::set<int64_t> seen;
  for (size_t i = 0; i < ids.size(); ++i) {
    if (!seen.insert(ids[i]).second) {
      return InvalidArgument("person \"" + team.members[i] + "\" is listed twice", "members");
    }
  }
  auto cleared = tx.Exec("DELETE FROM catalog_team_members WHERE team_id = ?", {team_id});
  if (!cleared) return cleared.error();
  for (size_t i = 0; i < ids.size(); ++i) {
    auto r = tx.Exec(
        "INSERT INTO catalog_team_members (team_id, person_id, position) VALUES "
        "(?, ?, ?)",
        {team_id, ids[i], static_cast<int64_t>(i)});
    if (!r) return r.error();
  }
  return Status::Ok();
}

Result<Team> TeamFromRow(store::Tx& tx, const store::Row& r) {
  Team t;
  t.id = r.Int(0);
  t.key = r.Text(1);
  t.name = r.Text(2);
  FS_ASSIGN_OR_RETURN(t.members, TeamMembers(tx, t.id));
  return t;
}

}  // namespace

Result<std::optional<Person>> FindPersonById(store::Tx& tx, int64_t id) {
  return FindPersonWhere(tx, "id = ?", id);
}

Result<std::optional<Person>> FindPersonByHandle(store::Tx& tx, std::string_view handle) {
  return FindPersonWhere(tx, "handle = ?", std::string(handle));
}

Result<std::optional<Person>> FindPersonByUserId(store::Tx& tx, int64_t user_id) {
  return FindPersonWhere(tx, "user_id = ?", user_id);
}

Result<std::vector<int64_t>> PersonIds(store::Tx& tx, const std::vector<std::string>& handles,
                                       const std::string& field) {
  std::vector<int64_t> ids;
  ids.reserve(handles.size());
  for (const auto& h : handles) {
    FS_ASSIGN_OR_RETURN(auto row,
                        tx.QueryOne("SELECT id FROM catalog_people WHERE handle = ?", {h}));
    if (!row) return Err(InvalidArgument("no person with handle \"" + h + "\"", field));
    ids.push_back(row->Int(0));
  }
  return ids;
}

Result<std::vector<Person>> ListPeople(store::Tx& tx, const Page& page) {
  FS_ASSIGN_OR_RETURN(auto rows, tx.Query(std::string("SELECT ") + kPersonColumns +
                                              " FROM catalog_people WHERE id > ? ORDER BY id "
                                              "LIMIT ?",
                                          {page.after_id, static_cast<int64_t>(page.limit)}));
  std::vector<Person> out;
  for (const auto& r : rows) out.push_back(PersonFromRow(r));
  return out;
}

Result<int64_t> InsertPerson(store::Tx& tx, const Person& person, int64_t now_ms) {
  FS_RETURN_IF_ERROR(CheckPersonUnique(tx, person));
  const auto params = PersonParams(person, now_ms, now_ms);
  return tx.Insert(
      "INSERT INTO catalog_people (handle, name, language, email, phone, dingtalk_user_id, "
      "feishu_user_id, wecom_user_id, user_id, created_at, updated_at) VALUES "
      "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      params);
}

Status UpdatePerson(store::Tx& tx, const Person& person, int64_t now_ms) {
  FS_RETURN_STATUS_IF_ERROR(CheckPersonUnique(tx, person));
  const auto params = PersonParams(person, now_ms, person.id);
  auto r = tx.Exec(
      "UPDATE catalog_people SET handle = ?, name = ?, language = ?, email = ?, phone = ?, "
      "dingtalk_user_id = ?, feishu_user_id = ?, wecom_user_id = ?, user_id = ?, updated_at = ? "
      "WHERE id = ?",
      params);
  return r ? Status::Ok() : r.error();
}

Status DeletePerson(store::Tx& tx, const Person& person) {
  FS_RETURN_STATUS_IF_ERROR(RefuseIfReferenced(
      tx, "person \"" + person.handle + "\"",
      "SELECT 'team ' || t.key FROM catalog_team_members m JOIN catalog_teams t ON t.id = "
      "m.team_id WHERE m.person_id = ? "
      "UNION SELECT 'schedule ' || s.key FROM catalog_schedule_members m JOIN catalog_schedules s "
      "ON s.id = m.schedule_id WHERE m.person_id = ? "
      "UNION SELECT 'override on schedule ' || s.key FROM catalog_schedule_overrides o JOIN "
      "catalog_schedules s ON s.id = o.schedule_id WHERE o.person_id = ? "
      "UNION SELECT 'escalation policy ' || p.key FROM catalog_policy_targets g JOIN "
      "catalog_policies p ON p.id = g.policy_id WHERE g.target_type = 'person' AND g.target_id = ?",
      {person.id, person.id, person.id, person.id}));
  auto r = tx.Exec("DELETE FROM catalog_people WHERE id = ?", {person.id});
  return r ? Status::Ok() : r.error();
}

Result<std::optional<Team>> FindTeamByKey(store::Tx& tx, std::string_view key) {
  FS_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT id, key, name FROM catalog_teams WHERE key = ?",
                                            {std::string(key)}));
  if (!row) return std::optional<Team>();
  FS_ASSIGN_OR_RETURN(Team t, TeamFromRow(tx, *row));
  return std::optional<Team>(std::move(t));
}

Result<std::vector<Team>> ListTeams(store::Tx& tx, const Page& page) {
  FS_ASSIGN_OR_RETURN(auto rows,
                      tx.Query("SELECT id, key, name FROM catalog_teams WHERE id > ? ORDER BY id "
                               "LIMIT ?",
                               {page.after_id, static_cast<int64_t>(page.limit)}));
  std::vector<Team> out;
  for (const auto& r : rows) {
    FS_ASSIGN_OR_RETURN(Team t, TeamFromRow(tx, r));
    out.push_back(std::move(t));
  }
  return out;
}

Result<int64_t> InsertTeam(store::Tx& tx, const Team& team, int64_t now_ms) {
  FS_RETURN_IF_ERROR(RefuseDuplicate(tx, "SELECT id FROM catalog_teams WHERE key = ?", team.key,
                                     team.id, "team", "key"));
  FS_ASSIGN_OR_RETURN(int64_t id, tx.Insert("INSERT INTO catalog_teams (key, name, created_at, "
                                            "updated_at) VALUES (?, ?, ?, ?) RETURNING id",
                                            {team.key, team.name, now_ms, now_ms}));
  FS_RETURN_IF_ERROR(WriteTeamMembers(tx, team, id));
  return id;
}

Status UpdateTeam(store::Tx& tx, const Team& team, int64_t now_ms) {
  FS_RETURN_STATUS_IF_ERROR(RefuseDuplicate(tx, "SELECT id FROM catalog_teams WHERE key = ?",
                                            team.key, team.id, "team", "key"));
  auto r = tx.Exec("UPDATE catalog_teams SET key = ?, name = ?, updated_at = ? WHERE id = ?",
                   {team.key, team.name, now_ms, team.id});
  if (!r) return r.error();
  return WriteTeamMembers(tx, team, team.id);
}

Status DeleteTeam(store::Tx& tx, const Team& team) {
  FS_RETURN_STATUS_IF_ERROR(RefuseIfReferenced(
      tx, "team \"" + team.key + "\"",
      "SELECT 'service ' || key FROM catalog_services WHERE owner_team_id = ? "
      "UNION SELECT 'escalation policy ' || p.key FROM catalog_policy_targets g JOIN "
      "catalog_policies p ON p.id = g.policy_id WHERE g.target_type = 'team' AND g.target_id = ?",
      {team.id, team.id}));
  auto m = tx.Exec("DELETE FROM catalog_team_members WHERE team_id = ?", {team.id});
  if (!m) return m.error();
  auto r = tx.Exec("DELETE FROM catalog_teams WHERE id = ?", {team.id});
  return r ? Status::Ok() : r.error();
}

}  // namespace failsafe::catalog
