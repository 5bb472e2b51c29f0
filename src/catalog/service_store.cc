// Storage of services: the row, its dependencies (no cycles) and its contacts.
#include <map>
#include <set>

#include "catalog/catalog_store.h"
#include "catalog/store_util.h"

namespace failsafe::catalog {
namespace {

using internal::RefuseDuplicate;
using internal::RefuseIfReferenced;

constexpr const char* kServiceSelect =
    "SELECT s.id, s.key, s.name, s.tier, s.owner_team_id, s.rto_ms, s.rpo_ms, s.status_group, "
    "t.key FROM catalog_services s LEFT JOIN catalog_teams t ON t.id = s.owner_team_id ";

Result<Service> ServiceFromRow(store::Tx& tx, const store::Row& r) {
  Service s;
  s.id = r.Int(0);
  s.key = r.Text(1);
  s.name = r.Text(2);
  s.tier = r.Text(3);
  s.owner_team_id = r.OptInt(4);
  s.rto_ms = r.Int(5);
  s.rpo_ms = r.Int(6);
  s.group = r.Text(7);
  s.owner_team_key = r.Text(8);
  FS_ASSIGN_OR_RETURN(auto deps, tx.Query("SELECT d.key FROM catalog_service_dependencies x JOIN "
                                          "catalog_services d ON d.id = x.depends_on_id WHERE "
                                          "x.service_id = ? ORDER BY d.key",
                                          {s.id}));
  for (const auto& d : deps) s.depends_on.push_back(d.Text(0));
  FS_ASSIGN_OR_RETURN(auto contacts,
                      tx.Query("SELECT kind, name, organisation, role, phone, email, notes FROM "
                               "catalog_service_contacts WHERE service_id = ? ORDER BY position",
                               {s.id}));
  for (const auto& c : contacts) {
    s.contacts.push_back(
        {c.Text(0), c.Text(1), c.Text(2), c.Text(3), c.Text(4), c.Text(5), c.Text(6)});
  }
  return s;
}

Result<std::optional<Service>> FindServiceWhere(store::Tx& tx, const std::string& where,
                                                store::Value param) {
  FS_ASSIGN_OR_RETURN(
      auto row, tx.QueryOne(std::string(kServiceSelect) + "WHERE " + where, {std::move(param)}));
  if (!row) return std::optional<Service>();
  FS_ASSIGN_OR_RETURN(Service s, ServiceFromRow(tx, *row));
  return std::optional<Service>(std::move(s));
}

// The owner team's id, or nullopt for none; kInvalidArgument naming owner_team when unknown.
Result<std::optional<int64_t>> OwnerTeamId(store::Tx& tx, const Service& s) {
  if (s.owner_team_key.empty()) return std::optional<int64_t>();
  FS_ASSIGN_OR_RETURN(
      auto row, tx.QueryOne("SELECT id FROM catalog_teams WHERE key = ?", {s.owner_team_key}));
  if (!row)
    return Err(InvalidArgument("no team with key \"" + s.owner_team_key + "\"", "owner_team"));
  return std::optional<int64_t>(row->Int(0));
}

// Dependency ids of `s`; refuses unknown keys, itself, and edges that would close a cycle.
Result<std::vector<int64_t>> DependencyIds(store::Tx& tx, const Service& s, int64_t self_id) {
  std::vector<int64_t> ids;
  for (const auto& key : s.depends_on) {
    if (key == s.key)
      return Err(InvalidArgument("a service cannot depend on itself", "depends_on"));
    FS_ASSIGN_OR_RETURN(auto row,
                        tx.QueryOne("SELECT id FROM catalog_services WHERE key = ?", {key}));
    if (!row) return Err(InvalidArgument("no service with key \"" + key + "\"", "depends_on"));
    ids.push_back(row->Int(0));
  }
  if (self_id == 0 || ids.empty()) return ids;  // a new service has no dependents: no cycle
  // Walk what the new dependencies depend on; reaching self_id closes a cycle.
  FS_ASSIGN_OR_RETURN(auto edges, tx.Query("SELECT service_id, depends_on_id FROM "
                                           "catalog_service_dependencies WHERE service_id <> ?",
                                           {self_id}));
  std::multimap<int64_t, int64_t> graph;
  for (const auto& e : edges) graph.emplace(e.Int(0), e.Int(1));
  std::set<int64_t> seen;
  std::vector<int64_t> todo = ids;
  while (!todo.empty()) {
    const int64_t n = todo.back();
    todo.pop_back();
    if (n == self_id) {
      return Err(InvalidArgument("these dependencies would make a cycle back to \"" + s.key + "\"",
                                 "depends_on"));
    }
    if (!seen.insert(n).second) continue;
    auto [lo, hi] = graph.equal_range(n);
    for (auto it = lo; it != hi; ++it) todo.push_back(it->second);
  }
  return ids;
}

Status WriteChildren(store::Tx& tx, const Service& s, int64_t id,
                     const std::vector<int64_t>& deps) {
  for (const char* sql : {"DELETE FROM catalog_service_dependencies WHERE service_id = ?",
                          "DELETE FROM catalog_service_contacts WHERE service_id = ?"}) {
    auto r = tx.Exec(sql, {id});
    if (!r) return r.error();
  }
  for (int64_t dep : std::set<int64_t>(deps.begin(), deps.end())) {
    auto r = tx.Exec(
        "INSERT INTO catalog_service_dependencies (service_id, depends_on_id) VALUES (?, ?)",
        {id, dep});
    if (!r) return r.error();
  }
  for (size_t i = 0; i < s.contacts.size(); ++i) {
    const Contact& c = s.contacts[i];
    auto r = tx.Exec(
        "INSERT INTO catalog_service_contacts (service_id, position, kind, name, organisation, "
        "role, phone, email, notes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {id, static_cast<int64_t>(i), c.kind, c.name, c.organisation, c.role, c.phone, c.email,
         c.notes});
    if (!r) return r.error();
  }
  return Status::Ok();
}

}  // namespace

