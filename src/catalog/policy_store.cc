// Storage of escalation policies (levels and their targets) and resolving a level to people.
#include <set>

#include "catalog/catalog_store.h"
#include "catalog/store_util.h"

namespace failsafe::catalog {
namespace {

using internal::RefuseDuplicate;
using internal::RefuseIfReferenced;

// The table holding each target type's rows and the column naming them.
struct TargetTable {
  const char* table;
  const char* key_column;
};

std::optional<TargetTable> TableOf(std::string_view type) {
  if (type == "person") return TargetTable{"catalog_people", "handle"};
  if (type == "schedule") return TargetTable{"catalog_schedules", "key"};
  if (type == "team") return TargetTable{"catalog_teams", "key"};
  return std::nullopt;
}

Result<EscalationPolicy> PolicyFromRow(store::Tx& tx, const store::Row& r) {
  EscalationPolicy p;
  p.id = r.Int(0);
  p.key = r.Text(1);
  p.name = r.Text(2);
  p.repeat = static_cast<int>(r.Int(3));
  FS_ASSIGN_OR_RETURN(auto levels, tx.Query("SELECT position, delay_ms FROM catalog_policy_levels "
                                            "WHERE policy_id = ? ORDER BY position",
                                            {p.id}));
  for (const auto& l : levels) p.levels.push_back({l.Int(1), {}});
  FS_ASSIGN_OR_RETURN(auto targets,
                      tx.Query("SELECT level_position, target_type, target_id, role FROM "
                               "catalog_policy_targets WHERE policy_id = ? ORDER BY "
                               "level_position, position",
                               {p.id}));
  for (const auto& t : targets) {
    const auto level = static_cast<size_t>(t.Int(0));
    if (level >= p.levels.size()) continue;
    EscalationTarget target{t.Text(1), t.Int(2), t.Text(3), {}};
    if (auto table = TableOf(target.type)) {
      FS_ASSIGN_OR_RETURN(auto row, tx.QueryOne(std::string("SELECT ") + table->key_column +
                                                    " FROM " + table->table + " WHERE id = ?",
                                                {target.id}));
      if (row) target.key = row->Text(0);
    }
    p.levels[level].targets.push_back(std::move(target));
  }
  return p;
}

Result<std::optional<EscalationPolicy>> FindPolicyWhere(store::Tx& tx, const std::string& where,
                                                        store::Value param) {
  FS_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT id, key, name, repeat_count FROM "
                                            "catalog_policies WHERE " +
                                                where,
                                            {std::move(param)}));
  if (!row) return std::optional<EscalationPolicy>();
  FS_ASSIGN_OR_RETURN(EscalationPolicy p, PolicyFromRow(tx, *row));
  return std::optional<EscalationPolicy>(std::move(p));
}

// Resolves each target's key to its id (kInvalidArgument naming levels[i].targets[j]).
Status WriteLevels(store::Tx& tx, const EscalationPolicy& p, int64_t id) {
  for (const char* sql : {"DELETE FROM catalog_policy_targets WHERE policy_id = ?",
                          "DELETE FROM catalog_policy_levels WHERE policy_id = ?"}) {
    auto r = tx.Exec(sql, {id});
    if (!r) return r.error();
  }
  for (size_t i = 0; i < p.levels.size(); ++i) {
    const EscalationLevel& level = p.levels[i];
    auto r = tx.Exec(
        "INSERT INTO catalog_policy_levels (policy_id, position, delay_ms) VALUES "
        "(?, ?, ?)",
        {id, static_cast<int64_t>(i), level.delay_ms});
    if (!r) return r.error();
    for (size_t j = 0; j < level.targets.size(); ++j) {
      const EscalationTarget& t = level.targets[j];
      const std::string field =
          "levels[" + std::to_string(i) + "].targets[" + std::to_string(j) + "]";
      store::Value target_id = nullptr;
      if (auto table = TableOf(t.type)) {
        auto row = tx.QueryOne(
            std::string("SELECT id FROM ") + table->table + " WHERE " + table->key_column + " = ?",
            {t.key});
        if (!row) return row.error();
        if (!*row) return InvalidArgument("no " + t.type + " \"" + t.key + "\"", field + ".key");
        target_id = (*row)->Int(0);
      }
      auto ins = tx.Exec(
          "INSERT INTO catalog_policy_targets (policy_id, level_position, position, target_type, "
          "target_id, role) VALUES (?, ?, ?, ?, ?, ?)",
          {id, static_cast<int64_t>(i), static_cast<int64_t>(j), t.type, target_id, t.role});
      if (!ins) return ins.error();
    }
  }
  return Status::Ok();
}

}  // namespace