Result<std::optional<Service>> FindServiceByKey(store::Tx& tx, std::string_view key) {
  return FindServiceWhere(tx, "s.key = ?", std::string(key));
}

Result<std::optional<Service>> FindServiceById(store::Tx& tx, int64_t id) {
  return FindServiceWhere(tx, "s.id = ?", id);
}

Result<std::vector<Service>> ListServices(store::Tx& tx, const Page& page) {
  FS_ASSIGN_OR_RETURN(auto rows,
                      tx.Query(std::string(kServiceSelect) + "WHERE s.id > ? ORDER BY s.id LIMIT ?",
                               {page.after_id, static_cast<int64_t>(page.limit)}));
  std::vector<Service> out;
  for (const auto& r : rows) {
    FS_ASSIGN_OR_RETURN(Service s, ServiceFromRow(tx, r));
    out.push_back(std::move(s));
  }
  return out;
}

Result<int64_t> InsertService(store::Tx& tx, const Service& s, int64_t now_ms) {
  FS_RETURN_IF_ERROR(RefuseDuplicate(tx, "SELECT id FROM catalog_services WHERE key = ?", s.key, 0,
                                     "service", "key"));
  FS_ASSIGN_OR_RETURN(auto owner, OwnerTeamId(tx, s));
  FS_ASSIGN_OR_RETURN(auto deps, DependencyIds(tx, s, 0));
  FS_ASSIGN_OR_RETURN(
      int64_t id,
      tx.Insert("INSERT INTO catalog_services (key, name, tier, owner_team_id, rto_ms, rpo_ms, "
                "status_group, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "RETURNING id",
                {s.key, s.name, s.tier, store::OptionalInt(owner), s.rto_ms, s.rpo_ms, s.group,
                 now_ms, now_ms}));
  FS_RETURN_IF_ERROR(WriteChildren(tx, s, id, deps));
  return id;
}

Status UpdateService(store::Tx& tx, const Service& s, int64_t now_ms) {
  FS_RETURN_STATUS_IF_ERROR(RefuseDuplicate(tx, "SELECT id FROM catalog_services WHERE key = ?",
                                            s.key, s.id, "service", "key"));
  FS_ASSIGN_OR_RETURN_STATUS(auto owner, OwnerTeamId(tx, s));
  FS_ASSIGN_OR_RETURN_STATUS(auto deps, DependencyIds(tx, s, s.id));
  auto r = tx.Exec(
      "UPDATE catalog_services SET key = ?, name = ?, tier = ?, owner_team_id = ?, rto_ms = ?, "
      "rpo_ms = ?, status_group = ?, updated_at = ? WHERE id = ?",
      {s.key, s.name, s.tier, store::OptionalInt(owner), s.rto_ms, s.rpo_ms, s.group, now_ms,
       s.id});
  if (!r) return r.error();
  return WriteChildren(tx, s, s.id, deps);
}

Status DeleteService(store::Tx& tx, const Service& s) {
  FS_RETURN_STATUS_IF_ERROR(RefuseIfReferenced(
      tx, "service \"" + s.key + "\"",
      "SELECT 'service ' || s.key FROM catalog_service_dependencies d JOIN catalog_services s ON "
      "s.id = d.service_id WHERE d.depends_on_id = ?",
      {s.id}));
  for (const char* sql : {"DELETE FROM catalog_service_dependencies WHERE service_id = ?",
                          "DELETE FROM catalog_service_contacts WHERE service_id = ?",
                          "DELETE FROM catalog_services WHERE id = ?"}) {
    auto r = tx.Exec(sql, {s.id});
    if (!r) return r.error();
  }
  return Status::Ok();
}

}  // namespace failsafe::catalog