Result<std::optional<EscalationPolicy>> FindPolicyById(store::Tx& tx, int64_t id) {
  return FindPolicyWhere(tx, "id = ?", id);
}

Result<std::optional<EscalationPolicy>> FindPolicyByKey(store::Tx& tx, std::string_view key) {
  return FindPolicyWhere(tx, "key = ?", std::string(key));
}

Result<std::vector<EscalationPolicy>> ListPolicies(store::Tx& tx, const Page& page) {
  FS_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT id, key, name, repeat_count FROM "
                                          "catalog_policies WHERE id > ? ORDER BY id LIMIT ?",
                                          {page.after_id, static_cast<int64_t>(page.limit)}));
  std::vector<EscalationPolicy> out;
  for (const auto& r : rows) {
    FS_ASSIGN_OR_RETURN(EscalationPolicy p, PolicyFromRow(tx, r));
    out.push_back(std::move(p));
  }
  return out;
}

Result<int64_t> InsertPolicy(store::Tx& tx, const EscalationPolicy& p, int64_t now_ms) {
  FS_RETURN_IF_ERROR(RefuseDuplicate(tx, "SELECT id FROM catalog_policies WHERE key = ?", p.key, 0,
                                     "escalation policy", "key"));
  FS_ASSIGN_OR_RETURN(int64_t id,
                      tx.Insert("INSERT INTO catalog_policies (key, name, "
                                "repeat_count, created_at, updated_at) VALUES "
                                "(?, ?, ?, ?, ?) RETURNING id",
                                {p.key, p.name, static_cast<int64_t>(p.repeat), now_ms, now_ms}));
  FS_RETURN_IF_ERROR(WriteLevels(tx, p, id));
  return id;
}

Status UpdatePolicy(store::Tx& tx, const EscalationPolicy& p, int64_t now_ms) {
  FS_RETURN_STATUS_IF_ERROR(RefuseDuplicate(tx, "SELECT id FROM catalog_policies WHERE key = ?",
                                            p.key, p.id, "escalation policy", "key"));
  auto r = tx.Exec(
      "UPDATE catalog_policies SET key = ?, name = ?, repeat_count = ?, updated_at = ? WHERE id = "
      "?",
      {p.key, p.name, static_cast<int64_t>(p.repeat), now_ms, p.id});
  if (!r) return r.error();
  return WriteLevels(tx, p, p.id);
}

Status DeletePolicy(store::Tx& tx, const EscalationPolicy& p) {
  FS_RETURN_STATUS_IF_ERROR(RefuseIfReferenced(
      tx, "escalation policy \"" + p.key + "\"",
      "SELECT 'severity ' || level FROM catalog_severities WHERE escalation_policy_id = ?",
      {p.id}));
  for (const char* sql : {"DELETE FROM catalog_policy_targets WHERE policy_id = ?",
                          "DELETE FROM catalog_policy_levels WHERE policy_id = ?",
                          "DELETE FROM catalog_policies WHERE id = ?"}) {
    auto r = tx.Exec(sql, {p.id});
    if (!r) return r.error();
  }
  return Status::Ok();
}

Result<std::vector<Person>> ResolveLevel(store::Tx& tx, const EscalationLevel& level,
                                         int64_t at_ms) {
  std::vector<Person> out;
  std::set<int64_t> seen;
  auto add = [&](Person p) {
    if (seen.insert(p.id).second) out.push_back(std::move(p));
  };
  for (const EscalationTarget& t : level.targets) {
    if (t.type == "person") {
      FS_ASSIGN_OR_RETURN(auto p, FindPersonById(tx, t.id));
      if (p) add(std::move(*p));
    } else if (t.type == "schedule") {
      FS_ASSIGN_OR_RETURN(auto people, OnCallAt(tx, t.id, at_ms));
      for (auto& p : people) add(std::move(p));
    } else if (t.type == "team") {
      FS_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT person_id FROM catalog_team_members WHERE "
                                              "team_id = ? ORDER BY position",
                                              {t.id}));
      for (const auto& r : rows) {
        FS_ASSIGN_OR_RETURN(auto p, FindPersonById(tx, r.Int(0)));
        if (p) add(std::move(*p));
      }
    }
    // "role" targets are resolved by the incidents module.
  }
  return out;
}

}  // namespace failsafe::catalog
